// api-atlas hosts: the external-host inventory (service, calls by runtime, credentials) as table, JSON and CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { buildHostInventory, mergeHostInventories, type HostInventory, type InventoryCall } from '../../src/core/report';
import { formatHostsCsv } from '../../src/cli/hosts';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function aCall(url: string, host: string | null, runtime: InventoryCall['runtime'], credentials: InventoryCall['facts'] = { credentials: [] }): InventoryCall {
  return {
    id: url,
    file: 'src/a.ts',
    range: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
    client: 'fetch',
    method: 'GET',
    url: { text: `'${url}'`, template: url, host, kind: host ? 'absolute' : url.startsWith('/') ? 'relative' : 'dynamic' },
    runtime,
    context: 'spa',
    confidence: 1,
    evidence: [],
    findings: [],
    facts: credentials,
  };
}

test('the inventory groups by external host, names catalogued services, counts runtimes and credentials, and sets local and relative calls apart', () => {
  const span = { start: 0, end: 1 };
  const inv = buildHostInventory([
    aCall('https://api.stripe.com/v1/charges', 'api.stripe.com', 'backend', { credentials: [{ source: 'env', placement: 'header', text: 'k', span }] }),
    aCall('https://api.stripe.com/v1/customers', 'api.stripe.com', 'frontend'),
    aCall('https://slack.com/api/chat.postMessage', 'slack.com', 'backend'),
    aCall('http://weather.example.org/today', 'weather.example.org', 'isomorphic'),
    aCall('http://localhost:3000/x', 'localhost:3000', 'backend'),
    aCall('/api/me', null, 'frontend'),
    aCall('{url}', null, 'unknown'),
  ]);
  assert.deepEqual(
    inv.hosts.map((h) => [h.host, h.service, h.calls, h.byRuntime.frontend, h.byRuntime.backend, h.credential.calls, h.credential.sources.join(), h.schemes.join()]),
    [
      ['api.stripe.com', 'Stripe API', 2, 1, 1, 1, 'env', 'https'],
      ['slack.com', 'Slack Web API', 1, 0, 1, 0, '', 'https'],
      ['weather.example.org', null, 1, 0, 0, 0, '', 'http'],
    ],
  );
  assert.deepEqual([inv.sameOriginCalls, inv.localCalls, inv.unresolvedCalls], [1, 1, 1]);
  const merged = mergeHostInventories([inv, inv]);
  assert.equal(merged.hosts[0].calls, 4);
  assert.equal(merged.sameOriginCalls, 2);
});

test('CSV quotes what needs quoting and defuses spreadsheet formulas', () => {
  const inv: HostInventory = {
    hosts: [{ host: 'a.example', service: 'Acme, Inc. "API"', calls: 1, byRuntime: { frontend: 1, backend: 0, isomorphic: 0, unknown: 0 }, credential: { calls: 0, sources: [] }, schemes: ['https'], files: ['=cmd.ts'] }],
    sameOriginCalls: 0,
    localCalls: 0,
    unresolvedCalls: 0,
  };
  const lines = formatHostsCsv(inv).split('\r\n');
  assert.equal(lines[1], `a.example,"Acme, Inc. ""API""",1,1,0,0,0,0,,https,'=cmd.ts`);
});

test('dist/cli.js hosts on examples/: table, JSON and CSV agree; the OpenAI key is seen as sent from the browser', () => {
  const json = run('hosts', 'examples', '--format', 'json');
  assert.equal(json.status, 0, json.stderr);
  const inv = JSON.parse(json.stdout) as HostInventory & { tool: string };
  assert.equal(inv.tool, 'api-atlas');
  const openai = inv.hosts.find((h) => h.host === 'api.openai.com');
  assert.ok(openai, json.stdout);
  assert.equal(openai.service, 'OpenAI API');
  assert.equal(openai.byRuntime.frontend, 1);
  assert.deepEqual(openai.credential, { calls: 1, sources: ['env'] });
  assert.ok(openai.files.every((f) => f.startsWith('web/')));
  assert.ok(inv.hosts.every((h) => !h.host.startsWith('localhost')));

  const csv = run('hosts', 'examples', '--format', 'csv');
  const rows = csv.stdout.trim().split('\r\n');
  assert.equal(rows[0], 'host,service,calls,frontend,backend,isomorphic,unknown,credential_calls,credential_sources,schemes,files');
  assert.equal(rows.length, inv.hosts.length + 1);
  assert.ok(rows.includes('api.openai.com,OpenAI API,1,1,0,0,0,1,env,https,web/app/dashboard/page.tsx'), csv.stdout);

  const table = run('hosts', 'examples');
  assert.match(table.stdout, /^HOST\s+SERVICE\s+CALLS\s+FRONTEND\s+BACKEND\s+ISOMORPHIC\s+UNKNOWN\s+CREDENTIAL$/m);
  assert.match(table.stdout, /^api\.openai\.com\s+OpenAI API\s+1\s+1\s+0\s+0\s+0\s+yes, 1\/1 \(env\)$/m);
  assert.match(table.stdout, new RegExp(`^${inv.hosts.length} external hosts; also ${inv.sameOriginCalls} same-origin calls`, 'm'));

  const bad = run('hosts', 'examples', '--format', 'sarif');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown hosts format "sarif"; use one of table, json, csv/);
});
