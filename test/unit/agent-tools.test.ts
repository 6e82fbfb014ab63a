// The agent tools' answers (shared by the VS Code language model tools and the MCP server) on a real scan of examples/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { answerAgentTool, explainCall, listCalls, listFindings } from '../../src/core/report';
import { scanWorkspace } from '../../src/core/index';
import { loadSettings } from '../../src/core/settings';
import type { Call } from '../../src/core/model';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');
let calls: Call[] | undefined;
async function exampleCalls(): Promise<Call[]> {
  calls ??= (await scanWorkspace(EXAMPLES, loadSettings(EXAMPLES).settings, { workers: 0 })).calls;
  return calls;
}

test('list_calls filters by runtime, host (subdomains included), rule and file, and caps the list with limit', async () => {
  const all = await exampleCalls();
  assert.equal(listCalls(all, {}).result?.total, all.length);
  const frontend = listCalls(all, { runtime: 'frontend' }).result;
  assert.equal(frontend?.total, all.filter((c) => c.runtime === 'frontend').length);
  assert.deepEqual(listCalls(all, { host: 'openai.com' }).result?.calls.map((c) => c.host), ['api.openai.com']);
  assert.deepEqual(listCalls(all, { host: 'https://api.openai.com/v1' }).result?.calls.map((c) => c.host), ['api.openai.com']);
  assert.equal(listCalls(all, { host: 'penai.com' }).result?.total, 0, 'a suffix must start at a dot');
  const secret = listCalls(all, { rule: 'client-secret' }).result;
  assert.ok(secret && secret.total > 0 && secret.calls.every((c) => c.findings.some((f) => f.rule === 'client-secret')));
  assert.ok(listCalls(all, { file: 'api/' }).result?.calls.every((c) => c.file.includes('api/')));
  const one = listCalls(all, { limit: 1 }).result;
  assert.deepEqual([one?.shown, one?.total], [1, all.length]);
  assert.match(listCalls(all, { runtime: 'browser' }).error ?? '', /runtime must be one of/);
});

test('explain_call by id or by file and line carries the evidence and findings; unknown calls get a hint', async () => {
  const all = await exampleCalls();
  const target = all.find((c) => c.url.host === 'api.openai.com');
  assert.ok(target);
  const byId = explainCall(all, { id: target.id }).result;
  assert.deepEqual(byId?.evidence.map((e) => e.signal), target.evidence.map((e) => e.signal));
  assert.ok(byId?.findings.some((f) => f.rule === 'client-secret' && f.rulePage === 'docs/rules/client-secret.md'));
  assert.equal(explainCall(all, { file: target.file, line: target.range.start.line }).result?.call.id, target.id);
  assert.equal(explainCall(all, { file: path.basename(target.file), line: target.range.start.line }).result?.call.id, target.id, 'a path suffix is enough');
  assert.match(explainCall(all, { file: target.file, line: 1 }).error ?? '', /calls in that file start on lines/);
  assert.match(explainCall(all, {}).error ?? '', /Give the call id/);
});

test('list_findings orders by severity, honours the severity floor and leaves silenced findings out', async () => {
  const all = await exampleCalls();
  const every = listFindings(all, { limit: 500 }).result;
  const active = all.flatMap((c) => c.findings.filter((f) => !f.silenced));
  assert.equal(every?.total, active.length);
  const ranks = every?.findings.map((f) => ['error', 'warning', 'info'].indexOf(f.severity)) ?? [];
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
  const warnings = listFindings(all, { severity: 'warning' }).result;
  assert.equal(warnings?.total, active.filter((f) => f.severity !== 'info').length);
  const silenced: Call[] = all.map((c) => ({ ...c, findings: c.findings.map((f) => ({ ...f, silenced: true })) }));
  assert.equal(answerAgentTool('list_findings', {}, silenced).result && (answerAgentTool('list_findings', {}, silenced).result as { total: number }).total, 0);
});
