// The state one file's detection shares among its parts (shapes, definitions, call analysis, wrappers, rows), and the kinds of request target and call analysis they pass around.
import ts from 'typescript';
import type { DetectContext, HttpDefinition, HttpShape, MethodSource } from './detection-types';
import { ScopeResolver, type FunctionLike } from '../parse/scope';
import type { FactContext, HeaderFact } from './facts';
import { libraryTable, type LibraryTable } from './libraries';
import type { BlindSpot, Client, Credential, CallFacts } from '../model/types';
import type { LibraryModel, LibraryValue, ClientForm } from '../model/libraries';
import type { ParamRef, UrlPart } from './url';

/** How many wrappers deep a request is followed (`api.get` → `request` → `fetch`); detection runs one round per level. */
export const MAX_WRAPPER_DEPTH = 4;
/** How many steps shapeOf follows names, members and calls; it also ends cycles (`const a = b; const b = a`). */
export const MAX_EVAL_DEPTH = 12;

/** One file's detection as its parts share it: the file, its scopes, and the clients and wrappers found so far. */
export interface DetectorState {
  readonly sf: ts.SourceFile;
  readonly rel: string;
  readonly ctx: DetectContext;
  readonly scopes: ScopeResolver;
  readonly fx: FactContext;
  readonly instances: Map<ts.Node, HttpDefinition>;
  readonly wrappers: Map<FunctionLike, HttpDefinition>;
  readonly wrapperFns: Map<HttpDefinition, FunctionLike>;
  readonly classMembers: Map<ts.ClassLikeDeclaration, Map<string, ts.Expression>>;
  axiosDefaults: HttpDefinition | null;
  readonly libs: LibraryTable;
  /** The client defs of library exports that are clients themselves (`ky`, `$fetch`), one per model and export. */
  readonly libraryClients: Map<string, HttpDefinition>;
  /** Inner request → the wrapper it is the definition of. */
  readonly innerOf: Map<ts.CallExpression, HttpDefinition>;
  readonly blindSpots: BlindSpot[];
  linesCache: string[] | null;
  /** shapeOf results; cleared whenever a new wrapper is found (a name may now mean one). */
  readonly shapes: Map<ts.Node, HttpShape | null>;
}

export function createDetectorState(sf: ts.SourceFile, rel: string, ctx: DetectContext): DetectorState {
  const scopes = new ScopeResolver();
  return {
    sf,
    rel,
    ctx,
    scopes,
    fx: { sf, scopes, text: sf.text },
    instances: new Map(),
    wrappers: new Map(),
    wrapperFns: new Map(),
    classMembers: new Map(),
    axiosDefaults: null,
    libs: ctx.libraries ?? libraryTable(),
    libraryClients: new Map(),
    innerOf: new Map(),
    blindSpots: [],
    linesCache: null,
    shapes: new Map(),
  };
}

export type Target =
  | { kind: 'library'; def: HttpDefinition; verb: string | null }
  | { kind: 'library-request'; model: LibraryModel; export: string }
  | { kind: 'endpoint'; def: HttpDefinition; endpointKind: string }
  | { kind: 'fetch' }
  | { kind: 'axios'; verb: string | null; defaults: HttpDefinition | null }
  | { kind: 'instance'; def: HttpDefinition; verb: string | null }
  | { kind: 'wrapper'; def: HttpDefinition; configured: boolean };

/** One argument as a wrapper body sees it: a node, or (for `...args`) a position of the wrapper's parameters. */
export type Arg = { node: ts.Expression } | { param: ParamRef } | undefined;

export interface Analysis {
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

/** The file's lines, split once when an ignore comment is first looked for. */
export function fileLines(st: DetectorState): string[] {
  st.linesCache ??= st.sf.text.split(/\r\n|\r|\n/);
  return st.linesCache;
}

/** 1-based line of a position. */
export function lineOf(st: DetectorState, pos: number): number {
  return st.sf.getLineAndCharacterOfPosition(pos).line + 1;
}

/** The library export a shape names, with its model and form, when it is one. */
export function libraryValue(st: DetectorState, shape: HttpShape | null): { model: LibraryModel; export: string; value: LibraryValue } | null {
  if (!shape || shape.kind !== 'library') return null;
  const model = st.libs.model(shape.model);
  const value = model?.exports[shape.export];
  return model && value ? { model, export: shape.export, value } : null;
}

/** The client form of a library client def. */
export function formOf(st: DetectorState, def: HttpDefinition): ClientForm | null {
  if (!def.library) return null;
  const value = st.libs.model(def.library.model)?.exports[def.library.export];
  return value && (value.is === 'client' || value.is === 'factory') ? value.client : null;
}

/** A callee without its parentheses and `!`. */
export function unwrapParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}
