// The table of HTTP libraries built on fetch or axios (DESIGN.md §3): one entry per library says what makes a request and where its URL, method, base URL and headers come from; users add entries with `apiAtlas.clients`.
import type { ClientForm, LibraryModel, RequestForm } from '../model/libraries';

export type { ArgPath, ClientForm, EndpointsForm, LibraryModel, LibraryValue, RequestForm } from '../model/libraries';


const LOWER_VERBS = { get: 'GET', post: 'POST', put: 'PUT', patch: 'PATCH', delete: 'DELETE', head: 'HEAD' };

const KY_CLIENT: ClientForm = {
  callable: { url: 0, options: 1 },
  verbs: LOWER_VERBS,
  verbArgs: { url: 0, options: 1 },
  options: { method: 'method', baseURL: ['prefixUrl', 'prefix'], headers: 'headers', query: ['searchParams'] },
  derive: ['create', 'extend'],
  defaultMethod: 'GET',
};

const OFETCH_CLIENT: ClientForm = {
  callable: { url: 0, options: 1 },
  verbs: { raw: '' },
  verbArgs: { url: 0, options: 1 },
  options: { method: 'method', baseURL: ['baseURL', 'baseUrl'], headers: 'headers', query: ['query', 'params'] },
  derive: ['create'],
  defaultMethod: 'GET',
};

const BETTER_FETCH_CLIENT: ClientForm = {
  callable: { url: 0, options: 1 },
  options: { method: 'method', baseURL: ['baseURL'], headers: 'headers', query: ['query'] },
  methodPrefix: true,
  defaultMethod: 'GET',
};

const OPENAPI_FETCH_CLIENT: ClientForm = {
  verbs: { GET: 'GET', POST: 'POST', PUT: 'PUT', PATCH: 'PATCH', DELETE: 'DELETE', HEAD: 'HEAD', OPTIONS: 'OPTIONS' },
  verbArgs: { url: 0, options: 1 },
  options: { baseURL: ['baseUrl'], headers: 'headers' },
  defaultMethod: 'GET',
};

const WRETCH_CLIENT: ClientForm = {
  verbs: { get: 'GET', delete: 'DELETE', head: 'HEAD', opts: 'OPTIONS', post: 'POST', put: 'PUT', patch: 'PATCH' },
  // wretch v2: `.get(url)`, `.post(body, url)`.
  verbArgs: { url: 0, options: -1, urlByVerb: { post: 1, put: 1, patch: 1 } },
  options: { headers: 'headers' },
  // `formData`/`formUrl`/`json`/`body` before the verb set the body (addons and wretch itself); they keep the URL.
  chain: {
    appendUrl: ['url'],
    query: ['query'],
    headers: ['headers', 'auth'],
    keep: ['options', 'accept', 'content', 'addon', 'errorType', 'catcher', 'resolve', 'middlewares', 'signal', 'fetchPolyfill', 'polyfills', 'defer', 'formData', 'formUrl', 'json', 'body'],
  },
  defaultMethod: 'GET',
};

const GOT_CLIENT: ClientForm = { ...KY_CLIENT, derive: ['extend'] };

const SWR_REQUEST: RequestForm = {
  url: { arg: 0, element: 0 },
  urlMayBeFunction: true,
  method: 'GET',
  requires: { arg: 1 },
  region: 'swr-fetcher',
  regionArg: { arg: 1 },
};

const TANSTACK_QUERY: RequestForm = {
  url: { arg: 0, prop: 'queryKey', element: 0 },
  method: 'GET',
  unless: { arg: 0, prop: 'queryFn' },
  urlMustLookLikePath: true,
  region: 'query-fn',
};

const TANSTACK_PACKAGES = ['@tanstack/react-query', '@tanstack/vue-query', '@tanstack/svelte-query', '@tanstack/solid-query', '@tanstack/angular-query-experimental', 'react-query'];

/** The built-in models. Order does not matter; ids are unique. */
export const LIBRARY_MODELS: readonly LibraryModel[] = [
  {
    id: 'rtk-query',
    packages: ['@reduxjs/toolkit/query/react', '@reduxjs/toolkit/query'],
    runsOn: 'fetch',
    exports: {
      createApi: {
        is: 'endpoints',
        endpoints: {
          endpoints: 'endpoints',
          kinds: { query: 'GET', mutation: 'POST', infiniteQuery: 'GET' },
          request: 'query',
          baseQuery: { prop: 'baseQuery', factory: 'fetchBaseQuery', baseURL: 'baseUrl' },
          inject: ['injectEndpoints', 'enhanceEndpoints'],
        },
      },
    },
  },
  {
    id: 'swr',
    packages: ['swr', 'swr/infinite', 'swr/mutation', 'swr/immutable'],
    runsOn: 'fetch',
    defaults: { 'swr/infinite': 'useSWRInfinite', 'swr/mutation': 'useSWRMutation', 'swr/immutable': 'useSWRImmutable' },
    exports: {
      default: { is: 'request', request: SWR_REQUEST },
      useSWR: { is: 'request', request: SWR_REQUEST },
      useSWRImmutable: { is: 'request', request: SWR_REQUEST },
      useSWRInfinite: { is: 'request', request: SWR_REQUEST },
      // The method is the fetcher's; `null` until the fetcher's own request is read.
      useSWRMutation: { is: 'request', request: { ...SWR_REQUEST, method: null } },
    },
  },
  {
    id: 'tanstack-query',
    packages: TANSTACK_PACKAGES,
    runsOn: 'fetch',
    exports: {
      useQuery: { is: 'request', request: TANSTACK_QUERY },
      useSuspenseQuery: { is: 'request', request: TANSTACK_QUERY },
      createQuery: { is: 'request', request: TANSTACK_QUERY },
      useInfiniteQuery: { is: 'request', request: TANSTACK_QUERY },
    },
  },
  {
    id: 'ai-sdk',
    packages: ['ai', 'ai/react', '@ai-sdk/react', '@ai-sdk/vue', '@ai-sdk/svelte'],
    runsOn: 'fetch',
    exports: {
      useChat: { is: 'request', request: { url: { arg: 0, prop: 'api' }, defaultUrl: '/api/chat', method: 'POST', headers: { arg: 0, prop: 'headers' }, unless: { arg: 0, prop: 'transport' }, region: 'chat-transport' } },
      useCompletion: { is: 'request', request: { url: { arg: 0, prop: 'api' }, defaultUrl: '/api/completion', method: 'POST', headers: { arg: 0, prop: 'headers' } } },
      useObject: { is: 'request', request: { url: { arg: 0, prop: 'api' }, method: 'POST', headers: { arg: 0, prop: 'headers' } } },
      DefaultChatTransport: { is: 'request', request: { url: { arg: 0, prop: 'api' }, defaultUrl: '/api/chat', method: 'POST', headers: { arg: 0, prop: 'headers' }, region: 'chat-transport', regionArg: { arg: 0, prop: 'fetch' } } },
      TextStreamChatTransport: { is: 'request', request: { url: { arg: 0, prop: 'api' }, defaultUrl: '/api/chat', method: 'POST', headers: { arg: 0, prop: 'headers' }, region: 'chat-transport' } },
    },
  },
  {
    id: 'better-fetch',
    packages: ['@better-fetch/fetch'],
    runsOn: 'fetch',
    exports: {
      createFetch: { is: 'factory', client: BETTER_FETCH_CLIENT, optionsArg: 0 },
      betterFetch: { is: 'client', client: BETTER_FETCH_CLIENT },
    },
  },
  {
    id: 'openapi-fetch',
    packages: ['openapi-fetch'],
    runsOn: 'fetch',
    exports: { default: { is: 'factory', client: OPENAPI_FETCH_CLIENT, optionsArg: 0 }, createClient: { is: 'factory', client: OPENAPI_FETCH_CLIENT, optionsArg: 0 } },
  },
  { id: 'ky', packages: ['ky', 'ky-universal'], runsOn: 'fetch', exports: { default: { is: 'client', client: KY_CLIENT } } },
  {
    id: 'ofetch',
    packages: ['ofetch', 'ohmyfetch'],
    runsOn: 'fetch',
    exports: { ofetch: { is: 'client', client: OFETCH_CLIENT }, $fetch: { is: 'client', client: OFETCH_CLIENT }, createFetch: { is: 'factory', client: OFETCH_CLIENT, optionsArg: 0 } },
  },
  {
    id: 'nuxt',
    packages: ['#app', '#imports', 'nuxt/app'],
    runsOn: 'fetch',
    exports: {
      $fetch: { is: 'client', client: OFETCH_CLIENT },
      useFetch: { is: 'request', request: { url: { arg: 0 }, method: { arg: { arg: 1, prop: 'method' }, fallback: 'GET' }, headers: { arg: 1, prop: 'headers' } } },
      useLazyFetch: { is: 'request', request: { url: { arg: 0 }, method: { arg: { arg: 1, prop: 'method' }, fallback: 'GET' }, headers: { arg: 1, prop: 'headers' } } },
      useRequestFetch: { is: 'factory', client: OFETCH_CLIENT, optionsArg: -1 },
    },
    // Nitro (Nuxt's server, or a standalone `nitropack` app) auto-imports `$fetch` as well.
    globals: { when: ['nuxt', 'nuxt3', 'nitropack', 'nitro'], names: { $fetch: '$fetch', useFetch: 'useFetch', useLazyFetch: 'useLazyFetch', useRequestFetch: 'useRequestFetch' } },
  },
  { id: 'wretch', packages: ['wretch'], runsOn: 'fetch', exports: { default: { is: 'factory', client: WRETCH_CLIENT, baseURLArg: 0, optionsArg: 1 } } },
  { id: 'got', packages: ['got'], runsOn: 'fetch', exports: { default: { is: 'client', client: GOT_CLIENT }, got: { is: 'client', client: GOT_CLIENT } } },
  {
    id: 'superagent',
    packages: ['superagent'],
    runsOn: 'fetch',
    exports: { default: { is: 'client', client: { verbs: { ...LOWER_VERBS, del: 'DELETE' }, verbArgs: { url: 0, options: -1 }, options: {}, defaultMethod: 'GET' } } },
  },
];

/** The models by import source, built-in first, then the user's `apiAtlas.clients` (which may add or replace). */
export class LibraryTable {
  private readonly byPackage = new Map<string, LibraryModel>();
  private readonly byId = new Map<string, LibraryModel>();

  constructor(models: readonly LibraryModel[]) {
    for (const m of models) {
      this.byId.set(m.id, m);
      for (const p of m.packages) this.byPackage.set(p, m);
    }
  }

  modelOf(pkg: string): LibraryModel | undefined {
    return this.byPackage.get(pkg);
  }

  model(id: string): LibraryModel | undefined {
    return this.byId.get(id);
  }

  get packages(): string[] {
    return [...this.byPackage.keys()];
  }

  get models(): LibraryModel[] {
    return [...this.byId.values()];
  }

  /** Auto-imported names allowed by a package's dependencies: local name → [model, export]. */
  globalsFor(dependencies: ReadonlySet<string> | undefined): Record<string, { model: string; export: string }> {
    const out: Record<string, { model: string; export: string }> = {};
    if (!dependencies) return out;
    for (const m of this.byId.values()) {
      if (!m.globals || !m.globals.when.some((d) => dependencies.has(d))) continue;
      for (const [local, exp] of Object.entries(m.globals.names)) out[local] = { model: m.id, export: exp };
    }
    return out;
  }
}

/** The table for a scan: the built-in models plus the user's (a user's entry with a built-in id replaces it). */
export function libraryTable(userModels: readonly LibraryModel[] = []): LibraryTable {
  if (userModels.length === 0) return DEFAULT_TABLE;
  const ids = new Set(userModels.map((m) => m.id));
  return new LibraryTable([...LIBRARY_MODELS.filter((m) => !ids.has(m.id)), ...userModels]);
}

const DEFAULT_TABLE = new LibraryTable(LIBRARY_MODELS);

