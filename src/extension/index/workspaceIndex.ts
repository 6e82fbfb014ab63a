// Keeps one live AtlasIndex per workspace folder: background scans, settings, and the work the watcher asks for.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AtlasIndex, InterimRowsOptions, ScanProgress } from '../../core/index';
import { flushCodeCache } from '../../core/boot';
import { createFileFilter, hasSourceExtension, type FileFilter } from '../../core/scan';
import { normalizeSettings, SETTING_KEYS } from '../../core/settings';
import type { BlindSpot, CallRecord, Settings } from '../../core/model';
import { DisposableOwner } from '../disposable';
import type { AtlasLog } from '../log';
import type { LocatedBlindSpot, LocatedCall } from './locatedCall';
import { WorkspaceWatcher, type LocatedPath, type WatchedIndex } from './workspaceWatcher';

export { EDIT_DEBOUNCE_MS } from './workspaceWatcher';

/** The window progress counter is updated at most this often. */
const PROGRESS_INTERVAL_MS = 200;

/** How commands, hovers and the knowledge panel name a call: the folder's path on disk and the call id. */
export interface CallRef {
  root: string;
  id: string;
}

export function isCallRef(value: unknown): value is CallRef {
  return typeof value === 'object' && value !== null && typeof (value as CallRef).root === 'string' && typeof (value as CallRef).id === 'string';
}

export interface IndexChangeEvent {
  /** The workspace folder whose calls changed. */
  folderKey: string;
  /** The folder's rows are a first scan's interim ones (see LocatedCall.provisional). */
  interim?: boolean;
}

interface FolderState {
  folder: vscode.WorkspaceFolder;
  key: string;
  settings: Settings;
  extraExclude: string[];
  filter: FileFilter;
  index: AtlasIndex | undefined;
  /** Every operation on the folder's index runs in this chain, so edits never interleave with a scan. */
  queue: Promise<void>;
  abort: AbortController;
  calls: LocatedCall[] | undefined;
  engineSubscription: { dispose(): void } | undefined;
  /** Set while the rows are the interim ones of a first scan under way: how far it has come. */
  scanning: ScanProgress | undefined;
  /** A scan of the folder has finished: later ones keep the rows shown until theirs are final. */
  scannedOnce: boolean;
}

/** The engine module (and TypeScript with it) loads on first use, keeping activation light. */
type EngineModule = typeof import('../../core/index/index.ts');
let enginePromise: Promise<EngineModule> | undefined;
function loadEngine(): Promise<EngineModule> {
  enginePromise ??= import('../../core/index/index.ts');
  return enginePromise;
}

export class WorkspaceIndex extends DisposableOwner {
  private readonly folders = new Map<string, FolderState>();
  private watcher: WorkspaceWatcher | undefined;
  private runningScans = 0;
  private includeTestsOverride: boolean | undefined;
  private scansStarted = 0;
  private scansFinished = 0;
  private allScans: Promise<void> = Promise.resolve();

  private readonly changeEmitter = this.register(new vscode.EventEmitter<IndexChangeEvent>());
  /** Fires after a folder's calls changed (scan, edit, file event, settings). */
  readonly onDidChange = this.changeEmitter.event;
  private readonly stateEmitter = this.register(new vscode.EventEmitter<void>());
  /** Fires when indexing starts or ends. */
  readonly onDidChangeState = this.stateEmitter.event;

  /**
   * `cacheFolder`: where each folder's analysis cache lives (the extension's storage folder), so a re-opened
   * workspace analyses only what changed since; undefined keeps no cache. `interimRows`: when a folder's first scan
   * publishes rows as it goes (the engine's default timing; tests publish after every file).
   */
  constructor(
    private readonly log: AtlasLog,
    readonly cacheFolder?: string,
    private readonly interimRows: InterimRowsOptions = {},
  ) {
    super();
  }

  /** The analysis cache's counts for the folder's last scan (how many files it answered); null without a cache or index. */
  cacheStats(folderKey: string): ReturnType<AtlasIndex['getCacheStats']> {
    return this.folders.get(folderKey)?.index?.getCacheStats() ?? null;
  }

  /** True while any folder is being scanned. */
  get indexing(): boolean {
    return this.runningScans > 0;
  }

  /** True once every folder present at start-up has been scanned once (the tree can say "no calls"). */
  get ready(): boolean {
    return this.scansStarted > 0 ? this.scansFinished >= this.scansStarted && this.runningScans === 0 : this.folders.size === 0;
  }

  /** Starts watching and indexing; returns at once, the scans run in the background. */
  start(): void {
    this.register(vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders((e) => this.onFoldersChanged(e)));
    this.watcher = this.register(new WorkspaceWatcher(this.watchedIndex()));
    this.watcher.start();

    for (const folder of vscode.workspace.workspaceFolders ?? []) this.addFolder(folder);
    void this.scanFolders([...this.folders.values()]);
  }

  // ---- reading --------------------------------------------------------------------------------------------

  /** Every indexed call of every folder (cached until the folder changes). */
  entries(): LocatedCall[] {
    const out: LocatedCall[] = [];
    for (const state of this.folders.values()) out.push(...this.folderEntries(state));
    return out;
  }

  private folderEntries(state: FolderState): LocatedCall[] {
    if (!state.calls) {
      const calls: CallRecord[] = state.index ? state.index.getCalls() : [];
      state.calls = calls.map((call) => locatedCall(state, call));
    }
    return state.calls;
  }

  /** While first scans show interim rows: their files analysed and found, over every such folder; else undefined. */
  scanProgress(): ScanProgress | undefined {
    let progress: ScanProgress | undefined;
    for (const { scanning } of this.folders.values()) {
      if (scanning) progress = { done: (progress?.done ?? 0) + scanning.done, total: (progress?.total ?? 0) + scanning.total };
    }
    return progress;
  }

  /** Whether the folder's rows are a first scan's interim ones. */
  isProvisional(folderKey: string): boolean {
    return this.folders.get(folderKey)?.scanning !== undefined;
  }

  /** Every folder's blind spots: client values and SDKs the engine saw but could not follow to requests. */
  blindSpots(): LocatedBlindSpot[] {
    return [...this.folders.values()].flatMap(locatedBlindSpots);
  }

  folderKeys(): string[] {
    return [...this.folders.keys()];
  }

  folderUri(folderKey: string): vscode.Uri | undefined {
    return this.folders.get(folderKey)?.folder.uri;
  }

  /**
   * "Show Calls in Test Files" without touching the user's settings files: true or false wins over
   * `apiAtlas.includeTests`, undefined follows it. The extension keeps the choice in the workspace state.
   */
  setIncludeTestsOverride(include: boolean | undefined): void {
    if (include === this.includeTestsOverride) return;
    this.includeTestsOverride = include;
    for (const state of [...this.folders.values()]) this.applySettings(state, 'test files shown or hidden');
  }

  /** Whether test files are indexed now (the override, else the setting of the first folder). */
  get includesTests(): boolean {
    const first = [...this.folders.values()][0];
    return this.includeTestsOverride ?? first?.settings.includeTests ?? false;
  }

  settingsFor(folderKey: string): Settings | undefined {
    return this.folders.get(folderKey)?.settings;
  }

  uriOf(entry: LocatedCall): vscode.Uri {
    const state = this.folders.get(entry.folderKey);
    const base = state ? state.folder.uri : vscode.Uri.parse(entry.folderKey);
    return vscode.Uri.joinPath(base, ...entry.call.file.split('/'));
  }

  findCall(folderKey: string, callId: string): LocatedCall | undefined {
    const state = this.folders.get(folderKey);
    const call = state?.index?.getCall(callId);
    return state && call ? locatedCall(state, call) : undefined;
  }

  refOf(entry: LocatedCall): CallRef {
    const state = this.folders.get(entry.folderKey);
    return { root: state ? state.folder.uri.fsPath : vscode.Uri.parse(entry.folderKey).fsPath, id: entry.call.id };
  }

  resolveRef(ref: CallRef): LocatedCall | undefined {
    for (const state of this.folders.values()) {
      if (state.folder.uri.fsPath === ref.root || state.key === ref.root) return this.findCall(state.key, ref.id);
    }
    return undefined;
  }

  /** The indexed calls of one document, from the index (no parsing). */
  callsInDocument(uri: vscode.Uri): LocatedCall[] {
    const located = this.locate(uri);
    const state = located ? this.folders.get(located.folderKey) : undefined;
    if (!located || !state?.index) return [];
    return state.index.getCallsInFile(located.rel).map((call) => locatedCall(state, call));
  }

  /** The innermost indexed call whose range holds the position (for nested calls the one written inside wins). */
  callAt(uri: vscode.Uri, position: vscode.Position): { entry: LocatedCall; range: vscode.Range } | undefined {
    let best: { entry: LocatedCall; range: vscode.Range } | undefined;
    for (const entry of this.callsInDocument(uri)) {
      const range = toVscodeRange(entry.call.range);
      if (!range.contains(position)) continue;
      if (!best || best.range.contains(range)) best = { entry, range };
    }
    return best;
  }

  /** Resolves when every scan, debounced edit and queued update has been applied (tests and commands wait on it). */
  async whenIdle(): Promise<void> {
    for (;;) {
      this.watcher?.flush();
      const queues = [...this.folders.values()].map((s) => s.queue);
      await Promise.all([this.allScans, ...queues]);
      const settled = (this.watcher?.pendingCount ?? 0) === 0 && [...this.folders.values()].every((s, i) => s.queue === queues[i]);
      if (settled) return;
    }
  }

  /** Re-scans every folder from disk (the Refresh command). */
  refresh(): Promise<void> {
    for (const state of this.folders.values()) {
      state.abort.abort();
      state.abort = new AbortController();
    }
    return this.scanFolders([...this.folders.values()]);
  }

  // ---- folders, settings and scans ------------------------------------------------------------------------

  private addFolder(folder: vscode.WorkspaceFolder): FolderState | undefined {
    if (folder.uri.scheme !== 'file') {
      this.log.info(`Skipping workspace folder ${folder.uri.toString()}: only folders on disk are indexed.`);
      return undefined;
    }
    const key = folder.uri.toString();
    const { settings, extraExclude } = this.readFolderSettings(folder);
    const state: FolderState = {
      folder,
      key,
      settings,
      extraExclude,
      filter: createFileFilter(folder.uri.fsPath, settings, extraExclude),
      index: undefined,
      queue: Promise.resolve(),
      abort: new AbortController(),
      calls: undefined,
      engineSubscription: undefined,
      scanning: undefined,
      scannedOnce: false,
    };
    this.folders.set(key, state);
    return state;
  }

  private removeFolder(key: string): void {
    const state = this.folders.get(key);
    if (!state) return;
    state.abort.abort();
    state.engineSubscription?.dispose();
    this.disposeIndex(state.index);
    this.folders.delete(key);
    this.changeEmitter.fire({ folderKey: key });
  }

  private readFolderSettings(folder: vscode.WorkspaceFolder): { settings: Settings; extraExclude: string[] } {
    const config = vscode.workspace.getConfiguration('apiAtlas', folder.uri);
    const raw: Record<string, unknown> = {};
    for (const key of SETTING_KEYS) {
      const value = config.get<unknown>(key);
      if (value !== undefined) raw[key] = value;
    }
    const { settings, warnings } = normalizeSettings(raw);
    for (const warning of warnings) this.log.warn(`${folder.name}: ${warning}`);
    if (this.includeTestsOverride !== undefined) settings.includeTests = this.includeTestsOverride;
    return { settings, extraExclude: filesExcludeGlobs(folder) };
  }

  /** Creates the folder's index on first use; a new one replaces it when `files.exclude` changes. */
  private async ensureIndex(state: FolderState): Promise<AtlasIndex> {
    if (state.index) return state.index;
    const { AtlasIndex, cacheFileFor } = await loadEngine();
    const index = new AtlasIndex({
      root: state.folder.uri.fsPath,
      cacheFile: this.cacheFolder === undefined ? undefined : cacheFileFor(this.cacheFolder, state.folder.uri.fsPath),
      settings: state.settings,
      extraExclude: state.extraExclude,
      log: (message, level = 'warn') => {
        const line = `${state.folder.name}: ${message}`;
        if (level === 'info') this.log.info(line);
        else if (level === 'error') this.log.error(line);
        else this.log.warn(line);
      },
    });
    state.index = index;
    state.engineSubscription = index.onDidChange((change) => {
      state.scanning = change.scanning;
      this.changed(state);
    });
    return index;
  }

  private disposeIndex(index: AtlasIndex | undefined): void {
    index?.dispose();
  }

  private changed(state: FolderState): void {
    state.calls = undefined;
    if (this.folders.get(state.key) === state) this.changeEmitter.fire(state.scanning ? { folderKey: state.key, interim: true } : { folderKey: state.key });
  }

  /** Queues work on one folder's index; failures are logged with the folder's name, never swallowed. */
  private enqueue(state: FolderState, what: string, work: (index: AtlasIndex) => Promise<unknown> | unknown): Promise<void> {
    const next = state.queue.then(async () => {
      if (this.folders.get(state.key) !== state) return;
      try {
        const index = await this.ensureIndex(state);
        await work(index);
        this.changed(state);
      } catch (err) {
        if (state.abort.signal.aborted || (err instanceof Error && err.name === 'AbortError')) {
          this.log.info(`${state.folder.name}: ${what} cancelled.`);
        } else {
          this.log.error(`${state.folder.name}: ${what} failed.`, err);
        }
      }
    });
    state.queue = next;
    return next;
  }

  private scanFolders(states: FolderState[]): Promise<void> {
    if (states.length === 0) {
      this.stateEmitter.fire();
      return Promise.resolve();
    }
    this.scansStarted += states.length;
    this.runningScans++;
    this.stateEmitter.fire();
    const run = vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'API Atlas' }, async (progress) => {
      for (const state of states) {
        progress.report({ message: `indexing ${state.folder.name}…` });
        await this.enqueue(state, 'Indexing', (index) => scanFolder(state, index, { progress, log: this.log, interimRows: this.interimRows }, () => this.changed(state)));
        this.scansFinished++;
      }
    });
    const done = Promise.resolve(run).finally(() => {
      this.runningScans--;
      this.stateEmitter.fire();
    });
    this.allScans = Promise.all([this.allScans, done]).then(() => undefined);
    return done;
  }

  private onFoldersChanged(e: vscode.WorkspaceFoldersChangeEvent): void {
    for (const folder of e.removed) this.removeFolder(folder.uri.toString());
    const added = e.added.map((f) => this.addFolder(f)).filter((s): s is FolderState => s !== undefined);
    void this.scanFolders(added);
  }

  private onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
    for (const state of [...this.folders.values()]) {
      const atlasChanged = e.affectsConfiguration('apiAtlas', state.folder.uri);
      const excludeChanged = e.affectsConfiguration('files.exclude', state.folder.uri);
      if (!atlasChanged && !excludeChanged) continue;
      const { settings, extraExclude } = this.readFolderSettings(state.folder);
      state.settings = settings;
      state.filter = createFileFilter(state.folder.uri.fsPath, settings, extraExclude);
      if (excludeChanged && extraExclude.join('\n') !== state.extraExclude.join('\n')) {
        // The engine takes `files.exclude` at construction: a new index, scanned afresh.
        state.extraExclude = extraExclude;
        void this.enqueue(state, 'Applying files.exclude', () => {
          state.engineSubscription?.dispose();
          this.disposeIndex(state.index);
          state.index = undefined;
        });
        void this.scanFolders([state]);
      } else {
        this.log.info(`${state.folder.name}: settings changed; re-indexing.`);
        void this.enqueue(state, 'Applying settings', (index) => index.setSettings(settings));
      }
    }
  }

  /** Reads a folder's settings again and hands them to its index (which re-indexes what they change). */
  private applySettings(state: FolderState, why: string): void {
    const { settings, extraExclude } = this.readFolderSettings(state.folder);
    state.settings = settings;
    state.filter = createFileFilter(state.folder.uri.fsPath, settings, extraExclude);
    this.log.info(`${state.folder.name}: ${why}; re-indexing.`);
    void this.enqueue(state, 'Applying settings', (index) => index.setSettings(settings));
  }

  // ---- documents and files ------------------------------------------------------------------------------

  /** What the watcher may ask of the folders: where a path belongs, and work queued on its folder's index. */
  private watchedIndex(): WatchedIndex {
    const folder = (key: string) => this.folders.get(key);
    return {
      locate: (uri) => this.locate(uri),
      updateFile: (key, rel, text) => {
        const state = folder(key);
        if (state) void this.enqueue(state, `Indexing ${rel}`, (index) => index.updateFile(rel, text));
      },
      removePath: (key, rel) => {
        const state = folder(key);
        if (!state) return;
        void this.enqueue(state, `Removing ${rel}`, (index) => removeIndexedPath(index, rel));
      },
      reloadFilter: (key) => {
        const state = folder(key);
        if (state) state.filter = createFileFilter(state.folder.uri.fsPath, state.settings, state.extraExclude);
      },
      rescanFolder: (key, why) => {
        const state = folder(key);
        if (!state) return;
        this.log.info(`${state.folder.name}: ${why}; re-indexing the folder.`);
        void this.scanFolders([state]);
      },
    };
  }

  private locate(uri: vscode.Uri): LocatedPath | undefined {
    if (uri.scheme !== 'file') return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const state = folder ? this.folders.get(folder.uri.toString()) : undefined;
    if (!state) return undefined;
    const rel = path.relative(state.folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('../')) return undefined;
    return { folderKey: state.key, folderName: state.folder.name, rel, indexed: state.filter.isIncluded(rel) };
  }

  override dispose(): void {
    for (const state of this.folders.values()) {
      state.abort.abort();
      state.engineSubscription?.dispose();
      this.disposeIndex(state.index);
    }
    this.folders.clear();
    super.dispose();
  }
}

/**
 * One full scan of a folder's index, with its progress in the window's status area and a log line at the end. A
 * folder's first scan shows its rows as it goes (interim rows); a later one keeps the rows shown until its own are final.
 * `changed`: tells the views, when a failed scan leaves rows that were marked interim.
 */
async function scanFolder(
  state: FolderState,
  index: AtlasIndex,
  { progress, log, interimRows }: { progress: vscode.Progress<{ message?: string }>; log: AtlasLog; interimRows: InterimRowsOptions },
  changed: () => void,
): Promise<void> {
  const started = Date.now();
  const signal = state.abort.signal;
  let lastReport = 0;
  const scan = index.scan({
    signal,
    interimRows: state.scannedOnce ? false : interimRows,
    onProgress: (p: { done: number; total: number }) => {
      // Each report crosses to the UI process: a few per second is enough for a counter.
      const now = Date.now();
      if (now - lastReport < PROGRESS_INTERVAL_MS && p.done < p.total) return;
      lastReport = now;
      progress.report({ message: `indexing ${state.folder.name}: ${p.done}/${p.total} files` });
    },
  });
  const { stats } = await scan.finally(() => {
    // A cancelled scan is followed by another (or the folder is gone); a failed one's rows stay, no longer interim.
    if (!state.scanning || signal.aborted) return;
    state.scanning = undefined;
    changed();
  });
  state.scannedOnce = true;
  log.info(
    `${state.folder.name}: indexed ${stats.filesParsed} of ${stats.filesSeen} files, ${stats.calls} calls, in ${Date.now() - started} ms` +
      (stats.skipped.length > 0 ? `; skipped ${stats.skipped.length}` : '') +
      '.',
  );
  for (const skipped of stats.skipped) log.info(`${state.folder.name}: skipped ${skipped.file}: ${skipped.reason}`);
  // The parser compiled during the scan is kept for the next window now, not when the extension host ends.
  flushCodeCache();
}

/** A call of the folder as the views get it: marked provisional while the folder shows a first scan's interim rows. */
function locatedCall(state: FolderState, call: CallRecord): LocatedCall {
  const entry: LocatedCall = { folderKey: state.key, folderName: state.folder.name, call };
  if (state.scanning) entry.provisional = true;
  return entry;
}

/** Removes a deleted file from the index; a deleted folder arrives as one event, so every indexed file under it goes. */
function removeIndexedPath(index: AtlasIndex, rel: string): void {
  const files = hasSourceExtension(rel) ? [rel] : [...new Set(index.getCalls().map((c) => c.file))].filter((f) => f.startsWith(`${rel}/`));
  for (const file of files) index.removeFile(file);
}

/** Engine ranges are 1-based lines and columns; VS Code's are 0-based. */
export function toVscodeRange(range: CallRecord['range']): vscode.Range {
  return new vscode.Range(range.start.line - 1, range.start.column - 1, range.end.line - 1, range.end.column - 1);
}

/** The `files.exclude` globs that are switched on for a folder (conditional `when` entries are left to VS Code's explorer). */
function filesExcludeGlobs(folder: vscode.WorkspaceFolder): string[] {
  const excluded = vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude') ?? {};
  return Object.entries(excluded)
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
}

/** A folder's blind spots from its index's stats (computed when asked: the tree asks once per redraw). */
function locatedBlindSpots(state: FolderState): LocatedBlindSpot[] {
  const spots: BlindSpot[] = state.index?.getStats().blindSpots ?? [];
  return spots.map((spot) => ({ folderKey: state.key, folderName: state.folder.name, spot }));
}
