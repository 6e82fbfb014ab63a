// The persistent analysis cache (src/core/index/cache.ts) and the scan snapshot (snapshot.ts): identical results with and without them, and every change that must invalidate them does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisCache, AtlasIndex, cacheFileFor, snapshotFileFor, type AnalysisCacheStats } from '../../src/core/index';
import { loadSettings } from '../../src/core/settings';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/model';
import { tempDir } from '../support/temp-dirs';
import { FIXTURES, fixtureWorkspaces } from '../support/fixture-workspaces';


interface ScanOutcome {
  json: string;
  stats: (AnalysisCacheStats & { unchanged: number }) | null;
  logs: string[];
}

/** One full scan in a fresh index (as a new process or a re-opened editor would), with or without a cache file. */
async function scan(root: string, cacheFile: string | undefined, opts: { settings?: Settings; cacheStamp?: string } = {}): Promise<ScanOutcome> {
  const settings = opts.settings ?? loadSettings(root).settings;
  const logs: string[] = [];
  const index = new AtlasIndex({ root, settings, workers: 0, cacheFile, cacheStamp: opts.cacheStamp, log: (m, level = 'warn') => logs.push(`${level}: ${m}`) });
  try {
    const result = await index.scan();
    return { json: JSON.stringify({ ...result, stats: { ...result.stats, durationMs: 0 } }, null, 1), stats: index.getCacheStats(), logs: logs.filter((l) => !/^info: Scan( from the snapshot|:)/.test(l)) };
  } finally {
    index.dispose();
  }
}

/**
 * Uncached, cold-cached and warm-cached scans of `root` must print the same bytes: warm from the snapshot (no
 * file read or analysed), and warm from the per-file analyses alone (the snapshot removed: every file read, none analysed).
 */
async function assertCacheChangesNothing(root: string, cacheDir: string, label: string): Promise<number> {
  const file = cacheFileFor(cacheDir, root);
  const uncached = await scan(root, undefined);
  const cold = await scan(root, file);
  const warm = await scan(root, file);
  fs.rmSync(snapshotFileFor(file));
  const perFile = await scan(root, file);
  assert.equal(cold.json, uncached.json, `${label}: a scan that fills the cache differs from an uncached one`);
  assert.equal(warm.json, uncached.json, `${label}: a scan answered by the snapshot differs from an uncached one`);
  assert.equal(perFile.json, uncached.json, `${label}: a scan answered by the per-file analyses differs from an uncached one`);
  assert.equal(warm.stats!.misses + warm.stats!.hits, 0, `${label}: the scan from the snapshot analysed ${warm.stats!.misses + warm.stats!.hits} files`);
  assert.equal(warm.stats!.unchanged, (JSON.parse(uncached.json) as { stats: { filesSeen: number } }).stats.filesSeen, `${label}: every file is unchanged`);
  assert.equal(perFile.stats!.misses, 0, `${label}: the per-file scan analysed ${perFile.stats!.misses} files again`);
  assert.equal(perFile.stats!.hits, cold.stats!.misses, `${label}: the per-file scan should reuse every analysis the cold one made`);
  assert.deepEqual(warm.logs, uncached.logs, `${label}: the snapshot added log lines`);
  assert.deepEqual(perFile.logs, uncached.logs, `${label}: the cache added log lines`);
  return perFile.stats!.hits;
}

test('cached and uncached scans give byte-identical JSON on every fixture workspace and examples/', async () => {
  const cacheDir = tempDir('atlas-cache-fixtures-');
  try {
    let hits = 0;
    for (const root of fixtureWorkspaces()) hits += await assertCacheChangesNothing(root, cacheDir, path.relative(FIXTURES, root) || root);
    // Otherwise the comparison above would prove nothing.
    assert.ok(hits > 100, `the warm scans reused ${hits} analyses`);
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('cached and uncached scans give byte-identical JSON on a generated bench workspace', async () => {
  const out = tempDir('atlas-cache-bench-');
  const cacheDir = tempDir('atlas-cache-bench-cache-');
  try {
    const { generateWorkspace } = await import('../../bench/generate.mjs');
    generateWorkspace({ out, files: 1500 });
    const hits = await assertCacheChangesNothing(out, cacheDir, 'generated');
    assert.ok(hits > 100, `the warm scan reused ${hits} analyses`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});

// ---- invalidation ------------------------------------------------------------------------------------------

const API_CLIENT = `import axios from 'axios';
export const api = axios.create({ baseURL: 'https://api.example.com', timeout: 5000 });
`;
const USERS = `import { api } from './api-client';
export async function loadUsers() {
  try {
    return await api.get('/users');
  } catch (err) {
    return null;
  }
}
`;
const PAGE = `'use client';
import { useEffect } from 'react';
export default function Page() {
  useEffect(() => {
    fetch('https://orders.example.net/api/orders').then((r) => r.json()).catch(() => undefined);
  }, []);
  return null;
}
`;

/** A small app in a temp folder: an axios instance, a file calling it, a client page with fetch and some plain files. */
function makeApp(): string {
  const root = tempDir('atlas-cache-app-');
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'app', dependencies: { next: '15.0.0', react: '19.0.0', axios: '1.7.0' } }),
    'lib/api-client.ts': API_CLIENT,
    'lib/users.ts': USERS,
    'app/orders/page.tsx': PAGE,
  };
  for (let i = 0; i < 12; i++) files[`lib/util-${i}.ts`] = `export const value${i} = ${i};\n`;
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** Runs `change` on a fresh app after a scan that filled the cache; returns the next cached scan and an uncached one. */
async function afterChange(change: (root: string) => void, opts: { settings?: Settings; cacheStamp?: string; withoutSnapshot?: boolean } = {}): Promise<{ cached: ScanOutcome; uncached: ScanOutcome; cold: ScanOutcome; file: string }> {
  const root = makeApp();
  const cacheDir = tempDir('atlas-cache-dir-');
  try {
    const file = cacheFileFor(cacheDir, root);
    const cold = await scan(root, file);
    change(root);
    if (opts.withoutSnapshot) fs.rmSync(snapshotFileFor(file));
    const cached = await scan(root, file, opts);
    const uncached = await scan(root, undefined, opts);
    return { cached, uncached, cold, file };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function callsOf(outcome: ScanOutcome): { file: string; url: { text: string; host: string | null }; findings: { rule: string; severity: string }[] }[] {
  return (JSON.parse(outcome.json) as { calls: ReturnType<typeof callsOf> }).calls;
}

test('a changed file is analysed again, and only that file', async () => {
  const { cached, uncached } = await afterChange((root) => fs.writeFileSync(path.join(root, 'app/orders/page.tsx'), PAGE.replace('/api/orders', '/api/invoices')));
  assert.equal(cached.json, uncached.json);
  assert.ok(callsOf(cached).some((c) => c.url.text.includes('/api/invoices')), 'the new URL is reported');
  assert.equal(cached.stats!.misses, 1);
});

test("a change to an imported instance's definition changes its importers' results", async () => {
  const edit = (root: string): void => fs.writeFileSync(path.join(root, 'lib/api-client.ts'), API_CLIENT.replace('https://api.example.com', 'http://legacy.example.org'));
  for (const withoutSnapshot of [false, true]) {
    const { cached, uncached } = await afterChange(edit, { withoutSnapshot });
    assert.equal(cached.json, uncached.json);
    const users = callsOf(cached).find((c) => c.file === 'lib/users.ts');
    assert.equal(users?.url.host, 'legacy.example.org', "the importer's call reaches the new host");
    // From the per-file analyses: the definition's file, and its importer (whose key holds the imported definition).
    // From the snapshot the importer is re-detected on its unchanged text, with the signals it had: no cache asked.
    assert.equal(cached.stats!.misses, withoutSnapshot ? 2 : 1);
  }
});

test('a setting that affects analysis invalidates every entry; one that does not reuses them all', async () => {
  const wrappers: Settings = { ...DEFAULT_SETTINGS, wrappers: ['loadUsers'] };
  const changed = await afterChange(() => undefined, { settings: wrappers });
  assert.equal(changed.cached.json, changed.uncached.json);
  assert.equal(changed.cached.stats!.hits, 0);
  assert.equal(changed.cached.stats!.misses, changed.cold.stats!.misses);

  const severities: Settings = { ...DEFAULT_SETTINGS, rules: { 'cross-origin': 'warning' } };
  const same = await afterChange(() => undefined, { settings: severities });
  assert.equal(same.cached.json, same.uncached.json);
  assert.equal(same.cached.stats!.misses, 0, 'rule severities act after analysis');
  assert.notEqual(same.cached.json, same.cold.json, 'the severities did change the report');
});

test('a cache and a snapshot written by another engine version are ignored, with one log line each', async () => {
  const { cached, uncached, cold } = await afterChange(() => undefined, { cacheStamp: 'another-engine' });
  assert.equal(cached.json, uncached.json);
  assert.equal(cached.stats!.loaded, 0);
  assert.equal(cached.stats!.misses, cold.stats!.misses);
  assert.equal(cached.logs.length, 2, cached.logs.join('\n'));
  assert.match(cached.logs.join('\n'), /analysis cache .* another version of API Atlas/);
  assert.match(cached.logs.join('\n'), /scan snapshot .* another version of API Atlas/);
});

test('deleted and renamed files: the results follow, and the saved cache drops what no file uses', async () => {
  const deleted = await afterChange((root) => fs.rmSync(path.join(root, 'app/orders/page.tsx')));
  assert.equal(deleted.cached.json, deleted.uncached.json);
  assert.ok(!callsOf(deleted.cached).some((c) => c.file === 'app/orders/page.tsx'));
  const entries = (file: string): number => AnalysisCache.open(file, () => undefined).stats.loaded;
  assert.equal(entries(deleted.file), deleted.cold.stats!.misses - 1, 'the deleted file has no entry left');

  const renamed = await afterChange((root) => {
    fs.mkdirSync(path.join(root, 'app/invoices'), { recursive: true });
    fs.renameSync(path.join(root, 'app/orders/page.tsx'), path.join(root, 'app/invoices/page.tsx'));
  });
  assert.equal(renamed.cached.json, renamed.uncached.json);
  assert.ok(callsOf(renamed.cached).some((c) => c.file === 'app/invoices/page.tsx'));
  assert.equal(renamed.cached.stats!.misses, 1, 'the renamed file is analysed under its new path');
});

for (const [kind, damage] of [
  ['corrupt', (text: string) => `${text.slice(0, text.length / 2)}X${text.slice(text.length / 2 + 1)}`],
  ['truncated', (text: string) => text.slice(0, Math.floor(text.length * 0.6))],
  ['foreign', () => '{"format":"something-else"}\n{}'],
  ['empty', () => ''],
] as const) {
  test(`a ${kind} cache file is ignored, never trusted, and replaced`, async () => {
    const root = makeApp();
    const cacheDir = tempDir('atlas-cache-damaged-');
    try {
      const file = cacheFileFor(cacheDir, root);
      const cold = await scan(root, file);
      fs.writeFileSync(file, damage(fs.readFileSync(file, 'utf8')));
      // Without the snapshot, so the analysis cache is what the next scan asks.
      fs.rmSync(snapshotFileFor(file));
      const again = await scan(root, file);
      assert.equal(again.json, (await scan(root, undefined)).json);
      assert.equal(again.stats!.hits, 0);
      assert.equal(again.stats!.misses, cold.stats!.misses);
      assert.equal(again.logs.length, 1, again.logs.join('\n'));
      assert.match(again.logs[0], /^warn: Ignored the analysis cache/);
      // The next scan finds a good cache again.
      fs.rmSync(snapshotFileFor(file));
      assert.equal((await scan(root, file)).stats!.misses, 0);
      assert.deepEqual(fs.readdirSync(cacheDir).sort(), [path.basename(file), path.basename(snapshotFileFor(file))].sort(), 'no temp files are left behind');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
}

test('a checkout that changes N files costs N analyses, not the workspace', async () => {
  const root = tempDir('atlas-cache-checkout-');
  const cacheDir = tempDir('atlas-cache-checkout-cache-');
  try {
    const { generateWorkspace } = await import('../../bench/generate.mjs');
    generateWorkspace({ out: root, files: 800, seed: 5 });
    const file = cacheFileFor(cacheDir, root);
    const cold = await scan(root, file);
    assert.ok(cold.stats!.misses > 50, `the cold scan analysed ${cold.stats!.misses} files`);
    // Like `git checkout` of another branch: N files whose analysis the cache holds get new content.
    const analysed = JSON.parse(cold.json) as { calls: { file: string }[] };
    const touched = [...new Set(analysed.calls.map((c) => c.file))].slice(0, 7);
    for (const rel of touched) fs.appendFileSync(path.join(root, rel), '\nexport const touchedByCheckout = 1;\n');
    const warm = await scan(root, file);
    assert.equal(warm.json, (await scan(root, undefined)).json);
    assert.equal(warm.stats!.misses, touched.length);
    const filesSeen = (JSON.parse(cold.json) as { stats: { filesSeen: number } }).stats.filesSeen;
    assert.equal(warm.stats!.unchanged, filesSeen - touched.length, 'the snapshot answered for every other file');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});

test('a saved and reopened cache keeps Maps, Sets, undefined and non-finite numbers, so new per-file facts need no change to it', () => {
  const file = path.join(tempDir('atlas-cache-values-'), 'analysis.json');
  const value = { rel: 'a.ts', signals: null, detection: null, a: new Map<string, unknown>([['k', new Set([1, 2])]]), b: [undefined, NaN, -Infinity, -0], c: { $atlas: 'x' }, d: undefined, e: new Date(5) };
  const written = AnalysisCache.open(file, () => undefined);
  written.set('key', value);
  value.b.push(1);
  written.save();
  const round = AnalysisCache.open(file, () => undefined).get('key') as unknown as typeof value;
  value.b.pop();
  assert.deepEqual(round, value, 'the entry as it was set: later changes to the object do not reach the cache');
  assert.ok('d' in round, 'an undefined property stays a property');
  assert.ok(Object.is(round.b[3], -0));
});

test('saving keeps whole groups of entries as they were and writes the others again: every kept entry reads back, a dropped one is gone', () => {
  const file = path.join(tempDir('atlas-cache-groups-'), 'analysis.json');
  const result = (i: number) => ({ rel: `src/f${i}.ts`, signals: null, detection: null, n: i, nested: { list: [i, undefined, new Set([i])] } });
  // Any structured-clone value is kept as it is; these carry more than an analysis does.
  const asResult = (value: object) => value as Parameters<AnalysisCache['set']>[1];
  const first = AnalysisCache.open(file, () => undefined);
  for (let i = 0; i < 150; i++) first.set(`k${i}`, asResult(result(i)));
  first.save();
  const second = AnalysisCache.open(file, () => undefined);
  assert.equal(second.stats.loaded, 150);
  second.beginScan();
  second.set('k70', asResult({ ...result(70), n: -70 }));
  second.set('k150', asResult(result(150)));
  second.save((rel) => rel !== 'src/f3.ts');
  const third = AnalysisCache.open(file, () => undefined);
  assert.equal(third.stats.loaded, 150);
  assert.equal(third.get('k3'), undefined, 'the entry of a file that is gone');
  for (let i = 0; i <= 150; i++) {
    if (i === 3) continue;
    assert.deepEqual(third.get(`k${i}`), i === 70 ? { ...result(70), n: -70 } : result(i), `k${i}`);
  }
  const copy = third.get('k10') as unknown as { nested: { list: unknown[] } };
  copy.nested.list.push('changed');
  assert.deepEqual(third.get('k10'), result(10), 'each answer is a copy');
});

test('the CLI keeps the cache where asked, and --no-cache keeps none', async () => {
  const { parseArgs } = await import('../../src/cli/args.ts');
  const { cacheLocationOf } = await import('../../src/cli/contract.ts');
  const parsed = (argv: string[]) => {
    const request = parseArgs(argv);
    assert.equal(request.kind, 'scan');
    return request.kind === 'scan' ? request.scan : null!;
  };
  assert.equal(cacheLocationOf(parsed(['scan', '.']), '/work'), undefined, 'the default folder under the project');
  assert.equal(cacheLocationOf(parsed(['scan', '.', '--cache-location', 'tmp/atlas']), '/work'), path.resolve('/work', 'tmp/atlas'));
  assert.equal(cacheLocationOf(parsed(['scan', '.', '--no-cache']), '/work'), null);

  const root = makeApp();
  const cacheDir = tempDir('atlas-cache-cli-');
  try {
    const { spawnSync } = await import('node:child_process');
    const cli = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
    const run = (...extra: string[]) => spawnSync(process.execPath, ['--import', 'tsx', cli, 'scan', root, '--format', 'json', '--verbose', ...extra], { encoding: 'utf8' });
    const first = run('--cache-location', cacheDir);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(fs.readdirSync(cacheDir).length, 2, 'one cache file and one snapshot for the one root');
    const second = run('--cache-location', cacheDir);
    assert.match(second.stderr, /Scan from the snapshot of the last one: (\d+) files \(\1 unchanged/);
    const none = run('--no-cache');
    assert.doesNotMatch(none.stderr, /the cache answered|snapshot/);
    assert.ok(!fs.existsSync(path.join(root, 'node_modules')), '--no-cache writes nothing into the project');
    const strip = (out: string) => JSON.stringify({ ...JSON.parse(out), stats: { ...JSON.parse(out).stats, durationMs: 0 } });
    assert.equal(strip(second.stdout), strip(none.stdout));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});
