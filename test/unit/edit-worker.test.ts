// Typing in a large file: the editor's text is analysed on the edit worker thread (the built dist/engine.js and
// dist/worker.js, as the extension runs them), with the same calls as analysing it in the index's own thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AtlasIndex as AtlasIndexType, AtlasIndexOptions } from '../../src/core/index';

const REPO = path.join(__dirname, '..', '..');
const DIST = path.join(REPO, 'dist');
const require = createRequire(__filename);

function engine(): { AtlasIndex: new (opts: AtlasIndexOptions) => AtlasIndexType; loadSettings: (root: string) => { settings: AtlasIndexOptions['settings'] } } {
  assert.ok(fs.existsSync(path.join(DIST, 'engine.js')) && fs.existsSync(path.join(DIST, 'worker.js')), 'dist/ is built (npm run test:unit builds first)');
  return require(path.join(DIST, 'engine.js'));
}

/** A worker entry that notes each start in `marker`, then runs the real dist/worker.js. */
function markingWorker(dir: string, marker: string): string {
  const script = path.join(dir, 'marking-worker.js');
  fs.writeFileSync(script, `require('node:fs').appendFileSync(${JSON.stringify(marker)}, 'started\\n');\nrequire(${JSON.stringify(path.join(DIST, 'worker.js'))});\n`);
  return script;
}

const EDITS = [
  (t: string) => t.replace("fetch('/api/board')", "fetch('/api/board?page=2')"),
  (t: string) => t.replace('// end', "export const extra = () => fetch('https://api.openai.com/v1/models', { headers: { Authorization: `Bearer ${process.env.NEXT_PUBLIC_OPENAI_KEY}` } });\n// end"),
  (t: string) => `${t}\n// a comment typed at the end\n`,
];

async function callsAfterEdits(Index: ReturnType<typeof engine>['AtlasIndex'], root: string, settings: AtlasIndexOptions['settings'], extra: Partial<AtlasIndexOptions>): Promise<string[]> {
  const index = new Index({ root, settings, log: () => {}, ...extra });
  await index.scan({});
  let text = fs.readFileSync(path.join(root, 'src/Board.tsx'), 'utf8');
  const snapshots: string[] = [];
  try {
    for (const edit of EDITS) {
      text = edit(text);
      await index.updateFile('src/Board.tsx', text);
      snapshots.push(JSON.stringify(index.toResult().calls));
    }
  } finally {
    index.dispose();
  }
  return snapshots;
}

function workspace(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-edit-worker-')));
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'board', dependencies: { react: '19', 'react-dom': '19', next: '15' } }));
  const helpers = Array.from({ length: 400 }, (_, i) => `export function area${i}(w: number, h: number) {\n  return w * h * ${i};\n}\n`).join('\n');
  fs.writeFileSync(
    path.join(root, 'src/Board.tsx'),
    `'use client';\nimport { useEffect } from 'react';\n${helpers}\nexport default function Board() {\n  useEffect(() => { fetch('/api/board').catch(() => undefined); }, []);\n  return null;\n}\n// end\n`,
  );
  return root;
}

test('edits of a large file are analysed on the edit worker, with the same calls as in the index thread', async () => {
  const { AtlasIndex, loadSettings } = engine();
  const root = workspace();
  try {
    const { settings } = loadSettings(root);
    const marker = path.join(root, 'worker-starts.txt');
    const script = markingWorker(root, marker);
    const here = await callsAfterEdits(AtlasIndex, root, settings, { offThreadEditChars: Infinity, workerScript: script, workers: 0 });
    assert.ok(!fs.existsSync(marker), 'with no size limit reached, no worker starts');
    const onWorker = await callsAfterEdits(AtlasIndex, root, settings, { offThreadEditChars: 1_000, workerScript: script, workers: 0 });
    assert.equal(fs.readFileSync(marker, 'utf8'), 'started\n', 'one edit worker served every edit');
    assert.deepEqual(onWorker, here, 'the same calls, runtimes and findings after each edit');
    assert.match(onWorker[1], /api\.openai\.com/, 'the call added by the second edit is indexed');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('an edit worker that fails is logged once and the edits are analysed in the index thread', async () => {
  const { AtlasIndex, loadSettings } = engine();
  const root = workspace();
  try {
    const { settings } = loadSettings(root);
    const broken = path.join(root, 'broken-worker.js');
    fs.writeFileSync(broken, "throw new Error('no parser here');\n");
    const here = await callsAfterEdits(AtlasIndex, root, settings, { offThreadEditChars: Infinity, workers: 0 });
    const logs: string[] = [];
    const index = new AtlasIndex({ root, settings, workers: 0, offThreadEditChars: 1_000, workerScript: broken, log: (m) => void logs.push(m) });
    await index.scan({});
    let text = fs.readFileSync(path.join(root, 'src/Board.tsx'), 'utf8');
    const snapshots: string[] = [];
    for (const edit of EDITS) {
      text = edit(text);
      await index.updateFile('src/Board.tsx', text);
      snapshots.push(JSON.stringify(index.toResult().calls));
    }
    index.dispose();
    assert.deepEqual(snapshots, here);
    assert.equal(logs.filter((m) => /edit worker thread/.test(m)).length, 1, `logged once: ${logs.join(' | ')}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('an edit overtaken while on the worker is redone, never applied over the newer state', async () => {
  const { AtlasIndex, loadSettings } = engine();
  const root = workspace();
  try {
    const { settings } = loadSettings(root);
    const index = new AtlasIndex({ root, settings, workers: 0, offThreadEditChars: 1_000, workerScript: path.join(DIST, 'worker.js'), log: () => {} });
    await index.scan({});
    const original = fs.readFileSync(path.join(root, 'src/Board.tsx'), 'utf8');
    // The first update waits for the worker; the settings change lands meanwhile and turns the rule off.
    const pending = index.updateFile('src/Board.tsx', EDITS[1](original));
    await index.setSettings({ ...settings, rules: { ...settings.rules, 'client-secret': 'off' } });
    await pending;
    const added = index.getCalls().find((c) => c.url.host === 'api.openai.com');
    assert.ok(added, 'the edit is applied');
    assert.ok(!added.findings.some((f) => f.rule === 'client-secret'), 'with the settings that were current when it was applied');
    index.dispose();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
