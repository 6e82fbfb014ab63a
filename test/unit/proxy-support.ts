// Test support for the proxy and fix tests: fixture workspaces in memory, CallRecords built from real source spans, type-checking of generated code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import assert from 'node:assert/strict';
import { toScriptText } from '../../src/core/scan';
import { applyPlanToTexts, type FixPlan, type WorkspaceView } from '../../src/core/fix';
import { detectProxyTargets, planProxyMove, type ProxyTarget } from '../../src/core/fix/proxy';
import type { CallRecord, Client, Credential } from '../../src/core/model';

export const FIXTURES = path.join(__dirname, '..', 'fixtures');

export interface MemoryWorkspace extends WorkspaceView {
  files: Map<string, string>;
}

export function memoryWorkspace(files: Record<string, string> | Map<string, string>): MemoryWorkspace {
  const map = files instanceof Map ? new Map(files) : new Map(Object.entries(files));
  return { files: map, readFile: (rel) => map.get(rel), listFiles: () => [...map.keys()].sort() };
}

/** Every file of a fixture folder (dotfiles included), as a memory workspace so plans can be applied without touching disk. */
export function fixtureWorkspace(name: string): MemoryWorkspace {
  const root = path.join(FIXTURES, name);
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else files.set(path.relative(root, abs).split(path.sep).join('/'), fs.readFileSync(abs, 'utf8'));
    }
  };
  walk(root);
  return memoryWorkspace(files);
}

/** The workspace after applying a plan (throws like the editor would refuse). */
export function applyPlan(ws: MemoryWorkspace, plan: FixPlan): MemoryWorkspace {
  const changed = applyPlanToTexts(plan, ws.readFile);
  const next = new Map(ws.files);
  for (const [file, text] of changed) next.set(file, text);
  return memoryWorkspace(next);
}

export interface CredentialSpec {
  /** Source text of the credential expression, searched for after the start of the call. */
  text: string;
  source: Credential['source'];
  placement: Credential['placement'];
  field?: string;
  envName?: string;
  literal?: string;
}

function findCall(sf: ts.SourceFile, start: number): ts.CallExpression | null {
  let found: ts.CallExpression | null = null;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && node.getStart(sf) === start) {
      // The outermost call starting here is `a.b(...)`; a chain like `fetch(...).then(...)` starts here too, so keep the innermost one that begins with the callee text.
      found = node;
      const inner = node.expression;
      if (ts.isPropertyAccessExpression(inner) && ts.isCallExpression(inner.expression) && inner.expression.getStart(sf) === start) {
        found = null;
        visit(inner.expression);
        return;
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/**
 * A CallRecord for the call that starts at `callStart` in `file`, with real spans, as the detector would report it.
 * Only the facts the fixes read are filled in.
 */
export function callAt(
  ws: WorkspaceView,
  file: string,
  callStart: string,
  opts: {
    client: Client;
    method?: string | null;
    credentials?: CredentialSpec[];
    definition?: { name: string; file: string; line: number };
    baseURL?: string | null;
    runtime?: CallRecord['runtime'];
    hasTimeout?: boolean;
    rules?: CallRecord['findings'][number]['rule'][];
  },
): CallRecord {
  const text = ws.readFile(file);
  if (text === undefined) throw new Error(`no ${file}`);
  const start = text.indexOf(callStart);
  if (start === -1) throw new Error(`"${callStart}" is not in ${file}`);
  const kind = /\.tsx$/.test(file) ? ts.ScriptKind.TSX : /\.jsx$/.test(file) ? ts.ScriptKind.JSX : /\.(m|c)?ts$|\.(vue|svelte)$/.test(file) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(file, toScriptText(file, text), ts.ScriptTarget.Latest, true, kind);
  const node = findCall(sf, start);
  if (!node) throw new Error(`no call starts at "${callStart}"`);
  const span = { start, end: node.end };
  const lineOf = (offset: number): { line: number; column: number } => {
    const lc = sf.getLineAndCharacterOfPosition(offset);
    return { line: lc.line + 1, column: lc.character + 1 };
  };
  const credentials: Credential[] = (opts.credentials ?? []).map((c) => {
    const inDefinition = c.placement === 'instance-default' && opts.definition;
    const hay = inDefinition ? (ws.readFile(opts.definition!.file) ?? '') : text;
    // Usually inside the call; a header object declared above the call is found too.
    const after = hay.indexOf(c.text, inDefinition ? 0 : start);
    const at = after !== -1 ? after : hay.indexOf(c.text);
    if (at === -1) throw new Error(`credential "${c.text}" not found`);
    return { source: c.source, placement: c.placement, field: c.field, envName: c.envName, literal: c.literal, text: c.text, span: { start: at, end: at + c.text.length } };
  });
  return {
    id: `${file}:${start}`,
    file,
    range: { start: lineOf(span.start), end: lineOf(span.end) },
    client: opts.client,
    method: opts.method ?? null,
    url: { text: node.arguments[0]?.getText(sf) ?? '', template: null, host: null, kind: 'absolute' },
    runtime: opts.runtime ?? 'frontend',
    context: 'unknown',
    confidence: 0.9,
    evidence: [],
    findings: (opts.rules ?? []).map((rule) => ({ rule, severity: 'warning' as const, message: rule, topics: [] })),
    facts: {
      callee: node.expression.getText(sf),
      span,
      urlSpan: node.arguments[0] ? { start: node.arguments[0].getStart(sf), end: node.arguments[0].end } : undefined,
      argSpans: node.arguments.slice(1).map((a) => ({ start: a.getStart(sf), end: a.end })),
      baseURL: opts.baseURL,
      headers: [],
      credentials,
      hasBody: false,
      hasErrorHandling: false,
      hasTimeout: opts.hasTimeout ?? false,
      awaited: ts.isAwaitExpression(node.parent),
      branches: [],
      inTimer: false,
      ignoredRules: [],
      definition: opts.definition,
    },
  };
}

/** Minimal declarations of the framework modules generated code imports, so it type-checks without installing them. */
export const AMBIENT_MODULES = `
declare module 'next' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  export interface NextApiRequest extends IncomingMessage { query: Partial<Record<string, string | string[]>>; body: unknown }
  export interface NextApiResponse<T = unknown> extends ServerResponse { status(code: number): NextApiResponse<T>; json(body: T): void }
}
declare module 'express' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  namespace express {
    interface Request extends IncomingMessage { body?: unknown; originalUrl: string }
    interface Response extends ServerResponse { json(body: unknown): Response }
    type Handler = (req: Request, res: Response, next: (err?: unknown) => void) => void;
    interface Router { all(path: string, ...handlers: Handler[]): Router; use(...handlers: unknown[]): Router }
    interface Application extends Router { listen(port: number, cb?: () => void): unknown }
  }
  function express(): express.Application;
  namespace express {
    function Router(): Router;
    function json(): Handler;
  }
  export = express;
}
interface ImportMeta { readonly env: Record<string, string | undefined> }
`;

const LIBRARY_FILES = new Map<string, ts.SourceFile>();

/**
 * Type-checks generated files with the compiler API (strict, unused locals/parameters, exact optional properties),
 * over Node's and the DOM's declarations plus AMBIENT_MODULES. Returns the diagnostics as readable lines.
 */
export function typeCheck(files: Record<string, string>, extra: ts.CompilerOptions = {}): string[] {
  const virtualRoot = path.join(FIXTURES, '..', '..', '.virtual-typecheck');
  const virtual = new Map<string, string>();
  for (const [rel, text] of Object.entries(files)) virtual.set(path.join(virtualRoot, rel), text);
  virtual.set(path.join(virtualRoot, 'ambient.d.ts'), AMBIENT_MODULES);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: ['node'],
    typeRoots: [path.join(__dirname, '..', '..', 'node_modules', '@types')],
    strict: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noImplicitReturns: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    esModuleInterop: true,
    allowJs: true,
    checkJs: true,
    noEmit: true,
    skipLibCheck: true,
    ...extra,
  };
  const host = ts.createCompilerHost(options);
  const baseGetSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(path.normalize(fileName));
    if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
    // lib.dom.d.ts and @types/node are parsed once per test process, not once per check.
    const key = `${fileName}|${JSON.stringify(languageVersion)}`;
    let cached = LIBRARY_FILES.get(key);
    if (!cached) {
      cached = baseGetSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (cached) LIBRARY_FILES.set(key, cached);
    }
    return cached;
  };
  const baseFileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => virtual.has(path.normalize(fileName)) || baseFileExists(fileName);
  // Generated files may import project modules next to them (the app's auth): their virtual folders exist too.
  const baseDirectoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (dir) => [...virtual.keys()].some((file) => file.startsWith(path.normalize(dir) + path.sep)) || (baseDirectoryExists ? baseDirectoryExists(dir) : ts.sys.directoryExists(dir));
  const baseReadFile = host.readFile.bind(host);
  host.readFile = (fileName) => virtual.get(path.normalize(fileName)) ?? baseReadFile(fileName);
  const program = ts.createProgram([...virtual.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || virtual.has(path.normalize(d.file.fileName)))
    .map((d) => {
      const where = d.file && d.start !== undefined ? `${path.relative(virtualRoot, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
      return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
}

/** Parse errors of a source text (the rewritten call site must stay valid code). */
export function syntaxErrors(file: string, text: string): string[] {
  const out = ts.transpileModule(text, { fileName: file, reportDiagnostics: true, compilerOptions: { jsx: ts.JsxEmit.Preserve, allowJs: true } });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** A fixture call and the target it is moved to, shared by the generation and execution tests. */
export interface ProxyCase {
  fixture: string;
  file: string;
  callStart: string;
  client: 'fetch' | 'axios' | 'axios-instance';
  credentials?: CredentialSpec[];
  definition?: { name: string; file: string; line: number };
  kind: ProxyTarget['kind'];
  secretEnv: string;
  upstreamPath: string;
}

/** Plans the move of a case's call and returns the plan, the generated handler, its route and the workspace it was planned on. */
export function planFor(c: ProxyCase, opts: { writeSecretToEnvLocal?: boolean } = {}): { plan: FixPlan; handler: { file: string; content: string }; route: string; ws: MemoryWorkspace; call: CallRecord } {
  const ws = fixtureWorkspace(c.fixture);
  const target = detectProxyTargets(ws.listFiles(), ws.readFile, { fromFile: c.file }).find((t) => t.kind === c.kind);
  assert.ok(target, `a ${c.kind} target is offered for ${c.fixture}`);
  const call = callAt(ws, c.file, c.callStart, { client: c.client, credentials: c.credentials, definition: c.definition });
  const result = planProxyMove(call, target, ws, opts);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  const handler = result.plan.creates[0];
  const route = /The browser calls (\/api\/[^;]+);/.exec(handler.content);
  assert.ok(route, 'the handler says which route the browser calls');
  return { plan: result.plan, handler, route: route[1], ws, call };
}

export const NEXT_APP: ProxyCase = {
  fixture: 'proxy-next-app',
  file: 'app/components/Chat.tsx',
  callStart: "fetch('https://api.openai.com",
  client: 'fetch',
  credentials: [{ text: 'process.env.NEXT_PUBLIC_OPENAI_KEY', source: 'env', placement: 'header', field: 'Authorization', envName: 'NEXT_PUBLIC_OPENAI_KEY' }],
  kind: 'next-app',
  secretEnv: 'OPENAI_KEY',
  upstreamPath: '/v1/chat/completions',
};

export const EXPRESS_ESM: ProxyCase = {
  fixture: 'proxy-express',
  file: 'src/Summary.tsx',
  callStart: 'anthropic.post',
  client: 'axios-instance',
  definition: { name: 'anthropic', file: 'src/lib/anthropic.ts', line: 3 },
  credentials: [{ text: 'import.meta.env.VITE_ANTHROPIC_KEY', source: 'env', placement: 'instance-default', field: 'x-api-key', envName: 'VITE_ANTHROPIC_KEY' }],
  kind: 'express',
  secretEnv: 'ANTHROPIC_KEY',
  upstreamPath: '/v1/messages',
};

export const EXPRESS_CJS: ProxyCase = {
  fixture: 'proxy-express-cjs',
  file: 'public/contact.js',
  callStart: "fetch('https://api.sendgrid.com",
  client: 'fetch',
  credentials: [{ text: "'Bearer SG.fixtureOnlyNotARealKey.0123456789abcdefghijklmnopqrstuvwxyzABCD'", source: 'literal', placement: 'header', field: 'Authorization', literal: 'SG.fixtureOnlyNotARealKey.0123456789abcdefghijklmnopqrstuvwxyzABCD' }],
  kind: 'express',
  secretEnv: 'SENDGRID_API_KEY',
  upstreamPath: '/v3/mail/send',
};

export const PAGES: ProxyCase = {
  fixture: 'proxy-next-pages',
  file: 'lib/Weather.jsx',
  callStart: 'axios\n      .get',
  client: 'axios',
  credentials: [{ text: 'process.env.NEXT_PUBLIC_WEATHER_KEY', source: 'env', placement: 'query', field: 'appid', envName: 'NEXT_PUBLIC_WEATHER_KEY' }],
  kind: 'next-pages',
  secretEnv: 'WEATHER_KEY',
  upstreamPath: '/data/2.5/weather',
};

export const STANDALONE: ProxyCase = {
  fixture: 'proxy-standalone',
  file: 'src/Movie.tsx',
  callStart: 'fetch(`https://api.themoviedb.org',
  client: 'fetch',
  credentials: [{ text: 'import.meta.env.VITE_TMDB_TOKEN', source: 'env', placement: 'header', field: 'Authorization', envName: 'VITE_TMDB_TOKEN' }],
  kind: 'standalone',
  secretEnv: 'TMDB_TOKEN',
  upstreamPath: '/3/movie/{movieId}',
};

