// Applies a FixPlan as one VS Code WorkspaceEdit (one undo step; the refactor preview only when asked for), refusing stale plans.
import * as vscode from 'vscode';
import { documentVersionKey, type EnvChange, type FixPlan } from '../../core/fix';
import { uriIn } from './workspaceView';

export interface ApplyOptions {
  /**
   * Show VS Code's Refactor Preview first. Off by default: "Apply means applied". VS Code lists edits that need
   * confirmation unticked, so in the preview the user ticks what to apply.
   */
  preview?: boolean;
  /** Where failures are recorded (the log channel). */
  log?: (message: string) => void;
}

export type ApplyResult =
  | { ok: true; changedFiles: string[] }
  /** `stale`/`exists`: refused before touching anything; `declined`: the preview was discarded; `failed`: VS Code could not apply it. */
  | { ok: false; kind: 'stale' | 'exists' | 'declined' | 'failed'; reason: string };

/** The message a user sees when the index lags the document (the plan's spans would land in the wrong place). */
export function staleMessage(file: string): string {
  return `${file} changed since API Atlas analysed it; try again once the index catches up.`;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch (err) {
    if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return false;
    throw err;
  }
}

function envChangeLabel(change: EnvChange): string {
  const value = change.writesValue ? ' (writes the secret value)' : '';
  switch (change.kind) {
    case 'rename':
      return `Rename ${change.from ?? ''} to ${change.name}${value}`;
    case 'copy':
      return `Copy ${change.from ?? ''} to the server-only ${change.name}${value}`;
    case 'add':
      return `Add ${change.name}${value}`;
  }
}

/** The preview groups entries by label: one line per kind of change, saying what it does. */
function labelFor(plan: FixPlan, file: string, created: boolean): vscode.WorkspaceEditEntryMetadata['label'] {
  const env = plan.envChanges.filter((c) => c.file === file);
  if (env.length > 0) return env.map(envChangeLabel).join('; ');
  if (created) return `Create ${file}`;
  return `Edit ${file}`;
}

/**
 * Builds the WorkspaceEdit for a plan from the documents as they are now, after checking that every document the plan
 * edits still has the text the plan was computed from and that no file to create exists. Nothing is changed here.
 */
export async function buildWorkspaceEdit(
  plan: FixPlan,
  folder: vscode.Uri,
  preview: boolean,
  log: (message: string) => void = () => undefined,
): Promise<{ ok: true; edit: vscode.WorkspaceEdit; files: string[]; originals: Map<string, string> } | { ok: false; kind: 'stale' | 'exists'; reason: string }> {
  const edit = new vscode.WorkspaceEdit();
  const needsConfirmation = preview;
  const editedFiles = [...new Set([...plan.edits.map((e) => e.file), ...Object.keys(plan.documentVersionKeys)])];

  // Opening a document loads its model without showing an editor; its text is what VS Code will edit.
  const documents = new Map<string, vscode.TextDocument>();
  for (const file of editedFiles) {
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(uriIn(folder, file));
    } catch (err) {
      // A file that is gone or unreadable: the plan no longer fits the workspace.
      log(`Cannot open ${file}: ${err instanceof Error ? err.message : String(err)}`);
      return { ok: false, kind: 'stale', reason: staleMessage(file) };
    }
    const expected = plan.documentVersionKeys[file];
    if (expected === undefined || documentVersionKey(document.getText()) !== expected) return { ok: false, kind: 'stale', reason: staleMessage(file) };
    documents.set(file, document);
  }
  for (const create of plan.creates) {
    if (await exists(uriIn(folder, create.file))) {
      return { ok: false, kind: 'exists', reason: `${create.file} already exists; API Atlas never overwrites a file. Rename or remove it and try again.` };
    }
  }

  // Text edits first: VS Code checks every document's version before applying any of them, so a stale document
  // stops the whole edit before a file is created.
  for (const change of plan.edits) {
    const document = documents.get(change.file)!;
    const range = new vscode.Range(document.positionAt(change.span.start), document.positionAt(change.span.end));
    edit.replace(document.uri, range, change.newText, { needsConfirmation, label: labelFor(plan, change.file, false), description: change.file });
  }
  for (const create of plan.creates) {
    edit.createFile(
      uriIn(folder, create.file),
      { overwrite: false, ignoreIfExists: false, contents: new TextEncoder().encode(create.content) },
      { needsConfirmation, label: labelFor(plan, create.file, true), description: create.file },
    );
  }
  const originals = new Map([...documents].map(([file, document]) => [file, document.getText()]));
  return { ok: true, edit, files: [...editedFiles, ...plan.creates.map((c) => c.file)], originals };
}

/**
 * Applies a plan as a single undoable edit. Refuses (and changes nothing) when a document changed since the plan was
 * made or a file to create exists; with `preview`, VS Code shows the refactor preview for plans that ask for it.
 */
export async function applyFixPlan(plan: FixPlan, folder: vscode.Uri, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const log = opts.log ?? (() => undefined);
  const preview = opts.preview === true;
  const built = await buildWorkspaceEdit(plan, folder, preview, log);
  if (!built.ok) {
    log(`Refused "${plan.title}": ${built.reason}`);
    return built;
  }
  let applied: boolean;
  try {
    // isRefactoring: files the edit opens in the background are saved again afterwards (files.refactoring.autoSave).
    applied = await vscode.workspace.applyEdit(built.edit, { isRefactoring: true });
  } catch (err) {
    const reason = `VS Code could not apply "${plan.title}": ${err instanceof Error ? err.message : String(err)}`;
    log(reason);
    await rollBack(plan, folder, built.originals, log);
    return { ok: false, kind: 'failed', reason };
  }
  if (!applied) {
    // Discarding the preview and a refused edit both end here; neither changed anything.
    const reason = preview ? 'The change was not applied (the preview was discarded or VS Code refused the edit).' : `VS Code refused to apply "${plan.title}".`;
    log(reason);
    return { ok: false, kind: preview ? 'declined' : 'failed', reason };
  }
  log(`Applied "${plan.title}": ${built.files.join(', ')}.`);
  return { ok: true, changedFiles: built.files };
}

/**
 * After a failure part-way through (VS Code applies file operations and text edits in steps), puts back what was
 * changed: edited documents get their original text, files the plan created with its content are deleted.
 */
async function rollBack(plan: FixPlan, folder: vscode.Uri, originals: ReadonlyMap<string, string>, log: (message: string) => void): Promise<void> {
  const undo = new vscode.WorkspaceEdit();
  for (const [file, original] of originals) {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uriIn(folder, file).toString());
    if (!document || document.getText() === original) continue;
    undo.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original);
  }
  for (const create of plan.creates) {
    const uri = uriIn(folder, create.file);
    if (!(await exists(uri))) continue;
    const now = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    if (now === create.content) undo.deleteFile(uri, { ignoreIfNotExists: true });
  }
  if (undo.size === 0) return;
  try {
    if (await vscode.workspace.applyEdit(undo)) log(`Rolled back the part of "${plan.title}" that had been applied.`);
    else log(`Could not roll back "${plan.title}": check ${[...originals.keys(), ...plan.creates.map((c) => c.file)].join(', ')}.`);
  } catch (err) {
    log(`Could not roll back "${plan.title}": ${err instanceof Error ? err.message : String(err)}`);
  }
}
