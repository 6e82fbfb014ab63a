// Which fixes answer which finding (src/core/fixOffers.ts): the one decision the light bulb and the CLI's JSON share.
import assert from 'node:assert/strict';
import test from 'node:test';
import { FIX_TIMEOUT_MS, FIX_TIMEOUT_SECONDS, fixOffersFor } from '../../src/core/fix';
import { FIX_TIMEOUT_MS as FIXES_TIMEOUT_MS } from '../../src/core/fix/simple';
import { RULE_IDS, type Credential } from '../../src/core/model';

const envKey: Credential = { source: 'env', placement: 'header', field: 'Authorization', envName: 'NEXT_PUBLIC_OPENAI_KEY' } as Credential;

test('in the browser the secret findings are answered by the proxy move, the leak preferred', () => {
  for (const rule of ['client-secret', 'hardcoded-secret', 'public-env-secret'] as const) {
    assert.deepEqual(fixOffersFor({ runtime: 'frontend' }, { rule }), [{ fix: 'move-behind-proxy', title: 'Move behind a server proxy…', safe: false, preferred: true }], rule);
  }
  // A third-party call alone may be meant to run in the browser: offered, not preferred.
  assert.equal(fixOffersFor({ runtime: 'frontend' }, { rule: 'third-party-direct' })[0].preferred, false);
});

test('on the server the secret fixes are the env var fixes, the rename naming the server-only variable', () => {
  const rename = fixOffersFor({ runtime: 'backend', facts: { credentials: [envKey] } }, { rule: 'public-env-secret' });
  assert.deepEqual(rename.map((o) => [o.fix, o.title]), [['rename-public-env', 'Rename to a server-only env var (OPENAI_KEY)']]);
  const literal = fixOffersFor({ runtime: 'backend' }, { rule: 'hardcoded-secret' });
  assert.deepEqual(literal.map((o) => o.fix), ['move-literal-to-env', 'move-literal-to-env']);
  assert.equal(literal[1].writesSecretValue, true);
});

test('only the timeout is safe to apply in bulk; error handling has no automatic fix', () => {
  const safe = RULE_IDS.flatMap((rule) => ['frontend', 'backend'].flatMap((runtime) => fixOffersFor({ runtime: runtime as 'frontend' }, { rule }).filter((o) => o.safe)));
  assert.deepEqual([...new Set(safe.map((o) => o.fix))], ['add-timeout']);
  assert.deepEqual(fixOffersFor({ runtime: 'frontend' }, { rule: 'no-error-handling' }), []);
});

test('the timeout is written once: the title says the seconds the fix writes', () => {
  assert.equal(FIX_TIMEOUT_MS, FIX_TIMEOUT_SECONDS * 1000);
  assert.equal(FIXES_TIMEOUT_MS, FIX_TIMEOUT_MS);
  assert.equal(fixOffersFor({ runtime: 'backend' }, { rule: 'no-timeout' })[0].title, `Add a timeout (${FIX_TIMEOUT_SECONDS} s)`);
});
