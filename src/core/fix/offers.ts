// Which fixes answer a finding, with the titles people see: decided once here, shown by the editor's light bulb and the CLI's JSON.
import { serverOnlyEnvName } from '../rules';
import type { Call, CallFacts, Finding, RuleId } from '../model';

/** The timeout the timeout fix writes, in seconds (its code writes the milliseconds, its title the seconds). */
export const FIX_TIMEOUT_SECONDS = 10;
export const FIX_TIMEOUT_MS = FIX_TIMEOUT_SECONDS * 1000;

/** Every fix the engine can plan for a finding. The ignore comments are offered for every finding and are not listed here. */
export const FIX_IDS = ['move-behind-proxy', 'move-literal-to-env', 'rename-public-env', 'add-timeout'] as const;
export type FixId = (typeof FIX_IDS)[number];

export interface FixOffer {
  fix: FixId;
  /** The quick-fix title, e.g. `Add a timeout (10 s)`. */
  title: string;
  /**
   * A fix that edits only the call's own line, touches no other file and no env var: safe to apply in bulk
   * (the editor's `source.fixAll.apiAtlas`, e.g. on save).
   */
  safe: boolean;
  /** The one fix a person should pick for this finding (the editor marks it preferred). */
  preferred: boolean;
  /** `move-literal-to-env` only: also writes the secret's value to `.env.local` (the editor asks first). */
  writesSecretValue?: boolean;
}

/** A call as the index holds it; `facts` may be missing when only the public shape is known (then titles say less). */
export type OfferableCall = Pick<Call, 'runtime'> & { facts?: Pick<CallFacts, 'credentials'> };

export const PROXY_MOVE_TITLE = 'Move behind a server proxy…';

/** The proxy move answers these wherever the call runs in the browser. */
const PROXY_RULES: ReadonlySet<RuleId> = new Set(['client-secret', 'third-party-direct']);
/** Secret fixes that work only on the server; in browser code the proxy move answers them instead. */
const SERVER_SECRET_RULES: ReadonlySet<RuleId> = new Set(['hardcoded-secret', 'public-env-secret']);

/** True when the proxy move is this finding's fix. */
export function isAnsweredByProxy(call: OfferableCall, rule: RuleId): boolean {
  return PROXY_RULES.has(rule) || (SERVER_SECRET_RULES.has(rule) && call.runtime === 'frontend');
}

function publicEnvName(call: OfferableCall): string | undefined {
  return call.facts?.credentials.find((c) => c.source === 'env' && c.envName)?.envName;
}

/**
 * The fixes for one finding of a call, best first. `no-error-handling` has none: what a failed request should do
 * (a message, a retry, a fallback) is the app's decision, and a catch that only logs and rethrows handles nothing.
 */
export function fixOffersFor(call: OfferableCall, finding: Pick<Finding, 'rule'>): FixOffer[] {
  const { rule } = finding;
  if (isAnsweredByProxy(call, rule)) {
    // A leaked secret has one right fix; a third-party call alone may be meant to run in the browser.
    return [{ fix: 'move-behind-proxy', title: PROXY_MOVE_TITLE, safe: false, preferred: rule !== 'third-party-direct' }];
  }
  switch (rule) {
    case 'hardcoded-secret':
      return [
        { fix: 'move-literal-to-env', title: 'Move the literal to a server-only env var', safe: false, preferred: true },
        { fix: 'move-literal-to-env', title: 'Move the literal to a server-only env var and write the value to .env.local', safe: false, preferred: false, writesSecretValue: true },
      ];
    case 'public-env-secret': {
      const name = publicEnvName(call);
      return [{ fix: 'rename-public-env', title: name ? `Rename to a server-only env var (${serverOnlyEnvName(name)})` : 'Rename to a server-only env var', safe: false, preferred: true }];
    }
    case 'no-timeout':
      return [{ fix: 'add-timeout', title: `Add a timeout (${FIX_TIMEOUT_SECONDS} s)`, safe: true, preferred: true }];
    default:
      return [];
  }
}
