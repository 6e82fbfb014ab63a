// The knowledge panel's HTML: markdown-it output, link rewriting, escaping of workspace text, the decision guide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyLink, renderMessage, renderCallView, renderLibrary, renderMarkdown, renderOverview, topicsForCall, type KnowledgeTopic } from '../../src/extension/panel/knowledgeView';
import { recommendPlacement } from '../../src/core/knowledge';
import type { CallRecord, Credential } from '../../src/core/model';

const XSS = '"><img src=x onerror=alert(1)>';

function makeCall(over: Partial<CallRecord> = {}, facts: Partial<CallRecord['facts']> = {}): CallRecord {
  return {
    id: 'c1',
    file: 'app/dashboard/page.tsx',
    range: { start: { line: 12, column: 7 }, end: { line: 12, column: 40 } },
    client: 'fetch',
    method: 'GET',
    url: { text: "'/api/orders'", template: '/api/orders', host: null, kind: 'relative' },
    runtime: 'frontend',
    context: 'next-client-component',
    confidence: 0.9,
    evidence: [{ signal: 'use-client-directive', detail: "The file starts with 'use client'.", runtime: 'frontend', weight: 1 }],
    findings: [],
    ...over,
    facts: {
      callee: 'fetch',
      span: { start: 0, end: 10 },
      argSpans: [],
      headers: [],
      credentials: [],
      hasBody: false,
      hasErrorHandling: true,
      hasTimeout: false,
      awaited: true,
      branches: [],
      inTimer: false,
      ignoredRules: [],
      ...facts,
    },
  };
}

const envSecret: Credential = {
  source: 'env',
  placement: 'header',
  field: 'Authorization',
  envName: 'NEXT_PUBLIC_OPENAI_API_KEY',
  envAccess: 'process.env',
  text: 'process.env.NEXT_PUBLIC_OPENAI_API_KEY',
  span: { start: 1, end: 2 },
};

const topic: KnowledgeTopic = {
  id: 'cors',
  title: 'CORS',
  side: 'hybrid',
  rules: ['cross-origin'],
  summary: 'Browsers block cross-origin reads unless the server allows them.',
  sections: {},
  body: '## Summary\n\nSee [secrets](./third-party-secrets.md), [the rule](../rules/cross-origin.md), [MDN](https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS) and [bad](javascript:alert(1)).\n\n<script>alert(1)</script>\n\n```ts\nconst x = 1;\n```\n',
};

test('markdown renders with raw HTML off: a <script> in a page becomes text', () => {
  const html = renderMarkdown(topic.body);
  assert.ok(!html.includes('<script>'));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('<pre><code class="language-ts">const x = 1;'));
});

test('links become panel navigation; unknown schemes are dropped to text', () => {
  const html = renderMarkdown(topic.body);
  assert.ok(html.includes('<a href="#" data-topic="third-party-secrets">secrets</a>'));
  assert.ok(html.includes('<a href="#" data-rule="cross-origin">the rule</a>'));
  assert.ok(html.includes('data-external="https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS"'));
  assert.ok(html.includes('[bad](javascript:alert(1))'), 'a javascript: link stays plain text');
  assert.ok(!/(href|data-external)="javascript:/.test(html), 'and never becomes a link');
  assert.deepEqual(classifyLink('javascript:alert(1)'), null);
  assert.deepEqual(classifyLink('file:///etc/passwd'), null);
  assert.deepEqual(classifyLink('../rules/no-timeout.md'), { kind: 'rule', id: 'no-timeout' });
  assert.deepEqual(classifyLink('./cors.md#preflight'), { kind: 'topic', id: 'cors' });
});

test('a hostile URL, file name and evidence from the workspace render as literal text', () => {
  const call = makeCall({
    file: `src/${XSS}.tsx`,
    url: { text: `'${XSS}'`, template: XSS, host: null, kind: 'relative' },
    evidence: [{ signal: 'x', detail: `imported by ${XSS}`, runtime: 'frontend', weight: 1 }],
    findings: [{ rule: 'cross-origin', severity: 'info', message: `calls ${XSS}`, topics: ['cors'] }],
  });
  const { html } = renderCallView({ call, topics: [topic], canMoveBehindProxy: true, ref: { root: '/w', id: 'c1' } });
  assert.ok(!html.includes('<img'), 'no element is created from workspace text');
  assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'));
  const overview = renderOverview([makeCall({ url: { text: XSS, template: XSS, host: XSS, kind: 'absolute' } })]);
  assert.ok(!overview.includes('<img'));
});

test('the call view shows the call, its runtime evidence, findings, actions and topics', () => {
  const call = makeCall(
    {
      method: 'POST',
      url: { text: "'https://api.openai.com/v1/chat/completions'", template: 'https://api.openai.com/v1/chat/completions', host: 'api.openai.com', kind: 'absolute' },
      findings: [{ rule: 'client-secret', severity: 'error', message: 'NEXT_PUBLIC_OPENAI_API_KEY is sent from the browser.', topics: ['third-party-secrets'] }],
    },
    { credentials: [envSecret], hasBody: true },
  );
  const { html, recommendation } = renderCallView({ call, topics: [topic], thirdPartyName: 'OpenAI', canMoveBehindProxy: true, ref: { root: '/w', id: 'c1' } });
  assert.ok(html.includes('app/dashboard/page.tsx:12'));
  assert.ok(html.includes('The file starts with'));
  assert.ok(html.includes('data-command="apiAtlas.moveBehindProxy"'));
  assert.ok(html.includes('Ignore client-secret on this line'));
  assert.ok(html.includes('id="topic-cors"'));
  assert.equal(recommendation.placement, 'backend');
  assert.equal(recommendation.matchesCurrent, false);
  assert.equal(recommendation.headline, 'Move this call to the server.');
  const withoutProxy = renderCallView({ call, topics: [], canMoveBehindProxy: false, ref: { root: '/w', id: 'c1' } }).html;
  assert.ok(!withoutProxy.includes('apiAtlas.moveBehindProxy'));
});

test('the decision guide answers from facts and recommends a placement', () => {
  const read = recommendPlacement(makeCall());
  assert.equal(read.placement, 'frontend');
  assert.equal(read.questions.find((q) => q.id === 'third-party')?.answer, 'no');
  assert.equal(read.questions.find((q) => q.id === 'mutation')?.answer, 'no');

  const polling = recommendPlacement(makeCall({}, { inTimer: true }));
  assert.equal(polling.questions.find((q) => q.id === 'real-time')?.answer, 'yes');
  assert.match(polling.reasons.join(' '), /SSE, WebSocket/);

  const session = recommendPlacement(
    makeCall({}, { credentials: [{ ...envSecret, source: 'session', envName: undefined, text: "localStorage.getItem('token')" }] }),
  );
  assert.equal(session.placement, 'hybrid');

  const mutation = recommendPlacement(makeCall({ method: 'DELETE' }));
  assert.equal(mutation.placement, 'hybrid');
  assert.equal(mutation.questions.find((q) => q.id === 'mutation')?.answer, 'yes');

  const serverSecret = recommendPlacement(
    makeCall({ runtime: 'backend', findings: [{ rule: 'hardcoded-secret', severity: 'warning', message: 'x', topics: [] }] }, { credentials: [{ ...envSecret, source: 'literal' }] }),
  );
  assert.equal(serverSecret.placement, 'backend');
  assert.equal(serverSecret.headline, 'Keep this call on the server.');
});

test('the decision guide never calls a change, or a request of unknown method, a read', () => {
  const dynamicUrl = { text: 'endpoint', template: null, host: null, kind: 'dynamic' as const };
  const post = recommendPlacement(makeCall({ method: 'POST', url: dynamicUrl }));
  assert.equal(post.questions.find((q) => q.id === 'mutation')?.answer, 'yes');
  assert.doesNotMatch(post.reasons.join(' '), /\bread\b/, 'a POST to a host built at run time is a change');
  assert.match(post.reasons.join(' '), /POST changes data/);
  assert.equal(post.placement, 'hybrid');

  const serverPost = recommendPlacement(makeCall({ method: 'POST', runtime: 'backend', context: 'node-server' }));
  assert.equal(serverPost.placement, 'backend', 'a POST the server sends stays there, not "the browser may send it"');
  assert.doesNotMatch(serverPost.reasons.join(' '), /\bread\b|browser may send/);

  const unknownMethod = recommendPlacement(makeCall({ method: null }));
  assert.doesNotMatch(unknownMethod.reasons.join(' '), /\bread\b/, 'a method decided at run time is not known to be a read');
  assert.match(unknownMethod.reasons.join(' '), /method is decided at run time/);

  assert.match(recommendPlacement(makeCall()).reasons.join(' '), /A GET read of your own API/, 'a GET to a relative URL still is one');
});

test('the decision guide counts the same hosts as local as the rules do: private addresses and Compose services are not third parties', () => {
  const thirdParty = (host: string) =>
    recommendPlacement(makeCall({ url: { text: `http://${host}/users`, template: `http://${host}/users`, host, kind: 'absolute' } })).questions.find((q) => q.id === 'third-party')?.answer;
  assert.equal(thirdParty('api'), 'no', 'a Docker Compose service name');
  assert.equal(thirdParty('10.0.0.5'), 'no', 'a private network address');
  assert.equal(thirdParty('localhost'), 'no');
  assert.equal(thirdParty('api.github.com'), 'yes');
});

test('topics for a call come from its findings first, then its runtime, and always the decision guide', () => {
  const call = makeCall({ findings: [{ rule: 'polling', severity: 'info', message: 'm', topics: ['real-time-updates', 'reduced-server-load'] }] });
  assert.deepEqual(topicsForCall(call, () => []), ['real-time-updates', 'reduced-server-load', 'user-experience', 'cors', 'decision-guide']);
  assert.deepEqual(topicsForCall(makeCall({ runtime: 'backend' }), () => []), ['security', 'scalability', 'decision-guide']);
});

test('the library filters by side and search text and says when nothing matches', () => {
  const other: KnowledgeTopic = { ...topic, id: 'security', title: 'Security', side: 'backend', summary: 'Authenticate on the server.', body: 'Authorization checks.' };
  const all = renderLibrary([topic, other], {});
  assert.ok(all.includes('data-topic="cors"') && all.includes('data-topic="security"'));
  const backend = renderLibrary([topic, other], { side: 'backend' });
  assert.ok(!backend.includes('data-topic="cors"') && backend.includes('data-topic="security"'));
  const search = renderLibrary([topic, other], { query: 'cross-origin' });
  assert.ok(search.includes('data-topic="cors"') && !search.includes('data-topic="security"'));
  const none = renderLibrary([topic, other], { query: `zz${XSS}` });
  assert.ok(none.includes('No topic matches') && !none.includes('<img'));
});

test('the overview counts calls by runtime, host and rule, and each bar carries its tree filter', () => {
  const calls = [
    makeCall(),
    makeCall({ runtime: 'backend', url: { text: 'x', template: 'x', host: 'api.stripe.com', kind: 'absolute' } }),
    makeCall({ findings: [{ rule: 'polling', severity: 'info', message: 'm', topics: [] }, { rule: 'no-timeout', severity: 'info', message: 'm', topics: [], silenced: true }] }),
  ];
  const html = renderOverview(calls);
  assert.ok(html.includes('3 calls'));
  assert.ok(html.includes('data-filter="{&quot;runtime&quot;:&quot;frontend&quot;}"'));
  assert.ok(html.includes('Frontend (browser): 2'));
  assert.ok(html.includes('api.stripe.com: 1'));
  assert.ok(html.includes('polling: 1'));
  assert.ok(!html.includes('no-timeout'), 'silenced findings are not counted');
});

test('the overview counts the blind spots and lists where they are, escaped, with the rest left to the tree', () => {
  const spot = (line: number) => ({ file: 'src/lib/client.ts', line, kind: 'generated-client' as const, detail: `./.client/services.gen.js is not in the workspace ${XSS}` });
  const none = renderOverview([makeCall()]);
  assert.ok(none.includes('0 blind spots') && !none.includes('Not followed'), 'the count is always there; the list only when there is something to list');
  const html = renderOverview([makeCall()], [spot(4)]);
  assert.ok(html.includes('1 blind spot ·'), html);
  assert.ok(html.includes('<h2>Not followed (1)</h2>'));
  assert.ok(html.includes('<code>src/lib/client.ts:4</code>'));
  assert.ok(!html.includes('<img'), 'the detail is escaped');
  const many = renderOverview([], Array.from({ length: 25 }, (_, i) => ({ ...spot(i + 1), folderName: 'web' })));
  assert.ok(many.includes('<code>web/src/lib/client.ts:20</code>') && !many.includes('client.ts:21<'), 'the first 20, with the folder in a multi-root workspace');
  assert.ok(many.includes('and 5 more under &quot;Not followed&quot;') || many.includes('and 5 more under "Not followed"'));
});

test('the overview lists findings by severity first: one error above many infos', () => {
  const info = { rule: 'no-error-handling' as const, severity: 'info' as const, message: 'm', topics: [] };
  const calls = [
    ...Array.from({ length: 8 }, () => makeCall({ findings: [info] })),
    makeCall({ findings: [{ rule: 'client-secret', severity: 'error', message: 'm', topics: [] }] }),
    makeCall({ findings: [{ rule: 'insecure-http', severity: 'warning', message: 'm', topics: [] }, { ...info }] }),
  ];
  const html = renderOverview(calls);
  const order = ['client-secret: 1', 'insecure-http: 1', 'no-error-handling: 9'].map((label) => html.indexOf(label));
  assert.ok(order.every((i) => i >= 0), html);
  assert.deepEqual([...order].sort((a, b) => a - b), order, 'error, then warning, then info');
});

test('backtick spans in messages render as code, and code spans cannot smuggle HTML', () => {
  assert.equal(renderMessage('Browser code sends `NEXT_PUBLIC_KEY` in the header'), 'Browser code sends <code>NEXT_PUBLIC_KEY</code> in the header');
  assert.equal(renderMessage(`calls \`${XSS}\` now`), 'calls <code>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</code> now');
  assert.equal(renderMessage('an odd ` backtick'), 'an odd ` backtick', 'an unmatched backtick stays text');
});
