// Blind spots read from the text and the import graph: requests made through a client this tool has no model of (tRPC's typed hooks and calls, generated API clients that are not in the workspace).
import type { ImportRecord } from '../graph/imports';
import type { BlindSpot } from '../model/types';

/** `trpc.document.find.useQuery(`, `api.post.list.useMutation(`, `trpc.x.y.query(` (three segments or more). */
const TRPC_CALL = /\b(?:trpc|api|client)\s*\.\s*(?:[\w$]+\s*\.\s*){1,4}(useQuery|useSuspenseQuery|useInfiniteQuery|useMutation|query|mutate)\s*\(/g;

/**
 * tRPC procedure calls in a file that mentions tRPC: each is a request to the app's tRPC endpoint that no
 * fetch/axios row stands for. Counted per line, not followed (the router decides the path).
 */
export function trpcBlindSpots(rel: string, text: string): BlindSpot[] {
  if (!text.includes('trpc')) return [];
  const out: BlindSpot[] = [];
  let line = 1;
  let lineStart = 0;
  let lastLine = 0;
  TRPC_CALL.lastIndex = 0;
  for (let m = TRPC_CALL.exec(text); m !== null; m = TRPC_CALL.exec(text)) {
    for (let nl = text.indexOf('\n', lineStart); nl !== -1 && nl < m.index; nl = text.indexOf('\n', lineStart)) {
      line++;
      lineStart = nl + 1;
    }
    if (line === lastLine) continue;
    lastLine = line;
    out.push({ file: rel, line, kind: 'trpc', detail: `a tRPC ${m[1]} call: a request to the tRPC endpoint, not followed to its procedure` });
  }
  return out;
}

/**
 * Packages that generate an API client from an OpenAPI document, and the runtime clients such generated code
 * imports. The generated folder is usually git-ignored and written by a build step (storefront's
 * `src/lib/.client/`), so the functions it exports are calls this tool never sees.
 */
const CLIENT_GENERATORS = [
  '@hey-api/openapi-ts',
  '@hey-api/client-fetch',
  '@hey-api/client-axios',
  'openapi-typescript-codegen',
  'orval',
  '@openapitools/openapi-generator-cli',
  'swagger-typescript-api',
  '@rtk-query/codegen-openapi',
  'kubb',
  '@kubb/cli',
];

/** The runtimes that generated clients call (`client.get({ url })`): requests through them are not followed. */
const GENERATED_CLIENT_RUNTIMES = ['@hey-api/client-fetch', '@hey-api/client-axios', '@hey-api/client-next', '@hey-api/client-nuxt', '@hey-api/client-ofetch'];

/** A generated module named as an API client: `sdk.gen`, `services.gen.js`, `generated/api`, `__generated__/client`. */
const GENERATED_CLIENT_MODULE = /(?:^|[/.])(?:sdk|services?|client|api|endpoints?)\.gen(?:\.[cm]?[jt]sx?)?$|(?:^|\/)(?:__)?generated(?:__)?\/(?:[\w.-]+\/)?(?:sdk|services?|client|api|endpoints?)(?:\.[cm]?[jt]sx?)?$/i;

/** Styles, images, data and other files a bundler imports: never a generated client, and never resolved as code. */
const ASSET_MODULE = /\.(?:css|scss|sass|less|styl|svg|png|jpe?g|gif|webp|avif|ico|bmp|json|md|mdx|html?|txt|ya?ml|toml|wasm|woff2?|ttf|otf|eot|mp[34]|webm|wav|ogg|glsl|graphql|gql)(?:\?[\w=&-]*)?$/i;

/** A module that holds only types (`types.gen`, `schema.d.ts`): importing it makes no request. */
const TYPES_MODULE = /(?:^|\/)(?:types?|models?|schemas?)(?:\.gen)?(?:\.d)?(?:\.[cm]?[jt]sx?)?$|\.d\.[cm]?ts$/i;

/** An import that may be of a generated API client: a blind spot when its module is not a workspace file. */
export interface GeneratedImport {
  specifier: string;
  spot: BlindSpot;
}

/** True when a package depends on a client generator, or the text names a generated module: only then are imports read for them. */
export function mayImportGeneratedClient(text: string, dependencies: ReadonlySet<string> | undefined): boolean {
  return (dependencies !== undefined && CLIENT_GENERATORS.some((g) => dependencies.has(g))) || text.includes('.gen') || text.includes('generated') || text.includes('@hey-api/');
}

/**
 * Imports that may be of a generated API client: in a package that depends on a client generator, a relative
 * import (not an npm package), or anywhere a generated module named as a client (`services.gen`, `generated/sdk`)
 * or the runtime generated clients call (`@hey-api/client-fetch`, never a workspace file).
 * One per module and file, at the first line that imports it; type-only imports and type modules are not
 * requests. The engine keeps those whose module resolves to no workspace file (generatedClientBlindSpots).
 */
export function generatedClientImports(rel: string, text: string, imports: readonly ImportRecord[], dependencies: ReadonlySet<string> | undefined): GeneratedImport[] {
  const generator = dependencies ? CLIENT_GENERATORS.find((g) => dependencies.has(g)) : undefined;
  const out: GeneratedImport[] = [];
  const seen = new Set<string>();
  for (const rec of imports) {
    const spec = rec.specifier;
    if (rec.typeOnly || seen.has(spec) || TYPES_MODULE.test(spec) || ASSET_MODULE.test(spec)) continue;
    if (rec.kind !== 'import' && rec.kind !== 'export' && rec.kind !== 'require' && rec.kind !== 'dynamic') continue;
    if (GENERATED_CLIENT_RUNTIMES.includes(spec)) {
      seen.add(spec);
      const at = firstQuoted(text, spec);
      out.push({ specifier: spec, spot: { file: rel, line: at < 0 ? 1 : lineAt(text, at), kind: 'generated-client', detail: `${spec} is the runtime of a generated API client; the requests made through it (\`client.get({ url })\`) are not followed` } });
      continue;
    }
    // Generated code is not always a client (Prisma's zod schemas): without a generator, only an SDK-named module counts.
    const looksGenerated = GENERATED_CLIENT_MODULE.test(spec);
    // A relative path, or a module named as generated; a bare npm package is somebody else's code, not generated here.
    if (!looksGenerated && !(generator && spec.startsWith('.'))) continue;
    seen.add(spec);
    const at = firstQuoted(text, spec);
    const line = at < 0 ? 1 : lineAt(text, at);
    const by = generator ? `generated by ${generator}` : 'generated code';
    out.push({ specifier: spec, spot: { file: rel, line, kind: 'generated-client', detail: `${spec} is not in the workspace (${by}, written by a build step); the requests its functions make are not listed` } });
  }
  return out;
}

/** The blind spots among a file's generated-client imports: those whose module is no workspace file. */
export function generatedClientBlindSpots(candidates: readonly GeneratedImport[], resolve: (specifier: string) => string | null): BlindSpot[] {
  return candidates.filter((c) => resolve(c.specifier) === null).map((c) => c.spot);
}

/** Where a module is first imported for its values: the first quoted occurrence not on an `import type`/`export type` line. */
function firstQuoted(text: string, spec: string): number {
  for (const q of ["'", '"', '`']) {
    for (let i = text.indexOf(q + spec + q); i >= 0; i = text.indexOf(q + spec + q, i + 1)) {
      const lineStart = text.lastIndexOf('\n', i) + 1;
      if (!/^\s*(?:import|export)\s+type\b/.test(text.slice(lineStart, i))) return i;
    }
  }
  return -1;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
