// The engine's house (docs/architecture.md): the extension, CLI, webview, tests and bench reach src/core only through a phase's face (its index.ts), and no import cycle exists anywhere in src.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extractImports } from '../../src/core/graph';

const REPO = path.join(__dirname, '..', '..');
const SRC = path.join(REPO, 'src');
const CORE = path.join(SRC, 'core');

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.[cm]?[tj]s$/.test(d.name) && !d.parentPath.includes(`${path.sep}fixtures`) && !d.parentPath.includes(`${path.sep}workspace`))
    .map((d) => path.join(d.parentPath, d.name));
}

/** The file a relative specifier names (extension and `/index` optional), or null when it names none. */
function resolveFile(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return null;
}

/** Every relative import of the files under `dirs` that lands in src/core on a file other than a face (a folder's index.ts). */
function deepImports(root: string, core: string, dirs: string[]): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    for (const file of sourceFiles(dir)) {
      if (file.startsWith(core + path.sep)) continue;
      for (const { specifier } of extractImports(fs.readFileSync(file, 'utf8'))) {
        if (!specifier.startsWith('.')) continue;
        const target = resolveFile(file, specifier);
        if (target === null || !target.startsWith(core + path.sep)) continue;
        if (path.basename(target) !== 'index.ts') out.push(`${path.relative(root, file)} → ${specifier}`);
      }
    }
  }
  return out;
}

/** The import cycles among the files under `dir` (type-only imports included: they tie modules together too), one line per cycle. */
function importCycles(dir: string): string[] {
  const files = sourceFiles(dir);
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const targets = extractImports(fs.readFileSync(file, 'utf8'))
      .filter((r) => r.specifier.startsWith('.'))
      .map((r) => resolveFile(file, r.specifier))
      .filter((t): t is string => t !== null && t.startsWith(dir + path.sep));
    edges.set(file, [...new Set(targets)]);
  }
  // Tarjan's strongly connected components: every component of more than one file (or a file importing itself) is a cycle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(component.map((f) => path.relative(dir, f)).sort().join(' ↔ '));
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return cycles.sort();
}

test('the extension, CLI, webview, tests and bench import src/core only through faces', () => {
  const dirs = ['src/extension', 'src/cli', 'src/webview', 'test', 'bench'].map((d) => path.join(REPO, d));
  assert.deepEqual(deepImports(REPO, CORE, dirs), []);
});

test('no import cycle anywhere in src', () => {
  assert.deepEqual(importCycles(SRC), []);
});

test('the face check catches a deep import, and the cycle check a two-file and a three-file cycle', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-faces-'));
  try {
    const write = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    write('core/detect/index.ts', "export * from './detect';\n");
    write('core/detect/detect.ts', "import type { A } from '../model/types';\nexport const x = 1;\n");
    write('core/model/types.ts', "import { x } from '../detect/detect';\nexport type A = typeof x;\n");
    write('core/a.ts', "import './b';\n");
    write('core/b.ts', "import './c';\n");
    write('core/c.ts', "export * from './a';\n");
    write('cli/main.ts', "import { x } from '../core/detect';\nimport { y } from '../core/detect/detect';\n");
    assert.deepEqual(deepImports(dir, path.join(dir, 'core'), [path.join(dir, 'cli')]), ["cli/main.ts → ../core/detect/detect"]);
    assert.deepEqual(importCycles(path.join(dir, 'core')), ['a.ts ↔ b.ts ↔ c.ts', 'detect/detect.ts ↔ model/types.ts']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
