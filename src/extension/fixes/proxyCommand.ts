// The "Move behind a server proxy…" command: find where a proxy can live, ask when several places fit, plan, apply (a preview on request).
import * as vscode from 'vscode';
import type { FixPlan } from '../../core/fix';
import type { ProxyTarget } from '../../core/fix';
import type { CallRecord } from '../../core/model';
import { noCallMessage, resolveCallArgument } from '../commands/callArguments';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { AtlasLog } from '../log';
import { applyFixPlan, type ApplyResult } from './applyPlan';
import { callRecordOf, fixOptionsOf } from './fixArguments';
import { reportApplied, reportRefused } from './report';
import { FolderView } from './workspaceView';

type ProxyModule = typeof import('../../core/fix/proxy/index.ts');
let proxyModule: Promise<ProxyModule> | undefined;

/** The proxy planner (and TypeScript with it) loads when the command first runs, not when the extension activates. */
function loadProxy(): Promise<ProxyModule> {
  proxyModule ??= import('../../core/fix/proxy/index.ts');
  return proxyModule;
}

interface TargetChoice extends vscode.QuickPickItem {
  target: ProxyTarget;
  plan: FixPlan;
}

/** A secret written as a literal in the code: the proxy needs its value somewhere on the server. */
function hasLiteralSecret(call: CallRecord): boolean {
  return call.facts.credentials.some((c) => c.source === 'literal');
}

/** Asks whether a literal key should also go to `.env.local`; undefined when the user cancels the whole fix. */
async function askWriteSecret(): Promise<boolean | undefined> {
  const write = 'Write it to .env.local';
  const skip = 'Only add the name to .env.example';
  const answer = await vscode.window.showWarningMessage(
    'API Atlas: the key is written in the code. Write its value to .env.local (git-ignored) so the proxy can read it?',
    { modal: true, detail: 'The value is written in plain text to .env.local, and .env.local is added to .gitignore when it is missing there.' },
    write,
    skip,
  );
  return answer === undefined ? undefined : answer === write;
}

/**
 * Runs the proxy move for the call the argument names (a code action's call reference, a tree row, or the call under
 * the cursor). Returns what happened, for tests and callers; users see messages.
 */
export async function moveBehindProxy(index: WorkspaceIndex, log: AtlasLog, arg: unknown, overrides: { preview?: boolean } = {}): Promise<ApplyResult | undefined> {
  const { detectProxyTargets, planProxyMove } = await loadProxy();
  // The index must hold the documents' current text, or the call's offsets would point at old text; the snapshot
  // below is taken in the same turn, so it is the text the index analysed.
  await index.whenIdle();
  const resolved = resolveCallArgument(index, arg);
  if (!resolved) {
    noCallMessage();
    return undefined;
  }
  const call = callRecordOf(resolved.entry.call);
  const folder = index.folderUri(resolved.entry.folderKey);
  if (!call || !folder) {
    noCallMessage();
    return undefined;
  }
  const options = { ...fixOptionsOf(arg), ...overrides };
  const view = await FolderView.create(folder, { onError: (m) => log.warn(m) });

  const targets = detectProxyTargets(view.listFiles(), (rel) => view.readFile(rel), { fromFile: call.file });
  const planned = targets.map((target) => ({ target, result: planProxyMove(call, target, view, { writeSecretToEnvLocal: options.writeSecretToEnvLocal }) }));
  for (const { target, result } of planned) if (!result.ok) log.info(`Proxy target ${target.label} in ${target.dir} refused for ${call.file}:${call.range.start.line}: ${result.reason}`);
  const choices: TargetChoice[] = planned.flatMap(({ target, result }) =>
    result.ok ? [{ label: target.label, description: `creates ${result.plan.creates[0]?.file ?? target.dir}`, detail: target.detail, target, plan: result.plan }] : [],
  );
  if (choices.length === 0) {
    const reason = planned.find((p) => !p.result.ok && p.result.reason)?.result;
    const why = reason && !reason.ok ? reason.reason : 'no place for a server-side proxy was found in this workspace.';
    void vscode.window.showWarningMessage(`API Atlas cannot move this call behind a proxy: ${why}`);
    return { ok: false, kind: 'failed', reason: why };
  }

  let choice: TargetChoice | undefined;
  if (options.targetDir !== undefined) {
    choice = choices.find((c) => c.target.dir === options.targetDir);
    if (!choice) {
      const reason = `No proxy target in ${options.targetDir}; the workspace offers ${choices.map((c) => c.target.dir).join(', ')}.`;
      void vscode.window.showWarningMessage(`API Atlas: ${reason}`);
      return { ok: false, kind: 'failed', reason };
    }
  } else if (choices.length === 1) {
    choice = choices[0];
  } else {
    choice = await vscode.window.showQuickPick(choices, { title: 'Move behind a server proxy: where should the proxy live?', matchOnDescription: true, matchOnDetail: true });
    if (!choice) return undefined;
  }

  let plan = choice.plan;
  if (hasLiteralSecret(call) && options.writeSecretToEnvLocal === undefined) {
    const write = await askWriteSecret();
    if (write === undefined) return undefined;
    if (write) {
      // Planned again from the same snapshot: the apply step refuses it if a document changed in the meantime.
      const again = planProxyMove(call, choice.target, view, { writeSecretToEnvLocal: true });
      if (!again.ok) {
        void vscode.window.showWarningMessage(`API Atlas cannot move this call behind a proxy: ${again.reason}`);
        return { ok: false, kind: 'failed', reason: again.reason };
      }
      plan = again.plan;
    }
  }

  const result = await applyFixPlan(plan, folder, { preview: options.preview, log: (m) => log.info(m) });
  if (result.ok) reportApplied(plan, folder, log);
  else reportRefused(result, log);
  return result;
}
