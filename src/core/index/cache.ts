// The persistent analysis cache: per-file analysis results kept on disk between scans, keyed by everything that decides them.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PackageInfo } from '../graph/packages';
import type { Settings } from '../model/types';
import type { AnalyzeRequest, AnalyzeResult } from './analyze';

/**
 * Bumped when the file layout or the key's recipe changes. Changes to what analysis computes need no bump:
 * the engine stamp (a hash of the engine's own sources, see engineStamp) changes with them.
 */
export const CACHE_SCHEMA = 1;
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

/**
 * Per-file analysis results on disk. One JSON file: a header line (format, schema, engine stamp, checksum of
 * the rest) and the entries. A file that fails any check is ignored as a whole, never partly trusted. Saving
 * keeps only the entries the last scan used (so deleted and changed files drop out), written atomically.
 */
export class AnalysisCache {
  private entries = new Map<string, unknown>();
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
      result = decodeValue(stored) as AnalyzeResult;
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
    this.entries.set(key, encodeValue(result));
    this.used.add(key);
    this.dirty = true;
  }

  /**
   * Writes the entries the last scan used, atomically (a temp file renamed over the old one). Never throws.
   * `stillPresent`: keep also the unused entries of these files (a scan answered from the snapshot asked only
   * for the files that changed; the entries of deleted files go).
   */
  save(stillPresent?: (rel: string) => boolean): void {
    const keep = (key: string): boolean => {
      if (this.used.has(key)) return true;
      const rel = stillPresent && (this.entries.get(key) as { rel?: unknown } | undefined)?.rel;
      return typeof rel === 'string' && stillPresent!(rel);
    };
    const kept: Record<string, unknown> = {};
    for (const key of this.entries.keys()) if (keep(key)) kept[key] = this.entries.get(key);
    if (!this.dirty && Object.keys(kept).length === this.entries.size) return;
    const body = JSON.stringify(kept);
    const header = JSON.stringify({ format: FORMAT, schema: CACHE_SCHEMA, engine: this.stamp, checksum: checksumOf(body) });
    const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(temp, `${header}\n${body}`);
      fs.renameSync(temp, this.file);
      this.entries = new Map(Object.entries(kept));
      this.dirty = false;
    } catch (err) {
      this.log(`Could not write the analysis cache ${this.file}: ${messageOf(err)}; the next scan starts cold.`, 'warn');
      try {
        fs.rmSync(temp, { force: true });
      } catch (cleanupErr) {
        this.log(`Could not remove ${temp}: ${messageOf(cleanupErr)}`, 'warn');
      }
    }
  }

  private read(): void {
    let raw: string;
    try {
      raw = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.ignore(`cannot be read (${messageOf(err)})`);
      return;
    }
    const newline = raw.indexOf('\n');
    if (newline < 0) return this.ignore('is truncated');
    let header: { format?: unknown; schema?: unknown; engine?: unknown; checksum?: unknown };
    try {
      header = JSON.parse(raw.slice(0, newline)) as typeof header;
    } catch {
      return this.ignore('has no readable header');
    }
    if (header.format !== FORMAT) return this.ignore('is not an API Atlas analysis cache');
    if (header.schema !== CACHE_SCHEMA || header.engine !== this.stamp) return this.ignore('was written by another version of API Atlas', 'info');
    const body = raw.slice(newline + 1);
    if (header.checksum !== checksumOf(body)) return this.ignore('is truncated or corrupt (checksum mismatch)');
    try {
      const parsed = JSON.parse(body) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return this.ignore('has no entries table');
      this.entries = new Map(Object.entries(parsed as Record<string, unknown>));
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

function checksumOf(body: string): string {
  return createHash('sha1').update(body).digest('hex');
}

// ---- a JSON-safe encoding of structured-clone values --------------------------------------------------------
// Analysis results are plain data (they already cross to worker threads by structured clone), but may hold
// Maps, Sets, undefined and non-finite numbers, which JSON alone would lose. Tagged objects carry them; any
// shape the per-file analysis grows flows through without changes here.

const TAG = '$atlas';

/** A JSON-safe deep copy of a structured-clone value (Map, Set, Date, undefined, NaN, ±Infinity, -0 kept). */
export function encodeValue(value: unknown): unknown {
  if (value === undefined) return { [TAG]: 'undefined' };
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { [TAG]: 'NaN' };
    if (!Number.isFinite(value)) return { [TAG]: value > 0 ? 'Infinity' : '-Infinity' };
    if (Object.is(value, -0)) return { [TAG]: '-0' };
    return value;
  }
  if (typeof value === 'bigint') return { [TAG]: 'bigint', v: value.toString() };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (value instanceof Map) return { [TAG]: 'Map', v: [...value].map(([k, v]) => [encodeValue(k), encodeValue(v)]) };
  if (value instanceof Set) return { [TAG]: 'Set', v: [...value].map(encodeValue) };
  if (value instanceof Date) return { [TAG]: 'Date', v: value.getTime() };
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = encodeValue(v);
    // A plain object that itself has the tag key is wrapped, so decoding cannot mistake it for a tagged value.
    return TAG in out ? { [TAG]: 'object', v: out } : out;
  }
  throw new TypeError(`cannot cache a ${typeof value}`);
}

/** The inverse of encodeValue. */
export function decodeValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeValue);
  const obj = value as Record<string, unknown>;
  const tag = obj[TAG];
  if (typeof tag === 'string') {
    switch (tag) {
      case 'undefined':
        return undefined;
      case 'NaN':
        return NaN;
      case 'Infinity':
        return Infinity;
      case '-Infinity':
        return -Infinity;
      case '-0':
        return -0;
      case 'bigint':
        return BigInt(obj.v as string);
      case 'Map':
        return new Map((obj.v as [unknown, unknown][]).map(([k, v]) => [decodeValue(k), decodeValue(v)]));
      case 'Set':
        return new Set((obj.v as unknown[]).map(decodeValue));
      case 'Date':
        return new Date(obj.v as number);
      case 'object':
        return decodeObject(obj.v as Record<string, unknown>);
      default:
        throw new TypeError(`unknown tag ${tag} in the analysis cache`);
    }
  }
  return decodeObject(obj);
}

function decodeObject(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = decodeValue(v);
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
