// Commands on one call: reveal, copy as cURL, ignore a finding.
import * as vscode from 'vscode';
import type { RuleId } from '../../core/model';
import { activeFindings } from '../describe';
import { toVscodeRange, type WorkspaceIndex } from '../index/workspaceIndex';
import type { AtlasLog } from '../log';
import { noCallMessage, resolveCallArgument } from './callArguments';
import { buildCurl } from './curl';
import { applySimpleFix } from '../fixes/simpleFixCommand';

export function registerCallCommands(index: WorkspaceIndex, log: AtlasLog): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('apiAtlas.revealCall', async (arg: unknown) => {
      const resolved = resolveCallArgument(index, arg);
      if (!resolved) return noCallMessage();
      await vscode.window.showTextDocument(index.uriOf(resolved.entry), { selection: toVscodeRange(resolved.entry.call.range) });
    }),

    vscode.commands.registerCommand('apiAtlas.copyAsCurl', async (arg: unknown) => {
      const resolved = resolveCallArgument(index, arg);
      if (!resolved) return noCallMessage();
      const curl = buildCurl(resolved.entry.call);
      await vscode.env.clipboard.writeText(curl);
      vscode.window.setStatusBarMessage('$(copy) API Atlas: cURL command copied (secret values masked)', 4000);
      return curl;
    }),

    vscode.commands.registerCommand('apiAtlas.ignoreFinding', async (arg: unknown) => {
      // Pending edits first, so the call's line is where the document has it now.
      await index.whenIdle();
      const resolved = resolveCallArgument(index, arg);
      if (!resolved) return noCallMessage();
      const { entry } = resolved;
      const active = activeFindings(entry.call);
      let rule: RuleId | undefined = resolved.rule;
      if (!rule) {
        if (active.length === 0) {
          void vscode.window.showInformationMessage('API Atlas: this call has no finding to ignore.');
          return undefined;
        }
        rule =
          active.length === 1
            ? active[0].rule
            : (
                await vscode.window.showQuickPick(
                  active.map((f) => ({ label: f.rule, description: f.severity, detail: f.message, rule: f.rule })),
                  { title: 'Ignore which finding on this call?' },
                )
              )?.rule;
        if (!rule) return undefined;
      }
      // One implementation of the ignore comment for the tree, the hover and the light bulb (JSX-aware, stale-safe).
      return applySimpleFix(index, log, { ...index.refOf(entry), fix: 'ignore-line', rule, preview: false });
    }),
  ];
}
