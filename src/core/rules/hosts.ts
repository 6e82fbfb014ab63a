// The catalogue of third-party APIs that need a secret key, and which hosts count as local for `insecure-http`.

/**
 * When calling the API from a browser is a problem:
 * - `always`: every call needs the account's secret key;
 * - `credential`: only when the app sends its own token (public reads of GitHub or GitLab are fine);
 * - `service-role`: only with an elevated key (Supabase with the service role; the anon key is public);
 * - `write`: only for write operations (Algolia: searching with a search-only key is the intended browser use).
 */
export type ThirdPartyCondition = 'always' | 'credential' | 'service-role' | 'write';

export interface ThirdPartyApi {
  /** Display name: `OpenAI API`. */
  name: string;
  /** Exact hosts, or `*.example.com` for any subdomain (not the bare domain). */
  hosts: string[];
  /** Only URLs whose path starts with one of these (Shopify Admin vs Storefront). */
  pathPrefixes?: string[];
  /** What secret it needs, as a phrase: `a secret API key (sk-...)`. */
  secret: string;
  docsUrl: string;
  when: ThirdPartyCondition;
}

export const THIRD_PARTY_APIS: readonly ThirdPartyApi[] = [
  // AI
  { name: 'OpenAI API', hosts: ['api.openai.com'], secret: 'a secret API key (sk-...)', docsUrl: 'https://platform.openai.com/docs/api-reference/authentication', when: 'always' },
  { name: 'Anthropic API', hosts: ['api.anthropic.com'], secret: 'a secret API key (x-api-key)', docsUrl: 'https://docs.anthropic.com/en/api/overview', when: 'always' },
  { name: 'Google Gemini API', hosts: ['generativelanguage.googleapis.com'], secret: 'a Gemini API key', docsUrl: 'https://ai.google.dev/gemini-api/docs/api-key', when: 'always' },
  { name: 'Google Vertex AI', hosts: ['aiplatform.googleapis.com', '*.aiplatform.googleapis.com'], secret: 'a service-account access token', docsUrl: 'https://cloud.google.com/vertex-ai/docs/authentication', when: 'always' },
  { name: 'Mistral API', hosts: ['api.mistral.ai'], secret: 'a secret API key', docsUrl: 'https://docs.mistral.ai/api/', when: 'always' },
  { name: 'Cohere API', hosts: ['api.cohere.ai', 'api.cohere.com'], secret: 'a secret API key', docsUrl: 'https://docs.cohere.com/reference/about', when: 'always' },
  { name: 'Groq API', hosts: ['api.groq.com'], secret: 'a secret API key (gsk_...)', docsUrl: 'https://console.groq.com/docs/api-reference', when: 'always' },
  { name: 'Replicate API', hosts: ['api.replicate.com'], secret: 'an API token (r8_...)', docsUrl: 'https://replicate.com/docs/reference/http', when: 'always' },
  { name: 'Hugging Face Inference API', hosts: ['api-inference.huggingface.co', 'router.huggingface.co'], secret: 'an access token (hf_...)', docsUrl: 'https://huggingface.co/docs/inference-providers', when: 'always' },
  { name: 'Together AI API', hosts: ['api.together.xyz', 'api.together.ai'], secret: 'a secret API key', docsUrl: 'https://docs.together.ai/reference/authentication-1', when: 'always' },
  { name: 'DeepSeek API', hosts: ['api.deepseek.com'], secret: 'a secret API key', docsUrl: 'https://api-docs.deepseek.com/', when: 'always' },
  { name: 'Perplexity API', hosts: ['api.perplexity.ai'], secret: 'a secret API key', docsUrl: 'https://docs.perplexity.ai/', when: 'always' },
  { name: 'OpenRouter API', hosts: ['openrouter.ai'], pathPrefixes: ['/api/'], secret: 'a secret API key', docsUrl: 'https://openrouter.ai/docs/api-reference/authentication', when: 'always' },
  { name: 'ElevenLabs API', hosts: ['api.elevenlabs.io'], secret: 'a secret API key (xi-api-key)', docsUrl: 'https://elevenlabs.io/docs/api-reference/authentication', when: 'always' },
  // Payments
  { name: 'Stripe API', hosts: ['api.stripe.com'], secret: 'a secret key (sk_live_...)', docsUrl: 'https://docs.stripe.com/keys', when: 'always' },
  { name: 'PayPal REST API', hosts: ['api.paypal.com', 'api-m.paypal.com', 'api.sandbox.paypal.com', 'api-m.sandbox.paypal.com'], secret: 'a client secret', docsUrl: 'https://developer.paypal.com/api/rest/authentication/', when: 'always' },
  { name: 'Square API', hosts: ['connect.squareup.com', 'connect.squareupsandbox.com'], secret: 'an access token', docsUrl: 'https://developer.squareup.com/docs/build-basics/access-tokens', when: 'always' },
  { name: 'Plaid API', hosts: ['production.plaid.com', 'sandbox.plaid.com', 'development.plaid.com'], secret: 'a client secret', docsUrl: 'https://plaid.com/docs/api/', when: 'always' },
  // Email and messaging
  { name: 'SendGrid API', hosts: ['api.sendgrid.com'], secret: 'a secret API key (SG....)', docsUrl: 'https://www.twilio.com/docs/sendgrid/api-reference', when: 'always' },
  { name: 'Mailgun API', hosts: ['api.mailgun.net', 'api.eu.mailgun.net'], secret: 'a private API key', docsUrl: 'https://documentation.mailgun.com/docs/mailgun/api-reference/', when: 'always' },
  { name: 'Postmark API', hosts: ['api.postmarkapp.com'], secret: 'a server token', docsUrl: 'https://postmarkapp.com/developer/api/overview', when: 'always' },
  { name: 'Resend API', hosts: ['api.resend.com'], secret: 'a secret API key (re_...)', docsUrl: 'https://resend.com/docs/api-reference/introduction', when: 'always' },
  { name: 'Mailchimp API', hosts: ['*.api.mailchimp.com'], secret: 'a secret API key', docsUrl: 'https://mailchimp.com/developer/marketing/docs/fundamentals/', when: 'always' },
  { name: 'Twilio API', hosts: ['api.twilio.com', '*.twilio.com'], secret: 'an account auth token', docsUrl: 'https://www.twilio.com/docs/usage/requests-to-twilio', when: 'always' },
  { name: 'Slack Web API', hosts: ['slack.com'], pathPrefixes: ['/api/'], secret: 'a bot or user token (xoxb-...)', docsUrl: 'https://api.slack.com/web', when: 'always' },
  { name: 'Slack incoming webhook', hosts: ['hooks.slack.com'], secret: 'a webhook URL that is itself the secret', docsUrl: 'https://api.slack.com/messaging/webhooks', when: 'always' },
  { name: 'Discord API', hosts: ['discord.com', 'discordapp.com'], pathPrefixes: ['/api/'], secret: 'a bot token or webhook URL', docsUrl: 'https://discord.com/developers/docs/reference#authentication', when: 'always' },
  { name: 'Firebase Cloud Messaging send API', hosts: ['fcm.googleapis.com'], pathPrefixes: ['/v1/projects/', '/fcm/send'], secret: 'a server key or service-account token', docsUrl: 'https://firebase.google.com/docs/cloud-messaging/send/v1-api', when: 'always' },
  // Code hosting and productivity
  { name: 'GitHub API', hosts: ['api.github.com'], secret: 'a personal access or app token', docsUrl: 'https://docs.github.com/en/rest/authentication/authenticating-to-the-rest-api', when: 'credential' },
  { name: 'GitLab API', hosts: ['gitlab.com'], pathPrefixes: ['/api/'], secret: 'a personal access token (glpat-...)', docsUrl: 'https://docs.gitlab.com/api/rest/authentication/', when: 'credential' },
  { name: 'Shopify Admin API', hosts: ['*.myshopify.com'], pathPrefixes: ['/admin/'], secret: 'an Admin API access token (shpat_...)', docsUrl: 'https://shopify.dev/docs/api/admin-rest#authentication', when: 'always' },
  { name: 'Airtable API', hosts: ['api.airtable.com'], secret: 'a personal access token', docsUrl: 'https://airtable.com/developers/web/api/authentication', when: 'always' },
  { name: 'Notion API', hosts: ['api.notion.com'], secret: 'an integration token', docsUrl: 'https://developers.notion.com/reference/authentication', when: 'always' },
  { name: 'HubSpot API', hosts: ['api.hubapi.com', 'api.hubspot.com'], secret: 'a private app access token', docsUrl: 'https://developers.hubspot.com/docs/api/private-apps', when: 'always' },
  { name: 'Intercom API', hosts: ['api.intercom.io'], secret: 'an access token', docsUrl: 'https://developers.intercom.com/docs/build-an-integration/learn-more/authentication', when: 'always' },
  { name: 'Vercel API', hosts: ['api.vercel.com'], secret: 'an access token', docsUrl: 'https://vercel.com/docs/rest-api', when: 'always' },
  { name: 'Cloudflare API', hosts: ['api.cloudflare.com'], secret: 'an API token', docsUrl: 'https://developers.cloudflare.com/fundamentals/api/', when: 'always' },
  { name: 'Netlify API', hosts: ['api.netlify.com'], secret: 'a personal access token', docsUrl: 'https://docs.netlify.com/api/get-started/', when: 'always' },
  // Cloud and data
  { name: 'AWS API', hosts: ['*.amazonaws.com'], secret: 'an AWS access key and secret', docsUrl: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html', when: 'credential' },
  { name: 'Algolia admin API', hosts: ['*.algolia.net', '*.algolianet.com', '*.algolia.io'], secret: 'an admin or write API key', docsUrl: 'https://www.algolia.com/doc/guides/security/api-keys/', when: 'write' },
  { name: 'Supabase with the service role', hosts: ['*.supabase.co'], secret: 'the service-role key', docsUrl: 'https://supabase.com/docs/guides/api/api-keys', when: 'service-role' },
];

/** Hosts under a catalogue domain that are the user's own public endpoints, not the vendor's API. */
const OWN_ENDPOINT_HOSTS = [/\.execute-api\.[\w-]+\.amazonaws\.com$/, /\.appsync-api\.[\w-]+\.amazonaws\.com$/, /\.lambda-url\.[\w-]+\.on\.aws$/];

function hostMatches(host: string, pattern: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return host === pattern;
}

/**
 * The third-party API that `host` (and `path`, when the vendor shares a host with its website) belongs to.
 * `lookupThirdParty('api.openai.com')` → OpenAI; `('shop.myshopify.com', '/api/2024-01/graphql.json')` →
 * undefined (the Storefront API is public).
 */
export function lookupThirdParty(host: string, path?: string): ThirdPartyApi | undefined {
  const h = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  if (OWN_ENDPOINT_HOSTS.some((re) => re.test(h))) return undefined;
  return THIRD_PARTY_APIS.find(
    (api) =>
      api.hosts.some((p) => hostMatches(h, p)) &&
      (!api.pathPrefixes || (path !== undefined && api.pathPrefixes.some((prefix) => path.startsWith(prefix)))),
  );
}

/**
 * Hosts that never leave the developer's machine or private network: localhost and `*.localhost`, loopback
 * (127.x, ::1), 0.0.0.0, `*.local`/`*.internal`, private IPv4 ranges, and single-label names (Docker Compose
 * service names such as `http://api:3000`).
 */
export function isLocalHost(host: string): boolean {
  let h = host.toLowerCase().replace(/\.$/, '');
  if (h.startsWith('[')) h = h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  else h = h.replace(/:\d+$/, '');
  if (h === '' || h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '0.0.0.0') return true;
  if (h.endsWith('.local') || h.endsWith('.internal') || h.endsWith('.home.arpa')) return true;
  const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (ipv4) {
    const [a, b] = [Number(ipv4[1]), Number(ipv4[2])];
    return a === 127 || a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31) || (a === 169 && b === 254);
  }
  if (/^f[cd][0-9a-f]{2}:/.test(h) || h.startsWith('fe80:')) return true; // IPv6 unique-local and link-local
  return !h.includes('.') && !h.includes(':') && !h.includes('{');
}
