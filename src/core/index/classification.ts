// Where each indexed file and call runs (classification over the module graph), then the rules' findings per call.
import { classifyCall, classifyFiles, classifyOwn, decideOwn, DECISIVE, importEdgesOf, runtimeOverrideFor, type FileClassification, type FileSignals, type ImportEdge } from '../classify';
import type { Evidence } from '../model/types';
import { computeFindings } from '../rules/findings';
import type { FileState } from './store';
import { emptySignals } from './analyze';
import { analyze, textOf, type IndexContext } from './context';

/**
 * Classifies the files whose runtime can matter: files with calls, the files importing them (their runtime
 * is evidence against a call file's own), and upwards through importers until a file decides its runtime
 * by itself (it stops propagation) or nothing imports it. Every path the import-graph propagation could take
 * to a call file lies inside that set, so the result for call files is the same as classifying everything,
 * while most files never have their signals computed. Returns how many files were classified.
 */
export function classifyAll(ctx: IndexContext, textOfFile: (rel: string) => string | undefined = (rel) => textOf(ctx, rel)): { signalled: number } {
  const files = ctx.store.files;
  const scope = new Set<string>();
  const queue: string[] = [];
  const add = (rel: string): void => {
    if (scope.has(rel) || !files.has(rel)) return;
    scope.add(rel);
    queue.push(rel);
  };
  for (const f of files.values()) {
    if (!f.calls.length) continue;
    add(f.rel);
    for (const imp of ctx.graph.importersOf(f.rel) ?? []) add(imp);
  }
  const overrides = ctx.settings.runtimeOverrides;
  while (queue.length) {
    const rel = queue.pop()!;
    const signals = signalsOf(ctx, rel, textOfFile);
    // Mirrors classifyFiles' propagation stops; an overridden file is walked through, which only widens the set,
    // and so is a re-exporting file (a barrel): propagation by imported names passes through it.
    const reexports = files.get(rel)!.imports.some((r) => r.kind === 'export' && !r.typeOnly);
    if (signals.test || (!reexports && !runtimeOverrideFor(rel, overrides) && decideOwn(signals).strength >= DECISIVE)) continue;
    for (const imp of ctx.graph.importersOf(rel) ?? []) add(imp);
  }
  const signals = new Map<string, FileSignals>();
  for (const [rel, f] of files) if (scope.has(rel)) signals.set(rel, f.signals!);
  // Propagation asks for a barrel's edges once per name set that reaches it: resolve them once.
  const edgeCache = new Map<string, ImportEdge[]>();
  const classes = classifyFiles({
    files: signals,
    imports: (rel) => files.get(rel)?.deps ?? [],
    importers: (rel) => [...(ctx.graph.importersOf(rel) ?? [])],
    // With the names each import takes, a module behind a barrel is reached only by files that use its exports.
    importEdges: (rel) => {
      let edges = edgeCache.get(rel);
      if (!edges) edgeCache.set(rel, (edges = importEdgesOf(files.get(rel)?.imports ?? [], (specifier) => ctx.graph.resolve(rel, specifier))));
      return edges;
    },
    overrides: ctx.settings.runtimeOverrides,
  });
  for (const [rel, f] of files) f.classification = classes.get(rel);
  ctx.classified = scope;
  return { signalled: scope.size };
}

/** A file's signals, collected from its text the first time classification needs them. */
export function signalsOf(ctx: IndexContext, rel: string, textOfFile: (rel: string) => string | undefined): FileSignals {
  const f = ctx.store.files.get(rel)!;
  if (f.signals) return f.signals;
  const text = textOfFile(rel);
  try {
    // The same per-file analysis as a file without calls gets (its signals from the text alone), so cached too.
    f.signals = text === undefined ? emptySignals(rel) : (analyze(ctx, { rel, text, parse: false, clients: ctx.settings.clients }).signals ?? emptySignals(rel));
  } catch (err) {
    ctx.log(`Cannot read the runtime signals of ${rel}: ${err instanceof Error ? err.message : String(err)}`, 'error');
    f.signals = emptySignals(rel);
  }
  return f.signals;
}

/** Re-runs classification; returns the files with calls whose classification changed. */
export function reclassify(ctx: IndexContext): Set<string> {
  const before = new Map<string, string>();
  for (const f of ctx.store.files.values()) if (f.calls.length) before.set(f.rel, JSON.stringify(f.classification ?? null));
  classifyAll(ctx);
  const changed = new Set<string>();
  for (const [rel, json] of before) {
    const f = ctx.store.files.get(rel)!;
    if (JSON.stringify(f.classification ?? null) !== json) changed.add(rel);
  }
  return changed;
}

/** Runtime per call, then findings; needs the file's text (kept for files with calls). */
export function finishCalls(ctx: IndexContext, f: FileState): void {
  if (!f.calls.length) return;
  const cls = f.classification ?? { runtime: 'unknown', context: 'unknown', confidence: 0, evidence: [] };
  placeCalls(ctx, f, cls, signalsOf(ctx, f.rel, (rel) => textOf(ctx, rel)));
}

/**
 * The interim rows of a scan under way (see InterimRows): a file's calls placed from what the file says by itself
 * (a runtime override, a directive or framework convention, decisive browser or Node APIs, and the regions around
 * each call: effects, handlers, loaders), then their findings. Where only the import graph can tell, the call stays
 * `unknown` and its first evidence says so. The end of the scan places every call again (finishCalls).
 */
export function placeProvisionally(ctx: IndexContext, f: FileState): void {
  if (!f.calls.length) return;
  const signals = f.signals ?? emptySignals(f.rel);
  const cls = classifyOwn(f.rel, signals, ctx.settings.runtimeOverrides)?.classification ?? {
    runtime: 'unknown',
    context: 'unknown',
    confidence: 0,
    evidence: [PLACING, ...signals.evidence],
  };
  placeCalls(ctx, f, cls, signals);
}

/** The first evidence of an interim row whose file does not decide where it runs. */
export const PLACING: Evidence = {
  signal: 'placing',
  detail: 'nothing in its own file decides where it runs: the files that import it do, once the scan has read them',
  runtime: 'unknown',
  weight: 0,
};

function placeCalls(ctx: IndexContext, f: FileState, cls: FileClassification, signals: FileSignals): void {
  for (const call of f.calls) {
    const r = classifyCall(cls, signals, call.facts.span);
    call.runtime = r.runtime;
    call.context = r.context;
    call.confidence = r.confidence;
    call.evidence = r.evidence;
  }
  const text = textOf(ctx, f.rel) ?? '';
  try {
    computeFindings(f.calls, { rel: f.rel, text }, ctx.env, ctx.settings);
  } catch (err) {
    ctx.log(`Rules failed on ${f.rel}: ${err instanceof Error ? err.message : String(err)}`, 'error');
  }
}
