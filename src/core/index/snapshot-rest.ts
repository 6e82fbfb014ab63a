// The part of the scan snapshot a result does not need (each file's signals, classification, imports and links), kept per file so that a scan after a few changes reads and writes again only the files it touches.
import type { ImportRecord } from '../graph';
import type { CallRecord } from '../model/types';
import type { FileState } from './store';
import { GroupReader, GroupWriter, type GroupTable } from './record-groups';

/** What a file's rest holds, serialized on its own. */
type RestRecord = [signals: FileState['signals'], externalsKey: string, classification: FileState['classification'], imports: ImportRecord[]];

/**
 * The rest of every file, in the order of SnapshotData.files: its records in groups (record-groups.ts: a group is
 * read when a scan first touches one of its files' fields, and copied byte for byte into the next snapshot when it
 * touched none) and the links as file numbers (read whole when anything changes: the module graph needs them all,
 * and they are small).
 */
export interface RestTable {
  records: Uint8Array;
  groups: GroupTable;
  /** Each file's links (`deps`) as numbers of files, one after the other; `depOffsets` as `offsets`. */
  deps: Int32Array;
  depOffsets: Float64Array;
  /** The files the last classification looked at, and those with a value re-export, as numbers of files. */
  classified: Int32Array;
  reexporters: Int32Array;
}

/** A snapshot's rest, opened: records are deserialized one file at a time. */
export class RestSource {
  readonly records: GroupReader<RestRecord>;

  constructor(
    private readonly table: RestTable,
    private readonly rels: readonly string[],
  ) {
    this.records = new GroupReader<RestRecord>(table.records, table.groups, rels.length);
  }

  /** Whether the table's columns fit its files (else the snapshot is damaged). */
  get consistent(): boolean {
    const t = this.table;
    const n = this.rels.length;
    const numbers = (a: Int32Array): boolean => a.every((i) => i >= 0 && i < n);
    return (
      t.records instanceof Uint8Array &&
      t.deps instanceof Int32Array &&
      t.depOffsets instanceof Float64Array &&
      t.classified instanceof Int32Array &&
      t.reexporters instanceof Int32Array &&
      this.records.consistent &&
      t.depOffsets.length === n + 1 &&
      t.depOffsets[n] === t.deps.length &&
      numbers(t.deps) &&
      numbers(t.classified) &&
      numbers(t.reexporters)
    );
  }

  deps(i: number): string[] {
    const out: string[] = [];
    for (let at = this.table.depOffsets[i]; at < this.table.depOffsets[i + 1]; at++) out.push(this.rels[this.table.deps[at]]);
    return out;
  }

  classified(): Set<string> {
    return new Set(Array.from(this.table.classified, (i) => this.rels[i]));
  }

  reexporters(): string[] {
    return Array.from(this.table.reexporters, (i) => this.rels[i]);
  }
}

/**
 * A file restored from a snapshot. Its signals, externals key, classification and imports are read from the
 * snapshot the first time anything asks for them (or sets them); until then the next snapshot copies them as
 * they were, which is right because nothing could have changed them.
 */
export class RestoredFile implements FileState {
  deps: string[] = [];
  exports: FileState['exports'] = {};
  parsed = false;
  calls: CallRecord[] = [];
  blindSpots?: FileState['blindSpots'];
  queryFnDefaults?: FileState['queryFnDefaults'];
  text?: string;
  private record: RestRecord | null = null;

  constructor(
    public rel: string,
    readonly source: RestSource,
    readonly index: number,
  ) {}

  /** Whether the rest was read (so it may have changed since): the next snapshot serializes it anew. */
  get loaded(): boolean {
    return this.record !== null;
  }

  get signals(): FileState['signals'] {
    return this.rest()[0];
  }
  set signals(value: FileState['signals']) {
    this.rest()[0] = value;
  }
  get externalsKey(): string {
    return this.rest()[1];
  }
  set externalsKey(value: string) {
    this.rest()[1] = value;
  }
  get classification(): FileState['classification'] {
    return this.rest()[2];
  }
  set classification(value: FileState['classification']) {
    this.rest()[2] = value;
  }
  get imports(): ImportRecord[] {
    return this.rest()[3];
  }
  set imports(value: ImportRecord[]) {
    this.rest()[3] = value;
  }

  private rest(): RestRecord {
    return (this.record ??= this.source.records.value(this.index));
  }
}

/** The rest of the index's files for the next snapshot: a group of files none of which was read is copied from the snapshot it came from. */
export function restTable(files: Iterable<FileState>, classified: ReadonlySet<string>, reexporters: ReadonlySet<string>): { rels: string[]; table: RestTable } {
  const list = [...files];
  const rels = list.map((f) => f.rel);
  const number = new Map(rels.map((rel, i) => [rel, i]));
  const records = new GroupWriter<RestRecord>();
  for (let i = 0; i < list.length; ) {
    const size = unreadGroupAt(list, i);
    if (size > 0) {
      const first = list[i] as RestoredFile;
      records.copy(first.source.records.groupBytes(first.source.records.groupAt(first.index).group), size);
      i += size;
      continue;
    }
    const f = list[i++];
    records.add([f.signals, f.externalsKey, f.classification, f.imports]);
  }
  const depOffsets = new Float64Array(list.length + 1);
  const deps: number[] = [];
  list.forEach((f, i) => {
    depOffsets[i] = deps.length;
    for (const d of f.deps) {
      const n = number.get(d);
      if (n !== undefined) deps.push(n);
    }
  });
  depOffsets[list.length] = deps.length;
  const { table: groups, bytes } = records.finish();
  const numbers = (set: ReadonlySet<string>): Int32Array => Int32Array.from([...set].map((rel) => number.get(rel)).filter((n): n is number => n !== undefined));
  return { rels, table: { records: bytes, groups, deps: Int32Array.from(deps), depOffsets, classified: numbers(classified), reexporters: numbers(reexporters) } };
}

/** How many files from `i` on are a whole group of one snapshot, in its order, none of them read (0: none are). */
function unreadGroupAt(list: readonly FileState[], i: number): number {
  const first = list[i];
  if (!(first instanceof RestoredFile) || first.loaded) return 0;
  const { first: starts, size } = first.source.records.groupAt(first.index);
  if (!starts || i + size > list.length) return 0;
  for (let k = 1; k < size; k++) {
    const f = list[i + k];
    if (!(f instanceof RestoredFile) || f.loaded || f.source !== first.source || f.index !== first.index + k) return 0;
  }
  return size;
}
