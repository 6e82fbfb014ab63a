// Outputs that cannot be turned on their reader: control sequences and markdown links from file names, secrets in
// URLs, in the table, markdown, JSON, copy-as-cURL, the panel and the hover card's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import type { Call, CallRecord, ScanResult } from '../../src/core/model';
import { formatTable } from '../../src/cli/format/table';
import { formatJson } from '../../src/cli/format/json';
import { formatMarkdown } from '../../src/cli/format/markdown';
import { buildCurl, type CallWithFacts } from '../../src/extension/commands/curl';
import { renderCallView } from '../../src/extension/panel/knowledgeView';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');
// OSC 8 hyperlink, clear screen (CSI 2J), colour, BEL, and a right-to-left override.
const HOSTILE_NAME = 'src/\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007\u001b[2J\u001b[31mred\u0007\u202egnp.ts';
// eslint-disable-next-line no-control-regex -- the test looks for raw control characters
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const SLACK = 'https://hooks.slack.com/services/T0ABCDEFG/B0HIJKLMN/q1w2e3r4t5y6u7i8o9p0a1s2';
const AWS_ID = 'AKIAQ3EGUWZPLMN7RTYV';

function aCall(over: Partial<Call> = {}): Call {
  return {
    id: 'c1',
    file: 'src/app.ts',
    range: { start: { line: 3, column: 5 }, end: { line: 3, column: 40 } },
    client: 'fetch',
    method: 'POST',
    url: { text: "'/api/users'", template: '/api/users', host: null, kind: 'relative' },
    runtime: 'backend',
    context: 'node-server',
    confidence: 1,
    evidence: [{ signal: 'x', detail: 'imported by server.ts', runtime: 'backend', weight: 1 }],
    findings: [{ rule: 'no-timeout', severity: 'info', message: 'no timeout', topics: ['user-experience'] }],
    ...over,
  };
}

const scan = (calls: Call[]): ScanResult => ({ tool: 'api-atlas', version: '0.1.0', root: '/w', calls, stats: { filesSeen: 1, filesParsed: 1, calls: calls.length, durationMs: 1, skipped: [{ file: HOSTILE_NAME, reason: 'binary file (contains NUL bytes)' }] } });

test('the table shows control characters in file names and URLs as visible escapes', () => {
  const out = formatTable(scan([aCall({ file: HOSTILE_NAME, url: { text: `'/x\u001b[2J'`, template: '/x\u001b[2J', host: null, kind: 'relative' } })]), { color: true });
  // eslint-disable-next-line no-control-regex -- the colour codes the table writes itself
  const withoutOwnColours = out.replace(/\u001b\[[0-9;]*m/g, (m) => (m === '\u001b[31m' ? m : ''));
  assert.doesNotMatch(withoutOwnColours, RAW_CONTROL, 'only the table\'s own colour codes remain');
  assert.ok(out.includes('\\u001b]8;;https://evil.example/\\u0007click'), 'the OSC 8 sequence is printed as text');
  assert.ok(out.includes('\\u202egnp.ts'));
});

test('the CLI writes no control character from a file name to the terminal or an --output file', (t) => {
  if (!fs.existsSync(CLI)) return t.skip('dist/cli.js is built by npm run build');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-hostile-out-'));
  try {
    const name = 'x\u001b]8;;https:evil.example\u0007y\u001b[2J\u0007\u202e.ts';
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', name), "export const go = () => fetch('https://api.example.com/v1/items');\n");
    for (const format of ['table', 'markdown']) {
      const run = spawnSync(process.execPath, [CLI, 'scan', '.', '--format', format, '--no-color'], { cwd: dir, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.ok(run.stdout.includes('api.example.com'), run.stdout);
      assert.doesNotMatch(run.stdout, RAW_CONTROL, `${format} on stdout`);
      const written = spawnSync(process.execPath, [CLI, 'scan', '.', '--format', format, '--output', 'report.txt'], { cwd: dir, encoding: 'utf8' });
      assert.equal(written.status, 0, written.stderr);
      assert.doesNotMatch(fs.readFileSync(path.join(dir, 'report.txt'), 'utf8'), RAW_CONTROL, `${format} in --output`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a file named like a markdown link stays text in the markdown report, with or without file links', () => {
  const call = aCall({ file: 'src/[pwn](javascript:alert(1)).tsx', findings: [{ rule: 'no-timeout', severity: 'warning', message: 'no timeout', topics: ['user-experience'] }] });
  const md = new MarkdownIt();
  for (const linkBase of [undefined, 'https://github.com/o/r/blob/abc/']) {
    const report = formatMarkdown(scan([call]), { linkBase });
    const html = md.render(report);
    assert.doesNotMatch(html, /href="javascript:/i, 'no javascript: link');
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) assert.ok(linkBase && href.startsWith(linkBase), `only file links to the repository: ${href}`);
    assert.ok(html.includes('[pwn](javascript:alert(1)).tsx:3'), 'the name reads as written');
  }
  const withControls = formatMarkdown(scan([aCall({ file: HOSTILE_NAME })]));
  assert.doesNotMatch(withControls, RAW_CONTROL);
});

test('a Slack webhook URL and an AWS key id are masked as the call URL in table, JSON and markdown', () => {
  const calls = [
    aCall({ id: 'a', url: { text: `'${SLACK}'`, template: SLACK, host: 'hooks.slack.com', kind: 'absolute' } }),
    aCall({ id: 'b', url: { text: `'https://s3.amazonaws.com/b/k?AWSAccessKeyId=${AWS_ID}&Expires=1'`, template: `https://s3.amazonaws.com/b/k?AWSAccessKeyId=${AWS_ID}&Expires=1`, host: 's3.amazonaws.com', kind: 'absolute' } }),
  ];
  for (const [format, out] of [
    ['table', formatTable(scan(calls), { color: false })],
    ['json', formatJson(scan(calls))],
    ['markdown', formatMarkdown(scan(calls))],
  ]) {
    assert.ok(!out.includes('q1w2e3r4t5y6u7i8o9p0a1s2') && !out.includes('B0HIJKLMN/q1'), `${format}: webhook path masked`);
    assert.ok(out.includes('hooks.slack.com/services/'), `${format}: the host stays readable`);
    assert.ok(!out.includes(AWS_ID), `${format}: AWS key id masked`);
  }
});

function curlCall(url: string, headers: { name: string; valueText: string }[] = []): CallWithFacts {
  return { ...aCall({ url: { text: `'${url}'`, template: url, host: null, kind: 'absolute' } }), facts: { headers, credentials: [], hasBody: false } };
}

test('copy as cURL leaks no basic-auth password, AWS key id, webhook URL or key inside btoa()', () => {
  const basic = buildCurl(curlCall('https://admin:Sup3rS3cretPw@api.example.com/v1/users'));
  assert.ok(!basic.includes('Sup3rS3cretPw'), basic);
  assert.ok(basic.includes('https://admin:'), 'the user name stays');
  const aws = buildCurl(curlCall(`https://s3.amazonaws.com/b/k?AWSAccessKeyId=${AWS_ID}&Expires=1`));
  assert.ok(!aws.includes(AWS_ID), aws);
  const webhook = buildCurl(curlCall(SLACK));
  assert.ok(!webhook.includes('q1w2e3r4t5y6u7i8o9p0a1s2'), webhook);
  const btoa = buildCurl(curlCall('https://api.example.com/v1', [{ name: 'Authorization', valueText: "'Basic ' + btoa('apikey:k3yV4lu3Zq9xW2')" }]));
  assert.ok(!btoa.includes('k3yV4lu3Zq9xW2'), btoa);
  assert.ok(btoa.includes('btoa('), 'the expression stays recognisable');
  const control = buildCurl(curlCall('https://api.example.com/\u001b[2J'));
  assert.doesNotMatch(control, RAW_CONTROL);
});

test('the panel shows a secret-bearing URL masked and control characters as escapes', () => {
  const call = { ...aCall({ file: HOSTILE_NAME, url: { text: `'${SLACK}'`, template: SLACK, host: 'hooks.slack.com', kind: 'absolute' } }), facts: { headers: [], credentials: [], hasBody: false } } as unknown as CallRecord;
  const { html } = renderCallView({ call, topics: [], canMoveBehindProxy: false, ref: { root: '/w', id: 'c1' } });
  assert.ok(!html.includes('q1w2e3r4t5y6u7i8o9p0a1s2'), 'webhook path masked');
  assert.doesNotMatch(html, RAW_CONTROL);
  assert.ok(html.includes('\\u202e'));
});
