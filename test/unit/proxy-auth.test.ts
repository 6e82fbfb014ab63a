// The generated proxy asks the app's own sign-in (Auth.js/NextAuth, Clerk, Supabase, Lucia, Passport) or leaves a named hook; and the planner refuses malformed URLs with a reason.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { detectProxyTargets, planProxyMove } from '../../src/core/fix/proxy';
import { HostileUpstream, SECRET, SHAPES, planAttack, request, serveHandler, withUpstream, type PlannedHandler } from './proxy-attack-support';
import { applyPlan, callAt, memoryWorkspace, typeCheck } from './proxy-support';

/** Declarations of the sign-in libraries the generated code imports, so it type-checks without installing them. */
const AUTH_MODULES = `
declare module 'next-auth' {
  export interface Session { user?: { id?: string; name?: string | null; email?: string | null } }
  export default function NextAuth(config: unknown): { handlers: unknown; auth: () => Promise<Session | null>; signIn: unknown; signOut: unknown };
  export function getServerSession(...args: unknown[]): Promise<Session | null>;
}
declare module '@clerk/nextjs/server' {
  export function auth(): Promise<{ userId: string | null }>;
  export function getAuth(req: unknown): { userId: string | null };
}
declare module '@clerk/express' {
  import type express from 'express';
  export function getAuth(req: express.Request): { userId: string | null };
}
declare module '@supabase/ssr' {
  export function createServerClient(url: string, key: string, options: unknown): { auth: { getUser(): Promise<{ data: { user: { id: string } | null } }> } };
}
`;

const SHAPE = SHAPES[0];
const deps = (extra: Record<string, string>): Record<string, string> => ({ axios: '1.7.0', ...extra });
const nextApp = (extra: Record<string, string>): string => JSON.stringify({ dependencies: deps({ next: '15.0.0', react: '19.0.0', ...extra }) });

interface AuthCase {
  label: string;
  kind: PlannedHandler['kind'];
  files: Record<string, string>;
  /** Text the generated handler must contain (the import and the call). */
  expects: RegExp[];
  /** Project files handed to the type-checker with the handler. */
  typed: string[];
}

const CASES: AuthCase[] = [
  {
    label: 'Auth.js v5 auth() (app router)',
    kind: 'next-app',
    files: { 'package.json': nextApp({ 'next-auth': '5.0.0-beta.25' }), 'auth.ts': "import NextAuth from 'next-auth';\n\nexport const { handlers, auth, signIn, signOut } = NextAuth({ providers: [] });\n" },
    expects: [/^import \{ auth \} from '\.\.\/\.\.\/\.\.\/auth';$/m, /const session = await auth\(\);\n {2}if \(!session\?\.user\) \{/],
    typed: ['auth.ts'],
  },
  {
    label: 'NextAuth v4 getServerSession (app router)',
    kind: 'next-app',
    files: { 'package.json': nextApp({ 'next-auth': '4.24.0' }), 'lib/auth.ts': 'export const authOptions = { providers: [] };\n' },
    expects: [/^import \{ getServerSession \} from 'next-auth';$/m, /^import \{ authOptions \} from '\.\.\/\.\.\/\.\.\/lib\/auth';$/m, /await getServerSession\(authOptions\)/],
    typed: ['lib/auth.ts'],
  },
  {
    label: 'NextAuth v4 getServerSession (pages router)',
    kind: 'next-pages',
    files: { 'package.json': JSON.stringify({ dependencies: deps({ next: '14.2.0', react: '18.3.0', 'next-auth': '4.24.0' }) }), 'lib/auth.js': 'export const authOptions = { providers: [] };\n' },
    expects: [/^import \{ authOptions \} from '\.\.\/\.\.\/lib\/auth';$/m, /await getServerSession\(req, res, authOptions\)/],
    typed: ['lib/auth.js'],
  },
  {
    label: 'Clerk (app router)',
    kind: 'next-app',
    files: { 'package.json': nextApp({ '@clerk/nextjs': '6.0.0' }) },
    expects: [/^import \{ auth \} from '@clerk\/nextjs\/server';$/m, /const \{ userId \} = await auth\(\);/],
    typed: [],
  },
  {
    label: 'Clerk (pages router)',
    kind: 'next-pages',
    files: { 'package.json': JSON.stringify({ dependencies: deps({ next: '14.2.0', react: '18.3.0', '@clerk/nextjs': '5.0.0' }) }) },
    expects: [/^import \{ getAuth \} from '@clerk\/nextjs\/server';$/m, /const \{ userId \} = getAuth\(req\);/],
    typed: [],
  },
  {
    label: 'Supabase server client (app router)',
    kind: 'next-app',
    files: {
      'package.json': nextApp({ '@supabase/ssr': '0.5.0' }),
      'utils/supabase/server.ts': "import { createServerClient } from '@supabase/ssr';\n\nexport async function createClient() {\n  return createServerClient('https://x.supabase.co', 'anon', {});\n}\n",
    },
    expects: [/^import \{ createClient \} from '\.\.\/\.\.\/\.\.\/utils\/supabase\/server';$/m, /await supabase\.auth\.getUser\(\)/],
    typed: ['utils/supabase/server.ts'],
  },
  {
    label: 'Lucia validateRequest (app router)',
    kind: 'next-app',
    files: { 'package.json': nextApp({ lucia: '3.2.0' }), 'lib/auth.ts': 'export async function validateRequest(): Promise<{ user: { id: string } | null }> {\n  return { user: null };\n}\n' },
    expects: [/^import \{ validateRequest \} from '\.\.\/\.\.\/\.\.\/lib\/auth';$/m, /const \{ user \} = await validateRequest\(\);/],
    typed: ['lib/auth.ts'],
  },
  {
    label: 'Passport (Express)',
    kind: 'express',
    files: {
      'package.json': JSON.stringify({ dependencies: deps({ express: '4.21.0', passport: '0.7.0', 'express-session': '1.18.0' }) }),
      'server.js': "const express = require('express');\nconst session = require('express-session');\nconst passport = require('passport');\n\nconst app = express();\napp.use(express.json());\napp.use(session({ secret: 'x' }));\napp.use(passport.session());\napp.listen(3000);\n",
    },
    expects: [/Reflect\.get\(req, 'user'\)/],
    typed: [],
  },
  {
    label: 'Clerk (Express, clerkMiddleware mounted)',
    kind: 'express',
    files: {
      'package.json': JSON.stringify({ dependencies: deps({ express: '4.21.0', '@clerk/express': '1.0.0' }) }),
      'server.js': "const express = require('express');\nconst { clerkMiddleware } = require('@clerk/express');\n\nconst app = express();\napp.use(clerkMiddleware());\napp.listen(3000);\n",
    },
    expects: [/^const \{ getAuth \} = require\('@clerk\/express'\);$/m, /const \{ userId \} = getAuth\(req\);/],
    typed: [],
  },
];

for (const c of CASES) {
  test(`${c.label}: the proxy asks the app's sign-in, and the result type-checks`, () => {
    const h = planAttack(c.kind, SHAPE, c.files);
    for (const pattern of c.expects) assert.match(h.content, pattern);
    assert.doesNotMatch(h.content, /EDIT ME/, 'no hook left to fill in');
    assert.ok(h.notes.some((n) => /refuses callers who are not signed in/.test(n)), 'the plan says which sign-in the route uses');
    const name = h.kind === 'express' ? h.file.replace(/\.js$/, '.cjs') : h.file;
    const files: Record<string, string> = { [name]: h.content, 'auth-modules.d.ts': AUTH_MODULES };
    for (const rel of c.typed) files[rel] = h.plannedFiles.get(rel)!;
    assert.deepEqual(typeCheck(files), []);
  });
}

test('without a sign-in system the handler has a named hook that says what to put there, and the plan says so', () => {
  for (const kind of ['next-app', 'next-pages', 'express', 'standalone'] as const) {
    const h = planAttack(kind, SHAPE);
    assert.match(h.content, /EDIT ME: who may call this route\. API Atlas found no sign-in system in this project/);
    assert.match(h.content, /function authorizeCaller\(_(request|req)/);
    assert.ok(h.notes.some((n) => n.includes(`put your session check in authorizeCaller() in ${h.file}`)), kind);
  }
  const hinted = planAttack('express', SHAPE, { 'package.json': JSON.stringify({ dependencies: deps({ express: '4.21.0', 'express-session': '1.18.0' }) }) });
  assert.match(hinted.content, /Hint: express-session is a dependency: mount this router after session\(\.\.\.\)/);
});

test('Express with Passport: the router is mounted after passport.session(), so req.user is known', () => {
  const c = CASES.find((x) => x.label.startsWith('Passport'))!;
  const h = planAttack('express', SHAPE, c.files);
  const workspace = memoryWorkspace(h.plannedFiles);
  const target = detectProxyTargets(workspace.listFiles(), workspace.readFile, { fromFile: 'public/calls.jsx' }).find((t) => t.kind === 'express')!;
  const result = planProxyMove(callAt(workspace, 'public/calls.jsx', SHAPE.callStart, { client: 'fetch', credentials: SHAPE.credentials }), target, workspace);
  assert.ok(result.ok);
  const server = applyPlan(workspace, result.plan).readFile('server.js')!;
  assert.match(server, /app\.use\(passport\.session\(\)\);\n\/\/ Server-side proxy added by API Atlas; mounted after the sign-in middleware so it knows the user\.\napp\.use\(exampleChatProxy\);\napp\.listen/);
});

let tmp: string;
let upstream: HostileUpstream;
const savedEnv = { ...process.env };

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'api-atlas-auth-'));
  upstream = new HostileUpstream();
  await upstream.start();
});

after(async () => {
  await upstream.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
  process.env = savedEnv;
});

test('Auth.js, executed: no session → 401 and the upstream is never called; a session → 200, rate-limited per user', async () => {
  const c = CASES[0];
  const h = planAttack('next-app', SHAPE, c.files);
  // The app's auth module, replaced by one the test controls.
  const stub = path.join(tmp, 'auth-stub.mjs');
  fs.writeFileSync(stub, 'export async function auth() { return globalThis.__atlasSession ?? null; }\n');
  const content = withUpstream(h.content, upstream.origin).replace("from '../../../auth'", `from '${pathToFileURL(stub).href}'`);
  process.env[h.secretEnv!] = SECRET;
  process.env.PROXY_RATE_LIMIT = '2';
  const server = await serveHandler(h, content, tmp, 'authjs');
  const g = globalThis as { __atlasSession?: unknown };
  const post = (): Promise<{ status: number }> => request(server.base, h.route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  try {
    upstream.reset('echo');
    delete g.__atlasSession;
    assert.equal((await post()).status, 401);
    assert.equal(upstream.requests.length, 0, 'a caller who is not signed in never reaches the upstream');
    g.__atlasSession = { user: { id: 'user-1' } };
    assert.equal((await post()).status, 200);
    assert.equal((await post()).status, 200);
    assert.equal((await post()).status, 429, 'the third call of user-1 in a minute is limited');
    g.__atlasSession = { user: { id: 'user-2' } };
    assert.equal((await post()).status, 200, 'another user has their own count');
  } finally {
    delete g.__atlasSession;
    await server.close();
  }
});

test('Passport, executed: without req.user → 401; with a user → 200', async () => {
  const c = CASES.find((x) => x.label.startsWith('Passport'))!;
  const h = planAttack('express', SHAPE, c.files);
  process.env[h.secretEnv!] = SECRET;
  process.env.PROXY_RATE_LIMIT = '100';
  const server = await serveHandler(h, withUpstream(h.content, upstream.origin), tmp, 'passport');
  try {
    upstream.reset('echo');
    const anonymous = await request(server.base, h.route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(anonymous.status, 401);
    assert.equal(upstream.requests.length, 0);
  } finally {
    await server.close();
  }
  // passport.session() ran first and set req.user.
  const handle = await routeHandler(h);
  const signedIn = http.createServer((req, res) => {
    Object.assign(req, { user: { id: 7 } });
    handle(req, res);
  });
  await new Promise<void>((resolve) => signedIn.listen(0, '127.0.0.1', resolve));
  try {
    const port = (signedIn.address() as { port: number }).port;
    const ok = await request(`http://127.0.0.1:${port}`, h.route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(ok.status, 200);
  } finally {
    signedIn.closeAllConnections();
    await new Promise<void>((resolve) => signedIn.close(() => resolve()));
  }
});

/** The Express route handler of the generated router (loaded through the attack support's fake express). */
async function routeHandler(h: PlannedHandler): Promise<(req: http.IncomingMessage, res: http.ServerResponse) => void> {
  const dir = path.join(tmp, 'passport-direct');
  fs.mkdirSync(path.join(dir, 'node_modules', 'express'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node_modules', 'express', 'index.js'), "function express() {}\nexpress.Router = () => { const routes = []; const r = { routes, all(p, h) { routes.push(h); return r; } }; return r; };\nmodule.exports = express;\n");
  const file = path.join(dir, 'router.cjs');
  fs.writeFileSync(file, withUpstream(h.content, upstream.origin));
  const { createRequire } = await import('node:module');
  const mod = createRequire(file)(file) as Record<string, { routes: ((req: http.IncomingMessage, res: http.ServerResponse) => void)[] }>;
  return Object.values(mod)[0].routes[0];
}

test('the planner refuses a URL with a malformed percent escape with a reason, instead of throwing URIError', () => {
  const ws = memoryWorkspace({
    'package.json': '{"dependencies":{"next":"15"}}',
    'app/page.tsx': 'export default function Page() { return null; }',
    'app/a.ts': [
      "'use client';",
      'export async function a(q: string) {',
      "  await fetch('https://api.example.com/v1/search?q=%zz');",
      '  await fetch(`https://api.example.com/v1/search?q=${q}&tag=%E0%A4%A`);',
      "  await fetch('https://api.example.com/v1/search?q=%ff');",
      "  await fetch('https://api.example.com/v1/search?q=%41%20b');",
      '}',
    ].join('\n'),
  });
  const [target] = detectProxyTargets(ws.listFiles(), ws.readFile);
  for (const start of ["fetch('https://api.example.com/v1/search?q=%zz", 'fetch(`https://api.example.com/v1/search?q=${q}', "fetch('https://api.example.com/v1/search?q=%ff"]) {
    const result = planProxyMove(callAt(ws, 'app/a.ts', start, { client: 'fetch' }), target, ws);
    assert.equal(result.ok, false, start);
    assert.match(result.ok ? '' : result.reason, /malformed percent escape/);
  }
  const valid = planProxyMove(callAt(ws, 'app/a.ts', "fetch('https://api.example.com/v1/search?q=%41", { client: 'fetch' }), target, ws);
  assert.ok(valid.ok, 'valid escapes still plan');
  assert.match(valid.plan.creates[0].content, /FIXED_QUERY: ReadonlyArray<readonly \[string, string\]> = \[\['q', 'A b'\]\];/);
});
