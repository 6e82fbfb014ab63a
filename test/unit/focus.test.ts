// Focused parsing (src/core/parse/focus.ts): which statements are left out, and that leaving them out changes no result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { scriptKindFor } from '../../src/core/parse';
import { AtlasIndex } from '../../src/core/index';
import { analyzeFile, importsLibrary, mayUseDefinition } from '../../src/core/index';
import { libraryTable } from '../../src/core/detect';
import { focusText, splitStatements } from '../../src/core/parse';
import { loadSettings } from '../../src/core/settings';
import { EXAMPLES, FIXTURES, fixtureWorkspaces } from '../support/fixture-workspaces';


/** The lines of `text` that focusing kept (not blank after it), trimmed. */
function keptLines(focused: string): string[] {
  return focused.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

const SERVICE = `'use client';
import axios from 'axios';
import { z } from 'zod';

const BASE = 'https://api.example.com';
const TIMEOUT = 5_000;

/** Unrelated helper. */
export function sortUsers(list: string[]): string[] {
  return [...list].sort();
}

export const api = axios.create({ baseURL: BASE, timeout: TIMEOUT });

// api-atlas-ignore-next-line missing-error-handling
export async function loadUser(id: string) {
  return api.get(\`/users/\${id}\`);
}

export interface Unrelated {
  id: string;
}

export function Profile() {
  useEffect(() => {
    loadUser('1');
  }, []);
  return null;
}

export const labels = { a: 'x', b: 'y' } as const;
`;

test('focusText keeps what a request needs and blanks the rest, line for line', () => {
  const focused = focusText(SERVICE, []);
  assert.ok(focused !== null, 'a file with unrelated statements is narrowed');
  assert.equal(focused.length, SERVICE.length, 'same length: every offset still points at the same code');
  assert.equal(focused.split('\n').length, SERVICE.split('\n').length, 'same lines');
  const kept = keptLines(focused);
  for (const line of [
    "'use client';", // the head (directives) always stays
    "import axios from 'axios';",
    "import { z } from 'zod';", // imports always stay
    "const BASE = 'https://api.example.com';", // used by a kept statement
    'const TIMEOUT = 5_000;',
    'export const api = axios.create({ baseURL: BASE, timeout: TIMEOUT });',
    '// api-atlas-ignore-next-line missing-error-handling', // the comment above a kept statement stays with it
    'export async function loadUser(id: string) {',
    'export function Profile() {', // uses loadUser, a wrapper a kept statement declares
  ]) {
    assert.ok(kept.includes(line), `kept: ${line}`);
  }
  for (const gone of ['export function sortUsers(list: string[]): string[] {', 'export interface Unrelated {', "export const labels = { a: 'x', b: 'y' } as const;", '/** Unrelated helper. */']) {
    assert.ok(!kept.includes(gone), `left out: ${gone}`);
  }
});

test('focusText follows configured wrapper names and imported definitions', () => {
  const text = `import { shop } from './shop';\n\nexport function a() {\n  return 1;\n}\n\nexport function b() {\n  return shop.get('/x');\n}\n\nexport function c() {\n  return shopifyFetch('/y');\n}\n`;
  const none = focusText(text, []);
  assert.ok(none !== null);
  assert.ok(!keptLines(none).includes("return shop.get('/x');"), 'without the imported name, b is unrelated');
  assert.ok(keptLines(none).includes("return shopifyFetch('/y');"), "a name containing 'fetch' always counts");
  const withShop = focusText(text, ['shop']);
  assert.ok(withShop !== null);
  assert.ok(keptLines(withShop).includes("return shop.get('/x');"), 'an imported instance name keeps its uses');
  assert.ok(!keptLines(withShop).includes('return 1;'));
});

test('focusText leaves a text whole when it cannot split it safely or nothing would be saved', () => {
  // Unbalanced brackets (half-typed code): parse it all.
  assert.equal(focusText("export function a() {\n  fetch('/x');\n\nexport const b = 1;\nexport const c = 2;\nexport const d = 3;\n", []), null);
  // An unclosed template literal.
  assert.equal(focusText('export const q = `\nexport const x = 1;\n', []), null);
  // Everything matters.
  assert.equal(focusText("import x from 'y';\nexport const a = fetch('/a');\n", []), null);
  // No statement boundary at all: one chunk.
  assert.equal(focusText("fetch('/x').then(() => {\n  console.log(1);\n});\n", []), null);
});

test('splitStatements does not cut inside templates, strings, comments, regexes or continued expressions', () => {
  const text = [
    "const sql = `",
    'export const notAStatement = 1;',
    '`;',
    '/*',
    'export const inComment = 2;',
    '*/',
    'const re = /export const/g;',
    'const s = "a \\',
    'export const x";',
    'export default',
    'function named() {}',
    'const sum = 1 +',
    'function () {}',
    '@Injectable()',
    'export class Service {}',
    'export const last = 3;',
    '',
  ].join('\n');
  const split = splitStatements(text);
  assert.ok(split !== null);
  const heads = split.chunks.map((c) => text.slice(c.start, text.indexOf('\n', c.start)));
  assert.deepEqual(heads, ['const sql = `', '/*', 'const s = "a \\', 'export default', 'const sum = 1 +', '@Injectable()', 'export const last = 3;']);
  assert.deepEqual(
    split.chunks.map((c) => c.declared),
    [['sql'], ['re'], ['s'], ['named'], ['sum'], ['Service'], ['last']],
  );
});

/** Syntax errors TypeScript reports for a text (its parser's own list). */
function syntaxErrors(rel: string, text: string): number {
  const sf = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, false, scriptKindFor(rel));
  return (sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length;
}

test('comments stay whole: a header comment before the first statement, and one that trails code over several lines', () => {
  const text = [
    '/**',
    ' * Escapes a string for use in a regular expression: https://example.com',
    ' */',
    'export function regexEscape(str: string) {',
    '  return str.replace(/[.*+?^${}()|[\\]\\\\]/g, "\\\\$&");',
    '}',
    'export const a = 1; /* a note that',
    '   goes on */',
    'export const b = 2;',
    "export const c = () => fetch('/c');",
    '',
  ].join('\n');
  assert.equal(syntaxErrors('x.ts', text), 0);
  const focused = focusText(text, ['http']);
  assert.ok(focused !== null, 'narrowed');
  assert.equal(syntaxErrors('x.ts', focused), 0, focused);
  const split = splitStatements(text)!;
  assert.equal(split.chunks[0].start, 0, 'the header comment and the first statement are one chunk');
  assert.ok(text.slice(split.chunks[1].start).startsWith('export const a'), 'the next one starts at its own line');
  assert.ok(text.slice(split.chunks[2].start).startsWith('export const b'), 'after the comment that trails the code before it');
});

test('narrowing never breaks a file that parses: every fixture, example and generated file', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-focus-parse-'));
  try {
    const { generateWorkspace } = await import('../../bench/generate.mjs');
    generateWorkspace({ out, files: 300, seed: 11 });
    let narrowed = 0;
    for (const file of [...listSources(FIXTURES), ...listSources(EXAMPLES), ...listSources(out)]) {
      const text = fs.readFileSync(file, 'utf8');
      // Words that occur in many files, so that many statements are kept for a reason other than fetch/axios.
      const focused = focusText(text, ['api', 'client', 'http', 'data']);
      if (focused === null || syntaxErrors(file, text) > 0) continue;
      narrowed++;
      assert.equal(syntaxErrors(file, focused), 0, `${file}: the narrowed text has syntax errors`);
    }
    assert.ok(narrowed > 100, `narrowed ${narrowed} files`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('when the narrowed text does not parse cleanly, the whole text is parsed instead', () => {
  // JSX text whose line starts like a statement, after a `}`: the splitter cuts there, and the cut JSX no longer parses.
  const text = [
    'const banner = <div>{title}',
    'function stuff() {}',
    '</div>;',
    '',
    "export const a = () => fetch('/api/a');",
    '',
    'export const padding1 = 1;',
    'export const padding2 = 2;',
    'export const padding3 = 3;',
    'export const padding4 = 4;',
    '',
  ].join('\n');
  assert.ok(focusText(text, []) !== null, 'the splitter does narrow it');
  const focused = analyzeFile({ rel: 'src/banner.tsx', text, parse: true, focus: true }, null, []);
  const whole = analyzeFile({ rel: 'src/banner.tsx', text, parse: true, focus: false }, null, []);
  assert.deepEqual(focused, whole);
  assert.deepEqual(focused.detection?.calls.map((c) => c.url.template), ['/api/a']);
});

test('a file that only imports a wrapper and hands it to a library is not parsed for it; any other use is', () => {
  const passOnly = [
    "import { fetcher } from '@acme/utils';",
    "import useSWR from 'swr';",
    "const { data } = useSWR('/api/me', fetcher);",
    "const other = useSWR(['/api/a', id], fetcher, { refreshInterval: 5 });",
    'useSWR(key, fetcher)',
  ].join('\n');
  assert.equal(mayUseDefinition(passOnly, 'fetcher'), false);
  assert.equal(mayUseDefinition("import fetcher from './fetcher';\nuseSWR(k, fetcher);", 'fetcher'), false);
  assert.equal(mayUseDefinition('import {\n  cn,\n  fetcher,\n} from "@acme/utils";\nuseSWR(k, fetcher);', 'fetcher'), false);
  assert.equal(mayUseDefinition("import { fetcher as get } from './x';\nuseSWR(k, get);", 'get'), false);
  for (const use of [
    "fetcher('/api/me');", // a call
    'await fetcher<User>(url);',
    'const load = fetcher;', // an alias
    'const api = { fetcher };', // held by an object
    'const api = { a, fetcher, b };',
    'const list = [a, fetcher];',
    'fetcher.get(url);',
    'export { fetcher };',
    '<SWRConfig value={{ fetcher }} />',
  ]) {
    assert.equal(mayUseDefinition(`import { fetcher } from './x';\n${use}`, 'fetcher'), true, use);
  }
  assert.equal(mayUseDefinition('const fetchers = 1; refetcher(2);', 'fetcher'), false, 'other words that contain it');
  assert.equal(mayUseDefinition("import { fetcher } from './lib/fetcher';\nconst a = swr.fetcher;\nconst b = 'fetcher';", 'fetcher'), false, 'paths, properties of other objects, strings');
  assert.equal(mayUseDefinition("import { fetcher } from './x';\nconst f = { ...fetcher };", 'fetcher'), true, 'a spread is a use');
});

test('importers that only pass a wrapper along are left unparsed, and their calls elsewhere still found', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-pass-'));
  try {
    const write = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    // A cache hook this tool has no model of (SWR is in the library table, so its file would be parsed).
    write('package.json', JSON.stringify({ name: 'w', dependencies: { react: '19.0.0', 'tiny-cache-hook': '1.0.0' } }));
    write('src/fetcher.ts', 'export const fetcher = (url: string) => fetch(url).then((r) => r.json());\n');
    write('src/Passes.tsx', "import useCache from 'tiny-cache-hook';\nimport { fetcher } from './fetcher';\nexport function A() {\n  return useCache('/api/a', fetcher).data;\n}\n");
    write('src/Calls.tsx', "import { fetcher } from './fetcher';\nexport function B() {\n  return fetcher('/api/b');\n}\n");
    const { settings } = loadSettings(root);
    const result = await new AtlasIndex({ root, settings, workers: 0, log: () => undefined }).scan();
    // fetcher's own request is its definition: Calls.tsx is its call site.
    assert.deepEqual(result.calls.map((c) => `${c.file} ${c.url.template}`).sort(), ['src/Calls.tsx /api/b']);
    assert.equal(result.stats.filesParsed, 2, 'fetcher.ts and Calls.tsx; Passes.tsx only hands the wrapper to a hook');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

/** A scan's calls and stats (durations aside), for comparison. */
async function scanJson(root: string, focusStatements: boolean): Promise<string> {
  const { settings } = loadSettings(root);
  const index = new AtlasIndex({ root, settings, workers: 0, focusStatements, log: () => undefined });
  const result = await index.scan();
  return JSON.stringify({ calls: result.calls, stats: { ...result.stats, durationMs: 0 } }, null, 1);
}

test('a focused scan reports exactly what a scan of whole files reports, on every fixture workspace', async () => {
  let narrowed = 0;
  for (const root of fixtureWorkspaces()) {
    const [focused, whole] = await Promise.all([scanJson(root, true), scanJson(root, false)]);
    assert.equal(focused, whole, `${path.relative(FIXTURES, root) || root}: focused and whole-file scans differ`);
    for (const file of listSources(root)) if (focusText(fs.readFileSync(file, 'utf8'), []) !== null) narrowed++;
  }
  // Otherwise the comparison above would prove nothing.
  assert.ok(narrowed >= 10, `focusing applied to ${narrowed} fixture files`);
});

test('a focused scan reports exactly what a scan of whole files reports, on a generated monorepo', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-focus-'));
  try {
    const { generateWorkspace } = await import('../../bench/generate.mjs');
    generateWorkspace({ out, files: 600, seed: 7 });
    const [focused, whole] = await Promise.all([scanJson(out, true), scanJson(out, false)]);
    assert.ok(JSON.parse(focused).calls.length > 20, 'the generated workspace has calls');
    assert.equal(focused, whole);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

function listSources(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile() && /\.[cm]?[jt]sx?$/.test(e.name)) out.push(abs);
    }
  };
  walk(root);
  return out;
}

test('focusText keeps a const that a request spreads into its options (`{ ...shared, body }`), so the method it sets is read', () => {
  const text = "const express = require('express');\n\nconst shared = { method: 'POST', headers: {} };\n\nconst unrelated = { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8 };\n\nasync function notify(to) {\n  return fetch('https://mail.example/v1/send', { ...shared, body: to });\n}\n";
  const focused = focusText(text, []);
  assert.ok(focused !== null);
  assert.ok(keptLines(focused).includes("const shared = { method: 'POST', headers: {} };"), 'the spread const stays');
  assert.ok(!keptLines(focused).some((l) => l.startsWith('const unrelated')), 'an unused const is still left out');
  const calls = analyzeFile({ rel: 'a.js', text, parse: true }, null, []).detection?.calls ?? [];
  assert.deepEqual(calls.map((c) => c.method), ['POST'], 'the method comes from the spread object, focused or not');
});

test('focusText follows a long chain of declared names the same way (found in one pass once many are asked for)', () => {
  // 30 helpers, each used by the next; the last one makes the request. Past a few names, their places come from
  // one index of the text's words: a name inside a longer word (step1 in step1x) is still no mention, and a
  // whole word inside a string still is one.
  const steps = Array.from({ length: 30 }, (_, i) => (i === 0 ? 'const step0 = 1;' : `const step${i} = step${i - 1} + 1;`));
  const text = [
    'export async function load() {',
    '  return fetch(`/api/${step29}`);',
    '}',
    ...steps,
    'const step1x = 2;',
    'const unrelated = "step2y";',
    'const stringOnly = "a step7 b";',
    'const other = 3;',
    ...Array.from({ length: 30 }, (_, i) => `export function unrelated${i}(list: string[]): string[] { return [...list].sort(); }`),
    '',
  ].join('\n');
  const focused = focusText(text, []);
  assert.ok(focused !== null);
  const kept = keptLines(focused);
  for (const step of steps) assert.ok(kept.includes(step), `kept: ${step}`);
  // step7 appears as a whole word inside a string: that statement mentions a kept name and is kept, as before.
  assert.ok(kept.includes('const stringOnly = "a step7 b";'));
  assert.ok(!kept.includes('const unrelated = "step2y";'), 'step2y is another word');
  assert.ok(!kept.includes('const step1x = 2;'), 'step1x is another word');
  assert.ok(!kept.includes('const other = 3;'));
  assert.ok(!kept.some((line) => line.startsWith('export function unrelated')));
});

test('a file that calls a library global or imports a library package is parsed whole, not focused: the quick test matches names, not properties or longer names', () => {
  const libraries = libraryTable();
  const yes = ["import useSWR from 'swr';", '$fetch("/api/x")', 'const r = await useFetch (`/x`);', 'x = éuseFetch("/a")', '\n  useLazyFetch("/b")'];
  const no = ['api.$fetch("/x")', 'my$fetch("/x")', 'const useFetchy = 1; useFetchy("/a")', 'import x from "swr-like";', 'const $fetch = 1;'];
  for (const text of yes) assert.equal(importsLibrary(text, libraries), true, text);
  for (const text of no) assert.equal(importsLibrary(text, libraries), false, text);
});
