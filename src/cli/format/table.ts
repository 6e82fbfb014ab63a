// The default, human-readable output: calls grouped by where they run, findings beneath each call, one summary line.
import type { Call, ScanResult, Severity } from '../../core/model';
import {
  RUNTIME_LABEL,
  RUNTIME_ORDER,
  countScan,
  displayUrl,
  location,
  maskSecrets,
  plural,
  sortCalls,
  sortFindings,
} from './common';

export interface TableOptions {
  /** ANSI colours; the caller decides (TTY, --no-color, NO_COLOR). */
  color: boolean;
}

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  cyan: '\x1b[36m',
} as const;

const SEVERITY_COLOR: Readonly<Record<Severity, string>> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.blue };

export function formatTable(result: ScanResult, options: TableOptions): string {
  const paint = (style: string, text: string): string => (options.color ? `${style}${text}${ANSI.reset}` : text);
  const lines: string[] = [];
  const calls = sortCalls(result.calls);

  for (const runtime of RUNTIME_ORDER) {
    const group = calls.filter((c) => c.runtime === runtime);
    if (group.length === 0) continue;
    if (lines.length > 0) lines.push('');
    lines.push(paint(ANSI.bold, `${RUNTIME_LABEL[runtime]} (${plural(group.length, 'call')})`));
    const columns = group.map(callColumns);
    const widths = [0, 1, 2, 3].map((i) => Math.max(...columns.map((cols) => cols[i].length)));
    group.forEach((call, index) => {
      const cols = columns[index];
      const padded = cols.map((text, i) => (i < widths.length ? text.padEnd(widths[i]) : text));
      lines.push(`  ${paint(ANSI.bold, padded[0])}  ${padded[1]}  ${paint(ANSI.cyan, padded[2])}  ${padded[3]}  ${paint(ANSI.dim, padded[4])}`.trimEnd());
      for (const finding of sortFindings(call.findings)) {
        const label = (finding.silenced ? `${finding.severity} (silenced)` : finding.severity).padEnd(7);
        const body = `${finding.rule}  ${maskSecrets(finding.message)}`;
        lines.push(`      ${finding.silenced ? paint(ANSI.dim, `${label}  ${body}`) : `${paint(SEVERITY_COLOR[finding.severity], label)}  ${body}`}`);
      }
    });
  }

  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(result));
  return `${lines.join('\n')}\n`;
}

/** METHOD, URL, file:line:col, client (with `via`), context. */
function callColumns(call: Call): string[] {
  const client = call.via ? `${call.client} via ${maskSecrets(call.via)}` : call.client;
  return [call.method ?? '?', displayUrl(call), location(call), client, call.context];
}

/** `12 calls (5 frontend, 6 backend, 1 isomorphic) · 2 errors, 3 warnings, 4 info · 1 file skipped (...)`. */
export function summaryLine(result: ScanResult): string {
  const counts = countScan(result);
  const runtimes = RUNTIME_ORDER.filter((r) => counts.byRuntime[r] > 0).map((r) => `${counts.byRuntime[r]} ${r}`);
  const parts = [`${plural(counts.calls, 'call')}${runtimes.length > 0 ? ` (${runtimes.join(', ')})` : ''} in ${plural(result.stats.filesSeen, 'file')}`];
  const findings = `${plural(counts.bySeverity.error, 'error')}, ${plural(counts.bySeverity.warning, 'warning')}, ${counts.bySeverity.info} info`;
  parts.push(counts.silenced > 0 ? `${findings} (${counts.silenced} silenced)` : findings);
  if (counts.skipped > 0) parts.push(`${plural(counts.skipped, 'file')} skipped (see why with --format json, stats.skipped)`);
  const blind = result.stats.blindSpots?.length ?? 0;
  if (blind > 0) parts.push(`${plural(blind, 'blind spot')} (client values not followed; --format json, stats.blindSpots)`);
  return parts.join(' · ');
}
