// Finds the credentials a request carries (headers, fields, URL) and where each value comes from: env var, literal, session, user input.
import ts from 'typescript';
import type { CredentialSource, Credential } from '../model/types';
import { thisFieldValue, findAncestor, spanOf, followConst, type FactContext, type HeaderFact } from './facts';
import { MAX_FOLLOW } from './follow-limit';
import { unwrap } from '../parse/scope';
import { isSecretName, isSecretValue } from '../rules/secrets';

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
    const callee = unwrap(e.expression);
    // `Buffer.from(key).toString('base64')`, `key.trim()`: the value is the receiver's, not the method's arguments.
    if (ts.isPropertyAccessExpression(callee) && RECEIVER_METHODS.has(callee.name.text)) {
      const receiver = credentialValues(ctx, callee.expression, depth + 1);
      if (receiver.some((v) => v.source !== 'unknown')) return receiver;
    }
    // `btoa(`${user}:${pass}`)`, `String(key)`: an encoder passes its argument on, so look inside. Any other function
    // makes a value of its own (`getAuthHeader(url, 'GET')` signs a request): a key handed to it (an env var, a
    // literal named or shaped like one) still counts, a URL or a method name does not.
    const encodes = ENCODER.test(callee.getText(ctx.sf).replace(/\s+/g, ''));
    const inner = e.arguments.flatMap((a) => credentialValues(ctx, a, depth + 1)).filter((v) => encodes || v.source !== 'literal' || isSecretLiteral(v));
    if (inner.some((v) => v.source !== 'unknown')) return inner;
  }
  return [{ source: 'unknown' }];
}

/** Functions whose result is their argument, encoded: what goes in is what is sent. */
const ENCODER = /^(?:(?:window|globalThis|self)\.)?(?:btoa|String|encodeURIComponent|encodeURI|escape)$|^Buffer\.from$|^(?:Base64|base64)\.(?:encode|encodeURI|btoa)$/;
/** Methods of a string or buffer whose result is the receiver's value, reformatted. */
const RECEIVER_METHODS = new Set(['toString', 'trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'normalize']);

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
