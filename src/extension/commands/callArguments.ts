// Turns what a command receives (a tree node, a call reference from a hover or the panel, or nothing) into a call.
import * as vscode from 'vscode';
import type { RuleId } from '../../core/model';
import { RULE_IDS } from '../../core/model';
import { isCallRef, type WorkspaceIndex } from '../index/workspaceIndex';
import type { LocatedCall, TreeNode } from '../tree/treeModel';

export interface ResolvedCall {
  entry: LocatedCall;
  /** The rule the invocation is about: a hover link's rule, or the rule group a tree row sits under. */
  rule?: RuleId;
}

function isTreeNode(value: unknown): value is TreeNode {
  return typeof value === 'object' && value !== null && ((value as TreeNode).kind === 'call' || (value as TreeNode).kind === 'group') && 'id' in value;
}

function asRule(value: unknown): RuleId | undefined {
  return typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value) ? (value as RuleId) : undefined;
}

/** Without an argument (command palette, keybinding) the call under the active editor's cursor is meant. */
export function resolveCallArgument(index: WorkspaceIndex, arg: unknown): ResolvedCall | undefined {
  if (isTreeNode(arg)) {
    if (arg.kind !== 'call') return undefined;
    const fresh = index.findCall(arg.entry.folderKey, arg.entry.call.id) ?? arg.entry;
    return { entry: fresh, ...(arg.rule ? { rule: arg.rule } : {}) };
  }
  if (isCallRef(arg)) {
    const entry = index.resolveRef(arg);
    const rule = asRule((arg as { rule?: unknown }).rule);
    return entry ? { entry, ...(rule ? { rule } : {}) } : undefined;
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const hit = index.callAt(editor.document.uri, editor.selection.active);
  return hit ? { entry: hit.entry } : undefined;
}

export function noCallMessage(): void {
  void vscode.window.showInformationMessage('API Atlas: no indexed fetch or axios call here. Place the cursor on a call, or use the API Calls view.');
}
