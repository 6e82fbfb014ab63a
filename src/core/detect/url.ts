// Turns the URL of a call (literal pieces and `${...}` holes) into the template, host and kind of docs/design.md §2.
import type { UrlInfo } from '../model/types';

/**
 * One piece of a URL as written: literal text, or a hole whose value is only known at run time. `name` is
 * what the template shows for a hole (`/users/${user.id}` → `{id}`); `param` marks a hole that is a wrapper's
 * parameter, so a call site can put its own URL there.
 */
export type UrlPart =
  | { literal: string }
  /** `whenAbsent`: the hole is empty when a call site does not pass that parameter (`${query ? `?${qs(query)}` : ''}`). */
  | { hole: string; name: string; param?: ParamRef; whenAbsent?: ParamRef };

/** A wrapper parameter by position, optionally a property of it (`function f({ url })` → `{ index: 0, prop: 'url' }`). */
export interface ParamRef {
  index: number;
  prop?: string;
}

export interface AnalyzeUrlOptions {
  /** The pieces of the URL; `null` means nothing of it is known statically. Omitted: `text` is the URL itself. */
  parts?: UrlPart[] | null;
  /** The axios instance's `baseURL` (text with `{holes}` when partly dynamic), joined as axios does. */
  baseURL?: string | null;
}

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\//i;
const PROTOCOL_RELATIVE = /^\/\//;

/**
 * `analyzeUrl('https://api.stripe.com/v1/charges')` → absolute, host `api.stripe.com`;
 * `` `/users/${id}` `` as parts → `/users/{id}`, relative; `` `${BASE}/x` `` → `{BASE}/x`, dynamic.
 */
export function analyzeUrl(text: string, opts: AnalyzeUrlOptions = {}): UrlInfo {
  let parts = opts.parts === undefined ? [{ literal: text }] : opts.parts;
  const baseURL = opts.baseURL ?? null;
  if (parts === null || parts.length === 0) {
    if (!baseURL) return { text, template: null, host: null, kind: 'dynamic' };
    // `api.get(path)`: the path is unknown but the instance fixes the origin.
    parts = [{ hole: text, name: holeName(text) }];
  }
  let template = '';
  for (const part of parts) template += 'literal' in part ? part.literal : `{${part.name}}`;
  const first = parts.find((p) => !('literal' in p) || p.literal !== '');
  const leadingHole = first !== undefined && !('literal' in first);
  if (baseURL && !isAbsoluteTemplate(template)) {
    const joined = joinBase(baseURL, template);
    const baseIsDynamic = baseURL.startsWith('{');
    return classify(text, joined, baseIsDynamic);
  }
  return classify(text, template, leadingHole);
}

function classify(text: string, template: string, leadingHole: boolean): UrlInfo {
  if (isAbsoluteTemplate(template)) return { text, template, host: hostOf(template), kind: 'absolute' };
  return { text, template, host: null, kind: leadingHole ? 'dynamic' : 'relative' };
}

function isAbsoluteTemplate(t: string): boolean {
  return ABSOLUTE.test(t) || PROTOCOL_RELATIVE.test(t);
}

/**
 * axios semantics: the relative URL is appended to `baseURL` with exactly one slash between them. A base that
 * carries query parameters (wretch's `.query({...})` before the verb) keeps them after the joined path.
 */
function joinBase(baseURL: string, url: string): string {
  if (url === '') return baseURL;
  const q = baseURL.indexOf('?');
  if (q >= 0) {
    const joined = joinBase(baseURL.slice(0, q), url);
    return `${joined}${joined.includes('?') ? '&' : '?'}${baseURL.slice(q + 1)}`;
  }
  return baseURL.replace(/(?<!\/)\/+$/, '') + '/' + url.replace(/^\/+/, '');
}

/** Host name (lower case, no port, no credentials) of an absolute URL template; holes stay as `{name}`. */
export function hostOf(template: string): string | null {
  const m = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#]*)/i.exec(template);
  if (!m) return null;
  let authority = m[1];
  const at = authority.lastIndexOf('@');
  if (at !== -1) authority = authority.slice(at + 1);
  if (authority.startsWith('[')) {
    const end = authority.indexOf(']');
    return end === -1 ? authority.toLowerCase() : authority.slice(0, end + 1).toLowerCase();
  }
  const host = authority.replace(/:[^:]*$/, '');
  return host === '' ? null : host.toLowerCase();
}

/** The name a template shows for a hole: the last identifier of the expression (`user.id` → `id`). */
export function holeName(expressionText: string): string {
  const env = /(?:process\.env|import\.meta\.env|env)\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*['"]([^'"]+)['"]\s*\])/.exec(expressionText);
  if (env) return env[1] ?? env[2];
  const unwrapped = /^(?:encodeURIComponent|encodeURI|String|Number)\s*\(([\s\S]*)\)$/.exec(expressionText.trim());
  const inner = unwrapped ? unwrapped[1] : expressionText;
  const ids = inner.match(/[A-Za-z_$][\w$]*/g);
  if (!ids || ids.length === 0) return 'param';
  const last = ids[ids.length - 1];
  return /^(?:toString|trim|join|valueOf)$/.test(last) && ids.length > 1 ? ids[ids.length - 2] : last;
}
