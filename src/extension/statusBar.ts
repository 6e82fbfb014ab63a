// The status bar item `$(globe) N calls · M risks`; clicking it focuses the API Calls view.
import * as vscode from 'vscode';
import { activeFindings, pluralize } from './describe';
import { DisposableOwner } from './disposable';
import type { WorkspaceIndex } from './index/workspaceIndex';

/** A call is a risk when it has an unsilenced error or warning finding (info findings are advice). */
export function countRisks(calls: readonly { call: Parameters<typeof activeFindings>[0] }[]): number {
  return calls.filter((e) => activeFindings(e.call).some((f) => f.severity !== 'info')).length;
}

export class AtlasStatusBar extends DisposableOwner {
  private readonly item = this.register(vscode.window.createStatusBarItem('apiAtlas.status', vscode.StatusBarAlignment.Left, 10));

  constructor(private readonly index: WorkspaceIndex) {
    super();
    this.item.name = 'API Atlas';
    this.item.command = { command: 'apiAtlas.calls.focus', title: 'Show API Calls' };
    this.register(index.onDidChange(() => this.update()));
    this.register(index.onDidChangeState(() => this.update()));
    this.update();
  }

  get text(): string {
    return this.item.text;
  }

  update(): void {
    if (this.index.folderKeys().length === 0) {
      this.item.hide();
      return;
    }
    const entries = this.index.entries();
    const risks = countRisks(entries);
    const indexing = this.index.indexing;
    this.item.text = `$(${indexing ? 'sync~spin' : 'globe'}) ${pluralize(entries.length, 'call')} · ${pluralize(risks, 'risk')}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**API Atlas**${indexing ? ' (indexing…)' : ''}  \n${pluralize(entries.length, 'fetch/axios call')}, ` +
        `${pluralize(risks, 'call')} with an error or warning finding.  \nClick to show the API Calls view.`,
    );
    this.item.show();
  }
}
