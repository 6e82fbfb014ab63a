// `--format markdown`: a report to paste into a pull request: summary, findings with links, calls per runtime.
import type { Call, Finding, ScanResult } from '../../core/model';
import { absoluteUrl, RUNTIME_LABEL, RUNTIME_ORDER, SEVERITY_ORDER, countScan, displayUrl, maskSecrets, plural, readableResult, sortCalls, sortFindings } from './common';

export interface MarkdownOptions {
  /**
   * Prefix for file links, e.g. `https://github.com/o/r/blob/<sha>/packages/web/`. Without an absolute one,
   * locations are plain text: a relative link breaks in a pull-request comment.
   */
  linkBase?: string;
  /** Where rule pages live (`https://github.com/o/r/blob/HEAD/`): each rule id links to `docs/rules/<id>.md` there. */
  rulesBase?: string;
  /** Calls listed per runtime before the list is cut (the counts stay exact). */
  maxCallsPerRuntime?: number;
}

const SEVERITY_ICON = { error: '🔴', warning: '🟠', info: '🔵' } as const;

export function formatMarkdown(workspaceResult: ScanResult, options: MarkdownOptions = {}): string {
  const result = readableResult(workspaceResult);
  const counts = countScan(result);
  const link = (call: Call): string => {
    const label = escapeText(`${call.file}:${call.range.start.line}`);
    const target = absoluteUrl(`${call.file.split('/').map(encodeURIComponent).join('/')}#L${call.range.start.line}`, options.linkBase);
    return target ? `[${label}](${target})` : label;
  };
  const rule = (id: string): string => {
    const target = absoluteUrl(`docs/rules/${id}.md`, options.rulesBase);
    return target ? `[\`${id}\`](${target})` : `\`${id}\``;
  };
  const out: string[] = ['## API Atlas report', ''];

  out.push('| Calls | Frontend | Backend | Isomorphic | Unknown | Errors | Warnings | Info | Skipped files |');
  out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  out.push(
    `| ${counts.calls} | ${RUNTIME_ORDER.map((r) => counts.byRuntime[r]).join(' | ')} | ${SEVERITY_ORDER.map((s) => counts.bySeverity[s]).join(' | ')} | ${counts.skipped} |`,
  );
  out.push('');

  const rows: { call: Call; finding: Finding }[] = [];
  for (const call of sortCalls(result.calls)) {
    for (const finding of sortFindings(call.findings)) if (!finding.silenced) rows.push({ call, finding });
  }
  rows.sort((a, b) => SEVERITY_ORDER.indexOf(a.finding.severity) - SEVERITY_ORDER.indexOf(b.finding.severity));
  out.push(`### Findings (${rows.length})`, '');
  if (rows.length === 0) {
    out.push('No findings.', '');
  } else {
    out.push('| Severity | Rule | Message | Location | Runtime |', '|---|---|---|---|---|');
    for (const { call, finding } of rows) {
      out.push(
        `| ${SEVERITY_ICON[finding.severity]} ${finding.severity} | ${rule(finding.rule)} | ${escapeCell(maskSecrets(finding.message))} | ${link(call)} | ${call.runtime} |`,
      );
    }
    out.push('');
  }
  if (counts.silenced > 0) out.push(`${plural(counts.silenced, 'finding')} silenced by ignore comments.`, '');

  out.push('### Calls by runtime', '');
  const limit = options.maxCallsPerRuntime ?? 200;
  for (const runtime of RUNTIME_ORDER) {
    const group = sortCalls(result.calls.filter((c) => c.runtime === runtime));
    if (group.length === 0) continue;
    out.push('<details>', `<summary>${RUNTIME_LABEL[runtime]}: ${plural(group.length, 'call')}</summary>`, '');
    out.push('| Method | URL | Location | Client | Context |', '|---|---|---|---|---|');
    for (const call of group.slice(0, limit)) {
      out.push(`| ${call.method ?? '?'} | ${codeCell(displayUrl(call))} | ${link(call)} | ${call.client} | ${call.context} |`);
    }
    if (group.length > limit) out.push('', `…and ${group.length - limit} more (use \`--format json\` for all of them).`);
    out.push('', '</details>', '');
  }
  if (counts.calls === 0) out.push('No fetch or axios calls found.', '');

  if (result.stats.skipped.length > 0) {
    out.push(`${plural(result.stats.skipped.length, 'file')} skipped; \`--format json\` lists them with the reason in \`stats.skipped\`.`, '');
  }
  const blind = result.stats.blindSpots?.length ?? 0;
  if (blind > 0) out.push(`${plural(blind, 'blind spot')}: requests seen but not followed (tRPC calls, clients handed to unknown functions, generated API clients); \`--format json\` lists them in \`stats.blindSpots\`.`, '');
  out.push(`<sub>api-atlas ${result.version} · ${plural(result.stats.filesSeen, 'file')} seen · ${result.stats.durationMs} ms</sub>`);
  return `${out.join('\n')}\n`;
}

/** Table cells cannot hold pipes or newlines; HTML-looking text must not render. */
export function escapeCell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Workspace text (a file name) as plain text in a cell or a link label: besides `escapeCell`, every character
 * markdown gives a meaning to is escaped, so `[pwn](javascript:alert(1)).tsx` stays a name and never becomes a link,
 * an image or emphasis.
 */
export function escapeText(text: string): string {
  return escapeCell(text).replace(/[[\]()!*_`~]/g, (c) => `\\${c}`);
}

/** Inline code that survives backticks and pipes inside the text. */
function codeCell(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const fence = flat.includes('`') ? '``' : '`';
  return `${fence}${fence === '``' ? ' ' : ''}${flat}${fence === '``' ? ' ' : ''}${fence}`;
}
