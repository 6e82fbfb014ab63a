// The analysis cache in the editor: the extension keeps it in its storage folder, and a second activation on the same workspace is answered from it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { WorkspaceIndex } from '../../../src/extension/index/workspaceIndex';
import { AtlasLog } from '../../../src/extension/log';
import { activateAtlas, waitForIndex } from './harness';

suite('Analysis cache', () => {
  test('a second activation on the same workspace reads the cache the first one wrote', async () => {
    const api = await activateAtlas();
    await waitForIndex(api, 'the first scan of every folder', () => api.index.ready && api.index.entries().length > 0);
    const folder = api.index.cacheFolder;
    assert.ok(folder, 'the extension passes its storage folder to the index');
    assert.ok(fs.readdirSync(folder).some((f) => f.startsWith('analysis-')), `a cache file in ${folder}`);
    const first = api.index.entries().map((e) => `${e.folderKey} ${e.call.id} ${e.call.runtime}`).sort();

    // What activating again on this workspace does: a new index over the same folders and storage.
    const log = new AtlasLog();
    const second = new WorkspaceIndex(log, folder);
    try {
      second.start();
      await waitForIndex(api, 'the second index to scan', async () => {
        await second.whenIdle();
        return second.ready && second.entries().length > 0;
      });
      assert.deepEqual(second.entries().map((e) => `${e.folderKey} ${e.call.id} ${e.call.runtime}`).sort(), first);
      // Unchanged files are answered by the snapshot of the first scan (counted as unchanged), others by the analysis cache.
      let answered = 0;
      for (const key of second.folderKeys()) answered += (second.cacheStats(key)?.hits ?? 0) + (second.cacheStats(key)?.unchanged ?? 0);
      assert.ok(answered > 0, 'the second scan was answered from the cache');
    } finally {
      second.dispose();
      log.dispose();
    }
  });
});
