// Finds the HTTP calls of one parsed file: fetch, axios, axios instances and wrapper functions, with the facts rules need (docs/design.md §3).
import ts from 'typescript';
import { createHash } from 'node:crypto';
import type { BlindSpot, CallFacts, CallRecord, Client, Credential } from '../model/types';
import { analyzeUrl, holeName, type ParamRef, type UrlPart } from './url';
import { nodesInOrder } from '../parse/syntax-order';
import { branchPath } from './branches';
import { libraryTable, type LibraryTable } from './libraries';
import type { ClientForm, LibraryModel, LibraryValue } from '../model/libraries';
import { chainStep, clientRequest, endpointRequest, factoryDefaults, hookRequest, type LibraryRequest } from './library-calls';
import { endpointOf } from './inner-requests';
import { AXIOS_VERBS, AXIOS_VERBS_WITH_DATA } from './axios';
import { ScopeResolver, isFunctionLike, propertyNameText, requiredModule, unwrap, type FunctionLike } from '../parse/scope';
import {
  baseClassOf,
  classOfThis,
  collectTimerFunctions,
  credentialsFromFields,
  credentialsInUrl,
  enclosingFunction,
  fieldsOf,
  followConst,
  functionName,
  getProp,
  hasAbortTimeoutNear,
  hasErrorHandlingAround,
  headersOf,
  ignoredRulesAt,
  initHasTimeout,
  isAuthHeader,
  isAwaited,
  isCredentialField,
  isInTimer,
  isInside,
  paramRefOf,
  readsParam,
  spanOf,
  staticString,
  urlDisplayText,
  urlParts,
  type FactContext,
  type HeaderFact,
} from './facts';

/** Packages whose default or `fetch` export is a fetch function. */
export const FETCH_MODULES: ReadonlySet<string> = new Set(['node-fetch', 'cross-fetch', 'isomorphic-fetch', 'undici']);
const MAX_WRAPPER_DEPTH = 4;
const MAX_EVAL_DEPTH = 12;
/** A parameter with one of these names carries a whole path, not one value inside it. */
const PATH_PARAM_NAME = /^(?:url|uri|path|pathname|endpoint|route|input|resource|href|target|link|api|location|src)$|(?:Url|Uri|Path|Endpoint|Route)$/;

/** How a request method is known: a value, or a wrapper parameter the call site fills in. */
export type MethodSource = { value: string | null } | { param: ParamRef; fallback: string | null };

/**
 * An axios instance or a wrapper function, as other files see it (plain data: it crosses worker threads and
 * module boundaries). Credentials carry `file` because they sit in the defining file.
 */
export interface HttpDefinition {
  kind: 'instance' | 'wrapper';
  name: string;
  file: string;
  line: number;
  /** For a wrapper: the client of the request inside it. */
  client: Client;
  baseURL: string | null;
  headers: { name: string; valueText: string }[];
  credentials: Credential[];
  hasTimeout: boolean;
  /** Instance: `validateStatus` or a response interceptor with an error handler. Wrapper: catches its own errors. */
  hasErrorHandling: boolean;
  /** Wrapper: the URL of the inner request, holes marked with the parameter that fills them. */
  url?: { text: string; parts: UrlPart[] | null };
  method?: MethodSource;
  hasBody?: boolean;
  /** Wrapper: 1 for a wrapper of fetch/axios/an instance, 2 for a wrapper of that, ... */
  depth: number;
  /** A client of a library model (`ky.create(...)`, `createFetch(...)`, an RTK Query API): which model and export give its form. */
  library?: { model: string; export: string };
}

/** What a name can stand for, as far as HTTP is concerned. */
export type HttpShape =
  | { kind: 'fetch' }
  | { kind: 'axios' }
  /** `import * as ax from 'axios'`: `ax.get`, `ax.default`. */
  | { kind: 'axios-module' }
  | { kind: 'instance'; def: HttpDefinition }
  | { kind: 'wrapper'; def: HttpDefinition }
  /** An object, class or module namespace with HTTP members (`clients.github.get`, `new ApiClient().get`). */
  | { kind: 'object'; members: Record<string, HttpShape> }
  /** An export of a library model that is not a client itself: a factory (`createFetch`), a hook (`useSWR`), `createApi`. */
  | { kind: 'library'; model: string; export: string }
  /** A function that returns a client (`createRequestClient()`, `createInstance()`): what calling it gives. */
  | { kind: 'factory'; returns: HttpShape };

export interface DetectContext {
  /** `apiAtlas.wrappers`: names (`shopifyFetch`, `api.get`) whose calls count as HTTP calls. */
  wrappers?: readonly string[];
  /** The library models (built-in plus `apiAtlas.clients`); the built-in table when omitted. */
  libraries?: LibraryTable;
  /** Names a framework auto-imports here (Nuxt's `$fetch`, `useFetch`), by local name. */
  libraryGlobals?: Readonly<Record<string, { model: string; export: string }>>;
  /** Names this file imports that other files define as instances or wrappers, by local name. */
  externals?: Readonly<Record<string, HttpShape>>;
}

export interface FileDetection {
  calls: CallRecord[];
  /** Client values seen but not followed (`fetch` handed to an unknown function). */
  blindSpots: BlindSpot[];
  /** The instances and wrappers (and objects holding them) this file exports, by export name (`default` too). */
  exports: Record<string, HttpShape>;
}

/**
 * Call ids hash the file, the callee text, the enclosing function's name, the URL text and the call's
 * ordinal among calls with those same four values. They survive edits elsewhere in the file (unlike a
 * line number) and change when the call itself changes or moves to another function.
 */
export function callId(rel: string, callee: string, enclosing: string, urlText: string, ordinal: number): string {
  return createHash('sha1').update(`${rel}\0${callee}\0${enclosing}\0${urlText}\0${ordinal}`).digest('hex').slice(0, 16);
}

type Target =
  | { kind: 'library'; def: HttpDefinition; verb: string | null }
  | { kind: 'library-request'; model: LibraryModel; export: string }
  | { kind: 'endpoint'; def: HttpDefinition; endpointKind: string }
  | { kind: 'fetch' }
  | { kind: 'axios'; verb: string | null; defaults: HttpDefinition | null }
  | { kind: 'instance'; def: HttpDefinition; verb: string | null }
  | { kind: 'wrapper'; def: HttpDefinition; configured: boolean };

/** One argument as a wrapper body sees it: a node, or (for `...args`) a position of the wrapper's parameters. */
type Arg = { node: ts.Expression } | { param: ParamRef } | undefined;

interface Analysis {
  target: Target;
  client: Client;
  callee: string;
  method: MethodSource;
  url: { text: string; parts: UrlPart[] | null; node?: ts.Expression };
  baseURL: string | null;
  headers: HeaderFact[];
  inheritedHeaders: { name: string; valueText: string }[];
  credentials: Credential[];
  hasBody: boolean;
  hasTimeout: boolean;
  hasErrorHandling: boolean;
  argSpans: { start: number; end: number }[];
  /** Where the row starts when not at the call (an RTK Query endpoint's `query:`). */
  anchor?: ts.Node;
  library?: CallFacts['library'];
  /** The wrapper the library runs for this request (an SWR fetcher): the row's definition. */
  through?: HttpDefinition;
  /** The function handed to the library, resolved to `through` once every wrapper of the file is known. */
  callback?: ts.Expression;
}

export function detectFile(sf: ts.SourceFile, rel: string, ctx: DetectContext = {}): FileDetection {
  return new FileDetector(sf, rel, ctx).run();
}

class FileDetector {
  private readonly scopes = new ScopeResolver();
  private readonly fx: FactContext;
  private readonly instances = new Map<ts.Node, HttpDefinition>();
  private readonly wrappers = new Map<FunctionLike, HttpDefinition>();
  private readonly wrapperFns = new Map<HttpDefinition, FunctionLike>();
  private readonly classMembers = new Map<ts.ClassLikeDeclaration, Map<string, ts.Expression>>();
  private axiosDefaults: HttpDefinition | null = null;
  private readonly libs: LibraryTable;
  /** The client defs of library exports that are clients themselves (`ky`, `$fetch`), one per model and export. */
  private readonly libraryClients = new Map<string, HttpDefinition>();
  /** Inner request → the wrapper it is the definition of. */
  private readonly innerOf = new Map<ts.CallExpression, HttpDefinition>();
  private readonly blindSpots: BlindSpot[] = [];
  private linesCache: string[] | null = null;
  /** shapeOf results; cleared whenever a new wrapper is found (a name may now mean one). */
  private readonly shapes = new Map<ts.Node, HttpShape | null>();

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly rel: string,
    private readonly ctx: DetectContext,
  ) {
    this.fx = { sf, scopes: this.scopes, text: sf.text };
    this.libs = ctx.libraries ?? libraryTable();
  }

  run(): FileDetection {
    const callNodes: ts.CallExpression[] = [];
    const assignments: ts.BinaryExpression[] = [];
    for (const n of nodesInOrder(this.sf)) {
      if (ts.isCallExpression(n)) callNodes.push(n);
      // `new DefaultChatTransport({ api })`: a library object whose construction stands for its request.
      else if (ts.isNewExpression(n) && n.arguments) callNodes.push(n as unknown as ts.CallExpression);
      else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) assignments.push(n);
    }

    this.applyDefaults(assignments, callNodes);

    const results = new Map<ts.CallExpression, Analysis>();
    for (let round = 0; round <= MAX_WRAPPER_DEPTH; round++) {
      const fresh: ts.CallExpression[] = [];
      for (const call of callNodes) {
        if (results.has(call)) continue;
        const target = this.targetOf(call);
        if (!target) continue;
        if (target.kind === 'wrapper') {
          const own = this.wrapperFns.get(target.def);
          if (own && isInside(call, own)) continue; // a retrying wrapper calling itself is the same request
        }
        const analysis = this.analyze(call, target, enclosingFunction(call));
        if (!analysis) continue;
        results.set(call, analysis);
        fresh.push(call);
      }
      let added = 0;
      for (const call of fresh) if (this.maybeWrapper(call, results.get(call)!)) added++;
      if (added === 0) break;
      this.shapes.clear();
    }

    const calls = this.toRecords(callNodes.filter((c) => results.has(c)).map((c) => [c, results.get(c)!] as const));
    this.findHandedOn(callNodes, results);
    return { calls, exports: this.collectExports(), blindSpots: this.blindSpots };
  }

  // ---- what a name stands for -------------------------------------------------------------------------

  private get lines(): string[] {
    this.linesCache ??= this.sf.text.split(/\r\n|\r|\n/);
    return this.linesCache;
  }

  private shapeOf(expr: ts.Expression, depth = 0): HttpShape | null {
    if (depth > MAX_EVAL_DEPTH) return null;
    const e = unwrap(expr);
    const known = this.shapes.get(e);
    if (known !== undefined) return known;
    // Cycles (`const a = b; const b = a`) end at the depth limit with null, which is also their true answer.
    const shape = this.evaluate(e, depth);
    this.shapes.set(e, shape);
    return shape;
  }

  private evaluate(e: ts.Expression, depth: number): HttpShape | null {
    if (ts.isIdentifier(e)) return this.identifierShape(e, depth);
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const name = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isStringLiteralLike(e.argumentExpression) ? e.argumentExpression.text : null;
      if (name === null) return null;
      const obj = unwrap(e.expression);
      if (ts.isIdentifier(obj) && name === 'fetch' && /^(?:window|globalThis|self|global)$/.test(obj.text) && !this.scopes.lookup(obj.text, obj)) return { kind: 'fetch' };
      if (obj.kind === ts.SyntaxKind.ThisKeyword) {
        const cls = classOfThis(e);
        return cls ? this.classMember(cls, name, depth + 1) : null;
      }
      return this.memberOf(obj, name, depth + 1);
    }
    if (ts.isCallExpression(e)) {
      const mod = requiredModule(e);
      if (mod !== null) return this.moduleShape(mod, '*', null, true);
      if (ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'create') {
        const base = this.shapeOf(e.expression.expression, depth + 1);
        if (base && (base.kind === 'axios' || base.kind === 'axios-module')) return { kind: 'instance', def: this.instanceFromCreate(e) };
      }
      return this.callShape(e, depth);
    }
    if (ts.isNewExpression(e)) {
      const cls = this.shapeOf(e.expression, depth + 1);
      return cls && cls.kind === 'object' ? cls : null;
    }
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
      const def = this.wrappers.get(e);
      return def ? { kind: 'wrapper', def } : null;
    }
    if (ts.isObjectLiteralExpression(e)) return this.objectShape(e, depth + 1);
    if (ts.isClassExpression(e)) return this.classShape(e, depth + 1);
    return null;
  }

  private identifierShape(id: ts.Identifier, depth: number): HttpShape | null {
    const b = this.scopes.lookup(id.text, id);
    if (!b) {
      if (id.text === 'fetch') return { kind: 'fetch' };
      const g = this.ctx.libraryGlobals?.[id.text];
      const model = g ? this.libs.model(g.model) : undefined;
      return model ? this.libraryExportShape(model, g!.export, id.text) : null;
    }
    switch (b.kind) {
      case 'import':
        return this.moduleShape(b.module, b.imported, id.text, false);
      case 'require':
        return this.moduleShape(b.module, b.imported, id.text, true);
      case 'var': {
        if (!b.init) return null;
        // node-fetch v3 from CommonJS: `const fetch = (...a) => import('node-fetch').then(({ default: f }) => f(...a))`
        if (id.text === 'fetch' && /import\(\s*['"](?:node-fetch|cross-fetch|undici)['"]\s*\)/.test(b.init.getText(this.sf))) return { kind: 'fetch' };
        return this.shapeOf(b.init, depth + 1);
      }
      case 'function': {
        const def = this.wrappers.get(b.fn);
        return def ? { kind: 'wrapper', def } : null;
      }
      case 'class':
        return this.classShape(b.cls, depth + 1);
      case 'param': {
        // `(url, httpClient = fetchJson) => ...`: the default is what the code calls when none is passed.
        const decl = b.node.parent;
        const init = ts.isParameter(decl) || ts.isBindingElement(decl) ? decl.initializer : undefined;
        const fromDefault = init ? this.shapeOf(init, depth + 1) : null;
        if (fromDefault) return fromDefault;
        // SvelteKit's `load({ fetch })`, `GET({ fetch })` and helpers handed that `fetch` make real requests; a
        // parameter typed as something else (`fetch: (key: string) => Item`) is another function.
        if (id.text === 'fetch' && !init) {
          const type = ts.isParameter(decl) ? decl.type : undefined;
          if (!type || /\bfetch\b|Fetch/.test(type.getText(this.sf))) return { kind: 'fetch' };
        }
        return null;
      }
      default:
        return null; // any other local shadows a global or import of the same name
    }
  }

  private moduleShape(module: string, imported: string, local: string | null, viaRequire: boolean): HttpShape | null {
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
    const model = this.libs.modelOf(module);
    if (model) {
      // `import useSWRMutation from 'swr/mutation'`: a sub-path's default export is a named export of the model.
      if (imported === 'default' && model.defaults?.[module]) return this.libraryExportShape(model, model.defaults[module], local ?? imported);
      if (imported !== '*') return this.libraryExportShape(model, imported, local ?? imported);
      const members: Record<string, HttpShape> = {};
      for (const name of Object.keys(model.exports)) {
        const m = this.libraryExportShape(model, name, name);
        if (m) members[name] = m;
      }
      // `require('ky')` is the default export itself.
      if (viaRequire && members.default) return members.default;
      return { kind: 'object', members };
    }
    if (local === null) return null;
    return this.ctx.externals?.[local] ?? null;
  }

  /** A library export: a client (`ky`, `$fetch`) is an instance of its form; anything else is named for later calls. */
  private libraryExportShape(model: LibraryModel, exported: string, local: string): HttpShape | null {
    const value = model.exports[exported];
    if (!value) return null;
    if (value.is !== 'client') return { kind: 'library', model: model.id, export: exported };
    const key = `${model.id}\0${exported}`;
    let def = this.libraryClients.get(key);
    if (!def) {
      def = { kind: 'instance', name: local, file: model.packages[0], line: 0, client: model.id, baseURL: null, headers: [], credentials: [], hasTimeout: false, hasErrorHandling: false, depth: 0, library: { model: model.id, export: exported } };
      this.libraryClients.set(key, def);
    }
    return { kind: 'instance', def };
  }

  private libraryValue(shape: HttpShape | null): { model: LibraryModel; export: string; value: LibraryValue } | null {
    if (!shape || shape.kind !== 'library') return null;
    const model = this.libs.model(shape.model);
    const value = model?.exports[shape.export];
    return model && value ? { model, export: shape.export, value } : null;
  }

  /** The client form of a library client def. */
  private formOf(def: HttpDefinition): ClientForm | null {
    if (!def.library) return null;
    const value = this.libs.model(def.library.model)?.exports[def.library.export];
    return value && (value.is === 'client' || value.is === 'factory') ? value.client : null;
  }

  private localFunction(id: ts.Identifier): FunctionLike | null {
    const b = this.scopes.lookup(id.text, id);
    if (b && b.kind === 'function') return b.fn;
    if (b && b.kind === 'var' && b.isConst && b.init) {
      const init = unwrap(b.init);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
    }
    return null;
  }

  /** What a function returns, when it is a client (`function createInstance() { return axios.create(...) }`). */
  private returnShape(fn: FunctionLike, depth: number): HttpShape | null {
    if (depth > MAX_EVAL_DEPTH || !fn.body) return null;
    if (!ts.isBlock(fn.body)) return this.shapeOf(fn.body as ts.Expression, depth + 1);
    let found: HttpShape | null = null;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isReturnStatement(n) && n.expression) found = this.shapeOf(n.expression, depth + 1);
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
  private callShape(e: ts.CallExpression, depth: number): HttpShape | null {
    const callee = unwrapParens(e.expression);
    // A chain step of a library client first: each step costs one level, so long chains stay within the limit.
    if (ts.isPropertyAccessExpression(callee)) {
      const base = this.shapeOf(callee.expression, depth + 1);
      if (base && base.kind === 'instance' && base.def.library) {
        const member = callee.name.text;
        const form = this.formOf(base.def);
        const endpoints = this.libs.model(base.def.library.model)?.exports[base.def.library.export];
        if (endpoints && endpoints.is === 'endpoints' && endpoints.endpoints.inject.includes(member)) return base;
        if (form && form.derive?.includes(member)) return { kind: 'instance', def: this.derivedDef(e, base.def, form, e.arguments[0]) };
        const step = form ? chainStep(this.fx, form, member, e.arguments) : null;
        return step ? { kind: 'instance', def: this.chainedDef(e, base.def, step) } : null;
      }
    }
    const calleeShape = this.shapeOf(callee, depth + 1);
    const lib = this.libraryValue(calleeShape);
    if (lib && lib.value.is === 'factory') return { kind: 'instance', def: this.libraryClientDef(e, lib.model, lib.export, lib.value.client, lib.value.optionsArg, lib.value.baseURLArg) };
    if (lib && lib.value.is === 'endpoints') return { kind: 'instance', def: this.endpointsApiDef(e, lib.model, lib.export) };
    if (calleeShape && calleeShape.kind === 'factory') return calleeShape.returns;
    // A local factory (`function createInstance() { return axios.create(...) }`): what it returns. Only worked out
    // here, where a call's result is wanted, not for every callee the detector looks at.
    if (!calleeShape && ts.isIdentifier(callee)) {
      const fn = this.localFunction(callee);
      const returns = fn ? this.returnShape(fn, depth + 1) : null;
      if (returns) return returns;
    }
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') {
      const base = this.shapeOf(callee.expression, depth + 1);
      if (base && (base.kind === 'fetch' || base.kind === 'wrapper' || base.kind === 'instance')) return base;
    }
    if (calleeShape) return null;
    // A higher-order function given a client returns one that makes the same request (memoize, retry, cookie jar).
    const first = e.arguments[0];
    if (!first || ts.isSpreadElement(first)) return null;
    const given = this.shapeOf(first, depth + 1);
    if (!given) return null;
    if (given.kind === 'fetch') return { kind: 'wrapper', def: this.fetchLikeDef(e) };
    if (given.kind === 'wrapper' || given.kind === 'instance' || given.kind === 'axios') return given;
    return null;
  }

  /** `fetchRetry(fetch)`: a function called like fetch, named after what it is bound to. */
  private fetchLikeDef(e: ts.CallExpression): HttpDefinition {
    const known = this.instances.get(e);
    if (known) return known;
    const def: HttpDefinition = {
      kind: 'wrapper',
      name: bindingName(e, this.sf).replace(/^axios\.create\(\)$/, e.expression.getText(this.sf) + '(fetch)'),
      file: this.rel,
      line: this.lineOf(e.getStart(this.sf)),
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
    this.instances.set(e, def);
    return def;
  }

  private libraryClientDef(e: ts.CallExpression, model: LibraryModel, exported: string, form: ClientForm, optionsArg: number, baseURLArg?: number): HttpDefinition {
    const known = this.instances.get(e);
    if (known) return known;
    const d = factoryDefaults(this.fx, form, e.arguments, optionsArg, baseURLArg);
    // `wretch(base).addon(x).errorType('json')`: the chain as a whole is what gets a name.
    let named: ts.Expression = e;
    while (ts.isPropertyAccessExpression(named.parent) && ts.isCallExpression(named.parent.parent) && named.parent.parent.expression === named.parent) named = named.parent.parent;
    const def: HttpDefinition = {
      kind: 'instance',
      name: bindingName(named, this.sf).replace(/^axios\.create\(\)$/, `${exported === 'default' ? model.id : exported}()`),
      file: this.rel,
      line: this.lineOf(e.getStart(this.sf)),
      client: model.id,
      baseURL: d.baseURL,
      headers: [],
      credentials: [],
      hasTimeout: d.hasTimeout,
      hasErrorHandling: false,
      depth: 0,
      library: { model: model.id, export: exported },
    };
    this.instances.set(e, def);
    this.addInstanceHeaders(def, d.headers);
    return def;
  }

  /** `ky.create(opts)`, `shop.extend(opts)`: the base's defaults, then the new options' (a new base URL replaces). */
  private derivedDef(e: ts.CallExpression, base: HttpDefinition, form: ClientForm, options: ts.Expression | undefined): HttpDefinition {
    const known = this.instances.get(e);
    if (known) return known;
    const d = factoryDefaults(this.fx, form, options ? [options] : [], 0);
    const def: HttpDefinition = { ...base, name: bindingName(e, this.sf), file: this.rel, line: this.lineOf(e.getStart(this.sf)), baseURL: d.baseURL ?? base.baseURL, headers: [...base.headers], credentials: [...base.credentials], hasTimeout: base.hasTimeout || d.hasTimeout };
    this.instances.set(e, def);
    this.addInstanceHeaders(def, d.headers);
    return def;
  }

  /** wretch `.url('/x')`, `.headers({...})`: a client one step further down the chain. */
  private chainedDef(e: ts.CallExpression, base: HttpDefinition, step: { appendURL: string | null; headers: { name: string; valueText: string; value: ts.Expression }[] }): HttpDefinition {
    const known = this.instances.get(e);
    if (known) return known;
    if (step.appendURL === null && step.headers.length === 0) return base;
    const def: HttpDefinition = { ...base, headers: [...base.headers], credentials: [...base.credentials], baseURL: step.appendURL === null ? base.baseURL : (base.baseURL ?? '') + step.appendURL };
    this.instances.set(e, def);
    this.addInstanceHeaders(def, step.headers);
    return def;
  }

  /** RTK Query `createApi({ baseQuery: fetchBaseQuery({ baseUrl }) })`: the API, whose base URL every endpoint joins. */
  private endpointsApiDef(e: ts.CallExpression, model: LibraryModel, exported: string): HttpDefinition {
    const known = this.instances.get(e);
    if (known) return known;
    const form = model.exports[exported];
    const def: HttpDefinition = { kind: 'instance', name: bindingName(e, this.sf).replace(/^axios\.create\(\)$/, `${exported}()`), file: this.rel, line: this.lineOf(e.getStart(this.sf)), client: model.id, baseURL: null, headers: [], credentials: [], hasTimeout: false, hasErrorHandling: true, depth: 0, library: { model: model.id, export: exported } };
    this.instances.set(e, def);
    if (form.is === 'endpoints') {
      const bq = getProp(this.fx, e.arguments[0], form.endpoints.baseQuery.prop);
      const made = bq ? followConst(this.fx, bq) : undefined;
      if (made && ts.isCallExpression(made) && made.expression.getText(this.sf).endsWith(form.endpoints.baseQuery.factory)) {
        const d = factoryDefaults(this.fx, { options: { baseURL: [form.endpoints.baseQuery.baseURL], headers: 'headers' }, defaultMethod: 'GET' }, made.arguments, 0);
        def.baseURL = d.baseURL;
        def.hasTimeout = d.hasTimeout;
        this.addInstanceHeaders(def, d.headers);
      }
    }
    return def;
  }

  private memberOf(obj: ts.Expression, name: string, depth: number): HttpShape | null {
    if (depth > MAX_EVAL_DEPTH) return null;
    let o = unwrap(obj);
    if (ts.isIdentifier(o)) {
      const b = this.scopes.lookup(o.text, o);
      if (b && b.kind === 'var' && b.init) o = unwrap(b.init);
    }
    if (ts.isObjectLiteralExpression(o)) {
      const v = this.objectMember(o, name, depth + 1);
      if (v) return v;
    }
    if (ts.isNewExpression(o)) {
      const cls = this.classOf(o.expression);
      if (cls) return this.classMember(cls, name, depth + 1);
    }
    const base = this.shapeOf(o, depth + 1);
    if (!base) return null;
    if (base.kind === 'axios-module' && name === 'default') return { kind: 'axios' };
    if (base.kind === 'object') return base.members[name] ?? null;
    return null;
  }

  private classOf(expr: ts.Expression): ts.ClassLikeDeclaration | null {
    const e = unwrap(expr);
    if (ts.isClassExpression(e)) return e;
    if (!ts.isIdentifier(e)) return null;
    const b = this.scopes.lookup(e.text, e);
    return b && b.kind === 'class' ? b.cls : null;
  }

  private objectMember(o: ts.ObjectLiteralExpression, name: string, depth: number): HttpShape | null {
    for (const p of o.properties) {
      if (propertyNameText(p.name as ts.PropertyName | undefined) !== name) continue;
      if (ts.isPropertyAssignment(p)) return this.shapeOf(p.initializer, depth);
      if (ts.isShorthandPropertyAssignment(p)) return this.shapeOf(p.name, depth);
      if (ts.isMethodDeclaration(p)) {
        const def = this.wrappers.get(p);
        return def ? { kind: 'wrapper', def } : null;
      }
    }
    return null;
  }

  private objectShape(o: ts.ObjectLiteralExpression, depth: number): HttpShape | null {
    const members: Record<string, HttpShape> = {};
    for (const p of o.properties) {
      const name = propertyNameText(p.name as ts.PropertyName | undefined);
      if (!name) continue;
      const v = this.objectMember(o, name, depth);
      if (v) members[name] = v;
    }
    return Object.keys(members).length ? { kind: 'object', members } : null;
  }

  /** `this.name` inside a class: a field initializer, a `this.name = ...` assignment anywhere in it, a method, or the same from the class it extends. */
  private classMember(cls: ts.ClassLikeDeclaration, name: string, depth: number): HttpShape | null {
    if (depth > MAX_EVAL_DEPTH) return null;
    for (const m of cls.members) {
      if (propertyNameText(m.name) !== name) continue;
      if (ts.isMethodDeclaration(m)) {
        const def = this.wrappers.get(m);
        if (def) return { kind: 'wrapper', def };
      }
      if (ts.isPropertyDeclaration(m) && m.initializer) {
        const v = this.shapeOf(m.initializer, depth);
        if (v) return v;
      }
    }
    const assigned = this.thisAssignments(cls).get(name);
    if (assigned) return this.shapeOf(assigned, depth);
    // `class Api extends HttpClient`: `this.request(...)` is the base class's wrapper (generated OpenAPI clients).
    const base = baseClassOf(this.fx, cls);
    if (base) return this.classMember(base, name, depth + 1);
    const imported = this.importedBaseShape(cls, depth);
    return imported && imported.kind === 'object' ? (imported.members[name] ?? null) : null;
  }

  /** The shape of a base class another file defines (`class Api extends HttpClient` with `HttpClient` imported). */
  private importedBaseShape(cls: ts.ClassLikeDeclaration, depth: number): HttpShape | null {
    const ext = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    return ext ? this.shapeOf(ext, depth + 1) : null;
  }

  private classShape(cls: ts.ClassLikeDeclaration, depth: number): HttpShape | null {
    if (depth > MAX_EVAL_DEPTH) return null;
    const members: Record<string, HttpShape> = {};
    const names = new Set<string>([...cls.members.map((m) => propertyNameText(m.name)).filter((n): n is string => !!n), ...this.thisAssignments(cls).keys()]);
    for (const name of names) {
      const v = this.classMember(cls, name, depth);
      if (v) members[name] = v;
    }
    // Inherited members, so `new Api().request(...)` and an exported subclass carry the base class's wrappers.
    const baseCls = baseClassOf(this.fx, cls);
    const base = baseCls ? this.classShape(baseCls, depth + 1) : this.importedBaseShape(cls, depth);
    if (base && base.kind === 'object') for (const [k, v] of Object.entries(base.members)) if (!(k in members)) members[k] = v;
    return Object.keys(members).length ? { kind: 'object', members } : null;
  }

  private thisAssignments(cls: ts.ClassLikeDeclaration): Map<string, ts.Expression> {
    let map = this.classMembers.get(cls);
    if (map) return map;
    map = new Map();
    this.classMembers.set(cls, map);
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

  // ---- axios instances and defaults -------------------------------------------------------------------

  private instanceFromCreate(create: ts.CallExpression): HttpDefinition {
    const known = this.instances.get(create);
    if (known) return known;
    const config = create.arguments[0];
    const def: HttpDefinition = {
      kind: 'instance',
      name: bindingName(create, this.sf),
      file: this.rel,
      line: this.lineOf(create.getStart(this.sf)),
      client: 'axios-instance',
      baseURL: null,
      headers: [],
      credentials: [],
      hasTimeout: false,
      hasErrorHandling: false,
      depth: 0,
    };
    this.instances.set(create, def);
    if (config) {
      const base = getProp(this.fx, config, 'baseURL');
      if (base) def.baseURL = templateText(urlParts(this.fx, base, undefined), base.getText(this.sf));
      const headerObj = getProp(this.fx, config, 'headers');
      const headers = [...headersOf(this.fx, headerObj), ...headersOf(this.fx, getProp(this.fx, headerObj, 'common'))].filter((h) => h.name !== 'common');
      this.addInstanceHeaders(def, headers);
      const params = fieldsOf(this.fx, getProp(this.fx, config, 'params'));
      def.credentials.push(...this.own(credentialsFromFields(this.fx, params, 'instance-default', isCredentialField)));
      const auth = fieldsOf(this.fx, getProp(this.fx, config, 'auth'));
      def.credentials.push(...this.own(credentialsFromFields(this.fx, auth, 'instance-default', () => true)));
      def.hasTimeout = initHasTimeout(this.fx, config);
      def.hasErrorHandling = getProp(this.fx, config, 'validateStatus') !== undefined;
    }
    return def;
  }

  private addInstanceHeaders(def: HttpDefinition, headers: HeaderFact[]): void {
    for (const h of headers) def.headers.push({ name: h.name, valueText: h.valueText });
    def.credentials.push(...this.own(credentialsFromFields(this.fx, headers, 'instance-default', isAuthHeader)));
  }

  private own(creds: Credential[]): Credential[] {
    return creds.map((c) => ({ ...c, file: this.rel }));
  }

  /** `api.defaults.headers.common['Authorization'] = ...`, `api.defaults.timeout = ...`, interceptors. */
  private applyDefaults(assignments: ts.BinaryExpression[], calls: ts.CallExpression[]): void {
    for (const a of assignments) {
      const chain = accessChain(a.left);
      if (!chain) continue;
      const at = chain.names.indexOf('defaults');
      if (at === -1) continue;
      const def = this.defaultsTarget(chain.root, chain.names.slice(0, at));
      if (!def) continue;
      const rest = chain.names.slice(at + 1);
      if (rest[0] === 'timeout' || rest[0] === 'signal') def.hasTimeout = true;
      else if (rest[0] === 'validateStatus') def.hasErrorHandling = true;
      else if (rest[0] === 'baseURL') def.baseURL = templateText(urlParts(this.fx, a.right, undefined), a.right.getText(this.sf));
      else if (rest[0] === 'headers') {
        const name = rest.filter((n) => n !== 'headers' && !/^(?:common|get|post|put|patch|delete)$/.test(n)).pop();
        if (name) this.addInstanceHeaders(def, [{ name, valueText: a.right.getText(this.sf), value: a.right }]);
        else this.addInstanceHeaders(def, headersOf(this.fx, a.right));
      }
    }
    for (const c of calls) {
      const callee = c.expression;
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'use') continue;
      const chain = accessChain(callee.expression);
      if (!chain || chain.names.length < 2) continue;
      const [kind, which] = chain.names.slice(-2);
      if (kind !== 'interceptors') continue;
      const def = this.defaultsTarget(chain.root, chain.names.slice(0, -2));
      if (!def) continue;
      if (which === 'response' && c.arguments.length >= 2) def.hasErrorHandling = true;
      if (which === 'request' && c.arguments[0]) this.readInterceptor(def, c.arguments[0]);
    }
  }

  private defaultsTarget(root: ts.Expression, names: string[]): HttpDefinition | null {
    let expr: ts.Expression = root;
    let shape: HttpShape | null = this.shapeOf(expr);
    for (const n of names) {
      if (!shape) return null;
      shape = this.memberOf(expr, n, 0);
      expr = root; // deeper chains are resolved through the shape's members
    }
    if (!shape) return null;
    if (shape.kind === 'instance') return shape.def;
    if (shape.kind === 'axios' || shape.kind === 'axios-module') {
      this.axiosDefaults ??= { kind: 'instance', name: 'axios.defaults', file: this.rel, line: this.lineOf(root.getStart(this.sf)), client: 'axios', baseURL: null, headers: [], credentials: [], hasTimeout: false, hasErrorHandling: false, depth: 0 };
      return this.axiosDefaults;
    }
    return null;
  }

  /** Request interceptors usually set the auth header: `config.headers.Authorization = `Bearer ${token}``. */
  private readInterceptor(def: HttpDefinition, fn: ts.Expression): void {
    const f = unwrap(fn);
    if (!ts.isArrowFunction(f) && !ts.isFunctionExpression(f)) return;
    const headers: HeaderFact[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const chain = accessChain(n.left);
        const at = chain ? chain.names.indexOf('headers') : -1;
        if (chain && at !== -1) {
          const name = chain.names.slice(at + 1).filter((x) => !/^(?:common)$/.test(x)).pop();
          if (name) headers.push({ name, valueText: n.right.getText(this.sf), value: n.right });
          else headers.push(...headersOf(this.fx, n.right));
        }
      }
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^(?:set|append)$/.test(n.expression.name.text) && /headers$/i.test(n.expression.expression.getText(this.sf))) {
        const [k, v] = n.arguments;
        if (k && v && ts.isStringLiteralLike(k)) headers.push({ name: k.text, valueText: v.getText(this.sf), value: v });
      }
      ts.forEachChild(n, visit);
    };
    visit(f.body);
    this.addInstanceHeaders(def, headers);
  }

  // ---- which calls are requests -----------------------------------------------------------------------

  private targetOf(call: ts.CallExpression): Target | null {
    const callee = unwrapParens(call.expression);
    const shape = this.shapeOf(callee);
    const lib = this.libraryValue(shape);
    if (lib && lib.value.is === 'request') return { kind: 'library-request', model: lib.model, export: lib.export };
    if (ts.isNewExpression(call)) return null; // only a library's constructor stands for a request
    if (shape && shape.kind === 'instance' && shape.def.library) return this.formOf(shape.def)?.callable ? { kind: 'library', def: shape.def, verb: null } : null;
    if (ts.isPropertyAccessExpression(callee)) {
      const base = this.shapeOf(callee.expression);
      if (base && base.kind === 'instance' && base.def.library) {
        const verbs = this.formOf(base.def)?.verbs;
        return verbs && Object.prototype.hasOwnProperty.call(verbs, callee.name.text) ? { kind: 'library', def: base.def, verb: callee.name.text } : null;
      }
      const endpoint = this.endpointTarget(callee);
      if (endpoint) return endpoint;
    }
    if (shape) {
      if (shape.kind === 'fetch') return { kind: 'fetch' };
      if (shape.kind === 'axios' || shape.kind === 'axios-module') return { kind: 'axios', verb: null, defaults: this.axiosDefaults };
      if (shape.kind === 'instance') return { kind: 'instance', def: shape.def, verb: null };
      if (shape.kind === 'wrapper') return { kind: 'wrapper', def: shape.def, configured: false };
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const verb = callee.name.text;
      if (verb === 'request' || AXIOS_VERBS.has(verb)) {
        const base = this.shapeOf(callee.expression);
        if (base && (base.kind === 'axios' || base.kind === 'axios-module')) return { kind: 'axios', verb, defaults: this.axiosDefaults };
        if (base && base.kind === 'instance') return { kind: 'instance', def: base.def, verb };
      }
    }
    const configured = this.configuredWrapper(callee);
    return configured ? { kind: 'wrapper', def: configured, configured: true } : null;
  }

  /** RTK Query `build.query({ query })` inside `createApi({ endpoints: (build) => ({ … }) })` or `api.injectEndpoints(...)`. */
  private endpointTarget(callee: ts.PropertyAccessExpression): Target | null {
    const builder = unwrap(callee.expression);
    if (!ts.isIdentifier(builder)) return null;
    const b = this.scopes.lookup(builder.text, builder);
    if (!b || b.kind !== 'param' || b.index !== 0) return null;
    const fn = b.fn;
    const prop = fn.parent;
    if (!ts.isPropertyAssignment(prop) || !ts.isObjectLiteralExpression(prop.parent)) return null;
    const config = prop.parent;
    const maker = config.parent;
    if (!ts.isCallExpression(maker) || maker.arguments[0] !== config) return null;
    let def: HttpDefinition | null = null;
    const made = this.shapeOf(maker);
    if (made && made.kind === 'instance' && made.def.library) def = made.def;
    if (!def) return null;
    const form = this.libs.model(def.library!.model)?.exports[def.library!.export];
    if (!form || form.is !== 'endpoints' || propertyNameText(prop.name) !== form.endpoints.endpoints) return null;
    return form.endpoints.kinds[callee.name.text] !== undefined ? { kind: 'endpoint', def, endpointKind: callee.name.text } : null;
  }

  private configuredWrapper(callee: ts.Expression): HttpDefinition | null {
    const names = this.ctx.wrappers;
    if (!names || names.length === 0) return null;
    const text = callee.getText(this.sf).replace(/\s+/g, '').replace(/\?\./g, '.').replace(/^this\./, '');
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

  // ---- facts of one call ------------------------------------------------------------------------------

  private analyze(call: ts.CallExpression, target: Target, fn: FunctionLike | undefined): Analysis | null {
    if (target.kind === 'library' || target.kind === 'library-request' || target.kind === 'endpoint') return this.analyzeLibraryCall(call, target, fn);
    const args = this.logicalArgs(call, fn);
    const callee = call.expression.getText(this.sf).replace(/\s+/g, '');
    const argSpans = call.arguments.map((a) => spanOf(a, this.sf));
    const base: Omit<Analysis, 'method' | 'url' | 'client'> = {
      target,
      callee,
      baseURL: null,
      headers: [],
      inheritedHeaders: [],
      credentials: [],
      hasBody: false,
      hasTimeout: false,
      hasErrorHandling: hasErrorHandlingAround(this.fx, call),
      argSpans,
    };
    if (target.kind === 'wrapper') return this.analyzeWrapperCall(call, target, args, fn, base);

    let urlArg: Arg;
    let config: Arg;
    let data: Arg;
    let defaultMethod: string | null = 'GET';
    let verbMethod: string | null = null;
    if (target.kind === 'fetch') {
      if (this.readsLocalObject(args[0], fn)) return null;
      urlArg = args[0];
      config = args[1];
      // fetch(new Request(url, init))
      if (urlArg && 'node' in urlArg) {
        const req = unwrap(urlArg.node);
        if (ts.isNewExpression(req) && ts.isIdentifier(req.expression) && req.expression.text === 'Request' && req.arguments?.length) {
          urlArg = { node: req.arguments[0] };
          config = config ?? (req.arguments[1] ? { node: req.arguments[1] } : undefined);
        }
      }
      data = this.propArg(config, 'body');
    } else if (target.kind === 'axios' || target.kind === 'instance') {
      const verb = target.verb;
      if (verb === null || verb === 'request') {
        const first = args[0];
        const firstObj = first && 'node' in first && ts.isObjectLiteralExpression(followConst(this.fx, first.node));
        if (verb === 'request' || firstObj || (first && 'param' in first && args.length === 1)) {
          config = first;
          urlArg = this.propArg(config, 'url');
        } else {
          urlArg = first;
          config = args[1];
        }
        data = this.propArg(config, 'data');
      } else if (AXIOS_VERBS_WITH_DATA.has(verb)) {
        urlArg = args[0];
        data = args[1];
        config = args[2];
        verbMethod = verb.replace(/Form$/, '').toUpperCase();
      } else {
        urlArg = args[0];
        config = args[1];
        data = this.propArg(config, 'data');
        verbMethod = verb.toUpperCase();
      }
      if (verbMethod) defaultMethod = verbMethod;
    }

    const method: MethodSource = verbMethod ? { value: verbMethod } : this.methodFrom(config, defaultMethod);
    const url = this.urlFrom(urlArg, fn);
    const headerNode = this.propNode(config, 'headers');
    const headers = headersOf(this.fx, headerNode);
    const credentials: Credential[] = credentialsFromFields(this.fx, headers, 'header', isAuthHeader);
    if (url.node) credentials.push(...credentialsInUrl(this.fx, url.node));
    if (data && 'node' in data) credentials.push(...credentialsFromFields(this.fx, fieldsOf(this.fx, data.node), 'body', isCredentialField));
    const params = this.propNode(config, 'params');
    if (params) credentials.push(...credentialsFromFields(this.fx, fieldsOf(this.fx, params), 'query', isCredentialField));
    const auth = this.propNode(config, 'auth');
    if (auth) credentials.push(...credentialsFromFields(this.fx, fieldsOf(this.fx, auth), 'auth', () => true));

    const configNode = config && 'node' in config ? config.node : undefined;
    let hasTimeout = initHasTimeout(this.fx, configNode) || hasAbortTimeoutNear(this.fx, call);
    let hasErrorHandling = base.hasErrorHandling || getProp(this.fx, configNode, 'validateStatus') !== undefined;
    let baseURL: string | null = null;
    const inherited: { name: string; valueText: string }[] = [];
    const defaults = target.kind === 'instance' ? target.def : target.kind === 'axios' ? target.defaults : null;
    if (defaults) {
      baseURL = defaults.baseURL;
      inherited.push(...defaults.headers);
      credentials.push(...defaults.credentials);
      hasTimeout ||= defaults.hasTimeout;
      hasErrorHandling ||= defaults.hasErrorHandling;
    }
    return {
      ...base,
      client: target.kind === 'instance' ? 'axios-instance' : target.kind === 'axios' ? 'axios' : 'fetch',
      method,
      url,
      baseURL,
      headers,
      inheritedHeaders: inherited,
      credentials,
      hasBody: data !== undefined && 'node' in data,
      hasTimeout,
      hasErrorHandling,
    };
  }

  /**
   * `fetch` of a `blob:`/`data:` URL or of `URL.createObjectURL(...)` reads an object in memory, not an API: a
   * literal that says so, a const made by `createObjectURL`, or a URL parameter of a function named for blobs.
   */
  private readsLocalObject(arg: Arg, fn: FunctionLike | undefined): boolean {
    if (!arg || !('node' in arg)) return false;
    const node = followConst(this.fx, arg.node);
    if (ts.isStringLiteralLike(node) || ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const head = ts.isTemplateExpression(node) ? node.head.text : node.text;
      return /^(?:blob|data):/i.test(head);
    }
    if (ts.isCallExpression(node) && /^URL\.createObjectURL$/.test(node.expression.getText(this.sf))) return true;
    const e = unwrap(arg.node);
    if (ts.isIdentifier(e) && /^(?:blob|objectUrl|dataUrl|blobUrl)/i.test(e.text)) return true;
    if (fn && paramRefOf(this.fx, e, fn)) {
      const name = functionName(fn, this.sf) ?? '';
      return /blob|objectUrl|dataUrl/i.test(name) && !/upload|send|post/i.test(name);
    }
    return false;
  }

  /** A request of a library model: a client's call, a request hook, or an RTK Query endpoint. Null when the call makes none. */
  private analyzeLibraryCall(call: ts.CallExpression, target: Extract<Target, { kind: 'library' | 'library-request' | 'endpoint' }>, fn: FunctionLike | undefined): Analysis | null {
    const args = call.arguments ? [...call.arguments] : [];
    let req: LibraryRequest | null;
    let def: HttpDefinition | null = null;
    let model: LibraryModel | undefined;
    let region: string | undefined;
    if (target.kind === 'library') {
      def = target.def;
      model = this.libs.model(def.library!.model);
      const form = this.formOf(def);
      req = form ? clientRequest(this.fx, form, target.verb, args, fn) : null;
      if (req && req.method === null && !req.methodNode && form) req.method = form.defaultMethod;
    } else if (target.kind === 'endpoint') {
      def = target.def;
      model = this.libs.model(def.library!.model);
      const form = model?.exports[def.library!.export];
      req = form && form.is === 'endpoints' ? endpointRequest(this.fx, form.endpoints, target.endpointKind, args[0]) : null;
      region = 'rtk-query-endpoint';
    } else {
      model = target.model;
      const value = model.exports[target.export];
      req = value && value.is === 'request' ? hookRequest(this.fx, value.request, args, fn) : null;
      if (value && value.is === 'request') region = value.request.region;
    }
    if (!req || !model) return null;
    // The function the library runs (an SWR fetcher, a transport's `fetch`): when it is a wrapper, it is the row's definition.
    const cb = req.callback ?? (target.kind === 'library-request' ? getProp(this.fx, args[0], 'fetch') : undefined);
    let method: MethodSource;
    if (req.method !== null) method = { value: req.method };
    else if (req.methodNode) {
      const ref = paramRefOf(this.fx, req.methodNode, fn);
      method = ref ? { param: ref, fallback: null } : { value: null };
    } else method = { value: null };
    const headers = req.headers;
    const credentials: Credential[] = [...(def?.credentials ?? []), ...credentialsFromFields(this.fx, headers, 'header', isAuthHeader)];
    if (req.urlNode) credentials.push(...credentialsInUrl(this.fx, req.urlNode));
    // Request hooks and RTK Query keep a failed request in their state (`error`) rather than throwing it at the caller.
    const libraryCatches = target.kind !== 'library';
    return {
      target,
      client: model.id,
      callee: call.expression.getText(this.sf).replace(/\s+/g, ''),
      method,
      url: { text: req.urlText, parts: req.parts, node: req.urlNode },
      baseURL: def?.baseURL ?? null,
      headers,
      inheritedHeaders: def?.headers ?? [],
      credentials,
      hasBody: req.hasBody,
      hasTimeout: req.hasTimeout || (def?.hasTimeout ?? false) || hasAbortTimeoutNear(this.fx, call),
      hasErrorHandling: libraryCatches || hasErrorHandlingAround(this.fx, call) || (def?.hasErrorHandling ?? false),
      argSpans: args.map((a) => spanOf(a, this.sf)),
      anchor: req.anchor,
      library: { id: model.id, runsOn: model.runsOn, ...(region ? { region } : {}), ...(cb ? { callbackSpan: spanOf(cb, this.sf) } : {}) },
      callback: cb,
    };
  }

  private analyzeWrapperCall(call: ts.CallExpression, target: { kind: 'wrapper'; def: HttpDefinition }, args: Arg[], fn: FunctionLike | undefined, base: Omit<Analysis, 'method' | 'url' | 'client'>): Analysis {
    const def = target.def;
    // The call site's URL: the wrapper's URL with its parameter holes filled from this call's arguments.
    let url: Analysis['url'];
    if (def.url && def.url.parts) {
      const parts: UrlPart[] = [];
      let text: string | null = null;
      let node: ts.Expression | undefined;
      for (const p of def.url.parts) {
        if ('whenAbsent' in p && p.whenAbsent) {
          const given = this.argFor(args, p.whenAbsent);
          if (!given) continue; // the optional suffix the caller did not ask for
          parts.push(given && 'param' in given ? { hole: p.hole, name: p.name, whenAbsent: given.param } : { hole: p.hole, name: p.name });
          continue;
        }
        if (!('param' in p) || !p.param) {
          parts.push(p);
          continue;
        }
        const arg = this.argFor(args, p.param);
        if (arg && 'node' in arg) {
          const sub = urlParts(this.fx, arg.node, fn);
          parts.push(...(sub ?? [{ hole: arg.node.getText(this.sf), name: holeName(arg.node.getText(this.sf)) }]));
          text ??= urlDisplayText(arg.node, this.sf);
          node ??= arg.node;
        } else if (arg && 'param' in arg) {
          parts.push({ hole: p.hole, name: p.name, param: arg.param });
        } else {
          parts.push({ hole: p.hole, name: p.name });
        }
      }
      url = { text: text ?? def.url.text, parts: mergeParts(parts), node };
    } else {
      url = { text: def.url?.text ?? '', parts: null };
    }
    let method: MethodSource = def.method ?? { value: null };
    if ('param' in method) {
      const arg = this.argFor(args, method.param);
      if (arg && 'node' in arg) {
        const s = staticString(this.fx, arg.node);
        // `this.customFetch(url, { method })` inside `request({ path, method })`: still the outer caller's method.
        const passed = s ? undefined : paramRefOf(this.fx, arg.node, fn);
        method = s ? { value: s.toUpperCase() } : passed ? { param: passed, fallback: method.fallback } : { value: null };
      } else if (arg && 'param' in arg) {
        method = { param: arg.param, fallback: method.fallback };
      } else {
        method = { value: method.fallback };
      }
    }
    // Options objects passed at the call site can add headers, a body or a timeout.
    const headers: HeaderFact[] = [];
    const credentials: Credential[] = [...def.credentials];
    let hasTimeout = def.hasTimeout;
    let hasBody = def.hasBody === true;
    for (const a of args) {
      if (!a || !('node' in a)) continue;
      const obj = followConst(this.fx, a.node);
      if (!ts.isObjectLiteralExpression(obj)) continue;
      const h = headersOf(this.fx, getProp(this.fx, obj, 'headers'));
      headers.push(...h);
      credentials.push(...credentialsFromFields(this.fx, h, 'header', isAuthHeader));
      if (initHasTimeout(this.fx, obj)) hasTimeout = true;
      if (getProp(this.fx, obj, 'body') || getProp(this.fx, obj, 'data')) hasBody = true;
    }
    if (url.node) credentials.push(...credentialsInUrl(this.fx, url.node));
    return {
      ...base,
      client: 'wrapper',
      method,
      url,
      baseURL: def.baseURL,
      headers,
      inheritedHeaders: def.headers,
      credentials,
      hasBody,
      hasTimeout: hasTimeout || hasAbortTimeoutNear(this.fx, call),
      hasErrorHandling: base.hasErrorHandling || def.hasErrorHandling,
    };
  }

  /** Arguments as the callee sees them; `f(...args)` where `args` is the wrapper's rest parameter maps positions. */
  private logicalArgs(call: ts.CallExpression, fn: FunctionLike | undefined): Arg[] {
    const out: Arg[] = [];
    for (const a of call.arguments) {
      if (ts.isSpreadElement(a)) {
        const e = unwrap(a.expression);
        const b = ts.isIdentifier(e) ? this.scopes.lookup(e.text, e) : undefined;
        if (b && b.kind === 'param' && b.rest && b.fn === fn) {
          for (let k = 0; k < 3; k++) out.push({ param: { index: b.index + k } });
        }
        break; // positions after an unknown spread are unknown
      }
      out.push({ node: a });
    }
    return out;
  }

  private argFor(args: Arg[], ref: ParamRef): Arg {
    const a = args[ref.index];
    if (!a || ref.prop === undefined) return a;
    if ('param' in a) return a.param.prop === undefined ? { param: { index: a.param.index, prop: ref.prop } } : undefined;
    const whole = paramRefOf(this.fx, a.node, enclosingFunction(a.node));
    if (whole && whole.prop === undefined && !ts.isObjectLiteralExpression(unwrap(a.node))) return { param: { index: whole.index, prop: ref.prop } };
    const v = getProp(this.fx, a.node, ref.prop);
    return v ? { node: v } : undefined;
  }

  private propArg(arg: Arg, name: string): Arg {
    if (!arg) return undefined;
    if ('param' in arg) return arg.param.prop === undefined ? { param: { index: arg.param.index, prop: name } } : undefined;
    const v = getProp(this.fx, arg.node, name);
    if (v) return { node: v };
    // `{ ...options, url }`: a spread wrapper parameter may carry it
    const obj = followConst(this.fx, arg.node);
    const fn = enclosingFunction(arg.node);
    if (ts.isObjectLiteralExpression(obj)) {
      for (const p of obj.properties) {
        if (ts.isSpreadAssignment(p)) {
          const ref = paramRefOf(this.fx, p.expression, fn);
          if (ref && ref.prop === undefined) return { param: { index: ref.index, prop: name } };
        }
      }
    } else {
      const ref = paramRefOf(this.fx, arg.node, fn);
      if (ref && ref.prop === undefined) return { param: { index: ref.index, prop: name } };
    }
    return undefined;
  }

  private propNode(arg: Arg, name: string): ts.Expression | undefined {
    if (!arg || !('node' in arg)) return undefined;
    return getProp(this.fx, arg.node, name);
  }

  private methodFrom(config: Arg, fallback: string | null): MethodSource {
    if (!config) return { value: fallback };
    const m = this.propArg(config, 'method');
    if (!m) {
      if ('param' in config) return { value: fallback };
      const obj = followConst(this.fx, config.node);
      return ts.isObjectLiteralExpression(obj) ? { value: fallback } : { value: null };
    }
    // `fetch(url, init)` in a wrapper: the caller's `init.method`, or the default when the caller passes none.
    if ('param' in m) return { param: m.param, fallback };
    const s = staticString(this.fx, m.node);
    if (s) return { value: s.toUpperCase() };
    // `options.method ?? 'GET'`: the caller's method, or that default.
    const e = unwrap(m.node);
    if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
      const left = paramRefOf(this.fx, e.left, enclosingFunction(m.node));
      const right = staticString(this.fx, e.right);
      if (left) return { param: left, fallback: right ? right.toUpperCase() : null };
    }
    const ref = paramRefOf(this.fx, m.node, enclosingFunction(m.node));
    return ref ? { param: ref, fallback: destructuredDefault(this.fx, m.node) } : { value: null };
  }

  private urlFrom(arg: Arg, fn: FunctionLike | undefined): Analysis['url'] {
    if (!arg) return { text: '', parts: [{ literal: '' }] };
    if ('param' in arg) return { text: 'url', parts: [{ hole: 'url', name: arg.param.prop ?? 'url', param: arg.param }] };
    return { text: urlDisplayText(arg.node, this.sf), parts: urlParts(this.fx, arg.node, fn), node: arg.node };
  }

  // ---- wrappers ---------------------------------------------------------------------------------------

  /** A named function whose request takes its URL or options from the function's parameters is a wrapper. */
  private maybeWrapper(call: ts.CallExpression, a: Analysis): boolean {
    const fn = enclosingFunction(call);
    if (!fn || this.wrappers.has(fn) || ts.isConstructorDeclaration(fn)) return false;
    const depth = a.target.kind === 'wrapper' ? a.target.def.depth + 1 : 1;
    if (depth > MAX_WRAPPER_DEPTH) return false;
    const name = functionName(fn, this.sf);
    if (!name || !isCallableByName(fn)) return false;
    if (!this.passesThrough(call, a, fn)) return false;
    const def: HttpDefinition = {
      kind: 'wrapper',
      name,
      file: this.rel,
      line: this.lineOf((fn.name ?? fn).getStart(this.sf)),
      client: a.client,
      baseURL: a.baseURL,
      headers: [...a.inheritedHeaders, ...a.headers.map((h) => ({ name: h.name, valueText: h.valueText }))],
      credentials: a.credentials.map((c) => (c.file ? c : { ...c, file: this.rel })),
      hasTimeout: a.hasTimeout,
      hasErrorHandling: swallowsErrors(call, fn) || endsInCatch(call),
      url: { text: a.url.text, parts: a.url.parts },
      method: a.method,
      hasBody: a.hasBody,
      depth,
    };
    this.wrappers.set(fn, def);
    this.wrapperFns.set(def, fn);
    this.innerOf.set(call, def);
    return true;
  }

  /**
   * `httpGet(url)`, `fetchWithRetry(url, opts)`, `request(method, path)`, `shopifyFetch({ query })` pass the
   * request through; `getUser(id)` (a fixed path with one value in it) is an API function, not a wrapper.
   */
  private passesThrough(call: ts.CallExpression, a: Analysis, fn: FunctionLike): boolean {
    if ('param' in a.method) return true;
    let before = '';
    for (const p of a.url.parts ?? []) {
      if ('literal' in p) {
        before += p.literal;
        continue;
      }
      if (!p.param) continue;
      if (PATH_PARAM_NAME.test(p.name) || /ur[li]$/i.test(p.name)) return true;
      // `https://${user.server}/api/v1/…`: a field of a domain object picks the host of a fixed API; the function
      // is an API routine (`showNotification(id, user)`), not a pass-through. `${baseUrl}/…` or `{ host }` is.
      const field = /[.\]]/.test(p.hole);
      if (!field && (before === '' || /^[a-z][a-z0-9+.-]*:\/\/[^/]*\/?$/i.test(before))) return true;
    }
    // `login(data) => client.post('/auth/login', data)`: one fixed endpoint whose body the caller gives is an API
    // function (its request is the row), not a pass-through; handing on the caller's options still is one.
    const fixedURL = a.url.parts !== null && a.url.parts.every((p) => 'literal' in p) && a.url.parts.some((p) => 'literal' in p && p.literal !== '');
    for (const arg of call.arguments) {
      if (a.url.node && arg === a.url.node) continue;
      const e = unwrap(arg);
      const ref = paramRefOf(this.fx, e, fn);
      if (ref && ref.prop === undefined && !ts.isObjectLiteralExpression(e) && !(fixedURL && a.hasBody && this.isBodyArgument(call, a, arg))) return true;
      if (ts.isObjectLiteralExpression(e)) {
        for (const p of e.properties) {
          if (ts.isSpreadAssignment(p) && readsParam(this.fx, p.expression, fn)) return true;
          const name = propertyNameText(p.name as ts.PropertyName | undefined) ?? '';
          const value = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
          if (value && /^(?:headers|signal|config|options|init)$/.test(name) && this.handsOn(value, fn)) return true;
        }
      }
      // GraphQL clients: the query is the request (`shopifyFetch({ query, variables })`).
      if (fieldsOf(this.fx, arg).some((f) => /^(?:query|mutation|document)$/.test(f.name) && readsParam(this.fx, f.value, fn))) return true;
      const body = getProp(this.fx, arg, 'body') ?? getProp(this.fx, arg, 'data');
      if (body && fieldsOf(this.fx, body).some((f) => /^(?:query|mutation|document)$/.test(f.name) && readsParam(this.fx, f.value, fn))) return true;
    }
    return false;
  }

  /** The argument that is the request body: axios's `data` position, a library verb's body (wretch `.post(body)`). */
  private isBodyArgument(call: ts.CallExpression, a: Analysis, arg: ts.Expression): boolean {
    const t = a.target;
    const i = call.arguments.indexOf(arg);
    if ((t.kind === 'axios' || t.kind === 'instance') && t.verb && AXIOS_VERBS_WITH_DATA.has(t.verb)) return i === 1;
    if (t.kind === 'library' && t.verb) {
      const form = this.formOf(t.def);
      return form?.verbArgs?.urlByVerb?.[t.verb] !== undefined ? i === 0 : false;
    }
    // A wrapper of the request: the URL goes first, then what it sends (`post(url, data)`).
    return t.kind === 'wrapper' && i === 1;
  }

  /**
   * Whether an option value hands the caller's own options on (`headers`, `{ ...headers, Accept }`,
   * `new Headers(init.headers)`), rather than building fresh ones from a value (`{ Authorization: user.token }`).
   */
  private handsOn(value: ts.Expression, fn: FunctionLike): boolean {
    const e = unwrap(value);
    if (ts.isObjectLiteralExpression(e)) return e.properties.some((p) => ts.isSpreadAssignment(p) && readsParam(this.fx, p.expression, fn));
    return readsParam(this.fx, e, fn);
  }

  // ---- output -----------------------------------------------------------------------------------------

  /**
   * `useSWR('incidents', loadIncidents)`: a key that is a plain word names a cache entry, and a fetcher that is
   * not a pass-through wrapper makes its own request (found inside it), so the hook is no request of its own.
   */
  private namesCacheEntryOnly(a: Analysis): boolean {
    if (a.library?.region !== 'swr-fetcher' || !a.callback) return false;
    const first = a.url.parts?.[0];
    if (!first || !('literal' in first) || /^(?:\/|\.|https?:\/\/)/.test(first.literal)) return false;
    const through = this.shapeOf(a.callback);
    return !(through && through.kind === 'wrapper');
  }

  private toRecords(found: readonly (readonly [ts.CallExpression, Analysis])[]): CallRecord[] {
    const timers = found.length && /\bset(?:Interval|Timeout)\b/.test(this.sf.text) ? collectTimerFunctions(this.fx) : { callbacks: new Set<ts.Node>(), names: new Set<string>() };
    const ordinals = new Map<string, number>();
    return found.filter(([, a]) => !this.namesCacheEntryOnly(a)).map(([call, a]) => {
      // Wrappers are all known now: the function a library runs for the request is the row's definition (and,
      // for `useSWRMutation`, says the method).
      if (a.callback && !a.through) {
        const through = this.shapeOf(a.callback);
        if (through && through.kind === 'wrapper') {
          a.through = through.def;
          if ('value' in a.method && a.method.value === null && through.def.method && 'value' in through.def.method) a.method = through.def.method;
          // The fetcher gets the key as its URL: `useSWR('/me', (u) => api.get(u))` requests `/api/me` through api.
          const inner = through.def.url?.parts;
          if (inner && a.url.parts && inner.some((p) => 'param' in p && p.param?.index === 0 && p.param.prop === undefined)) {
            a.url = { ...a.url, parts: mergeParts(inner.flatMap((p) => ('param' in p && p.param?.index === 0 && p.param.prop === undefined ? a.url.parts! : [p]))) };
            a.baseURL = through.def.baseURL;
            a.inheritedHeaders = [...a.inheritedHeaders, ...through.def.headers];
            a.credentials = [...a.credentials, ...through.def.credentials];
          }
        }
      }
      const start = (a.anchor ?? call).getStart(this.sf);
      const end = (a.anchor ?? call).getEnd();
      const s = this.sf.getLineAndCharacterOfPosition(start);
      const e = this.sf.getLineAndCharacterOfPosition(end);
      const fn = enclosingFunction(call);
      const fnName = fn ? (functionName(fn, this.sf) ?? '(anonymous)') : '(top level)';
      const key = `${a.callee}\0${fnName}\0${a.url.text}`;
      const ordinal = ordinals.get(key) ?? 0;
      ordinals.set(key, ordinal + 1);
      const stmtLine = statementLine(call, this.sf);
      const ignored = ignoredRulesAt(this.lines, s.line);
      const facts: CallFacts = {
        callee: a.callee,
        span: { start, end },
        argSpans: a.argSpans,
        headers: [...a.inheritedHeaders, ...a.headers.map((h) => ({ name: h.name, valueText: h.valueText }))],
        credentials: a.credentials,
        hasBody: a.hasBody,
        hasErrorHandling: a.hasErrorHandling,
        hasTimeout: a.hasTimeout,
        awaited: isAwaited(call),
        branches: branchPath(call, this.sf),
        inTimer: isInTimer(call, this.sf, timers),
        ignoredRules: ignored.length || stmtLine === s.line ? ignored : ignoredRulesAt(this.lines, stmtLine),
      };
      if (a.url.node) facts.urlSpan = spanOf(a.url.node, this.sf);
      if (a.baseURL !== null || a.target.kind === 'instance') facts.baseURL = a.baseURL;
      if (fn) facts.enclosingFunction = { name: fnName, span: spanOf(fn, this.sf) };
      if (a.library) facts.library = a.library;
      const inner = this.innerOf.get(call);
      if (inner) facts.innerOf = { name: inner.name, file: inner.file, line: inner.line };
      const method = 'value' in a.method ? a.method.value : null;
      const record: CallRecord = {
        id: callId(this.rel, a.callee, fnName, a.url.text, ordinal),
        file: this.rel,
        range: { start: { line: s.line + 1, column: s.character + 1 }, end: { line: e.line + 1, column: e.character + 1 } },
        client: a.client,
        method,
        url: analyzeUrl(a.url.text, { parts: a.url.parts, baseURL: a.baseURL }),
        runtime: 'unknown',
        context: 'unknown',
        confidence: 0,
        evidence: [],
        findings: [],
        facts,
      };
      record.endpoint = endpointOf(method, record.url.template);
      const t = a.target;
      const def = t.kind === 'instance' || t.kind === 'wrapper' || t.kind === 'library' || t.kind === 'endpoint' ? t.def : t.kind === 'library-request' ? (a.through ?? null) : null;
      // A library's own export (`ky`, `$fetch`) has no definition in the workspace to point to.
      if (def && !(def.library && def.line === 0)) {
        record.via = def.line > 0 ? `${def.name} (${def.file}:${def.line})` : `${def.name} (${def.file})`;
        facts.definition = { name: def.name, file: def.file, line: def.line };
      }
      return record;
    });
  }

  /**
   * Blind spots: `fetch` or a client handed to a function this tool does not know (`createClient({ fetch })`,
   * `setup(fetch)`), whose result is not itself followed as a client. The requests made through it are not seen.
   */
  private findHandedOn(calls: readonly ts.CallExpression[], found: ReadonlyMap<ts.CallExpression, Analysis>): void {
    const seen = new Set<number>();
    for (const call of calls) {
      if (found.has(call) || !call.arguments) continue;
      const callee = unwrapParens(call.expression);
      const calleeShape = this.shapeOf(callee);
      if (calleeShape || (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind')) continue;
      const values: ts.Expression[] = [];
      for (const a of call.arguments) {
        const e = unwrap(a);
        if (ts.isObjectLiteralExpression(e)) {
          for (const p of e.properties) {
            if (ts.isPropertyAssignment(p)) values.push(p.initializer);
            else if (ts.isShorthandPropertyAssignment(p)) values.push(p.name);
          }
        } else if (!ts.isSpreadElement(e)) values.push(e);
      }
      for (const v of values) {
        const u = unwrap(v);
        if (!ts.isIdentifier(u) && !ts.isPropertyAccessExpression(u)) continue;
        // Only names that can be a client: fetch, axios, or a name bound to an instance here or imported as one.
        const name0 = ts.isIdentifier(u) ? u.text : u.name.text;
        if (!/fetch|axios/i.test(name0) && !this.ctx.externals?.[name0] && ![...this.instances.values()].some((d) => d.name === name0)) continue;
        const shape = this.shapeOf(u);
        if (!shape || (shape.kind !== 'fetch' && shape.kind !== 'instance' && shape.kind !== 'axios')) continue;
        // Followed as a value: `mem(fetchPage)`, `fetchRetry(fetch)` made a client the code then calls.
        if (ts.isVariableDeclaration(call.parent) || ts.isExportAssignment(call.parent) || ts.isPropertyAssignment(call.parent) || ts.isReturnStatement(call.parent)) {
          if (this.shapeOf(call)) continue;
        }
        const line = this.lineOf(call.getStart(this.sf));
        if (seen.has(line)) continue;
        seen.add(line);
        const name = u.getText(this.sf);
        this.blindSpots.push({ file: this.rel, line, kind: 'client-handed-on', detail: `${name} is handed to ${callee.getText(this.sf).slice(0, 60)}(...), which this tool does not know; requests made through it are not listed` });
      }
    }
  }

  private collectExports(): Record<string, HttpShape> {
    const out: Record<string, HttpShape> = {};
    const put = (name: string, shape: HttpShape | null): void => {
      if (shape && shape.kind !== 'axios-module') out[name] = shape;
    };
    for (const s of this.sf.statements) {
      const exported = hasModifier(s, ts.SyntaxKind.ExportKeyword);
      const isDefault = hasModifier(s, ts.SyntaxKind.DefaultKeyword);
      if (ts.isVariableStatement(s) && exported) {
        for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) put(d.name.text, this.shapeOf(d.name));
      } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && exported) {
        const shape = ts.isFunctionDeclaration(s) ? this.functionExportShape(s) : this.classShape(s, 0);
        if (isDefault) put('default', shape);
        if (s.name) put(s.name.text, shape);
      } else if (ts.isExportAssignment(s)) {
        put('default', this.shapeOf(s.expression));
      } else if (ts.isExportDeclaration(s) && !s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause)) {
        for (const el of s.exportClause.elements) put(el.name.text, this.shapeOf(el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName : el.name));
      } else if (ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) && s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        // CommonJS: module.exports = x, module.exports.x = y, exports.x = y
        const left = s.expression.left.getText(this.sf).replace(/\s+/g, '');
        const right = s.expression.right;
        if (left === 'module.exports') {
          const shape = this.shapeOf(right);
          put('default', shape);
          if (shape && shape.kind === 'object') for (const [k, v] of Object.entries(shape.members)) put(k, v);
        } else {
          const m = /^(?:module\.)?exports\.([\w$]+)$/.exec(left);
          if (m) put(m[1], this.shapeOf(right));
        }
      }
    }
    return out;
  }

  /** An exported function: a wrapper, or a factory of a client (other files call it to get one). */
  private functionExportShape(fn: ts.FunctionDeclaration): HttpShape | null {
    const def = this.wrappers.get(fn);
    if (def) return { kind: 'wrapper', def };
    const returns = this.returnShape(fn, 0);
    return returns ? { kind: 'factory', returns } : null;
  }

  private lineOf(pos: number): number {
    return this.sf.getLineAndCharacterOfPosition(pos).line + 1;
  }
}

/** `const { method = 'GET' } = options`: the default a destructured name takes, upper-cased, when it is a string. */
function destructuredDefault(fx: FactContext, node: ts.Expression): string | null {
  const e = unwrap(node);
  if (!ts.isIdentifier(e)) return null;
  const b = fx.scopes.lookup(e.text, e);
  const el = b ? (ts.isBindingElement(b.node) ? b.node : ts.isBindingElement(b.node.parent) ? b.node.parent : undefined) : undefined;
  if (!el || !el.initializer) return null;
  return staticString(fx, el.initializer)?.toUpperCase() ?? null;
}

function unwrapParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
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

function templateText(parts: UrlPart[] | null, text: string): string {
  if (!parts) return `{${holeName(text)}}`;
  return parts.map((p) => ('literal' in p ? p.literal : `{${p.name}}`)).join('');
}

function mergeParts(parts: UrlPart[]): UrlPart[] {
  const out: UrlPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if ('literal' in p && last && 'literal' in last) out[out.length - 1] = { literal: last.literal + p.literal };
    else out.push(p);
  }
  return out;
}

/** Functions other code can call by a name: declarations, `const f = () =>`, methods, object properties. */
function isCallableByName(fn: FunctionLike): boolean {
  if (ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) return true;
  const p = fn.parent;
  return ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isExportAssignment(p) || (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken);
}

/** A wrapper whose `catch` does not rethrow handles errors for its callers. */
function swallowsErrors(call: ts.Node, fn: FunctionLike): boolean {
  for (let n: ts.Node = call; n.parent && n !== fn; n = n.parent) {
    const p = n.parent;
    if (ts.isTryStatement(p) && p.tryBlock === n && p.catchClause) {
      let rethrows = false;
      const visit = (x: ts.Node): void => {
        if (ts.isThrowStatement(x)) rethrows = true;
        else if (!isFunctionLike(x)) ts.forEachChild(x, visit);
      };
      visit(p.catchClause.block);
      return !rethrows;
    }
  }
  return false;
}

/** `return fetch(url).then(r => r.json()).catch(() => null)`: a wrapper whose request chain ends in a catch handles errors for its callers. */
function endsInCatch(call: ts.Node): boolean {
  let cur: ts.Node = call;
  while (ts.isPropertyAccessExpression(cur.parent) && cur.parent.expression === cur && ts.isCallExpression(cur.parent.parent)) {
    if (cur.parent.name.text === 'catch') return true;
    cur = cur.parent.parent;
  }
  return false;
}

/** 0-based line where the statement holding a node starts (for ignore comments above a multi-line statement). */
function statementLine(node: ts.Node, sf: ts.SourceFile): number {
  let n: ts.Node = node;
  while (n.parent && !ts.isSourceFile(n.parent) && !ts.isBlock(n.parent) && !ts.isModuleBlock(n.parent) && !ts.isCaseClause(n.parent) && !ts.isDefaultClause(n.parent)) {
    if (isFunctionLike(n.parent)) break;
    n = n.parent;
  }
  return sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
}
