// The tools API Atlas offers to AI agents (VS Code language model tools and the MCP server): their schemas and answers.
import { RULES } from '../rules';
import { activeFindings, RULE_IDS, RUNTIMES, type Call, type RuleId, type Runtime, type Severity } from '../model';

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];
const DEFAULT_LIMIT = 50;

export type AgentToolName = 'list_calls' | 'explain_call' | 'list_findings';

export interface AgentToolDefinition {
  name: AgentToolName;
  title: string;
  description: string;
  /** JSON Schema of the input object (the same in package.json's languageModelTools and over MCP). */
  inputSchema: { type: 'object'; properties: Record<string, unknown>; required?: string[]; additionalProperties?: boolean };
}

const limitProperty = { type: 'integer', minimum: 1, maximum: 500, description: `At most this many items (default ${DEFAULT_LIMIT}).` };

export const AGENT_TOOLS: readonly AgentToolDefinition[] = [
  {
    name: 'list_calls',
    title: 'List API calls',
    description:
      'Lists the fetch and axios calls API Atlas found in the workspace: file and line, HTTP method, URL, host, where the call runs (frontend = browser, backend = server, isomorphic = both) and its findings. Filter by runtime, host, rule or file.',
    inputSchema: {
      type: 'object',
      properties: {
        runtime: { type: 'string', enum: [...RUNTIMES], description: 'Only calls that run here.' },
        host: { type: 'string', description: 'Only calls to this host or its subdomains, e.g. "api.stripe.com" or "stripe.com".' },
        rule: { type: 'string', enum: [...RULE_IDS], description: 'Only calls with an active finding of this rule.' },
        file: { type: 'string', description: 'Only calls in files whose workspace-relative path contains this text.' },
        limit: limitProperty,
      },
      additionalProperties: false,
    },
  },
  {
    name: 'explain_call',
    title: 'Explain where an API call runs',
    description:
      'Explains why API Atlas placed one call in the browser or on the server: the runtime, the framework context, the confidence and every piece of evidence (directives, framework conventions, import paths), plus its findings with the rule pages. Name the call by its id (from list_calls) or by file and line.',
    inputSchema: {
      type: 'object',
      properties: {
        id: { type: 'string', description: 'The call id from list_calls.' },
        file: { type: 'string', description: 'Workspace-relative path of the file holding the call (with line).' },
        line: { type: 'integer', minimum: 1, description: '1-based line of the call in that file.' },
      },
      additionalProperties: false,
    },
  },
  {
    name: 'list_findings',
    title: 'List API call findings',
    description:
      'Lists the risks API Atlas found in API calls (secrets sent from the browser, third-party APIs called directly, http://, missing timeouts, ...), most severe first, with file, line, rule and message. Silenced findings are left out. Filter by severity, rule or file.',
    inputSchema: {
      type: 'object',
      properties: {
        severity: { type: 'string', enum: [...SEVERITIES], description: 'Only findings of this severity or worse.' },
        rule: { type: 'string', enum: [...RULE_IDS], description: 'Only findings of this rule.' },
        file: { type: 'string', description: 'Only findings in files whose workspace-relative path contains this text.' },
        limit: limitProperty,
      },
      additionalProperties: false,
    },
  },
];

export interface CallSummary {
  id: string;
  file: string;
  line: number;
  method: string | null;
  url: string;
  host: string | null;
  runtime: Runtime;
  context: string;
  client: string;
  findings: { rule: RuleId; severity: Severity; message: string }[];
}

export interface FindingSummary {
  rule: RuleId;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  callId: string;
  runtime: Runtime;
  url: string;
  rulePage: string;
}

export interface CallExplanation {
  call: CallSummary;
  confidence: number;
  via?: string;
  evidence: { signal: string; detail: string; runtime: Runtime; weight: number }[];
  findings: (CallSummary['findings'][number] & { rulePage: string; topics: string[]; silenced: boolean })[];
}

export interface ToolAnswer<T> {
  /** Set instead of a result when the input cannot be answered; written for the agent to correct its call. */
  error?: string;
  result?: T;
}

/** Answers one tool call on the given calls (paths relative to the workspace); throws only on a programming error. */
export function answerAgentTool(name: AgentToolName, input: Record<string, unknown>, calls: readonly Call[]): ToolAnswer<unknown> {
  switch (name) {
    case 'list_calls':
      return listCalls(calls, input);
    case 'explain_call':
      return explainCall(calls, input);
    case 'list_findings':
      return listFindings(calls, input);
  }
}

export function listCalls(calls: readonly Call[], input: Record<string, unknown>): ToolAnswer<{ total: number; shown: number; calls: CallSummary[] }> {
  const problem = checkEnum(input.runtime, RUNTIMES, 'runtime') ?? checkEnum(input.rule, RULE_IDS, 'rule');
  if (problem) return { error: problem };
  const host = typeof input.host === 'string' ? input.host.toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '') : undefined;
  const file = typeof input.file === 'string' ? input.file : undefined;
  const matching = sortByPlace(calls).filter(
    (c) =>
      (input.runtime === undefined || c.runtime === input.runtime) &&
      (host === undefined || (c.url.host !== null && (c.url.host.toLowerCase() === host || c.url.host.toLowerCase().endsWith(`.${host}`)))) &&
      (input.rule === undefined || c.findings.some((f) => f.rule === input.rule && !f.silenced)) &&
      (file === undefined || c.file.includes(file)),
  );
  const shown = matching.slice(0, limitOf(input));
  return { result: { total: matching.length, shown: shown.length, calls: shown.map(summarise) } };
}

export function explainCall(calls: readonly Call[], input: Record<string, unknown>): ToolAnswer<CallExplanation> {
  let call: Call | undefined;
  if (typeof input.id === 'string') {
    call = calls.find((c) => c.id === input.id);
    if (!call) return { error: `No call has the id "${input.id}". Use list_calls to find ids.` };
  } else if (typeof input.file === 'string' && typeof input.line === 'number') {
    const { file, line } = input as { file: string; line: number };
    const inFile = calls.filter((c) => c.file === file || c.file.endsWith(`/${file}`));
    call = inFile.find((c) => c.range.start.line <= line && line <= c.range.end.line) ?? inFile.find((c) => c.range.start.line === line);
    if (!call) {
      const lines = inFile.map((c) => c.range.start.line);
      return { error: inFile.length ? `No call at ${file}:${line}; calls in that file start on lines ${lines.join(', ')}.` : `No indexed call in a file named "${file}".` };
    }
  } else {
    return { error: 'Give the call id (from list_calls), or file and line.' };
  }
  return {
    result: {
      call: summarise(call),
      confidence: call.confidence,
      ...(call.via !== undefined ? { via: call.via } : {}),
      evidence: call.evidence.map((e) => ({ signal: e.signal, detail: e.detail, runtime: e.runtime, weight: e.weight })),
      findings: call.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, rulePage: RULES[f.rule].docPath, topics: [...f.topics], silenced: Boolean(f.silenced) })),
    },
  };
}

export function listFindings(calls: readonly Call[], input: Record<string, unknown>): ToolAnswer<{ total: number; shown: number; findings: FindingSummary[] }> {
  const problem = checkEnum(input.severity, SEVERITIES, 'severity') ?? checkEnum(input.rule, RULE_IDS, 'rule');
  if (problem) return { error: problem };
  const worst = typeof input.severity === 'string' ? SEVERITIES.indexOf(input.severity as Severity) : SEVERITIES.length - 1;
  const file = typeof input.file === 'string' ? input.file : undefined;
  const all: FindingSummary[] = [];
  for (const call of sortByPlace(calls)) {
    if (file !== undefined && !call.file.includes(file)) continue;
    for (const f of call.findings) {
      if (f.silenced || SEVERITIES.indexOf(f.severity) > worst || (input.rule !== undefined && f.rule !== input.rule)) continue;
      all.push({ rule: f.rule, severity: f.severity, message: f.message, file: call.file, line: call.range.start.line, callId: call.id, runtime: call.runtime, url: call.url.text, rulePage: RULES[f.rule].docPath });
    }
  }
  // Stable: most severe first, in reading order within a severity.
  const ordered = SEVERITIES.flatMap((s) => all.filter((f) => f.severity === s));
  const shown = ordered.slice(0, limitOf(input));
  return { result: { total: ordered.length, shown: shown.length, findings: shown } };
}

function summarise(call: Call): CallSummary {
  return {
    id: call.id,
    file: call.file,
    line: call.range.start.line,
    method: call.method,
    url: call.url.text,
    host: call.url.host,
    runtime: call.runtime,
    context: call.context,
    client: call.client,
    findings: activeFindings(call).map((f) => ({ rule: f.rule, severity: f.severity, message: f.message })),
  };
}

function sortByPlace(calls: readonly Call[]): Call[] {
  return [...calls].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column));
}

function limitOf(input: Record<string, unknown>): number {
  const n = input.limit;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? Math.min(n, 500) : DEFAULT_LIMIT;
}

function checkEnum(value: unknown, allowed: readonly string[], name: string): string | null {
  if (value === undefined) return null;
  return typeof value === 'string' && allowed.includes(value) ? null : `${name} must be one of ${allowed.join(', ')}.`;
}
