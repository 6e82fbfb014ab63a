// Attack-suite support: workspaces for every proxy target with every call shape the planner moves, a hostile recording upstream, and loaders that serve each generated handler on 127.0.0.1.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { detectProxyTargets, planProxyMove, type ProxyTarget } from '../../src/core/fix/proxy';
import { callAt, memoryWorkspace, type CredentialSpec, type MemoryWorkspace } from './proxy-support';

/** Characters a JSON, URL or base64 encoder changes (`"`, `\`, `/`, `+`), so every encoded echo differs from the raw secret. */
export const SECRET = 'sk-live_AbC/dEf+GhI"jKl\\mNoPq-0123456789';

export const TARGET_KINDS: ProxyTarget['kind'][] = ['next-app', 'next-pages', 'express', 'standalone'];

/** A call shape the planner moves, written the same way in every workspace's client file. */
export interface CallShape {
  name: string;
  callStart: string;
  client: 'fetch' | 'axios' | 'axios-instance';
  credentials: CredentialSpec[];
  definition?: boolean;
  method: 'GET' | 'POST';
  /** The upstream path the proxy must always call (path parameters as the suite fills them). */
  upstreamPath: string;
  /** Query the suite sends on a normal call. */
  query: string;
  secret: boolean;
}

const ENV = 'process.env.NEXT_PUBLIC_EXAMPLE_KEY';
const envCredential = (placement: CredentialSpec['placement'], field: string): CredentialSpec => ({ text: ENV, source: 'env', placement, field, envName: 'NEXT_PUBLIC_EXAMPLE_KEY' });

export const SHAPES: CallShape[] = [
  { name: 'fetch POST, secret header', callStart: "fetch('https://api.example.com/v1/chat'", client: 'fetch', credentials: [envCredential('header', 'x-api-key')], method: 'POST', upstreamPath: '/v1/chat', query: '', secret: true },
  { name: 'fetch GET, path parameter, bearer secret', callStart: 'fetch(`https://api.example.com/v1/items/', client: 'fetch', credentials: [envCredential('header', 'Authorization')], method: 'GET', upstreamPath: '/v1/items/42', query: '?id=42', secret: true },
  { name: 'axios GET, secret in the query', callStart: 'axios.get(`https://api.example.com/v1/search', client: 'axios', credentials: [envCredential('query', 'key')], method: 'GET', upstreamPath: '/v1/search', query: '?q=books', secret: true },
  { name: 'axios instance POST, secret in instance defaults', callStart: "example.post('/jobs'", client: 'axios-instance', credentials: [envCredential('instance-default', 'x-api-key')], definition: true, method: 'POST', upstreamPath: '/v1/jobs', query: '', secret: true },
  { name: 'fetch GET, no secret (public read)', callStart: 'fetch(`https://api.example.com/v1/public', client: 'fetch', credentials: [], method: 'GET', upstreamPath: '/v1/public', query: '?q=maps', secret: false },
];

const CLIENT_CALLS = `import axios from 'axios';
import { example } from './example';

export async function chat(message) {
  const res = await fetch('https://api.example.com/v1/chat', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-api-key': process.env.NEXT_PUBLIC_EXAMPLE_KEY },
    body: JSON.stringify(message),
  });
  return res.json();
}

export async function item(id) {
  const res = await fetch(\`https://api.example.com/v1/items/\${id}\`, { headers: { Authorization: \`Bearer \${process.env.NEXT_PUBLIC_EXAMPLE_KEY}\` } });
  return res.json();
}

export async function search(q) {
  const res = await axios.get(\`https://api.example.com/v1/search?q=\${encodeURIComponent(q)}&key=\${process.env.NEXT_PUBLIC_EXAMPLE_KEY}\`);
  return res.data;
}

export async function job(payload) {
  const res = await example.post('/jobs', payload);
  return res.data;
}

export async function publicMap(q) {
  const res = await fetch(\`https://api.example.com/v1/public?q=\${encodeURIComponent(q)}\`);
  return res.json();
}
`;

const INSTANCE = `import axios from 'axios';
export const example = axios.create({
  baseURL: 'https://api.example.com/v1',
  headers: { 'x-api-key': process.env.NEXT_PUBLIC_EXAMPLE_KEY },
});
`;

/** A small project of each kind, with the calls in a browser file (`dir/calls.jsx`) and `extra` files added. */
export function attackWorkspace(kind: ProxyTarget['kind'], extra: Record<string, string> = {}): { ws: MemoryWorkspace; callsFile: string; instanceFile: string } {
  const pkg = (deps: Record<string, string>): string => JSON.stringify({ name: 'attack', private: true, dependencies: { axios: '1.7.0', ...deps } });
  const base: Record<string, Record<string, string>> = {
    'next-app': { 'package.json': pkg({ next: '15.0.0', react: '19.0.0' }), 'tsconfig.json': '{}', 'app/page.tsx': 'export default function Page() {\n  return null;\n}\n' },
    'next-pages': { 'package.json': pkg({ next: '14.2.0', react: '18.3.0' }), 'pages/index.jsx': 'export default function Home() {\n  return null;\n}\n' },
    express: { 'package.json': pkg({ express: '4.21.0' }), 'server.js': "const express = require('express');\n\nconst app = express();\napp.use(express.json());\napp.listen(3000);\n" },
    standalone: { 'package.json': pkg({ vite: '5.4.0' }), 'index.html': '<script type="module" src="/src/calls.jsx"></script>\n' },
  };
  const dir = kind === 'next-app' ? 'app/components' : kind === 'next-pages' ? 'lib' : kind === 'express' ? 'public' : 'src';
  const callsFile = `${dir}/calls.jsx`;
  const instanceFile = `${dir}/example.js`;
  const files = { ...base[kind], [callsFile]: `${kind === 'next-app' ? "'use client';\n" : ''}${CLIENT_CALLS}`, [instanceFile]: INSTANCE, ...extra };
  return { ws: memoryWorkspace(files), callsFile, instanceFile };
}

export interface PlannedHandler {
  kind: ProxyTarget['kind'];
  shape: CallShape;
  file: string;
  content: string;
  route: string;
  secretEnv: string | null;
  notes: string[];
  plannedFiles: Map<string, string>;
}

/** Plans the move of `shape` into the `kind` target of its attack workspace. */
export function planAttack(kind: ProxyTarget['kind'], shape: CallShape, extra: Record<string, string> = {}): PlannedHandler {
  const { ws, callsFile, instanceFile } = attackWorkspace(kind, extra);
  const target = detectProxyTargets(ws.listFiles(), ws.readFile, { fromFile: callsFile }).find((t) => t.kind === kind);
  if (!target) throw new Error(`no ${kind} target offered`);
  const call = callAt(ws, callsFile, shape.callStart, {
    client: shape.client,
    credentials: shape.credentials,
    definition: shape.definition ? { name: 'example', file: instanceFile, line: 2 } : undefined,
  });
  const result = planProxyMove(call, target, ws);
  if (!result.ok) throw new Error(`${kind} × ${shape.name}: ${result.reason}`);
  const handler = result.plan.creates[0];
  const route = /The browser calls (\/api\/[^;]+);/.exec(handler.content)?.[1];
  if (!route) throw new Error('the handler names its route');
  const secretEnv = /process\.env\.([A-Z0-9_]+);/.exec(handler.content)?.[1] ?? null;
  const plannedFiles = new Map(ws.files);
  return { kind, shape, file: handler.file, content: handler.content, route, secretEnv, notes: result.plan.notes, plannedFiles };
}

/** Points the handler at the fake upstream: the only line the suite changes (besides deliberate mutations). */
export function withUpstream(content: string, origin: string): string {
  const pattern = /^const UPSTREAM_ORIGIN = '[^']+';$/gm;
  const found = content.match(pattern)?.length ?? 0;
  if (found !== 1) throw new Error(`expected exactly one UPSTREAM_ORIGIN constant, found ${found}`);
  return content.replace(pattern, `const UPSTREAM_ORIGIN = '${origin}';`);
}

export type UpstreamMode =
  | 'echo'
  | 'encodings'
  | 'no-type'
  | 'octet'
  | 'event-stream'
  | 'html'
  | 'svg'
  | 'header-echo'
  | 'public-cache'
  | 'hop-by-hop'
  | 'redirect'
  | 'hang'
  | 'fail'
  | 'reject-key'
  | 'huge'
  | 'huge-declared';

export interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const HUGE_BYTES = 64 * 1024 * 1024;

/** A hostile third-party API on 127.0.0.1: records every request and answers the way `mode` says. */
export class HostileUpstream {
  requests: Recorded[] = [];
  mode: UpstreamMode = 'echo';
  /** Bytes written by the last `huge` answer before the proxy hung up. */
  hugeWritten = 0;
  internalHits = 0;
  private readonly open = new Set<http.ServerResponse>();
  /** An internal service a redirect points at: the proxy must never reach it. */
  readonly internal = http.createServer((_req, res) => {
    this.internalHits++;
    res.end('internal secrets');
  });
  internalOrigin = '';
  origin = '';
  readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      this.answer(res);
    });
  });

  private answer(res: http.ServerResponse): void {
    const s = SECRET;
    const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
    switch (this.mode) {
      case 'hang':
        this.open.add(res);
        return;
      case 'fail':
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`upstream exploded ${s}`);
        return;
      case 'reject-key':
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `bad key ${s}` }));
        return;
      case 'redirect':
        res.writeHead(302, { location: `${this.internalOrigin}/admin` }).end();
        return;
      case 'encodings':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ raw: `key ${s} end`, url: `k=${encodeURIComponent(s)}`, b64: b64(s), basic: `Basic ${b64(`apikey:${s}`)}`, shifted: b64(`xy${s}`), urlsafe: b64(`x${s}`).replace(/\+/g, '-').replace(/\//g, '_') }));
        return;
      case 'no-type':
        res.writeHead(200);
        res.end(`binary?${s}`);
        return;
      case 'octet':
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(Buffer.concat([Buffer.from([0, 255, 1]), Buffer.from(s), Buffer.from([254])]));
        return;
      case 'event-stream': {
        // The secret is split across two writes (and so across chunks of the proxy's stream).
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: first\n\ndata: ${s.slice(0, 9)}`);
        setTimeout(() => res.end(`${s.slice(9)}\n\n`), 30);
        return;
      }
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<script>fetch("/api/account").then((r) => r.text()).then(alert)</script>');
        return;
      case 'svg':
        res.writeHead(200, { 'content-type': 'image/svg+xml' }).end('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>');
        return;
      case 'header-echo':
        res.writeHead(200, { 'content-type': `application/json; note=${encodeURIComponent(s)}`, 'content-language': s.replace(/["\\]/g, ''), 'retry-after': b64(s) });
        res.end('{}');
        return;
      case 'public-cache':
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=31536000' }).end('{"cached":true}');
        return;
      case 'hop-by-hop':
        res.writeHead(200, {
          'content-type': 'application/json',
          'set-cookie': 'upstream_session=1; Path=/',
          connection: 'x-upstream-hop',
          'x-upstream-hop': '1',
          'keep-alive': 'timeout=99',
          'proxy-authenticate': 'Basic realm="upstream"',
          'access-control-allow-origin': '*',
          'x-internal-debug': 'db=10.0.0.5',
        });
        res.end('{"ok":true}');
        return;
      case 'huge':
      case 'huge-declared': {
        // 64 MB, written as fast as the proxy reads it; stops when the proxy hangs up.
        res.writeHead(200, this.mode === 'huge-declared' ? { 'content-type': 'application/json', 'content-length': String(HUGE_BYTES) } : { 'content-type': 'application/json' });
        this.hugeWritten = 0;
        const block = Buffer.alloc(64 * 1024, 'a');
        const pump = (): void => {
          while (this.hugeWritten < HUGE_BYTES) {
            this.hugeWritten += block.byteLength;
            if (!res.write(block)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('close', () => res.removeAllListeners('drain'));
        pump();
        return;
      }
      default: {
        const received = JSON.stringify(this.requests.at(-1)?.headers ?? {});
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'upstream=1' });
        res.end(JSON.stringify({ relayed: 'upstream-body', echoed: `${s} ${received.includes('Bearer') ? 'bearer' : ''}` }));
      }
    }
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.internal.listen(0, '127.0.0.1', resolve));
    this.internalOrigin = `http://127.0.0.1:${(this.internal.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.origin;
  }

  reset(mode: UpstreamMode): void {
    this.requests = [];
    this.mode = mode;
    this.hugeWritten = 0;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    for (const server of [this.server, this.internal]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}

export interface Served {
  base: string;
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<Served> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Just enough of express for generated router modules, written as node_modules/express/index.js. */
export const FAKE_EXPRESS = `'use strict';
// Just enough of express for the generated router module: Router() records its routes.
function express() { throw new Error('the tests only use express.Router()'); }
express.Router = function Router() {
  const routes = [];
  const router = { routes, all(path, handler) { routes.push({ path, handler }); return router; } };
  return router;
};
module.exports = express;
`;

export type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown;

/** Sends a Web Response through node:http, cutting the connection when its body fails (as Next.js does). */
async function sendWeb(res: http.ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  try {
    if (response.body) for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
    res.end();
  } catch {
    res.destroy();
  }
}

/**
 * Writes the handler into `tmp` and serves it on 127.0.0.1 the way its framework would: the app router's exported
 * method functions behind exact path routing (other methods 405), the pages router's default export, the Express
 * router's routes, the standalone server itself.
 */
export async function serveHandler(h: PlannedHandler, content: string, tmp: string, id: string): Promise<Served> {
  const dir = path.join(tmp, id);
  fs.mkdirSync(path.join(dir, 'node_modules', 'express'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node_modules', 'express', 'index.js'), FAKE_EXPRESS);
  const routeMatches = (req: http.IncomingMessage, route: string): boolean => new URL(req.url ?? '/', 'http://x').pathname.replace(/(.)\/$/, '$1') === route;
  if (h.kind === 'next-app') {
    const esm = ts.transpileModule(content, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const file = path.join(dir, 'route.mjs');
    fs.writeFileSync(file, esm);
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    return listen(
      http.createServer((req, res) => {
        const method = req.method ?? 'GET';
        const fn = mod[method];
        if (!routeMatches(req, h.route)) return void res.writeHead(404).end();
        if (typeof fn !== 'function') return void res.writeHead(405).end();
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
        const hasBody = method !== 'GET' && method !== 'HEAD';
        // An absolute-form target (`GET http://evil.example/api/x`) is parsed as such, as Next.js's server does.
        const request = new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`), {
          method,
          headers,
          body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
          duplex: 'half',
        } as RequestInit);
        void (fn as (r: Request) => Promise<Response>)(request).then((response) => sendWeb(res, response));
      }),
    );
  }
  if (h.kind === 'next-pages') {
    const file = path.join(dir, 'api.mjs');
    fs.writeFileSync(file, content);
    const mod = (await import(pathToFileURL(file).href)) as { default: NodeHandler };
    return listen(http.createServer((req, res) => (routeMatches(req, h.route) ? void mod.default(req, res) : void res.writeHead(404).end())));
  }
  if (h.kind === 'express') {
    const file = path.join(dir, 'router.cjs');
    fs.writeFileSync(file, content);
    const mod = createRequire(file)(file) as Record<string, { routes: { path: string; handler: NodeHandler }[] }>;
    const router = Object.values(mod)[0];
    return listen(
      http.createServer((req, res) => {
        const route = router.routes.find((r) => routeMatches(req, r.path));
        if (!route) return void res.writeHead(404).end();
        void route.handler(req, res);
      }),
    );
  }
  const file = path.join(dir, 'proxy.mjs');
  fs.writeFileSync(file, content);
  const mod = (await import(pathToFileURL(file).href)) as { createProxyServer: () => http.Server };
  return listen(mod.createProxyServer());
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The connection was cut before the body ended. */
  cut: boolean;
  ms: number;
}

/** One request over raw node:http, so paths like `//evil.example` and `..` reach the server as written. */
export function request(base: string, rawPath: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; trickle?: { bytes: number; everyMs: number } } = {}): Promise<Answer> {
  const url = new URL(base);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const req = http.request({ host: url.hostname, port: url.port, path: rawPath, method: init.method ?? 'GET', headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.byteLength;
        if (size <= 8 * 1024 * 1024) chunks.push(c);
      });
      const done = (cut: boolean): void => {
        clearInterval(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), cut, ms: Date.now() - started });
      };
      res.on('end', () => done(false));
      res.on('aborted', () => done(true));
      res.on('error', () => done(true));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearInterval(timer);
      if (init.trickle && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) resolve({ status: 0, headers: {}, body: Buffer.alloc(0), cut: true, ms: Date.now() - started });
      else reject(error);
    });
    if (init.trickle) {
      let sent = 0;
      const { bytes, everyMs } = init.trickle;
      timer = setInterval(() => {
        if (req.destroyed || sent >= bytes) {
          clearInterval(timer);
          if (!req.destroyed) req.end();
          return;
        }
        sent++;
        req.write('a');
      }, everyMs);
    } else {
      req.end(init.body);
    }
  });
}
