// Reads the time facts of a request: a timeout on it (option, signal, hand-rolled abort) and whether it runs from a timer.
import ts from 'typescript';
import { enclosingFunction, hasProp, functionName, type FactContext } from './facts';
import { nodesInOrder } from '../parse/syntax-order';
import { unwrap, isFunctionLike } from '../parse/scope';

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
