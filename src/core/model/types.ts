// The shapes shared by every part of the engine, the CLI and the extension (docs/design.md §2, §5, §8).
import type { LibraryModel } from './libraries';

/** Where code runs, in the order every view lists them. */
export const RUNTIMES = ['frontend', 'backend', 'isomorphic', 'unknown'] as const;
export type Runtime = (typeof RUNTIMES)[number];
/**
 * How the request is made at the call site: fetch, axios, an axios instance, a wrapper function, or the id of a
 * library model (`swr`, `rtk-query`, `ky`, … or a user's `apiAtlas.clients` entry; see detect/libraries.ts).
 */
export type Client = 'fetch' | 'axios' | 'axios-instance' | 'wrapper' | (string & {});
export type Severity = 'error' | 'warning' | 'info';
export type RuleSetting = Severity | 'off';
export type UrlKind = 'relative' | 'absolute' | 'dynamic';

export const RULE_IDS = [
  'client-secret',
  'public-env-secret',
  'hardcoded-secret',
  'third-party-direct',
  'cross-origin',
  'insecure-http',
  'request-waterfall',
  'polling',
  'no-error-handling',
  'no-timeout',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** Knowledge topics of docs/design.md §6; each is `docs/knowledge/<id>.md`. */
export const TOPIC_IDS = [
  'real-time-updates',
  'user-experience',
  'reduced-server-load',
  'offline-caching',
  'security',
  'data-validation',
  'third-party-secrets',
  'business-logic',
  'scalability',
  'hybrid-auth',
  'client-caching',
  'cors',
  'api-design',
  'decision-guide',
] as const;
export type TopicId = (typeof TOPIC_IDS)[number];

export type Context =
  | 'next-client-component'
  | 'next-server-component'
  | 'next-route-handler'
  | 'next-middleware'
  | 'next-server-action'
  | 'next-pages-data'
  | 'next-pages-api'
  | 'sveltekit-server'
  | 'sveltekit-universal'
  | 'nuxt-server'
  | 'remix-server'
  /** A React Router 7 / Remix route module's browser side: rendered on the server first, then run in the browser. */
  | 'react-router-route'
  /** Astro server code: an endpoint under src/pages/ (at request time, or at build time when prerendered). */
  | 'astro-server'
  | 'spa'
  | 'service-worker'
  /** A dedicated or shared Web Worker: a browser thread without the page's DOM (`new Worker(...)`, `self.onmessage`). */
  | 'web-worker'
  | 'node-server'
  | 'node-script'
  | 'edge-worker'
  | 'shared-module'
  /** A component rendered on the server and hydrated in the browser (Next.js pages router, Nuxt). */
  | 'ssr-component'
  /** React Native / Expo: runs on the user's device, as exposed as a browser. */
  | 'mobile-app'
  /** A browser extension's background script or service worker (manifest.json `background`). */
  | 'extension-background'
  /** A browser extension's content script, run inside the pages it matches (manifest.json `content_scripts`). */
  | 'extension-content-script'
  /** A browser extension's own page: options, popup, side panel (manifest.json `options_page`, `action.default_popup`). */
  | 'extension-page'
  | 'test'
  | 'unknown';

/** 1-based, as an editor shows them. */
export interface Position {
  line: number;
  column: number;
}
export interface Range {
  start: Position;
  end: Position;
}
/** 0-based character offsets into the file's text (after BOM removal), for edits. */
export interface Span {
  start: number;
  end: number;
}

export interface UrlInfo {
  text: string;
  template: string | null;
  host: string | null;
  kind: UrlKind;
}

export interface Evidence {
  signal: string;
  detail: string;
  runtime: Runtime;
  weight: number;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  topics: TopicId[];
  /** Set when an ignore comment silences it: kept so the tree can grey it out; not a diagnostic. */
  silenced?: boolean;
}

/** The public shape of one call (docs/design.md §2). */
export interface Call {
  id: string;
  file: string;
  range: Range;
  client: Client;
  via?: string;
  method: string | null;
  url: UrlInfo;
  /** `METHOD /url/template` with the base URL joined (`?` for an unknown method); null when the URL is unknown. What the tree groups by. */
  endpoint?: string | null;
  /** For a wrapper's inner request listed because the wrapper has no known call site: says so. */
  note?: string;
  runtime: Runtime;
  context: Context;
  confidence: number;
  evidence: Evidence[];
  findings: Finding[];
}

/** Where a secret-looking value in a request comes from. */
export type CredentialSource =
  | 'env' // process.env.X, import.meta.env.X, $env/static/* import, Deno.env.get
  | 'literal' // a string literal in the code
  | 'user-input' // typed in at run time (prompt, input value, function parameter named like it)
  | 'session' // the user's own session token (localStorage/cookie/session/auth state)
  | 'unknown';

export interface Credential {
  source: CredentialSource;
  /** Where it sits in the request. */
  placement: 'header' | 'query' | 'body' | 'url' | 'auth' | 'instance-default';
  /** Header, query or body field name when known (e.g. `Authorization`, `api_key`). */
  field?: string;
  /** Env var name for source 'env' (e.g. `NEXT_PUBLIC_OPENAI_KEY`). */
  envName?: string;
  /** How the env var is read: `process.env`, `import.meta.env`, `$env/static/public`, ... */
  envAccess?: string;
  /** The literal text for source 'literal' (never printed unmasked by reporters). */
  literal?: string;
  /**
   * The constant the value was read from (`const API_KEY = '…'` → `API_KEY`): its name can say it is a key when
   * the field it is sent under (`appid=`) does not. For such a literal, `text`/`span` are the declared string.
   */
  valueName?: string;
  /** The source text of the expression, for messages and fixes. */
  text: string;
  span: Span;
  /** Set when the credential sits in another file than the call (an instance's defaults, a wrapper's body); `span` is in that file. */
  file?: string;
}

/**
 * One branching node above a call (`if`, a ternary, a `switch`'s clauses) and the arm the call sits in, recorded at
 * detection so no rule parses the file again. `start`/`end` name the node; `arm` is 0 for the condition of an `if`
 * or a ternary, 1 for its then-arm, 2 for its else-arm, and the clause index in a `switch`.
 */
export interface BranchStep {
  kind: 'if' | 'ternary' | 'switch';
  start: number;
  end: number;
  arm: number;
  /** For a `switch` clause: it holds a top-level `return`/`throw`/`break`/`continue`, so it never falls through. */
  clauseExits: boolean;
  /** For an `if` arm or a `switch` clause: from the statement holding the call on, the arm always leaves. */
  leaves: boolean;
}

/** Facts the detector extracts about one call, used by rules and fixes; not part of the JSON output. */
export interface CallFacts {
  /** Source text of the callee, e.g. `fetch`, `axios.post`, `api.get`, `shopifyFetch`. */
  callee: string;
  span: Span;
  /** The URL argument (or `url:` property of a config object). */
  urlSpan?: Span;
  /** The options/config/data argument objects as written. */
  argSpans: Span[];
  /** `baseURL` of the instance, resolved to text when static. */
  baseURL?: string | null;
  headers: { name: string; valueText: string }[];
  credentials: Credential[];
  hasBody: boolean;
  hasErrorHandling: boolean;
  hasTimeout: boolean;
  awaited: boolean;
  /** The innermost named or anonymous function that contains the call. */
  enclosingFunction?: { name: string; span: Span };
  /** The branches the call sits in, outermost first: what `request-waterfall` needs to tell exclusive calls apart. */
  branches: BranchStep[];
  /** Inside setInterval or a setTimeout that reschedules itself. */
  inTimer: boolean;
  /** Rules silenced by `api-atlas-ignore-next-line` on the previous line (`*` for all). */
  ignoredRules: string[];
  /** For instance/wrapper calls: where the instance or wrapper is defined. */
  definition?: { name: string; file: string; line: number };
  /** This request is the inner request of the wrapper defined here: when the wrapper has call sites, they are the rows. */
  innerOf?: { name: string; file: string; line: number };
  /**
   * Set by the engine's link of TanStack Query's default queryFn (detect/inner-requests.ts): `row` for a key
   * fetched by it (its `definition` and `via` point there), `inner` for the default queryFn's own request.
   */
  defaultQueryFn?: 'row' | 'inner';
  /** A request made by a library: its model id, what it runs on, and the callback the library runs (and whose errors it catches). */
  library?: { id: string; runsOn: 'fetch' | 'axios'; region?: string; callbackSpan?: Span };
}

/** A call as the engine holds it in memory. `facts` is stripped from the JSON output. */
export interface CallRecord extends Call {
  facts: CallFacts;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

/**
 * A place where the engine saw an HTTP client value but could not follow it to requests: `fetch` or an instance
 * handed to a function it does not know, a tRPC hook, a generated SDK. What a user should check by hand.
 */
export interface BlindSpot {
  file: string;
  line: number;
  /** `generated-client`: an import of a generated API client (hey-api, openapi-typescript-codegen, orval) whose code is not in the workspace. */
  kind: 'client-handed-on' | 'trpc' | 'depth-limit' | 'generated-client';
  /** One sentence: what was seen and why it was not followed. */
  detail: string;
}

export interface ScanStats {
  filesSeen: number;
  filesParsed: number;
  calls: number;
  durationMs: number;
  skipped: SkippedFile[];
  /** What the engine saw but could not follow; omitted when empty. */
  blindSpots?: BlindSpot[];
}

export interface ScanResult {
  tool: 'api-atlas';
  version: string;
  root: string;
  calls: Call[];
  stats: ScanStats;
}

/** The `apiAtlas.*` settings (docs/design.md §8), shared by the extension and the CLI. */
export interface Settings {
  include: string[];
  exclude: string[];
  maxFileSizeKB: number;
  rules: Partial<Record<RuleId, RuleSetting>>;
  runtimeOverrides: Record<string, Runtime>;
  wrappers: string[];
  /** `apiAtlas.clients`: more HTTP libraries, as entries of the library table (model/libraries.ts). */
  clients: LibraryModel[];
  includeTests: boolean;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  include: [],
  exclude: [],
  maxFileSizeKB: 1024,
  rules: {},
  runtimeOverrides: {},
  wrappers: [],
  clients: [],
  includeTests: false,
});
