// Runtime classification over the framework fixture workspaces: signals, regions, propagation, overrides, tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { classifyCall, classifyFiles, collectFileSignals, importEdgesOf, type FileClassification, type FileSignals } from '../../src/core/classify';
import { extractImports } from '../../src/core/graph';
import { maskNonCode, ownExportNames, scanCode } from '../../src/core/parse';
import { toScriptText } from '../../src/core/scan';
import { AtlasIndex } from '../../src/core/index';
import { createPackageLookup } from '../../src/core/graph';
import { DEFAULT_SETTINGS, type Runtime } from '../../src/core/model';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const SOURCE = /\.(?:[cm]?[jt]sx?|vue|svelte)$/;
const RESOLVE_EXTENSIONS = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.vue', '.svelte', '/index.ts', '/index.tsx', '/index.js'];

interface Workspace {
  root: string;
  texts: Map<string, string>;
  signals: Map<string, FileSignals>;
  imports: Map<string, string[]>;
  importers: Map<string, string[]>;
  classify(overrides?: Record<string, Runtime>): Map<string, FileClassification>;
}

function listFiles(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    else if (SOURCE.test(entry.name)) out.push(rel);
  }
  return out.sort();
}

/**
 * Loads a fixture the way the engine does, with a small resolver of its own (relative paths and the
 * `@/`, `~/`, `$lib/` aliases of the fixtures), so these tests do not depend on the engine's resolver.
 */
function loadWorkspace(name: string): Workspace {
  const root = path.join(FIXTURES, name);
  const lookup = createPackageLookup(root, (abs) => (fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : undefined));
  const files = listFiles(root);
  const known = new Set(files);
  const texts = new Map<string, string>();
  const signals = new Map<string, FileSignals>();
  const imports = new Map<string, string[]>();
  const importers = new Map<string, string[]>();
  for (const rel of files) {
    const text = fs.readFileSync(path.join(root, rel), 'utf8');
    texts.set(rel, text);
    const pkg = lookup.forFile(rel);
    const code = toScriptText(rel, text);
    const kind = /\.[jt]sx$|\.vue$|\.svelte$/.test(rel) ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
    const sf = ts.createSourceFile(rel, code, ts.ScriptTarget.Latest, false, kind);
    signals.set(rel, collectFileSignals(rel, text, pkg, sf));
    const pkgDir = pkg?.dir ? `${pkg.dir}/` : '';
    const targets: string[] = [];
    for (const ref of scanCode(code).references) {
      let base: string | null = null;
      if (ref.specifier.startsWith('.')) base = path.posix.join(path.posix.dirname(rel), ref.specifier);
      else if (ref.specifier.startsWith('@/')) base = pkgDir + ref.specifier.slice(2);
      else if (ref.specifier.startsWith('~/')) base = `${pkgDir}app/${ref.specifier.slice(2)}`;
      else if (ref.specifier.startsWith('$lib/')) base = `${pkgDir}src/lib/${ref.specifier.slice(5)}`;
      if (base === null) continue;
      const hit = RESOLVE_EXTENSIONS.map((ext) => base + ext).find((candidate) => known.has(candidate));
      if (hit) targets.push(hit);
    }
    imports.set(rel, targets);
    for (const t of targets) importers.set(t, [...(importers.get(t) ?? []), rel]);
  }
  return {
    root,
    texts,
    signals,
    imports,
    importers,
    classify: (overrides = {}) =>
      classifyFiles({ files: signals, imports: (r) => imports.get(r) ?? [], importers: (r) => importers.get(r) ?? [], overrides }),
  };
}

/** The span of the `n`th occurrence of `needle` in a file, for classifyCall. */
function spanOf(ws: Workspace, rel: string, needle: string, n = 1) {
  const text = toScriptText(rel, ws.texts.get(rel)!);
  let at = -1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf(needle, at + 1);
    assert.notEqual(at, -1, `${needle} (#${i + 1}) not found in ${rel}`);
  }
  return { start: at, end: at + needle.length };
}

function callIn(ws: Workspace, map: Map<string, FileClassification>, rel: string, needle: string, n = 1) {
  return classifyCall(map.get(rel)!, ws.signals.get(rel)!, spanOf(ws, rel, needle, n));
}

function details(c: { evidence: { detail: string }[] }): string {
  return c.evidence.map((e) => e.detail).join('\n');
}

/** A package lookup over an in-memory workspace: `{ 'package.json': '...' }`. */
function memoryLookup(files: Record<string, string>) {
  const root = path.join(path.sep, 'ws');
  const reads: string[] = [];
  const lookup = createPackageLookup(root, (abs) => {
    const rel = path.relative(root, abs).split(path.sep).join('/');
    reads.push(rel);
    return files[rel];
  });
  return { lookup, reads };
}

/** Signals of a file that is not on disk, parsed like the engine parses files with calls. */
function signalsOf(rel: string, text: string, pkgFiles: Record<string, string> = {}): FileSignals {
  const pkg = memoryLookup(pkgFiles).lookup.forFile(rel);
  const sf = ts.createSourceFile(rel, toScriptText(rel, text), ts.ScriptTarget.Latest, false, ts.ScriptKind.TSX);
  return collectFileSignals(rel, text, pkg, sf);
}

/** Classifies in-memory files with a hand-built import graph: `{ 'a.ts': ['b.ts'] }`. */
function classifyGraph(signals: FileSignals[], graph: Record<string, string[]>, overrides: Record<string, Runtime> = {}) {
  const files = new Map(signals.map((s) => [s.rel, s]));
  const importers = new Map<string, string[]>();
  for (const [from, tos] of Object.entries(graph)) for (const to of tos) importers.set(to, [...(importers.get(to) ?? []), from]);
  return classifyFiles({ files, imports: (r) => graph[r] ?? [], importers: (r) => importers.get(r) ?? [], overrides });
}

const NEXT_PKG = { 'package.json': JSON.stringify({ dependencies: { next: '15.0.0', react: '19.0.0', 'react-dom': '19.0.0' } }) };

function expectFile(map: Map<string, FileClassification>, rel: string, runtime: Runtime, context: string, evidence?: RegExp) {
  const c = map.get(rel);
  assert.ok(c, `${rel} is classified`);
  assert.equal(c.runtime, runtime, `${rel} runtime (evidence: ${details(c)})`);
  assert.equal(c.context, context, `${rel} context`);
  if (evidence) assert.match(details(c), evidence, `${rel} evidence`);
}

// ─── packages.ts ────────────────────────────────────────────────────────────────────────────────────────────

test('createPackageLookup finds the nearest package.json and reads frameworks, bin, main and index.html entries', () => {
  const ws = loadWorkspace('express-react');
  const lookup = createPackageLookup(ws.root, (abs) => (fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : undefined));
  const client = lookup.forFile('client/src/components/Forecast.jsx');
  assert.ok(client);
  assert.equal(client.dir, 'client');
  assert.equal(client.type, 'module');
  assert.ok(client.frameworks.vite && client.frameworks.reactDom && !client.frameworks.express);
  assert.ok(client.dependencies.has('@vitejs/plugin-react'), 'devDependencies count');
  assert.deepEqual(client.htmlEntries, ['client/src/main.jsx'], 'the commented-out script is not an entry');
  const server = lookup.forFile('server/routes/weather.js');
  assert.ok(server?.frameworks.express && !server.frameworks.reactDom);
  assert.equal(server.main, 'server/index.js');
  assert.equal(server.type, 'commonjs');
  assert.equal(lookup.forFile('package.json')?.name, 'mern-weather');
  assert.deepEqual(loadWorkspace('vite-spa').signals.get('src/main.tsx')?.entry, true);
});

test('createPackageLookup reads each folder once, reports broken JSON and finds wrangler configs and bins', () => {
  const { lookup, reads } = memoryLookup({
    'package.json': '{ "name": "root", ',
    'tools/cli/package.json': JSON.stringify({ name: 'cli', bin: { atlas: './bin/atlas.js' }, dependencies: { commander: '1' } }),
    'worker/package.json': JSON.stringify({ name: 'worker' }),
    'worker/wrangler.toml': 'name = "worker"',
  });
  const cli = lookup.forFile('tools/cli/src/a/b.ts');
  assert.equal(cli?.name, 'cli');
  assert.deepEqual(cli.bin, ['tools/cli/bin/atlas.js']);
  const readsAfterFirst = reads.length;
  lookup.forFile('tools/cli/src/a/c.ts');
  lookup.forFile('tools/cli/src/a/b.ts');
  assert.equal(reads.length, readsAfterFirst, 'the second lookup in a folder is cached');
  const root = lookup.forFile('src/index.ts');
  assert.ok(root);
  assert.match(root.problems.join('\n'), /package\.json is not valid JSON/);
  assert.equal(root.dependencies.size, 0);
  assert.equal(lookup.forFile('worker/src/index.ts')?.frameworks.cloudflareWorkers, true);
  assert.equal(memoryLookup({}).lookup.forFile('a/b.ts'), null, 'no package.json anywhere');
});

// ─── text-level reading ─────────────────────────────────────────────────────────────────────────────────────

test('maskNonCode keeps offsets and hides comments, strings, templates and regexes but not ${} code', () => {
  const text = [
    "const a = 'window.x'; // document.title",
    '/* localStorage */ const re = /window\\./g;',
    'const t = `x ${window.innerWidth} document.body`;',
    "const ratio = a / b / c; <p>Don't use navigator.</p>",
    'navigator.onLine;',
  ].join('\n');
  const masked = maskNonCode(text);
  assert.equal(masked.length, text.length);
  assert.equal(masked.split('\n').length, 5);
  const found = [...masked.matchAll(/\b(window|document|localStorage|navigator)\b/g)].map((m) => m[1]);
  assert.deepEqual(found, ['window', 'navigator'], 'only the ${} expression and the last line are code');
  assert.ok(masked.includes('a / b / c'), 'division is not a regex');
});

test("directives count only in the prologue; a quoted 'use client' later, in a comment or a string does not", () => {
  const client = signalsOf('app/x/Widget.tsx', "// Widget\n/* header */\n'use strict';\n\"use client\"\nimport { useState } from 'react';\n", NEXT_PKG);
  assert.equal(client.directive, 'use client');
  for (const text of [
    "import x from 'y';\n'use client';\n",
    "// 'use client'\nexport const a = 1;\n",
    "const mode = 'use client';\n",
    "'use client'.length;\n",
  ]) {
    assert.equal(signalsOf('app/x/Other.tsx', text, NEXT_PKG).directive, null, text);
  }
});

// ─── Next.js app router ─────────────────────────────────────────────────────────────────────────────────────

test('next-app: server components by default, client components, route handlers, middleware, server actions', () => {
  const ws = loadWorkspace('next-app');
  const map = ws.classify();
  expectFile(map, 'app/page.tsx', 'backend', 'next-server-component', /page without 'use client': a server component/);
  expectFile(map, 'app/layout.tsx', 'backend', 'next-server-component');
  expectFile(map, 'app/dashboard/page.tsx', 'frontend', 'next-client-component', /starts with 'use client'/);
  expectFile(map, 'app/components/SearchBox.tsx', 'frontend', 'next-client-component');
  expectFile(map, 'app/error.tsx', 'frontend', 'next-client-component', /error boundary: always a client component/);
  expectFile(map, 'app/api/products/route.ts', 'backend', 'next-route-handler', /route handler/);
  expectFile(map, 'app/api/edge-time/route.ts', 'backend', 'next-route-handler', /edge runtime/);
  expectFile(map, 'middleware.ts', 'backend', 'next-middleware', /the default runtime is edge/);
  expectFile(map, 'lib/db.ts', 'backend', 'next-server-component', /imports 'server-only'/);
  expectFile(map, 'next.config.mjs', 'backend', 'node-script', /tool configuration/);
  assert.equal(ws.signals.get('app/api/products/route.ts')?.entry, true);
});

test("next-app: a 'use server' module stays backend although a client component imports it", () => {
  const ws = loadWorkspace('next-app');
  assert.ok(ws.imports.get('app/dashboard/page.tsx')?.includes('app/actions.ts'), 'the client page imports the actions');
  const map = ws.classify();
  expectFile(map, 'app/actions.ts', 'backend', 'next-server-action', /server actions, which run on the server even when a client component calls them/);
  assert.equal(map.get('app/actions.ts')?.confidence, 1);
  // And the server-only module it imports is not pulled to the browser side either.
  expectFile(map, 'lib/db.ts', 'backend', 'next-server-component');
});

test('next-app: propagation through lib modules reached from client only, server only and both', () => {
  const ws = loadWorkspace('next-app');
  const map = ws.classify();
  expectFile(map, 'lib/analytics.ts', 'frontend', 'next-client-component', /imported by app\/dashboard\/page\.tsx \('use client'\), which runs in the browser/);
  expectFile(map, 'app/components/ProductList.tsx', 'backend', 'next-server-component', /imported by app\/page\.tsx \(a Next\.js server component\)/);
  const api = map.get('lib/api.ts')!;
  expectFile(map, 'lib/api.ts', 'isomorphic', 'shared-module');
  assert.match(details(api), /imported by app\/dashboard\/page\.tsx \('use client'\)/);
  assert.match(details(api), /imported by app\/page\.tsx \(a Next\.js server component\), which runs on the server/);
  // format.ts is reached from the client only through lib/api.ts: the path names the module in between.
  const format = map.get('lib/format.ts')!;
  assert.equal(format.runtime, 'isomorphic');
  assert.match(details(format), /imported by app\/dashboard\/page\.tsx \('use client'\) via lib\/api\.ts/);
  assert.ok(format.confidence < api.confidence, 'a longer path is less certain');
});

test('next-app: a file nothing reaches is unknown, with a sentence saying why', () => {
  const map = loadWorkspace('next-app').classify();
  const unused = map.get('lib/unused.ts')!;
  assert.equal(unused.runtime, 'unknown');
  assert.equal(unused.confidence, 0);
  assert.match(details(unused), /nothing decides where it runs: .*no file imports it/);
  assert.match(details(unused), /map the file with apiAtlas\.runtimeOverrides/);
});

test('next-app: regions — inline server action, named and inline event handlers, useEffect', () => {
  const ws = loadWorkspace('next-app');
  const map = ws.classify();
  const action = callIn(ws, map, 'app/settings/page.tsx', "fetch('https://accounts.example.com");
  assert.equal(action.runtime, 'backend');
  assert.equal(action.context, 'next-server-action');
  assert.match(details(action), /inside updateProfile that starts with 'use server'/);
  const search = callIn(ws, map, 'app/components/SearchBox.tsx', 'fetch(`/api/products');
  assert.equal(search.runtime, 'frontend');
  assert.match(details(search), /inside handleSearch, which a JSX on… attribute uses as an event handler/);
  const effect = callIn(ws, map, 'app/dashboard/page.tsx', 'getProducts()');
  assert.match(details(effect), /inside the useEffect callback/);
  // Outside every region the file decides.
  const promo = callIn(ws, map, 'app/page.tsx', "fetch('https://cms.example.com/promo'");
  assert.deepEqual([promo.runtime, promo.context], ['backend', 'next-server-component']);
});

test('next-app: test files get the test context and do not pull what they import to their side', () => {
  const ws = loadWorkspace('next-app');
  const map = ws.classify();
  expectFile(map, 'app/__tests__/page.test.tsx', 'backend', 'test', /test runners .* run it in Node/);
  const call = callIn(ws, map, 'app/__tests__/page.test.tsx', 'fetch(');
  assert.equal(call.context, 'test');
});

// ─── Next.js pages router ───────────────────────────────────────────────────────────────────────────────────

test('next-pages: page bodies are isomorphic; data functions are backend regions; effects and handlers frontend', () => {
  const ws = loadWorkspace('next-pages');
  const map = ws.classify();
  expectFile(map, 'pages/index.tsx', 'isomorphic', 'ssr-component', /renders on the server and again in the browser/);
  const gssp = callIn(ws, map, 'pages/index.tsx', "fetch('https://newsapi.example.com");
  assert.deepEqual([gssp.runtime, gssp.context], ['backend', 'next-pages-data']);
  assert.match(details(gssp), /inside getServerSideProps: Next\.js runs it only on the server/);
  const effect = callIn(ws, map, 'pages/index.tsx', "fetch('/api/weather')");
  assert.equal(effect.runtime, 'frontend');
  const like = callIn(ws, map, 'pages/index.tsx', "fetch('/api/like'");
  assert.equal(like.runtime, 'frontend');
  assert.match(details(like), /onLike handler/);
  const body = callIn(ws, map, 'pages/index.tsx', "fetch('/api/greeting')");
  assert.deepEqual([body.runtime, body.context], ['isomorphic', 'ssr-component']);

  const paths = callIn(ws, map, 'pages/posts/[id].tsx', 'listPostIds()');
  assert.deepEqual([paths.runtime, paths.context], ['backend', 'next-pages-data']);
  assert.match(details(paths), /getStaticPaths/);
  const props = callIn(ws, map, 'pages/posts/[id].tsx', 'getPost(params.id)');
  assert.match(details(props), /inside getStaticProps/);
  const initial = callIn(ws, map, 'pages/legacy.tsx', "fetch('https://api.github.com");
  assert.deepEqual([initial.runtime, initial.context], ['isomorphic', 'next-pages-data']);
  assert.match(details(initial), /server for the first request and in the browser on client-side navigation/);
});

test('next-pages: API routes (also on the edge), _document and _app', () => {
  const map = loadWorkspace('next-pages').classify();
  expectFile(map, 'pages/api/weather.ts', 'backend', 'next-pages-api', /Next\.js API route/);
  expectFile(map, 'pages/api/geo.ts', 'backend', 'next-pages-api', /in the edge runtime/);
  expectFile(map, 'pages/_document.tsx', 'backend', 'ssr-component', /only on the server/);
  expectFile(map, 'pages/_app.tsx', 'isomorphic', 'ssr-component');
  expectFile(map, 'components/LikeButton.tsx', 'isomorphic', 'shared-module', /imported by pages\/index\.tsx \(a Next\.js page\), which runs in the browser and on the server/);
});

// ─── Express + React (MERN) ─────────────────────────────────────────────────────────────────────────────────

test('express-react: index.html entry and Express main; routes and services follow through the import graph', () => {
  const ws = loadWorkspace('express-react');
  const map = ws.classify();
  expectFile(map, 'client/src/main.jsx', 'frontend', 'spa', /client\/index\.html loads it as a module script/);
  expectFile(map, 'client/src/App.jsx', 'frontend', 'spa', /imported by client\/src\/main\.jsx \(the index\.html entry script\)/);
  expectFile(map, 'client/src/api/client.js', 'frontend', 'spa', /via client\/src\/App\.jsx → client\/src\/components\/Forecast\.jsx/);
  expectFile(map, 'server/index.js', 'backend', 'node-server', /creates an Express app/);
  expectFile(map, 'server/routes/weather.js', 'backend', 'node-server', /imports express, a server framework/);
  expectFile(map, 'server/services/weatherService.js', 'backend', 'node-server', /imported by server\/routes\/weather\.js/);
  expectFile(map, 'client/vite.config.js', 'backend', 'node-script');
});

test('express-react: a shared package module reached from the client only, the server only, and both', () => {
  const map = loadWorkspace('express-react').classify();
  expectFile(map, 'shared/labels.js', 'frontend', 'spa', /imported by client\/src\/main\.jsx .* via client\/src\/App\.jsx → client\/src\/components\/Forecast\.jsx/);
  expectFile(map, 'shared/units.js', 'backend', 'node-server', /via server\/services\/weatherService\.js/);
  const cities = map.get('shared/cities.js')!;
  expectFile(map, 'shared/cities.js', 'isomorphic', 'shared-module');
  assert.match(details(cities), /which runs in the browser/);
  assert.match(details(cities), /which runs on the server/);
});

test('folder names alone never decide: browser code under server/ is frontend, fs under client/ is backend', () => {
  const map = loadWorkspace('express-react').classify();
  expectFile(map, 'server/public/widget.js', 'frontend', 'spa', /uses browser-only APIs \(window, document\)/);
  assert.match(details(map.get('server/public/widget.js')!), /depends on express and no browser framework/, 'the weaker package evidence is kept');
  assert.ok(map.get('server/public/widget.js')!.confidence < 0.7, 'the disagreement lowers confidence');
  expectFile(map, 'client/scripts/generate-sitemap.js', 'backend', 'node-script', /uses Node-only modules \(fs\)/);
  // With no package and no signal, a server/ path is not backend.
  const bare = classifyGraph([signalsOf('server/helpers/math.ts', 'export const add = (a: number, b: number) => a + b;\n')], {});
  assert.equal(bare.get('server/helpers/math.ts')?.runtime, 'unknown');
  // A Next.js-looking path without Next.js in the package is not a server component.
  const notNext = signalsOf('app/page.tsx', 'export default function Page() { return null; }\n', {
    'package.json': JSON.stringify({ dependencies: { 'react-dom': '18', vite: '5' } }),
  });
  assert.ok(!notNext.evidence.some((e) => e.signal === 'next-server-component'));
});

// ─── Vite SPA, Vue ──────────────────────────────────────────────────────────────────────────────────────────

test('vite-spa: everything the index.html script reaches is frontend; the service worker and vite.config are not app code', () => {
  const ws = loadWorkspace('vite-spa');
  const map = ws.classify();
  expectFile(map, 'src/main.tsx', 'frontend', 'spa', /index\.html loads it/);
  expectFile(map, 'src/lib/http.ts', 'frontend', 'spa', /imported by src\/main\.tsx \(the index\.html entry script\) via src\/App\.tsx → src\/hooks\/useNotes\.ts/);
  expectFile(map, 'public/sw.js', 'frontend', 'service-worker', /service worker 'install' event on self/);
  expectFile(map, 'vite.config.ts', 'backend', 'node-script');
});

test('vue-app: SFC script blocks, onMounted regions, and a template comment that mentions window', () => {
  const ws = loadWorkspace('vue-app');
  const map = ws.classify();
  expectFile(map, 'src/main.ts', 'frontend', 'spa', /index\.html loads it/);
  expectFile(map, 'src/components/UserList.vue', 'frontend', 'spa', /Vue single-file component/);
  assert.ok(!ws.signals.get('src/components/UserList.vue')!.evidence.some((e) => e.signal === 'browser-api'), 'the template comment is not code');
  // A .vue file of a Vue app decides by itself, so the path starts at the nearest component.
  expectFile(map, 'src/services/users.ts', 'frontend', 'spa', /imported by src\/components\/UserList\.vue \(a Vue component\), which runs in the browser/);
  expectFile(map, 'src/App.vue', 'frontend', 'spa');
  const mounted = callIn(ws, map, 'src/components/UserList.vue', "fetch('/api/me')");
  assert.match(details(mounted), /inside the onMounted callback/);
  // A function the template binds with @click is an event handler, even in a component rendered on the server.
  const reload = callIn(ws, map, 'src/components/UserList.vue', "fetch('/api/users/refresh'");
  assert.equal(reload.runtime, 'frontend');
  assert.match(details(reload), /inside reload, which the template uses as an event handler/);
});

test('template event bindings are found from the markup when the engine passes script-only text', () => {
  const rel = 'src/components/UserList.vue';
  const raw = fs.readFileSync(path.join(FIXTURES, 'vue-app', rel), 'utf8');
  const script = toScriptText(rel, raw);
  const sf = ts.createSourceFile(rel, script, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const withMarkup = collectFileSignals(rel, script, null, sf, raw);
  assert.ok(withMarkup.regions.some((r) => r.name === 'reload (event handler)'));
  const withoutMarkup = collectFileSignals(rel, script, null, sf);
  assert.ok(!withoutMarkup.regions.some((r) => r.name === 'reload (event handler)'), 'script-only text has no template to read');
  assert.ok(withoutMarkup.regions.some((r) => r.name === 'reload (template only)' && r.runtime === 'frontend'), 'but reload is inferred from the script');
  const svelte = '<script>\n  async function save() { await fetch("/api/save"); }\n</script>\n<button onclick={save}>Save</button>\n<button on:click|preventDefault={() => remove(1)}>x</button>\n';
  const svelteSf = ts.createSourceFile('a.svelte', toScriptText('a.svelte', svelte), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const svelteSignals = collectFileSignals('src/a.svelte', svelte, null, svelteSf);
  assert.ok(svelteSignals.regions.some((r) => r.name === 'save (event handler)'));
});

test('script-only .vue/.svelte text: top-level functions the script never calls are template handlers, browser-only', () => {
  const nuxtPkg = { 'package.json': JSON.stringify({ dependencies: { nuxt: '3.12.0', vue: '3.4.0' } }) };
  const vue = [
    '<template>',
    '  <button @click="react(\'+1\')">+1</button>',
    '  <p>{{ label }}</p>',
    '</template>',
    '<script setup lang="ts">',
    'const props = defineProps<{ id: string }>();',
    'async function load() { return fetch(`/api/posts/${props.id}`); }',
    'const label = await load();',
    'async function react(emoji: string) {',
    '  await fetch(`/api/reactions/${props.id}`, { method: "POST", body: emoji });',
    '}',
    'const share = async () => { await fetch("/api/share", { method: "POST" }); };',
    'defineExpose({ share });',
    '</script>',
  ].join('\n');
  const rel = 'components/Reactions.vue';
  const script = toScriptText(rel, vue);
  const pkg = memoryLookup(nuxtPkg).lookup.forFile(rel);
  const sf = ts.createSourceFile(rel, script, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const signals = collectFileSignals(rel, script, pkg, sf);
  const file = classifyGraph([signals], {}).get(rel)!;
  assert.equal(file.runtime, 'isomorphic', 'a Nuxt component renders on both sides');
  const at = (needle: string) => classifyCall(file, signals, { start: script.indexOf(needle), end: script.indexOf(needle) + needle.length });
  const react = at('fetch(`/api/reactions');
  assert.equal(react.runtime, 'frontend');
  assert.match(details(react), /inside react, which the component's script never calls/);
  assert.equal(at('fetch(`/api/posts').runtime, 'isomorphic', 'load is called from setup, which runs during SSR too');
  assert.equal(at('fetch("/api/share"').runtime, 'isomorphic', 'share is exposed to the parent, which may call it anywhere');
  // With the whole file, the template's own bindings are read instead and nothing is inferred.
  const precise = collectFileSignals(rel, script, pkg, sf, vue);
  assert.deepEqual(precise.regions.map((r) => r.name), ['react (event handler)']);
  // Svelte: an exported function is the parent's to call; a plain one is the markup's.
  const svelte = '<script>\n  export function reset() { return fetch("/api/reset"); }\n  function save() { return fetch("/api/save"); }\n</script>\n<button on:click={save}>Save</button>\n';
  const svelteRel = 'src/Editor.svelte';
  const svelteScript = toScriptText(svelteRel, svelte);
  const svelteSignals = collectFileSignals(svelteRel, svelteScript, null, ts.createSourceFile(svelteRel, svelteScript, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
  assert.deepEqual(svelteSignals.regions.map((r) => r.name), ['save (template only)']);
});

// ─── SvelteKit, Nuxt, Remix ─────────────────────────────────────────────────────────────────────────────────

test('svelte-kit: server loads, endpoints, hooks, universal loads (ssr = false too), $lib/server and components (their script runs in SSR too)', () => {
  const ws = loadWorkspace('svelte-kit');
  const map = ws.classify();
  expectFile(map, 'src/routes/+page.server.ts', 'backend', 'sveltekit-server', /server load/);
  expectFile(map, 'src/routes/api/items/+server.ts', 'backend', 'sveltekit-server', /endpoint/);
  expectFile(map, 'src/hooks.server.ts', 'backend', 'sveltekit-server', /server hooks/);
  expectFile(map, 'src/routes/+page.ts', 'isomorphic', 'sveltekit-universal', /server for the first request and in the browser on navigation/);
  expectFile(map, 'src/routes/admin/+page.ts', 'frontend', 'sveltekit-universal', /ssr = false/);
  expectFile(map, 'src/lib/server/db.ts', 'backend', 'sveltekit-server', /src\/lib\/server/);
  expectFile(map, 'src/routes/+page.svelte', 'isomorphic', 'ssr-component', /its script runs on the server during SSR and again in the browser/);
  expectFile(map, 'src/lib/api.ts', 'isomorphic', 'shared-module', /imported by src\/routes\/\+page\.ts \(a SvelteKit universal load\)/);
  assert.match(ws.signals.get('src/routes/+page.server.ts')!.evidence.map((e) => e.detail).join(), /\$env\/dynamic\/private/);
  const mount = callIn(ws, map, 'src/routes/+page.svelte', "fetch('/api/likes')");
  assert.match(details(mount), /inside the onMount callback/);
});

test('nuxt-app: server/ is Nitro, pages and components render on both sides, .client is browser-only', () => {
  const ws = loadWorkspace('nuxt-app');
  const map = ws.classify();
  expectFile(map, 'server/api/summary.get.ts', 'backend', 'nuxt-server', /Nitro server/);
  expectFile(map, 'server/utils/openai.ts', 'backend', 'nuxt-server');
  expectFile(map, 'pages/index.vue', 'isomorphic', 'ssr-component', /setup runs on the server during SSR and again in the browser/);
  expectFile(map, 'components/LiveChart.client.vue', 'frontend', 'spa', /only in the browser/);
  expectFile(map, 'plugins/analytics.client.ts', 'frontend', 'spa');
  expectFile(map, 'composables/useApi.ts', 'isomorphic', 'shared-module', /auto-imported/);
  const setup = callIn(ws, map, 'pages/index.vue', "fetch('https://quotes.example.com");
  assert.equal(setup.runtime, 'isomorphic');
  const mounted = callIn(ws, map, 'pages/index.vue', "fetch('/api/visits'");
  assert.equal(mounted.runtime, 'frontend');
});

test('remix-app: loader and action are backend regions, the component frontend, .server modules backend', () => {
  const ws = loadWorkspace('remix-app');
  const map = ws.classify();
  expectFile(map, 'app/routes/_index.tsx', 'frontend', 'react-router-route', /Remix route module/);
  expectFile(map, 'app/models/note.server.ts', 'backend', 'remix-server', /\.server module/);
  expectFile(map, 'app/entry.client.tsx', 'frontend', 'react-router-route');
  expectFile(map, 'app/lib/time.ts', 'frontend', 'react-router-route', /imported by app\/routes\/_index\.tsx \(a Remix route module\)/);
  const loader = callIn(ws, map, 'app/routes/_index.tsx', "fetch('https://api.weather.example.com");
  assert.deepEqual([loader.runtime, loader.context], ['backend', 'remix-server']);
  assert.match(details(loader), /inside the route's loader/);
  const action = callIn(ws, map, 'app/routes/_index.tsx', "fetch('https://hooks.slack.example.com");
  assert.match(details(action), /inside the route's action/);
  const effect = callIn(ws, map, 'app/routes/_index.tsx', "fetch('/api/online')");
  assert.equal(effect.runtime, 'frontend');
});

// ─── overrides ──────────────────────────────────────────────────────────────────────────────────────────────

test('runtimeOverrides: a glob decides the file, the last matching glob wins, and overridden files propagate', () => {
  const ws = loadWorkspace('next-app');
  const map = ws.classify({ 'lib/**': 'isomorphic', 'lib/analytics.ts': 'backend' });
  expectFile(map, 'lib/analytics.ts', 'backend', 'unknown', /apiAtlas\.runtimeOverrides maps "lib\/analytics\.ts" to backend/);
  assert.equal(map.get('lib/analytics.ts')?.confidence, 1);
  expectFile(map, 'lib/db.ts', 'isomorphic', 'shared-module', /"lib\/\*\*" to isomorphic/);
  assert.match(details(map.get('lib/db.ts')!), /imports 'server-only'/, 'the file\'s own evidence is kept');
  // A region does not beat the user's override.
  const call = callIn(ws, map, 'lib/analytics.ts', 'fetch(');
  assert.equal(call.runtime, 'backend');

  const spa = loadWorkspace('vite-spa');
  const forced = spa.classify({ 'src/App.tsx': 'backend' });
  const notes = forced.get('src/hooks/useNotes.ts')!;
  assert.equal(notes.runtime, 'backend', 'the overridden App.tsx is the only importer');
  assert.match(details(notes), /imported by src\/App\.tsx \(runtimeOverrides "src\/App\.tsx"\), which runs on the server/);
  assert.match(details(notes), /calls React hooks/, 'its own disagreeing evidence stays visible');
  assert.ok(notes.confidence < spa.classify().get('src/hooks/useNotes.ts')!.confidence, 'disagreement costs confidence');
});

// ─── more signals on small files ────────────────────────────────────────────────────────────────────────────

test('Node scripts, servers, edge workers and service workers are recognised from their code', () => {
  const script = classifyGraph([signalsOf('tools/sync.mjs', '#!/usr/bin/env node\nconst res = await fetch(process.argv[2]);\n')], {});
  expectFile(script, 'tools/sync.mjs', 'backend', 'node-script', /#! line for Node/);
  const main = classifyGraph([signalsOf('src/cli.ts', 'async function run() { await fetch(url); }\nif (require.main === module) void run();\n')], {});
  expectFile(main, 'src/cli.ts', 'backend', 'node-script', /require\.main === module/);
  const server = classifyGraph([signalsOf('src/app.ts', "import http from 'node:http';\nhttp.createServer(handler).listen(8080);\n")], {});
  expectFile(server, 'src/app.ts', 'backend', 'node-server', /Node HTTP server/);
  const worker = classifyGraph(
    [signalsOf('src/index.ts', 'export default {\n  async fetch(request: Request, env: Env) {\n    return fetch(env.ORIGIN);\n  },\n};\n', { 'package.json': '{"devDependencies":{"wrangler":"3"}}' })],
    {},
  );
  expectFile(worker, 'src/index.ts', 'backend', 'edge-worker', /Cloudflare-style edge worker/);
  const swSyntax = classifyGraph(
    [signalsOf('src/worker.js', "addEventListener('fetch', (event) => event.respondWith(fetch(event.request)));\n", { 'package.json': '{}', 'wrangler.toml': 'name = "w"' })],
    {},
  );
  expectFile(swSyntax, 'src/worker.js', 'backend', 'edge-worker', /Cloudflare Workers package/);
  const sw = classifyGraph([signalsOf('public/service-worker.js', "importScripts('/workbox.js');\nworkbox.routing.registerRoute(/api/, new workbox.strategies.NetworkFirst());\n")], {});
  expectFile(sw, 'public/service-worker.js', 'frontend', 'service-worker', /service worker/);
  const bin = classifyGraph(
    [signalsOf('bin/atlas.js', "const { scan } = require('../lib');\nscan();\n", { 'package.json': JSON.stringify({ bin: { atlas: 'bin/atlas.js' } }) })],
    {},
  );
  expectFile(bin, 'bin/atlas.js', 'backend', 'node-script', /listed under "bin"/);
});

test('scripts that load .env with dotenv, call main() from a scripts folder or use process.exit are Node scripts; the folder alone is not', () => {
  const body = 'async function main() {\n  await fetch(`${process.env.API_URL}/v0/events`, { method: "POST" });\n}\n';
  const flow = signalsOf('apps/web/scripts/backfill.ts', `import 'dotenv-flow/config';\n${body}main();\n`, NEXT_PKG);
  expectFile(classifyGraph([flow], {}), 'apps/web/scripts/backfill.ts', 'backend', 'node-script', /loads \.env files with import 'dotenv-flow\/config'/);
  const plain = signalsOf('lib/load-env.ts', "import 'dotenv/config';\nexport const url = process.env.API_URL;\n", NEXT_PKG);
  expectFile(classifyGraph([plain], {}), 'lib/load-env.ts', 'backend', 'node-script', /dotenv\/config/);
  const called = signalsOf('tools/seed.js', "const dotenv = require('dotenv');\ndotenv.config();\nfetch(process.env.SEED_URL);\n");
  expectFile(classifyGraph([called], {}), 'tools/seed.js', 'backend', 'node-script', /dotenv's config\(\)/);
  const mainOnly = signalsOf('scripts/sync.ts', `${body}main().catch((e) => console.error(e));\n`);
  expectFile(classifyGraph([mainOnly], {}), 'scripts/sync.ts', 'backend', 'node-script', /calls main\(\) at the top level in a scripts folder/);
  const exits = signalsOf('scripts/check.ts', "const res = await fetch('https://status.example.com');\nif (!res.ok) process.exit(1);\n");
  expectFile(classifyGraph([exits], {}), 'scripts/check.ts', 'backend', 'node-script', /process\.exit/);
  // A folder name alone, or a main() outside a scripts folder, does not decide.
  const folderOnly = signalsOf('scripts/helpers.ts', "export const ping = () => fetch('/api/ping');\n");
  assert.equal(classifyGraph([folderOnly], {}).get('scripts/helpers.ts')?.runtime, 'unknown');
  const mainElsewhere = signalsOf('src/widget.ts', `${body}main();\n`);
  assert.ok(classifyGraph([mainElsewhere], {}).get('src/widget.ts')!.confidence < 0.5, 'a lone main() is weak evidence');
});

test('browser APIs in strings and comments do not count; typeof window checks make the code isomorphic with guarded regions', () => {
  const quiet = signalsOf('src/a.ts', "// window.location\nconst hint = 'use localStorage here';\nexport const x = 1;\n");
  assert.equal(quiet.evidence.length, 0);
  const mongo = signalsOf('src/orders.ts', "export async function load(db) {\n  const document = await db.collection('orders').findOne();\n  return document.total + config.window.size;\n}\n");
  assert.ok(!mongo.evidence.some((e) => e.signal === 'browser-api'), 'a local named document and a property named window are not the browser globals');
  const guarded = signalsOf(
    'src/storage.ts',
    "export function load() {\n  if (typeof window !== 'undefined') {\n    return fetch('/api/a');\n  } else {\n    return fetch('http://internal/a');\n  }\n}\nexport const store = () => window.localStorage;\n",
  );
  const map = classifyGraph([guarded], {});
  const file = map.get('src/storage.ts')!;
  assert.equal(file.runtime, 'isomorphic');
  assert.match(details(file), /checks typeof window/);
  const text = "export function load() {\n  if (typeof window !== 'undefined') {\n    return fetch('/api/a');\n  } else {\n    return fetch('http://internal/a');\n  }\n}\n";
  const browser = classifyCall(file, guarded, { start: text.indexOf("fetch('/api/a')"), end: text.indexOf("fetch('/api/a')") + 5 });
  assert.equal(browser.runtime, 'frontend');
  assert.match(details(browser), /inside if \(typeof window !== 'undefined'\)/);
  const server = classifyCall(file, guarded, { start: text.indexOf('fetch(\'http://internal'), end: text.indexOf('fetch(\'http://internal') + 5 });
  assert.equal(server.runtime, 'backend');
});

test('conflicting signals are weighed: the stronger wins, all evidence is kept, confidence drops', () => {
  const lopsided = signalsOf('src/server.ts', "import express from 'express';\nconst app = express();\napp.get('/', (_q, r) => r.send(document.title));\napp.listen(3000);\n");
  const c = classifyGraph([lopsided], {}).get('src/server.ts')!;
  assert.equal(c.runtime, 'backend');
  assert.ok(c.confidence < 0.75, `confidence ${c.confidence}`);
  assert.match(details(c), /creates an Express app/);
  assert.match(details(c), /uses browser-only APIs \(document\)/);
  // Strong signals for both sides and neither clearly ahead: isomorphic, with a low confidence.
  const mixed = signalsOf('src/report.ts', "import { readFileSync } from 'fs';\nexport const size = () => window.innerWidth + readFileSync('x').length;\n");
  const m = classifyGraph([mixed], {}).get('src/report.ts')!;
  assert.equal(m.runtime, 'isomorphic');
  assert.ok(m.confidence < 0.5);
  assert.match(details(m), /fs/);
  assert.match(details(m), /window/);
  // A server component that imports a module decided by browser APIs alone: the module keeps its runtime,
  // the importer becomes evidence and the confidence drops.
  const page = signalsOf('app/page.tsx', "import { size } from '../lib/size';\nexport default function Page() { return size(); }\n", NEXT_PKG);
  const size = signalsOf('lib/size.ts', 'export const size = () => window.innerWidth;\n', NEXT_PKG);
  const map = classifyGraph([page, size], { 'app/page.tsx': ['lib/size.ts'] });
  const sized = map.get('lib/size.ts')!;
  assert.equal(sized.runtime, 'frontend');
  assert.match(details(sized), /but app\/page\.tsx imports it, and that file runs on the server side/);
  assert.ok(sized.confidence < 0.6);
});

test("a client component makes what it imports client-side, unless the import is server-only", () => {
  const boundary = signalsOf('components/Chart.tsx', "'use client';\nimport { series } from '../lib/series';\nimport { secret } from '../lib/secret';\n", NEXT_PKG);
  const series = signalsOf('lib/series.ts', "export const series = () => fetch('/api/series');\n", NEXT_PKG);
  const secret = signalsOf('lib/secret.ts', "import 'server-only';\nexport const secret = () => fetch('https://vault');\n", NEXT_PKG);
  const page = signalsOf('app/page.tsx', "import Chart from '../components/Chart';\nexport default function Page() { return <Chart />; }\n", NEXT_PKG);
  const map = classifyGraph([boundary, series, secret, page], {
    'app/page.tsx': ['components/Chart.tsx'],
    'components/Chart.tsx': ['lib/series.ts', 'lib/secret.ts'],
  });
  expectFile(map, 'components/Chart.tsx', 'frontend', 'next-client-component');
  expectFile(map, 'lib/series.ts', 'frontend', 'next-client-component', /imported by components\/Chart\.tsx \('use client'\)/);
  expectFile(map, 'lib/secret.ts', 'backend', 'next-server-component');
});

test('browser-only modules of a Next.js app are client component code, not an SPA', () => {
  const ui = signalsOf('components/chat-ui.tsx', "'use client';\nimport { useChat } from '../lib/hooks/use-chat';\nimport { track } from '../lib/track';\n", NEXT_PKG);
  const hook = signalsOf('lib/hooks/use-chat.ts', "import { useState } from 'react';\nexport function useChat() { const [m] = useState([]); return () => fetch('/api/chat'); }\n", NEXT_PKG);
  const track = signalsOf('lib/track.ts', "export const track = () => fetch('/api/track', { body: window.location.href });\n", NEXT_PKG);
  const map = classifyGraph([ui, hook, track], { 'components/chat-ui.tsx': ['lib/hooks/use-chat.ts', 'lib/track.ts'] });
  expectFile(map, 'lib/hooks/use-chat.ts', 'frontend', 'next-client-component', /imported by components\/chat-ui\.tsx/);
  expectFile(map, 'lib/track.ts', 'frontend', 'next-client-component', /browser-only APIs/);
  // A pages router page renders on both sides; its effect runs in the browser, as client code of the Next app.
  const page = signalsOf('pages/index.tsx', "import { useEffect } from 'react';\nexport default function Home() { useEffect(() => { void fetch('/api/x'); }, []); return null; }\n", NEXT_PKG);
  const pageMap = classifyGraph([page], {});
  const text = toScriptText('pages/index.tsx', "import { useEffect } from 'react';\nexport default function Home() { useEffect(() => { void fetch('/api/x'); }, []); return null; }\n");
  const effect = classifyCall(pageMap.get('pages/index.tsx')!, page, { start: text.indexOf("fetch('/api/x')"), end: text.indexOf("fetch('/api/x')") + 15 });
  assert.deepEqual([effect.runtime, effect.context], ['frontend', 'next-client-component']);
  // Outside Next.js the same hook module keeps the spa context.
  const viteHook = signalsOf('src/hooks/use-chat.ts', "import { useState } from 'react';\nexport function useChat() { const [m] = useState([]); return m; }\n", { 'package.json': '{"dependencies":{"react-dom":"19","vite":"5"}}' });
  assert.ok(viteHook.contexts.some((h) => h.context === 'spa'));
});

test('a module imported only by tests takes the test context', () => {
  const spec = signalsOf('src/api.test.ts', "import { fixture } from './test-utils';\n");
  const utils = signalsOf('src/test-utils.ts', "export const fixture = () => fetch('http://localhost');\n");
  const map = classifyGraph([spec, utils], { 'src/api.test.ts': ['src/test-utils.ts'] });
  expectFile(map, 'src/api.test.ts', 'backend', 'test');
  expectFile(map, 'src/test-utils.ts', 'unknown', 'test', /only test code imports it/);
  expectFile(classifyGraph([signalsOf('cypress/e2e/login.cy.ts', "cy.request('/api/login');\n")], {}), 'cypress/e2e/login.cy.ts', 'frontend', 'test', /Cypress/);
});

test('a test helper that imports a test framework is test code and never pulls app modules to the server', () => {
  const VITE_PKG = { 'package.json': JSON.stringify({ dependencies: { vue: '3.4.0' }, devDependencies: { vite: '5.0.0', vitest: '2.0.0', msw: '2.0.0' } }) };
  const main = signalsOf('src/main.ts', "import { fetchArticles } from './services/api';\nvoid fetchArticles();\n", VITE_PKG);
  const api = signalsOf('src/services/api.ts', "export const fetchArticles = () => fetch('/api/articles');\n", VITE_PKG);
  const helper = signalsOf(
    'src/utils/test/test.utils.ts',
    "import { setupServer } from 'msw/node';\nimport { beforeAll } from 'vitest';\nimport { fetchArticles } from '../../services/api';\nexport const server = setupServer();\nbeforeAll(() => server.listen());\nexport const load = fetchArticles;\n",
    VITE_PKG,
  );
  const setup = signalsOf('tests/setup.ts', "import '@testing-library/jest-dom/vitest';\nimport { fetchArticles } from '../src/services/api';\nvoid fetchArticles;\n", VITE_PKG);
  const html = { ...main, entry: true, evidence: [{ signal: 'html-entry', detail: 'index.html loads it', runtime: 'frontend' as const, weight: 0.9 }, ...main.evidence], contexts: [{ context: 'spa' as const, runtime: 'frontend' as const, weight: 0.9 }] };
  const map = classifyGraph([html, api, helper, setup], {
    'src/main.ts': ['src/services/api.ts'],
    'src/utils/test/test.utils.ts': ['src/services/api.ts'],
    'tests/setup.ts': ['src/services/api.ts'],
  });
  expectFile(map, 'src/utils/test/test.utils.ts', 'backend', 'test', /imports msw\/node, vitest: test code/);
  expectFile(map, 'tests/setup.ts', 'backend', 'test', /@testing-library\/jest-dom\/vitest/);
  expectFile(map, 'src/services/api.ts', 'frontend', 'spa', /imported by src\/main\.ts/);
  // Tool configuration that only imports a runner's config helpers is not a test.
  assert.equal(signalsOf('vitest.config.ts', "import { defineConfig } from 'vitest/config';\nexport default defineConfig({});\n").test, false);
});

test('ownExportNames lists declared exports, not re-exports or text in comments; CommonJS is unknown', () => {
  const code = "// export const inComment = 1\nexport const a = 1;\nexport async function b() {}\nexport class C {}\nconst d = 2, e = 3;\nexport { d, e as f };\nexport { g } from './g';\nexport * from './h';\nexport default a;\n";
  assert.deepEqual(ownExportNames(code, scanCode(code).inNonCode)?.sort(), ['C', 'a', 'b', 'd', 'default', 'f']);
  const cjs = 'module.exports = { a: 1 };\n';
  assert.equal(ownExportNames(cjs, scanCode(cjs).inNonCode), null);
});

test('barrels: a module behind export * takes the runtime of the importers that use its names, not of every importer of the barrel', () => {
  const files: Record<string, string> = {
    'app/links/page.tsx': "import { getLinks } from '../../lib';\nexport default async function Page() { return getLinks(); }\n",
    'components/links-table.tsx': "'use client';\nimport { linkSchema } from '../lib';\nexport function Table() { return linkSchema; }\n",
    'components/counter.tsx': "'use client';\nimport * as lib from '../lib/named';\nexport const n = lib;\n",
    'lib/index.ts': "export * from './zod';\nexport * from './edge-config';\nexport { track as trackEvent } from './analytics';\n",
    'lib/zod.ts': 'export const linkSchema = { parse: (x: unknown) => x };\n',
    'lib/edge-config.ts': "export async function getLinks() { return fetch('https://api.vercel.com/v1/edge-config/x/items'); }\n",
    'lib/analytics.ts': "export const track = () => fetch('/api/track');\n",
    'lib/named.ts': "export { getAll } from './all';\n",
    'lib/all.ts': "export const getAll = () => fetch('/api/all');\n",
  };
  const signals = Object.entries(files).map(([rel, text]) => signalsOf(rel, text, NEXT_PKG));
  const known = new Set(Object.keys(files));
  const resolveFrom = (rel: string) => (spec: string) => {
    const base = path.posix.join(path.posix.dirname(rel), spec);
    return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((c) => known.has(c)) ?? null;
  };
  const edges = new Map(Object.entries(files).map(([rel, text]) => [rel, importEdgesOf(extractImports(text), resolveFrom(rel))]));
  const graph = Object.fromEntries([...edges].map(([rel, list]) => [rel, list.map((e) => e.target)]));
  const importers = new Map<string, string[]>();
  for (const [from, tos] of Object.entries(graph)) for (const to of tos) importers.set(to, [...(importers.get(to) ?? []), from]);
  const input = { files: new Map(signals.map((x) => [x.rel, x])), imports: (r: string) => graph[r] ?? [], importers: (r: string) => importers.get(r) ?? [], overrides: {} };

  const byName = classifyFiles({ ...input, importEdges: (r) => edges.get(r) ?? [] });
  expectFile(byName, 'lib/edge-config.ts', 'backend', 'next-server-component', /imported by app\/links\/page\.tsx .* via lib\/index\.ts/);
  expectFile(byName, 'lib/zod.ts', 'frontend', 'next-client-component', /imported by components\/links-table\.tsx/);
  assert.equal(byName.get('lib/analytics.ts')?.runtime, 'unknown', 'nobody imports trackEvent');
  expectFile(byName, 'lib/all.ts', 'frontend', 'next-client-component', /via lib\/named\.ts/);
  assert.equal(byName.get('lib/index.ts')?.runtime, 'isomorphic', 'the barrel itself is loaded on both sides');

  // Module by module (no names), every helper behind the barrel is reached from both sides.
  const byModule = classifyFiles(input);
  assert.equal(byModule.get('lib/edge-config.ts')?.runtime, 'isomorphic');
});

// ─── the engine's monorepo fixture, through AtlasIndex ─────────────────────────────────────────────────────

test('monorepo: calls in packages/shared take the runtime of the apps that use them, through the barrel, with the path', async () => {
  const index = new AtlasIndex({ root: path.join(FIXTURES, 'monorepo'), settings: { ...DEFAULT_SETTINGS }, workers: 0 });
  await index.scan();
  // getJson's fetch is the definition of its call sites' rows; asked for with the definitions, it is still there.
  assert.equal(index.getCallsInFile('packages/shared/src/http.ts').length, 0, 'getJson has call sites: they are the rows');
  const getJson = index.getCallsInFile('packages/shared/src/http.ts', { withDefinitions: true });
  assert.equal(getJson.length, 1, 'the fetch in getJson');
  // CartView ('use client') imports only `api` and `formatPrice` through the package's barrel, never getJson:
  // with the names each import takes, the barrel does not carry the browser to http.ts.
  assert.equal(getJson[0].runtime, 'backend');
  const text = details(getJson[0]);
  assert.match(text, /imported by apps\/api\/src\/routes\/orders\.ts \(a server framework module\), which runs on the server/);
  assert.doesNotMatch(text, /CartView/);
  // The API server's router is reached from its Express main; the web page is a server component.
  const orders = index.getCallsInFile('apps/api/src/routes/orders.ts');
  assert.ok(orders.length > 0);
  assert.ok(orders.every((c) => c.runtime === 'backend'), JSON.stringify(orders.map((c) => c.runtime)));
  const cart = index.getCallsInFile('apps/web/src/components/CartView.tsx');
  assert.ok(cart.length > 0 && cart.every((c) => c.runtime === 'frontend'));

  // Overriding the shared package by glob reaches its calls too.
  await index.setSettings({ ...DEFAULT_SETTINGS, runtimeOverrides: { 'packages/shared/**': 'backend' } });
  const forced = index.getCallsInFile('packages/shared/src/http.ts', { withDefinitions: true })[0];
  assert.equal(forced.runtime, 'backend');
  assert.match(details(forced), /runtimeOverrides maps "packages\/shared\/\*\*" to backend/);
  index.dispose();
});

test("a dynamic import('next/headers') is weak evidence; a static import of it still decides the server", () => {
  const lazy = collectFileSignals('lib/api.ts', "export async function cookieHeader() {\n  if (typeof window !== 'undefined') return '';\n  const { cookies } = await import('next/headers');\n  return cookies().toString();\n}\n", null);
  const eager = collectFileSignals('lib/api.ts', "import { cookies } from 'next/headers';\nexport const cookieHeader = () => cookies().toString();\n", null);
  const weight = (s: FileSignals) => s.evidence.find((e) => e.signal === 'next-server-import')?.weight;
  assert.equal(weight(lazy), 0.3);
  assert.equal(weight(eager), 0.8);
});

test('scope-aware globals: a parameter, destructured name, key or catch variable named like a global is not the global', () => {
  const local = collectFileSignals(
    'server/store.js',
    "function toRow(document) { return document.id; }\nconst keys = { window: 1, navigator: 2 };\nconst { data: localStorage } = read();\ntry { go(); } catch (process) { log(process.argv); }\n",
    null,
  );
  assert.equal(local.evidence.find((e) => e.signal === 'browser-api'), undefined, JSON.stringify(local.evidence));
  assert.equal(local.evidence.find((e) => e.signal === 'node-globals'), undefined, JSON.stringify(local.evidence));
  const real = collectFileSignals('web/main.js', "function title(doc) { return doc.id; }\nconst t = { document };\nconsole.log(t, process.argv);\n", null);
  assert.match(real.evidence.find((e) => e.signal === 'browser-api')?.detail ?? '', /document/);
  assert.match(real.evidence.find((e) => e.signal === 'node-globals')?.detail ?? '', /process\.argv/);
});

test('wrangler main: the top-level main of wrangler.toml (not an [env] one) and of wrangler.jsonc (not a commented one) is the edge entry', () => {
  const toml = memoryLookup({
    'package.json': '{"name":"cron"}',
    'wrangler.toml': 'name = "cron"\nmain = "./worker/index.js"\n\n[env.staging]\nmain = "worker/checks.js"\n',
  }).lookup.forFile('worker/index.js');
  assert.equal(toml?.wranglerMain, 'worker/index.js');
  const jsonc = memoryLookup({
    'apps/api/package.json': '{"name":"api"}',
    'apps/api/wrangler.jsonc': '{\n  // "main": "src/old.ts",\n  "main": "src/index.ts", "route": "https://example.com/*"\n}',
  }).lookup.forFile('apps/api/src/index.ts');
  assert.equal(jsonc?.wranglerMain, 'apps/api/src/index.ts');
  const entry = signalsOf('apps/api/src/index.ts', "const ua = navigator.userAgent;\nexport default { fetch: () => new Response(ua) };\n", {
    'apps/api/package.json': '{"name":"api"}',
    'apps/api/wrangler.jsonc': '{ "main": "src/index.ts" }',
  });
  assert.equal(entry.entry, true);
  const placed = classifyGraph([entry], {}).get('apps/api/src/index.ts')!;
  assert.deepEqual([placed.runtime, placed.context], ['backend', 'edge-worker']);
});

test('.astro: only a leading --- fence opens the frontmatter; a --- line in the markup of a file without one is text', () => {
  const withFrontmatter = "\n---\nconst r = await fetch('/a');\n---\n<p>hi</p>\n";
  const script = toScriptText('src/pages/a.astro', withFrontmatter);
  assert.equal(script.length, withFrontmatter.length);
  assert.match(script, /^\n;\/\/\nconst r = await fetch\('\/a'\);\n;\/\/\n\s*$/);
  const noFrontmatter = "<p>one</p>\n---\n<p>fetch('/b')</p>\n---\n<script>fetch('/c');</script>\n";
  const plain = toScriptText('src/components/B.astro', noFrontmatter);
  assert.doesNotMatch(plain, /fetch\('\/b'\)/);
  const signals = signalsOf('src/components/B.astro', noFrontmatter, { 'package.json': '{"dependencies":{"astro":"^4.0.0"}}' });
  assert.deepEqual(signals.regions.map((r) => [r.name, r.runtime]), [['<script>', 'frontend']]);
});
