// The full scan: discover, read, link the module graph, analyse in dependency order (with worker threads on big workspaces), classify, apply the rules.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { libraryTable, type HttpShape } from '../detect';
import { extractImports } from '../graph';
import { createFileFilter, decodeSource, discoverFiles, readEnvFiles, syncWalkFs, toScriptText, type DiscoveryOptions, type DiscoveryResult } from '../scan/discovery';
import type { ScanResult } from '../model/types';
import { mayContainCall, mayUseDefinition, wrapperNeedles, type AnalyzeRequest, type AnalyzeResult } from './analyze';
import { AnalysisCache, engineStamp } from './cache';
import { classifyAll, finishCalls } from './classification';
import { analyze, applyResult, cachedAnalysis, externalsFor, type IndexContext } from './context';
import { propagateDefinitions } from './definitions';
import { InterimRows, type InterimRowsOptions } from './interim';
import { hashOf, readSnapshot, snapshotFileFor, StampTableBuilder, writeSnapshot } from './snapshot';
import { linkRestoredFiles, metaOf, restoreFromSnapshot, snapshotKey, takeSnapshot, type SnapshotResultState } from './snapshot-scan';
import { SLICE_MS, throwIfAborted, yieldToEventLoop } from './slices';
import { newFileState, type FileState } from './store';
import { EarlyAnalysis, workerScriptPath } from './workers';

/** Below this many files in a workspace, starting worker threads costs more than they save. */
const WORKER_THRESHOLD_FILES = 2000;
/** Fewer cores than this: no worker threads unless asked for (see defaultWorkers). */
const MIN_CORES_FOR_WORKERS = 4;

export interface ScanOptions {
  onProgress?: (progress: { done: number; total: number }) => void;
  signal?: AbortSignal;
  /**
   * For an editor's first scan of a folder: while a scan that reads every file (no snapshot to answer it) analyses
   * them, change events with `scanning` set publish the rows found so far (see InterimRows). `true` takes the
   * default timing. Without it (the CLI), the only change event is the finished scan's.
   */
  interimRows?: InterimRowsOptions | boolean;
}

/**
 * A full scan of the index's root. With a cache file: answered from the snapshot of the last scan when it can
 * serve (only changed files are read and analysed), else every file is read and analysed through the persistent
 * analysis cache; either way a new snapshot is kept for the next scan.
 */
export async function scanAll(ctx: IndexContext, opts: ScanOptions): Promise<ScanResult> {
  const startedAt = Date.now();
  ctx.snapshotStats = null;
  ctx.store.interim = false;
  ctx.trees.clear();
  // A new scan replaces whatever the last one restored.
  ctx.pendingRestore = null;
  // Opened when a file needs analysing: a scan the snapshot answers whole never reads it.
  const openCache = (): void => {
    if (ctx.cacheFile === undefined || ctx.caching) return;
    ctx.cache ??= AnalysisCache.open(ctx.cacheFile, ctx.log, ctx.cacheStamp);
    ctx.cache.useSettings(ctx.settings);
    ctx.caching = true;
  };
  ctx.cache?.beginScan();
  const snapshotFile = ctx.cacheFile === undefined ? undefined : snapshotFileFor(ctx.cacheFile);
  const stamp = ctx.cacheStamp ?? engineStamp();
  try {
    const started = performance.now();
    const signal = opts.signal;
    const snapshot = snapshotFile === undefined ? null : readSnapshot<SnapshotResultState>(snapshotFile, stamp, ctx.log);
    // The folders the last walk read, replayed where they have not changed (when the walk was one of these settings).
    const previous = snapshot && snapshot.key === snapshotKey(ctx) ? { listings: snapshot.listings, startedAt: snapshot.startedAt } : undefined;
    const discovered = await discover(ctx, signal, previous);
    if (snapshotFile !== undefined) {
      let restored: Awaited<ReturnType<typeof restoreFromSnapshot>> = null;
      try {
        restored = snapshot ? await restoreFromSnapshot(ctx, snapshot, discovered, signal, openCache) : null;
      } catch (err) {
        if (err instanceof Error && err.name === 'AbortError') throw err;
        // A snapshot this engine cannot use after all is a bug, not damage: the scan below replaces it.
        ctx.log(`The scan snapshot ${snapshotFile} could not be applied (${err instanceof Error ? err.message : String(err)}); reading every file.`, 'error');
      }
      if (restored) {
        const { stats } = restored;
        ctx.snapshotStats = stats;
        ctx.log(
          `Scan from the snapshot of the last one: ${discovered.files.length} files (${stats.unchanged} unchanged, ${stats.checkedByContent} of them read to be sure; ${stats.changed} changed, ${stats.removed} removed)${stats.classified === undefined ? '' : stats.classified ? ', classified again' : ', classification kept'}${ctx.cache ? `, the cache answered ${ctx.cache.stats.hits}` : ''}, ${Math.round(performance.now() - started)} ms.`,
          'info',
        );
        const result = finishScan(ctx, discovered.files.length, started, opts);
        if (stats.changed || stats.removed || stats.checkedByContent) {
          linkRestoredFiles(ctx);
          writeSnapshot(snapshotFile, stamp, takeSnapshot(ctx, startedAt, restored.stamps(), discovered.listings), ctx.log);
          ctx.cache?.save((rel) => ctx.store.files.has(rel));
        }
        return result;
      }
      ctx.pendingRestore = null;
    }
    openCache();
    const stamps = snapshotFile === undefined ? null : new StampTableBuilder();
    const result = await runScan(ctx, opts, discovered, started, stamps);
    // Only a finished scan saves: an aborted one used part of the entries and would drop the rest.
    ctx.cache?.save();
    if (snapshotFile !== undefined && stamps) writeSnapshot(snapshotFile, stamp, takeSnapshot(ctx, startedAt, stamps.build(), discovered.listings), ctx.log);
    return result;
  } finally {
    ctx.caching = false;
    // Worker threads live for one scan: edits are analysed here, and an idle parser holds memory.
    void ctx.early?.close();
    ctx.early = null;
  }
}

/** The start of every full scan: the index forgets what project files said, and the files are found anew. */
async function discover(ctx: IndexContext, signal: AbortSignal | undefined, previous: DiscoveryOptions['previous']): Promise<DiscoveryResult> {
  ctx.generation++;
  // The edit worker read the package.json files when it started; a rescan may be because they changed.
  ctx.editAnalysis?.close();
  ctx.editAnalysis = null;
  ctx.manifests.clear();
  ctx.packages.clear();
  ctx.filter = createFileFilter(ctx.root, ctx.settings, ctx.extraExclude);
  // Synchronous fs calls in slices, like the reading below: promise-per-entry fs was most of discovery's time.
  const discovered = await discoverFiles(ctx.root, ctx.settings, { extraExclude: ctx.extraExclude, signal, fs: syncWalkFs(SLICE_MS), previous });
  throwIfAborted(signal);
  return discovered;
}

/** Reads and analyses every discovered file; `stamps` (when given) receives each file's size, times and hash for the next snapshot. */
async function runScan(ctx: IndexContext, opts: ScanOptions, discovered: DiscoveryResult, started: number, stamps: StampTableBuilder | null): Promise<ScanResult> {
  const signal = opts.signal;
  ctx.store.discoverySkipped = discovered.skipped;
  ctx.store.readSkipped.clear();
  ctx.env = readEnvFiles(ctx.root, { onProblem: (message) => ctx.log(message, 'warn') });
  const total = discovered.files.length;
  let done = 0;
  const progress = (): void => opts.onProgress?.({ done, total });

  const phases: string[] = [`discovered ${total} files ${Math.round(performance.now() - started)} ms`];
  let mark = performance.now();
  const phase = (name: string): void => {
    const now = performance.now();
    phases.push(`${name} ${Math.round(now - mark)} ms`);
    mark = now;
  };
  // 1. Read every file once, synchronously in small slices (several times faster than one promise per
  //    file, and the event loop still gets a turn between slices); the text is kept only until analysed.
  //    Files that can hold a call by themselves go to the worker threads as soon as they are read (without
  //    imported definitions, unknown yet: an answer serves only a file that turns out to import none).
  const needles = wrapperNeedles(ctx.settings.wrappers);
  const early = startWorkers(ctx, total);
  const selfCalling = new Set<string>();
  const texts = new Map<string, string>();
  ctx.store.forgetTextBlindSpots();
  /** Analyses the cache answered for files the worker threads would otherwise have taken. */
  const fromCache = new Map<string, AnalyzeResult>();
  let sliceStart = performance.now();
  for (const rel of discovered.files) {
    let read: ReturnType<typeof decodeSource>;
    try {
      const abs = path.join(ctx.root, rel);
      // Stat first (the walk did): a write between the two shows as a newer time next scan, never as an older text taken for new.
      const meta = stamps ? (discovered.meta.get(rel) ?? metaOf(fs.statSync(abs))) : null;
      const bytes = fs.readFileSync(abs);
      if (stamps && meta) stamps.add(rel, meta, hashOf(bytes));
      read = decodeSource(bytes, ctx.settings.maxFileSizeKB);
    } catch (err) {
      read = { skipped: `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
    if ('skipped' in read) {
      ctx.store.readSkipped.set(rel, read.skipped);
    } else {
      const text = toScriptText(rel, read.text);
      texts.set(rel, text);
      ctx.store.noteTextBlindSpots(rel, text, ctx.packages.forFile(rel)?.dependencies);
      if (mayContainCall(text, needles, [], libraryTable(ctx.settings.clients))) {
        selfCalling.add(rel);
        const request: AnalyzeRequest = { rel, text, parse: true, focus: ctx.focus, clients: ctx.settings.clients };
        const cached = early ? cachedAnalysis(ctx, request) : undefined;
        if (cached) fromCache.set(rel, cached);
        else early?.add(request);
      }
    }
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      throwIfAborted(signal);
      sliceStart = performance.now();
    }
  }
  throwIfAborted(signal);
  phase(`read ${texts.size} files`);

  // 2. Imports of every file (cheap), then the module graph.
  const files = new Map<string, FileState>();
  for (const rel of discovered.files) {
    const text = texts.get(rel);
    if (text === undefined) continue;
    files.set(rel, newFileState(rel, extractImports(text)));
  }
  ctx.store.files = files;
  ctx.store.callsChanged();
  ctx.graph.rebuild(files);
  phase('imports and module graph');

  // 3. In dependency order, so a file is parsed once, already knowing the instances and wrappers it imports.
  //    The workers take the files they still have to do from the other end of that order, and files nothing
  //    imports (no other file waits for what they define) are queued for them too, with their imports'
  //    definitions; this thread takes the rest of that queue back from its far end when it gets there.
  const order = ctx.graph.dependencyOrder();
  if (early) {
    const rank = new Map(order.map((rel, i) => [rel, -i]));
    early.prioritize((rel) => rank.get(rel) ?? 0);
  }
  const interim = opts.interimRows ? new InterimRows(ctx, opts.interimRows === true ? {} : opts.interimRows, total) : null;
  const exporting = new Set<string>();
  const deferred: { rel: string; externals: Record<string, HttpShape>; key: string }[] = [];
  let parsedHere = 0;
  sliceStart = performance.now();
  for (const rel of order) {
    const f = ctx.store.files.get(rel)!;
    const text = texts.get(rel)!;
    const importsDefinitions = f.deps.some((d) => exporting.has(d));
    const ext = importsDefinitions ? externalsFor(ctx, f) : {};
    const names = Object.keys(ext);
    const usesImported = names.some((n) => mayUseDefinition(text, n));
    // The early analysis was asked for without imported definitions: it is this file's only when it imports none.
    // Else its answer may lack what a definition tells (`useSWR(key, fetcher)` goes through fetcher: a bare
    // argument, so not `usesImported`, but the call's `via` and the folding of fetcher's own request need it).
    let pre: AnalyzeResult | null = null;
    if (early && selfCalling.has(rel)) {
      if (names.length === 0) pre = fromCache.get(rel) ?? (await early.take(rel));
      else early.drop(rel);
    }
    let result: AnalyzeResult;
    if (pre) {
      result = fromCache.has(rel) ? pre : analyze(ctx, { rel, text, parse: true, externals: ext, focus: ctx.focus, clients: ctx.settings.clients }, pre);
    } else if (selfCalling.has(rel) || usesImported) {
      if (early?.usable && !ctx.graph.importersOf(rel)?.size) {
        early.add({ rel, text, parse: true, externals: ext, focus: ctx.focus, clients: ctx.settings.clients });
        deferred.push({ rel, externals: ext, key: importsDefinitions ? JSON.stringify(ext) : '' });
        continue;
      }
      const hitsBefore = ctx.cache?.stats.hits ?? 0;
      result = analyze(ctx, { focus: ctx.focus, clients: ctx.settings.clients, rel, text, parse: true, externals: ext });
      if (result.detection && (ctx.cache?.stats.hits ?? 0) === hitsBefore) parsedHere++;
    } else {
      // Nothing to detect: its signals wait until classification needs them (most files never).
      result = { rel, signals: null, detection: null };
    }
    done++;
    applyResult(ctx, result, text, importsDefinitions ? JSON.stringify(ext) : '');
    interim?.analysed(f);
    interim?.publishIfDue(done);
    if (Object.keys(f.exports).length || f.imports.some((r) => r.kind === 'export' && !r.typeOnly && exporting.has(ctx.graph.resolve(rel, r.specifier) ?? ''))) exporting.add(rel);
    if (performance.now() - sliceStart > SLICE_MS) {
      progress();
      await yieldToEventLoop();
      throwIfAborted(signal);
      sliceStart = performance.now();
    }
  }
  for (const { rel, externals, key } of deferred.reverse()) {
    const text = texts.get(rel)!;
    const request: AnalyzeRequest = { focus: ctx.focus, clients: ctx.settings.clients, rel, text, parse: true, externals };
    const fromWorker = await early!.take(rel);
    const hitsBefore = ctx.cache?.stats.hits ?? 0;
    const result = analyze(ctx, request, fromWorker);
    if (!fromWorker && result.detection && (ctx.cache?.stats.hits ?? 0) === hitsBefore) parsedHere++;
    done++;
    applyResult(ctx, result, text, key);
    interim?.analysed(ctx.store.files.get(rel)!);
    interim?.publishIfDue(done);
    if (performance.now() - sliceStart > SLICE_MS) {
      progress();
      await yieldToEventLoop();
      throwIfAborted(signal);
      sliceStart = performance.now();
    }
  }
  phase(`analysed in dependency order, parsed ${parsedHere} here${ctx.cache ? ` (the cache answered ${ctx.cache.stats.hits})` : ''}${early ? `, ${early.analysed} in worker threads (${early.discarded} of them unused; first answer after ${Math.round(early.firstReplyMs)} ms, waited ${Math.round(early.waitedMs)} ms)` : ''}`);

  // 4. Import cycles: a file analysed before a definition it imports gets another pass.
  const redetected = propagateDefinitions(ctx, null, (rel) => texts.get(rel));
  phase(`import cycles (${redetected.size} files re-analysed)`);

  // 5. Where each file and call runs, then the rules.
  const scope = classifyAll(ctx, (rel) => texts.get(rel));
  texts.clear();
  phase(`classified (signals of ${scope.signalled} files)`);
  for (const f of ctx.store.files.values()) finishCalls(ctx, f);
  phase('rules');
  ctx.log(`Scan: ${phases.join(', ')}.`, 'info');
  return finishScan(ctx, total, started, opts);
}

/** The counts of a finished scan, its result, and the change event that tells the views. */
function finishScan(ctx: IndexContext, total: number, started: number, opts: ScanOptions): ScanResult {
  // The rows are final now: the inner requests of wrappers no call site goes through are rows again.
  if (ctx.store.interim) {
    ctx.store.interim = false;
    ctx.store.callsChanged();
  }
  ctx.store.stats = {
    filesSeen: total,
    filesParsed: [...ctx.store.files.values()].filter((f) => f.parsed).length,
    calls: ctx.store.countCalls(),
    durationMs: Math.round(performance.now() - started),
    skipped: ctx.store.allSkipped(),
  };
  opts.onProgress?.({ done: total, total });
  const result = ctx.store.result(ctx.root);
  ctx.events.emit([...ctx.store.files.values()].filter((f) => f.calls.length).map((f) => f.rel));
  return result;
}

/**
 * Cold scans of big workspaces: worker threads parse the files that can hold a call by themselves (with no
 * imported definitions yet) while this thread reads, builds the module graph and analyses the rest. Small
 * workspaces and `workers: 0` skip this: starting a thread costs more than it saves.
 */
function startWorkers(ctx: IndexContext, fileCount: number): EarlyAnalysis | null {
  const wanted = ctx.workerCount ?? defaultWorkers(fileCount);
  const script = wanted > 0 ? (ctx.workerScript ?? workerScriptPath()) : null;
  if (!script) return null;
  try {
    ctx.early = new EarlyAnalysis(script, wanted, ctx.root, ctx.settings.wrappers, ctx.log);
  } catch (err) {
    ctx.log(`Worker threads failed to start (${err instanceof Error ? err.message : String(err)}); analysing in the main thread.`, 'warn');
    ctx.early = null;
  }
  return ctx.early;
}

/**
 * Worker threads by default only with 4 or more cores: parsing is memory-bound, and on a 2-core machine a
 * second thread slowed the main one about as much as it helped, plus its start-up (npm run bench: a 7,000-file
 * scan took 1.57 s without a worker, 1.68 s with one).
 */
function defaultWorkers(fileCount: number): number {
  if (fileCount < WORKER_THRESHOLD_FILES) return 0;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cores < MIN_CORES_FOR_WORKERS ? 0 : Math.min(4, cores - 1);
}
