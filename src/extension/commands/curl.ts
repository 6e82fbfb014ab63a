// Turns an indexed call into a shell `curl` command, with secret values masked; no `vscode`, unit-tested.
import type { Call, CallFacts } from '../../core/model';
import { forDisplay } from '../../core/report';

/** A call as the index holds it; `facts` is absent when only the public shape is known. */
export type CallWithFacts = Call & { facts?: Partial<CallFacts> };

/** The default origin for relative URLs when the app's own dev server is not known; `BASE_URL` overrides it in the shell. */
export const DEFAULT_ORIGIN = 'http://localhost:3000';
export const RELATIVE_BASE = `\${BASE_URL:-${DEFAULT_ORIGIN}}`;
export const REDACTED = '<redacted>';

const SENSITIVE_HEADER = /auth|token|secret|key|cookie|password|session|signature|credential/i;
const ENV_ACCESS = /^(?:process\.env\.|import\.meta\.env\.|process\.env\[['"])([A-Za-z_][A-Za-z0-9_]*)['"]?\]?$/;
const AUTH_SCHEME = /^(Bearer|Basic|Token|Bot|Digest|ApiKey)\s+/i;
// A string literal inside an expression, before the expression is escaped for the shell.
const QUOTED = /(["'`])([^"'`]*)\1/g;

/**
 * An expression inside `${…}` or a whole header value: env vars become shell variables, anything else a placeholder.
 * With `maskLiterals` (a sensitive header), string literals in it are redacted (`btoa('apikey:…')`), auth schemes kept.
 */
function expressionToShell(expr: string, maskLiterals: boolean): string {
  const trimmed = expr.trim();
  const env = ENV_ACCESS.exec(trimmed);
  if (env) return `$${env[1]}`;
  let shown = trimmed.replace(/\s+/g, ' ');
  if (maskLiterals) shown = shown.replace(QUOTED, (q, quote: string, body: string) => (AUTH_SCHEME.test(`${body.trim()} `) ? q : `${quote}${REDACTED}${quote}`));
  // The placeholder sits inside double quotes: its `"`, `$` and backquotes are escaped, so pasting the command never
  // runs a command substitution or ends the quoting early (`<headers["x"]>`, `<sign(`${body}`)>`).
  return `<${escapeDoubleQuoted(shown)}>`;
}

/** Reads a source-text value (string literal, template literal, env access or other expression) as shell text. */
export function sourceValueToShell(text: string, maskLiterals = false): { value: string; literal: boolean } {
  const t = text.trim();
  const quote = t[0];
  if ((quote === "'" || quote === '"') && t.endsWith(quote) && t.length >= 2) {
    return { value: escapeDoubleQuoted(t.slice(1, -1)), literal: true };
  }
  if (quote === '`' && t.endsWith('`') && t.length >= 2) {
    const body = t.slice(1, -1);
    let out = '';
    let last = 0;
    // An expression stops at the next `${`, so a run of unclosed `${` is not rescanned from each one (quadratic).
    const re = /\$\{((?:[^}$]|\$(?!\{))*)\}/g;
    let hasLiteral = false;
    for (let m = re.exec(body); m; m = re.exec(body)) {
      const chunk = body.slice(last, m.index);
      if (chunk.trim()) hasLiteral = true;
      out += escapeDoubleQuoted(chunk) + expressionToShell(m[1], maskLiterals);
      last = m.index + m[0].length;
    }
    const tail = body.slice(last);
    if (tail.trim()) hasLiteral = true;
    out += escapeDoubleQuoted(tail);
    return { value: out, literal: hasLiteral && !/\$\{/.test(body) };
  }
  return { value: expressionToShell(t, maskLiterals), literal: false };
}

function escapeDoubleQuoted(s: string): string {
  return s.replace(/[\\"`$]/g, (c) => `\\${c}`);
}

/**
 * Masks the literal part of a sensitive header value, keeping an auth scheme and any `$ENV_VAR` reference. A value
 * that is one `<expression>` placeholder is kept: its string literals were redacted when it was built.
 */
function maskHeaderValue(value: { value: string; literal: boolean }): string {
  const scheme = AUTH_SCHEME.exec(value.value);
  const rest = scheme ? value.value.slice(scheme[0].length) : value.value;
  const placeholder = !value.literal && rest.startsWith('<') && rest.endsWith('>');
  const masked = /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(rest) || placeholder ? rest : REDACTED;
  return scheme ? `${scheme[0]}${masked}` : masked;
}

/** The URL text is already the URL (a wrapper's or hook's argument the index resolved), not source code. */
function isPlainUrl(text: string): boolean {
  return /^(\/|https?:\/\/)[^\s'"`]*$/i.test(text.trim());
}

function urlToShell(call: CallWithFacts, origin: string | undefined): string {
  let url: string;
  if (isPlainUrl(call.url.text)) url = escapeDoubleQuoted(call.url.text.trim());
  else {
    const { value, literal } = sourceValueToShell(call.url.text);
    url = value;
    // An expression (a variable, a call) whose value the index knows as a template: the template is the URL.
    if (!literal && value.startsWith('<') && call.url.template) url = escapeDoubleQuoted(call.url.template);
  }
  if (call.url.kind === 'dynamic' && call.url.template) url = escapeDoubleQuoted(call.url.template);
  const base = call.facts?.baseURL;
  if (!/^https?:\/\//i.test(url) && !url.startsWith('$') && !url.startsWith('<')) {
    const known = base && /^https?:\/\//i.test(base) ? base : undefined;
    const prefix = known ? escapeDoubleQuoted(known.replace(/(?<!\/)\/+$/, '')) : origin ? `\${BASE_URL:-${escapeDoubleQuoted(origin)}}` : RELATIVE_BASE;
    url = `${prefix}${url.startsWith('/') ? '' : '/'}${url}`;
  }
  // Credentials written as literals into the URL (`?api_key=...`) are masked too.
  for (const cred of call.facts?.credentials ?? []) {
    if (cred.source === 'literal' && cred.literal && cred.literal.length >= 4) url = url.split(escapeDoubleQuoted(cred.literal)).join(REDACTED);
  }
  // Whatever else the URL holds that is a credential (a password in `user:pass@`, an AWS key id in the query, a
  // webhook URL) is masked too, and control characters cannot reach the terminal it is pasted into.
  return forDisplay(url);
}

export interface CurlOptions {
  /** Where the app serves relative URLs in development (from its own config), e.g. `http://localhost:5173`. */
  origin?: string;
}

/**
 * Where the app's dev server listens, read from its package.json scripts (`--port 4000`, `-p 4000`, `PORT=4000`) and
 * framework (Vite 5173, Next and CRA 3000); undefined when nothing says. Relative URLs in a cURL command start there.
 */
export function devServerOrigin(packageJsonText: string | undefined, viteConfigText?: string): string | undefined {
  let pkg: { scripts?: Record<string, unknown>; dependencies?: Record<string, unknown>; devDependencies?: Record<string, unknown> };
  try {
    pkg = JSON.parse(packageJsonText ?? '') as typeof pkg;
  } catch {
    // No package.json, or one that does not parse: the generic placeholder is the honest answer.
    return undefined;
  }
  const dev = [pkg.scripts?.dev, pkg.scripts?.start].find((v): v is string => typeof v === 'string') ?? '';
  const port = /(?:--port[= ]|-p )(\d{2,5})\b/.exec(dev)?.[1] ?? /\bPORT=(\d{2,5})\b/.exec(dev)?.[1] ?? /\bport\s*:\s*(\d{2,5})\b/.exec(viteConfigText ?? '')?.[1];
  if (port) return `http://localhost:${port}`;
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  if ('vite' in deps) return 'http://localhost:5173';
  if ('next' in deps || 'react-scripts' in deps) return 'http://localhost:3000';
  return undefined;
}

/** A `curl` command for the call as written; what is only known at run time appears as `<expression>`. */
export function buildCurl(call: CallWithFacts, options: CurlOptions = {}): string {
  const parts: string[] = ['curl'];
  const url = urlToShell(call, options.origin);
  if (/[{}[\]]/.test(url.replace(/\$\{BASE_URL:-[^}]*\}/, ''))) parts.push('--globoff');
  const method = call.method?.toUpperCase();
  if (method === 'HEAD') parts.push('--head');
  else if (method && method !== 'GET') parts.push(`-X ${method}`);
  for (const header of call.facts?.headers ?? []) {
    const sensitive = SENSITIVE_HEADER.test(header.name);
    const shell = sourceValueToShell(header.valueText, sensitive);
    parts.push(`-H "${forDisplay(escapeDoubleQuoted(header.name))}: ${forDisplay(sensitive ? maskHeaderValue(shell) : shell.value)}"`);
  }
  if (call.facts?.hasBody) parts.push('--data "<request body>"');
  parts.push(`"${url}"`);
  return parts.join(' \\\n  ');
}
