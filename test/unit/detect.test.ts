// Call detection in one file: every fetch/axios form, instances, wrappers, look-alikes, facts and positions.
import { ignoredRulesAt } from '../../src/core/detect';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { callId, detectFile, type FileDetection } from '../../src/core/detect';
import { parseSource } from '../../src/core/parse';
import { analyzeUrl } from '../../src/core/detect';
import { toScriptText } from '../../src/core/scan';
import type { CallRecord } from '../../src/core/model';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

function detectFixture(workspace: string, rel: string, wrappers: string[] = []): FileDetection {
  const text = fs.readFileSync(path.join(FIXTURES, workspace, rel), 'utf8');
  return detectText(rel, text, wrappers);
}

function detectText(rel: string, text: string, wrappers: string[] = []): FileDetection {
  return detectFile(parseSource(rel, toScriptText(rel, text)), rel, { wrappers });
}

function byUrl(calls: CallRecord[], text: string): CallRecord {
  const found = calls.filter((c) => c.url.text === text);
  assert.equal(found.length, 1, `expected one call with URL ${text}, got ${found.length}: ${calls.map((c) => c.url.text).join(', ')}`);
  return found[0];
}

test('global fetch, window/globalThis/self.fetch and fetch imported from node-fetch, cross-fetch and undici are calls', () => {
  const { calls } = detectFixture('detect-basic', 'src/fetch-forms.ts');
  assert.deepEqual(
    calls.map((c) => [c.range.start.line, c.client, c.facts.callee]),
    [
      [7, 'fetch', 'fetch'],
      [8, 'fetch', 'window.fetch'],
      [9, 'fetch', 'globalThis.fetch'],
      [10, 'fetch', 'self.fetch'],
      [11, 'fetch', 'nodeFetch'],
      [12, 'fetch', 'crossFetch'],
      [13, 'fetch', 'undiciFetch'],
    ],
  );
  const put = byUrl(calls, 'http://inventory.internal.example.com/stock');
  assert.equal(put.method, 'PUT');
  assert.equal(put.facts.hasBody, true);
  assert.deepEqual(put.url, { text: 'http://inventory.internal.example.com/stock', template: 'http://inventory.internal.example.com/stock', host: 'inventory.internal.example.com', kind: 'absolute' });
  assert.deepEqual(byUrl(calls, '/api/users/${id}').url, { text: '/api/users/${id}', template: '/api/users/{id}', host: null, kind: 'relative' });
  assert.deepEqual(byUrl(calls, '${process.env.API_BASE}/v2/items').url.template, '{API_BASE}/v2/items');
  assert.equal(byUrl(calls, '${process.env.API_BASE}/v2/items').url.kind, 'dynamic');
  assert.equal(byUrl(calls, '/api/plain').method, 'GET');
});

test('require() of node-fetch and undici is detected in CommonJS files', () => {
  const { calls } = detectFixture('detect-basic', 'src/require-fetch.cjs');
  assert.deepEqual(calls.map((c) => [c.url.text, c.method]), [
    ['https://example.org/report', 'POST'],
    ['https://example.org/undici', 'GET'],
  ]);
});

test('methods of other objects, shadowed fetch, strings, templates, comments and JSX text are not calls', () => {
  const { calls } = detectFixture('detect-basic', 'src/negatives.tsx');
  assert.deepEqual(calls, []);
});

test('axios under any local name and import style, its methods and config objects', () => {
  const { calls } = detectFixture('detect-basic', 'src/axios-forms.ts');
  const direct = calls.filter((c) => c.client === 'axios').map((c) => [c.url.text, c.method, c.facts.callee]);
  assert.deepEqual(direct, [
    ['/api/call-as-function', 'GET', 'Axios'],
    ['/api/config', 'DELETE', 'Axios'],
    ['/api/namespace', 'GET', 'ax.get'],
    ['/api/namespace-default', 'POST', 'ax.default.post'],
    ['/api/users/${id}', 'PATCH', 'http.patch'],
    ['/api/request', 'PUT', 'http.request'],
    ['/api/head', 'HEAD', 'http.head'],
  ]);
  assert.equal(byUrl(calls, '/api/users/${id}').facts.hasBody, true);
  const { calls: cjs } = detectFixture('detect-basic', 'src/require-axios.js');
  assert.deepEqual(cjs.map((c) => [c.client, c.url.text, c.method]), [
    ['axios', '/api/sync', 'POST'],
    ['axios', '/api/status', 'GET'],
  ]);
});

test('axios instances bound to a variable, an object property, class fields and this.x, with baseURL and defaults', () => {
  const { calls, exports } = detectFixture('detect-basic', 'src/axios-forms.ts');
  const inst = calls.filter((c) => c.client === 'axios-instance');
  assert.deepEqual(
    inst.map((c) => [c.url.text, c.method, c.url.template, c.via]),
    [
      ['/invoices', 'GET', '/billing/invoices', 'Billing.client (src/axios-forms.ts:21)'],
      ['/charges', 'POST', 'https://api.stripe.com/v1/charges', 'Billing.stripe (src/axios-forms.ts:18)'],
      ['/orders/${id}', 'GET', 'https://api.acme.dev/v1/orders/{id}', 'api (src/axios-forms.ts:6)'],
      ['/orders', 'POST', 'https://api.acme.dev/v1/orders', 'api (src/axios-forms.ts:6)'],
      ['/ping', 'GET', 'https://api.acme.dev/v1/ping', 'api (src/axios-forms.ts:6)'],
      ['/user', 'GET', 'https://api.github.com/user', 'clients.github (src/axios-forms.ts:13)'],
    ],
  );
  const orders = byUrl(calls, '/orders/${id}');
  assert.equal(orders.url.host, 'api.acme.dev');
  assert.equal(orders.facts.baseURL, 'https://api.acme.dev/v1');
  assert.equal(orders.facts.hasTimeout, true, 'the instance timeout applies to its calls');
  assert.deepEqual(orders.facts.headers, [{ name: 'X-Client', valueText: "'web'" }]);
  assert.deepEqual(orders.facts.definition, { name: 'api', file: 'src/axios-forms.ts', line: 6 });
  assert.deepEqual(Object.keys(exports).sort(), ['Billing', 'api', 'default']);
  assert.equal(exports.api.kind, 'instance');
  assert.equal(exports.default.kind, 'instance');
});

test('wrappers: their call sites are calls with via, the inner call is still reported, API functions are not wrappers', () => {
  const { calls, exports } = detectFixture('detect-basic', 'src/wrappers.ts');
  const inPage = calls.filter((c) => c.facts.enclosingFunction?.name === 'page');
  assert.deepEqual(
    inPage.map((c) => [c.client, c.facts.callee, c.method, c.url.template, c.via]),
    [
      ['wrapper', 'shopifyFetch', 'POST', 'https://{SHOPIFY_STORE_DOMAIN}/api/2024-01/graphql.json', 'shopifyFetch (src/wrappers.ts:6)'],
      ['wrapper', 'httpGet', 'GET', '/api/me', 'httpGet (src/wrappers.ts:19)'],
      ['wrapper', 'fetchWithRetry', 'POST', '/api/orders', 'fetchWithRetry (src/wrappers.ts:21)'],
      ['wrapper', 'getJson', 'GET', '/api/config', 'getJson (src/wrappers.ts:31)'],
      ['wrapper', 'client.get', 'GET', 'https://api.acme.dev/repos', 'ApiClient.get (src/wrappers.ts:46)'],
    ],
  );
  // getUser(id) builds a fixed path: its call site is not a request of its own, its fetch is.
  assert.ok(!calls.some((c) => c.facts.callee === 'getUser'));
  assert.ok(calls.some((c) => c.url.template === '/api/users/{id}' && c.client === 'fetch'));
  // the recursive retry inside fetchWithRetry is the same request, not a new call
  assert.equal(calls.filter((c) => c.facts.callee === 'fetchWithRetry').length, 1);
  const shop = inPage[0];
  assert.ok(shop.facts.credentials.some((c) => c.source === 'env' && c.envName === 'SHOPIFY_STOREFRONT_TOKEN' && c.file === 'src/wrappers.ts'));
  assert.equal(inPage[2].facts.hasTimeout, true, 'fetchWithRetry sets a timeout signal inside');
  assert.deepEqual(Object.keys(exports).sort(), ['ApiClient', 'fetchWithRetry', 'getJson', 'httpGet', 'shopifyFetch']);
  // wrappers of wrappers: ApiClient.get calls this.request, which calls the instance
  assert.ok(calls.some((c) => c.facts.callee === 'this.request' && c.client === 'wrapper' && c.method === 'GET'));
});

test('apiAtlas.wrappers names are treated as HTTP calls', () => {
  const src = "import { shopifyFetch } from './lib';\nimport { api } from './api';\nexport async function load() {\n  await shopifyFetch({ query: 'q' });\n  await api.get('/items');\n  await api.post('/x');\n}\n";
  const none = detectText('a.ts', src);
  assert.equal(none.calls.length, 0);
  const { calls } = detectText('a.ts', src, ['shopifyFetch', 'api.get']);
  assert.deepEqual(calls.map((c) => [c.client, c.facts.callee, c.method, c.url.text]), [
    ['wrapper', 'shopifyFetch', null, "{ query: 'q' }"],
    ['wrapper', 'api.get', 'GET', '/items'],
  ]);
  assert.equal(calls[1].via, 'api.get (.vscode/settings.json)');
});

test('credentials: env vars, literals, session tokens and keys the user types, with their placement', () => {
  const { calls } = detectFixture('detect-basic', 'src/facts.ts');
  const creds = (url: string) => byUrl(calls, url).facts.credentials.map((c) => ({ source: c.source, placement: c.placement, field: c.field, envName: c.envName }));
  assert.deepEqual(creds('https://api.openai.com/v1/chat/completions'), [{ source: 'env', placement: 'header', field: 'Authorization', envName: 'NEXT_PUBLIC_OPENAI_KEY' }]);
  assert.deepEqual(creds('https://api.sendgrid.com/v3/mail/send'), [{ source: 'literal', placement: 'header', field: 'Authorization', envName: undefined }]);
  assert.deepEqual(creds('/api/profile'), [{ source: 'session', placement: 'header', field: 'Authorization', envName: undefined }]);
  assert.deepEqual(creds('https://api.openai.com/v1/models'), [{ source: 'user-input', placement: 'header', field: 'Authorization', envName: undefined }]);
  assert.deepEqual(creds('https://maps.example.com/geocode?key=${import.meta.env.VITE_MAPS_KEY}&q=x'), [{ source: 'env', placement: 'query', field: 'key', envName: 'VITE_MAPS_KEY' }]);
  assert.deepEqual(creds('https://api.weather.example.com/now'), [{ source: 'env', placement: 'query', field: 'appid', envName: 'WEATHER_KEY' }]);
  assert.deepEqual(creds('https://hooks.example.com/x'), [
    { source: 'literal', placement: 'body', field: 'token', envName: undefined },
    { source: 'literal', placement: 'auth', field: 'username', envName: undefined },
    { source: 'env', placement: 'auth', field: 'password', envName: 'SVC_PASSWORD' },
  ]);
  const env = byUrl(calls, 'https://api.openai.com/v1/chat/completions').facts.credentials[0];
  assert.equal(env.envAccess, 'process.env');
  assert.equal(env.text, '`Bearer ${OPENAI_KEY}`');
});

test('error handling, timeouts, timers and ignore comments', () => {
  const { calls } = detectFixture('detect-basic', 'src/facts.ts');
  const handled = (url: string) => byUrl(calls, url).facts.hasErrorHandling;
  for (const url of ['/api/in-try', '/api/with-catch', '/api/then-two', '/api/status-checked', '/api/validate']) assert.equal(handled(url), true, url);
  assert.equal(handled('/api/unhandled'), false);
  const timeout = (url: string) => byUrl(calls, url).facts.hasTimeout;
  for (const url of ['/api/signal', '/api/axios-timeout', '/api/hand-rolled']) assert.equal(timeout(url), true, url);
  assert.equal(timeout('/api/no-timeout'), false);
  const timer = (url: string) => byUrl(calls, url).facts.inTimer;
  for (const url of ['/api/poll-inline', '/api/poll-named', '/api/poll-timeout']) assert.equal(timer(url), true, url);
  assert.equal(timer('/api/no-timeout'), false);
  assert.deepEqual(byUrl(calls, '/api/ignored-two').facts.ignoredRules, ['no-timeout', 'no-error-handling']);
  assert.deepEqual(byUrl(calls, '/api/ignored-all').facts.ignoredRules, ['*']);
  assert.deepEqual(byUrl(calls, '/api/no-timeout').facts.ignoredRules, []);
  const awaited = byUrl(calls, '/api/in-try');
  assert.equal(awaited.facts.awaited, true);
  assert.equal(byUrl(calls, '/api/with-catch').facts.awaited, false);
  assert.equal(awaited.facts.enclosingFunction?.name, 'errorHandling');
});

test('.vue and .svelte script blocks keep the file\'s line numbers; template text is not a call', () => {
  const vue = detectFixture('detect-sfc', 'src/Profile.vue').calls;
  assert.deepEqual(vue.map((c) => [c.url.text, c.range.start.line, c.range.start.column]), [['/api/profile', 12, 26]]);
  const svelte = detectFixture('detect-sfc', 'src/Todos.svelte').calls;
  assert.deepEqual(svelte.map((c) => [c.url.text, c.range.start.line, c.range.start.column]), [['/api/todos', 6, 23]]);
});

test('CRLF line endings and a removed BOM give the same lines and columns as LF', () => {
  const lf = "import axios from 'axios';\n\nexport async function a() {\n  await axios.get('/x');\n  return fetch(`/y/${1}`);\n}\n";
  const crlf = lf.replace(/\n/g, '\r\n');
  const pos = (text: string) => detectText('a.ts', text).calls.map((c) => [c.range.start, c.range.end]);
  assert.deepEqual(pos(crlf), pos(lf));
  assert.deepEqual(pos(lf)[0], [{ line: 4, column: 9 }, { line: 4, column: 24 }]);
  // readSource strips the BOM; the engine does the same for editor text, so offsets start after it.
  assert.deepEqual(pos('\ufeff' + crlf), pos(lf));
});

test('call ids are stable across runs and survive edits above the call, and differ between calls', () => {
  const a = "export async function load() {\n  await fetch('/a');\n  await fetch('/a');\n  await fetch('/b');\n}\n";
  const ids1 = detectText('src/x.ts', a).calls.map((c) => c.id);
  const ids2 = detectText('src/x.ts', a).calls.map((c) => c.id);
  assert.deepEqual(ids1, ids2);
  assert.equal(new Set(ids1).size, 3);
  const shifted = detectText('src/x.ts', '// a new comment\n\n' + a).calls.map((c) => c.id);
  assert.deepEqual(shifted, ids1);
  assert.notDeepEqual(detectText('src/y.ts', a).calls.map((c) => c.id), ids1, 'another file gives other ids');
});

test('analyzeUrl: templates, hosts, base URLs and kinds', () => {
  assert.deepEqual(analyzeUrl('https://api.stripe.com:443/v1/charges?x=1'), { text: 'https://api.stripe.com:443/v1/charges?x=1', template: 'https://api.stripe.com:443/v1/charges?x=1', host: 'api.stripe.com', kind: 'absolute' });
  assert.deepEqual(analyzeUrl('/users', { baseURL: 'https://api.acme.dev/v1/' }).template, 'https://api.acme.dev/v1/users');
  assert.equal(analyzeUrl('https://other.dev/x', { baseURL: 'https://api.acme.dev' }).host, 'other.dev');
  assert.deepEqual(analyzeUrl('path', { parts: null }), { text: 'path', template: null, host: null, kind: 'dynamic' });
  assert.equal(analyzeUrl('path', { parts: null, baseURL: 'https://api.acme.dev' }).host, 'api.acme.dev');
  assert.equal(analyzeUrl('//cdn.example.com/a.json').kind, 'absolute');
  assert.equal(analyzeUrl('x', { parts: [{ literal: 'https://' }, { hole: 'shop', name: 'shop' }, { literal: '.myshopify.com/api' }] }).host, '{shop}.myshopify.com');
});

test('real-world forms: SvelteKit fetch parameters, default-parameter clients, anonymous classes, let URLs, cast inputs', () => {
  const svelte = detectText('src/routes/+page.js', "export async function load({ fetch, params }) {\n  const res = await fetch(`/api/articles/${params.slug}`);\n  return res.json();\n}\nexport const loadProfile = (fetch, name) => fetch(`/api/profiles/${name}`);\n");
  assert.deepEqual(svelte.calls.map((c) => [c.client, c.url.template]), [['fetch', '/api/articles/{slug}'], ['fetch', '/api/profiles/{name}']]);
  const provider = detectText('src/dp.ts', "import { fetchJson } from './http';\nexport const dataProvider = (apiUrl: string, httpClient = fetchJson) => ({\n  getOne: (id: string) => httpClient(`${apiUrl}/items/${id}`),\n});\n", []);
  assert.equal(provider.calls.length, 0, 'without the imported wrapper known, nothing to see');
  const wrapperShape = detectFile(parseSource('src/http.ts', 'export const fetchJson = (url: string) => fetch(url).then((r) => r.json());\n'), 'src/http.ts').exports.fetchJson;
  const withExt = detectFile(parseSource('src/dp.ts', "import { fetchJson } from './http';\nexport const dataProvider = (apiUrl: string, httpClient = fetchJson) => ({\n  getOne: (id: string) => httpClient(`${apiUrl}/items/${id}`),\n});\n"), 'src/dp.ts', { externals: { fetchJson: wrapperShape } });
  assert.deepEqual(withExt.calls.map((c) => [c.client, c.url.template, c.via]), [['wrapper', '{apiUrl}/items/{id}', 'fetchJson (src/http.ts:1)']]);
  const anon = detectText('src/legacy.ts', "export const Legacy = class {\n  load() { return fetch('/api/legacy'); }\n};\n");
  assert.deepEqual(anon.calls.map((c) => c.url.template), ['/api/legacy']);
  const letUrl = detectText('src/a.ts', "export async function go(x: boolean) {\n  let url = '';\n  if (x) url = await pick();\n  return fetch(url);\n}\n");
  assert.equal(letUrl.calls[0].url.template, null, 'a reassigned let is not its initial value');
  const cast = detectText('src/k.tsx', "export async function ask() {\n  const key = (document.getElementById('k') as HTMLInputElement).value;\n  return fetch('https://api.openai.com/v1/models', { headers: { Authorization: `Bearer ${key}` } });\n}\n");
  assert.equal(cast.calls[0].facts.credentials[0].source, 'user-input');
});

test('a hard-coded key in a constant is a literal credential wherever the request uses it, pointing at the declared string', () => {
  const src = [
    "import axios from 'axios';",
    "const API_KEY = '7f6a6f0fb23c6f5da2cec255404e4fb4';",
    "const LANG = 'en';",
    'export async function weather(city: string) {',
    '  await fetch(`https://api.openweathermap.org/data/2.5/weather?q=${city}&lang=${LANG}&appid=${API_KEY}`);',
    "  await axios.get('https://api.example.com/a', { params: { appid: API_KEY, lang: LANG } });",
    "  await fetch('https://api.example.com/b', { headers: { 'x-api-key': API_KEY, 'X-Lang': LANG } });",
    '}',
    '',
  ].join('\n');
  const { calls } = detectText('src/weather.ts', src);
  const declared = { start: src.indexOf("'7f6a"), end: src.indexOf("';\nconst LANG") + 1 };
  for (const [call, placement, field] of [
    [calls[0], 'query', 'appid'],
    [calls[1], 'query', 'appid'],
    [calls[2], 'header', 'x-api-key'],
  ] as const) {
    assert.deepEqual(
      call.facts.credentials.map((c) => ({ source: c.source, placement: c.placement, field: c.field, literal: c.literal, valueName: c.valueName, span: c.span })),
      [{ source: 'literal', placement, field, literal: '7f6a6f0fb23c6f5da2cec255404e4fb4', valueName: 'API_KEY', span: declared }],
      call.url.text,
    );
  }
});

test('numbers, booleans and fields named after token counts or lookup keys in a body are not credentials', () => {
  const src = [
    "import axios from 'axios';",
    'const MAX_TOKENS = 300;',
    'export async function complete(prompt: string, maxTokens: number, sessionToken: string) {',
    "  await axios.post('https://api.example.com/v1/complete', { prompt, max_tokens: 300, maxOutputTokens: maxTokens, token: MAX_TOKENS, stream: true, cacheKey: prompt, auth_token: sessionToken }, { params: { sort_key: 'name', key: null } });",
    '}',
    '',
  ].join('\n');
  const { calls } = detectText('src/complete.ts', src);
  assert.deepEqual(
    calls[0].facts.credentials.map((c) => [c.placement, c.field, c.source]),
    [['body', 'auth_token', 'session']],
  );
});

// Built from pieces so secret scanners do not take the fixture for a leaked key.
const STRIPE_LIKE_KEY = 'sk_' + 'live_' + 'Qw3rTy9UiOp4AsDfGh7JkLzX';

test('a class field written once with a string (readonly, private, constructor-assigned, inherited) is inlined into this.x URLs and credentials', () => {
  const src = [
    'export class PartnerApi {',
    "  private readonly baseUrl = 'https://api.partner.example.com/v2';",
    `  private apiKey = '${STRIPE_LIKE_KEY}';`,
    '  async customers() {',
    "    return fetch(`${this.baseUrl}/customers`, { headers: { 'X-Api-Key': this.apiKey } });",
    '  }',
    '}',
    'export class Assigned {',
    '  private baseUrl: string;',
    "  constructor() { this.baseUrl = 'https://ctor.example.com'; }",
    "  list() { return fetch(this.baseUrl + '/items'); }",
    '}',
    "export class Base { protected origin = 'https://base.example.com'; }",
    'export class Sub extends Base { list() { return fetch(`${this.origin}/sub`); } }',
    'export class Settable {',
    "  private baseUrl = 'https://a.example.com';",
    '  use(url: string) { this.baseUrl = url; }',
    '  list() { return fetch(`${this.baseUrl}/x`); }',
    '}',
    'export class Passed {',
    '  constructor(private baseUrl: string) {}',
    '  list() { return fetch(`${this.baseUrl}/x`); }',
    '}',
    '',
  ].join('\n');
  const { calls } = detectText('src/partner.ts', src);
  assert.deepEqual(
    calls.map((c) => [c.url.template, c.url.host]),
    [
      ['https://api.partner.example.com/v2/customers', 'api.partner.example.com'],
      ['https://ctor.example.com/items', 'ctor.example.com'],
      ['https://base.example.com/sub', 'base.example.com'],
      ['{baseUrl}/x', null],
      ['{baseUrl}/x', null],
    ],
  );
  assert.deepEqual(
    calls[0].facts.credentials.map((c) => [c.source, c.field, c.valueName, c.text]),
    [['literal', 'X-Api-Key', 'apiKey', `'${STRIPE_LIKE_KEY}'`]],
  );
});

test('this.request inherited from a base class (generated OpenAPI clients) is a wrapper call, in this file or imported', () => {
  const base = [
    'export class HttpClient {',
    "  public baseUrl = 'https://api.conduit.example.com/api';",
    '  private customFetch = (...fetchParams: Parameters<typeof fetch>) => fetch(...fetchParams);',
    '  public request = async ({ path, method, query }: { path: string; method: string; query?: Record<string, string> }) => {',
    "    const queryString = query ? `?${new URLSearchParams(query)}` : '';",
    '    const response = await this.customFetch(`${this.baseUrl}${path}${queryString}`, { method });',
    '    return response.json();',
    '  };',
    '}',
  ].join('\n');
  const sub = [
    'export class Api extends HttpClient {',
    '  articles = {',
    "    get: (slug: string) => this.request({ path: `/articles/${slug}`, method: 'GET' }),",
    "    list: (tag: string) => this.request({ path: '/articles', method: 'GET', query: { tag } }),",
    '  };',
    '}',
    'export const api = new Api();',
    "export const remove = (slug: string) => api.request({ path: `/articles/${slug}`, method: 'DELETE' });",
    '',
  ].join('\n');
  const sameFile = detectText('src/api.ts', `${base}\n${sub}`).calls.filter((c) => c.facts.enclosingFunction?.name !== 'HttpClient.request' && c.facts.callee !== 'fetch');
  const expected = [
    ['this.request', 'GET', 'https://api.conduit.example.com/api/articles/{slug}', 'HttpClient.request'],
    ['this.request', 'GET', 'https://api.conduit.example.com/api/articles{queryString}', 'HttpClient.request'],
    ['api.request', 'DELETE', 'https://api.conduit.example.com/api/articles/{slug}', 'HttpClient.request'],
  ];
  assert.deepEqual(sameFile.map((c) => [c.facts.callee, c.method, c.url.template, c.facts.definition?.name]), expected);
  // The base class in another file: its export carries the inherited wrapper to the subclass.
  const baseShape = detectFile(parseSource('src/http-client.ts', base), 'src/http-client.ts').exports.HttpClient;
  const imported = detectFile(parseSource('src/api.ts', `import { HttpClient } from './http-client';\n${sub}`), 'src/api.ts', { externals: { HttpClient: baseShape } });
  assert.deepEqual(imported.calls.map((c) => [c.facts.callee, c.method, c.url.template, c.facts.definition?.name]), expected);
  assert.equal(imported.exports.Api.kind, 'object', 'the subclass exports the inherited wrapper');
});

test('a routine whose host or header values come from fields of an object parameter is an API function, not a wrapper', () => {
  const src = [
    'interface Account { server: string; token: string }',
    'export async function showNotification(id: string, user: Account) {',
    '  return fetch(`https://${user.server}/api/v1/notifications/${id}`, { headers: { Authorization: `Bearer ${user.token}` } });',
    '}',
    'export function loginTo(user: Account) {',
    '  const url = `https://${user.server}`;',
    '  return fetch(`${url}/nodeinfo/2.0`);',
    '}',
    'export const fromBase = (baseUrl: string) => fetch(`${baseUrl}/health`);',
    'export const fromHost = ({ host }: { host: string }) => fetch(`https://${host}/health`);',
    'export const fromOptions = (opts: { url: string }) => fetch(opts.url);',
    'export const withInit = (init: RequestInit) => fetch(\'/api/me\', { headers: { ...init.headers, Accept: \'application/json\' } });',
    'export async function page(account: Account) {',
    "  await showNotification('1', account);",
    '  await loginTo(account);',
    "  await fromBase('https://a.example.com');",
    "  await fromHost({ host: 'b.example.com' });",
    "  await fromOptions({ url: '/api/c' });",
    '  await withInit({});',
    '}',
    '',
  ].join('\n');
  const { calls } = detectText('src/sw.ts', src);
  const inPage = calls.filter((c) => c.facts.enclosingFunction?.name === 'page').map((c) => [c.facts.callee, c.url.template]);
  assert.deepEqual(inPage, [
    ['fromBase', 'https://a.example.com/health'],
    ['fromHost', 'https://b.example.com/health'],
    ['fromOptions', '/api/c'],
    ['withInit', '/api/me'],
  ]);
  // their own requests are still reported, once each
  assert.deepEqual(
    calls.filter((c) => c.client === 'fetch' && /^(?:showNotification|loginTo)$/.test(c.facts.enclosingFunction?.name ?? '')).map((c) => c.url.template),
    ['https://{server}/api/v1/notifications/{id}', 'https://{server}/nodeinfo/2.0'],
  );
});

test('ignore-next-line is read only from a comment on the line above, the same way for the detector and the rules', () => {
  assert.deepEqual(ignoredRulesAt(["const note = 'api-atlas-ignore-next-line polling';", 'fetch(u);'], 1), [], 'text in a string is not a directive');
  assert.deepEqual(ignoredRulesAt(['<!-- api-atlas-ignore-next-line cross-origin -->', 'fetch(u);'], 1), ['cross-origin']);
  assert.deepEqual(ignoredRulesAt(['      {/* api-atlas-ignore-next-line no-timeout */}', 'fetch(u);'], 1), ['no-timeout']);
  assert.deepEqual(ignoredRulesAt(['// api-atlas-ignore-next-line polling, cross-origin -- reviewed', 'fetch(u);'], 1), ['polling', 'cross-origin']);
  assert.deepEqual(ignoredRulesAt(['// api-atlas-ignore-next-line', 'fetch(u);'], 1), ['*']);
  assert.deepEqual(ignoredRulesAt(['fetch(u);'], 0), []);
});

test('call ids are the first 16 hex digits of a SHA-1 of file, callee, function, URL text and ordinal (ids saved by users and baselines stay valid)', () => {
  assert.equal(callId('src/lib/api.ts', 'fetch', 'loadUser', '`/api/users/${id}`', 1), 'ae90c1b95c0c25ab');
  // Non-ASCII text hashes as UTF-8, as it always has.
  assert.equal(callId('src/é.ts', 'fetch', '(top level)', "'/ü'", 0), createHash('sha1').update(['src/é.ts', 'fetch', '(top level)', "'/ü'", '0'].join('\0')).digest('hex').slice(0, 16));
});
