// Tells the user what a fix did (its notes) or why it was not applied, once, and keeps the full text in the log.
import * as vscode from 'vscode';
import type { FixPlan } from '../../core/fix';
import type { AtlasLog } from '../log';
import type { ApplyResult } from './applyPlan';
import { uriIn } from './workspaceView';

/** Logs every note and shows them in one notification; never awaited, so the command finishes while it is open. */
export function reportApplied(plan: FixPlan, folder: vscode.Uri, log: AtlasLog): void {
  for (const note of plan.notes) log.info(`${plan.title}: ${note}`);
  if (plan.notes.length === 0) return;
  const created = plan.creates[0]?.file;
  const buttons = created ? ['Open ' + created, 'Show Log'] : ['Show Log'];
  void vscode.window.showInformationMessage(`API Atlas: ${plan.notes.join(' ')}`, ...buttons).then(async (choice) => {
    if (choice === 'Show Log') log.show();
    else if (choice && created) await vscode.window.showTextDocument(uriIn(folder, created));
  });
}

/** A declined preview is the user's own choice: nothing to say. Everything else is shown as a warning. */
export function reportRefused(result: Extract<ApplyResult, { ok: false }>, log: AtlasLog): void {
  if (result.kind === 'declined') return;
  log.warn(result.reason);
  void vscode.window.showWarningMessage(`API Atlas: ${result.reason}`);
}
