// Parses the `api-atlas` command line into a typed request, or a usage error the caller reports with exit code 2.
import type { Settings, Severity } from '../core/model';
import { SETTINGS_TABLE, SETTING_KEYS } from '../core/settings';

export const FORMATS = ['table', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];
export const FAIL_ON = ['error', 'warning'] as const;
export const HOSTS_FORMATS = ['table', 'json', 'csv'] as const;
export type HostsFormat = (typeof HOSTS_FORMATS)[number];

export interface ScanRequest {
  /** As typed; resolved against the working directory later. `['.']` when none is given. */
  paths: string[];
  format: Format;
  failOn: Extract<Severity, 'error' | 'warning'> | null;
  /** `--include-tests`: overrides `apiAtlas.includeTests` when given. */
  includeTests: boolean;
  /** Added to `apiAtlas.include` / `apiAtlas.exclude` of each root's settings. */
  include: string[];
  exclude: string[];
  /** `--max-file-size KB`: overrides `apiAtlas.maxFileSizeKB` when given. */
  maxFileSizeKB: number | null;
  noColor: boolean;
  output: string | null;
  /** `--verbose`: also print the engine's info lines (how long each phase of the scan took) on stderr. */
  verbose: boolean;
  /** `--baseline FILE`: report and fail only on findings the baseline does not hold. */
  baseline: string | null;
  /** `--write-baseline FILE`: record the scan's findings as the baseline. */
  writeBaseline: string | null;
  /** `--changed-since REF`: report findings only in files changed since this git ref. */
  changedSince: string | null;
  /** False with `--no-cache`: analyse every file afresh and write no cache. */
  cache: boolean;
  /** `--cache-location DIR`: where the analysis cache is kept (default: node_modules/.cache/api-atlas of each PATH). */
  cacheLocation: string | null;
}

/** `api-atlas hosts`: the scan options that choose files, and a format of its own. */
export interface HostsRequest extends Omit<ScanRequest, 'format' | 'failOn' | 'baseline' | 'writeBaseline' | 'changedSince'> {
  format: HostsFormat;
}

export type CliRequest =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'scan'; scan: ScanRequest }
  | { kind: 'hosts'; hosts: HostsRequest }
  | { kind: 'mcp'; scan: ScanRequest }
  | { kind: 'error'; message: string };

export const USAGE = `Usage: api-atlas scan [PATH...] [options]
       api-atlas hosts [PATH...] [--format table|json|csv] [options]
       api-atlas mcp [PATH]

Finds every fetch and axios call under each PATH (default: the current folder), decides whether it runs
in the browser or on the server, and reports what is risky about it.

Options:
  --format FORMAT       table (default), json, sarif or markdown
  --fail-on LEVEL       exit with code 1 when a finding of this severity or worse is reported: error or warning
  --include-tests       index calls in test files too (*.test.*, *.spec.*, __tests__/, e2e/)
  --include GLOB        index files matching GLOB even when ignored by default (repeatable)
  --exclude GLOB        never index files matching GLOB (repeatable)
  --max-file-size KB    skip files larger than KB kilobytes (default ${String(SETTINGS_TABLE.maxFileSizeKB.default)})
  --output FILE         write the report to FILE instead of stdout
  --no-color            no colours in the table (also when NO_COLOR is set)
  --verbose             also print how long each phase of the scan took, on stderr (warnings are always printed)
  --no-cache            analyse every file afresh and keep no analysis cache
  --cache-location DIR  keep the analysis cache in DIR (default: <PATH>/node_modules/.cache/api-atlas, or
                        ~/.cache/api-atlas when PATH has no node_modules); unchanged files are not analysed again
  --write-baseline FILE record today's findings in FILE (commit it)
  --baseline FILE       report and fail only on findings that FILE does not hold (matched by rule, file and the
                        call's text, so moved lines and unrelated edits keep matching)
  --changed-since REF   report findings only in files changed since the git REF (e.g. origin/main)
  -h, --help            show this help
  -v, --version         show the version

hosts lists every external host the calls reach, with the service, calls by runtime and whether a
credential is sent (for security reviews). mcp serves the index to AI agents over stdio (Model Context
Protocol): tools list_calls, explain_call and list_findings on the workspace at PATH (default: .).

Settings: the apiAtlas.* keys of <PATH>/.vscode/settings.json are read for each PATH; flags override them.
Several PATHs are scanned one by one and reported as one scan whose root is their common parent folder.

Exit codes: 0 done, 1 a finding met --fail-on, 2 bad arguments, a missing path or a failed scan.

Examples:
  api-atlas scan
  api-atlas scan apps/web apps/api --format markdown --output atlas.md
  api-atlas scan . --format sarif --output atlas.sarif --fail-on error
  api-atlas scan --write-baseline .api-atlas-baseline.json
  api-atlas scan --baseline .api-atlas-baseline.json --fail-on error
  api-atlas hosts --format csv --output hosts.csv
`;

/** The options that set an `apiAtlas.*` setting, by name: the names are the settings table's (SETTINGS_TABLE `flag`). */
export const SETTING_FLAGS: ReadonlyMap<string, keyof Settings> = new Map(
  SETTING_KEYS.flatMap((key) => {
    const flag = SETTINGS_TABLE[key].flag;
    return flag === null ? [] : [[flag, key] as const];
  }),
);

/** Options of the command line itself, which set no setting. */
type ValueFlag = 'format' | 'fail-on' | 'output' | 'baseline' | 'write-baseline' | 'changed-since' | 'cache-location';
const VALUE_FLAGS: readonly ValueFlag[] = ['format', 'fail-on', 'output', 'baseline', 'write-baseline', 'changed-since', 'cache-location'];
const COMMANDS = ['scan', 'hosts', 'mcp'];
const SWITCHES = ['no-color', 'no-cache', 'verbose', 'help', 'version'] as const;
/** Every option, with its `--`: the command line's own and the settings table's. */
export const KNOWN_FLAGS = [...VALUE_FLAGS, ...SETTING_FLAGS.keys(), ...SWITCHES].map((f) => `--${f}`);

export function parseArgs(argv: readonly string[]): CliRequest {
  const args = [...argv];
  if (args.length === 0) return { kind: 'help' };
  if (args.some((a) => a === '-h' || a === '--help')) return { kind: 'help' };
  if (args[0] === 'help') return { kind: 'help' };
  if (args[0] === '-v' || args[0] === '--version' || args[0] === 'version') return { kind: 'version' };
  const command = args[0];
  if (!COMMANDS.includes(command)) {
    const hint = command.startsWith('-') ? unknownFlag(command) : `unknown command "${command}"; the commands are ${COMMANDS.join(', ')}`;
    return { kind: 'error', message: hint };
  }

  const scan: ScanRequest = {
    paths: [],
    format: 'table',
    failOn: null,
    includeTests: false,
    include: [],
    exclude: [],
    maxFileSizeKB: null,
    noColor: false,
    output: null,
    verbose: false,
    baseline: null,
    writeBaseline: null,
    changedSince: null,
    cache: true,
    cacheLocation: null,
  };
  // hosts takes its own formats; it is parsed as a scan and checked afterwards.
  let hostsFormat: HostsFormat = 'table';
  let onlyPaths = false;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      scan.paths.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = (eq === -1 ? arg : arg.slice(0, eq)).replace(/^--/, '');
    const inline = eq === -1 ? null : arg.slice(eq + 1);

    const setting = arg.startsWith('--') ? SETTING_FLAGS.get(name) : undefined;
    if (setting !== undefined && SETTINGS_TABLE[setting].type === 'boolean') {
      if (inline !== null) return { kind: 'error', message: `--${name} takes no value` };
      const problem = applySetting(scan, setting, name, null);
      if (problem) return { kind: 'error', message: problem };
      continue;
    }
    if (name === 'no-color' || name === 'no-cache' || name === 'verbose' || name === 'version') {
      if (inline !== null) return { kind: 'error', message: `--${name} takes no value` };
      if (name === 'no-color') scan.noColor = true;
      else if (name === 'no-cache') scan.cache = false;
      else if (name === 'verbose') scan.verbose = true;
      else return { kind: 'version' };
      continue;
    }
    if (setting === undefined && (!arg.startsWith('--') || !(VALUE_FLAGS as readonly string[]).includes(name))) return { kind: 'error', message: unknownFlag(arg) };

    let value = inline;
    if (value === null) {
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) return { kind: 'error', message: `--${name} needs a value` };
      value = next;
      i++;
    }
    if (command !== 'scan' && SCAN_ONLY_FLAGS.includes(name)) return { kind: 'error', message: `--${name} applies to "scan" only` };
    if (command === 'hosts' && name === 'format') {
      if (!(HOSTS_FORMATS as readonly string[]).includes(value)) return { kind: 'error', message: `unknown hosts format "${value}"; use one of ${HOSTS_FORMATS.join(', ')}` };
      hostsFormat = value as HostsFormat;
      continue;
    }
    const problem = setting !== undefined ? applySetting(scan, setting, name, value) : applyValue(scan, name as ValueFlag, value);
    if (problem) return { kind: 'error', message: problem };
  }
  if (scan.paths.length === 0) scan.paths.push('.');
  if (command === 'hosts') {
    const { format: _format, failOn: _failOn, baseline: _baseline, writeBaseline: _write, changedSince: _since, ...rest } = scan;
    return { kind: 'hosts', hosts: { ...rest, format: hostsFormat } };
  }
  if (command === 'mcp') {
    if (scan.paths.length > 1) return { kind: 'error', message: 'mcp serves one workspace folder; give one PATH' };
    if (scan.output !== null || scan.format !== 'table') return { kind: 'error', message: 'mcp answers over stdio; --format and --output do not apply' };
    return { kind: 'mcp', scan };
  }
  return { kind: 'scan', scan };
}

const SCAN_ONLY_FLAGS: readonly string[] = ['fail-on', 'baseline', 'write-baseline', 'changed-since'];

/** Sets one flag's value on the request; returns a message when the value is not allowed. */
function applyValue(scan: ScanRequest, flag: ValueFlag, value: string): string | null {
  switch (flag) {
    case 'format':
      if (!(FORMATS as readonly string[]).includes(value)) return `unknown format "${value}"; use one of ${FORMATS.join(', ')}`;
      scan.format = value as Format;
      return null;
    case 'fail-on':
      if (!(FAIL_ON as readonly string[]).includes(value)) return `--fail-on must be one of ${FAIL_ON.join(', ')}, not "${value}"`;
      scan.failOn = value as ScanRequest['failOn'];
      return null;
    case 'cache-location':
      if (value.trim() === '') return '--cache-location needs a folder';
      scan.cacheLocation = value;
      return null;
    case 'output':
      if (value.trim() === '') return '--output needs a file name';
      scan.output = value;
      return null;
    case 'baseline':
    case 'write-baseline':
      if (value.trim() === '') return `--${flag} needs a file name`;
      scan[flag === 'baseline' ? 'baseline' : 'writeBaseline'] = value;
      return null;
    case 'changed-since':
      if (value.trim() === '' || value.startsWith('-')) return '--changed-since needs a git ref, e.g. origin/main';
      scan.changedSince = value;
      return null;
  }
}

/**
 * Sets what a setting's option overrides on the request (`value` is null for a switch); returns a message when the
 * value is not allowed, or when the table gives a setting an option this parser does not read yet.
 */
function applySetting(scan: ScanRequest, setting: keyof Settings, flag: string, value: string | null): string | null {
  switch (setting) {
    case 'includeTests':
      scan.includeTests = true;
      return null;
    case 'include':
    case 'exclude':
      if (value === null || value.trim() === '') return `--${flag} needs a glob, e.g. --${flag} "legacy/**"`;
      scan[setting].push(value.trim());
      return null;
    case 'maxFileSizeKB': {
      const kb = Number(value);
      if (value === null || value.trim() === '' || !Number.isFinite(kb) || kb <= 0) return `--${flag} must be a positive number of kilobytes, not "${value ?? ''}"`;
      scan.maxFileSizeKB = kb;
      return null;
    }
    default:
      return `--${flag} would set apiAtlas.${setting}, which the command line does not read yet`;
  }
}

function unknownFlag(arg: string): string {
  const name = arg.split('=')[0];
  const close = KNOWN_FLAGS.map((f) => ({ f, d: editDistance(name, f) })).sort((a, b) => a.d - b.d)[0];
  return close && close.d <= 3 ? `unknown option ${name}; did you mean ${close.f}?` : `unknown option ${name}`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
