// Evidence that a file runs in Node: Node-only modules and globals, script entries (#!, require.main, main()), dotenv, servers, server frameworks, Electron.
import { listNames, type SignalSink } from './signal-sink';
import { importMetaMembers, PROCESS_MEMBER, type GlobalTest } from './global-references';
import { matchAt, type CodeScan, type ModuleReference } from '../parse/code-text';
import type { PackageInfo } from '../graph/packages';

/** Node built-ins that cannot run in a browser bundle. */
const NODE_ONLY_MODULES = new Set([
  'fs',
  'child_process',
  'cluster',
  'dgram',
  'dns',
  'net',
  'tls',
  'http2',
  'inspector',
  'module',
  'readline',
  'repl',
  'v8',
  'vm',
  'worker_threads',
  'perf_hooks',
  'async_hooks',
  'diagnostics_channel',
  'trace_events',
]);
/** Node built-ins that bundlers often polyfill for the browser: weaker evidence. */
const NODE_POLYFILLED_MODULES = new Set(['path', 'os', 'http', 'https', 'crypto', 'zlib', 'stream', 'util', 'url', 'events', 'buffer', 'querystring', 'assert', 'process', 'string_decoder', 'timers']);
const SERVER_FRAMEWORK_MODULES = /^(express|fastify|koa|@koa\/router|koa-router|@nestjs\/[\w-]+|@hapi\/hapi|hono|hono\/(?!client)[\w/-]+|restify|polka|@fastify\/[\w-]+|h3)$/;
const REQUIRE_MAIN = /\s*\.\s*main\s*===?\s*module\b/y;
/** Pattern, what it shows, and the identifiers that must occur for the pattern to be worth running. */
const NODE_SERVER: [RegExp, string, string[]][] = [
  [/(?<![\w$.])express\s*\(\s*\)/, 'creates an Express app', ['express']],
  [/(?<![\w$.])[Ff]astify\s*\(\s*[{)]/, 'creates a Fastify server', ['fastify', 'Fastify']],
  [/\bnew\s+Koa\s*\(/, 'creates a Koa app', ['Koa']],
  [/\bNestFactory\.create\s*[(<]/, 'bootstraps a NestJS app', ['NestFactory']],
  [
    /\b(?:http|https|http2|net)\.create(?:Secure)?Server\s*\(|(?<![\w$.])create(?:Secure)?Server\s*\(\s*(?:app|handler|\(|async|function|\{)/,
    'creates a Node HTTP server',
    ['createServer', 'createSecureServer'],
  ],
  [/\b(app|server|fastify|httpServer)\.listen\s*\(/, 'listens on a port', ['listen']],
  [/\b(?:Deno|Bun)\.serve\s*\(/, 'starts a Deno/Bun server', ['serve']],
  [/\bHapi\.server\s*\(/, 'creates a hapi server', ['Hapi']],
];

/** `import 'dotenv/config'` and its relatives: a side-effect import that reads `.env` from disk. */
const DOTENV_CONFIG_MODULE = /^(?:dotenv|dotenv-flow|dotenv-expand|@dotenvx\/dotenvx)\/config(?:\.js)?$/;
const DOTENV_MODULE = /^(?:dotenv|dotenv-flow|@dotenvx\/dotenvx)$/;
/** `main();`, `void main();`, `main().catch(…)` at the start of a line (top-level statements of a script). */
const TOP_LEVEL_MAIN = /^(?:void\s+|await\s+)?main\s*\(\s*\)\s*(?:;|\.\s*(?:catch|then|finally)\b|$)/m;
const SCRIPT_FOLDER = /(?:^|\/)(?:scripts?|tools|bin|cli)\//;

/** `dotenv.config()` / `require('dotenv').config()` after importing dotenv: the module name, else null. */
function dotenvConfigCall(specifiers: Set<string>, scan: CodeScan): string | null {
  const spec = [...specifiers].find((s) => DOTENV_MODULE.test(s));
  return spec && /\bconfig\s*\(/.test(scan.masked) ? `${spec}'s config()` : null;
}

export function nodeSignals(
  sink: SignalSink,
  code: string,
  scan: CodeScan,
  specifiers: Set<string>,
  pkg: PackageInfo | null,
  local: string,
  isGlobal: GlobalTest,
): void {
  const { hits } = scan;
  const refs: ModuleReference[] = scan.references;
  const any = (names: string[]) => names.some((name) => hits.has(name));
  const strong: string[] = [];
  const weak: string[] = [];
  let prefixed = false;
  for (const spec of specifiers) {
    const bare = spec.startsWith('node:') ? spec.slice(5) : spec;
    const root = bare.split('/')[0];
    if (NODE_ONLY_MODULES.has(root)) strong.push(spec);
    else if (NODE_POLYFILLED_MODULES.has(root)) {
      if (spec.startsWith('node:')) prefixed = true;
      weak.push(spec);
    }
  }
  const nodeFetch = [...specifiers].filter((spec) => spec === 'node-fetch');
  if (nodeFetch.length > 0) {
    sink.add('node-fetch-import', 'backend', 0.65, "imports node-fetch, a fetch for Node: browser code uses the fetch it already has", 'node-server');
  }
  if (strong.length > 0) {
    sink.add('node-builtins', 'backend', 0.75, `uses Node-only modules (${listNames(strong)}), which do not exist in a browser`, 'node-script');
  } else if (weak.length > 0) {
    sink.add(
      'node-builtins',
      'backend',
      prefixed ? 0.7 : 0.4,
      `uses Node built-in modules (${listNames(weak)})${prefixed ? '' : ', which bundlers can polyfill for the browser'}`,
      'node-script',
    );
  }

  const globals: string[] = [];
  let globalWeight = 0;
  for (const h of hits.get('process') ?? []) {
    const member = h.afterDot || !isGlobal(h) ? null : matchAt(PROCESS_MEMBER, code, h.index + 7)?.[1];
    if (member && !['client', 'server', 'browser'].includes(member)) {
      globals.push(`process.${member}`);
      globalWeight = Math.max(globalWeight, member === 'argv' ? 0.7 : 0.6);
    }
  }
  for (const name of ['__dirname', '__filename']) {
    if (hits.get(name)?.some((h) => !h.afterDot && isGlobal(h))) {
      globals.push(name);
      globalWeight = Math.max(globalWeight, 0.6);
    }
  }
  const metaMembers = importMetaMembers(code, hits);
  for (const member of metaMembers) {
    if (member === 'dirname' || member === 'filename') {
      globals.push(`import.meta.${member}`);
      globalWeight = Math.max(globalWeight, 0.6);
    }
  }
  if (globals.length > 0) sink.add('node-globals', 'backend', globalWeight, `uses Node-only globals (${listNames(globals)})`, 'node-script');

  if (code.startsWith('#!') && /^#!.*\b(node|tsx|ts-node|bun|deno)\b/.test(code.slice(0, code.indexOf('\n') >>> 0))) {
    sink.entry = true;
    sink.add('node-script', 'backend', 0.9, 'starts with a #! line for Node: a script run from the command line', 'node-script');
  } else if (metaMembers.includes('main') || hits.get('require')?.some((h) => !h.afterDot && isGlobal(h) && matchAt(REQUIRE_MAIN, code, h.index + 7))) {
    sink.entry = true;
    sink.add('node-script', 'backend', 0.85, 'checks require.main === module: a Node script that runs when started directly', 'node-script');
  }

  const dotenv = [...specifiers].find((spec) => DOTENV_CONFIG_MODULE.test(spec)) ?? dotenvConfigCall(specifiers, scan);
  if (dotenv) {
    sink.add('node-dotenv', 'backend', 0.75, `loads .env files with ${dotenv.includes('config()') ? dotenv : `import '${dotenv}'`}, which reads the file system: Node code`, 'node-script');
  }
  if (code.includes('main') && TOP_LEVEL_MAIN.test(scan.masked)) {
    // A top-level `main()` is how scripts start; in a scripts/ or tools/ folder the two together decide.
    const scriptFolder = SCRIPT_FOLDER.test(local);
    sink.entry = true;
    sink.add(
      'node-script',
      'backend',
      scriptFolder ? 0.65 : 0.4,
      `calls main() at the top level${scriptFolder ? ' in a scripts folder' : ''}: a script run from the command line`,
      'node-script',
    );
  }

  const server: string[] = [];
  for (const [re, what, needs] of NODE_SERVER) if (any(needs) && re.test(scan.masked)) server.push(what);
  if (server.length > 0) {
    const edge = (hits.has('serve') && /\bDeno\.serve\b/.test(scan.masked)) || (pkg?.frameworks.cloudflareWorkers ?? false);
    sink.entry = true;
    sink.add('node-server', 'backend', 0.85, `${server.slice(0, 2).join(' and ')}: a server process`, edge ? 'edge-worker' : 'node-server');
  }

  const frameworks = refs.filter((r) => !r.typeOnly && SERVER_FRAMEWORK_MODULES.test(r.specifier)).map((r) => r.specifier);
  if (frameworks.length > 0) {
    sink.add('server-framework-import', 'backend', 0.7, `imports ${listNames(frameworks)}, a server framework`, pkg?.frameworks.cloudflareWorkers ? 'edge-worker' : 'node-server');
  }
  if (specifiers.has('electron') && any(['BrowserWindow', 'ipcMain'])) {
    sink.entry = true;
    sink.add('electron-main', 'backend', 0.85, "Electron's main process (BrowserWindow/ipcMain): it runs in Node, not in a window", 'node-script');
  }
}
