// Finds spans of a parsed file that run somewhere else than the file: data functions, loaders, server actions, effects, handlers.
import ts from 'typescript';
import type { ContextHint, FileSignals, FunctionUse, FunctionUses, Region } from './shapes';
import { isValueReference, ScopeResolver } from '../parse/scope';
import { calleeName, functionValue, handedConfigObjects, tanStackServerFunction, tanStackServerRoute, unwrap } from './region-calls';
import { nodesInOrder } from '../parse/syntax-order';
import type { PackageInfo } from '../graph/packages';
import type { Context, Runtime } from '../model/types';

export interface RegionFacts {
  pkg: PackageInfo | null;
  /** The path inside its package. */
  local: string;
  directive: FileSignals['directive'];
  fileContexts: ContextHint[];
  /** Functions a .vue/.svelte template uses as event handlers (`@click="save"`, `onclick={save}`). */
  templateHandlers?: ReadonlySet<string>;
  /**
   * A .vue/.svelte component whose template was not given (script-only text): its top-level functions that the
   * script never references can only be used by the template, so they are taken as template event handlers.
   */
  templateUnavailable?: boolean;
}

const NEXT_SERVER_DATA = new Set(['getServerSideProps', 'getStaticProps', 'getStaticPaths']);
const REMIX_SERVER_EXPORTS = new Set(['loader', 'action']);
const REMIX_CLIENT_EXPORTS = new Set(['clientLoader', 'clientAction']);
const EFFECT_HOOKS = new Set(['useEffect', 'useLayoutEffect', 'useInsertionEffect', 'onMounted', 'onBeforeMount', 'onUpdated', 'onActivated', 'onMount', 'afterUpdate', 'afterNavigate']);
/** addEventListener events that belong to workers, not to a page's user interface. */
const WORKER_EVENTS = new Set(['fetch', 'install', 'activate', 'push', 'sync', 'message', 'scheduled', 'notificationclick']);
const FRONTEND_CONTEXTS = new Set<Context>(['next-client-component', 'spa', 'react-router-route', 'service-worker', 'web-worker', 'mobile-app', 'extension-background', 'extension-content-script', 'extension-page']);

/** The only kinds of node the region pass below looks at; most nodes of a file are none of them. */
const REGION_NODE_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.VariableDeclaration,
  ts.SyntaxKind.PropertyAssignment,
  ts.SyntaxKind.CallExpression,
  ts.SyntaxKind.JsxAttribute,
  ts.SyntaxKind.IfStatement,
]);

/** Everything that is a function with a body, where a `'use server'` prologue can sit. */
type FunctionWithBody = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

function isFunctionWithBody(node: ts.Node): node is FunctionWithBody {
  return (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node)) && node.body !== undefined;
}

function bodyDirectives(fn: FunctionWithBody): string[] {
  const body = fn.body;
  if (!body || !ts.isBlock(body)) return [];
  const out: string[] = [];
  for (const statement of body.statements) {
    if (ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression)) out.push(statement.expression.text);
    else break;
  }
  return out;
}

function hasExport(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false);
}

/** `typeof window !== 'undefined'`, `browser`, `import.meta.client`...: which runtime the then-branch runs in. */
function guardRuntime(cond: ts.Expression, sf: ts.SourceFile, depth = 0): { runtime: 'frontend' | 'backend'; text: string } | null {
  while (ts.isParenthesizedExpression(cond)) cond = cond.expression;
  if (ts.isPrefixUnaryExpression(cond) && cond.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = guardRuntime(cond.operand, sf, depth);
    return inner && { runtime: inner.runtime === 'frontend' ? 'backend' : 'frontend', text: `!${inner.text}` };
  }
  if (ts.isBinaryExpression(cond)) {
    const op = cond.operatorToken.kind;
    const equal = op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken;
    const notEqual = op === ts.SyntaxKind.ExclamationEqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
    if (!equal && !notEqual) return null;
    const [typeofSide, other] = ts.isTypeOfExpression(cond.left) ? [cond.left, cond.right] : [cond.right, cond.left];
    if (!ts.isTypeOfExpression(typeofSide) || !ts.isIdentifier(typeofSide.expression) || !ts.isStringLiteral(other)) return null;
    if (!['window', 'document', 'navigator'].includes(typeofSide.expression.text)) return null;
    const isUndefined = other.text === 'undefined';
    const browser = isUndefined ? notEqual : equal;
    return { runtime: browser ? 'frontend' : 'backend', text: `typeof ${typeofSide.expression.text} ${cond.operatorToken.getText(sf)} '${other.text}'` };
  }
  if (ts.isIdentifier(cond) && depth < 2) {
    // `const isServer = typeof window === 'undefined'` at the top of the module, then `if (isServer) return`.
    const init = moduleConstInitializer(sf, cond.text);
    const aliased = init && guardRuntime(init, sf, depth + 1);
    if (aliased) return { runtime: aliased.runtime, text: cond.text };
  }
  const text = cond.getText(sf);
  if (/^(browser|import\.meta\.client|import\.meta\.browser|process\.client|process\.browser)$/.test(text)) return { runtime: 'frontend', text };
  if (/^(import\.meta\.server|process\.server|import\.meta\.env\.SSR)$/.test(text)) return { runtime: 'backend', text };
  return null;
}

/** The context browser-only code of this file runs in: the file's own frontend context, else the framework's. */
export function browserContextOf(facts: Pick<RegionFacts, 'pkg' | 'fileContexts' | 'local'>): Context {
  // public/ is served as it is, outside the framework's bundles: a plain page script.
  if (facts.local.startsWith('public/')) return 'spa';
  let fileFrontend: ContextHint | undefined;
  for (const h of facts.fileContexts) if (h.runtime === 'frontend' && FRONTEND_CONTEXTS.has(h.context) && (!fileFrontend || h.weight > fileFrontend.weight)) fileFrontend = h;
  return fileFrontend?.context ?? (facts.pkg?.frameworks.next ? 'next-client-component' : 'spa');
}

/** The initializer of a top-level `const name = …` of the file, if there is one. */
function moduleConstInitializer(sf: ts.SourceFile, name: string): ts.Expression | undefined {
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const decl of statement.declarationList.declarations) if (ts.isIdentifier(decl.name) && decl.name.text === name) return decl.initializer;
  }
  return undefined;
}

/**
 * Regions of one parsed file. Each is a function or block whose runtime the framework fixes regardless of the
 * file: Next.js data functions, Remix loaders/actions, inline 'use server' actions, effects and event handlers
 * (browser only), and branches guarded by `typeof window` checks.
 */
export function collectRegions(sf: ts.SourceFile, facts: RegionFacts): Region[] {
  const regions: Region[] = [];
  const fw = facts.pkg?.frameworks;
  const dataHooks = clientDataHooks(isVueCode(sf.fileName, facts.pkg));
  // TanStack Start's server functions and routes: looked for in its packages, or where the file names them.
  const tanStack = (fw?.tanstackStart ?? false) || /\bcreate(?:ServerFn|ServerOnlyFn|ClientOnlyFn|IsomorphicFn|ServerFileRoute|APIFileRoute)\b|\bserver\s*:\s*\{/.test(sf.text);
  const browserContext = browserContextOf(facts);
  const serviceWorker = facts.fileContexts.some((h) => h.context === 'service-worker');
  const span = (node: ts.Node) => ({ start: node.getStart(sf), end: node.end });
  const add = (node: ts.Node, name: string, runtime: Runtime, context: Context, confidence: number, signal: string, detail: string) => {
    regions.push({ span: span(node), name, runtime, context, confidence, evidence: [{ signal, detail, runtime, weight: confidence }] });
  };

  const exportRegion = (name: string, node: ts.Node) => {
    if (fw?.next && NEXT_SERVER_DATA.has(name)) {
      add(node, name, 'backend', 'next-pages-data', 0.95, 'next-data-function', `inside ${name}: Next.js runs it only on the server`);
    } else if (fw?.next && name === 'getInitialProps') {
      add(node, name, 'isomorphic', 'next-pages-data', 0.9, 'next-data-function', 'inside getInitialProps: it runs on the server for the first request and in the browser on client-side navigation');
    } else if (fw?.remix && REMIX_SERVER_EXPORTS.has(name)) {
      add(node, name, 'backend', 'remix-server', 0.95, 'remix-loader', `inside the route's ${name}: Remix runs it only on the server`);
    } else if (fw?.remix && REMIX_CLIENT_EXPORTS.has(name)) {
      add(node, name, 'frontend', 'spa', 0.95, 'remix-client-loader', `inside ${name}: it runs only in the browser`);
    }
  };

  // Top-level exports by name: `export async function loader`, `export const getStaticProps = async () => {}`.
  for (const statement of sf.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && hasExport(statement)) exportRegion(statement.name.text, statement);
    else if (ts.isVariableStatement(statement) && hasExport(statement)) {
      for (const decl of statement.declarationList.declarations) {
        if (ts.isIdentifier(decl.name) && functionValue(decl.initializer)) exportRegion(decl.name.text, decl);
      }
    } else if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(statement.expression.left) &&
      statement.expression.left.name.text === 'getInitialProps'
    ) {
      exportRegion('getInitialProps', statement);
    }
  }

  const handlerNames = new Set<string>(facts.templateHandlers ?? []);
  const namedFunctions = new Map<string, ts.Node[]>();
  // Names of function values by where they are bound (`const save = async () => {}`), since parents may be unset.
  const boundNames = new Map<ts.Node, string>();

  for (const node of nodesInOrder(sf)) {
    if (!REGION_NODE_KINDS.has(node.kind)) continue;
    if (isFunctionWithBody(node)) {
      const directives = bodyDirectives(node);
      const name = functionName(node, boundNames);
      if (directives.includes('use server') && facts.directive !== 'use server') {
        add(node, `server action ${name}`, 'backend', 'next-server-action', 0.95, 'inline-server-action', `inside ${name === 'function' ? 'a function' : name} that starts with 'use server': a server action, run on the server`);
      }
      if (ts.isFunctionDeclaration(node) && node.name) pushNamed(namedFunctions, node.name.text, node);
      if (ts.isMethodDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'getInitialProps' && fw?.next) exportRegion('getInitialProps', node);
    }
    const bound = ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node) ? functionValue(node.initializer) : undefined;
    if (bound && (ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node)) && ts.isIdentifier(node.name)) {
      if (ts.isVariableDeclaration(node)) pushNamed(namedFunctions, node.name.text, bound);
      boundNames.set(bound, node.name.text);
    }
    if (ts.isCallExpression(node)) {
      const callee = calleeName(node.expression);
      const first = node.arguments[0];
      const callback = functionValue(first);
      const listener = functionValue(node.arguments[1]);
      if (callee && (dataHooks.has(callee) || CLIENT_REQUEST_HOOKS.has(callee))) {
        // The hook's own row (`useSWR('/api/user', fetcher)`, `useChat({ api })`) is a request made in the browser.
        add(node, `${callee} call`, 'frontend', browserContext, 0.85, 'client-data-hook', `${callee} makes its request in the browser, not during server rendering`);
      }
      if (callee && dataHooks.has(callee)) {
        for (const fn of hookCallbacks(node)) {
          add(fn, `${callee} fetcher`, 'frontend', browserContext, 0.85, 'client-data-hook', `inside a function handed to ${callee}: it fetches in the browser, not during server rendering`);
        }
      }
      if (tanStack) {
        const serverRoute = tanStackServerRoute(node);
        if (serverRoute) add(serverRoute, 'server route', 'backend', 'node-server', 0.95, 'server-function', 'inside the server handlers of a TanStack Start route: they answer HTTP requests on the server');
        const serverFn = tanStackServerFunction(node);
        if (serverFn) add(serverFn.fn, serverFn.name, serverFn.runtime, serverFn.runtime === 'backend' ? 'node-server' : browserContext, 0.95, 'server-function', serverFn.detail);
      }
      // Svelte 5's `$effect(() => …)` and `$effect.pre(…)` run only in the browser, after the component mounts.
      const svelteEffect = ts.isIdentifier(node.expression) ? node.expression.text === '$effect' : ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === '$effect';
      if (svelteEffect && callback) {
        add(callback, '$effect callback', 'frontend', browserContext, 0.9, 'effect-callback', 'inside a Svelte $effect: it runs only in the browser, after the component mounts');
      } else if (callee && EFFECT_HOOKS.has(callee) && callback) {
        add(callback, `${callee} callback`, 'frontend', browserContext, 0.9, 'effect-callback', `inside the ${callee} callback: it runs only in the browser, after the component mounts`);
      } else if (callee === 'addEventListener' && first && ts.isStringLiteral(first) && !WORKER_EVENTS.has(first.text) && listener) {
        const receiver = ts.isPropertyAccessExpression(node.expression) ? node.expression.expression.getText(sf) : '';
        if (receiver !== 'self') {
          add(listener, `'${first.text}' listener`, 'frontend', browserContext, 0.8, 'event-handler', `inside a '${first.text}' event listener: it runs in the browser when the event fires`);
        }
      }
    }
    if (ts.isJsxAttribute(node) && ts.isIdentifier(node.name) && /^on[A-Z]/.test(node.name.text) && node.initializer && ts.isJsxExpression(node.initializer)) {
      const handler = node.initializer.expression;
      const inline = functionValue(handler);
      if (inline) {
        add(inline, `${node.name.text} handler`, 'frontend', browserContext, 0.85, 'event-handler', `inside an ${node.name.text} handler: it runs in the browser when the user acts`);
      } else if (handler && ts.isIdentifier(handler)) {
        handlerNames.add(handler.text);
      }
    }
    if (ts.isIfStatement(node)) {
      let guard = guardRuntime(node.expression, sf);
      if (guard && guard.runtime === 'backend' && serviceWorker) {
        // No window in a service worker either: in a script that is one, this branch is the worker's.
        add(node.thenStatement, `if (${guard.text})`, 'frontend', 'service-worker', 0.85, 'runtime-guard', `inside if (${guard.text}) in a service worker script: the worker scope has no window, so this branch is the service worker's`);
        guard = null;
      }
      const exits = guard && !node.elseStatement && endsFunction(node.thenStatement);
      if (guard && exits && ts.isBlock(node.parent)) {
        // `if (typeof window === 'undefined') return;`: what follows in the block runs only on the other side.
        const rest = { start: node.end, end: node.parent.end - 1 };
        const other: Runtime = guard.runtime === 'frontend' ? 'backend' : 'frontend';
        if (rest.end > rest.start) {
          regions.push({
            span: rest,
            name: `after if (${guard.text}) return`,
            runtime: other,
            context: other === 'frontend' ? browserContext : 'shared-module',
            confidence: 0.85,
            evidence: [{ signal: 'runtime-guard', detail: `after if (${guard.text}) returns early: the rest runs ${other === 'frontend' ? 'only in the browser' : 'only on the server'}`, runtime: other, weight: 0.85 }],
          });
        }
        guard = null;
      }
      if (guard) {
        const where = guard.runtime === 'frontend' ? 'only in the browser' : 'only on the server';
        add(node.thenStatement, `if (${guard.text})`, guard.runtime, guard.runtime === 'frontend' ? browserContext : 'shared-module', 0.85, 'runtime-guard', `inside if (${guard.text}): it runs ${where}`);
        if (node.elseStatement) {
          const other: Runtime = guard.runtime === 'frontend' ? 'backend' : 'frontend';
          add(node.elseStatement, `else of if (${guard.text})`, other, other === 'frontend' ? browserContext : 'shared-module', 0.8, 'runtime-guard', `in the else branch of if (${guard.text}): it runs ${guard.runtime === 'frontend' ? 'only on the server' : 'only in the browser'}`);
        }
      }
    }
  }

  if (facts.templateUnavailable) {
    for (const [name, fn] of templateOnlyFunctions(sf)) {
      if (handlerNames.has(name)) continue;
      add(
        fn,
        `${name} (template only)`,
        'frontend',
        browserContext,
        0.75,
        'template-handler',
        `inside ${name}, which the component's script never calls: only its template can, and a request there runs from an event binding in the browser (rendering does not await it)`,
      );
    }
  }

  // `onClick={save}`: the function named save is an event handler too.
  for (const name of handlerNames) {
    for (const fn of namedFunctions.get(name) ?? []) {
      add(fn, `${name} (event handler)`, 'frontend', browserContext, 0.8, 'event-handler', `inside ${name}, which ${facts.templateHandlers?.has(name) ? 'the template' : 'a JSX on… attribute'} uses as an event handler: it runs in the browser when the user acts`);
    }
  }
  return regions;
}

/**
 * Top-level functions of a component script (`function save() {}`, `const save = async () => {}`) that nothing
 * else in the script references and that are not exported (a Svelte `export function` is a prop or method for
 * the parent): in `<script setup>` and Svelte instance scripts such a function exists for the template.
 */
function templateOnlyFunctions(sf: ts.SourceFile): Map<string, ts.Node> {
  const candidates = new Map<string, { node: ts.Node; nameNode: ts.Identifier }>();
  for (const statement of sf.statements) {
    if (hasExport(statement)) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
      candidates.set(statement.name.text, { node: statement, nameNode: statement.name });
    } else if (ts.isVariableStatement(statement)) {
      for (const decl of statement.declarationList.declarations) {
        const fn = functionValue(decl.initializer);
        if (fn && ts.isIdentifier(decl.name)) candidates.set(decl.name.text, { node: fn, nameNode: decl.name });
      }
    }
  }
  if (candidates.size === 0) return new Map();
  const referenced = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const candidate = candidates.get(node.text);
      if (candidate && candidate.nameNode !== node) referenced.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const out = new Map<string, ts.Node>();
  for (const [name, { node }] of candidates) if (!referenced.has(name)) out.set(name, node);
  return out;
}

function pushNamed(map: Map<string, ts.Node[]>, name: string, node: ts.Node): void {
  const list = map.get(name);
  if (list) list.push(node);
  else map.set(name, [node]);
}

function functionName(fn: FunctionWithBody, boundNames: Map<ts.Node, string>): string {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  return boundNames.get(fn) ?? 'function';
}

const VUE_EVENT_ATTRIBUTE = /(?:^|\s)(?:@|v-on:)[\w.:-]+\s*=\s*"([^"]*)"/g;
const SVELTE_EVENT_ATTRIBUTE = /(?:^|\s)on:?[a-z]+(?:\|[\w|]+)?\s*=\s*\{([^}]*)\}/g;
const CALLED_OR_BARE = /^\s*([A-Za-z_$][\w$]*)\s*$|(?<![\w$])([A-Za-z_$][\w$]*)\s*\(/g;

/** Names of functions the markup of a .vue/.svelte file binds to events; empty for other files. */
export function templateEventHandlers(rel: string, text: string): Set<string> {
  const names = new Set<string>();
  const vue = rel.endsWith('.vue');
  if (!vue && !rel.endsWith('.svelte')) return names;
  const markup = text.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '').replace(/<!--[\s\S]*?-->/g, '');
  for (const attr of markup.matchAll(vue ? VUE_EVENT_ATTRIBUTE : SVELTE_EVENT_ATTRIBUTE)) {
    for (const m of attr[1].matchAll(CALLED_OR_BARE)) names.add(m[1] ?? m[2]);
  }
  return names;
}

/** Hooks whose fetcher or query function runs only in the browser (they do not fetch during server rendering). */
// react-query-auth's configureAuth({ userFn, loginFn, … }) hands its functions to useQuery/useMutation.
const CLIENT_DATA_HOOKS = new Set(['useSWR', 'useSWRInfinite', 'useSWRImmutable', 'useSWRMutation', 'useQuery', 'useQueries', 'useInfiniteQuery', 'useMutation', 'configureAuth']);
/**
 * In Vue and Nuxt apps a query hook (Pinia Colada's `useQuery`, TanStack Vue Query with `onServerPrefetch`) also
 * runs during server rendering; only mutations wait for the user there.
 */
const VUE_CLIENT_DATA_HOOKS = new Set(['useMutation', 'useSWRMutation']);

/** The hooks whose callbacks run only in the browser, for a Vue/Nuxt package or file (`vue`) or any other. */
export function clientDataHooks(vue: boolean): ReadonlySet<string> {
  return vue ? VUE_CLIENT_DATA_HOOKS : CLIENT_DATA_HOOKS;
}

/** Whether the file is Vue code: a .vue file, or a module of a package that depends on vue or nuxt. */
export function isVueCode(rel: string, pkg: PackageInfo | null): boolean {
  return /\.vue$/i.test(rel) || (pkg?.frameworks.vue ?? false) || (pkg?.frameworks.nuxt ?? false);
}
/** Hooks of the AI SDK whose request (the chat endpoint) is sent from the browser. */
const CLIENT_REQUEST_HOOKS = new Set(['useChat', 'useCompletion', 'useObject']);

/** A statement (or block) that leaves the function: `return`, `return x;`, `throw …`. */
function endsFunction(statement: ts.Statement): boolean {
  if (ts.isReturnStatement(statement) || ts.isThrowStatement(statement)) return true;
  return ts.isBlock(statement) && statement.statements.length > 0 && endsFunction(statement.statements[statement.statements.length - 1]);
}

/** Function values among a hook call's arguments and the properties of its object arguments (`queryFn: () => …`). */
function hookCallbacks(call: ts.CallExpression): ts.Node[] {
  const out: ts.Node[] = [];
  for (const arg of call.arguments) {
    const fn = functionValue(arg);
    if (fn) out.push(fn);
    const inner = unwrap(arg);
    if (ts.isObjectLiteralExpression(inner)) {
      for (const prop of inner.properties) {
        if (ts.isPropertyAssignment(prop) && functionValue(prop.initializer)) out.push(functionValue(prop.initializer)!);
        else if (ts.isMethodDeclaration(prop) && prop.body) out.push(prop);
      }
    }
  }
  return out;
}

/** The client data hook call whose arguments hold `node` (`useQuery({ queryFn: listTeams })`), within one top-level statement. */
function clientDataHookAround(node: ts.Node, dataHooks: ReadonlySet<string>): ts.CallExpression | undefined {
  let child = node;
  for (let n = node.parent; n && !ts.isSourceFile(n); child = n, n = n.parent) {
    if (ts.isCallExpression(n) && n.expression !== child) {
      const callee = calleeName(n.expression);
      if (callee && dataHooks.has(callee)) return n;
    }
  }
  return undefined;
}

/** The name a top-level statement gives the function it declares, with the function node, else null. */
function topLevelFunction(statement: ts.Statement): { name: string; node: ts.Node; exported: boolean; isDefault: boolean }[] {
  if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) {
    const mods = ts.getModifiers(statement) ?? [];
    return [{ name: statement.name.text, node: statement, exported: hasExport(statement), isDefault: mods.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) }];
  }
  if (ts.isVariableStatement(statement)) {
    const out: { name: string; node: ts.Node; exported: boolean; isDefault: boolean }[] = [];
    for (const decl of statement.declarationList.declarations) {
      const fn = functionValue(decl.initializer);
      if (fn && ts.isIdentifier(decl.name)) out.push({ name: decl.name.text, node: decl, exported: hasExport(statement), isDefault: false });
    }
    return out;
  }
  return [];
}

/**
 * Methods of a top-level object literal (`export const ArenaService = { getRooms: async () => …, save() { … } }`):
 * service modules group their requests this way, and each method is placed by where it is called, as a function is.
 */
function topLevelObjectMethods(statement: ts.Statement): { object: string; decl: ts.VariableDeclaration; exported: boolean; methods: { name: string; node: ts.Node }[] }[] {
  if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) return [];
  const out: { object: string; decl: ts.VariableDeclaration; exported: boolean; methods: { name: string; node: ts.Node }[] }[] = [];
  for (const decl of statement.declarationList.declarations) {
    const init = decl.initializer && unwrap(decl.initializer);
    if (!ts.isIdentifier(decl.name) || !init || !ts.isObjectLiteralExpression(init)) continue;
    const methods: { name: string; node: ts.Node }[] = [];
    for (const prop of init.properties) {
      if (!prop.name || !(ts.isIdentifier(prop.name) || ts.isStringLiteral(prop.name))) continue;
      if (ts.isMethodDeclaration(prop) && prop.body) methods.push({ name: prop.name.text, node: prop });
      else if (ts.isPropertyAssignment(prop) && functionValue(prop.initializer)) methods.push({ name: prop.name.text, node: prop });
    }
    if (methods.length > 0) out.push({ object: decl.name.text, decl, exported: hasExport(statement), methods });
  }
  return out;
}

/**
 * The file's top-level functions and where the file itself uses each one: inside a region (its side), inside
 * another top-level function (that function decides), handed to a client data hook (`useQuery({ queryFn })`,
 * `useSWR(key, fetcher)`: browser only), or anywhere else (the module's side). Exports are listed by name, so
 * the classifier can add the importers that take each name.
 */
export function collectFunctionUses(sf: ts.SourceFile, regions: readonly Region[], browserContext: Context, vue = /\.vue$/i.test(sf.fileName)): FunctionUses[] {
  const dataHooks = clientDataHooks(vue);
  const byName = new Map<string, FunctionUses & { node: ts.Node }>();
  // Objects whose methods are listed as `Object.method`: by object name, its declaration and methods.
  const objects = new Map<string, { decl: ts.VariableDeclaration; methods: Map<string, FunctionUses & { node: ts.Node }> }>();
  for (const statement of sf.statements) {
    for (const fn of topLevelFunction(statement)) {
      byName.set(fn.name, { name: fn.name, node: fn.node, span: { start: fn.node.getStart(sf), end: fn.node.end }, exportedAs: fn.exported ? [fn.isDefault ? 'default' : fn.name] : [], uses: [] });
    }
    for (const obj of topLevelObjectMethods(statement)) {
      const methods = new Map<string, FunctionUses & { node: ts.Node }>();
      for (const m of obj.methods) {
        const name = `${obj.object}.${m.name}`;
        const entry = { name, node: m.node, span: { start: m.node.getStart(sf), end: m.node.end }, exportedAs: obj.exported ? [name] : [], uses: [] };
        methods.set(m.name, entry);
        byName.set(name, entry);
      }
      objects.set(obj.object, { decl: obj.decl, methods });
    }
  }
  if (byName.size === 0) return [];
  const scopes = new ScopeResolver();
  const handed = handedConfigObjects(sf, dataHooks, scopes);
  const handedAt = (at: number) => handed.find((h) => h.decl.initializer!.getStart(sf) <= at && at < h.decl.initializer!.end);
  for (const node of nodesInOrder(sf)) {
    if (!ts.isIdentifier(node)) continue;
    const obj = objects.get(node.text);
    let fn = obj ? undefined : byName.get(node.text);
    if (!fn && !obj) continue;
    const parent = node.parent;
    if (ts.isExportSpecifier(parent)) {
      if ((parent.propertyName ?? parent.name) === node) {
        if (fn) fn.exportedAs.push(parent.name.text);
        else for (const [member, m] of obj!.methods) m.exportedAs.push(`${parent.name.text}.${member}`);
      }
      continue;
    }
    if (ts.isExportAssignment(parent)) {
      if (fn) fn.exportedAs.push('default');
      else for (const [member, m] of obj!.methods) m.exportedAs.push(`default.${member}`);
      continue;
    }
    if (!isValueReference(node)) continue;
    const binding = scopes.lookup(node.text, node);
    if (obj) {
      if (!binding || binding.node !== obj.decl) continue;
      const member = ts.isPropertyAccessExpression(parent) && parent.expression === node ? obj.methods.get(parent.name.text) : undefined;
      if (!member) {
        // The object itself is handed on or stored: any of its methods may run wherever the module does, unless it
        // is a config object handed only to a client data hook (configureAuth(authConfig)).
        const config = handed.find((h) => h.decl === obj.decl);
        const use: FunctionUse = config ? { kind: 'side', runtime: 'frontend', context: browserContext, detail: config.detail } : { kind: 'module' };
        if (!(ts.isPropertyAccessExpression(parent) && parent.expression === node)) for (const m of obj.methods.values()) m.uses.push(use);
        continue;
      }
      fn = member;
    } else if (!binding || binding.node !== fn!.node) continue; // a local of the same name
    if (!fn) continue;
    const at = node.getStart(sf);
    if (fn.span.start <= at && at < fn.span.end) continue; // recursion says nothing new
    const hook = clientDataHookAround(node, dataHooks);
    if (hook) {
      const line = sf.getLineAndCharacterOfPosition(hook.getStart(sf)).line + 1;
      fn.uses.push({ kind: 'side', runtime: 'frontend', context: browserContext, detail: `handed to ${calleeName(hook.expression)} at line ${line}, which fetches only in the browser` });
      continue;
    }
    let region: Region | undefined;
    for (const r of regions) if (r.span.start <= at && at < r.span.end && (!region || r.span.end - r.span.start < region.span.end - region.span.start)) region = r;
    if (region) {
      fn.uses.push({ kind: 'side', runtime: region.runtime, context: region.context, detail: `used ${region.name === 'function' ? 'in a region' : `in ${region.name}`} at line ${sf.getLineAndCharacterOfPosition(at).line + 1}` });
      continue;
    }
    let holder: string | undefined;
    for (const other of byName.values()) if (other !== fn && other.span.start <= at && at < other.span.end) holder = other.name;
    const config = holder ? undefined : handedAt(at);
    fn.uses.push(holder ? { kind: 'function', name: holder } : config ? { kind: 'side', runtime: 'frontend', context: browserContext, detail: config.detail } : { kind: 'module' });
  }
  return [...byName.values()].map(({ name, span, exportedAs, uses }) => ({ name, span, exportedAs, uses }));
}
