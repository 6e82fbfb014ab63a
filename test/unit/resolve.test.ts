// The module graph's two halves: cheap import extraction and resolving specifiers to workspace files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { extractImports } from '../../src/core/graph';
import { createResolver, pnpmPackages } from '../../src/core/graph';

const MONOREPO = path.join(__dirname, '..', 'fixtures', 'monorepo');

function readOrUndefined(abs: string): string | undefined {
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

function listFiles(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(root, rel));
    else if (/\.(?:[cm]?[jt]sx?|vue|svelte)$/.test(e.name)) out.push(rel);
  }
  return out;
}

test('extractImports finds imports, re-exports, require and dynamic import with the names they bind', () => {
  const text = [
    "import React, { useState as useS, type FC } from 'react';",
    "import * as shared from '@acme/shared';",
    "import type { Props } from './types';",
    "import './polyfills';",
    "export { api, default as client } from './client';",
    "export * from './http';",
    "export * as utils from './utils';",
    "const axios = require('axios');",
    "const { httpGet: get } = require('./http');",
    "const legacy = require('./legacy').default;",
    "const lazy = await import('./lazy');",
    "import cfg = require('./cfg');",
    "// import { commented } from './commented';",
    "/* export * from './block-commented'; */",
    "const url = 'https://example.com/a'; // a URL is not a comment start",
    "void import('./chunk');",
  ].join('\n');
  const recs = extractImports(text).map((r) => ({ ...r, names: r.names.map((n) => `${n.imported}>${n.local}`) }));
  const by = (spec: string) => recs.filter((r) => r.specifier === spec);
  assert.deepEqual(by('react')[0].names, ['default>React', 'useState>useS', 'FC>FC']);
  assert.deepEqual(by('@acme/shared')[0].names, ['*>shared']);
  assert.equal(by('./types')[0].typeOnly, true);
  assert.equal(by('./polyfills')[0].kind, 'side-effect');
  assert.deepEqual(by('./client')[0], { specifier: './client', kind: 'export', names: ['api>api', 'default>client'] });
  assert.equal(by('./http').find((r) => r.kind === 'export')?.star, true);
  assert.deepEqual(by('./utils')[0].names, ['*>utils']);
  assert.deepEqual(by('axios')[0], { specifier: 'axios', kind: 'require', names: ['*>axios'] });
  assert.deepEqual(by('./http').find((r) => r.kind === 'require')?.names, ['httpGet>get']);
  assert.deepEqual(by('./legacy')[0].names, ['default>legacy']);
  assert.deepEqual(by('./lazy')[0], { specifier: './lazy', kind: 'dynamic', names: ['*>lazy'] });
  assert.deepEqual(by('./cfg')[0].names, ['*>cfg']);
  assert.deepEqual(by('./chunk').map((r) => r.kind), ['dynamic']);
  assert.equal(by('./commented').length, 0);
  assert.equal(by('./block-commented').length, 0);
  assert.equal(recs.length, 13, 'each import is listed once');
});

test('relative specifiers resolve with extensions, index files and .js naming a .ts file', () => {
  const files = ['src/a.ts', 'src/lib/index.tsx', 'src/util.js', 'src/esm.mts', 'src/Comp.vue', 'src/b.ts'];
  const r = createResolver('/nowhere', files, () => undefined);
  assert.equal(r.resolve('src/b.ts', './a'), 'src/a.ts');
  assert.equal(r.resolve('src/b.ts', './a.js'), 'src/a.ts');
  assert.equal(r.resolve('src/b.ts', './lib'), 'src/lib/index.tsx');
  assert.equal(r.resolve('src/b.ts', './util'), 'src/util.js');
  assert.equal(r.resolve('src/b.ts', './esm.mjs'), 'src/esm.mts');
  assert.equal(r.resolve('src/b.ts', './Comp.vue'), 'src/Comp.vue');
  assert.equal(r.resolve('src/lib/index.tsx', '../a'), 'src/a.ts');
  assert.equal(r.resolve('src/b.ts', './missing'), null);
  assert.equal(r.resolve('src/b.ts', '../../outside'), null);
  assert.equal(r.resolve('src/b.ts', 'react'), null, 'npm packages are not workspace files');
});

test('a specifier naming the workspace root folder resolves to its index file', () => {
  const r = createResolver('/nowhere', ['index.ts', 'src/a.ts', 'main.ts'], () => undefined);
  assert.equal(r.resolve('src/a.ts', '..'), 'index.ts');
  assert.equal(r.resolve('main.ts', '.'), 'index.ts');
  assert.equal(r.resolve('main.ts', './'), 'index.ts');
});

test('tsconfig paths (with extends and comments) and workspace packages resolve in the monorepo fixture', () => {
  const r = createResolver(MONOREPO, listFiles(MONOREPO), readOrUndefined);
  assert.deepEqual([...r.packages].sort(), [
    ['@acme/api', 'apps/api'],
    ['@acme/shared', 'packages/shared'],
    ['@acme/web', 'apps/web'],
  ]);
  assert.equal(r.resolve('apps/web/src/app/cart/page.tsx', '@/components/CartView'), 'apps/web/src/components/CartView.tsx');
  assert.equal(r.resolve('apps/web/src/components/CartView.tsx', '@/lib'), 'apps/web/src/lib/index.ts');
  // main/exports point at dist/ (build output, not in the workspace): the source in src/ is used.
  assert.equal(r.resolve('apps/web/src/app/page.tsx', '@acme/shared'), 'packages/shared/src/index.ts');
  assert.equal(r.resolve('apps/api/src/routes/orders.ts', '@acme/shared/http'), 'packages/shared/src/http.ts');
  assert.equal(r.resolve('apps/api/src/routes/orders.ts', 'express'), null);
  // `@/` means nothing outside the web app's tsconfig
  assert.equal(r.resolve('apps/api/src/server.ts', '@/components/CartView'), null);
});

test('pnpm-workspace.yaml packages and jsconfig baseUrl', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-resolve-'));
  try {
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    write('pnpm-workspace.yaml', "packages:\n  - 'libs/*' # shared code\n  - \"!libs/private\"\nother: x\n");
    write('libs/http/package.json', JSON.stringify({ name: 'http-kit', exports: { '.': './index.js' } }));
    write('libs/http/index.js', 'export const x = 1;');
    write('libs/private/package.json', JSON.stringify({ name: 'private-kit' }));
    write('libs/private/index.js', '');
    write('app/jsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: 'src' } }));
    write('app/src/services/api.js', '');
    write('app/src/main.js', '');
    const files = ['libs/http/index.js', 'libs/private/index.js', 'app/src/services/api.js', 'app/src/main.js'];
    const r = createResolver(dir, files, readOrUndefined);
    assert.equal(r.resolve('app/src/main.js', 'http-kit'), 'libs/http/index.js');
    assert.equal(r.resolve('app/src/main.js', 'private-kit'), null, 'negated globs exclude a package');
    assert.equal(r.resolve('app/src/main.js', 'services/api'), 'app/src/services/api.js');
    assert.deepEqual(pnpmPackages('packages: [apps/*, "packages/*"]\n'), ['apps/*', 'packages/*']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty or "./" entry in package.json workspaces is ignored instead of stopping module resolution', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-resolve-empty-'));
  try {
    fs.mkdirSync(path.join(dir, 'libs', 'http'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'root', workspaces: ['', './', 'libs/*'] }));
    fs.writeFileSync(path.join(dir, 'libs', 'http', 'package.json'), JSON.stringify({ name: 'http-kit', main: 'index.js' }));
    const r = createResolver(dir, ['libs/http/index.js', 'app/main.js'], readOrUndefined);
    assert.equal(r.resolve('app/main.js', 'http-kit'), 'libs/http/index.js');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the same bare specifier resolves per tsconfig and, for @/ and ~/ aliases, per package, however often it is asked', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-resolve-'));
  try {
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    // Two apps with a tsconfig each, mapping `#lib/*` to their own folder; two packages without one, using `@/`.
    write('apps/a/tsconfig.json', JSON.stringify({ compilerOptions: { paths: { '#lib/*': ['./lib/*'] } } }));
    write('apps/b/tsconfig.json', JSON.stringify({ compilerOptions: { paths: { '#lib/*': ['./shared/*'] } } }));
    write('apps/a/package.json', '{}');
    write('apps/b/package.json', '{}');
    write('sites/x/package.json', '{}');
    write('sites/y/package.json', '{}');
    const files = ['apps/a/lib/http.ts', 'apps/a/pages/one.ts', 'apps/a/pages/deep/two.ts', 'apps/b/shared/http.ts', 'apps/b/pages/one.ts', 'sites/x/src/api.ts', 'sites/x/src/pages/p.ts', 'sites/y/src/api.ts', 'sites/y/src/pages/p.ts'];
    for (const f of files) write(f, '');
    const r = createResolver(dir, files, readOrUndefined);
    for (let round = 0; round < 2; round++) {
      assert.equal(r.resolve('apps/a/pages/one.ts', '#lib/http'), 'apps/a/lib/http.ts');
      assert.equal(r.resolve('apps/a/pages/deep/two.ts', '#lib/http'), 'apps/a/lib/http.ts');
      assert.equal(r.resolve('apps/b/pages/one.ts', '#lib/http'), 'apps/b/shared/http.ts');
      assert.equal(r.resolve('sites/x/src/pages/p.ts', '@/api'), 'sites/x/src/api.ts');
      assert.equal(r.resolve('sites/y/src/pages/p.ts', '@/api'), 'sites/y/src/api.ts');
      assert.equal(r.resolve('sites/y/src/pages/p.ts', '~/api?raw'), 'sites/y/src/api.ts', 'a query is dropped');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Nuxt 4 aliases: `~/` is the app/ folder (its srcDir) when there is no src/, `~~/` is the project root', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-nuxt-alias-'));
  try {
    const files = ['package.json', 'app/queries/todos.ts', 'app/pages/todos.vue', 'shared/types.ts', 'queries/todos.ts'];
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), f === 'package.json' ? '{}' : '');
    }
    const r = createResolver(dir, files.filter((f) => f !== 'package.json'), readOrUndefined);
    assert.equal(r.resolve('app/pages/todos.vue', '~/queries/todos'), 'app/queries/todos.ts', '~ is app/ before the root');
    assert.equal(r.resolve('app/pages/todos.vue', '~~/queries/todos'), 'queries/todos.ts', '~~ is the root');
    assert.equal(r.resolve('app/pages/todos.vue', '~~/shared/types'), 'shared/types.ts');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
