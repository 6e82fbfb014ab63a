// Turns one call's facts into the decision guide's answers and a placement recommendation (docs/knowledge/decision-guide.md).
import { isLocalHost } from '../rules/hosts';
import type { CallRecord, Runtime, TopicId } from '../model/types';

export type Answer = 'yes' | 'no' | 'unknown';

export interface GuideQuestion {
  id: 'secret' | 'third-party' | 'user-data' | 'real-time' | 'offline' | 'mutation' | 'heavy';
  question: string;
  answer: Answer;
  /** Why API Atlas answered so, in a sentence. */
  because: string;
  topic: TopicId;
}

export type Placement = 'frontend' | 'backend' | 'hybrid';

export interface Recommendation {
  placement: Placement;
  /** One sentence a person can act on. */
  headline: string;
  reasons: string[];
  /** Where the call runs now versus where it should. */
  matchesCurrent: boolean;
  questions: GuideQuestion[];
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The app's own server (a relative URL) or a host the rules also count as local (loopback, private network, a Compose service). */
function isOwnOrLocal(call: CallRecord): boolean {
  if (call.url.kind === 'relative') return true;
  return call.url.host !== null && isLocalHost(call.url.host);
}

export function answerGuide(call: CallRecord, thirdPartyName?: string | null): GuideQuestion[] {
  const creds = call.facts.credentials;
  const appSecret = creds.filter((c) => c.source === 'env' || c.source === 'literal');
  const session = creds.filter((c) => c.source === 'session');
  const hasSecretFinding = call.findings.some((f) => f.rule === 'client-secret' || f.rule === 'hardcoded-secret' || f.rule === 'public-env-secret');
  const method = call.method;

  const questions: GuideQuestion[] = [];
  questions.push({
    id: 'secret',
    question: 'Does the request need a secret (API key, token, password) that belongs to the application?',
    answer: hasSecretFinding ? 'yes' : appSecret.length > 0 ? 'unknown' : 'no',
    because: hasSecretFinding
      ? `It sends ${appSecret.map((c) => c.envName ?? 'a literal credential').join(', ') || 'a credential'} that reads as a secret.`
      : appSecret.length > 0
        ? `It sends ${appSecret.map((c) => c.envName ?? 'a literal value').join(', ')}, which does not read as a secret.`
        : 'No application credential is sent with it.',
    topic: 'third-party-secrets',
  });
  questions.push({
    id: 'third-party',
    question: 'Does it call a third-party API rather than your own?',
    answer: isOwnOrLocal(call) ? 'no' : call.url.host ? 'yes' : 'unknown',
    because: thirdPartyName
      ? `${call.url.host} is ${thirdPartyName}, which needs a secret key.`
      : isOwnOrLocal(call)
        ? 'The URL is relative or local: your own server.'
        : call.url.host
          ? `It goes to ${call.url.host}.`
          : 'The URL is built at run time, so the host is not known.',
    topic: 'cors',
  });
  questions.push({
    id: 'user-data',
    question: "Is it about the signed-in user's own data?",
    answer: session.length > 0 ? 'yes' : 'unknown',
    because: session.length > 0 ? "It sends the user's own session token." : 'Nothing in the call says whose data it is.',
    topic: 'hybrid-auth',
  });
  questions.push({
    id: 'real-time',
    question: 'Must the screen reflect changes as they happen?',
    answer: call.facts.inTimer ? 'yes' : 'unknown',
    because: call.facts.inTimer ? 'It runs on a timer (polling).' : 'It is not polled; real-time needs are not visible in the code.',
    topic: 'real-time-updates',
  });
  questions.push({
    id: 'offline',
    question: 'Must it work offline or on a poor connection?',
    answer: call.context === 'service-worker' ? 'yes' : 'unknown',
    because: call.context === 'service-worker' ? 'It is made by a service worker, which exists to serve offline.' : 'No service worker or offline cache is involved.',
    topic: 'offline-caching',
  });
  questions.push({
    id: 'mutation',
    question: 'Does it change data (create, update, delete)?',
    answer: method === null ? 'unknown' : MUTATING.has(method) ? 'yes' : 'no',
    because: method === null ? 'The method is decided at run time.' : `It is a ${method} request.`,
    topic: 'data-validation',
  });
  questions.push({
    id: 'heavy',
    question: 'Does the result need heavy computation or several sources combined?',
    answer: call.findings.some((f) => f.rule === 'request-waterfall') ? 'yes' : 'unknown',
    because: call.findings.some((f) => f.rule === 'request-waterfall')
      ? 'It is one of several requests made one after another to build one result.'
      : 'Nothing in the call says so.',
    topic: 'business-logic',
  });
  return questions;
}

/** The decision guide as code: secrets and third parties go to the server, user-facing reads may stay in the browser. */
export function recommendPlacement(call: CallRecord, thirdPartyName?: string | null): Recommendation {
  const questions = answerGuide(call, thirdPartyName);
  const a = (id: GuideQuestion['id']): Answer => questions.find((q) => q.id === id)?.answer ?? 'unknown';
  const reasons: string[] = [];
  let placement: Placement;

  if (a('secret') === 'yes' || thirdPartyName) {
    placement = 'backend';
    if (a('secret') === 'yes') reasons.push('A secret sent from the browser is readable by anyone who opens the developer tools.');
    if (thirdPartyName) reasons.push(`${thirdPartyName} is meant to be called with a server-side key.`);
  } else if (a('heavy') === 'yes') {
    placement = 'backend';
    reasons.push('Several sequential requests are better combined once on the server than on every device.');
  } else if (a('user-data') === 'yes' && call.runtime !== 'backend') {
    placement = 'hybrid';
    reasons.push("The server authenticates the user; the browser may then fetch the user's own data with that session.");
  } else if (a('real-time') === 'yes' || a('offline') === 'yes') {
    placement = 'frontend';
    reasons.push(a('real-time') === 'yes' ? 'Live data belongs near the screen; prefer a push channel (SSE, WebSocket) to polling.' : 'Offline support needs the browser to cache and replay requests.');
  } else if (a('mutation') === 'yes' && a('third-party') !== 'yes') {
    // A change to your own data (or to a host only known at run time): never described as a read.
    if (call.runtime === 'backend') {
      placement = 'backend';
      reasons.push(`This ${call.method} changes data from your server, where its input can be validated and the change authorised.`);
    } else {
      placement = 'hybrid';
      reasons.push(`This ${call.method} changes data: the browser may send it, but your server must validate and authorise it.`);
    }
    if (a('third-party') === 'unknown') reasons.push('Its host is built at run time; if it is not your own server, send it from your server instead.');
  } else if (a('third-party') === 'yes') {
    placement = call.runtime === 'backend' ? 'backend' : 'hybrid';
    reasons.push('A public third-party API may be called from the browser if it allows your origin (CORS); cache or proxy it when limits or privacy matter.');
  } else {
    placement = call.runtime === 'backend' ? 'backend' : 'frontend';
    reasons.push(placement === 'frontend' ? `${describeRequest(call.method, a('third-party'))} with no secret is fine from the browser, and saves a server hop.` : 'It already runs on the server, which is a safe default.');
  }

  const current: Runtime = call.runtime;
  const matchesCurrent =
    placement === 'hybrid' || current === 'unknown'
      ? true
      : placement === 'backend'
        ? current === 'backend'
        : current === 'frontend' || current === 'isomorphic';
  const headline =
    placement === 'backend'
      ? matchesCurrent
        ? 'Keep this call on the server.'
        : 'Move this call to the server.'
      : placement === 'frontend'
        ? 'The browser is a good place for this call.'
        : 'Split the work: the server guards, the browser calls.';
  return { placement, headline, reasons, matchesCurrent, questions };
}

/** What the guide may truthfully call a request that reached its last branch: a read only when the method says so. */
function describeRequest(method: string | null, thirdParty: Answer): string {
  const target = thirdParty === 'no' ? 'your own API' : 'a host built at run time';
  return method === null ? `A request to ${target} whose method is decided at run time` : `A ${method} read of ${target}`;
}
