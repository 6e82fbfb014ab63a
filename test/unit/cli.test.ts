// The api-atlas command: argument parsing, settings and flags, exit codes, output files; in-process and through dist/cli.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from '../../src/cli/args';
import { combineResults, commonAncestor, dedupeRoots } from '../../src/cli/combine';
import { docsBaseFromPackage, docsBaseFromRepository, githubLinkBase, projectLinkBase, runCli, terminalWidth, type CliEngine, type CliStreams } from '../../src/cli/run';
import { createProgress } from '../../src/cli/progress';
import { loadSettings } from '../../src/core/settings';
import { cacheFileFor } from '../../src/core/index';
import type { Call, ScanResult, Settings } from '../../src/core/model';

// ---- helpers --------------------------------------------------------------------------------------------------

function tempWorkspace(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-cli-')));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

class Capture {
  text = '';
  constructor(public isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

function streams(cwd: string, env: Record<string, string> = {}, tty = false): CliStreams & { stdout: Capture; stderr: Capture } {
  return { stdout: new Capture(tty), stderr: new Capture(tty), env, cwd };
}

function aCall(file: string, severity: 'error' | 'warning' | 'info' | null, silenced = false): Call {
  return {
    id: `${file}:1`,
    file,
    range: { start: { line: 1, column: 1 }, end: { line: 1, column: 10 } },
    client: 'fetch',
    method: 'GET',
    url: { text: "'/api/x'", template: '/api/x', host: null, kind: 'relative' },
    runtime: 'frontend',
    context: 'spa',
    confidence: 0.8,
    evidence: [],
    findings: severity ? [{ rule: 'cross-origin', severity, message: 'Calls another origin.', topics: ['cors'], silenced }] : [],
  };
}

/** An engine that returns canned calls per root and records the settings it was given. */
function fakeEngine(callsByRoot: (root: string) => Call[]): CliEngine & { seen: { root: string; settings: Settings }[] } {
  const seen: { root: string; settings: Settings }[] = [];
  return {
    version: '9.9.9',
    seen,
    loadSettings,
    async scanRoot(root, settings, options): Promise<ScanResult> {
      seen.push({ root, settings });
      options.onProgress(1, 2);
      options.onProgress(2, 2);
      const calls = callsByRoot(root);
      return { tool: 'api-atlas', version: '9.9.9', root, calls, stats: { filesSeen: 2, filesParsed: 1, calls: calls.length, durationMs: 5, skipped: [] } };
    },
  };
}

// ---- argument parsing ------------------------------------------------------------------------------------------

test('parseArgs reads every flag, in both --flag value and --flag=value forms', () => {
  const parsed = parseArgs(['scan', 'apps/web', '--format=sarif', '--fail-on', 'warning', '--include-tests', '--exclude', 'legacy/**', '--exclude=**/*.gen.ts', '--include', 'vendor/sdk/**', '--max-file-size', '256', '--no-color', '--output', 'out.sarif', '--verbose', '--no-cache', '--cache-location=.atlas-cache', 'apps/api']);
  assert.deepEqual(parsed, {
    kind: 'scan',
    scan: {
      paths: ['apps/web', 'apps/api'],
      format: 'sarif',
      failOn: 'warning',
      includeTests: true,
      include: ['vendor/sdk/**'],
      exclude: ['legacy/**', '**/*.gen.ts'],
      maxFileSizeKB: 256,
      noColor: true,
      output: 'out.sarif',
      verbose: true,
      baseline: null,
      writeBaseline: null,
      changedSince: null,
      cache: false,
      cacheLocation: '.atlas-cache',
    },
  });
  const defaults = parseArgs(['scan']);
  assert.equal(defaults.kind, 'scan');
  assert.deepEqual(defaults.kind === 'scan' && defaults.scan.paths, ['.'], 'PATH defaults to the current folder');
  assert.deepEqual(defaults.kind === 'scan' && defaults.scan.format, 'table');
});

test('parseArgs rejects bad input with a message that says what to do', () => {
  const message = (argv: string[]): string => {
    const r = parseArgs(argv);
    assert.equal(r.kind, 'error', `${argv.join(' ')} is an error`);
    return r.kind === 'error' ? r.message : '';
  };
  assert.match(message(['scan', '--format', 'xml']), /unknown format "xml"; use one of table, json, sarif, markdown/);
  assert.match(message(['scan', '--fail-on', 'info']), /--fail-on must be one of error, warning/);
  assert.match(message(['scan', '--max-file-size', 'big']), /positive number of kilobytes/);
  assert.match(message(['scan', '--max-file-size', '-3']), /positive number/);
  assert.match(message(['scan', '--fromat', 'json']), /unknown option --fromat; did you mean --format\?/);
  assert.match(message(['scan', '--format']), /--format needs a value/);
  assert.match(message(['scan', '--output', '--no-color']), /--output needs a value/);
  assert.match(message(['scna']), /unknown command "scna"/);
  assert.match(message(['scan', '--no-color=yes']), /takes no value/);
  assert.deepEqual(parseArgs(['--help']), { kind: 'help' });
  assert.deepEqual(parseArgs(['scan', '-h']), { kind: 'help' });
  assert.deepEqual(parseArgs(['--version']), { kind: 'version' });
  const afterDashes = parseArgs(['scan', '--', '--weird-folder']);
  assert.deepEqual(afterDashes.kind === 'scan' ? afterDashes.scan.paths : null, ['--weird-folder'], 'after -- everything is a path');
});

// ---- in-process runs -------------------------------------------------------------------------------------------

test('settings come from .vscode/settings.json of the scanned root; flags override and add to them', async () => {
  const root = tempWorkspace({
    '.vscode/settings.json': '{\n  // comments are fine\n  "apiAtlas.exclude": ["legacy/**"],\n  "apiAtlas.maxFileSizeKB": 64,\n  "apiAtlas.rules": { "no-timeout": "off" },\n}',
  });
  try {
    const engine = fakeEngine(() => []);
    assert.equal(await runCli(['scan', '.', '--exclude', 'gen/**', '--max-file-size', '8', '--include-tests'], streams(root), engine), 0);
    const { settings } = engine.seen[0];
    assert.deepEqual(settings.exclude, ['legacy/**', 'gen/**'], 'flag globs are added to the settings globs');
    assert.equal(settings.maxFileSizeKB, 8, 'the flag wins');
    assert.equal(settings.includeTests, true);
    assert.deepEqual(settings.rules, { 'no-timeout': 'off' }, 'rule severities come from the settings file');

    const plain = fakeEngine(() => []);
    await runCli(['scan'], streams(root), plain);
    assert.equal(plain.seen[0].settings.maxFileSizeKB, 64, 'without the flag the settings value is used');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a broken settings file is a warning on stderr and the scan goes on', async () => {
  const root = tempWorkspace({ '.vscode/settings.json': '{ "apiAtlas.rules": { "made-up": "off" }, ' });
  try {
    const io = streams(root);
    assert.equal(await runCli(['scan', '--format', 'json'], io, fakeEngine(() => [aCall('a.ts', null)])), 0);
    assert.match(io.stderr.text, /api-atlas: warning: .*settings\.json:1:/);
    assert.match(io.stderr.text, /unknown rule "made-up"/);
    assert.equal((JSON.parse(io.stdout.text) as ScanResult).calls.length, 1);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('exit codes: 0 done, 1 when --fail-on is met by a non-silenced finding, 2 for usage errors and missing paths', async () => {
  const root = tempWorkspace({ 'a.ts': '' });
  try {
    const warningOnly = (): Call[] => [aCall('a.ts', 'warning'), aCall('b.ts', 'error', true)];
    assert.equal(await runCli(['scan'], streams(root), fakeEngine(warningOnly)), 0, 'findings alone do not fail');
    assert.equal(await runCli(['scan', '--fail-on', 'warning'], streams(root), fakeEngine(warningOnly)), 1);
    assert.equal(await runCli(['scan', '--fail-on', 'error'], streams(root), fakeEngine(warningOnly)), 0, 'a silenced error does not count');

    const missing = streams(root);
    assert.equal(await runCli(['scan', 'nope'], missing, fakeEngine(warningOnly)), 2);
    assert.match(missing.stderr.text, /path not found: nope/);
    assert.equal(missing.stdout.text, '', 'nothing is printed as a result');

    const file = streams(root);
    assert.equal(await runCli(['scan', 'a.ts'], file, fakeEngine(warningOnly)), 2);
    assert.match(file.stderr.text, /a\.ts is a file; scan takes folders/);

    const badFlag = streams(root);
    assert.equal(await runCli(['scan', '--colour'], badFlag, fakeEngine(warningOnly)), 2);
    assert.match(badFlag.stderr.text, /unknown option --colour[\s\S]*api-atlas --help/);

    const failing: CliEngine = { ...fakeEngine(warningOnly), scanRoot: () => Promise.reject(new Error('worker crashed')) };
    const crashed = streams(root);
    assert.equal(await runCli(['scan'], crashed, failing), 2);
    assert.match(crashed.stderr.text, /scanning .* failed: worker crashed/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('--output writes the report to a file and keeps stdout empty; colours only on a TTY without NO_COLOR', async () => {
  const root = tempWorkspace({});
  try {
    const engine = fakeEngine(() => [aCall('a.ts', 'error')]);
    const io = streams(root, {}, true);
    assert.equal(await runCli(['scan', '--format', 'markdown', '--output', 'report.md'], io, engine), 0);
    assert.equal(io.stdout.text, '');
    assert.match(fs.readFileSync(path.join(root, 'report.md'), 'utf8'), /^## API Atlas report/);

    const ESC = '\u001b[';
    const tty = streams(root, {}, true);
    await runCli(['scan'], tty, engine);
    assert.ok(tty.stdout.text.includes(ESC), 'a terminal gets colours');
    assert.ok(tty.stderr.text.includes('2/2 files'), 'and a progress bar on stderr');
    const noColorEnv = streams(root, { NO_COLOR: '1' }, true);
    await runCli(['scan'], noColorEnv, engine);
    assert.ok(!noColorEnv.stdout.text.includes(ESC), 'NO_COLOR turns colours off');
    const noColorFlag = streams(root, {}, true);
    await runCli(['scan', '--no-color'], noColorFlag, engine);
    assert.ok(!noColorFlag.stdout.text.includes(ESC), '--no-color turns colours off');
    const pipe = streams(root);
    await runCli(['scan'], pipe, engine);
    assert.ok(!pipe.stdout.text.includes(ESC) && pipe.stderr.text === '', 'a pipe gets neither colours nor progress');

    const noDir = streams(root);
    assert.equal(await runCli(['scan', '--output', 'missing/dir/report.md'], noDir, engine), 2);
    assert.match(noDir.stderr.text, /cannot write --output/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('several paths are one scan rooted at their common folder, files relative to it; nested roots are scanned once', async () => {
  const root = tempWorkspace({ 'apps/web/.keep': '', 'apps/api/.keep': '' });
  try {
    const engine = fakeEngine((r) => [aCall(path.basename(r) === 'web' ? 'page.tsx' : 'server.ts', null)]);
    const io = streams(root);
    assert.equal(await runCli(['scan', 'apps/web', 'apps/api', 'apps/web/.', '--format', 'json'], io, engine), 0);
    const result = JSON.parse(io.stdout.text) as ScanResult;
    assert.equal(result.root, path.join(root, 'apps'));
    assert.deepEqual(result.calls.map((c) => c.file).sort(), ['api/server.ts', 'web/page.tsx']);
    assert.equal(result.stats.filesSeen, 4);
    assert.equal(engine.seen.length, 2, 'apps/web given twice is scanned once');
    assert.match(io.stderr.text, /given twice/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('combining helpers: common ancestor, nested roots, colliding ids', () => {
  assert.equal(commonAncestor(['/a/b/c', '/a/b/d/e']), '/a/b');
  assert.equal(commonAncestor(['/a/b']), '/a/b');
  assert.deepEqual(dedupeRoots(['/r/apps', '/r/apps/web', '/r/libs']), { roots: ['/r/apps', '/r/libs'], dropped: [{ root: '/r/apps/web', within: '/r/apps' }] });
  const scan = (root: string): ScanResult => ({ tool: 'api-atlas', version: '1', root, calls: [{ ...aCall('x.ts', null), id: 'same' }], stats: { filesSeen: 1, filesParsed: 1, calls: 1, durationMs: 1, skipped: [{ file: 'big.js', reason: 'too large' }] } });
  const combined = combineResults([scan('/r/a'), scan('/r/b')], 10);
  assert.equal(new Set(combined.calls.map((c) => c.id)).size, 2, 'ids stay unique');
  assert.deepEqual(combined.stats.skipped.map((s) => s.file), ['a/big.js', 'b/big.js']);
  assert.equal(combined.stats.durationMs, 10);
});

test('rule pages link into the repository named in package.json; markdown links follow GitHub Actions', () => {
  assert.equal(docsBaseFromRepository({ type: 'git', url: 'git+https://github.com/acme/api-atlas.git' }), 'https://github.com/acme/api-atlas/blob/HEAD/');
  assert.equal(docsBaseFromRepository('github:acme/api-atlas'), 'https://github.com/acme/api-atlas/blob/HEAD/');
  assert.equal(docsBaseFromRepository('git@gitlab.com:acme/atlas.git'), 'https://gitlab.com/acme/atlas/-/blob/HEAD/');
  assert.equal(docsBaseFromRepository(undefined), undefined);
  const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'abc123', GITHUB_WORKSPACE: '/ci/shop' };
  assert.equal(githubLinkBase('/ci/shop/apps/web', env), 'https://github.com/acme/shop/blob/abc123/apps/web/');
  assert.equal(githubLinkBase('/elsewhere', env), undefined);
  assert.equal(githubLinkBase('/ci/shop', {}), undefined);
});

test('rule pages fall back to a homepage; markdown file links come from the scanned project package.json', () => {
  assert.equal(docsBaseFromPackage({ homepage: 'https://github.com/acme/api-atlas#readme' }), 'https://github.com/acme/api-atlas/blob/HEAD/');
  assert.equal(docsBaseFromPackage({ homepage: 'https://atlas.example.dev/' }), 'https://atlas.example.dev/');
  assert.equal(docsBaseFromPackage({ repository: 'github:acme/atlas', homepage: 'https://atlas.example.dev/' }), 'https://github.com/acme/atlas/blob/HEAD/');
  assert.equal(docsBaseFromPackage({ homepage: 'docs/' }), undefined, 'a relative homepage is no base');
  assert.equal(docsBaseFromPackage({}), undefined);

  const root = tempWorkspace({
    'package.json': JSON.stringify({ name: 'shop', repository: { type: 'git', url: 'https://github.com/acme/shop.git', directory: 'apps/store' } }),
    'web/.keep': '',
    'plain/package.json': JSON.stringify({ name: 'plain' }),
  });
  try {
    assert.equal(projectLinkBase(root), 'https://github.com/acme/shop/blob/HEAD/apps/store/');
    assert.equal(projectLinkBase(path.join(root, 'web')), 'https://github.com/acme/shop/blob/HEAD/apps/store/web/', 'a root below the package.json');
    assert.equal(projectLinkBase(path.join(root, 'plain')), undefined, 'the nearest package.json names no repository: no links');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the table fits the terminal: its columns on a TTY, COLUMNS when not a TTY, no limit otherwise', async () => {
  const tty = { isTTY: true, columns: 72, write: () => true };
  assert.equal(terminalWidth({ stdout: tty, env: { COLUMNS: '200' } }), 72, 'a terminal knows its own width');
  assert.equal(terminalWidth({ stdout: { isTTY: false, write: () => true }, env: { COLUMNS: '100' } }), 100);
  assert.equal(terminalWidth({ stdout: { isTTY: false, write: () => true }, env: { COLUMNS: 'wide' } }), undefined);
  assert.equal(terminalWidth({ stdout: { isTTY: false, write: () => true }, env: {} }), undefined);

  const root = tempWorkspace({});
  try {
    const long = (): Call[] => [{ ...aCall('src/features/checkout/components/very/deep/PaymentSummaryPanel.tsx', 'warning'), url: { text: "'/api/v2/customers/{customerId}/orders/{orderId}/line-items?expand=product,discounts'", template: null, host: null, kind: 'relative' } }];
    const narrow = streams(root, { COLUMNS: '80' });
    await runCli(['scan'], narrow, fakeEngine(long));
    const lines = narrow.stdout.text.trimEnd().split('\n');
    assert.deepEqual(lines.filter((l) => l.length > 80), [], 'COLUMNS=80: no line is longer than 80');
    assert.ok(lines.some((l) => /^\s+METHOD\s+URL\s+LOCATION/.test(l)), 'a header row');
    const terminal = streams(root, {}, true);
    (terminal.stdout as Capture & { columns?: number }).columns = 60;
    await runCli(['scan', '--no-color'], terminal, fakeEngine(long));
    assert.deepEqual(terminal.stdout.text.split('\n').filter((l) => l.length > 60), [], 'a 60-column terminal');
    const file = streams(root, { COLUMNS: '80' });
    await runCli(['scan', '--output', 'report.txt'], file, fakeEngine(long));
    assert.ok(fs.readFileSync(path.join(root, 'report.txt'), 'utf8').split('\n').some((l) => l.length > 80), 'a file is not cut to the terminal');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('--fail-on says on stderr why the exit code is 1; a scan with nothing to show says what to check', async () => {
  const root = tempWorkspace({});
  try {
    const findings = (): Call[] => [aCall('a.ts', 'warning'), aCall('b.ts', 'error'), aCall('c.ts', 'info')];
    const failing = streams(root);
    assert.equal(await runCli(['scan', '--fail-on', 'warning'], failing, fakeEngine(findings)), 1);
    assert.match(failing.stderr.text, /exit code 1 because --fail-on warning is met: 1 error and 1 warning; first: cross-origin at b\.ts:1:1/);
    const passing = streams(root);
    assert.equal(await runCli(['scan', '--fail-on', 'error'], passing, fakeEngine(() => [aCall('a.ts', 'warning')])), 0);
    assert.equal(passing.stderr.text, '', 'nothing to explain when it passes');

    const noFiles: CliEngine = {
      ...fakeEngine(() => []),
      scanRoot: async (r) => ({ tool: 'api-atlas', version: '9.9.9', root: r, calls: [], stats: { filesSeen: 0, filesParsed: 0, calls: 0, durationMs: 1, skipped: [] } }),
    };
    const table = streams(root);
    await runCli(['scan'], table, noFiles);
    assert.match(table.stdout.text, /No JavaScript or TypeScript files under .*Check the path/s);
    const json = streams(root);
    await runCli(['scan', '--format', 'json'], json, noFiles);
    assert.doesNotThrow(() => JSON.parse(json.stdout.text), 'stdout stays pure JSON');
    assert.match(json.stderr.text, /api-atlas: No JavaScript or TypeScript files under/);
    const noCalls = streams(root);
    await runCli(['scan'], noCalls, fakeEngine(() => []));
    assert.match(noCalls.stdout.text, /No fetch or axios calls in these 2 files\. Test files are not indexed: add --include-tests/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the progress bar draws only on a terminal and clears itself', () => {
  const pipe = new Capture(false);
  createProgress(pipe).update(1, 10);
  assert.equal(pipe.text, '');
  const tty = new Capture(true);
  const bar = createProgress(tty);
  bar.update(5, 10);
  bar.update(5, 10);
  assert.equal(tty.text.split('\r\u001b[2K').filter(Boolean).length, 1, 'an unchanged bar is not redrawn');
  assert.match(tty.text, /5\/10 files/);
  bar.clear();
  assert.ok(tty.text.endsWith('\r\u001b[2K'));
});

// ---- end to end through the built bundle -----------------------------------------------------------------------

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

function runBuilt(args: string[], cwd: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  // COLUMNS from the shell running the tests would change the table's layout: each test sets its own.
  const { COLUMNS: _ignored, ...inherited } = process.env;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...inherited, NO_COLOR: '1', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('dist/cli.js: --version, --help, unknown flag and missing path', () => {
  assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (npm run test:unit builds first)');
  const version = runBuilt(['--version'], os.tmpdir());
  assert.equal(version.status, 0);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);
  assert.equal(version.stdout.trim(), (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version);
  const help = runBuilt(['--help'], os.tmpdir());
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: api-atlas scan \[PATH\.\.\.\]/);
  const unknown = runBuilt(['scan', '--bogus'], os.tmpdir());
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown option --bogus/);
  const missing = runBuilt(['scan', 'does-not-exist'], os.tmpdir());
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /path not found: does-not-exist/);
});

test('--version and --help do not load the TypeScript parser (the engine loads on the first scan)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-cli-lazy-'));
  try {
    const hook = path.join(dir, 'no-typescript.cjs');
    fs.writeFileSync(
      hook,
      "const Module = require('node:module'); const load = Module._load;\n" +
        "Module._load = function (request, ...rest) { if (request === 'typescript') throw new Error('typescript was loaded'); return load.call(this, request, ...rest); };\n",
    );
    const main = path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts');
    for (const flag of ['--version', '--help']) {
      const r = spawnSync(process.execPath, ['--require', hook, '--import', 'tsx', main, flag], { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' });
      assert.equal(r.status, 0, `${flag}: ${r.stderr}`);
      assert.ok(r.stdout.length > 0);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const SHOP = {
  'package.json': JSON.stringify({ name: 'shop', dependencies: { react: '19.0.0', 'react-dom': '19.0.0', vite: '6.0.0' } }),
  'src/pages/Weather.tsx': [
    "import { useEffect, useState } from 'react';",
    '',
    'export function Weather() {',
    '  const [data, setData] = useState(null);',
    '  useEffect(() => {',
    "    fetch('http://api.weather-example.com/v1/today?city=Paris')",
    '      .then((r) => r.json())',
    '      .then(setData);',
    '  }, []);',
    '  return <div>{JSON.stringify(data)}</div>;',
    '}',
    '',
  ].join('\n'),
};

test('dist/cli.js scans a workspace: JSON per docs/design.md §2, --fail-on, and a rule turned off in .vscode/settings.json', () => {
  const root = tempWorkspace(SHOP);
  try {
    const json = runBuilt(['scan', '.', '--format', 'json'], root);
    assert.equal(json.status, 0, json.stderr);
    const result = JSON.parse(json.stdout) as ScanResult;
    assert.equal(result.tool, 'api-atlas');
    assert.equal(result.root, root);
    assert.equal(result.calls.length, 1);
    const call = result.calls[0];
    assert.equal(call.file, 'src/pages/Weather.tsx');
    assert.deepEqual(call.range.start, { line: 6, column: 5 });
    assert.equal(call.client, 'fetch');
    assert.equal(call.runtime, 'frontend');
    assert.ok(!('facts' in call), 'engine internals are stripped');
    const rules = call.findings.map((f) => f.rule);
    assert.ok(rules.includes('insecure-http'), `insecure-http fires (got ${rules.join(', ')})`);

    assert.equal(runBuilt(['scan', '--fail-on', 'warning'], root).status, 1, 'insecure-http is a warning');
    assert.equal(runBuilt(['scan', '--fail-on', 'error'], root).status, 0);

    fs.mkdirSync(path.join(root, '.vscode'));
    fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), '{\n  // quiet for this repo\n  "apiAtlas.rules": { "insecure-http": "off", "no-error-handling": "off", "cross-origin": "off", "third-party-direct": "off" }\n}\n');
    const off = runBuilt(['scan', '--format', 'json', '--fail-on', 'warning'], root);
    assert.equal(off.status, 0, 'the rule is off, so nothing meets the threshold');
    assert.ok(!(JSON.parse(off.stdout) as ScanResult).calls[0].findings.some((f) => f.rule === 'insecure-http'));

    const table = runBuilt(['scan'], root, { COLUMNS: '300' });
    assert.equal(table.status, 0);
    assert.match(table.stdout, /^Frontend \(1 call\)/m);
    assert.match(table.stdout, /GET\s+http:\/\/api\.weather-example\.com\/v1\/today\?city=Paris\s+src\/pages\/Weather\.tsx:6:5\s+fetch/);
    assert.match(table.stdout, /^1 call \(1 frontend\) in \d+ files? · /m);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('engine log lines: warnings and errors always on stderr, info only with --verbose', async () => {
  const engine: CliEngine = {
    ...fakeEngine(() => []),
    async scanRoot(root, _settings, options): Promise<ScanResult> {
      options.log('Scan: read 2 files 1 ms.', 'info');
      options.log('src/broken.ts could not be analysed: boom', 'warn');
      options.log('a worker thread failed');
      options.log('Rules failed on src/a.ts: bug', 'error');
      return { tool: 'api-atlas', version: '9.9.9', root, calls: [], stats: { filesSeen: 2, filesParsed: 1, calls: 0, durationMs: 5, skipped: [] } };
    },
  };
  const quiet = streams(os.tmpdir());
  assert.equal(await runCli(['scan', '.', '--format', 'json'], quiet, engine), 0);
  assert.doesNotMatch(quiet.stderr.text, /Scan: read/);
  assert.match(quiet.stderr.text, /^api-atlas: warning: src\/broken\.ts could not be analysed: boom$/m);
  assert.match(quiet.stderr.text, /^api-atlas: warning: a worker thread failed$/m, 'no level is a warning');
  assert.match(quiet.stderr.text, /^api-atlas: error: Rules failed on src\/a\.ts: bug$/m);
  const verbose = streams(os.tmpdir());
  assert.equal(await runCli(['scan', '.', '--format', 'json', '--verbose'], verbose, engine), 0);
  assert.match(verbose.stderr.text, /^api-atlas: Scan: read 2 files 1 ms\.$/m);
  assert.match(verbose.stderr.text, /^api-atlas: warning: src\/broken\.ts/m);
  assert.match(runBuilt(['--help'], os.tmpdir()).stdout, /--verbose/, '--help documents it');
});

test('dist/cli.js: a default scan prints no timing line on stderr, --verbose does', () => {
  const root = tempWorkspace(SHOP);
  try {
    const plain = runBuilt(['scan', '.', '--format', 'json'], root);
    assert.equal(plain.status, 0, plain.stderr);
    assert.doesNotMatch(plain.stderr, /Scan: /);
    assert.equal(plain.stderr, '', 'nothing to warn about in this workspace');
    const verbose = runBuilt(['scan', '.', '--format', 'json', '--verbose', '--no-cache'], root);
    assert.equal(verbose.status, 0, verbose.stderr);
    assert.match(verbose.stderr, /^api-atlas: Scan: discovered \d+ files? \d+ ms, read \d+ files? \d+ ms, .*classified .*, rules \d+ ms\.$/m);
    assert.deepEqual(JSON.parse(verbose.stdout).calls, JSON.parse(plain.stdout).calls, 'the same scan either way');
    // The plain scan left a snapshot: this one is answered from it, and says so.
    const warm = runBuilt(['scan', '.', '--format', 'json', '--verbose'], root);
    assert.match(warm.stderr, /^api-atlas: Scan from the snapshot of the last one: \d+ files \(\d+ unchanged/m);
    assert.deepEqual(JSON.parse(warm.stdout).calls, JSON.parse(plain.stdout).calls);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('dist/cli.js: flags override settings (--exclude, --include-tests) and sarif is valid JSON', () => {
  const root = tempWorkspace({
    ...SHOP,
    'src/pages/Weather.test.tsx': "test('x', async () => { await fetch('/api/today'); });\n",
    '.vscode/settings.json': '{ "apiAtlas.exclude": ["src/legacy/**"] }',
    'src/legacy/old.ts': "export const old = () => fetch('/api/old');\n",
  });
  try {
    const files = (args: string[]): string[] => (JSON.parse(runBuilt(['scan', '--format', 'json', ...args], root).stdout) as ScanResult).calls.map((c) => c.file).sort();
    assert.deepEqual(files([]), ['src/pages/Weather.tsx'], 'legacy is excluded by settings, tests by default');
    assert.deepEqual(files(['--include-tests']), ['src/pages/Weather.test.tsx', 'src/pages/Weather.tsx']);
    assert.deepEqual(files(['--exclude', 'src/pages/**']), []);
    const sarif = runBuilt(['scan', '--format', 'sarif'], root);
    assert.equal(sarif.status, 0);
    const log = JSON.parse(sarif.stdout) as { version: string; runs: { results: { ruleId: string }[] }[] };
    assert.equal(log.version, '2.1.0');
    assert.ok(log.runs[0].results.some((r) => r.ruleId === 'insecure-http'));
    const rules = (JSON.parse(sarif.stdout) as { runs: { tool: { driver: { rules: { id: string; helpUri?: string }[] } } }[] }).runs[0].tool.driver.rules;
    for (const rule of rules) assert.match(rule.helpUri ?? '', new RegExp(`^https://.+/docs/rules/${rule.id}\\.md$`), 'rule pages are absolute, from package.json');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('dist/cli.js: a finding silenced in code is a SARIF suppression and does not fail the build', () => {
  const root = tempWorkspace({
    ...SHOP,
    'src/pages/Weather.tsx': SHOP['src/pages/Weather.tsx'].replace("    fetch('http:", "    // api-atlas-ignore-next-line insecure-http\n    fetch('http:"),
  });
  try {
    const sarif = runBuilt(['scan', '--format', 'sarif', '--fail-on', 'warning'], root);
    const results = (JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; suppressions?: { kind: string }[] }[] }[] }).runs[0].results;
    const insecure = results.find((r) => r.ruleId === 'insecure-http');
    assert.deepEqual(insecure?.suppressions, [{ kind: 'inSource' }]);
    assert.equal(sarif.status, 0, 'a silenced warning does not meet --fail-on warning');
    assert.match(runBuilt(['scan'], root).stdout, /warning \(silenced\)\s+insecure-http/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('CLI runs inside the unit tests cache in this run\'s own folder, never in the user\'s ~/.cache/api-atlas', () => {
  const root = tempWorkspace({ 'package.json': '{"name":"cache-home"}', 'src/a.ts': "export const load = () => fetch('/api/items');\n" });
  try {
    const testCache = process.env.API_ATLAS_TEST_CACHE_HOME;
    assert.ok(testCache, 'test/support/isolated-cache.mjs gives the unit tests a cache folder of their own');
    assert.equal(runBuilt(['scan', '--format', 'json'], root).status, 0);
    assert.ok(fs.existsSync(cacheFileFor(path.join(testCache, 'api-atlas'), root)), 'the scan filled the test run\'s cache');
    assert.ok(!fs.existsSync(cacheFileFor(path.join(os.homedir(), '.cache', 'api-atlas'), root)), 'nothing in the user\'s cache');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
