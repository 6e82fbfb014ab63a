// A small pool of worker threads that parse and detect batches of files for a cold scan (dist/worker.js).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AnalyzeRequest, AnalyzeResult } from './engine-analyze';

/** Files per message: big enough to amortise messaging, small enough to balance the load between workers. */
const BATCH = 40;

export interface WorkerBatch {
  id: number;
  items: AnalyzeRequest[];
  wrappers: readonly string[];
}

export type WorkerReply = { id: number; results: AnalyzeResult[] } | { id: number; error: string };

/** `worker.js` next to the running bundle (`dist/cli.js`, `dist/extension.js`, `dist/engine.js`), or null when running from sources. */
export function workerScriptPath(): string | null {
  const candidate = path.join(__dirname, 'worker.js');
  return fs.existsSync(candidate) ? candidate : null;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private nextId = 1;

  constructor(
    script: string,
    size: number,
    root: string,
    private readonly log: (message: string) => void,
  ) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const w = new Worker(script, { workerData: { root } });
      w.unref();
      this.workers.push(w);
    }
  }

  /** Analyses the requests on the workers; rejects if a worker dies (the caller falls back to the main thread). */
  analyze(requests: AnalyzeRequest[], wrappers: readonly string[], signal: AbortSignal | undefined, tick: () => void): Promise<AnalyzeResult[]> {
    const results: AnalyzeResult[] = [];
    let next = 0;
    return new Promise((resolve, reject) => {
      let active = 0;
      let failed = false;
      const cleanups: (() => void)[] = [];
      const finish = (err?: Error): void => {
        for (const c of cleanups) c();
        if (err) reject(err);
        else resolve(results);
      };
      const feed = (w: Worker): void => {
        if (failed) return;
        if (signal?.aborted || next >= requests.length) {
          if (active === 0) finish();
          return;
        }
        const items = requests.slice(next, next + BATCH);
        next += items.length;
        active++;
        const batch: WorkerBatch = { id: this.nextId++, items, wrappers };
        w.postMessage(batch);
      };
      for (const w of this.workers) {
        const onMessage = (reply: WorkerReply): void => {
          active--;
          if ('error' in reply) {
            failed = true;
            finish(new Error(reply.error));
            return;
          }
          for (const r of reply.results) {
            results.push(r);
            tick();
          }
          feed(w);
        };
        const onError = (err: Error): void => {
          if (failed) return;
          failed = true;
          this.log(`A worker thread failed: ${err.message}`);
          finish(err);
        };
        w.on('message', onMessage);
        w.on('error', onError);
        cleanups.push(() => {
          w.off('message', onMessage);
          w.off('error', onError);
        });
      }
      for (const w of this.workers) feed(w);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}
