// A first scan's interim rows (src/core/index/interim.ts): change events with the rows found so far while the scan runs, and a finished scan the same with or without them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { AtlasIndex, cacheFileFor, type IndexChange, type ScanOptions } from '../../src/core/index';
import { loadSettings } from '../../src/core/settings';
import type { CallRecord } from '../../src/core/model';
import { tempDir } from '../support/temp-dirs';
import { FIXTURES, fixtureWorkspaces } from '../support/fixture-workspaces';

interface Heard {
  change: IndexChange;
  /** The rows a view reading the index at that moment gets. */
  calls: CallRecord[];
  /** Whether the scan had resolved when the event came. */
  afterScan: boolean;
}

/** One full scan in a fresh index, with what its listener heard; the JSON is the CLI's, its duration zeroed. */
async function scanHearing(root: string, scan: ScanOptions, cacheFile?: string): Promise<{ json: string; heard: Heard[] }> {
  const index = new AtlasIndex({ root, settings: loadSettings(root).settings, workers: 0, cacheFile });
  const heard: Heard[] = [];
  let resolved = false;
  index.onDidChange((change) => heard.push({ change, calls: structuredClone(index.getCalls()), afterScan: resolved }));
  try {
    const result = await index.scan(scan);
    resolved = true;
    return { json: JSON.stringify({ ...result, stats: { ...result.stats, durationMs: 0 } }, null, 1), heard };
  } finally {
    index.dispose();
  }
}

/** As often as the scan can: after every analysed file that has a row. */
const EVERY_FILE: ScanOptions = { interimRows: { firstMs: 0, everyMs: 0 } };

test('a first scan publishes its rows so far before it resolves, placed from their own files, and ends with the usual rows', async () => {
  const root = path.join(FIXTURES, 'next-app');
  const plain = await scanHearing(root, {});
  const interim = await scanHearing(root, EVERY_FILE);

  const early = interim.heard.filter((h) => h.change.scanning);
  assert.ok(early.length >= 2, `several interim events (heard ${interim.heard.length})`);
  assert.ok(early.every((h) => !h.afterScan), 'each interim event came while the scan was still running');
  assert.ok(early[0].calls.length > 0, 'the first interim event already has rows');
  const counts = early.map((h) => h.calls.length);
  assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'rows only come, none go, while the scan runs');
  const { done, total } = early.at(-1)!.change.scanning!;
  assert.ok(done <= total && total > 0, `progress ${done} of ${total}`);

  // Rows whose file decides where they run say so already; the others wait for the import graph, and say that.
  const rows = early.at(-1)!.calls;
  assert.ok(rows.some((c) => c.runtime === 'backend' && c.file === 'app/api/products/route.ts'), "a route handler's call is backend from the start");
  assert.ok(rows.some((c) => c.runtime === 'frontend' && c.file === 'app/components/SearchBox.tsx'), "an event handler's call is frontend from the start");
  const placing = rows.filter((c) => c.runtime === 'unknown');
  assert.ok(placing.length > 0, 'some rows wait for the files importing theirs');
  for (const c of placing) assert.equal(c.evidence[0]?.signal, 'placing', `${c.file}:${c.range.start.line} says why it is not placed yet`);

  // The last event is the finished scan's: no progress, the rows of a scan without interim events, the same JSON.
  const last = interim.heard.at(-1)!;
  assert.equal(last.change.scanning, undefined);
  assert.equal(interim.heard.filter((h) => !h.change.scanning).length, 1, 'one final event');
  assert.deepEqual(last.calls, plain.heard.at(-1)!.calls);
  assert.equal(interim.json, plain.json);
  assert.ok(!last.calls.some((c) => c.evidence.some((e) => e.signal === 'placing')), 'no interim evidence is left');
});

test('without interimRows a scan tells its listeners once, when it has finished (the CLI)', async () => {
  const plain = await scanHearing(path.join(FIXTURES, 'next-app'), {});
  assert.equal(plain.heard.length, 1);
  assert.equal(plain.heard[0].change.scanning, undefined);
});

test("a wrapper's inner request is no interim row, and is a row again at the end when no call site goes through it", async () => {
  // value-flow's API client holds wrappers with call sites and one (pingUnused) whose inner request stays a row.
  const root = path.join(FIXTURES, 'patterns', 'value-flow');
  const interim = await scanHearing(root, EVERY_FILE);
  const inner = (c: CallRecord): boolean => c.note?.startsWith('inner request of pingUnused') ?? false;
  const final = interim.heard.at(-1)!.calls;
  for (const h of interim.heard.filter((e) => e.change.scanning)) assert.ok(!h.calls.some(inner), 'an interim event lists an inner request');
  assert.ok(final.some(inner), 'the finished scan lists the inner request of a wrapper nothing calls');
});

test('interim rows change no finished scan: every fixture workspace and examples/, and the snapshot the scan leaves', async () => {
  const cacheDir = tempDir('atlas-interim-');
  let events = 0;
  for (const root of fixtureWorkspaces()) {
    const label = path.relative(FIXTURES, root) || root;
    const plain = await scanHearing(root, {});
    const file = cacheFileFor(cacheDir, root);
    const interim = await scanHearing(root, EVERY_FILE, file);
    events += interim.heard.length - 1;
    assert.equal(interim.json, plain.json, `${label}: a scan with interim rows differs from one without`);
    assert.deepEqual(interim.heard.at(-1)!.calls, plain.heard.at(-1)!.calls, `${label}: the rows of the final events differ`);
    // A re-open, answered by the snapshot the interim scan wrote: it publishes nothing early, and its rows are the same.
    const reopened = await scanHearing(root, EVERY_FILE, file);
    assert.equal(reopened.json, plain.json, `${label}: the snapshot of a scan with interim rows differs`);
    assert.equal(reopened.heard.length, 1, `${label}: a scan answered by the snapshot has no interim rows`);
  }
  // Otherwise the comparison above would prove nothing.
  assert.ok(events > 50, `interim events were published (${events})`);
});
