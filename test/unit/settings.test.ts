// Settings shared by the CLI and the extension: JSONC file reading, validation and merging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanWorkspace } from '../../src/core/index';
import { loadSettings, mergeSettings, normalizeSettings } from '../../src/core/settings';
import { DEFAULT_SETTINGS } from '../../src/core/model';

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
