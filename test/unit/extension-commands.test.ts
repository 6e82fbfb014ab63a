// Copy as cURL and the ignore-comment edit of the extension's call commands, without VS Code.
import { escapeMarkdown, messageMarkdown } from '../../src/extension/describe';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { Call, CallFacts } from '../../src/core/model';
import { buildCurl, devServerOrigin, type CallWithFacts } from '../../src/extension/commands/curl';

function call(over: Partial<Call>, facts: Partial<CallFacts> = {}): CallWithFacts {
  return {
    id: 'c1',
    file: 'app/chat.tsx',
    range: { start: { line: 3, column: 5 }, end: { line: 3, column: 40 } },
    client: 'fetch',
    method: 'GET',
    url: { text: "'/api/users'", template: '/api/users', host: null, kind: 'relative' },
    runtime: 'frontend',
    context: 'spa',
    confidence: 1,
    evidence: [],
    findings: [],
    ...over,
    facts: { headers: [], credentials: [], hasBody: false, ...facts },
  };
}

describe('copy as cURL', () => {
  test('an env var in an Authorization header becomes a shell variable, not its value', () => {
    const curl = buildCurl(
      call(
        { method: 'POST', url: { text: "'https://api.openai.com/v1/chat/completions'", template: '/v1/chat/completions', host: 'api.openai.com', kind: 'absolute' } },
        { headers: [{ name: 'Authorization', valueText: '`Bearer ${process.env.NEXT_PUBLIC_OPENAI_API_KEY}`' }, { name: 'Content-Type', valueText: "'application/json'" }], hasBody: true },
      ),
    );
    assert.equal(
      curl,
      [
        'curl',
        '-X POST',
        '-H "Authorization: Bearer $NEXT_PUBLIC_OPENAI_API_KEY"',
        '-H "Content-Type: application/json"',
        '--data "<request body>"',
        '"https://api.openai.com/v1/chat/completions"',
      ].join(' \\\n  '),
    );
  });

  test('a literal secret in a sensitive header is masked, keeping the auth scheme', () => {
    const curl = buildCurl(call({}, { headers: [{ name: 'Authorization', valueText: "'Bearer sk-live-abcdef123456'" }, { name: 'x-api-key', valueText: '"abc123secret"' }] }));
    assert.ok(!curl.includes('sk-live-abcdef123456'));
    assert.ok(!curl.includes('abc123secret'));
    assert.match(curl, /-H "Authorization: Bearer <redacted>"/);
    assert.match(curl, /-H "x-api-key: <redacted>"/);
  });

  test('a literal key in the query string is masked', () => {
    const curl = buildCurl(
      call(
        { url: { text: "'https://maps.example.com/geo?key=AIzaSyFAKEKEY123'", template: '/geo', host: 'maps.example.com', kind: 'absolute' } },
        { credentials: [{ source: 'literal', placement: 'query', field: 'key', literal: 'AIzaSyFAKEKEY123', text: "'AIzaSyFAKEKEY123'", span: { start: 0, end: 1 } }] },
      ),
    );
    assert.ok(!curl.includes('AIzaSyFAKEKEY123'));
    assert.match(curl, /"https:\/\/maps\.example\.com\/geo\?key=<redacted>"$/);
  });

  test('relative URLs get a BASE_URL the user can set, template holes stay visible', () => {
    const curl = buildCurl(call({ method: 'DELETE', url: { text: '`/api/users/${id}`', template: '/api/users/{id}', host: null, kind: 'relative' } }));
    assert.match(curl, /-X DELETE/);
    assert.doesNotMatch(curl, /--globoff/);
    assert.match(curl, /"\$\{BASE_URL:-http:\/\/localhost:3000\}\/api\/users\/<id>"$/);
  });

  test('a dynamic URL falls back to its template and turns off curl globbing for the braces', () => {
    const curl = buildCurl(call({ url: { text: 'userUrl(id)', template: '/api/users/{id}', host: null, kind: 'dynamic' } }));
    assert.match(curl, /--globoff/);
    assert.match(curl, /"\$\{BASE_URL:-http:\/\/localhost:3000\}\/api\/users\/\{id\}"$/);
  });

  test('a URL the index resolved (a hook or wrapper argument, no quotes) is the URL, not an expression, and gets a base', () => {
    const curl = buildCurl(call({ url: { text: '/api/products/top', template: '/api/products/top', host: null, kind: 'relative' } }));
    assert.match(curl, /"\$\{BASE_URL:-http:\/\/localhost:3000\}\/api\/products\/top"$/);
    assert.doesNotMatch(curl, /</);
    // A variable whose value the index knows as a template: the template is used, not `<variable>`.
    const viaVariable = buildCurl(call({ url: { text: 'endpoint', template: '/api/orders', host: null, kind: 'relative' } }));
    assert.match(viaVariable, /"\$\{BASE_URL:-http:\/\/localhost:3000\}\/api\/orders"$/);
  });

  test('relative URLs start at the app\'s own dev server when its config says where that is', () => {
    assert.equal(devServerOrigin(JSON.stringify({ scripts: { dev: 'next dev -p 4100' }, dependencies: { next: '15' } })), 'http://localhost:4100');
    assert.equal(devServerOrigin(JSON.stringify({ devDependencies: { vite: '6' } })), 'http://localhost:5173');
    assert.equal(devServerOrigin(JSON.stringify({ devDependencies: { vite: '6' } }), 'export default { server: { port: 8080 } }'), 'http://localhost:8080');
    assert.equal(devServerOrigin(JSON.stringify({ dependencies: { express: '4' } })), undefined);
    assert.equal(devServerOrigin(undefined), undefined);
    const curl = buildCurl(call({}), { origin: 'http://localhost:5173' });
    assert.match(curl, /"\$\{BASE_URL:-http:\/\/localhost:5173\}\/api\/users"$/);
  });

  test('the command runs in a shell: curl gets exactly the URL (no quoting or expansion left over)', () => {
    const curl = buildCurl(call({ url: { text: '/api/products/top', template: '/api/products/top', host: null, kind: 'relative' } }), { origin: 'http://127.0.0.1:9' });
    // `curl` is swapped for printf, so the shell's words are what curl would receive.
    const out = execFileSync('bash', ['-c', curl.replace(/^curl/, "printf '%s\\n'")], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    assert.equal(out.trim(), 'http://127.0.0.1:9/api/products/top');
  });

  test('an expression placeholder with quotes, $ and backquotes stays one quoted word in the shell; its string literals in a sensitive header are still masked', () => {
    const curl = buildCurl(
      call(
        { url: { text: 'urls["orders"] + `?at=${Date.now()}`', template: null, host: null, kind: 'dynamic' } },
        { headers: [{ name: 'X-Trace', valueText: 'trace(`$(touch /tmp/pwned)`, "a")' }, { name: 'Authorization', valueText: 'sign("sk-live-abcdef123456", `${body}`)' }] },
      ),
    );
    // `curl` is swapped for printf: each word curl would receive on its own line, and nothing the placeholders hold runs.
    const out = execFileSync('bash', ['-c', curl.replace(/^curl/, "printf '%s\\n'")], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    const words = out.trimEnd().split('\n');
    assert.deepEqual(words, [
      '--globoff',
      '-H',
      'X-Trace: <trace(`$(touch /tmp/pwned)`, "a")>',
      '-H',
      'Authorization: <sign("<redacted>", `<redacted>`)>',
      '<urls["orders"] + `?at=${Date.now()}`>',
    ]);
  });

  test('an axios instance baseURL is used for relative paths; shell specials in literals are escaped', () => {
    const curl = buildCurl(call({ client: 'axios-instance', url: { text: "'/price$\"x'", template: null, host: null, kind: 'relative' } }, { baseURL: 'https://shop.example.com/api/' }));
    assert.match(curl, /"https:\/\/shop\.example\.com\/api\/price\\\$\\"x"$/);
  });
});

describe('markdown for hovers and tooltips', () => {
  test('a URL followed by a parenthesis stays one clean link: no escaped ")" joins it', () => {
    assert.equal(escapeMarkdown('goes to another origin (https://api.openai.com), so'), 'goes to another origin (https://api\\.openai\\.com), so');
  });

  test('code spans in messages stay code; markdown in the rest is neutralised', () => {
    assert.equal(messageMarkdown('sends `NEXT_PUBLIC_KEY` in *the* header'), 'sends `NEXT_PUBLIC_KEY` in \\*the\\* header');
    assert.equal(messageMarkdown('[click](command:evil) ` odd'), '\\[click\\](command:evil) \\` odd');
  });
});
