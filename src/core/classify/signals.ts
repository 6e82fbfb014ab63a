// Collects one file's runtime evidence: directives, framework conventions, browser/Node APIs, workers, entries, tests.
import type ts from 'typescript';
import type { ContextHint, FileSignals, Region } from './shapes';
import { browserContextOf, collectFunctionUses, collectRegions, templateEventHandlers } from './regions';
import { exportedConstString, matchAt, ownExportNames, prologueDirectives, scanCode, type CodeScan, type IdentifierHit, type ModuleReference } from '../parse/code-text';
import { astroFrontmatter, isTestFile, toScriptText } from '../scan/discovery';
import { parseSource } from '../parse/parser';
import { cutDeepNesting } from '../parse/depth';
import { nodesInOrder } from '../parse/syntax-order';
import { globalReferenceOffsets } from '../parse/scope';
import type { PackageInfo } from '../graph/packages';
import type { Context, Evidence, Runtime } from '../model/types';

/** Node built-ins that cannot run in a browser bundle. */
const NODE_ONLY_MODULES = new Set([
  'fs',
  'child_process',
  'cluster',
  'dgram',
  'dns',
  'net',
  'tls',
  'http2',
  'inspector',
  'module',
  'readline',
  'repl',
  'v8',
  'vm',
  'worker_threads',
  'perf_hooks',
  'async_hooks',
  'diagnostics_channel',
  'trace_events',
]);
/** Node built-ins that bundlers often polyfill for the browser: weaker evidence. */
const NODE_POLYFILLED_MODULES = new Set(['path', 'os', 'http', 'https', 'crypto', 'zlib', 'stream', 'util', 'url', 'events', 'buffer', 'querystring', 'assert', 'process', 'string_decoder', 'timers']);
const SERVER_FRAMEWORK_MODULES = /^(express|fastify|koa|@koa\/router|koa-router|@nestjs\/[\w-]+|@hapi\/hapi|hono|hono\/(?!client)[\w/-]+|restify|polka|@fastify\/[\w-]+|h3)$/;
const SOURCE_EXT = /\.(?:[cm]?[jt]sx?|vue|svelte)$/;
const SCRIPT_EXT = /\.(?:[cm]?[jt]sx?)$/;
const COMPONENT_EXT = /\.(?:vue|svelte)$/i;
/** Modules only test code imports: runners, their globals, DOM testing helpers and Node-side request mocks. */
const TEST_FRAMEWORK_MODULE =
  /^(?:vitest|@jest\/globals|jest-mock|msw\/node|@testing-library\/[\w-]+(?:\/[\w.-]+)*|@playwright\/test|node:test|mocha|chai|sinon|supertest|nock|@vue\/test-utils)$/;

const BROWSER_GLOBALS = ['window', 'document', 'localStorage', 'sessionStorage', 'navigator', 'indexedDB', 'requestAnimationFrame', 'matchMedia', 'IntersectionObserver', 'ResizeObserver', 'MutationObserver'];
/** Globals that count as evidence only where the name is not a local binding, a property name or a key. */
const SCOPED_GLOBALS: ReadonlySet<string> = new Set([...BROWSER_GLOBALS, 'process', '__dirname', '__filename', 'require']);
const REACT_STATE_HOOKS = new Set(['useState', 'useEffect', 'useLayoutEffect', 'useReducer', 'useRef', 'useCallback', 'useContext', 'useSyncExternalStore', 'useTransition', 'useOptimistic', 'useActionState', 'useFormStatus']);
const VUE_CLIENT_HOOKS = ['onMounted', 'onBeforeMount', 'onUpdated', 'onActivated'];
/** What follows `process` / `import.meta` (sticky, matched right after the identifier). */
const PROCESS_MEMBER = /\s*\.\s*(argv|exit|cwd|chdir|stdin|stdout|stderr|client|server|browser)\b/y;
const META_MEMBER = /\s*\.\s*(dirname|filename|main|client|server|env\s*\.\s*SSR)\b/y;
const REQUIRE_MAIN = /\s*\.\s*main\s*===?\s*module\b/y;
/** Pattern, what it shows, and the identifiers that must occur for the pattern to be worth running. */
const NODE_SERVER: [RegExp, string, string[]][] = [
  [/(?<![\w$.])express\s*\(\s*\)/, 'creates an Express app', ['express']],
  [/(?<![\w$.])[Ff]astify\s*\(\s*[{)]/, 'creates a Fastify server', ['fastify', 'Fastify']],
  [/\bnew\s+Koa\s*\(/, 'creates a Koa app', ['Koa']],
  [/\bNestFactory\.create\s*[(<]/, 'bootstraps a NestJS app', ['NestFactory']],
  [
    /\b(?:http|https|http2|net)\.create(?:Secure)?Server\s*\(|(?<![\w$.])create(?:Secure)?Server\s*\(\s*(?:app|handler|\(|async|function|\{)/,
    'creates a Node HTTP server',
    ['createServer', 'createSecureServer'],
  ],
  [/\b(app|server|fastify|httpServer)\.listen\s*\(/, 'listens on a port', ['listen']],
  [/\b(?:Deno|Bun)\.serve\s*\(/, 'starts a Deno/Bun server', ['serve']],
  [/\bHapi\.server\s*\(/, 'creates a hapi server', ['Hapi']],
];
const SERVICE_WORKER_EVENTS = new Set(['fetch', 'install', 'activate', 'push', 'sync', 'periodicsync', 'notificationclick', 'backgroundfetchsuccess']);
const WORKER_FETCH_EVENTS = new Set(['fetch', 'install', 'activate', 'scheduled']);
/** What a dedicated (`message`) or shared (`connect`) Web Worker listens for on its global scope. */
const WEB_WORKER_EVENTS = new Set(['message', 'connect']);
/** `self.onmessage = …`, or a bare `onmessage = …` / `onconnect = …` statement (the worker's global scope). */
// Blanks after a statement start stay on their line ([^\S\n]*), so a run of empty lines is not re-scanned from each one.
const WEB_WORKER_HANDLER = /(?:\bself\s*\.\s*|(?:^|[;}\n])[^\S\n]*)(on(?:message|connect))\s*=(?!=)/;
/** The event name right after `addEventListener` (sticky). */
const LISTENER_EVENT = /\s*\(\s*(['"])(\w+)\1/y;
const WORKER_FETCH_HANDLER = /\s*\(\s*\w+\s*(?::\s*[\w.<>]+\s*)?,\s*env\b/y;
const SERVICE_WORKER_APIS = /\bself\.(skipWaiting|clients|registration)\b|(?<![\w$.])(importScripts|registerRoute|precacheAndRoute)\s*\(|\bworkbox\.\w+|\bclients\.claim\s*\(/;
const SERVICE_WORKER_NAME = /(^|\/)(sw|service-worker|serviceworker|[\w-]+[-.]sw)\.[cm]?[jt]s$/i;
const BUILD_CONFIG_NAME = /^(?!app\.config\.)[\w.-]+\.config\.[cm]?[jt]s$|^(gulpfile|gruntfile|Gruntfile|webpack\.[\w.-]+|rollup\.[\w.-]+|\.eslintrc|\.prettierrc|\.babelrc|babel\.config|metro\.config|jest\.setup)\.[cm]?[jt]s$/;

const FRONTEND_PACKAGE_LIBS: [keyof PackageInfo['frameworks'], string][] = [
  ['reactDom', 'react-dom'],
  ['vite', 'vite'],
  ['vue', 'vue'],
  ['svelte', 'svelte'],
  ['angular', '@angular/core'],
  ['solid', 'solid-js'],
  ['preact', 'preact'],
  ['reactScripts', 'react-scripts'],
];
const BACKEND_PACKAGE_LIBS: [keyof PackageInfo['frameworks'], string][] = [
  ['express', 'express'],
  ['fastify', 'fastify'],
  ['koa', 'koa'],
  ['nest', '@nestjs/core'],
  ['hono', 'hono'],
  ['hapi', '@hapi/hapi'],
];

/** Builds the evidence list and the context hints together, so each signal says which context it points to. */
class SignalSink {
  readonly evidence: Evidence[] = [];
  readonly contexts: ContextHint[] = [];
  entry = false;

  add(signal: string, runtime: Runtime, weight: number, detail: string, context?: Context): void {
    this.evidence.push({ signal, detail, runtime, weight });
    if (context) this.contexts.push({ context, runtime, weight });
  }

  has(signal: string): boolean {
    return this.evidence.some((e) => e.signal === signal);
  }
}

function localPath(rel: string, pkg: PackageInfo | null): string {
  if (!pkg || pkg.dir === '') return rel;
  return rel.startsWith(`${pkg.dir}/`) ? rel.slice(pkg.dir.length + 1) : rel;
}

function listNames(names: Iterable<string>): string {
  return [...new Set(names)].slice(0, 4).join(', ');
}

/** The code of a .vue/.svelte/.astro file as the parser sees it; a text that is already script-only is kept. */
function scriptOnly(rel: string, text: string): string {
  return /\.(vue|svelte)$/i.test(rel) && /<script\b/i.test(text) ? toScriptText(rel, text) : /\.astro$/i.test(rel) && !/^\s*;\/\//.test(text) ? toScriptText(rel, text) : text;
}

/** Tells whether one identifier hit reads the global of that name. */
type GlobalTest = (hit: IdentifierHit) => boolean;

/** The character after a name that can only be a use of it (`document.title`, `require(`, `window[k]`, `window?.x`). */
function followedByUse(code: string, end: number): boolean {
  let i = end;
  while (i < code.length && (code[i] === ' ' || code[i] === '\t')) i++;
  const c = code[i];
  return c === '.' || c === '(' || c === '[' || c === '?';
}

/**
 * Whether each hit of a scoped global is the global. When every hit is plainly a use (`document.title`,
 * `process.argv`) the text decides; when one could bind or key the name (`function toRow(document)`,
 * `{ document: router }`, `{ data: document }`), the file's code is parsed once and each name resolved in
 * its scopes, so a parameter or a database document never reads as the browser's.
 */
function globalTest(rel: string, code: string, scan: CodeScan): GlobalTest {
  let ambiguous = false;
  for (const name of SCOPED_GLOBALS) {
    const list = scan.hits.get(name);
    if (list?.some((h) => h.declared || (!h.afterDot && !h.afterTypeof && !followedByUse(code, h.index + name.length)))) {
      ambiguous = true;
      break;
    }
  }
  if (!ambiguous) return () => true;
  let sf: ReturnType<typeof parseSource>;
  try {
    sf = parseSource(rel, code);
  } catch (err) {
    // Nesting deep enough to overflow the parser's stack: parse with the too-deep brackets blanked (offsets kept),
    // as analysis does; if even that fails, every hit counts as the global, as text alone would say.
    const cut = err instanceof RangeError ? cutDeepNesting(code, 256) : null;
    if (!cut) return () => true;
    try {
      sf = parseSource(rel, cut.text);
    } catch {
      return () => true;
    }
  }
  const offsets = globalReferenceOffsets(sf, SCOPED_GLOBALS, nodesInOrder(sf));
  return (hit) => offsets.has(hit.index);
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

/** A route module's server-only export: the function the framework runs on the server and strips from the browser bundle. */
const SERVER_EXPORT = /\bexport\s+(?:async\s+)?(?:function\s*\*?\s*|const\s+)(loader|action|getServerSideProps|getStaticProps|getStaticPaths)\b/g;
/** A top-level function of the module that is not exported: `async function name(` or `const name = async (`. */
const LOCAL_FUNCTION = /(?:^|\n)(?:async\s+)?function\s*\*?\s*([\w$]+)|(?:^|\n)const\s+([\w$]+)\s*(?::[^=\n]+)?=\s*(?:async\s*)?(?=\(|[\w$]+\s*=>)/g;
// The clause starts and ends on a non-blank and is bounded, so runs of blanks cannot be split three ways (cubic time).
const IMPORT_CLAUSE = /(?:^|[;\n])[^\S\n]*import\s+(?=\S)(?!type\b)([\w$,{}*](?:[\w$\s{},*]{0,2000}?[\w$,{}*])?)\s+from\s*['"]/g;

/** The body span of the function that starts at `from` (`(args) {`, `= async (args) => {`), in masked text. */
function bodySpan(masked: string, from: number): { start: number; end: number } | null {
  let paren = 0;
  for (let i = from; i < masked.length; i++) {
    const c = masked[i];
    if (c === '=' && masked[i + 1] === '>' && paren === 0 && !/^\s*\{/.test(masked.slice(i + 2, i + 40))) {
      // An expression body (`async () => ({ … })`): it runs to the end of the statement.
      let depth = 0;
      for (let j = i + 2; j < masked.length; j++) {
        const d = masked[j];
        if (d === '(' || d === '{' || d === '[') depth++;
        else if (d === ')' || d === '}' || d === ']') depth--;
        if (depth < 0 || (depth === 0 && (d === ';' || (d === '\n' && /^\n\S/.test(masked.slice(j, j + 2)))))) return { start: i + 2, end: j };
      }
      return { start: i + 2, end: masked.length };
    }
    if (c === '(') paren++;
    else if (c === ')') paren--;
    else if (c === ';' && paren === 0) return null;
    else if (c === '{' && paren === 0) {
      const before = masked.slice(Math.max(from, i - 3), i).trimEnd();
      if (!before.endsWith(')') && !before.endsWith('=>')) continue;
      let depth = 0;
      for (let j = i; j < masked.length; j++) {
        if (masked[j] === '{') depth++;
        else if (masked[j] === '}' && --depth === 0) return { start: i, end: j + 1 };
      }
      return null;
    }
  }
  return null;
}

/**
 * The local names of imports that a route module uses only inside its server exports (`loader`, `action`,
 * `getServerSideProps`...). React Router, Remix and Next.js remove those exports, and the imports only they use,
 * from the browser bundle, so such an import does not carry the page's browser side to what it imports.
 */
function serverOnlyImports(code: string, masked: string): string[] {
  const spans: { start: number; end: number }[] = [];
  for (const m of masked.matchAll(SERVER_EXPORT)) {
    const span = bodySpan(masked, m.index + m[0].length);
    if (span) spans.push(span);
  }
  if (spans.length === 0) return [];
  const usesOf = (name: string, after: number) =>
    // `typeof handleLoader` in a type annotation is no call: it leaves nothing in the bundle.
    [...masked.slice(after).matchAll(new RegExp(`(?<![\\w$.])(?<!\\btypeof\\s+)${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))].map((u) => u.index + after);
  const inServer = (at: number) => spans.some((sp) => sp.start <= at && at < sp.end);
  // Helpers of the module that only the server exports call (`async function handleLoader()`) are server-only too.
  const helpers: { name: string; decl: number; span: { start: number; end: number } }[] = [];
  for (const m of masked.matchAll(LOCAL_FUNCTION)) {
    const name = m[1] ?? m[2];
    const span = bodySpan(masked, m.index + m[0].length);
    if (span) helpers.push({ name, decl: m.index, span });
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const h of helpers) {
      if (spans.includes(h.span)) continue;
      const uses = usesOf(h.name, 0).filter((at) => at < h.decl || at > h.span.start);
      const outside = uses.filter((at) => !(at >= h.decl && at < h.span.end));
      if (outside.length > 0 && outside.every(inServer)) {
        spans.push(h.span);
        grew = true;
      }
    }
  }
  const locals: { name: string; end: number }[] = [];
  for (const m of masked.matchAll(IMPORT_CLAUSE)) {
    const clause = code.slice(m.index, m.index + m[0].length);
    const end = m.index + m[0].length;
    const inner = /\{([^{}]*)\}/.exec(clause)?.[1];
    for (const part of inner?.split(',') ?? []) {
      const local = part.trim().replace(/^type\s+/, '').split(/(?<!\s)\s+as\s+/).pop()?.trim();
      if (local && /^[\w$]+$/.test(local) && !/^type\s/.test(part.trim())) locals.push({ name: local, end });
    }
    const outer = clause.replace(/\{[^{}]*\}/, '').replace(/^[;\n\s]*import\s+/, '').replace(/(?<!\s)\s+from\s*['"]$/, '');
    for (const piece of outer.split(',')) {
      const name = piece.trim().replace(/^\*\s*as\s+/, '');
      if (/^[\w$]+$/.test(name)) locals.push({ name, end });
    }
  }
  const out: string[] = [];
  for (const { name, end } of locals) {
    const uses = usesOf(name, end);
    if (uses.length > 0 && uses.every(inServer)) out.push(name);
  }
  return out;
}

function frameworkConventions(
  sink: SignalSink,
  rel: string,
  local: string,
  base: string,
  code: string,
  scan: CodeScan,
  pkg: PackageInfo,
  directive: FileSignals['directive'],
): void {
  const fw = pkg.frameworks;
  const before = sink.evidence.length;
  if (fw.next) nextConventions(sink, local, base, code, scan, directive);
  if (fw.sveltekit) svelteKitConventions(sink, local, base, scan);
  else if (fw.svelte && base.endsWith('.svelte')) {
    sink.add('svelte-component', 'frontend', 0.7, 'a Svelte component: it runs in the browser', 'spa');
  }
  if (fw.nuxt) nuxtConventions(sink, local, base, scan);
  else if (fw.vue && base.endsWith('.vue')) {
    sink.add('vue-component', 'frontend', 0.7, 'a Vue single-file component in a Vue app: it runs in the browser', 'spa');
  }
  if (fw.astro) astroConventions(sink, local, base);
  if (fw.remix) remixConventions(sink, rel, local, base, pkg, ownExportNames(code, scan.inNonCode));
  if (sink.evidence.length > before) return; // a convention of the framework already said what the file is
  if (/\.server\.[cm]?[jt]sx?$/.test(base) && (fw.remix || fw.sveltekit || fw.nuxt)) {
    sink.add('server-module-suffix', 'backend', 0.9, 'a .server module: the framework keeps it out of the browser bundle', fw.remix ? 'remix-server' : fw.sveltekit ? 'sveltekit-server' : 'nuxt-server');
  } else if (/\.client\.[cm]?[jt]sx?$/.test(base) && (fw.remix || fw.nuxt)) {
    sink.add('client-module-suffix', 'frontend', 0.9, 'a .client module: the framework loads it only in the browser', 'spa');
  }
}

function nextConventions(sink: SignalSink, local: string, base: string, code: string, scan: CodeScan, directive: FileSignals['directive']): void {
  const app = /^(?:src\/)?app\/(?:.*\/)?([^/]+)$/.exec(local);
  if (app && SOURCE_EXT.test(base)) {
    const stem = base.replace(/\.[^.]+$/, '');
    if (stem === 'route') {
      const declared = exportedConstString(code, scan.masked, 'runtime');
      const onEdge = declared === 'edge' || declared === 'experimental-edge';
      sink.entry = true;
      sink.add(
        'next-route-handler',
        'backend',
        0.95,
        `a Next.js route handler (app/**/route): it runs on the server${onEdge ? ", in the edge runtime (export const runtime = 'edge')" : ''}`,
        'next-route-handler',
      );
      return;
    }
    if (/^(sitemap|robots|manifest|opengraph-image|twitter-image|icon|apple-icon)$/.test(stem)) {
      sink.entry = true;
      sink.add('next-route-handler', 'backend', 0.85, `a Next.js metadata route (${stem}): it is generated on the server`, 'next-route-handler');
      return;
    }
    if (/^(page|layout|template|loading|not-found|default|forbidden|unauthorized)$/.test(stem)) {
      sink.entry = true;
      if (directive !== 'use client') {
        sink.add(
          'next-server-component',
          'backend',
          0.9,
          `a Next.js app router ${stem} without 'use client': a server component, rendered only on the server`,
          'next-server-component',
        );
      }
      return;
    }
    if (/^(error|global-error)$/.test(stem)) {
      sink.entry = true;
      sink.add('next-client-convention', 'frontend', 0.9, `a Next.js ${stem} boundary: always a client component`, 'next-client-component');
      return;
    }
  }
  const middleware = /^(?:src\/)?(middleware|proxy)\.[cm]?[jt]s$/.exec(local);
  if (middleware) {
    sink.entry = true;
    const declared = exportedConstString(code, scan.masked, 'runtime') ?? configRuntime(code, scan.masked);
    const isProxy = middleware[1] === 'proxy';
    const runtime = declared ?? (isProxy ? 'nodejs' : 'edge');
    const how = declared ? `declares runtime '${declared}'` : `the default runtime is ${runtime}`;
    sink.add('next-middleware', 'backend', 0.95, `Next.js ${middleware[1]}: it runs on the server before each matching request (${how})`, 'next-middleware');
    return;
  }
  if (/^(?:src\/)?instrumentation\.[cm]?[jt]s$/.test(local)) {
    sink.entry = true;
    sink.add('next-instrumentation', 'backend', 0.9, 'Next.js instrumentation: it runs once when the server starts', 'node-server');
    return;
  }
  if (/^(?:src\/)?instrumentation-client\.[cm]?[jt]s$/.test(local)) {
    sink.entry = true;
    sink.add('next-client-convention', 'frontend', 0.9, 'Next.js client instrumentation: it runs in the browser before the app starts', 'next-client-component');
    return;
  }
  const pages = /^(?:src\/)?pages\/(.+)$/.exec(local);
  if (pages && SCRIPT_EXT.test(base)) {
    sink.entry = true;
    if (pages[1].startsWith('api/')) {
      const declared = exportedConstString(code, scan.masked, 'runtime') ?? configRuntime(code, scan.masked);
      const onEdge = declared === 'edge' || declared === 'experimental-edge';
      sink.add('next-pages-api', 'backend', 0.95, `a Next.js API route (pages/api): it runs on the server${onEdge ? ', in the edge runtime' : ''}`, 'next-pages-api');
    } else if (/^_document\./.test(pages[1])) {
      sink.add('next-pages-page', 'backend', 0.9, 'the Next.js pages router _document: it renders only on the server', 'ssr-component');
    } else {
      sink.add(
        'next-pages-page',
        'isomorphic',
        0.85,
        'a Next.js pages router page: the component renders on the server and again in the browser (getServerSideProps and getStaticProps run only on the server)',
        'ssr-component',
      );
    }
  }
}

/** `export const config = { runtime: 'edge' }` (pages router API routes, middleware). */
function configRuntime(code: string, masked: string): string | null {
  const m = /\bexport\s+const\s+config\b[^;]*?\bruntime\s*:\s*(['"])/.exec(masked);
  if (!m) return null;
  const quote = m.index + m[0].length - 1;
  const close = masked.indexOf(masked[quote], quote + 1);
  return code.slice(quote + 1, close);
}

function svelteKitConventions(sink: SignalSink, local: string, base: string, scan: CodeScan): void {
  if (/^src\/routes\//.test(local)) {
    if (/^\+(page|layout)\.server\.[jt]s$|^\+server\.[jt]s$/.test(base)) {
      sink.entry = true;
      const what = base.startsWith('+server') ? 'a SvelteKit endpoint (+server)' : `a SvelteKit server load (${base})`;
      sink.add('sveltekit-server-route', 'backend', 0.95, `${what}: it runs only on the server`, 'sveltekit-server');
      return;
    }
    if (/^\+(page|layout)\.[jt]s$/.test(base)) {
      sink.entry = true;
      if (/\bexport\s+const\s+ssr\s*=\s*false\b/.test(scan.masked)) {
        sink.add('sveltekit-universal-load', 'frontend', 0.9, `a SvelteKit universal load (${base}) with ssr = false: it runs only in the browser`, 'sveltekit-universal');
      } else {
        sink.add(
          'sveltekit-universal-load',
          'isomorphic',
          0.9,
          `a SvelteKit universal load (${base}): it runs on the server for the first request and in the browser on navigation`,
          'sveltekit-universal',
        );
      }
      return;
    }
  }
  if (/^src\/hooks\.server\.[jt]s$/.test(local)) {
    sink.entry = true;
    sink.add('sveltekit-server-route', 'backend', 0.95, 'SvelteKit server hooks: they run on the server for every request', 'sveltekit-server');
  } else if (/^src\/hooks\.client\.[jt]s$/.test(local)) {
    sink.entry = true;
    sink.add('sveltekit-client-hooks', 'frontend', 0.95, 'SvelteKit client hooks: they run in the browser', 'spa');
  } else if (/^src\/hooks\.[jt]s$/.test(local)) {
    sink.entry = true;
    sink.add('sveltekit-universal-load', 'isomorphic', 0.8, 'SvelteKit universal hooks: they run on the server and in the browser', 'sveltekit-universal');
  } else if (/^src\/lib\/server\//.test(local)) {
    sink.add('sveltekit-server-module', 'backend', 0.9, 'in src/lib/server of a SvelteKit app: SvelteKit refuses to import it into browser code', 'sveltekit-server');
  } else if (/^src\/service-worker(\.[jt]s|\/index\.[jt]s)$/.test(local)) {
    sink.entry = true;
    sink.add('service-worker', 'frontend', 0.95, "SvelteKit's service worker: it runs in the browser's service-worker scope", 'service-worker');
  }
  if (base.endsWith('.svelte')) {
    if (/^\+/.test(base)) sink.entry = true;
    sink.add('sveltekit-component', 'frontend', 0.7, 'a Svelte component: it runs in the browser (SvelteKit also renders it once on the server)', 'spa');
  }
}

function nuxtConventions(sink: SignalSink, local: string, base: string, scan: CodeScan): void {
  const server = /^server\/(api|routes|middleware|plugins|utils|tasks)?/.exec(local);
  if (server) {
    if (server[1] && server[1] !== 'utils') sink.entry = true;
    sink.add('nuxt-server-dir', 'backend', 0.95, "in a Nuxt app's server/ directory: Nuxt builds it into the Nitro server", 'nuxt-server');
    return;
  }
  const app = local.replace(/^app\//, ''); // Nuxt 4 keeps the app under app/
  if (/\.client\.vue$/.test(base)) {
    sink.add('client-module-suffix', 'frontend', 0.9, 'a .client.vue component: Nuxt renders it only in the browser', 'spa');
    return;
  }
  if (/\.server\.vue$/.test(base)) {
    sink.add('server-module-suffix', 'backend', 0.85, 'a .server.vue component: a Nuxt server component, rendered only on the server', 'nuxt-server');
    return;
  }
  const plugin = /^plugins\/[^/]+$/.test(app);
  if (plugin && /\.client\.[jt]s$/.test(base)) {
    sink.entry = true;
    sink.add('client-module-suffix', 'frontend', 0.9, 'a Nuxt .client plugin: it runs only in the browser', 'spa');
    return;
  }
  if (plugin && /\.server\.[jt]s$/.test(base)) {
    sink.entry = true;
    sink.add('server-module-suffix', 'backend', 0.9, 'a Nuxt .server plugin: it runs only on the server', 'nuxt-server');
    return;
  }
  if (base.endsWith('.vue') && (/^(pages|components|layouts)\//.test(app) || /^(app|error)\.vue$/.test(app))) {
    sink.entry = /^(pages|layouts)\//.test(app) || /^(app|error)\.vue$/.test(app);
    sink.add(
      'nuxt-component',
      'isomorphic',
      0.8,
      'a Nuxt page or component: its setup runs on the server during SSR and again in the browser (onMounted runs only in the browser)',
      'ssr-component',
    );
    return;
  }
  if (/^(composables|utils)\/.+\.[jt]s$/.test(app)) {
    sink.add('nuxt-component', 'isomorphic', 0.6, `in the Nuxt ${app.split('/')[0]}/ directory: auto-imported into pages and components, which run on the server and in the browser`, 'shared-module');
    return;
  }
  if (plugin || /^middleware\/[^/]+\.[jt]s$/.test(app)) {
    sink.entry = true;
    sink.add('nuxt-component', 'isomorphic', 0.75, `a Nuxt ${plugin ? 'plugin' : 'route middleware'}: it runs on the server and in the browser`, 'ssr-component');
    return;
  }
  if (scan.hits.has('defineEventHandler') || scan.hits.has('defineCachedHandler')) {
    sink.add('nuxt-server-dir', 'backend', 0.85, 'defines a Nitro/h3 event handler: server code', 'nuxt-server');
  }
}

/**
 * Astro routes every script module under src/pages/ as an endpoint (`export const GET`/`POST`); it runs on the
 * server at request time, or in Node at build time when prerendered. A `_`-prefixed segment is not routed.
 */
function astroConventions(sink: SignalSink, local: string, base: string): void {
  if (!/^src\/pages\/.+\.[cm]?[jt]s$/.test(local) || /(^|\/)_/.test(local.slice('src/pages/'.length))) return;
  sink.entry = true;
  sink.add('astro-endpoint', 'backend', 0.9, `an Astro endpoint (${base} under src/pages/): it runs on the server, at request time or at build time`, 'astro-server');
}

/**
 * An `.astro` component's two sides: the frontmatter runs on the server (per request, or at build time), and the
 * code left after it is its `<script>` tags, which Astro bundles for the browser.
 */
function astroRegions(code: string): Region[] {
  const fm = astroFrontmatter(code);
  const regions: Region[] = [];
  if (fm) {
    const detail = 'in the frontmatter of an Astro component (between the --- fences): it runs on the server, at request or build time';
    regions.push({ span: fm, name: 'frontmatter', runtime: 'backend', context: 'astro-server', confidence: 0.9, evidence: [{ signal: 'astro-frontmatter', detail, runtime: 'backend', weight: 0.9 }] });
  }
  const scriptsFrom = fm ? fm.end + 3 : 0;
  if (/\S/.test(code.slice(scriptsFrom))) {
    const detail = 'in a <script> of an Astro component: Astro bundles it for the browser';
    regions.push({ span: { start: scriptsFrom, end: code.length }, name: '<script>', runtime: 'frontend', context: 'spa', confidence: 0.9, evidence: [{ signal: 'astro-script', detail, runtime: 'frontend', weight: 0.9 }] });
  }
  return regions;
}

/** Whether a module is a route module of a React Router 7 / Remix app: declared in app/routes.ts, under app/routes/, or app/root. */
function isRouteModule(rel: string, local: string, base: string, pkg: PackageInfo): boolean {
  if (/\.(server|client)\.[cm]?[jt]sx?$/.test(base) || !/\.[cm]?[jt]sx?$/.test(base)) return false;
  const app = pkg.reactRouter;
  if (!app) return /^app\/(routes\/.+|root)\.[jt]sx?$/.test(local);
  const stem = rel.replace(/\.[cm]?[jt]sx?$/, '');
  if (stem === `${app.appDir}/root` || app.routeModules.includes(stem)) return true;
  return app.fileRoutes && rel.startsWith(`${app.appDir}/routes/`);
}

function remixConventions(sink: SignalSink, rel: string, local: string, base: string, pkg: PackageInfo, exportNames: string[] | null): void {
  const appDir = pkg.reactRouter ? pkg.reactRouter.appDir.slice(pkg.dir ? pkg.dir.length + 1 : 0) : 'app';
  const spaMode = pkg.reactRouter?.spaMode ?? false;
  const inApp = local.startsWith(`${appDir}/`) ? local.slice(appDir.length + 1) : '';
  if (/^entry\.server\.[jt]sx?$/.test(inApp)) {
    sink.entry = true;
    sink.add('remix-route', 'backend', 0.95, 'the Remix server entry: it renders on the server', 'remix-server');
  } else if (/^entry\.client\.[jt]sx?$/.test(inApp)) {
    sink.entry = true;
    sink.add('remix-route', 'frontend', 0.95, 'the Remix browser entry: it hydrates the app in the browser', spaMode ? 'spa' : 'react-router-route');
  } else if (isRouteModule(rel, local, base, pkg)) {
    sink.entry = true;
    const declared = pkg.reactRouter?.routeModules.includes(rel.replace(/\.[cm]?[jt]sx?$/, '')) ? ` (${pkg.reactRouter.appDir}/routes.ts declares it)` : '';
    if (spaMode) {
      sink.add('remix-route', 'frontend', 0.9, `a route module of a React Router app in SPA mode (ssr: false)${declared}: no server renders it, it runs in the browser; a loader runs only at build time`, 'spa');
      return;
    }
    if (exportNames && !exportNames.includes('default') && exportNames.some((n) => n === 'loader' || n === 'action')) {
      sink.add('remix-route', 'backend', 0.9, `a resource route${declared} (${exportNames.filter((n) => n === 'loader' || n === 'action').join(' and ')}, no component): it runs only on the server`, 'remix-server');
      return;
    }
    sink.add(
      'remix-route',
      'frontend',
      0.75,
      `a React Router/Remix route module${declared}: the component runs in the browser (after a first render on the server); loader and action run on the server`,
      'react-router-route',
    );
  }
}

/** `import 'dotenv/config'` and its relatives: a side-effect import that reads `.env` from disk. */
const DOTENV_CONFIG_MODULE = /^(?:dotenv|dotenv-flow|dotenv-expand|@dotenvx\/dotenvx)\/config(?:\.js)?$/;
const DOTENV_MODULE = /^(?:dotenv|dotenv-flow|@dotenvx\/dotenvx)$/;
/** `main();`, `void main();`, `main().catch(…)` at the start of a line (top-level statements of a script). */
const TOP_LEVEL_MAIN = /^(?:void\s+|await\s+)?main\s*\(\s*\)\s*(?:;|\.\s*(?:catch|then|finally)\b|$)/m;
const SCRIPT_FOLDER = /(?:^|\/)(?:scripts?|tools|bin|cli)\//;

/** `dotenv.config()` / `require('dotenv').config()` after importing dotenv: the module name, else null. */
function dotenvConfigCall(specifiers: Set<string>, scan: CodeScan): string | null {
  const spec = [...specifiers].find((s) => DOTENV_MODULE.test(s));
  return spec && /\bconfig\s*\(/.test(scan.masked) ? `${spec}'s config()` : null;
}

function nodeSignals(
  sink: SignalSink,
  code: string,
  scan: CodeScan,
  specifiers: Set<string>,
  pkg: PackageInfo | null,
  local: string,
  isGlobal: GlobalTest,
): void {
  const { hits } = scan;
  const refs: ModuleReference[] = scan.references;
  const any = (names: string[]) => names.some((name) => hits.has(name));
  const strong: string[] = [];
  const weak: string[] = [];
  let prefixed = false;
  for (const spec of specifiers) {
    const bare = spec.startsWith('node:') ? spec.slice(5) : spec;
    const root = bare.split('/')[0];
    if (NODE_ONLY_MODULES.has(root)) strong.push(spec);
    else if (NODE_POLYFILLED_MODULES.has(root)) {
      if (spec.startsWith('node:')) prefixed = true;
      weak.push(spec);
    }
  }
  const nodeFetch = [...specifiers].filter((spec) => spec === 'node-fetch');
  if (nodeFetch.length > 0) {
    sink.add('node-fetch-import', 'backend', 0.65, "imports node-fetch, a fetch for Node: browser code uses the fetch it already has", 'node-server');
  }
  if (strong.length > 0) {
    sink.add('node-builtins', 'backend', 0.75, `uses Node-only modules (${listNames(strong)}), which do not exist in a browser`, 'node-script');
  } else if (weak.length > 0) {
    sink.add(
      'node-builtins',
      'backend',
      prefixed ? 0.7 : 0.4,
      `uses Node built-in modules (${listNames(weak)})${prefixed ? '' : ', which bundlers can polyfill for the browser'}`,
      'node-script',
    );
  }

  const globals: string[] = [];
  let globalWeight = 0;
  for (const h of hits.get('process') ?? []) {
    const member = h.afterDot || !isGlobal(h) ? null : matchAt(PROCESS_MEMBER, code, h.index + 7)?.[1];
    if (member && !['client', 'server', 'browser'].includes(member)) {
      globals.push(`process.${member}`);
      globalWeight = Math.max(globalWeight, member === 'argv' ? 0.7 : 0.6);
    }
  }
  for (const name of ['__dirname', '__filename']) {
    if (hits.get(name)?.some((h) => !h.afterDot && isGlobal(h))) {
      globals.push(name);
      globalWeight = Math.max(globalWeight, 0.6);
    }
  }
  const metaMembers = importMetaMembers(code, hits);
  for (const member of metaMembers) {
    if (member === 'dirname' || member === 'filename') {
      globals.push(`import.meta.${member}`);
      globalWeight = Math.max(globalWeight, 0.6);
    }
  }
  if (globals.length > 0) sink.add('node-globals', 'backend', globalWeight, `uses Node-only globals (${listNames(globals)})`, 'node-script');

  if (code.startsWith('#!') && /^#!.*\b(node|tsx|ts-node|bun|deno)\b/.test(code.slice(0, code.indexOf('\n') >>> 0))) {
    sink.entry = true;
    sink.add('node-script', 'backend', 0.9, 'starts with a #! line for Node: a script run from the command line', 'node-script');
  } else if (metaMembers.includes('main') || hits.get('require')?.some((h) => !h.afterDot && isGlobal(h) && matchAt(REQUIRE_MAIN, code, h.index + 7))) {
    sink.entry = true;
    sink.add('node-script', 'backend', 0.85, 'checks require.main === module: a Node script that runs when started directly', 'node-script');
  }

  const dotenv = [...specifiers].find((spec) => DOTENV_CONFIG_MODULE.test(spec)) ?? dotenvConfigCall(specifiers, scan);
  if (dotenv) {
    sink.add('node-dotenv', 'backend', 0.75, `loads .env files with ${dotenv.includes('config()') ? dotenv : `import '${dotenv}'`}, which reads the file system: Node code`, 'node-script');
  }
  if (code.includes('main') && TOP_LEVEL_MAIN.test(scan.masked)) {
    // A top-level `main()` is how scripts start; in a scripts/ or tools/ folder the two together decide.
    const scriptFolder = SCRIPT_FOLDER.test(local);
    sink.entry = true;
    sink.add(
      'node-script',
      'backend',
      scriptFolder ? 0.65 : 0.4,
      `calls main() at the top level${scriptFolder ? ' in a scripts folder' : ''}: a script run from the command line`,
      'node-script',
    );
  }

  const server: string[] = [];
  for (const [re, what, needs] of NODE_SERVER) if (any(needs) && re.test(scan.masked)) server.push(what);
  if (server.length > 0) {
    const edge = (hits.has('serve') && /\bDeno\.serve\b/.test(scan.masked)) || (pkg?.frameworks.cloudflareWorkers ?? false);
    sink.entry = true;
    sink.add('node-server', 'backend', 0.85, `${server.slice(0, 2).join(' and ')}: a server process`, edge ? 'edge-worker' : 'node-server');
  }

  const frameworks = refs.filter((r) => !r.typeOnly && SERVER_FRAMEWORK_MODULES.test(r.specifier)).map((r) => r.specifier);
  if (frameworks.length > 0) {
    sink.add('server-framework-import', 'backend', 0.7, `imports ${listNames(frameworks)}, a server framework`, pkg?.frameworks.cloudflareWorkers ? 'edge-worker' : 'node-server');
  }
  if (specifiers.has('electron') && any(['BrowserWindow', 'ipcMain'])) {
    sink.entry = true;
    sink.add('electron-main', 'backend', 0.85, "Electron's main process (BrowserWindow/ipcMain): it runs in Node, not in a window", 'node-script');
  }
}

/** The name is followed (after spaces) by one of `chars`, e.g. a hook called as `useState(` or `useState<`. */
function followedBy(code: string, from: number, chars: string): boolean {
  let i = from;
  while (i < code.length && (code[i] === ' ' || code[i] === '\n' || code[i] === '\t' || code[i] === '\r')) i++;
  return chars.includes(code[i] ?? '');
}

/** Members read off `import.meta` (`dirname`, `main`, `client`, `env.SSR`...), from the hits of `meta`. */
function importMetaMembers(code: string, hits: CodeScan['hits']): string[] {
  const members: string[] = [];
  for (const h of hits.get('meta') ?? []) {
    if (!h.afterDot || !/import\s*\.\s*$/.test(code.slice(Math.max(0, h.index - 10), h.index))) continue;
    const m = matchAt(META_MEMBER, code, h.index + 4);
    if (m) members.push(m[1].replace(/\s+/g, ''));
  }
  return members;
}

function browserSignals(sink: SignalSink, code: string, scan: CodeScan, rel: string, isGlobal: GlobalTest): void {
  const { hits } = scan;
  let guard: string | null = null;
  for (const name of ['window', 'document', 'navigator']) {
    if (hits.get(name)?.some((h) => h.afterTypeof)) {
      guard = `typeof ${name}`;
      break;
    }
  }
  if (!guard) {
    const meta = importMetaMembers(code, hits).find((m) => m === 'client' || m === 'server' || m === 'env.SSR');
    if (meta) guard = `import.meta.${meta}`;
  }
  if (!guard) {
    const proc = (hits.get('process') ?? []).map((h) => (h.afterDot ? null : matchAt(PROCESS_MEMBER, code, h.index + 7)?.[1])).find((m) => m === 'client' || m === 'server' || m === 'browser');
    if (proc) guard = `process.${proc}`;
  }
  // A parameter, destructured name or declaration called `document` (a database document) is not the global.
  const globals = BROWSER_GLOBALS.filter((name) => hits.get(name)?.some((h) => !h.afterDot && !h.afterTypeof && isGlobal(h)));
  if (guard) {
    sink.add('browser-guard', 'isomorphic', 0.5, `checks ${guard}: written to run both in the browser and on the server`, 'shared-module');
  }
  if (globals.length > 0) {
    sink.add(
      'browser-api',
      'frontend',
      guard ? 0.3 : 0.65,
      `uses browser-only APIs (${listNames(globals)})${guard ? ' behind that check' : ''}`,
      'spa',
    );
  }
  const hooks: string[] = [];
  for (const [name, list] of hits) {
    if (!REACT_STATE_HOOKS.has(name)) continue;
    const called = list.some((h) => (!h.afterDot || code.startsWith('React.', h.index - 6)) && followedBy(code, h.index + name.length, '(<'));
    if (called) hooks.push(name);
  }
  if (hooks.length > 0) {
    sink.add('react-hooks', 'frontend', 0.55, `calls React hooks (${listNames(hooks)}): a component with state or effects, which runs in the browser`, 'spa');
  }
  const vue = VUE_CLIENT_HOOKS.find((name) => hits.get(name)?.some((h) => !h.afterDot && followedBy(code, h.index + name.length, '(')));
  if (vue && !/\.vue$/.test(rel)) {
    sink.add('vue-client-hook', 'frontend', 0.4, `calls ${vue}, which runs only in the browser`, 'spa');
  }
}

/** The first event in `events` that an `addEventListener('<event>', …)` call listens for: on `self.` only, or only unqualified. */
function listenedEvent(code: string, scan: CodeScan, onSelf: boolean, events: Set<string>): string | null {
  for (const h of scan.hits.get('addEventListener') ?? []) {
    const receiverIsSelf = h.afterDot && /\bself\s*\.\s*$/.test(code.slice(Math.max(0, h.index - 8), h.index));
    if (onSelf ? !receiverIsSelf : h.afterDot) continue;
    const name = matchAt(LISTENER_EVENT, code, h.index + 'addEventListener'.length)?.[2];
    if (name && events.has(name)) return name;
  }
  return null;
}

/** `async fetch(request, env` in an object literal: a module worker's handler. */
function hasWorkerFetchHandler(code: string, scan: CodeScan): boolean {
  return (scan.hits.get('fetch') ?? []).some((h) => !h.afterDot && matchAt(WORKER_FETCH_HANDLER, code, h.index + 5) !== null);
}

function workerSignals(sink: SignalSink, code: string, scan: CodeScan, base: string, pkg: PackageInfo | null): void {
  const { hits } = scan;
  const cloudflare = pkg?.frameworks.cloudflareWorkers ?? false;
  const moduleWorker =
    (hits.has('ExportedHandler') && /\bsatisfies\s+ExportedHandler\b|:\s*ExportedHandler\b/.test(scan.masked)) ||
    (hasWorkerFetchHandler(code, scan) && /\bexport\s+default\b/.test(scan.masked));
  if (moduleWorker) {
    sink.entry = true;
    sink.add('edge-worker', 'backend', 0.9, 'exports a fetch(request, env) handler: a Cloudflare-style edge worker', 'edge-worker');
    return;
  }
  const listens = hits.has('addEventListener');
  const swEvent = listens && hits.has('self') ? listenedEvent(code, scan, true, SERVICE_WORKER_EVENTS) : null;
  if (swEvent) {
    sink.entry = true;
    sink.add('service-worker', 'frontend', 0.9, `listens for the service worker '${swEvent}' event on self: a service worker in the browser`, 'service-worker');
    return;
  }
  const messageEvent = listens && hits.has('self') ? listenedEvent(code, scan, true, WEB_WORKER_EVENTS) : null;
  const handler = WEB_WORKER_HANDLER.exec(scan.masked)?.[1];
  const comlink = scan.references.some((r) => r.specifier === 'comlink') && /(?<![\w$.])expose\s*\(/.test(scan.masked);
  // A service worker also hears 'message'; its own APIs (skipWaiting, clients, workbox) say which kind it is.
  if ((messageEvent || handler || comlink) && !SERVICE_WORKER_APIS.test(scan.masked)) {
    sink.entry = true;
    const how = messageEvent ? `listens for '${messageEvent}' events on self` : handler ? `sets ${handler}` : "exposes its functions with comlink's expose()";
    sink.add('web-worker', 'frontend', 0.85, `${how}: a Web Worker, a browser thread without the page's DOM`, 'web-worker');
    return;
  }
  const bare = listens ? listenedEvent(code, scan, false, WORKER_FETCH_EVENTS) : null;
  if (bare && cloudflare) {
    sink.entry = true;
    sink.add('edge-worker', 'backend', 0.9, `listens for '${bare}' events in a Cloudflare Workers package (wrangler): an edge worker`, 'edge-worker');
    return;
  }
  const named = SERVICE_WORKER_NAME.test(base);
  const apis = ['self', 'importScripts', 'registerRoute', 'precacheAndRoute', 'workbox'].some((n) => hits.has(n)) || hits.get('clients')?.some((h) => code.startsWith('.claim', h.index + 7))
    ? SERVICE_WORKER_APIS.exec(scan.masked)
    : null;
  if (bare || apis || named) {
    const reasons = [bare && `listens for '${bare}' events`, apis && `uses ${apis[0].replace(/(?<!\s)\s*\($/, '')}`, named && `is named ${base}`].filter(Boolean);
    const weight = bare || apis ? (named ? 0.9 : 0.75) : 0.5;
    sink.entry = weight >= 0.75;
    sink.add('service-worker', 'frontend', weight, `${reasons.join(' and ')}: a service worker, which runs in the browser`, 'service-worker');
  }
  if (cloudflare && !sink.has('edge-worker')) {
    sink.add('cloudflare-package', 'backend', 0.3, 'in a Cloudflare Workers package (wrangler)', 'edge-worker');
  }
}

/** Stems no extension build maps by name alone: too common to tie a built script to one source. */
const GENERIC_STEMS = new Set(['index', 'main', 'app']);

/** The manifest entry this file is: by path without extension, else by file name inside the manifest's folder. */
function extensionEntryFor(rel: string, pkg: PackageInfo): PackageInfo['extensionEntries'][number] | undefined {
  if (!pkg.extensionEntries || pkg.extensionEntries.length === 0 || !SCRIPT_EXT.test(rel)) return undefined;
  const stem = rel.replace(/\.[cm]?[jt]sx?$/, '');
  const exact = pkg.extensionEntries.find((e) => e.stem === stem);
  if (exact) return exact;
  const name = stem.slice(stem.lastIndexOf('/') + 1);
  if (GENERIC_STEMS.has(name)) return undefined;
  return pkg.extensionEntries.find((e) => {
    const folder = e.manifest.slice(0, e.manifest.lastIndexOf('/') + 1);
    return e.stem.slice(e.stem.lastIndexOf('/') + 1) === name && rel.startsWith(folder) && rel.slice(folder.length).split('/').length <= 2;
  });
}

function packageSignals(sink: SignalSink, rel: string, local: string, base: string, pkg: PackageInfo | null): void {
  if (!pkg) return;
  if (pkg.htmlEntries.includes(rel)) {
    sink.entry = true;
    sink.add('html-entry', 'frontend', 0.9, `${pkg.dir ? `${pkg.dir}/` : ''}index.html loads it as a module script: the browser app's entry point`, 'spa');
  }
  const extension = extensionEntryFor(rel, pkg);
  if (extension) {
    sink.entry = true;
    const role = { background: ['extension-background', 'the extension\'s background script'], 'content-script': ['extension-content-script', 'a content script, run inside the web pages it matches'], page: ['extension-page', 'a script of one of the extension\'s own pages'] } as const;
    const [context, what] = role[extension.role];
    sink.add('browser-extension', 'frontend', 0.9, `${extension.manifest} lists it under ${extension.key}: ${what}, in the browser`, context);
  }
  const fw = pkg.frameworks;
  if (fw.reactScripts && /^src\/index\.[jt]sx?$/.test(local)) {
    sink.entry = true;
    sink.add('cra-entry', 'frontend', 0.9, "the entry point of a Create React App app (react-scripts): it runs in the browser", 'spa');
  }
  if (pkg.wranglerMain === rel) {
    sink.entry = true;
    sink.add('edge-worker', 'backend', 0.95, `the "main" of ${pkg.dir ? `${pkg.dir}/` : ''}wrangler config: the Cloudflare Worker's entry, run at the edge`, 'edge-worker');
  }
  if (pkg.bin.includes(rel)) {
    sink.entry = true;
    sink.add('package-bin', 'backend', 0.9, `listed under "bin" in ${pkg.dir ? `${pkg.dir}/` : ''}package.json: a command-line tool run by Node`, 'node-script');
  }
  const frontendLibs = FRONTEND_PACKAGE_LIBS.filter(([flag]) => fw[flag]).map(([, name]) => name);
  const backendLibs = BACKEND_PACKAGE_LIBS.filter(([flag]) => fw[flag]).map(([, name]) => name);
  const fullStack = fw.next || fw.nuxt || fw.sveltekit || fw.remix || fw.astro;
  if (pkg.main === rel && backendLibs.length > 0 && frontendLibs.length === 0 && !fullStack) {
    sink.entry = true;
    sink.add('package-main', 'backend', 0.7, `the "main" of a package that depends on ${listNames(backendLibs)}: the server's entry point`, 'node-server');
  }
  if (local === base && BUILD_CONFIG_NAME.test(base)) {
    sink.add('build-config', 'backend', 0.7, `${base} is tool configuration: it runs in Node during the build`, 'node-script');
  }
  if (fw.reactNative) {
    sink.add('react-native', 'frontend', 0.6, 'in a React Native app: it runs on the user\'s device, where secrets are as exposed as in a browser', 'mobile-app');
    return;
  }
  const name = pkg.name ?? (pkg.dir || 'the root package');
  if (frontendLibs.length > 0 && backendLibs.length === 0 && !fullStack) {
    sink.add('package-dependencies', 'frontend', 0.25, `its package (${name}) depends on ${listNames(frontendLibs)} and no server framework`, 'spa');
  } else if (backendLibs.length > 0 && frontendLibs.length === 0 && !fullStack) {
    sink.add('package-dependencies', 'backend', 0.25, `its package (${name}) depends on ${listNames(backendLibs)} and no browser framework`, 'node-server');
  }
}
