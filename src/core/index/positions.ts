// When an imported instance or wrapper only moved inside its file (lines, offsets), the calls through it are updated in place instead of re-parsing every importer.
import type { CallRecord, Span } from '../model/types';

/** Where positions inside a definition's file went: spans by `file:start:end`, definition lines by `file:name:line`. */
export interface PositionMoves {
  spans: Map<string, Span>;
  lines: Map<string, number>;
}

/**
 * The moves that turn `before` into `after` (two JSON values: what a file imported, before and after an edit of
 * the defining file) when they differ only in positions: the `line` of a definition (`{ name, file, line }`) and
 * the `span` of something that names its `file`. Null when anything else differs (the shape really changed).
 */
export function positionalMoves(before: unknown, after: unknown): PositionMoves | null {
  const moves: PositionMoves = { spans: new Map(), lines: new Map() };
  return sameButPositions(before, after, moves) ? moves : null;
}

function sameButPositions(a: unknown, b: unknown, moves: PositionMoves): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const list = b as unknown[];
    if (a.length !== list.length) return false;
    return a.every((item, i) => sameButPositions(item, list[i], moves));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  const file = typeof x.file === 'string' && x.file === y.file ? x.file : null;
  for (const key of keys) {
    if (!(key in y)) return false;
    const u = x[key];
    const v = y[key];
    if (file !== null && key === 'span' && isSpan(u) && isSpan(v)) {
      if (!record(moves.spans, `${file}:${u.start}:${u.end}`, v, (p, q) => p.start === q.start && p.end === q.end)) return false;
      continue;
    }
    if (file !== null && key === 'line' && typeof u === 'number' && typeof v === 'number' && typeof x.name === 'string' && x.name === y.name) {
      if (!record(moves.lines, `${file}:${x.name}:${u}`, v, (p, q) => p === q)) return false;
      continue;
    }
    if (!sameButPositions(u, v, moves)) return false;
  }
  return true;
}

/** Notes one move; false when the same old position would go to two places (then nothing can be patched). */
function record<T>(map: Map<string, T>, key: string, to: T, same: (p: T, q: T) => boolean): boolean {
  const known = map.get(key);
  if (known !== undefined) return same(known, to);
  map.set(key, to);
  return true;
}

function isSpan(value: unknown): value is Span {
  return typeof value === 'object' && value !== null && typeof (value as Span).start === 'number' && typeof (value as Span).end === 'number';
}

/** A copy of the call with the moved positions of other files' definitions applied (its own positions never move here). */
export function moveCall(call: CallRecord, moves: PositionMoves): CallRecord {
  const copy = structuredClone(call);
  patch(copy.facts, moves);
  const def = copy.facts.definition;
  if (def && copy.via !== undefined) {
    const line = moves.lines.get(`${def.file}:${def.name}:${def.line}`);
    if (line !== undefined) {
      copy.via = copy.via.replace(`(${def.file}:${def.line})`, `(${def.file}:${line})`);
      def.line = line;
    }
  }
  return copy;
}

function patch(value: unknown, moves: PositionMoves): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) patch(item, moves);
    return;
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj.file === 'string' && isSpan(obj.span)) {
    const to = moves.spans.get(`${obj.file}:${obj.span.start}:${obj.span.end}`);
    if (to) obj.span = { ...to };
  }
  for (const [key, child] of Object.entries(obj)) if (key !== 'span' && key !== 'definition') patch(child, moves);
}
