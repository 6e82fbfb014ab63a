// The index of a workspace's HTTP calls: full scans, incremental updates and change events (architecture.md).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { classifyCall, classifyFiles, decideOwn, DECISIVE, importEdgesOf, runtimeOverrideFor, type FileClassification, type FileSignals, type ImportEdge } from '../classify';
import { checkSourceText, createFileFilter, decodeSource, discoverFiles, readEnvFiles, readSource, syncWalkFs, toScriptText, type EnvEntry, type FileFilter } from '../scan/discovery';
import { computeFindings } from '../rules/findings';
import { createPackageLookup, type PackageLookup } from '../graph/packages';
import { createResolver, type Resolver } from '../graph/resolve';
import { extractImports, type ImportRecord } from '../graph/imports';
import type { HttpShape } from '../detect/detect';
import { libraryTable } from '../detect/libraries';
import { foldInnerRequests } from '../detect/inner-requests';
import { trpcBlindSpots } from '../detect/blind-spots';
import { analyzeFile, emptySignals, mayContainCall, mayUseDefinition, wrapperNeedles, type AnalyzeRequest, type AnalyzeResult } from './analyze';
import { AnalysisCache, type AnalysisCacheStats } from './cache';
import { EarlyAnalysis, EditAnalysis, workerScriptPath } from './workers';
import { moveCall, positionalMoves } from './positions';
import type { BlindSpot, Call, CallRecord, ScanResult, ScanStats, Settings, SkippedFile } from '../model/types';
import manifest from '../../../package.json';

export { loadSettings, normalizeSettings } from '../settings/settings';
export { discoverFiles, syncWalkFs } from '../scan/discovery';

/** How many rounds instance/wrapper definitions travel through imports (a wrapper of an imported wrapper of ...). */
const MAX_CROSS_FILE_ROUNDS = 4;
/** Below this many files in a workspace, starting worker threads costs more than they save. */
const WORKER_THRESHOLD_FILES = 2000;
/** Fewer cores than this: no worker threads unless asked for (see defaultWorkers). */
const MIN_CORES_FOR_WORKERS = 4;
/** Longest stretch of synchronous work before the scan yields to the event loop (the extension host shares it). */
const SLICE_MS = 30;
/**
 * Editor text at least this long is analysed on a worker thread (see EditAnalysis): on a loaded machine its
 * parse takes longer than a keystroke may block the editor's thread (~50 ms); below, a thread hop costs more.
 */
const OFF_THREAD_EDIT_CHARS = 40_000;
/** What exportTable answers for a file whose table is being built (an `export *` cycle). */
const NO_EXPORTS: ReadonlyMap<string, HttpShape> = new Map();

/** How much a log line matters: `info` is for people tuning or debugging (timings), `warn` is something worked around, `error` a bug. */
export type AtlasLogLevel = 'info' | 'warn' | 'error';
/** Receives the engine's log lines; a caller that ignores `level` should treat them as warnings. */
export type AtlasLogger = (message: string, level?: AtlasLogLevel) => void;

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

export interface ScanOptions {
  onProgress?: (progress: { done: number; total: number }) => void;
  signal?: AbortSignal;
}

/** What an update changed: the files whose calls (or their runtime/findings) are different now. */
export interface IndexChange {
  files: string[];
}

interface FileState {
  rel: string;
  imports: ImportRecord[];
  /** Workspace files this one imports (runtime edges only), resolved. */
  deps: string[];
  /**
   * Runtime signals; null until needed. Parsed files get them with their syntax tree; the others only when
   * classification reaches them (files with calls and their importers up to a decisive file), computed then.
   */
  signals: FileSignals | null;
  parsed: boolean;
  /** Every request detection found, inner requests of wrappers included (see visibleCalls). */
  calls: CallRecord[];
  /** Client values the detection saw but could not follow. */
  blindSpots?: BlindSpot[];
  exports: Record<string, HttpShape>;
  /** The externals the last detection saw, serialized; re-detect when it changes. */
  externalsKey: string;
  /** Kept for files with calls (findings read it) and for editor text newer than the disk. */
  text?: string;
  classification?: FileClassification;
}

type Listener = (change: IndexChange) => void;

export class AtlasIndex {
  readonly root: string;
  private settings: Settings;
  private readonly extraExclude: string[];
  private readonly log: AtlasLogger;
  private readonly workerCount: number | undefined;
  private readonly workerScript: string | undefined;
  private readonly focus: boolean;
  private readonly offThreadEditChars: number;
  /** The worker thread for large edits, started on the first one (see EditAnalysis). */
  private editAnalysis: EditAnalysis | null = null;
  /** Bumped by every change to the index: an analysis started before a change is not applied after it. */
  private generation = 0;
  private files = new Map<string, FileState>();
  private importers = new Map<string, Set<string>>();
  private resolver: Resolver | null = null;
  private packages: PackageLookup;
  private filter: FileFilter;
  private env: EnvEntry[] = [];
  private stats: ScanStats = { filesSeen: 0, filesParsed: 0, calls: 0, durationMs: 0, skipped: [] };
  private discoverySkipped: SkippedFile[] = [];
  private readSkipped = new Map<string, string>();
  private listeners = new Set<Listener>();
  private manifestCache = new Map<string, string | undefined>();
  /** The worker threads of the scan under way, if it uses any. */
  private early: EarlyAnalysis | null = null;
  /** Blind spots read from each file's text (tRPC calls), parsed or not. */
  private readonly textBlindSpots = new Map<string, BlindSpot[]>();
  /** The rows of each file with calls, inner requests of called wrappers left out; null when calls changed since. */
  private visible: Map<string, CallRecord[]> | null = null;
  /** Resolved namespaces by file (`import * as ns`), re-export chains followed; cleared when any file's exports or the graph change. */
  private exportCache = new Map<string, HttpShape | null>();
  /** exportTable's tables, cleared with exportCache; and the tables being built, by nesting level. */
  private exportTables = new Map<string, ReadonlyMap<string, HttpShape>>();
  private tablesOpen = new Map<string, number>();
  private cycleLevel = Infinity;
  /** The files the last classification looked at (see classifyAll); the others' signals cannot change a call. */
  private classified = new Set<string>();
  private readonly cacheFile: string | undefined;
  private readonly cacheStamp: string | undefined;
  /** Opened on the first scan; consulted only while a full scan runs (edits are analysed fresh). */
  private cache: AnalysisCache | null = null;
  private caching = false;

  constructor(opts: AtlasIndexOptions) {
    this.root = path.resolve(opts.root);
    this.settings = opts.settings;
    this.extraExclude = opts.extraExclude ?? [];
    this.log = opts.log ?? (() => undefined);
    this.workerCount = opts.workers;
    this.workerScript = opts.workerScript;
    this.focus = opts.focusStatements ?? true;
    this.offThreadEditChars = opts.offThreadEditChars ?? OFF_THREAD_EDIT_CHARS;
    this.cacheFile = opts.cacheFile;
    this.cacheStamp = opts.cacheStamp;
    this.packages = createPackageLookup(this.root, (abs) => this.readManifest(abs), this.log);
    this.filter = createFileFilter(this.root, this.settings, this.extraExclude);
  }

  // ---- queries ----------------------------------------------------------------------------------------

  getCalls(): CallRecord[] {
    const out: CallRecord[] = [];
    for (const rel of [...this.files.keys()].sort()) out.push(...this.visibleCalls(this.files.get(rel)!));
    return out;
  }

  /** A file's rows; with `withDefinitions`, also the inner requests of wrappers that are definitions of rows elsewhere. */
  getCallsInFile(rel: string, opts: { withDefinitions?: boolean } = {}): CallRecord[] {
    const f = this.files.get(toRel(rel));
    if (!f) return [];
    return opts.withDefinitions ? f.calls : this.visibleCalls(f);
  }

  getCall(id: string): CallRecord | undefined {
    for (const f of this.files.values()) for (const c of this.visibleCalls(f)) if (c.id === id) return c;
    return undefined;
  }

  /** The analysis cache's counts for the last scan (null without a cache): how many files it answered, how many were analysed. */
  getCacheStats(): AnalysisCacheStats | null {
    return this.cache ? { ...this.cache.stats } : null;
  }

  getStats(): ScanStats {
    const blindSpots: BlindSpot[] = [];
    for (const rel of [...this.files.keys()].sort()) blindSpots.push(...(this.files.get(rel)!.blindSpots ?? []), ...(this.textBlindSpots.get(rel) ?? []));
    return { ...this.stats, calls: this.countCalls(), skipped: this.allSkipped(), ...(blindSpots.length ? { blindSpots } : {}) };
  }

  /**
   * A file's rows: its calls without the inner requests of wrappers that have a call site anywhere in the
   * workspace (the call sites are the rows; see detect/inner-requests.ts). Worked out for all files at once,
   * again after any file's calls change.
   */
  private visibleCalls(f: FileState): CallRecord[] {
    if (!this.visible) {
      this.visible = new Map();
      const all: CallRecord[] = [];
      for (const file of this.files.values()) all.push(...file.calls);
      const kept = new Set(foldInnerRequests(all));
      for (const file of this.files.values()) if (file.calls.length) this.visible.set(file.rel, file.calls.filter((c) => kept.has(c)));
    }
    return this.visible.get(f.rel) ?? [];
  }

  toResult(): ScanResult {
    return { tool: 'api-atlas', version: manifest.version, root: this.root, calls: this.getCalls().map(toPublicCall), stats: this.getStats() };
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.listeners.clear();
    void this.early?.close();
    this.early = null;
    this.editAnalysis?.close();
    this.editAnalysis = null;
  }

  // ---- full scan --------------------------------------------------------------------------------------

  async scan(opts: ScanOptions = {}): Promise<ScanResult> {
    if (this.cacheFile !== undefined) {
      this.cache ??= AnalysisCache.open(this.cacheFile, this.log, this.cacheStamp);
      this.cache.useSettings(this.settings);
      this.cache.beginScan();
      this.caching = true;
    }
    try {
      const result = await this.runScan(opts);
      // Only a finished scan saves: an aborted one used part of the entries and would drop the rest.
      this.cache?.save();
      return result;
    } finally {
      this.caching = false;
      // Worker threads live for one scan: edits are analysed here, and an idle parser holds memory.
      void this.early?.close();
      this.early = null;
    }
  }

  private async runScan(opts: ScanOptions): Promise<ScanResult> {
    const started = performance.now();
    this.generation++;
    // The edit worker read the package.json files when it started; a rescan may be because they changed.
    this.editAnalysis?.close();
    this.editAnalysis = null;
    const signal = opts.signal;
    this.manifestCache.clear();
    this.packages.clear();
    this.filter = createFileFilter(this.root, this.settings, this.extraExclude);
    // Synchronous fs calls in slices, like the reading below: promise-per-entry fs was most of discovery's time.
    const discovered = await discoverFiles(this.root, this.settings, { extraExclude: this.extraExclude, signal, fs: syncWalkFs(SLICE_MS) });
    throwIfAborted(signal);
    this.discoverySkipped = discovered.skipped;
    this.readSkipped.clear();
    this.env = readEnvFiles(this.root, { onProblem: (message) => this.log(message, 'warn') });
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
    //    Files that can hold a call by themselves go to the worker threads as soon as they are read.
    const needles = wrapperNeedles(this.settings.wrappers);
    const early = this.startWorkers(total);
    const selfCalling = new Set<string>();
    const texts = new Map<string, string>();
    this.textBlindSpots.clear();
    /** Analyses the cache answered for files the worker threads would otherwise have taken. */
    const fromCache = new Map<string, AnalyzeResult>();
    let sliceStart = performance.now();
    for (const rel of discovered.files) {
      let read: ReturnType<typeof decodeSource>;
      try {
        read = decodeSource(fs.readFileSync(path.join(this.root, rel)), this.settings.maxFileSizeKB);
      } catch (err) {
        read = { skipped: `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
      }
      if ('skipped' in read) {
        this.readSkipped.set(rel, read.skipped);
      } else {
        const text = toScriptText(rel, read.text);
        texts.set(rel, text);
        this.noteTextBlindSpots(rel, text);
        if (mayContainCall(text, needles, [], libraryTable(this.settings.clients))) {
          selfCalling.add(rel);
          const request: AnalyzeRequest = { rel, text, parse: true, focus: this.focus, clients: this.settings.clients };
          const cached = early ? this.cachedAnalysis(request) : undefined;
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
      files.set(rel, { rel, imports: extractImports(text), deps: [], signals: null, parsed: false, calls: [], exports: {}, externalsKey: '' });
    }
    this.files = files;
    this.visible = null;
    this.rebuildGraph();
    phase('imports and module graph');

    // 3. In dependency order, so a file is parsed once, already knowing the instances and wrappers it imports.
    //    The workers take the files they still have to do from the other end of that order, and files nothing
    //    imports (no other file waits for what they define) are queued for them too, with their imports'
    //    definitions; this thread takes the rest of that queue back from its far end when it gets there.
    const order = this.dependencyOrder();
    if (early) {
      const rank = new Map(order.map((rel, i) => [rel, -i]));
      early.prioritize((rel) => rank.get(rel) ?? 0);
    }
    const exporting = new Set<string>();
    const deferred: { rel: string; externals: Record<string, HttpShape>; key: string }[] = [];
    let parsedHere = 0;
    sliceStart = performance.now();
    for (const rel of order) {
      const f = this.files.get(rel)!;
      const text = texts.get(rel)!;
      const importsDefinitions = f.deps.some((d) => exporting.has(d));
      const ext = importsDefinitions ? this.externalsFor(f) : {};
      const names = Object.keys(ext);
      const usesImported = names.some((n) => mayUseDefinition(text, n));
      const pre = early && selfCalling.has(rel) ? (fromCache.get(rel) ?? (await early.take(rel))) : null;
      let result: AnalyzeResult;
      if (pre && !usesImported) {
        result = fromCache.has(rel) ? pre : this.analyze({ rel, text, parse: true, focus: this.focus, clients: this.settings.clients }, pre);
      } else if (selfCalling.has(rel) || usesImported) {
        if (early?.usable && !this.importers.get(rel)?.size) {
          early.add({ rel, text, parse: true, externals: ext, focus: this.focus, clients: this.settings.clients });
          deferred.push({ rel, externals: ext, key: importsDefinitions ? JSON.stringify(ext) : '' });
          continue;
        }
        const hitsBefore = this.cache?.stats.hits ?? 0;
        result = this.analyze({ focus: this.focus, clients: this.settings.clients, rel, text, parse: true, externals: ext });
        if (result.detection && (this.cache?.stats.hits ?? 0) === hitsBefore) parsedHere++;
      } else {
        // Nothing to detect: its signals wait until classification needs them (most files never).
        result = { rel, signals: null, detection: null };
      }
      done++;
      this.applyResult(result, text, importsDefinitions ? JSON.stringify(ext) : '');
      if (Object.keys(f.exports).length || f.imports.some((r) => r.kind === 'export' && !r.typeOnly && exporting.has(this.resolve(rel, r.specifier) ?? ''))) exporting.add(rel);
      if (performance.now() - sliceStart > SLICE_MS) {
        progress();
        await yieldToEventLoop();
        throwIfAborted(signal);
        sliceStart = performance.now();
      }
    }
    for (const { rel, externals, key } of deferred.reverse()) {
      const text = texts.get(rel)!;
      const request: AnalyzeRequest = { focus: this.focus, clients: this.settings.clients, rel, text, parse: true, externals };
      const fromWorker = await early!.take(rel);
      const hitsBefore = this.cache?.stats.hits ?? 0;
      const result = this.analyze(request, fromWorker);
      if (!fromWorker && result.detection && (this.cache?.stats.hits ?? 0) === hitsBefore) parsedHere++;
      done++;
      this.applyResult(result, text, key);
      if (performance.now() - sliceStart > SLICE_MS) {
        progress();
        await yieldToEventLoop();
        throwIfAborted(signal);
        sliceStart = performance.now();
      }
    }
    phase(`analysed in dependency order, parsed ${parsedHere} here${this.cache ? ` (the cache answered ${this.cache.stats.hits})` : ''}${early ? `, ${early.analysed} in worker threads (first answer after ${Math.round(early.firstReplyMs)} ms, waited ${Math.round(early.waitedMs)} ms)` : ''}`);

    // 4. Import cycles: a file analysed before a definition it imports gets another pass.
    const redetected = this.propagateDefinitions(null, (rel) => texts.get(rel));
    phase(`import cycles (${redetected.size} files re-analysed)`);

    // 5. Where each file and call runs, then the rules.
    const scope = this.classifyAll((rel) => texts.get(rel));
    texts.clear();
    phase(`classified (signals of ${scope.signalled} files)`);
    for (const f of this.files.values()) this.finishCalls(f);
    phase('rules');
    this.log(`Scan: ${phases.join(', ')}.`, 'info');
    this.stats = {
      filesSeen: total,
      filesParsed: [...this.files.values()].filter((f) => f.parsed).length,
      calls: this.countCalls(),
      durationMs: Math.round(performance.now() - started),
      skipped: this.allSkipped(),
    };
    opts.onProgress?.({ done: total, total });
    const result = this.toResult();
    this.emit([...this.files.values()].filter((f) => f.calls.length).map((f) => f.rel));
    return result;
  }

  // ---- incremental ------------------------------------------------------------------------------------

  /** Re-analyses one file (new text from the editor, or read from disk) and everything that depends on it. */
  async updateFile(relOrAbs: string, text?: string): Promise<IndexChange> {
    const rel = this.toRelPath(relOrAbs);
    if (rel === null) return { files: [] };
    const known = this.files.has(rel);
    if (!known && !this.filter.isIncluded(rel)) return { files: [] };
    let scriptText: string;
    if (text === undefined) {
      const read = await readSource(path.join(this.root, rel), this.settings.maxFileSizeKB);
      if ('skipped' in read) {
        const change = known ? this.removeFile(rel) : { files: [] };
        this.readSkipped.set(rel, read.skipped);
        return change;
      }
      scriptText = toScriptText(rel, read.text);
    } else {
      // The editor's text passes the same checks as a read from disk: a binary or minified file the scan skipped
      // stays skipped when its document is opened or saved unchanged.
      const checked = checkSourceText(text, this.settings.maxFileSizeKB);
      if ('skipped' in checked) {
        const change = known ? this.removeFile(rel) : { files: [] };
        this.readSkipped.set(rel, checked.skipped);
        return change;
      }
      scriptText = toScriptText(rel, checked.text);
    }
    const early = await this.analyzeOffThread(rel, scriptText);
    // Readable now (a file the scan found too large may have been trimmed): no longer listed as skipped.
    this.forgetSkipped(rel);
    return this.applyEdit(rel, scriptText, text !== undefined, early);
  }

  /**
   * A large text's parse and detection, done on the edit worker while this thread stays free; null for small
   * texts, without a worker script, or when the worker failed. Callers serialize updates (the extension queues
   * them per folder); an analysis overtaken by another change is dropped and redone in applyEdit.
   */
  private async analyzeOffThread(rel: string, text: string): Promise<{ result: AnalyzeResult; externalsKey: string; parse: boolean; generation: number } | null> {
    if (text.length < this.offThreadEditChars) return null;
    const script = this.workerScript ?? workerScriptPath();
    if (!script) return null;
    this.editAnalysis ??= new EditAnalysis(script, this.root, this.log);
    const state = this.files.get(rel);
    // The definitions it imports now; if the edit changes its imports, applyEdit sees other externals and redoes it.
    const externals = state ? this.externalsFor(state) : {};
    const parse = mayContainCall(text, wrapperNeedles(this.settings.wrappers), Object.keys(externals), libraryTable(this.settings.clients));
    const generation = this.generation;
    const result = await this.editAnalysis.analyze({ focus: this.focus, clients: this.settings.clients, rel, text, parse, externals }, this.settings.wrappers);
    return result ? { result, externalsKey: JSON.stringify(externals), parse, generation } : null;
  }

  removeFile(relOrAbs: string): IndexChange {
    const rel = this.toRelPath(relOrAbs);
    if (rel === null) return { files: [] };
    this.generation++;
    // A deleted file is not a skipped one either.
    if (this.forgetSkipped(rel)) this.stats = { ...this.stats, skipped: this.allSkipped() };
    if (!this.files.has(rel)) return { files: [] };
    const old = this.files.get(rel)!;
    const dependents = this.importersClosure(rel);
    this.files.delete(rel);
    this.textBlindSpots.delete(rel);
    this.rebuildGraph();
    const changed = new Set<string>();
    if (old.calls.length) changed.add(rel);
    for (const f of this.propagateDefinitions(dependents, (r) => this.textOf(r))) changed.add(f);
    for (const f of this.reclassify()) changed.add(f);
    return this.finishChange(changed);
  }

  async setSettings(settings: Settings): Promise<IndexChange> {
    this.generation++;
    const before = this.settings;
    this.settings = settings;
    const rescan =
      JSON.stringify([before.include, before.exclude, before.includeTests, before.maxFileSizeKB, before.wrappers, before.clients]) !==
      JSON.stringify([settings.include, settings.exclude, settings.includeTests, settings.maxFileSizeKB, settings.wrappers, settings.clients]);
    if (rescan) {
      const previous = new Map([...this.files].map(([rel, f]) => [rel, JSON.stringify(f.calls.map(toPublicCall))]));
      await this.scan();
      const changed = new Set<string>();
      for (const [rel, json] of previous) if (JSON.stringify(this.files.get(rel)?.calls.map(toPublicCall) ?? []) !== json) changed.add(rel);
      for (const [rel, f] of this.files) if (!previous.has(rel) && f.calls.length) changed.add(rel);
      return { files: [...changed].sort() };
    }
    const changed = new Set<string>();
    const before2 = new Map([...this.files].filter(([, f]) => f.calls.length).map(([rel, f]) => [rel, JSON.stringify(f.calls.map(toPublicCall))]));
    this.classifyAll();
    for (const f of this.files.values()) {
      if (!f.calls.length) continue;
      this.finishCalls(f);
      if (JSON.stringify(f.calls.map(toPublicCall)) !== before2.get(f.rel)) changed.add(f.rel);
    }
    return this.finishChange(changed);
  }

  private applyEdit(
    rel: string,
    text: string,
    fromEditor: boolean,
    early: { result: AnalyzeResult; externalsKey: string; parse: boolean; generation: number } | null = null,
  ): IndexChange {
    const current = early !== null && early.generation === this.generation;
    this.generation++;
    const old = this.files.get(rel);
    const before = old ? JSON.stringify(old.calls.map(toPublicCall)) : '[]';
    const isNew = !old;
    const state: FileState = old ?? { rel, imports: [], deps: [], signals: null, parsed: false, calls: [], exports: {}, externalsKey: '' };
    const oldImports = JSON.stringify(old?.imports ?? []);
    state.imports = extractImports(text);
    this.noteTextBlindSpots(rel, text);
    this.files.set(rel, state);
    if (isNew) this.rebuildGraph();
    else if (JSON.stringify(state.imports) !== oldImports) this.relinkFile(state);
    const oldSignals = JSON.stringify(old?.signals ?? null);
    const oldExports = JSON.stringify(old?.exports ?? {});
    const externals = this.externalsFor(state);
    const needles = [...wrapperNeedles(this.settings.wrappers)];
    const parse = mayContainCall(text, needles, Object.keys(externals), libraryTable(this.settings.clients));
    const externalsKey = JSON.stringify(externals);
    // The worker's analysis holds when it saw the same text, definitions and index state as this thread now.
    const result =
      current && early.externalsKey === externalsKey && early.parse === parse
        ? early.result
        : this.analyze({ focus: this.focus, clients: this.settings.clients, rel, text, parse, externals });
    this.applyResult(result, text, externalsKey);
    if (fromEditor) state.text = text;

    const changed = new Set<string>();
    if (JSON.stringify(state.exports) !== oldExports || isNew) {
      for (const f of this.propagateDefinitions(this.importersClosure(rel), (r) => this.textOf(r))) changed.add(f);
    }
    const graphChanged = isNew || JSON.stringify(state.imports) !== oldImports;
    // Signals of a file outside the last classification's set cannot change any call's runtime; a file that
    // has calls now but was outside it widens the set.
    const signalsMatter = this.classified.has(rel) && JSON.stringify(state.signals) !== oldSignals;
    const unclassified = [rel, ...changed].some((r) => this.files.get(r)?.calls.length && !this.classified.has(r));
    // Otherwise the file keeps the classification it had: nothing that decides it changed.
    if (graphChanged || signalsMatter || unclassified) {
      for (const f of this.reclassify()) changed.add(f);
    }
    this.finishCalls(state);
    if (JSON.stringify(state.calls.map(toPublicCall)) !== before) changed.add(rel);
    for (const f of changed) if (f !== rel) this.finishCalls(this.files.get(f)!);
    return this.finishChange(changed);
  }

  // ---- cross-file definitions -------------------------------------------------------------------------

  /**
   * Gives files the instances and wrappers they import and re-detects those whose imported definitions
   * changed; repeats while new definitions appear (wrappers of imported wrappers), at most a few rounds.
   * `scope` limits the files looked at (an edit's dependents); null means all. Returns files re-detected.
   */
  private propagateDefinitions(scope: Set<string> | null, textOf: (rel: string) => string | undefined): Set<string> {
    const touched = new Set<string>();
    const needles = wrapperNeedles(this.settings.wrappers);
    let pending: Set<string> | null = scope;
    for (let round = 0; round < MAX_CROSS_FILE_ROUNDS; round++) {
      const exporting = this.exportingFiles();
      const changedExports = new Set<string>();
      const candidates = pending ? [...pending] : [...this.files.keys()];
      for (const rel of candidates) {
        const f = this.files.get(rel);
        if (!f || !f.deps.some((d) => exporting.has(d))) {
          if (f && f.externalsKey !== '' && f.externalsKey !== '{}') this.redetect(f, {}, textOf, needles, changedExports, touched);
          continue;
        }
        const ext = this.externalsFor(f);
        const key = JSON.stringify(ext);
        if (key === f.externalsKey) continue;
        this.redetect(f, ext, textOf, needles, changedExports, touched);
      }
      if (changedExports.size === 0) break;
      pending = new Set<string>();
      for (const rel of changedExports) for (const imp of this.importersClosure(rel)) pending.add(imp);
    }
    return touched;
  }

  private redetect(f: FileState, ext: Record<string, HttpShape>, textOf: (rel: string) => string | undefined, needles: string[], changedExports: Set<string>, touched: Set<string>): void {
    const key = JSON.stringify(ext);
    const names = Object.keys(ext);
    // An imported definition that only moved in its file (a line added above it): update the calls through it
    // in place. A file that exports definitions itself is re-detected, as its own may embed the moved ones.
    if (f.parsed && f.externalsKey !== '' && Object.keys(f.exports).length === 0) {
      const moves = positionalMoves(JSON.parse(f.externalsKey), JSON.parse(key));
      if (moves) {
        f.calls = f.calls.map((c) => moveCall(c, moves));
        this.visible = null;
        f.externalsKey = key;
        touched.add(f.rel);
        return;
      }
    }
    const text = textOf(f.rel);
    if (text === undefined) return;
    if (!f.parsed && !names.some((n) => mayUseDefinition(text, n))) {
      f.externalsKey = key;
      return;
    }
    const before = JSON.stringify(f.exports);
    // The text did not change, only what it imports: its signals still hold, but for the regions when the parse
    // was focused (which statements it kept depends on the imported names; see focusText).
    const signals = f.parsed && !this.focus ? (f.signals ?? undefined) : undefined;
    const result = this.analyze({ focus: this.focus, clients: this.settings.clients, rel: f.rel, text, parse: mayContainCall(text, needles, names, libraryTable(this.settings.clients)), externals: ext, signals });
    this.applyResult(result, text, key);
    touched.add(f.rel);
    if (JSON.stringify(f.exports) !== before) changedExports.add(f.rel);
  }

  /** Files that export a definition themselves or re-export from one that does. */
  private exportingFiles(): Set<string> {
    const out = new Set<string>();
    for (const f of this.files.values()) if (Object.keys(f.exports).length) out.add(f.rel);
    let grew = true;
    for (let i = 0; grew && i < 8; i++) {
      grew = false;
      for (const f of this.files.values()) {
        if (out.has(f.rel)) continue;
        if (f.imports.some((r) => r.kind === 'export' && !r.typeOnly && out.has(this.resolve(f.rel, r.specifier) ?? ''))) {
          out.add(f.rel);
          grew = true;
        }
      }
    }
    return out;
  }

  /** The definitions a file imports, by local name. */
  private externalsFor(f: FileState): Record<string, HttpShape> {
    const out: Record<string, HttpShape> = {};
    for (const rec of f.imports) {
      if (rec.typeOnly || rec.kind === 'export' || rec.kind === 'side-effect' || rec.names.length === 0) continue;
      const target = this.resolve(f.rel, rec.specifier);
      if (!target) continue;
      for (const { imported, local } of rec.names) {
        let shape: HttpShape | null;
        if (imported === '*' && rec.kind === 'require') shape = this.exportOf(target, 'default') ?? this.namespaceOf(target, 0);
        else if (imported === '*') shape = this.namespaceOf(target, 0);
        else shape = this.exportOf(target, imported);
        if (shape) out[local] = shape;
      }
    }
    return out;
  }

  private exportOf(rel: string, name: string): HttpShape | null {
    return this.exportTable(rel).get(name) ?? null;
  }

  /**
   * Every name `rel` exports a definition under, re-exports followed: its own first, then its `export ... from`
   * records in order (an explicit name decides even when it leads nowhere; `export *` only where it finds one).
   * One table per file, not one search per (file, name): importers of a big barrel ask it for hundreds of names.
   * A table built while an `export *` cycle was open above it may miss what the cycle brings and is not kept.
   */
  private exportTable(rel: string): ReadonlyMap<string, HttpShape> {
    const cached = this.exportTables.get(rel);
    if (cached) return cached;
    const open = this.tablesOpen.get(rel);
    if (open !== undefined) {
      this.cycleLevel = Math.min(this.cycleLevel, open);
      return NO_EXPORTS;
    }
    const level = this.tablesOpen.size;
    this.tablesOpen.set(rel, level);
    const table = new Map<string, HttpShape>();
    const f = this.files.get(rel);
    if (f) {
      const decided = new Set<string>();
      for (const [name, shape] of Object.entries(f.exports)) {
        table.set(name, shape);
        decided.add(name);
      }
      for (const rec of f.imports) {
        if (rec.kind !== 'export' || rec.typeOnly) continue;
        const target = this.resolve(rel, rec.specifier);
        if (!target) continue;
        for (const n of rec.names) {
          if (decided.has(n.local)) continue;
          decided.add(n.local);
          const shape = n.imported === '*' ? this.namespaceOf(target, 1) : this.exportTable(target).get(n.imported);
          if (shape) table.set(n.local, shape);
        }
        if (rec.star) {
          for (const [name, shape] of this.exportTable(target)) {
            if (name === 'default' || decided.has(name)) continue;
            decided.add(name);
            table.set(name, shape);
          }
        }
      }
    }
    this.tablesOpen.delete(rel);
    if (this.cycleLevel >= level) {
      this.exportTables.set(rel, table);
      if (this.cycleLevel === level) this.cycleLevel = Infinity;
    }
    return table;
  }

  private clearExportCaches(): void {
    this.exportCache.clear();
    this.exportTables.clear();
  }

  private namespaceOf(rel: string, depth: number): HttpShape | null {
    const key = `${rel}\0*`;
    if (this.exportCache.has(key)) return this.exportCache.get(key)!;
    const shape = this.findNamespace(rel, depth);
    this.exportCache.set(key, shape);
    return shape;
  }

  private findNamespace(rel: string, depth: number): HttpShape | null {
    const f = this.files.get(rel);
    if (!f || depth > 8) return null;
    const members: Record<string, HttpShape> = { ...f.exports };
    for (const rec of f.imports) {
      if (rec.kind !== 'export' || rec.typeOnly) continue;
      const target = this.resolve(rel, rec.specifier);
      if (!target) continue;
      for (const n of rec.names) {
        const s = n.imported === '*' ? this.namespaceOf(target, depth + 1) : this.exportOf(target, n.imported);
        if (s) members[n.local] = s;
      }
      if (rec.star) {
        const ns = this.namespaceOf(target, depth + 1);
        if (ns && ns.kind === 'object') for (const [k, v] of Object.entries(ns.members)) if (k !== 'default' && !(k in members)) members[k] = v;
      }
    }
    return Object.keys(members).length ? { kind: 'object', members } : null;
  }

  // ---- graph ------------------------------------------------------------------------------------------

  private resolve(from: string, specifier: string): string | null {
    if (!this.resolver) this.resolver = createResolver(this.root, this.files.keys(), (abs) => this.readManifest(abs), this.log);
    return this.resolver.resolve(from, specifier);
  }

  private rebuildGraph(): void {
    this.resolver = null;
    this.clearExportCaches();
    this.importers = new Map();
    for (const f of this.files.values()) this.link(f);
  }

  private relinkFile(f: FileState): void {
    this.clearExportCaches();
    for (const d of f.deps) this.importers.get(d)?.delete(f.rel);
    this.link(f);
  }

  private link(f: FileState): void {
    const deps = new Set<string>();
    for (const rec of f.imports) {
      if (rec.typeOnly) continue;
      const target = this.resolve(f.rel, rec.specifier);
      if (target && target !== f.rel && this.files.has(target)) deps.add(target);
    }
    f.deps = [...deps];
    for (const d of f.deps) {
      let set = this.importers.get(d);
      if (!set) this.importers.set(d, (set = new Set()));
      set.add(f.rel);
    }
  }

  /** Every file that imports `rel`, directly or through other files (barrels, wrappers of wrappers). */
  private importersClosure(rel: string): Set<string> {
    const out = new Set<string>();
    const queue = [rel];
    while (queue.length) {
      const cur = queue.pop()!;
      for (const imp of this.importers.get(cur) ?? []) {
        if (out.has(imp) || imp === rel) continue;
        out.add(imp);
        queue.push(imp);
      }
    }
    return out;
  }

  // ---- classification and findings --------------------------------------------------------------------

  /**
   * Classifies the files whose runtime can matter: files with calls, the files importing them (their runtime
   * is evidence against a call file's own), and upwards through importers until a file decides its runtime
   * by itself (it stops propagation) or nothing imports it. Every path the import-graph propagation could take
   * to a call file lies inside that set, so the result for call files is the same as classifying everything,
   * while most files never have their signals computed. Returns how many files were classified.
   */
  private classifyAll(textOf: (rel: string) => string | undefined = (rel) => this.textOf(rel)): { signalled: number } {
    const scope = new Set<string>();
    const queue: string[] = [];
    const add = (rel: string): void => {
      if (scope.has(rel) || !this.files.has(rel)) return;
      scope.add(rel);
      queue.push(rel);
    };
    for (const f of this.files.values()) {
      if (!f.calls.length) continue;
      add(f.rel);
      for (const imp of this.importers.get(f.rel) ?? []) add(imp);
    }
    const overrides = this.settings.runtimeOverrides;
    while (queue.length) {
      const rel = queue.pop()!;
      const signals = this.signalsOf(rel, textOf);
      // Mirrors classifyFiles' propagation stops; an overridden file is walked through, which only widens the set,
      // and so is a re-exporting file (a barrel): propagation by imported names passes through it.
      const reexports = this.files.get(rel)!.imports.some((r) => r.kind === 'export' && !r.typeOnly);
      if (signals.test || (!reexports && !runtimeOverrideFor(rel, overrides) && decideOwn(signals).strength >= DECISIVE)) continue;
      for (const imp of this.importers.get(rel) ?? []) add(imp);
    }
    const signals = new Map<string, FileSignals>();
    for (const [rel, f] of this.files) if (scope.has(rel)) signals.set(rel, f.signals!);
    // Propagation asks for a barrel's edges once per name set that reaches it: resolve them once.
    const edgeCache = new Map<string, ImportEdge[]>();
    const classes = classifyFiles({
      files: signals,
      imports: (rel) => this.files.get(rel)?.deps ?? [],
      importers: (rel) => [...(this.importers.get(rel) ?? [])],
      // With the names each import takes, a module behind a barrel is reached only by files that use its exports.
      importEdges: (rel) => {
        let edges = edgeCache.get(rel);
        if (!edges) edgeCache.set(rel, (edges = importEdgesOf(this.files.get(rel)?.imports ?? [], (specifier) => this.resolve(rel, specifier))));
        return edges;
      },
      overrides: this.settings.runtimeOverrides,
    });
    for (const [rel, f] of this.files) f.classification = classes.get(rel);
    this.classified = scope;
    return { signalled: scope.size };
  }

  /** A file's signals, collected from its text the first time classification needs them. */
  private signalsOf(rel: string, textOf: (rel: string) => string | undefined): FileSignals {
    const f = this.files.get(rel)!;
    if (f.signals) return f.signals;
    const text = textOf(rel);
    try {
      // The same per-file analysis as a file without calls gets (its signals from the text alone), so cached too.
      f.signals = text === undefined ? emptySignals(rel) : (this.analyze({ rel, text, parse: false, clients: this.settings.clients }).signals ?? emptySignals(rel));
    } catch (err) {
      this.log(`Cannot read the runtime signals of ${rel}: ${err instanceof Error ? err.message : String(err)}`, 'error');
      f.signals = emptySignals(rel);
    }
    return f.signals;
  }

  /** Re-runs classification; returns the files with calls whose classification changed. */
  private reclassify(): Set<string> {
    const before = new Map<string, string>();
    for (const f of this.files.values()) if (f.calls.length) before.set(f.rel, JSON.stringify(f.classification ?? null));
    this.classifyAll();
    const changed = new Set<string>();
    for (const [rel, json] of before) {
      const f = this.files.get(rel)!;
      if (JSON.stringify(f.classification ?? null) !== json) changed.add(rel);
    }
    return changed;
  }

  /** Runtime per call, then findings; needs the file's text (kept for files with calls). */
  private finishCalls(f: FileState): void {
    if (!f.calls.length) return;
    const cls = f.classification ?? { runtime: 'unknown', context: 'unknown', confidence: 0, evidence: [] };
    const signals = this.signalsOf(f.rel, (rel) => this.textOf(rel));
    for (const call of f.calls) {
      const r = classifyCall(cls, signals, call.facts.span);
      call.runtime = r.runtime;
      call.context = r.context;
      call.confidence = r.confidence;
      call.evidence = r.evidence;
    }
    const text = this.textOf(f.rel) ?? '';
    try {
      computeFindings(f.calls, { rel: f.rel, text }, this.env, this.settings);
    } catch (err) {
      this.log(`Rules failed on ${f.rel}: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  }

  // ---- analysis ---------------------------------------------------------------------------------------

  /**
   * Every per-file analysis goes through here: during a full scan the persistent cache answers it when the
   * file, its text, its package, the definitions it imports, the settings and the engine are all the same.
   * `computed` is the result a worker thread already made for this same request.
   */
  private analyze(req: AnalyzeRequest, computed?: AnalyzeResult | null): AnalyzeResult {
    const pkg = this.packages.forFile(req.rel);
    // Given signals come from an earlier parse of the same text (redetect): not part of the key, so not cached.
    const cache = this.caching && req.signals === undefined ? this.cache : null;
    if (!cache) return computed ?? analyzeFile(req, pkg, this.settings.wrappers);
    const key = cache.keyOf(req, pkg);
    const hit = cache.get(key);
    if (hit) return hit;
    const result = computed ?? analyzeFile(req, pkg, this.settings.wrappers);
    cache.set(key, result);
    return result;
  }

  /** The cached result of `req`, without analysing on a miss (the worker threads will). */
  private cachedAnalysis(req: AnalyzeRequest): AnalyzeResult | undefined {
    if (!this.caching || !this.cache) return undefined;
    return this.cache.get(this.cache.keyOf(req, this.packages.forFile(req.rel)));
  }

  private applyResult(r: AnalyzeResult, text: string, externalsKey: string): void {
    const f = this.files.get(r.rel);
    if (!f) return;
    f.signals = r.signals;
    f.externalsKey = externalsKey;
    if (r.error) {
      this.readSkipped.set(r.rel, r.error);
      this.log(`${r.rel} ${r.error}`, 'warn');
    } else if (this.readSkipped.get(r.rel)?.startsWith('could not be analysed')) {
      this.readSkipped.delete(r.rel);
    }
    f.parsed = r.detection !== null;
    f.calls = r.detection?.calls ?? [];
    f.blindSpots = r.detection?.blindSpots;
    this.visible = null;
    const exports = r.detection?.exports ?? {};
    if (Object.keys(exports).length || Object.keys(f.exports).length) this.clearExportCaches();
    f.exports = exports;
    if (f.calls.length) f.text = text;
    else if (f.text !== undefined && f.text !== text) f.text = undefined;
  }

  /**
   * Cold scans of big workspaces: worker threads parse the files that can hold a call by themselves (with no
   * imported definitions yet) while this thread reads, builds the module graph and analyses the rest. Small
   * workspaces and `workers: 0` skip this: starting a thread costs more than it saves.
   */
  private startWorkers(fileCount: number): EarlyAnalysis | null {
    const wanted = this.workerCount ?? defaultWorkers(fileCount);
    const script = wanted > 0 ? (this.workerScript ?? workerScriptPath()) : null;
    if (!script) return null;
    try {
      this.early = new EarlyAnalysis(script, wanted, this.root, this.settings.wrappers, this.log);
    } catch (err) {
      this.log(`Worker threads failed to start (${err instanceof Error ? err.message : String(err)}); analysing in the main thread.`, 'warn');
      this.early = null;
    }
    return this.early;
  }

  /** Files with the files they import first (depth-first post-order; cycles are cut where they are met). */
  private dependencyOrder(): string[] {
    const order: string[] = [];
    const state = new Map<string, 1 | 2>();
    for (const start of this.files.keys()) {
      if (state.has(start)) continue;
      const stack: { rel: string; next: number }[] = [{ rel: start, next: 0 }];
      state.set(start, 1);
      while (stack.length) {
        const top = stack[stack.length - 1];
        const deps = this.files.get(top.rel)!.deps;
        if (top.next < deps.length) {
          const d = deps[top.next++];
          if (!state.has(d) && this.files.has(d)) {
            state.set(d, 1);
            stack.push({ rel: d, next: 0 });
          }
        } else {
          state.set(top.rel, 2);
          order.push(top.rel);
          stack.pop();
        }
      }
    }
    return order;
  }

  // ---- helpers ----------------------------------------------------------------------------------------

  private textOf(rel: string): string | undefined {
    const f = this.files.get(rel);
    if (f?.text !== undefined) return f.text;
    try {
      const decoded = decodeSource(fs.readFileSync(path.join(this.root, rel)), this.settings.maxFileSizeKB);
      return 'text' in decoded ? toScriptText(rel, decoded.text) : undefined;
    } catch (err) {
      this.log(`Cannot re-read ${rel}: ${err instanceof Error ? err.message : String(err)}`, 'warn');
      return undefined;
    }
  }

  private readManifest(abs: string): string | undefined {
    if (this.manifestCache.has(abs)) return this.manifestCache.get(abs);
    let text: string | undefined;
    try {
      // Most folders have no package.json: asking first avoids an ENOENT error (and its stack trace) per folder.
      text = fs.statSync(abs, { throwIfNoEntry: false }) ? fs.readFileSync(abs, 'utf8') : undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.log(`Cannot read ${abs}: ${code ?? (err as Error).message}`, 'warn');
      text = undefined;
    }
    this.manifestCache.set(abs, text);
    return text;
  }

  private toRelPath(relOrAbs: string): string | null {
    if (!path.isAbsolute(relOrAbs)) return toRel(relOrAbs);
    const rel = path.relative(this.root, relOrAbs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
    return toRel(rel);
  }

  private noteTextBlindSpots(rel: string, text: string): void {
    const spots = trpcBlindSpots(rel, text);
    if (spots.length) this.textBlindSpots.set(rel, spots);
    else this.textBlindSpots.delete(rel);
  }

  private countCalls(): number {
    let n = 0;
    for (const f of this.files.values()) n += this.visibleCalls(f).length;
    return n;
  }

  /** Drops `rel` from the skipped lists of the scan and of later reads; true when it was listed. */
  private forgetSkipped(rel: string): boolean {
    const listed = this.discoverySkipped.length;
    this.discoverySkipped = this.discoverySkipped.filter((s) => s.file !== rel);
    return this.readSkipped.delete(rel) || this.discoverySkipped.length !== listed;
  }

  private allSkipped(): SkippedFile[] {
    const out = [...this.discoverySkipped, ...[...this.readSkipped].map(([file, reason]) => ({ file, reason }))];
    return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  private finishChange(changed: Set<string>): IndexChange {
    this.stats = { ...this.stats, calls: this.countCalls(), skipped: this.allSkipped() };
    const files = [...changed].sort();
    if (files.length) this.emit(files);
    return { files };
  }

  private emit(files: string[]): void {
    const change = { files };
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (err) {
        this.log(`A change listener failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
      }
    }
  }
}

/** The JSON shape of a call (docs/design.md §2): everything but the detector's `facts`. */
export function toPublicCall(call: CallRecord): Call {
  const { facts: _facts, ...rest } = call;
  const out: Call = { id: rest.id, file: rest.file, range: rest.range, client: rest.client, method: rest.method, url: rest.url, runtime: rest.runtime, context: rest.context, confidence: rest.confidence, evidence: rest.evidence, findings: rest.findings };
  if (rest.via !== undefined) out.via = rest.via;
  if (rest.endpoint !== undefined) out.endpoint = rest.endpoint;
  if (rest.note !== undefined) out.note = rest.note;
  return out;
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

function toRel(p: string): string {
  return p.split(path.sep).join('/').replace(/^\.\//, '');
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

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const err = new Error('The scan was cancelled.');
    err.name = 'AbortError';
    throw err;
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
