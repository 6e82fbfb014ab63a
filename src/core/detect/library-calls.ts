// Reads one library request at its call site by the model's form (libraries.ts): where its URL, method, options, base URL and headers are.
import ts from 'typescript';
import { unwrap, type FunctionLike } from '../parse/scope';
import { followConst, getProp, headersOf, staticString, type FactContext, type HeaderFact } from './facts';
import { urlDisplayText, urlParts } from './url-parts';
import { initHasTimeout } from './timing';
import { holeName, type UrlPart } from './url';
import type { ArgPath, ClientForm, EndpointsForm, RequestForm } from '../model/libraries';

/** One request as a library form describes it, before the detector turns it into a call record. */
export interface LibraryRequest {
  urlNode?: ts.Expression;
  urlText: string;
  parts: UrlPart[] | null;
  /** A fixed method, or null when only the code the library runs knows it. */
  method: string | null;
  /** When the method is an option the caller passes on (a wrapper's `init.method`), its expression. */
  methodNode?: ts.Expression;
  optionsNode?: ts.Expression;
  headers: HeaderFact[];
  hasBody: boolean;
  hasTimeout: boolean;
  /** Where the row starts when it is not the call itself (an RTK Query endpoint's `query:`). */
  anchor?: ts.Node;
  /** The function the library calls to make the request (SWR fetcher, a `queryFn`, a chat transport's `fetch`). */
  callback?: ts.Expression;
}

/** What a factory call or a chain step gives a client: base URL text (with `{holes}`), default headers, a timeout. */
export interface ClientDefaults {
  baseURL: string | null;
  headers: HeaderFact[];
  hasTimeout: boolean;
}

/** The expression an `ArgPath` points at among `args`, or undefined. */
export function argAt(fx: FactContext, args: readonly ts.Expression[], at: ArgPath): ts.Expression | undefined {
  if (at.arg < 0) return undefined;
  let v: ts.Expression | undefined = args[at.arg];
  if (v && at.prop !== undefined) v = getProp(fx, v, at.prop);
  if (v && at.element !== undefined) {
    const arr = followConst(fx, v);
    // `useSWR('/api/x', f)` and `useSWR(['/api/x', id], f)` are both common: a non-array is its own first element.
    if (ts.isArrayLiteralExpression(arr)) v = arr.elements[at.element];
    else if (at.element !== 0) v = undefined;
  }
  return v && ts.isSpreadElement(v) ? undefined : v;
}

/** `createFetch({ baseURL, headers })`, `ky.create({ prefixUrl })`, `wretch('https://…', { headers })`: the client's defaults. */
export function factoryDefaults(fx: FactContext, form: ClientForm, args: readonly ts.Expression[], optionsArg: number, baseURLArg?: number): ClientDefaults {
  const options = optionsArg >= 0 ? args[optionsArg] : undefined;
  let baseURL: string | null = null;
  const baseNode = baseURLArg !== undefined ? args[baseURLArg] : firstProp(fx, options, form.options.baseURL ?? []);
  if (baseNode) baseURL = templateOf(fx, baseNode);
  const headers = form.options.headers ? headersOf(fx, getProp(fx, options, form.options.headers)) : [];
  return { baseURL, headers, hasTimeout: initHasTimeout(fx, options) };
}

/** A chain step of a client (wretch `.url('/x')`, `.headers({...})`, `.auth('Bearer …')`): what it adds, or null when the member is not a step. */
export function chainStep(fx: FactContext, form: ClientForm, member: string, args: readonly ts.Expression[]): { appendURL: string | null; headers: HeaderFact[] } | null {
  const chain = form.chain;
  if (!chain) return null;
  if (chain.appendUrl?.includes(member)) return { appendURL: args[0] ? templateOf(fx, args[0]) : '', headers: [] };
  if (chain.headers?.includes(member)) {
    const a = args[0];
    if (!a) return { appendURL: null, headers: [] };
    // `.auth(value)` sets Authorization; `.headers({ … })` sets each key.
    const h = member === 'auth' ? [{ name: 'Authorization', valueText: a.getText(fx.sf), value: a }] : headersOf(fx, a);
    return { appendURL: null, headers: h };
  }
  if (chain.keep?.includes(member)) return { appendURL: null, headers: [] };
  return null;
}

/** A call through a client: `client(url, options)` (verb null) or `client.get(url, options)`; null when the verb is not one of the form's. */
export function clientRequest(fx: FactContext, form: ClientForm, verb: string | null, args: readonly ts.Expression[], fn: FunctionLike | undefined): LibraryRequest | null {
  let urlAt: number;
  let optionsAt: number;
  let method: string | null = null;
  if (verb === null) {
    if (!form.callable) return null;
    urlAt = form.callable.url;
    optionsAt = form.callable.options;
  } else {
    const m = form.verbs?.[verb];
    if (m === undefined) return null;
    urlAt = form.verbArgs?.urlByVerb?.[verb] ?? form.verbArgs?.url ?? 0;
    optionsAt = form.verbArgs?.options ?? 1;
    method = m === '' ? null : m;
  }
  const urlNode = urlAt >= 0 ? args[urlAt] : undefined;
  const options = optionsAt >= 0 ? args[optionsAt] : undefined;
  let methodNode: ts.Expression | undefined;
  if (method === null && form.options.method) {
    methodNode = getProp(fx, options, form.options.method);
    const s = staticString(fx, methodNode);
    if (s) method = s.toUpperCase();
    else if (!methodNode) method = form.defaultMethod;
  }
  let parts: UrlPart[] | null = urlNode ? urlParts(fx, urlNode, fn) : [{ literal: '' }];
  // better-fetch: `'@post/v1/sources'` names the method in front of the path.
  if (form.methodPrefix && parts && parts[0] && 'literal' in parts[0]) {
    const m = /^@([a-z]+)\//i.exec(parts[0].literal);
    if (m) {
      if (verb === null && !methodNode) method = m[1].toUpperCase();
      parts = [{ literal: parts[0].literal.slice(m[0].length - 1) }, ...parts.slice(1)];
    }
  }
  const body = verb !== null && form.verbArgs?.urlByVerb?.[verb] !== undefined ? args[0] : getProp(fx, options, 'body') ?? getProp(fx, options, 'json');
  return {
    urlNode,
    urlText: urlNode ? urlDisplayText(urlNode, fx.sf) : '',
    parts,
    method,
    methodNode: method === null ? methodNode : undefined,
    optionsNode: options,
    headers: form.options.headers ? headersOf(fx, getProp(fx, options, form.options.headers)) : [],
    hasBody: body !== undefined,
    hasTimeout: initHasTimeout(fx, options),
  };
}

/** `useSWR(key, fetcher)`, `useFetch(url)`, `useChat({ api })`: the request the call stands for, or null when this call makes none. */
export function hookRequest(fx: FactContext, form: RequestForm, args: readonly ts.Expression[], fn: FunctionLike | undefined): LibraryRequest | null {
  if (form.requires) {
    const r = argAt(fx, args, form.requires);
    if (!r || isNullish(r)) return null; // `useSWR(key, null)`: a shared cache entry, no request
  }
  if (form.unless && argAt(fx, args, form.unless)) return null; // the request is inside the given function, found there
  let urlNode = argAt(fx, args, form.url);
  if (urlNode && form.urlMayBeFunction) urlNode = returnedValue(fx, urlNode) ?? urlNode;
  if (urlNode) urlNode = nonNullBranch(urlNode);
  let parts: UrlPart[] | null;
  let urlText: string;
  if (urlNode) {
    parts = urlParts(fx, urlNode, fn);
    urlText = urlDisplayText(urlNode, fx.sf);
  } else if (form.defaultUrl !== undefined) {
    parts = [{ literal: form.defaultUrl }];
    urlText = `'${form.defaultUrl}'`;
  } else {
    return null;
  }
  if (form.urlMustLookLikePath) {
    const first = parts?.[0];
    if (!first || !('literal' in first) || !/^(?:\/|https?:\/\/)/.test(first.literal)) return null; // `['todos']`: a cache key, not a URL
  }
  let method: string | null;
  let methodNode: ts.Expression | undefined;
  if (form.method === null || typeof form.method === 'string') method = form.method;
  else {
    methodNode = argAt(fx, args, form.method.arg);
    const s = staticString(fx, methodNode);
    method = s ? s.toUpperCase() : methodNode ? null : form.method.fallback;
    if (s) methodNode = undefined;
  }
  const headersNode = form.headers ? argAt(fx, args, form.headers) : undefined;
  const options = form.headers ? args[form.headers.arg] : undefined;
  return {
    urlNode,
    urlText,
    parts,
    method,
    methodNode,
    optionsNode: options,
    headers: headersOf(fx, headersNode),
    hasBody: method !== null && method !== 'GET' && method !== 'HEAD',
    hasTimeout: false,
    callback: form.regionArg ? argAt(fx, args, form.regionArg) : undefined,
  };
}

/** RTK Query: `b.query({ query: (id) => `/products/${id}` })` or `({ url, method, params, body })`: the endpoint's request. */
export function endpointRequest(fx: FactContext, form: EndpointsForm, kind: string, definition: ts.Expression | undefined): LibraryRequest | null {
  const fallback = form.kinds[kind];
  if (fallback === undefined || !definition) return null;
  const def = followConst(fx, definition);
  if (!ts.isObjectLiteralExpression(def)) return null;
  const prop = def.properties.find((p) => (ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p)) && p.name.getText(fx.sf) === form.request);
  if (!prop) return null; // `queryFn` endpoints run their own code, found there
  const fnNode = ts.isPropertyAssignment(prop) ? unwrap(prop.initializer) : prop;
  const fn = ts.isArrowFunction(fnNode) || ts.isFunctionExpression(fnNode) || ts.isMethodDeclaration(fnNode) ? fnNode : undefined;
  const result = fn ? returnedOf(fn) : ts.isPropertyAssignment(prop) ? prop.initializer : undefined;
  if (!result) return null;
  const r = unwrap(result);
  let urlNode: ts.Expression | undefined = r;
  let method: string | null = fallback;
  let params: ts.Expression | undefined;
  let hasBody = false;
  if (ts.isObjectLiteralExpression(r)) {
    urlNode = getProp(fx, r, 'url');
    const m = getProp(fx, r, 'method');
    if (m) method = staticString(fx, m)?.toUpperCase() ?? null;
    else method = 'GET'; // fetchBaseQuery's own default, whatever the endpoint kind
    params = getProp(fx, r, 'params');
    hasBody = getProp(fx, r, 'body') !== undefined;
  } else if (kind !== 'query' && kind !== 'infiniteQuery') {
    method = 'GET'; // a mutation returning a bare string is still a GET to fetchBaseQuery
  }
  if (!urlNode) return null;
  let parts = urlParts(fx, urlNode, fn);
  if (parts && params) parts = [...parts, ...queryParts(fx, params)];
  return {
    urlNode,
    urlText: urlDisplayText(urlNode, fx.sf),
    parts,
    method,
    headers: [],
    hasBody,
    hasTimeout: false,
    anchor: prop,
  };
}

/** `params: { keyword, page: 2 }` → `?keyword={keyword}&page=2` as fetchBaseQuery appends them. */
function queryParts(fx: FactContext, params: ts.Expression): UrlPart[] {
  const obj = followConst(fx, params);
  if (!ts.isObjectLiteralExpression(obj)) return [];
  const out: UrlPart[] = [];
  let sep = '?';
  for (const p of obj.properties) {
    if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) continue;
    const name = p.name.getText(fx.sf);
    const value: ts.Expression = ts.isPropertyAssignment(p) ? p.initializer : p.name;
    const s = staticString(fx, value);
    out.push({ literal: `${sep}${name}=` });
    out.push(s !== null ? { literal: s } : { hole: value.getText(fx.sf), name: holeName(value.getText(fx.sf)) });
    sep = '&';
  }
  return out;
}

/** The base URL of a factory option as template text: `'https://x'`, `import.meta.env.VITE_API` → `{VITE_API}`. */
export function templateOf(fx: FactContext, node: ts.Expression): string {
  const parts = urlParts(fx, node, undefined);
  if (!parts) return `{${holeName(node.getText(fx.sf))}}`;
  return parts.map((p) => ('literal' in p ? p.literal : `{${p.name}}`)).join('');
}

function firstProp(fx: FactContext, obj: ts.Expression | undefined, names: readonly string[]): ts.Expression | undefined {
  for (const n of names) {
    const v = getProp(fx, obj, n);
    if (v) return v;
  }
  return undefined;
}

function isNullish(e: ts.Expression): boolean {
  const u = unwrap(e);
  return u.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(u) && u.text === 'undefined');
}

/** `cond ? '/api/x' : null` → the URL branch: the key is null only while the request waits. */
function nonNullBranch(e: ts.Expression): ts.Expression {
  const u = unwrap(e);
  if (ts.isConditionalExpression(u)) {
    if (isNullish(u.whenFalse)) return nonNullBranch(u.whenTrue);
    if (isNullish(u.whenTrue)) return nonNullBranch(u.whenFalse);
  }
  if (ts.isBinaryExpression(u) && u.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return nonNullBranch(u.right);
  return u;
}

/** A key function (inline, or a const/function declared in the file): the value it returns that is not null. */
function returnedValue(fx: FactContext, e: ts.Expression): ts.Expression | undefined {
  let u = unwrap(e);
  if (ts.isIdentifier(u)) {
    const b = fx.scopes.lookup(u.text, u);
    if (b && b.kind === 'function') return returnedOf(b.fn);
    if (b && b.kind === 'var' && b.init) u = unwrap(b.init);
  }
  if (ts.isArrowFunction(u) || ts.isFunctionExpression(u)) return returnedOf(u);
  return undefined;
}

/** The expression a function returns: its expression body, or the last `return` with a value that is not null. */
function returnedOf(fn: FunctionLike): ts.Expression | undefined {
  if (!fn.body) return undefined;
  if (!ts.isBlock(fn.body)) return fn.body as ts.Expression;
  let found: ts.Expression | undefined;
  const visit = (n: ts.Node): void => {
    if (ts.isReturnStatement(n) && n.expression && !isNullish(n.expression)) found = n.expression;
    if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return found;
}
