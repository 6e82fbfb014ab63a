// Where a proxy can go: Next.js app/pages router, Express (mount found or not), standalone; language and module style per workspace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectProxyTargets, findExpressApp } from '../../src/core/fix/proxy';
import { fixtureWorkspace, memoryWorkspace } from './proxy-support';

function targetsOf(ws: { listFiles(): string[]; readFile(rel: string): string | undefined }, fromFile?: string) {
  return detectProxyTargets(ws.listFiles(), ws.readFile, { fromFile });
}

test('a Next.js app router project gets an app/api route handler in TypeScript', () => {
  const targets = targetsOf(fixtureWorkspace('proxy-next-app'), 'app/components/Chat.tsx');
  assert.deepEqual(
    targets.map((t) => [t.kind, t.dir, t.language, t.moduleStyle]),
    [['next-app', 'app/api', 'ts', 'esm']],
  );
});

test('a Next.js pages router project without tsconfig gets a JavaScript pages/api route', () => {
  const targets = targetsOf(fixtureWorkspace('proxy-next-pages'), 'lib/Weather.jsx');
  assert.deepEqual(
    targets.map((t) => [t.kind, t.dir, t.language, t.extension]),
    [['next-pages', 'pages/api', 'js', '.js']],
  );
});

test('an app with both routers under src/ is offered both, app router first', () => {
  const ws = memoryWorkspace({
    'package.json': JSON.stringify({ dependencies: { next: '15.0.0' } }),
    'tsconfig.json': '{}',
    'src/app/layout.tsx': 'export default function L() { return null; }',
    'src/pages/legacy.tsx': 'export default function P() { return null; }',
  });
  assert.deepEqual(targetsOf(ws).map((t) => [t.kind, t.dir]), [
    ['next-app', 'src/app/api'],
    ['next-pages', 'src/pages/api'],
  ]);
});

test('an app/ folder without Next.js is not mistaken for the App Router', () => {
  const ws = memoryWorkspace({ 'package.json': '{"dependencies":{"react":"18"}}', 'app/page.tsx': 'export {}' });
  assert.deepEqual(targetsOf(ws).map((t) => t.kind), ['standalone']);
});

test('Express ESM TypeScript: the router goes next to the app, imported with .js under NodeNext', () => {
  const targets = targetsOf(fixtureWorkspace('proxy-express'), 'src/Summary.tsx');
  assert.equal(targets.length, 1);
  const [t] = targets;
  assert.equal(t.kind, 'express');
  assert.equal(t.dir, 'server/routes');
  assert.equal(t.language, 'ts');
  assert.equal(t.moduleStyle, 'esm');
  assert.deepEqual(t.express, { appFile: 'server/index.ts', appVariable: 'app', importSpecifierExtension: '.js' });
});

test('Express CommonJS: require style and .js extension', () => {
  const [t] = targetsOf(fixtureWorkspace('proxy-express-cjs'), 'public/contact.js');
  assert.equal(t.kind, 'express');
  assert.equal(t.moduleStyle, 'cjs');
  assert.equal(t.language, 'js');
  assert.equal(t.dir, 'routes');
  assert.equal(t.express?.appVariable, 'app');
});

test('no server in the workspace: a standalone Node proxy in the caller\'s package', () => {
  const [t, ...rest] = targetsOf(fixtureWorkspace('proxy-standalone'), 'src/Movie.tsx');
  assert.equal(rest.length, 0);
  assert.equal(t.kind, 'standalone');
  assert.equal(t.dir, 'server');
  assert.equal(t.extension, '.mjs');
});

test('a monorepo offers every server, the caller\'s own package first', () => {
  const ws = memoryWorkspace({
    'package.json': '{"private":true,"workspaces":["apps/*"]}',
    'apps/api/package.json': '{"dependencies":{"express":"4"}}',
    'apps/api/src/main.js': "const express = require('express');\nconst server = express();\nserver.listen(4000);\n",
    'apps/web/package.json': '{"dependencies":{"next":"15"}}',
    'apps/web/app/page.jsx': 'export default function Page() { return null; }',
  });
  const fromWeb = targetsOf(ws, 'apps/web/app/page.jsx');
  assert.deepEqual(fromWeb.map((t) => [t.kind, t.dir]), [
    ['next-app', 'apps/web/app/api'],
    ['express', 'apps/api/src/routes'],
  ]);
  assert.equal(fromWeb[1].express?.appVariable, 'server');
  assert.equal(fromWeb[0].language, 'js', 'no tsconfig and .jsx files: JavaScript');
  const fromApi = targetsOf(ws, 'apps/api/src/main.js');
  assert.equal(fromApi[0].kind, 'express');
});

test('findExpressApp: one bound app is mountable; two apps or an unbound one are not', () => {
  const one = findExpressApp('s.ts', "import express from 'express';\nimport cors from 'cors';\nconst app = express();\napp.use(cors());\n");
  assert.equal(one?.variable, 'app');
  assert.equal(one?.moduleStyle, 'esm');
  assert.equal(one?.importInsertAt, "import express from 'express';\nimport cors from 'cors';".length);
  const two = findExpressApp('s.js', "const express = require('express');\nconst a = express();\nconst b = express();\n");
  assert.equal(two?.variable, null);
  assert.match(two?.ambiguity ?? '', /2 Express apps/);
  const unbound = findExpressApp('s.js', "const express = require('express');\nmodule.exports = express();\n");
  assert.equal(unbound?.variable, null);
  assert.match(unbound?.ambiguity ?? '', /without binding/);
  assert.equal(findExpressApp('s.js', "const app = require('./app');\napp.listen(1);\n"), null, 'no express import: not an app');
  assert.equal(findExpressApp('s.js', '// express() in a comment\n'), null);
});
