// Turns a parsed call into the fixed description of its proxy: upstream origin and path, parameters, allowed query, headers, secret.
import ts from 'typescript';
import { holeName } from '../../detect/url';
import { isBrowserExposedEnvName, isSecretName, stripAuthScheme } from '../../rules/secrets';
import type { CallSite, SecretUse, UrlPiece } from './callsite';
import { envReadName, flattenString, resolveConst } from './callsite';
import { propertyNameText } from '../../parse/scope';
import { serviceNameFromHost } from './env';

/** A run-time piece of the client's URL, passed to the proxy as a query parameter. */
export interface ClientValue {
  /** Query parameter name on the proxy route. */
  name: string;
  /** How the client builds the value today (text pieces are already URL-encoded as written). */
  pieces: UrlPiece[];
}

export interface ProxySpec {
  /** `openai-chat-completions` */
  name: string;
  method: string;
  /** `https://api.openai.com` (URL.origin form). */
  upstreamOrigin: string;
  host: string;
  /** The upstream path: fixed text and path parameters (each a whole or partial segment). */
  pathParts: ({ text: string } | { param: string })[];
  /** Path parameters, validated by a strict pattern on the server. */
  pathParams: ClientValue[];
  /** Query parameters the client may send, forwarded as they come. */
  dynamicQuery: ClientValue[];
  /** Query text built at run time whose parameter names are not known (`?${params}`). */
  opaqueQuery: UrlPiece[];
  /** Names the proxy accepts from the client and forwards. */
  allowedQuery: string[];
  fixedQuery: [string, string][];
  /** Static request headers of the original call, reproduced by the proxy. */
  fixedHeaders: [string, string][];
  /** Request headers copied from the client (never cookie, authorization or hop-by-hop ones). */
  forwardedHeaders: string[];
  secret: (Omit<SecretUse, 'property' | 'source'> & { source: SecretUse['source'] }) | null;
  sendsBody: boolean;
  /** `POST https://api.openai.com/v1/chat/completions` for comments and titles. */
  description: string;
  notes: string[];
}

/** Headers the browser or the connection owns, or that carry the user's identity: never copied to the upstream. */
const NEVER_FORWARDED = /^(cookie|authorization|proxy-.*|host|content-length|connection|keep-alive|transfer-encoding|te|trailer|upgrade|origin|referer|x-forwarded-.*|forwarded|x-real-ip)$/;

export type SpecResult = { ok: true; spec: ProxySpec } | { ok: false; reason: string };

function textOf(pieces: UrlPiece[]): string {
  return pieces.map((p) => (p.kind === 'text' ? p.text : '')).join('');
}

/** axios joins a relative URL to `baseURL` with one slash; an absolute URL ignores it. */
function joinedPieces(site: CallSite): UrlPiece[] | null {
  const own = site.urlPieces;
  const first = own[0];
  const absolute = first?.kind === 'text' && /^[a-z][a-z0-9+.-]*:\/\//i.test(first.text);
  if (site.call.client !== 'axios-instance' || absolute) return own;
  if (site.baseURL === null || site.baseURL === undefined) return null;
  const base = site.baseURL.replace(/(?<!\/)\/+$/, '');
  if (own.length === 0) return [{ kind: 'text', text: base }];
  if (first?.kind === 'text') return [{ kind: 'text', text: `${base}/${first.text.replace(/^\/+/, '')}` }, ...own.slice(1)];
  return [{ kind: 'text', text: `${base}/` }, ...own];
}

function uniqueName(wanted: string, taken: Set<string>): string {
  let base = wanted.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1') || 'param';
  if (base === 'param' && taken.has(base)) base = 'param';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
  taken.add(name);
  return name;
}

/** True when `decodeURIComponent` accepts the text (every `%` starts a valid escape of UTF-8). */
function isDecodable(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    // URIError is the answer here, not a failure: the caller refuses the call with a reason.
    return false;
  }
}

/** The proxy name from host and path: `api.openai.com/v1/chat/completions` → `openai-chat-completions`. */
export function proxyNameFor(host: string, pathParts: ProxySpec['pathParts']): string {
  const service = serviceNameFromHost(host).toLowerCase().replace(/_/g, '-');
  const fixedText = pathParts.map((p) => ('text' in p ? p.text : '/')).join('');
  const words = fixedText
    .split('/')
    .map((s) => s.replace(/\.(json|xml|php|html?)$/i, '').toLowerCase())
    .filter((s) => s && !/^(v?\d+(\.\d+)*|api|rest|json|xml)$/.test(s))
    .map((s) => s.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, ''))
    .filter(Boolean);
  const tail = words.filter((w) => w !== service).slice(-3);
  return [service, ...tail].join('-').slice(0, 60).replace(/(?<!-)-+$/, '') || 'upstream';
}

/** A value of `?name=value` that is the secret: by detector facts (field/literal) or by its look. */
function querySecret(site: CallSite, name: string, pieces: UrlPiece[]): SecretUse | null {
  const creds = site.call.facts.credentials.filter((c) => c.placement === 'query' || c.placement === 'url');
  const exprs = pieces.filter((p): p is Extract<UrlPiece, { kind: 'expr' }> => p.kind === 'expr');
  const byFacts = creds.find((c) => (c.field !== undefined && c.field === name) || (c.literal !== undefined && textOf(pieces).includes(c.literal)) || exprs.some((e) => c.span.start <= e.node.getStart(site.sf) && e.node.end <= c.span.end));
  const env = exprs.length === 1 ? envReadName(exprs[0].node) : null;
  const looksSecret = (isSecretName(name) || /^(key|api_?key|apikey|app_?id|app_?key|token|access_?token|auth_?token|client_?secret)$/i.test(name)) &&
    (exprs.length === 0 ? stripAuthScheme(textOf(pieces)).length >= 16 : env !== null && isBrowserExposedEnvName(env.name) !== null);
  if (!byFacts && !looksSecret) return null;
  if (exprs.length > 1) return null;
  if (exprs.length === 1) {
    const envName = env?.name ?? (byFacts?.source === 'env' ? byFacts.envName : undefined);
    if (!envName) return null;
    const index = pieces.indexOf(exprs[0]);
    return { placement: 'query', field: name, prefix: textOf(pieces.slice(0, index)), suffix: textOf(pieces.slice(index + 1)), source: { kind: 'env', name: envName } };
  }
  const value = decodeURIComponent(textOf(pieces));
  return { placement: 'query', field: name, prefix: '', suffix: '', source: { kind: 'literal', value } };
}

/** Query parameter names of `new URLSearchParams({ q, limit })` or an axios `params: { ... }` object literal. */
function literalKeys(expr: ts.Expression | undefined, site: CallSite): string[] | null {
  if (!expr) return null;
  let e = resolveConst(expr, site.resolver);
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'URLSearchParams' && e.arguments?.[0]) e = resolveConst(e.arguments[0], site.resolver);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'toString') return literalKeys(e.expression.expression, site);
  if (!ts.isObjectLiteralExpression(e)) return null;
  const names: string[] = [];
  for (const p of e.properties) {
    if (ts.isSpreadAssignment(p)) return null;
    const name = propertyNameText(p.name);
    if (name === null) return null;
    names.push(name);
  }
  return names;
}

/** Builds the proxy description for a parsed call, or says why the call cannot be proxied safely. */
export function buildProxySpec(site: CallSite): SpecResult {
  const method = site.method;
  if (method === null) return { ok: false, reason: 'Cannot move this call: its HTTP method is decided at run time, and the proxy must allow exactly one method.' };
  const pieces = joinedPieces(site);
  if (pieces === null) return { ok: false, reason: 'Cannot move this call: the baseURL of its axios instance is decided at run time, so the upstream origin is unknown.' };
  const first = pieces[0];
  if (!first || first.kind !== 'text') return { ok: false, reason: 'Cannot move this call: its URL starts with a value computed at run time, so the upstream host is not fixed in the code.' };
  if (/^\//.test(first.text) && !/^\/\//.test(first.text)) return { ok: false, reason: 'This call already goes to the app\'s own origin; there is nothing to put a proxy in front of.' };
  const m = /^(https?):\/\/([^/?#]*)([\s\S]*)$/i.exec(first.text);
  if (!m || m[2] === '') return { ok: false, reason: 'Cannot move this call: the upstream host is not written out in the code (only http:// and https:// URLs can be proxied).' };
  if (m[2].includes('@')) return { ok: false, reason: 'Cannot move this call: its URL carries credentials (user:password@host); move them to an Authorization header first.' };
  if (m[3] === '' && pieces.length > 1) return { ok: false, reason: 'Cannot move this call: the host is followed by a path built at run time, so the upstream path is not fixed in the code.' };
  let origin: URL;
  try {
    origin = new URL(`${m[1]}://${m[2]}`);
  } catch {
    return { ok: false, reason: `Cannot move this call: \`${m[1]}://${m[2]}\` is not a valid origin.` };
  }
  const rest: UrlPiece[] = [{ kind: 'text', text: m[3] }, ...pieces.slice(1)];

  // Split into path, query and fragment.
  const pathParts: ProxySpec['pathParts'] = [];
  const pathParams: ClientValue[] = [];
  const queryPieces: UrlPiece[] = [];
  let state: 'path' | 'query' | 'hash' = 'path';
  const taken = new Set<string>();
  for (const piece of rest) {
    if (piece.kind === 'expr') {
      if (state === 'path') {
        const name = uniqueName(holeName(piece.text), taken);
        pathParts.push({ param: name });
        pathParams.push({ name, pieces: [piece] });
      } else if (state === 'query') {
        queryPieces.push(piece);
      }
      continue;
    }
    let text = piece.text;
    while (text !== '') {
      if (state === 'path') {
        const stop = text.search(/[?#]/);
        const part = stop === -1 ? text : text.slice(0, stop);
        if (part !== '') pathParts.push({ text: part });
        if (stop === -1) break;
        state = text[stop] === '?' ? 'query' : 'hash';
        text = text.slice(stop + 1);
      } else if (state === 'query') {
        const stop = text.indexOf('#');
        queryPieces.push({ kind: 'text', text: stop === -1 ? text : text.slice(0, stop) });
        if (stop === -1) break;
        state = 'hash';
        text = '';
      } else {
        break;
      }
    }
  }
  if (pathParts.length === 0 || !('text' in pathParts[0])) pathParts.unshift({ text: '/' });
  else if (!(pathParts[0] as { text: string }).text.startsWith('/')) (pathParts[0] as { text: string }).text = `/${(pathParts[0] as { text: string }).text}`;
  const leading = pathParts[0] as { text: string };
  if (leading.text === '/' && pathParts.length > 1 && 'param' in pathParts[1]) {
    return { ok: false, reason: 'Cannot move this call: its whole path is computed at run time, so the upstream path is not fixed in the code.' };
  }

  // Query: `name=value` pairs, where values may be run-time pieces.
  const notes: string[] = [];
  const fixedQuery: [string, string][] = [];
  const dynamicQuery: ClientValue[] = [];
  const opaqueQuery: UrlPiece[] = [];
  let secret: SecretUse | null = site.secrets.find((s) => s.placement === 'header') ?? null;
  // The query text is decoded below; a malformed escape (`%zz`, `%ff`) would throw there, so refuse it here with the reason.
  const malformed = queryPieces.find((p) => p.kind === 'text' && !isDecodable(p.text));
  if (malformed) {
    return { ok: false, reason: `Cannot move this call: its query \`${malformed.kind === 'text' ? malformed.text : ''}\` has a malformed percent escape (a % not followed by two hex digits of valid UTF-8), so what the upstream receives is not clear; fix the URL first.` };
  }
  const pairs: UrlPiece[][] = [[]];
  for (const piece of queryPieces) {
    if (piece.kind === 'expr') {
      pairs[pairs.length - 1].push(piece);
      continue;
    }
    const chunks = piece.text.split('&');
    chunks.forEach((chunk, i) => {
      if (i > 0) pairs.push([]);
      if (chunk !== '') pairs[pairs.length - 1].push({ kind: 'text', text: chunk });
    });
  }
  const allowedQuery: string[] = [];
  for (const pair of pairs.filter((p) => p.length > 0)) {
    const head = pair[0];
    const eq = head.kind === 'text' ? head.text.indexOf('=') : -1;
    if (head.kind !== 'text' || eq === -1) {
      if (head.kind === 'text' && pair.length === 1) {
        fixedQuery.push([decodeURIComponent(head.text), '']);
        continue;
      }
      opaqueQuery.push(...pair);
      const exprPiece = pair.find((p): p is Extract<UrlPiece, { kind: 'expr' }> => p.kind === 'expr');
      const keys = literalKeys(exprPiece?.node, site);
      if (keys) allowedQuery.push(...keys);
      else notes.push(`The query string \`${exprPiece?.text ?? ''}\` is built at run time: the proxy forwards only the parameters listed in ALLOWED_QUERY, so add the names it needs there.`);
      continue;
    }
    const name = decodeURIComponent(head.text.slice(0, eq));
    const firstValue: UrlPiece = { kind: 'text', text: head.text.slice(eq + 1) };
    const valuePieces = [firstValue, ...pair.slice(1)].filter((p) => p.kind === 'expr' || p.text !== '');
    const asSecret = querySecret(site, name, valuePieces);
    if (asSecret) {
      if (secret) return { ok: false, reason: 'Cannot move this call: it sends more than one secret, which the generated proxy does not handle yet.' };
      secret = asSecret;
      continue;
    }
    if (valuePieces.every((p) => p.kind === 'text')) {
      fixedQuery.push([name, decodeURIComponent(textOf(valuePieces))]);
    } else {
      const unique = uniqueName(name, taken);
      if (unique !== name) return { ok: false, reason: `Cannot move this call: the query parameter \`${name}\` clashes with a path parameter.` };
      dynamicQuery.push({ name, pieces: valuePieces });
      allowedQuery.push(name);
    }
  }
  if (site.shape.kind !== 'fetch' && site.paramsObject) {
    const keys = literalKeys(site.paramsObject, site);
    if (keys) allowedQuery.push(...keys.filter((k) => !allowedQuery.includes(k)));
    else notes.push('The axios `params` are built at run time: the proxy forwards only the query parameters listed in ALLOWED_QUERY, so add the names it needs there.');
  }
  if (site.secrets.filter((s) => s.placement === 'header').length > 1) {
    return { ok: false, reason: 'Cannot move this call: it sends more than one secret header, which the generated proxy does not handle yet.' };
  }

  // Headers: static ones are reproduced by the proxy, run-time ones are copied from the client, identity is dropped.
  const fixedHeaders: [string, string][] = [];
  const forwardedHeaders = ['content-type', 'accept'];
  const ownNames = new Set(site.headers.map((h) => h.name));
  for (const h of [...site.headers, ...site.instanceHeaders.filter((x) => !ownNames.has(x.name))]) {
    if (secret?.placement === 'header' && secret.field === h.name) continue;
    const fromInstance = !site.headers.includes(h);
    if (NEVER_FORWARDED.test(h.name)) {
      if (h.name === 'authorization' || h.name === 'cookie') notes.push(`The call's \`${h.name}\` header is not forwarded upstream by the proxy (it would be the user's own credential); if the upstream needs it, check the user on the server and add a server-side credential instead.`);
      continue;
    }
    if (h.name === 'content-type' || h.name === 'accept') continue;
    if (h.staticValue !== null) fixedHeaders.push([h.name, h.staticValue]);
    else if (fromInstance) notes.push(`The instance's \`${h.name}\` header is computed in the browser and is not sent through the proxy; add it to FIXED_HEADERS in the handler if the upstream needs it.`);
    else forwardedHeaders.push(h.name);
  }
  for (const what of site.notForwarded) notes.push(`Not forwarded upstream: ${what}. The proxy sends only the server's own credential.`);

  const fixedPath = pathParts.map((p) => ('text' in p ? p.text : `{${p.param}}`)).join('');
  const spec: ProxySpec = {
    name: proxyNameFor(origin.host, pathParts),
    method,
    upstreamOrigin: origin.origin,
    host: origin.host,
    pathParts,
    pathParams,
    dynamicQuery,
    opaqueQuery,
    allowedQuery: [...new Set(allowedQuery)],
    fixedQuery,
    fixedHeaders,
    forwardedHeaders,
    secret: secret ? { placement: secret.placement, field: secret.field, prefix: secret.prefix, suffix: secret.suffix, source: secret.source, fromInstance: secret.fromInstance } : null,
    sendsBody: method !== 'GET' && method !== 'HEAD',
    description: `${method} ${origin.origin}${fixedPath}`,
    notes,
  };
  return { ok: true, spec };
}

export { flattenString };
