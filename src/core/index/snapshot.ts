// The scan snapshot: the index as the last full scan left it, with every file's size, times and content hash, so the next scan of the same folder re-analyses only the files that changed since.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';

/** Bumped when the layout changes; what the engine computes is covered by the engine stamp. */
export const SNAPSHOT_SCHEMA = 2;
const FORMAT = 'api-atlas-scan-snapshot';

/**
 * A file as the scan read it: size, modification and change times (ms), content hash. The change time (ctime)
 * is what makes metadata trustworthy where size and mtime alone are not: a write, or setting the mtime back
 * (`touch -r`, tools that keep times), sets it to now, and no user-space call sets it back.
 */
export type FileStamp = [size: number, mtimeMs: number, ctimeMs: number, hash: string];

/**
 * Files changed within this long before the snapshot's scan began are checked by content next time: a second
 * write inside the file system's timestamp granularity (a second on some) would leave size and times unchanged.
 */
export const RACY_MS = 2000;

export interface SnapshotData<FileStateT> {
  /** Settings, extra excludes and options that decide the whole scan, serialized; another key means another scan. */
  key: string;
  /** When the scan that made it started (Date.now()): files touched after `startedAt - RACY_MS` are checked by content. */
  startedAt: number;
  /** Every file the scan read (skipped ones included), by workspace-relative path. */
  stamps: Record<string, FileStamp>;
  /** Every project file the scan read besides sources (package.json, tsconfig, ...), by absolute path: hash of its text, null when absent. */
  manifests: Record<string, string | null>;
  /** The `.env` entries the rules used, serialized. */
  env: string;
  /** The index's per-file state, texts, imports and links left out, and the lists kept beside it. */
  files: FileStateT[];
  /**
   * Each file's imports and resolved links, `[rel, imports, deps][]` serialized on their own: most of the
   * snapshot's bytes, and needed only when something changes (a warm scan of an unchanged workspace never reads them).
   */
  links: Uint8Array;
  readSkipped: [string, string][];
  textBlindSpots: [string, unknown[]][];
  /** Imports that may be of a generated API client, by file (blind spots when their module is not in the workspace). */
  generatedImports: [string, unknown[]][];
  classified: string[];
}

/** What the last scan answered from a snapshot found (null: it was not answered from one). */
export interface SnapshotScanStats {
  /** Files whose size and times (or, when those moved, content) are those of the snapshot. */
  unchanged: number;
  /** Of those, the files read again because their size or times differed (a touch, a checkout of the same text). */
  checkedByContent: number;
  /** Files with new content, or new files. */
  changed: number;
  /** Files gone since. */
  removed: number;
}

type Log = (message: string, level?: 'info' | 'warn' | 'error') => void;

/** The snapshot file kept beside an analysis cache file. */
export function snapshotFileFor(cacheFile: string): string {
  return cacheFile.replace(/(\.json)?$/, '.scan.json');
}

export function hashOf(content: Uint8Array | string): string {
  return createHash('sha1').update(content).digest('base64url');
}

/** A file's stamp from its stat and content. */
export function stampOf(stat: fs.Stats, content: Uint8Array): FileStamp {
  return [stat.size, stat.mtimeMs, stat.ctimeMs, hashOf(content)];
}

/** Whether size and times still say "unchanged" for this stamp (else the content decides). */
export function metadataMatches(stamp: FileStamp, stat: fs.Stats, startedAt: number): boolean {
  if (stamp[0] !== stat.size || stamp[1] !== stat.mtimeMs || stamp[2] !== stat.ctimeMs) return false;
  return Math.max(stamp[1], stamp[2]) < startedAt - RACY_MS;
}

/** The links table of a snapshot, read when first needed. */
export function readLinks<I, D>(links: Uint8Array): [rel: string, imports: I, deps: D][] {
  return v8.deserialize(links) as [string, I, D][];
}

export function serializeLinks(rows: [string, unknown, unknown][]): Uint8Array {
  return v8.serialize(rows);
}

/**
 * Reads a snapshot: null when there is none, or it fails any check (format, schema, engine, checksum), which is
 * logged. The body is V8's structured-clone serialization (Maps, Sets and undefined survive; several times
 * faster than JSON for a whole index), after a JSON header line.
 */
export function readSnapshot<F>(file: string, stamp: string, log: Log): SnapshotData<F> | null {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`Cannot read the scan snapshot ${file}: ${messageOf(err)}; scanning without it.`, 'warn');
    return null;
  }
  const ignore = (why: string, level: 'info' | 'warn' = 'warn'): null => {
    log(`Ignored the scan snapshot ${file}: it ${why}; scanning without it.`, level);
    return null;
  };
  const newline = raw.indexOf(0x0a);
  if (newline < 0) return ignore('is truncated');
  let header: { format?: unknown; schema?: unknown; engine?: unknown; node?: unknown; checksum?: unknown };
  try {
    header = JSON.parse(raw.subarray(0, newline).toString('utf8')) as typeof header;
  } catch {
    return ignore('has no readable header');
  }
  if (header.format !== FORMAT) return ignore('is not an API Atlas scan snapshot');
  if (header.schema !== SNAPSHOT_SCHEMA || header.engine !== stamp || header.node !== process.versions.v8) return ignore('was written by another version of API Atlas or Node', 'info');
  const body = raw.subarray(newline + 1);
  if (header.checksum !== hashOf(body)) return ignore('is truncated or corrupt (checksum mismatch)');
  try {
    const data = v8.deserialize(body) as SnapshotData<F>;
    if (!data || typeof data !== 'object' || !Array.isArray(data.files) || typeof data.stamps !== 'object') return ignore('has no file table');
    return data;
  } catch (err) {
    return ignore(`cannot be parsed (${messageOf(err)})`);
  }
}

/** Writes a snapshot atomically (a temp file renamed over the old one). Never throws. */
export function writeSnapshot<F>(file: string, stamp: string, data: SnapshotData<F>, log: Log): void {
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    const body = v8.serialize(data);
    const header = JSON.stringify({ format: FORMAT, schema: SNAPSHOT_SCHEMA, engine: stamp, node: process.versions.v8, checksum: hashOf(body) });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, Buffer.concat([Buffer.from(`${header}\n`, 'utf8'), body]));
    fs.renameSync(temp, file);
  } catch (err) {
    log(`Could not write the scan snapshot ${file}: ${messageOf(err)}; the next scan reads every file again.`, 'warn');
    try {
      fs.rmSync(temp, { force: true });
    } catch (cleanupErr) {
      log(`Could not remove ${temp}: ${messageOf(cleanupErr)}`, 'warn');
    }
  }
}

/** Removes a snapshot that no longer describes the folder (a scan failed after changing it). Never throws. */
export function dropSnapshot(file: string, log: Log): void {
  try {
    fs.rmSync(file, { force: true });
  } catch (err) {
    log(`Could not remove the scan snapshot ${file}: ${messageOf(err)}`, 'warn');
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
