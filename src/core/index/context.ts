// The state the index's parts share (settings, store, module graph, cache, worker threads), and the per-file analysis they all go through.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HttpShape } from '../detect';
import type { ModuleGraph, PackageLookup } from '../graph';
import type { EnvEntry, FileFilter, FileMeta } from '../scan/discovery';
import { decodeSource, toScriptText } from '../scan/discovery';
import type { Settings } from '../model/types';
import { analyzeFile, type AnalyzeRequest, type AnalyzeResult, type TreeCache } from './analyze';
import type { AnalysisCache } from './cache';
import type { ChangeEvents } from './events';
import type { SnapshotScanStats } from './snapshot';
import type { FileState, IndexStore } from './store';
import type { EarlyAnalysis, EditAnalysis } from './workers';

/** How much a log line matters: `info` is for people tuning or debugging (timings), `warn` is something worked around, `error` a bug. */
export type AtlasLogLevel = 'info' | 'warn' | 'error';
/** Receives the engine's log lines; a caller that ignores `level` should treat them as warnings. */
export type AtlasLogger = (message: string, level?: AtlasLogLevel) => void;

/** Everything the scan pipeline, incremental updates and classification read and write; AtlasIndex owns one. */
export interface IndexContext {
  readonly root: string;
  settings: Settings;
  /** More exclude globs (VS Code's `files.exclude`). */
  readonly extraExclude: string[];
  readonly log: AtlasLogger;
  readonly workerCount: number | undefined;
  readonly workerScript: string | undefined;
  /** Parse only the statements that can take part in a request (see focusText). */
  readonly focus: boolean;
  readonly offThreadEditChars: number;
  readonly store: IndexStore;
  readonly graph: ModuleGraph<HttpShape, FileState>;
  readonly packages: PackageLookup;
  readonly manifests: ManifestReader;
  readonly events: ChangeEvents;
  filter: FileFilter;
  env: EnvEntry[];
  /** Bumped by every change to the index: an analysis started before a change is not applied after it. */
  generation: number;
  /** The files the last classification looked at (see classifyAll); the others' signals cannot change a call. */
  classified: Set<string>;
  /** The worker thread for large edits, started on the first one (see EditAnalysis). */
  editAnalysis: EditAnalysis | null;
  /** The worker threads of the scan under way, if it uses any. */
  early: EarlyAnalysis | null;
  readonly cacheFile: string | undefined;
  readonly cacheStamp: string | undefined;
  /** Opened on the first scan; consulted only while a full scan runs (edits are analysed fresh). */
  cache: AnalysisCache | null;
  caching: boolean;
  /** Syntax trees of re-detected files, reused while their text stays (see TreeCache); emptied by each full scan. */
  readonly trees: TreeCache;
  /** Sets what a scan from the snapshot left unread (signals, exports, classification, imports and links; see linkRestoredFiles); null when nothing is pending. */
  pendingRestore: (() => void) | null;
  /** What the last scan answered from the snapshot of the one before (null: it read every file). */
  snapshotStats: SnapshotScanStats | null;
}

/** package.json texts by absolute path, read once per scan (the resolver and the package lookup both ask). */
export class ManifestReader {
  private readonly texts = new Map<string, string | undefined>();
  /** Size and times of each file read, from the stat taken before reading it. */
  private readonly metas = new Map<string, FileMeta>();
  /** Project files a scan from the snapshot found unchanged without reading them (see vouch). */
  private readonly vouched = new Map<string, { hash: string | null; meta: FileMeta | null }>();

  constructor(private readonly log: AtlasLogger) {}

  read(abs: string): string | undefined {
    if (this.texts.has(abs)) return this.texts.get(abs);
    let text: string | undefined;
    try {
      // Most folders have no package.json: asking first avoids an ENOENT error (and its stack trace) per folder.
      const stat = fs.statSync(abs, { throwIfNoEntry: false });
      if (stat) this.metas.set(abs, [stat.size, stat.mtimeMs, stat.ctimeMs]);
      text = stat ? fs.readFileSync(abs, 'utf8') : undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.log(`Cannot read ${abs}: ${code ?? (err as Error).message}`, 'warn');
      text = undefined;
    }
    this.texts.set(abs, text);
    return text;
  }

  /**
   * Records a file the last scan read as unchanged since (its hash, null when absent, and its stat) without
   * reading it: it stays among the files the next snapshot checks. A later read() still reads it.
   */
  vouch(abs: string, hash: string | null, meta: FileMeta | null): void {
    this.vouched.set(abs, { hash, meta });
  }

  clear(): void {
    this.texts.clear();
    this.metas.clear();
    this.vouched.clear();
  }

  /** Every file asked for or vouched for since the last clear: its hash (null: absent or unreadable) and its stat when present. */
  records(hashOf: (text: string) => string): [abs: string, hash: string | null, meta: FileMeta | null][] {
    const out: [string, string | null, FileMeta | null][] = [];
    for (const [abs, text] of this.texts) out.push([abs, text === undefined ? null : hashOf(text), text === undefined ? null : (this.metas.get(abs) ?? null)]);
    for (const [abs, { hash, meta }] of this.vouched) if (!this.texts.has(abs)) out.push([abs, hash, meta]);
    return out;
  }
}

/**
 * Every per-file analysis goes through here: during a full scan the persistent cache answers it when the
 * file, its text, its package, the definitions it imports, the settings and the engine are all the same.
 * `computed` is the result a worker thread already made for this same request. `reuseTree`: the text is one
 * analysed before (a re-detection), so its syntax tree may still be in ctx.trees.
 */
export function analyze(ctx: IndexContext, req: AnalyzeRequest, computed?: AnalyzeResult | null, reuseTree = false): AnalyzeResult {
  const pkg = ctx.packages.forFile(req.rel);
  // Given signals come from an earlier parse of the same text (redetect): not part of the key, so not cached.
  const cache = ctx.caching && req.signals === undefined ? ctx.cache : null;
  if (!cache) return computed ?? analyzeFile(req, pkg, ctx.settings.wrappers, reuseTree ? ctx.trees : undefined);
  const key = cache.keyOf(req, pkg);
  const hit = cache.get(key);
  if (hit) return hit;
  const result = computed ?? analyzeFile(req, pkg, ctx.settings.wrappers);
  cache.set(key, result);
  return result;
}

/** The cached result of `req`, without analysing on a miss (the worker threads will). */
export function cachedAnalysis(ctx: IndexContext, req: AnalyzeRequest): AnalyzeResult | undefined {
  if (!ctx.caching || !ctx.cache) return undefined;
  return ctx.cache.get(ctx.cache.keyOf(req, ctx.packages.forFile(req.rel)));
}

/** Stores an analysis's result in the file's state; a change of exports drops the graph's export tables. */
export function applyResult(ctx: IndexContext, r: AnalyzeResult, text: string, externalsKey: string): void {
  const f = ctx.store.files.get(r.rel);
  if (!f) return;
  f.signals = r.signals;
  f.externalsKey = externalsKey;
  if (r.error) {
    ctx.store.readSkipped.set(r.rel, r.error);
    ctx.log(`${r.rel} ${r.error}`, 'warn');
  } else if (ctx.store.readSkipped.get(r.rel)?.startsWith('could not be analysed')) {
    ctx.store.readSkipped.delete(r.rel);
  }
  f.parsed = r.detection !== null;
  f.calls = r.detection?.calls ?? [];
  f.blindSpots = r.detection?.blindSpots;
  f.queryFnDefaults = r.detection?.queryFnDefaults;
  ctx.store.callsChanged();
  const exports = r.detection?.exports ?? {};
  if (Object.keys(exports).length || Object.keys(f.exports).length) ctx.graph.clearExportCaches();
  f.exports = exports;
  if (f.calls.length) f.text = text;
  else if (f.text !== undefined && f.text !== text) f.text = undefined;
}

/** A file's text: the one kept in the index, else read again from disk. */
export function textOf(ctx: IndexContext, rel: string): string | undefined {
  const f = ctx.store.files.get(rel);
  if (f?.text !== undefined) return f.text;
  try {
    const decoded = decodeSource(fs.readFileSync(path.join(ctx.root, rel)), ctx.settings.maxFileSizeKB);
    return 'text' in decoded ? toScriptText(rel, decoded.text) : undefined;
  } catch (err) {
    ctx.log(`Cannot re-read ${rel}: ${err instanceof Error ? err.message : String(err)}`, 'warn');
    return undefined;
  }
}

/** The definitions a file imports, by local name. */
export function externalsFor(ctx: IndexContext, f: FileState): Record<string, HttpShape> {
  return ctx.graph.importedValues(f);
}
