// One row per request: a wrapper's inner request is the definition its call sites point to, not a row of its own, once any call site is known (DESIGN.md §3).
import type { CallRecord } from '../model/types';

function key(d: { name: string; file: string; line: number }): string {
  return `${d.file}\0${d.line}\0${d.name}`;
}

/**
 * Drops the inner request of every wrapper (and every intermediate wrapper level) that some call site in the
 * workspace goes through; an inner request whose wrapper has no known call site stays, with a note saying so,
 * since it is then the only place the request is seen. Returns a new array; the records are not changed except
 * for that note and the endpoint each record carries.
 */
export function foldInnerRequests(calls: readonly CallRecord[]): CallRecord[] {
  const used = new Set<string>();
  for (const c of calls) if (c.facts.definition) used.add(key(c.facts.definition));
  const out: CallRecord[] = [];
  for (const c of calls) {
    const inner = c.facts.innerOf;
    if (inner && used.has(key(inner))) continue;
    if (inner) c.note = `inner request of ${inner.name} (${inner.file}:${inner.line}); no call site found, so it is listed here`;
    out.push(c);
  }
  return out;
}

/** `GET /api/users/{id}` (`?` for an unknown method), or null when nothing of the URL is known. */
export function endpointOf(method: string | null, template: string | null): string | null {
  return template === null ? null : `${method ?? '?'} ${template}`;
}
