// Syntax helpers of the region pass, and the framework calls whose function arguments run on one side: TanStack Start's server and client functions, config objects handed to a client data hook.
import ts from 'typescript';
import { isValueReference, type ScopeResolver } from '../parse/scope';
import { nodesInOrder } from '../parse/syntax-order';

/** The expression inside parentheses, `as` and `satisfies`. */
export function unwrap(node: ts.Node): ts.Node {
  while (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) node = node.expression;
  return node;
}

/** The function expression or arrow a value is (through parentheses and `as`), else undefined. */
export function functionValue(node: ts.Node | undefined): ts.FunctionExpression | ts.ArrowFunction | undefined {
  if (!node) return undefined;
  const inner = unwrap(node);
  return ts.isFunctionExpression(inner) || ts.isArrowFunction(inner) ? inner : undefined;
}

/** The called name: `f` of `f()` and of `x.f()`. */
export function calleeName(expr: ts.Expression): string | undefined {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  return undefined;
}

/** The call a chain of method calls starts from: `createServerFn({ method }).validator(v).handler(fn)` → `createServerFn(…)`. */
function chainRoot(expr: ts.Expression): ts.CallExpression | undefined {
  let at: ts.Expression = expr;
  for (;;) {
    if (ts.isCallExpression(at)) {
      if (ts.isPropertyAccessExpression(at.expression)) at = at.expression.expression;
      else return at;
    } else if (ts.isPropertyAccessExpression(at)) at = at.expression;
    else return undefined;
  }
}

/**
 * TanStack Start's server and client functions: the function given to `createServerFn(…).handler(fn)` or
 * `createServerOnlyFn(fn)` runs only on the server (the browser bundle holds an RPC stub instead),
 * `createClientOnlyFn(fn)` only in the browser, and `createIsomorphicFn().server(fn).client(fn)` one on each side.
 * Server route handlers (`server: { handlers: { GET } }` of `createFileRoute`, `createServerFileRoute().methods`,
 * `createAPIFileRoute(path)({ GET })`) run on the server.
 */
export function tanStackServerFunction(call: ts.CallExpression): { fn: ts.Node; name: string; runtime: 'frontend' | 'backend'; detail: string } | undefined {
  const first = call.arguments[0];
  const callee = call.expression;
  if (ts.isIdentifier(callee) && (callee.text === 'createServerOnlyFn' || callee.text === 'createClientOnlyFn') && functionValue(first)) {
    const server = callee.text === 'createServerOnlyFn';
    return { fn: functionValue(first)!, name: callee.text, runtime: server ? 'backend' : 'frontend', detail: `inside the function given to ${callee.text}: TanStack Start runs it only ${server ? 'on the server' : 'in the browser'}` };
  }
  if (!ts.isPropertyAccessExpression(callee) || !first) return undefined;
  const root = chainRoot(callee.expression);
  const rootName = root && ts.isIdentifier(root.expression) ? root.expression.text : undefined;
  const method = callee.name.text;
  if (rootName === 'createServerFn' && method === 'handler' && functionValue(first)) {
    return { fn: functionValue(first)!, name: 'createServerFn handler', runtime: 'backend', detail: 'inside a createServerFn handler: TanStack Start runs it on the server; the browser only calls it over the network' };
  }
  if (rootName === 'createIsomorphicFn' && (method === 'server' || method === 'client') && functionValue(first)) {
    const server = method === 'server';
    return { fn: functionValue(first)!, name: `createIsomorphicFn ${method}`, runtime: server ? 'backend' : 'frontend', detail: `inside the .${method}() implementation of createIsomorphicFn: it runs only ${server ? 'on the server' : 'in the browser'}` };
  }
  if (rootName === 'createServerFileRoute' && method === 'methods') {
    return { fn: first, name: 'server route', runtime: 'backend', detail: 'inside the methods of a TanStack Start server route: they answer HTTP requests on the server' };
  }
  return undefined;
}

/** `createFileRoute('/x')({ server: { handlers } })` and `createAPIFileRoute('/x')({ GET })`: the object that runs on the server. */
export function tanStackServerRoute(call: ts.CallExpression): ts.Node | undefined {
  const inner = call.expression;
  if (!ts.isCallExpression(inner) || !ts.isIdentifier(inner.expression)) return undefined;
  const options = call.arguments[0] && unwrap(call.arguments[0]);
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  if (inner.expression.text === 'createAPIFileRoute') return options;
  if (inner.expression.text !== 'createFileRoute' && inner.expression.text !== 'createRootRoute') return undefined;
  return options.properties.find((p) => ts.isPropertyAssignment(p) && p.name && ts.isIdentifier(p.name) && p.name.text === 'server');
}

/**
 * Top-level `const config = { userFn: getUser, … }` objects whose every use is a direct argument of a client data
 * hook (`configureAuth(config)`): what they hold is handed to that hook, and runs only in the browser.
 */
export function handedConfigObjects(sf: ts.SourceFile, dataHooks: ReadonlySet<string>, scopes: ScopeResolver): { decl: ts.VariableDeclaration; detail: string }[] {
  const candidates = new Map<string, ts.VariableDeclaration>();
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const decl of statement.declarationList.declarations) {
      const init = decl.initializer && unwrap(decl.initializer);
      if (ts.isIdentifier(decl.name) && init && ts.isObjectLiteralExpression(init)) candidates.set(decl.name.text, decl);
    }
  }
  if (candidates.size === 0) return [];
  // Cheap test first: a candidate is handed to a call somewhere (`configureAuth(authConfig)`, `useQuery(options)`).
  const text = sf.text;
  for (const name of [...candidates.keys()]) if (!text.includes(`(${name})`) && !text.includes(`(${name},`)) candidates.delete(name);
  if (candidates.size === 0) return [];
  const handedTo = new Map<ts.VariableDeclaration, { hook: string; line: number } | null>();
  for (const node of nodesInOrder(sf)) {
    if (!ts.isIdentifier(node) || !candidates.has(node.text) || !isValueReference(node)) continue;
    const decl = candidates.get(node.text)!;
    if (scopes.lookup(node.text, node)?.node !== decl) continue;
    const call = node.parent;
    const hook = ts.isCallExpression(call) && call.arguments.includes(node as ts.Expression) ? calleeName(call.expression) : undefined;
    const prior = handedTo.get(decl);
    if (hook && dataHooks.has(hook) && prior !== null) handedTo.set(decl, prior ?? { hook, line: sf.getLineAndCharacterOfPosition(call.getStart(sf)).line + 1 });
    else handedTo.set(decl, null);
  }
  const out: { decl: ts.VariableDeclaration; detail: string }[] = [];
  for (const [decl, to] of handedTo) {
    if (to) out.push({ decl, detail: `kept in \`${(decl.name as ts.Identifier).text}\`, which is handed only to ${to.hook} at line ${to.line}, whose hooks run it only in the browser` });
  }
  return out;
}
