// What the `api-atlas` commands share: exit codes, the streams and engine they run with, and how flags meet settings (apart from run.ts, so the commands it loads on demand do not import it back).
import * as path from 'node:path';
import { mergeSettings, type SettingsResult } from '../core/settings';
import type { CallRecord, RuleId, ScanResult, Settings } from '../core/model';
import type { ScanRequest } from './args';
import type { RuleMeta } from './format/sarif';
import type { ProgressStream } from './progress';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface CliStreams {
  stdout: ProgressStream;
  stderr: ProgressStream;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export interface ScanRootOptions {
  onProgress(done: number, total: number): void;
  /**
   * The engine's log: warnings (what it worked around: unreadable files, worker failures) and errors always go
   * to stderr; info lines (per-phase timings) only with --verbose. A missing level is a warning.
   */
  log(message: string, level?: 'info' | 'warn' | 'error'): void;
  /** The analysis cache's folder (absolute); null: no cache (`--no-cache`); absent: the engine's default for the root. */
  cacheLocation?: string | null;
}

/** The cache choice of a request, with `--cache-location` resolved against the working directory. */
export function cacheLocationOf(request: Pick<ScanRequest, 'cache' | 'cacheLocation'>, cwd: string): string | null | undefined {
  if (!request.cache) return null;
  return request.cacheLocation === null ? undefined : path.resolve(cwd, request.cacheLocation);
}

/** What the CLI needs from the engine and the package; `main.ts` wires the real ones. */
export interface CliEngine {
  version: string;
  loadSettings(root: string): SettingsResult;
  scanRoot(root: string, settings: Settings, options: ScanRootOptions): Promise<ScanResult>;
  /** The scan plus the engine's records (with the detector's facts): `hosts` reads credentials from them. */
  inspectRoot?(root: string, settings: Settings, options: ScanRootOptions): Promise<{ result: ScanResult; records: CallRecord[] }>;
  /** Rule titles and default severities for SARIF. */
  rules?: Partial<Record<RuleId, RuleMeta>>;
  /** `https://github.com/o/r/blob/HEAD/` when package.json names a repository: rule pages link there. */
  docsBaseUrl?: string;
  homepage?: string;
}

/** Flags win over `.vscode/settings.json`; globs from flags are added to the ones in settings. */
export function applyFlags(settings: Settings, request: ScanRequest): Settings {
  return mergeSettings(settings, {
    include: [...settings.include, ...request.include],
    exclude: [...settings.exclude, ...request.exclude],
    includeTests: request.includeTests || settings.includeTests,
    maxFileSizeKB: request.maxFileSizeKB ?? settings.maxFileSizeKB,
  });
}
