// Worker-thread entry (bundled to dist/worker.js): parses, detects and collects runtime signals for batches of files.
import * as fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeFile } from './analyze';
import { createPackageLookup } from '../graph/packages';
import { setCodeCacheFolder } from '../boot';
import type { WorkerBatch, WorkerReply, WorkerSetup } from './workers';

const { root, codeCacheFolder } = workerData as WorkerSetup;
setCodeCacheFolder(codeCacheFolder);
const packages = createPackageLookup(root, (abs) => {
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch {
    return undefined; // a missing package.json is the common case; the main thread reports unreadable ones
  }
});

parentPort?.on('message', (batch: WorkerBatch) => {
  let reply: WorkerReply;
  try {
    reply = { id: batch.id, results: batch.items.map((item) => analyzeFile(item, packages.forFile(item.rel), batch.wrappers)) };
  } catch (err) {
    reply = { id: batch.id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply);
});
