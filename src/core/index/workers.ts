// Worker threads that parse and detect, during a cold scan, the files that can hold a call by themselves (dist/worker.js).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { codeCacheFolder } from '../boot';
import type { AnalyzeRequest, AnalyzeResult } from './analyze';

/**
 * Files per message: small, so the main thread rarely waits for a file it needs that a worker holds, and big
 * enough to amortise messaging. Each worker gets a few batches ahead so it never idles while the main thread
 * is busy between event-loop turns.
 */
const BATCH = 6;
const BATCHES_AHEAD = 3;

/** What a worker thread is started with: the workspace root, and where the compiled parser is kept (see code-cache.ts). */
export interface WorkerSetup {
  root: string;
  codeCacheFolder: string | null;
}

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

interface Pending {
  items: AnalyzeRequest[];
  /** Resolves the promise that `take` waits on for these files (kept in `inFlight`). */
  settle: () => void;
}

/** A request a worker is on, and the promise settled when its batch comes back. */
interface Flight {
  request: AnalyzeRequest;
  done: Promise<void>;
}

interface Lane {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Analyses files on worker threads while the main thread goes on reading and building the module graph.
 * The main thread feeds it (`add`) and later asks for each result (`take`) or gives it up (`drop`); a file no
 * worker has been given yet is handed back for the main thread to analyse itself, so neither side waits for the
 * other's backlog.
 * Never throws: when a worker fails, every file not yet analysed goes back to the main thread.
 */
export class EarlyAnalysis {
  private readonly lanes: Lane[] = [];
  private queue: AnalyzeRequest[] = [];
  private head = 0;
  /** The request to run for each queued file; a file the main thread took back has none, a re-queued one its newest. */
  private readonly latest = new Map<string, AnalyzeRequest>();
  /** By file, the request a worker is on whose answer is still wanted (a dropped or re-queued file's older one is not). */
  private readonly inFlight = new Map<string, Flight>();
  private readonly results = new Map<string, AnalyzeResult>();
  private nextId = 1;
  private failed = false;
  private closed = false;
  /** How many files the workers analysed. */
  analysed = 0;
  /** How many of those analyses the main thread had no use for (see `drop`): the files were parsed again. */
  discarded = 0;
  /** How long the main thread waited for a file a worker was on. */
  waitedMs = 0;
  /** When the first worker answered, in ms after start: thread start-up and loading the parser. */
  firstReplyMs = -1;
  private readonly startedAt = performance.now();

  constructor(
    script: string,
    size: number,
    root: string,
    private readonly wrappers: readonly string[],
    private readonly log: (message: string, level?: 'info' | 'warn' | 'error') => void,
  ) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(script, { workerData: { root, codeCacheFolder: codeCacheFolder() } satisfies WorkerSetup });
      worker.unref();
      const lane: Lane = { worker, pending: new Map() };
      worker.on('message', (reply: WorkerReply) => this.onReply(lane, reply));
      worker.on('error', (err: Error) => this.fail(`A worker thread failed: ${err.message}`));
      worker.on('exit', (code) => {
        if (!this.closed && code !== 0) this.fail(`A worker thread stopped with exit code ${code}`);
      });
      this.lanes.push(lane);
    }
  }

  /** Queues one file (again, with the definitions it imports, after `take` handed it back); a worker with room takes it at once. */
  add(request: AnalyzeRequest): void {
    if (this.failed || this.closed) return;
    // The newest request for a file supersedes an older one's answer, ready or under way.
    this.drop(request.rel);
    this.queue.push(request);
    this.latest.set(request.rel, request);
    this.pump();
  }

  /** Whether the workers are still in use (false after a failure: the main thread does everything). */
  get usable(): boolean {
    return !this.failed && !this.closed;
  }

  /** Files not yet handed to a worker are taken in this order from now on (the reverse of the main thread's). */
  prioritize(rank: (rel: string) => number): void {
    const rest = this.queue.slice(this.head).filter((r) => this.latest.get(r.rel) === r);
    rest.sort((a, b) => rank(a.rel) - rank(b.rel));
    this.queue = rest;
    this.head = 0;
  }

  /**
   * The worker's result for a file, waiting if a worker is on it; null when the main thread should analyse
   * it (never queued, not handed out yet, or the workers failed).
   */
  async take(rel: string): Promise<AnalyzeResult | null> {
    const ready = this.results.get(rel);
    if (ready) {
      this.results.delete(rel);
      return ready;
    }
    const running = this.inFlight.get(rel);
    if (running) {
      const t0 = performance.now();
      await running.done;
      this.waitedMs += performance.now() - t0;
      return this.take(rel);
    }
    this.latest.delete(rel);
    return null;
  }

  /**
   * Forgets a file's queued request: the main thread will not use its answer (it was asked for without the
   * definitions the file turned out to import). Not handed out yet: no worker does it; ready or under way: the
   * answer is not kept, and nobody waits for it.
   */
  drop(rel: string): void {
    this.latest.delete(rel);
    if (this.results.delete(rel)) this.discarded++;
    this.inFlight.delete(rel);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const lane of this.lanes) for (const p of lane.pending.values()) p.settle();
    await Promise.all(this.lanes.map((l) => l.worker.terminate()));
    this.lanes.length = 0;
  }

  private pump(): void {
    for (const lane of this.lanes) {
      while (lane.pending.size < BATCHES_AHEAD) {
        const items: AnalyzeRequest[] = [];
        while (items.length < BATCH && this.head < this.queue.length) {
          const next = this.queue[this.head++];
          if (this.latest.get(next.rel) === next) {
            this.latest.delete(next.rel);
            items.push(next);
          }
        }
        if (items.length === 0) return;
        this.post(lane, items);
      }
    }
  }

  private post(lane: Lane, items: AnalyzeRequest[]): void {
    const id = this.nextId++;
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    lane.pending.set(id, { items, settle });
    for (const request of items) this.inFlight.set(request.rel, { request, done });
    const batch: WorkerBatch = { id, items, wrappers: this.wrappers };
    lane.worker.postMessage(batch);
  }

  private onReply(lane: Lane, reply: WorkerReply): void {
    const pending = lane.pending.get(reply.id);
    if (!pending) return;
    if (this.firstReplyMs < 0) this.firstReplyMs = performance.now() - this.startedAt;
    lane.pending.delete(reply.id);
    // An answer is kept only for the request still wanted: not for a dropped file, nor for one queued again since.
    const wanted = pending.items.map((request) => this.inFlight.get(request.rel)?.request === request);
    for (let i = 0; i < pending.items.length; i++) if (wanted[i]) this.inFlight.delete(pending.items[i].rel);
    if ('error' in reply) {
      this.fail(`A worker thread failed: ${reply.error}`);
    } else {
      for (let i = 0; i < reply.results.length; i++) {
        if (wanted[i]) this.results.set(reply.results[i].rel, reply.results[i]);
        else this.discarded++;
      }
      this.analysed += reply.results.length;
    }
    pending.settle();
    this.pump();
  }

  /** Stops using the workers: whatever they held goes back to the main thread. */
  private fail(message: string): void {
    if (this.failed || this.closed) return;
    this.failed = true;
    this.log(`${message}; analysing in the main thread.`, 'warn');
    this.queue = [];
    this.head = 0;
    this.inFlight.clear();
    for (const lane of this.lanes) {
      for (const p of lane.pending.values()) p.settle();
      lane.pending.clear();
    }
    void this.close();
  }
}

/**
 * One worker thread that analyses the editor's text of a large file, so typing in a 14,000-line file never
 * blocks the thread the index shares with the editor (the extension host) for the parse. Started on the first
 * large edit, stopped after a quiet spell (an idle parser holds memory). Answers null when the worker is gone or
 * failed: the caller then analyses in its own thread, so an edit is never lost.
 */
export class EditAnalysis {
  private worker: Worker | null = null;
  private failed = false;
  private nextId = 1;
  private readonly pending = new Map<number, (result: AnalyzeResult | null) => void>();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly script: string,
    private readonly root: string,
    private readonly log: (message: string, level?: 'info' | 'warn' | 'error') => void,
    private readonly idleMs = 60_000,
  ) {}

  analyze(request: AnalyzeRequest, wrappers: readonly string[]): Promise<AnalyzeResult | null> {
    const worker = this.ensureWorker();
    if (!worker) return Promise.resolve(null);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      const batch: WorkerBatch = { id, items: [request], wrappers };
      worker.postMessage(batch);
    });
  }

  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.settleAll();
    const worker = this.worker;
    this.worker = null;
    if (worker) void worker.terminate();
  }

  private ensureWorker(): Worker | null {
    if (this.failed) return null;
    if (this.worker) return this.worker;
    try {
      const worker = new Worker(this.script, { workerData: { root: this.root, codeCacheFolder: codeCacheFolder() } satisfies WorkerSetup });
      worker.unref();
      worker.on('message', (reply: WorkerReply) => this.onReply(reply));
      worker.on('error', (err: Error) => this.fail(`The edit worker thread failed: ${err.message}`));
      worker.on('exit', (code) => {
        if (this.worker === worker && code !== 0) this.fail(`The edit worker thread stopped with exit code ${code}`);
      });
      this.worker = worker;
      return worker;
    } catch (err) {
      this.fail(`The edit worker thread did not start: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }

  private onReply(reply: WorkerReply): void {
    const resolve = this.pending.get(reply.id);
    if (!resolve) return;
    this.pending.delete(reply.id);
    if ('error' in reply) {
      this.log(`The edit worker thread could not analyse a file (${reply.error}); analysing it here.`, 'warn');
      resolve(null);
    } else {
      resolve(reply.results[0] ?? null);
    }
    if (this.pending.size === 0) {
      this.idleTimer = setTimeout(() => this.close(), this.idleMs);
      this.idleTimer.unref?.();
    }
  }

  private fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.log(`${message}; large files are analysed in the main thread from now on.`, 'warn');
    this.close();
  }

  private settleAll(): void {
    for (const resolve of this.pending.values()) resolve(null);
    this.pending.clear();
  }
}
