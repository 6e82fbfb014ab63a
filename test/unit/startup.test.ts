// Start-up of the bundles: TypeScript is a file of its own (dist/typescript.js) loaded only when a file needs parsing, and it and the CLI (dist/cli-main.js) run through a V8 code cache that is checked before use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { flushCodeCache, loadWithCodeCache, setCodeCacheFolder } from '../../src/core/boot';
import { tempDir } from '../support/temp-dirs';

const DIST = path.join(__dirname, '..', '..', 'dist');
const EXAMPLES = path.join(__dirname, '..', '..', 'examples');


function entries(folder: string): string[] {
  return fs.existsSync(folder) ? fs.readdirSync(folder).filter((n) => n.endsWith('.bin')) : [];
}

test('the code cache: a miss keeps the compiled code, the next load uses it, and a damaged, foreign or edited entry is never used', () => {
  const dir = tempDir('atlas-code-cache-');
  const folder = path.join(dir, 'cache');
  const file = path.join(dir, 'module.js');
  const body = (n: number): string => `exports.answer = function answer() { return ${n}; };\nexports.dirname = __dirname;\n`;
  fs.writeFileSync(file, body(41));
  const problems: string[] = [];
  setCodeCacheFolder(folder, (m) => problems.push(m));
  try {
    const first = loadWithCodeCache(file);
    assert.equal(first.cache, 'miss');
    assert.equal((first.exports as { answer(): number }).answer(), 41);
    assert.equal((first.exports as { dirname: string }).dirname, dir, 'the file runs as a CommonJS module of its own folder');
    assert.deepEqual(entries(folder), [], 'nothing is written before the flush (the code compiled while working belongs in it)');
    flushCodeCache();
    assert.equal(entries(folder).length, 1);

    const second = loadWithCodeCache(file);
    assert.equal(second.cache, 'hit');
    assert.equal((second.exports as { answer(): number }).answer(), 41);

    // The same length with other text: V8's own check (the length) would accept the entry; the entry's name does not match.
    fs.writeFileSync(file, body(42));
    const edited = loadWithCodeCache(file);
    assert.equal(edited.cache, 'miss');
    assert.equal((edited.exports as { answer(): number }).answer(), 42);
    flushCodeCache();
    assert.equal(entries(folder).length, 1, 'the entry of the older text is removed when the new one is written');

    // A flipped byte in the compiled code: the checksum in the header no longer matches.
    const [entry] = entries(folder);
    const bytes = fs.readFileSync(path.join(folder, entry));
    bytes[bytes.length - 10] ^= 0xff;
    fs.writeFileSync(path.join(folder, entry), bytes);
    const damaged = loadWithCodeCache(file);
    assert.equal(damaged.cache, 'miss');
    assert.equal((damaged.exports as { answer(): number }).answer(), 42);
    assert.match(problems.join('\n'), /truncated or corrupt/);
    flushCodeCache();
    assert.equal(loadWithCodeCache(file).cache, 'hit', 'the damaged entry was replaced');

    // Cut short: no header at all.
    fs.writeFileSync(path.join(folder, entries(folder)[0]), 'api-atl');
    assert.equal(loadWithCodeCache(file).cache, 'miss');

    setCodeCacheFolder(null);
    assert.equal(loadWithCodeCache(file).cache, 'off');
  } finally {
    setCodeCacheFolder(null);
  }
});

/** dist/cli.js with its own code cache folder; stdout and stderr. */
function cli(cliFile: string, args: string[], codeCache: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliFile, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', API_ATLAS_CODE_CACHE: codeCache } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function withoutTimes(stdout: string): string {
  const result = JSON.parse(stdout) as { stats: { durationMs: number } };
  result.stats.durationMs = 0;
  return JSON.stringify(result);
}

test('dist/cli.js compiles TypeScript from the code cache after the first run, with the same results', () => {
  assert.ok(fs.existsSync(path.join(DIST, 'typescript.js')), 'npm run build writes dist/typescript.js');
  const codeCache = path.join(tempDir('atlas-cli-code-cache-'), 'v8');
  const first = cli(path.join(DIST, 'cli.js'), ['scan', EXAMPLES, '--format', 'json', '--no-cache', '--verbose'], codeCache);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /TypeScript compiler loaded in \d+ ms \(code cache: miss\)/);
  assert.deepEqual(entries(codeCache).map((n) => n.replace(/-[0-9a-f]+\.bin$/, '')).sort(), ['cli-main', 'typescript'], 'the compiled CLI and parser are kept when the process ends');
  const second = cli(path.join(DIST, 'cli.js'), ['scan', EXAMPLES, '--format', 'json', '--no-cache', '--verbose'], codeCache);
  assert.match(second.stderr, /TypeScript compiler loaded in \d+ ms \(code cache: hit\)/);
  assert.equal(withoutTimes(second.stdout), withoutTimes(first.stdout));
  const off = cli(path.join(DIST, 'cli.js'), ['scan', EXAMPLES, '--format', 'json', '--no-cache', '--verbose'], 'off');
  assert.match(off.stderr, /code cache: off/);
  assert.equal(withoutTimes(off.stdout), withoutTimes(first.stdout));
});

test('without dist/typescript.js the CLI still starts, and a scan the analysis cache answers never needs it', () => {
  const codeCache = path.join(tempDir('atlas-cli-code-cache-'), 'v8');
  const analysisCache = tempDir('atlas-cli-analysis-cache-');
  const full = cli(path.join(DIST, 'cli.js'), ['scan', EXAMPLES, '--format', 'json', '--cache-location', analysisCache, '--verbose'], codeCache);
  assert.equal(full.status, 0, full.stderr);
  assert.match(full.stderr, /TypeScript compiler loaded/);

  // The same bundles in a folder without the compiler: loading it would fail.
  const bare = tempDir('atlas-cli-bare-');
  for (const name of ['cli.js', 'cli-main.js', 'worker.js']) fs.copyFileSync(path.join(DIST, name), path.join(bare, name));
  const version = cli(path.join(bare, 'cli.js'), ['--version'], codeCache);
  assert.equal(version.status, 0, version.stderr);
  const warm = cli(path.join(bare, 'cli.js'), ['scan', EXAMPLES, '--format', 'json', '--cache-location', analysisCache, '--verbose'], codeCache);
  assert.equal(warm.status, 0, warm.stderr);
  assert.match(warm.stderr, /TypeScript compiler not loaded/);
  assert.equal(withoutTimes(warm.stdout), withoutTimes(full.stdout));
});
