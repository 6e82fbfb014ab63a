// Turns the scans of several roots into one scan result whose root is their common parent folder.
import * as path from 'node:path';
import type { ScanResult } from '../core/model';

/** The deepest folder containing every path (absolute paths in, absolute path out). */
export function commonAncestor(paths: readonly string[]): string {
  if (paths.length === 0) throw new Error('commonAncestor needs at least one path');
  let common = path.resolve(paths[0]);
  for (const p of paths.slice(1)) {
    const abs = path.resolve(p);
    while (!isInside(abs, common)) {
      const parent = path.dirname(common);
      if (parent === common) return common; // different drives on Windows: the first root's filesystem root
      common = parent;
    }
  }
  return common;
}

/** True when `child` is `parent` or below it. */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Drops roots that another given root already contains (they would be scanned twice) and exact duplicates,
 * keeping the order given. Returns what was dropped so the caller can say so.
 */
export function dedupeRoots(roots: readonly string[]): { roots: string[]; dropped: { root: string; within: string }[] } {
  const unique = [...new Set(roots)];
  const kept: string[] = [];
  const dropped: { root: string; within: string }[] = roots
    .filter((root, index) => roots.indexOf(root) !== index)
    .map((root) => ({ root, within: root }));
  for (const root of unique) {
    const container = unique.find((other) => other !== root && isInside(root, other));
    if (container === undefined) kept.push(root);
    else dropped.push({ root, within: container });
  }
  return { roots: kept, dropped };
}

/**
 * One result for several roots: files and skipped paths become relative to the common ancestor, stats add up,
 * and `durationMs` is the wall time of all scans. Call ids stay as the engine made them unless two collide.
 */
export function combineResults(results: readonly ScanResult[], durationMs: number): ScanResult {
  if (results.length === 1) return results[0];
  const root = commonAncestor(results.map((r) => r.root));
  const rebase = (resultRoot: string, file: string): string => path.relative(root, path.join(resultRoot, file)).split(path.sep).join('/');
  const seenIds = new Set<string>();
  const combined: ScanResult = {
    tool: 'api-atlas',
    version: results[0].version,
    root,
    calls: [],
    stats: { filesSeen: 0, filesParsed: 0, calls: 0, durationMs, skipped: [] },
  };
  for (const result of results) {
    for (const call of result.calls) {
      const file = rebase(result.root, call.file);
      const id = seenIds.has(call.id) ? `${file}#${call.id}` : call.id;
      seenIds.add(id);
      combined.calls.push({ ...call, id, file });
    }
    combined.stats.filesSeen += result.stats.filesSeen;
    combined.stats.filesParsed += result.stats.filesParsed;
    combined.stats.calls += result.stats.calls;
    combined.stats.skipped.push(...result.stats.skipped.map((s) => ({ ...s, file: rebase(result.root, s.file) })));
  }
  return combined;
}
