// Placeholder registrations of commands whose real implementations are wired in later: the knowledge panel
// (src/extension/panel/) and the proxy move (src/extension/fixes/). Replace a function's call in extension.ts, then delete it here.
import * as vscode from 'vscode';
import { contextLabel, RUNTIME_PLACES, callLabel } from '../describe';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import { noCallMessage, resolveCallArgument } from './callArguments';

export function registerPanelPlaceholders(index: WorkspaceIndex): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('apiAtlas.explainCall', (arg: unknown) => {
      const resolved = resolveCallArgument(index, arg);
      if (!resolved) return noCallMessage();
      const { call } = resolved.entry;
      void vscode.window.showInformationMessage(
        `${callLabel(call)} runs ${RUNTIME_PLACES[call.runtime]} (${contextLabel(call.context)}). The knowledge panel is not available yet.`,
      );
      return undefined;
    }),
    vscode.commands.registerCommand('apiAtlas.openPanel', () => {
      void vscode.window.showInformationMessage('API Atlas: the knowledge panel is not available yet.');
    }),
    vscode.commands.registerCommand('apiAtlas.showOverview', () => {
      void vscode.window.showInformationMessage('API Atlas: the workspace overview is not available yet.');
    }),
  ];
}

/** Until the proxy fix is wired in; its menu entry stays hidden while `apiAtlas.proxyFixAvailable` is false. */
export function registerProxyPlaceholder(): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('apiAtlas.moveBehindProxy', () => {
      void vscode.window.showInformationMessage('API Atlas: moving a call behind a server proxy is not available in this version yet.');
    }),
  ];
}
