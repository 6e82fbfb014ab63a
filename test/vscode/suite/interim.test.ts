// A folder's first scan in the editor: the tree gets rows while the scan runs (interim rows, marked provisional, those not
// placed yet under "Placing…"), Problems gets nothing from them, and the rows it ends with are the usual ones.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FindingDiagnostics } from '../../../src/extension/diagnostics/diagnostics';
import { WorkspaceIndex } from '../../../src/extension/index/workspaceIndex';
import { AtlasLog } from '../../../src/extension/log';
import { buildTreeModel, flattenCalls, PLACING_LABEL, type LocatedCall, type TreeNode } from '../../../src/extension/tree/treeModel';
import { activateAtlas, EXTENSION_ID, waitForIndex } from './harness';

/** Every row of a tree by its label path, as a person reads it. */
function treePaths(entries: readonly LocatedCall[]): string[] {
  const out: string[] = [];
  const visit = (nodes: readonly TreeNode[], parents: string[]): void => {
    for (const n of nodes) {
      const label = n.kind === 'group' ? n.label : n.kind === 'call' ? `${n.entry.call.id} ${n.entry.call.runtime} ${n.entry.call.findings.map((f) => f.rule).join(',')}` : n.entry.spot.detail;
      out.push([...parents, label].join(' › '));
      if (n.kind === 'group') visit(n.children, [...parents, label]);
    }
  };
  visit(buildTreeModel(entries, 'runtime', {}).roots, []);
  return out;
}

/** API Atlas's diagnostics in Problems, over every collection (the extension's and the test's), under one folder or all. */
function atlasDiagnosticCount(folderKey?: string): number {
  const under = (uri: vscode.Uri): boolean => folderKey === undefined || uri.toString().startsWith(`${folderKey}/`);
  return vscode.languages.getDiagnostics().reduce((n, [uri, list]) => n + (under(uri) ? list.filter((d) => d.source === 'API Atlas').length : 0), 0);
}

suite('First scan of a folder', () => {
  test('the tree has rows while the scan runs, Problems waits for the final ones, and the final rows are the usual ones', async () => {
    const api = await activateAtlas();
    await waitForIndex(api, 'the first scan of every folder', () => api.index.ready && api.index.entries().length > 0);
    const usual = treePaths(api.index.entries());
    const published = atlasDiagnosticCount();
    assert.ok(published > 0, 'the fixture folders have findings in Problems');
    const publishedIn = new Map(api.index.folderKeys().map((key) => [key, atlasDiagnosticCount(key)]));

    // A first open: a new index with no cache, publishing its interim rows after every analysed file.
    const log = new AtlasLog();
    const first = new WorkspaceIndex(log, undefined, { firstMs: 0, everyMs: 0 });
    const extensionUri = vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri;
    const diagnostics = new FindingDiagnostics(first, extensionUri);
    const interim: { indexing: boolean; progress: ReturnType<WorkspaceIndex['scanProgress']>; rows: string[]; provisional: boolean; extraDiagnostics: number }[] = [];
    const subscription = first.onDidChange((e) => {
      if (!e.interim) return;
      // What a redraw at this moment would show, and what Problems would get from it.
      diagnostics.update();
      const entries = first.entries().filter((entry) => entry.folderKey === e.folderKey);
      interim.push({
        indexing: first.indexing,
        progress: first.scanProgress(),
        rows: treePaths(first.entries()),
        provisional: entries.length > 0 && entries.every((entry) => entry.provisional === true),
        // The folder being scanned: others may be finished, and then published.
        extraDiagnostics: atlasDiagnosticCount(e.folderKey) - (publishedIn.get(e.folderKey) ?? 0),
      });
    });
    try {
      first.start();
      await waitForIndex(api, 'the new index to scan', async () => {
        await first.whenIdle();
        return first.ready;
      });
      assert.ok(interim.length > 0, 'the scan published interim rows');
      assert.ok(
        interim.every((i) => i.indexing && i.progress && i.progress.done <= i.progress.total && i.rows.length > 0),
        'each interim event came while the scan ran, with its progress and rows to show',
      );
      assert.ok(interim.every((i) => i.provisional), 'the rows of a folder still being scanned are marked provisional');
      assert.ok(
        interim.some((i) => i.rows.some((r) => r.startsWith(`${PLACING_LABEL} › `))),
        `calls whose own file does not place them are under ${PLACING_LABEL} meanwhile`,
      );
      assert.deepEqual(
        interim.map((i) => i.extraDiagnostics),
        interim.map(() => 0),
        'no diagnostics from interim rows',
      );

      // The end: no progress, nothing provisional, the usual tree, and Problems gets the findings.
      assert.equal(first.scanProgress(), undefined);
      assert.ok(!first.entries().some((e) => e.provisional));
      assert.deepEqual(treePaths(first.entries()), usual);
      assert.ok(!flattenCalls(buildTreeModel(first.entries(), 'runtime', {}).roots).some((n) => n.entry.call.evidence.some((ev) => ev.signal === 'placing')));
      diagnostics.update();
      assert.equal(atlasDiagnosticCount(), 2 * published, 'the final rows are published, as the extension publishes them');
    } finally {
      subscription.dispose();
      diagnostics.dispose();
      first.dispose();
      log.dispose();
    }
  });
});
