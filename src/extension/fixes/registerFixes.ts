// Registers the quick fixes: the code action provider, the proxy move commands and the commands the simple fixes and fix-all run.
import * as vscode from 'vscode';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { AtlasLog } from '../log';
import { APPLY_FIX_COMMAND, CODE_ACTION_SELECTOR, FIX_ALL_COMMAND, FixCodeActionProvider, MOVE_BEHIND_PROXY_COMMAND, PREVIEW_PROXY_COMMAND } from './codeActionProvider';
import { moveBehindProxy } from './proxyCommand';
import { applyFixAll, applySimpleFix } from './simpleFixCommand';

export function registerFixes(index: WorkspaceIndex, log: AtlasLog): vscode.Disposable[] {
  return [
    vscode.languages.registerCodeActionsProvider(CODE_ACTION_SELECTOR, new FixCodeActionProvider(index), FixCodeActionProvider.metadata),
    vscode.commands.registerCommand(MOVE_BEHIND_PROXY_COMMAND, (arg: unknown) => moveBehindProxy(index, log, arg)),
    // The same move, with VS Code's Refactor Preview first: its entries start unticked, the user picks what to apply.
    vscode.commands.registerCommand(PREVIEW_PROXY_COMMAND, (arg: unknown) => moveBehindProxy(index, log, arg, { preview: true })),
    vscode.commands.registerCommand(APPLY_FIX_COMMAND, (arg: unknown) => applySimpleFix(index, log, arg)),
    vscode.commands.registerCommand(FIX_ALL_COMMAND, (arg: unknown) => applyFixAll(index, log, arg)),
  ];
}
