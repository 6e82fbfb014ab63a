// Decides whether a request's failure is handled: try/catch, a catch on its chain, a status check, a toast, a data-fetching hook.
import ts from 'typescript';
import { enclosingFunction, type FactContext } from './facts';
import { isFunctionLike, propertyNameText } from '../parse/scope';

/**
 * Error handling around a call: a `try` with a `catch` in the same function, `.catch(...)`/`.then(ok, err)`
 * on its chain, a status check (`res.ok`, `res.status`) on the variable that holds the response, or a
 * data-fetching hook that owns the error state (`useQuery`, `useSWR`).
 */
export function hasErrorHandlingAround(ctx: FactContext, call: ts.CallExpression): boolean {
  // try/catch in the same function
  for (let n: ts.Node = call; n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isTryStatement(p) && p.tryBlock === n && p.catchClause) return true;
    if (isFunctionLike(p)) break;
  }
  // promise chain
  let cur: ts.Expression = call;
  for (;;) {
    const p = cur.parent;
    if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p)) {
      cur = p;
      continue;
    }
    if (ts.isPropertyAccessExpression(p) && p.expression === cur && ts.isCallExpression(p.parent) && p.parent.expression === p) {
      const m = p.name.text;
      if (m === 'catch') return true;
      if (m === 'then' && p.parent.arguments.length >= 2) return true;
      if (m === 'then' && p.parent.arguments.length === 1 && checksStatus(ctx, p.parent.arguments[0])) return true;
      cur = p.parent;
      continue;
    }
    break;
  }
  // `toast.promise(fetch(...), { error })`: the notifier takes the rejection.
  if (isPromiseNotifierArgument(ctx, cur)) return true;
  // status check on the response variable (`res.ok`, `res.status`, or an `error` field of a result object)
  const holder = responseVariable(cur);
  if (holder && promiseNotifierTakes(ctx, holder, enclosingFunction(call)?.body ?? ctx.sf)) return true;
  if (holder) {
    const fn = enclosingFunction(call);
    const scope = fn?.body ?? ctx.sf;
    let checked = false;
    const visit = (n: ts.Node): void => {
      if (checked) return;
      if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === holder && /^(?:ok|status|statusCode|statusText|error|errors)$/.test(n.name.text)) {
        checked = true;
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(scope);
    if (checked) return true;
  }
  // inside a function handed to a data-fetching library that owns the error state
  for (let n: ts.Node | undefined = call.parent; n; n = n.parent) {
    if (isFunctionLike(n)) {
      const p: ts.Node = n.parent;
      if (ts.isPropertyAssignment(p) && /^(?:queryFn|mutationFn|fetcher|loader)$/.test(propertyNameText(p.name) ?? '')) return true;
      if (ts.isCallExpression(p) && /(?:^|\.)(?:useSWR\w*|useQuery|useMutation|useInfiniteQuery|createQuery|createResource|useFetch|useAsyncData)$/.test(p.expression.getText(ctx.sf))) return true;
    }
  }
  return false;
}

/** `toast.promise(x, …)` (sonner, react-hot-toast, react-toastify): a promise handed to it is handled. */
const PROMISE_NOTIFIER = /(?:^|\.)(?:toast|notify|notifications?)\.promise$/;

function isPromiseNotifierArgument(ctx: FactContext, expr: ts.Expression): boolean {
  let n: ts.Node = expr;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent)) n = n.parent;
  // `toast.promise(() => fetch(...))` as well as `toast.promise(fetch(...))`
  if (ts.isArrowFunction(n.parent) && n.parent.body === n) n = n.parent;
  const p = n.parent;
  return ts.isCallExpression(p) && p.arguments[0] === n && PROMISE_NOTIFIER.test(p.expression.getText(ctx.sf));
}

/** `const promise = fetch(...); toast.promise(promise, …)` in the same function. */
function promiseNotifierTakes(ctx: FactContext, name: string, scope: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && PROMISE_NOTIFIER.test(n.expression.getText(ctx.sf)) && n.arguments[0] && ts.isIdentifier(n.arguments[0]) && n.arguments[0].text === name) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(scope);
  return found;
}

function checksStatus(ctx: FactContext, cb: ts.Expression): boolean {
  if (!ts.isArrowFunction(cb) && !ts.isFunctionExpression(cb)) return false;
  const p = cb.parameters[0];
  if (!p || !ts.isIdentifier(p.name)) return false;
  const name = p.name.text;
  return new RegExp(`\\b${name}\\s*\\.\\s*(?:ok|status)\\b`).test(cb.body.getText(ctx.sf));
}

/** `const res = await fetch(...)` → `res`. */
function responseVariable(expr: ts.Expression): string | null {
  let n: ts.Node = expr;
  while (ts.isAwaitExpression(n.parent) || ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(p.left)) return p.left.text;
  return null;
}
