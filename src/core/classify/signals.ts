// Collects one file's runtime evidence: directives, framework conventions, browser/Node APIs, workers, entries, tests (each kind in its own file).
import type ts from 'typescript';
import type { FileSignals } from './shapes';
import { browserContextOf, collectFunctionUses, collectRegions, templateEventHandlers } from './regions';
import { listNames, SignalSink } from './signal-sink';
import { globalTest } from './global-references';
import { astroRegions, frameworkConventions } from './framework-conventions';
import { nodeSignals } from './node-signals';
import { browserSignals } from './browser-signals';
import { workerSignals } from './worker-signals';
import { packageSignals } from './package-signals';
import { serverOnlyImports } from './route-server-imports';
import { ownExportNames, prologueDirectives, scanCode } from '../parse/code-text';
import { isTestFile, toScriptText } from '../scan/discovery';
import type { PackageInfo } from '../graph/packages';

const COMPONENT_EXT = /\.(?:vue|svelte)$/i;
/** Modules only test code imports: runners, their globals, DOM testing helpers and Node-side request mocks. */
const TEST_FRAMEWORK_MODULE =
  /^(?:vitest|@jest\/globals|jest-mock|msw\/node|@testing-library\/[\w-]+(?:\/[\w.-]+)*|@playwright\/test|node:test|mocha|chai|sinon|supertest|nock|@vue\/test-utils)$/;

function localPath(rel: string, pkg: PackageInfo | null): string {
  if (!pkg || pkg.dir === '') return rel;
  return rel.startsWith(`${pkg.dir}/`) ? rel.slice(pkg.dir.length + 1) : rel;
}

/** The code of a .vue/.svelte/.astro file as the parser sees it; a text that is already script-only is kept. */
function scriptOnly(rel: string, text: string): string {
  return /\.(vue|svelte)$/i.test(rel) && /<script\b/i.test(text) ? toScriptText(rel, text) : /\.astro$/i.test(rel) && !/^\s*;\/\//.test(text) ? toScriptText(rel, text) : text;
}

/**
 * What one file says about where it runs. Works on text alone (cheap enough for every file of a large
 * workspace); when the parsed `sf` is given, also finds regions (getServerSideProps, loaders, inline server
 * actions, effects and event handlers) that run somewhere else than the file as a whole. `text` may be the
 * whole file or, for .vue/.svelte, its script-only text; then `markup` (the whole file) lets the template's
 * event bindings (`@click="save"`) mark `save` as browser code.
 */
export function collectFileSignals(rel: string, text: string, pkg: PackageInfo | null, sf?: ts.SourceFile, markup?: string): FileSignals {
  const code = scriptOnly(rel, text);
  const scan = scanCode(code);
  const sink = new SignalSink();
  const local = localPath(rel, pkg);
  const base = local.slice(local.lastIndexOf('/') + 1);
  const fw = pkg?.frameworks;
  let test = isTestFile(rel);

  // Directives: only the prologue counts, so a quoted 'use client' in the middle of a file changes nothing.
  const directives = prologueDirectives(code);
  let directive: FileSignals['directive'] = null;
  if (directives.includes('use client')) {
    directive = 'use client';
    sink.add(
      'use-client-directive',
      'frontend',
      1,
      "starts with 'use client': a client component, shipped to the browser and run there",
      fw?.next || !fw ? 'next-client-component' : 'spa',
    );
  } else if (directives.includes('use server')) {
    directive = 'use server';
    sink.add(
      'use-server-directive',
      'backend',
      1,
      "starts with 'use server': its exports are server actions, which run on the server even when a client component calls them",
      'next-server-action',
    );
  }

  const refs = scan.references;
  const specifiers = new Set(refs.filter((r) => !r.typeOnly).map((r) => r.specifier));
  let boundary: FileSignals['boundary'] = null;
  if (specifiers.has('server-only')) {
    boundary = 'server';
    sink.add('server-only-import', 'backend', 1, "imports 'server-only': the build fails if browser code imports it", 'next-server-component');
  } else if (specifiers.has('client-only')) {
    boundary = 'client';
    sink.add('client-only-import', 'frontend', 1, "imports 'client-only': the build fails if server code imports it", 'next-client-component');
  }

  if (pkg && fw) {
    frameworkConventions(sink, rel, local, base, code, scan, pkg, directive);
    if (sink.has('server-module-suffix')) boundary = 'server';
    if (sink.has('client-module-suffix')) boundary ??= 'client';
  }

  if (specifiers.has('next/headers') || specifiers.has('next/cache')) {
    const which = specifiers.has('next/headers') ? 'next/headers' : 'next/cache';
    // `await import('next/headers')` is how code shared with the browser reaches the request only when on the server.
    const quoted = which.replace('/', '\\/');
    const lazy = new RegExp(`\\bimport\\s*\\(\\s*['"]${quoted}['"]`).test(code) && !new RegExp(`(?:\\bfrom|^[^\\S\\n]*import|\\brequire\\s*\\()\\s*['"]${quoted}['"]`, 'm').test(code);
    if (lazy) sink.add('next-server-import', 'backend', 0.3, `loads ${which} with a dynamic import(), which code shared with the browser does behind a server check`, 'next-server-component');
    else sink.add('next-server-import', 'backend', 0.8, `imports ${which}, which only works on the server`, 'next-server-component');
  }
  const privateEnv = [...specifiers].filter((s) => /^\$env\/(static|dynamic)\/private$|^\$app\/server$/.test(s));
  if (privateEnv.length > 0) {
    sink.add('sveltekit-server-module', 'backend', 0.9, `imports ${listNames(privateEnv)}, which SvelteKit allows only in server code`, 'sveltekit-server');
  }

  const isGlobal = globalTest(rel, code, scan);
  nodeSignals(sink, code, scan, specifiers, pkg, local, isGlobal);
  browserSignals(sink, code, scan, rel, isGlobal);
  workerSignals(sink, code, scan, base, pkg);
  packageSignals(sink, rel, local, base, pkg);

  const testModules = [...specifiers].filter((spec) => TEST_FRAMEWORK_MODULE.test(spec));
  if (!test && testModules.length > 0) {
    // A test helper or setup file that is not named like a test (`src/utils/test/test.utils.ts`, `tests/utils/http.ts`).
    test = true;
    sink.add('test-framework-import', 'backend', 0.4, `imports ${listNames(testModules)}: test code, which a test runner runs in Node`, 'test');
  } else if (test) {
    const browserRunner = /(^|\/)cypress\/|\.cy\.[cm]?[jt]sx?$/.test(rel);
    sink.add(
      'test-file',
      browserRunner ? 'frontend' : 'backend',
      0.4,
      browserRunner ? 'a Cypress test: its code runs in the browser that Cypress drives' : 'a test file: test runners such as Jest, Vitest, Mocha and Playwright run it in Node',
      'test',
    );
  }

  if (fw?.next) {
    // In a Next.js app, browser-only code (hooks, window, effects) is client component code, not a separate SPA.
    for (const hint of sink.contexts) if (hint.context === 'spa') hint.context = 'next-client-component';
  }
  sink.evidence.sort((a, b) => b.weight - a.weight);
  const routeModule = sink.has('remix-route') || sink.has('next-pages-page');
  const serverOnly = routeModule ? serverOnlyImports(code, scan.masked) : [];
  const regions = sf
    ? collectRegions(sf, {
        pkg,
        local,
        directive,
        fileContexts: sink.contexts,
        templateHandlers: templateEventHandlers(rel, markup ?? text),
        // The engine passes .vue/.svelte files as script-only text (the template blanked): infer the handlers then.
        templateUnavailable: COMPONENT_EXT.test(rel) && markup === undefined && !/<script\b/i.test(text),
      })
    : [];
  if (/\.astro$/i.test(rel)) regions.push(...astroRegions(code));
  return {
    rel,
    evidence: sink.evidence,
    contexts: sink.contexts,
    regions,
    ...(serverOnly.length > 0 ? { serverOnlyImports: serverOnly } : {}),
    ...(sf ? { functions: collectFunctionUses(sf, regions, browserContextOf({ pkg, local, fileContexts: sink.contexts })) } : {}),
    directive,
    boundary,
    entry: sink.entry,
    test,
    exportNames: ownExportNames(code, scan.inNonCode),
  };
}
