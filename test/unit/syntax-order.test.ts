// The one walk that links parents and lists nodes: it must give what TypeScript's own parent links and a recursive visit give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { parseSource, scriptKindFor } from '../../src/core/detect';
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
