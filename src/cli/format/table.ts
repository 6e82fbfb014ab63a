// The default, human-readable output: calls grouped by where they run under a header row, fitted to the terminal width, each with the evidence that placed it and its findings.
import type { Call, ScanResult, Severity } from '../../core/model';
import {
  RUNTIME_LABEL,
  RUNTIME_ORDER,
  countScan,
  decisiveEvidence,
  displayUrl,
  location,
  maskSecrets,
  plural,
  readableResult,
  sortCalls,
  sortFindings,
} from './common';

export interface TableOptions {
  /** ANSI colours; the caller decides (TTY, --no-color, NO_COLOR). */
  color: boolean;
  /** Columns to fit rows into (a terminal's width); none for no limit (a pipe or a file). */
  width?: number;
  /** Whether test files were indexed: the hint for a scan with no calls suggests --include-tests only when not. */
  includeTests?: boolean;
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

/** Header, the narrowest a column may be cut to, and which end of a cut cell keeps the `…`. */
interface Column {
  header: string;
  min: number;
  cut: 'end' | 'start';
}

const COLUMNS: readonly Column[] = [
  { header: 'METHOD', min: 6, cut: 'end' },
  { header: 'URL', min: 16, cut: 'end' },
  // A path cut at its start keeps the file name and `:line:column`, the part a person clicks.
  { header: 'LOCATION', min: 18, cut: 'start' },
  { header: 'CLIENT', min: 8, cut: 'end' },
  { header: 'CONTEXT', min: 10, cut: 'end' },
];
const ROW_INDENT = 2;
const GAP = 2;
/** Evidence and findings sit under their call, indented past the METHOD column. */
const DETAIL_INDENT = 4;
/** Continuation lines of a wrapped evidence line. */
const HANG = 2;
/** Below this many columns nothing is cut or wrapped: a row that cannot fit is better whole. */
const MIN_WIDTH = 40;

export function formatTable(workspaceResult: ScanResult, options: TableOptions): string {
  // Every string from the workspace goes to the terminal with its control characters made visible.
  const result = readableResult(workspaceResult);
  const paint = (style: string, text: string): string => (options.color ? `${style}${text}${ANSI.reset}` : text);
  const width = options.width !== undefined && options.width >= MIN_WIDTH ? Math.floor(options.width) : Infinity;
  const lines: string[] = [];
  const calls = sortCalls(result.calls);
  const cells = new Map(calls.map((call) => [call, callCells(call)]));
  // One layout for every group, so columns line up down the whole report.
  const layout = fitColumns([...cells.values()], width);
  const detail = (text: string): void => {
    wrap(text, width - DETAIL_INDENT, width - DETAIL_INDENT - HANG).forEach((line, i) => lines.push(`${' '.repeat(DETAIL_INDENT + (i > 0 ? HANG : 0))}${paint(ANSI.dim, line)}`));
  };

  for (const runtime of RUNTIME_ORDER) {
    const group = calls.filter((c) => c.runtime === runtime);
    if (group.length === 0) continue;
    if (lines.length > 0) lines.push('');
    lines.push(paint(ANSI.bold, `${RUNTIME_LABEL[runtime]} (${plural(group.length, 'call')})`));
    lines.push(paint(ANSI.dim, rowText(layout, (i) => COLUMNS[i].header, (_i, text) => text)));
    for (const call of group) {
      const cols = cells.get(call)!;
      const styles = [ANSI.bold, '', ANSI.cyan, '', ANSI.dim];
      lines.push(rowText(layout, (i) => cols[i], (i, text) => (styles[i] ? paint(styles[i], text) : text)));
      // Columns that did not fit the width move under the row instead of being cut to nothing.
      const moved = layout.hidden.map((i) => `${COLUMNS[i].header.toLowerCase()}: ${cols[i]}`);
      if (moved.length > 0) detail(moved.join(' · '));
      detail(`${call.runtime === 'unknown' ? 'why unknown' : 'why'}: ${maskSecrets(decisiveEvidence(call))}`);
      for (const finding of sortFindings(call.findings)) {
        const label = `${finding.silenced ? `${finding.severity} (silenced)` : finding.severity.padEnd(7)}  `;
        const body = `${finding.rule}  ${maskSecrets(finding.message)}`;
        // Continuation lines start under the rule name, so the severity column stays clean.
        const wrapped = wrap(body, width - DETAIL_INDENT - label.length, width - DETAIL_INDENT - label.length);
        wrapped.forEach((line, i) => {
          const head = i > 0 ? ' '.repeat(label.length) : finding.silenced ? paint(ANSI.dim, label) : paint(SEVERITY_COLOR[finding.severity], label);
          lines.push(`${' '.repeat(DETAIL_INDENT)}${head}${finding.silenced ? paint(ANSI.dim, line) : line}`);
        });
      }
    }
  }

  if (lines.length > 0) lines.push('');
  lines.push(...wrap(summaryLine(result), width, width));
  const hint = emptyScanHint(result, options.includeTests ?? false);
  if (hint) lines.push(...wrap(hint, width, width));
  return `${lines.join('\n')}\n`;
}

/** The visible columns, each with its width, and the columns moved under the row because the width has no room. */
export interface ColumnLayout {
  shown: { index: number; width: number }[];
  hidden: number[];
}

/** A row's cells, cut and padded to the layout, each painted by `style` (which must not change its length). */
function rowText(layout: ColumnLayout, cell: (index: number) => string, style: (index: number, text: string) => string): string {
  const parts = layout.shown.map(({ index, width }) => style(index, cut(cell(index), width, COLUMNS[index].cut).padEnd(width)));
  return `${' '.repeat(ROW_INDENT)}${parts.join(' '.repeat(GAP))}`.trimEnd();
}

/** METHOD, URL, file:line:col, client (with `via`), context. */
function callCells(call: Call): string[] {
  const client = call.via ? `${call.client} via ${maskSecrets(call.via)}` : call.client;
  return [call.method ?? '?', displayUrl(call, 200), location(call), client, call.context];
}

/**
 * Column widths: each column's widest cell (or header). When the row is wider than `width`, CONTEXT and then
 * CLIENT move under the row; if it is still too wide, the column with the most room above its minimum gives up
 * one character at a time until the row fits or every column is at its minimum.
 */
export function fitColumns(rows: readonly string[][], width: number): ColumnLayout {
  const natural = COLUMNS.map((col, i) => Math.max(col.header.length, ...rows.map((r) => r[i].length)));
  const total = (shown: { width: number }[]): number => ROW_INDENT + shown.reduce((a, c) => a + c.width, 0) + GAP * (shown.length - 1);
  let shown = natural.map((w, index) => ({ index, width: w }));
  const hidden: number[] = [];
  for (const drop of [CONTEXT_COLUMN, CLIENT_COLUMN]) {
    if (total(shown) <= width) break;
    shown = shown.filter((c) => c.index !== drop);
    hidden.unshift(drop);
  }
  const floor = (c: { index: number }): number => Math.max(COLUMNS[c.index].min, COLUMNS[c.index].header.length);
  while (total(shown) > width) {
    let widest: { index: number; width: number } | undefined;
    for (const c of shown) if (c.width > floor(c) && (!widest || c.width - floor(c) > widest.width - floor(widest))) widest = c;
    if (!widest) break;
    widest.width--;
  }
  return { shown, hidden };
}

const CLIENT_COLUMN = 3;
const CONTEXT_COLUMN = 4;

/** Cuts text to `width` characters with an ellipsis at the end, or at the start for paths. */
export function cut(text: string, width: number, at: 'end' | 'start'): string {
  if (text.length <= width) return text;
  if (width <= 1) return '…';
  return at === 'end' ? `${text.slice(0, width - 1)}…` : `…${text.slice(text.length - width + 1)}`;
}

/**
 * Word-wraps text: the first line to `firstWidth` columns, the others to `restWidth` (their indent is the
 * caller's). A word longer than a line is split. An unlimited width returns the text as one line.
 */
export function wrap(text: string, firstWidth: number, restWidth: number): string[] {
  if (!Number.isFinite(firstWidth) || text.length <= firstWidth) return [text];
  const lines: string[] = [];
  let line = '';
  const limit = (): number => Math.max(10, lines.length === 0 ? firstWidth : restWidth);
  for (const word of text.split(' ')) {
    let rest = word;
    while (rest.length > 0 || (word === '' && line !== '')) {
      const room = limit() - (line === '' ? 0 : line.length + 1);
      if (rest.length <= room) {
        line = line === '' ? rest : `${line} ${rest}`;
        rest = '';
        break;
      } else if (line !== '') {
        lines.push(line);
        line = '';
      } else {
        lines.push(rest.slice(0, room));
        rest = rest.slice(room);
      }
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** `12 calls (5 frontend, 6 backend, 1 isomorphic) in 40 files · 2 errors, 3 warnings, 4 info · 1 file skipped (...)`. */
export function summaryLine(result: ScanResult): string {
  const counts = countScan(result);
  const runtimes = RUNTIME_ORDER.filter((r) => counts.byRuntime[r] > 0).map((r) => `${counts.byRuntime[r]} ${r}`);
  const parts = [`${plural(counts.calls, 'call')}${runtimes.length > 0 ? ` (${runtimes.join(', ')})` : ''} in ${plural(result.stats.filesSeen, 'file')}`];
  const findings = `${plural(counts.bySeverity.error, 'error')}, ${plural(counts.bySeverity.warning, 'warning')}, ${counts.bySeverity.info} info`;
  parts.push(counts.silenced > 0 ? `${findings} (${counts.silenced} silenced)` : findings);
  if (counts.skipped > 0) parts.push(`${plural(counts.skipped, 'file')} skipped (see why with --format json, stats.skipped)`);
  const blind = result.stats.blindSpots?.length ?? 0;
  if (blind > 0) parts.push(`${plural(blind, 'blind spot')} (requests seen but not followed; --format json, stats.blindSpots)`);
  return parts.join(' · ');
}

/**
 * What to check when a scan found nothing: no source file at all (wrong folder, or everything excluded), or
 * source files without a call (test files are left out by default). Null when there are calls.
 */
export function emptyScanHint(result: ScanResult, includeTests: boolean): string | null {
  if (result.calls.length > 0) return null;
  if (result.stats.filesSeen === 0) {
    return (
      `No JavaScript or TypeScript files under ${result.root}. API Atlas reads .js .jsx .ts .tsx .mjs .cjs .mts .cts files and the ` +
      '<script> of .vue and .svelte files, and skips node_modules, build output and what .gitignore, files.exclude or apiAtlas.exclude leave out. ' +
      'Check the path, or name more files with --include GLOB.'
    );
  }
  const skippedCount = result.stats.skipped.length;
  const skipped = skippedCount > 0 ? ` ${plural(skippedCount, 'file')} ${skippedCount === 1 ? 'was' : 'were'} skipped (--format json lists why).` : '';
  return `No fetch or axios calls in these ${plural(result.stats.filesSeen, 'file')}.${skipped}${includeTests ? '' : ' Test files are not indexed: add --include-tests to index them.'}`;
}
