// Reads the facts of one request out of the syntax tree: URL pieces, method, headers, credentials, error handling, timeouts, timers.
import ts from 'typescript';
import type { Credential, CredentialSource, Span } from '../model/types';
import { holeName, type ParamRef, type UrlPart } from './url';
import { isFunctionLike, propertyNameText, unwrap, type FunctionLike, type ScopeResolver } from '../parse/scope';
import { isSecretName, isSecretValue } from '../rules/secrets';
import { nodesInOrder } from '../parse/syntax-order';

const MAX_FOLLOW = 4;

/** Header names that carry credentials even when the value is a plain literal. */
const AUTH_HEADER = /^(?:authorization|proxy-authorization|cookie|x-[\w-]*(?:key|token|secret|auth)[\w-]*|[\w-]*api[-_]?key|[\w-]*-token|[\w-]*secret[\w-]*|apikey|x-auth[\w-]*)$/i;
/** Query and body field names that carry credentials. */
const CREDENTIAL_FIELD = /(?:^|[_-])?(?:api[_-]?key|apikey|appid|key|token|secret|password|passwd|auth|access[_-]?token|client[_-]?secret|signature|sig|credential)s?$/i;
/** Names that end like a credential but hold a count or a lookup key: `max_tokens`, `maxOutputTokens`, `cacheKey`, `sort_key`. */
const NOT_CREDENTIAL_FIELD = /tokens$|^(?:max|min|num|total|prompt|completion|input|output|context)[\w-]*token$|(?:storage|cache|query|sort|primary|foreign|partition|idempotency|dedupe|locale|i18n|route|public|site|search|publishable|anon|vapid|license|map|feature|react|row|group|object|lookup)[_-]?keys?$/i;
const SESSION_HINT = /\b(?:localStorage|sessionStorage|document\.cookie|cookies\s*\(|getCookie|getSession|useSession|session|useAuth|getToken|getAccessToken|getIdToken|accessToken|idToken|authToken|jwt|currentUser|auth\.)/;
const USER_INPUT_HINT = /\bprompt\s*\(|\.target\.value\b|\binput\w*\.value\b|(?:getElementById|querySelector)\([^)]*\)\)*\.value|formData\.get\(|\.get\(\s*['"](?:key|apiKey|api_key|token)['"]\s*\)/;
const USER_KEY_NAME = /^(?:user|own|custom|entered|typed|input|byo|your|personal)\w*(?:key|token)$|^(?:key|token)(?:input|value|field)$/i;
const SESSION_NAME = /^(?:session\w*|\w*(?:access|id|auth|session|bearer|user)token|token|jwt|\w*jwt)$/i;

export interface CredentialValue {
  source: CredentialSource;
  envName?: string;
  envAccess?: string;
  literal?: string;
  /** The constant a literal was read from (`API_KEY`). */
  valueName?: string;
  /** The string literal as declared in that constant: what a fix edits, wherever the request uses it. */
  declared?: ts.Node;
}

/** The file-level helpers a fact reader needs. */
export interface FactContext {
  sf: ts.SourceFile;
  scopes: ScopeResolver;
  text: string;
}

export function spanOf(node: ts.Node, sf: ts.SourceFile): Span {
  return { start: node.getStart(sf), end: node.getEnd() };
}

/** Follows a `const` identifier to its initializer (same file), a few steps deep. */
export function followConst(ctx: FactContext, expr: ts.Expression, depth = 0): ts.Expression {
  const e = unwrap(expr);
  if (depth >= MAX_FOLLOW || !ts.isIdentifier(e)) return e;
  const b = ctx.scopes.lookup(e.text, e);
  if (b && b.kind === 'var' && b.isConst && b.init) return followConst(ctx, b.init, depth + 1);
  return e;
}

/** Which wrapper parameter an expression is: `url`, `opts.url`, `{ url }` destructured, else undefined. */
export function paramRefOf(ctx: FactContext, expr: ts.Expression, fn: FunctionLike | undefined): ParamRef | undefined {
  if (!fn) return undefined;
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) {
    const b = ctx.scopes.lookup(e.text, e);
    if (b && b.kind === 'param' && b.fn === fn) return b.prop ? { index: b.index, prop: b.prop } : { index: b.index };
    // `const { method = 'GET', params } = options;` with `options` a parameter: a field of it.
    const el = b && b.kind === 'other' ? (ts.isBindingElement(b.node) ? b.node : ts.isBindingElement(b.node.parent) ? b.node.parent : undefined) : undefined;
    if (el && ts.isObjectBindingPattern(el.parent) && !el.dotDotDotToken) {
      const decl = el.parent.parent;
      const field = propertyNameText(el.propertyName ?? el.name);
      if (field && ts.isVariableDeclaration(decl) && decl.initializer) {
        const whole = paramRefOf(ctx, decl.initializer, fn);
        if (whole && whole.prop === undefined) return { index: whole.index, prop: field };
      }
    }
    return undefined;
  }
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) {
    const b = ctx.scopes.lookup(e.expression.text, e);
    if (b && b.kind === 'param' && b.fn === fn && !b.prop) return { index: b.index, prop: e.name.text };
  }
  return undefined;
}

/** Whether an expression reads one of `fn`'s parameters, directly or through a local const derived from one. */
export function readsParam(ctx: FactContext, expr: ts.Node, fn: FunctionLike, depth = 0): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && !(ts.isPropertyAssignment(n.parent) && n.parent.name === n)) {
      const b = ctx.scopes.lookup(n.text, n);
      if (b && b.kind === 'param' && b.fn === fn) found = true;
      else if (b && b.kind === 'var' && b.init && depth < 2 && isInside(b.decl, fn)) found = readsParam(ctx, b.init, fn, depth + 1);
      else if (b && b.kind === 'other' && depth < 2 && isInside(b.node, fn)) {
        // `const { url, ...rest } = options`: follow the destructuring's initializer.
        const decl = findAncestor(b.node, ts.isVariableDeclaration);
        if (decl?.initializer) found = readsParam(ctx, decl.initializer, fn, depth + 1);
      }
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(expr);
  return found;
}

export function isInside(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end && node.getSourceFile() === container.getSourceFile();
}

export function findAncestor<T extends ts.Node>(node: ts.Node, test: (n: ts.Node) => n is T): T | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (test(n)) return n;
  return undefined;
}

/**
 * Splits a URL expression into literal pieces and holes: string literals, templates, `+` concatenation and
 * consts are followed; holes that are parameters of `fn` are marked so wrapper call sites can fill them in.
 */
export function urlParts(ctx: FactContext, expr: ts.Expression, fn: FunctionLike | undefined, depth = 0): UrlPart[] | null {
  const param = paramRefOf(ctx, expr, fn);
  const e = unwrap(expr);
  if (param) return [{ hole: e.getText(ctx.sf), name: holeName(e.getText(ctx.sf)), param }];
  if (ts.isStringLiteralLike(e)) return [{ literal: e.text }];
  if (ts.isTemplateExpression(e)) {
    const parts: UrlPart[] = [{ literal: e.head.text }];
    for (const span of e.templateSpans) {
      parts.push(...holeParts(ctx, span.expression, fn, depth));
      parts.push({ literal: span.literal.text });
    }
    return mergeLiterals(parts);
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = urlParts(ctx, e.left, fn, depth) ?? [hole(ctx, e.left)];
    const right = holeOrParts(ctx, e.right, fn, depth);
    return mergeLiterals([...left, ...right]);
  }
  if (ts.isIdentifier(e) && depth < MAX_FOLLOW) {
    const b = ctx.scopes.lookup(e.text, e);
    // Only consts: a `let` may be reassigned before the call (`let url = ''; if (x) url = ...`).
    if (b && b.kind === 'var' && b.init && b.isConst) return urlParts(ctx, b.init, fn, depth + 1);
    return null;
  }
  if (depth < MAX_FOLLOW) {
    const field = thisFieldValue(ctx, e);
    if (field) {
      const followed = urlParts(ctx, field, undefined, depth + 1);
      if (followed && followed.every((p) => 'literal' in p)) return followed;
    }
  }
  // `new URL('/path', base)` and `new URL(path).toString()`: the path is what the code means.
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URL' && e.arguments?.length) {
    const path = urlParts(ctx, e.arguments[0], fn, depth + 1);
    if (e.arguments.length > 1 && path && 'literal' in path[0] && !/^[a-z]+:\/\//i.test(path[0].literal)) {
      const base = holeOrParts(ctx, e.arguments[1], fn, depth + 1);
      return mergeLiterals([...base, { literal: path[0].literal.startsWith('/') ? '' : '/' }, ...path]);
    }
    return path;
  }
  // `buildUrlWithParams(`${base}${url}`, params)`: a helper named for URLs keeps the path it is given first.
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && /url|path|query|params/i.test(e.expression.text) && e.arguments.length > 0 && depth < MAX_FOLLOW) {
    const first = urlParts(ctx, e.arguments[0], fn, depth + 1);
    if (first) return first;
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && /^(?:toString|href)$/.test(e.expression.name.text)) {
    return urlParts(ctx, e.expression.expression, fn, depth + 1);
  }
  if (ts.isPropertyAccessExpression(e) && e.name.text === 'href') return urlParts(ctx, e.expression, fn, depth + 1);
  return null;
}

function holeParts(ctx: FactContext, expr: ts.Expression, fn: FunctionLike | undefined, depth: number): UrlPart[] {
  const param = paramRefOf(ctx, expr, fn);
  if (param) return [{ hole: expr.getText(ctx.sf), name: holeName(expr.getText(ctx.sf)), param }];
  const inner = unwrap(expr);
  const optional = optionalOn(ctx, inner, fn, depth);
  if (optional) return [{ ...hole(ctx, expr), whenAbsent: optional }];
  // Consts that are plain strings, or templates built from parameters (`const path = `${base}${p}``), are inlined.
  if (ts.isIdentifier(inner) && depth < MAX_FOLLOW) {
    const b = ctx.scopes.lookup(inner.text, inner);
    if (b && b.kind === 'var' && b.init && b.isConst) {
      const followed = urlParts(ctx, b.init, fn, depth + 1);
      if (followed && (followed.every((p) => 'literal' in p) || followed.some((p) => 'param' in p))) return followed;
    }
  }
  if (ts.isStringLiteralLike(inner)) return [{ literal: inner.text }];
  // `${this.baseUrl}/path` with `readonly baseUrl = 'https://…'`: a field written once with a string is that string.
  const field = depth < MAX_FOLLOW ? thisFieldValue(ctx, inner) : undefined;
  if (field) {
    const followed = urlParts(ctx, field, undefined, depth + 1);
    if (followed && followed.every((p) => 'literal' in p)) return followed;
  }
  return [hole(ctx, expr)];
}

/** The class `this` means at a node: the nearest class, through arrow functions but not through `function`s. */
export function classOfThis(node: ts.Node): ts.ClassLikeDeclaration | null {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isClassLike(n)) return n;
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n)) return null;
  }
  return null;
}

/** The class a class extends, when it is declared in this file (`class Api extends HttpClient`). */
export function baseClassOf(ctx: FactContext, cls: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration | null {
  const ext = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (!ext) return null;
  const e = unwrap(ext);
  if (ts.isClassExpression(e)) return e;
  if (!ts.isIdentifier(e)) return null;
  const b = ctx.scopes.lookup(e.text, e);
  return b && b.kind === 'class' && b.cls !== cls ? b.cls : null;
}

/**
 * The one value a class field holds: `readonly baseUrl = '…'`, `private apiKey = '…'`, a constructor parameter
 * property with a default, or a single `this.baseUrl = '…'` in the class (base classes of this file included). A
 * field written in more than one place (`setBaseUrl(u) { this.baseUrl = u }`) has no one value.
 */
export function thisFieldValue(ctx: FactContext, expr: ts.Expression): ts.Expression | undefined {
  const e = unwrap(expr);
  if (!ts.isPropertyAccessExpression(e) || e.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const name = e.name.text;
  let cls = classOfThis(e);
  for (let level = 0; cls && level < MAX_FOLLOW; level++, cls = baseClassOf(ctx, cls)) {
    const writes: ts.Expression[] = [];
    let declared = false;
    for (const m of cls.members) {
      if (ts.isPropertyDeclaration(m) && propertyNameText(m.name) === name) {
        declared = true;
        if (m.initializer) writes.push(m.initializer);
      }
      if (ts.isConstructorDeclaration(m)) {
        for (const p of m.parameters) {
          if (ts.isIdentifier(p.name) && p.name.text === name && ts.canHaveModifiers(p) && ts.getModifiers(p)?.length) {
            declared = true;
            writes.push(p.initializer ?? p.name); // a parameter without a default is whatever the caller passes
          }
        }
      }
    }
    writes.push(...thisWrites(cls, name));
    if (writes.length > 0 || declared) return writes.length === 1 ? writes[0] : undefined;
  }
  return undefined;
}

/** Right-hand sides of `this.name = …` inside a class (not inside nested classes). */
function thisWrites(cls: ts.ClassLikeDeclaration, name: string): ts.Expression[] {
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      const left = unwrap(n.left);
      if (ts.isPropertyAccessExpression(left) && left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === name) out.push(n.right);
    }
    if (ts.isClassLike(n) && n !== cls) return;
    ts.forEachChild(n, visit);
  };
  for (const m of cls.members) visit(m);
  return out;
}

/**
 * `query ? `?${new URLSearchParams(query)}` : ''` (inline or in a local const): a suffix that exists only when the
 * caller passes `query`, so a wrapper's call site without it has no such piece.
 */
function optionalOn(ctx: FactContext, e: ts.Expression, fn: FunctionLike | undefined, depth: number): ParamRef | undefined {
  if (!fn) return undefined;
  let cond = e;
  if (ts.isIdentifier(e) && depth < MAX_FOLLOW) {
    const b = ctx.scopes.lookup(e.text, e);
    if (!b || b.kind !== 'var' || !b.isConst || !b.init || !isInside(b.decl, fn)) return undefined;
    cond = unwrap(b.init);
  }
  if (!ts.isConditionalExpression(cond)) return undefined;
  const whenFalse = unwrap(cond.whenFalse);
  if (!ts.isStringLiteralLike(whenFalse) || whenFalse.text !== '') return undefined;
  return paramRefOf(ctx, cond.condition, fn);
}

function holeOrParts(ctx: FactContext, expr: ts.Expression, fn: FunctionLike | undefined, depth: number): UrlPart[] {
  const u = unwrap(expr);
  if (ts.isStringLiteralLike(u) || ts.isTemplateExpression(u)) return urlParts(ctx, u, fn, depth) ?? [hole(ctx, expr)];
  return holeParts(ctx, expr, fn, depth);
}

function hole(ctx: FactContext, expr: ts.Expression): UrlPart {
  const text = expr.getText(ctx.sf);
  return { hole: text, name: holeName(text) };
}

function mergeLiterals(parts: UrlPart[]): UrlPart[] {
  const out: UrlPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if ('literal' in p && last && 'literal' in last) out[out.length - 1] = { literal: last.literal + p.literal };
    else out.push(p);
  }
  return out.filter((p, i) => !('literal' in p) || p.literal !== '' || out.length === 1 || i === 0);
}

/** The source text a person reads for a URL argument: a string's value, a template without its backticks. */
export function urlDisplayText(expr: ts.Expression, sf: ts.SourceFile): string {
  const e = unwrap(expr);
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isTemplateExpression(e)) return e.getText(sf).slice(1, -1);
  return expr.getText(sf);
}

/**
 * A property of an object literal by name (`method`, `headers`, ...), following a const object and, from the
 * last property back, spreads of const objects (`{ ...shared, body }` takes `shared.method`).
 */
export function getProp(ctx: FactContext, obj: ts.Expression | undefined, name: string, depth = 0): ts.Expression | undefined {
  if (!obj || depth > MAX_FOLLOW) return undefined;
  const o = followConst(ctx, obj);
  if (!ts.isObjectLiteralExpression(o)) return undefined;
  for (let i = o.properties.length - 1; i >= 0; i--) {
    const p = o.properties[i];
    if (ts.isPropertyAssignment(p) && propertyNameText(p.name) === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
    if (ts.isMethodDeclaration(p) && propertyNameText(p.name) === name) return p as unknown as ts.Expression;
    if (ts.isSpreadAssignment(p)) {
      const spread = followConst(ctx, p.expression);
      // Only a const object literal is known; a spread parameter (`...init`) is the caller's, read at call sites.
      if (ts.isObjectLiteralExpression(spread)) {
        const v = getProp(ctx, spread, name, depth + 1);
        if (v) return v;
      }
    }
  }
  return undefined;
}

export function hasProp(ctx: FactContext, obj: ts.Expression | undefined, name: string): boolean {
  return getProp(ctx, obj, name) !== undefined;
}

/** A string value known statically: literal, template without holes, or a const of one. */
export function staticString(ctx: FactContext, expr: ts.Expression | undefined): string | null {
  if (!expr) return null;
  const e = followConst(ctx, expr);
  return ts.isStringLiteralLike(e) ? e.text : null;
}

export interface HeaderFact {
  name: string;
  valueText: string;
  value: ts.Expression;
}

/** Headers of a `headers:` value: an object literal, `new Headers({...})`, a const of either, spreads followed. */
export function headersOf(ctx: FactContext, expr: ts.Expression | undefined, depth = 0): HeaderFact[] {
  if (!expr || depth > MAX_FOLLOW) return [];
  let e = followConst(ctx, expr);
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Headers' && e.arguments?.length) e = followConst(ctx, e.arguments[0]);
  const out: HeaderFact[] = [];
  if (ts.isObjectLiteralExpression(e)) {
    for (const p of e.properties) {
      if (ts.isPropertyAssignment(p)) {
        const name = propertyNameText(p.name);
        if (name) out.push({ name, valueText: p.initializer.getText(ctx.sf), value: p.initializer });
      } else if (ts.isShorthandPropertyAssignment(p)) {
        out.push({ name: p.name.text, valueText: p.name.text, value: p.name });
      } else if (ts.isSpreadAssignment(p)) {
        out.push(...headersOf(ctx, p.expression, depth + 1));
      }
    }
  } else if (ts.isArrayLiteralExpression(e)) {
    for (const pair of e.elements) {
      if (ts.isArrayLiteralExpression(pair) && pair.elements.length === 2 && ts.isStringLiteralLike(pair.elements[0])) {
        out.push({ name: pair.elements[0].text, valueText: pair.elements[1].getText(ctx.sf), value: pair.elements[1] });
      }
    }
  }
  return out;
}

/** Fields of an object literal (body, params, auth), spreads followed; `JSON.stringify({...})` and `new URLSearchParams({...})` unwrapped. */
export function fieldsOf(ctx: FactContext, expr: ts.Expression | undefined): HeaderFact[] {
  if (!expr) return [];
  let e = followConst(ctx, expr);
  if (ts.isCallExpression(e) && e.expression.getText(ctx.sf) === 'JSON.stringify' && e.arguments.length) e = followConst(ctx, e.arguments[0]);
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URLSearchParams' && e.arguments?.length) e = followConst(ctx, e.arguments[0]);
  return headersOf(ctx, e);
}

/**
 * Where the value of a header, field or URL hole comes from. `process.env.X || 'sk-...'` gives two values:
 * both matter (an env var and a hard-coded fallback).
 */
export function credentialValues(ctx: FactContext, expr: ts.Expression, depth = 0): CredentialValue[] {
  const e = unwrap(expr);
  // `max_tokens: 300`, `stream: true`: numbers, booleans and null are never keys.
  if (isNonStringPrimitive(e)) return [];
  const env = envRead(ctx, e);
  if (env) return [env];
  if (ts.isStringLiteralLike(e)) {
    const lit = stripScheme(e.text);
    return lit === '' ? [] : [{ source: 'literal', literal: e.text }];
  }
  if (ts.isTemplateExpression(e)) {
    const out: CredentialValue[] = [];
    for (const span of e.templateSpans) out.push(...credentialValues(ctx, span.expression, depth + 1));
    if (out.length === 0) {
      const literal = e.head.text + e.templateSpans.map((s) => s.literal.text).join('');
      if (stripScheme(literal) !== '') out.push({ source: 'literal', literal });
    }
    return out;
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.PlusToken) {
      return [...credentialValues(ctx, e.left, depth + 1), ...credentialValues(ctx, e.right, depth + 1)];
    }
  }
  if (ts.isConditionalExpression(e)) return [...credentialValues(ctx, e.whenTrue, depth + 1), ...credentialValues(ctx, e.whenFalse, depth + 1)];
  // `private readonly apiKey = '…'` read as `this.apiKey`: the field's one value, like a const.
  const field = depth < MAX_FOLLOW ? thisFieldValue(ctx, e) : undefined;
  if (field && ts.isPropertyAccessExpression(e)) {
    const init = unwrap(field);
    const declared = ts.isStringLiteralLike(init) ? init : undefined;
    const followed = credentialValues(ctx, field, depth + 1).map((v) => (v.source === 'literal' && v.valueName === undefined ? { ...v, valueName: e.name.text, declared } : v));
    if (followed.length) return followed;
  }
  // `(document.getElementById('k') as HTMLInputElement).value`: casts and `!` say nothing about the source.
  const text = e.getText(ctx.sf).replace(/(?<!\s)\s+as\s+[A-Za-z_$][\w$.]*(?:<[^>]*>)?/g, '').replace(/!(?=[.)])/g, '').replace(/\s+/g, '');
  if (USER_INPUT_HINT.test(text)) return [{ source: 'user-input' }];
  if (ts.isIdentifier(e)) {
    const b = ctx.scopes.lookup(e.text, e);
    if (b && b.kind === 'var' && b.init && depth < MAX_FOLLOW) {
      const init = unwrap(b.init);
      if (isNonStringPrimitive(init)) return [];
      // `const API_KEY = '…'` used in a URL or header: the literal is where the key sits and what a fix edits.
      const declared = ts.isStringLiteralLike(init) ? init : undefined;
      const followed = credentialValues(ctx, b.init, depth + 1).map((v) => (v.source === 'literal' && v.valueName === undefined ? { ...v, valueName: e.text, declared } : v));
      if (followed.length) return followed;
      if (isUseStateOf(b.init) && /key|token/i.test(e.text)) return [{ source: 'user-input' }];
      return SESSION_NAME.test(e.text) ? [{ source: 'session' }] : [{ source: 'unknown' }];
    }
    if (b && b.kind === 'other' && depth < MAX_FOLLOW) {
      // `const [apiKey, setApiKey] = useState('')`: typed in by the user.
      const decl = findAncestor(b.node, ts.isVariableDeclaration);
      if (decl?.initializer && isUseStateOf(decl.initializer) && /key|token/i.test(e.text)) return [{ source: 'user-input' }];
      if (decl?.initializer && SESSION_HINT.test(decl.initializer.getText(ctx.sf))) return [{ source: 'session' }];
    }
    if (b && b.kind === 'param') {
      if (USER_KEY_NAME.test(e.text)) return [{ source: 'user-input' }];
      if (SESSION_NAME.test(e.text)) return [{ source: 'session' }];
      return [{ source: 'unknown' }];
    }
    if (SESSION_NAME.test(e.text)) return [{ source: 'session' }];
    return [{ source: 'unknown' }];
  }
  if (SESSION_HINT.test(text)) return [{ source: 'session' }];
  if (ts.isPropertyAccessExpression(e) && SESSION_NAME.test(e.name.text)) return [{ source: 'session' }];
  if (ts.isCallExpression(e) && depth < MAX_FOLLOW) {
    // `btoa(`${user}:${pass}`)`, `String(key)`: look inside.
    const inner = e.arguments.flatMap((a) => credentialValues(ctx, a, depth + 1));
    if (inner.some((v) => v.source !== 'unknown')) return inner;
  }
  return [{ source: 'unknown' }];
}

function isNonStringPrimitive(e: ts.Expression): boolean {
  if (ts.isPrefixUnaryExpression(e)) return isNonStringPrimitive(e.operand);
  return (
    ts.isNumericLiteral(e) ||
    ts.isBigIntLiteral(e) ||
    e.kind === ts.SyntaxKind.TrueKeyword ||
    e.kind === ts.SyntaxKind.FalseKeyword ||
    e.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isIdentifier(e) && e.text === 'undefined')
  );
}

function isUseStateOf(init: ts.Expression): boolean {
  const u = unwrap(init);
  return ts.isCallExpression(u) && /(?:^|\.)use(?:State|Ref|LocalStorage)$/.test(u.expression.getText());
}

function stripScheme(s: string): string {
  return s.replace(/^\s*(?:Bearer|Basic|Token|Bot)\s*/i, '').trim();
}

/** `process.env.X`, `process.env['X']`, `import.meta.env.X`, `Deno.env.get('X')`, `Bun.env.X`, `$env/...` imports. */
export function envRead(ctx: FactContext, expr: ts.Expression): CredentialValue | null {
  const e = unwrap(expr);
  const nameOf = (n: ts.Expression): string | null => {
    if (ts.isPropertyAccessExpression(n)) return n.name.text;
    if (ts.isElementAccessExpression(n) && ts.isStringLiteralLike(n.argumentExpression)) return n.argumentExpression.text;
    return null;
  };
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const name = nameOf(e);
    const owner = unwrap(e.expression).getText(ctx.sf).replace(/\s+/g, '');
    if (name) {
      if (owner === 'process.env') return { source: 'env', envName: name, envAccess: 'process.env' };
      if (owner === 'import.meta.env') return { source: 'env', envName: name, envAccess: 'import.meta.env' };
      if (owner === 'Bun.env') return { source: 'env', envName: name, envAccess: 'Bun.env' };
      if (ts.isIdentifier(unwrap(e.expression))) {
        const b = ctx.scopes.lookup(owner, e);
        if (b && b.kind === 'import' && b.module.startsWith('$env/')) return { source: 'env', envName: name, envAccess: b.module };
      }
    }
  }
  if (ts.isCallExpression(e) && e.arguments.length === 1 && ts.isStringLiteralLike(e.arguments[0])) {
    const callee = e.expression.getText(ctx.sf).replace(/\s+/g, '');
    if (callee === 'Deno.env.get') return { source: 'env', envName: e.arguments[0].text, envAccess: 'Deno.env' };
  }
  if (ts.isIdentifier(e)) {
    const b = ctx.scopes.lookup(e.text, e);
    if (b && b.kind === 'import' && b.module.startsWith('$env/static/')) return { source: 'env', envName: b.imported, envAccess: b.module };
  }
  return null;
}

export type Placement = Credential['placement'];

/** Credentials in a list of header/field facts: auth-like names always, other names when the value is an env var. */
export function credentialsFromFields(ctx: FactContext, fields: HeaderFact[], placement: Placement, isCredentialName: (name: string) => boolean): Credential[] {
  const out: Credential[] = [];
  for (const f of fields) {
    const values = credentialValues(ctx, f.value);
    const named = isCredentialName(f.name);
    for (const v of values) {
      if (!named && v.source !== 'env' && !isSecretLiteral(v)) continue;
      if (v.source === 'unknown' && !named) continue;
      out.push(toCredential(ctx, v, placement, f.value, f.name));
    }
  }
  return out;
}

export function toCredential(ctx: FactContext, v: CredentialValue, placement: Placement, node: ts.Node, field?: string): Credential {
  const at = v.declared ?? node;
  const c: Credential = { source: v.source, placement, text: at.getText(ctx.sf), span: spanOf(at, ctx.sf) };
  if (field !== undefined) c.field = field;
  if (v.envName !== undefined) c.envName = v.envName;
  if (v.envAccess !== undefined) c.envAccess = v.envAccess;
  if (v.literal !== undefined) c.literal = v.literal;
  if (v.valueName !== undefined) c.valueName = v.valueName;
  return c;
}

/** A literal that is a key whatever field carries it: read from a constant named like one (`API_KEY`), or secret-shaped itself. */
function isSecretLiteral(v: CredentialValue): boolean {
  if (v.source !== 'literal' || v.literal === undefined) return false;
  return (v.valueName !== undefined && isSecretName(v.valueName)) || isSecretValue(v.literal);
}

export function isAuthHeader(name: string): boolean {
  return AUTH_HEADER.test(name);
}

export function isCredentialField(name: string): boolean {
  return CREDENTIAL_FIELD.test(name) && !NOT_CREDENTIAL_FIELD.test(name);
}

/** Credentials in a URL: env vars anywhere in it, and credential-named query parameters (`?key=...`). */
export function credentialsInUrl(ctx: FactContext, expr: ts.Expression): Credential[] {
  const out: Credential[] = [];
  const e = unwrap(expr);
  const visitHole = (hole: ts.Expression, precedingLiteral: string): void => {
    const q = /[?&]([\w.-]+)=$/.exec(precedingLiteral);
    for (const v of credentialValues(ctx, hole)) {
      if (v.source === 'env' || (q && isCredentialField(q[1]) && v.source !== 'unknown') || isSecretLiteral(v)) {
        out.push(toCredential(ctx, v, q ? 'query' : 'url', hole, q?.[1]));
      } else if (q && isCredentialField(q[1])) {
        out.push(toCredential(ctx, v, 'query', hole, q[1]));
      }
    }
  };
  const literalQuery = (lit: string, node: ts.Node): void => {
    for (const m of lit.matchAll(/[?&]([\w.-]+)=([^&#]+)/g)) {
      if (isCredentialField(m[1])) out.push(toCredential(ctx, { source: 'literal', literal: decodeSafe(m[2]) }, 'query', node, m[1]));
    }
  };
  if (ts.isTemplateExpression(e)) {
    let before = e.head.text;
    literalQuery(e.head.text, e);
    for (const span of e.templateSpans) {
      visitHole(span.expression, before);
      before = span.literal.text;
      literalQuery(span.literal.text, e);
    }
  } else if (ts.isStringLiteralLike(e)) {
    literalQuery(e.text, e);
  } else if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = unwrap(e.left);
    visitHole(e.right, ts.isStringLiteralLike(left) ? left.text : '');
    out.push(...credentialsInUrl(ctx, e.left));
  } else if (ts.isIdentifier(e)) {
    const followed = followConst(ctx, e);
    if (followed !== e) out.push(...credentialsInUrl(ctx, followed));
  }
  return out;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // malformed escapes: keep the text as written
  }
}

export function isAwaited(call: ts.CallExpression): boolean {
  let cur: ts.Node = call;
  for (;;) {
    const p = cur.parent;
    if (ts.isAwaitExpression(p)) return true;
    if (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isNonNullExpression(p)) cur = p;
    else if (ts.isPropertyAccessExpression(p) && p.expression === cur && ts.isCallExpression(p.parent) && p.parent.expression === p) cur = p.parent;
    else return false;
  }
}

export function enclosingFunction(node: ts.Node): FunctionLike | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFunctionLike(n)) return n;
  return undefined;
}

/** A person's name for a function: its own, the variable or property it is assigned to, `Class.method`. */
export function functionName(fn: FunctionLike, sf: ts.SourceFile): string | null {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.text;
  if (ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn)) {
    const name = propertyNameText(fn.name) ?? fn.name.getText(sf);
    const cls = fn.parent;
    if ((ts.isClassDeclaration(cls) || ts.isClassExpression(cls)) && cls.name) return `${cls.name.text}.${name}`;
    const objOwner = ts.isObjectLiteralExpression(cls) ? ownerName(cls, sf) : null;
    return objOwner ? `${objOwner}.${name}` : name;
  }
  if (ts.isConstructorDeclaration(fn)) {
    const cls = fn.parent;
    return cls.name ? `${cls.name.text}.constructor` : 'constructor';
  }
  if (ts.isFunctionDeclaration(fn) && !fn.name) return 'default';
  const p = fn.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (ts.isPropertyAssignment(p)) {
    const name = propertyNameText(p.name);
    const owner = ts.isObjectLiteralExpression(p.parent) ? ownerName(p.parent, sf) : null;
    return name ? (owner ? `${owner}.${name}` : name) : null;
  }
  if (ts.isPropertyDeclaration(p)) {
    const name = propertyNameText(p.name);
    const cls = p.parent;
    return name ? ((ts.isClassDeclaration(cls) || ts.isClassExpression(cls)) && cls.name ? `${cls.name.text}.${name}` : name) : null;
  }
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) return p.left.getText(sf);
  if (ts.isExportAssignment(p)) return 'default';
  return null;
}

function ownerName(obj: ts.ObjectLiteralExpression, sf: ts.SourceFile): string | null {
  const p = obj.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (ts.isPropertyAssignment(p)) return propertyNameText(p.name);
  if (ts.isBinaryExpression(p)) return p.left.getText(sf);
  return null;
}

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

/** An `AbortController` whose `abort()` runs from a `setTimeout` in the same function: a hand-rolled timeout. */
export function hasAbortTimeoutNear(ctx: FactContext, call: ts.CallExpression): boolean {
  const fn = enclosingFunction(call);
  const text = (fn?.body ?? ctx.sf).getText(ctx.sf);
  return /new\s+AbortController\s*\(/.test(text) && /setTimeout\s*\([\s\S]*?\.abort\s*\(/.test(text);
}

export function initHasTimeout(ctx: FactContext, obj: ts.Expression | undefined): boolean {
  if (!obj) return false;
  if (hasProp(ctx, obj, 'signal') || hasProp(ctx, obj, 'timeout')) return true;
  return /AbortSignal\s*\.\s*timeout\s*\(/.test(obj.getText(ctx.sf));
}

/**
 * Timers: the call sits in a `setInterval` callback (inline, or a named function passed to it), or in a
 * function that reschedules itself with `setTimeout`.
 */
export function collectTimerFunctions(ctx: FactContext): { callbacks: Set<ts.Node>; names: Set<string> } {
  const callbacks = new Set<ts.Node>();
  const names = new Set<string>();
  for (const n of nodesInOrder(ctx.sf)) {
    if (ts.isCallExpression(n) && isTimerCallee(n.expression)) {
      const callee = n.expression.getText(ctx.sf).replace(/^(?:window|globalThis|self)\./, '');
      const first = n.arguments[0];
      if (first && (callee === 'setInterval' || callee === 'setTimeout')) {
        const target = unwrap(first);
        if (callee === 'setInterval') {
          if (ts.isArrowFunction(target) || ts.isFunctionExpression(target)) {
            callbacks.add(target);
            calledNames(target.body).forEach((x) => names.add(x));
          } else {
            names.add(target.getText(ctx.sf));
          }
        } else {
          // setTimeout(poll, ms) inside poll itself → poll reschedules itself.
          const scheduled = ts.isArrowFunction(target) || ts.isFunctionExpression(target) ? calledNames(target.body) : [target.getText(ctx.sf)];
          for (let f = enclosingFunction(n); f; f = enclosingFunction(f)) {
            const name = functionName(f, ctx.sf);
            if (name && scheduled.includes(name.split('.').pop()!)) names.add(name);
          }
        }
      }
    }
  }
  return { callbacks, names };
}

function isTimerCallee(e: ts.Expression): boolean {
  const name = ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : '';
  return name === 'setInterval' || name === 'setTimeout';
}

function calledNames(body: ts.Node): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) out.push(n.expression.text);
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.expression.kind === ts.SyntaxKind.ThisKeyword) out.push(n.expression.name.text);
    ts.forEachChild(n, visit);
  };
  visit(body);
  return out;
}

export function isInTimer(call: ts.Node, sf: ts.SourceFile, timers: { callbacks: Set<ts.Node>; names: Set<string> }): boolean {
  for (let n: ts.Node | undefined = call.parent; n; n = n.parent) {
    if (!isFunctionLike(n)) continue;
    if (timers.callbacks.has(n)) return true;
    const name = functionName(n, sf);
    if (name && (timers.names.has(name) || timers.names.has(name.split('.').pop()!))) return true;
  }
  return false;
}

export { ignoredRulesAt } from '../rules/ignore-comments';
