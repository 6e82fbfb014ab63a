// Splits a URL expression into literal pieces and holes (the parameters a wrapper's callers fill in), and the URL text a person reads.
import ts from 'typescript';
import { paramRefOf, thisFieldValue, isInside, type FactContext } from './facts';
import { MAX_FOLLOW } from './follow-limit';
import { unwrap, type FunctionLike } from '../parse/scope';
import { holeName, type UrlPart, type ParamRef } from './url';

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
