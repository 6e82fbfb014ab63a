// The engine against hostile files: binary text arriving through the editor, and nesting too deep to parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeFile, AtlasIndex } from '../../src/core/index';
import { cutDeepNesting, parseSource } from '../../src/core/parse';
import { DEFAULT_SETTINGS, type Settings } from '../../src/core/model';

const settings = (over: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, include: [], exclude: [], rules: {}, runtimeOverrides: {}, wrappers: [], ...over });

function workspace(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-hostile-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

test('a binary file the scan skipped stays skipped when the editor hands over the same content', async () => {
  const binary = Buffer.concat([Buffer.from("export const load = () => fetch('https://api.example.com/binary');\n"), Buffer.from([0, 1, 2, 3])]);
  const dir = workspace({ 'src/blob.ts': binary, 'src/ok.ts': "export const ok = () => fetch('/api/ok');\n" });
  try {
    const index = new AtlasIndex({ root: dir, settings: settings(), workers: 0 });
    await index.scan();
    assert.deepEqual(index.getStats().skipped.map((s) => `${s.file}: ${s.reason}`), ['src/blob.ts: binary file (contains NUL bytes)']);
    await index.updateFile('src/blob.ts', binary.toString('utf8'));
    assert.deepEqual(index.getCallsInFile('src/blob.ts'), [], 'the same bytes through the editor are not indexed');
    assert.deepEqual(index.getStats().skipped.map((s) => s.file), ['src/blob.ts']);
    await index.updateFile('src/blob.ts');
    assert.deepEqual(index.getCallsInFile('src/blob.ts'), [], 'nor when read from disk');
    // A file the scan indexed that becomes minified in the editor goes too, with the scan's reason.
    const minified = `export const ok = () => fetch('/api/ok');${' '.repeat(30000)}`;
    await index.updateFile('src/ok.ts', minified);
    assert.deepEqual(index.getCallsInFile('src/ok.ts'), []);
    assert.match(index.getStats().skipped.find((s) => s.file === 'src/ok.ts')?.reason ?? '', /minified|one line|line/i);
    index.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('nesting too deep to parse loses only the too-deep part: the calls before and after it stay indexed', async () => {
  const parens = `${'('.repeat(50_000)}1${')'.repeat(50_000)}`;
  const braces = `${'{'.repeat(20_000)}${'}'.repeat(20_000)}`;
  const lines = (deep: string) =>
    [
      "export const before = () => fetch('https://api.example.com/before');",
      `export const deep = () => fetch('/api/deep', ${deep});`,
      "export const after = () => fetch('https://api.example.com/after');",
    ]
      .join('\n')
      // A line break every 80 characters, so the minified-file check does not skip it first.
      .replace(/([({})]{80})/g, '$1\n');
  const dir = workspace({ 'src/parens.ts': lines(parens), 'src/braces.ts': lines(`() => ${braces}`) });
  try {
    const index = new AtlasIndex({ root: dir, settings: settings(), workers: 0 });
    await index.scan();
    for (const rel of ['src/parens.ts', 'src/braces.ts']) {
      const urls = index.getCallsInFile(rel).map((c) => c.url.template);
      assert.ok(urls.includes('https://api.example.com/before') && urls.includes('https://api.example.com/after'), `${rel}: ${urls.join(', ')}`);
      const reason = index.getStats().skipped.find((s) => s.file === rel)?.reason ?? '';
      assert.match(reason, /^could not be analysed in part: nested deeper than 256 brackets from line \d+ \(that part was left out\)$/);
    }
    // Made shallow again, the file is analysed whole and no longer listed.
    await index.updateFile('src/parens.ts', lines('((1))'));
    assert.deepEqual(index.getCallsInFile('src/parens.ts').map((c) => c.url.template).length, 3);
    assert.ok(!index.getStats().skipped.some((s) => s.file === 'src/parens.ts'));
    index.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a file nested deeper than the limit is cut before parsing, not after an overflow, so a scan and an edit agree however deep the stack already is', () => {
  // 400 unclosed template holes (the fuzzer's round 2325 had thousands): the parser copes on an empty stack, not on a
  // nearly full one, so deciding on an overflow gave the scan one call and the edit none.
  const text = `const t = \`${'${'.repeat(400)}\nexport const ok = () => fetch('/api/ok');\n`;
  assert.doesNotThrow(() => parseSource('src/p.ts', text), 'the parser itself copes with this depth on an empty stack');
  const result = analyzeFile({ rel: 'src/p.ts', text, parse: true } as Parameters<typeof analyzeFile>[0], null, []);
  assert.match(result.error ?? '', /^could not be analysed in part: nested deeper than 256 brackets from line 1 \(that part was left out\)$/);
  // A template's own text does not count, its holes do: 300 brackets inside the text are no nesting at all.
  assert.equal(cutDeepNesting(`const s = \`${'('.repeat(300)}\`;`, 256), null);
  assert.deepEqual(cutDeepNesting(`const s = \`${'${('.repeat(150)}\`;\nfetch('/x');`, 256)?.lines, [1]);
  assert.equal(cutDeepNesting(`const s = \`a\${\`b\${c}\`}d\`; ${'('.repeat(250)}${')'.repeat(250)}`, 256), null, 'a nested template closes its levels');
});

test('the nesting check counts only code brackets, at any limit: comments, strings and template text aside, a hole closed back to its template', () => {
  const within2 = [
    '// ((((\nf(x);',
    '/* [[[[ */ g([1]);',
    "const s = '{{{{' + \"((((\";",
    'const t = `${a}((((` + `${b()}[[[[`;',
    'f())))); g((1));',
  ];
  for (const text of within2) assert.equal(cutDeepNesting(text, 2), null, text);
  // A quote left open ends at its line: the brackets on the next line are code.
  assert.deepEqual(cutDeepNesting("const s = '((\nf(g(h(1)));", 2)?.lines, [2]);
  // After a hole closes, the template's text resumes; a second hole opens a level again.
  assert.deepEqual(cutDeepNesting('const t = `${a}((${b(c(d))}`;', 2)?.lines, [1]);
  assert.equal(cutDeepNesting('const t = `${a}((${b(c(d))}`;', 3), null);
});
