// What the four CLI formats share: runtime and severity order, counting, sorting and safe display of URLs.
import { isPlaceholder, isSecretValue, maskSecret } from '../../core/rules';
import { activeFindings, bySeverity, SEVERITY_RANK, type Call, type Finding, type Runtime, type ScanResult, type Severity } from '../../core/model';

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

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `file:line:column` as terminals and editors make clickable. */
export function location(call: Call): string {
  return `${call.file}:${call.range.start.line}:${call.range.start.column}`;
}

// A query parameter whose name says it carries a credential; its value is masked whatever it looks like.
const SECRET_PARAM = /([?&](?:[\w-]*(?:key|token|secret|password|passwd|pwd|signature|sig|auth|credential)s?[\w-]*)=)([^&#\s'"`${}]{4,})/gi;
// `scheme://user:password@host`.
const URL_PASSWORD = /(:\/\/[^:@/\s]+:)([^@/\s]{3,})@/g;
// Candidate tokens; `/` is left out so URL paths split into their segments.
const TOKEN = /[A-Za-z0-9+=_\-.~]{12,}/g;

/**
 * Masks credential-looking values in text the CLI prints: URL text comes from source code and may embed a key.
 * Rule messages are already masked by the rules; this is the second line of defence and leaves masked text alone.
 */
export function maskSecrets(text: string): string {
  return text
    .replace(SECRET_PARAM, (match, name: string, value: string) => (isPlaceholder(value) ? match : `${name}${maskSecret(value)}`))
    .replace(URL_PASSWORD, (match, prefix: string, password: string) => (isPlaceholder(password) ? match : `${prefix}${maskSecret(password)}@`))
    .replace(TOKEN, (token) => (isSecretValue(token) ? maskSecret(token) : token));
}

/** The URL as a person wants to read it: the template when known, whitespace collapsed, secrets masked, long text cut. */
export function displayUrl(call: Call, maxLength = 80): string {
  const raw = call.url.template ?? call.url.text;
  const flat = maskSecrets(raw.replace(/\s+/g, ' ').trim()) || '(no URL)';
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}
