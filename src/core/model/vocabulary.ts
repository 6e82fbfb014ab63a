// The words and orders every view shares (CLI, hover, tree, panel): runtime labels, how severe each severity is, and which findings count.
import { RUNTIMES, type Call, type Finding, type Runtime, type Severity } from './types';

export { RUNTIMES };

/** A runtime as a heading or a badge shows it. */
export const RUNTIME_LABELS: Readonly<Record<Runtime, string>> = Object.freeze({
  frontend: 'Frontend',
  backend: 'Backend',
  isomorphic: 'Isomorphic',
  unknown: 'Unknown',
});

/** The same with where it runs, for the panel's badges. */
export const RUNTIME_LONG_LABELS: Readonly<Record<Runtime, string>> = Object.freeze({
  frontend: 'Frontend (browser)',
  backend: 'Backend (server)',
  isomorphic: 'Isomorphic (both)',
  unknown: 'Unknown',
});

/** Severities, most severe first. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** How severe a severity is: higher is worse, so `>=` reads "at least as severe as". */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = Object.freeze({ error: 3, warning: 2, info: 1 });

/** For sorting: the more severe first. */
export function bySeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[b] - SEVERITY_RANK[a];
}

/** Findings that are reported and counted: silenced ones stay on the call only so views can grey them out. */
export function activeFindings(call: Pick<Call, 'findings'>): Finding[] {
  return call.findings.filter((f) => !f.silenced);
}

export function silencedFindings(call: Pick<Call, 'findings'>): Finding[] {
  return call.findings.filter((f) => f.silenced === true);
}

export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings) if (!worst || SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}
