// The proxy move's follow-up advice (src/core/fix/proxy/follow-up.ts), read from each project's own setup.
import assert from 'node:assert/strict';
import test from 'node:test';
import type { WorkspaceView } from '../../src/core/fix';
import { detectProxyTargets } from '../../src/core/fix/proxy';
import { devForwardingAdvice, secretEnvAdvice, serverPortOf } from '../../src/core/fix/proxy';

function view(files: Record<string, string>): WorkspaceView {
  return { readFile: (rel) => files[rel], listFiles: () => Object.keys(files).sort() };
}

/** An Express + Create React App shop, as seen in the field: the server on 5000, CRA's `proxy` pointing there, dotenv. */
const SHOP = {
  'package.json': JSON.stringify({ name: 'shop', dependencies: { express: '^4.19.0', dotenv: '^16.0.0' } }),
  'server/index.js': "require('dotenv').config();\nconst express = require('express');\nconst app = express();\napp.use(express.json());\nconst PORT = process.env.PORT || 5000;\napp.listen(PORT);\n",
  'client/package.json': JSON.stringify({ name: 'client', proxy: 'http://localhost:5000', dependencies: { react: '^18.0.0', 'react-scripts': '5.0.1' } }),
  'client/src/Contact.js': "export async function send(message) {\n  return fetch('https://api.sendgrid.com/v3/mail/send', { method: 'POST', headers: { Authorization: 'Bearer SG.fixtureOnlyNotARealKey.0123456789abcdefghijklmnopqrstuvwxyzABCD' }, body: JSON.stringify(message) });\n}\n",
};

test('the server port comes from listen() or the PORT fallback', () => {
  assert.equal(serverPortOf(SHOP['server/index.js']), 5000);
  assert.equal(serverPortOf('app.listen(4000, () => {})'), 4000);
  assert.equal(serverPortOf('app.listen(port)'), undefined);
});

test("Express + CRA: CRA's proxy field already forwards to the server's port; never the dev server's own 3000", () => {
  const ws = view(SHOP);
  const [target] = detectProxyTargets(ws.listFiles(), ws.readFile, { fromFile: 'client/src/Contact.js' });
  assert.equal(target?.kind, 'express');
  const advice = devForwardingAdvice(target, '/api/sendgrid-mail-send', 'client/src/Contact.js', ws);
  assert.equal(advice, 'In development, the `proxy` field of client/package.json (http://localhost:5000) already forwards /api/sendgrid-mail-send to the server.');
  assert.doesNotMatch(advice ?? '', /3000/);
  // A CRA app without the field is told to add it, with the server's real port.
  const without = view({ ...SHOP, 'client/package.json': JSON.stringify({ dependencies: { 'react-scripts': '5.0.1' } }) });
  assert.match(devForwardingAdvice(target, '/api/x', 'client/src/Contact.js', without) ?? '', /add `"proxy": "http:\/\/localhost:5000"` to client\/package\.json/);
});

test('a dotenv server is told .env, Next.js .env.local, a server without either its environment', () => {
  const ws = view(SHOP);
  const [target] = detectProxyTargets(ws.listFiles(), ws.readFile, { fromFile: 'client/src/Contact.js' });
  assert.match(secretEnvAdvice('SENDGRID_API_KEY', target, ws), /^Set SENDGRID_API_KEY in the server's \.env \(it loads it with dotenv/);
  assert.doesNotMatch(secretEnvAdvice('SENDGRID_API_KEY', target, ws), /\.env\.local/);
  const next = { ...target, kind: 'next-app' as const };
  assert.match(secretEnvAdvice('OPENAI_API_KEY', next, ws), /^Set OPENAI_API_KEY in \.env\.local/);
  const noDotenv = view({ ...SHOP, 'package.json': JSON.stringify({ dependencies: { express: '4' } }), 'server/index.js': SHOP['server/index.js'].replace("require('dotenv').config();\n", '') });
  assert.match(secretEnvAdvice('K', target, noDotenv), /server's environment \(it loads no \.env file\)/);

});
