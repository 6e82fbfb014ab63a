// Second looks from a module's importers once the graph is walked: a server's Node helpers take its context, and a module imported from the other side is flagged.
import type { Context, Runtime } from '../model/types';
import type { ClassifyInput, FileClassification } from './graph-input';
import { round } from './own-evidence';
import type { Source } from './propagation';

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
export function adoptServerContext(input: ClassifyInput, result: Map<string, FileClassification>): void {
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

/**
 * A module decided by API use alone (not a directive, boundary or framework entry) that is imported from the
 * other side is worth a second look: keep its runtime, add the importer as evidence, lower the confidence.
 */
export function addImporterConflicts(input: ClassifyInput, result: Map<string, FileClassification>, sources: Map<string, Source>): void {
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
