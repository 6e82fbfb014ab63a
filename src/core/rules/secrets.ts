// Tells secrets from things that only look like them: browser-exposed env var names, secret-looking names and values, publishable keys.

/**
 * Prefixes that bundlers inline into browser code (Next.js, Vite, CRA, Vue CLI, Nuxt, Expo, Gatsby, SvelteKit/Astro).
 * Longest first so `NUXT_PUBLIC_` wins over `PUBLIC_`.
 */
const BROWSER_ENV_PREFIXES = [
  'NEXT_PUBLIC_',
  'NUXT_PUBLIC_',
  'EXPO_PUBLIC_',
  'REACT_APP_',
  'NUXT_ENV_',
  'VUE_APP_',
  'GATSBY_',
  'PUBLIC_',
  'VITE_',
] as const;

/** Returns the prefix that makes a bundler ship this env var to the browser (`NEXT_PUBLIC_`, `VITE_`, ...), or null. */
export function isBrowserExposedEnvName(name: string): string | null {
  for (const prefix of BROWSER_ENV_PREFIXES) {
    if (name.startsWith(prefix) && name.length > prefix.length) return prefix;
  }
  return null;
}

/** SvelteKit's `$env/static/public` and `$env/dynamic/public` ship every variable they export to the browser. */
export function isBrowserExposedEnvAccess(envAccess: string | undefined): boolean {
  return envAccess !== undefined && /^\$env\/(static|dynamic)\/public$/.test(envAccess);
}

/** The server-only name for a browser-exposed env var: `NEXT_PUBLIC_OPENAI_KEY` → `OPENAI_KEY`; other names unchanged. */
export function serverOnlyEnvName(name: string): string {
  const prefix = isBrowserExposedEnvName(name);
  return prefix ? name.slice(prefix.length) : name;
}

// ---------------------------------------------------------------------------------------------------------------
// Names

/** Words glued together in real names (`APIKEY`, `accessToken` is split by case already). */
const COMPOUND_WORDS: Record<string, string[]> = {
  APIKEY: ['API', 'KEY'],
  APIKEYS: ['API', 'KEY'],
  ACCESSKEY: ['ACCESS', 'KEY'],
  SECRETKEY: ['SECRET', 'KEY'],
  PRIVATEKEY: ['PRIVATE', 'KEY'],
  AUTHTOKEN: ['AUTH', 'TOKEN'],
  ACCESSTOKEN: ['ACCESS', 'TOKEN'],
  APITOKEN: ['API', 'TOKEN'],
  CLIENTSECRET: ['CLIENT', 'SECRET'],
  CLIENTID: ['CLIENT', 'ID'],
  SITEKEY: ['SITE', 'KEY'],
  WRITEKEY: ['WRITE', 'KEY'],
  SERVICEROLE: ['SERVICE', 'ROLE'],
};

/** Splits `NEXT_PUBLIC_openAiKey`, `x-api-key`, `APIKey` into upper-case words. */
export function nameWords(name: string): string[] {
  const spaced = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase();
  const words: string[] = [];
  for (const word of spaced.split(/[^A-Z0-9]+/)) {
    if (!word) continue;
    words.push(...(COMPOUND_WORDS[word] ?? [word]));
  }
  return words;
}

/** A last word that makes the name about a secret rather than the secret itself (`TOKEN_URL`, `CLIENT_ID`, `SECRET_NAME`). */
const NON_SECRET_LAST_WORDS = new Set([
  'URL', 'URI', 'URLS', 'DOMAIN', 'HOST', 'HOSTNAME', 'ENDPOINT', 'ISSUER', 'AUDIENCE', 'REDIRECT', 'CALLBACK',
  'ENABLED', 'DISABLED', 'ENABLE', 'DISABLE', 'PROVIDER', 'PORT', 'REGION', 'MODE', 'TYPE', 'VERSION', 'NAME',
  'EXPIRY', 'EXPIRES', 'EXPIRATION', 'TTL', 'LENGTH', 'SIZE', 'TIMEOUT', 'PATH', 'ROUTE', 'PAGE', 'SCOPE', 'SCOPES',
  'ID', 'IDS', 'ARN', 'FILE', 'DIR', 'PREFIX', 'FORMAT', 'ALGORITHM', 'ALG', 'STRATEGY', 'COOKIE', 'PARAM',
]);

/** Words that alone make a name read as a secret. */
const SECRET_WORDS = new Set([
  'SECRET', 'SECRETS', 'PRIVATE', 'PASSWORD', 'PASSWORDS', 'PASSWD', 'PWD', 'PASS', 'PASSPHRASE', 'CREDENTIAL',
  'CREDENTIALS', 'CREDS', 'BEARER', 'AUTH', 'AUTHORIZATION', 'SALT', 'HMAC',
]);
/** Words that win over every publishable hint (`FIREBASE_PRIVATE_KEY`, `POSTHOG_PERSONAL_API_KEY`). */
const STRONG_SECRET_WORDS = new Set(['SECRET', 'SECRETS', 'PRIVATE', 'PASSWORD', 'PASSWD', 'ADMIN', 'MASTER', 'PERSONAL']);
/** A `KEY` after one of these is not a credential (`STORAGE_KEY` names a localStorage slot, `PUBLIC_KEY` is public). */
const HARMLESS_KEY_KINDS = new Set([
  'STORAGE', 'CACHE', 'QUERY', 'SORT', 'PRIMARY', 'FOREIGN', 'PARTITION', 'IDEMPOTENCY', 'LOCALE', 'I18N', 'ROUTE',
  'PUBLIC', 'SITE', 'SEARCH', 'PUBLISHABLE', 'ANON', 'VAPID', 'LICENSE', 'DEDUPE', 'REACT', 'MAP', 'FEATURE',
]);

function hasWord(words: string[], ...wanted: string[]): boolean {
  return wanted.some((w) => words.includes(w));
}

/**
 * True when a name says its value is meant for browsers: `*_PUBLISHABLE_KEY`, `*_CLIENT_ID`, Supabase anon,
 * Firebase web `apiKey`, Google Maps browser keys, Mapbox/PostHog/Segment/Amplitude/Mixpanel keys, Algolia
 * search-only keys, reCAPTCHA/hCaptcha/Turnstile site keys, Sentry DSNs.
 */
export function isPublishableName(name: string): boolean {
  const words = nameWords(serverOnlyEnvName(name));
  if (words.length === 0) return false;
  if (hasWord(words, ...STRONG_SECRET_WORDS) || (hasWord(words, 'SERVICE') && hasWord(words, 'ROLE', 'KEY'))) return false;
  if (hasWord(words, 'PUBLISHABLE', 'ANON', 'MEASUREMENT')) return true;
  if (hasWord(words, 'PK')) return true;
  if (hasWord(words, 'PUBLIC') && hasWord(words, 'KEY')) return true;
  if (hasWord(words, 'SITE') && hasWord(words, 'KEY')) return true;
  if (hasWord(words, 'CLIENT') && hasWord(words, 'ID')) return true;
  // Keys a vendor issues for browser code by name: Kakao `JAVASCRIPT_KEY`, Midtrans `CLIENT_KEY`, `BROWSER_KEY`.
  if (hasWord(words, 'KEY') && hasWord(words, 'JAVASCRIPT', 'JS', 'BROWSER', 'CLIENT')) return true;
  if (hasWord(words, 'DSN')) return !hasWord(words, 'DATABASE', 'DB', 'POSTGRES', 'PG', 'MYSQL', 'MONGO', 'MONGODB', 'REDIS');
  if (hasWord(words, 'SEARCH') && !hasWord(words, 'WRITE')) return true;
  if (hasWord(words, 'RECAPTCHA', 'HCAPTCHA', 'TURNSTILE', 'CAPTCHA') && !hasWord(words, 'TOKEN')) return true;
  if (hasWord(words, 'FIREBASE') && hasWord(words, 'API', 'KEY', 'VAPID')) return true;
  if (hasWord(words, 'MAPS') || (hasWord(words, 'GOOGLE', 'GMAPS') && hasWord(words, 'MAP', 'MAPS'))) return true;
  if (hasWord(words, 'GMAPS')) return true;
  // Sentry is not here: `SENTRY_AUTH_TOKEN` uploads source maps and is a secret; its public DSN is covered above.
  if (hasWord(words, 'MAPBOX', 'POSTHOG', 'SEGMENT', 'RUDDERSTACK', 'AMPLITUDE', 'MIXPANEL', 'LOGROCKET', 'HOTJAR')) {
    return true;
  }
  if (hasWord(words, 'DATADOG', 'DD') && hasWord(words, 'CLIENT', 'RUM')) return true;
  if (hasWord(words, 'PUSHER') && hasWord(words, 'KEY', 'APP')) return true;
  return false;
}

/**
 * True when a name (env var, header, field) reads as holding a secret: SECRET, PRIVATE, TOKEN (not CSRF),
 * API_KEY/KEY, PASSWORD/PASS, CREDENTIAL, AUTH, ACCESS_KEY, SERVICE_ROLE, ... and is not a publishable key name.
 * The browser prefix is ignored: `NEXT_PUBLIC_OPENAI_API_KEY` reads as secret.
 */
export function isSecretName(name: string): boolean {
  const words = nameWords(serverOnlyEnvName(name));
  if (words.length === 0) return false;
  if (NON_SECRET_LAST_WORDS.has(words[words.length - 1])) return false;
  if (isPublishableName(name)) return false;
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  if (hasWord(words, 'SERVICE') && hasWord(words, 'ROLE', 'KEY')) return true;
  if (hasWord(words, 'TOKEN', 'TOKENS', 'JWT')) return !hasWord(words, 'CSRF', 'XSRF');
  return words.some((w, i) => (w === 'KEY' || w === 'KEYS') && !(i > 0 && HARMLESS_KEY_KINDS.has(words[i - 1])));
}

// ---------------------------------------------------------------------------------------------------------------
// Values

export type ValueVerdict =
  /** A known secret format (`sk_live_`, `ghp_`, AWS `AKIA`, service-role JWT, ...): a secret whatever its name. */
  | { kind: 'secret'; label: string }
  /** Random-looking and long: a secret unless its name says it is publishable. */
  | { kind: 'high-entropy'; label: string }
  /** Made to be shipped to browsers (`pk_live_`, Mapbox `pk.`, Supabase anon JWT, Sentry DSN, ...). */
  | { kind: 'publishable'; label: string }
  /** Public or secret depending on where it is used (Google `AIza` keys, JWTs without a telling role). */
  | { kind: 'ambiguous'; label: string }
  | { kind: 'placeholder' }
  | { kind: 'unknown' };

const SECRET_FORMATS: { pattern: RegExp; label: string }[] = [
  { pattern: /^-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----/, label: 'a private key' },
  { pattern: /^sk_(?:live|test)_[A-Za-z0-9]{10,}/, label: 'a Stripe secret key' },
  { pattern: /^rk_(?:live|test)_[A-Za-z0-9]{10,}/, label: 'a Stripe restricted key' },
  { pattern: /^whsec_[A-Za-z0-9+/=]{10,}/, label: 'a webhook signing secret' },
  { pattern: /^sk-ant-[A-Za-z0-9_-]{20,}/, label: 'an Anthropic API key' },
  { pattern: /^sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}/, label: 'an OpenAI API key' },
  { pattern: /^(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}/, label: 'a GitHub token' },
  { pattern: /^github_pat_[A-Za-z0-9_]{30,}/, label: 'a GitHub token' },
  { pattern: /^glpat-[A-Za-z0-9_-]{20,}/, label: 'a GitLab token' },
  { pattern: /^xox[abposre]-[A-Za-z0-9-]{10,}/, label: 'a Slack token' },
  { pattern: /^xapp-[A-Za-z0-9-]{10,}/, label: 'a Slack app token' },
  { pattern: /^https:\/\/hooks\.slack\.com\/(?:services|workflows)\/\S{10,}/, label: 'a Slack webhook URL' },
  { pattern: /^https:\/\/(?:\w+\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/\S{10,}/, label: 'a Discord webhook URL' },
  { pattern: /^(?:AKIA|ASIA)[A-Z0-9]{16}$/, label: 'an AWS access key' },
  { pattern: /^SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}$/, label: 'a SendGrid API key' },
  { pattern: /^key-[0-9a-f]{32}$/, label: 'a Mailgun API key' },
  { pattern: /^hf_[A-Za-z0-9]{30,}/, label: 'a Hugging Face token' },
  { pattern: /^r8_[A-Za-z0-9]{30,}/, label: 'a Replicate API token' },
  { pattern: /^gsk_[A-Za-z0-9]{40,}/, label: 'a Groq API key' },
  { pattern: /^re_[A-Za-z0-9]{8,}_[A-Za-z0-9]{16,}/, label: 'a Resend API key' },
  { pattern: /^shp(?:at|ss|ca|pa)_[0-9a-fA-F]{32}/, label: 'a Shopify Admin API token' },
  { pattern: /^sq0(?:atp|csp)-[A-Za-z0-9_-]{20,}/, label: 'a Square access token' },
  { pattern: /^EAAA[A-Za-z0-9_-]{60,}$/, label: 'a Square access token' },
  { pattern: /^(?:secret|ntn)_[A-Za-z0-9]{40,}/, label: 'a Notion integration token' },
  { pattern: /^pat[A-Za-z0-9]{14}\.[0-9a-f]{64}$/, label: 'an Airtable personal access token' },
  { pattern: /^npm_[A-Za-z0-9]{36}$/, label: 'an npm token' },
  { pattern: /^sb_secret_[A-Za-z0-9_-]{10,}/, label: 'a Supabase secret key' },
  { pattern: /^phx_[A-Za-z0-9]{20,}/, label: 'a PostHog personal API key' },
  { pattern: /^GOCSPX-[A-Za-z0-9_-]{20,}/, label: 'a Google OAuth client secret' },
  { pattern: /^sk\.eyJ[A-Za-z0-9_-]{20,}/, label: 'a Mapbox secret token' },
  { pattern: /^sdk-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, label: 'a LaunchDarkly server SDK key' },
  { pattern: /^[MN][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}$/, label: 'a Discord bot token' },
];

const PUBLISHABLE_FORMATS: { pattern: RegExp; label: string }[] = [
  { pattern: /^pk_(?:live|test)_[A-Za-z0-9]{8,}/, label: 'a publishable key (pk_)' },
  { pattern: /^pk\.eyJ[A-Za-z0-9_-]{10,}/, label: 'a Mapbox public token' },
  { pattern: /^sb_publishable_[A-Za-z0-9_-]{10,}/, label: 'a Supabase publishable key' },
  { pattern: /^phc_[A-Za-z0-9]{20,}/, label: 'a PostHog project key' },
  { pattern: /^https?:\/\/[0-9a-f]{32}(?::[0-9a-f]{32})?@[\w.-]+(?::\d+)?\/\d+\/?$/, label: 'a Sentry DSN' },
];

/** A connection string or URL with a password in it: `postgres://user:pass@host/db`. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^:@/\s]+:([^@/\s]+)@[^\s]+$/i;
const GOOGLE_API_KEY = /^AIza[0-9A-Za-z_-]{35}$/;
const JWT = /^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Prefixes stripped before deciding whether the rest is a placeholder (`sk-xxxx`, `sk_live_YOUR_KEY`). */
const KNOWN_PREFIX = /^(?:sk|pk|rk)_(?:live|test)_|^sk-(?:proj-|ant-)?|^(?:ghp|gho|ghu|ghs|ghr|hf|r8|gsk|re|npm|phc|phx|whsec|shpat)_|^github_pat_|^glpat-|^xox[a-z]-|^SG\./;
const PLACEHOLDER_WORDS = new Set([
  'test', 'testing', 'tests', 'changeme', 'change_me', 'change-me', 'secret', 'password', 'pass', 'token', 'apikey',
  'api_key', 'api-key', 'key', 'dummy', 'fake', 'example', 'sample', 'placeholder', 'todo', 'tbd', 'null',
  'undefined', 'none', 'foo', 'bar', 'foobar', 'baz', 'redacted', 'mock', 'demo', 'abc', 'abc123', 'qwerty', 'admin',
  'xxx', 'secret_key', 'my_secret', 'mysecret', 'mytoken', 'my_token', 'value', 'empty', 'default',
]);
const PLACEHOLDER_MARKERS = [
  'your', '<', '>', '${', '{{', '...', '…', 'xxxx', 'XXXX', '****', 'replace', 'changeme', 'change_me', 'placeholder',
  'insert_', 'insert-', 'redacted', 'example', 'dummy',
];

/** True for values that stand in for a real key: `YOUR_API_KEY`, `xxx`, `<token>`, `test`, `changeme`, `sk-...`. */
export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '') return true;
  const lower = trimmed.toLowerCase();
  if (PLACEHOLDER_MARKERS.some((m) => lower.includes(m.toLowerCase()))) return true;
  const rest = trimmed.replace(KNOWN_PREFIX, '');
  const restWord = rest.toLowerCase().replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  if (restWord === '' || PLACEHOLDER_WORDS.has(restWord)) return true;
  if (/^(.)\1*$/.test(restWord)) return true; // `xxxxxxxx`, `00000000`
  if (/^(?:0123456789?|123456789?0?|1234|12345|123456)$/.test(restWord)) return true;
  // `dev-api-key-12345`, `local_test_token`: readable words that say it is not a real key, with nothing random in it.
  const segments = rest.toLowerCase().split(/[-_.:\s]+/).filter(Boolean);
  const saysFake = segments.some((s) => FAKE_WORDS.has(s));
  const hasRandomPart = rest.split(/[-_.:\s]+/).some((s) => s.length >= 12 && /[0-9]/.test(s) && /[a-z]/i.test(s));
  return saysFake && !hasRandomPart;
}

const FAKE_WORDS = new Set(['dev', 'development', 'local', 'localhost', 'test', 'testing', 'demo', 'fake', 'mock', 'dummy', 'sample', 'example', 'my', 'foo', 'bar']);

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Long, token-shaped and random: upper case, lower case and digits mixed, at least 4 bits of entropy per
 * character. Hex digests, UUIDs, paths and URLs are left out: they are usually ids, hashes or commit SHAs.
 */
function looksRandom(value: string): boolean {
  if (value.length < 24 || value.length > 512) return false;
  if (!/^[A-Za-z0-9+/=_\-.~]+$/.test(value)) return false;
  if (/^[0-9a-f-]+$/i.test(value)) return false;
  if (value.startsWith('/') || value.startsWith('.')) return false;
  if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || !/[0-9]/.test(value)) return false;
  if (readsAsWords(value)) return false;
  return shannonEntropy(value) >= 4;
}

/** One piece of a readable value: a word (`Brand`, `tester`, `MyCompany`, `API`) or a short number (`1`, `2024`). */
const READABLE_PIECE = /^(?:[A-Z]?[a-z]+(?:[A-Z][a-z]+)*|[A-Z]+|\d{1,4})$/;

/**
 * Words and version numbers joined by separators (`Brand-Visibility-Tester/1.0`, a User-Agent product token):
 * varied enough to pass the entropy test, but nothing in it is random. A token has mixed-case pieces with digits.
 */
function readsAsWords(value: string): boolean {
  const pieces = value.split(/[-_./+~=]+/).filter(Boolean);
  return pieces.length >= 2 && pieces.every((piece) => READABLE_PIECE.test(piece));
}

function decodeJwtPayload(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1];
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null; // not a JWT after all: the caller treats it as an ordinary string
  }
}

/** Removes an HTTP auth scheme (`Bearer `, `Token `, `Bot `) so the key itself is judged. */
export function stripAuthScheme(value: string): string {
  return value.trim().replace(/^(?:Bearer|Token|Bot|token|bearer|ApiKey|Api-Key)\s+/, '');
}

/** What a string value is, as far as secrets go. Placeholders are recognised before anything else. */
export function classifySecretValue(raw: string): ValueVerdict {
  const value = stripAuthScheme(raw);
  if (isPlaceholder(value)) return { kind: 'placeholder' };
  for (const f of SECRET_FORMATS) if (f.pattern.test(value)) return { kind: 'secret', label: f.label };
  for (const f of PUBLISHABLE_FORMATS) if (f.pattern.test(value)) return { kind: 'publishable', label: f.label };
  if (URL_WITH_PASSWORD.test(value)) {
    const password = URL_WITH_PASSWORD.exec(value)?.[1] ?? '';
    return isPlaceholder(password) ? { kind: 'placeholder' } : { kind: 'secret', label: 'a URL with a password in it' };
  }
  if (GOOGLE_API_KEY.test(value)) return { kind: 'ambiguous', label: 'a Google API key' };
  if (JWT.test(value)) {
    const payload = decodeJwtPayload(value);
    const role = payload?.role;
    if (role === 'service_role') return { kind: 'secret', label: 'a Supabase service-role key' };
    if (role === 'anon') return { kind: 'publishable', label: 'a Supabase anon key' };
    if (payload) return { kind: 'ambiguous', label: 'a JWT' };
  }
  if (looksRandom(value)) return { kind: 'high-entropy', label: 'a long random-looking string' };
  return { kind: 'unknown' };
}

/**
 * True when a value looks like a secret: a known secret format, or a long random string. Placeholders,
 * publishable keys and Google `AIza` keys (public or not depending on the API) are not.
 */
export function isSecretValue(value: string): boolean {
  const verdict = classifySecretValue(value);
  return verdict.kind === 'secret' || verdict.kind === 'high-entropy';
}

/**
 * True for keys made to be shipped to browsers, given either a value (`pk_live_…`, Mapbox `pk.…`, Supabase anon
 * JWT, Sentry DSN) or a name (`*_PUBLISHABLE_KEY`, `SUPABASE_ANON_KEY`, `FIREBASE_API_KEY`, `*_CLIENT_ID`, ...).
 */
export function isPublishableKey(nameOrValue: string): boolean {
  const verdict = classifySecretValue(nameOrValue);
  if (verdict.kind === 'publishable') return true;
  if (verdict.kind === 'secret' || verdict.kind === 'high-entropy') return false;
  return /^[A-Za-z_$][\w$-]*$/.test(nameOrValue) && isPublishableName(nameOrValue);
}

/** Shows no more than the first 4 characters (fewer for short values) so reports never print a key. */
export function maskSecret(value: string): string {
  const visible = Math.min(4, Math.floor(value.length / 4));
  return `${value.slice(0, visible)}…`;
}
