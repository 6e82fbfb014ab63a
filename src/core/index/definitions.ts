// Cross-file definitions: files learn the instances and wrappers they import, and are re-detected when those change.
import { libraryTable, type HttpShape } from '../detect';
import { mayContainCall, mayUseDefinition, wrapperNeedles } from './analyze';
import { analyze, applyResult, externalsFor, type IndexContext } from './context';
import { moveCall, positionalMoves } from './positions';
import type { FileState } from './store';

/** How many rounds instance/wrapper definitions travel through imports (a wrapper of an imported wrapper of ...). */
const MAX_CROSS_FILE_ROUNDS = 4;

/**
 * Gives files the instances and wrappers they import and re-detects those whose imported definitions
 * changed; repeats while new definitions appear (wrappers of imported wrappers), at most a few rounds.
 * `scope` limits the files looked at (an edit's dependents); null means all. Returns files re-detected.
 */
export function propagateDefinitions(ctx: IndexContext, scope: Set<string> | null, textOf: (rel: string) => string | undefined): Set<string> {
  const touched = new Set<string>();
  const needles = wrapperNeedles(ctx.settings.wrappers);
  let pending: Set<string> | null = scope;
  for (let round = 0; round < MAX_CROSS_FILE_ROUNDS; round++) {
    // Nothing to look at (a change no file's imported definitions depend on): the exporting files, which take
    // resolving every re-export of the workspace, are not needed.
    if (pending && pending.size === 0) break;
    const exporting = ctx.graph.exportingFiles();
    const changedExports = new Set<string>();
    const candidates = pending ? [...pending] : [...ctx.store.files.keys()];
    for (const rel of candidates) {
      const f = ctx.store.files.get(rel);
      if (!f || !f.deps.some((d) => exporting.has(d))) {
        if (f && f.externalsKey !== '' && f.externalsKey !== '{}') redetect(ctx, f, {}, textOf, needles, changedExports, touched);
        continue;
      }
      const ext = externalsFor(ctx, f);
      const key = JSON.stringify(ext);
      if (key === f.externalsKey) continue;
      redetect(ctx, f, ext, textOf, needles, changedExports, touched);
    }
    if (changedExports.size === 0) break;
    pending = new Set<string>();
    for (const rel of changedExports) for (const imp of ctx.graph.importersClosure(rel)) pending.add(imp);
  }
  return touched;
}

function redetect(
  ctx: IndexContext,
  f: FileState,
  ext: Record<string, HttpShape>,
  textOf: (rel: string) => string | undefined,
  needles: string[],
  changedExports: Set<string>,
  touched: Set<string>,
): void {
  const key = JSON.stringify(ext);
  const names = Object.keys(ext);
  // An imported definition that only moved in its file (a line added above it): update the calls through it
  // in place. A file that exports definitions itself is re-detected, as its own may embed the moved ones.
  if (f.parsed && f.externalsKey !== '' && Object.keys(f.exports).length === 0) {
    const moves = positionalMoves(JSON.parse(f.externalsKey), JSON.parse(key));
    if (moves) {
      f.calls = f.calls.map((c) => moveCall(c, moves));
      ctx.store.callsChanged();
      f.externalsKey = key;
      touched.add(f.rel);
      return;
    }
  }
  const text = textOf(f.rel);
  if (text === undefined) return;
  if (!f.parsed && !names.some((n) => mayUseDefinition(text, n))) {
    f.externalsKey = key;
    return;
  }
  const before = JSON.stringify(f.exports);
  // The text did not change, only what it imports: its signals still hold, but for the regions when the parse
  // was focused on other names (which statements it keeps depends on the imported names; see focusText). With
  // the same names the focused text, its tree and so its signals are those of the last analysis.
  const sameNames = f.parsed && f.externalsKey !== '' && sameKeys(JSON.parse(f.externalsKey) as Record<string, unknown>, ext);
  const signals = f.parsed && (!ctx.focus || sameNames) ? (f.signals ?? undefined) : undefined;
  const result = analyze(ctx, { focus: ctx.focus, clients: ctx.settings.clients, rel: f.rel, text, parse: mayContainCall(text, needles, names, libraryTable(ctx.settings.clients)), externals: ext, signals }, null, true);
  applyResult(ctx, result, text, key);
  touched.add(f.rel);
  if (JSON.stringify(f.exports) !== before) changedExports.add(f.rel);
}

function sameKeys(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => k in b);
}
