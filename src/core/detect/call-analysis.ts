// Reads the facts of one request call: URL, method, headers, credentials, body, timeout and error handling, by what it calls.
import ts from 'typescript';
import { formOf, type DetectorState, type Target, type Analysis, type Arg } from './detector-state';
import { unwrap, type FunctionLike } from '../parse/scope';
import { spanOf, followConst, headersOf, fieldsOf, getProp, paramRefOf, functionName, staticString, enclosingFunction, type HeaderFact, type FactContext } from './facts';
import { hasErrorHandlingAround } from './error-handling';
import { AXIOS_VERBS_WITH_DATA } from './axios';
import type { MethodSource, HttpDefinition } from './detection-types';
import type { Credential } from '../model/types';
import { credentialsFromFields, isAuthHeader, credentialsInUrl, isCredentialField } from './credentials';
import { initHasTimeout, hasAbortTimeoutNear } from './timing';
import { clientRequest, endpointRequest, hookRequest, type LibraryRequest } from './library-calls';
import type { LibraryModel } from '../model/libraries';
import { holeName, type UrlPart, type ParamRef } from './url';
import { urlParts, urlDisplayText } from './url-parts';

export function analyze(st: DetectorState, call: ts.CallExpression, target: Target, fn: FunctionLike | undefined): Analysis | null {
  if (target.kind === 'library' || target.kind === 'library-request' || target.kind === 'endpoint') return analyzeLibraryCall(st, call, target, fn);
  const args = logicalArgs(st, call, fn);
  const callee = call.expression.getText(st.sf).replace(/\s+/g, '');
  const argSpans = call.arguments.map((a) => spanOf(a, st.sf));
  const base: Omit<Analysis, 'method' | 'url' | 'client'> = {
    target,
    callee,
    baseURL: null,
    headers: [],
    inheritedHeaders: [],
    credentials: [],
    hasBody: false,
    hasTimeout: false,
    hasErrorHandling: hasErrorHandlingAround(st.fx, call),
    argSpans,
  };
  if (target.kind === 'wrapper') return analyzeWrapperCall(st, call, target, args, fn, base);

  let urlArg: Arg;
  let config: Arg;
  let data: Arg;
  let defaultMethod: string | null = 'GET';
  let verbMethod: string | null = null;
  if (target.kind === 'fetch') {
    if (readsLocalObject(st, args[0], fn)) return null;
    urlArg = args[0];
    config = args[1];
    // fetch(new Request(url, init))
    if (urlArg && 'node' in urlArg) {
      const req = unwrap(urlArg.node);
      if (ts.isNewExpression(req) && ts.isIdentifier(req.expression) && req.expression.text === 'Request' && req.arguments?.length) {
        urlArg = { node: req.arguments[0] };
        config = config ?? (req.arguments[1] ? { node: req.arguments[1] } : undefined);
      }
    }
    data = propArg(st, config, 'body');
  } else if (target.kind === 'axios' || target.kind === 'instance') {
    const verb = target.verb;
    if (verb === null || verb === 'request') {
      const first = args[0];
      const firstObj = first && 'node' in first && ts.isObjectLiteralExpression(followConst(st.fx, first.node));
      if (verb === 'request' || firstObj || (first && 'param' in first && args.length === 1)) {
        config = first;
        urlArg = propArg(st, config, 'url');
      } else {
        urlArg = first;
        config = args[1];
      }
      data = propArg(st, config, 'data');
    } else if (AXIOS_VERBS_WITH_DATA.has(verb)) {
      urlArg = args[0];
      data = args[1];
      config = args[2];
      verbMethod = verb.replace(/Form$/, '').toUpperCase();
    } else {
      urlArg = args[0];
      config = args[1];
      data = propArg(st, config, 'data');
      verbMethod = verb.toUpperCase();
    }
    if (verbMethod) defaultMethod = verbMethod;
  }

  const method: MethodSource = verbMethod ? { value: verbMethod } : methodFrom(st, config, defaultMethod);
  const url = urlFrom(st, urlArg, fn);
  const headerNode = propNode(st, config, 'headers');
  const headers = headersOf(st.fx, headerNode);
  const credentials: Credential[] = credentialsFromFields(st.fx, headers, 'header', isAuthHeader);
  if (url.node) credentials.push(...credentialsInUrl(st.fx, url.node));
  if (data && 'node' in data) credentials.push(...credentialsFromFields(st.fx, fieldsOf(st.fx, data.node), 'body', isCredentialField));
  const params = propNode(st, config, 'params');
  if (params) credentials.push(...credentialsFromFields(st.fx, fieldsOf(st.fx, params), 'query', isCredentialField));
  const auth = propNode(st, config, 'auth');
  if (auth) credentials.push(...credentialsFromFields(st.fx, fieldsOf(st.fx, auth), 'auth', () => true));

  const configNode = config && 'node' in config ? config.node : undefined;
  let hasTimeout = initHasTimeout(st.fx, configNode) || hasAbortTimeoutNear(st.fx, call);
  let hasErrorHandling = base.hasErrorHandling || getProp(st.fx, configNode, 'validateStatus') !== undefined;
  let baseURL: string | null = null;
  const inherited: { name: string; valueText: string }[] = [];
  const defaults = target.kind === 'instance' ? target.def : target.kind === 'axios' ? target.defaults : null;
  if (defaults) {
    baseURL = defaults.baseURL;
    inherited.push(...defaults.headers);
    credentials.push(...defaults.credentials);
    hasTimeout ||= defaults.hasTimeout;
    hasErrorHandling ||= defaults.hasErrorHandling;
  }
  return {
    ...base,
    client: target.kind === 'instance' ? 'axios-instance' : target.kind === 'axios' ? 'axios' : 'fetch',
    method,
    url,
    baseURL,
    headers,
    inheritedHeaders: inherited,
    credentials,
    hasBody: data !== undefined && 'node' in data,
    hasTimeout,
    hasErrorHandling,
  };
}

/**
 * `fetch` of a `blob:`/`data:` URL or of `URL.createObjectURL(...)` reads an object in memory, not an API: a
 * literal that says so, a const made by `createObjectURL`, or a URL parameter of a function named for blobs.
 */
function readsLocalObject(st: DetectorState, arg: Arg, fn: FunctionLike | undefined): boolean {
  if (!arg || !('node' in arg)) return false;
  const node = followConst(st.fx, arg.node);
  if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    const head = ts.isTemplateExpression(node) ? node.head.text : node.text;
    return /^(?:blob|data):/i.test(head);
  }
  if (ts.isCallExpression(node) && /^URL\.createObjectURL$/.test(node.expression.getText(st.sf))) return true;
  const e = unwrap(arg.node);
  if (ts.isIdentifier(e) && /^(?:blob|objectUrl|dataUrl|blobUrl)/i.test(e.text)) return true;
  if (fn && paramRefOf(st.fx, e, fn)) {
    const name = functionName(fn, st.sf) ?? '';
    return /blob|objectUrl|dataUrl/i.test(name) && !/upload|send|post/i.test(name);
  }
  return false;
}

/** A request of a library model: a client's call, a request hook, or an RTK Query endpoint. Null when the call makes none. */
function analyzeLibraryCall(st: DetectorState, call: ts.CallExpression, target: Extract<Target, { kind: 'library' | 'library-request' | 'endpoint' }>, fn: FunctionLike | undefined): Analysis | null {
  const args = call.arguments ? [...call.arguments] : [];
  let req: LibraryRequest | null;
  let def: HttpDefinition | null = null;
  let model: LibraryModel | undefined;
  let region: string | undefined;
  if (target.kind === 'library') {
    def = target.def;
    model = st.libs.model(def.library!.model);
    const form = formOf(st, def);
    req = form ? clientRequest(st.fx, form, target.verb, args, fn) : null;
    if (req && req.method === null && !req.methodNode && form) req.method = form.defaultMethod;
  } else if (target.kind === 'endpoint') {
    def = target.def;
    model = st.libs.model(def.library!.model);
    const form = model?.exports[def.library!.export];
    req = form && form.is === 'endpoints' ? endpointRequest(st.fx, form.endpoints, target.endpointKind, args[0]) : null;
    region = 'rtk-query-endpoint';
  } else {
    model = target.model;
    const value = model.exports[target.export];
    req = value && value.is === 'request' ? hookRequest(st.fx, value.request, args, fn) : null;
    if (value && value.is === 'request') region = value.request.region;
  }
  if (!req || !model) return null;
  // The function the library runs (an SWR fetcher, a transport's `fetch`): when it is a wrapper, it is the row's definition.
  const cb = req.callback ?? (target.kind === 'library-request' ? getProp(st.fx, args[0], 'fetch') : undefined);
  let method: MethodSource;
  if (req.method !== null) method = { value: req.method };
  else if (req.methodNode) {
    const ref = paramRefOf(st.fx, req.methodNode, fn);
    method = ref ? { param: ref, fallback: null } : { value: null };
  } else method = { value: null };
  const headers = req.headers;
  const credentials: Credential[] = [...(def?.credentials ?? []), ...credentialsFromFields(st.fx, headers, 'header', isAuthHeader)];
  if (req.urlNode) credentials.push(...credentialsInUrl(st.fx, req.urlNode));
  // Request hooks and RTK Query keep a failed request in their state (`error`) rather than throwing it at the caller.
  const libraryCatches = target.kind !== 'library';
  return {
    target,
    client: model.id,
    callee: call.expression.getText(st.sf).replace(/\s+/g, ''),
    method,
    url: { text: req.urlText, parts: req.parts, node: req.urlNode },
    baseURL: def?.baseURL ?? null,
    headers,
    inheritedHeaders: def?.headers ?? [],
    credentials,
    hasBody: req.hasBody,
    hasTimeout: req.hasTimeout || (def?.hasTimeout ?? false) || hasAbortTimeoutNear(st.fx, call),
    hasErrorHandling: libraryCatches || hasErrorHandlingAround(st.fx, call) || (def?.hasErrorHandling ?? false),
    argSpans: args.map((a) => spanOf(a, st.sf)),
    anchor: req.anchor,
    library: { id: model.id, runsOn: model.runsOn, ...(region ? { region } : {}), ...(cb ? { callbackSpan: spanOf(cb, st.sf) } : {}) },
    callback: cb,
  };
}

function analyzeWrapperCall(st: DetectorState, call: ts.CallExpression, target: { kind: 'wrapper'; def: HttpDefinition }, args: Arg[], fn: FunctionLike | undefined, base: Omit<Analysis, 'method' | 'url' | 'client'>): Analysis {
  const def = target.def;
  // The call site's URL: the wrapper's URL with its parameter holes filled from this call's arguments.
  let url: Analysis['url'];
  if (def.url && def.url.parts) {
    const parts: UrlPart[] = [];
    let text: string | null = null;
    let node: ts.Expression | undefined;
    for (const p of def.url.parts) {
      if ('whenAbsent' in p && p.whenAbsent) {
        const given = argFor(st, args, p.whenAbsent);
        if (!given) continue; // the optional suffix the caller did not ask for
        parts.push(given && 'param' in given ? { hole: p.hole, name: p.name, whenAbsent: given.param } : { hole: p.hole, name: p.name });
        continue;
      }
      if (!('param' in p) || !p.param) {
        parts.push(p);
        continue;
      }
      const arg = argFor(st, args, p.param);
      if (arg && 'node' in arg) {
        const sub = urlParts(st.fx, arg.node, fn);
        parts.push(...(sub ?? [{ hole: arg.node.getText(st.sf), name: holeName(arg.node.getText(st.sf)) }]));
        text ??= urlDisplayText(arg.node, st.sf);
        node ??= arg.node;
      } else if (arg && 'param' in arg) {
        parts.push({ hole: p.hole, name: p.name, param: arg.param });
      } else {
        parts.push({ hole: p.hole, name: p.name });
      }
    }
    url = { text: text ?? def.url.text, parts: mergeParts(parts), node };
  } else {
    url = { text: def.url?.text ?? '', parts: null };
  }
  let method: MethodSource = def.method ?? { value: null };
  if ('param' in method) {
    const arg = argFor(st, args, method.param);
    if (arg && 'node' in arg) {
      const s = staticString(st.fx, arg.node);
      // `this.customFetch(url, { method })` inside `request({ path, method })`: still the outer caller's method.
      const passed = s ? undefined : paramRefOf(st.fx, arg.node, fn);
      method = s ? { value: s.toUpperCase() } : passed ? { param: passed, fallback: method.fallback } : { value: null };
    } else if (arg && 'param' in arg) {
      method = { param: arg.param, fallback: method.fallback };
    } else {
      method = { value: method.fallback };
    }
  }
  // Options objects passed at the call site can add headers, a body or a timeout.
  const headers: HeaderFact[] = [];
  const credentials: Credential[] = [...def.credentials];
  let hasTimeout = def.hasTimeout;
  let hasBody = def.hasBody === true;
  for (const a of args) {
    if (!a || !('node' in a)) continue;
    const obj = followConst(st.fx, a.node);
    if (!ts.isObjectLiteralExpression(obj)) continue;
    const h = headersOf(st.fx, getProp(st.fx, obj, 'headers'));
    headers.push(...h);
    credentials.push(...credentialsFromFields(st.fx, h, 'header', isAuthHeader));
    if (initHasTimeout(st.fx, obj)) hasTimeout = true;
    if (getProp(st.fx, obj, 'body') || getProp(st.fx, obj, 'data')) hasBody = true;
  }
  if (url.node) credentials.push(...credentialsInUrl(st.fx, url.node));
  return {
    ...base,
    client: 'wrapper',
    method,
    url,
    baseURL: def.baseURL,
    headers,
    inheritedHeaders: def.headers,
    credentials,
    hasBody,
    hasTimeout: hasTimeout || hasAbortTimeoutNear(st.fx, call),
    hasErrorHandling: base.hasErrorHandling || def.hasErrorHandling,
  };
}

/** Arguments as the callee sees them; `f(...args)` where `args` is the wrapper's rest parameter maps positions. */
function logicalArgs(st: DetectorState, call: ts.CallExpression, fn: FunctionLike | undefined): Arg[] {
  const out: Arg[] = [];
  for (const a of call.arguments) {
    if (ts.isSpreadElement(a)) {
      const e = unwrap(a.expression);
      const b = ts.isIdentifier(e) ? st.scopes.lookup(e.text, e) : undefined;
      if (b && b.kind === 'param' && b.rest && b.fn === fn) {
        for (let k = 0; k < 3; k++) out.push({ param: { index: b.index + k } });
      }
      break; // positions after an unknown spread are unknown
    }
    out.push({ node: a });
  }
  return out;
}

function argFor(st: DetectorState, args: Arg[], ref: ParamRef): Arg {
  const a = args[ref.index];
  if (!a || ref.prop === undefined) return a;
  if ('param' in a) return a.param.prop === undefined ? { param: { index: a.param.index, prop: ref.prop } } : undefined;
  const whole = paramRefOf(st.fx, a.node, enclosingFunction(a.node));
  if (whole && whole.prop === undefined && !ts.isObjectLiteralExpression(unwrap(a.node))) return { param: { index: whole.index, prop: ref.prop } };
  const v = getProp(st.fx, a.node, ref.prop);
  return v ? { node: v } : undefined;
}

function propArg(st: DetectorState, arg: Arg, name: string): Arg {
  if (!arg) return undefined;
  if ('param' in arg) return arg.param.prop === undefined ? { param: { index: arg.param.index, prop: name } } : undefined;
  const v = getProp(st.fx, arg.node, name);
  if (v) return { node: v };
  // `{ ...options, url }`: a spread wrapper parameter may carry it
  const obj = followConst(st.fx, arg.node);
  const fn = enclosingFunction(arg.node);
  if (ts.isObjectLiteralExpression(obj)) {
    for (const p of obj.properties) {
      if (ts.isSpreadAssignment(p)) {
        const ref = paramRefOf(st.fx, p.expression, fn);
        if (ref && ref.prop === undefined) return { param: { index: ref.index, prop: name } };
      }
    }
  } else {
    const ref = paramRefOf(st.fx, arg.node, fn);
    if (ref && ref.prop === undefined) return { param: { index: ref.index, prop: name } };
  }
  return undefined;
}

function propNode(st: DetectorState, arg: Arg, name: string): ts.Expression | undefined {
  if (!arg || !('node' in arg)) return undefined;
  return getProp(st.fx, arg.node, name);
}

function methodFrom(st: DetectorState, config: Arg, fallback: string | null): MethodSource {
  if (!config) return { value: fallback };
  const m = propArg(st, config, 'method');
  if (!m) {
    if ('param' in config) return { value: fallback };
    const obj = followConst(st.fx, config.node);
    return ts.isObjectLiteralExpression(obj) ? { value: fallback } : { value: null };
  }
  // `fetch(url, init)` in a wrapper: the caller's `init.method`, or the default when the caller passes none.
  if ('param' in m) return { param: m.param, fallback };
  const s = staticString(st.fx, m.node);
  if (s) return { value: s.toUpperCase() };
  // `options.method ?? 'GET'`: the caller's method, or that default.
  const e = unwrap(m.node);
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    const left = paramRefOf(st.fx, e.left, enclosingFunction(m.node));
    const right = staticString(st.fx, e.right);
    if (left) return { param: left, fallback: right ? right.toUpperCase() : null };
  }
  const ref = paramRefOf(st.fx, m.node, enclosingFunction(m.node));
  return ref ? { param: ref, fallback: destructuredDefault(st.fx, m.node) } : { value: null };
}

function urlFrom(st: DetectorState, arg: Arg, fn: FunctionLike | undefined): Analysis['url'] {
  if (!arg) return { text: '', parts: [{ literal: '' }] };
  if ('param' in arg) return { text: 'url', parts: [{ hole: 'url', name: arg.param.prop ?? 'url', param: arg.param }] };
  return { text: urlDisplayText(arg.node, st.sf), parts: urlParts(st.fx, arg.node, fn), node: arg.node };
}

/** `const { method = 'GET' } = options`: the default a destructured name takes, upper-cased, when it is a string. */
function destructuredDefault(fx: FactContext, node: ts.Expression): string | null {
  const e = unwrap(node);
  if (!ts.isIdentifier(e)) return null;
  const b = fx.scopes.lookup(e.text, e);
  const el = b ? (ts.isBindingElement(b.node) ? b.node : ts.isBindingElement(b.node.parent) ? b.node.parent : undefined) : undefined;
  if (!el || !el.initializer) return null;
  return staticString(fx, el.initializer)?.toUpperCase() ?? null;
}

export function mergeParts(parts: UrlPart[]): UrlPart[] {
  const out: UrlPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if ('literal' in p && last && 'literal' in last) out[out.length - 1] = { literal: last.literal + p.literal };
    else out.push(p);
  }
  return out;
}
