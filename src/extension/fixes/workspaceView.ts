// The WorkspaceView the fixes plan against inside VS Code: open documents as the editor holds them, everything else from disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceView } from '../../core/fix';

/** Folders no fix ever needs to read, and that can hold hundreds of thousands of files. */
const LISTING_EXCLUDE = '**/{node_modules,.git,dist,build,out,.next,.nuxt,.svelte-kit,.turbo,.vercel,coverage}/**';
/** A cap on the listing, so a huge folder cannot stall a quick fix; plans only look at a handful of files. */
const LISTING_LIMIT = 20_000;

export interface FolderViewOptions {
  /** Where read errors other than "no such file" are reported. */
  onError?: (message: string) => void;
  token?: vscode.CancellationToken;
}

/** Workspace-relative path (forward slashes) of a URI inside the folder, or undefined when it is outside. */
export function relativePathIn(folder: vscode.Uri, uri: vscode.Uri): string | undefined {
  if (uri.scheme !== folder.scheme) return undefined;
  const rel = path.relative(folder.fsPath, uri.fsPath).split(path.sep).join('/');
  return rel === '' || rel.startsWith('../') || path.isAbsolute(rel) ? undefined : rel;
}

export function uriIn(folder: vscode.Uri, rel: string): vscode.Uri {
  return vscode.Uri.joinPath(folder, ...rel.split('/'));
}

/**
 * A snapshot of one workspace folder for planning: the texts of documents open when it is made (the text the index
 * analysed once it is idle), the file list, and files read from disk on first use. It is meant for one fix: make it
 * right before planning, plan, throw it away.
 */
export class FolderView implements WorkspaceView {
  private readonly diskCache = new Map<string, string | undefined>();

  private constructor(
    readonly folder: vscode.Uri,
    private readonly openTexts: ReadonlyMap<string, string>,
    private readonly files: readonly string[],
    private readonly onError: (message: string) => void,
  ) {}

  /** Takes the open documents' texts synchronously first, then lists the folder. */
  static async create(folder: vscode.Uri, opts: FolderViewOptions = {}): Promise<FolderView> {
    const openTexts = snapshotOpenDocuments(folder);
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), LISTING_EXCLUDE, LISTING_LIMIT, opts.token);
    const files = new Set<string>();
    for (const uri of found) {
      const rel = relativePathIn(folder, uri);
      if (rel !== undefined) files.add(rel);
    }
    // An untitled-on-disk document (created but not saved yet) exists for the editor too.
    for (const rel of openTexts.keys()) files.add(rel);
    return new FolderView(folder, openTexts, [...files].sort(), opts.onError ?? (() => undefined));
  }

  /** An arrow function, so callers may pass `view.readFile` around on its own. */
  readonly readFile = (rel: string): string | undefined => {
    const open = this.openTexts.get(rel);
    if (open !== undefined) return open;
    if (this.diskCache.has(rel)) return this.diskCache.get(rel);
    const text = readDiskText(uriIn(this.folder, rel).fsPath, this.onError);
    this.diskCache.set(rel, text);
    return text;
  };

  readonly listFiles = (): string[] => [...this.files];
}

/** The texts of the folder's open documents, by relative path. */
export function snapshotOpenDocuments(folder: vscode.Uri): Map<string, string> {
  const texts = new Map<string, string>();
  for (const document of vscode.workspace.textDocuments) {
    if (document.isClosed || document.uri.scheme !== 'file') continue;
    const rel = relativePathIn(folder, document.uri);
    if (rel !== undefined) texts.set(rel, document.getText());
  }
  return texts;
}

/**
 * A file's text as an editor shows it (UTF-8, byte order mark removed), or undefined when it does not exist.
 * Other failures (permissions, a folder of that name) are reported and also read as "not there".
 */
export function readDiskText(abs: string, onError: (message: string) => void): string | undefined {
  try {
    const text = fs.readFileSync(abs, 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') onError(`Cannot read ${abs}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
