// The CLI's setting options agree with the settings table: each key the table gives an option is parsed, documented and sets that key; no other option sets a setting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KNOWN_FLAGS, parseArgs, SETTING_FLAGS, USAGE } from '../../src/cli/args';
import { applyFlags } from '../../src/cli/contract';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/model';
import { SETTINGS_TABLE, type SettingSpec } from '../../src/core/settings';

/** A value each kind of option accepts: none for a switch, a glob or file name for most, a level for --fail-on, a size for a number. */
const SAMPLE_VALUES: readonly (readonly string[])[] = [[], ['json'], ['error'], ['7']];

/** The request for `api-atlas scan <option> [value]`, with the first sample value the option accepts; or why none. */
function parsedWith(option: string): { settings: Settings } | { error: string } {
  let error = '';
  for (const value of SAMPLE_VALUES) {
    const parsed = parseArgs(['scan', option, ...value]);
    if (parsed.kind === 'scan') return { settings: applyFlags(DEFAULT_SETTINGS, parsed.scan) };
    error = parsed.kind === 'error' ? parsed.message : parsed.kind;
  }
  return { error };
}

/** The settings keys whose value differs from the defaults. */
function changedKeys(settings: Settings): string[] {
  return Object.keys(DEFAULT_SETTINGS).filter((key) => JSON.stringify(settings[key as keyof Settings]) !== JSON.stringify(DEFAULT_SETTINGS[key as keyof Settings]));
}

/** Where src/cli/args.ts (its parser, --help and the settings it sets) and `table` disagree, one line per problem. */
function flagProblems(table: Readonly<Record<keyof Settings, SettingSpec>>): string[] {
  const problems: string[] = [];
  const tableFlags = new Set<string>();
  for (const [key, spec] of Object.entries(table)) {
    if (spec.flag === null) continue;
    tableFlags.add(spec.flag);
    const option = `--${spec.flag}`;
    if (!new RegExp(`^ {2}${option}\\b`, 'm').test(USAGE)) problems.push(`${key}: --help does not document ${option}`);
    const parsed = parsedWith(option);
    if ('error' in parsed) {
      problems.push(`${key}: ${option} is not read: ${parsed.error}`);
      continue;
    }
    const changed = changedKeys(parsed.settings);
    if (JSON.stringify(changed) !== JSON.stringify([key])) problems.push(`${key}: ${option} sets ${changed.join(', ') || 'no setting'}`);
  }
  for (const option of KNOWN_FLAGS) {
    if (tableFlags.has(option.slice(2)) || option === '--help' || option === '--version') continue;
    const parsed = parsedWith(option);
    if ('error' in parsed) {
      problems.push(`${option} is not read: ${parsed.error}`);
      continue;
    }
    const changed = changedKeys(parsed.settings);
    if (changed.length > 0) problems.push(`${option} sets ${changed.join(', ')}, which the table gives no option`);
  }
  return problems;
}

test('the setting options of the command line are the settings table’s: parsed, documented, and each sets its own key only', () => {
  assert.deepEqual(flagProblems(SETTINGS_TABLE), []);
  assert.deepEqual(
    [...SETTING_FLAGS],
    [
      ['include', 'include'],
      ['exclude', 'exclude'],
      ['max-file-size', 'maxFileSizeKB'],
      ['include-tests', 'includeTests'],
    ],
  );
  for (const flag of SETTING_FLAGS.keys()) assert.ok(KNOWN_FLAGS.includes(`--${flag}`), `--${flag} is a known option (for "did you mean")`);
});

test('the check notices an option the table names that the CLI does not read, and an option that sets a key the table gives none', () => {
  const planted: Record<keyof Settings, SettingSpec> = {
    ...SETTINGS_TABLE,
    wrappers: { ...SETTINGS_TABLE.wrappers, flag: 'wrapper' },
    exclude: { ...SETTINGS_TABLE.exclude, flag: 'ignore' },
    includeTests: { ...SETTINGS_TABLE.includeTests, flag: null },
  };
  assert.deepEqual(flagProblems(planted), [
    'exclude: --help does not document --ignore',
    'exclude: --ignore is not read: unknown option --ignore',
    'wrappers: --help does not document --wrapper',
    'wrappers: --wrapper is not read: unknown option --wrapper',
    '--exclude sets exclude, which the table gives no option',
    '--include-tests sets includeTests, which the table gives no option',
  ]);
});
