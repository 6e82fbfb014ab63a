// The one table of `apiAtlas.*` settings: each key's type, default, allowed values and command-line option, from which the extension's key list and the CLI's setting options come and against which package.json is checked.
import { DEFAULT_SETTINGS, RUNTIMES, type RuleSetting, type Settings } from '../model/types';

/** What a rule can be set to in `apiAtlas.rules`. */
export const RULE_SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'info', 'off'];

export interface SettingSpec {
  /** The JSON type of the value, as `contributes.configuration` declares it. */
  type: 'array' | 'number' | 'boolean' | 'object';
  default: unknown;
  /** For object settings: the values each entry may take (`rules`: severities, `runtimeOverrides`: runtimes). */
  values?: readonly string[];
  /**
   * The `api-atlas` option that sets this key, without `--` (a boolean's is a switch that turns it on, a list's adds
   * to the file's entries, a number's replaces it), or null when the key is read from `.vscode/settings.json` only.
   * Required, so a new setting says which; test/unit/cli-settings.test.ts checks src/cli/args.ts against it.
   */
  flag: string | null;
}

export const SETTINGS_TABLE: Readonly<Record<keyof Settings, SettingSpec>> = Object.freeze({
  include: { type: 'array', default: DEFAULT_SETTINGS.include, flag: 'include' },
  exclude: { type: 'array', default: DEFAULT_SETTINGS.exclude, flag: 'exclude' },
  maxFileSizeKB: { type: 'number', default: DEFAULT_SETTINGS.maxFileSizeKB, flag: 'max-file-size' },
  rules: { type: 'object', default: DEFAULT_SETTINGS.rules, values: RULE_SETTINGS, flag: null },
  runtimeOverrides: { type: 'object', default: DEFAULT_SETTINGS.runtimeOverrides, values: RUNTIMES, flag: null },
  wrappers: { type: 'array', default: DEFAULT_SETTINGS.wrappers, flag: null },
  clients: { type: 'array', default: DEFAULT_SETTINGS.clients, flag: null },
  includeTests: { type: 'boolean', default: DEFAULT_SETTINGS.includeTests, flag: 'include-tests' },
});

/** Every settings key, without the `apiAtlas.` prefix, in the table's order. */
export const SETTING_KEYS = Object.keys(SETTINGS_TABLE) as readonly (keyof Settings)[];
