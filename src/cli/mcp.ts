// `api-atlas mcp`: a Model Context Protocol server over stdio that answers the agent tools on one workspace folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AGENT_TOOLS, answerAgentTool, type AgentToolName } from '../core/report';
import type { Call } from '../core/model';
import type { ScanRequest } from './args';
import { applyFlags, cacheLocationOf, EXIT_OK, EXIT_USAGE, type CliEngine, type CliStreams } from './contract';

/**
 * Serves until the client closes stdin. Every tool call scans the folder afresh (a scan is about a second on a
 * large app), so an agent that edits files always reads the current code; concurrent calls share one scan.
 * stdout carries protocol messages only: the engine's log goes to stderr.
 */
export async function runMcpServer(request: ScanRequest, io: CliStreams, engine: CliEngine): Promise<number> {
  const root = path.resolve(io.cwd, request.paths[0] ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    io.stderr.write(`api-atlas: not a folder: ${request.paths[0]}\n`);
    return EXIT_USAGE;
  }
  const realRoot = fs.realpathSync(root);
  let running: Promise<Call[]> | undefined;
  const currentCalls = (): Promise<Call[]> => {
    running ??= (async () => {
      const loaded = engine.loadSettings(realRoot);
      for (const w of loaded.warnings) io.stderr.write(`api-atlas: warning: ${w}\n`);
      const result = await engine.scanRoot(realRoot, applyFlags(loaded.settings, request), {
        cacheLocation: cacheLocationOf(request, io.cwd),
        onProgress: () => undefined,
        log: (message, level = 'warn') => {
          if (level !== 'info' || request.verbose) io.stderr.write(`api-atlas: ${message}\n`);
        },
      });
      return result.calls;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const server = new Server({ name: 'api-atlas', version: engine.version }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: AGENT_TOOLS.map((t) => ({ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, annotations: { readOnlyHint: true, openWorldHint: false } })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (call): Promise<CallToolResult> => {
    const tool = AGENT_TOOLS.find((t) => t.name === call.params.name);
    if (!tool) return { isError: true, content: [{ type: 'text', text: `Unknown tool "${call.params.name}"; the tools are ${AGENT_TOOLS.map((t) => t.name).join(', ')}.` }] };
    let calls: Call[];
    try {
      calls = await currentCalls();
    } catch (err) {
      return { isError: true, content: [{ type: 'text', text: `Scanning ${realRoot} failed: ${err instanceof Error ? err.message : String(err)}` }] };
    }
    const answer = answerAgentTool(tool.name as AgentToolName, call.params.arguments ?? {}, calls);
    if (answer.error !== undefined) return { isError: true, content: [{ type: 'text', text: answer.error }] };
    return { content: [{ type: 'text', text: JSON.stringify(answer.result, null, 2) }] };
  });

  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  io.stderr.write(`api-atlas: MCP server ready on stdio for ${realRoot}\n`);
  await closed;
  await server.close();
  return EXIT_OK;
}
