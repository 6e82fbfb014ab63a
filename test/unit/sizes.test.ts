// The house rule of docs/architecture.md: no source file over 600 lines and no class over 400, unless the file's
// opening comment says why it stays bigger (a line containing "stays over").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { parseSource } from '../../src/core/parse';

const SRC = path.join(__dirname, '..', '..', 'src');
const MAX_FILE_LINES = 600;
const MAX_CLASS_LINES = 400;

/** The comment lines a file opens with: where it says what it is for, and why it is big if it is. */
function openingComment(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (!/^\s*(?:\/\/|\/\*|\*)/.test(line)) break;
    lines.push(line);
  }
  return lines.join('\n');
}

/** Files and classes over the limits whose opening comment gives no reason. */
export function oversized(rel: string, text: string): string[] {
  if (/stays over/i.test(openingComment(text))) return [];
  const problems: string[] = [];
  const lines = text.split('\n').length;
  if (lines > MAX_FILE_LINES) problems.push(`${rel}: ${lines} lines (over ${MAX_FILE_LINES})`);
  const sf = parseSource(rel, text);
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(node.end).line;
      const name = node.name?.text ?? '(anonymous)';
      if (last - first + 1 > MAX_CLASS_LINES) problems.push(`${rel}: class ${name} ${last - first + 1} lines (over ${MAX_CLASS_LINES})`);
    }
    node.forEachChild(visit);
  };
  visit(sf);
  return problems;
}

test(`no file in src/ is over ${MAX_FILE_LINES} lines and no class over ${MAX_CLASS_LINES}, unless its opening comment says why`, () => {
  const problems: string[] = [];
  for (const entry of fs.readdirSync(SRC, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
    const abs = path.join(entry.parentPath, entry.name);
    problems.push(...oversized(path.relative(SRC, abs).split(path.sep).join('/'), fs.readFileSync(abs, 'utf8')));
  }
  assert.deepEqual(problems, []);
});

test('the size check sees a long file, a long class, and accepts a reason in the opening comment', () => {
  const longFile = `// A file.\n${'export const x = 1;\n'.repeat(700)}`;
  assert.deepEqual(oversized('a.ts', longFile), ['a.ts: 702 lines (over 600)']);
  const longClass = `// A class.\nexport class Big {\n${'  m() { return 1; }\n'.repeat(450)}}\n`;
  assert.deepEqual(oversized('b.ts', longClass), ['b.ts: class Big 452 lines (over 400)']);
  assert.deepEqual(oversized('c.ts', `// A table.\n// It stays over 600 lines: one row per vendor, read top to bottom.\n${'export const x = 1;\n'.repeat(700)}`), []);
});
