// The folder listings a walk keeps for the next one: a folder whose times (and .gitignore) are those of the last walk holds the same entries, so the walk replays its decisions instead of reading it and matching every name against the ignore rules again.

/** A file's size and its modification and change times (ms), from one stat. */
export type FileMeta = readonly [size: number, mtimeMs: number, ctimeMs: number];

/**
 * Folders and files changed within this long before a walk began are not trusted by their times next time: a
 * second change inside the file system's timestamp granularity (a second on some) would leave them unchanged.
 */
export const RACY_MS = 2000;

/** Whether a stat taken now still says "unchanged" against the one recorded by a walk that began at `startedAt`. */
export function sameMeta(recorded: FileMeta, now: FileMeta, startedAt: number): boolean {
  if (recorded[0] !== now[0] || recorded[1] !== now[1] || recorded[2] !== now[2]) return false;
  return Math.max(recorded[1], recorded[2]) < startedAt - RACY_MS;
}

/**
 * What the walk decided in one folder from the names it read there. A folder's modification time moves when an
 * entry is added, removed or renamed, and its change time with that and with its permissions; what a .gitignore
 * says moves with the .gitignore's own times. What a symbolic link points at can change without either, so a
 * folder holding one is listed afresh every walk (its listing is kept for its .gitignore's stat alone: the
 * folders below it are still replayed).
 */
export interface FolderListing {
  /** The folder's own stat: size, modification and change time. */
  meta: FileMeta;
  /** It holds a symbolic link: never replayed. */
  links: boolean;
  /** Its .gitignore's stat when the walk read it; null: there was none. */
  gitignore: FileMeta | null;
  /** Files that passed every check by name (the size limit is checked from each walk's stat). */
  files: string[];
  /** Subfolders walked into. */
  dirs: string[];
  /** Entries skipped by name, with the reason. */
  skipped: [name: string, reason: string][];
  /** Where it came from: its row in the last walk's table (a replayed listing is copied from there as it was). */
  row?: number;
}

/**
 * The listings of a whole walk in columns, the way a snapshot keeps them (a few strings and one typed array
 * deserialize far faster than an object per folder). Names hold neither `/` nor NUL, which separate them.
 */
export interface ListingTable {
  /** How many folders; their workspace-relative paths ('' the root) joined by NUL. */
  count: number;
  folders: string;
  /** Per folder: its meta, then its .gitignore's (size -1: none), then 1 when it holds links (else 0). */
  times: Float64Array;
  /** Per folder: file names joined by `/`; folders joined by NUL. */
  files: string;
  /** Per folder: subfolder names, the same way. */
  dirs: string;
  /** Entries skipped by name: [folder index, name, reason]. */
  skipped: [number, string, string][];
  /** The walk followed a symbolic link to a folder: which path reaches such a folder first depends on the order of the walk, so a walk with links is never replayed. */
  followedLinks: boolean;
}

const TIMES_PER_FOLDER = 7;

export class ListingRecorder {
  private readonly folders: string[] = [];
  private readonly times: number[] = [];
  private readonly files: string[] = [];
  private readonly dirs: string[] = [];
  private readonly skipped: [number, string, string][] = [];
  followedLinks = false;

  add(rel: string, listing: FolderListing): void {
    const index = this.folders.length;
    this.folders.push(rel);
    const g = listing.gitignore;
    this.times.push(listing.meta[0], listing.meta[1], listing.meta[2], g ? g[0] : -1, g ? g[1] : 0, g ? g[2] : 0, listing.links ? 1 : 0);
    this.files.push(listing.files.join('/'));
    this.dirs.push(listing.dirs.join('/'));
    for (const [name, reason] of listing.skipped) this.skipped.push([index, name, reason]);
  }

  /** Keeps a listing replayed from `reader` as it was there (its columns copied, nothing joined again). */
  copy(rel: string, reader: ListingReader, row: number): void {
    const index = this.folders.length;
    this.folders.push(rel);
    const { times, files, dirs, skipped } = reader.raw(row);
    for (const t of times) this.times.push(t);
    this.files.push(files);
    this.dirs.push(dirs);
    for (const [name, reason] of skipped) this.skipped.push([index, name, reason]);
  }

  table(): ListingTable {
    return {
      count: this.folders.length,
      folders: this.folders.join('\0'),
      times: Float64Array.from(this.times),
      files: this.files.join('\0'),
      dirs: this.dirs.join('\0'),
      skipped: this.skipped,
      followedLinks: this.followedLinks,
    };
  }
}

/** The listings of the last walk, by folder; null when the table cannot serve (damaged, or a walk that followed links). */
export class ListingReader {
  private readonly index = new Map<string, number>();
  private readonly files: string[];
  private readonly dirs: string[];
  private readonly skipped = new Map<number, [string, string][]>();

  private constructor(private readonly table: ListingTable) {
    const folders = splitColumn(table.folders, table.count);
    for (let i = 0; i < folders.length; i++) this.index.set(folders[i], i);
    this.files = splitColumn(table.files, table.count);
    this.dirs = splitColumn(table.dirs, table.count);
    for (const [i, name, reason] of table.skipped) {
      let list = this.skipped.get(i);
      if (!list) this.skipped.set(i, (list = []));
      list.push([name, reason]);
    }
  }

  static open(table: ListingTable | undefined): ListingReader | null {
    if (!table || table.followedLinks || !(table.times instanceof Float64Array) || !Array.isArray(table.skipped)) return null;
    if (!Number.isInteger(table.count) || table.times.length !== table.count * TIMES_PER_FOLDER) return null;
    const reader = new ListingReader(table);
    const lengths = [reader.index.size, reader.files.length, reader.dirs.length];
    return lengths.every((n) => n === table.count) ? reader : null;
  }

  get(rel: string): FolderListing | undefined {
    const i = this.index.get(rel);
    if (i === undefined) return undefined;
    const t = this.table.times;
    const at = i * TIMES_PER_FOLDER;
    return {
      meta: [t[at], t[at + 1], t[at + 2]],
      links: t[at + 6] !== 0,
      gitignore: t[at + 3] < 0 ? null : [t[at + 3], t[at + 4], t[at + 5]],
      files: this.files[i] === '' ? [] : this.files[i].split('/'),
      dirs: this.dirs[i] === '' ? [] : this.dirs[i].split('/'),
      skipped: this.skipped.get(i) ?? [],
      row: i,
    };
  }

  /** A row's columns as stored. */
  raw(row: number): { times: Float64Array; files: string; dirs: string; skipped: [string, string][] } {
    return { times: this.table.times.subarray(row * TIMES_PER_FOLDER, (row + 1) * TIMES_PER_FOLDER), files: this.files[row], dirs: this.dirs[row], skipped: this.skipped.get(row) ?? [] };
  }
}

function splitColumn(column: string, count: number): string[] {
  return count === 0 ? [] : column.split('\0');
}
