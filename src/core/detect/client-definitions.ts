// Builds the definition of each client a file creates: axios.create, a library factory, a derived or chained client, an RTK Query API, a function made from fetch.
import ts from 'typescript';
import { lineOf, type DetectorState } from './detector-state';
import type { HttpDefinition } from './detection-types';
import { getProp, headersOf, fieldsOf, followConst, classOfThis, functionName, type HeaderFact } from './facts';
import { urlParts } from './url-parts';
import { credentialsFromFields, isCredentialField, isAuthHeader } from './credentials';
import { initHasTimeout } from './timing';
import type { LibraryModel, ClientForm } from '../model/libraries';
import { factoryDefaults } from './library-calls';
import type { Credential } from '../model/types';
import { propertyNameText, isFunctionLike, type FunctionLike } from '../parse/scope';
import { holeName, type UrlPart } from './url';

export function instanceFromCreate(st: DetectorState, create: ts.CallExpression): HttpDefinition {
  const known = st.instances.get(create);
  if (known) return known;
  const config = create.arguments[0];
  const def: HttpDefinition = {
    kind: 'instance',
    name: bindingName(create, st.sf),
    file: st.rel,
    line: lineOf(st, create.getStart(st.sf)),
    client: 'axios-instance',
    baseURL: null,
    headers: [],
    credentials: [],
    hasTimeout: false,
    hasErrorHandling: false,
    depth: 0,
  };
  st.instances.set(create, def);
  if (config) {
    const base = getProp(st.fx, config, 'baseURL');
    if (base) def.baseURL = templateText(urlParts(st.fx, base, undefined), base.getText(st.sf));
    const headerObj = getProp(st.fx, config, 'headers');
    const headers = [...headersOf(st.fx, headerObj), ...headersOf(st.fx, getProp(st.fx, headerObj, 'common'))].filter((h) => h.name !== 'common');
    addInstanceHeaders(st, def, headers);
    const params = fieldsOf(st.fx, getProp(st.fx, config, 'params'));
    def.credentials.push(...own(st, credentialsFromFields(st.fx, params, 'instance-default', isCredentialField)));
    const auth = fieldsOf(st.fx, getProp(st.fx, config, 'auth'));
    def.credentials.push(...own(st, credentialsFromFields(st.fx, auth, 'instance-default', () => true)));
    def.hasTimeout = initHasTimeout(st.fx, config);
    def.hasErrorHandling = getProp(st.fx, config, 'validateStatus') !== undefined;
  }
  return def;
}

/** `fetchRetry(fetch)`: a function called like fetch, named after what it is bound to. */
export function fetchLikeDef(st: DetectorState, e: ts.CallExpression): HttpDefinition {
  const known = st.instances.get(e);
  if (known) return known;
  const def: HttpDefinition = {
    kind: 'wrapper',
    name: bindingName(e, st.sf).replace(/^axios\.create\(\)$/, e.expression.getText(st.sf) + '(fetch)'),
    file: st.rel,
    line: lineOf(st, e.getStart(st.sf)),
    client: 'fetch',
    baseURL: null,
    headers: [],
    credentials: [],
    hasTimeout: false,
    hasErrorHandling: false,
    url: { text: 'url', parts: [{ hole: 'url', name: 'url', param: { index: 0 } }] },
    method: { param: { index: 1, prop: 'method' }, fallback: 'GET' },
    depth: 1,
  };
  st.instances.set(e, def);
  return def;
}

export function libraryClientDef(st: DetectorState, e: ts.CallExpression, model: LibraryModel, exported: string, form: ClientForm, optionsArg: number, baseURLArg?: number): HttpDefinition {
  const known = st.instances.get(e);
  if (known) return known;
  const d = factoryDefaults(st.fx, form, e.arguments, optionsArg, baseURLArg);
  // `wretch(base).addon(x).errorType('json')`: the chain as a whole is what gets a name.
  let named: ts.Expression = e;
  while (ts.isPropertyAccessExpression(named.parent) && ts.isCallExpression(named.parent.parent) && named.parent.parent.expression === named.parent) named = named.parent.parent;
  const def: HttpDefinition = {
    kind: 'instance',
    name: bindingName(named, st.sf).replace(/^axios\.create\(\)$/, `${exported === 'default' ? model.id : exported}()`),
    file: st.rel,
    line: lineOf(st, e.getStart(st.sf)),
    client: model.id,
    baseURL: d.baseURL,
    headers: [],
    credentials: [],
    hasTimeout: d.hasTimeout,
    hasErrorHandling: false,
    depth: 0,
    library: { model: model.id, export: exported },
  };
  st.instances.set(e, def);
  addInstanceHeaders(st, def, d.headers);
  return def;
}

/** `ky.create(opts)`, `shop.extend(opts)`: the base's defaults, then the new options' (a new base URL replaces). */
export function derivedDef(st: DetectorState, e: ts.CallExpression, base: HttpDefinition, form: ClientForm, options: ts.Expression | undefined): HttpDefinition {
  const known = st.instances.get(e);
  if (known) return known;
  const d = factoryDefaults(st.fx, form, options ? [options] : [], 0);
  const def: HttpDefinition = { ...base, name: bindingName(e, st.sf), file: st.rel, line: lineOf(st, e.getStart(st.sf)), baseURL: d.baseURL ?? base.baseURL, headers: [...base.headers], credentials: [...base.credentials], hasTimeout: base.hasTimeout || d.hasTimeout };
  st.instances.set(e, def);
  addInstanceHeaders(st, def, d.headers);
  return def;
}

/** wretch `.url('/x')`, `.headers({...})`: a client one step further down the chain. */
export function chainedDef(st: DetectorState, e: ts.CallExpression, base: HttpDefinition, step: { appendURL: string | null; headers: { name: string; valueText: string; value: ts.Expression }[] }): HttpDefinition {
  const known = st.instances.get(e);
  if (known) return known;
  if (step.appendURL === null && step.headers.length === 0) return base;
  const def: HttpDefinition = { ...base, headers: [...base.headers], credentials: [...base.credentials], baseURL: step.appendURL === null ? base.baseURL : (base.baseURL ?? '') + step.appendURL };
  st.instances.set(e, def);
  addInstanceHeaders(st, def, step.headers);
  return def;
}

/** RTK Query `createApi({ baseQuery: fetchBaseQuery({ baseUrl }) })`: the API, whose base URL every endpoint joins. */
export function endpointsApiDef(st: DetectorState, e: ts.CallExpression, model: LibraryModel, exported: string): HttpDefinition {
  const known = st.instances.get(e);
  if (known) return known;
  const form = model.exports[exported];
  const def: HttpDefinition = { kind: 'instance', name: bindingName(e, st.sf).replace(/^axios\.create\(\)$/, `${exported}()`), file: st.rel, line: lineOf(st, e.getStart(st.sf)), client: model.id, baseURL: null, headers: [], credentials: [], hasTimeout: false, hasErrorHandling: true, depth: 0, library: { model: model.id, export: exported } };
  st.instances.set(e, def);
  if (form.is === 'endpoints') {
    const bq = getProp(st.fx, e.arguments[0], form.endpoints.baseQuery.prop);
    const made = bq ? followConst(st.fx, bq) : undefined;
    if (made && ts.isCallExpression(made) && made.expression.getText(st.sf).endsWith(form.endpoints.baseQuery.factory)) {
      const d = factoryDefaults(st.fx, { options: { baseURL: [form.endpoints.baseQuery.baseURL], headers: 'headers' }, defaultMethod: 'GET' }, made.arguments, 0);
      def.baseURL = d.baseURL;
      def.hasTimeout = d.hasTimeout;
      addInstanceHeaders(st, def, d.headers);
    }
  }
  return def;
}

export function addInstanceHeaders(st: DetectorState, def: HttpDefinition, headers: HeaderFact[]): void {
  for (const h of headers) def.headers.push({ name: h.name, valueText: h.valueText });
  def.credentials.push(...own(st, credentialsFromFields(st.fx, headers, 'instance-default', isAuthHeader)));
}

/** A definition's credentials name its file: other files' calls go through it but the key sits here. */
function own(st: DetectorState, creds: Credential[]): Credential[] {
  return creds.map((c) => ({ ...c, file: st.rel }));
}

/** The name an `axios.create()` result is bound to: `api`, `clients.github`, `ApiClient.http`, `default export`. */
function bindingName(create: ts.Node, sf: ts.SourceFile): string {
  let n: ts.Node = create;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (ts.isPropertyAssignment(p)) {
    const owner = p.parent.parent;
    const prop = propertyNameText(p.name) ?? p.name.getText(sf);
    return ts.isVariableDeclaration(owner) && ts.isIdentifier(owner.name) ? `${owner.name.text}.${prop}` : prop;
  }
  if (ts.isPropertyDeclaration(p)) {
    const cls = p.parent;
    const prop = propertyNameText(p.name) ?? p.name.getText(sf);
    return ts.isClassLike(cls) && cls.name ? `${cls.name.text}.${prop}` : prop;
  }
  if (ts.isBinaryExpression(p)) {
    const left = p.left.getText(sf);
    const cls = classOfThis(p);
    return left.startsWith('this.') && cls?.name ? `${cls.name.text}.${left.slice(5)}` : left;
  }
  if (ts.isExportAssignment(p)) return 'default export';
  // `function createInstance() { return axios.create(...) }`: the factory's name says which client it is.
  if (ts.isReturnStatement(p) || ts.isArrowFunction(p)) {
    let f: ts.Node | undefined = p;
    while (f && !isFunctionLike(f)) f = f.parent;
    const name = f ? functionName(f as FunctionLike, sf) : null;
    if (name) return `${name}()`;
  }
  return 'axios.create()';
}

export function templateText(parts: UrlPart[] | null, text: string): string {
  if (!parts) return `{${holeName(text)}}`;
  return parts.map((p) => ('literal' in p ? p.literal : `{${p.name}}`)).join('');
}
