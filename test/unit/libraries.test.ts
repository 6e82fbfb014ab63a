// The library table (src/core/detect/libraries.ts): users extend it with apiAtlas.clients, inner requests fold into their call sites, blind spots are counted, the README lists every model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanWorkspace } from '../../src/core/index';
import { loadSettings } from '../../src/core/settings';
import { LIBRARY_MODELS, foldInnerRequests, linkDefaultQueryFns } from '../../src/core/detect';
import type { CallRecord } from '../../src/core/model';
import { summaryLine } from '../../src/cli/format/table';
import { formatMarkdown } from '../../src/cli/format/markdown';

function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-lib-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

test('apiAtlas.clients adds a library: its factory, base URL, default headers and verbs, in the CLI and the engine alike', async () => {
  const acme = {
    id: 'acme-http',
    packages: ['@acme/http'],
    exports: { createHttp: { is: 'factory', optionsArg: 0, client: { verbs: { fetchOne: 'GET', save: 'PUT' }, verbArgs: { url: 0, options: 1 }, options: { baseURL: ['root'], headers: 'headers' } } } },
  };
  const root = workspace({
    'package.json': JSON.stringify({ name: 'w', dependencies: { '@acme/http': '1.0.0', express: '4.0.0' } }),
    '.vscode/settings.json': JSON.stringify({ 'apiAtlas.clients': [acme] }),
    'src/client.ts': "import { createHttp } from '@acme/http';\nexport const http = createHttp({ root: 'https://api.acme.example/v2', headers: { Authorization: `Bearer ${process.env.ACME_KEY}` } });\n",
    'src/server.ts': "import express from 'express';\nimport { http } from './client';\nconst app = express();\napp.get('/x', async (_q, r) => {\n  r.json(await http.fetchOne(`/orders/${_q.query.id}`));\n  await http.save('/orders', { body: {} });\n});\napp.listen(1);\n",
  });
  try {
    const { settings, warnings } = loadSettings(root);
    assert.deepEqual(warnings, []);
    const result = await scanWorkspace(root, settings, { workers: 0 });
    assert.deepEqual(
      result.calls.map((c) => `${c.file}:${c.range.start.line} ${c.client} ${c.endpoint} ${c.via ?? ''}`),
      ['src/server.ts:5 acme-http GET https://api.acme.example/v2/orders/{id} http (src/client.ts:2)', 'src/server.ts:6 acme-http PUT https://api.acme.example/v2/orders http (src/client.ts:2)'],
    );
    const without = await scanWorkspace(root, { ...settings, clients: [] }, { workers: 0 });
    assert.equal(without.calls.length, 0, 'without the entry the library is unknown');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a wrapper inner request folds into its call sites; with no call site it stays, saying so', () => {
  const rec = (file: string, line: number, facts: Partial<CallRecord['facts']>): CallRecord =>
    ({ id: `${file}:${line}`, file, range: { start: { line, column: 1 }, end: { line, column: 2 } }, client: 'fetch', method: 'GET', url: { text: 'u', template: null, host: null, kind: 'dynamic' }, runtime: 'unknown', context: 'unknown', confidence: 0, evidence: [], findings: [], facts: { callee: 'fetch', span: { start: 0, end: 1 }, argSpans: [], headers: [], credentials: [], hasBody: false, hasErrorHandling: false, hasTimeout: false, awaited: false, branches: [], inTimer: false, ignoredRules: [], ...facts } }) as CallRecord;
  const send = { name: 'send', file: 'http.js', line: 4 };
  const get = { name: 'get', file: 'http.js', line: 14 };
  const ping = { name: 'ping', file: 'http.js', line: 22 };
  const calls = [rec('http.js', 5, { innerOf: send }), rec('http.js', 14, { innerOf: get, definition: send }), rec('http.js', 23, { innerOf: ping }), rec('routes.js', 5, { definition: get })];
  const kept = foldInnerRequests(calls);
  assert.deepEqual(kept.map((c) => c.id), ['http.js:23', 'routes.js:5'], 'send and the intermediate get level are definitions');
  assert.match(kept[0].note ?? '', /inner request of ping \(http\.js:22\); no call site found/);
  // A call site found later (the rest of a scan, an edit) folds it, and the note that it had none goes with it.
  calls.push(rec('jobs.js', 2, { definition: ping }));
  assert.deepEqual(foldInnerRequests(calls).map((c) => c.id), ['routes.js:5', 'jobs.js:2']);
  assert.equal(calls[2].note, undefined);
});

test("TanStack keys without a queryFn point to the nearest QueryClient's default queryFn, whose request folds into them; the link is undone when the default goes", () => {
  const rec = (file: string, line: number, client: string, facts: Partial<CallRecord['facts']>): CallRecord =>
    ({ id: `${file}:${line}`, file, range: { start: { line, column: 1 }, end: { line, column: 2 } }, client, method: 'GET', url: { text: 'u', template: null, host: null, kind: 'dynamic' }, runtime: 'unknown', context: 'unknown', confidence: 0, evidence: [], findings: [], facts: { callee: 'x', span: { start: 0, end: 1 }, argSpans: [], headers: [], credentials: [], hasBody: false, hasErrorHandling: false, hasTimeout: false, awaited: false, branches: [], inTimer: false, ignoredRules: [], ...facts } }) as CallRecord;
  const fn = (name: string) => ({ name, span: { start: 0, end: 1 } });
  const webFetch = rec('apps/web/src/query.ts', 7, 'fetch', { enclosingFunction: fn('keyFetcher') });
  const adminFetch = rec('apps/admin/src/query.ts', 9, 'fetch', { enclosingFunction: fn('getKey') });
  const webKey = rec('apps/web/src/page.tsx', 3, 'tanstack-query', {});
  const adminKey = rec('apps/admin/src/page.tsx', 4, 'tanstack-query', {});
  const ownFn = rec('apps/web/src/todos.tsx', 5, 'tanstack-query', { library: { id: 'tanstack-query', runsOn: 'fetch', callbackSpan: { start: 1, end: 2 } } });
  const calls = [webFetch, adminFetch, webKey, adminKey, ownFn];
  const defaults = [{ file: 'apps/web/src/query.ts', name: 'keyFetcher' }, { file: 'apps/admin/src/query.ts', name: 'getKey' }];
  linkDefaultQueryFns(calls, defaults);
  assert.equal(webKey.via, 'keyFetcher (apps/web/src/query.ts:7)');
  assert.equal(adminKey.via, 'getKey (apps/admin/src/query.ts:9)', 'each app its own QueryClient');
  assert.equal(ownFn.via, undefined, 'a query with its own queryFn is not fetched by the default');
  assert.deepEqual(foldInnerRequests(calls).map((c) => c.id), ['apps/web/src/page.tsx:3', 'apps/admin/src/page.tsx:4', 'apps/web/src/todos.tsx:5']);
  linkDefaultQueryFns(calls, defaults);
  assert.equal(webKey.via, 'keyFetcher (apps/web/src/query.ts:7)', 'linking twice is linking once');
  linkDefaultQueryFns(calls, [defaults[1]]);
  assert.equal(webKey.via, 'getKey (apps/admin/src/query.ts:9)', 'the remaining default is the nearest now');
  assert.equal(webFetch.facts.innerOf, undefined, 'and the removed default is a plain request again');
  linkDefaultQueryFns(calls, []);
  assert.equal(adminKey.via, undefined);
  assert.equal(foldInnerRequests(calls).length, 5);
});

test('fetch handed to a function the engine does not know is a blind spot, counted in stats and the CLI summary', async () => {
  const root = workspace({
    'package.json': JSON.stringify({ name: 'w', dependencies: { react: '18.0.0' } }),
    'src/api.ts': "import { createClient } from 'some-rpc';\nexport const rpc = createClient({ url: '/rpc', fetch });\nexport const memo = cacheResults(fetch);\nexport const loaded = fetch('/api/ok');\n",
  });
  try {
    const result = await scanWorkspace(root, loadSettings(root).settings, { workers: 0 });
    assert.deepEqual(result.stats.blindSpots?.map((b) => `${b.file}:${b.line} ${b.kind}`), ['src/api.ts:2 client-handed-on']);
    assert.match(result.stats.blindSpots![0].detail, /fetch is handed to createClient\(\.\.\.\)/);
    assert.match(summaryLine(result), /1 blind spot \(requests seen but not followed/);
    assert.match(formatMarkdown(result), /1 blind spot: requests seen but not followed/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the README lists every built-in library model', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Supported clients and libraries'), readme.indexOf('## Rules'));
  for (const m of LIBRARY_MODELS) assert.ok(section.includes(`\`${m.id}\``), `README names ${m.id}`);
});

test('tRPC calls are counted as blind spots, in parsed and unparsed files, one per line', async () => {
  const root = workspace({
    'package.json': JSON.stringify({ name: 'w', dependencies: { react: '18.0.0', '@trpc/react-query': '11.0.0' } }),
    'src/docs.tsx': "import { trpc } from './trpc';\nexport function Docs() {\n  const { data } = trpc.document.find.useQuery({ id: 1 });\n  const del = trpc.document.delete.useMutation();\n  return data && del;\n}\n",
    'src/trpc.ts': "import { createTRPCReact } from '@trpc/react-query';\nexport const trpc = createTRPCReact();\n",
    'src/other.ts': "export const api = { a: { b: { useQuery: () => 1 } } };\nexport const one = api.a.b.useQuery();\n",
  });
  try {
    const result = await scanWorkspace(root, loadSettings(root).settings, { workers: 0 });
    assert.deepEqual(result.stats.blindSpots?.map((b) => `${b.file}:${b.line} ${b.kind}`), ['src/docs.tsx:3 trpc', 'src/docs.tsx:4 trpc'], 'a file that never mentions tRPC is not read for it');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('an import of a generated API client that is not in the workspace is a blind spot, not silence', async () => {
  const root = workspace({
    'package.json': JSON.stringify({ name: 'shop', dependencies: { '@hey-api/client-fetch': '0.2.4' }, devDependencies: { '@hey-api/openapi-ts': '0.53.0' } }),
    '.gitignore': '.client/\n',
    // The generated folder exists on this machine but is git-ignored: the scan never reads it.
    'src/lib/.client/services.gen.ts': "export const getProducts = () => fetch('/products');\n",
    'src/lib/client.ts': "import { client } from './.client/services.gen.js';\nimport type { Product } from './.client/types.gen.js';\nclient.setConfig({ baseUrl: 'https://shop.example' });\nexport * from './.client/services.gen.js';\nexport * from './.client/types.gen.js';\nexport type P = Product;\n",
    'src/cart.ts': "import { getProducts } from './lib/client';\nimport { money } from './lib/money';\nimport logo from './logo.svg';\nimport prices from './prices.json';\nexport const load = () => getProducts();\nexport const total = [money, logo, prices];\n",
    'src/lib/money.ts': 'export const money = 1;\n',
    'packages/plain/package.json': JSON.stringify({ name: 'plain', dependencies: { react: '18.0.0' } }),
    // Look-alikes: a missing relative module in a package without a generator, a type-only import of generated code, generated schemas (Prisma's zod) that are no client.
    'packages/plain/src/a.ts': "import { helper } from './not-written-yet';\nimport type { Paths } from '../generated/schema';\nexport const x = helper;\n",
    'packages/plain/src/b.ts': "import { sdk } from '../generated/sdk.gen';\nimport { TeamSchema } from '@acme/db/generated/zod/modelSchema/TeamSchema';\nimport { api } from './generated/api';\nexport const y = [sdk, TeamSchema, api];\n",
    // Committed generated code: its runtime client is not followed either (a type-only import of it is nothing).
    'packages/plain/src/generated/services.ts': "import type { Options } from '@hey-api/client-fetch';\nimport { createClient } from '@hey-api/client-fetch';\nexport const client = createClient({ baseUrl: '/api' });\nexport type O = Options;\n",
  });
  try {
    const result = await scanWorkspace(root, loadSettings(root).settings, { workers: 0 });
    const spots = (result.stats.blindSpots ?? []).filter((b) => b.kind === 'generated-client');
    assert.deepEqual(spots.map((b) => `${b.file}:${b.line}`), ['packages/plain/src/b.ts:1', 'packages/plain/src/b.ts:3', 'packages/plain/src/generated/services.ts:2', 'src/lib/client.ts:1']);
    assert.match(spots[2].detail, /@hey-api\/client-fetch is the runtime of a generated API client/);
    assert.match(spots[3].detail, /\.\/\.client\/services\.gen\.js is not in the workspace \(generated by @hey-api\/openapi-ts/);
    assert.match(spots[0].detail, /generated code/);
    assert.match(summaryLine(result), /4 blind spots/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
