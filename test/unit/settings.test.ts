// Settings shared by the CLI and the extension: JSONC file reading, validation and merging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanWorkspace } from '../../src/core/index';
import { loadSettings, mergeSettings, normalizeSettings, RULE_SETTINGS, SETTINGS_TABLE, SETTING_KEYS, type SettingSpec } from '../../src/core/settings';
import { DEFAULT_SETTINGS, RULE_IDS, RUNTIMES } from '../../src/core/model';
import { RULES } from '../../src/core/rules';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'bad-input');

test('loadSettings reads apiAtlas.* keys from a .vscode/settings.json with comments and trailing commas', () => {
  const { settings, warnings } = loadSettings(FIXTURE);
  assert.deepEqual(settings.rules, { 'no-timeout': 'off', 'cross-origin': 'warning' });
  assert.equal(settings.maxFileSizeKB, 64);
  assert.deepEqual(settings.runtimeOverrides, { 'src/shared/**': 'isomorphic' });
  assert.deepEqual(settings.wrappers, ['shopifyFetch', 'api.get']);
  assert.equal(settings.includeTests, false, 'a non-boolean includeTests keeps the default');
  assert.ok(warnings.some((w) => w.includes('unknown rule "made-up-rule"')));
  assert.ok(warnings.some((w) => w.includes('"src/x/**" must map to one of')));
  assert.ok(warnings.some((w) => w.includes('includeTests must be true or false')));
});

test('loadSettings without a settings file gives the defaults and no warnings', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-settings-'));
  try {
    assert.deepEqual(loadSettings(dir), { settings: { ...DEFAULT_SETTINGS }, warnings: [] });
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{ "apiAtlas": { "exclude": ["legacy/**"] }, "apiAtlas.includeTests": true, ');
    const { settings, warnings } = loadSettings(dir);
    assert.deepEqual(settings.exclude, ['legacy/**'], 'nested apiAtlas object is read');
    assert.equal(settings.includeTests, true);
    assert.equal(warnings.length, 1, 'the broken JSON is reported once');
    assert.match(warnings[0], /settings\.json:1: /);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('normalizeSettings drops malformed values with a warning naming the key', () => {
  const { settings, warnings } = normalizeSettings({ include: 'src/**', maxFileSizeKB: -1, rules: [], wrappers: ['ok', 3] });
  assert.deepEqual(settings.include, []);
  assert.equal(settings.maxFileSizeKB, DEFAULT_SETTINGS.maxFileSizeKB);
  assert.deepEqual(settings.wrappers, ['ok']);
  assert.equal(warnings.length, 4);
  assert.ok(warnings.every((w) => w.startsWith('apiAtlas.')));
});

test('an empty runtimeOverrides glob is dropped with a warning, and a scan with the rest still runs', async () => {
  const { settings, warnings } = normalizeSettings({ runtimeOverrides: { '': 'frontend', 'src/**': 'backend' } });
  assert.deepEqual(settings.runtimeOverrides, { 'src/**': 'backend' });
  assert.deepEqual(warnings, ['apiAtlas.runtimeOverrides: an empty glob matches no file; ignored.']);
  const result = await scanWorkspace(path.join(__dirname, '..', 'fixtures', 'detect-sfc'), settings, { workers: 0 });
  assert.ok(result.calls.length > 0);
  assert.ok(result.calls.every((c) => c.runtime === 'backend'), 'the remaining override applies');
});

test('mergeSettings lets flags override file settings and merges per-rule severities', () => {
  const base = normalizeSettings({ rules: { 'no-timeout': 'off' }, exclude: ['a/**'] }).settings;
  const merged = mergeSettings(base, { includeTests: true, rules: { polling: 'warning' }, exclude: ['b/**'] });
  assert.deepEqual(merged.rules, { 'no-timeout': 'off', polling: 'warning' });
  assert.deepEqual(merged.exclude, ['b/**']);
  assert.equal(merged.includeTests, true);
});

interface ConfigProperty {
  type?: string;
  default?: unknown;
  properties?: Record<string, { enum?: string[]; markdownDescription?: string }>;
  additionalProperties?: boolean | { enum?: string[] };
}

/** What package.json's `contributes.configuration` says that disagrees with the settings table, one line per problem. */
function configurationProblems(properties: Record<string, ConfigProperty>, table: Readonly<Record<string, SettingSpec>>): string[] {
  const problems: string[] = [];
  const declared = Object.keys(properties).map((k) => k.replace(/^apiAtlas\./, ''));
  if (JSON.stringify([...declared].sort()) !== JSON.stringify(Object.keys(table).sort())) problems.push(`keys: package.json has ${declared.join(', ')}; the table has ${Object.keys(table).join(', ')}`);
  for (const [key, spec] of Object.entries(table)) {
    const prop = properties[`apiAtlas.${key}`];
    if (!prop) continue;
    if (prop.type !== spec.type) problems.push(`${key}: type ${prop.type}, table ${spec.type}`);
    if (JSON.stringify(prop.default) !== JSON.stringify(spec.default)) problems.push(`${key}: default ${JSON.stringify(prop.default)}, table ${JSON.stringify(spec.default)}`);
  }
  const rules = properties['apiAtlas.rules']?.properties ?? {};
  if (JSON.stringify(Object.keys(rules)) !== JSON.stringify(RULE_IDS)) problems.push(`rules: package.json lists ${Object.keys(rules).join(', ')}`);
  for (const [rule, prop] of Object.entries(rules)) {
    if (JSON.stringify(prop.enum) !== JSON.stringify(table.rules.values)) problems.push(`rules.${rule}: enum ${JSON.stringify(prop.enum)}`);
    const info = RULES[rule as keyof typeof RULES];
    if (info && !prop.markdownDescription?.includes(`Default: \`${info.defaultSeverity}\``)) problems.push(`rules.${rule}: the description does not give the default severity ${info.defaultSeverity}`);
  }
  const overrides = properties['apiAtlas.runtimeOverrides']?.additionalProperties;
  const overrideEnum = typeof overrides === 'object' ? overrides.enum : undefined;
  if (JSON.stringify(overrideEnum) !== JSON.stringify(table.runtimeOverrides.values)) problems.push(`runtimeOverrides: enum ${JSON.stringify(overrideEnum)}`);
  return problems;
}

const PACKAGE_PROPERTIES = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, ConfigProperty> } } }).contributes.configuration.properties;

test('package.json contributes.configuration agrees with the settings table: keys, types, defaults, enums, rules and their default severities', () => {
  assert.deepEqual(configurationProblems(PACKAGE_PROPERTIES, SETTINGS_TABLE), []);
  assert.deepEqual(SETTING_KEYS, Object.keys(DEFAULT_SETTINGS));
  assert.deepEqual(SETTINGS_TABLE.rules.values, RULE_SETTINGS);
  assert.deepEqual(SETTINGS_TABLE.runtimeOverrides.values, RUNTIMES);
});

test('the configuration check notices a missing key, a changed default, a wrong enum and a wrong default severity', () => {
  const broken = structuredClone(PACKAGE_PROPERTIES);
  delete broken['apiAtlas.wrappers'];
  broken['apiAtlas.maxFileSizeKB'].default = 2048;
  broken['apiAtlas.rules'].properties!['no-timeout'].enum = ['error', 'off'];
  broken['apiAtlas.rules'].properties!['client-secret'].markdownDescription = 'Default: `warning`.';
  const problems = configurationProblems(broken, SETTINGS_TABLE);
  assert.equal(problems.length, 4, problems.join('\n'));
});

test('apiAtlas.clients: a well-formed library entry is kept, a malformed one is dropped with a sentence naming it', () => {
  const acme = { id: 'acme-http', packages: ['@acme/http'], exports: { createHttp: { is: 'factory', client: { callable: { url: 0, options: 1 }, options: { baseURL: ['base'] } } } } };
  const { settings, warnings } = normalizeSettings({ clients: [acme, { id: 'broken', packages: [] }, { id: 'odd', packages: ['x'], exports: { y: { is: 'magic' } } }] });
  assert.deepEqual(settings.clients.map((c) => c.id), ['acme-http']);
  assert.equal(settings.clients[0].runsOn, 'fetch', 'runsOn defaults to fetch');
  assert.deepEqual(warnings, [
    'apiAtlas.clients: "broken": "packages" must be a non-empty list of import sources; that entry is ignored.',
    'apiAtlas.clients: "odd".y: "is" must be "client", "factory", "request" or "endpoints"; that entry is ignored.',
  ]);
  assert.deepEqual(normalizeSettings({ clients: 'ky' }).warnings, ['apiAtlas.clients must be a list of library entries; ignored.']);
});
