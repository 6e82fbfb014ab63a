// One row per request: a wrapper's inner request is the definition its call sites point to, not a row of its own, once any call site is known (DESIGN.md §3); TanStack Query's default queryFn is such a definition for the keys it fetches.
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
    if (inner && used.has(key(inner))) {
      // Listed before its first call site was found (an edit, or a scan's interim rows): no longer.
      delete c.note;
      continue;
    }
    if (inner) c.note = `inner request of ${inner.name} (${inner.file}:${inner.line}); no call site found, so it is listed here`;
    out.push(c);
  }
  return out;
}

/** `GET /api/users/{id}` (`?` for an unknown method), or null when nothing of the URL is known. */
export function endpointOf(method: string | null, template: string | null): string | null {
  return template === null ? null : `${method ?? '?'} ${template}`;
}

/** A QueryClient's default queryFn as the engine resolved it: the function `name` in `file`. */
export interface DefaultQueryFn {
  file: string;
  name: string;
}

/**
 * TanStack Query fetches every key that has no `queryFn` of its own with the QueryClient's default queryFn: its
 * request is their definition. Each such `useQuery` row gets `definition` and `via` pointing to the default
 * nearest to it (the longest shared folder: one QueryClient per app in a monorepo), and the requests inside that
 * function become its inner requests, folded by foldInnerRequests. Links from an earlier run are undone first,
 * so a default that went away leaves nothing behind. Changes the records in place.
 */
export function linkDefaultQueryFns(calls: readonly CallRecord[], defaults: readonly DefaultQueryFn[]): void {
  for (const c of calls) {
    if (c.facts.defaultQueryFn === 'row') {
      delete c.facts.definition;
      delete c.via;
    } else if (c.facts.defaultQueryFn === 'inner') {
      delete c.facts.innerOf;
    }
    delete c.facts.defaultQueryFn;
  }
  const targets: { file: string; name: string; line: number; inner: CallRecord[] }[] = [];
  for (const d of defaults) {
    const inner = calls.filter((c) => c.file === d.file && c.facts.enclosingFunction?.name === d.name && !c.facts.innerOf && c.client !== 'tanstack-query');
    if (inner.length > 0) targets.push({ ...d, line: Math.min(...inner.map((c) => c.range.start.line)), inner });
  }
  if (targets.length === 0) return;
  const used = new Set<(typeof targets)[number]>();
  for (const c of calls) {
    if (c.client !== 'tanstack-query' || c.facts.library?.callbackSpan || c.facts.definition) continue;
    const t = nearest(c.file, targets);
    c.facts.definition = { name: t.name, file: t.file, line: t.line };
    c.via = `${t.name} (${t.file}:${t.line})`;
    c.facts.defaultQueryFn = 'row';
    used.add(t);
  }
  for (const t of used) {
    for (const c of t.inner) {
      c.facts.innerOf = { name: t.name, file: t.file, line: t.line };
      c.facts.defaultQueryFn = 'inner';
    }
  }
}

function nearest<T extends { file: string }>(file: string, targets: readonly T[]): T {
  let best = targets[0];
  let bestLength = -1;
  for (const t of targets) {
    let i = 0;
    while (i < file.length && i < t.file.length && file[i] === t.file[i]) i++;
    if (i > bestLength) {
      best = t;
      bestLength = i;
    }
  }
  return best;
}
