// Registers the quick fixes: the code action provider, the proxy move command and the command the simple fixes run.
import * as vscode from 'vscode';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { AtlasLog } from '../log';
import { APPLY_FIX_COMMAND, CODE_ACTION_SELECTOR, FixCodeActionProvider, MOVE_BEHIND_PROXY_COMMAND } from './codeActionProvider';
import { moveBehindProxy } from './proxyCommand';
import { applySimpleFix } from './simpleFixCommand';

export function registerFixes(index: WorkspaceIndex, log: AtlasLog): vscode.Disposable[] {
  return [
    vscode.languages.registerCodeActionsProvider(CODE_ACTION_SELECTOR, new FixCodeActionProvider(index), FixCodeActionProvider.metadata),
    vscode.commands.registerCommand(MOVE_BEHIND_PROXY_COMMAND, (arg: unknown) => moveBehindProxy(index, log, arg)),
    vscode.commands.registerCommand(APPLY_FIX_COMMAND, (arg: unknown) => applySimpleFix(index, log, arg)),
  ];
}
