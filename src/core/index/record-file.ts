// The file layout the analysis cache and the scan snapshot share: a JSON header line, a V8-serialized body, and a tail of raw bytes (many records side by side) that is neither copied nor decoded when the file is read.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';

/** What a header holds besides what the file's owner puts there: the checksum of body and tail, and where the body ends. */
export interface RecordFileHeader {
  format?: unknown;
  checksum?: unknown;
  bodyBytes?: unknown;
  [key: string]: unknown;
}

/** A file read whole: its header, its body (not yet deserialized) and its tail; or why it cannot be used. */
export type RecordFileRead = { header: RecordFileHeader; body: Buffer; tail: Buffer } | { problem: string } | { missing: true };

/**
 * Reads a record file. The checksum is checked here; the owner checks the header's other fields. The tail is a
 * view into the bytes read (deserializing the body copies typed arrays, so records are kept out of it).
 */
export function readRecordFile(file: string): RecordFileRead {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? { missing: true } : { problem: `cannot be read (${messageOf(err)})` };
  }
  const newline = raw.indexOf(0x0a);
  if (newline < 0) return { problem: 'is truncated' };
  let header: RecordFileHeader;
  try {
    header = JSON.parse(raw.subarray(0, newline).toString('utf8')) as RecordFileHeader;
  } catch {
    return { problem: 'has no readable header' };
  }
  if (!header || typeof header !== 'object') return { problem: 'has no readable header' };
  const rest = raw.subarray(newline + 1);
  const bodyBytes = header.bodyBytes;
  if (typeof bodyBytes !== 'number' || !Number.isInteger(bodyBytes) || bodyBytes < 0 || bodyBytes > rest.length) return { header, body: rest, tail: rest.subarray(rest.length) };
  const body = rest.subarray(0, bodyBytes);
  const tail = rest.subarray(bodyBytes);
  return { header, body, tail };
}

/** Whether the header's checksum is that of body and tail (a truncated or damaged file fails it). */
export function checksumHolds(read: { header: RecordFileHeader; body: Uint8Array; tail: Uint8Array }): boolean {
  return typeof read.header.bodyBytes === 'number' && read.header.checksum === checksumOf(read.body, read.tail);
}

/** Writes a record file atomically (a temp file renamed over the old one); throws on failure, after removing the temp file. */
export function writeRecordFile(file: string, header: Record<string, unknown>, body: unknown, tail: Uint8Array): void {
  const serialized = v8.serialize(body);
  const line = Buffer.from(`${JSON.stringify({ ...header, checksum: checksumOf(serialized, tail), bodyBytes: serialized.length })}\n`, 'utf8');
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(temp, 'w');
    try {
      for (const part of [line, serialized, tail]) {
        for (let at = 0; at < part.length; ) at += fs.writeSync(fd, part, at, part.length - at);
      }
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

function checksumOf(body: Uint8Array, tail: Uint8Array): string {
  return createHash('sha1').update(body).update(tail).digest('hex');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
