// The fixes besides the proxy move: literal secret → env var, public env rename, timeouts, error handling and ignore comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planAddErrorHandling, planAddTimeout, planIgnore, planMoveLiteralToEnv, planRenamePublicEnv } from '../../src/core/fix/simple';
import { fileIgnoredRules } from '../../src/core/rules';
import { ignoredRulesAt } from '../../src/core/detect';
import type { FixPlan, PlanResult } from '../../src/core/fix';
import type { Client } from '../../src/core/model';
import { applyPlan, callAt, memoryWorkspace, syntaxErrors, typeCheck, type CredentialSpec } from './proxy-support';

function expectPlan(result: PlanResult): FixPlan {
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return result.plan;
}

/** Applies one fix to a one-file workspace and returns the new text. */
function fixed(source: string, callStart: string, client: Client, fix: 'timeout' | 'errors', file = 'src/a.ts'): string {
  const ws = memoryWorkspace({ [file]: source });
  const call = callAt(ws, file, callStart, { client, method: client === 'fetch' ? 'GET' : 'POST', runtime: 'backend' });
  const plan = expectPlan(fix === 'timeout' ? planAddTimeout(call, ws) : planAddErrorHandling(call, ws));
  const text = applyPlan(ws, plan).readFile(file)!;
  assert.deepEqual(syntaxErrors(file, text), [], text);
  return text;
}

const DECLS = "import axios from 'axios';\ndeclare const url: string;\ndeclare const init: RequestInit | undefined;\ndeclare const controller: AbortController;\n";

test('no-timeout, fetch: adds an init, a property matching the layout, or combines an existing signal', () => {
  assert.ok(fixed(`${DECLS}export const a = fetch(url);\n`, 'fetch(url)', 'fetch', 'timeout').includes('fetch(url, { signal: AbortSignal.timeout(10_000) })'));
  assert.ok(fixed(`${DECLS}export const a = fetch(url, { method: 'POST' });\n`, 'fetch(url', 'fetch', 'timeout').includes("fetch(url, { method: 'POST', signal: AbortSignal.timeout(10_000) })"));
  assert.ok(fixed(`${DECLS}export const a = fetch(url, {});\n`, 'fetch(url', 'fetch', 'timeout').includes('fetch(url, { signal: AbortSignal.timeout(10_000) })'));
  const multi = fixed(`${DECLS}export const a = fetch(url, {\n  method: 'POST',\n  body: '{}',\n});\n`, 'fetch(url', 'fetch', 'timeout');
  assert.ok(multi.includes("fetch(url, {\n  method: 'POST',\n  body: '{}',\n  signal: AbortSignal.timeout(10_000),\n});"), multi);
  const noTrailing = fixed(`${DECLS}export const a = fetch(url, {\n    method: 'POST'\n});\n`, 'fetch(url', 'fetch', 'timeout');
  assert.ok(noTrailing.includes("method: 'POST',\n    signal: AbortSignal.timeout(10_000)\n});"), noTrailing);
  const combined = fixed(`${DECLS}export const a = fetch(url, { signal: controller.signal });\n`, 'fetch(url', 'fetch', 'timeout');
  assert.ok(combined.includes('signal: AbortSignal.any([controller.signal, AbortSignal.timeout(10_000)])'));
  const spread = fixed(`${DECLS}export const a = fetch(url, init);\n`, 'fetch(url', 'fetch', 'timeout');
  assert.ok(spread.includes('fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(10_000)]) : AbortSignal.timeout(10_000) })'));
  const withoutAxios = (text: string): string => text.replace("import axios from 'axios';\n", '');
  assert.deepEqual(typeCheck({ 'spread.ts': withoutAxios(spread), 'combined.ts': withoutAxios(combined), 'multi.ts': withoutAxios(multi) }), [], 'the fixed code type-checks');
});

test('no-timeout, axios: timeout in the config, with the data slot kept for post', () => {
  assert.ok(fixed(`${DECLS}export const a = axios.get(url);\n`, 'axios.get', 'axios', 'timeout').includes('axios.get(url, { timeout: 10_000 })'));
  assert.ok(fixed(`${DECLS}export const a = axios.post(url);\n`, 'axios.post', 'axios', 'timeout').includes('axios.post(url, undefined, { timeout: 10_000 })'));
  assert.ok(fixed(`${DECLS}export const a = axios.post(url, { a: 1 });\n`, 'axios.post', 'axios', 'timeout').includes('axios.post(url, { a: 1 }, { timeout: 10_000 })'));
  assert.ok(fixed(`${DECLS}export const a = axios.get(url, { headers: {} });\n`, 'axios.get', 'axios', 'timeout').includes('axios.get(url, { headers: {}, timeout: 10_000 })'));
  assert.ok(fixed(`${DECLS}export const a = axios({ url, method: 'post' });\n`, 'axios({', 'axios', 'timeout').includes("axios({ url, method: 'post', timeout: 10_000 })"));
  const ws = memoryWorkspace({ 'a.ts': `${DECLS}export const a = axios.get(url, { timeout: 5 });\n` });
  assert.equal(planAddTimeout(callAt(ws, 'a.ts', 'axios.get', { client: 'axios' }), ws).ok, false, 'an existing timeout is not doubled');
});

test('no-error-handling: an awaited fetch gets a status check and a try/catch around the statements using it', () => {
  const source = [
    "declare const url: string;",
    'export async function load(): Promise<unknown> {',
    '  const res = await fetch(url, {',
    "    method: 'GET',",
    '  });',
    '  const data: unknown = await res.json();',
    '  return data;',
    '}',
    '',
  ].join('\n');
  const text = fixed(source, 'fetch(url', 'fetch', 'errors');
  assert.equal(
    text,
    [
      'declare const url: string;',
      'export async function load(): Promise<unknown> {',
      '  try {',
      '    const res = await fetch(url, {',
      "      method: 'GET',",
      '    });',
      '    if (!res.ok) throw new Error(`GET url failed: ${res.status} ${res.statusText}`);',
      '    const data: unknown = await res.json();',
      '    return data;',
      '  } catch (error) {',
      "    console.error('GET url failed', error);",
      '    throw error;',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  assert.deepEqual(typeCheck({ 'load.ts': text }), []);
});

test('no-error-handling: an awaited axios call is wrapped without a status check (axios rejects on errors)', () => {
  const text = fixed(`${DECLS}export async function send(): Promise<void> {\n  await axios.post(url, { a: 1 });\n  console.log('sent');\n}\n`, 'axios.post', 'axios', 'errors');
  assert.ok(text.includes("  try {\n    await axios.post(url, { a: 1 });\n  } catch (error) {\n    console.error('POST url failed', error);\n    throw error;\n  }\n  console.log('sent');"), text);
  assert.ok(!text.includes('.ok)'));
});

test('no-error-handling: a .then chain gets the status check after fetch and a .catch at its end', () => {
  const text = fixed("declare const url: string;\ndeclare function show(x: unknown): void;\nexport function run(): void {\n  fetch(url)\n    .then((r) => r.json())\n    .then(show);\n}\n", 'fetch(url)', 'fetch', 'errors');
  assert.ok(text.includes('fetch(url).then((res) => {\n    if (!res.ok) throw new Error(`GET url failed: ${res.status} ${res.statusText}`);\n    return res;\n  })\n    .then((r) => r.json())\n    .then(show)\n    .catch((error) => {'), text);
  assert.deepEqual(typeCheck({ 'chain.ts': text }), []);
});

test('no-error-handling: refuses to pull exported declarations into a try block', () => {
  const ws = memoryWorkspace({ 'm.ts': "declare const url: string;\nconst res = await fetch(url);\nexport const data = await res.json();\n" });
  const result = planAddErrorHandling(callAt(ws, 'm.ts', 'fetch(url)', { client: 'fetch' }), ws);
  assert.equal(result.ok, false);
});

test('ignore on this line: indented comment above the call, recognised by the detector; rules added to an existing directive', () => {
  const text = "export async function f() {\n    const r = await fetch('/x');\n    return r;\n}\n";
  const ws = memoryWorkspace({ 'a.ts': text });
  const call = callAt(ws, 'a.ts', "fetch('/x')", { client: 'fetch' });
  const once = applyPlan(ws, expectPlan(planIgnore(call, 'no-timeout', 'line', text))).readFile('a.ts')!;
  assert.equal(once, "export async function f() {\n    // api-atlas-ignore-next-line no-timeout\n    const r = await fetch('/x');\n    return r;\n}\n");
  assert.deepEqual(ignoredRulesAt(once.split('\n'), 2), ['no-timeout']);
  const ws2 = memoryWorkspace({ 'a.ts': once });
  const call2 = callAt(ws2, 'a.ts', "fetch('/x')", { client: 'fetch' });
  const twice = applyPlan(ws2, expectPlan(planIgnore(call2, 'no-error-handling', 'line', once))).readFile('a.ts')!;
  assert.ok(twice.includes('    // api-atlas-ignore-next-line no-timeout, no-error-handling\n'));
  assert.deepEqual(ignoredRulesAt(twice.split('\n'), 2), ['no-timeout', 'no-error-handling']);
  assert.equal(planIgnore(call2, 'no-timeout', 'line', once).ok, false, 'already ignored');
});

test('ignore on this line: a reason after -- is kept, and a bare directive already silences every rule', () => {
  const text = "async function g(url: string) {\n  // api-atlas-ignore-next-line cross-origin -- public API\n  await fetch(url);\n}\n";
  const ws = memoryWorkspace({ 'r.ts': text });
  const call = callAt(ws, 'r.ts', 'fetch(url)', { client: 'fetch' });
  const out = applyPlan(ws, expectPlan(planIgnore(call, 'no-timeout', 'line', text))).readFile('r.ts')!;
  assert.ok(out.includes('  // api-atlas-ignore-next-line cross-origin, no-timeout -- public API\n'), out);

  const bare = "// api-atlas-ignore-next-line\nfetch('/y');\n";
  const wsBare = memoryWorkspace({ 'b.ts': bare });
  const result = planIgnore(callAt(wsBare, 'b.ts', "fetch('/y')", { client: 'fetch' }), 'polling', 'line', bare);
  assert.equal(result.ok, false, 'adding a rule to a bare directive would narrow it');
});

test('ignore on this line inside JSX children uses a JSX comment', () => {
  const text = "export function C() {\n  return (\n    <div>\n      {fetch('/x') && null}\n    </div>\n  );\n}\n";
  const ws = memoryWorkspace({ 'c.tsx': text });
  const call = callAt(ws, 'c.tsx', "fetch('/x')", { client: 'fetch' });
  const out = applyPlan(ws, expectPlan(planIgnore(call, 'cross-origin', 'line', text))).readFile('c.tsx')!;
  assert.ok(out.includes("    <div>\n      {/* api-atlas-ignore-next-line cross-origin */}\n      {fetch('/x') && null}"), out);
  assert.deepEqual(syntaxErrors('c.tsx', out), []);
  assert.deepEqual(ignoredRulesAt(out.split('\n'), 4), ['cross-origin']);
});

test('ignore in this file: after the shebang and directives, then extended', () => {
  const text = "#!/usr/bin/env node\n'use client';\nimport x from 'y';\nfetch('/x');\n";
  const ws = memoryWorkspace({ 'a.js': text });
  const call = callAt(ws, 'a.js', "fetch('/x')", { client: 'fetch' });
  const once = applyPlan(ws, expectPlan(planIgnore(call, 'polling', 'file', text))).readFile('a.js')!;
  assert.equal(once, "#!/usr/bin/env node\n'use client';\n// api-atlas-ignore-file polling\nimport x from 'y';\nfetch('/x');\n");
  assert.deepEqual([...fileIgnoredRules(once)], ['polling']);
  const twice = applyPlan(memoryWorkspace({ 'a.js': once }), expectPlan(planIgnore(call, 'cross-origin', 'file', once))).readFile('a.js')!;
  assert.deepEqual([...fileIgnoredRules(twice)].sort(), ['cross-origin', 'polling']);
  assert.equal(planIgnore(call, 'polling', 'file', once).ok, false);
});

const LITERAL_SERVER = "const express = require('express');\nconst app = express();\napp.get('/models', async (_req, res) => {\n  const r = await fetch('https://api.openai.com/v1/models', { headers: { Authorization: 'Bearer sk-proj-abcdefghijklmnopqrstuvwxyz0123456789' } });\n  res.json(await r.json());\n});\n";
const LITERAL_CRED: CredentialSpec = { text: "'Bearer sk-proj-abcdefghijklmnopqrstuvwxyz0123456789'", source: 'literal', placement: 'header', field: 'Authorization', literal: 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789' };

test('hardcoded-secret: the literal becomes process.env.OPENAI_API_KEY and .env.example lists the name without the value', () => {
  const ws = memoryWorkspace({ 'package.json': '{"dependencies":{"express":"4"}}', 'server.js': LITERAL_SERVER, '.gitignore': 'node_modules\n' });
  const call = { ...callAt(ws, 'server.js', "fetch('https://api.openai.com", { client: 'fetch', runtime: 'backend', credentials: [LITERAL_CRED] }), url: { text: "'https://api.openai.com/v1/models'", template: 'https://api.openai.com/v1/models', host: 'api.openai.com', kind: 'absolute' as const } };
  const plan = expectPlan(planMoveLiteralToEnv(call, ws));
  const after = applyPlan(ws, plan);
  assert.ok(after.readFile('server.js')!.includes('headers: { Authorization: `Bearer ${process.env.OPENAI_API_KEY}` }'));
  assert.ok(!after.readFile('server.js')!.includes('sk-proj'));
  assert.match(after.readFile('.env.example')!, /^OPENAI_API_KEY=$/m);
  assert.equal(after.readFile('.env.local'), undefined, 'no value is written without consent');
  assert.equal(plan.needsConfirmation, true);

  const withValue = expectPlan(planMoveLiteralToEnv(call, ws, { writeValueToEnvLocal: true }));
  const after2 = applyPlan(ws, withValue);
  assert.match(after2.readFile('.env.local')!, /^OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz0123456789$/m);
  assert.equal(after2.readFile('.gitignore'), 'node_modules\n.env.local\n', '.env.local is git-ignored before a secret goes in');
});

test('hardcoded-secret: when the literal is the whole header value, the auth scheme stays in code and only the key moves', () => {
  const ws = memoryWorkspace({ 'package.json': '{"dependencies":{"express":"4"}}', 'server.js': LITERAL_SERVER });
  const wholeHeader: CredentialSpec = { ...LITERAL_CRED, literal: 'Bearer sk-proj-abcdefghijklmnopqrstuvwxyz0123456789' };
  const call = { ...callAt(ws, 'server.js', "fetch('https://api.openai.com", { client: 'fetch', runtime: 'backend', credentials: [wholeHeader] }), url: { text: "'https://api.openai.com/v1/models'", template: 'https://api.openai.com/v1/models', host: 'api.openai.com', kind: 'absolute' as const } };
  const after = applyPlan(ws, expectPlan(planMoveLiteralToEnv(call, ws, { writeValueToEnvLocal: true })));
  assert.ok(after.readFile('server.js')!.includes('Authorization: `Bearer ${process.env.OPENAI_API_KEY}`'));
  assert.match(after.readFile('.env.local')!, /^OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz0123456789$/m, 'the value has no "Bearer " in it');
});

test('hardcoded-secret in browser code is refused in favour of the proxy', () => {
  const ws = memoryWorkspace({ 'server.js': LITERAL_SERVER });
  const call = callAt(ws, 'server.js', "fetch('https://api.openai.com", { client: 'fetch', runtime: 'frontend', credentials: [LITERAL_CRED] });
  const result = planMoveLiteralToEnv(call, ws);
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.reason, /Move behind a server proxy/);
});

test('public-env-secret: renamed in every read, in config and in .env files; import.meta.env reads become process.env', () => {
  const ws = memoryWorkspace({
    'package.json': '{"dependencies":{"next":"15"}}',
    'app/api/chat/route.ts': "export async function POST(): Promise<Response> {\n  return fetch('https://api.openai.com/v1/models', { headers: { Authorization: `Bearer ${process.env.NEXT_PUBLIC_OPENAI_KEY}` } });\n}\n",
    'lib/config.ts': 'export const key = process.env.NEXT_PUBLIC_OPENAI_KEY;\nexport const NEXT_PUBLIC_OPENAI_KEY_URL = 1;\n',
    'server/vite-ssr.ts': 'export const k = import.meta.env.NEXT_PUBLIC_OPENAI_KEY;\n',
    'README.md': 'Set `NEXT_PUBLIC_OPENAI_KEY` in .env.local.\n',
    '.env.local': 'NEXT_PUBLIC_OPENAI_KEY=sk-abc\nOTHER=1\n',
  });
  const call = callAt(ws, 'app/api/chat/route.ts', "fetch('https://api.openai.com", {
    client: 'fetch',
    runtime: 'backend',
    credentials: [{ text: 'process.env.NEXT_PUBLIC_OPENAI_KEY', source: 'env', placement: 'header', field: 'Authorization', envName: 'NEXT_PUBLIC_OPENAI_KEY' }],
  });
  const plan = expectPlan(planRenamePublicEnv(call, ws));
  const after = applyPlan(ws, plan);
  assert.ok(after.readFile('app/api/chat/route.ts')!.includes('${process.env.OPENAI_KEY}'));
  assert.equal(after.readFile('lib/config.ts'), 'export const key = process.env.OPENAI_KEY;\nexport const NEXT_PUBLIC_OPENAI_KEY_URL = 1;\n', 'whole names only');
  assert.equal(after.readFile('server/vite-ssr.ts'), 'export const k = process.env.OPENAI_KEY;\n');
  assert.equal(after.readFile('README.md'), 'Set `OPENAI_KEY` in .env.local.\n');
  assert.match(after.readFile('.env.local')!, /^# Renamed from NEXT_PUBLIC_OPENAI_KEY .*\nOPENAI_KEY=sk-abc\nOTHER=1\n$/);

  const browser = planRenamePublicEnv({ ...call, runtime: 'frontend' }, ws);
  assert.equal(browser.ok, false, 'a browser call could not read the renamed variable');
});
