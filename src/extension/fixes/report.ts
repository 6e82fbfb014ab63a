// Tells the user what a fix did, in a line or two (the next step first), with the full notes one click away in the
// log; or why it was not applied, once.
import * as vscode from 'vscode';
import type { FixPlan } from '../../core/fix';
import type { AtlasLog } from '../log';
import type { ApplyResult } from './applyPlan';
import { uriIn } from './workspaceView';

/** A notification stays readable: the first notes up to about this many characters; the rest is in Details. */
const SUMMARY_CHARS = 220;

/** The notes a notification shows: the plan puts the next step first; at least one, more while they fit. */
export function summaryNotes(notes: readonly string[], limit = SUMMARY_CHARS): { shown: string[]; more: number } {
  const shown: string[] = [];
  let length = 0;
  for (const note of notes) {
    if (shown.length > 0 && length + note.length > limit) break;
    shown.push(note);
    length += note.length + 1;
  }
  return { shown, more: notes.length - shown.length };
}

/** Logs every note under the fix's title and shows the first in one notification; never awaited. */
export function reportApplied(plan: FixPlan, folder: vscode.Uri, log: AtlasLog): void {
  log.info(`${plan.title}: applied.${plan.notes.length > 0 ? ' What to do next:' : ''}`);
  for (const note of plan.notes) log.info(`  - ${note}`);
  if (plan.notes.length === 0) return;
  const created = plan.creates[0]?.file;
  const { shown, more } = summaryNotes(plan.notes);
  const details = more > 0 ? `Details (${more} more)` : 'Details';
  const buttons = created ? [`Open ${created}`, details] : [details];
  const done = created ? `created ${created}.` : 'done.';
  void vscode.window.showInformationMessage(`API Atlas: ${done} ${shown.join(' ')}`, ...buttons).then(async (choice) => {
    if (choice === details) log.show();
    else if (choice && created) await vscode.window.showTextDocument(uriIn(folder, created));
  });
}

/** A declined preview is the user's own choice: nothing to say. Everything else is shown as a warning. */
export function reportRefused(result: Extract<ApplyResult, { ok: false }>, log: AtlasLog): void {
  if (result.kind === 'declined') return;
  log.warn(result.reason);
  void vscode.window.showWarningMessage(`API Atlas: ${result.reason}`);
}
