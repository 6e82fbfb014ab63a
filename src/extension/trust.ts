// Restricted Mode wiring: fixes (which create and rewrite files) run only in a trusted workspace; until then their commands say why.
import * as vscode from 'vscode';
import { APPLY_FIX_COMMAND, MOVE_BEHIND_PROXY_COMMAND } from './fixes/codeActionProvider';
import type { AtlasLog } from './log';
import { gateUntilTrusted } from './trustGate';

export function registerFixesWhenTrusted(registerFixes: () => vscode.Disposable[], log: AtlasLog): vscode.Disposable {
  const refuse = (): vscode.Disposable[] =>
    [MOVE_BEHIND_PROXY_COMMAND, APPLY_FIX_COMMAND].map((command) =>
      vscode.commands.registerCommand(command, async () => {
        const manage = 'Manage Workspace Trust';
        const choice = await vscode.window.showInformationMessage('API Atlas applies fixes only in a trusted folder (Restricted Mode is on). Trust this folder to move calls behind a proxy or apply quick fixes.', manage);
        if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
      }),
    );
  if (!vscode.workspace.isTrusted) log.info('Restricted Mode: calls are indexed and explained; fixes are available once the folder is trusted.');
  return gateUntilTrusted(vscode.workspace, registerFixes, refuse, () => log.info('The folder is now trusted: fixes are available.'));
}
