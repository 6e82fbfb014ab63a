// What the four CLI formats share: runtime and severity order, counting, sorting and safe display of URLs.
import { maskSecrets, neutralizeControls } from '../../core/report';
import { activeFindings, bySeverity, SEVERITIES, SEVERITY_RANK, type Call, type Finding, type Runtime, type ScanResult, type Severity } from '../../core/model';

// The shared vocabulary lives in the engine's model, so the CLI and the editor's views say the same thing.
// Silenced findings are shown greyed out but never fail a build.
export { RUNTIMES as RUNTIME_ORDER, RUNTIME_LABELS as RUNTIME_LABEL, SEVERITIES as SEVERITY_ORDER, activeFindings } from '../../core/model';

/** Most severe first, then by rule id, so output is stable. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => bySeverity(a.severity, b.severity) || a.rule.localeCompare(b.rule));
}

/** By file, then position: the order a person reads a codebase in. */
export function sortCalls(calls: readonly Call[]): Call[] {
  return [...calls].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.column - b.range.start.column ||
      compareText(a.id, b.id),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface ScanCounts {
  calls: number;
  byRuntime: Record<Runtime, number>;
  /** Non-silenced findings per severity. */
  bySeverity: Record<Severity, number>;
  silenced: number;
  skipped: number;
}

export function countScan(result: ScanResult): ScanCounts {
  const counts: ScanCounts = {
    calls: result.calls.length,
    byRuntime: { frontend: 0, backend: 0, isomorphic: 0, unknown: 0 },
    bySeverity: { error: 0, warning: 0, info: 0 },
    silenced: 0,
    skipped: result.stats.skipped.length,
  };
  for (const call of result.calls) {
    counts.byRuntime[call.runtime] = (counts.byRuntime[call.runtime] ?? 0) + 1;
    for (const finding of call.findings) {
      if (finding.silenced) counts.silenced++;
      else counts.bySeverity[finding.severity]++;
    }
  }
  return counts;
}

/** True when a non-silenced finding is at least as severe as the threshold (`--fail-on`). */
export function meetsThreshold(result: ScanResult, threshold: Severity): boolean {
  const limit = SEVERITY_RANK[threshold];
  return result.calls.some((call) => activeFindings(call).some((f) => SEVERITY_RANK[f.severity] >= limit));
}

/**
 * Why `--fail-on` made the exit code 1: how many findings met the threshold, by severity, and where the first,
 * most severe one is, so a CI log says what to fix without scrolling.
 */
export function failOnReason(result: ScanResult, threshold: Severity): string {
  const limit = SEVERITY_RANK[threshold];
  const met: { call: Call; finding: Finding }[] = [];
  for (const call of sortCalls(result.calls)) for (const finding of activeFindings(call)) if (SEVERITY_RANK[finding.severity] >= limit) met.push({ call, finding });
  const counts = SEVERITIES.filter((s) => SEVERITY_RANK[s] >= limit)
    .map((s) => ({ s, n: met.filter((m) => m.finding.severity === s).length }))
    .filter(({ n }) => n > 0)
    .map(({ s, n }) => plural(n, s));
  const first = met.sort((a, b) => bySeverity(a.finding.severity, b.finding.severity))[0];
  const where = first ? `; first: ${first.finding.rule} at ${location(first.call)}` : '';
  return `exit code 1 because --fail-on ${threshold} is met: ${counts.join(' and ')}${where}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `file:line:column` as terminals and editors make clickable. */
export function location(call: Call): string {
  return `${call.file}:${call.range.start.line}:${call.range.start.column}`;
}

// Masking and control-character escaping live with the report phase, shared with the editor's views.
export { maskSecrets, neutralizeControls } from '../../core/report';

/**
 * The one line of evidence that placed a call where it runs, as the engine wrote it: the first (most specific:
 * the engine lists a call's region before its file) that agrees with the call's runtime. An isomorphic call
 * shows the first reason from each side; an unknown call the engine's reason for not deciding.
 */
export function decisiveEvidence(call: Call): string {
  const first = (runtime: Runtime) => call.evidence.find((e) => e.runtime === runtime)?.detail;
  if (call.runtime === 'isomorphic') {
    const own = first('isomorphic');
    if (own) return own;
    const sides = [first('frontend'), first('backend')].filter((d): d is string => d !== undefined);
    if (sides.length > 0) return sides.join('; and ');
  } else {
    const own = first(call.runtime);
    if (own) return own;
  }
  if (call.runtime === 'unknown') return 'nothing in the file or its importers says where it runs';
  return call.evidence[0]?.detail ?? 'no evidence was recorded';
}

/** The URL as a person wants to read it: the template when known, whitespace collapsed, secrets masked, long text cut. */
export function displayUrl(call: Call, maxLength = 80): string {
  const raw = call.url.template ?? call.url.text;
  const flat = maskSecrets(raw.replace(/\s+/g, ' ').trim()) || '(no URL)';
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}

/** `page` resolved against `base` when base is an absolute http(s) URL; undefined otherwise. */
export function absoluteUrl(page: string, base: string | undefined): string | undefined {
  if (!base || !/^https?:\/\//i.test(base)) return undefined;
  try {
    return new URL(page, base.endsWith('/') ? base : `${base}/`).href;
  } catch {
    return undefined; // a malformed base is no base: the rule goes without a link rather than with a broken one
  }
}

/**
 * A copy of the result with every string's control characters made visible, for the formats a person reads
 * (table, markdown): a file name or URL from the workspace cannot drive the terminal or reorder the text.
 */
export function readableResult(result: ScanResult): ScanResult {
  return neutralizeDeep(result);
}

function neutralizeDeep<T>(value: T): T {
  if (typeof value === 'string') return neutralizeControls(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => neutralizeDeep(item)) as T;
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = neutralizeDeep(item);
    return copy as T;
  }
  return value;
}
