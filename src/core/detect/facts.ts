// Reads the facts of one request out of the syntax tree: the shared readers that follow consts, parameters, class fields, object properties and headers, and name functions.
import ts from 'typescript';
import { unwrap, propertyNameText, isFunctionLike, type ScopeResolver, type FunctionLike } from '../parse/scope';
import type { Span } from '../model/types';
import type { ParamRef } from './url';
import { MAX_FOLLOW } from './follow-limit';

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

export { ignoredRulesAt } from '../rules/ignore-comments';
