// Text taken from a workspace (file names, URLs, messages quoting code) made safe to show a person: terminal and
// bidi control characters made visible, credentials masked.
import { isPlaceholder, isSecretValue, maskSecret } from '../rules';

// C0 controls (ESC, BEL, CR, LF, TAB, ...), DEL, C1 controls (the 8-bit CSI and OSC), and the bidi controls that
// reorder what a reader sees (Trojan Source): embeddings, overrides, isolates, marks.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Shows every control character as a visible `\u001b`-style escape, so a file name or URL cannot move the cursor,
 * clear the screen, open an OSC 8 hyperlink, ring the bell or reverse the text around it, in a terminal, an
 * `--output` file, a markdown report, the panel or a hover. For one-line fields: newlines are escaped too.
 */
export function neutralizeControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// A query parameter whose name says it carries a credential; its value is masked whatever it looks like.
const SECRET_PARAM = /([?&](?:[\w-]*(?:key|token|secret|password|passwd|pwd|signature|sig|auth|credential)s?[\w-]*)=)([^&#\s'"`${}]{4,})/gi;
// `scheme://user:password@host`.
const URL_PASSWORD = /(:\/\/[^:@/\s]+:)([^@/\s]{3,})@/g;
// URLs that are themselves the secret: whoever has one can post to the channel.
const WEBHOOK_URL = /(\bhttps?:\/\/(?:hooks\.slack\.com\/(?:services|workflows|triggers)\/|(?:[\w-]+\.)?discord(?:app)?\.com\/api\/webhooks\/))([^\s'"`?#]+)/gi;
// AWS access key ids, wherever they stand (a query value `AWSAccessKeyId=AKIA…` is one token with its name).
const AWS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g;
// Candidate tokens; `/` is left out so URL paths split into their segments.
const TOKEN = /[A-Za-z0-9+=_\-.~]{12,}/g;

/**
 * Masks credential-looking values in text shown to a person: URL text comes from source code and may embed a key.
 * Rule messages are already masked by the rules; this is the second line of defence and leaves masked text alone.
 */
export function maskSecrets(text: string): string {
  const known = masked.get(text);
  if (known !== undefined) return known;
  const out = text
    .replace(WEBHOOK_URL, (_match, base: string, rest: string) => `${base}${maskSecret(rest)}`)
    .replace(AWS_KEY_ID, (key) => maskSecret(key))
    .replace(SECRET_PARAM, (match, name: string, value: string) => (isPlaceholder(value) ? match : `${name}${maskSecret(value)}`))
    .replace(URL_PASSWORD, (match, prefix: string, password: string) => (isPlaceholder(password) ? match : `${prefix}${maskSecret(password)}@`))
    .replace(TOKEN, (token) => (secretToken(token) ? maskSecret(token) : token));
  remember(masked, text, out);
  return out;
}

/**
 * The answers of maskSecrets and of its token test, by text: a report repeats the same URLs, hosts and messages
 * across calls (dub's JSON: 4,936 strings, 1,402 of them distinct), and a JSON report of 1,390 calls spent
 * ~100 ms masking. Both are pure; each map is emptied when full, so a long-lived editor keeps a bounded number.
 */
const masked = new Map<string, string>();
const tokenVerdicts = new Map<string, boolean>();
const REMEMBERED = 10_000;

function secretToken(token: string): boolean {
  let secret = tokenVerdicts.get(token);
  if (secret === undefined) remember(tokenVerdicts, token, (secret = isSecretValue(token)));
  return secret;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (key.length > 4096) return;
  if (map.size >= REMEMBERED) map.clear();
  map.set(key, value);
}

/** Both at once, for any one-line field a view prints. */
export function forDisplay(text: string): string {
  return neutralizeControls(maskSecrets(text));
}
