// Baselines for CI: a fingerprint per finding that survives line moves, the baseline file, and filtering a scan by it.
import { createHash } from 'node:crypto';
import { RULE_IDS, type Call, type Finding, type Range, type RuleId, type ScanResult } from '../model';

export const BASELINE_FORMAT = 'api-atlas-baseline/v1';

export interface BaselineEntry {
  fingerprint: string;
  rule: RuleId;
  file: string;
  /** Where the finding was when the baseline was written: for people reading the file, never for matching. */
  line: number;
  message: string;
}

export interface Baseline {
  format: typeof BASELINE_FORMAT;
  entries: BaselineEntry[];
}

/**
 * The call's source text with every whitespace run and comment removed and quotes unified, so reformatting,
 * re-indenting and moving the call to another line keep its fingerprint; editing what the call does changes it.
 */
export function normaliseCallText(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/[^\n]*/g, '$1')
    .replace(/\s+/g, '')
    .replace(/["`]/g, "'")
    .replace(/,([)}\]])/g, '$1');
}

/** The text a 1-based range covers (columns in UTF-16 code units, as the scan reports them). */
export function textInRange(source: string, range: Range): string {
  const lines = source.split('\n');
  const start = offsetOf(lines, range.start.line, range.start.column);
  const end = offsetOf(lines, range.end.line, range.end.column);
  return end > start ? source.slice(start, end) : '';
}

function offsetOf(lines: readonly string[], line: number, column: number): number {
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
  return offset + Math.max(0, column - 1);
}

/** rule + file + normalised call text, hashed: the line number takes no part. */
export function findingFingerprint(rule: RuleId, file: string, normalisedCallText: string): string {
  return createHash('sha256').update(`${rule}\u0000${file}\u0000${normalisedCallText}`).digest('hex').slice(0, 32);
}

/**
 * Fingerprints of every finding of a scan, keyed by the finding object. `readFile` gives a file's text by its
 * path relative to the scan root; when it cannot (a deleted file), the call's URL text, method and client stand in.
 */
export function fingerprintFindings(result: ScanResult, readFile: (file: string) => string | undefined): Map<Finding, string> {
  const out = new Map<Finding, string>();
  const sources = new Map<string, string | undefined>();
  for (const call of result.calls) {
    if (call.findings.length === 0) continue;
    if (!sources.has(call.file)) sources.set(call.file, readFile(call.file));
    const source = sources.get(call.file);
    const text = normaliseCallText(source !== undefined ? textInRange(source, call.range) : fallbackText(call));
    for (const finding of call.findings) out.set(finding, findingFingerprint(finding.rule, call.file, text || fallbackText(call)));
  }
  return out;
}

function fallbackText(call: Call): string {
  return normaliseCallText(`${call.client}:${call.method ?? ''}:${call.url.text}`);
}

/**
 * The baseline of a scan: its findings that are not silenced, sorted so the file diffs cleanly. `mask` hides
 * secrets quoted in messages, since the file is committed.
 */
export function createBaseline(result: ScanResult, fingerprints: ReadonlyMap<Finding, string>, mask: (message: string) => string = (m) => m): Baseline {
  const entries: BaselineEntry[] = [];
  for (const call of result.calls) {
    for (const finding of call.findings) {
      const fingerprint = fingerprints.get(finding);
      if (finding.silenced || fingerprint === undefined) continue;
      entries.push({ fingerprint, rule: finding.rule, file: call.file, line: call.range.start.line, message: mask(finding.message) });
    }
  }
  entries.sort((a, b) => compare(a.file, b.file) || a.line - b.line || compare(a.rule, b.rule) || compare(a.fingerprint, b.fingerprint));
  return { format: BASELINE_FORMAT, entries };
}

export function serializeBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}

/** Reads a baseline file's text; throws an Error whose message says what is wrong with it. */
export function parseBaseline(text: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON (${(err as Error).message})`);
  }
  const value = data as Partial<Baseline> | null;
  if (!value || value.format !== BASELINE_FORMAT || !Array.isArray(value.entries)) {
    throw new Error(`not an API Atlas baseline (expected "format": "${BASELINE_FORMAT}" and an "entries" list)`);
  }
  for (const entry of value.entries) {
    if (typeof entry?.fingerprint !== 'string' || !(RULE_IDS as readonly string[]).includes(entry.rule)) {
      throw new Error('an entry lacks a fingerprint or names an unknown rule');
    }
  }
  return value as Baseline;
}

/**
 * The scan without the findings the baseline already holds. Matching counts occurrences, so two identical
 * calls in one file with one baselined finding leave the second reported.
 */
export function applyBaseline(result: ScanResult, fingerprints: ReadonlyMap<Finding, string>, baseline: Baseline): { result: ScanResult; known: number } {
  const remaining = new Map<string, number>();
  for (const entry of baseline.entries) remaining.set(entry.fingerprint, (remaining.get(entry.fingerprint) ?? 0) + 1);
  let known = 0;
  const calls = result.calls.map((call) => {
    const findings = call.findings.filter((finding) => {
      const fingerprint = fingerprints.get(finding);
      const left = fingerprint === undefined ? 0 : (remaining.get(fingerprint) ?? 0);
      if (finding.silenced || left === 0) return true;
      remaining.set(fingerprint as string, left - 1);
      known++;
      return false;
    });
    return findings.length === call.findings.length ? call : { ...call, findings };
  });
  return { result: { ...result, calls }, known };
}

/** The scan with findings kept only in the given files (paths relative to the root); calls elsewhere stay listed. */
export function limitFindingsToFiles(result: ScanResult, files: ReadonlySet<string>): { result: ScanResult; dropped: number } {
  let dropped = 0;
  const calls = result.calls.map((call) => {
    if (files.has(call.file) || call.findings.length === 0) return call;
    dropped += call.findings.length;
    return { ...call, findings: [] };
  });
  return { result: { ...result, calls }, dropped };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
