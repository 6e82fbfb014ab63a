// Hover on a fetch/axios call, about eight lines: where it runs and the decisive evidence, what Problems does not say
// (the fix, what is silenced), and one row of actions. The findings themselves are VS Code's diagnostics' job: on their
// underline this hover steps aside, so the two never stack.
import * as vscode from 'vscode';
import { fixOffersFor } from '../../core/fix';
import { isProxyCandidate } from '../../core/fix';
import type { Severity } from '../../core/model';
import { neutralizeControls } from '../../core/report';
import { SEVERITY_ICONS, SEVERITY_RANK, contextLabel, RUNTIME_PLACES, activeFindings, escapeMarkdown, messageMarkdown, pluralize, silencedFindings, topEvidence } from '../describe';
import type { CallRef, WorkspaceIndex } from '../index/workspaceIndex';
import { DIAGNOSTIC_SOURCE } from '../diagnostics/diagnostics';
import { callRecordOf } from '../fixes/fixArguments';
import type { LocatedCall } from '../tree/treeModel';

/** The only commands hover links may run (MarkdownString.isTrusted is limited to these). */
export const HOVER_COMMANDS = ['apiAtlas.explainCall', 'apiAtlas.showCallsToHost', 'apiAtlas.ignoreFinding', 'apiAtlas.moveBehindProxy'] as const;

export const HOVER_SELECTOR: vscode.DocumentSelector = [
  ...['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'vue', 'svelte'].map((language) => ({ scheme: 'file', language })),
  // Without a Vue or Svelte extension those files have no language id of their own.
  { scheme: 'file', pattern: '**/*.{vue,svelte,mjs,cjs,mts,cts}' },
];

/** Evidence sentences can run long (import paths); the hover keeps one line of it. */
const EVIDENCE_MAX = 140;

export class CallHoverProvider implements vscode.HoverProvider {
  constructor(private readonly index: WorkspaceIndex) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    const hit = this.index.callAt(document.uri, position);
    if (!hit || token.isCancellationRequested) return undefined;
    // On the underline VS Code shows the findings themselves; the card would only stack below them, out of sight.
    const underlined = vscode.languages.getDiagnostics(document.uri).some((d) => d.source === DIAGNOSTIC_SOURCE && d.range.contains(position));
    if (underlined) return undefined;
    const md = new vscode.MarkdownString(hoverMarkdown(hit.entry, this.index.refOf(hit.entry)), true);
    md.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
    return new vscode.Hover(md, hit.range);
  }
}

/** The hover's markdown, one item a line. */
export function hoverMarkdown(entry: LocatedCall, ref: CallRef): string {
  const { call } = entry;
  const lines: string[] = [];
  // Names and evidence come from the workspace: control characters (ESC, BEL, bidi overrides) are shown as escapes.
  const via = call.via ? ` via \`${neutralizeControls(call.via).replace(/`/g, "'")}\`` : '';
  lines.push(`**API Atlas** · \`${call.method ?? '?'}\` · ${call.client}${via}`);
  if (entry.provisional && call.runtime === 'unknown') {
    // An interim row of a first scan: where it runs is not a finding of "unknown" yet, only not known yet.
    lines.push('$(loading~spin) Placing: the files that import it decide where it runs, and the scan has not read them all yet');
  } else {
    lines.push(`Runs **${RUNTIME_PLACES[call.runtime]}** · ${escapeMarkdown(contextLabel(call.context))} · ${Math.round(call.confidence * 100)}% sure`);
    const [why] = topEvidence(call, 1);
    if (why) lines.push(`$(lightbulb) ${messageMarkdown(shorten(neutralizeControls(why.detail), EVIDENCE_MAX))}`);
    if (entry.provisional) lines.push('$(sync~spin) From its own file: the scan is still running and may place it again when it ends');
  }

  const active = activeFindings(call).sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  if (active.length > 0) {
    // Problems lists each finding with its message; here one line counts them by severity.
    const bySeverity = new Map<Severity, string[]>();
    for (const f of active) bySeverity.set(f.severity, [...(bySeverity.get(f.severity) ?? []), f.rule]);
    lines.push([...bySeverity].map(([severity, rules]) => `$(${SEVERITY_ICONS[severity]}) ${rules.map((r) => `\`${r}\``).join(', ')}`).join(' · '));
    const offers = active.flatMap((f) => fixOffersFor({ runtime: call.runtime, facts: callRecordOf(call)?.facts }, f));
    const best = offers.find((o) => o.preferred) ?? offers[0];
    if (best) lines.push(`**Fix:** ${escapeMarkdown(best.title.replace(/…$/, ''))} (Quick Fix, Ctrl+.)`);
  }
  const silenced = silencedFindings(call);
  if (silenced.length > 0) lines.push(`$(eye-closed) ${pluralize(silenced.length, 'silenced finding')}: ${silenced.map((f) => `\`${f.rule}\``).join(', ')}`);

  const actions = [`[$(book) Explain](${commandUri('apiAtlas.explainCall', ref)})`];
  if (active.length > 0 && isProxyCandidate(call.runtime) && active.some((f) => fixOffersFor({ runtime: call.runtime }, f).some((o) => o.fix === 'move-behind-proxy'))) {
    actions.push(`[$(shield) Move behind a proxy](${commandUri('apiAtlas.moveBehindProxy', ref)})`);
  }
  if (call.url.host) actions.push(`[$(globe) Calls to ${escapeMarkdown(neutralizeControls(call.url.host))}](${commandUri('apiAtlas.showCallsToHost', call.url.host)})`);
  if (active.length > 0) actions.push(`[$(eye-closed) Ignore…](${commandUri('apiAtlas.ignoreFinding', ref)})`);
  return `${lines.join('  \n')}\n\n---\n\n${actions.join(' · ')}`;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

function commandUri(command: string, arg: unknown): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([arg]))}`;
}
