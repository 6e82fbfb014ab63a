// The plain data detection hands on: an HTTP definition (instance or wrapper), what a name stands for, a file's detection and its context.
import type { ParamRef, UrlPart } from './url';
import type { Client, Credential, CallRecord, BlindSpot } from '../model/types';
import type { LibraryTable } from './libraries';

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
