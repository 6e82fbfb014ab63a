// Works out what a name or expression stands for as far as HTTP goes: fetch, axios, an instance, a wrapper, a library export, an object or class holding them.
import ts from 'typescript';
import { MAX_EVAL_DEPTH, unwrapParens, formOf, libraryValue, type DetectorState } from './detector-state';
import type { HttpShape } from './detection-types';
import { unwrap, requiredModule, isFunctionLike, propertyNameText, type FunctionLike } from '../parse/scope';
import { classOfThis, baseClassOf } from './facts';
import { instanceFromCreate, derivedDef, chainedDef, libraryClientDef, endpointsApiDef, fetchLikeDef } from './client-definitions';
import type { LibraryModel } from '../model/libraries';
import { chainStep } from './library-calls';

/** Packages whose default or `fetch` export is a fetch function. */
export const FETCH_MODULES: ReadonlySet<string> = new Set(['node-fetch', 'cross-fetch', 'isomorphic-fetch', 'undici']);

export function shapeOf(st: DetectorState, expr: ts.Expression, depth = 0): HttpShape | null {
  if (depth > MAX_EVAL_DEPTH) return null;
  const e = unwrap(expr);
  const known = st.shapes.get(e);
  if (known !== undefined) return known;
  // Cycles (`const a = b; const b = a`) end at the depth limit with null, which is also their true answer.
  const shape = evaluate(st, e, depth);
  st.shapes.set(e, shape);
  return shape;
}

function evaluate(st: DetectorState, e: ts.Expression, depth: number): HttpShape | null {
  if (ts.isIdentifier(e)) return identifierShape(st, e, depth);
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const name = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : null;
    if (name === null) return null;
    const obj = unwrap(e.expression);
    if (ts.isIdentifier(obj) && name === 'fetch' && /^(?:window|globalThis|self|global)$/.test(obj.text) && !st.scopes.lookup(obj.text, obj)) return { kind: 'fetch' };
    if (obj.kind === ts.SyntaxKind.ThisKeyword) {
      const cls = classOfThis(e);
      return cls ? classMember(st, cls, name, depth + 1) : null;
    }
    return memberOf(st, obj, name, depth + 1);
  }
  if (ts.isCallExpression(e)) {
    const mod = requiredModule(e);
    if (mod !== null) return moduleShape(st, mod, '*', null, true);
    if (ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'create') {
      const base = shapeOf(st, e.expression.expression, depth + 1);
      if (base && (base.kind === 'axios' || base.kind === 'axios-module')) return { kind: 'instance', def: instanceFromCreate(st, e) };
    }
    return callShape(st, e, depth);
  }
  if (ts.isNewExpression(e)) {
    const cls = shapeOf(st, e.expression, depth + 1);
    return cls && cls.kind === 'object' ? cls : null;
  }
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
    const def = st.wrappers.get(e);
    return def ? { kind: 'wrapper', def } : null;
  }
  if (ts.isObjectLiteralExpression(e)) return objectShape(st, e, depth + 1);
  if (ts.isClassExpression(e)) return classShape(st, e, depth + 1);
  return null;
}

function identifierShape(st: DetectorState, id: ts.Identifier, depth: number): HttpShape | null {
  const b = st.scopes.lookup(id.text, id);
  if (!b) {
    if (id.text === 'fetch') return { kind: 'fetch' };
    const g = st.ctx.libraryGlobals?.[id.text];
    const model = g ? st.libs.model(g.model) : undefined;
    return model ? libraryExportShape(st, model, g!.export, id.text) : null;
  }
  switch (b.kind) {
    case 'import':
      return moduleShape(st, b.module, b.imported, id.text, false);
    case 'require':
      return moduleShape(st, b.module, b.imported, id.text, true);
    case 'var': {
      if (!b.init) return null;
      // node-fetch v3 from CommonJS: `const fetch = (...a) => import('node-fetch').then(({ default: f }) => f(...a))`
      if (id.text === 'fetch' && /import\(\s*['"](?:node-fetch|cross-fetch|undici)['"]\s*\)/.test(b.init.getText(st.sf))) return { kind: 'fetch' };
      return shapeOf(st, b.init, depth + 1);
    }
    case 'function': {
      const def = st.wrappers.get(b.fn);
      return def ? { kind: 'wrapper', def } : null;
    }
    case 'class':
      return classShape(st, b.cls, depth + 1);
    case 'param': {
      // `(url, httpClient = fetchJson) => ...`: the default is what the code calls when none is passed.
      const decl = b.node.parent;
      const init = ts.isParameter(decl) || ts.isBindingElement(decl) ? decl.initializer : undefined;
      const fromDefault = init ? shapeOf(st, init, depth + 1) : null;
      if (fromDefault) return fromDefault;
      // SvelteKit's `load({ fetch })`, `GET({ fetch })` and helpers handed that `fetch` make real requests; a
      // parameter typed as something else (`fetch: (key: string) => Item`) is another function.
      if (id.text === 'fetch' && !init) {
        const type = ts.isParameter(decl) ? decl.type : undefined;
        if (!type || /\bfetch\b|Fetch/.test(type.getText(st.sf))) return { kind: 'fetch' };
      }
      return null;
    }
    default:
      return null; // any other local shadows a global or import of the same name
  }
}

function moduleShape(st: DetectorState, module: string, imported: string, local: string | null, viaRequire: boolean): HttpShape | null {
  if (FETCH_MODULES.has(module)) {
    if (imported === 'fetch' || imported === 'default') return { kind: 'fetch' };
    if (imported === '*') return viaRequire && module !== 'undici' ? { kind: 'fetch' } : { kind: 'object', members: { fetch: { kind: 'fetch' }, default: { kind: 'fetch' } } };
    return null;
  }
  if (module === 'axios') {
    if (imported === 'default' || imported === 'axios') return { kind: 'axios' };
    if (imported === '*') return viaRequire ? { kind: 'axios' } : { kind: 'axios-module' };
    return null;
  }
  const model = st.libs.modelOf(module);
  if (model) {
    // `import useSWRMutation from 'swr/mutation'`: a sub-path's default export is a named export of the model.
    if (imported === 'default' && model.defaults?.[module]) return libraryExportShape(st, model, model.defaults[module], local ?? imported);
    if (imported !== '*') return libraryExportShape(st, model, imported, local ?? imported);
    const members: Record<string, HttpShape> = {};
    for (const name of Object.keys(model.exports)) {
      const m = libraryExportShape(st, model, name, name);
      if (m) members[name] = m;
    }
    // `require('ky')` is the default export itself.
    if (viaRequire && members.default) return members.default;
    return { kind: 'object', members };
  }
  if (local === null) return null;
  return st.ctx.externals?.[local] ?? null;
}

/** A library export: a client (`ky`, `$fetch`) is an instance of its form; anything else is named for later calls. */
function libraryExportShape(st: DetectorState, model: LibraryModel, exported: string, local: string): HttpShape | null {
  const value = model.exports[exported];
  if (!value) return null;
  if (value.is !== 'client') return { kind: 'library', model: model.id, export: exported };
  const key = `${model.id}\0${exported}`;
  let def = st.libraryClients.get(key);
  if (!def) {
    def = { kind: 'instance', name: local, file: model.packages[0], line: 0, client: model.id, baseURL: null, headers: [], credentials: [], hasTimeout: false, hasErrorHandling: false, depth: 0, library: { model: model.id, export: exported } };
    st.libraryClients.set(key, def);
  }
  return { kind: 'instance', def };
}

function localFunction(st: DetectorState, id: ts.Identifier): FunctionLike | null {
  const b = st.scopes.lookup(id.text, id);
  if (b && b.kind === 'function') return b.fn;
  if (b && b.kind === 'var' && b.isConst && b.init) {
    const init = unwrap(b.init);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return null;
}

/** What a function returns, when it is a client (`function createInstance() { return axios.create(...) }`). */
export function returnShape(st: DetectorState, fn: FunctionLike, depth: number): HttpShape | null {
  if (depth > MAX_EVAL_DEPTH || !fn.body) return null;
  if (!ts.isBlock(fn.body)) return shapeOf(st, fn.body as ts.Expression, depth + 1);
  let found: HttpShape | null = null;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isReturnStatement(n) && n.expression) found = shapeOf(st, n.expression, depth + 1);
    else if (!isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return found;
}

/**
 * Calls whose result is a client: a library factory (`createFetch(opts)`, `wretch(base)`, `createApi(...)`), a
 * derived client (`ky.create`, `shop.extend`, `api.url('/x')`, `api.injectEndpoints`), a higher-order function
 * handed a client (`mem(fetchPage)`, `fetchRetry(fetch)`, `fetch.bind(window)`), or a local factory function.
 */
function callShape(st: DetectorState, e: ts.CallExpression, depth: number): HttpShape | null {
  const callee = unwrapParens(e.expression);
  // A chain step of a library client first: each step costs one level, so long chains stay within the limit.
  if (ts.isPropertyAccessExpression(callee)) {
    const base = shapeOf(st, callee.expression, depth + 1);
    if (base && base.kind === 'instance' && base.def.library) {
      const member = callee.name.text;
      const form = formOf(st, base.def);
      const endpoints = st.libs.model(base.def.library.model)?.exports[base.def.library.export];
      if (endpoints && endpoints.is === 'endpoints' && endpoints.endpoints.inject.includes(member)) return base;
      if (form && form.derive?.includes(member)) return { kind: 'instance', def: derivedDef(st, e, base.def, form, e.arguments[0]) };
      const step = form ? chainStep(st.fx, form, member, e.arguments) : null;
      return step ? { kind: 'instance', def: chainedDef(st, e, base.def, step) } : null;
    }
  }
  const calleeShape = shapeOf(st, callee, depth + 1);
  const lib = libraryValue(st, calleeShape);
  if (lib && lib.value.is === 'factory') return { kind: 'instance', def: libraryClientDef(st, e, lib.model, lib.export, lib.value.client, lib.value.optionsArg, lib.value.baseURLArg) };
  if (lib && lib.value.is === 'endpoints') return { kind: 'instance', def: endpointsApiDef(st, e, lib.model, lib.export) };
  if (calleeShape && calleeShape.kind === 'factory') return calleeShape.returns;
  // A local factory (`function createInstance() { return axios.create(...) }`): what it returns. Only worked out
  // here, where a call's result is wanted, not for every callee the detector looks at.
  if (!calleeShape && ts.isIdentifier(callee)) {
    const fn = localFunction(st, callee);
    const returns = fn ? returnShape(st, fn, depth + 1) : null;
    if (returns) return returns;
  }
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') {
    const base = shapeOf(st, callee.expression, depth + 1);
    if (base && (base.kind === 'fetch' || base.kind === 'wrapper' || base.kind === 'instance')) return base;
  }
  if (calleeShape) return null;
  // A higher-order function given a client returns one that makes the same request (memoize, retry, cookie jar).
  const first = e.arguments[0];
  if (!first || ts.isSpreadElement(first)) return null;
  const given = shapeOf(st, first, depth + 1);
  if (!given) return null;
  if (given.kind === 'fetch') return { kind: 'wrapper', def: fetchLikeDef(st, e) };
  if (given.kind === 'wrapper' || given.kind === 'instance' || given.kind === 'axios') return given;
  return null;
}

export function memberOf(st: DetectorState, obj: ts.Expression, name: string, depth: number): HttpShape | null {
  if (depth > MAX_EVAL_DEPTH) return null;
  let o = unwrap(obj);
  if (ts.isIdentifier(o)) {
    const b = st.scopes.lookup(o.text, o);
    if (b && b.kind === 'var' && b.init) o = unwrap(b.init);
  }
  if (ts.isObjectLiteralExpression(o)) {
    const v = objectMember(st, o, name, depth + 1);
    if (v) return v;
  }
  if (ts.isNewExpression(o)) {
    const cls = classOf(st, o.expression);
    if (cls) return classMember(st, cls, name, depth + 1);
  }
  const base = shapeOf(st, o, depth + 1);
  if (!base) return null;
  if (base.kind === 'axios-module' && name === 'default') return { kind: 'axios' };
  if (base.kind === 'object') return base.members[name] ?? null;
  return null;
}

function classOf(st: DetectorState, expr: ts.Expression): ts.ClassLikeDeclaration | null {
  const e = unwrap(expr);
  if (ts.isClassExpression(e)) return e;
  if (!ts.isIdentifier(e)) return null;
  const b = st.scopes.lookup(e.text, e);
  return b && b.kind === 'class' ? b.cls : null;
}

function objectMember(st: DetectorState, o: ts.ObjectLiteralExpression, name: string, depth: number): HttpShape | null {
  for (const p of o.properties) {
    if (propertyNameText(p.name as ts.PropertyName | undefined) !== name) continue;
    if (ts.isPropertyAssignment(p)) return shapeOf(st, p.initializer, depth);
    if (ts.isShorthandPropertyAssignment(p)) return shapeOf(st, p.name, depth);
    if (ts.isMethodDeclaration(p)) {
      const def = st.wrappers.get(p);
      return def ? { kind: 'wrapper', def } : null;
    }
  }
  return null;
}

function objectShape(st: DetectorState, o: ts.ObjectLiteralExpression, depth: number): HttpShape | null {
  const members: Record<string, HttpShape> = {};
  for (const p of o.properties) {
    const name = propertyNameText(p.name as ts.PropertyName | undefined);
    if (!name) continue;
    const v = objectMember(st, o, name, depth);
    if (v) members[name] = v;
  }
  return Object.keys(members).length ? { kind: 'object', members } : null;
}

/** `this.name` inside a class: a field initializer, a `this.name = ...` assignment anywhere in it, a method, or the same from the class it extends. */
function classMember(st: DetectorState, cls: ts.ClassLikeDeclaration, name: string, depth: number): HttpShape | null {
  if (depth > MAX_EVAL_DEPTH) return null;
  for (const m of cls.members) {
    if (propertyNameText(m.name) !== name) continue;
    if (ts.isMethodDeclaration(m)) {
      const def = st.wrappers.get(m);
      if (def) return { kind: 'wrapper', def };
    }
    if (ts.isPropertyDeclaration(m) && m.initializer) {
      const v = shapeOf(st, m.initializer, depth);
      if (v) return v;
    }
  }
  const assigned = thisAssignments(st, cls).get(name);
  if (assigned) return shapeOf(st, assigned, depth);
  // `class Api extends HttpClient`: `this.request(...)` is the base class's wrapper (generated OpenAPI clients).
  const base = baseClassOf(st.fx, cls);
  if (base) return classMember(st, base, name, depth + 1);
  const imported = importedBaseShape(st, cls, depth);
  return imported && imported.kind === 'object' ? (imported.members[name] ?? null) : null;
}

/** The shape of a base class another file defines (`class Api extends HttpClient` with `HttpClient` imported). */
function importedBaseShape(st: DetectorState, cls: ts.ClassLikeDeclaration, depth: number): HttpShape | null {
  const ext = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  return ext ? shapeOf(st, ext, depth + 1) : null;
}

export function classShape(st: DetectorState, cls: ts.ClassLikeDeclaration, depth: number): HttpShape | null {
  if (depth > MAX_EVAL_DEPTH) return null;
  const members: Record<string, HttpShape> = {};
  const names = new Set<string>([...cls.members.map((m) => propertyNameText(m.name)).filter((n): n is string => !!n), ...thisAssignments(st, cls).keys()]);
  for (const name of names) {
    const v = classMember(st, cls, name, depth);
    if (v) members[name] = v;
  }
  // Inherited members, so `new Api().request(...)` and an exported subclass carry the base class's wrappers.
  const baseCls = baseClassOf(st.fx, cls);
  const base = baseCls ? classShape(st, baseCls, depth + 1) : importedBaseShape(st, cls, depth);
  if (base && base.kind === 'object') for (const [k, v] of Object.entries(base.members)) if (!(k in members)) members[k] = v;
  return Object.keys(members).length ? { kind: 'object', members } : null;
}

function thisAssignments(st: DetectorState, cls: ts.ClassLikeDeclaration): Map<string, ts.Expression> {
  let map = st.classMembers.get(cls);
  if (map) return map;
  map = new Map();
  st.classMembers.set(cls, map);
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(n.left) && n.left.expression.kind === ts.SyntaxKind.ThisKeyword) {
      if (!map!.has(n.left.name.text)) map!.set(n.left.name.text, n.right);
    }
    if (ts.isClassLike(n) && n !== cls) return;
    ts.forEachChild(n, visit);
  };
  visit(cls);
  return map;
}
