// Words and orderings the extension's views share for calls, runtimes, contexts and severities (no `vscode`, unit-tested).
import type { Call, Context, Runtime, Severity } from '../core/model';

// The shared vocabulary lives in the engine's model, so the CLI and these views say the same thing.
export { RUNTIMES as RUNTIME_ORDER, RUNTIME_LABELS, SEVERITY_RANK, activeFindings, silencedFindings, worstSeverity } from '../core/model';

/** Completes "Runs …" in the hover and tooltips. */
export const RUNTIME_PLACES: Record<Runtime, string> = {
  frontend: 'in the browser',
  backend: 'on the server',
  isomorphic: 'in the browser and on the server',
  unknown: 'where API Atlas cannot tell',
};

/** Partial so a context added to the engine shows (by its id) before it gets words here. */
export const CONTEXT_LABELS: Partial<Record<Context, string>> = {
  'next-client-component': 'Next.js client component',
  'next-server-component': 'Next.js server component',
  'next-route-handler': 'Next.js route handler',
  'next-middleware': 'Next.js middleware',
  'next-server-action': 'Next.js server action',
  'next-pages-data': 'Next.js data function (getServerSideProps/getStaticProps)',
  'next-pages-api': 'Next.js API route',
  'ssr-component': 'server-rendered component',
  'mobile-app': 'mobile app',
  'extension-background': 'extension background',
  'extension-content-script': 'extension content script',
  'extension-page': 'extension page',
  'sveltekit-server': 'SvelteKit server module',
  'sveltekit-universal': 'SvelteKit universal load',
  'nuxt-server': 'Nuxt server route',
  'remix-server': 'Remix loader/action',
  'react-router-route': 'React Router route module',
  'astro-server': 'Astro endpoint',
  spa: 'single-page app',
  'service-worker': 'service worker',
  'web-worker': 'web worker',
  'node-server': 'Node server',
  'node-script': 'Node script',
  'edge-worker': 'edge worker',
  'shared-module': 'shared module',
  test: 'test',
  unknown: 'unknown context',
};

export function contextLabel(context: Context): string {
  return CONTEXT_LABELS[context] ?? context.replace(/-/g, ' ');
}

/** Codicon names, so the tree, the hover and the filter picker draw a runtime or a severity the same way. */
export const RUNTIME_ICONS: Record<Runtime, string> = { frontend: 'browser', backend: 'server', isomorphic: 'arrow-swap', unknown: 'question' };
export const SEVERITY_ICONS: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info' };

const MAX_URL_LABEL = 80;

/**
 * The row label `METHOD /path`, the endpoint first; `?` stands for a method that cannot be known statically. An
 * absolute URL shows its path: the host goes in the description, where the sidebar may cut it.
 */
export function callLabel(call: Call): string {
  let url = call.url.template ?? call.url.text;
  if (call.url.host) {
    const path = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+(.*)$/i.exec(url)?.[1];
    if (path !== undefined) url = path || '/';
  }
  const oneLine = url.replace(/\s+/g, ' ');
  const shown = oneLine.length > MAX_URL_LABEL ? `${oneLine.slice(0, MAX_URL_LABEL - 1)}…` : oneLine;
  return `${call.method ?? '?'} ${shown}`;
}

/** The row description `client · file:line`, for places that show a call on its own (tooltips, pickers). */
export function callLocation(call: Call, folderName?: string): string {
  const file = folderName ? `${folderName}/${call.file}` : call.file;
  return `${call.client} · ${file}:${call.range.start.line}`;
}

/** What a call row's parent already says, so the row does not repeat it. */
export type RowParent = 'file' | 'host' | 'other';

/**
 * A call row's description: the host (unless the parent is that host) and where the call is: `line 12` under its file,
 * `Chat.tsx:12` elsewhere (the full path is in the tooltip).
 */
export function callRowDescription(call: Call, parent: RowParent): string {
  const parts: string[] = [];
  if (call.url.host && parent !== 'host') parts.push(call.url.host);
  const base = call.file.slice(call.file.lastIndexOf('/') + 1);
  parts.push(parent === 'file' ? `line ${call.range.start.line}` : `${base}:${call.range.start.line}`);
  return parts.join(' · ');
}

export function pluralize(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Evidence sorted strongest first: the first item is the reason shown in hovers. */
export function topEvidence(call: Call, limit: number): Call['evidence'] {
  return [...call.evidence].sort((a, b) => b.weight - a.weight).slice(0, limit);
}

export function escapeMarkdown(text: string): string {
  // Parentheses stay as they are: with [ and ] escaped no link can form, and an escaped ")" right after a URL
  // becomes part of the link VS Code makes of it.
  return text.replace(/[\\`*_{}[\]#+\-.!|<>]/g, (c) => `\\${c}`);
}

/** A finding message as markdown: its `code` spans stay code, everything else is literal text. */
export function messageMarkdown(text: string): string {
  const parts = text.split('`');
  if (parts.length % 2 === 0) return escapeMarkdown(text); // an unmatched backtick: plain text
  return parts
    .map((part, i) => (i % 2 === 1 && part !== '' ? `\`${part}\`` : escapeMarkdown(part)))
    .join('');
}
