// The command behind the simple quick fixes (env var fixes, timeout, error handling, ignore in file): plan from the current text, apply.
import * as vscode from 'vscode';
import { fixOffersFor } from '../../core/fix';
import type { FixPlan } from '../../core/fix';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { AtlasLog } from '../log';
import { applyFixPlan, type ApplyResult } from './applyPlan';
import { callRecordOf, isSimpleFixArgs, type SimpleFixId } from './fixArguments';
import { reportApplied, reportRefused } from './report';
import { planSimpleFix } from './simplePlans';
import { FolderView } from './workspaceView';

/** Writing a secret to disk is the user's decision: a modal asks first. */
async function confirmWriteToEnvLocal(): Promise<boolean> {
  const write = 'Write to .env.local';
  const answer = await vscode.window.showWarningMessage(
    'API Atlas: write the secret value to .env.local?',
    { modal: true, detail: 'The value is stored in plain text in .env.local, which is added to .gitignore when it is missing there. Without it, only the name is added to .env.example.' },
    write,
  );
  return answer === write;
}

export async function applySimpleFix(index: WorkspaceIndex, log: AtlasLog, arg: unknown): Promise<ApplyResult | undefined> {
  if (!isSimpleFixArgs(arg)) {
    log.error(`_apiAtlas.applyFix was run with an argument it does not understand: ${JSON.stringify(arg)}`);
    return undefined;
  }
  if (arg.writeToEnvLocal && !arg.confirmed && !(await confirmWriteToEnvLocal())) return undefined;
  // The call's offsets are only valid for the text the index analysed: catch up first.
  await index.whenIdle();
  const entry = index.resolveRef(arg);
  const call = entry ? callRecordOf(entry.call) : undefined;
  const folder = entry ? index.folderUri(entry.folderKey) : undefined;
  if (!entry || !call || !folder) {
    const reason = 'the call moved or is gone since the fix was offered; open the light bulb again.';
    void vscode.window.showWarningMessage(`API Atlas: ${reason}`);
    return { ok: false, kind: 'stale', reason };
  }
  const view = await FolderView.create(folder, { onError: (m) => log.warn(m) });
  const planned = await planSimpleFix(arg.fix, call, arg.rule, view, { writeToEnvLocal: arg.writeToEnvLocal === true });
  if (!planned.ok) {
    log.info(`${arg.fix} on ${call.file}:${call.range.start.line}: ${planned.reason}`);
    void vscode.window.showWarningMessage(`API Atlas: ${planned.reason}`);
    return { ok: false, kind: 'failed', reason: planned.reason };
  }
  const result = await applyFixPlan(planned.plan, folder, { preview: arg.preview, log: (m) => log.info(m) });
  if (result.ok) reportApplied(planned.plan, folder, log);
  else reportRefused(result, log);
  return result;
}

/**
 * `source.fixAll.apiAtlas`: every safe one-line fix of the document (core decides which are safe), planned from one
 * snapshot and applied as one edit, so one undo takes them all back. Fixes that cannot be planned are logged and skipped.
 */
export async function applyFixAll(index: WorkspaceIndex, log: AtlasLog, arg: unknown): Promise<ApplyResult | undefined> {
  const uriText = typeof arg === 'object' && arg !== null && typeof (arg as { uri?: unknown }).uri === 'string' ? (arg as { uri: string }).uri : undefined;
  const uri = uriText ? vscode.Uri.parse(uriText) : vscode.window.activeTextEditor?.document.uri;
  if (!uri) return undefined;
  await index.whenIdle();
  const entries = index.callsInDocument(uri);
  const folder = entries[0] ? index.folderUri(entries[0].folderKey) : undefined;
  if (!folder) return undefined;
  const view = await FolderView.create(folder, { onError: (m) => log.warn(m) });
  const plans: FixPlan[] = [];
  for (const entry of entries) {
    const call = callRecordOf(entry.call);
    if (!call) continue;
    for (const finding of call.findings) {
      if (finding.silenced) continue;
      for (const offer of fixOffersFor(call, finding)) {
        if (!offer.safe || offer.fix === 'move-behind-proxy') continue;
        const planned = await planSimpleFix(offer.fix satisfies SimpleFixId, call, finding.rule, view);
        if (planned.ok) plans.push(planned.plan);
        else log.info(`Fix all: ${offer.title} on ${call.file}:${call.range.start.line} skipped: ${planned.reason}`);
      }
    }
  }
  if (plans.length === 0) return undefined;
  // Safe fixes edit only their own call's text, so their spans never overlap and one version key per file holds.
  const merged: FixPlan = {
    title: `Fix all (${plans.length})`,
    edits: plans.flatMap((p) => p.edits),
    creates: [],
    notes: [],
    envChanges: [],
    documentVersionKeys: Object.assign({}, ...plans.map((p) => p.documentVersionKeys)) as Record<string, string>,
    needsConfirmation: false,
  };
  const result = await applyFixPlan(merged, folder, { preview: false, log: (m) => log.info(m) });
  if (!result.ok) reportRefused(result, log);
  return result;
}
