// The attack suite: every generated proxy target × every call shape the planner moves, attacked on 127.0.0.1 through a hostile upstream; and proof that each protection is what stops its attack.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  HostileUpstream,
  SECRET,
  SHAPES,
  TARGET_KINDS,
  planAttack,
  request,
  serveHandler,
  withUpstream,
  type Answer,
  type PlannedHandler,
  type Served,
  type UpstreamMode,
} from './proxy-attack-support';
import { typeCheck } from './proxy-support';

interface Ctx {
  h: PlannedHandler;
  base: string;
  upstream: HostileUpstream;
}

/** One attack: resolves to null when the proxy held, or to what went wrong. */
interface Attack {
  name: string;
  applies?: (h: PlannedHandler) => boolean;
  run: (ctx: Ctx) => Promise<string | null>;
}

const JSON_BODY = JSON.stringify({ hello: 'world' });

function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}

/** The suite's defaults: a limit high enough for the attacks, short timeouts so hung cases end fast. */
function defaults(): void {
  setEnv({ PROXY_RATE_LIMIT: '1000000', PROXY_TIMEOUT_MS: '5000', PROXY_BODY_TIMEOUT_MS: '5000', PROXY_MAX_RESPONSE_BYTES: undefined, PROXY_ALLOWED_ORIGINS: undefined });
}

/** A normal call of the shape, with extra headers. */
function call(ctx: Ctx, headers: Record<string, string> = {}, rawPath?: string): Promise<Answer> {
  const post = ctx.h.shape.method === 'POST';
  return request(ctx.base, rawPath ?? `${ctx.h.route}${ctx.h.shape.query}`, {
    method: ctx.h.shape.method,
    headers: post ? { 'content-type': 'application/json', ...headers } : headers,
    body: post ? JSON_BODY : undefined,
  });
}

function mode(ctx: Ctx, m: UpstreamMode): void {
  ctx.upstream.reset(m);
}

/** True when the text shows the secret: as is, URL-encoded, JSON-escaped, or inside any base64 run (any alignment, either alphabet). */
export function revealsSecret(text: string): boolean {
  const inner = SECRET.slice(3, -3);
  const forms = [SECRET, encodeURIComponent(SECRET), JSON.stringify(SECRET).slice(1, -1), encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())];
  if (forms.some((f) => text.includes(f))) return true;
  for (const run of text.match(/[A-Za-z0-9+/_-]{12,}/g) ?? []) {
    const std = run.replace(/-/g, '+').replace(/_/g, '/');
    for (let offset = 0; offset < 4; offset++) {
      const piece = std.slice(offset);
      const decoded = Buffer.from(piece.slice(0, piece.length - (piece.length % 4)), 'base64').toString('latin1');
      if (decoded.includes(inner)) return true;
    }
  }
  return false;
}

const ATTACKS: Attack[] = [
  {
    // First, while the module's counters are fresh.
    name: 'rate limit per client (new)',
    run: async (ctx) => {
      mode(ctx, 'echo');
      setEnv({ PROXY_RATE_LIMIT: '3' });
      try {
        const trustsForwarded = ctx.h.kind === 'next-app' || ctx.h.kind === 'next-pages';
        const who: Record<string, string> = trustsForwarded ? { 'x-real-ip': '203.0.113.7' } : {};
        for (let i = 1; i <= 3; i++) {
          const ok = await call(ctx, who);
          if (ok.status !== 200) return `call ${i} of 3 → ${ok.status}`;
        }
        const over = await call(ctx, who);
        if (over.status !== 429 || !over.headers['retry-after']) return `the 4th call in a minute → ${over.status}, retry-after ${over.headers['retry-after']}`;
        if (!trustsForwarded) {
          const spoofed = await call(ctx, { 'x-forwarded-for': '198.51.100.1', 'x-real-ip': '198.51.100.2' });
          if (spoofed.status !== 429) return `a spoofed X-Forwarded-For escapes the limit (${spoofed.status})`;
        } else {
          const other = await call(ctx, { 'x-real-ip': '203.0.113.8' });
          if (other.status !== 200) return `another client is limited too (${other.status})`;
        }
        if (ctx.upstream.requests.length > 4) return `${ctx.upstream.requests.length} calls reached the upstream`;
        return null;
      } finally {
        defaults();
      }
    },
  },
  {
    name: 'fixed upstream origin and path; the secret reaches the upstream only',
    run: async (ctx) => {
      mode(ctx, 'echo');
      const ok = await call(ctx);
      if (ok.status !== 200) return `a normal call → ${ok.status} ${ok.body.toString()}`;
      const seen = ctx.upstream.requests[0];
      if (!seen) return 'the upstream was not called';
      if (new URL(seen.url, 'http://x').pathname !== ctx.h.shape.upstreamPath) return `upstream path ${seen.url}`;
      if (seen.method !== ctx.h.shape.method) return `upstream method ${seen.method}`;
      if (ctx.h.shape.secret && !JSON.stringify(seen).includes(JSON.stringify(SECRET).slice(1, -1)) && !seen.url.includes(encodeURIComponent(SECRET))) return 'the secret did not reach the upstream';
      if (ctx.h.shape.method === 'POST' && seen.body !== JSON_BODY) return `body ${seen.body}`;
      return null;
    },
  },
  {
    name: 'traversal, absolute URLs, @ and double encoding cannot change the upstream',
    run: async (ctx) => {
      mode(ctx, 'echo');
      const { route } = ctx.h;
      const q = ctx.h.shape.query;
      const paths = [
        `${route}/../../admin${q}`,
        `//evil.example${route}${q}`,
        `${route}/%2e%2e%2fadmin${q}`,
        `${route}%2F..%2F..%2Fadmin${q}`,
        `${route}/..%252f..%252fadmin${q}`,
        `${route}@evil.example${q}`,
        `${route}${q}${q ? '&' : '?'}url=http://evil.example/&host=evil.example&path=/admin&q=%2e%2e%2f`,
        `http://evil.example${route}${q}`,
      ];
      if (ctx.h.shape.upstreamPath.includes('/items/')) {
        for (const id of ['..', '../../admin', 'a%2Fb', '%2e%2e', '%252e%252e', '@evil.example', 'http:%2F%2Fevil.example%2F', '42%23frag', '42%3Fx=1', '']) paths.push(`${route}?id=${id}`);
      }
      for (const p of paths) {
        const before = ctx.upstream.requests.length;
        const res = await call(ctx, {}, p);
        if (res.status === 200 && ctx.upstream.requests.length === before) return `${p} → 200 without an upstream call`;
        if (res.status !== 200 && (res.status < 400 || res.status >= 500)) return `${p} → ${res.status}`;
      }
      const wrong = ctx.upstream.requests.find((r) => new URL(r.url, 'http://x').pathname !== ctx.h.shape.upstreamPath || /evil|admin/.test(r.url) || r.headers.host !== new URL(ctx.upstream.origin).host);
      return wrong ? `the upstream was called at ${wrong.url} (host ${wrong.headers.host})` : null;
    },
  },
  {
    name: 'redirects are not followed (502, the internal service never hit)',
    run: async (ctx) => {
      mode(ctx, 'redirect');
      const before = ctx.upstream.internalHits;
      const res = await call(ctx);
      if (res.status !== 502) return `redirect → ${res.status}`;
      if (ctx.upstream.internalHits !== before) return 'the redirect target was called';
      return null;
    },
  },
  {
    name: 'Set-Cookie, hop-by-hop and other upstream headers dropped',
    run: async (ctx) => {
      mode(ctx, 'hop-by-hop');
      const res = await call(ctx);
      if (res.status !== 200) return `→ ${res.status}`;
      for (const name of ['set-cookie', 'x-upstream-hop', 'proxy-authenticate', 'access-control-allow-origin', 'x-internal-debug']) if (res.headers[name] !== undefined) return `${name} relayed`;
      if (String(res.headers['keep-alive'] ?? '').includes('99')) return "the upstream's keep-alive relayed";
      return null;
    },
  },
  {
    name: "the client's Cookie, Authorization and method overrides never reach the upstream",
    run: async (ctx) => {
      mode(ctx, 'echo');
      const res = await call(ctx, {
        cookie: 'session=user-cookie',
        authorization: 'Bearer user-session-token',
        'proxy-authorization': 'Basic dXNlcjpwYXNz',
        'x-http-method-override': 'DELETE',
        'x-method-override': 'DELETE',
        'x-http-method': 'DELETE',
        'x-forwarded-host': '127.0.0.1',
      });
      if (res.status !== 200) return `→ ${res.status}`;
      const seen = ctx.upstream.requests[0];
      const sent = JSON.stringify(seen.headers);
      for (const leak of ['user-cookie', 'user-session-token', 'dXNlcjpwYXNz', 'DELETE']) if (sent.includes(leak)) return `${leak} reached the upstream`;
      if (seen.method !== ctx.h.shape.method) return `upstream method ${seen.method}`;
      return null;
    },
  },
  {
    name: 'other methods are refused (405)',
    run: async (ctx) => {
      mode(ctx, 'echo');
      for (const method of ['DELETE', 'PUT', 'PATCH', ctx.h.shape.method === 'GET' ? 'POST' : 'GET']) {
        // DELETE and GET carry no body here: Node's client would send it without a length.
        const res = await request(ctx.base, `${ctx.h.route}${ctx.h.shape.query}`, { method, body: method === 'PUT' || method === 'PATCH' || method === 'POST' ? '{}' : undefined });
        if (res.status !== 405) return `${method} → ${res.status}`;
      }
      return ctx.upstream.requests.length === 0 ? null : 'the upstream was called';
    },
  },
  {
    name: 'oversized request bodies are refused (413)',
    applies: (h) => h.shape.method === 'POST',
    run: async (ctx) => {
      mode(ctx, 'echo');
      const big = await request(ctx.base, ctx.h.route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.alloc(1_200_000, 'a') });
      if (big.status !== 413) return `1.2 MB with content-length → ${big.status}`;
      const chunked = await request(ctx.base, ctx.h.route, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: Buffer.alloc(1_200_000, 'b') });
      if (chunked.status !== 413) return `1.2 MB chunked → ${chunked.status}`;
      return ctx.upstream.requests.length === 0 ? null : 'an oversized body reached the upstream';
    },
  },
  {
    name: 'a hung upstream times out (504)',
    run: async (ctx) => {
      mode(ctx, 'hang');
      setEnv({ PROXY_TIMEOUT_MS: '300' });
      try {
        const res = await call(ctx);
        return res.status === 504 ? null : `→ ${res.status}`;
      } finally {
        defaults();
      }
    },
  },
  {
    name: 'upstream errors are not relayed (502, no secret)',
    run: async (ctx) => {
      for (const m of ['fail', 'reject-key'] as const) {
        mode(ctx, m);
        const res = await call(ctx);
        if (res.status !== 502) return `${m} → ${res.status}`;
        if (revealsSecret(res.body.toString('latin1'))) return `${m}: the secret is in the error`;
      }
      return null;
    },
  },
  {
    name: 'cross-site requests are refused (new)',
    run: async (ctx) => {
      mode(ctx, 'echo');
      const own = new URL(ctx.base).origin;
      const refusedCases: Record<string, string>[] = [
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'cross-site', origin: own },
        { origin: 'https://evil.example' },
        { origin: 'null' },
        { origin: `${own}.evil.example` },
        { 'sec-fetch-site': 'same-site', origin: 'https://sub.127.0.0.1.example' },
      ];
      for (const headers of refusedCases) {
        const res = await call(ctx, headers);
        if (res.status !== 403) return `${JSON.stringify(headers)} → ${res.status}`;
      }
      if (ctx.upstream.requests.length !== 0) return 'a cross-site request reached the upstream';
      const same = await call(ctx, { 'sec-fetch-site': 'same-origin', origin: own });
      if (same.status !== 200) return `a same-origin page → ${same.status}`;
      const tool = await call(ctx, {});
      if (tool.status !== 200) return `a request without browser headers → ${tool.status}`;
      setEnv({ PROXY_ALLOWED_ORIGINS: 'https://app.example.com, https://admin.example.com' });
      try {
        const listed = await call(ctx, { 'sec-fetch-site': 'same-site', origin: 'https://admin.example.com' });
        if (listed.status !== 200) return `an origin in PROXY_ALLOWED_ORIGINS → ${listed.status}`;
      } finally {
        defaults();
      }
      return null;
    },
  },
  {
    name: 'the secret is scrubbed from every content type, streamed or not (new)',
    applies: (h) => h.shape.secret,
    run: async (ctx) => {
      for (const m of ['echo', 'no-type', 'octet', 'event-stream'] as const) {
        mode(ctx, m);
        const res = await call(ctx);
        if (res.status !== 200) return `${m} → ${res.status}`;
        if (revealsSecret(res.body.toString('latin1'))) return `${m}: the secret reached the browser`;
        if (m === 'event-stream' && !res.body.toString('latin1').includes('data: first\n\n')) return 'the event stream was not relayed';
      }
      return null;
    },
  },
  {
    name: 'URL-encoded, base64 and JSON-escaped echoes of the secret are scrubbed (new)',
    applies: (h) => h.shape.secret,
    run: async (ctx) => {
      mode(ctx, 'encodings');
      const res = await call(ctx);
      if (res.status !== 200) return `→ ${res.status}`;
      const text = res.body.toString('latin1');
      return revealsSecret(text) ? `a form of the secret reached the browser: ${text}` : null;
    },
  },
  {
    name: 'relayed header values are scrubbed (new)',
    applies: (h) => h.shape.secret,
    run: async (ctx) => {
      mode(ctx, 'header-echo');
      const res = await call(ctx);
      if (res.status !== 200) return `→ ${res.status}`;
      for (const [name, value] of Object.entries(res.headers)) if (revealsSecret(String(value))) return `the secret is in the ${name} header`;
      return null;
    },
  },
  {
    name: 'upstream HTML and SVG never run on the app origin (new)',
    run: async (ctx) => {
      for (const m of ['html', 'svg', 'no-type'] as const) {
        mode(ctx, m);
        const res = await call(ctx);
        if (res.status !== 200) return `${m} → ${res.status}`;
        if (res.headers['x-content-type-options'] !== 'nosniff') return `${m}: no nosniff`;
        if (!/attachment/.test(String(res.headers['content-disposition']))) return `${m}: served inline (content-type ${res.headers['content-type']})`;
        if (!/\bsandbox\b/.test(String(res.headers['content-security-policy']))) return `${m}: no CSP sandbox`;
      }
      mode(ctx, 'echo');
      const json = await call(ctx);
      if (json.headers['content-disposition'] !== undefined) return 'JSON is made a download';
      return null;
    },
  },
  {
    name: 'Cache-Control: no-store unless the call is a public read (new)',
    run: async (ctx) => {
      mode(ctx, 'public-cache');
      const res = await call(ctx);
      if (res.status !== 200) return `→ ${res.status}`;
      const expected = ctx.h.shape.secret ? 'no-store' : 'public, max-age=31536000';
      return res.headers['cache-control'] === expected ? null : `cache-control ${res.headers['cache-control']}, expected ${expected}`;
    },
  },
  {
    name: 'responses past the size cap are cut off without reading the rest (new)',
    run: async (ctx) => {
      setEnv({ PROXY_MAX_RESPONSE_BYTES: '300000' });
      try {
        mode(ctx, 'huge-declared');
        const declared = await call(ctx);
        if (declared.status !== 502 || !/larger/.test(declared.body.toString())) return `a declared 64 MB response → ${declared.status} ${declared.body.subarray(0, 80).toString()}`;
        mode(ctx, 'huge');
        const streamed = await call(ctx);
        if (!streamed.cut) return `a streamed 64 MB response ended cleanly (${streamed.status}, ${streamed.body.byteLength} bytes)`;
        if (streamed.body.byteLength > 300_000) return `${streamed.body.byteLength} bytes relayed past the cap`;
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (ctx.upstream.hugeWritten > 16 * 1024 * 1024) return `the proxy kept reading: ${ctx.upstream.hugeWritten} bytes pulled from the upstream`;
        return null;
      } finally {
        defaults();
      }
    },
  },
  {
    name: 'a request body that trickles in gets 408 (new)',
    applies: (h) => h.shape.method === 'POST',
    run: async (ctx) => {
      mode(ctx, 'echo');
      setEnv({ PROXY_BODY_TIMEOUT_MS: '300' });
      try {
        // 40 bytes over 4 s: the whole body would arrive, late, without the timeout.
        const res = await request(ctx.base, ctx.h.route, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '40' }, trickle: { bytes: 40, everyMs: 100 } });
        if (res.status !== 408) return `→ ${res.status || 'connection cut'} after ${res.ms} ms`;
        if (res.ms > 3500) return `408 only after ${res.ms} ms`;
        return ctx.upstream.requests.length === 0 ? null : 'the slow body reached the upstream';
      } finally {
        defaults();
      }
    },
  },
];

let tmp: string;
let upstream: HostileUpstream;
let upstreamOrigin: string;
const savedEnv = { ...process.env };
let served = 0;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'api-atlas-attack-'));
  upstream = new HostileUpstream();
  upstreamOrigin = await upstream.start();
});

after(async () => {
  await upstream.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
  process.env = savedEnv;
});

/** Serves `content` (the handler, maybe mutated) and runs the attacks on it; returns the failures by attack name. */
async function attack(h: PlannedHandler, content: string, attacks: Attack[] = ATTACKS): Promise<Map<string, string>> {
  defaults();
  if (h.secretEnv) process.env[h.secretEnv] = SECRET;
  const server: Served = await serveHandler(h, withUpstream(content, upstreamOrigin), tmp, `h${served++}`);
  const failures = new Map<string, string>();
  try {
    for (const a of attacks) {
      if (a.applies && !a.applies(h)) continue;
      const failure = await a.run({ h, base: server.base, upstream });
      if (failure !== null) failures.set(a.name, failure);
    }
  } finally {
    await server.close();
  }
  return failures;
}

describe('attack suite: every target × every call shape', () => {
  for (const kind of TARGET_KINDS) {
    for (const shape of SHAPES) {
      test(`${kind} × ${shape.name}`, async () => {
        const h = planAttack(kind, shape);
        const failures = await attack(h, h.content);
        assert.deepEqual(Object.fromEntries(failures), {}, `${h.file} let attacks through`);
      });
    }
  }
});

/** A deliberate weakening of the generated code and the attacks that must then get through. */
interface Mutation {
  name: string;
  apply: (content: string) => string;
  catches: string[];
}

function replaceOnce(content: string, from: string | RegExp, to: string): string {
  const next = content.replace(from, to);
  assert.notEqual(next, content, `the mutation found ${String(from)}`);
  return next;
}

const MUTATIONS: Mutation[] = [
  {
    name: 'no cross-site check',
    apply: (c) => replaceOnce(c, /function refuseCrossSite\(([^)]*)\)( \{|\{)?[^\n]*\n/, 'function refuseCrossSite($1) {\n  if (Date.now() > 0) return null;\n'),
    catches: ['cross-site requests are refused (new)'],
  },
  { name: 'no rate limit', apply: (c) => replaceOnce(c, 'const limited = rateLimit(client);', 'const limited = null;'), catches: ['rate limit per client (new)'] },
  {
    name: 'rate limit keyed by X-Forwarded-For on a bare server',
    apply: (c) => replaceOnce(c, /const TRUST_FORWARDED_FOR = false;/, 'const TRUST_FORWARDED_FOR = true;'),
    catches: ['rate limit per client (new)'],
  },
  {
    name: 'body relayed unscrubbed',
    apply: (c) => replaceOnce(c, 'scrubbedBody(upstream.body, secret, maxBytes)', 'upstream.body'),
    catches: ['the secret is scrubbed from every content type, streamed or not (new)', 'responses past the size cap are cut off without reading the rest (new)'],
  },
  {
    name: 'scrubbing without a held-back tail (a secret split across chunks passes)',
    apply: (c) => replaceOnce(c, 'const holdBack = Math.max(0, ...forms.map((form) => form.length - 1));', 'const holdBack = 0;'),
    catches: ['the secret is scrubbed from every content type, streamed or not (new)'],
  },
  {
    name: 'only the exact secret is scrubbed',
    apply: (c) => replaceOnce(c, /return \[\.\.\.new Set\(forms\)\]/, 'return [secret]; // [...new Set(forms)]'),
    catches: ['URL-encoded, base64 and JSON-escaped echoes of the secret are scrubbed (new)', 'relayed header values are scrubbed (new)'],
  },
  { name: 'relayed headers unscrubbed', apply: (c) => replaceOnce(c, 'headers.set(name, redact(value, secret))', 'headers.set(name, value)'), catches: ['relayed header values are scrubbed (new)'] },
  {
    name: 'active content served inline',
    apply: (c) => replaceOnce(replaceOnce(c, "    headers.set('content-disposition', 'attachment');\n", ''), ` 'content-security-policy': "default-src 'none'; sandbox",`, ''),
    catches: ['upstream HTML and SVG never run on the app origin (new)'],
  },
  { name: "upstream's Cache-Control always relayed", apply: (c) => replaceOnce(c, 'if (PUBLIC_READ && cacheControl !== null)', 'if (cacheControl !== null)'), catches: ['Cache-Control: no-store unless the call is a public read (new)'] },
  {
    name: 'no response size cap',
    apply: (c) => replaceOnce(replaceOnce(c, 'if (size > maxBytes) throw', 'if (size < 0) throw'), "if (Number(upstream.headers.get('content-length')) > maxBytes) {", 'if (maxBytes < 0) {'),
    catches: ['responses past the size cap are cut off without reading the rest (new)'],
  },
  {
    name: 'no request-body timeout',
    apply: (c) => c.replace(/envNumber\('PROXY_BODY_TIMEOUT_MS', DEFAULT_BODY_TIMEOUT_MS\)/g, '1e9'),
    catches: ['a request body that trickles in gets 408 (new)'],
  },
];

describe('each protection is what stops its attack (mutations of the generated code)', () => {
  // Express CommonJS (node:http, a POST with a secret header) and the app router (Web Request, TypeScript).
  const targets: [string, () => PlannedHandler][] = [
    ['express', () => planAttack('express', SHAPES[0])],
    ['next-app', () => planAttack('next-app', SHAPES[0])],
  ];
  for (const [label, plan] of targets) {
    for (const m of MUTATIONS) {
      if (label === 'next-app' && m.name.includes('X-Forwarded-For')) continue; // the app router has no socket address: it always counts by forwarded address
      test(`${label}: ${m.name} → ${m.catches.length} attack(s) get through`, async () => {
        const h = plan();
        const attacks = ATTACKS.filter((a) => m.catches.includes(a.name));
        assert.equal(attacks.length, m.catches.length, 'the named attacks exist');
        const intact = await attack(h, h.content, attacks);
        assert.deepEqual(Object.fromEntries(intact), {}, 'the generated code holds');
        const failures = await attack(h, m.apply(h.content), attacks);
        assert.deepEqual([...failures.keys()].sort(), [...m.catches].sort(), `without it: ${JSON.stringify(Object.fromEntries(failures))}`);
      });
    }
  }
});

test('the default response cap is 5 MB: a 64 MB answer is refused with a clear error, the upstream is not read to the end', async () => {
  const h = planAttack('standalone', SHAPES[1]);
  assert.match(h.content, /^const DEFAULT_MAX_RESPONSE_BYTES = 5_000_000;$/m);
  const declared = ATTACKS.find((a) => a.name.startsWith('responses past the size cap'))!;
  const failures = await attack(h, h.content, [
    {
      name: 'default cap',
      run: async (ctx) => {
        setEnv({ PROXY_MAX_RESPONSE_BYTES: undefined });
        mode(ctx, 'huge');
        const res = await call(ctx);
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (!res.cut || res.body.byteLength > 5_000_000) return `${res.body.byteLength} bytes, cut: ${res.cut}`;
        if (ctx.upstream.hugeWritten > 32 * 1024 * 1024) return `${ctx.upstream.hugeWritten} bytes pulled`;
        return null;
      },
    },
    declared,
  ]);
  assert.deepEqual(Object.fromEntries(failures), {});
});

test('the attack checks themselves: revealsSecret sees every encoding, and not scrubbed text', () => {
  const b64 = (t: string): string => Buffer.from(t).toString('base64');
  for (const leak of [SECRET, encodeURIComponent(SECRET), JSON.stringify({ k: SECRET }), b64(SECRET), b64(`apikey:${SECRET}`), b64(`xy${SECRET}`).replace(/\+/g, '-').replace(/\//g, '_')]) {
    assert.ok(revealsSecret(`before ${leak} after`), leak);
  }
  assert.ok(!revealsSecret('{"raw":"key [redacted] end","b64":"[redacted]"}'));
});

test('every target × call shape of the suite type-checks (strict TypeScript, and // @ts-check JavaScript)', () => {
  const files: Record<string, string> = {};
  for (const kind of TARGET_KINDS) {
    for (const shape of SHAPES) {
      const h = planAttack(kind, shape);
      // The Express router is CommonJS in a package without "type": its .js file is checked as .cjs.
      files[kind === 'express' ? h.file.replace(/\.js$/, '.cjs') : h.file] = h.content;
    }
  }
  assert.equal(Object.keys(files).length, TARGET_KINDS.length * SHAPES.length);
  assert.deepEqual(typeCheck(files), []);
});
