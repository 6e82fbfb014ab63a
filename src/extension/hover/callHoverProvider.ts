// Hover on a fetch/axios call: where it runs and why, its findings, two lines of guidance and command links.
import * as vscode from 'vscode';
import { SEVERITY_ICONS, contextLabel, RUNTIME_PLACES, activeFindings, escapeMarkdown, messageMarkdown, silencedFindings, topEvidence } from '../describe';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { LocatedCall } from '../tree/treeModel';
import type { KnowledgeGuide } from './knowledgeGuide';

/** The only commands hover links may run (MarkdownString.isTrusted is limited to these). */
export const HOVER_COMMANDS = ['apiAtlas.explainCall', 'apiAtlas.showCallsToHost', 'apiAtlas.ignoreFinding'] as const;

export const HOVER_SELECTOR: vscode.DocumentSelector = [
  ...['javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'vue', 'svelte'].map((language) => ({ scheme: 'file', language })),
  // Without a Vue or Svelte extension those files have no language id of their own.
  { scheme: 'file', pattern: '**/*.{vue,svelte,mjs,cjs,mts,cts}' },
];

export class CallHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly index: WorkspaceIndex,
    private readonly guide: KnowledgeGuide,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): vscode.Hover | undefined {
    const hit = this.index.callAt(document.uri, position);
    if (!hit || token.isCancellationRequested) return undefined;
    const markdown = this.describe(hit.entry);
    if (token.isCancellationRequested) return undefined;
    return new vscode.Hover(markdown, hit.range);
  }

  private describe(entry: LocatedCall): vscode.MarkdownString {
    const { call } = entry;
    const ref = this.index.refOf(entry);
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };

    md.appendMarkdown(`**API Atlas** · \`${call.method ?? '?'}\` · ${call.client}${call.via ? ` via \`${call.via.replace(/`/g, "'")}\`` : ''}\n\n`);
    md.appendMarkdown(
      `Runs **${RUNTIME_PLACES[call.runtime]}** — ${contextLabel(call.context)}, confidence ${Math.round(call.confidence * 100)}%`,
    );
    const [why] = topEvidence(call, 1);
    if (why) md.appendMarkdown(`  \n$(lightbulb) ${messageMarkdown(why.detail)}`);

    const active = activeFindings(call);
    if (active.length > 0) {
      md.appendMarkdown('\n\n');
      for (const f of active) md.appendMarkdown(`$(${SEVERITY_ICONS[f.severity]}) \`${f.rule}\` ${messageMarkdown(f.message)}  \n`);
    }
    const silenced = silencedFindings(call);
    if (silenced.length > 0) md.appendMarkdown(`\n\n$(eye-closed) Silenced: ${silenced.map((f) => `\`${f.rule}\``).join(', ')}`);

    const guidance = this.guide.guidanceFor(call);
    if (guidance.length > 0) {
      md.appendMarkdown('\n\n---\n\n');
      md.appendMarkdown(guidance.map((g) => `**${escapeMarkdown(g.title)}**: ${escapeMarkdown(g.summary)}`).join('  \n'));
    }

    const links = [`[$(book) Open in panel](${commandUri('apiAtlas.explainCall', ref)})`];
    if (call.url.host) links.push(`[$(globe) All calls to ${escapeMarkdown(call.url.host)}](${commandUri('apiAtlas.showCallsToHost', call.url.host)})`);
    for (const f of active) links.push(`[$(eye-closed) Ignore ${f.rule}](${commandUri('apiAtlas.ignoreFinding', { ...ref, rule: f.rule })})`);
    md.appendMarkdown(`\n\n---\n\n${links.join(' · ')}`);
    return md;
  }
}

function commandUri(command: string, arg: unknown): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([arg]))}`;
}
