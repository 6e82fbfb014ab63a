// Reads what a file sets on axios or an instance after creating it: `defaults` assignments and interceptors.
import ts from 'typescript';
import { lineOf, type DetectorState } from './detector-state';
import { templateText, addInstanceHeaders } from './client-definitions';
import { urlParts } from './url-parts';
import { headersOf, type HeaderFact } from './facts';
import type { HttpDefinition, HttpShape } from './detection-types';
import { shapeOf, memberOf } from './shapes';
import { unwrap } from '../parse/scope';

/** `api.defaults.headers.common['Authorization'] = ...`, `api.defaults.timeout = ...`, interceptors. */
export function applyDefaults(st: DetectorState, assignments: ts.BinaryExpression[], calls: ts.CallExpression[]): void {
  for (const a of assignments) {
    const chain = accessChain(a.left);
    if (!chain) continue;
    const at = chain.names.indexOf('defaults');
    if (at === -1) continue;
    const def = defaultsTarget(st, chain.root, chain.names.slice(0, at));
    if (!def) continue;
    const rest = chain.names.slice(at + 1);
    if (rest[0] === 'timeout' || rest[0] === 'signal') def.hasTimeout = true;
    else if (rest[0] === 'validateStatus') def.hasErrorHandling = true;
    else if (rest[0] === 'baseURL') def.baseURL = templateText(urlParts(st.fx, a.right, undefined), a.right.getText(st.sf));
    else if (rest[0] === 'headers') {
      const name = rest.filter((n) => n !== 'headers' && !/^(?:common|get|post|put|patch|delete)$/.test(n)).pop();
      if (name) addInstanceHeaders(st, def, [{ name, valueText: a.right.getText(st.sf), value: a.right }]);
      else addInstanceHeaders(st, def, headersOf(st.fx, a.right));
    }
  }
  for (const c of calls) {
    const callee = c.expression;
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'use') continue;
    const chain = accessChain(callee.expression);
    if (!chain || chain.names.length < 2) continue;
    const [kind, which] = chain.names.slice(-2);
    if (kind !== 'interceptors') continue;
    const def = defaultsTarget(st, chain.root, chain.names.slice(0, -2));
    if (!def) continue;
    if (which === 'response' && c.arguments.length >= 2) def.hasErrorHandling = true;
    if (which === 'request' && c.arguments[0]) readInterceptor(st, def, c.arguments[0]);
  }
}

function defaultsTarget(st: DetectorState, root: ts.Expression, names: string[]): HttpDefinition | null {
  let expr: ts.Expression = root;
  let shape: HttpShape | null = shapeOf(st, expr);
  for (const n of names) {
    if (!shape) return null;
    shape = memberOf(st, expr, n, 0);
    expr = root; // deeper chains are resolved through the shape's members
  }
  if (!shape) return null;
  if (shape.kind === 'instance') return shape.def;
  if (shape.kind === 'axios' || shape.kind === 'axios-module') {
    st.axiosDefaults ??= { kind: 'instance', name: 'axios.defaults', file: st.rel, line: lineOf(st, root.getStart(st.sf)), client: 'axios', baseURL: null, headers: [], credentials: [], hasTimeout: false, hasErrorHandling: false, depth: 0 };
    return st.axiosDefaults;
  }
  return null;
}

/** Request interceptors usually set the auth header: `config.headers.Authorization = `Bearer ${token}``. */
function readInterceptor(st: DetectorState, def: HttpDefinition, fn: ts.Expression): void {
  const f = unwrap(fn);
  if (!ts.isArrowFunction(f) && !ts.isFunctionExpression(f)) return;
  const headers: HeaderFact[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const chain = accessChain(n.left);
      const at = chain ? chain.names.indexOf('headers') : -1;
      if (chain && at !== -1) {
        const name = chain.names.slice(at + 1).filter((x) => !/^(?:common)$/.test(x)).pop();
        if (name) headers.push({ name, valueText: n.right.getText(st.sf), value: n.right });
        else headers.push(...headersOf(st.fx, n.right));
      }
    }
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^(?:set|append)$/.test(n.expression.name.text) && /headers$/i.test(n.expression.expression.getText(st.sf))) {
      const [k, v] = n.arguments;
      if (k && v && ts.isStringLiteralLike(k)) headers.push({ name: k.text, valueText: v.getText(st.sf), value: v });
    }
    ts.forEachChild(n, visit);
  };
  visit(f.body);
  addInstanceHeaders(st, def, headers);
}

/** `a.b.c` / `a['b'].c` → root `a`, names `['b', 'c']`. */
function accessChain(expr: ts.Expression): { root: ts.Expression; names: string[] } | null {
  const names: string[] = [];
  let e = unwrap(expr);
  for (;;) {
    if (ts.isPropertyAccessExpression(e)) {
      names.unshift(e.name.text);
      e = unwrap(e.expression);
    } else if (ts.isElementAccessExpression(e) && ts.isStringLiteralLike(e.argumentExpression)) {
      names.unshift(e.argumentExpression.text);
      e = unwrap(e.expression);
    } else break;
  }
  return names.length ? { root: e, names } : null;
}
