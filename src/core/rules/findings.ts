// The ten finding rules of docs/design.md §5: what each call is told, at which severity, and which comments silence it.
import { ALL_RULES, fileIgnoredRules, ignoredRulesAt } from './ignore-comments';
import type { EnvEntry } from '../scan/discovery';
import { isLocalHost, lookupThirdParty, type ThirdPartyApi } from './hosts';
import {
  classifySecretValue,
  isBrowserExposedEnvAccess,
  isBrowserExposedEnvName,
  isPlaceholder,
  isPublishableName,
  isSecretName,
  maskSecret,
  nameWords,
  serverOnlyEnvName,
  stripAuthScheme,
} from './secrets';
import { RULES } from './catalog';
import {
  RULE_IDS,
  type CallRecord,
  type Credential,
  type Finding,
  type RuleId,
  type RuleSetting,
  type Runtime,
  type Settings,
  type BranchStep,
} from '../model/types';
import { bySeverity } from '../model/vocabulary';

export { RULES, type RuleInfo } from './catalog';

function runsInBrowser(runtime: Runtime): boolean {
  return runtime === 'frontend' || runtime === 'isomorphic';
}

/**
 * The severity a rule reports at, or `'off'`: the user's `apiAtlas.rules` setting wins; otherwise the default,
 * where `hardcoded-secret` is an error for code that runs in the browser (pass `runtime` to get that).
 */
export function ruleSeverity(rule: RuleId, settings: Pick<Settings, 'rules'>, runtime?: Runtime): RuleSetting {
  const configured = settings.rules[rule];
  if (configured) return configured;
  if (rule === 'hardcoded-secret' && runtime !== undefined && runsInBrowser(runtime)) return 'error';
  return RULES[rule].defaultSeverity;
}

// ---------------------------------------------------------------------------------------------------------------
// Ignore comments

export { fileIgnoredRules } from './ignore-comments';

// ---------------------------------------------------------------------------------------------------------------
// Env files

type EnvLookup = (name: string) => EnvEntry[];

function dirOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i === -1 ? '' : rel.slice(0, i);
}

/**
 * Env entries that apply to a file: those in `.env*` files of the file's folder or its parents (the package
 * that owns it); when there are none, every entry with that name (a monorepo that keeps its env files elsewhere).
 */
function createEnvLookup(env: EnvEntry[], fileRel: string): EnvLookup {
  const byName = new Map<string, EnvEntry[]>();
  for (const e of env) {
    const list = byName.get(e.name);
    if (list) list.push(e);
    else byName.set(e.name, [e]);
  }
  const fileDir = dirOf(fileRel);
  return (name) => {
    const all = byName.get(name) ?? [];
    const own = all.filter((e) => {
      const d = dirOf(e.file);
      return d === '' || fileDir === d || fileDir.startsWith(`${d}/`);
    });
    return own.length > 0 ? own : all;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Credentials

/** Why a credential is judged an application secret. */
interface SecretCredential {
  cred: Credential;
  /** `name`: the env var name reads as secret; `value`: its value (literal or `.env`) looks like one; `host`: it is the key of a secret-key API. */
  reason: 'name' | 'value' | 'host';
  /** What it looks like, with an article: `an OpenAI API key`, `a credential`. */
  label: string;
  /** The browser-exposing prefix or `$env/static/public` access, for env credentials. */
  exposedBy?: string;
  /** The `.env` entry whose value gave it away. */
  envEntry?: EnvEntry;
}

/** Where Google's browser keys (`AIza…`, restricted by referrer) are meant to be used: Maps and Firebase. */
function isGoogleBrowserKeyHost(host: string | null): boolean {
  return host !== null && /(?:^|\.)(?:googleapis\.com|firebaseio\.com|firebaseapp\.com|firebasedatabase\.app)$/.test(host);
}

function needsSecret(api: ThirdPartyApi | undefined): boolean {
  return api !== undefined && (api.when === 'always' || api.when === 'credential');
}

function exposedBy(cred: Credential): string | undefined {
  if (!cred.envName) return undefined;
  if (isBrowserExposedEnvAccess(cred.envAccess)) return cred.envAccess;
  const prefix = isBrowserExposedEnvName(cred.envName) ?? undefined;
  // A bare `PUBLIC_` means something only to SvelteKit and Astro, which read it through `$env/*` or `import.meta.env`;
  // `process.env.PUBLIC_KEY_PATH` in a Node server is an ordinary variable.
  if (prefix === 'PUBLIC_' && cred.envAccess === 'process.env') return undefined;
  return prefix;
}

function assessEnvCredential(cred: Credential, envName: string, api: ThirdPartyApi | undefined, host: string | null, env: EnvLookup): SecretCredential | null {
  const exposed = exposedBy(cred);
  const entries = env(envName).map((entry) => ({ entry, verdict: classifySecretValue(entry.value) }));
  const known = entries.find((e) => e.verdict.kind === 'secret');
  if (known && known.verdict.kind === 'secret') return { cred, reason: 'value', label: known.verdict.label, exposedBy: exposed, envEntry: known.entry };
  if (entries.some((e) => e.verdict.kind === 'publishable')) return null;
  const googleKey = entries.some((e) => e.verdict.kind === 'ambiguous' && e.verdict.label === 'a Google API key');
  if (googleKey && !needsSecret(api) && isGoogleBrowserKeyHost(host)) return null;
  if (isPublishableName(envName)) return null;
  if (isSecretName(envName)) return { cred, reason: 'name', label: 'a secret', exposedBy: exposed };
  const random = entries.find((e) => e.verdict.kind === 'high-entropy');
  if (random && random.verdict.kind === 'high-entropy') return { cred, reason: 'value', label: random.verdict.label, exposedBy: exposed, envEntry: random.entry };
  if (needsSecret(api) && api) return { cred, reason: 'host', label: api.secret, exposedBy: exposed };
  return null;
}

/** The literal as the code has it, without quotes. */
function literalValue(cred: Credential): string {
  if (cred.literal !== undefined) return cred.literal;
  return cred.text.replace(/^(['"`])([\s\S]*)\1$/, '$2');
}

function decodeBasicAuth(value: string): string | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]{4,})$/.exec(value.trim());
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  return /^[^:\s]+:.+$/.test(decoded) ? decoded : null;
}

function assessLiteralCredential(cred: Credential, api: ThirdPartyApi | undefined): SecretCredential | null {
  const raw = literalValue(cred);
  const basic = decodeBasicAuth(raw);
  if (basic !== null) {
    const password = basic.slice(basic.indexOf(':') + 1);
    return isPlaceholder(password) ? null : { cred, reason: 'value', label: 'a pair of Basic auth credentials' };
  }
  const value = stripAuthScheme(raw);
  const verdict = classifySecretValue(value);
  const field = cred.field ?? (cred.placement === 'auth' ? 'password' : undefined);
  const fieldIsSecret = field !== undefined && isSecretName(field);
  // `appid=${API_KEY}`: the constant's name says what the field's name does not.
  const namedSecret = fieldIsSecret || (cred.valueName !== undefined && isSecretName(cred.valueName));
  const tokenShaped = value.length >= 8 && !/\s/.test(value);
  switch (verdict.kind) {
    case 'placeholder':
    case 'publishable':
      return null;
    case 'secret':
      return { cred, reason: 'value', label: verdict.label };
    case 'high-entropy':
      return field !== undefined && isPublishableName(field) ? null : { cred, reason: 'value', label: 'a credential' };
    case 'ambiguous':
      if (verdict.label === 'a Google API key') {
        // Firebase and Maps keys are public by design; the same format sent to Gemini is the account's secret.
        if (needsSecret(api)) return { cred, reason: 'host', label: `${verdict.label} for the ${api?.name}` };
        return null;
      }
      return fieldIsSecret || needsSecret(api) ? { cred, reason: 'value', label: verdict.label } : null;
    case 'unknown':
      if (field !== undefined && isPublishableName(field)) return null;
      if (tokenShaped && (namedSecret || needsSecret(api))) return { cred, reason: 'value', label: 'a credential' };
      if (fieldIsSecret && /password|passwd|pwd|pass/i.test(field) && value.length >= 4) return { cred, reason: 'value', label: 'a password' };
      return null;
  }
}

/** Judges one credential of a call; session tokens, keys the user types in and values of unknown origin are never app secrets. */
function assessCredential(cred: Credential, api: ThirdPartyApi | undefined, host: string | null, env: EnvLookup): SecretCredential | null {
  if (cred.source === 'env' && cred.envName) return assessEnvCredential(cred, cred.envName, api, host, env);
  if (cred.source === 'literal') return assessLiteralCredential(cred, api);
  return null;
}

/** ` in the Authorization header`, ` in the default headers of the axios instance api (src/lib/api.ts:4)`. */
function describePlacement(call: CallRecord, cred: Credential): string {
  const field = cred.field ? `\`${cred.field}\`` : undefined;
  switch (cred.placement) {
    case 'header':
      return field ? `in the ${field} header` : 'in a request header';
    case 'query':
      return field ? `in the ${field} query parameter` : 'in the query string';
    case 'body':
      return field ? `in the request body (${field})` : 'in the request body';
    case 'url':
      return 'in the URL';
    case 'auth':
      return 'as HTTP auth credentials';
    case 'instance-default': {
      const def = call.facts.definition;
      const where = def ? `axios instance \`${def.name}\` (${def.file}:${def.line})` : 'axios instance';
      return `${field ? `in the ${field} default header` : 'in the default headers'} of the ${where}, which every request through it carries`;
    }
  }
}

function credentialKey(cred: Credential): string {
  return cred.source === 'env' ? `env:${cred.envName ?? ''}` : `lit:${literalValue(cred)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// URLs

interface EffectiveUrl {
  scheme: 'http' | 'https' | 'relative-scheme';
  host: string;
  origin: string;
  path: string;
}

/** The absolute URL a call reaches (its own, or its instance's `baseURL`), when the scheme and host are known. */
function effectiveUrl(call: CallRecord): EffectiveUrl | null {
  const candidates = [call.url.template, call.url.kind === 'absolute' ? call.url.text : null, call.facts.baseURL ?? null];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const text = candidate.trim().replace(/^['"`]/, '');
    const m = /^(https?:)?\/\/([^/?#\s]+)([^?#\s]*)/i.exec(text);
    if (!m) continue;
    const authority = m[2].slice(m[2].lastIndexOf('@') + 1).toLowerCase();
    const host = authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.replace(/:\d*$/, '');
    if (host === '' || /[{}$]/.test(host)) return null; // the host is only known at run time
    const scheme = m[1] ? (m[1].toLowerCase() === 'http:' ? 'http' : 'https') : 'relative-scheme';
    const origin = `${m[1] ? m[1].toLowerCase() : ''}//${authority}`;
    return { scheme, host, origin, path: m[3] || '/' };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

interface Draft {
  rule: RuleId;
  message: string;
}

function secretRules(call: CallRecord, api: ThirdPartyApi | undefined, host: string | null, env: EnvLookup): Draft[] {
  const drafts: Draft[] = [];
  const seen = new Set<string>();
  const browser = runsInBrowser(call.runtime);
  for (const cred of call.facts.credentials) {
    const key = credentialKey(cred);
    if (seen.has(key)) continue;
    seen.add(key);
    const secret = assessCredential(cred, api, host, env);
    if (!secret) continue;
    const where = describePlacement(call, cred);
    if (cred.source === 'literal') {
      const shown = `'${maskSecret(stripAuthScheme(literalValue(cred)))}'`;
      if (browser) {
        drafts.push({ rule: 'client-secret', message: `Browser code sends a hard-coded ${stripArticle(secret.label)} (${shown}) ${where}, where anyone can read it in the bundle or the network tab.` });
      }
      drafts.push({ rule: 'hardcoded-secret', message: `The literal ${shown} sent ${where} is ${secret.label}; load it from a server-only environment variable instead.` });
      continue;
    }
    const name = cred.envName ?? cred.text;
    const exposure = secret.exposedBy;
    if (!exposure) continue; // a server-only env var is not in the bundle, whatever runs this code
    const fromEnvFile = secret.envEntry ? ` (${maskSecret(secret.envEntry.value)} in ${secret.envEntry.file}:${secret.envEntry.line})` : '';
    const exposureText = exposure.startsWith('$env/') ? `importing it from \`${exposure}\`` : `the \`${exposure}\` prefix`;
    if (browser) {
      const what =
        secret.reason === 'name'
          ? `the secret in \`${name}\``
          : secret.reason === 'value'
            ? `\`${name}\`, which holds ${secret.label}${fromEnvFile},`
            : `\`${name}\`, which must hold ${secret.label} for the ${api?.name ?? 'API'},`;
      drafts.push({ rule: 'client-secret', message: `Browser code sends ${what} ${where}; ${exposureText} puts its value in the JavaScript bundle for anyone to read.` });
    }
    const serverName = serverOnlyEnvName(name);
    const held =
      secret.reason === 'name' ? `\`${name}\` reads as a secret` : secret.reason === 'value' ? `\`${name}\` holds ${secret.label}${fromEnvFile}` : `\`${name}\` holds ${secret.label} for the ${api?.name ?? 'API'}`;
    const rename = exposure.startsWith('$env/') ? 'import it from `$env/static/private` and read it only on the server' : `rename it to \`${serverName}\` and read it only on the server`;
    drafts.push({ rule: 'public-env-secret', message: `${held}, but ${exposureText} ships its value to the browser; ${rename}.` });
  }
  return drafts;
}

function stripArticle(label: string): string {
  return label.replace(/^(?:a|an|the)\s+/, '');
}

const WRITE_METHODS = new Set(['PUT', 'PATCH', 'DELETE']);
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A key made to be shipped to browsers: a publishable value (`pk_live_…`), or a publishable name whose `.env` values are not secrets. */
function isPublishableCredential(cred: Credential, env: EnvLookup): boolean {
  if (cred.source === 'literal') return classifySecretValue(literalValue(cred)).kind === 'publishable';
  if (cred.source !== 'env' || !cred.envName) return false;
  const verdicts = env(cred.envName).map((e) => classifySecretValue(e.value).kind);
  if (verdicts.some((k) => k === 'secret' || k === 'high-entropy')) return false;
  return verdicts.some((k) => k === 'publishable') || isPublishableName(cred.envName);
}

/** An options entry that names headers or auth: when none of its headers could be read, a key may sit there. */
const AUTH_OPTION = /\b(?:headers|auth|Authorization)\b\s*(?:[:,}]|$)/;

/**
 * Whether a call with no credential seen can still carry one: through an instance's defaults or a wrapper's
 * body (only partly visible from the call site), a spread of options or headers built elsewhere, or a
 * `headers`/`auth` option none of whose entries could be read.
 */
function mayCarryHiddenCredential(call: CallRecord, text: string): boolean {
  if (call.client === 'axios-instance' || call.client === 'wrapper') return true;
  return call.facts.argSpans.some((span) => {
    const options = text.slice(span.start, span.end);
    return options.includes('...') || (AUTH_OPTION.test(options) && call.facts.headers.length === 0);
  });
}

/**
 * `always` hosts: reported when the app sends a key that is not publishable, or when the request is one that
 * only works with the account's key (a body or a write method) even if the key is added elsewhere. A read with
 * no credential (a public catalogue such as OpenRouter's model list) or with only publishable keys (Stripe.js
 * creating card tokens) is what the vendor allows from browsers.
 */
function alwaysNeedsServer(call: CallRecord, appCreds: Credential[], env: EnvLookup, text: string): boolean {
  if (appCreds.length > 0) return !appCreds.every((c) => isPublishableCredential(c, env));
  const method = call.method?.toUpperCase() ?? null;
  const reads = method === null ? !call.facts.hasBody : READ_METHODS.has(method) && !call.facts.hasBody;
  return !reads || mayCarryHiddenCredential(call, text);
}

function thirdPartyRule(call: CallRecord, api: ThirdPartyApi, url: EffectiveUrl, env: EnvLookup, text: string): Draft | null {
  if (!runsInBrowser(call.runtime)) return null;
  const creds = call.facts.credentials;
  const appCreds = creds.filter((c) => c.source !== 'session' && c.source !== 'user-input');
  // A key the user typed in or their own session token: the app holds no secret for this API.
  if (creds.length > 0 && appCreds.length === 0) return null;
  const appKeys = appCreds.filter(
    (c) => (c.source === 'env' || (c.source === 'literal' && !isPlaceholder(stripAuthScheme(literalValue(c))))) && !isPublishableCredential(c, env),
  );
  const where = `${api.name} (${url.host})`;
  switch (api.when) {
    case 'always':
      if (!alwaysNeedsServer(call, appCreds, env, text)) return null;
      return { rule: 'third-party-direct', message: `This browser call goes straight to the ${where}, which needs ${api.secret}; call it from your server so the key never reaches the browser.` };
    case 'credential':
      if (appKeys.length === 0) return null;
      return { rule: 'third-party-direct', message: `This browser call sends the app's own token to the ${where}; make the call from your server so ${api.secret} stays there.` };
    case 'service-role': {
      const elevated = appKeys.some((c) => {
        if (c.envName && (nameWords(c.envName).includes('SECRET') || (nameWords(c.envName).includes('SERVICE') && !isPublishableName(c.envName)))) return true;
        const values = c.source === 'literal' ? [literalValue(c)] : c.envName ? env(c.envName).map((e) => e.value) : [];
        return values.some((v) => {
          const verdict = classifySecretValue(v);
          return verdict.kind === 'secret' && /service-role|Supabase secret/.test(verdict.label);
        });
      });
      if (!elevated) return null;
      return { rule: 'third-party-direct', message: `This browser call reaches ${url.host} with ${api.secret}, which bypasses row-level security; use the anon key in the browser and keep the service role on the server.` };
    }
    case 'write': {
      const method = call.method?.toUpperCase() ?? null;
      const isSearch = /\/quer(?:y|ies)\/?$/.test(url.path);
      const adminKey = appKeys.some((c) => c.envName !== undefined && nameWords(c.envName).some((w) => w === 'ADMIN' || w === 'WRITE'));
      const writes = method !== null && (WRITE_METHODS.has(method) || (method === 'POST' && !isSearch && url.path !== '/'));
      if (!writes && !adminKey) return null;
      return { rule: 'third-party-direct', message: `This browser call writes to the ${where}, which needs ${api.secret}; index from your server and give the browser a search-only key.` };
    }
  }
}

function urlRules(call: CallRecord, url: EffectiveUrl | null): Draft[] {
  if (!url || isLocalHost(url.host)) return [];
  const drafts: Draft[] = [];
  if (runsInBrowser(call.runtime)) {
    drafts.push({ rule: 'cross-origin', message: `This browser request goes to another origin (${url.origin}), so it works only if that server answers with CORS headers that allow your site.` });
  }
  if (url.scheme === 'http') {
    drafts.push({ rule: 'insecure-http', message: `This request uses plain http:// to ${url.host}, so anyone on the network path can read or change it; use https://.` });
  }
  return drafts;
}

function callName(call: CallRecord): string {
  return `\`${call.facts.callee}\``;
}

function robustnessRules(call: CallRecord): Draft[] {
  // Tests stub the network and let failures fail the test; robustness advice there is noise.
  if (call.context === 'test') return [];
  const drafts: Draft[] = [];
  if (call.runtime === 'frontend' && call.facts.inTimer) {
    drafts.push({ rule: 'polling', message: `This ${callName(call)} call runs on a timer, so every open tab keeps asking the server; server-sent events or a WebSocket can push updates instead.` });
  }
  if (!call.facts.hasErrorHandling) {
    const consequence =
      call.client === 'fetch'
        ? 'so an error status passes silently and a network error becomes an unhandled rejection'
        : 'so a failed request becomes an unhandled rejection';
    drafts.push({ rule: 'no-error-handling', message: `Nothing handles a failure of this ${callName(call)} call (no try/catch, .catch() or status check), ${consequence}.` });
  }
  if (call.runtime === 'backend' && !call.facts.hasTimeout) {
    drafts.push({ rule: 'no-timeout', message: `This server-side ${callName(call)} call has no timeout or AbortSignal, so one slow upstream can hold this request and its resources open.` });
  }
  return drafts;
}

/**
 * Whether the request with branch path `earlier` can never run before the one with `later` in one call of the
 * function: they sit in different arms of an `if`/`else` or a ternary, in `switch` clauses the earlier of which
 * does not fall through, or the earlier one's branch returns or throws before control reaches the later one.
 */
function mutuallyExclusive(earlier: readonly BranchStep[], later: readonly BranchStep[]): boolean {
  const sameNode = (x: BranchStep, y: BranchStep): boolean => x.kind === y.kind && x.start === y.start && x.end === y.end;
  let common = 0;
  while (common < earlier.length && common < later.length && sameNode(earlier[common], later[common]) && earlier[common].arm === later[common].arm) common++;
  const a = earlier[common];
  const b = later[common];
  if (a && b && sameNode(a, b)) {
    // The two calls part at this node, in different arms (a condition is no arm: it runs before either).
    if ((a.kind === 'if' || a.kind === 'ternary') && a.arm !== 0 && b.arm !== 0) return true;
    if (a.kind === 'switch' && a.clauseExits) return true;
  }
  // `if (x) { await a(); return; } await b();`: the earlier call's branch leaves before the later call.
  return earlier.slice(common).some((step) => step.leaves);
}

/**
 * Two or more awaited calls in one frontend function: a call waits for the nearest earlier one that can run
 * before it on the same path; calls in exclusive branches (`if/else`, `switch`, ternaries) are not a waterfall.
 * The branches come from detection (`facts.branches`): no file is parsed here.
 */
function waterfallRules(calls: CallRecord[]): Map<CallRecord, Draft> {
  const groups = new Map<string, CallRecord[]>();
  for (const call of calls) {
    const fn = call.facts.enclosingFunction;
    if (call.runtime !== 'frontend' || call.context === 'test' || !call.facts.awaited || !fn) continue;
    const key = `${fn.span.start}:${fn.span.end}`;
    const group = groups.get(key);
    if (group) group.push(call);
    else groups.set(key, [call]);
  }
  const drafts = new Map<CallRecord, Draft>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => a.facts.span.start - b.facts.span.start);
    for (let i = 1; i < group.length; i++) {
      const current = group[i];
      const previous = group
        .slice(0, i)
        .reverse()
        .find((p) => !mutuallyExclusive(p.facts.branches, current.facts.branches));
      if (!previous) continue;
      const fnName = current.facts.enclosingFunction?.name;
      const inFn = fnName && fnName !== '<anonymous>' && fnName !== 'anonymous' ? ` in \`${fnName}\`` : '';
      drafts.set(current, {
        rule: 'request-waterfall',
        message: `This request starts only after the awaited ${callName(previous)} call on line ${previous.range.start.line}${inFn} has finished; start independent requests together with Promise.all, or let one server endpoint gather the data.`,
      });
    }
  }
  return drafts;
}

/**
 * Sets `call.findings` for every call of one file (replacing what was there): runs the ten rules, applies the
 * severities of `settings.rules` (`"off"` drops a rule), and marks findings silenced by
 * `// api-atlas-ignore-next-line [rule...]` or `// api-atlas-ignore-file [rule...]` with `silenced: true`.
 * Findings come out most severe first, then in the order of docs/design.md §5.
 */
export function computeFindings(calls: CallRecord[], file: { rel: string; text: string }, env: EnvEntry[], settings: Pick<Settings, 'rules'>): void {
  const envLookup = createEnvLookup(env, file.rel);
  const fileIgnored = fileIgnoredRules(file.text);
  let lines: string[] | undefined;
  const waterfalls = waterfallRules(calls);
  for (const call of calls) {
    const url = effectiveUrl(call);
    const api = url ? lookupThirdParty(url.host, url.path) : undefined;
    const drafts: Draft[] = [...secretRules(call, api, url?.host ?? null, envLookup)];
    if (api && url) {
      const draft = thirdPartyRule(call, api, url, envLookup, file.text);
      if (draft) drafts.push(draft);
    }
    drafts.push(...urlRules(call, url));
    const waterfall = waterfalls.get(call);
    if (waterfall) drafts.push(waterfall);
    drafts.push(...robustnessRules(call));

    lines ??= file.text.split(/\r?\n/);
    const lineIgnored = new Set([...call.facts.ignoredRules, ...ignoredRulesAt(lines, call.range.start.line - 1)]);
    const findings: Finding[] = [];
    const emitted = new Set<string>();
    for (const draft of drafts) {
      const severity = ruleSeverity(draft.rule, settings, call.runtime);
      if (severity === 'off') continue;
      // One finding per rule and message: the same env var read twice in one call is one problem.
      const key = `${draft.rule}\u0000${draft.message}`;
      if (emitted.has(key)) continue;
      emitted.add(key);
      const finding: Finding = { rule: draft.rule, severity, message: draft.message, topics: [...RULES[draft.rule].topics] };
      if (isSilenced(draft.rule, lineIgnored) || isSilenced(draft.rule, fileIgnored)) finding.silenced = true;
      findings.push(finding);
    }
    findings.sort((a, b) => bySeverity(a.severity, b.severity) || RULE_IDS.indexOf(a.rule) - RULE_IDS.indexOf(b.rule));
    call.findings = findings;
  }
}

function isSilenced(rule: RuleId, ignored: Set<string>): boolean {
  return ignored.has(ALL_RULES) || ignored.has(rule);
}
