// Decides where each file and each call runs (docs/design.md §4): own signals, import-graph propagation, overrides.
import picomatch from 'picomatch';
import type { ImportRecord } from '../graph/imports';
import type { Context, Evidence, Runtime, Span } from '../model/types';
import type { ContextHint, FileSignals, FunctionUses, Region } from './shapes';

export type { ContextHint, FileSignals, Region } from './shapes';

/** One import or re-export of a module, resolved, with the names it takes (for propagation through barrels). */
export interface ImportEdge {
  target: string;
  /** `import`: the module's own code uses the target; `reexport`: it only passes the target's names on. */
  kind: 'import' | 'reexport';
  /**
   * `imported`: the target's export (`default`, `*` for a namespace); `local`: for re-exports, the name this
   * module exports it as. Null: the whole module (require, dynamic import); empty: a side-effect import.
   */
  names: { imported: string; local: string }[] | null;
  /** `export * from 'x'`: every name of the target that this module does not export itself. */
  star?: boolean;
}

export interface ClassifyInput {
  files: Map<string, FileSignals>;
  /** Files `rel` imports, resolved to workspace-relative paths. */
  imports: (rel: string) => string[];
  /** Files that import `rel`. */
  importers: (rel: string) => string[];
  /** `apiAtlas.runtimeOverrides`: glob → runtime; when several match, the last one listed wins. */
  overrides: Record<string, Runtime>;
  /**
   * Optional: the import edges of `rel` with the names they take (see `importEdgesOf`). With them, a module
   * behind a barrel (`index.ts` of `export *` lines) is reached only from importers that use one of its names,
   * so one client import of a barrel does not make every server helper behind it isomorphic. Without them,
   * `imports` is followed module by module.
   */
  importEdges?: (rel: string) => ImportEdge[];
}

/** The edges of one module from its import records, with `resolve` mapping a specifier to a workspace file. */
export function importEdgesOf(records: readonly ImportRecord[], resolve: (specifier: string) => string | null | undefined): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const r of records) {
    if (r.typeOnly) continue;
    const target = resolve(r.specifier);
    if (!target) continue;
    if (r.kind === 'export') {
      edges.push(r.star && r.names.length === 0 ? { target, kind: 'reexport', names: null, star: true } : { target, kind: 'reexport', names: r.names.map((n) => ({ ...n })) });
    } else if (r.kind === 'import') {
      edges.push({ target, kind: 'import', names: r.names.map((n) => ({ ...n })) });
    } else if (r.kind === 'side-effect') {
      edges.push({ target, kind: 'import', names: [] });
    } else {
      edges.push({ target, kind: 'import', names: null });
    }
  }
  return edges;
}

export interface FileClassification {
  runtime: Runtime;
  context: Context;
  confidence: number;
  evidence: Evidence[];
  /** Top-level functions that run elsewhere than the file as a whole, decided from where they are called. */
  functions?: { name: string; span: Span; placement: FileClassification }[];
}

/** Own evidence at least this strong decides a file by itself and makes it a source for propagation. */
export const DECISIVE = 0.6;
/** Evidence at most this heavy (a package's dependencies) never decides a file on its own. */
const WEAK = 0.3;
const PROPAGATED_WEIGHT = 0.7;
/** At most this many intermediate modules are named in an import-path sentence. */
const MAX_PATH_SHOWN = 4;

/** Combines independent pieces of evidence for one side: two 0.5 signals make 0.75. */
function noisyOr(weights: number[]): number {
  let miss = 1;
  for (const w of weights) miss *= 1 - Math.min(1, Math.max(0, w));
  return 1 - miss;
}

interface OwnDecision {
  runtime: Runtime;
  confidence: number;
  /** How strong the winning side's evidence is; ≥ DECISIVE makes the file a propagation source. */
  strength: number;
  context: Context;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Weighs a file's own evidence. Isomorphic evidence does not contradict either side; frontend vs backend does. */
export function decideOwn(signals: Pick<FileSignals, 'evidence' | 'contexts'>): OwnDecision {
  const side = { frontend: [] as number[], backend: [] as number[], isomorphic: [] as number[] };
  const strong = { frontend: [] as number[], backend: [] as number[], isomorphic: [] as number[] };
  for (const e of signals.evidence) {
    if (e.runtime === 'unknown') continue;
    side[e.runtime].push(e.weight);
    if (e.weight > WEAK) strong[e.runtime].push(e.weight);
  }
  const fe = noisyOr(side.frontend);
  const be = noisyOr(side.backend);
  const iso = noisyOr(side.isomorphic);
  const top = Math.max(fe, be, iso);
  if (top === 0) return { runtime: 'unknown', confidence: 0, strength: 0, context: 'unknown' };
  let runtime: Runtime;
  let confidence: number;
  if (iso === top) {
    runtime = 'isomorphic';
    confidence = iso;
  } else if (Math.min(fe, be) >= 0.5 && Math.abs(fe - be) < 0.2) {
    // Strong signals for both sides and neither clearly wins: code meant for both, or a mix to look at.
    runtime = 'isomorphic';
    confidence = 0.45;
  } else if (fe > be) {
    runtime = 'frontend';
    confidence = fe * (1 - 0.5 * be);
  } else {
    runtime = 'backend';
    confidence = be * (1 - 0.5 * fe);
  }
  // Weak evidence (package dependencies) colours the result but never makes a file a propagation source.
  const strength =
    runtime === 'isomorphic' ? Math.max(noisyOr(strong.isomorphic), Math.min(noisyOr(strong.frontend), noisyOr(strong.backend))) : noisyOr(strong[runtime]);
  return { runtime, confidence: round(confidence), strength, context: pickContext(signals.contexts, runtime) };
}

function pickContext(hints: ContextHint[], runtime: Runtime): Context {
  let best: ContextHint | undefined;
  for (const h of hints) if (h.runtime === runtime && (!best || h.weight > best.weight)) best = h;
  if (best) return best.context;
  return runtime === 'isomorphic' ? 'shared-module' : 'unknown';
}

/** Short names of the strongest signal of a propagation source, for "imported by X ('use client')". */
const SOURCE_LABELS: Record<string, string> = {
  'use-client-directive': "'use client'",
  'use-server-directive': "'use server'",
  'server-only-import': "imports 'server-only'",
  'client-only-import': "imports 'client-only'",
  'next-server-component': 'a Next.js server component',
  'next-client-convention': 'a Next.js client component',
  'next-route-handler': 'a Next.js route handler',
  'next-middleware': 'Next.js middleware',
  'next-pages-api': 'a Next.js API route',
  'next-pages-page': 'a Next.js page',
  'next-server-import': 'imports next/headers',
  'sveltekit-server-route': 'a SvelteKit server route',
  'sveltekit-universal-load': 'a SvelteKit universal load',
  'sveltekit-component': 'a Svelte component',
  'sveltekit-server-module': 'a SvelteKit server module',
  'sveltekit-client-hooks': 'SvelteKit client hooks',
  'nuxt-server-dir': 'the Nuxt server',
  'nuxt-component': 'a Nuxt page or component',
  'remix-route': 'a Remix route module',
  'astro-endpoint': 'an Astro endpoint',
  'server-module-suffix': 'a .server module',
  'client-module-suffix': 'a .client module',
  'html-entry': 'the index.html entry script',
  'cra-entry': 'the Create React App entry',
  'package-bin': 'a package bin',
  'package-main': 'the server package main',
  'node-server': 'a Node server',
  'server-framework-import': 'a server framework module',
  'node-script': 'a Node script',
  'node-dotenv': 'loads .env files with dotenv',
  'node-builtins': 'uses Node-only modules',
  'node-globals': 'uses Node-only globals',
  'browser-api': 'uses browser APIs',
  'react-hooks': 'a React component',
  'vue-component': 'a Vue component',
  'svelte-component': 'a Svelte component',
  'service-worker': 'a service worker',
  'web-worker': 'a Web Worker',
  'edge-worker': 'an edge worker',
  'build-config': 'build configuration',
  'runtime-override': 'a runtime override',
  'react-native': 'a React Native app',
  'browser-extension': 'a browser extension script',
};

function sourceLabel(evidence: Evidence[]): string {
  for (const e of evidence) {
    const label = SOURCE_LABELS[e.signal];
    if (label) return label;
  }
  return evidence[0]?.signal ?? 'unknown';
}

const RUNS_WHERE: Record<Runtime, string> = {
  frontend: 'in the browser',
  backend: 'on the server',
  isomorphic: 'in the browser and on the server',
  unknown: 'somewhere unknown',
};

/** Contexts that describe a whole environment, which modules imported from there share. */
const INHERITED_CONTEXTS = new Set<Context>([
  'next-client-component',
  'next-server-component',
  'next-route-handler',
  'next-middleware',
  'next-server-action',
  'next-pages-api',
  'sveltekit-server',
  'nuxt-server',
  'remix-server',
  'react-router-route',
  'astro-server',
  'spa',
  'service-worker',
  'web-worker',
  'node-server',
  'node-script',
  'edge-worker',
  'mobile-app',
  'extension-background',
  'extension-content-script',
  'extension-page',
]);

interface Source {
  runtime: Runtime;
  context: Context;
  confidence: number;
  label: string;
}

interface Reach {
  /** rel → the importer it was first reached from (BFS parent); sources map to themselves. */
  parent: Map<string, string>;
  depth: Map<string, number>;
}

/** Names a module is needed for: `all` (its whole surface) or a set of export names. */
type Needed = 'all' | Set<string>;

/** Adds `more` to `current`; returns the union and whether it grew. */
function mergeNeeded(current: Needed | undefined, more: Needed): { needed: Needed; grew: boolean } {
  if (current === undefined) return { needed: more === 'all' ? 'all' : new Set(more), grew: true };
  if (current === 'all') return { needed: current, grew: false };
  if (more === 'all') return { needed: 'all', grew: true };
  let grew = false;
  for (const n of more) {
    if (!current.has(n)) {
      current.add(n);
      grew = true;
    }
  }
  return { needed: current, grew };
}

/** The names `more` adds to `current` (before merging them), or null when it adds none. */
function addedNames(current: Needed, more: Needed): Needed | null {
  if (current === 'all') return null;
  if (more === 'all') return 'all';
  let added: Set<string> | null = null;
  for (const n of more) if (!current.has(n)) (added ??= new Set()).add(n);
  return added;
}

/** What an `import` edge takes from its target: the imported names, or everything for a namespace/require. */
function importedNames(edge: ImportEdge): Needed {
  if (edge.names === null || edge.names.some((n) => n.imported === '*')) return 'all';
  return new Set(edge.names.map((n) => n.imported));
}

/**
 * The names a module passes on through one re-export edge, given the names it is needed for; null when the
 * edge is not used. `export *` passes what the module does not export itself, narrowed to the target's own
 * exports when they are known and the target is not a barrel of its own.
 */
function reexportedNames(edge: ImportEdge, needed: Needed, from: string, info: (rel: string) => ModuleNames): Needed | null {
  if (edge.names !== null) {
    const used = needed === 'all' ? edge.names : edge.names.filter((n) => needed.has(n.local));
    if (used.length === 0) return null;
    return used.some((n) => n.imported === '*') ? 'all' : new Set(used.map((n) => n.imported));
  }
  if (needed === 'all') return 'all';
  const own = info(from).ownOrReexported;
  let passed = [...needed].filter((n) => !own.has(n) && n !== 'default');
  const target = info(edge.target);
  const targetExports = target.exports;
  if (targetExports && !target.isBarrel) passed = passed.filter((n) => targetExports.has(n));
  return passed.length > 0 ? new Set(passed) : null;
}

/** What reexportedNames needs of a module, worked out once per module and propagation (barrels are asked per name set). */
interface ModuleNames {
  /** Names it exports itself or re-exports by name. */
  ownOrReexported: ReadonlySet<string>;
  /** Its own export names, when known. */
  exports: ReadonlySet<string> | null;
  /** Whether it re-exports anything. */
  isBarrel: boolean;
}

function moduleNamesOf(input: ClassifyInput, edgesOf: (rel: string) => ImportEdge[]): (rel: string) => ModuleNames {
  const cache = new Map<string, ModuleNames>();
  return (rel) => {
    let names = cache.get(rel);
    if (!names) {
      const exportNames = input.files.get(rel)?.exportNames;
      const ownOrReexported = new Set(exportNames ?? []);
      let isBarrel = false;
      for (const e of edgesOf(rel)) {
        if (e.kind !== 'reexport') continue;
        isBarrel = true;
        if (e.names) for (const n of e.names) ownOrReexported.add(n.local);
      }
      names = { ownOrReexported, exports: exportNames ? new Set(exportNames) : null, isBarrel };
      cache.set(rel, names);
    }
    return names;
  };
}

/**
 * Breadth-first from the sources through modules without a decisive signal of their own. With import edges,
 * each module is reached for the names its importers use, and re-exports are followed only for those names.
 */
function propagate(seeds: string[], stopAt: (rel: string) => boolean, input: ClassifyInput, browserSide = false): Reach {
  const parent = new Map<string, string>();
  const depth = new Map<string, number>();
  const needed = new Map<string, Needed>();
  const edgesOf = input.importEdges ?? ((rel: string) => input.imports(rel).map((target): ImportEdge => ({ target, kind: 'import', names: null })));
  const info = moduleNamesOf(input, edgesOf);
  const queue: string[] = [];
  for (const s of seeds) {
    parent.set(s, s);
    depth.set(s, 0);
    needed.set(s, 'all');
    queue.push(s);
  }
  // Names that reached a module since it was last processed: a barrel that many importers reach is processed
  // again for the names each one adds, not for all of them each time.
  const pending = new Map<string, Needed>();
  for (const s of seeds) pending.set(s, 'all');
  const reach = (from: string, to: string, names: Needed): void => {
    if (to === from || !input.files.has(to) || stopAt(to)) return;
    const before = needed.get(to);
    const added = before === undefined ? null : addedNames(before, names);
    const merged = mergeNeeded(before, names);
    needed.set(to, merged.needed);
    if (!parent.has(to)) {
      parent.set(to, from);
      depth.set(to, depth.get(from)! + 1);
      queue.push(to);
      pending.set(to, merged.needed);
    } else if (merged.grew && added !== null) {
      const waiting = pending.get(to);
      if (waiting === undefined) {
        pending.set(to, added);
        queue.push(to); // new names to route through its re-exports
      } else {
        pending.set(to, mergeNeeded(waiting, added).needed);
      }
    }
  };
  for (let head = 0; head < queue.length; head++) {
    const from = queue[head];
    const names = pending.get(from);
    if (names === undefined) continue;
    pending.delete(from);
    const serverOnly = browserSide ? input.files.get(from)?.serverOnlyImports : undefined;
    for (const edge of edgesOf(from)) {
      if (edge.kind === 'import') {
        if (serverOnly && edge.names && edge.names.length > 0 && edge.names.every((n) => serverOnly.includes(n.local))) continue; // only the loader uses it
        reach(from, edge.target, importedNames(edge));
      } else {
        const passed = reexportedNames(edge, names, from, info);
        if (passed) reach(from, edge.target, passed);
      }
    }
  }
  return { parent, depth };
}

/** The source a file was reached from and the modules in between, nearest first. */
function pathTo(reach: Reach, rel: string): { source: string; via: string[] } {
  const via: string[] = [];
  let at = reach.parent.get(rel)!;
  while (reach.parent.get(at) !== at) {
    via.push(at);
    at = reach.parent.get(at)!;
  }
  return { source: at, via: via.reverse() };
}

function describePath(source: string, label: string, via: string[]): string {
  let text = `imported by ${source} (${label})`;
  if (via.length > 0) {
    const shown = via.length > MAX_PATH_SHOWN ? [...via.slice(0, 2), '…', ...via.slice(-1)] : via;
    text += ` via ${shown.join(' → ')}`;
  }
  return text;
}

const overrideMatcherCache = new Map<string, { glob: string; runtime: Runtime; match: (rel: string) => boolean }[]>();

function overrideMatchers(overrides: Record<string, Runtime>) {
  const key = JSON.stringify(overrides);
  let matchers = overrideMatcherCache.get(key);
  if (!matchers) {
    matchers = Object.entries(overrides).map(([glob, runtime]) => ({ glob, runtime, match: picomatch(glob, { dot: true }) }));
    if (overrideMatcherCache.size > 20) overrideMatcherCache.clear();
    overrideMatcherCache.set(key, matchers);
  }
  return matchers;
}

/** The `runtimeOverrides` entry that decides a file (the last matching glob), or null. Matchers are compiled once per settings. */
export function runtimeOverrideFor(rel: string, overrides: Record<string, Runtime>): { glob: string; runtime: Runtime } | null {
  let found: { glob: string; runtime: Runtime } | null = null;
  for (const m of overrideMatchers(overrides)) if (m.match(rel)) found = m;
  return found;
}

/**
 * Classifies every file: overrides first, then a file's own decisive evidence, then the runtime of the
 * sources that reach it through the import graph, then its weak evidence, else `unknown` with the reason.
 * Linear in files + imports, so it can run again after every edit.
 */
export function classifyFiles(input: ClassifyInput): Map<string, FileClassification> {
  const result = new Map<string, FileClassification>();
  const sources = new Map<string, Source>();
  const own = new Map<string, OwnDecision>();

  for (const [rel, signals] of input.files) {
    const decision = decideOwn(signals);
    own.set(rel, decision);
    const forced = runtimeOverrideFor(rel, input.overrides);
    if (forced) {
      const evidence: Evidence[] = [
        {
          signal: 'runtime-override',
          detail: `apiAtlas.runtimeOverrides maps "${forced.glob}" to ${forced.runtime}`,
          runtime: forced.runtime,
          weight: 1,
        },
        ...signals.evidence,
      ];
      const context = signals.test
        ? 'test'
        : decision.runtime === forced.runtime
          ? decision.context
          : pickContext(signals.contexts, forced.runtime);
      result.set(rel, { runtime: forced.runtime, context, confidence: 1, evidence });
      if (!signals.test && forced.runtime !== 'unknown') {
        sources.set(rel, { runtime: forced.runtime, context, confidence: 1, label: `runtimeOverrides "${forced.glob}"` });
      }
      continue;
    }
    if (signals.test) {
      result.set(rel, {
        runtime: decision.runtime,
        context: 'test',
        confidence: decision.runtime === 'unknown' ? 0 : decision.confidence,
        evidence: signals.evidence,
      });
      continue;
    }
    if (decision.strength >= DECISIVE) {
      result.set(rel, { runtime: decision.runtime, context: decision.context, confidence: decision.confidence, evidence: signals.evidence });
      sources.set(rel, { runtime: decision.runtime, context: decision.context, confidence: decision.confidence, label: sourceLabel(signals.evidence) });
    }
  }

  const isStop = (rel: string) => sources.has(rel) || input.files.get(rel)!.test;
  const seedsFor = (runtime: 'frontend' | 'backend') =>
    [...sources].filter(([, s]) => s.runtime === runtime || s.runtime === 'isomorphic').map(([rel]) => rel);
  const front = propagate(seedsFor('frontend'), isStop, input, true);
  const back = propagate(seedsFor('backend'), isStop, input);
  const testSeeds = [...input.files].filter(([rel, s]) => s.test && !sources.has(rel)).map(([rel]) => rel);
  const tests = propagate(testSeeds, (rel) => isStop(rel) || front.parent.has(rel) || back.parent.has(rel), input);

  for (const [rel, signals] of input.files) {
    if (result.has(rel)) continue;
    const decision = own.get(rel)!;
    const fromFront = front.parent.has(rel);
    const fromBack = back.parent.has(rel);
    if (fromFront || fromBack) {
      result.set(rel, propagated(rel, signals, decision, fromFront ? front : null, fromBack ? back : null, sources));
      continue;
    }
    if (tests.parent.has(rel)) {
      const { source, via } = pathTo(tests, rel);
      const evidence: Evidence[] = [
        { signal: 'imported-by-tests', detail: `only test code imports it: ${describePath(source, 'a test', via)}`, runtime: decision.runtime, weight: 0.3 },
        ...signals.evidence,
      ];
      result.set(rel, { runtime: decision.runtime, context: 'test', confidence: round(Math.min(decision.confidence, 0.4)), evidence });
      continue;
    }
    if (decision.runtime !== 'unknown') {
      // Weak evidence only (package dependencies, a hook or two): say so through a low confidence.
      result.set(rel, { runtime: decision.runtime, context: decision.context, confidence: round(Math.min(decision.confidence, 0.45)), evidence: signals.evidence });
      continue;
    }
    result.set(rel, { runtime: 'unknown', context: 'unknown', confidence: 0, evidence: [...signals.evidence, unknownReason(rel, input)] });
  }

  addImporterConflicts(input, result, sources);
  adoptServerContext(input, result);
  placeFunctions(input, result);
  return result;
}

/** What one use of a function says: a side, with the sentence that shows it. */
interface SideReason {
  runtime: 'frontend' | 'backend' | 'isomorphic';
  context: Context;
  detail: string;
}

/**
 * Decides each top-level function of a parsed file from where it is called: the regions and functions of its
 * own file that use it, and the importers that take its exported name (not every importer of the module). A
 * function reached from one side only runs there, even when its module is shared; the evidence names the path.
 * Files whose exports a framework or directive fixes ('use server', 'server-only', .server/.client) are left as they are.
 */
function placeFunctions(input: ClassifyInput, result: Map<string, FileClassification>): void {
  for (const [rel, signals] of input.files) {
    const fns = signals.functions;
    const file = result.get(rel);
    if (!fns || fns.length === 0 || !file || signals.test || signals.directive || signals.boundary || file.context === 'test') continue;
    if (file.evidence[0]?.signal === 'runtime-override') continue;
    if (!fns.some((f) => f.uses.length > 0 || f.exportedAs.length > 0)) continue;
    const byName = new Map(fns.map((f) => [f.name, f]));
    // Worked out on first need: most functions are decided by their own file's uses alone.
    let importerNamesCache: ReturnType<typeof importersByName> | undefined;
    const importerNamesOf = () => (importerNamesCache === undefined ? (importerNamesCache = importersByName(input, rel)) : importerNamesCache);
    const memo = new Map<string, SideReason[] | null>();
    const sidesOf = (fn: FunctionUses, visiting: Set<string>): SideReason[] | null => {
      if (memo.has(fn.name)) return memo.get(fn.name)!;
      if (visiting.has(fn.name)) return [];
      visiting.add(fn.name);
      const out: SideReason[] = [];
      let moduleSide = false;
      for (const use of fn.uses) {
        if (use.kind === 'side') {
          if (use.runtime !== 'unknown') out.push({ runtime: use.runtime, context: use.context, detail: `\`${fn.name}\` is ${use.detail}` });
        } else if (use.kind === 'function') {
          const inner = byName.get(use.name);
          const sides = inner ? sidesOf(inner, visiting) : null;
          if (sides === null) moduleSide = true;
          else for (const s of sides) out.push({ ...s, detail: `\`${fn.name}\` is called by ${s.detail}` });
        } else {
          moduleSide = true;
        }
      }
      for (const name of moduleSide ? [] : fn.exportedAs) {
        const importerNames = importerNamesOf();
        const importers = importerNames === null ? null : importerNames.get(name) ?? [];
        if (importers === null || importerNames?.has('*')) {
          moduleSide = true;
          continue;
        }
        for (const { importer, inLoaderOnly } of importers) {
          const at = result.get(importer);
          if (!at || at.context === 'test' || (at.runtime !== 'frontend' && at.runtime !== 'backend' && at.runtime !== 'isomorphic')) continue;
          if (inLoaderOnly) {
            const nextPage = input.files.get(importer)?.evidence.some((e) => e.signal === 'next-pages-page');
            out.push({ runtime: 'backend', context: nextPage ? 'next-pages-data' : 'remix-server', detail: `\`${fn.name}\` is used only in the server exports of ${importer}` });
          }
          else out.push({ runtime: at.runtime, context: at.context, detail: `\`${fn.name}\` is imported by ${importer}, which runs ${RUNS_WHERE[at.runtime]}` });
        }
      }
      visiting.delete(fn.name);
      // A use that says nothing more than "the module" makes the function as shared as its module.
      const sides = moduleSide ? null : out;
      memo.set(fn.name, sides);
      return sides;
    };
    const placed: NonNullable<FileClassification['functions']> = [];
    for (const fn of fns) {
      const sides = sidesOf(fn, new Set());
      if (!sides || sides.length === 0) continue; // never called here nor imported by name: the framework calls it
      const front = sides.some((s) => s.runtime !== 'backend');
      const back = sides.some((s) => s.runtime !== 'frontend');
      const runtime: Runtime = front && back ? 'isomorphic' : front ? 'frontend' : 'backend';
      if (runtime === file.runtime) continue;
      const shown = [...new Set(sides.map((s) => s.detail))];
      const context = runtime === 'isomorphic' ? 'shared-module' : sides.find((s) => s.runtime === runtime)!.context;
      const detail = `${shown.slice(0, 3).join('; ')}${shown.length > 3 ? `; and ${shown.length - 3} more` : ''}: it runs ${RUNS_WHERE[runtime]}${runtime === 'isomorphic' ? '' : ' only'}`;
      placed.push({
        name: fn.name,
        span: fn.span,
        placement: {
          runtime,
          context: runtime === 'isomorphic' || (context !== 'unknown' && context !== 'shared-module') ? context : pickContext(signals.contexts, runtime),
          confidence: runtime === 'isomorphic' ? 0.7 : 0.8,
          evidence: [{ signal: 'function-reachability', detail, runtime, weight: 0.8 }, ...file.evidence],
        },
      });
    }
    if (placed.length > 0) result.set(rel, { ...file, functions: placed });
  }
}

/** Importers of `rel` by the export name they take; `*` when one takes the whole module; null when edges are unknown. */
function importersByName(input: ClassifyInput, rel: string): Map<string, { importer: string; inLoaderOnly: boolean }[]> | null {
  if (!input.importEdges) return null;
  const out = new Map<string, { importer: string; inLoaderOnly: boolean }[]>();
  const add = (name: string, importer: string, inLoaderOnly = false) => {
    const list = out.get(name);
    if (list) list.push({ importer, inLoaderOnly });
    else out.set(name, [{ importer, inLoaderOnly }]);
  };
  for (const importer of input.importers(rel)) {
    const signals = input.files.get(importer);
    if (!signals) continue;
    for (const edge of input.importEdges(importer)) {
      if (edge.target !== rel) continue;
      if (edge.kind === 'reexport' || edge.names === null) add('*', importer);
      else for (const n of edge.names) add(n.imported, importer, signals.serverOnlyImports?.includes(n.local) ?? false);
    }
  }
  return out;
}

/** Server contexts a module imported from there runs in too (a request handler's helpers are part of the server). */
const SERVER_CONTEXTS = new Set<Context>([
  'node-server',
  'edge-worker',
  'next-route-handler',
  'next-pages-api',
  'next-middleware',
  'next-server-action',
  'remix-server',
  'sveltekit-server',
  'nuxt-server',
  'astro-server',
]);

/**
 * `node-script` comes from Node-only APIs (`fs`, `__dirname`), which server modules use as much as scripts do.
 * A module that says so only through those APIs (it is no entry: no `#!`, `bin`, `require.main`, `main()`) and
 * that a server module imports is part of that server: it takes the server's context, with the importer named.
 */
function adoptServerContext(input: ClassifyInput, result: Map<string, FileClassification>): void {
  const queue = [...result].filter(([rel, c]) => (c.runtime === 'backend' ? SERVER_CONTEXTS : EXTENSION_CONTEXTS).has(c.context) && !input.files.get(rel)!.test).map(([rel]) => rel);
  for (let head = 0; head < queue.length; head++) {
    const importer = queue[head];
    const { context, runtime } = result.get(importer)!;
    // The generic context that API use alone gives each side: a script on the server, a page app in the browser.
    const generic: Context = runtime === 'backend' ? 'node-script' : 'spa';
    for (const target of input.imports(importer)) {
      const signals = input.files.get(target);
      const own = result.get(target);
      if (!signals || !own || signals.entry || signals.test || own.context !== generic || own.runtime !== runtime) continue;
      if (own.evidence[0]?.signal === 'runtime-override') continue;
      own.context = context;
      own.evidence = [
        runtime === 'backend'
          ? { signal: 'imported-by-server', detail: `${importer} imports it and runs as ${CONTEXT_PHRASE[context] ?? context}: its Node-only APIs serve that server, it is not a script of its own`, runtime, weight: 0.5 }
          : { signal: context === 'react-router-route' ? 'imported-by-route' : context === 'web-worker' ? 'imported-by-worker' : 'imported-by-extension', detail: `${importer} imports it and runs as ${CONTEXT_PHRASE[context] ?? context}: its browser APIs run there`, runtime, weight: 0.5 },
        ...own.evidence,
      ];
      queue.push(target);
    }
  }
}

/** Browser contexts more precise than a page app, which a module imported from there shares. */
const EXTENSION_CONTEXTS = new Set<Context>(['extension-background', 'extension-content-script', 'extension-page', 'react-router-route', 'web-worker']);

const CONTEXT_PHRASE: Partial<Record<Context, string>> = {
  'extension-background': "a browser extension's background script",
  'extension-content-script': "a browser extension's content script",
  'extension-page': "a browser extension's own page",
  'react-router-route': 'the browser side of a React Router route module',
  'web-worker': 'a Web Worker',
  'node-server': 'a Node server',
  'edge-worker': 'an edge worker',
  'next-route-handler': 'a Next.js route handler',
  'next-pages-api': 'a Next.js API route',
  'next-middleware': 'Next.js middleware',
  'next-server-action': 'a server action',
  'remix-server': 'server code of a React Router/Remix app',
  'sveltekit-server': 'SvelteKit server code',
  'nuxt-server': 'the Nuxt server',
  'astro-server': 'an Astro endpoint',
};

function unknownReason(rel: string, input: ClassifyInput): Evidence {
  const importers = input.importers(rel).filter((r) => input.files.has(r));
  const detail =
    importers.length === 0
      ? 'nothing decides where it runs: no directive, framework convention, browser- or Node-only API, and no file imports it'
      : `nothing decides where it runs: no signal of its own, and the files that import it (${importers.slice(0, 3).join(', ')}${importers.length > 3 ? ', …' : ''}) are not reached from any entry point either`;
  // Say what the user can do about it: the entry the engine missed, or an override.
  const advice = ' If it runs somewhere, its entry point (a route config, index.html script, package.json main or bin) is not one the engine knows: map the file with apiAtlas.runtimeOverrides.';
  return { signal: 'no-signal', detail: `${detail}.${advice}`, runtime: 'unknown', weight: 0 };
}

function propagated(
  rel: string,
  signals: FileSignals,
  decision: OwnDecision,
  front: Reach | null,
  back: Reach | null,
  sources: Map<string, Source>,
): FileClassification {
  const paths: { reach: Reach; side: 'frontend' | 'backend' }[] = [];
  if (front) paths.push({ reach: front, side: 'frontend' });
  if (back) paths.push({ reach: back, side: 'backend' });
  const evidence: Evidence[] = [];
  const seen = new Set<string>();
  let sourceConfidence = 1;
  let depth = 0;
  let context: Context = 'shared-module';
  for (const { reach, side } of paths) {
    const { source, via } = pathTo(reach, rel);
    const info = sources.get(source)!;
    sourceConfidence = Math.min(sourceConfidence, info.confidence);
    depth = Math.max(depth, reach.depth.get(rel)!);
    context = info.context;
    const key = `${source}|${via.join('|')}`;
    if (seen.has(key)) continue; // an isomorphic source reaches it on both sides by the same path
    seen.add(key);
    // An isomorphic source that reaches it on one side only: its browser side was cut (only a loader uses the import).
    const cut = info.runtime === 'isomorphic' && !(front && back);
    const runtime: Runtime = info.runtime === 'isomorphic' && !cut ? 'isomorphic' : side;
    if (cut && side === 'backend') context = info.context === 'ssr-component' ? 'next-pages-data' : 'remix-server';
    evidence.push({
      signal: 'import-graph',
      detail: cut
        ? `${describePath(source, info.label, via)}, which uses it only in its server exports (loader, action, getServerSideProps, getStaticProps): it runs on the server`
        : `${describePath(source, info.label, via)}, which runs ${RUNS_WHERE[runtime]}`,
      runtime,
      weight: PROPAGATED_WEIGHT,
    });
  }
  const runtime: Runtime = front && back ? 'isomorphic' : front ? 'frontend' : 'backend';
  if (runtime === 'isomorphic') context = 'shared-module';
  else if (!INHERITED_CONTEXTS.has(context) && context !== 'next-pages-data') context = pickContext(signals.contexts, runtime);
  // The file's own context is more precise than the importer's, unless only weak evidence (its package's dependencies) gives it.
  const ownContextHeard = signals.contexts.some((h) => h.context === decision.context && h.runtime === runtime && h.weight > WEAK);
  if (runtime !== 'isomorphic' && decision.runtime === runtime && decision.context !== 'unknown' && (ownContextHeard || !INHERITED_CONTEXTS.has(context))) context = decision.context;

  let confidence = Math.min(sourceConfidence, 0.85) - 0.04 * Math.max(0, depth - 1);
  if (decision.runtime !== 'unknown') {
    // The file's own weak evidence agrees (raise a little) or disagrees (lower and keep it visible).
    confidence += decision.runtime === runtime ? 0.05 : -0.15;
  }
  return {
    runtime,
    context,
    confidence: round(Math.min(0.95, Math.max(0.3, confidence))),
    evidence: [...evidence, ...signals.evidence],
  };
}

/**
 * A module decided by API use alone (not a directive, boundary or framework entry) that is imported from the
 * other side is worth a second look: keep its runtime, add the importer as evidence, lower the confidence.
 */
function addImporterConflicts(input: ClassifyInput, result: Map<string, FileClassification>, sources: Map<string, Source>): void {
  for (const [rel, source] of sources) {
    const signals = input.files.get(rel)!;
    if (signals.directive || signals.boundary || signals.entry || source.label.startsWith('runtimeOverrides')) continue;
    if (source.runtime !== 'frontend' && source.runtime !== 'backend') continue;
    const opposite: Runtime = source.runtime === 'frontend' ? 'backend' : 'frontend';
    const importer = input.importers(rel).find((r) => result.get(r)?.runtime === opposite && !input.files.get(r)?.test);
    if (!importer) continue;
    const own = result.get(rel)!;
    own.evidence = [
      ...own.evidence,
      {
        signal: 'imported-from-other-side',
        detail: `but ${importer} imports it, and that file runs on the ${opposite === 'frontend' ? 'browser' : 'server'} side`,
        runtime: opposite,
        weight: 0.3,
      },
    ];
    own.confidence = round(own.confidence * 0.8);
  }
}

/** The runtime of one call: the innermost region around it wins, else the file's classification. */
export function classifyCall(file: FileClassification, signals: FileSignals, span: Span): FileClassification {
  if (file.evidence[0]?.signal === 'runtime-override' || file.context === 'test') return file;
  let inner: Region | undefined;
  for (const region of signals.regions) {
    if (region.span.start <= span.start && span.end <= region.span.end) {
      if (!inner || region.span.end - region.span.start < inner.span.end - inner.span.start) inner = region;
    }
  }
  if (!inner) {
    let fn: NonNullable<FileClassification['functions']>[number] | undefined;
    for (const f of file.functions ?? []) if (f.span.start <= span.start && span.end <= f.span.end) fn = f;
    return fn ? fn.placement : file;
  }
  return {
    runtime: inner.runtime,
    context: inner.context,
    // A region that agrees with its file is at least as certain as the file.
    confidence: inner.runtime === file.runtime ? Math.max(inner.confidence, file.confidence) : inner.confidence,
    evidence: [...inner.evidence, ...file.evidence],
  };
}
