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
import { GroupReader, GroupWriter, type GroupTable } from './record-groups';

/**
 * Bumped when the file layout or the key's recipe changes. Changes to what analysis computes need no bump:
 * the engine stamp (a hash of the engine's own sources, see engineStamp) changes with them.
 */
export const CACHE_SCHEMA = 4;
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

/** One cached analysis: the file it is of, and the result: a copy made when it was set, or its place in the file read. */
interface Entry {
  rel: string;
  value?: AnalyzeResult;
  at?: number;
}

/** The body of the cache file: keys and files NUL-joined, in the order of the results in the tail, which are in groups (record-groups.ts). */
interface EntryTable {
  keys: string;
  rels: string;
  groups: GroupTable;
}

/**
 * Per-file analysis results on disk. One file: a JSON header line (format, schema, engine stamp, checksum of
 * the rest), the keys, and the results in groups (V8's structured clone: Maps, Sets and undefined kept), so that
 * opening the cache decodes none of them, a scan that asks for N files decodes about N groups, and saving copies
 * the groups it kept whole. A file that fails any check is ignored as a whole, never partly trusted. Saving keeps
 * only the entries the last scan used (so deleted and changed files drop out), written atomically.
 */
export class AnalysisCache {
  private entries = new Map<string, Entry>();
  /** The results of the file read (or last written), with the key at each place. */
  private disk: { results: GroupReader<AnalyzeResult>; keys: string[] } | null = null;
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
      result = structuredClone(stored.value ?? this.disk!.results.value(stored.at!));
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
    this.entries.set(key, { rel: result.rel, value: structuredClone(result) });
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
    const writer = new GroupWriter<AnalyzeResult>();
    const keys: string[] = [];
    const written = new Set<string>();
    // Groups of the file read that are kept whole are copied as they are.
    const disk = this.disk;
    for (let i = 0; disk && i < disk.keys.length; ) {
      const { size } = disk.results.groupAt(i);
      const group = disk.keys.slice(i, i + size);
      if (group.every((key) => kept.get(key)?.at !== undefined && kept.get(key)?.value === undefined)) {
        writer.copy(disk.results.groupBytes(disk.results.groupAt(i).group), size);
        for (const key of group) {
          keys.push(key);
          written.add(key);
        }
      }
      i += size;
    }
    for (const [key, entry] of kept) {
      if (written.has(key)) continue;
      writer.add(entry.value ?? disk!.results.value(entry.at!));
      keys.push(key);
    }
    const { table: groups, bytes } = writer.finish();
    const table: EntryTable = { keys: keys.join('\0'), rels: keys.map((key) => kept.get(key)!.rel).join('\0'), groups };
    try {
      writeRecordFile(this.file, { format: FORMAT, schema: CACHE_SCHEMA, engine: this.stamp }, table, bytes);
      // The entries now lie in the bytes written, not in those of the file read (which can go).
      this.disk = { results: new GroupReader<AnalyzeResult>(bytes, groups, keys.length), keys };
      this.entries = new Map(keys.map((key, i) => [key, { rel: kept.get(key)!.rel, at: i }]));
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
      const results = new GroupReader<AnalyzeResult>(read.tail, table.groups, keys.length);
      if (rels.length !== keys.length || !table.groups || !results.consistent) return this.ignore('has no entries table');
      this.disk = { results, keys };
      this.entries = new Map(keys.map((key, i) => [key, { rel: rels[i], at: i }]));
    } catch (err) {
      return this.ignore(`cannot be parsed (${messageOf(err)})`);
    }
    this.stats.loaded = this.entries.size;
  }

  private ignore(why: string, level: 'info' | 'warn' = 'warn'): void {
    this.entries.clear();
    this.disk = null;
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
