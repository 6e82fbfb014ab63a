// The one walk that links parents and lists nodes: it must give what TypeScript's own parent links and a recursive visit give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { parseSource, scriptKindFor } from '../../src/core/parse';
import { toScriptText } from '../../src/core/scan';
import { nodesInOrder } from '../../src/core/parse';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const SOURCE = /\.(?:[cm]?[jt]sx?|vue|svelte)$/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') out.push(...sourceFiles(abs));
    else if (entry.isFile() && SOURCE.test(entry.name)) out.push(abs);
  }
  return out;
}

/** What the passes used to do: a recursive ts.forEachChild visit over a tree whose parents TypeScript set. */
function referenceOrder(sf: ts.SourceFile): ts.Node[] {
  const out: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const describe = (n: ts.Node | undefined): string => (n ? `${ts.SyntaxKind[n.kind]}@${n.pos}-${n.end}` : 'none');

test('parseSource links every node to the same parent as setParentNodes, and lists nodes in visit order', () => {
  const files = sourceFiles(FIXTURES);
  assert.ok(files.length > 50, 'the fixtures give a real variety of syntax');
  for (const abs of files) {
    const rel = path.relative(FIXTURES, abs).split(path.sep).join('/');
    const text = toScriptText(rel, fs.readFileSync(abs, 'utf8'));
    const expected = referenceOrder(ts.createSourceFile(rel, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, scriptKindFor(rel)));
    const actual = nodesInOrder(parseSource(rel, text));
    assert.equal(actual.length, expected.length, rel);
    for (let i = 0; i < actual.length; i++) {
      assert.equal(describe(actual[i]), describe(expected[i]), `${rel}: node ${i}`);
      assert.equal(describe(actual[i].parent), describe(expected[i].parent), `${rel}: parent of node ${i} (${describe(actual[i])})`);
    }
  }
});

test('nodesInOrder links a tree parsed without parents and answers the same list twice', () => {
  const sf = ts.createSourceFile('a.ts', 'export async function load() { const r = await fetch(`/api/${id}`); return r.json(); }', ts.ScriptTarget.Latest, false);
  const call = () => nodesInOrder(sf).find(ts.isCallExpression)!;
  assert.equal(call().parent?.kind, ts.SyntaxKind.AwaitExpression);
  assert.equal(ts.findAncestor(call(), ts.isFunctionDeclaration)?.name?.text, 'load');
  assert.equal(nodesInOrder(sf), nodesInOrder(sf));
});

test('one parser entry: only src/core/parse/parser.ts calls ts.createSourceFile', () => {
  const src = path.join(__dirname, '..', '..', 'src');
  const callers = fs
    .readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => path.join(d.parentPath, d.name))
    .filter((file) => /\bcreateSourceFile\s*\(/.test(fs.readFileSync(file, 'utf8')))
    .map((file) => path.relative(src, file).split(path.sep).join('/'));
  assert.deepEqual(callers, ['core/parse/parser.ts']);
});

test('script kinds ignore the case of the extension, and .vue/.svelte script text reads as TypeScript', () => {
  const kinds = (names: string[]): string[] => names.map((n) => ts.ScriptKind[scriptKindFor(n)]);
  assert.deepEqual(kinds(['a.ts', 'a.TS', 'a.mts', 'a.CTS', 'a.tsx', 'a.TSX', 'a.vue', 'a.Vue', 'a.svelte', 'a.SVELTE']), ['TS', 'TS', 'TS', 'TS', 'TSX', 'TSX', 'TS', 'TS', 'TS', 'TS']);
  assert.deepEqual(kinds(['a.js', 'a.JSX', 'a.mjs', 'a.cjs']), ['JSX', 'JSX', 'JSX', 'JSX']);
  // A generic arrow is TypeScript in a .TS file; read as JavaScript it would be a JSX element.
  const sf = parseSource('src/Api.TS', 'export const id = <T,>(x: T) => x;\n');
  const init = (sf.statements[0] as ts.VariableStatement).declarationList.declarations[0].initializer;
  assert.ok(init && ts.isArrowFunction(init));
});
