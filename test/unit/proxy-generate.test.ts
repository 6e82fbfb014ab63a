// "Move behind a server proxy" plans on the fixture projects: generated code type-checks, call sites keep their client and data flow, .env files follow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPlanToTexts, documentVersionKey, staleFiles } from '../../src/core/fix';
import { detectProxyTargets, planProxyMove } from '../../src/core/fix/proxy';
import {
  EXPRESS_CJS,
  EXPRESS_ESM,
  NEXT_APP,
  PAGES,
  STANDALONE,
  applyPlan,
  callAt,
  fixtureWorkspace,
  memoryWorkspace,
  planFor,
  syntaxErrors,
  typeCheck,
  type ProxyCase,
} from './proxy-support';

const CASES: [string, ProxyCase][] = [
  ['Next.js app router', NEXT_APP],
  ['Next.js pages router (JS)', PAGES],
  ['Express ESM TypeScript', EXPRESS_ESM],
  ['Express CommonJS', EXPRESS_CJS],
  ['standalone', STANDALONE],
];

for (const [label, c] of CASES) {
  test(`${label}: the generated handler type-checks (strict, unused, exact optional properties)`, () => {
    const { handler } = planFor(c);
    const name = handler.file.slice(handler.file.lastIndexOf('/') + 1);
    const virtualName = c.kind === 'express' && c === EXPRESS_CJS ? name.replace(/\.js$/, '.cjs') : name;
    assert.deepEqual(typeCheck({ [virtualName]: handler.content }), []);
  });

  test(`${label}: the rewritten call site parses, calls the new route and no longer carries the secret`, () => {
    const { plan, ws, route } = planFor(c);
    const after = applyPlan(ws, plan);
    const text = after.readFile(c.file)!;
    assert.deepEqual(syntaxErrors(c.file, text), []);
    assert.ok(text.includes(route), `the call goes to ${route}`);
    for (const cred of c.credentials ?? []) {
      if (cred.placement !== 'instance-default') assert.ok(!text.includes(cred.text), `${cred.text} is gone from the client code`);
    }
    assert.equal(plan.needsConfirmation, true);
    for (const file of new Set(plan.edits.map((e) => e.file))) {
      assert.equal(plan.documentVersionKeys[file], documentVersionKey(ws.readFile(file)!), `${file} has a version key`);
    }
    for (const create of plan.creates) assert.equal(ws.readFile(create.file), undefined, `${create.file} is new`);
  });
}

test('fetch stays fetch with the same init minus the secret header (app router)', () => {
  const { plan, ws } = planFor(NEXT_APP);
  const after = applyPlan(ws, plan);
  const chat = after.readFile(NEXT_APP.file)!;
  assert.match(chat, /const res = await fetch\('\/api\/openai-chat-completions-2', \{\n {6}method: 'POST',\n {6}headers: \{\n {8}'Content-Type': 'application\/json',\n {6}\},\n {6}body: JSON\.stringify\(\{ model: 'gpt-4o-mini'/);
  assert.match(chat, /const data = await res\.json\(\);/, 'the response handling is unchanged');
  assert.equal(plan.creates[0].file, 'app/api/openai-chat-completions-2/route.ts', 'the existing app/api/openai-chat-completions route is not overwritten');
  assert.equal(after.readFile('app/api/openai-chat-completions/route.ts'), ws.readFile('app/api/openai-chat-completions/route.ts'));
});

test('NEXT_PUBLIC_ secrets are renamed in every .env file with a comment; other variables are untouched', () => {
  const { plan, ws } = planFor(NEXT_APP);
  const after = applyPlan(ws, plan);
  const local = after.readFile('.env.local')!;
  const example = after.readFile('.env.example')!;
  assert.match(local, /^# Renamed from NEXT_PUBLIC_OPENAI_KEY by API Atlas: .*\nOPENAI_KEY=sk-proj-fixtureOnlyNotARealKey0000000000$/m);
  assert.match(example, /^# Renamed from NEXT_PUBLIC_OPENAI_KEY .*\nOPENAI_KEY=$/m);
  for (const text of [local, example]) {
    assert.ok(!/^NEXT_PUBLIC_OPENAI_KEY=/m.test(text));
    assert.match(text, /^NEXT_PUBLIC_GITHUB_TOKEN=/m, 'other secrets wait for their own fix');
    assert.match(text, /^NEXT_PUBLIC_SITE_NAME=/m);
  }
  assert.deepEqual(plan.envChanges.map((c) => [c.file, c.kind, c.from, c.name]), [
    ['.env.example', 'rename', 'NEXT_PUBLIC_OPENAI_KEY', 'OPENAI_KEY'],
    ['.env.local', 'rename', 'NEXT_PUBLIC_OPENAI_KEY', 'OPENAI_KEY'],
  ]);
  assert.match(plan.creates[0].content, /process\.env\.OPENAI_KEY/);
  assert.ok(plan.notes.some((n) => /rotate/.test(n)), 'the user is told to rotate a key that was shipped to browsers');
});

test('path parameters travel as encoded query parameters; the rest of the promise chain is unchanged', () => {
  const ws = fixtureWorkspace('proxy-next-app');
  const call = callAt(ws, 'app/components/Issues.tsx', 'fetch(`https://api.github.com', {
    client: 'fetch',
    credentials: [{ text: 'process.env.NEXT_PUBLIC_GITHUB_TOKEN', source: 'env', placement: 'header', field: 'Authorization', envName: 'NEXT_PUBLIC_GITHUB_TOKEN' }],
  });
  const [target] = detectProxyTargets(ws.listFiles(), ws.readFile);
  const result = planProxyMove(call, target, ws);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  const after = applyPlan(ws, result.plan);
  const text = after.readFile('app/components/Issues.tsx')!;
  assert.ok(text.includes('fetch(`/api/github-repos-issues?owner=${encodeURIComponent(owner)}&repo=${encodeURIComponent(repo)}&state=${state}`, {'));
  assert.ok(text.includes("headers: { Accept: 'application/vnd.github+json' },"), 'non-secret headers stay');
  assert.ok(text.includes('.then((r) => r.json())\n      .then(setIssues);'));
  const handler = result.plan.creates[0].content;
  assert.ok(handler.includes("const owner = query.get('owner');"));
  assert.ok(handler.includes("new URL(UPSTREAM_ORIGIN + '/repos/' + encodeURIComponent(owner) + '/' + encodeURIComponent(repo) + '/issues')"));
  assert.ok(handler.includes("const ALLOWED_QUERY: readonly string[] = ['state'];"));
  assert.ok(handler.includes("const FIXED_QUERY: ReadonlyArray<readonly [string, string]> = [['per_page', '20']];"));
  assert.ok(handler.includes("headers.set('authorization', 'token ' + secret);"), 'the auth scheme of the original header is kept');
  assert.deepEqual(typeCheck({ 'route.ts': handler }), []);
});

test('axios stays axios and a query-string secret leaves the URL (pages router)', () => {
  const { plan, ws } = planFor(PAGES);
  const after = applyPlan(ws, plan);
  const text = after.readFile(PAGES.file)!;
  assert.ok(text.includes("import axios from 'axios';"));
  assert.ok(text.includes('axios\n      .get(`/api/openweathermap-data-weather?q=${city}`)\n      .then((response) => setWeather(response.data));'));
  assert.equal(after.readFile('.env'), `# Renamed from NEXT_PUBLIC_WEATHER_KEY by API Atlas: browser-exposed variables are bundled into client code; the proxy pages/api/openweathermap-data-weather.js reads WEATHER_KEY on the server.\nWEATHER_KEY=0123456789abcdef0123456789abcdef\n`);
  assert.match(plan.creates[0].content, /^\/\/ @ts-check\n/, 'generated JavaScript is type-checked in the editor');
});

test('an axios instance with a third-party baseURL becomes plain axios; its env var stays while the instance still reads it', () => {
  const { plan, ws } = planFor(EXPRESS_ESM);
  const after = applyPlan(ws, plan);
  const summary = after.readFile(EXPRESS_ESM.file)!;
  assert.ok(summary.includes("import axios from 'axios';"));
  assert.ok(!summary.includes("import { anthropic } from './lib/anthropic';"), 'the now unused instance import is removed');
  assert.ok(summary.includes("const response = await axios.post('/api/anthropic-messages', {\n      model: 'claude-3-5-haiku-latest',"), 'same method and data');
  assert.ok(summary.includes('setSummary(response.data.content[0].text);'));
  assert.equal(after.readFile('src/lib/anthropic.ts'), ws.readFile('src/lib/anthropic.ts'), 'the instance itself is left alone');
  assert.match(after.readFile('.env')!, /^VITE_ANTHROPIC_KEY=sk-ant-.*\n# ANTHROPIC_KEY: the server-only copy .*\nANTHROPIC_KEY=sk-ant-fixtureOnlyNotARealKey000000000000\n$/);
  assert.ok(plan.notes.some((n) => n.includes('src/lib/anthropic.ts')), 'the user learns which file still reads the public variable');
});

test('Express: the router is imported and mounted right after `const app = express()`, before express.json()', () => {
  const { plan, ws } = planFor(EXPRESS_ESM);
  const server = applyPlan(ws, plan).readFile('server/index.ts')!;
  assert.equal(
    server,
    [
      "import express from 'express';",
      "import { listOrders } from './orders.js';",
      "import { anthropicMessagesProxy } from './routes/anthropic-messages-proxy.js';",
      '',
      'const app = express();',
      '// Server-side proxy added by API Atlas; mounted before body parsers because it reads the raw body.',
      'app.use(anthropicMessagesProxy);',
      'app.use(express.json());',
      '',
    ].join('\n') + ws.readFile('server/index.ts')!.split('app.use(express.json());\n')[1],
  );
  assert.deepEqual(syntaxErrors('server/index.ts', server), []);
  assert.equal(plan.creates[0].file, 'server/routes/anthropic-messages-proxy.ts');
  assert.ok(plan.notes.some((n) => /vite\.config\.ts/.test(n) && /server: \{ proxy/.test(n)), 'Vite users are told how to reach the route in development');
});

test('Express CommonJS: require-style mount; a literal key goes to .env.example without its value', () => {
  const { plan, ws } = planFor(EXPRESS_CJS);
  const after = applyPlan(ws, plan);
  const server = after.readFile('server.js')!;
  assert.ok(server.includes("const express = require('express');\nconst { sendgridMailSendProxy } = require('./routes/sendgrid-mail-send-proxy.js');\n"));
  assert.ok(server.includes('const app = express();\n// Server-side proxy added by API Atlas; mounted before body parsers because it reads the raw body.\napp.use(sendgridMailSendProxy);\n'));
  assert.match(plan.creates[0].content, /module\.exports = \{ sendgridMailSendProxy \};/);
  assert.match(plan.creates[0].content, /const express = require\('express'\);/);
  const contact = after.readFile('public/contact.js')!;
  assert.ok(!contact.includes('SG.'), 'the literal key is gone from the browser code');
  assert.ok(contact.includes("await fetch('/api/sendgrid-mail-send', {\n    method: 'POST',\n    headers: {\n      'Content-Type': 'application/json',\n    },\n    body: JSON.stringify(message),"));
  assert.equal(after.readFile('.env.example'), '# Server-only secret read by routes/sendgrid-mail-send-proxy.js (added by API Atlas); set the value in .env.local, never commit it.\nSENDGRID_API_KEY=\n');
  assert.equal(after.readFile('.env.local'), undefined, 'the value is written nowhere without the user\'s consent');
  assert.ok(plan.notes.some((n) => /Set SENDGRID_API_KEY in the server's/.test(n)));
});

test('with consent, the literal key is written to .env.local, which is added to .gitignore', () => {
  const { plan, ws } = planFor(EXPRESS_CJS, { writeSecretToEnvLocal: true });
  const after = applyPlan(ws, plan);
  assert.match(after.readFile('.env.local')!, /^SENDGRID_API_KEY=SG\.fixtureOnlyNotARealKey\.0123456789abcdefghijklmnopqrstuvwxyzABCD$/m);
  assert.equal(after.readFile('.gitignore'), 'node_modules\n.env.local\n');
  assert.ok(plan.envChanges.some((c) => c.file === '.env.local' && c.writesValue));
});

test('standalone: an .mjs server with no dependencies, and the call keeps fetch with its path parameter', () => {
  const { plan, ws } = planFor(STANDALONE);
  assert.equal(plan.creates[0].file, 'server/themoviedb-movie-proxy.mjs');
  assert.doesNotMatch(plan.creates[0].content, /from '(?!node:)/, 'only node: built-ins are imported');
  const movie = applyPlan(ws, plan).readFile(STANDALONE.file)!;
  assert.ok(movie.includes("const res = await fetch(`/api/themoviedb-movie?movieId=${encodeURIComponent(movieId)}`, {\n        headers: { accept: 'application/json' },\n      });"));
  assert.ok(plan.notes.some((n) => /node --env-file=\.env server\/themoviedb-movie-proxy\.mjs/.test(n)));
});

test('applying refuses a stale document and never overwrites a file', () => {
  const { plan, ws } = planFor(NEXT_APP);
  const edited = memoryWorkspace(ws.files);
  edited.files.set(NEXT_APP.file, `${ws.readFile(NEXT_APP.file)}\n// edited after the analysis\n`);
  assert.deepEqual(staleFiles(plan, edited.readFile), [NEXT_APP.file]);
  assert.throws(() => applyPlanToTexts(plan, edited.readFile), /changed since the fix was computed/);
  const occupied = memoryWorkspace(ws.files);
  occupied.files.set(plan.creates[0].file, 'export {};\n');
  assert.throws(() => applyPlanToTexts(plan, occupied.readFile), /already exists; API Atlas never overwrites/);
  assert.deepEqual(staleFiles(plan, ws.readFile), []);
});

test('an axios instance whose baseURL is the app itself keeps the instance, with the route relative to it', () => {
  const ws = memoryWorkspace({
    'package.json': '{"dependencies":{"next":"15","axios":"1"}}',
    'app/page.tsx': 'export default function Page() { return null; }',
    'lib/api.ts': "import axios from 'axios';\nexport const api = axios.create({ baseURL: '/api' });\n",
    'app/Profile.tsx': "'use client';\nimport { api } from '../lib/api';\nexport async function load() {\n  const { data } = await api.get('https://api.github.com/user', { headers: { Authorization: `Bearer ${process.env.NEXT_PUBLIC_GH}` } });\n  return data;\n}\n",
  });
  const call = callAt(ws, 'app/Profile.tsx', 'api.get', { client: 'axios-instance', definition: { name: 'api', file: 'lib/api.ts', line: 2 } });
  const [target] = detectProxyTargets(ws.listFiles(), ws.readFile);
  const result = planProxyMove(call, target, ws);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  const text = applyPlan(ws, result.plan).readFile('app/Profile.tsx')!;
  assert.ok(text.includes("const { data } = await api.get('/github-user', {});"), text);
  assert.ok(text.includes("import { api } from '../lib/api';"));
});

test('calls that cannot be proxied safely are refused with a reason', () => {
  const ws = memoryWorkspace({
    'package.json': '{"dependencies":{"next":"15"}}',
    'app/page.tsx': 'export default function Page() { return null; }',
    'app/a.ts': [
      'export async function a(base: string, m: string, path: string) {',
      '  await fetch(`${base}/v1/x`);',
      "  await fetch('/api/local');",
      "  await fetch('https://api.openai.com/v1/x', { method: m });",
      '  await fetch(`https://api.openai.com/${path}`);',
      "  await fetch('https://api.openai.com/v1/x', { headers: makeHeaders() });",
      '}',
      'declare function makeHeaders(): Record<string, string>;',
    ].join('\n'),
  });
  const [target] = detectProxyTargets(ws.listFiles(), ws.readFile);
  const reasonFor = (start: string): string => {
    const result = planProxyMove(callAt(ws, 'app/a.ts', start, { client: 'fetch' }), target, ws);
    assert.equal(result.ok, false, start);
    return result.ok ? '' : result.reason;
  };
  assert.match(reasonFor('fetch(`${base}'), /host is not fixed/);
  assert.match(reasonFor("fetch('/api/local')"), /already goes to the app's own origin/);
  assert.match(reasonFor("fetch('https://api.openai.com/v1/x', { method: m })"), /HTTP method is decided at run time/);
  assert.match(reasonFor('fetch(`https://api.openai.com/${path}`)'), /whole path is computed at run time/);
  assert.match(reasonFor("fetch('https://api.openai.com/v1/x', { headers"), /headers are built at run time/);
  const wrapper = planProxyMove({ ...callAt(ws, 'app/a.ts', 'fetch(`${base}', { client: 'fetch' }), client: 'wrapper' }, target, ws);
  assert.equal(wrapper.ok, false);
});

test('a call that already runs on the server is refused: a proxy in front of it would only add a hop', () => {
  const ws = memoryWorkspace({
    'package.json': '{"dependencies":{"next":"15"}}',
    'app/page.tsx': 'export default function Page() { return null; }',
    'app/api/models/route.ts': "export async function GET() { return fetch('https://api.openai.com/v1/models', { headers: { Authorization: `Bearer ${process.env.OPENAI_API_KEY}` } }); }\n",
  });
  const [target] = detectProxyTargets(ws.listFiles(), ws.readFile);
  const call = callAt(ws, 'app/api/models/route.ts', "fetch('https://api.openai.com", { client: 'fetch', method: 'GET', runtime: 'backend' });
  const result = planProxyMove(call, target, ws);
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.reason, /already runs on the server/);
  assert.equal(planProxyMove({ ...call, runtime: 'isomorphic' }, target, ws).ok, true, 'a call that may run in the browser can still move');
});

test('a call in a .vue single-file component is rewritten inside its <script> block only', () => {
  const component = [
    '<template>',
    '  <button @click="translate">Translate</button>',
    '</template>',
    '',
    '<script setup lang="ts">',
    'async function translate(): Promise<unknown> {',
    "  const res = await fetch('https://api.deepl.com/v2/translate', {",
    "    method: 'POST',",
    '    headers: { Authorization: `DeepL-Auth-Key ${import.meta.env.VITE_DEEPL_KEY}` },',
    "    body: new URLSearchParams({ text: 'hi', target_lang: 'DE' }),",
    '  });',
    '  return res.json();',
    '}',
    '</script>',
    '',
  ].join('\n');
  const ws = memoryWorkspace({ 'package.json': '{"dependencies":{"vue":"3"}}', 'src/Translate.vue': component, '.env': 'VITE_DEEPL_KEY=abc123abc123abc123\n' });
  const call = callAt(ws, 'src/Translate.vue', "fetch('https://api.deepl.com", {
    client: 'fetch',
    credentials: [{ text: 'import.meta.env.VITE_DEEPL_KEY', source: 'env', placement: 'header', field: 'Authorization', envName: 'VITE_DEEPL_KEY' }],
  });
  const [target] = detectProxyTargets(ws.listFiles(), ws.readFile, { fromFile: call.file });
  assert.equal(target.kind, 'standalone');
  const result = planProxyMove(call, target, ws);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  const after = applyPlan(ws, result.plan).readFile('src/Translate.vue')!;
  assert.ok(after.startsWith('<template>\n  <button @click="translate">Translate</button>\n</template>\n'));
  assert.ok(after.includes("const res = await fetch('/api/deepl-translate', {\n    method: 'POST',\n    body: new URLSearchParams("), after);
  assert.ok(result.plan.creates[0].content.includes("headers.set('authorization', 'DeepL-Auth-Key ' + secret);"));
  assert.match(applyPlan(ws, result.plan).readFile('.env')!, /^DEEPL_KEY=abc123abc123abc123$/m);
});

test('headers in a const or in new Headers({...}) are found and the secret property is removed there', () => {
  const ws = memoryWorkspace({
    'package.json': '{"dependencies":{"next":"15"}}',
    'app/page.tsx': 'export default function Page() { return null; }',
    'app/send.ts': [
      "'use client';",
      'export async function send(text: string): Promise<Response> {',
      '  const headers = new Headers({',
      "    'Content-Type': 'application/json',",
      '    Authorization: `Bearer ${process.env.NEXT_PUBLIC_POSTMARK_TOKEN}`,',
      '  });',
      '  const options = { method: \'POST\', headers, body: JSON.stringify({ text }) };',
      "  return fetch('https://api.postmarkapp.com/email', options);",
      '}',
    ].join('\n'),
  });
  const call = callAt(ws, 'app/send.ts', "fetch('https://api.postmarkapp.com", {
    client: 'fetch',
    credentials: [{ text: 'process.env.NEXT_PUBLIC_POSTMARK_TOKEN', source: 'env', placement: 'header', field: 'Authorization', envName: 'NEXT_PUBLIC_POSTMARK_TOKEN' }],
  });
  const [target] = detectProxyTargets(ws.listFiles(), ws.readFile);
  const result = planProxyMove(call, target, ws);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  const after = applyPlan(ws, result.plan).readFile('app/send.ts')!;
  assert.ok(after.includes("  const headers = new Headers({\n    'Content-Type': 'application/json',\n  });"), after);
  assert.ok(after.includes("return fetch('/api/postmarkapp-email', options);"));
  assert.deepEqual(syntaxErrors('app/send.ts', after), []);
  assert.match(result.plan.creates[0].content, /const METHOD = 'POST';/, 'the method is read through the options const');
});
