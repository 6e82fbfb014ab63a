// Reads one fetch/axios call back out of its source: URL pieces, method, init/config objects, headers and where the secret sits.
import ts from 'typescript';
import { ScopeResolver, propertyNameText, unwrap } from '../../parse/scope';
import { toScriptText } from '../../scan/discovery';
import type { WorkspaceView } from '../edits';
import { isBrowserExposedEnvName, isSecretName, stripAuthScheme } from '../../rules/secrets';
import type { CallRecord, Credential, Span } from '../../model/types';
import { parseSource } from '../../parse/parser';
import { AXIOS_VERBS, AXIOS_VERBS_WITH_DATA } from '../../detect/axios';

export type UrlPiece = { kind: 'text'; text: string } | { kind: 'expr'; node: ts.Expression; text: string };

export type CallShape =
  /** `fetch(url, init?)` */
  | { kind: 'fetch'; url: ts.Expression; init?: ts.Expression }
  /** `axios.get(url, config?)`, `axios.post(url, data?, config?)` and the same through an instance. */
  | { kind: 'axios-method'; verb: string; url: ts.Expression; data?: ts.Expression; config?: ts.Expression; hasDataSlot: boolean }
  /** `axios(config)`, `axios(url, config)`, `axios.request(config)`. */
  | { kind: 'axios-config'; url: ts.Expression; config?: ts.Expression; urlInConfig: boolean };

export interface HeaderEntry {
  /** Lower-case header name. */
  name: string;
  property: ts.ObjectLiteralElementLike;
  value: ts.Expression | null;
  /** Literal text when the value is static. */
  staticValue: string | null;
}

/** A secret the call sends, and how the proxy reproduces it on the server. */
export interface SecretUse {
  placement: 'header' | 'query';
  /** Header name (lower case) or query parameter name. */
  field: string;
  /** Text around the secret in the value: `Bearer ` + secret + ``. */
  prefix: string;
  suffix: string;
  /** Where the value comes from today. */
  source: { kind: 'env'; name: string } | { kind: 'literal'; value: string };
  /** The property (header) to remove from the client code; absent for query secrets and instance defaults. */
  property?: ts.ObjectLiteralElementLike;
  /** True when the secret is in an axios instance's default headers (another file). */
  fromInstance?: boolean;
}

export interface CallSite {
  call: CallRecord;
  text: string;
  sf: ts.SourceFile;
  node: ts.CallExpression;
  shape: CallShape;
  method: string | null;
  /** `fetch`, `axios` (the local name of axios, when the call is made through it) or the instance expression. */
  clientText: string;
  /** URL pieces of the call itself (before joining an instance baseURL). */
  urlPieces: UrlPiece[];
  /** baseURL of the instance as text when static, `null` when dynamic, undefined for non-instance calls. */
  baseURL?: string | null;
  headersObject?: ts.ObjectLiteralExpression;
  headers: HeaderEntry[];
  /** Default headers of the axios instance the call goes through (another file). */
  instanceHeaders: HeaderEntry[];
  /** The config's `params` object for axios (query parameters sent by the client). */
  paramsObject?: ts.Expression;
  secrets: SecretUse[];
  /** Credentials the proxy cannot reproduce (user's own token, typed-in key): told to the user. */
  notForwarded: string[];
  resolver: ScopeResolver;
}

export type CallSiteResult = { ok: true; site: CallSite } | { ok: false; reason: string };


/** Finds the call expression a CallRecord's span points at. */
export function findCallNode(sf: ts.SourceFile, span: Span): ts.CallExpression | null {
  let best: ts.CallExpression | null = null;
  const visit = (node: ts.Node): void => {
    if (node.end < span.start || node.getStart(sf) > span.end) return;
    if (ts.isCallExpression(node)) {
      const start = node.getStart(sf);
      if (start === span.start && node.end === span.end) {
        best = node;
        return;
      }
      if (start <= span.start && node.end >= span.end && (best === null || node.end - start < best.end - best.getStart(sf))) best = node;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return best;
}

export function propertyOf(obj: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return obj.properties.find((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isMethodDeclaration(p)) && propertyNameText(p.name)?.toLowerCase() === name.toLowerCase());
}

export function propertyValue(p: ts.ObjectLiteralElementLike | undefined): ts.Expression | null {
  if (!p) return null;
  if (ts.isPropertyAssignment(p)) return p.initializer;
  if (ts.isShorthandPropertyAssignment(p)) return p.name;
  return null;
}

/** Follows an identifier to the object literal or string it is a `const` of, within the same file. */
export function resolveConst(expr: ts.Expression, resolver: ScopeResolver): ts.Expression {
  let current = unwrap(expr);
  for (let depth = 0; depth < 4 && ts.isIdentifier(current); depth++) {
    const binding = resolver.lookup(current.text, current);
    if (!binding || binding.kind !== 'var' || !binding.isConst || !binding.init) break;
    current = unwrap(binding.init);
  }
  return current;
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X` → `X`. */
export function envReadName(expr: ts.Expression): { name: string; access: string } | null {
  const e = unwrap(expr);
  let object: ts.Expression;
  let name: string | null;
  if (ts.isPropertyAccessExpression(e)) {
    object = e.expression;
    name = e.name.text;
  } else if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) {
    object = e.expression;
    name = e.argumentExpression.text;
  } else {
    return null;
  }
  const objectText = object.getText().replace(/\s+/g, '');
  if (objectText === 'process.env') return { name, access: 'process.env' };
  if (objectText === 'import.meta.env') return { name, access: 'import.meta.env' };
  return null;
}

/** Splits a string-valued expression into static text and run-time pieces, following same-file consts. */
export function flattenString(expr: ts.Expression, sf: ts.SourceFile, resolver: ScopeResolver, depth = 0): UrlPiece[] {
  const e = unwrap(expr);
  const pieces: UrlPiece[] = [];
  if (ts.isStringLiteralLike(e)) {
    pieces.push({ kind: 'text', text: e.text });
  } else if (ts.isTemplateExpression(e)) {
    pieces.push({ kind: 'text', text: e.head.text });
    for (const span of e.templateSpans) {
      pieces.push(...flattenString(span.expression, sf, resolver, depth + 1));
      pieces.push({ kind: 'text', text: span.literal.text });
    }
  } else if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    pieces.push(...flattenString(e.left, sf, resolver, depth + 1), ...flattenString(e.right, sf, resolver, depth + 1));
  } else if (ts.isIdentifier(e) && depth < 4) {
    const binding = resolver.lookup(e.text, e);
    const init = binding?.kind === 'var' && binding.isConst ? binding.init : undefined;
    const resolved = init ? flattenString(init, sf, resolver, depth + 1) : null;
    // Only constants that are entirely static are inlined: run-time pieces of another declaration may be out of scope here.
    if (resolved && resolved.every((p) => p.kind === 'text')) pieces.push(...resolved);
    else pieces.push({ kind: 'expr', node: e, text: e.getText(sf) });
  } else {
    pieces.push({ kind: 'expr', node: e, text: e.getText(sf) });
  }
  const merged: UrlPiece[] = [];
  for (const p of pieces) {
    const last = merged[merged.length - 1];
    if (p.kind === 'text' && last?.kind === 'text') last.text += p.text;
    else if (p.kind === 'text' && p.text === '') continue;
    else merged.push(p.kind === 'text' ? { ...p } : p);
  }
  return merged;
}

export function shapeOf(node: ts.CallExpression, client: CallRecord['client']): CallShape | { error: string } {
  const args = node.arguments;
  const callee = unwrap(node.expression);
  if (client === 'fetch') {
    if (!args[0]) return { error: 'the fetch call has no URL argument' };
    return { kind: 'fetch', url: args[0], init: args[1] };
  }
  if (client === 'axios' || client === 'axios-instance') {
    const verb = ts.isPropertyAccessExpression(callee) ? callee.name.text : null;
    if (verb && AXIOS_VERBS.has(verb)) {
      if (!args[0]) return { error: `the ${verb} call has no URL argument` };
      const hasDataSlot = AXIOS_VERBS_WITH_DATA.has(verb);
      return { kind: 'axios-method', verb, url: args[0], data: hasDataSlot ? args[1] : undefined, config: hasDataSlot ? args[2] : args[1], hasDataSlot };
    }
    const first = args[0] ? unwrap(args[0]) : undefined;
    if (first && ts.isObjectLiteralExpression(first)) {
      const url = propertyValue(propertyOf(first, 'url'));
      if (!url) return { error: 'the axios config has no `url`' };
      return { kind: 'axios-config', url, config: first, urlInConfig: true };
    }
    if (first) return { kind: 'axios-config', url: first, config: args[1], urlInConfig: false };
    return { error: 'the axios call has no URL' };
  }
  return { error: 'calls through a wrapper function cannot be moved automatically: move the request inside the wrapper instead' };
}

function methodOf(shape: CallShape, objOf: (e: ts.Expression | undefined) => ts.ObjectLiteralExpression | undefined): string | null {
  const fromObject = (obj: ts.ObjectLiteralExpression | undefined): string | null | undefined => {
    if (!obj) return undefined;
    const p = propertyOf(obj, 'method');
    if (!p) return undefined;
    const v = propertyValue(p);
    return v && ts.isStringLiteralLike(unwrap(v)) ? (unwrap(v) as ts.StringLiteralLike).text.toUpperCase() : null;
  };
  if (shape.kind === 'axios-method') return shape.verb.replace(/Form$/, '').toUpperCase();
  // `undefined`: no method property (GET); `null`: a method chosen at run time.
  const orGet = (m: string | null | undefined): string | null => (m === undefined ? 'GET' : m);
  if (shape.kind === 'fetch') return shape.init === undefined ? 'GET' : objOf(shape.init) ? orGet(fromObject(objOf(shape.init))) : null;
  const config = objOf(shape.config);
  if (shape.config !== undefined && !config) return null;
  return orGet(fromObject(config));
}

/** Reads the axios instance definition (`axios.create({ baseURL, headers })`) for an instance call. */
function instanceDefinition(call: CallRecord, ws: WorkspaceView): { baseURL: string | null; headers: HeaderEntry[]; file: string; sf: ts.SourceFile; resolver: ScopeResolver } | null {
  const def = call.facts.definition;
  if (!def) return null;
  const raw = ws.readFile(def.file);
  if (raw === undefined) return null;
  const text = toScriptText(def.file, raw);
  const sf = parseSource(def.file, text);
  const resolver = new ScopeResolver();
  let found: ts.CallExpression | null = null;
  let bestDistance = Infinity;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'create') {
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      const distance = Math.abs(line - def.line);
      if (distance < bestDistance) {
        bestDistance = distance;
        found = node;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const create = found as ts.CallExpression | null;
  const configArg = create?.arguments[0] ? resolveConst(create.arguments[0], resolver) : undefined;
  if (!configArg || !ts.isObjectLiteralExpression(configArg)) return { baseURL: call.facts.baseURL ?? null, headers: [], file: def.file, sf, resolver };
  const baseExpr = propertyValue(propertyOf(configArg, 'baseURL'));
  let baseURL: string | null = null;
  if (baseExpr) {
    const pieces = flattenString(baseExpr, sf, resolver);
    baseURL = pieces.every((p) => p.kind === 'text') ? pieces.map((p) => (p as { text: string }).text).join('') : null;
  }
  const headersExpr = propertyValue(propertyOf(configArg, 'headers'));
  const headersObj = headersExpr ? resolveConst(headersExpr, resolver) : undefined;
  const headers = headersObj && ts.isObjectLiteralExpression(headersObj) ? headerEntries(headersObj, sf) : [];
  return { baseURL: baseURL ?? (typeof call.facts.baseURL === 'string' ? call.facts.baseURL : null), headers, file: def.file, sf, resolver };
}

function headerEntries(obj: ts.ObjectLiteralExpression, sf: ts.SourceFile): HeaderEntry[] {
  const out: HeaderEntry[] = [];
  for (const p of obj.properties) {
    const name = ts.isSpreadAssignment(p) ? null : propertyNameText(p.name);
    if (name === null) continue;
    const value = propertyValue(p);
    const u = value ? unwrap(value) : null;
    out.push({ name: name.toLowerCase(), property: p, value, staticValue: u && ts.isStringLiteralLike(u) ? u.text : null });
    void sf;
  }
  return out;
}

function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

function nodeSpan(node: ts.Node, sf: ts.SourceFile): Span {
  return { start: node.getStart(sf), end: node.end };
}

/** How a header or query value is built around the secret: `Bearer ${process.env.X}` → prefix `Bearer `. */
function secretTemplate(pieces: UrlPiece[], cred: Credential | undefined): Pick<SecretUse, 'prefix' | 'suffix' | 'source'> | null {
  const exprs = pieces.filter((p) => p.kind === 'expr');
  if (exprs.length > 1) return null;
  if (exprs.length === 1) {
    const index = pieces.indexOf(exprs[0]);
    const env = envReadName(exprs[0].node);
    const name = env?.name ?? (cred?.source === 'env' ? cred.envName : undefined);
    if (!name) return null;
    const textOf = (list: UrlPiece[]): string => list.map((p) => (p.kind === 'text' ? p.text : '')).join('');
    return { prefix: textOf(pieces.slice(0, index)), suffix: textOf(pieces.slice(index + 1)), source: { kind: 'env', name } };
  }
  const whole = pieces.map((p) => (p.kind === 'text' ? p.text : '')).join('');
  const secret = cred?.literal && whole.includes(cred.literal) ? cred.literal : stripAuthScheme(whole);
  const at = whole.indexOf(secret);
  if (secret === '' || at === -1) return null;
  return { prefix: whole.slice(0, at), suffix: whole.slice(at + secret.length), source: { kind: 'literal', value: secret } };
}

/** True for a value a bundler ships to the browser or that is written in the code: what the proxy must take over. */
function looksLikeAppSecret(name: string, pieces: UrlPiece[]): boolean {
  if (!isSecretName(name) && !/^(authorization|x-api-key|api-key|apikey)$/i.test(name)) return false;
  const exprs = pieces.filter((p) => p.kind === 'expr');
  if (exprs.length === 0) return stripAuthScheme(pieces.map((p) => (p.kind === 'text' ? p.text : '')).join('')).length >= 16;
  if (exprs.length !== 1) return false;
  const env = envReadName(exprs[0].node);
  return env !== null && isBrowserExposedEnvName(env.name) !== null;
}

/** Parses the call at `call.facts.span` and works out everything the proxy move needs from it. */
export function readCallSite(call: CallRecord, ws: WorkspaceView): CallSiteResult {
  const raw = ws.readFile(call.file);
  if (raw === undefined) return { ok: false, reason: `${call.file} cannot be read.` };
  const text = toScriptText(call.file, raw);
  const sf = parseSource(call.file, text);
  const node = findCallNode(sf, call.facts.span);
  if (!node) return { ok: false, reason: `The call is no longer at ${call.file}:${call.range.start.line}; run the analysis again.` };
  const shape = shapeOf(node, call.client);
  if ('error' in shape) return { ok: false, reason: `Cannot move this call: ${shape.error}.` };
  const resolver = new ScopeResolver();
  const objOf = (e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined => {
    if (!e) return undefined;
    let r = resolveConst(e, resolver);
    // `new Headers({ ... })` is edited like the object literal it wraps.
    if (ts.isNewExpression(r) && ts.isIdentifier(r.expression) && r.expression.text === 'Headers' && r.arguments?.length === 1) r = resolveConst(r.arguments[0], resolver);
    return ts.isObjectLiteralExpression(r) ? r : undefined;
  };
  const method = methodOf(shape, objOf);
  const optionsExpr = shape.kind === 'fetch' ? shape.init : shape.config;
  const options = objOf(optionsExpr);
  const headersValue = options ? propertyValue(propertyOf(options, 'headers')) : null;
  const headersObject = headersValue ? objOf(headersValue) : undefined;
  if (headersValue && !headersObject) {
    return { ok: false, reason: 'Cannot move this call: its headers are built at run time, so API Atlas cannot tell which one carries the secret.' };
  }
  const headers = headersObject ? headerEntries(headersObject, sf) : [];
  const urlPieces = flattenString(shape.url, sf, resolver);
  const callee = unwrap(node.expression);
  const clientText = ts.isPropertyAccessExpression(callee) ? callee.expression.getText(sf) : callee.getText(sf);

  let baseURL: string | null | undefined;
  let instanceHeaders: HeaderEntry[] = [];
  let instanceSf: ts.SourceFile | null = null;
  let instanceResolver: ScopeResolver | null = null;
  if (call.client === 'axios-instance') {
    const def = instanceDefinition(call, ws);
    baseURL = def ? def.baseURL : typeof call.facts.baseURL === 'string' ? call.facts.baseURL : null;
    instanceHeaders = def?.headers ?? [];
    instanceSf = def?.sf ?? null;
    instanceResolver = def?.resolver ?? null;
  }

  const secrets: SecretUse[] = [];
  const notForwarded: string[] = [];
  const credentials = call.facts.credentials;
  const addHeaderSecret = (h: HeaderEntry, cred: Credential | undefined, hsf: ts.SourceFile, hres: ScopeResolver, fromInstance: boolean): boolean => {
    if (!h.value) return false;
    const tpl = secretTemplate(flattenString(h.value, hsf, hres), cred);
    if (!tpl) return false;
    secrets.push({ placement: 'header', field: h.name, ...tpl, property: fromInstance ? undefined : h.property, fromInstance });
    return true;
  };

  for (const cred of credentials) {
    // Only application secrets (env or literal) are moved; an unknown value stays in the call's data flow as it is.
    if (cred.source === 'unknown') continue;
    if (cred.source === 'session' || cred.source === 'user-input') {
      notForwarded.push(`${cred.field ?? cred.placement} (${cred.source === 'session' ? "the user's own session token" : 'a value the user types in'})`);
      continue;
    }
    if (cred.placement === 'instance-default') {
      const h = instanceHeaders.find((x) => x.name === (cred.field ?? '').toLowerCase()) ?? instanceHeaders.find((x) => x.value && looksLikeAppSecret(x.name, flattenString(x.value, instanceSf!, instanceResolver!)));
      if (!h || !instanceSf || !instanceResolver || !addHeaderSecret(h, cred, instanceSf, instanceResolver, true)) {
        return { ok: false, reason: `Cannot move this call: the secret in the default headers of \`${call.facts.definition?.name ?? 'the instance'}\` could not be read.` };
      }
      continue;
    }
    if (cred.placement === 'header') {
      const h = headers.find((x) => x.value && contains(nodeSpan(x.property, sf), cred.span)) ?? headers.find((x) => x.name === (cred.field ?? '').toLowerCase());
      if (!h || !addHeaderSecret(h, cred, sf, resolver, false)) {
        return { ok: false, reason: `Cannot move this call: the ${cred.field ?? 'secret'} header is not set in the call's own options, so API Atlas cannot take it out safely.` };
      }
      continue;
    }
    if (cred.placement === 'query' || cred.placement === 'url') {
      continue; // found again below, while splitting the URL, by parameter name and value
    }
    return { ok: false, reason: `Cannot move this call: the secret is sent in the ${cred.placement}, which the generated proxy does not rebuild yet. Move it by hand.` };
  }
  // No detector facts about this header: recognise the obvious cases (a browser-exposed env var or a long literal in an auth header).
  for (const h of [...headers, ...instanceHeaders]) {
    if (secrets.some((s) => s.placement === 'header' && s.field === h.name) || !h.value) continue;
    const fromInstance = !headers.includes(h);
    const hsf = fromInstance ? instanceSf! : sf;
    const hres = fromInstance ? instanceResolver! : resolver;
    if (looksLikeAppSecret(h.name, flattenString(h.value, hsf, hres))) addHeaderSecret(h, undefined, hsf, hres, fromInstance);
  }

  return {
    ok: true,
    site: {
      call,
      text,
      sf,
      node,
      shape,
      method,
      clientText,
      urlPieces,
      baseURL,
      headersObject,
      headers,
      instanceHeaders,
      paramsObject: options ? (propertyValue(propertyOf(options, 'params')) ?? undefined) : undefined,
      secrets,
      notForwarded,
      resolver,
    },
  };
}

export { nodeSpan, contains, AXIOS_VERBS };
