// Reads and validates the `apiAtlas.*` settings (docs/design.md §8) for the CLI and the extension alike.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { validateLibraryModel } from '../model/libraries';
import { DEFAULT_SETTINGS, RULE_IDS, RUNTIMES, type RuleId, type RuleSetting, type Runtime, type Settings } from '../model/types';
import { RULE_SETTINGS } from './table';
const PREFIX = 'apiAtlas.';

export interface SettingsResult {
  settings: Settings;
  /** One sentence per ignored or malformed value, naming the key. */
  warnings: string[];
}

/** Validates raw values (keys without the `apiAtlas.` prefix); bad values are dropped with a warning, never thrown. */
export function normalizeSettings(raw: Record<string, unknown>): SettingsResult {
  const warnings: string[] = [];
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    include: [],
    exclude: [],
    rules: {},
    runtimeOverrides: {},
    wrappers: [],
    clients: [],
  };

  const stringList = (key: 'include' | 'exclude' | 'wrappers'): void => {
    const value = raw[key];
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      warnings.push(`${PREFIX}${key} must be a list of strings; ignored.`);
      return;
    }
    for (const item of value) {
      if (typeof item === 'string' && item.trim() !== '') settings[key].push(item.trim());
      else warnings.push(`${PREFIX}${key} has a value that is not a string (${JSON.stringify(item)}); ignored.`);
    }
  };
  stringList('include');
  stringList('exclude');
  stringList('wrappers');

  if (raw.clients !== undefined) {
    if (!Array.isArray(raw.clients)) warnings.push(`${PREFIX}clients must be a list of library entries; ignored.`);
    else {
      for (const entry of raw.clients) {
        const model = validateLibraryModel(entry);
        if (typeof model === 'string') warnings.push(`${PREFIX}clients: ${model}; that entry is ignored.`);
        else settings.clients.push(model);
      }
    }
  }

  if (raw.maxFileSizeKB !== undefined) {
    const value = raw.maxFileSizeKB;
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) settings.maxFileSizeKB = value;
    else warnings.push(`${PREFIX}maxFileSizeKB must be a positive number; using ${DEFAULT_SETTINGS.maxFileSizeKB}.`);
  }

  if (raw.includeTests !== undefined) {
    if (typeof raw.includeTests === 'boolean') settings.includeTests = raw.includeTests;
    else warnings.push(`${PREFIX}includeTests must be true or false; ignored.`);
  }

  if (raw.rules !== undefined) {
    if (!isPlainObject(raw.rules)) {
      warnings.push(`${PREFIX}rules must be an object like { "no-timeout": "off" }; ignored.`);
    } else {
      for (const [rule, severity] of Object.entries(raw.rules)) {
        if (!(RULE_IDS as readonly string[]).includes(rule)) {
          warnings.push(`${PREFIX}rules: unknown rule "${rule}" (known: ${RULE_IDS.join(', ')}); ignored.`);
        } else if (typeof severity !== 'string' || !(RULE_SETTINGS as readonly string[]).includes(severity)) {
          warnings.push(`${PREFIX}rules: "${rule}" must be one of ${RULE_SETTINGS.join(', ')}; ignored.`);
        } else {
          settings.rules[rule as RuleId] = severity as RuleSetting;
        }
      }
    }
  }

  if (raw.runtimeOverrides !== undefined) {
    if (!isPlainObject(raw.runtimeOverrides)) {
      warnings.push(`${PREFIX}runtimeOverrides must be an object of glob → runtime; ignored.`);
    } else {
      for (const [glob, runtime] of Object.entries(raw.runtimeOverrides)) {
        if (glob.trim() === '') {
          // The glob matcher refuses an empty pattern, which would fail every scan.
          warnings.push(`${PREFIX}runtimeOverrides: an empty glob matches no file; ignored.`);
        } else if (typeof runtime === 'string' && (RUNTIMES as readonly string[]).includes(runtime)) {
          settings.runtimeOverrides[glob] = runtime as Runtime;
        } else {
          warnings.push(`${PREFIX}runtimeOverrides: "${glob}" must map to one of ${RUNTIMES.join(', ')}; ignored.`);
        }
      }
    }
  }

  return { settings, warnings };
}

/**
 * Reads the `apiAtlas.*` keys of `<root>/.vscode/settings.json` (JSON with comments), as VS Code would:
 * flat dotted keys (`"apiAtlas.rules": {...}`) or a nested `"apiAtlas": {...}` object.
 */
export function loadSettings(root: string): SettingsResult {
  const file = path.join(root, '.vscode', 'settings.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return normalizeSettings({});
    return { ...normalizeSettings({}), warnings: [`Could not read ${file}: ${(err as Error).message}; using default settings.`] };
  }
  const errors: ParseError[] = [];
  const parsed: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  const warnings: string[] = [];
  if (errors.length > 0) {
    const first = errors[0];
    const line = text.slice(0, first.offset).split('\n').length;
    warnings.push(`${file}:${line}: ${printParseErrorCode(first.error)}; settings read as far as they parse.`);
  }
  if (!isPlainObject(parsed)) return { ...normalizeSettings({}), warnings };
  const raw: Record<string, unknown> = {};
  const nested = parsed.apiAtlas;
  if (isPlainObject(nested)) Object.assign(raw, nested);
  for (const [key, value] of Object.entries(parsed)) {
    if (key.startsWith(PREFIX)) raw[key.slice(PREFIX.length)] = value;
  }
  const result = normalizeSettings(raw);
  return { settings: result.settings, warnings: [...warnings, ...result.warnings] };
}

/** Later values win; lists are replaced, objects (rules, overrides) are merged key by key. */
export function mergeSettings(base: Settings, override: Partial<Settings>): Settings {
  return {
    ...base,
    ...override,
    rules: { ...base.rules, ...(override.rules ?? {}) },
    runtimeOverrides: { ...base.runtimeOverrides, ...(override.runtimeOverrides ?? {}) },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
