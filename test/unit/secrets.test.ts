// Unit tests of secrets.ts and hosts.ts: which names, values and hosts read as secrets, and which only look like them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classifySecretValue,
  isBrowserExposedEnvName,
  isPlaceholder,
  isPublishableKey,
  isSecretName,
  isSecretValue,
  maskSecret,
  serverOnlyEnvName,
} from '../../src/core/rules';
import { isLocalHost, lookupThirdParty } from '../../src/core/rules';

// Fake keys assembled at run time so secret scanners do not flag this file.
const fake = {
  stripeSecret: 'sk_' + 'live_' + '51HqLyjWDarjtT1zdp7dcXYZ12ab',
  stripePublishable: 'pk_' + 'live_' + '51HqLyjWDarjtT1zdp7dcXYZ12ab',
  openai: 'sk-' + 'proj-' + 'Qw3rTy9UiOp4AsDfGh7JkLzXcVbNm12',
  github: 'ghp' + '_' + 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5',
  slack: 'xox' + 'b-' + '1234567890-0987654321-AbCdEfGhIjKlMnOp',
  aws: 'AKIA' + 'IOSFODNN7EXAMPL3',
  google: 'AIza' + 'SyD4x9Qm2Lk7Vn8Rt5Wp3Zb6Hc1Jf0Gd2Ke',
};

function jwt(payload: Record<string, unknown>): string {
  const part = (o: Record<string, unknown>) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(payload)}.c2lnbmF0dXJlc2lnbmF0dXJl`;
}

test('browser-exposed env names return their prefix; server-only names return null', () => {
  assert.equal(isBrowserExposedEnvName('NEXT_PUBLIC_OPENAI_KEY'), 'NEXT_PUBLIC_');
  assert.equal(isBrowserExposedEnvName('VITE_API_KEY'), 'VITE_');
  assert.equal(isBrowserExposedEnvName('REACT_APP_TOKEN'), 'REACT_APP_');
  assert.equal(isBrowserExposedEnvName('VUE_APP_SECRET'), 'VUE_APP_');
  assert.equal(isBrowserExposedEnvName('NUXT_PUBLIC_KEY'), 'NUXT_PUBLIC_');
  assert.equal(isBrowserExposedEnvName('EXPO_PUBLIC_KEY'), 'EXPO_PUBLIC_');
  assert.equal(isBrowserExposedEnvName('GATSBY_KEY'), 'GATSBY_');
  assert.equal(isBrowserExposedEnvName('PUBLIC_SUPABASE_URL'), 'PUBLIC_');
  assert.equal(isBrowserExposedEnvName('OPENAI_API_KEY'), null);
  assert.equal(isBrowserExposedEnvName('DATABASE_URL'), null);
  assert.equal(isBrowserExposedEnvName('NEXT_PUBLIC_'), null);
});

test('serverOnlyEnvName strips the browser prefix and leaves other names alone', () => {
  assert.equal(serverOnlyEnvName('NEXT_PUBLIC_OPENAI_KEY'), 'OPENAI_KEY');
  assert.equal(serverOnlyEnvName('VITE_STRIPE_SECRET_KEY'), 'STRIPE_SECRET_KEY');
  assert.equal(serverOnlyEnvName('NUXT_PUBLIC_API_TOKEN'), 'API_TOKEN');
  assert.equal(serverOnlyEnvName('OPENAI_KEY'), 'OPENAI_KEY');
});

test('names that read as secrets', () => {
  for (const name of [
    'NEXT_PUBLIC_OPENAI_API_KEY',
    'VITE_STRIPE_SECRET_KEY',
    'REACT_APP_GITHUB_TOKEN',
    'NEXT_PUBLIC_DB_PASSWORD',
    'VITE_SMTP_PASS',
    'NEXT_PUBLIC_SUPABASE_SERVICE_ROLE_KEY',
    'NEXT_PUBLIC_AWS_ACCESS_KEY',
    'NEXT_PUBLIC_AUTH_TOKEN',
    'NEXT_PUBLIC_OPENAI_KEY',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'FIREBASE_PRIVATE_KEY',
    'POSTHOG_PERSONAL_API_KEY',
    'ALGOLIA_ADMIN_KEY',
    'SENTRY_AUTH_TOKEN',
    'apiKey',
    'clientSecret',
    'X-API-Key',
    'Authorization',
    'APIKEY',
    'MIDTRANS_SERVER_KEY',
  ]) {
    assert.equal(isSecretName(name), true, name);
  }
});

test('names that only look like secrets', () => {
  for (const name of [
    'NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY',
    'NEXT_PUBLIC_SUPABASE_ANON_KEY',
    'NEXT_PUBLIC_FIREBASE_API_KEY',
    'NEXT_PUBLIC_SENTRY_DSN',
    'NEXT_PUBLIC_ALGOLIA_SEARCH_KEY',
    'NEXT_PUBLIC_ALGOLIA_SEARCH_ONLY_API_KEY',
    'NEXT_PUBLIC_MAPBOX_TOKEN',
    'NEXT_PUBLIC_GOOGLE_MAPS_API_KEY',
    'NEXT_PUBLIC_POSTHOG_KEY',
    'NEXT_PUBLIC_SEGMENT_WRITE_KEY',
    'NEXT_PUBLIC_AMPLITUDE_API_KEY',
    'NEXT_PUBLIC_RECAPTCHA_SITE_KEY',
    'NEXT_PUBLIC_GITHUB_CLIENT_ID',
    'NEXT_PUBLIC_CSRF_TOKEN',
    'NEXT_PUBLIC_KAKAO_JAVASCRIPT_KEY',
    'NEXT_PUBLIC_MIDTRANS_CLIENT_KEY',
    'NEXT_PUBLIC_AUTH_URL',
    'NEXT_PUBLIC_AUTH0_DOMAIN',
    'NEXT_PUBLIC_TOKEN_ENDPOINT',
    'NEXT_PUBLIC_STORAGE_KEY',
    'NEXT_PUBLIC_VAPID_PUBLIC_KEY',
    'NEXT_PUBLIC_API_URL',
    'VITE_APP_VERSION',
    'SECRET_NAME',
    'X-CSRF-Token',
    'Content-Type',
  ]) {
    assert.equal(isSecretName(name), false, name);
  }
});

test('known secret formats are secrets whatever the entropy', () => {
  for (const value of [fake.stripeSecret, fake.openai, fake.github, fake.slack, fake.aws, `Bearer ${fake.openai}`, 'postgres://app:s3cretPw@db.internal.acme.io:5432/app']) {
    assert.equal(isSecretValue(value), true, value);
  }
  assert.equal(classifySecretValue(fake.openai).kind, 'secret');
  assert.deepEqual(classifySecretValue(fake.stripeSecret), { kind: 'secret', label: 'a Stripe secret key' });
});

test('a service-role JWT is a secret; an anon JWT is publishable', () => {
  assert.equal(isSecretValue(jwt({ iss: 'supabase', role: 'service_role' })), true);
  assert.equal(isSecretValue(jwt({ iss: 'supabase', role: 'anon' })), false);
  assert.equal(isPublishableKey(jwt({ iss: 'supabase', role: 'anon' })), true);
});

test('publishable keys, DSNs, Google keys, ids and hashes are not secret values', () => {
  for (const value of [
    fake.stripePublishable,
    fake.google,
    'pk.eyJ1IjoiYWNtZSIsImEiOiJjbGFiYzEyMyJ9.abcdefg',
    'https://0123456789abcdef0123456789abcdef@o123456.ingest.sentry.io/4504',
    'phc_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
    '3f786850e387550fdab836ed7e6dc881de23001b', // a commit SHA
    '123e4567-e89b-12d3-a456-426614174000',
    'https://api.example.com/v1',
    'G-ABC123XYZ',
  ]) {
    assert.equal(isSecretValue(value), false, value);
  }
  assert.equal(isPublishableKey(fake.stripePublishable), true);
  assert.equal(isPublishableKey('NEXT_PUBLIC_SUPABASE_ANON_KEY'), true);
  assert.equal(isPublishableKey('NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY'), true);
  assert.equal(isPublishableKey('NEXT_PUBLIC_OPENAI_API_KEY'), false);
  assert.equal(isPublishableKey(fake.stripeSecret), false);
});

test('a long random string counts as a secret value; a short or readable one does not', () => {
  assert.equal(isSecretValue('Zx8Qp2Lm9Rt4Vw7Yb3Nc6Hd1Jf5Kg0Ps'), true);
  assert.equal(isSecretValue('hello-world-this-is-a-sentence'), false);
  assert.equal(isSecretValue('Ab1Cd2'), false);
  // A User-Agent product token: words and a version, not a key (seen in cloudflare/templates).
  assert.equal(isSecretValue('Brand-Visibility-Tester/1.0'), false);
  assert.equal(isSecretValue('MyCompany-Release-Checker/2024.11'), false);
  // The same separators around random pieces still read as a key.
  assert.equal(isSecretValue('Zx8Qp2Lm-9Rt4Vw7Y-b3Nc6Hd1/Jf5Kg0Ps'), true);
});

test('placeholders are recognised, also behind a known prefix', () => {
  for (const value of ['YOUR_API_KEY', 'your-api-key-here', 'xxx', 'xxxxxxxxxxxxxxxxxxxx', '<token>', 'test', 'changeme', 'sk-...', 'sk_live_xxxxxxxxxxxxxxxx', '${OPENAI_API_KEY}', '']) {
    assert.equal(isPlaceholder(value), true, value);
    assert.equal(isSecretValue(value), false, value);
  }
  for (const value of ['dev-api-key-12345', 'local_test_token', 'my-secret']) assert.equal(isPlaceholder(value), true, value);
  assert.equal(isPlaceholder(fake.openai), false);
  assert.equal(isPlaceholder('pay_live_8f2a9c71d3e04b5a9f11c2d7e6a4b390'), false);
  assert.equal(isPlaceholder('sk-proj-demoDEMOdemoDEMOdemoDEMOdemoDEMO1234'), false);
});

test('maskSecret never shows more than four characters', () => {
  assert.equal(maskSecret(fake.openai), 'sk-p…');
  assert.equal(maskSecret('abcdefgh'), 'ab…');
  assert.equal(maskSecret('abc'), '…');
});

test('the third-party catalogue knows the hosts, with paths where a vendor shares a host', () => {
  assert.equal(lookupThirdParty('api.openai.com')?.name, 'OpenAI API');
  assert.equal(lookupThirdParty('API.Stripe.com')?.name, 'Stripe API');
  assert.equal(lookupThirdParty('generativelanguage.googleapis.com')?.name, 'Google Gemini API');
  assert.equal(lookupThirdParty('acme.myshopify.com', '/admin/api/2024-01/products.json')?.name, 'Shopify Admin API');
  assert.equal(lookupThirdParty('acme.myshopify.com', '/api/2024-01/graphql.json'), undefined);
  assert.equal(lookupThirdParty('slack.com', '/api/chat.postMessage')?.name, 'Slack Web API');
  assert.equal(lookupThirdParty('slack.com', '/intl/en-gb/'), undefined);
  assert.equal(lookupThirdParty('api.github.com')?.when, 'credential');
  assert.equal(lookupThirdParty('abc123.execute-api.eu-west-1.amazonaws.com'), undefined);
  assert.equal(lookupThirdParty('api.example.com'), undefined);
  assert.equal(lookupThirdParty('maps.googleapis.com'), undefined);
});

test('local hosts: loopback, *.localhost, *.local, private ranges and compose service names', () => {
  for (const host of ['localhost', 'app.localhost', '127.0.0.1', '[::1]', '0.0.0.0', 'printer.local', '10.0.0.12', '192.168.1.20', '172.20.0.5', 'api', 'host.docker.internal']) {
    assert.equal(isLocalHost(host), true, host);
  }
  for (const host of ['example.com', 'weather.example.org', '8.8.8.8', '172.32.0.1', 'api.stripe.com']) {
    assert.equal(isLocalHost(host), false, host);
  }
});
