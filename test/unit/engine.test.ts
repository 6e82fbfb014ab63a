// The index end to end: scans over fixture workspaces, cross-file instances and wrappers, incremental updates, workers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { AtlasIndex, scanWorkspace, toPublicCall, type IndexChange } from '../../src/core/index';
import { classifyCall, classifyFiles, collectFileSignals, importEdgesOf, type FileSignals } from '../../src/core/classify';
import { parseSource } from '../../src/core/parse';
import { decodeSource, discoverFiles, toScriptText } from '../../src/core/scan';
import { extractImports } from '../../src/core/graph';
import { createPackageLookup } from '../../src/core/graph';
import { createResolver } from '../../src/core/graph';
import { DEFAULT_SETTINGS, type Call, type Settings } from '../../src/core/model';

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
  ]);
  // getJson's own fetch (packages/shared/src/http.ts:3) is the definition its two call sites point to, not a row.
  assert.equal(result.tool, 'api-atlas');
  assert.equal(result.root, MONOREPO);
  assert.equal(result.stats.filesSeen, 11);
  assert.equal(result.stats.calls, 5);
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

test('incremental: a file skipped by the scan leaves the skipped list once it is trimmed or deleted', async () => {
  const dir = copyFixture('detect-sfc');
  try {
    const big = `export async function load() {\n  return fetch('/api/big');\n}\n${'// padding\n'.repeat(400)}`;
    fs.writeFileSync(path.join(dir, 'src', 'big.ts'), big);
    fs.writeFileSync(path.join(dir, 'src', 'broken.ts'), Buffer.from([0x66, 0, 1, 2]));
    const index = new AtlasIndex({ root: dir, settings: settings({ maxFileSizeKB: 2 }), workers: 0 });
    await index.scan();
    assert.deepEqual(index.getStats().skipped.map((s) => s.file), ['src/big.ts', 'src/broken.ts']);
    fs.writeFileSync(path.join(dir, 'src', 'big.ts'), "export async function load() {\n  return fetch('/api/big');\n}\n");
    await index.updateFile('src/big.ts');
    assert.deepEqual(index.getCallsInFile('src/big.ts').map((c) => c.url.template), ['/api/big']);
    fs.rmSync(path.join(dir, 'src', 'broken.ts'));
    index.removeFile('src/broken.ts');
    assert.deepEqual(index.getStats().skipped, [], 'neither the trimmed file nor the deleted one is still listed');
    fs.writeFileSync(path.join(dir, 'src', 'big.ts'), big);
    await index.updateFile('src/big.ts');
    assert.deepEqual(index.getCallsInFile('src/big.ts'), [], 'grown past the limit again: its calls go');
    assert.match(index.getStats().skipped.find((s) => s.file === 'src/big.ts')?.reason ?? '', /larger than apiAtlas\.maxFileSizeKB/);
    index.dispose();
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
    await esbuild.build({ entryPoints: [path.join(__dirname, '..', '..', 'src', 'core', 'index', 'worker.ts')], outfile: workerScript, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
    const { generateWorkspace } = await import('../../bench/generate.mjs');
    const generated = path.join(outdir, 'generated');
    generateWorkspace({ out: generated, files: 300 });
    // The fixture's files all fit the workers' first batches, so they do them; in the generated monorepo this
    // thread takes back whatever the workers have not reached, so the split varies but the result may not.
    for (const root of [MONOREPO, generated]) {
      const inProcess = await scanWorkspace(root, settings(), { workers: 0 });
      const logs: string[] = [];
      const threaded = await scanWorkspace(root, settings(), { workers: 1, workerScript, log: (m) => logs.push(m) });
      assert.deepEqual(logs.filter((m) => /fail|cannot/i.test(m)), []);
      assert.ok(logs.some((m) => /\d+ in worker threads/.test(m)), 'the scan used worker threads');
      if (root === MONOREPO) assert.ok(logs.some((m) => /[1-9]\d* in worker threads/.test(m)), 'the workers did the work');
      assert.deepEqual(threaded.calls, inProcess.calls);
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

test('toPublicCall keeps exactly the fields of docs/design.md §2', async () => {
  const index = new AtlasIndex({ root: MONOREPO, settings: settings(), workers: 0 });
  await index.scan();
  const call = index.getCalls().find((c) => c.via)!;
  assert.ok(call.facts.definition);
  assert.deepEqual(Object.keys(toPublicCall(call)).sort(), ['client', 'confidence', 'context', 'endpoint', 'evidence', 'file', 'findings', 'id', 'method', 'range', 'runtime', 'url', 'via']);
  assert.equal(call.endpoint, `${call.method ?? '?'} ${call.url.template}`, 'the endpoint is the method and the URL template, base URL joined');
  index.dispose();
});

/**
 * Where every call runs, computed the slow way: signals of every file of the workspace, classification over the
 * whole import graph (the engine computes signals only for the files that can change a call's runtime).
 */
async function classifyEverything(root: string, calls: Call[]): Promise<Map<string, Pick<Call, 'runtime' | 'context' | 'confidence' | 'evidence'>>> {
  const readFile = (abs: string): string | undefined => (fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : undefined);
  const { files } = await discoverFiles(root, settings());
  const texts = new Map<string, string>();
  for (const rel of files) {
    const read = decodeSource(fs.readFileSync(path.join(root, rel)), DEFAULT_SETTINGS.maxFileSizeKB);
    if ('text' in read) texts.set(rel, toScriptText(rel, read.text));
  }
  const packages = createPackageLookup(root, readFile);
  const resolver = createResolver(root, texts.keys(), readFile);
  const withCalls = new Set(calls.map((c) => c.file));
  const signals = new Map<string, FileSignals>();
  const deps = new Map<string, string[]>();
  const importers = new Map<string, string[]>();
  for (const [rel, text] of texts) {
    signals.set(rel, collectFileSignals(rel, text, packages.forFile(rel), withCalls.has(rel) ? parseSource(rel, text) : undefined));
    const targets = new Set<string>();
    for (const rec of extractImports(text)) {
      const target = rec.typeOnly ? null : resolver.resolve(rel, rec.specifier);
      if (target && target !== rel && texts.has(target)) targets.add(target);
    }
    deps.set(rel, [...targets]);
    for (const t of targets) importers.set(t, [...(importers.get(t) ?? []), rel]);
  }
  const classes = classifyFiles({
    files: signals,
    imports: (rel) => deps.get(rel) ?? [],
    importers: (rel) => importers.get(rel) ?? [],
    importEdges: (rel) => importEdgesOf(extractImports(texts.get(rel) ?? ''), (specifier) => resolver.resolve(rel, specifier)),
    overrides: {},
  });
  const out = new Map<string, Pick<Call, 'runtime' | 'context' | 'confidence' | 'evidence'>>();
  for (const call of calls) {
    const text = texts.get(call.file)!;
    const lines = text.split('\n');
    const start = lines.slice(0, call.range.start.line - 1).reduce((n, l) => n + l.length + 1, 0) + call.range.start.column - 1;
    const end = lines.slice(0, call.range.end.line - 1).reduce((n, l) => n + l.length + 1, 0) + call.range.end.column - 1;
    const r = classifyCall(classes.get(call.file)!, signals.get(call.file)!, { start, end });
    out.set(call.id, { runtime: r.runtime, context: r.context, confidence: r.confidence, evidence: r.evidence });
  }
  return out;
}

test('a scan reads runtime signals of fewer files than the workspace has, and classifies every call as a whole-workspace classification does', async () => {
  const { generateWorkspace } = await import('../../bench/generate.mjs');
  const generated = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-generated-'));
  try {
    generateWorkspace({ out: generated, files: 400 });
    for (const root of [generated, MONOREPO, path.join(FIXTURES, 'next-app'), path.join(FIXTURES, 'express-react'), path.join(FIXTURES, 'next-pages')]) {
      const logs: string[] = [];
      const result = await scanWorkspace(root, settings(), { workers: 0, log: (m, level) => logs.push(`${level}: ${m}`) });
      const timing = logs.find((m) => m.startsWith('info: Scan: '));
      assert.ok(timing, `the timing line is an info line (${root})`);
      const signalled = Number(/classified \(signals of (\d+) files\)/.exec(timing)![1]);
      assert.ok(result.calls.length > 0, root);
      if (root === generated) assert.ok(signalled < result.stats.filesSeen / 2, `signals of ${signalled} of ${result.stats.filesSeen} files`);
      else assert.ok(signalled <= result.stats.filesSeen, root);
      const expected = await classifyEverything(root, result.calls);
      for (const call of result.calls) {
        assert.deepEqual({ runtime: call.runtime, context: call.context, confidence: call.confidence, evidence: call.evidence }, expected.get(call.id), `${call.file}:${call.range.start.line}`);
      }
    }
  } finally {
    fs.rmSync(generated, { recursive: true, force: true });
  }
});

test('incremental: a definition that only moves in its file updates the calls through it; a changed one re-detects them; both match a fresh scan', async () => {
  const dir = copyFixture('monorepo');
  try {
    const index = new AtlasIndex({ root: dir, settings: settings(), workers: 0 });
    await index.scan();
    const client = 'packages/shared/src/client.ts';
    const http = 'packages/shared/src/http.ts';
    const fresh = async (): Promise<unknown> => (await scanWorkspace(dir, settings(), { workers: 0 })).calls;
    const edit = async (rel: string, change: (text: string) => string): Promise<IndexChange> => {
      const text = change(fs.readFileSync(path.join(dir, rel), 'utf8'));
      fs.writeFileSync(path.join(dir, rel), text);
      return index.updateFile(rel, text);
    };
    const viaLines = (): string[] => index.getCalls().filter((c) => c.via).map((c) => c.via!).sort();
    assert.deepEqual(viaLines(), ['api (packages/shared/src/client.ts:4)', 'api (packages/shared/src/client.ts:4)', 'apiClient (apps/web/src/lib/api-client.ts:4)', 'getJson (packages/shared/src/http.ts:2)', 'getJson (packages/shared/src/http.ts:2)']);

    // A credential in the instance's default headers travels to every call through it, with its span in client.ts.
    await edit(client, (t) => t.replace("headers: { Accept: 'application/json' },", "headers: { Accept: 'application/json', Authorization: `Bearer ${process.env.ACME_TOKEN}` },"));
    assert.ok(index.getCalls().filter((c) => c.via?.startsWith('api (')).every((c) => c.facts.credentials.some((k) => k.file === client && k.envName === 'ACME_TOKEN')));
    assert.deepEqual(index.toResult().calls, await fresh());

    // Two lines above the instance and the wrapper: every call through them now points two lines lower.
    const moved = await edit(client, (t) => `// The API client.\n\n${t}`);
    assert.ok(moved.files.includes('apps/api/src/routes/orders.ts') && moved.files.includes('apps/web/src/components/CartView.tsx'), moved.files.join(', '));
    await edit(http, (t) => `/* helpers */\n\n\n${t}`);
    assert.deepEqual(viaLines(), ['api (packages/shared/src/client.ts:6)', 'api (packages/shared/src/client.ts:6)', 'apiClient (apps/web/src/lib/api-client.ts:4)', 'getJson (packages/shared/src/http.ts:5)', 'getJson (packages/shared/src/http.ts:5)']);
    assert.deepEqual(index.toResult().calls, await fresh());
    assert.deepEqual(
      index.getCalls().map((c) => c.facts),
      (await (async () => {
        const again = new AtlasIndex({ root: dir, settings: settings(), workers: 0 });
        await again.scan();
        return again.getCalls().map((c) => c.facts);
      })()),
      'the detector facts (definition lines, credential spans) match a fresh scan too',
    );

    // A real change of the instance (its base URL) reaches every call through it.
    await edit(client, (t) => t.replace('https://api.acme.dev/v1', 'https://api.acme.dev/v2'));
    assert.ok(index.getCalls().filter((c) => c.via?.startsWith('api (')).every((c) => c.url.template?.startsWith('https://api.acme.dev/v2')));
    assert.deepEqual(index.toResult().calls, await fresh());
    index.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
