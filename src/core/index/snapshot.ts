// The scan snapshot: the index as the last full scan left it, with every file's size, times and content hash, so the next scan of the same folder re-analyses only the files that changed since.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { RACY_MS, sameMeta, type FileMeta, type ListingTable } from '../scan/discovery';
import { checksumHolds, readRecordFile, writeRecordFile } from './record-file';
import type { RestTable } from './snapshot-rest';

export { RACY_MS };

/** Bumped when the layout changes; what the engine computes is covered by the engine stamp. */
export const SNAPSHOT_SCHEMA = 4;
const FORMAT = 'api-atlas-scan-snapshot';

/** A content hash's length: SHA-1 in base64url. */
const HASH_CHARS = 27;

/**
 * Every file a scan read, in columns: paths, then three numbers and a hash per path. A warm scan reads this table
 * whole; a few strings and one typed array deserialize many times faster than an object per file. The change time
 * (ctime) is what makes metadata trustworthy where size and mtime alone are not: a write, or setting the mtime
 * back (`touch -r`, tools that keep times), sets it to now, and no user-space call sets it back.
 */
export interface StampTable {
  /** Workspace-relative paths, sorted, joined by NUL (which no path holds). */
  paths: string;
  /** Size, modification and change time (ms) of each path, in order. */
  times: Float64Array;
  /** Each path's content hash, HASH_CHARS characters apiece, in order. */
  hashes: string;
}

/** Builds a StampTable; paths are added in sorted order. */
export class StampTableBuilder {
  private readonly paths: string[] = [];
  private readonly times: number[] = [];
  private readonly hashes: string[] = [];

  add(rel: string, meta: FileMeta, hash: string): void {
    this.paths.push(rel);
    this.times.push(meta[0], meta[1], meta[2]);
    this.hashes.push(hash);
  }

  build(): StampTable {
    return { paths: this.paths.join('\0'), times: Float64Array.from(this.times), hashes: this.hashes.join('') };
  }
}

/** A StampTable's rows, looked up by walking a sorted path list alongside (see next). */
export class StampReader {
  private readonly paths: string[];
  private cursor = 0;

  constructor(private readonly table: StampTable) {
    this.paths = table.paths === '' ? [] : table.paths.split('\0');
  }

  /** Whether the columns agree in length (else the snapshot is damaged). */
  get consistent(): boolean {
    return this.table.times.length === this.paths.length * 3 && this.table.hashes.length === this.paths.length * HASH_CHARS;
  }

  /** The row of `rel`, or -1; calls must come in sorted order (a row passed over is not found again, and is then read). */
  next(rel: string): number {
    while (this.cursor < this.paths.length && this.paths[this.cursor] < rel) this.cursor++;
    return this.paths[this.cursor] === rel ? this.cursor : -1;
  }

  meta(row: number): FileMeta {
    const t = this.table.times;
    return [t[row * 3], t[row * 3 + 1], t[row * 3 + 2]];
  }

  hash(row: number): string {
    return this.table.hashes.slice(row * HASH_CHARS, (row + 1) * HASH_CHARS);
  }

  /** Whether size and times still say "unchanged" for this row (else the content decides). */
  matches(row: number, meta: FileMeta, startedAt: number): boolean {
    return sameMeta(this.meta(row), meta, startedAt);
  }
}

/** The project files besides sources a scan read (package.json, tsconfig, ...), in columns like StampTable. */
export interface ProjectFileTable {
  count: number;
  /** Absolute paths joined by NUL. */
  paths: string;
  /** Each file's content hash, HASH_CHARS characters apiece; spaces when it was absent (or unreadable). */
  hashes: string;
  /** Size, modification and change time of each present file, from the stat before it was read (NaN: unknown). */
  times: Float64Array;
}

const ABSENT = ' '.repeat(HASH_CHARS);

export function projectFileTable(records: [abs: string, hash: string | null, meta: FileMeta | null][]): ProjectFileTable {
  const times = new Float64Array(records.length * 3).fill(NaN);
  records.forEach(([, , meta], i) => meta && times.set(meta, i * 3));
  return { count: records.length, paths: records.map(([abs]) => abs).join('\0'), hashes: records.map(([, hash]) => hash ?? ABSENT).join(''), times };
}

/** The rows of a ProjectFileTable; null when its columns disagree (a damaged table vouches for nothing: the caller sets the snapshot aside). */
export function projectFileRows(table: ProjectFileTable): { abs: string; hash: string | null; meta: FileMeta }[] | null {
  if (typeof table.paths !== 'string' || typeof table.hashes !== 'string' || !(table.times instanceof Float64Array)) return null;
  const paths = table.count === 0 ? [] : table.paths.split('\0');
  if (paths.length !== table.count || table.hashes.length !== table.count * HASH_CHARS || table.times.length !== table.count * 3) return null;
  return paths.map((abs, i) => {
    const hash = table.hashes.slice(i * HASH_CHARS, (i + 1) * HASH_CHARS);
    return { abs, hash: hash === ABSENT ? null : hash, meta: [table.times[i * 3], table.times[i * 3 + 1], table.times[i * 3 + 2]] };
  });
}

export interface SnapshotData<ResultT> {
  /** Settings, extra excludes and options that decide the whole scan, serialized; another key means another scan. */
  key: string;
  /** When the scan that made it started (Date.now()): files touched after `startedAt - RACY_MS` are checked by content. */
  startedAt: number;
  /** Every file the scan read (skipped ones included). */
  stamps: StampTable;
  /** What the scan's walk decided in each folder: the next walk replays the folders that have not changed. */
  listings: ListingTable;
  /** Every project file the scan read besides sources (package.json, tsconfig, ...), absent ones included. */
  manifests: ProjectFileTable;
  /** The `.env` entries the rules used, serialized. */
  env: string;
  /** The index's files, in its order, joined by NUL. */
  files: string;
  /** What a result shows of the files that show anything (calls, blind spots, default queryFns) or were parsed; the others have nothing. */
  results: ResultT[];
  readSkipped: [string, string][];
  textBlindSpots: [string, unknown[]][];
  /** Imports that may be of a generated API client, by file (blind spots when their module is not in the workspace). */
  generatedImports: [string, unknown[]][];
  /**
   * Everything else the index holds (each file's signals, classification, imports and links; the files the last
   * classification looked at): most of the bytes, needed only when something changes, and then mostly only for
   * the files that changed (see snapshot-rest.ts).
   */
  rest: RestTable;
}

/** What a scan answered from a snapshot found (null: it was not answered from one). */
export interface SnapshotScanStats {
  /** Files whose size and times (or, when those moved, content) are those of the snapshot. */
  unchanged: number;
  /** Of those, the files read again because their size or times differed (a touch, a checkout of the same text). */
  checkedByContent: number;
  /** Files with new content, or new files. */
  changed: number;
  /** Files gone since. */
  removed: number;
  /** Whether the changes reached classification, which then ran again (else every file kept its own). */
  classified?: boolean;
}

type Log = (message: string, level?: 'info' | 'warn' | 'error') => void;

/** The snapshot file kept beside an analysis cache file. */
export function snapshotFileFor(cacheFile: string): string {
  return cacheFile.replace(/(\.json)?$/, '.scan.json');
}

export function hashOf(content: Uint8Array | string): string {
  return createHash('sha1').update(content).digest('base64url');
}

/**
 * Reads a snapshot: null when there is none, or it fails any check (format, schema, engine, checksum), which is
 * logged. The body is V8's structured-clone serialization (Maps, Sets and undefined survive; several times
 * faster than JSON for a whole index), after a JSON header line; the rest's records follow it (record-file.ts).
 */
export function readSnapshot<F>(file: string, stamp: string, log: Log): SnapshotData<F> | null {
  const ignore = (why: string, level: 'info' | 'warn' = 'warn'): null => {
    log(`Ignored the scan snapshot ${file}: it ${why}; scanning without it.`, level);
    return null;
  };
  const read = readRecordFile(file);
  if ('missing' in read) return null;
  if ('problem' in read) return ignore(read.problem);
  const { header } = read;
  if (header.format !== FORMAT) return ignore('is not an API Atlas scan snapshot');
  if (header.schema !== SNAPSHOT_SCHEMA || header.engine !== stamp || header.node !== process.versions.v8) return ignore('was written by another version of API Atlas or Node', 'info');
  if (!checksumHolds(read)) return ignore('is truncated or corrupt (checksum mismatch)');
  try {
    const data = v8.deserialize(read.body) as SnapshotData<F>;
    if (!data || typeof data !== 'object' || typeof data.files !== 'string' || !Array.isArray(data.results) || !data.rest || typeof data.rest !== 'object') return ignore('has no file table');
    if (!data.stamps || typeof data.stamps.paths !== 'string' || !(data.stamps.times instanceof Float64Array) || typeof data.stamps.hashes !== 'string' || !new StampReader(data.stamps).consistent) return ignore('has a damaged stamp table');
    // The records of the rest are the file's tail, used where they lie.
    data.rest.records = read.tail;
    return data;
  } catch (err) {
    return ignore(`cannot be parsed (${messageOf(err)})`);
  }
}

/** Writes a snapshot atomically (a temp file renamed over the old one). Never throws. */
export function writeSnapshot<F>(file: string, stamp: string, data: SnapshotData<F>, log: Log): void {
  try {
    const body: SnapshotData<F> = { ...data, rest: { ...data.rest, records: new Uint8Array(0) } };
    writeRecordFile(file, { format: FORMAT, schema: SNAPSHOT_SCHEMA, engine: stamp, node: process.versions.v8 }, body, data.rest.records);
  } catch (err) {
    log(`Could not write the scan snapshot ${file}: ${messageOf(err)}; the next scan reads every file again.`, 'warn');
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
