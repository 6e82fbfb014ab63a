// The scan options for CI: writing and applying a baseline, and limiting findings to files changed since a git ref.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyBaseline, createBaseline, fingerprintFindings, limitFindingsToFiles, parseBaseline, serializeBaseline } from '../core/report';
import type { Finding, ScanResult } from '../core/model';
import type { ScanRequest } from './args';
import { maskSecrets } from './format/common';
import { changedFilesSince } from './gitChanges';

export interface CiOutcome {
  result: ScanResult;
  /** Every finding's fingerprint (SARIF partialFingerprints); empty when nothing asked for them (see needsFingerprints). */
  fingerprints: Map<Finding, string>;
}

/** Whether anything the request prints or writes uses fingerprints: they read every file with a finding again. */
export function needsFingerprints(request: Pick<ScanRequest, 'format' | 'baseline' | 'writeBaseline'>): boolean {
  return request.format === 'sarif' || request.baseline !== null || request.writeBaseline !== null;
}

/**
 * Writes the baseline (from the whole scan), then drops the findings the given baseline holds, then those outside
 * the changed files. `note` receives one line per step for stderr. Returns an error message for exit code 2.
 */
export function applyCiOptions(scan: ScanResult, request: ScanRequest, cwd: string, note: (line: string) => void): CiOutcome | { error: string } {
  const fingerprints = needsFingerprints(request) ? fingerprintFindings(scan, (file) => readIfPresent(path.join(scan.root, ...file.split('/')))) : new Map<Finding, string>();
  let result = scan;

  if (request.writeBaseline !== null) {
    const target = path.resolve(cwd, request.writeBaseline);
    const baseline = createBaseline(result, fingerprints, maskSecrets);
    try {
      fs.writeFileSync(target, serializeBaseline(baseline));
    } catch (err) {
      return { error: `cannot write --write-baseline ${request.writeBaseline}: ${(err as Error).message}` };
    }
    note(`wrote ${baseline.entries.length} finding${baseline.entries.length === 1 ? '' : 's'} to the baseline ${request.writeBaseline}`);
  }

  if (request.baseline !== null) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(cwd, request.baseline), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { error: code === 'ENOENT' ? `baseline not found: ${request.baseline} (create it with --write-baseline ${request.baseline})` : `cannot read --baseline ${request.baseline}: ${(err as Error).message}` };
    }
    try {
      const applied = applyBaseline(result, fingerprints, parseBaseline(text));
      result = applied.result;
      note(`${applied.known} finding${applied.known === 1 ? '' : 's'} already in the baseline ${request.baseline} not reported`);
    } catch (err) {
      return { error: `--baseline ${request.baseline}: ${(err as Error).message}` };
    }
  }

  if (request.changedSince !== null) {
    let files: Set<string>;
    try {
      files = changedFilesSince(scan.root, request.changedSince);
    } catch (err) {
      return { error: `--changed-since ${request.changedSince}: ${(err as Error).message}` };
    }
    const limited = limitFindingsToFiles(result, files);
    result = limited.result;
    note(`${limited.dropped} finding${limited.dropped === 1 ? '' : 's'} in files unchanged since ${request.changedSince} not reported`);
  }
  return { result, fingerprints };
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    // A file that vanished since the scan: its fingerprints fall back to the call's URL, method and client.
    return undefined;
  }
}
