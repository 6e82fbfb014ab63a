// The ten finding rules' metadata (docs/design.md §5): titles, default severities, topics and rule pages.
// Kept apart from findings.ts so that code that only names rules (the CLI before a scan, SARIF) does not load the TypeScript parser.
import type { RuleId, Severity, TopicId } from '../model/types';

export interface RuleInfo {
  id: RuleId;
  title: string;
  defaultSeverity: Severity;
  topics: TopicId[];
  docPath: `docs/rules/${RuleId}.md`;
  /** One sentence for tooltips and the SARIF rule description. */
  summary: string;
}

export const RULES: Readonly<Record<RuleId, RuleInfo>> = Object.freeze({
  'client-secret': {
    id: 'client-secret',
    title: 'Secret sent from browser code',
    defaultSeverity: 'error',
    topics: ['third-party-secrets', 'security', 'hybrid-auth', 'decision-guide'],
    docPath: 'docs/rules/client-secret.md',
    summary: 'A call that runs in the browser carries an application secret (a hard-coded key or a browser-exposed env var), so anyone can read it.',
  },
  'public-env-secret': {
    id: 'public-env-secret',
    title: 'Secret in a browser-exposed env var',
    defaultSeverity: 'warning',
    topics: ['third-party-secrets', 'security'],
    docPath: 'docs/rules/public-env-secret.md',
    summary: 'A secret is stored under an env var name (NEXT_PUBLIC_, VITE_, ...) that the bundler copies into browser code.',
  },
  'hardcoded-secret': {
    id: 'hardcoded-secret',
    title: 'Hard-coded credential',
    defaultSeverity: 'warning',
    topics: ['third-party-secrets', 'security'],
    docPath: 'docs/rules/hardcoded-secret.md',
    summary: 'A credential is written into the source as a literal (an error when the code runs in the browser).',
  },
  'third-party-direct': {
    id: 'third-party-direct',
    title: 'Browser calls a secret-key API directly',
    defaultSeverity: 'warning',
    topics: ['third-party-secrets', 'business-logic', 'cors', 'decision-guide'],
    docPath: 'docs/rules/third-party-direct.md',
    summary: 'Browser code calls a third-party API that needs a secret key; such calls belong on the server.',
  },
  'cross-origin': {
    id: 'cross-origin',
    title: 'Cross-origin request from the browser',
    defaultSeverity: 'info',
    topics: ['cors', 'hybrid-auth'],
    docPath: 'docs/rules/cross-origin.md',
    summary: 'Browser code calls an absolute URL on another origin, which works only if that server allows it with CORS.',
  },
  'insecure-http': {
    id: 'insecure-http',
    title: 'Plain http:// to a remote host',
    defaultSeverity: 'warning',
    topics: ['security'],
    docPath: 'docs/rules/insecure-http.md',
    summary: 'A request goes over unencrypted http:// to a host that is not local.',
  },
  'request-waterfall': {
    id: 'request-waterfall',
    title: 'Sequential requests in one browser function',
    defaultSeverity: 'info',
    topics: ['user-experience', 'api-design', 'business-logic', 'scalability'],
    docPath: 'docs/rules/request-waterfall.md',
    summary: 'A browser function awaits one request before starting the next; parallelize them or aggregate on the server.',
  },
  polling: {
    id: 'polling',
    title: 'Polling from the browser',
    defaultSeverity: 'info',
    topics: ['real-time-updates', 'reduced-server-load', 'scalability'],
    docPath: 'docs/rules/polling.md',
    summary: 'A browser call runs on a timer; server-sent events or WebSockets push updates without repeated requests.',
  },
  'no-error-handling': {
    id: 'no-error-handling',
    title: 'Request failure not handled',
    defaultSeverity: 'info',
    topics: ['user-experience', 'data-validation', 'offline-caching'],
    docPath: 'docs/rules/no-error-handling.md',
    summary: 'Nothing handles a failed request: no try/catch, .catch(), status check or error callback.',
  },
  'no-timeout': {
    id: 'no-timeout',
    title: 'Server-side request without a timeout',
    defaultSeverity: 'info',
    topics: ['scalability', 'user-experience', 'api-design'],
    docPath: 'docs/rules/no-timeout.md',
    summary: 'A server-side call has no timeout or AbortSignal, so a slow upstream can hold requests open.',
  },
});
