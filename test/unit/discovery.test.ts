// File discovery and safe reading over the bad-input fixture: what is indexed, what is skipped and why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  createFileFilter,
  decodeSource,
  discoverFiles,
  isTestFile,
  generatedBy,
  looksMinified,
  parseEnvFile,
  readEnvFiles,
  readSource,
  syncWalkFs,
  toScriptText,
  type WalkFs,
} from '../../src/core/scan';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/model';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'bad-input');
const settings = (over: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, ...over });

test('discovery indexes source files and leaves out dependencies, build output and .gitignored files', async () => {
  const { files } = await discoverFiles(FIXTURE, settings());
  assert.ok(files.includes('src/ok.ts'));
  assert.ok(files.includes('src/crlf.ts'));
  assert.ok(!files.some((f) => f.startsWith('node_modules/')), 'node_modules is excluded');
  assert.ok(!files.some((f) => f.startsWith('dist/')), 'build output is excluded');
  assert.ok(!files.includes('src/generated/api.ts'), '.gitignore folder pattern is honoured');
  assert.ok(!files.includes('src/config.local.ts'), '.gitignore file pattern is honoured');
  assert.deepEqual([...files].sort(), files, 'files come back sorted');
});

test('build output names count only at a package root: a source folder called build is indexed', async () => {
  const { files } = await discoverFiles(FIXTURE, settings());
  assert.ok(files.includes('src/build/steps.ts'), 'src/build is source (no package.json beside it)');
  assert.ok(!files.includes('packages/ui/dist/index.js'), 'packages/ui/dist is the package output');
  assert.ok(files.includes('packages/ui/src/button.ts'));
  const filter = createFileFilter(FIXTURE, settings());
  assert.equal(filter.isIncluded('src/build/steps.ts'), true);
  assert.equal(filter.isIncluded('packages/ui/dist/index.js'), false);
  assert.equal(filter.isIncluded('dist/bundle.js'), false);
  // An empty glob (a stray `files.exclude` key) is ignored rather than failing every check and scan.
  assert.equal(createFileFilter(FIXTURE, settings(), ['', 'src/build/**']).isIncluded('src/build/steps.ts'), false);
  // The walk skips minified bundles by name; a file-watcher event for one must not index it either.
  assert.equal(filter.isIncluded('src/vendor/lib.min.js'), false);
  assert.equal(filter.isIncluded('src/vendor/app.chunk.js'), false);
});

test('discovery survives a symlink loop and a dangling link and says so', async () => {
  const { files, skipped } = await discoverFiles(FIXTURE, settings());
  assert.ok(!files.some((f) => f.startsWith('src/loop/')), 'the loop is not followed');
  const loop = skipped.find((s) => s.file === 'src/loop');
  assert.ok(loop, 'the loop is listed as skipped');
  assert.match(loop.reason, /symlink loop|already indexed/);
  const dangling = skipped.find((s) => s.file === 'src/dangling.ts');
  assert.ok(dangling);
  assert.match(dangling.reason, /broken symlink/);
});

test('discovery skips files over maxFileSizeKB and minified bundles by name, with a reason', async () => {
  const { files, skipped } = await discoverFiles(FIXTURE, settings({ maxFileSizeKB: 2 }));
  assert.ok(!files.includes('src/big.ts'));
  assert.match(skipped.find((s) => s.file === 'src/big.ts')?.reason ?? '', /larger than apiAtlas\.maxFileSizeKB \(4 KB > 2 KB\)/);
  assert.match(skipped.find((s) => s.file === 'src/vendor/lib.min.js')?.reason ?? '', /minified/);
  const roomy = await discoverFiles(FIXTURE, settings());
  assert.ok(roomy.files.includes('src/big.ts'));
});

test('discovery reports an unreadable folder and carries on with the rest', async () => {
  const denied = path.join(fs.realpathSync(FIXTURE), 'src', 'vendor');
  const failing: WalkFs = {
    ...syncWalkFs(30),
    readdir: (p) => {
      if (path.resolve(p) === denied) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return fs.readdirSync(p, { withFileTypes: true });
    },
  };
  const { files, skipped } = await discoverFiles(FIXTURE, settings(), { fs: failing });
  assert.deepEqual(skipped.find((s) => s.file === 'src/vendor'), { file: 'src/vendor', reason: 'cannot read folder: EACCES' });
  assert.ok(files.includes('src/ok.ts'), 'the rest of the workspace is still indexed');
});

test('walks that let the event loop run before every folder or seldom find and skip exactly what the default walk does', async () => {
  // Loops, dangling links, .gitignore, build output, size limits and minified names are all in this fixture.
  for (const over of [{}, { maxFileSizeKB: 2 }, { include: ['src/generated/**'], exclude: ['src/vendor/**'] }]) {
    const expected = await discoverFiles(FIXTURE, settings(over));
    // 0 ms slices: every folder waits for an event-loop turn, so the yielding path is the one checked.
    for (const sliceMs of [0, 1000]) {
      const actual = await discoverFiles(FIXTURE, settings(over), { fs: syncWalkFs(sliceMs) });
      assert.deepEqual(actual, expected, `settings ${JSON.stringify(over)}, slices of ${sliceMs} ms`);
    }
  }
});

test('a walk that lets the event loop run before every folder reports an unreadable folder the same way', async () => {
  const denied = path.join(fs.realpathSync(FIXTURE), 'src', 'vendor');
  const sync = syncWalkFs(0);
  const failing: WalkFs = {
    ...sync,
    readdir: (p) => {
      if (path.resolve(p) === denied) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return sync.readdir(p);
    },
  };
  const { files, skipped } = await discoverFiles(FIXTURE, settings(), { fs: failing });
  assert.deepEqual(skipped.find((s) => s.file === 'src/vendor'), { file: 'src/vendor', reason: 'cannot read folder: EACCES' });
  assert.ok(files.includes('src/ok.ts'));
});

test('exclude and include globs, test files and files.exclude', async () => {
  const excluded = await discoverFiles(FIXTURE, settings({ exclude: ['src/crlf.ts', 'src/vendor/**'] }));
  assert.ok(!excluded.files.includes('src/crlf.ts'));
  assert.ok(!excluded.files.some((f) => f.startsWith('src/vendor/')));
  const viaFilesExclude = await discoverFiles(FIXTURE, settings(), { extraExclude: ['**/bom.ts'] });
  assert.ok(!viaFilesExclude.files.includes('src/bom.ts'));
  const included = await discoverFiles(FIXTURE, settings({ include: ['src/generated/**'] }));
  assert.ok(included.files.includes('src/generated/api.ts'), 'include re-admits a .gitignored folder');

  assert.equal(isTestFile('src/api.test.ts'), true);
  assert.equal(isTestFile('src/__tests__/api.ts'), true);
  assert.equal(isTestFile('e2e/login.spec.ts'), true);
  assert.equal(isTestFile('src/testimonials.tsx'), false);
  assert.equal(isTestFile('src/latest.ts'), false);
});

test('the file filter gives the watcher the same answers as the walk', () => {
  const filter = createFileFilter(FIXTURE, settings());
  assert.equal(filter.isIncluded('src/ok.ts'), true);
  assert.equal(filter.isIncluded('src/generated/api.ts'), false);
  assert.equal(filter.isIncluded('node_modules/axios/index.js'), false);
  assert.equal(filter.isIncluded('README.md'), false);
  assert.equal(filter.isIncluded('src/types.d.ts'), false);
  assert.equal(filter.isIncluded('src/api.test.ts'), false);
  assert.equal(createFileFilter(FIXTURE, settings({ includeTests: true })).isIncluded('src/api.test.ts'), true);
  assert.equal(createFileFilter(FIXTURE, settings(), ['**/ok.ts']).isIncluded('src/ok.ts'), false);
});

test('readSource strips a UTF-8 BOM and keeps CRLF text intact', async () => {
  const bom = await readSource(path.join(FIXTURE, 'src/bom.ts'), 1024);
  assert.ok('text' in bom);
  assert.equal(bom.text.startsWith('export'), true);
  const crlf = await readSource(path.join(FIXTURE, 'src/crlf.ts'), 1024);
  assert.ok('text' in crlf);
  assert.equal(crlf.text.split('\r\n').length, 5);
});

test('readSource refuses binary, non-UTF-8 and minified files with a reason', async () => {
  assert.deepEqual(await readSource(path.join(FIXTURE, 'src/image.js'), 1024), { skipped: 'binary file (contains NUL bytes)' });
  const latin1 = await readSource(path.join(FIXTURE, 'src/latin1.js'), 1024);
  assert.ok('skipped' in latin1);
  assert.match(latin1.skipped, /not UTF-8/);
  const minified = await readSource(path.join(FIXTURE, 'src/vendor/widget.js'), 1024);
  assert.ok('skipped' in minified);
  assert.match(minified.skipped, /looks minified \(1 line, longest \d+ characters\)/);
  const missing = await readSource(path.join(FIXTURE, 'src/nope.ts'), 1024);
  assert.deepEqual(missing, { skipped: 'cannot read file: ENOENT' });
});

test('looksMinified counts lines and the longest line exactly, whatever the line endings', () => {
  const bundle = `${'a'.repeat(30000)}\n${'b'.repeat(10)}\r\n${'c'.repeat(5)}`;
  assert.equal(looksMinified(bundle), 'looks minified (3 lines, longest 30000 characters)');
  assert.equal(looksMinified(`x\n${'y'.repeat(21000)}`), 'looks minified (2 lines, longest 21000 characters)');
  assert.equal(looksMinified('z'.repeat(4500)), 'looks minified (1 line, longest 4500 characters)');
  assert.equal(looksMinified(`${'const a = 1;\n'.repeat(400)}`), null, 'ordinary code');
});

test('decodeSource reads UTF-16 with a BOM and enforces the size limit', () => {
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('fetch("/u16")', 'utf16le')]);
  assert.deepEqual(decodeSource(utf16, 1024), { text: 'fetch("/u16")' });
  const big = Buffer.alloc(3 * 1024, 'a');
  assert.ok('skipped' in decodeSource(big, 2));
});

test('toScriptText keeps script blocks of .vue and .svelte files at their original offsets', () => {
  const vue = [
    '<template>',
    '  <button @click="load">{{ fetch }}</button>',
    '</template>',
    '<!-- <script>fetch("/commented")</script> -->',
    '<script setup lang="ts">',
    "const res = await fetch('/api/items');",
    '</script>',
    '<script type="application/ld+json">{"fetch": "no"}</script>',
  ].join('\n');
  const out = toScriptText('src/App.vue', vue);
  assert.equal(out.length, vue.length);
  assert.equal(out.split('\n').length, vue.split('\n').length);
  assert.equal(out.split('\n')[5], "const res = await fetch('/api/items');");
  assert.equal(out.indexOf('fetch'), vue.indexOf("fetch('/api/items')"));
  assert.ok(!out.includes('commented'));
  assert.ok(!out.includes('"no"'));

  const svelte = '<script context="module">\nexport const prerender = true;\n</script>\n<script>\n  fetch("/s")\n</script>\n<p>fetch("/text")</p>';
  const sOut = toScriptText('src/routes/+page.svelte', svelte);
  assert.ok(sOut.includes('export const prerender = true;'));
  assert.ok(sOut.includes('fetch("/s")'));
  assert.ok(!sOut.includes('/text'));
  assert.equal(toScriptText('src/a.ts', 'x'), 'x');
});

test('env files are parsed with quotes, export and comments, and found in package folders', () => {
  const entries = parseEnvFile('# comment\nexport A=1\nB="two words" # note\nC=\'x#y\'\nD=plain # trailing\nnot a line\n', '.env');
  assert.deepEqual(
    entries.map((e) => [e.name, e.value, e.line]),
    [
      ['A', '1', 2],
      ['B', 'two words', 3],
      ['C', 'x#y', 4],
      ['D', 'plain', 5],
    ],
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-env-'));
  try {
    fs.mkdirSync(path.join(dir, 'apps', 'web'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.env'), 'ROOT=1\n');
    fs.writeFileSync(path.join(dir, 'apps', 'web', '.env.local'), 'NEXT_PUBLIC_KEY=abc\n');
    fs.writeFileSync(path.join(dir, 'node_modules', 'x', '.env'), 'NOPE=1\n');
    const found = readEnvFiles(dir).map((e) => `${e.file}:${e.name}`).sort();
    assert.deepEqual(found, ['.env:ROOT', 'apps/web/.env.local:NEXT_PUBLIC_KEY']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('readEnvFiles reads an env file through a symlink and reports one it cannot read', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-env-link-'));
  try {
    fs.mkdirSync(path.join(dir, 'apps', 'web'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'apps', 'api'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'shared.env'), 'NEXT_PUBLIC_OPENAI_KEY=sk-shared\n');
    // A monorepo app whose .env points at a shared file, and one whose link points nowhere.
    fs.symlinkSync(path.join('..', '..', 'shared.env'), path.join(dir, 'apps', 'web', '.env'));
    fs.symlinkSync(path.join('..', '..', 'missing.env'), path.join(dir, 'apps', 'api', '.env'));
    const problems: string[] = [];
    const found = readEnvFiles(dir, { onProblem: (message) => problems.push(message) }).map((e) => `${e.file}:${e.name}=${e.value}`);
    assert.deepEqual(found, ['apps/web/.env:NEXT_PUBLIC_OPENAI_KEY=sk-shared']);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /apps\/api\/\.env \(ENOENT\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("msw's generated mockServiceWorker.js is skipped with a reason; a hand-written worker is read", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-msw-'));
  try {
    fs.mkdirSync(path.join(dir, 'public'));
    const header = '/* eslint-disable */\n/**\n * Mock Service Worker.\n * @see https://github.com/mswjs/msw\n * - Please do NOT modify this file.\n */\n';
    fs.writeFileSync(path.join(dir, 'public', 'mockServiceWorker.js'), `${header}self.addEventListener('fetch', (e) => e.respondWith(fetch(e.request.clone())));\n`);
    fs.writeFileSync(path.join(dir, 'public', 'sw.js'), "// Mock Service Worker of our own, not generated.\nself.addEventListener('sync', () => fetch('/api/news'));\n");
    const generated = await readSource(path.join(dir, 'public', 'mockServiceWorker.js'), 1024);
    assert.deepEqual(generated, { skipped: "generated by msw (mockServiceWorker.js: dev tooling, not the app's requests)" });
    const own = await readSource(path.join(dir, 'public', 'sw.js'), 1024);
    assert.ok('text' in own);
    assert.equal(generatedBy('// Mock Service Worker notes, see mswjs/msw'), null, 'naming msw is not enough: the generated header says not to modify the file');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
