// Decides where each file and each call runs (docs/design.md §4): overrides, own signals, import-graph propagation, then the second looks of its collaborators.
import type { Context, Evidence, Runtime, Span } from '../model/types';
import type { FileSignals, Region } from './shapes';
import type { ClassifyInput, FileClassification } from './graph-input';
import { decideOwn, DECISIVE, pickContext, round, WEAK, type OwnDecision } from './own-evidence';
import { describePath, pathTo, propagate, RUNS_WHERE, type Reach, type Source } from './propagation';
import { runtimeOverrideFor } from './overrides';
import { placeFunctions } from './function-placement';
import { addImporterConflicts, adoptServerContext } from './importer-context';

export type { ContextHint, FileSignals, Region } from './shapes';

/** The weight of the evidence an import path gives a file. */
const PROPAGATED_WEIGHT = 0.7;

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
  'electron-main': 'the Electron main process',
  'electron-preload': 'an Electron preload script',
  'electron-renderer': 'Electron renderer code',
  'vike-file': 'a Vike + file',
  'vike-config': 'a Vike config file',
  'tanstack-start-route': 'a TanStack Start route',
  'tanstack-start-entry': 'a TanStack Start entry',
  'expo-api-route': 'an Expo Router API route',
};

function sourceLabel(evidence: Evidence[]): string {
  for (const e of evidence) {
    const label = SOURCE_LABELS[e.signal];
    if (label) return label;
  }
  return evidence[0]?.signal ?? 'unknown';
}

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
    const decided = classifyOwn(rel, signals, input.overrides, decision);
    if (!decided) continue;
    result.set(rel, decided.classification);
    if (decided.source) sources.set(rel, decided.source);
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
      result.set(rel, propagated(rel, signals, decision, fromFront ? front : null, fromBack ? back : null, sources, (f) => input.files.get(f)?.browserContext));
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

/**
 * What a file's own signals decide before the import graph is read: a runtime override, a test file, or evidence
 * decisive enough that the file is a source for propagation (then `source` is set). Undefined when the import
 * graph (or the file's weak evidence, failing that) must decide.
 */
export function classifyOwn(
  rel: string,
  signals: FileSignals,
  overrides: Record<string, Runtime>,
  decision: OwnDecision = decideOwn(signals),
): { classification: FileClassification; source?: Source } | undefined {
  const forced = runtimeOverrideFor(rel, overrides);
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
    const context = signals.test ? 'test' : decision.runtime === forced.runtime ? decision.context : pickContext(signals.contexts, forced.runtime);
    const classification: FileClassification = { runtime: forced.runtime, context, confidence: 1, evidence };
    if (signals.test || forced.runtime === 'unknown') return { classification };
    return { classification, source: { runtime: forced.runtime, context, confidence: 1, label: `runtimeOverrides "${forced.glob}"` } };
  }
  if (signals.test) {
    return {
      classification: { runtime: decision.runtime, context: 'test', confidence: decision.runtime === 'unknown' ? 0 : decision.confidence, evidence: signals.evidence },
    };
  }
  if (decision.strength < DECISIVE) return undefined;
  return {
    classification: { runtime: decision.runtime, context: decision.context, confidence: decision.confidence, evidence: signals.evidence },
    source: { runtime: decision.runtime, context: decision.context, confidence: decision.confidence, label: sourceLabel(signals.evidence) },
  };
}

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
  browserContextOf: (rel: string) => Context | undefined,
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
    // An isomorphic source that reaches it on one side only: its browser side was cut (only a loader uses the
    // import), or its server side (only effects, handlers, data-hook callbacks or an ssr:false import use it).
    const cut = info.runtime === 'isomorphic' && !(front && back);
    const runtime: Runtime = info.runtime === 'isomorphic' && !cut ? 'isomorphic' : side;
    if (cut && side === 'backend') context = info.context === 'ssr-component' ? 'next-pages-data' : 'remix-server';
    // The browser context of the nearest module on the path that says one (a Next.js page's is a client component's).
    if (cut && side === 'frontend') context = [reach.parent.get(rel)!, ...[...via].reverse(), source].map(browserContextOf).find((c) => c !== undefined) ?? 'spa';
    evidence.push({
      signal: 'import-graph',
      detail: cut
        ? side === 'backend'
          ? `${describePath(source, info.label, via)}, which uses it only in its server exports (loader, action, getServerSideProps, getStaticProps): it runs on the server`
          : `${describePath(source, info.label, via)}, but only browser-only code on that path uses it (a data hook's callback, an effect, an event handler, an ssr: false dynamic import), so server rendering never runs it: it runs in the browser`
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
