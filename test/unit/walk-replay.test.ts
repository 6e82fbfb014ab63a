// Walks that replay the folder listings of the last one (src/core/scan/listings.ts): after every kind of change they find and skip exactly what a walk from scratch does, and unchanged folders are not read again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverFiles, syncWalkFs, type DiscoveryResult } from '../../src/core/scan';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/model';
import { tempDir } from '../support/temp-dirs';

const settings: Settings = { ...DEFAULT_SETTINGS, maxFileSizeKB: 1 };

const FILES: Record<string, string> = {
  '.gitignore': 'generated/\n',
  'package.json': '{"name":"app"}',
  'src/app.ts': "export const a = 1;\n",
  'src/lib/http.ts': "export const get = (u: string) => fetch(u);\n",
  'src/lib/deep/util.ts': "export const u = 2;\n",
  'src/lib/deep/local.ts': "export const l = 3;\n",
  'src/pages/home.tsx': "export const Home = () => null;\n",
  'src/pages/admin/panel.tsx': "export const Panel = () => null;\n",
  'src/generated/api.ts': "export const g = 4;\n",
  'src/vendor.min.js': 'var a=1;',
  'shared/x.ts': "export const x = 5;\n",
};

/** Each scenario's workspace is made at once, and walked first after the racy window (RACY_MS) has passed for all of them. */
async function workspaces(names: string[]): Promise<Map<string, { root: string; first: DiscoveryResult; startedAt: number }>> {
  const roots = new Map(names.map((name) => [name, tempDir(`atlas-replay-${name}-`)]));
  for (const root of roots.values()) {
    for (const [rel, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const out = new Map<string, { root: string; first: DiscoveryResult; startedAt: number }>();
  for (const [name, root] of roots) {
    const startedAt = Date.now();
    out.set(name, { root, first: await discoverFiles(root, settings, { fs: syncWalkFs(30) }), startedAt });
  }
  return out;
}

const SCENARIOS: Record<string, (root: string) => void> = {
  unchanged: () => undefined,
  'file added deep down': (root) => fs.writeFileSync(path.join(root, 'src/lib/deep/new.ts'), 'export const n = 1;\n'),
  'file removed': (root) => fs.rmSync(path.join(root, 'src/pages/home.tsx')),
  'folder renamed': (root) => fs.renameSync(path.join(root, 'src/pages'), path.join(root, 'src/views')),
  // Written in place: the root folder's entries stay the same; only the .gitignore's times move.
  'root .gitignore now ignores a file in an unchanged folder': (root) => fs.writeFileSync(path.join(root, '.gitignore'), 'generated/\nsrc/lib/deep/local.ts\n'),
  'root .gitignore rewritten with the same size and its time set back': (root) => {
    const file = path.join(root, '.gitignore');
    const before = fs.statSync(file);
    // Same length: src/generated is no longer ignored, panel.tsx is (and neither folder changed).
    fs.writeFileSync(file, '*panel.tsx\n');
    fs.utimesSync(file, before.atime, before.mtime);
  },
  'a new .gitignore between a folder and the root': (root) => fs.writeFileSync(path.join(root, 'src/lib/.gitignore'), 'util.ts\n'),
  'file grown over the size limit': (root) => fs.appendFileSync(path.join(root, 'shared/x.ts'), `// ${'x'.repeat(2000)}\n`),
  'link to a folder added': (root) => fs.symlinkSync(path.join(root, 'shared'), path.join(root, 'src/shared-link')),
};

test('a replayed walk finds and skips what a walk from scratch does, after every kind of change', async () => {
  const spaces = await workspaces(Object.keys(SCENARIOS));
  for (const [name, change] of Object.entries(SCENARIOS)) {
    const { root, first, startedAt } = spaces.get(name)!;
    change(root);
    const replayed = await discoverFiles(root, settings, { fs: syncWalkFs(30), previous: { listings: first.listings, startedAt } });
    const fresh = await discoverFiles(root, settings, { fs: syncWalkFs(30) });
    assert.deepEqual(replayed.files, fresh.files, name);
    assert.deepEqual(replayed.skipped, fresh.skipped, name);
    assert.deepEqual(replayed.meta, fresh.meta, name);
    if (name === 'unchanged') {
      assert.deepEqual([...replayed.unchanged].sort(), ['', 'shared', 'src', 'src/lib', 'src/lib/deep', 'src/pages', 'src/pages/admin'], 'every folder replayed');
      assert.deepEqual(replayed.listings, first.listings);
    }
    if (name === 'file added deep down') {
      assert.ok(!replayed.unchanged.has('src/lib/deep') && replayed.unchanged.has('src/pages'), 'only the changed folder is read again');
      assert.ok(replayed.files.includes('src/lib/deep/new.ts'));
    }
    if (name === 'root .gitignore now ignores a file in an unchanged folder') assert.ok(!replayed.files.includes('src/lib/deep/local.ts'));
    if (name.includes('same size')) assert.ok(replayed.files.includes('src/generated/api.ts') && !replayed.files.includes('src/pages/admin/panel.tsx'));
    if (name === 'a new .gitignore between a folder and the root') assert.ok(!replayed.files.includes('src/lib/deep/util.ts'));
    if (name === 'link to a folder added') assert.ok(replayed.listings.followedLinks, 'a walk through a link is not replayed next time');
  }
});

test('a folder holding a link is read every walk: a link whose target went away is reported, the folders beside it are still replayed', async () => {
  const { root, first, startedAt } = (await workspaces(['file link'])).get('file link')!;
  fs.symlinkSync(path.join(root, 'shared/x.ts'), path.join(root, 'src/pages/x-link.ts'));
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const linkedAt = Date.now();
  const linked = await discoverFiles(root, settings, { fs: syncWalkFs(30), previous: { listings: first.listings, startedAt } });
  assert.ok(linked.files.includes('src/pages/x-link.ts'));
  fs.rmSync(path.join(root, 'shared/x.ts'));
  const replayed = await discoverFiles(root, settings, { fs: syncWalkFs(30), previous: { listings: linked.listings, startedAt: linkedAt } });
  const fresh = await discoverFiles(root, settings, { fs: syncWalkFs(30) });
  assert.deepEqual(replayed.skipped, fresh.skipped);
  assert.deepEqual(replayed.files, fresh.files);
  assert.ok(replayed.skipped.some((s) => s.file === 'src/pages/x-link.ts' && /broken symlink/.test(s.reason)));
  assert.ok(!replayed.unchanged.has('src/pages') && replayed.unchanged.has('src/pages/admin'));
});

test('listings from a walk that began less than the racy window after a folder changed are not replayed', async () => {
  const { root } = (await workspaces(['racy'])).get('racy')!;
  fs.writeFileSync(path.join(root, 'src/lib/deep/late.ts'), 'export const late = 1;\n');
  // The folder changed just now: a walk beginning now records it, but must not trust that record next time.
  const startedAt = Date.now();
  const first = await discoverFiles(root, settings, { fs: syncWalkFs(30) });
  const again = await discoverFiles(root, settings, { fs: syncWalkFs(30), previous: { listings: first.listings, startedAt } });
  assert.ok(!again.unchanged.has('src/lib/deep'), 'changed within the racy window: read again');
  assert.ok(again.unchanged.has('src/pages'), 'older folders are replayed');
  assert.deepEqual(again.files, first.files);
});
