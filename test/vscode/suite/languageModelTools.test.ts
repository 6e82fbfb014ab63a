// The language model tools as Copilot Chat or agent mode calls them: through vscode.lm.invokeTool, answered from the live index.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AtlasApi } from '../../../src/extension/extension';
import { activateAtlas, fixtureFolder, waitForIndex } from './harness';

const FIXTURE = 'vscode-next';
const CHATBOX = 'app/components/ChatBox.tsx';

let api: AtlasApi;

async function invoke(name: string, input: object): Promise<unknown> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
  return JSON.parse(text) as unknown;
}

interface ListedCall {
  id: string;
  file: string;
  line: number;
  runtime: string;
  host: string | null;
  findings: { rule: string; severity: string }[];
}

suite('Language model tools', () => {
  suiteSetup(async () => {
    fixtureFolder(FIXTURE);
    api = await activateAtlas();
    await waitForIndex(api, 'the ChatBox call to OpenAI', () => api.index.entries().some((e) => e.folderName === FIXTURE && e.call.file === CHATBOX));
  });

  test('the three tools are registered under the names package.json contributes', () => {
    const names = vscode.lm.tools.map((t) => t.name);
    for (const name of ['apiAtlas_listCalls', 'apiAtlas_explainCall', 'apiAtlas_listFindings']) assert.ok(names.includes(name), `${name} missing from ${names.join(', ')}`);
    const listCalls = vscode.lm.tools.find((t) => t.name === 'apiAtlas_listCalls');
    assert.deepEqual(Object.keys((listCalls?.inputSchema as { properties: object }).properties).sort(), ['file', 'host', 'limit', 'rule', 'runtime']);
  });

  test('list calls filtered by runtime and host returns exactly the index’s browser calls to api.openai.com', async () => {
    const answer = (await invoke('apiAtlas_listCalls', { runtime: 'frontend', host: 'openai.com' })) as { total: number; calls: ListedCall[] };
    const expected = api.index
      .entries()
      .filter((e) => e.call.runtime === 'frontend' && e.call.url.host === 'api.openai.com')
      .map((e) => `${e.folderName}/${e.call.file}:${e.call.range.start.line}`)
      .sort();
    assert.ok(expected.length > 0);
    assert.deepEqual(answer.calls.map((c) => `${c.file}:${c.line}`).sort(), expected);
    assert.equal(answer.total, expected.length);
    assert.ok(answer.calls.some((c) => c.file === `${FIXTURE}/${CHATBOX}` && c.findings.some((f) => f.rule === 'client-secret')));
  });

  test('list calls by rule keeps only calls with that finding', async () => {
    const answer = (await invoke('apiAtlas_listCalls', { rule: 'client-secret' })) as { calls: ListedCall[] };
    assert.ok(answer.calls.length > 0);
    for (const c of answer.calls) assert.ok(c.findings.some((f) => f.rule === 'client-secret'), `${c.file}:${c.line}`);
    const backend = (await invoke('apiAtlas_listCalls', { runtime: 'backend', rule: 'client-secret' })) as { calls: ListedCall[] };
    assert.deepEqual(backend.calls, [], 'a server call never leaks a key to the browser');
  });

  test('explain call gives the placement and the same evidence the index holds, by id and by file and line', async () => {
    const entry = api.index.entries().find((e) => e.folderName === FIXTURE && e.call.file === CHATBOX && e.call.url.host === 'api.openai.com');
    assert.ok(entry);
    const byId = (await invoke('apiAtlas_explainCall', { id: entry.call.id })) as { call: ListedCall; evidence: { signal: string; detail: string }[]; findings: { rule: string; rulePage: string }[] };
    assert.equal(byId.call.runtime, 'frontend');
    assert.deepEqual(
      byId.evidence.map((e) => e.detail),
      entry.call.evidence.map((e) => e.detail),
    );
    assert.ok(byId.evidence.some((e) => e.signal === 'use-client-directive'), JSON.stringify(byId.evidence));
    assert.ok(byId.findings.some((f) => f.rule === 'client-secret' && f.rulePage === 'docs/rules/client-secret.md'));
    const byLine = (await invoke('apiAtlas_explainCall', { file: `${FIXTURE}/${CHATBOX}`, line: entry.call.range.start.line })) as { call: ListedCall };
    assert.equal(byLine.call.id, entry.call.id);
  });

  test('list findings at error level names the leaked key first; a bad id is refused with a hint', async () => {
    const answer = (await invoke('apiAtlas_listFindings', { severity: 'error' })) as { findings: { rule: string; severity: string; file: string }[] };
    assert.ok(answer.findings.length > 0);
    assert.ok(answer.findings.every((f) => f.severity === 'error'));
    assert.ok(answer.findings.some((f) => f.rule === 'client-secret' && f.file === `${FIXTURE}/${CHATBOX}`));
    await assert.rejects(invoke('apiAtlas_explainCall', { id: 'no-such-call' }), /list_calls/);
  });
});
