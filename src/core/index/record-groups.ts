// Many small values serialized in groups: each group is read when one of its values is first needed, and copied byte for byte into the next file when none of its values was.
import * as v8 from 'node:v8';

/**
 * Values per group. One V8 serializer per value held ~4.5 KB of native memory each until the next garbage
 * collection: serializing 6,663 files' records one by one grew a cold scan of medusa by ~46 MB. Per group of 64
 * it is a hundredth of that, and reading one value decodes 64 at most.
 */
export const GROUP_SIZE = 64;

/** Where the groups lie: how many values each holds, and where each starts in the bytes (groups + 1 numbers). */
export interface GroupTable {
  sizes: Int32Array;
  offsets: Float64Array;
}

/** Groups read from a file: values by their position, decoded a group at a time. */
export class GroupReader<T> {
  private readonly starts: number[] = [];
  private readonly groupOf: Int32Array;
  private readonly decoded = new Map<number, T[]>();

  constructor(
    private readonly bytes: Uint8Array,
    private readonly table: GroupTable,
    readonly count: number,
  ) {
    this.groupOf = new Int32Array(count);
    let at = 0;
    for (let g = 0; g < table.sizes.length; g++) {
      this.starts.push(at);
      for (let k = 0; k < table.sizes[g] && at < count; k++) this.groupOf[at++] = g;
    }
  }

  /** Whether the table fits `count` values and the bytes (else the file is damaged). */
  get consistent(): boolean {
    const { sizes, offsets } = this.table;
    if (!(sizes instanceof Int32Array) || !(offsets instanceof Float64Array) || offsets.length !== sizes.length + 1) return false;
    let total = 0;
    for (const n of sizes) total += n;
    return total === this.count && offsets[0] === 0 && offsets[sizes.length] === this.bytes.length && sizes.every((n) => n > 0);
  }

  value(i: number): T {
    const g = this.groupOf[i];
    let values = this.decoded.get(g);
    if (!values) this.decoded.set(g, (values = v8.deserialize(this.groupBytes(g)) as T[]));
    return values[i - this.starts[g]];
  }

  /** The group holding value `i`, and whether `i` starts it. */
  groupAt(i: number): { group: number; first: boolean; size: number } {
    const g = this.groupOf[i];
    return { group: g, first: this.starts[g] === i, size: this.table.sizes[g] };
  }

  groupBytes(g: number): Uint8Array {
    return this.bytes.subarray(this.table.offsets[g], this.table.offsets[g + 1]);
  }
}

/** Writes values in order: runs of new values are serialized GROUP_SIZE at a time, unread groups are copied. */
export class GroupWriter<T> {
  private readonly chunks: Uint8Array[] = [];
  private readonly sizes: number[] = [];
  private pending: T[] = [];

  add(value: T): void {
    this.pending.push(value);
    if (this.pending.length === GROUP_SIZE) this.flush();
  }

  /** A whole group of another file, as its bytes. */
  copy(bytes: Uint8Array, size: number): void {
    this.flush();
    this.chunks.push(bytes);
    this.sizes.push(size);
  }

  finish(): { table: GroupTable; bytes: Uint8Array } {
    this.flush();
    const offsets = new Float64Array(this.chunks.length + 1);
    let size = 0;
    this.chunks.forEach((chunk, g) => {
      offsets[g] = size;
      size += chunk.length;
    });
    offsets[this.chunks.length] = size;
    const bytes = new Uint8Array(size);
    this.chunks.forEach((chunk, g) => bytes.set(chunk, offsets[g]));
    return { table: { sizes: Int32Array.from(this.sizes), offsets }, bytes };
  }

  private flush(): void {
    if (!this.pending.length) return;
    this.chunks.push(v8.serialize(this.pending));
    this.sizes.push(this.pending.length);
    this.pending = [];
  }
}
