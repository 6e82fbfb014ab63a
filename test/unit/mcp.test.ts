// api-atlas mcp driven by the official SDK's client over stdio, as an MCP host (Claude Desktop, an IDE agent) would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { AGENT_TOOLS } from '../../src/core/report';
import type { ScanResult } from '../../src/core/model';
import { spawnSync } from 'node:child_process';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function textOf(result: Awaited<ReturnType<Client['callTool']>>): string {
  const content = result.content as { type: string; text?: string }[];
  return content.map((c) => c.text ?? '').join('');
}

test('api-atlas mcp over stdio: lists the three tools with their schemas and answers them from a scan of the folder', async () => {
  const scan = JSON.parse(spawnSync(process.execPath, [CLI, 'scan', 'examples', '--format', 'json'], { cwd: ROOT, encoding: 'utf8' }).stdout) as ScanResult;
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', 'examples'], cwd: ROOT, stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'api-atlas-test', version: '1.0.0' });
  await client.connect(transport);
  try {
    assert.equal(client.getServerVersion()?.name, 'api-atlas');
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => [t.name, t.inputSchema]),
      AGENT_TOOLS.map((t) => [t.name, t.inputSchema]),
    );
    assert.ok(tools.every((t) => t.annotations?.readOnlyHint === true));

    const frontend = JSON.parse(textOf(await client.callTool({ name: 'list_calls', arguments: { runtime: 'frontend' } }))) as { total: number; calls: { file: string; runtime: string }[] };
    assert.equal(frontend.total, scan.calls.filter((c) => c.runtime === 'frontend').length);
    assert.ok(frontend.calls.every((c) => c.runtime === 'frontend'));

    const openai = JSON.parse(textOf(await client.callTool({ name: 'list_calls', arguments: { host: 'api.openai.com' } }))) as { calls: { id: string; file: string }[] };
    assert.equal(openai.calls.length, 1);
    const expected = scan.calls.find((c) => c.id === openai.calls[0].id);
    assert.ok(expected);

    const explained = JSON.parse(textOf(await client.callTool({ name: 'explain_call', arguments: { id: expected.id } }))) as { call: { runtime: string }; evidence: { detail: string }[]; findings: { rule: string }[] };
    assert.equal(explained.call.runtime, expected.runtime);
    assert.deepEqual(explained.evidence.map((e) => e.detail), expected.evidence.map((e) => e.detail));
    assert.deepEqual(explained.findings.map((f) => f.rule).sort(), expected.findings.map((f) => f.rule).sort());

    const byLine = JSON.parse(textOf(await client.callTool({ name: 'explain_call', arguments: { file: expected.file, line: expected.range.start.line } }))) as { call: { id: string } };
    assert.equal(byLine.call.id, expected.id);

    const errors = JSON.parse(textOf(await client.callTool({ name: 'list_findings', arguments: { severity: 'error' } }))) as { total: number; findings: { rule: string; severity: string }[] };
    const expectedErrors = scan.calls.flatMap((c) => c.findings.filter((f) => f.severity === 'error' && !f.silenced));
    assert.equal(errors.total, expectedErrors.length);
    assert.ok(errors.findings.some((f) => f.rule === 'client-secret'));

    const wrong = await client.callTool({ name: 'explain_call', arguments: { id: 'nope' } });
    assert.equal(wrong.isError, true);
    assert.match(textOf(wrong), /No call has the id "nope"\. Use list_calls/);
    const badEnum = await client.callTool({ name: 'list_calls', arguments: { runtime: 'browser' } });
    assert.equal(badEnum.isError, true);
    assert.match(textOf(badEnum), /runtime must be one of frontend, backend, isomorphic, unknown/);
  } finally {
    await client.close();
  }
  assert.match(stderr, /MCP server ready on stdio/);
});

test('api-atlas mcp refuses a missing folder and several folders', () => {
  const missing = spawnSync(process.execPath, [CLI, 'mcp', 'no-such-folder'], { cwd: ROOT, encoding: 'utf8', input: '' });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /not a folder: no-such-folder/);
  const two = spawnSync(process.execPath, [CLI, 'mcp', 'examples', 'test'], { cwd: ROOT, encoding: 'utf8', input: '' });
  assert.equal(two.status, 2);
  assert.match(two.stderr, /mcp serves one workspace folder/);
  assert.ok(fs.existsSync(CLI));
});
