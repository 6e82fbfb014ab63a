// Decides which functions around a request are wrappers (they pass the caller's URL or options through) and records their definition.
import ts from 'typescript';
import { MAX_WRAPPER_DEPTH, lineOf, formOf, type DetectorState, type Analysis } from './detector-state';
import { enclosingFunction, functionName, paramRefOf, readsParam, fieldsOf, getProp } from './facts';
import type { HttpDefinition } from './detection-types';
import { unwrap, propertyNameText, isFunctionLike, type FunctionLike } from '../parse/scope';
import { AXIOS_VERBS_WITH_DATA } from './axios';

/** A parameter with one of these names carries a whole path, not one value inside it. */
const PATH_PARAM_NAME = /^(?:url|uri|path|pathname|endpoint|route|input|resource|href|target|link|api|location|src)$|(?:Url|Uri|Path|Endpoint|Route)$/;

/** A named function whose request takes its URL or options from the function's parameters is a wrapper. */
export function maybeWrapper(st: DetectorState, call: ts.CallExpression, a: Analysis): boolean {
  const fn = enclosingFunction(call);
  if (!fn || st.wrappers.has(fn) || ts.isConstructorDeclaration(fn)) return false;
  const depth = a.target.kind === 'wrapper' ? a.target.def.depth + 1 : 1;
  if (depth > MAX_WRAPPER_DEPTH) return false;
  const name = functionName(fn, st.sf);
  if (!name || !isCallableByName(fn)) return false;
  if (!passesThrough(st, call, a, fn)) return false;
  const def: HttpDefinition = {
    kind: 'wrapper',
    name,
    file: st.rel,
    line: lineOf(st, (fn.name ?? fn).getStart(st.sf)),
    client: a.client,
    baseURL: a.baseURL,
    headers: [...a.inheritedHeaders, ...a.headers.map((h) => ({ name: h.name, valueText: h.valueText }))],
    credentials: a.credentials.map((c) => (c.file ? c : { ...c, file: st.rel })),
    hasTimeout: a.hasTimeout,
    hasErrorHandling: swallowsErrors(call, fn) || endsInCatch(call),
    url: { text: a.url.text, parts: a.url.parts },
    method: a.method,
    hasBody: a.hasBody,
    depth,
  };
  st.wrappers.set(fn, def);
  st.wrapperFns.set(def, fn);
  st.innerOf.set(call, def);
  return true;
}

/**
 * `httpGet(url)`, `fetchWithRetry(url, opts)`, `request(method, path)`, `shopifyFetch({ query })` pass the
 * request through; `getUser(id)` (a fixed path with one value in it) is an API function, not a wrapper.
 */
function passesThrough(st: DetectorState, call: ts.CallExpression, a: Analysis, fn: FunctionLike): boolean {
  if ('param' in a.method) return true;
  let before = '';
  for (const p of a.url.parts ?? []) {
    if ('literal' in p) {
      before += p.literal;
      continue;
    }
    if (!p.param) continue;
    if (PATH_PARAM_NAME.test(p.name) || /ur[li]$/i.test(p.name)) return true;
    // `https://${user.server}/api/v1/…`: a field of a domain object picks the host of a fixed API; the function
    // is an API routine (`showNotification(id, user)`), not a pass-through. `${baseUrl}/…` or `{ host }` is.
    const field = /[.\]]/.test(p.hole);
    if (!field && (before === '' || /^[a-z][a-z0-9+.-]*:\/\/[^/]*\/?$/i.test(before))) return true;
  }
  // `login(data) => client.post('/auth/login', data)`: one fixed endpoint whose body the caller gives is an API
  // function (its request is the row), not a pass-through; handing on the caller's options still is one.
  const fixedURL = a.url.parts !== null && a.url.parts.every((p) => 'literal' in p) && a.url.parts.some((p) => 'literal' in p && p.literal !== '');
  for (const arg of call.arguments) {
    if (a.url.node && arg === a.url.node) continue;
    const e = unwrap(arg);
    const ref = paramRefOf(st.fx, e, fn);
    if (ref && ref.prop === undefined && !ts.isObjectLiteralExpression(e) && !(fixedURL && a.hasBody && isBodyArgument(st, call, a, arg))) return true;
    if (ts.isObjectLiteralExpression(e)) {
      for (const p of e.properties) {
        if (ts.isSpreadAssignment(p) && readsParam(st.fx, p.expression, fn)) return true;
        const name = propertyNameText(p.name as ts.PropertyName | undefined) ?? '';
        const value = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
        if (value && /^(?:headers|signal|config|options|init)$/.test(name) && handsOn(st, value, fn)) return true;
      }
    }
    // GraphQL clients: the query is the request (`shopifyFetch({ query, variables })`).
    if (fieldsOf(st.fx, arg).some((f) => /^(?:query|mutation|document)$/.test(f.name) && readsParam(st.fx, f.value, fn))) return true;
    const body = getProp(st.fx, arg, 'body') ?? getProp(st.fx, arg, 'data');
    if (body && fieldsOf(st.fx, body).some((f) => /^(?:query|mutation|document)$/.test(f.name) && readsParam(st.fx, f.value, fn))) return true;
  }
  return false;
}

/** The argument that is the request body: axios's `data` position, a library verb's body (wretch `.post(body)`). */
function isBodyArgument(st: DetectorState, call: ts.CallExpression, a: Analysis, arg: ts.Expression): boolean {
  const t = a.target;
  const i = call.arguments.indexOf(arg);
  if ((t.kind === 'axios' || t.kind === 'instance') && t.verb && AXIOS_VERBS_WITH_DATA.has(t.verb)) return i === 1;
  if (t.kind === 'library' && t.verb) {
    const form = formOf(st, t.def);
    return form?.verbArgs?.urlByVerb?.[t.verb] !== undefined ? i === 0 : false;
  }
  // A wrapper of the request: the URL goes first, then what it sends (`post(url, data)`).
  return t.kind === 'wrapper' && i === 1;
}

/**
 * Whether an option value hands the caller's own options on (`headers`, `{ ...headers, Accept }`,
 * `new Headers(init.headers)`), rather than building fresh ones from a value (`{ Authorization: user.token }`).
 */
function handsOn(st: DetectorState, value: ts.Expression, fn: FunctionLike): boolean {
  const e = unwrap(value);
  if (ts.isObjectLiteralExpression(e)) return e.properties.some((p) => ts.isSpreadAssignment(p) && readsParam(st.fx, p.expression, fn));
  return readsParam(st.fx, e, fn);
}

/** Functions other code can call by a name: declarations, `const f = () =>`, methods, object properties. */
function isCallableByName(fn: FunctionLike): boolean {
  if (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) return true;
  const p = fn.parent;
  return ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isExportAssignment(p) || (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken);
}

/** A wrapper whose `catch` does not rethrow handles errors for its callers. */
function swallowsErrors(call: ts.Node, fn: FunctionLike): boolean {
  for (let n: ts.Node = call; n.parent && n !== fn; n = n.parent) {
    const p = n.parent;
    if (ts.isTryStatement(p) && p.tryBlock === n && p.catchClause) {
      let rethrows = false;
      const visit = (x: ts.Node): void => {
        if (ts.isThrowStatement(x)) rethrows = true;
        else if (!isFunctionLike(x)) ts.forEachChild(x, visit);
      };
      visit(p.catchClause.block);
      return !rethrows;
    }
  }
  return false;
}

/** `return fetch(url).then(r => r.json()).catch(() => null)`: a wrapper whose request chain ends in a catch handles errors for its callers. */
function endsInCatch(call: ts.Node): boolean {
  let cur: ts.Node = call;
  while (ts.isPropertyAccessExpression(cur.parent) && cur.parent.expression === cur && ts.isCallExpression(cur.parent.parent)) {
    if (cur.parent.name.text === 'catch') return true;
    cur = cur.parent.parent;
  }
  return false;
}
