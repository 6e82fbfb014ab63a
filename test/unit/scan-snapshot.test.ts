// The scan snapshot (src/core/index/snapshot.ts, snapshot-scan.ts): a warm scan reads only what changed, notices every kind of change, and prints what an uncached scan prints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AtlasIndex, cacheFileFor, snapshotFileFor } from '../../src/core/index';
import { loadSettings } from '../../src/core/settings';
import { tempDir } from '../support/temp-dirs';


interface Outcome {
  json: string;
  unchanged: number;
  misses: number;
  logs: string[];
}

async function scan(root: string, cacheFile: string | undefined): Promise<Outcome> {
  const logs: string[] = [];
  const index = new AtlasIndex({ root, settings: loadSettings(root).settings, workers: 0, cacheFile, log: (m, level = 'warn') => logs.push(`${level}: ${m}`) });
  try {
    const result = await index.scan();
    const stats = index.getCacheStats();
    return { json: JSON.stringify({ ...result, stats: { ...result.stats, durationMs: 0 } }), unchanged: stats?.unchanged ?? 0, misses: stats?.misses ?? 0, logs };
  } finally {
    index.dispose();
  }
}

const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'app', dependencies: { react: '19.0.0', 'react-dom': '19.0.0', vite: '6.0.0', axios: '1.7.0' } }),
  '.env': 'VITE_MAPS_KEY=pk_live_example\n',
  'src/lib/http.ts': "import axios from 'axios';\nexport const http = axios.create({ baseURL: 'https://api.example.com', headers: { 'Content-Type': 'application/json' } });\n",
  'src/pages/Users.tsx': "import { http } from '../lib/http';\nexport function Users() {\n  http.get('/users').catch(() => null);\n  return null;\n}\n",
  'src/pages/Orders.tsx': "import { http } from '../lib/http';\nexport function Orders() {\n  http.post('/orders', {}).catch(() => null);\n  return null;\n}\n",
  'src/pages/Weather.tsx': "export function Weather() {\n  fetch('https://weather.example.net/today', { headers: { 'X-Key': import.meta.env.VITE_MAPS_KEY } }).then((r) => r.json()).catch(() => null);\n  return null;\n}\n",
  'src/main.tsx': "import { createRoot } from 'react-dom/client';\nimport { Users } from './pages/Users';\ncreateRoot(document.getElementById('root')!).render(Users());\n",
};

/**
 * A small Vite app in a temp folder, scanned once with a cache; its files are older than the snapshot's scan
 * by more than the racy window (RACY_MS), so the next scans trust size and times and read nothing unchanged.
 */
async function scannedApp(files: Record<string, string> = FILES): Promise<{ root: string; file: string; first: Outcome }> {
  const root = tempDir('atlas-snapshot-app-');
  // Whole seconds, an hour ago: a test can set a file's time back exactly (utimes keeps no finer digits).
  const anHourAgo = Math.floor(Date.now() / 1000) - 3600;
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
    fs.utimesSync(path.join(root, rel), anHourAgo, anHourAgo);
  }
  // Setting the times moved the change times to now: they must be older than the racy window too.
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const file = cacheFileFor(tempDir('atlas-snapshot-cache-'), root);
  const first = await scan(root, file);
  assert.ok(fs.existsSync(snapshotFileFor(file)));
  return { root, file, first };
}

function filesSeen(outcome: Outcome): number {
  return (JSON.parse(outcome.json) as { stats: { filesSeen: number } }).stats.filesSeen;
}

test('an unchanged workspace is answered from size and times alone, with the same result', async () => {
  const { root, file, first } = await scannedApp();
  const again = await scan(root, file);
  assert.equal(again.json, first.json);
  assert.equal(again.unchanged, filesSeen(first));
  assert.equal(again.misses, 0);
  assert.match(again.logs.join('\n'), /Scan from the snapshot of the last one: 5 files \(5 unchanged, 0 of them read to be sure; 0 changed, 0 removed\)/);
});

test('a warm scan keeps the blind spots of an unchanged workspace, generated API clients included', async () => {
  const { root, file, first } = await scannedApp({
    'package.json': JSON.stringify({ name: 'shop', dependencies: { '@hey-api/openapi-ts': '0.60.0', react: '19.0.0' } }),
    'src/api.ts': "import { getProducts } from './client/sdk.gen';\nexport const products = () => getProducts();\nexport const health = () => fetch('/api/health');\n",
  });
  const spots = (outcome: Outcome) => (JSON.parse(outcome.json) as { stats: { blindSpots?: { file: string }[] } }).stats.blindSpots ?? [];
  assert.equal(spots(first).length, 1, 'the cold scan names the generated client it cannot see');
  const again = await scan(root, file);
  assert.equal(again.unchanged, filesSeen(first), 'answered from the snapshot');
  assert.equal(again.json, first.json);
});

test('a file rewritten with the same size and its modification time set back is still noticed (its change time moved)', async () => {
  const { root, file } = await scannedApp();
  const weather = path.join(root, 'src/pages/Weather.tsx');
  const before = fs.statSync(weather);
  const text = fs.readFileSync(weather, 'utf8');
  const edited = text.replace('weather.example.net', 'climate.example.org');
  assert.equal(Buffer.byteLength(edited), Buffer.byteLength(text), 'same size');
  fs.writeFileSync(weather, edited);
  fs.utimesSync(weather, before.atimeMs / 1000, before.mtimeMs / 1000);
  assert.equal(fs.statSync(weather).mtimeMs, before.mtimeMs, 'the modification time is back where it was');
  const warm = await scan(root, file);
  assert.equal(warm.json, (await scan(root, undefined)).json);
  assert.match(warm.json, /climate\.example\.org/);
  assert.equal(warm.misses, 1, 'only the edited file is analysed');
});

test('a touched file with the same text is read to be sure and analysed no more; a changed one is', async () => {
  const { root, file, first } = await scannedApp();
  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(path.join(root, 'src/pages/Orders.tsx'), later, later);
  const touched = await scan(root, file);
  assert.equal(touched.json, first.json);
  assert.equal(touched.misses, 0);
  assert.match(touched.logs.join('\n'), /5 unchanged, 1 of them read to be sure/);
});

test('a definition edited in a shared file reaches every importer; new, deleted and renamed files follow', async () => {
  const { root, file } = await scannedApp();
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('src/lib/http.ts', FILES['src/lib/http.ts'].replace('https://api.example.com', 'http://legacy.example.org'));
  let warm = await scan(root, file);
  assert.equal(warm.json, (await scan(root, undefined)).json);
  assert.equal((JSON.parse(warm.json) as { calls: { file: string; url: { host: string | null } }[] }).calls.filter((c) => c.url.host === 'legacy.example.org').length, 2, 'both importers call the new host');

  write('src/pages/Invoices.tsx', "import { http } from '../lib/http';\nexport const loadInvoices = () => http.get('/invoices');\n");
  fs.rmSync(path.join(root, 'src/pages/Weather.tsx'));
  fs.renameSync(path.join(root, 'src/pages/Orders.tsx'), path.join(root, 'src/pages/Purchases.tsx'));
  warm = await scan(root, file);
  assert.equal(warm.json, (await scan(root, undefined)).json);
  assert.match(warm.json, /src\/pages\/Invoices\.tsx/);
  assert.match(warm.json, /src\/pages\/Purchases\.tsx/);
  assert.doesNotMatch(warm.json, /Weather\.tsx|Orders\.tsx/);
});

test('changed files that cannot move a call keep the classification; a changed runtime signal or a new call file classifies again', async () => {
  for (const [what, rel, text, again] of [
    ['a comment added to an importer of a call file', 'src/main.tsx', '\n// touched\n', false],
    ['a Node-only API used in that importer', 'src/main.tsx', '\nconsole.log(process.argv.length);\n', true],
    ['a request added to a file without calls', 'src/lib/http.ts', "\nexport const ping = () => fetch('/api/ping');\n", true],
  ] as const) {
    const { root, file } = await scannedApp();
    fs.appendFileSync(path.join(root, rel), text);
    const warm = await scan(root, file);
    assert.equal(warm.json, (await scan(root, undefined)).json, what);
    assert.match(warm.logs.join('\n'), again ? /1 changed, 0 removed\), classified again/ : /1 changed, 0 removed\), classification kept/, what);
  }
});

test('a snapshot written by a scan that read the state of a few files only serves the next changes and edits like any other', async () => {
  const { root, file } = await scannedApp();
  // Users' classification changes with its importer's signals; Orders' state is copied into the snapshot unread.
  fs.appendFileSync(path.join(root, 'src/main.tsx'), '\nconsole.log(process.argv.length);\n');
  const first = await scan(root, file);
  assert.match(first.logs.join('\n'), /1 changed, 0 removed\), classified again/);
  assert.equal(first.json, (await scan(root, undefined)).json);
  // Now Users changes without anything that decides its classification (kept: the one the last scan wrote),
  // Orders changes, and so does the shared client.
  fs.appendFileSync(path.join(root, 'src/pages/Users.tsx'), '\n// touched\n');
  const orders = path.join(root, 'src/pages/Orders.tsx');
  fs.writeFileSync(orders, fs.readFileSync(orders, 'utf8').replace("'/orders'", "'/purchase-orders'").replace('return null;', "console.log(localStorage.length);\n  return null;"));
  fs.appendFileSync(path.join(root, 'src/lib/http.ts'), "export const legacy = axios.create({ baseURL: 'http://legacy.example.org' });\n");
  const second = await scan(root, file);
  assert.equal(second.json, (await scan(root, undefined)).json);
  assert.match(second.json, /purchase-orders/);
  const index = new AtlasIndex({ root, settings: loadSettings(root).settings, workers: 0, cacheFile: file });
  const fresh = new AtlasIndex({ root, settings: loadSettings(root).settings, workers: 0 });
  try {
    await index.scan();
    await fresh.scan();
    assert.equal(index.getCacheStats()?.unchanged, 5, 'answered from the snapshot');
    const edited = "import { http } from '../lib/http';\nexport function Users() {\n  http.delete('/users/1').catch(() => null);\n  return null;\n}\n";
    assert.deepEqual((await index.updateFile('src/pages/Users.tsx', edited)).files, (await fresh.updateFile('src/pages/Users.tsx', edited)).files);
    const json = (i: AtlasIndex): string => JSON.stringify({ ...i.toResult(), stats: { ...i.toResult().stats, durationMs: 0 } });
    assert.equal(json(index), json(fresh));
  } finally {
    index.dispose();
    fresh.dispose();
  }
});

test('a package.json, tsconfig or .env change sets the snapshot aside: the scan reads every file', async () => {
  for (const [what, change] of [
    ['package.json', (root: string) => fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'app', dependencies: { express: '5.0.0', axios: '1.7.0' } }))],
    ['tsconfig.json', (root: string) => fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['src/*'] } } }))],
    ['.env', (root: string) => fs.writeFileSync(path.join(root, '.env'), 'VITE_MAPS_KEY=sk_live_51HabcdefghijklmnopqrstuvwxyzABCDEF\n')],
  ] as const) {
    const { root, file, first } = await scannedApp();
    change(root);
    const warm = await scan(root, file);
    const uncached = await scan(root, undefined);
    assert.equal(warm.json, uncached.json, what);
    assert.match(warm.logs.join('\n'), /Scan snapshot set aside/, what);
    assert.equal(warm.unchanged, 0, what);
    if (what !== 'tsconfig.json') assert.notEqual(warm.json, first.json, `${what} changed the result`);
  }
});

test('project files the warm scan checks by their folder or their times alone: one added in an unchanged place, one rewritten with its time set back', async () => {
  for (const [what, change] of [
    // The package lookup asked for src/pages/package.json and found none: its folder's listing tells it is there now.
    ['a package.json added beside the pages', (root: string) => fs.writeFileSync(path.join(root, 'src/pages/package.json'), JSON.stringify({ name: 'pages', dependencies: { express: '5.0.0' } }))],
    [
      'the package.json rewritten with the same size and its modification time set back',
      (root: string) => {
        const file = path.join(root, 'package.json');
        const before = fs.statSync(file);
        const text = fs.readFileSync(file, 'utf8');
        const edited = text.replace('"vite"', '"vitx"');
        assert.equal(edited.length, text.length);
        fs.writeFileSync(file, edited);
        fs.utimesSync(file, before.atime, before.mtime);
      },
    ],
  ] as const) {
    const { root, file } = await scannedApp();
    change(root);
    const warm = await scan(root, file);
    assert.equal(warm.json, (await scan(root, undefined)).json, what);
    assert.match(warm.logs.join('\n'), /Scan snapshot set aside: \S*package\.json changed/, what);
  }
});

for (const [kind, damage] of [
  ['corrupt', (bytes: Buffer) => Buffer.concat([bytes.subarray(0, bytes.length - 20), Buffer.from('x'.repeat(20))])],
  ['truncated', (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length * 0.6))],
  ['foreign', () => Buffer.from('{"format":"something-else"}\n{}')],
  ['empty', () => Buffer.alloc(0)],
] as const) {
  test(`a ${kind} snapshot is ignored, never trusted, and replaced`, async () => {
    const { root, file, first } = await scannedApp();
    const snapshot = snapshotFileFor(file);
    fs.writeFileSync(snapshot, damage(fs.readFileSync(snapshot)));
    const again = await scan(root, file);
    assert.equal(again.json, first.json);
    assert.equal(again.unchanged, 0);
    assert.match(again.logs.filter((l) => l.startsWith('warn')).join('\n'), /Ignored the scan snapshot/);
    assert.equal((await scan(root, file)).unchanged, filesSeen(first), 'the next scan finds a good snapshot again');
  });
}

test('after touching N files of a generated workspace, the warm scan reads N files and prints the uncached result', async () => {
  const root = tempDir('atlas-snapshot-generated-');
  const { generateWorkspace } = await import('../../bench/generate.mjs');
  generateWorkspace({ out: root, files: 1200, seed: 7 });
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const file = cacheFileFor(tempDir('atlas-snapshot-generated-cache-'), root);
  const cold = await scan(root, file);
  const withCalls = [...new Set((JSON.parse(cold.json) as { calls: { file: string }[] }).calls.map((c) => c.file))];
  // Like the bench's 1%: a line appended to a dozen files, some with calls, and a hub definition changed.
  const touched = [...withCalls.slice(0, 6), 'packages/shared-client/src/http.ts', ...fs.readdirSync(path.join(root, 'packages/shared-client/src')).slice(0, 2).map((n) => `packages/shared-client/src/${n}`)];
  for (const rel of new Set(touched)) fs.appendFileSync(path.join(root, rel), '\n// touched\n');
  const hub = path.join(root, 'packages/shared-client/src/http.ts');
  fs.writeFileSync(hub, fs.readFileSync(hub, 'utf8').replace("'application/json'", "'application/vnd.api+json'"));
  const warm = await scan(root, file);
  assert.equal(warm.json, (await scan(root, undefined)).json);
  assert.equal(warm.unchanged, filesSeen(cold) - new Set(touched).size);
  // The state of most files was copied into that snapshot in groups, unread; a second round of changes elsewhere reads it.
  const sharedFiles = fs.readdirSync(path.join(root, 'packages/shared-client/src'), { withFileTypes: true }).filter((d) => d.isFile());
  const later = [...withCalls.slice(-4), ...sharedFiles.slice(-2).map((d) => `packages/shared-client/src/${d.name}`)];
  for (const rel of new Set(later)) fs.appendFileSync(path.join(root, rel), '\n// touched again\n');
  const again = await scan(root, file);
  assert.equal(again.json, (await scan(root, undefined)).json);
  assert.equal(again.unchanged, filesSeen(cold) - new Set(later).size);
});

test('an index re-opened from the snapshot takes edits as one that read every file', async () => {
  const { root, file } = await scannedApp();
  const edited = FILES['src/lib/http.ts'].replace('https://api.example.com', 'https://api.example.org');
  const results: string[] = [];
  for (const cacheFile of [file, undefined]) {
    const index = new AtlasIndex({ root, settings: loadSettings(root).settings, workers: 0, cacheFile });
    try {
      await index.scan();
      assert.equal(index.getCacheStats()?.unchanged ?? 0, cacheFile ? 5 : 0);
      const change = await index.updateFile('src/lib/http.ts', edited);
      assert.deepEqual(change.files, ['src/pages/Orders.tsx', 'src/pages/Users.tsx']);
      index.removeFile('src/pages/Weather.tsx');
      results.push(JSON.stringify({ ...index.toResult(), stats: { ...index.toResult().stats, durationMs: 0 } }));
    } finally {
      index.dispose();
    }
  }
  assert.equal(results[0], results[1]);
  assert.match(results[0], /api\.example\.org/);
});
