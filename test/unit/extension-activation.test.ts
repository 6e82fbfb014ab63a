// Activation stays light: nothing the extension imports statically (at load) pulls in the TypeScript parser; the engine and fixes load with import().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.join(__dirname, '..', '..', 'src');

/** The value imports of a module (`import type` and `import()` are left out: they cost nothing at load). */
function staticImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(?!type\b)([^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) specifiers.push(m[3]);
  return specifiers;
}

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return undefined;
}

/** Every chain of static imports from `entry` that ends at `target`, as readable paths. */
function chainsTo(entry: string, target: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier === target) found.push([...chain, target].join(' → '));
      if (!specifier.startsWith('.')) continue;
      const next = resolveLocal(file, specifier);
      if (next) visit(next, [...chain, path.relative(SRC, next)]);
    }
  };
  visit(entry, [path.relative(SRC, entry)]);
  return found;
}

test('the extension entry point does not load TypeScript when it activates', () => {
  assert.deepEqual(chainsTo(path.join(SRC, 'extension', 'extension.ts'), 'typescript'), []);
});

test('the check sees a static import of TypeScript through the engine (so it can fail)', () => {
  assert.notDeepEqual(chainsTo(path.join(SRC, 'core', 'index', 'engine.ts'), 'typescript'), []);
});
