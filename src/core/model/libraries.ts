// The shape of one HTTP library model (DESIGN.md §3): what makes a request and where its URL, method, base URL and headers come from; the built-in table is detect/libraries.ts, users add entries with `apiAtlas.clients`.

/** Where a value sits among a call's arguments: `{ arg: 0 }`, `{ arg: 0, prop: 'api' }`, `{ arg: 0, prop: 'queryKey', element: 0 }`. */
export interface ArgPath {
  arg: number;
  /** A property of that argument when it is an object literal (or a constant bound to one). */
  prop?: string;
  /** An element of that value when it is an array literal (`queryKey: ['/api/x', id]`, `useSWR(['/api/x', id])`). */
  element?: number;
}

/** How calls through a client read (ky, ofetch's `$fetch`, better-fetch's `$fetch`, an openapi-fetch client, wretch). */
export interface ClientForm {
  /** `client(url, options)` is a request: where its URL and options sit. */
  callable?: { url: number; options: number };
  /** `client.get(url, options)`: verb member names and the HTTP method each means. */
  verbs?: Record<string, string>;
  /** Positions for verb calls; `urlByVerb` overrides the URL position for some verbs (wretch v2: `.post(body, url)`). */
  verbArgs?: { url: number; options: number; urlByVerb?: Record<string, number> };
  /** Options keys, in the options object of a call or of a factory. */
  options: { method?: string; baseURL?: string[]; headers?: string; query?: string[] };
  /** Members that return a derived client with the same form: `ky.create(opts)`, `ky.extend(opts)`, `$fetch.create(opts)`. */
  derive?: string[];
  /**
   * Chain members that return a derived client (wretch): `url` appends its first argument to the URL, `query` adds
   * its object as query parameters (which stay after any path appended later), `headers` adds headers, the rest keep all.
   */
  chain?: { appendUrl?: string[]; query?: string[]; headers?: string[]; keep?: string[] };
  /** better-fetch: `'@post/path'` names the method in the path. */
  methodPrefix?: boolean;
  /** The method when neither the verb nor the options say it. */
  defaultMethod: string;
}

/** A call that makes one request where it stands (`useSWR(key, fetcher)`, `useFetch(url)`, `useChat({ api })`). */
export interface RequestForm {
  url: ArgPath;
  /** Used when the URL argument is absent (`useChat()` posts to `/api/chat`). */
  defaultUrl?: string;
  /** The URL may be a function returning it (SWR key functions). */
  urlMayBeFunction?: boolean;
  /** A fixed method, `null` when only the fetcher knows it (`useSWRMutation`), or an option of the call. */
  method: string | null | { arg: ArgPath; fallback: string | null };
  /** The call makes a request only with this argument present and not `null`/`undefined` (SWR's fetcher). */
  requires?: ArgPath;
  /** The call makes a request only without this property in its first argument (TanStack's `queryFn`: the request is inside it). */
  unless?: ArgPath;
  /** The URL must read as a path or URL (`/api/x`, `https://…`), not a plain cache key (`'todos'`). */
  urlMustLookLikePath?: boolean;
  /** Headers option, when the call takes one. */
  headers?: ArgPath;
  /** The callbacks the library runs in the browser and whose errors it catches (for placement and findings). */
  region?: 'swr-fetcher' | 'query-fn' | 'chat-transport';
  /** Where the callback sits: the fetcher argument, a `queryFn` property. */
  regionArg?: ArgPath;
}

/** RTK Query: `createApi({ baseQuery: fetchBaseQuery({ baseUrl }), endpoints: (b) => ({ x: b.query({ query: () => '/x' }) }) })`. */
export interface EndpointsForm {
  /** The property of the config holding the endpoints builder function. */
  endpoints: string;
  /** Builder members that define an endpoint, and the method when the endpoint's result does not say. */
  kinds: Record<string, string>;
  /** The property of an endpoint definition that returns the URL or `{ url, method, params, body }`. */
  request: string;
  /** The base query property and the factory that builds it, with its base URL option. */
  baseQuery: { prop: string; factory: string; baseURL: string };
  /** Members of the result that add endpoints with the same form (`api.injectEndpoints({ endpoints })`). */
  inject: string[];
}

/** What an export of a library is. */
export type LibraryValue =
  | { is: 'client'; client: ClientForm }
  /** A function returning a client: `createFetch(options)`, `createClient(options)`, `wretch(base, options)`. */
  | { is: 'factory'; client: ClientForm; baseURLArg?: number; optionsArg: number }
  | { is: 'request'; request: RequestForm }
  | { is: 'endpoints'; endpoints: EndpointsForm };

export interface LibraryModel {
  /** The `client` value of its calls: `swr`, `ky`, `rtk-query`. */
  id: string;
  /** Import sources that provide it. */
  packages: string[];
  /** What the request is made with underneath. */
  runsOn: 'fetch' | 'axios';
  /** Export name (`default` for the default export) → what it is. */
  exports: Record<string, LibraryValue>;
  /** Packages whose default export is one of `exports` (`swr/mutation` → `useSWRMutation`). */
  defaults?: Record<string, string>;
  /** Names usable without an import where a dependency says so (Nuxt auto-imports `$fetch`, `useFetch`). */
  globals?: { when: string[]; names: Record<string, string> };
}

/**
 * Checks one `apiAtlas.clients` entry as the user wrote it (JSON): returns the model or the sentence saying
 * what is wrong. Only the shape is checked; a form that matches nothing in the code simply finds nothing.
 */
export function validateLibraryModel(raw: unknown): LibraryModel | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'each entry must be an object like { "id": "my-client", "packages": ["@acme/http"], "exports": { … } }';
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'string' || !/^[a-z0-9][\w.-]*$/i.test(r.id)) return '"id" must be a short name such as "acme-http"';
  if (!Array.isArray(r.packages) || r.packages.length === 0 || !r.packages.every((p) => typeof p === 'string' && p !== '')) return `"${r.id}": "packages" must be a non-empty list of import sources`;
  const runsOn = r.runsOn ?? 'fetch';
  if (runsOn !== 'fetch' && runsOn !== 'axios') return `"${r.id}": "runsOn" must be "fetch" or "axios"`;
  if (typeof r.exports !== 'object' || r.exports === null || Array.isArray(r.exports)) return `"${r.id}": "exports" must map export names to { "is": "client" | "factory" | "request" | "endpoints", … }`;
  for (const [name, v] of Object.entries(r.exports as Record<string, unknown>)) {
    const kind = (v as { is?: unknown } | null)?.is;
    if (kind === 'client' || kind === 'factory') {
      const client = (v as { client?: unknown }).client as Partial<ClientForm> | undefined;
      if (!client || typeof client !== 'object' || (!client.callable && !client.verbs)) return `"${r.id}".${name}: a ${kind} needs "client": { "callable": { "url": 0, "options": 1 } } or "verbs"`;
      if (typeof client.defaultMethod !== 'string') (client as ClientForm).defaultMethod = 'GET';
      client.options ??= {};
      if (kind === 'factory' && typeof (v as { optionsArg?: unknown }).optionsArg !== 'number') (v as { optionsArg: number }).optionsArg = 0;
    } else if (kind === 'request') {
      const req = (v as { request?: Partial<RequestForm> }).request;
      if (!req || typeof req !== 'object' || typeof req.url?.arg !== 'number') return `"${r.id}".${name}: a request needs "request": { "url": { "arg": 0 }, "method": "GET" }`;
      if (req.method === undefined) req.method = 'GET';
    } else if (kind !== 'endpoints') {
      return `"${r.id}".${name}: "is" must be "client", "factory", "request" or "endpoints"`;
    }
  }
  const model: LibraryModel = { id: r.id, packages: r.packages as string[], runsOn, exports: r.exports as Record<string, LibraryValue> };
  if (isRecordOfStrings(r.defaults)) model.defaults = r.defaults;
  const g = r.globals as { when?: unknown; names?: unknown } | undefined;
  if (g && Array.isArray(g.when) && g.when.every((w) => typeof w === 'string') && isRecordOfStrings(g.names)) model.globals = { when: g.when as string[], names: g.names };
  return model;
}

function isRecordOfStrings(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}
