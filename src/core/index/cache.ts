// The persistent analysis cache: per-file analysis results kept on disk between scans, keyed by everything that decides them.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import type { PackageInfo } from '../graph/packages';
import type { Settings } from '../model/types';
import type { AnalyzeRequest, AnalyzeResult } from './analyze';
import { checksumHolds, readRecordFile, writeRecordFile } from './record-file';

/**
 * Bumped when the file layout or the key's recipe changes. Changes to what analysis computes need no bump:
 * the engine stamp (a hash of the engine's own sources, see engineStamp) changes with them.
 */
export const CACHE_SCHEMA = 3;
const FORMAT = 'api-atlas-analysis-cache';

/**
 * Settings that cannot change a file's own analysis (they act on the graph-level results computed from it
 * afterwards). Every other key, including ones added later, is part of the cache key: wrongly keeping a
 * setting in costs a cold scan, wrongly leaving one out would serve stale results.
 */
const SETTINGS_NOT_AFFECTING_ANALYSIS: ReadonlySet<string> = new Set(['rules', 'runtimeOverrides']);

/** Set by esbuild.js in every bundle that holds the engine: a hash of src/core, package.json's version and TypeScript's version. */
declare const API_ATLAS_ENGINE_STAMP: string | undefined;

export interface AnalysisCacheStats {
  /** Analyses answered from the cache since the last scan started. */
  hits: number;
  /** Analyses computed (and stored) since the last scan started. */
  misses: number;
  /** Entries read from disk when the cache was opened (0 when there was none, or it was ignored). */
  loaded: number;
}

type Log = (message: string, level?: 'info' | 'warn' | 'error') => void;

/** One cached analysis: the file it is of, and the result serialized on its own (V8's structured clone: Maps, Sets and undefined kept). */
interface Entry {
  rel: string;
  bytes: Uint8Array;
}

/** The body of the cache file: keys and files NUL-joined, and where each entry's record starts in the file's tail (entries + 1 numbers). */
interface EntryTable {
  keys: string;
  rels: string;
  offsets: Float64Array;
}

/**
 * Per-file analysis results on disk. One file: a JSON header line (format, schema, engine stamp, checksum of
 * the rest) and the entries, each serialized on its own, so that opening the cache decodes none of them and a
 * scan that asks for N files decodes N; saving copies the bytes of the entries kept. A file that fails any check
 * is ignored as a whole, never partly trusted. Saving keeps only the entries the last scan used (so deleted and
 * changed files drop out), written atomically.
 */
export class AnalysisCache {
  private entries = new Map<string, Entry>();
  private used = new Set<string>();
  private readonly packageKeys = new WeakMap<PackageInfo, string>();
  private settingsKey = '';
  private dirty = false;
  readonly stats: AnalysisCacheStats = { hits: 0, misses: 0, loaded: 0 };

  private constructor(
    readonly file: string,
    private readonly stamp: string,
    private readonly log: Log,
  ) {}

  /** Opens the cache at `file` (nothing is read when it does not exist yet). `stamp` defaults to engineStamp(). */
  static open(file: string, log: Log, stamp: string = engineStamp()): AnalysisCache {
    const cache = new AnalysisCache(file, stamp, log);
    cache.read();
    return cache;
  }

  /** The settings the next keys are computed with; call before a scan. */
  useSettings(settings: Settings): void {
    const kept = Object.entries(settings)
      .filter(([k]) => !SETTINGS_NOT_AFFECTING_ANALYSIS.has(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.settingsKey = JSON.stringify(kept);
  }

  /** A scan starts: counts restart, and what it uses decides what the next save keeps. */
  beginScan(): void {
    this.used.clear();
    this.stats.hits = 0;
    this.stats.misses = 0;
  }

  /** The key of one analysis: the file, its text, its package, the definitions it imports and the settings. */
  keyOf(req: AnalyzeRequest, pkg: PackageInfo | null): string {
    return createHash('sha1')
      .update(this.settingsKey)
      .update('\0')
      .update(req.rel)
      .update('\0')
      .update(`${req.parse}\0${req.focus !== false}\0`)
      .update(req.externals && Object.keys(req.externals).length ? stableJson(req.externals) : '{}')
      .update('\0')
      .update(pkg ? this.packageKey(pkg) : 'null')
      .update('\0')
      .update(req.text)
      .digest('base64url');
  }

  /** A fresh copy of the cached result, or undefined. */
  get(key: string): AnalyzeResult | undefined {
    const stored = this.entries.get(key);
    if (stored === undefined) return undefined;
    let result: AnalyzeResult;
    try {
      result = v8.deserialize(stored.bytes) as AnalyzeResult;
    } catch (err) {
      // The checksum held, so this is a bug, not damage: analyse afresh rather than trust the entry.
      this.entries.delete(key);
      this.log(`An analysis cache entry could not be decoded (${messageOf(err)}); analysing the file again.`, 'error');
      return undefined;
    }
    this.used.add(key);
    this.stats.hits++;
    return result;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Keeps a copy of `result` (later changes to the object do not reach the cache). Results with an error are not kept. */
  set(key: string, result: AnalyzeResult): void {
    this.stats.misses++;
    if (result.error) return;
    this.entries.set(key, { rel: result.rel, bytes: v8.serialize(result) });
    this.used.add(key);
    this.dirty = true;
  }

  /**
   * Writes the entries the last scan used, atomically (a temp file renamed over the old one). Never throws.
   * `stillPresent`: keep also the unused entries of these files (a scan answered from the snapshot asked only
   * for the files that changed; the entries of deleted files go).
   */
  save(stillPresent?: (rel: string) => boolean): void {
    const kept = new Map<string, Entry>();
    for (const [key, entry] of this.entries) if (this.used.has(key) || stillPresent?.(entry.rel)) kept.set(key, entry);
    if (!this.dirty && kept.size === this.entries.size) return;
    const offsets = new Float64Array(kept.size + 1);
    let size = 0;
    [...kept.values()].forEach((entry, i) => {
      offsets[i] = size;
      size += entry.bytes.length;
    });
    offsets[kept.size] = size;
    const records = new Uint8Array(size);
    [...kept.values()].forEach((entry, i) => records.set(entry.bytes, offsets[i]));
    const table: EntryTable = { keys: [...kept.keys()].join('\0'), rels: [...kept.values()].map((e) => e.rel).join('\0'), offsets };
    try {
      writeRecordFile(this.file, { format: FORMAT, schema: CACHE_SCHEMA, engine: this.stamp }, table, records);
      // The entries now point into the bytes written, not into those of the file read (which can go).
      this.entries = new Map([...kept.keys()].map((key, i) => [key, { rel: kept.get(key)!.rel, bytes: records.subarray(offsets[i], offsets[i + 1]) }]));
      this.dirty = false;
    } catch (err) {
      this.log(`Could not write the analysis cache ${this.file}: ${messageOf(err)}; the next scan starts cold.`, 'warn');
    }
  }

  private read(): void {
    const read = readRecordFile(this.file);
    if ('missing' in read) return;
    if ('problem' in read) return this.ignore(read.problem);
    const { header } = read;
    if (header.format !== FORMAT) return this.ignore('is not an API Atlas analysis cache');
    if (header.schema !== CACHE_SCHEMA || header.engine !== this.stamp) return this.ignore('was written by another version of API Atlas', 'info');
    if (!checksumHolds(read)) return this.ignore('is truncated or corrupt (checksum mismatch)');
    try {
      const table = v8.deserialize(read.body) as EntryTable;
      const keys = table.keys === '' ? [] : table.keys.split('\0');
      const rels = table.rels === '' ? [] : table.rels.split('\0');
      const { offsets } = table;
      const records = read.tail;
      if (!(offsets instanceof Float64Array) || !(records instanceof Uint8Array) || rels.length !== keys.length || offsets.length !== keys.length + 1 || offsets[keys.length] !== records.length) {
        return this.ignore('has no entries table');
      }
      this.entries = new Map(keys.map((key, i) => [key, { rel: rels[i], bytes: records.subarray(offsets[i], offsets[i + 1]) }]));
    } catch (err) {
      return this.ignore(`cannot be parsed (${messageOf(err)})`);
    }
    this.stats.loaded = this.entries.size;
  }

  private ignore(why: string, level: 'info' | 'warn' = 'warn'): void {
    this.entries.clear();
    // The file will be replaced by the next save; until then nothing in it is used.
    this.dirty = true;
    this.log(`Ignored the analysis cache ${this.file}: it ${why}; scanning without it.`, level);
  }

  private packageKey(pkg: PackageInfo): string {
    let key = this.packageKeys.get(pkg);
    if (key === undefined) this.packageKeys.set(pkg, (key = stableJson(pkg)));
    return key;
  }
}

/** Where the CLI keeps the cache of `root` by default: `node_modules/.cache/api-atlas` when the project has node_modules, else the user's cache folder. */
export function defaultCacheFolder(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const modules = path.join(root, 'node_modules');
  if (fs.existsSync(modules)) return path.join(modules, '.cache', 'api-atlas');
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'api-atlas');
}

/** The cache file for `root` inside `folder`: one per scanned folder, so several roots can share a folder. */
export function cacheFileFor(folder: string, root: string): string {
  const id = createHash('sha1').update(path.resolve(root)).digest('hex').slice(0, 12);
  return path.join(folder, `analysis-${path.basename(path.resolve(root)).replace(/[^\w.-]/g, '_')}-${id}.json`);
}

let sourceStamp: string | undefined;

/**
 * Identifies the engine's code: any change to it invalidates every cache. Bundles carry a hash made at build
 * time; running from sources (tests, tsx), the same is computed from the files of src/core once per process.
 */
export function engineStamp(): string {
  if (typeof API_ATLAS_ENGINE_STAMP === 'string' && API_ATLAS_ENGINE_STAMP !== 'watch') return API_ATLAS_ENGINE_STAMP;
  if (typeof API_ATLAS_ENGINE_STAMP === 'string') {
    // `node esbuild.js --watch` rebuilds the bundle without a new stamp: its modification time tells builds apart.
    const bundle = fs.statSync(__filename);
    return `watch-${bundle.size}-${bundle.mtimeMs}`;
  }
  if (sourceStamp === undefined) {
    const hash = createHash('sha1');
    const core = path.join(__dirname, '..');
    for (const file of listFiles(core)) hash.update(path.relative(core, file)).update('\0').update(fs.readFileSync(file)).update('\0');
    sourceStamp = `src-${hash.digest('hex').slice(0, 20)}`;
  }
  return sourceStamp;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (/\.(ts|json|md)$/.test(entry.name)) out.push(full);
  }
  return out;
}


/** JSON with object keys sorted and Sets/Maps as sorted arrays: equal values give equal text. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Set) return [...v].map(String).sort();
    if (v instanceof Map) return [...v].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1));
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
