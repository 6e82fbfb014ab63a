// The index end to end: scans over fixture workspaces, cross-file instances and wrappers, incremental updates, workers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { AtlasIndex, scanWorkspace, toPublicCall, type IndexChange } from '../../src/core/engine';
import { DEFAULT_SETTINGS, type Call, type Settings } from '../../src/core/types';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const MONOREPO = path.join(FIXTURES, 'monorepo');
const settings = (over: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, include: [], exclude: [], rules: {}, runtimeOverrides: {}, wrappers: [], ...over });
const row = (c: Call) => `${c.file}:${c.range.start.line} ${c.client} ${c.method ?? '?'} ${c.url.template ?? c.url.text} ${c.runtime}${c.via ? ` via ${c.via}` : ''}`;

function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `atlas-${name}-`));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

test('a monorepo scan follows the shared package and the @/ alias to instances and wrappers, and parses only what can hold a call', async () => {
  const result = await scanWorkspace(MONOREPO, settings(), { workers: 0 });
  assert.deepEqual(result.calls.map(row), [
    'apps/api/src/routes/orders.ts:8 axios-instance GET https://api.acme.dev/v1/orders/{id} backend via api (packages/shared/src/client.ts:4)',
    'apps/api/src/routes/orders.ts:9 wrapper GET https://rates.example.com/latest backend via getJson (packages/shared/src/http.ts:2)',
    'apps/web/src/app/page.tsx:6 wrapper GET /products backend via getJson (packages/shared/src/http.ts:2)',
    'apps/web/src/components/CartView.tsx:9 axios-instance GET https://api.acme.dev/v1/carts/{cartId} frontend via api (packages/shared/src/client.ts:4)',
    'apps/web/src/components/CartView.tsx:10 axios-instance POST /api/cart/refresh frontend via apiClient (apps/web/src/lib/api-client.ts:4)',
    'packages/shared/src/http.ts:3 fetch ? {url} isomorphic',
  ]);
  assert.equal(result.tool, 'api-atlas');
  assert.equal(result.root, MONOREPO);
  assert.equal(result.stats.filesSeen, 11);
  assert.equal(result.stats.calls, 6);
  assert.ok(result.stats.filesParsed < result.stats.filesSeen, 'files that cannot contain a call are not parsed');
  assert.ok(!('facts' in result.calls[0]), 'the JSON output carries no detector facts');
  // the instance's timeout travels with it across the workspace
  const orders = result.calls.find((c) => c.file === 'apps/api/src/routes/orders.ts' && c.client === 'axios-instance')!;
  assert.ok(!orders.findings.some((f) => f.rule === 'no-timeout'), 'a per-call timeout counts');
});

test('markdown and look-alikes are never calls; every fetch/axios form in the detect fixture is', async () => {
  const result = await scanWorkspace(path.join(FIXTURES, 'detect-basic'), settings(), { workers: 0 });
  assert.ok(!result.calls.some((c) => c.url.text.includes('from-markdown') || c.file.endsWith('.md')));
  assert.ok(!result.calls.some((c) => c.file === 'src/negatives.tsx'));
  assert.equal(result.calls.filter((c) => c.file === 'src/fetch-forms.ts').length, 7);
  assert.equal(result.stats.skipped.length, 0);
});

test('call ids are stable across scans', async () => {
  const a = await scanWorkspace(MONOREPO, settings(), { workers: 0 });
  const b = await scanWorkspace(MONOREPO, settings(), { workers: 0 });
  assert.deepEqual(a.calls.map((c) => c.id), b.calls.map((c) => c.id));
  assert.equal(new Set(a.calls.map((c) => c.id)).size, a.calls.length);
});

test('bad files are skipped with a reason and the scan goes on', async () => {
  const dir = copyFixture('detect-sfc');
  try {
    fs.writeFileSync(path.join(dir, 'src', 'binary.ts'), Buffer.from([0x66, 0x65, 0x74, 0x63, 0x68, 0, 1, 2, 3]));
    fs.writeFileSync(path.join(dir, 'src', 'half.ts'), "export async function halfTyped() {\n  const res = await fetch('/api/half'\n  if (res.ok {\n");
    const result = await scanWorkspace(dir, settings(), { workers: 0 });
    assert.deepEqual(result.stats.skipped.map((s) => s.file), ['src/binary.ts']);
    assert.match(result.stats.skipped[0].reason, /binary/);
    assert.deepEqual(result.calls.map((c) => `${c.file}:${c.range.start.line}`), ['src/Profile.vue:12', 'src/Todos.svelte:6', 'src/half.ts:2']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('test files are indexed only with includeTests, and then get context "test"', async () => {
  const dir = copyFixture('detect-sfc');
  try {
    fs.writeFileSync(path.join(dir, 'src', 'todos.test.ts'), "test('x', async () => { await fetch('/api/todos'); });\n");
    const without = await scanWorkspace(dir, settings(), { workers: 0 });
    assert.ok(!without.calls.some((c) => c.file === 'src/todos.test.ts'));
    const withTests = await scanWorkspace(dir, settings({ includeTests: true }), { workers: 0 });
    const call = withTests.calls.find((c) => c.file === 'src/todos.test.ts');
    assert.equal(call?.context, 'test');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('incremental: adding and removing a call in one file, with change events', async () => {
  const dir = copyFixture('monorepo');
  try {
    const index = new AtlasIndex({ root: dir, settings: settings(), workers: 0 });
    await index.scan();
    const events: IndexChange[] = [];
    const sub = index.onDidChange((e) => events.push(e));
    const rel = 'packages/shared/src/format.ts';
    const original = fs.readFileSync(path.join(dir, rel), 'utf8');
    const edited = `${original}\nexport async function loadRates() {\n  return fetch('https://rates.example.com/v2');\n}\n`;
    const added = await index.updateFile(rel, edited);
    assert.deepEqual(added.files, [rel]);
    const calls = index.getCallsInFile(rel);
    assert.deepEqual(calls.map((c) => [c.url.host, c.range.start.line]), [['rates.example.com', 7]]);
    assert.equal(calls[0].runtime, 'isomorphic', 'the shared module is reached from the browser and the server');
    assert.equal(index.getCall(calls[0].id)?.file, rel);
    const same = await index.updateFile(rel, edited + '\n// a comment\n');
    assert.deepEqual(same.files, [], 'an edit that changes no call reports no change');
    const removed = await index.updateFile(rel, original);
    assert.deepEqual(removed.files, [rel]);
    assert.equal(index.getCallsInFile(rel).length, 0);
    assert.deepEqual(events.map((e) => e.files), [[rel], [rel]]);
    sub.dispose();
    index.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('incremental: a change to a shared instance reaches every importer; renaming or deleting it drops their calls', async () => {
  const dir = copyFixture('monorepo');
  try {
    const index = new AtlasIndex({ root: dir, settings: settings(), workers: 0 });
    await index.scan();
    const client = 'packages/shared/src/client.ts';
    const original = fs.readFileSync(path.join(dir, client), 'utf8');
    const moved = await index.updateFile(client, original.replace('https://api.acme.dev/v1', 'https://api.acme.io/v2'));
    assert.deepEqual(moved.files, ['apps/api/src/routes/orders.ts', 'apps/web/src/components/CartView.tsx']);
    const hosts = index.getCalls().filter((c) => c.via?.startsWith('api (')).map((c) => c.url.template);
    assert.deepEqual(hosts, ['https://api.acme.io/v2/orders/{id}', 'https://api.acme.io/v2/carts/{cartId}']);

    await index.updateFile(client, original.replace('export const api', 'export const http'));
    assert.equal(index.getCalls().filter((c) => c.via?.startsWith('api (')).length, 0, 'importers of a name that no longer exists have no instance calls');
    await index.updateFile(client, original);
    assert.equal(index.getCalls().filter((c) => c.via?.startsWith('api (')).length, 2);

    fs.rmSync(path.join(dir, client));
    const gone = index.removeFile(client);
    assert.deepEqual(gone.files, ['apps/api/src/routes/orders.ts', 'apps/web/src/components/CartView.tsx']);
    assert.equal(index.getCalls().filter((c) => c.client === 'axios-instance' && c.via?.includes('packages/shared')).length, 0);

    // a new file that imports a wrapper, read from disk
    const fresh = 'apps/api/src/routes/health.ts';
    fs.writeFileSync(path.join(dir, fresh), "import { getJson } from '@acme/shared';\nexport const health = () => getJson('/health');\n");
    const addedFile = await index.updateFile(path.join(dir, fresh));
    assert.deepEqual(addedFile.files, [fresh]);
    assert.deepEqual(index.getCallsInFile(fresh).map((c) => [c.client, c.url.template, c.runtime]), [['wrapper', '/health', 'backend']]);
    index.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('setSettings: configured wrappers rescan, rule severities re-apply without a rescan', async () => {
  const dir = copyFixture('monorepo');
  try {
    fs.writeFileSync(path.join(dir, 'apps/web/src/lib/shop.ts'), "import { request } from './vendor';\nexport const load = () => request('/shop/items');\n");
    const index = new AtlasIndex({ root: dir, settings: settings(), workers: 0 });
    await index.scan();
    assert.equal(index.getCallsInFile('apps/web/src/lib/shop.ts').length, 0);
    const change = await index.setSettings(settings({ wrappers: ['request'] }));
    assert.deepEqual(change.files, ['apps/web/src/lib/shop.ts']);
    assert.equal(index.getCallsInFile('apps/web/src/lib/shop.ts')[0].via, 'request (.vscode/settings.json)');
    const before = index.getCallsInFile('apps/api/src/routes/orders.ts')[1].findings.map((f) => f.rule);
    assert.ok(before.includes('no-timeout'));
    const off = await index.setSettings(settings({ wrappers: ['request'], rules: { 'no-timeout': 'off' } }));
    assert.ok(off.files.includes('apps/api/src/routes/orders.ts'));
    assert.ok(!index.getCallsInFile('apps/api/src/routes/orders.ts')[1].findings.some((f) => f.rule === 'no-timeout'));
    index.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('worker threads give the same result as the main thread', async () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-worker-'));
  try {
    const workerScript = path.join(outdir, 'worker.js');
    await esbuild.build({ entryPoints: [path.join(__dirname, '..', '..', 'src', 'core', 'worker.ts')], outfile: workerScript, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
    const inProcess = await scanWorkspace(MONOREPO, settings(), { workers: 0 });
    const logs: string[] = [];
    const threaded = await scanWorkspace(MONOREPO, settings(), { workers: 2, workerScript, log: (m) => logs.push(m) });
    assert.deepEqual(logs.filter((m) => /fail|cannot/i.test(m)), []);
    assert.ok(logs.some((m) => /worker threads analysed [1-9]\d* files/.test(m)), 'the workers did the work');
    assert.deepEqual(threaded.calls, inProcess.calls);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

test('toPublicCall keeps exactly the fields of DESIGN.md §2', async () => {
  const index = new AtlasIndex({ root: MONOREPO, settings: settings(), workers: 0 });
  await index.scan();
  const call = index.getCalls().find((c) => c.via)!;
  assert.ok(call.facts.definition);
  assert.deepEqual(Object.keys(toPublicCall(call)).sort(), ['client', 'confidence', 'context', 'evidence', 'file', 'findings', 'id', 'method', 'range', 'runtime', 'url', 'via']);
  index.dispose();
});
