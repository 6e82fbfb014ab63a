// The four CLI formats over hand-built scans: table groups and summary, JSON shape, SARIF 2.1.0 structure, markdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as Sarif from 'sarif';
import type { Call, Finding, Runtime, ScanResult } from '../../src/core/model';
import { RULE_IDS } from '../../src/core/model';
import { formatTable } from '../../src/cli/format/table';
import { formatJson } from '../../src/cli/format/json';
import { formatSarif, SARIF_SCHEMA } from '../../src/cli/format/sarif';
import { formatMarkdown } from '../../src/cli/format/markdown';
import { maskSecrets, meetsThreshold } from '../../src/cli/format/common';

// ---- test-data builders ---------------------------------------------------------------------------------------

let nextLine = 1;
function aCall(overrides: Partial<Call> & { runtime: Runtime }): Call {
  const line = overrides.range?.start.line ?? nextLine++;
  return {
    id: `call-${line}`,
    file: 'src/app.ts',
    range: { start: { line, column: 3 }, end: { line, column: 30 } },
    client: 'fetch',
    method: 'GET',
    url: { text: "'/api/users'", template: '/api/users', host: null, kind: 'relative' },
    context: overrides.runtime === 'frontend' ? 'spa' : overrides.runtime === 'backend' ? 'node-server' : 'unknown',
    confidence: 0.9,
    evidence: [{ signal: 'package-dependency', detail: 'package.json depends on react-dom', runtime: overrides.runtime, weight: 0.6 }],
    findings: [],
    ...overrides,
  };
}

function aFinding(overrides: Partial<Finding> = {}): Finding {
  return { rule: 'no-error-handling', severity: 'info', message: 'No error handling around this request.', topics: ['user-experience'], ...overrides };
}

function aScan(calls: Call[], skipped: ScanResult['stats']['skipped'] = []): ScanResult {
  return {
    tool: 'api-atlas',
    version: '0.1.0',
    root: '/work/shop',
    calls,
    stats: { filesSeen: 42, filesParsed: 7, calls: calls.length, durationMs: 123, skipped },
  };
}

/** A scan with every runtime, a silenced finding, a wrapper call and a skipped file. */
function sampleScan(): ScanResult {
  return aScan(
    [
      aCall({
        runtime: 'frontend',
        file: 'web/app/checkout/page.tsx',
        range: { start: { line: 12, column: 5 }, end: { line: 14, column: 7 } },
        method: 'POST',
        url: { text: "'https://api.stripe.com/v1/charges'", template: 'https://api.stripe.com/v1/charges', host: 'api.stripe.com', kind: 'absolute' },
        context: 'next-client-component',
        findings: [
          aFinding({ rule: 'third-party-direct', severity: 'warning', message: 'The browser calls Stripe, which needs a secret key.', topics: ['third-party-secrets'] }),
          aFinding({ rule: 'client-secret', severity: 'error', message: 'NEXT_PUBLIC_STRIPE_SECRET is sent from the browser.', topics: ['third-party-secrets', 'security'] }),
        ],
      }),
      aCall({
        runtime: 'backend',
        file: 'api/src/routes/orders.ts',
        range: { start: { line: 30, column: 11 }, end: { line: 30, column: 40 } },
        client: 'axios-instance',
        via: 'api (api/src/http.ts:4)',
        findings: [aFinding({ rule: 'no-timeout', severity: 'info', message: 'No timeout on this server request.', topics: ['scalability'], silenced: true })],
      }),
      aCall({ runtime: 'isomorphic', file: 'packages/shared/client.ts', range: { start: { line: 3, column: 1 }, end: { line: 3, column: 20 } }, client: 'wrapper', via: 'httpGet (packages/shared/http.ts:2)' }),
      aCall({ runtime: 'unknown', file: 'tools/ping.js', range: { start: { line: 8, column: 1 }, end: { line: 8, column: 20 } }, method: null, url: { text: 'target', template: null, host: null, kind: 'dynamic' } }),
    ],
    [{ file: 'web/public/vendor.min.js', reason: 'minified or bundled file (by its name)' }],
  );
}

// ---- table ----------------------------------------------------------------------------------------------------

test('table groups calls under Frontend, Backend, Isomorphic, Unknown in that order', () => {
  const out = formatTable(sampleScan(), { color: false });
  const headings = out.split('\n').filter((l) => /^(Frontend|Backend|Isomorphic|Unknown) \(/.test(l));
  assert.deepEqual(headings, ['Frontend (1 call)', 'Backend (1 call)', 'Isomorphic (1 call)', 'Unknown (1 call)']);
  const frontend = out.slice(out.indexOf('Frontend'), out.indexOf('Backend'));
  assert.match(frontend, /POST\s+https:\/\/api\.stripe\.com\/v1\/charges\s+web\/app\/checkout\/page\.tsx:12:5\s+fetch\s+next-client-component/);
});

test('table lists findings beneath their call, most severe first, silenced ones marked', () => {
  const lines = formatTable(sampleScan(), { color: false }).split('\n');
  const callLine = lines.findIndex((l) => l.includes('page.tsx:12'));
  assert.match(lines[callLine + 1], /^\s+why: /);
  assert.match(lines[callLine + 2], /^\s+error\s+client-secret\s+NEXT_PUBLIC_STRIPE_SECRET is sent/);
  assert.match(lines[callLine + 3], /^\s+warning\s+third-party-direct/);
  const backend = lines.findIndex((l) => l.includes('orders.ts:30'));
  assert.match(lines[backend], /axios-instance via api \(api\/src\/http\.ts:4\)/);
  assert.match(lines[backend + 2], /info \(silenced\)\s+no-timeout/);
});

test('table ends with a summary of calls, runtimes, findings by severity and skipped files', () => {
  const lines = formatTable(sampleScan(), { color: false }).trimEnd().split('\n');
  const summary = lines[lines.length - 1];
  assert.match(summary, /^4 calls \(1 frontend, 1 backend, 1 isomorphic, 1 unknown\) in 42 files/);
  assert.match(summary, /1 error, 1 warning, 0 info \(1 silenced\)/, 'the silenced finding is not counted as info');
  assert.match(summary, /1 file skipped \(see why with --format json/);
});

test('table colours severities only when asked', () => {
  const plain = formatTable(sampleScan(), { color: false });
  const coloured = formatTable(sampleScan(), { color: true });
  const ESC = '\u001b';
  assert.ok(!plain.includes(ESC));
  assert.ok(coloured.includes(`${ESC}[31merror`), 'errors are red');
  assert.ok(coloured.includes(`${ESC}[33mwarning`), 'warnings are yellow');
});

test('table of a scan without calls is the summary and a hint: no source files at all, or none with a call', () => {
  assert.equal(
    formatTable(aScan([]), { color: false }),
    '0 calls in 42 files · 0 errors, 0 warnings, 0 info\nNo fetch or axios calls in these 42 files. Test files are not indexed: add --include-tests to index them.\n',
  );
  assert.doesNotMatch(formatTable(aScan([]), { color: false, includeTests: true }), /--include-tests/, 'no advice to do what was done');
  const empty = { ...aScan([]), stats: { filesSeen: 0, filesParsed: 0, calls: 0, durationMs: 1, skipped: [] } };
  const out = formatTable(empty, { color: false, width: 80 });
  assert.match(out, /^0 calls in 0 files/);
  assert.match(out.replace(/\n/g, ' '), /No JavaScript or TypeScript files under \/work\/shop\. .*\.vue and \.svelte .*Check the path/);
  assert.ok(out.split('\n').every((l) => l.length <= 80), 'the hint is wrapped to the width too');
});

test('table has a header row per group and a "why" line per call: the evidence that placed it, the reason for unknown calls', () => {
  const scan = sampleScan();
  scan.calls[0].evidence = [
    { signal: 'effect-callback', detail: 'inside the useEffect callback: it runs only in the browser', runtime: 'frontend', weight: 0.9 },
    { signal: 'use-client-directive', detail: "starts with 'use client'", runtime: 'frontend', weight: 1 },
  ];
  scan.calls[2].evidence = [
    { signal: 'import-graph', detail: 'imported by app/page.tsx (client)', runtime: 'frontend', weight: 0.7 },
    { signal: 'import-graph', detail: 'imported by server.ts (server)', runtime: 'backend', weight: 0.7 },
  ];
  scan.calls[3].evidence = [{ signal: 'no-signal', detail: 'nothing decides where it runs: no file imports it', runtime: 'unknown', weight: 0 }];
  const lines = formatTable(scan, { color: false }).split('\n');
  assert.equal(lines.filter((l) => /^\s+METHOD\s+URL\s+LOCATION\s+CLIENT\s+CONTEXT$/.test(l)).length, 4, 'one header under each runtime heading');
  const after = (needle: string): string => lines[lines.findIndex((l) => l.includes(needle)) + 1];
  assert.match(after('page.tsx:12'), /^\s+why: inside the useEffect callback/, 'the most specific evidence (the region) decides');
  assert.match(after('client.ts:3'), /^\s+why: imported by app\/page\.tsx \(client\); and imported by server\.ts \(server\)$/, 'isomorphic: one reason from each side');
  assert.match(after('ping.js:8'), /^\s+why unknown: nothing decides where it runs: no file imports it$/);
});

test('table fits the width it is given: columns move under the row, paths are cut at their start, text wraps', () => {
  const scan = sampleScan();
  const wide = formatTable(scan, { color: false, width: 400 }).split('\n');
  assert.ok(wide.some((l) => /POST\s+https:\/\/api\.stripe\.com\/v1\/charges\s+web\/app\/checkout\/page\.tsx:12:5\s+fetch\s+next-client-component$/.test(l)));
  for (const width of [80, 60]) {
    const lines = formatTable(scan, { color: false, width }).split('\n');
    const tooLong = lines.filter((l) => l.length > width);
    assert.deepEqual(tooLong, [], `no line is longer than ${width} columns`);
    assert.ok(lines.some((l) => /client: axios-instance via api \(api\/src\/http\.ts:4\) · context: node-server/.test(l.trim()) || /client: axios-instance/.test(l)), 'CLIENT and CONTEXT move under the row');
    assert.ok(lines.some((l) => /^\s+METHOD\s+URL\s+LOCATION$/.test(l)));
    assert.ok(lines.some((l) => /:12:5(\s|$)/.test(l)), 'a cut location keeps its line and column');
  }
  const coloured = formatTable(scan, { color: true, width: 80 }).split('\n');
  // eslint-disable-next-line no-control-regex
  assert.ok(coloured.every((l) => l.replace(/\u001b\[\d+m/g, '').length <= 80), 'colour codes do not count toward the width');
});

// ---- json -----------------------------------------------------------------------------------------------------

test('json is exactly the docs/design.md §2 object: keys, order, no engine internals', () => {
  const scan = sampleScan();
  // The engine holds CallRecords with facts; they must never reach the output.
  (scan.calls[0] as Call & { facts?: unknown }).facts = { callee: 'fetch', credentials: [{ literal: 'sk_live_secret' }] };
  const parsed = JSON.parse(formatJson(scan)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed), ['tool', 'version', 'root', 'calls', 'stats']);
  assert.equal(parsed.tool, 'api-atlas');
  assert.deepEqual(Object.keys(parsed.stats as object), ['filesSeen', 'filesParsed', 'calls', 'durationMs', 'skipped']);
  const calls = parsed.calls as Record<string, unknown>[];
  assert.equal(calls.length, 4);
  assert.deepEqual(Object.keys(calls[0]), ['id', 'file', 'range', 'client', 'method', 'url', 'runtime', 'context', 'confidence', 'evidence', 'findings']);
  assert.deepEqual(Object.keys(calls[1]), ['id', 'file', 'range', 'client', 'via', 'method', 'url', 'runtime', 'context', 'confidence', 'evidence', 'findings']);
  assert.deepEqual(calls[0].range, { start: { line: 12, column: 5 }, end: { line: 14, column: 7 } });
  assert.deepEqual(Object.keys(calls[0].url as object), ['text', 'template', 'host', 'kind']);
  assert.deepEqual(Object.keys((calls[0].findings as object[])[0]), ['rule', 'severity', 'message', 'topics', 'fixes']);
  assert.deepEqual((calls[1].findings as Finding[])[0].silenced, true);
  // Each finding lists the fixes the editor offers for it (decided in core): the browser's leak → the proxy move,
  // the server's missing timeout → the timeout fix.
  assert.deepEqual((calls[0].findings as { fixes?: unknown }[])[0].fixes, [{ fix: 'move-behind-proxy', title: 'Move behind a server proxy…' }]);
  assert.deepEqual((calls[1].findings as { fixes?: unknown }[])[0].fixes, [{ fix: 'add-timeout', title: 'Add a timeout (10 s)' }]);
  assert.doesNotMatch(formatJson(scan), /facts|sk_live_secret/);
});

// ---- sarif ----------------------------------------------------------------------------------------------------

test('sarif is a 2.1.0 log with every rule described and one result per finding', () => {
  const log = JSON.parse(formatSarif(sampleScan(), { version: '0.1.0' })) as Sarif.Log;
  assert.equal(log.version, '2.1.0');
  assert.equal(log.$schema, SARIF_SCHEMA);
  assert.equal(log.runs.length, 1);
  const driver = log.runs[0].tool.driver;
  assert.equal(driver.name, 'api-atlas');
  assert.equal(driver.version, '0.1.0');
  const rules = driver.rules ?? [];
  assert.deepEqual(rules.map((r) => r.id), [...RULE_IDS]);
  for (const rule of rules) {
    assert.ok(rule.shortDescription?.text, `${rule.id} has a short description`);
    assert.equal(rule.helpUri, undefined, 'without a repository there is no helpUri: a relative one breaks in code scanning');
    assert.match(rule.help?.text ?? '', new RegExp(`docs/rules/${rule.id}\\.md`));
  }
  const results = log.runs[0].results ?? [];
  assert.equal(results.length, 3, 'two findings on the Stripe call, one silenced on the backend call');
  for (const result of results) {
    assert.equal(rules[result.ruleIndex ?? -1].id, result.ruleId, 'ruleIndex points at the result rule');
    const loc = result.locations?.[0].physicalLocation;
    assert.equal(loc?.artifactLocation?.uriBaseId, '%SRCROOT%');
    assert.ok(loc?.region?.startLine && loc.region.startLine >= 1, 'regions are 1-based');
  }
  const byRule = (id: string): Sarif.Result => results.find((r) => r.ruleId === id) as Sarif.Result;
  const [first, second, third] = [byRule('client-secret'), byRule('third-party-direct'), byRule('no-timeout')];
  assert.equal(first.level, 'error');
  assert.equal(second.level, 'warning');
  assert.equal(third.level, 'note', 'info maps to note');
  assert.deepEqual(first.locations?.[0].physicalLocation?.artifactLocation?.uri, 'web/app/checkout/page.tsx');
  assert.deepEqual(first.locations?.[0].physicalLocation?.region, { startLine: 12, startColumn: 5, endLine: 14, endColumn: 7 });
  assert.equal(first.suppressions, undefined);
  assert.deepEqual(third.suppressions, [{ kind: 'inSource' }], 'a silenced finding is a suppressed result');
  assert.equal(log.runs[0].originalUriBaseIds?.['%SRCROOT%'].uri, 'file:///work/shop/');
});

test('sarif rule pages link into the repository and use the engine rule titles when given', () => {
  const log = JSON.parse(
    formatSarif(sampleScan(), {
      version: '1.2.3',
      docsBaseUrl: 'https://github.com/acme/api-atlas/blob/HEAD/',
      rules: { 'client-secret': { title: 'Secret in browser code', defaultSeverity: 'error', topics: ['third-party-secrets'] } },
    }),
  ) as Sarif.Log;
  const rule = log.runs[0].tool.driver.rules?.find((r) => r.id === 'client-secret');
  assert.equal(rule?.helpUri, 'https://github.com/acme/api-atlas/blob/HEAD/docs/rules/client-secret.md');
  assert.equal(rule?.shortDescription?.text, 'Secret in browser code');
  assert.deepEqual(rule?.properties?.tags, ['third-party-secrets']);
});

test('sarif encodes file paths as relative uris', () => {
  const scan = aScan([aCall({ runtime: 'frontend', file: 'src/my page/[id]#1.tsx', findings: [aFinding()] })]);
  const log = JSON.parse(formatSarif(scan, { version: '0.1.0' })) as Sarif.Log;
  assert.equal(log.runs[0].results?.[0].locations?.[0].physicalLocation?.artifactLocation?.uri, 'src/my%20page/%5Bid%5D%231.tsx');
});

// ---- markdown -------------------------------------------------------------------------------------------------

test('markdown has a summary table, a findings table with file links and per-runtime call lists', () => {
  const md = formatMarkdown(sampleScan());
  assert.match(md, /^## API Atlas report/);
  assert.match(md, /\| Calls \| Frontend \| Backend \| Isomorphic \| Unknown \| Errors \| Warnings \| Info \| Skipped files \|\n\|[-:|]+\|\n\| 4 \| 1 \| 1 \| 1 \| 1 \| 1 \| 1 \| 0 \| 1 \|/);
  assert.match(md, /### Findings \(2\)/, 'silenced findings are left out of the findings table');
  const rows = md.split('\n').filter((l) => l.startsWith('| 🔴') || l.startsWith('| 🟠'));
  assert.equal(rows.length, 2);
  assert.match(rows[0], /`client-secret` \| .* \| web\/app\/checkout\/page\.tsx:12 \|/, 'without an absolute base, locations are text, never relative links');
  assert.doesNotMatch(md, /\]\((?!https:)/, 'no relative link anywhere');
  assert.match(md, /1 finding silenced by ignore comments/);
  assert.match(md, /<summary>Frontend: 1 call<\/summary>/);
  assert.match(md, /<summary>Unknown: 1 call<\/summary>/);
});

test('markdown links rule pages and files absolutely when bases are known', () => {
  const md = formatMarkdown(sampleScan(), { linkBase: 'https://github.com/acme/shop/blob/HEAD/', rulesBase: 'https://github.com/acme/api-atlas/blob/HEAD/' });
  const row = md.split('\n').find((l) => l.startsWith('| 🔴')) ?? '';
  assert.match(row, /\[`client-secret`\]\(https:\/\/github\.com\/acme\/api-atlas\/blob\/HEAD\/docs\/rules\/client-secret\.md\)/);
  assert.match(row, /\[web\/app\/checkout\/page\.tsx:12\]\(https:\/\/github\.com\/acme\/shop\/blob\/HEAD\/web\/app\/checkout\/page\.tsx#L12\)/);
  assert.doesNotMatch(formatMarkdown(sampleScan(), { linkBase: 'web/' }), /\]\(web\//, 'a relative base is no base');
});

test('markdown escapes table-breaking text and links into a base when given', () => {
  const scan = aScan([
    aCall({ runtime: 'frontend', file: 'a.ts', url: { text: '`/x|y`', template: null, host: null, kind: 'dynamic' }, findings: [aFinding({ message: 'a | b <script>' })] }),
  ]);
  const md = formatMarkdown(scan, { linkBase: 'https://github.com/o/r/blob/abc/web/' });
  assert.match(md, /a \\\| b &lt;script&gt;/);
  assert.match(md, /\(https:\/\/github\.com\/o\/r\/blob\/abc\/web\/a\.ts#L\d+\)/);
  assert.match(md, /`` `\/x\\\|y` ``/);
});

// ---- shared ---------------------------------------------------------------------------------------------------

test('secrets in URL text are masked in every format', () => {
  const key = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';
  const scan = aScan([
    aCall({
      runtime: 'frontend',
      url: { text: `\`https://api.example.com/v1/items?api_key=${'abcd1234efgh'}&q=1\``, template: null, host: 'api.example.com', kind: 'absolute' },
      findings: [aFinding({ message: `Key ${key} is in the code.` })],
    }),
  ]);
  for (const out of [formatTable(scan, { color: false }), formatJson(scan), formatSarif(scan, { version: '0' }), formatMarkdown(scan)]) {
    assert.ok(!out.includes(key), 'a Stripe secret key is never printed whole');
    assert.ok(!out.includes('abcd1234efgh'), 'the value of an api_key parameter is never printed');
  }
  assert.equal(maskSecrets('/api/users?page=2&sort=name'), '/api/users?page=2&sort=name', 'ordinary URLs are untouched');
  assert.equal(maskSecrets('NEXT_PUBLIC_OPENAI_API_KEY is read in the browser'), 'NEXT_PUBLIC_OPENAI_API_KEY is read in the browser', 'env var names are not secrets');
  assert.equal(maskSecrets(maskSecrets(`token ${key}`)), maskSecrets(`token ${key}`), 'masking twice changes nothing');
});

test('masking answers the same for a text seen before, also after more texts than it remembers went by', () => {
  const key = ['sk', 'live', '51HabcdefghijklmnopqrstuvwxyzABCDEF'].join('_');
  const first = maskSecrets(`Authorization: Bearer ${key}`);
  assert.ok(!first.includes(key));
  for (let i = 0; i < 12_000; i++) maskSecrets(`/api/items/${i}?page=${i}`);
  assert.equal(maskSecrets(`Authorization: Bearer ${key}`), first);
  assert.equal(maskSecrets(`/api/items/7?page=7`), '/api/items/7?page=7');
  assert.ok(!maskSecrets(`other text ${key}`).includes(key), 'a token judged before is masked in another text too');
});

test('--fail-on threshold counts only non-silenced findings at or above it', () => {
  const onlySilencedError = aScan([aCall({ runtime: 'frontend', findings: [aFinding({ severity: 'error', silenced: true })] })]);
  assert.equal(meetsThreshold(onlySilencedError, 'warning'), false);
  const warning = aScan([aCall({ runtime: 'frontend', findings: [aFinding({ severity: 'warning' })] })]);
  assert.equal(meetsThreshold(warning, 'warning'), true);
  assert.equal(meetsThreshold(warning, 'error'), false);
  assert.equal(meetsThreshold(sampleScan(), 'error'), true);
});
