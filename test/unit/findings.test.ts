// Unit tests of findings.ts: each rule's positive case and its look-alikes, severities from settings, ignore comments.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { computeFindings, ruleSeverity, RULES } from '../../src/core/rules';
import { parseEnvFile, type EnvEntry } from '../../src/core/scan';
import { detectFile } from '../../src/core/detect';
import { parseSource } from '../../src/core/parse';
import { DEFAULT_SETTINGS, RULE_IDS, TOPIC_IDS, type CallFacts, type CallRecord, type Context, type Credential, type RuleId, type Runtime, type Settings, type UrlInfo } from '../../src/core/model';

// Fake keys assembled at run time so secret scanners do not flag this file.
const OPENAI_KEY = 'sk-' + 'proj-' + 'Qw3rTy9UiOp4AsDfGh7JkLzXcVbNm12';
const STRIPE_SECRET = 'sk_' + 'live_' + '51HqLyjWDarjtT1zdp7dcXYZ12ab';
const STRIPE_PUBLISHABLE = 'pk_' + 'live_' + '51HqLyjWDarjtT1zdp7dcXYZ12ab';
const GOOGLE_KEY = 'AIza' + 'SyD4x9Qm2Lk7Vn8Rt5Wp3Zb6Hc1Jf0Gd2Ke';

// ---- test-data builder ------------------------------------------------------------------------------------------

interface CallSpec {
  runtime?: Runtime;
  context?: Context;
  url?: string;
  line?: number;
  method?: string | null;
  client?: CallRecord['client'];
  facts?: Partial<CallFacts>;
}

let nextOffset = 0;

function urlInfo(text: string): UrlInfo {
  const m = /^(?:https?:)?\/\/([^/:?#]+)/i.exec(text);
  if (m) return { text, template: text, host: m[1].toLowerCase(), kind: 'absolute' };
  if (text.startsWith('/')) return { text, template: text, host: null, kind: 'relative' };
  return { text, template: null, host: null, kind: 'dynamic' };
}

function call(spec: CallSpec = {}): CallRecord {
  const line = spec.line ?? 10;
  const start = spec.facts?.span?.start ?? (nextOffset += 100);
  const facts: CallFacts = {
    callee: spec.client === 'axios' ? 'axios.get' : 'fetch',
    span: { start, end: start + 20 },
    argSpans: [],
    headers: [],
    credentials: [],
    hasBody: false,
    hasErrorHandling: true,
    hasTimeout: true,
    awaited: false,
    branches: [],
    inTimer: false,
    ignoredRules: [],
    ...spec.facts,
  };
  return {
    id: `call-${start}`,
    file: 'src/app.ts',
    range: { start: { line, column: 1 }, end: { line, column: 20 } },
    client: spec.client ?? 'fetch',
    method: spec.method === undefined ? 'GET' : spec.method,
    url: urlInfo(spec.url ?? '/api/items'),
    runtime: spec.runtime ?? 'frontend',
    context: spec.context ?? 'spa',
    confidence: 0.9,
    evidence: [],
    findings: [],
    facts,
  };
}

function envCred(envName: string, extra: Partial<Credential> = {}): Credential {
  return {
    source: 'env',
    placement: 'header',
    field: 'Authorization',
    envName,
    envAccess: envName.startsWith('VITE_') ? 'import.meta.env' : 'process.env',
    text: `process.env.${envName}`,
    span: { start: 0, end: 1 },
    ...extra,
  };
}

function literalCred(literal: string, extra: Partial<Credential> = {}): Credential {
  return { source: 'literal', placement: 'header', field: 'Authorization', literal, text: `'${literal}'`, span: { start: 0, end: 1 }, ...extra };
}

function otherCred(source: Credential['source'], text: string, extra: Partial<Credential> = {}): Credential {
  return { source, placement: 'header', field: 'Authorization', text, span: { start: 0, end: 1 }, ...extra };
}

interface RunOptions {
  env?: EnvEntry[];
  settings?: Partial<Settings>;
  text?: string;
  rel?: string;
}

function run(calls: CallRecord[], opts: RunOptions = {}): CallRecord[] {
  const settings: Settings = { ...DEFAULT_SETTINGS, ...opts.settings };
  computeFindings(calls, { rel: opts.rel ?? 'src/app.ts', text: opts.text ?? '' }, opts.env ?? [], settings);
  return calls;
}

function rulesOf(c: CallRecord): RuleId[] {
  return c.findings.map((f) => f.rule);
}

function finding(c: CallRecord, rule: RuleId) {
  return c.findings.find((f) => f.rule === rule);
}

function secretRules(c: CallRecord): RuleId[] {
  return rulesOf(c).filter((r) => r === 'client-secret' || r === 'public-env-secret' || r === 'hardcoded-secret');
}

function env(name: string, value: string, file = '.env.local', line = 1): EnvEntry {
  return { name, value, file, line };
}

// ---- the rule table -----------------------------------------------------------------------------------------------

test('RULES describes all ten rules with known topics and their doc page', () => {
  assert.deepEqual(Object.keys(RULES).sort(), [...RULE_IDS].sort());
  for (const id of RULE_IDS) {
    assert.equal(RULES[id].id, id);
    assert.equal(RULES[id].docPath, `docs/rules/${id}.md`);
    assert.ok(RULES[id].topics.length > 0, id);
    for (const topic of RULES[id].topics) assert.ok((TOPIC_IDS as readonly string[]).includes(topic), `${id}: ${topic}`);
  }
});

// ---- client-secret and its look-alikes ---------------------------------------------------------------------------

describe('client-secret', () => {
  test('a browser-exposed env var named like a secret, sent from browser code', () => {
    const [c] = run([call({ url: 'https://api.openai.com/v1/chat/completions', method: 'POST', facts: { credentials: [envCred('NEXT_PUBLIC_OPENAI_API_KEY')] } })]);
    const f = finding(c, 'client-secret');
    assert.ok(f, 'client-secret expected');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /NEXT_PUBLIC_OPENAI_API_KEY/);
    assert.match(f.message, /Authorization/);
    assert.ok(f.topics.includes('third-party-secrets'));
    assert.ok(rulesOf(c).includes('public-env-secret'));
  });

  test('every browser prefix counts, including Vite and SvelteKit $env/static/public', () => {
    for (const name of ['VITE_OPENAI_KEY', 'REACT_APP_SECRET', 'VUE_APP_API_TOKEN', 'NUXT_PUBLIC_API_SECRET', 'EXPO_PUBLIC_API_KEY', 'GATSBY_ADMIN_PASSWORD']) {
      const [c] = run([call({ facts: { credentials: [envCred(name)] } })]);
      assert.ok(rulesOf(c).includes('client-secret'), name);
    }
    const [svelte] = run([call({ facts: { credentials: [envCred('PUBLIC_STRIPE_SECRET', { envAccess: '$env/static/public' })] } })]);
    assert.match(finding(svelte, 'client-secret')?.message ?? '', /\$env\/static\/public/);
  });

  test('a hard-coded sk- key in browser code is a client-secret and a hardcoded-secret error, masked', () => {
    const [c] = run([call({ facts: { credentials: [literalCred(`Bearer ${OPENAI_KEY}`)] } })]);
    assert.deepEqual(secretRules(c), ['client-secret', 'hardcoded-secret']);
    assert.equal(finding(c, 'hardcoded-secret')?.severity, 'error');
    for (const f of c.findings) assert.ok(!f.message.includes(OPENAI_KEY), 'the key must never be printed');
    assert.match(finding(c, 'client-secret')?.message ?? '', /sk-p…/);
  });

  test('a secret in an axios instance\'s default headers counts for a call through the instance', () => {
    const [c] = run([
      call({
        client: 'axios-instance',
        facts: {
          callee: 'openai.post',
          credentials: [envCred('VITE_OPENAI_KEY', { placement: 'instance-default' })],
          definition: { name: 'openai', file: 'src/lib/openai.ts', line: 4 },
        },
      }),
    ]);
    const f = finding(c, 'client-secret');
    assert.ok(f);
    assert.match(f.message, /axios instance `openai` \(src\/lib\/openai\.ts:4\)/);
  });

  test('an isomorphic call carrying a public secret is flagged too', () => {
    const [c] = run([call({ runtime: 'isomorphic', context: 'shared-module', facts: { credentials: [envCred('NEXT_PUBLIC_GITHUB_TOKEN')] } })]);
    assert.ok(rulesOf(c).includes('client-secret'));
  });

  test('publishable keys are not secrets', () => {
    const lookAlikes: Credential[] = [
      envCred('NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY', { placement: 'body', field: 'stripeKey' }),
      envCred('NEXT_PUBLIC_SUPABASE_ANON_KEY', { field: 'apikey' }),
      envCred('NEXT_PUBLIC_FIREBASE_API_KEY', { placement: 'query', field: 'key' }),
      envCred('NEXT_PUBLIC_SENTRY_DSN'),
      envCred('NEXT_PUBLIC_ALGOLIA_SEARCH_KEY', { field: 'X-Algolia-API-Key' }),
      envCred('NEXT_PUBLIC_MAPBOX_TOKEN', { placement: 'query', field: 'access_token' }),
      envCred('NEXT_PUBLIC_GOOGLE_MAPS_API_KEY', { placement: 'query', field: 'key' }),
      envCred('NEXT_PUBLIC_POSTHOG_KEY', { placement: 'body', field: 'api_key' }),
      envCred('NEXT_PUBLIC_RECAPTCHA_SITE_KEY', { placement: 'body', field: 'sitekey' }),
      envCred('NEXT_PUBLIC_GITHUB_CLIENT_ID', { placement: 'query', field: 'client_id' }),
      literalCred(STRIPE_PUBLISHABLE),
      literalCred(GOOGLE_KEY, { placement: 'query', field: 'key' }),
    ];
    for (const cred of lookAlikes) {
      const [c] = run([call({ facts: { credentials: [cred] } })]);
      assert.deepEqual(secretRules(c), [], cred.envName ?? cred.literal);
    }
  });

  test('a random-looking value under a publishable name (a VAPID public key) is not a secret', () => {
    const vapid = 'BEl62iUYgUivxIkv69yViEuiBIa40HI80NqIUHI8u3Zx5Qk2Rt7Wn9Lp4Mv6Jb1Ks0Hd';
    const [c] = run([call({ runtime: 'backend', facts: { credentials: [envCred('NEXT_PUBLIC_VAPID_PUBLIC_KEY', { placement: 'body', field: 'applicationServerKey' })] } })], {
      env: [env('NEXT_PUBLIC_VAPID_PUBLIC_KEY', vapid)],
    });
    assert.deepEqual(secretRules(c), []);
    const [leak] = run([call({ facts: { credentials: [envCred('NEXT_PUBLIC_BUILD_INFO', { placement: 'body', field: 'info' })] } })], {
      env: [env('NEXT_PUBLIC_BUILD_INFO', vapid)],
    });
    assert.deepEqual(secretRules(leak), ['client-secret', 'public-env-secret'], 'the same value under a neutral name reads as a secret');
  });

  test('a publishable key in .env wins over a name that sounds secret', () => {
    const [c] = run([call({ facts: { credentials: [envCred('NEXT_PUBLIC_STRIPE_KEY')] } })], { env: [env('NEXT_PUBLIC_STRIPE_KEY', STRIPE_PUBLISHABLE)] });
    assert.deepEqual(secretRules(c), []);
  });

  test("the user's own session token and a key the user types in are not app secrets", () => {
    const session = otherCred('session', "localStorage.getItem('token')");
    const typed = otherCred('user-input', 'apiKeyInput.value', { field: 'x-api-key' });
    const [a, b] = run([
      call({ url: 'https://api.example.com/me', facts: { credentials: [session] } }),
      call({ url: 'https://api.openai.com/v1/models', facts: { credentials: [typed] } }),
    ]);
    assert.deepEqual(secretRules(a), []);
    assert.deepEqual(secretRules(b), []);
    assert.ok(!rulesOf(b).includes('third-party-direct'), 'a bring-your-own-key call has no app secret to move');
  });

  test('the same secret in a backend call: no client-secret, but a hardcoded-secret warning', () => {
    const [c] = run([call({ runtime: 'backend', context: 'node-server', url: 'https://api.openai.com/v1/models', facts: { credentials: [literalCred(`Bearer ${OPENAI_KEY}`)] } })]);
    assert.deepEqual(secretRules(c), ['hardcoded-secret']);
    assert.equal(finding(c, 'hardcoded-secret')?.severity, 'warning');
  });

  test('a server-only env var read in browser code is not a leak (the bundler leaves it undefined)', () => {
    const [c] = run([call({ facts: { credentials: [envCred('OPENAI_API_KEY')] } })], { env: [env('OPENAI_API_KEY', OPENAI_KEY)] });
    assert.deepEqual(secretRules(c), []);
  });

  test('an innocently named NEXT_PUBLIC_ var whose .env value is sk_live_ is a client-secret and a public-env-secret', () => {
    const [c] = run([call({ facts: { credentials: [envCred('NEXT_PUBLIC_PAYMENTS_ID', { field: 'X-Payments' })] } })], {
      env: [env('NEXT_PUBLIC_PAYMENTS_ID', STRIPE_SECRET, 'web/.env.local', 3)],
      rel: 'web/app/pay.tsx',
    });
    assert.deepEqual(secretRules(c), ['client-secret', 'public-env-secret']);
    const f = finding(c, 'client-secret');
    assert.match(f?.message ?? '', /Stripe secret key/);
    assert.match(f?.message ?? '', /web\/\.env\.local:3/);
    assert.ok(!c.findings.some((x) => x.message.includes(STRIPE_SECRET)), 'the value must be masked');
  });

  test('the .env of the package that owns the file is preferred over another package\'s', () => {
    const entries = [env('NEXT_PUBLIC_SITE_TOKENISH', 'plain-value', 'apps/web/.env'), env('NEXT_PUBLIC_SITE_TOKENISH', STRIPE_SECRET, 'apps/admin/.env')];
    const [web] = run([call({ facts: { credentials: [envCred('NEXT_PUBLIC_SITE_TOKENISH')] } })], { env: entries, rel: 'apps/web/src/a.ts' });
    assert.deepEqual(secretRules(web), []);
    const [admin] = run([call({ facts: { credentials: [envCred('NEXT_PUBLIC_SITE_TOKENISH')] } })], { env: entries, rel: 'apps/admin/src/a.ts' });
    assert.deepEqual(secretRules(admin), ['client-secret', 'public-env-secret']);
  });

  test('an innocently named public var sent to a secret-key API is that API\'s key', () => {
    const [c] = run([call({ url: 'https://api.openai.com/v1/models', facts: { credentials: [envCred('NEXT_PUBLIC_OAI')] } })]);
    assert.ok(rulesOf(c).includes('client-secret'));
    assert.match(finding(c, 'client-secret')?.message ?? '', /OpenAI API/);
  });

  test('a Google key sent to Gemini is a secret; the same format for Firebase or Maps is not', () => {
    const [gemini] = run([call({ url: 'https://generativelanguage.googleapis.com/v1beta/models', facts: { credentials: [literalCred(GOOGLE_KEY, { placement: 'query', field: 'key' })] } })]);
    assert.deepEqual(secretRules(gemini), ['client-secret', 'hardcoded-secret']);
    const [maps] = run([call({ url: 'https://maps.googleapis.com/maps/api/geocode/json', facts: { credentials: [envCred('NEXT_PUBLIC_GOOGLE_API_KEY', { placement: 'query', field: 'key' })] } })], {
      env: [env('NEXT_PUBLIC_GOOGLE_API_KEY', GOOGLE_KEY)],
    });
    assert.deepEqual(secretRules(maps), []);
  });

  test('a runtime-unknown call is not a client-secret, but the public env var is still reported', () => {
    const [c] = run([call({ runtime: 'unknown', context: 'unknown', facts: { credentials: [envCred('NEXT_PUBLIC_OPENAI_API_KEY')] } })]);
    assert.deepEqual(secretRules(c), ['public-env-secret']);
  });
});

describe('public-env-secret', () => {
  test('a secret-named public var read by a backend call: warning, with the server-only name to use', () => {
    const [c] = run([call({ runtime: 'backend', context: 'node-server', facts: { credentials: [envCred('NEXT_PUBLIC_OPENAI_API_KEY')] } })]);
    const f = finding(c, 'public-env-secret');
    assert.ok(f);
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /`OPENAI_API_KEY`/);
    assert.ok(!rulesOf(c).includes('client-secret'));
  });

  test('a bare PUBLIC_ prefix exposes nothing when a Node server reads it through process.env', () => {
    const [node, astro] = run([
      call({ runtime: 'backend', facts: { credentials: [envCred('PUBLIC_API_TOKEN', { envAccess: 'process.env' })] } }),
      call({ runtime: 'backend', facts: { credentials: [envCred('PUBLIC_API_TOKEN', { envAccess: 'import.meta.env' })] } }),
    ]);
    assert.deepEqual(secretRules(node), []);
    assert.deepEqual(secretRules(astro), ['public-env-secret']);
  });

  test('a publishable public var or a server-only secret var is not reported', () => {
    const [a, b] = run([
      call({ runtime: 'backend', facts: { credentials: [envCred('NEXT_PUBLIC_SUPABASE_ANON_KEY')] } }),
      call({ runtime: 'backend', facts: { credentials: [envCred('STRIPE_SECRET_KEY')] } }),
    ]);
    assert.deepEqual(secretRules(a), []);
    assert.deepEqual(secretRules(b), []);
  });
});

describe('hardcoded-secret', () => {
  test('a literal credential in an ordinary header field is reported even without a known prefix', () => {
    const [c] = run([call({ runtime: 'backend', facts: { credentials: [literalCred('a8Kd93hfQ2', { field: 'X-API-Key' })] } })]);
    assert.deepEqual(secretRules(c), ['hardcoded-secret']);
    assert.match(finding(c, 'hardcoded-secret')?.message ?? '', /`X-API-Key` header/);
  });

  test('hard-coded Basic auth credentials are reported', () => {
    const basic = `Basic ${Buffer.from('admin:pa55w0rd!').toString('base64')}`;
    const [c] = run([call({ runtime: 'backend', facts: { credentials: [literalCred(basic)] } })]);
    assert.deepEqual(secretRules(c), ['hardcoded-secret']);
  });

  test('placeholders are not secrets', () => {
    for (const literal of ['YOUR_API_KEY', 'xxx', '<token>', 'test', 'changeme', 'Bearer YOUR_TOKEN_HERE', 'sk-xxxxxxxxxxxxxxxxxxxxxxxx']) {
      const [c] = run([call({ facts: { credentials: [literalCred(literal)] } })]);
      assert.deepEqual(secretRules(c), [], literal);
    }
  });

  test('a literal of unknown origin in a non-secret field is left alone', () => {
    const [c] = run([call({ runtime: 'backend', facts: { credentials: [literalCred('application/json', { field: 'Accept' })] } })]);
    assert.deepEqual(secretRules(c), []);
  });

  test('isomorphic code ships to the browser, so its hard-coded secret is an error', () => {
    const [c] = run([call({ runtime: 'isomorphic', facts: { credentials: [literalCred(STRIPE_SECRET)] } })]);
    assert.equal(finding(c, 'hardcoded-secret')?.severity, 'error');
  });
});

// ---- third-party-direct -----------------------------------------------------------------------------------------

describe('third-party-direct', () => {
  test('a browser call to OpenAI or Stripe is reported, naming the API and host', () => {
    const [a, b] = run([
      call({ url: 'https://api.openai.com/v1/chat/completions', method: 'POST', facts: { hasBody: true } }),
      call({ url: 'https://api.stripe.com/v1/charges', method: 'POST', facts: { hasBody: true } }),
    ]);
    assert.match(finding(a, 'third-party-direct')?.message ?? '', /OpenAI API \(api\.openai\.com\)/);
    assert.equal(finding(a, 'third-party-direct')?.severity, 'warning');
    assert.match(finding(b, 'third-party-direct')?.message ?? '', /Stripe API/);
  });

  test('the same host called from the server is fine', () => {
    const [c] = run([call({ runtime: 'backend', url: 'https://api.openai.com/v1/models' })]);
    assert.ok(!rulesOf(c).includes('third-party-direct'));
  });

  test('the host may come from an axios instance baseURL', () => {
    const c = call({ client: 'axios-instance', url: '/chat/completions', facts: { baseURL: 'https://api.anthropic.com/v1' } });
    c.url = { text: "'/chat/completions'", template: '/chat/completions', host: null, kind: 'relative' };
    run([c]);
    assert.ok(rulesOf(c).includes('third-party-direct'));
  });

  test('a read of a public catalogue endpoint with no credential is what the vendor allows from browsers', () => {
    const [models, completion] = run([
      call({ url: 'https://openrouter.ai/api/v1/models' }),
      call({ url: 'https://openrouter.ai/api/v1/chat/completions', method: 'POST', facts: { hasBody: true } }),
    ]);
    assert.ok(!rulesOf(models).includes('third-party-direct'), 'a GET with no key at all');
    assert.ok(rulesOf(models).includes('cross-origin'));
    assert.ok(rulesOf(completion).includes('third-party-direct'), 'a POST with a body only works with the key, wherever it is added');
  });

  test('a read with any key of the app, or with headers that could not be read, is still reported', () => {
    const text = "fetch('https://api.openai.com/v1/models', { headers });\nfetch('https://api.openai.com/v1/models', { ...init });";
    const opts = (from: number, to: number) => ({ argSpans: [{ start: text.indexOf('{', from), end: text.indexOf('}', from) + 1 }].filter((s) => s.start < to) });
    const second = text.indexOf('\n');
    const [withKey, unreadHeaders, spread, viaInstance] = run(
      [
        call({ url: 'https://api.openai.com/v1/models', facts: { credentials: [envCred('VITE_OPENAI_KEY')] } }),
        call({ url: 'https://api.openai.com/v1/models', facts: opts(0, second) }),
        call({ url: 'https://api.openai.com/v1/models', facts: opts(second, text.length) }),
        call({ url: 'https://api.openai.com/v1/models', client: 'axios-instance' }),
      ],
      { text },
    );
    assert.ok(rulesOf(withKey).includes('third-party-direct'));
    assert.ok(rulesOf(unreadHeaders).includes('third-party-direct'), '`headers` built elsewhere may hold the key');
    assert.ok(rulesOf(spread).includes('third-party-direct'), 'spread options may hold the key');
    assert.ok(rulesOf(viaInstance).includes('third-party-direct'), 'instance defaults may hold the key');
  });

  test('only publishable keys (Stripe pk_) on a Stripe call stay quiet; a secret key or a secret value behind a publishable name does not', () => {
    const stripe = 'https://api.stripe.com/v1/tokens';
    const [envPk, literalPk, envSk, misnamed] = run(
      [
        call({ url: stripe, method: 'POST', facts: { hasBody: true, credentials: [envCred('VITE_STRIPE_PUBLISHABLE_KEY')] } }),
        call({ url: stripe, method: 'POST', facts: { hasBody: true, credentials: [literalCred(`Bearer ${STRIPE_PUBLISHABLE}`)] } }),
        call({ url: stripe, method: 'POST', facts: { hasBody: true, credentials: [envCred('VITE_STRIPE_KEY')] } }),
        call({ url: stripe, method: 'POST', facts: { hasBody: true, credentials: [envCred('VITE_STRIPE_PK_MISNAMED')] } }),
      ],
      { env: [env('VITE_STRIPE_PUBLISHABLE_KEY', STRIPE_PUBLISHABLE), env('VITE_STRIPE_KEY', STRIPE_SECRET), env('VITE_STRIPE_PK_MISNAMED', STRIPE_SECRET)] },
    );
    assert.ok(!rulesOf(envPk).includes('third-party-direct'), 'a publishable env key');
    assert.ok(!rulesOf(literalPk).includes('third-party-direct'), 'a publishable literal');
    assert.ok(rulesOf(envSk).includes('third-party-direct'), 'a secret key');
    assert.ok(rulesOf(misnamed).includes('third-party-direct'), 'a publishable-looking name holding sk_live_');
  });

  test('GitHub only when the app sends its own token', () => {
    const [anon, withToken, userToken] = run([
      call({ url: 'https://api.github.com/repos/acme/site' }),
      call({ url: 'https://api.github.com/user/repos', facts: { credentials: [envCred('NEXT_PUBLIC_GH_TOKEN')] } }),
      call({ url: 'https://api.github.com/user', facts: { credentials: [otherCred('session', 'session.accessToken')] } }),
    ]);
    assert.ok(!rulesOf(anon).includes('third-party-direct'));
    assert.ok(rulesOf(withToken).includes('third-party-direct'));
    assert.ok(!rulesOf(userToken).includes('third-party-direct'));
  });

  test('Shopify Storefront and Algolia search are browser APIs; Admin and Algolia writes are not', () => {
    const [storefront, admin, search, write] = run([
      call({ url: 'https://acme.myshopify.com/api/2024-01/graphql.json', method: 'POST' }),
      call({ url: 'https://acme.myshopify.com/admin/api/2024-01/products.json', facts: { credentials: [envCred('VITE_SHOPIFY_ADMIN_TOKEN', { field: 'X-Shopify-Access-Token' })] } }),
      call({ url: 'https://ABC123-dsn.algolia.net/1/indexes/products/query', method: 'POST' }),
      call({ url: 'https://ABC123.algolia.net/1/indexes/products/batch', method: 'POST' }),
    ]);
    assert.ok(!rulesOf(storefront).includes('third-party-direct'));
    assert.ok(rulesOf(admin).includes('third-party-direct'));
    assert.ok(!rulesOf(search).includes('third-party-direct'));
    assert.ok(rulesOf(write).includes('third-party-direct'));
  });

  test('Supabase only with the service role', () => {
    const [anon, service] = run([
      call({ url: 'https://xyz.supabase.co/rest/v1/todos', facts: { credentials: [envCred('NEXT_PUBLIC_SUPABASE_ANON_KEY', { field: 'apikey' })] } }),
      call({ url: 'https://xyz.supabase.co/rest/v1/todos', facts: { credentials: [envCred('NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY', { field: 'apikey' })] } }),
    ]);
    assert.ok(!rulesOf(anon).includes('third-party-direct'));
    assert.ok(rulesOf(service).includes('third-party-direct'));
    assert.ok(rulesOf(service).includes('client-secret'));
  });
});

// ---- URLs -------------------------------------------------------------------------------------------------------

describe('cross-origin and insecure-http', () => {
  test('a browser call to another origin is cross-origin (info); relative and local URLs are not', () => {
    const [remote, relative, local] = run([call({ url: 'https://api.example.com/v1/items' }), call({ url: '/api/items' }), call({ url: 'http://localhost:4000/items' })]);
    assert.equal(finding(remote, 'cross-origin')?.severity, 'info');
    assert.match(finding(remote, 'cross-origin')?.message ?? '', /https:\/\/api\.example\.com/);
    assert.ok(!rulesOf(relative).includes('cross-origin'));
    assert.deepEqual(rulesOf(local).filter((r) => r === 'cross-origin' || r === 'insecure-http'), []);
  });

  test('cross-origin is a browser concern only', () => {
    const [c] = run([call({ runtime: 'backend', url: 'https://api.example.com/v1/items' })]);
    assert.ok(!rulesOf(c).includes('cross-origin'));
  });

  test('http:// to a remote host is insecure in any runtime', () => {
    const [front, back] = run([call({ url: 'http://weather.example.org/today' }), call({ runtime: 'backend', url: 'http://api.partner.com/v2/stock' })]);
    assert.equal(finding(front, 'insecure-http')?.severity, 'warning');
    assert.match(finding(front, 'insecure-http')?.message ?? '', /weather\.example\.org/);
    assert.ok(rulesOf(back).includes('insecure-http'));
  });

  test('http:// to local and private hosts is fine', () => {
    for (const url of ['http://127.0.0.1:8080/x', 'http://app.localhost/x', 'http://printer.local/status', 'http://192.168.1.20/api', 'http://api:3000/users', 'http://[::1]:3000/x', 'http://0.0.0.0:3000/x']) {
      const [c] = run([call({ runtime: 'backend', url })]);
      assert.ok(!rulesOf(c).includes('insecure-http'), url);
    }
  });

  test('a host only known at run time is not judged', () => {
    const c = call({ url: 'http://{host}/x' });
    c.url = { text: '`http://${host}/x`', template: 'http://{host}/x', host: '{host}', kind: 'absolute' };
    run([c]);
    assert.ok(!rulesOf(c).includes('insecure-http'));
    assert.ok(!rulesOf(c).includes('cross-origin'));
  });
});

// ---- waterfall, polling, robustness ------------------------------------------------------------------------------

describe('request-waterfall', () => {
  const loadDashboard = { name: 'loadDashboard', span: { start: 1000, end: 2000 } };

  test('the second and later awaited calls in one frontend function are reported, naming the one they wait for', () => {
    const calls = run([
      call({ line: 12, facts: { span: { start: 1100, end: 1120 }, awaited: true, enclosingFunction: loadDashboard } }),
      call({ line: 13, facts: { span: { start: 1200, end: 1220 }, awaited: true, enclosingFunction: loadDashboard } }),
      call({ line: 14, facts: { span: { start: 1300, end: 1320 }, awaited: true, enclosingFunction: loadDashboard } }),
    ]);
    assert.deepEqual(
      calls.map((c) => rulesOf(c).includes('request-waterfall')),
      [false, true, true],
    );
    assert.match(finding(calls[1], 'request-waterfall')?.message ?? '', /line 12 in `loadDashboard`/);
    assert.match(finding(calls[2], 'request-waterfall')?.message ?? '', /line 13/);
  });

  test('not for calls in different functions, calls not awaited, or server code', () => {
    const other = { name: 'loadUser', span: { start: 3000, end: 4000 } };
    const a = run([
      call({ facts: { span: { start: 1100, end: 1120 }, awaited: true, enclosingFunction: loadDashboard } }),
      call({ facts: { span: { start: 3100, end: 3120 }, awaited: true, enclosingFunction: other } }),
    ]);
    const b = run([
      call({ facts: { span: { start: 1100, end: 1120 }, awaited: false, enclosingFunction: loadDashboard } }),
      call({ facts: { span: { start: 1200, end: 1220 }, awaited: false, enclosingFunction: loadDashboard } }),
    ]);
    const c = run([
      call({ runtime: 'backend', facts: { span: { start: 1100, end: 1120 }, awaited: true, enclosingFunction: loadDashboard } }),
      call({ runtime: 'backend', facts: { span: { start: 1200, end: 1220 }, awaited: true, enclosingFunction: loadDashboard } }),
    ]);
    for (const x of [...a, ...b, ...c]) assert.ok(!rulesOf(x).includes('request-waterfall'));
  });
});

describe('request-waterfall on real control flow', () => {
  /** Detects the calls of `text` as frontend code and runs the rules; returns which calls got a waterfall. */
  function waterfalls(text: string): boolean[] {
    const rel = 'src/flow.ts';
    const { calls } = detectFile(parseSource(rel, text), rel);
    for (const c of calls) c.runtime = 'frontend';
    computeFindings(calls, { rel, text }, [], DEFAULT_SETTINGS);
    return calls.sort((a, b) => a.facts.span.start - b.facts.span.start).map((c) => rulesOf(c).includes('request-waterfall'));
  }

  test('requests in the arms of if / else if / else exclude each other', () => {
    const text = [
      'export async function route(mode: string) {',
      "  if (mode === 'a') { await fetch('/api/a'); }",
      "  else if (mode === 'b') { await fetch('/api/b'); }",
      "  else { await fetch('/api/c'); }",
      '}',
    ].join('\n');
    assert.deepEqual(waterfalls(text), [false, false, false]);
  });

  test('switch cases that break, and the arms of a ternary, exclude each other; a case that falls through does not', () => {
    const text = [
      'export async function pick(kind: string, flag: boolean) {',
      '  switch (kind) {',
      "    case 'a': await fetch('/api/a'); break;",
      "    case 'b': await fetch('/api/b'); return;",
      "    case 'c': await fetch('/api/c');",
      "    default: await fetch('/api/d');",
      '  }',
      "  const r = flag ? await fetch('/api/e') : await fetch('/api/f');",
      '  return r;',
      '}',
    ].join('\n');
    // /api/d runs after /api/c (fall-through); /api/e after /api/d; /api/f only instead of /api/e but still after /api/d.
    assert.deepEqual(waterfalls(text), [false, false, false, true, true, true]);
  });

  test('a branch that returns before the next request is no waterfall; one that goes on is', () => {
    const text = [
      'export async function load(cached: boolean) {',
      "  if (cached) { await fetch('/api/cache'); return; }",
      "  await fetch('/api/fresh');",
      '}',
      'export async function chain(withUser: boolean) {',
      "  if (withUser) { await fetch('/api/user'); }",
      "  await fetch('/api/feed');",
      '}',
    ].join('\n');
    assert.deepEqual(waterfalls(text), [false, false, false, true]);
  });
});

describe('polling, no-error-handling, no-timeout', () => {
  test('a frontend call in a timer is polling; a backend one is not', () => {
    const [front, back] = run([call({ facts: { inTimer: true } }), call({ runtime: 'backend', facts: { inTimer: true } })]);
    assert.equal(finding(front, 'polling')?.severity, 'info');
    assert.ok(!rulesOf(back).includes('polling'));
  });

  test('no-error-handling whenever nothing handles the failure, in any runtime', () => {
    const [front, back, handled] = run([
      call({ facts: { hasErrorHandling: false } }),
      call({ runtime: 'backend', client: 'axios', facts: { hasErrorHandling: false } }),
      call({ facts: { hasErrorHandling: true } }),
    ]);
    assert.match(finding(front, 'no-error-handling')?.message ?? '', /`fetch`/);
    assert.match(finding(back, 'no-error-handling')?.message ?? '', /`axios\.get`/);
    assert.ok(!rulesOf(handled).includes('no-error-handling'));
  });

  test('no-timeout for backend calls only', () => {
    const [back, front, backWithTimeout] = run([
      call({ runtime: 'backend', facts: { hasTimeout: false } }),
      call({ runtime: 'frontend', facts: { hasTimeout: false } }),
      call({ runtime: 'backend', facts: { hasTimeout: true } }),
    ]);
    assert.equal(finding(back, 'no-timeout')?.severity, 'info');
    assert.ok(!rulesOf(front).includes('no-timeout'));
    assert.ok(!rulesOf(backWithTimeout).includes('no-timeout'));
  });

  test('robustness advice is not given in tests', () => {
    const [c] = run([call({ runtime: 'backend', context: 'test', facts: { hasTimeout: false, hasErrorHandling: false } })]);
    assert.deepEqual(rulesOf(c), []);
  });
});

// ---- severities and silencing ------------------------------------------------------------------------------------

describe('severities from settings', () => {
  test('ruleSeverity: defaults, runtime-dependent hardcoded-secret, overrides', () => {
    assert.equal(ruleSeverity('client-secret', DEFAULT_SETTINGS), 'error');
    assert.equal(ruleSeverity('no-timeout', DEFAULT_SETTINGS), 'info');
    assert.equal(ruleSeverity('hardcoded-secret', DEFAULT_SETTINGS, 'backend'), 'warning');
    assert.equal(ruleSeverity('hardcoded-secret', DEFAULT_SETTINGS, 'frontend'), 'error');
    assert.equal(ruleSeverity('cross-origin', { rules: { 'cross-origin': 'warning' } }), 'warning');
    assert.equal(ruleSeverity('hardcoded-secret', { rules: { 'hardcoded-secret': 'info' } }, 'frontend'), 'info');
  });

  test('a rule set to "off" disappears; another set to "error" is raised', () => {
    const [c] = run([call({ runtime: 'backend', url: 'http://api.partner.com/x', facts: { hasTimeout: false, hasErrorHandling: false } })], {
      settings: { rules: { 'no-timeout': 'off', 'insecure-http': 'error' } },
    });
    assert.ok(!rulesOf(c).includes('no-timeout'));
    assert.equal(finding(c, 'insecure-http')?.severity, 'error');
    assert.equal(c.findings[0].rule, 'insecure-http', 'most severe first');
  });

  test('findings are replaced, not appended, when computed again', () => {
    const c = call({ facts: { hasErrorHandling: false } });
    run([c]);
    run([c]);
    assert.equal(c.findings.filter((f) => f.rule === 'no-error-handling').length, 1);
  });
});

describe('ignore comments', () => {
  const leaky = () => call({ line: 3, url: 'http://api.partner.com/x', facts: { credentials: [literalCred(OPENAI_KEY)], hasErrorHandling: false } });

  test('ignore-next-line from the detector silences the named rules only; findings stay, greyed', () => {
    const c = leaky();
    c.facts.ignoredRules = ['client-secret', 'insecure-http'];
    run([c]);
    assert.equal(finding(c, 'client-secret')?.silenced, true);
    assert.equal(finding(c, 'insecure-http')?.silenced, true);
    assert.equal(finding(c, 'hardcoded-secret')?.silenced, undefined);
  });

  test('a bare ignore-next-line (`*`) silences everything on that call', () => {
    const c = leaky();
    c.facts.ignoredRules = ['*'];
    run([c]);
    assert.ok(c.findings.length > 0);
    assert.ok(c.findings.every((f) => f.silenced === true));
  });

  test('an ignore-next-line comment in the text on the line before the call is honoured too', () => {
    const [c] = run([leaky()], { text: 'const x = 1;\n// api-atlas-ignore-next-line no-error-handling -- handled by the caller\nfetch(url)\n' });
    assert.equal(finding(c, 'no-error-handling')?.silenced, true);
    assert.equal(finding(c, 'client-secret')?.silenced, undefined);
  });

  test('ignore-file with rules silences those rules in every call of the file', () => {
    const [a, b] = run([leaky(), leaky()], { text: '/* api-atlas-ignore-file insecure-http, cross-origin */\n\nfetch(a)\nfetch(b)\n' });
    for (const c of [a, b]) {
      assert.equal(finding(c, 'insecure-http')?.silenced, true);
      assert.equal(finding(c, 'cross-origin')?.silenced, true);
      assert.equal(finding(c, 'client-secret')?.silenced, undefined);
    }
  });

  test('a bare ignore-file silences every rule; the directive may sit anywhere in the file', () => {
    const [c] = run([leaky()], { text: 'fetch(a)\n\n\n// api-atlas-ignore-file\n' });
    assert.ok(c.findings.length > 0);
    assert.ok(c.findings.every((f) => f.silenced === true));
  });

  test('a mention of the directive outside a comment does not count', () => {
    const [c] = run([leaky()], { text: "const doc = 'api-atlas-ignore-file';\nfetch(a)\n" });
    assert.ok(c.findings.every((f) => f.silenced === undefined));
  });
});

// ---- through the real detector, over test/fixtures/secrets ------------------------------------------------------

describe('over the secrets fixture, with facts from the detector', () => {
  const root = path.join(__dirname, '..', 'fixtures', 'secrets');
  const envEntries = parseEnvFile(fs.readFileSync(path.join(root, 'web', '.env.local'), 'utf8'), 'web/.env.local');

  /** Detects the calls of one fixture file and gives them a runtime by hand: classification is not under test here. */
  function scanFixture(rel: string, runtime: Runtime): CallRecord[] {
    const text = fs.readFileSync(path.join(root, rel), 'utf8');
    const { calls } = detectFile(parseSource(rel, text), rel);
    for (const c of calls) c.runtime = runtime;
    computeFindings(calls, { rel, text }, envEntries, DEFAULT_SETTINGS);
    return calls;
  }

  function byLine(calls: CallRecord[], line: number): CallRecord {
    const found = calls.find((c) => c.range.start.line === line);
    assert.ok(found, `a call on line ${line}`);
    return found;
  }

  const component = () => scanFixture('web/app/components/Assistant.tsx', 'frontend');

  test('a NEXT_PUBLIC_ secret sent to OpenAI from a client component', () => {
    const c = byLine(component(), 11);
    assert.deepEqual(rulesOf(c), ['client-secret', 'public-env-secret', 'third-party-direct', 'cross-origin']);
  });

  test('an innocent public name with an sk_live_ value in .env.local', () => {
    const c = byLine(component(), 25);
    assert.deepEqual(secretRules(c), ['client-secret', 'public-env-secret']);
    assert.match(finding(c, 'client-secret')?.message ?? '', /NEXT_PUBLIC_ANALYTICS_ID.*web\/\.env\.local:4/);
  });

  test('publishable key, session token and a key the user typed in stay quiet', () => {
    const calls = component();
    assert.deepEqual(secretRules(byLine(calls, 33)), []);
    assert.deepEqual(secretRules(byLine(calls, 47)), []);
    const own = byLine(calls, 56);
    assert.deepEqual(secretRules(own), []);
    assert.ok(!rulesOf(own).includes('third-party-direct'));
  });

  test('ignore-next-line silences the named rules and leaves the others', () => {
    const c = byLine(component(), 70);
    assert.equal(finding(c, 'client-secret')?.silenced, true);
    assert.equal(finding(c, 'hardcoded-secret')?.silenced, true);
    assert.equal(finding(c, 'third-party-direct')?.silenced, undefined);
  });

  test('a secret in axios instance defaults reaches the call through the instance', () => {
    const [c] = scanFixture('web/lib/openai.ts', 'frontend');
    assert.match(finding(c, 'client-secret')?.message ?? '', /default header of the axios instance `openai`/);
    assert.ok(rulesOf(c).includes('third-party-direct'), 'the host comes from the instance baseURL');
  });

  test('the same kind of key hard-coded in server code: a hardcoded-secret warning and no-timeout', () => {
    const [c] = scanFixture('api/charge.ts', 'backend');
    assert.deepEqual(secretRules(c), ['hardcoded-secret']);
    assert.equal(finding(c, 'hardcoded-secret')?.severity, 'warning');
    assert.ok(rulesOf(c).includes('no-timeout'));
    assert.ok(!rulesOf(c).includes('third-party-direct'));
  });
});
