// The index of a workspace's HTTP calls: full scans, incremental updates and change events (architecture.md).
// AtlasIndex only wires its parts together: the store (store.ts), the module graph (graph/), the scan pipeline
// (pipeline.ts), incremental updates (incremental.ts), classification and rules (classification.ts), events (events.ts).
import * as path from 'node:path';
import { ModuleGraph, createPackageLookup } from '../graph';
import { createFileFilter } from '../scan/discovery';
import type { CallRecord, ScanResult, ScanStats, Settings } from '../model/types';
import { TreeCache } from './analyze';
import type { AnalysisCacheStats } from './cache';
import { ManifestReader, type AtlasLogger, type IndexContext } from './context';
import { ChangeEvents, type IndexChange, type IndexChangeListener } from './events';
import { removeFile, setSettings, updateFile } from './incremental';
import { scanAll, type ScanOptions } from './pipeline';
import { linkRestoredFiles } from './snapshot-scan';
import { IndexStore } from './store';

export { loadSettings, normalizeSettings } from '../settings/settings';
export { discoverFiles, syncWalkFs } from '../scan/discovery';
export type { AtlasLogger, AtlasLogLevel } from './context';
export type { IndexChange, ScanProgress } from './events';
export type { InterimRowsOptions } from './interim';
export type { ScanOptions } from './pipeline';
export { toPublicCall } from './store';

/**
 * Editor text at least this long is analysed on a worker thread (see EditAnalysis): on a loaded machine its
 * parse takes longer than a keystroke may block the editor's thread (~50 ms); below, a thread hop costs more.
 */
const OFF_THREAD_EDIT_CHARS = 40_000;

export interface AtlasIndexOptions {
  root: string;
  settings: Settings;
  /** More exclude globs (VS Code's `files.exclude`). */
  extraExclude?: string[];
  /**
   * Problems the engine works around (unreadable files, worker failures; never thrown) as `warn`, failures of
   * its own parts as `error`, and a timing line per scan as `info`. A missing level means `warn`.
   */
  log?: AtlasLogger;
  /** Worker threads for parsing: 0 parses in-process; default: by core count and workload. */
  workers?: number;
  /** The worker entry; default `worker.js` next to the running bundle (none when running from sources). */
  workerScript?: string;
  /**
   * False to parse files with calls whole, instead of only their statements that can take part in a request
   * (see focusText). The results are the same; tests compare the two.
   */
  focusStatements?: boolean;
  /** Texts of at least this many characters are analysed on a worker thread when updated; default 40,000; Infinity never. */
  offThreadEditChars?: number;
  /**
   * The persistent analysis cache's file (see cache.ts): full scans reuse the per-file results it holds and
   * save the ones they used. Absent: no cache. The hosts choose it (CLI: under the project; editor: its storage).
   */
  cacheFile?: string;
  /** Overrides the engine stamp the cache is keyed by (tests simulate another engine version with it). */
  cacheStamp?: string;
}

export class AtlasIndex {
  readonly root: string;
  /** The state every part reads and writes; see context.ts. */
  private readonly ctx: IndexContext;

  constructor(opts: AtlasIndexOptions) {
    const root = path.resolve(opts.root);
    const log = opts.log ?? (() => undefined);
    const extraExclude = opts.extraExclude ?? [];
    const manifests = new ManifestReader(log);
    const readManifest = (abs: string): string | undefined => manifests.read(abs);
    this.root = root;
    this.ctx = {
      root,
      settings: opts.settings,
      extraExclude,
      log,
      workerCount: opts.workers,
      workerScript: opts.workerScript,
      focus: opts.focusStatements ?? true,
      offThreadEditChars: opts.offThreadEditChars ?? OFF_THREAD_EDIT_CHARS,
      store: new IndexStore(),
      graph: new ModuleGraph({ root, readManifest, log }),
      packages: createPackageLookup(root, readManifest, log),
      manifests,
      events: new ChangeEvents(log),
      filter: createFileFilter(root, opts.settings, extraExclude),
      env: [],
      generation: 0,
      classified: new Set(),
      editAnalysis: null,
      early: null,
      cacheFile: opts.cacheFile,
      cacheStamp: opts.cacheStamp,
      cache: null,
      caching: false,
      trees: new TreeCache(),
      pendingRestore: null,
      snapshotStats: null,
    };
    this.ctx.store.resolveImport = (fromRel, specifier) => {
      // A scan answered from a snapshot leaves the module graph unread until needed: this needs it.
      linkRestoredFiles(this.ctx);
      return this.ctx.graph.resolve(fromRel, specifier);
    };
  }

  // ---- queries ----------------------------------------------------------------------------------------

  getCalls(): CallRecord[] {
    return this.ctx.store.allCalls();
  }

  /** A file's rows; with `withDefinitions`, also the inner requests of wrappers that are definitions of rows elsewhere. */
  getCallsInFile(rel: string, opts: { withDefinitions?: boolean } = {}): CallRecord[] {
    return this.ctx.store.callsInFile(rel, opts);
  }

  getCall(id: string): CallRecord | undefined {
    return this.ctx.store.call(id);
  }

  /**
   * The analysis cache's counts for the last scan (null without a cache): how many analyses it answered, how many
   * were made, and how many files the snapshot of the scan before answered without reading them (0: it did not serve).
   */
  getCacheStats(): (AnalysisCacheStats & { unchanged: number }) | null {
    if (this.ctx.cacheFile === undefined) return null;
    const stats = this.ctx.cache?.stats ?? { hits: 0, misses: 0, loaded: 0 };
    return { ...stats, unchanged: this.ctx.snapshotStats?.unchanged ?? 0 };
  }

  getStats(): ScanStats {
    return this.ctx.store.statsNow();
  }

  toResult(): ScanResult {
    return this.ctx.store.result(this.root);
  }

  onDidChange(listener: IndexChangeListener): { dispose(): void } {
    return this.ctx.events.on(listener);
  }

  dispose(): void {
    this.ctx.events.clear();
    void this.ctx.early?.close();
    this.ctx.early = null;
    this.ctx.editAnalysis?.close();
    this.ctx.editAnalysis = null;
  }

  // ---- changes ----------------------------------------------------------------------------------------

  scan(opts: ScanOptions = {}): Promise<ScanResult> {
    return scanAll(this.ctx, opts);
  }

  /** Re-analyses one file (new text from the editor, or read from disk) and everything that depends on it. */
  updateFile(relOrAbs: string, text?: string): Promise<IndexChange> {
    linkRestoredFiles(this.ctx);
    return updateFile(this.ctx, relOrAbs, text);
  }

  removeFile(relOrAbs: string): IndexChange {
    linkRestoredFiles(this.ctx);
    return removeFile(this.ctx, relOrAbs);
  }

  setSettings(settings: Settings): Promise<IndexChange> {
    linkRestoredFiles(this.ctx);
    return setSettings(this.ctx, settings);
  }
}

/** One full scan of a folder. */
export async function scanWorkspace(root: string, settings: Settings, opts: Omit<AtlasIndexOptions, 'root' | 'settings'> & ScanOptions = {}): Promise<ScanResult> {
  const index = new AtlasIndex({ root, settings, extraExclude: opts.extraExclude, log: opts.log, workers: opts.workers, workerScript: opts.workerScript, cacheFile: opts.cacheFile, cacheStamp: opts.cacheStamp });
  try {
    return await index.scan({ onProgress: opts.onProgress, signal: opts.signal });
  } finally {
    index.dispose();
  }
}
