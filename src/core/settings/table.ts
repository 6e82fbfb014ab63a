// The one table of `apiAtlas.*` settings: each key's type, default and allowed values, from which the extension's key list comes and against which package.json is checked.
import { DEFAULT_SETTINGS, RUNTIMES, type RuleSetting, type Settings } from '../model/types';

/** What a rule can be set to in `apiAtlas.rules`. */
export const RULE_SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'info', 'off'];

export interface SettingSpec {
  /** The JSON type of the value, as `contributes.configuration` declares it. */
  type: 'array' | 'number' | 'boolean' | 'object';
  default: unknown;
  /** For object settings: the values each entry may take (`rules`: severities, `runtimeOverrides`: runtimes). */
  values?: readonly string[];
}

export const SETTINGS_TABLE: Readonly<Record<keyof Settings, SettingSpec>> = Object.freeze({
  include: { type: 'array', default: DEFAULT_SETTINGS.include },
  exclude: { type: 'array', default: DEFAULT_SETTINGS.exclude },
  maxFileSizeKB: { type: 'number', default: DEFAULT_SETTINGS.maxFileSizeKB },
  rules: { type: 'object', default: DEFAULT_SETTINGS.rules, values: RULE_SETTINGS },
  runtimeOverrides: { type: 'object', default: DEFAULT_SETTINGS.runtimeOverrides, values: RUNTIMES },
  wrappers: { type: 'array', default: DEFAULT_SETTINGS.wrappers },
  clients: { type: 'array', default: DEFAULT_SETTINGS.clients },
  includeTests: { type: 'boolean', default: DEFAULT_SETTINGS.includeTests },
});

/** Every settings key, without the `apiAtlas.` prefix, in the table's order. */
export const SETTING_KEYS = Object.keys(SETTINGS_TABLE) as readonly (keyof Settings)[];
