// The status bar item: `$(sync~spin) API Atlas: indexing…` while the index works, then `$(globe) N calls · M findings`;
// clicking it focuses the API Calls view.
import * as vscode from 'vscode';
import type { Severity } from '../core/model';
import { activeFindings, pluralize } from './describe';
import { DisposableOwner } from './disposable';
import type { WorkspaceIndex } from './index/workspaceIndex';

/** Unsilenced findings by severity (what Problems shows), over every call. */
export function countFindings(calls: readonly { call: Parameters<typeof activeFindings>[0] }[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const { call } of calls) for (const f of activeFindings(call)) counts[f.severity]++;
  return counts;
}

/** The item's text for a finished index. */
export function statusText(calls: number, findings: Record<Severity, number>): string {
  return `$(globe) ${pluralize(calls, 'call')} · ${pluralize(findings.error + findings.warning + findings.info, 'finding')}`;
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
    // Until the first scan is done the counts are not counts of anything: "0 calls" would be a wrong answer.
    if (this.index.indexing || !this.index.ready) {
      this.item.text = '$(sync~spin) API Atlas: indexing…';
      this.item.tooltip = 'API Atlas is looking for fetch and axios calls in the workspace.';
      this.item.show();
      return;
    }
    const entries = this.index.entries();
    const findings = countFindings(entries);
    this.item.text = statusText(entries.length, findings);
    this.item.tooltip = new vscode.MarkdownString(
      `**API Atlas**  \n${pluralize(entries.length, 'fetch/axios call')}; ${pluralize(findings.error, 'error')}, ${pluralize(findings.warning, 'warning')}, ` +
        `${findings.info} info.  \nClick to show the API Calls view.`,
    );
    this.item.show();
  }
}
