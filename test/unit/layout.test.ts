// The layering of docs/design.md §1: the engine and the CLI never reach `vscode`, the webview never reaches Node or `vscode`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinModules } from 'node:module';
import { extractImports } from '../../src/core/graph';

const SRC = path.join(__dirname, '..', '..', 'src');

interface Violation {
  file: string;
  specifier: string;
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.[cm]?tsx?$/.test(d.name))
    .map((d) => path.join(d.parentPath, d.name));
}

/**
 * Every import of a folder's files that `allowed` refuses. Relative imports are judged by the file they reach,
 * so `../extension/log` from the engine is caught like `vscode` itself.
 */
function forbiddenImports(dir: string, allowed: (specifier: string, target: string | null) => boolean): Violation[] {
  const out: Violation[] = [];
  for (const file of sourceFiles(dir)) {
    for (const { specifier } of extractImports(fs.readFileSync(file, 'utf8'))) {
      const target = specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : null;
      if (!allowed(specifier, target)) out.push({ file: path.relative(SRC, file), specifier });
    }
  }
  return out;
}

const inside = (target: string | null, ...folders: string[]): boolean =>
  target !== null && folders.some((f) => target === path.join(SRC, f) || target.startsWith(path.join(SRC, f) + path.sep));
/** The project's own manifest, read for the version number. */
const isManifest = (target: string | null): boolean => target === path.join(SRC, '..', 'package.json');
const isNodeBuiltin = (s: string): boolean => s.startsWith('node:') || builtinModules.includes(s.split('/')[0]);

/** The engine: Node, `typescript` and small libraries; never `vscode`, never the editor glue. */
const engineRule = (specifier: string, target: string | null): boolean =>
  target !== null ? inside(target, 'core') || isManifest(target) : specifier !== 'vscode' && !specifier.startsWith('vscode/');

test('src/core never imports vscode, nor anything outside src/core', () => {
  assert.deepEqual(forbiddenImports(path.join(SRC, 'core'), engineRule), []);
});

test('src/cli imports the engine and Node, never vscode or the extension', () => {
  const violations = forbiddenImports(path.join(SRC, 'cli'), (specifier, target) =>
    target !== null ? inside(target, 'cli', 'core') || isManifest(target) : specifier !== 'vscode',
  );
  assert.deepEqual(violations, []);
});

test('src/webview imports nothing from Node or vscode (it runs in the browser)', () => {
  const violations = forbiddenImports(path.join(SRC, 'webview'), (specifier, target) =>
    target !== null ? inside(target, 'webview') : specifier !== 'vscode' && !isNodeBuiltin(specifier),
  );
  assert.deepEqual(violations, []);
});

test('the check catches a vscode import, a require of it and a reach into the extension, but not a mention in a comment', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-layout-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.ts'), "import * as vscode from 'vscode';\n");
    fs.writeFileSync(path.join(dir, 'b.ts'), "const v = require('vscode');\n");
    fs.writeFileSync(path.join(dir, 'c.ts'), "// import * as vscode from 'vscode';\nconst s = \"from 'vscode'\";\n");
    const found = forbiddenImports(dir, (specifier) => specifier !== 'vscode');
    assert.deepEqual(
      found.map((v) => path.basename(v.file)),
      ['a.ts', 'b.ts'],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundled CLI does not load vscode', () => {
  const cli = path.join(__dirname, '..', '..', 'dist', 'cli.js');
  assert.ok(fs.existsSync(cli), 'dist/cli.js exists (npm run test:unit builds first)');
  assert.doesNotMatch(fs.readFileSync(cli, 'utf8'), /require\(["']vscode["']\)/);
});
