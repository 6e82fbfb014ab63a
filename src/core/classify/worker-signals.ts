// Evidence that a file is a worker: a Cloudflare-style edge worker, a service worker or a Web Worker, from its handlers, events, APIs and name.
import type { SignalSink } from './signal-sink';
import { matchAt, type CodeScan } from '../parse/code-text';
import type { PackageInfo } from '../graph/packages';

const SERVICE_WORKER_EVENTS = new Set(['fetch', 'install', 'activate', 'push', 'sync', 'periodicsync', 'notificationclick', 'backgroundfetchsuccess']);
const WORKER_FETCH_EVENTS = new Set(['fetch', 'install', 'activate', 'scheduled']);
/** What a dedicated (`message`) or shared (`connect`) Web Worker listens for on its global scope. */
const WEB_WORKER_EVENTS = new Set(['message', 'connect']);
/** `self.onmessage = …`, or a bare `onmessage = …` / `onconnect = …` statement (the worker's global scope). */
// Blanks after a statement start stay on their line ([^\S\n]*), so a run of empty lines is not re-scanned from each one.
const WEB_WORKER_HANDLER = /(?:\bself\s*\.\s*|(?:^|[;}\n])[^\S\n]*)(on(?:message|connect))\s*=(?!=)/;
/** The event name right after `addEventListener` (sticky). */
const LISTENER_EVENT = /\s*\(\s*(['"])(\w+)\1/y;
const WORKER_FETCH_HANDLER = /\s*\(\s*\w+\s*(?::\s*[\w.<>]+\s*)?,\s*env\b/y;
const SERVICE_WORKER_APIS = /\bself\.(skipWaiting|clients|registration)\b|(?<![\w$.])(importScripts|registerRoute|precacheAndRoute)\s*\(|\bworkbox\.\w+|\bclients\.claim\s*\(/;
const SERVICE_WORKER_NAME = /(^|\/)(sw|service-worker|serviceworker|[\w-]+[-.]sw)\.[cm]?[jt]s$/i;

/** The first event in `events` that an `addEventListener('<event>', …)` call listens for: on `self.` only, or only unqualified. */
function listenedEvent(code: string, scan: CodeScan, onSelf: boolean, events: Set<string>): string | null {
  for (const h of scan.hits.get('addEventListener') ?? []) {
    const receiverIsSelf = h.afterDot && /\bself\s*\.\s*$/.test(code.slice(Math.max(0, h.index - 8), h.index));
    if (onSelf ? !receiverIsSelf : h.afterDot) continue;
    const name = matchAt(LISTENER_EVENT, code, h.index + 'addEventListener'.length)?.[2];
    if (name && events.has(name)) return name;
  }
  return null;
}

/** `async fetch(request, env` in an object literal: a module worker's handler. */
function hasWorkerFetchHandler(code: string, scan: CodeScan): boolean {
  return (scan.hits.get('fetch') ?? []).some((h) => !h.afterDot && matchAt(WORKER_FETCH_HANDLER, code, h.index + 5) !== null);
}

export function workerSignals(sink: SignalSink, code: string, scan: CodeScan, base: string, pkg: PackageInfo | null): void {
  const { hits } = scan;
  const cloudflare = pkg?.frameworks.cloudflareWorkers ?? false;
  const moduleWorker =
    (hits.has('ExportedHandler') && /\bsatisfies\s+ExportedHandler\b|:\s*ExportedHandler\b/.test(scan.masked)) ||
    (hasWorkerFetchHandler(code, scan) && /\bexport\s+default\b/.test(scan.masked));
  if (moduleWorker) {
    sink.entry = true;
    sink.add('edge-worker', 'backend', 0.9, 'exports a fetch(request, env) handler: a Cloudflare-style edge worker', 'edge-worker');
    return;
  }
  const listens = hits.has('addEventListener');
  const swEvent = listens && hits.has('self') ? listenedEvent(code, scan, true, SERVICE_WORKER_EVENTS) : null;
  if (swEvent) {
    sink.entry = true;
    sink.add('service-worker', 'frontend', 0.9, `listens for the service worker '${swEvent}' event on self: a service worker in the browser`, 'service-worker');
    return;
  }
  const messageEvent = listens && hits.has('self') ? listenedEvent(code, scan, true, WEB_WORKER_EVENTS) : null;
  // The pattern may start at any line; most files never say either word, and a plain search says so at once.
  const handler = scan.masked.includes('onmessage') || scan.masked.includes('onconnect') ? WEB_WORKER_HANDLER.exec(scan.masked)?.[1] : undefined;
  const comlink = scan.references.some((r) => r.specifier === 'comlink') && /(?<![\w$.])expose\s*\(/.test(scan.masked);
  // A service worker also hears 'message'; its own APIs (skipWaiting, clients, workbox) say which kind it is.
  if ((messageEvent || handler || comlink) && !SERVICE_WORKER_APIS.test(scan.masked)) {
    sink.entry = true;
    const how = messageEvent ? `listens for '${messageEvent}' events on self` : handler ? `sets ${handler}` : "exposes its functions with comlink's expose()";
    sink.add('web-worker', 'frontend', 0.85, `${how}: a Web Worker, a browser thread without the page's DOM`, 'web-worker');
    return;
  }
  const bare = listens ? listenedEvent(code, scan, false, WORKER_FETCH_EVENTS) : null;
  if (bare && cloudflare) {
    sink.entry = true;
    sink.add('edge-worker', 'backend', 0.9, `listens for '${bare}' events in a Cloudflare Workers package (wrangler): an edge worker`, 'edge-worker');
    return;
  }
  const named = SERVICE_WORKER_NAME.test(base);
  const apis = ['self', 'importScripts', 'registerRoute', 'precacheAndRoute', 'workbox'].some((n) => hits.has(n)) || hits.get('clients')?.some((h) => code.startsWith('.claim', h.index + 7))
    ? SERVICE_WORKER_APIS.exec(scan.masked)
    : null;
  if (bare || apis || named) {
    const reasons = [bare && `listens for '${bare}' events`, apis && `uses ${apis[0].replace(/(?<!\s)\s*\($/, '')}`, named && `is named ${base}`].filter(Boolean);
    const weight = bare || apis ? (named ? 0.9 : 0.75) : 0.5;
    sink.entry = weight >= 0.75;
    sink.add('service-worker', 'frontend', weight, `${reasons.join(' and ')}: a service worker, which runs in the browser`, 'service-worker');
  }
  if (cloudflare && !sink.has('edge-worker')) {
    sink.add('cloudflare-package', 'backend', 0.3, 'in a Cloudflare Workers package (wrangler)', 'edge-worker');
  }
}
