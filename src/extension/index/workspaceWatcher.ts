// Turns editor and file-system events into index work: debounced unsaved edits, saves, closes, created, changed and
// deleted paths, and project files (package.json, tsconfig, .gitignore, .env) that call for a folder re-scan.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DisposableOwner } from '../disposable';

/** Unsaved edits are indexed once typing pauses for this long. */
export const EDIT_DEBOUNCE_MS = 300;
/** package.json, tsconfig, .gitignore and .env changes re-scan the folder after this pause (installs touch many). */
const PROJECT_FILE_DEBOUNCE_MS = 1000;
/** A created or changed file on disk is indexed after this pause (a checkout or a formatter writes many at once). */
const DISK_CHANGE_DEBOUNCE_MS = 50;

const SOURCE_GLOB = '**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts,vue,svelte}';
const PROJECT_FILES_GLOB = '**/{package.json,tsconfig.json,jsconfig.json,tsconfig.*.json,.gitignore,.env,.env.*}';

/** A file as the index's folders see it. */
export interface LocatedPath {
  folderKey: string;
  folderName: string;
  /** Relative to the folder, forward slashes. */
  rel: string;
  /** True when the folder indexes this path under its current settings (a source file, not excluded). */
  indexed: boolean;
}

/** What the watcher asks of the index; every call queues work on one folder and returns at once. */
export interface WatchedIndex {
  locate(uri: vscode.Uri): LocatedPath | undefined;
  /** Indexes the file again: from `text` (an editor's content) or, when undefined, from disk. */
  updateFile(folderKey: string, rel: string, text: string | undefined): void;
  /** Removes a deleted file, or every indexed file under a deleted folder. */
  removePath(folderKey: string, rel: string): void;
  /** `.gitignore` changed: the folder's file filter is read again at once (the re-scan follows later). */
  reloadFilter(folderKey: string): void;
  rescanFolder(folderKey: string, why: string): void;
}

export class WorkspaceWatcher extends DisposableOwner {
  private readonly pendingEdits = new Map<string, { timer: ReturnType<typeof setTimeout>; run: () => void }>();
  /** Documents whose unsaved text is what the index holds (their file on disk may differ). */
  private readonly heldUnsaved = new Set<string>();
  private readonly rescanTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly index: WatchedIndex) {
    super();
  }

  /** Subscribes to the editor's document events, file operations and file-system watchers. */
  start(): void {
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.onDocumentChanged(e)));
    this.register(vscode.workspace.onDidSaveTextDocument((doc) => this.onDocumentSaved(doc)));
    this.register(vscode.workspace.onDidCloseTextDocument((doc) => this.onDocumentClosed(doc)));
    // Explorer operations arrive here at once; the watcher below also sees changes made outside VS Code.
    this.register(vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => this.onPathDeleted(uri))));
    this.register(
      vscode.workspace.onDidRenameFiles((e) =>
        e.files.forEach(({ oldUri, newUri }) => {
          this.onPathDeleted(oldUri);
          this.onPathCreatedOrChanged(newUri);
        }),
      ),
    );

    // Deletions come from the watcher below, which sees every path (a deleted folder reports only the folder).
    const sources = this.register(vscode.workspace.createFileSystemWatcher(SOURCE_GLOB, false, false, true));
    this.register(sources.onDidCreate((uri) => this.onPathCreatedOrChanged(uri)));
    this.register(sources.onDidChange((uri) => this.onPathCreatedOrChanged(uri)));
    const anyDeletion = this.register(vscode.workspace.createFileSystemWatcher('**/*', true, true, false));
    this.register(anyDeletion.onDidDelete((uri) => this.onPathDeleted(uri)));
    const projectFiles = this.register(vscode.workspace.createFileSystemWatcher(PROJECT_FILES_GLOB));
    for (const event of [projectFiles.onDidCreate, projectFiles.onDidChange, projectFiles.onDidDelete]) {
      this.register(event((uri) => this.onProjectFileChanged(uri)));
    }
  }

  /** Runs every debounced edit now (`whenIdle` waits for them). */
  flush(): void {
    for (const [, pending] of [...this.pendingEdits]) {
      clearTimeout(pending.timer);
      pending.run();
    }
  }

  /** How many debounced edits wait to run. */
  get pendingCount(): number {
    return this.pendingEdits.size;
  }

  private locateIndexed(uri: vscode.Uri): LocatedPath | undefined {
    const located = this.index.locate(uri);
    return located?.indexed ? located : undefined;
  }

  /** Runs `run` once `delayMs` passes without another event for the same file; a newer event replaces it. */
  private schedule(uri: vscode.Uri, delayMs: number, run: () => void): void {
    const key = uri.toString();
    const existing = this.pendingEdits.get(key);
    if (existing) clearTimeout(existing.timer);
    const entry = {
      timer: setTimeout(() => entry.run(), delayMs),
      run: () => {
        if (this.pendingEdits.get(key) !== entry) return;
        this.pendingEdits.delete(key);
        run();
      },
    };
    this.pendingEdits.set(key, entry);
  }

  private onDocumentChanged(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const doc = e.document;
    const located = this.locateIndexed(doc.uri);
    if (!located) return;
    this.schedule(doc.uri, EDIT_DEBOUNCE_MS, () => {
      if (doc.isClosed) return;
      if (doc.isDirty) this.heldUnsaved.add(doc.uri.toString());
      else this.heldUnsaved.delete(doc.uri.toString());
      this.index.updateFile(located.folderKey, located.rel, doc.getText());
    });
  }

  private onDocumentSaved(doc: vscode.TextDocument): void {
    const located = this.locateIndexed(doc.uri);
    if (!located) return;
    this.heldUnsaved.delete(doc.uri.toString());
    this.schedule(doc.uri, 0, () => this.index.updateFile(located.folderKey, located.rel, doc.isClosed ? undefined : doc.getText()));
  }

  private onDocumentClosed(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    if (!this.heldUnsaved.delete(key)) return;
    // Closed without saving: the file on disk is what counts again.
    this.onPathCreatedOrChanged(doc.uri);
  }

  private onPathCreatedOrChanged(uri: vscode.Uri): void {
    const located = this.locateIndexed(uri);
    if (!located) return;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty) return; // the editor's unsaved text stays authoritative
    this.schedule(uri, DISK_CHANGE_DEBOUNCE_MS, () => this.index.updateFile(located.folderKey, located.rel, undefined));
  }

  private onPathDeleted(uri: vscode.Uri): void {
    const located = this.index.locate(uri);
    if (!located) return;
    const pending = this.pendingEdits.get(uri.toString());
    if (pending) {
      clearTimeout(pending.timer);
      this.pendingEdits.delete(uri.toString());
    }
    this.heldUnsaved.delete(uri.toString());
    this.index.removePath(located.folderKey, located.rel);
  }

  private onProjectFileChanged(uri: vscode.Uri): void {
    if (uri.path.includes('/node_modules/')) return;
    const located = this.index.locate(uri);
    if (!located) return;
    if (path.posix.basename(located.rel) === '.gitignore') this.index.reloadFilter(located.folderKey);
    const existing = this.rescanTimers.get(located.folderKey);
    if (existing) clearTimeout(existing);
    this.rescanTimers.set(
      located.folderKey,
      setTimeout(() => {
        this.rescanTimers.delete(located.folderKey);
        this.index.rescanFolder(located.folderKey, `${located.rel} changed`);
      }, PROJECT_FILE_DEBOUNCE_MS),
    );
  }

  override dispose(): void {
    for (const pending of this.pendingEdits.values()) clearTimeout(pending.timer);
    this.pendingEdits.clear();
    for (const timer of this.rescanTimers.values()) clearTimeout(timer);
    this.rescanTimers.clear();
    super.dispose();
  }
}
