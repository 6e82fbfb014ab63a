// Decides which calls are requests and through what: fetch, axios, an instance, a wrapper, a library client, hook or endpoint.
import ts from 'typescript';
import { unwrapParens, libraryValue, formOf, type DetectorState, type Target } from './detector-state';
import { shapeOf } from './shapes';
import { AXIOS_VERBS } from './axios';
import { unwrap, propertyNameText } from '../parse/scope';
import type { HttpDefinition } from './detection-types';

export function targetOf(st: DetectorState, call: ts.CallExpression): Target | null {
  const callee = unwrapParens(call.expression);
  const shape = shapeOf(st, callee);
  const lib = libraryValue(st, shape);
  if (lib && lib.value.is === 'request') return { kind: 'library-request', model: lib.model, export: lib.export };
  if (ts.isNewExpression(call)) return null; // only a library's constructor stands for a request
  if (shape && shape.kind === 'instance' && shape.def.library) return formOf(st, shape.def)?.callable ? { kind: 'library', def: shape.def, verb: null } : null;
  if (ts.isPropertyAccessExpression(callee)) {
    const base = shapeOf(st, callee.expression);
    if (base && base.kind === 'instance' && base.def.library) {
      const verbs = formOf(st, base.def)?.verbs;
      return verbs && Object.prototype.hasOwnProperty.call(verbs, callee.name.text) ? { kind: 'library', def: base.def, verb: callee.name.text } : null;
    }
    const endpoint = endpointTarget(st, callee);
    if (endpoint) return endpoint;
  }
  if (shape) {
    if (shape.kind === 'fetch') return { kind: 'fetch' };
    if (shape.kind === 'axios' || shape.kind === 'axios-module') return { kind: 'axios', verb: null, defaults: st.axiosDefaults };
    if (shape.kind === 'instance') return { kind: 'instance', def: shape.def, verb: null };
    if (shape.kind === 'wrapper') return { kind: 'wrapper', def: shape.def, configured: false };
  }
  if (ts.isPropertyAccessExpression(callee)) {
    const verb = callee.name.text;
    if (verb === 'request' || AXIOS_VERBS.has(verb)) {
      const base = shapeOf(st, callee.expression);
      if (base && (base.kind === 'axios' || base.kind === 'axios-module')) return { kind: 'axios', verb, defaults: st.axiosDefaults };
      if (base && base.kind === 'instance') return { kind: 'instance', def: base.def, verb };
    }
  }
  const configured = configuredWrapper(st, callee);
  return configured ? { kind: 'wrapper', def: configured, configured: true } : null;
}

/** RTK Query `build.query({ query })` inside `createApi({ endpoints: (build) => ({ … }) })` or `api.injectEndpoints(...)`. */
function endpointTarget(st: DetectorState, callee: ts.PropertyAccessExpression): Target | null {
  const builder = unwrap(callee.expression);
  if (!ts.isIdentifier(builder)) return null;
  const b = st.scopes.lookup(builder.text, builder);
  if (!b || b.kind !== 'param' || b.index !== 0) return null;
  const fn = b.fn;
  const prop = fn.parent;
  if (!ts.isPropertyAssignment(prop) || !ts.isObjectLiteralExpression(prop.parent)) return null;
  const config = prop.parent;
  const maker = config.parent;
  if (!ts.isCallExpression(maker) || maker.arguments[0] !== config) return null;
  let def: HttpDefinition | null = null;
  const made = shapeOf(st, maker);
  if (made && made.kind === 'instance' && made.def.library) def = made.def;
  if (!def) return null;
  const form = st.libs.model(def.library!.model)?.exports[def.library!.export];
  if (!form || form.is !== 'endpoints' || propertyNameText(prop.name) !== form.endpoints.endpoints) return null;
  return form.endpoints.kinds[callee.name.text] !== undefined ? { kind: 'endpoint', def, endpointKind: callee.name.text } : null;
}

function configuredWrapper(st: DetectorState, callee: ts.Expression): HttpDefinition | null {
  const names = st.ctx.wrappers;
  if (!names || names.length === 0) return null;
  const text = callee.getText(st.sf).replace(/\s+/g, '').replace(/\?\./g, '.').replace(/^this\./, '');
  const name = names.find((n) => text === n || text.endsWith('.' + n));
  if (!name) return null;
  const verb = name.split('.').pop()!.toLowerCase();
  return {
    kind: 'wrapper',
    name,
    file: '.vscode/settings.json',
    line: 0,
    client: 'wrapper',
    baseURL: null,
    headers: [],
    credentials: [],
    hasTimeout: false,
    hasErrorHandling: false,
    url: { text: 'url', parts: [{ hole: 'url', name: 'url', param: { index: 0 } }] },
    method: AXIOS_VERBS.has(verb) ? { value: verb.replace(/Form$/, '').toUpperCase() } : { param: { index: 1, prop: 'method' }, fallback: null },
    depth: 1,
  };
}
