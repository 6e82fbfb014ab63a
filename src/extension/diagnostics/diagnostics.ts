// Publishes unsilenced findings of every indexed file (not only open ones) to the Problems view.
import * as vscode from 'vscode';
import { RULES } from '../../core/rules';
import type { Call, CallRecord, Finding, RuleId, Severity } from '../../core/model';
import { DisposableOwner } from '../disposable';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { LocatedCall } from '../tree/treeModel';

export const DIAGNOSTIC_SOURCE = 'API Atlas';

/**
 * Where a call's findings are underlined: after the callee, to the end of the call's first line (a large options object
 * is not all squiggles). The callee itself (`fetch`, `api.get`) stays free, so hovering it shows API Atlas's card alone
 * and hovering the underline shows the findings alone: the two never stack into one tall hover.
 */
export function diagnosticRange(call: Call): vscode.Range {
  const { start, end } = call.range;
  // The index holds CallRecords; a bare Call (no facts) is underlined from its start.
  const callee = (call as Partial<CallRecord>).facts?.callee;
  const skip = callee && !/\s/.test(callee) ? callee.length : 0;
  const from = new vscode.Position(start.line - 1, start.column - 1 + skip);
  const to = start.line === end.line ? new vscode.Position(end.line - 1, end.column - 1) : new vscode.Position(start.line - 1, Number.MAX_SAFE_INTEGER);
  return from.isBefore(to) ? new vscode.Range(from, to) : new vscode.Range(start.line - 1, start.column - 1, end.line - 1, end.column - 1);
}

const SEVERITIES: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Diagnostics are recomputed this long after the last index change (typing fires many). */
const UPDATE_DEBOUNCE_MS = 100;

export class FindingDiagnostics extends DisposableOwner {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('apiAtlas'));
  /** What each file's diagnostics were built from (and its folder), so unchanged files are not re-published. */
  private readonly published = new Map<string, { signature: string; folderKey: string }>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly extensionUri: vscode.Uri,
  ) {
    super();
    // A first scan's interim rows are not published: Problems would count up and down while it runs.
    this.register(
      index.onDidChange((e) => {
        if (!e.interim) this.schedule();
      }),
    );
    this.register({ dispose: () => clearTimeout(this.timer) });
    this.update();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), UPDATE_DEBOUNCE_MS);
  }

  /**
   * Rebuilds from the index; files whose findings did not change keep their diagnostics objects. A folder showing a
   * first scan's interim rows keeps what was published for it until the scan's rows are final.
   */
  update(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const byFile = new Map<string, { uri: vscode.Uri; entries: LocatedCall[] }>();
    for (const entry of this.index.entries()) {
      if (entry.provisional || !entry.call.findings.some((f) => !f.silenced)) continue;
      const uri = this.index.uriOf(entry);
      const key = uri.toString();
      const group = byFile.get(key);
      if (group) group.entries.push(entry);
      else byFile.set(key, { uri, entries: [entry] });
    }
    for (const [key, { folderKey }] of [...this.published]) {
      if (!byFile.has(key) && !this.index.isProvisional(folderKey)) {
        this.collection.delete(vscode.Uri.parse(key));
        this.published.delete(key);
      }
    }
    for (const [key, { uri, entries }] of byFile) {
      const diagnostics = entries.flatMap((entry) => this.toDiagnostics(entry));
      const signature = JSON.stringify(diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.severity, d.message, (d.code as { value: string }).value]));
      if (this.published.get(key)?.signature === signature) continue;
      this.published.set(key, { signature, folderKey: entries[0].folderKey });
      this.collection.set(uri, diagnostics);
    }
  }

  private toDiagnostics(entry: LocatedCall): vscode.Diagnostic[] {
    const { call } = entry;
    const rules = this.index.settingsFor(entry.folderKey)?.rules ?? {};
    const range = diagnosticRange(call);
    const out: vscode.Diagnostic[] = [];
    for (const finding of call.findings) {
      if (finding.silenced) continue;
      const severity = effectiveSeverity(finding, rules);
      if (!severity) continue;
      const diagnostic = new vscode.Diagnostic(range, finding.message, SEVERITIES[severity]);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = { value: finding.rule, target: this.rulePage(finding.rule) };
      out.push(diagnostic);
    }
    return out;
  }

  private rulePage(rule: RuleId): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, ...RULES[rule].docPath.split('/'));
  }
}

/** The engine applies `apiAtlas.rules`; this keeps `off` authoritative even for a finding computed before a settings change landed. */
function effectiveSeverity(finding: Finding, rules: Partial<Record<RuleId, Severity | 'off'>>): Severity | undefined {
  const configured = rules[finding.rule];
  if (configured === 'off') return undefined;
  return configured ?? finding.severity;
}
