// Executes the generated proxies (Next.js app and pages router, Express ESM and CJS, standalone) against a fake upstream on 127.0.0.1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { EXPRESS_CJS, EXPRESS_ESM, NEXT_APP, PAGES, STANDALONE, planFor, type ProxyCase as Case } from './proxy-support';
import { FAKE_EXPRESS, withUpstream, type NodeHandler } from './proxy-attack-support';

const SECRET = 'sk-test-SECRET-never-in-a-response-0123456789';

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type UpstreamMode = 'echo' | 'hang' | 'fail' | 'reject-key';

/** A fake third-party API: records every request; in `echo` mode answers with the key it received (to prove redaction). */
class FakeUpstream {
  requests: Recorded[] = [];
  mode: UpstreamMode = 'echo';
  private readonly hanging = new Set<http.ServerResponse>();
  readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (this.mode === 'hang') {
        this.hanging.add(res);
        return;
      }
      if (this.mode === 'fail') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream exploded');
        return;
      }
      if (this.mode === 'reject-key') {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad key"}');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://upstream');
      const key = String(req.headers.authorization ?? req.headers['x-api-key'] ?? url.searchParams.get('appid') ?? '');
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'upstream=1' });
      res.end(JSON.stringify({ relayed: 'upstream-body', method: req.method, body, message: `your key was ${key}` }));
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function toEsm(tsSource: string): string {
  return ts.transpileModule(tsSource, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
}

/** A node:http server that dispatches like Express would: exact path (case-insensitive, optional trailing slash). */
async function serveRoutes(routes: { path: string; handler: NodeHandler }[]): Promise<{ base: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname.replace(/(.)\/$/, '$1').toLowerCase();
    const route = routes.find((r) => r.path.toLowerCase() === pathname);
    if (!route) {
      res.writeHead(404).end('no route');
      return;
    }
    void route.handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serveServer(server: http.Server): Promise<{ base: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One request over raw node:http, so paths like `//evil.com` and `..` reach the server as written. */
function rawRequest(base: string, rawPath: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: rawPath, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

let tmp: string;
let upstream: FakeUpstream;
let upstreamOrigin: string;
const savedEnv = { ...process.env };

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'api-atlas-proxy-'));
  fs.mkdirSync(path.join(tmp, 'node_modules', 'express'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'node_modules', 'express', 'index.js'), FAKE_EXPRESS);
  upstream = new FakeUpstream();
  upstreamOrigin = await upstream.start();
});

after(async () => {
  await upstream.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
  process.env = savedEnv;
});

function reset(secretEnv: string, mode: UpstreamMode = 'echo'): void {
  upstream.requests = [];
  upstream.mode = mode;
  process.env[secretEnv] = SECRET;
  delete process.env.PROXY_TIMEOUT_MS;
}

function write(rel: string, content: string): string {
  const abs = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, content);
  return abs;
}

/** Shared assertions for a POST proxy reached over HTTP at `base + route`. */
async function exercisePostProxy(base: string, route: string, c: Case): Promise<void> {
  reset(c.secretEnv);
  const ok = await rawRequest(base, route, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: 'session=user-cookie', authorization: 'Bearer user-session-token', host: 'evil.example' },
    body: JSON.stringify({ hello: 'world' }),
  });
  assert.equal(ok.status, 200, ok.body);
  assert.match(ok.body, /upstream-body/, 'the upstream body is relayed');
  assert.ok(!ok.body.includes(SECRET), 'the secret never reaches the response, even when the upstream echoes it');
  assert.equal(ok.headers['set-cookie'], undefined, "the upstream's cookies are not relayed to the app's origin");
  assert.equal(upstream.requests.length, 1);
  const seen = upstream.requests[0];
  assert.equal(seen.method, 'POST');
  assert.equal(new URL(seen.url, 'http://x').pathname, c.upstreamPath, 'the upstream path is fixed in code');
  assert.equal(seen.body, JSON.stringify({ hello: 'world' }), 'the body is forwarded unchanged');
  assert.equal(seen.headers.cookie, undefined, "the client's cookies never reach the upstream");
  assert.ok(!JSON.stringify(seen.headers).includes('user-session-token'), "the client's Authorization never reaches the upstream");
  assert.ok(JSON.stringify(seen.headers).includes(SECRET), 'the secret reaches the upstream');

  reset(c.secretEnv);
  for (const method of ['GET', 'PUT', 'DELETE']) {
    const other = await rawRequest(base, route, { method });
    assert.equal(other.status, 405, `${method} is refused`);
  }
  for (const escape of [`${route}/../../admin`, `//evil.example${route}`, `${route}/%2e%2e%2fadmin`, '/api/other']) {
    const res = await rawRequest(base, escape, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    if (res.status === 200) assert.equal(new URL(upstream.requests.at(-1)!.url, 'http://x').pathname, c.upstreamPath, `${escape} cannot change the upstream path`);
    else assert.ok(res.status >= 400 && res.status < 500, `${escape} → ${res.status}`);
  }
  assert.ok(upstream.requests.every((r) => new URL(r.url, 'http://x').pathname === c.upstreamPath), 'only the fixed upstream path was ever called');

  reset(c.secretEnv);
  const big = await rawRequest(base, route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(1_200_000, 'a') });
  assert.equal(big.status, 413, 'an oversized body is refused');
  const chunked = await rawRequest(base, route, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: Buffer.alloc(1_200_000, 'b') });
  assert.equal(chunked.status, 413, 'an oversized body without content-length is refused too');
  assert.equal(upstream.requests.length, 0, 'nothing oversized reaches the upstream');

  reset(c.secretEnv, 'hang');
  process.env.PROXY_TIMEOUT_MS = '300';
  const hung = await rawRequest(base, route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(hung.status, 504, 'a hanging upstream times out');

  reset(c.secretEnv, 'fail');
  const failed = await rawRequest(base, route, { method: 'POST', body: '{}' });
  assert.equal(failed.status, 502, 'an upstream failure is a 502');
  assert.ok(!failed.body.includes('exploded'));

  reset(c.secretEnv, 'reject-key');
  const rejected = await rawRequest(base, route, { method: 'POST', body: '{}' });
  assert.equal(rejected.status, 502, "an upstream refusing the server's key is a 502, not the user's 401");

  reset(c.secretEnv);
  delete process.env[c.secretEnv];
  const unconfigured = await rawRequest(base, route, { method: 'POST', body: '{}' });
  assert.equal(unconfigured.status, 500);
  assert.match(unconfigured.body, /not configured/);
  assert.equal(upstream.requests.length, 0, 'without its secret the proxy calls nothing');
}

describe('generated proxies, executed', () => {
  test('Next.js app router handler: called with new Request(...), safe by construction', async () => {
    const { handler, route } = planFor(NEXT_APP);
    const file = write('next-app/route.mjs', toEsm(withUpstream(handler.content, upstreamOrigin)));
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    assert.equal(typeof mod.POST, 'function', 'the original method is exported');
    for (const other of ['GET', 'PUT', 'PATCH', 'DELETE']) assert.equal(mod[other], undefined, `${other} is not exported, so Next.js answers 405`);
    const POST = mod.POST as (request: Request) => Promise<Response>;
    const origin = 'http://localhost:3000';

    reset(NEXT_APP.secretEnv);
    const ok = await POST(
      new Request(`${origin}${route}?model=evil&url=http://evil.example`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: 'session=abc', authorization: 'Bearer user-token' },
        body: JSON.stringify({ messages: [] }),
      }),
    );
    const text = await ok.text();
    assert.equal(ok.status, 200, text);
    assert.match(text, /upstream-body/);
    assert.ok(!text.includes(SECRET), 'the secret never reaches the response');
    const seen = upstream.requests[0];
    assert.equal(seen.url, '/v1/chat/completions', 'fixed path, and query parameters outside the whitelist are dropped');
    assert.equal(seen.headers.authorization, `Bearer ${SECRET}`, 'the secret reaches the upstream');
    assert.equal(seen.headers.cookie, undefined, "the client's cookies never reach the upstream");
    assert.equal(seen.body, JSON.stringify({ messages: [] }));

    reset(NEXT_APP.secretEnv);
    assert.equal((await POST(new Request(`${origin}${route}`, { method: 'GET' }))).status, 405, 'another method is refused by the handler too');
    const big = await POST(new Request(`${origin}${route}`, { method: 'POST', body: 'x'.repeat(1_200_000) }));
    assert.equal(big.status, 413);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 12; i++) controller.enqueue(new Uint8Array(100_000));
        controller.close();
      },
    });
    const streamed = await POST(new Request(`${origin}${route}`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit));
    assert.equal(streamed.status, 413, 'a streamed body without content-length is limited too');
    assert.equal(upstream.requests.length, 0);

    reset(NEXT_APP.secretEnv, 'hang');
    process.env.PROXY_TIMEOUT_MS = '300';
    assert.equal((await POST(new Request(`${origin}${route}`, { method: 'POST', body: '{}' }))).status, 504);

    reset(NEXT_APP.secretEnv);
    delete process.env.OPENAI_KEY;
    const unconfigured = await POST(new Request(`${origin}${route}`, { method: 'POST', body: '{}' }));
    assert.equal(unconfigured.status, 500);
    assert.equal(upstream.requests.length, 0);
  });

  test('Next.js pages router API route (JavaScript, secret in the query): served by node:http', async () => {
    const { handler, route } = planFor(PAGES);
    const file = write('pages/weather.mjs', withUpstream(handler.content, upstreamOrigin));
    const mod = (await import(pathToFileURL(file).href)) as { default: NodeHandler; config: unknown };
    assert.deepEqual(mod.config, { api: { bodyParser: false } }, 'Next.js leaves the raw body to the proxy');
    const server = await serveServer(http.createServer((req, res) => void mod.default(req, res)));
    try {
      reset(PAGES.secretEnv);
      const ok = await rawRequest(server.base, `${route}?q=Lisbon&appid=attacker-key&units=kelvin&extra=1`, { headers: { cookie: 'a=b' } });
      assert.equal(ok.status, 200, ok.body);
      assert.ok(!ok.body.includes(SECRET), 'the secret never reaches the response');
      const seen = new URL(upstream.requests[0].url, 'http://x');
      assert.equal(seen.pathname, PAGES.upstreamPath);
      assert.equal(seen.searchParams.get('q'), 'Lisbon', 'whitelisted query parameters are forwarded');
      assert.equal(seen.searchParams.get('units'), 'metric', 'fixed query parameters cannot be overridden');
      assert.equal(seen.searchParams.get('appid'), SECRET, "the server's key replaces anything the client sends");
      assert.equal(seen.searchParams.get('extra'), null, 'other query parameters are dropped');
      assert.equal(upstream.requests[0].headers.cookie, undefined);
      assert.equal((await rawRequest(server.base, route, { method: 'POST', body: '{}' })).status, 405);

      reset(PAGES.secretEnv, 'hang');
      process.env.PROXY_TIMEOUT_MS = '300';
      assert.equal((await rawRequest(server.base, `${route}?q=x`)).status, 504);
    } finally {
      await server.close();
    }
  });

  test('Express router, ESM TypeScript (secret from an axios instance): mounted in a node:http server', async () => {
    const { handler, route } = planFor(EXPRESS_ESM);
    const file = write('express-esm/routes/anthropic-messages-proxy.mjs', toEsm(withUpstream(handler.content, upstreamOrigin)));
    const mod = (await import(pathToFileURL(file).href)) as Record<string, { routes: { path: string; handler: NodeHandler }[] }>;
    const router = mod.anthropicMessagesProxy;
    assert.ok(router, 'the module exports its router');
    assert.deepEqual(router.routes.map((r) => r.path), [route]);
    const server = await serveRoutes(router.routes);
    try {
      await exercisePostProxy(server.base, route, EXPRESS_ESM);
      reset(EXPRESS_ESM.secretEnv);
      await rawRequest(server.base, route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(upstream.requests[0].headers['x-api-key'], SECRET);
      assert.equal(upstream.requests[0].headers['anthropic-version'], '2023-06-01', "the instance's static headers are reproduced");
    } finally {
      await server.close();
    }
  });

  test('Express router, CommonJS JavaScript (literal secret moved to an env var)', async () => {
    const { handler, route } = planFor(EXPRESS_CJS);
    const file = write('express-cjs/routes/sendgrid-mail-send-proxy.cjs', withUpstream(handler.content, upstreamOrigin));
    const mod = createRequire(file)(file) as Record<string, { routes: { path: string; handler: NodeHandler }[] }>;
    const router = mod.sendgridMailSendProxy;
    assert.ok(router, 'module.exports carries the router');
    const server = await serveRoutes(router.routes);
    try {
      await exercisePostProxy(server.base, route, EXPRESS_CJS);
    } finally {
      await server.close();
    }
  });

  test('Express router reads a body that express.json() already parsed', async () => {
    const { handler, route } = planFor(EXPRESS_CJS);
    const file = write('express-cjs-parsed/routes/proxy.cjs', withUpstream(handler.content, upstreamOrigin));
    const mod = createRequire(file)(file) as Record<string, { routes: { path: string; handler: NodeHandler }[] }>;
    const inner = mod.sendgridMailSendProxy.routes[0].handler;
    // A body parser mounted first: it consumes the stream and sets req.body, as express.json() does.
    const server = await serveRoutes([
      {
        path: route,
        handler: (req, res) => {
          const chunks: Buffer[] = [];
          req.on('data', (c: Buffer) => chunks.push(c));
          req.on('end', () => {
            Object.assign(req, { body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
            void inner(req, res);
          });
        },
      },
    ]);
    try {
      reset(EXPRESS_CJS.secretEnv);
      const res = await rawRequest(server.base, route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"to":"a@b.c"}' });
      assert.equal(res.status, 200, res.body);
      assert.equal(upstream.requests[0].body, '{"to":"a@b.c"}');
    } finally {
      await server.close();
    }
  });

  test('standalone node:http proxy (path parameter): refuses traversal, encoded slashes and other paths', async () => {
    const { handler, route } = planFor(STANDALONE);
    const file = write('standalone/themoviedb-movie-proxy.mjs', withUpstream(handler.content, upstreamOrigin));
    const mod = (await import(pathToFileURL(file).href)) as { createProxyServer: () => http.Server };
    const server = await serveServer(mod.createProxyServer());
    try {
      reset(STANDALONE.secretEnv);
      const ok = await rawRequest(server.base, `${route}?movieId=603&language=fr&api_key=x`, { headers: { cookie: 'sid=1', authorization: 'Bearer user' } });
      assert.equal(ok.status, 200, ok.body);
      assert.ok(!ok.body.includes(SECRET));
      assert.equal(upstream.requests[0].url, '/3/movie/603?language=en-US', 'path parameter encoded in place, fixed query kept, the rest dropped');
      assert.equal(upstream.requests[0].headers.authorization, `Bearer ${SECRET}`);
      assert.equal(upstream.requests[0].headers.cookie, undefined);

      reset(STANDALONE.secretEnv);
      for (const bad of ['..', '../../admin', 'a%2Fb', '%2e%2e', 'a/b', '', 'x?y', '603#frag']) {
        const res = await rawRequest(server.base, `${route}?movieId=${bad.includes('%') ? bad : encodeURIComponent(bad)}`);
        assert.equal(res.status, 400, `movieId=${bad} is refused`);
      }
      assert.equal((await rawRequest(server.base, route)).status, 400, 'a missing path parameter is refused');
      for (const other of ['/api/other', `${route}/../admin?movieId=1`, `//evil.example${route}?movieId=1`, `${route}x?movieId=1`]) {
        const res = await rawRequest(server.base, other);
        if (res.status === 200) assert.equal(new URL(upstream.requests.at(-1)!.url, 'http://x').pathname, '/3/movie/1', `${other} cannot change the upstream path`);
        else assert.equal(res.status, 404, `${other} → 404`);
      }
      assert.equal((await rawRequest(server.base, `${route}?movieId=1`, { method: 'POST', body: '{}' })).status, 405);
      assert.ok(upstream.requests.every((r) => r.url.startsWith('/3/movie/1')), 'only the fixed upstream path was ever called');

      reset(STANDALONE.secretEnv, 'hang');
      process.env.PROXY_TIMEOUT_MS = '300';
      assert.equal((await rawRequest(server.base, `${route}?movieId=1`)).status, 504);
    } finally {
      await server.close();
    }
  });
});
