// The knowledge panel's page script: shows the HTML the host renders and turns clicks into messages.
import type { HostToWebview, PanelRoute, PanelState, RenderedState, WebviewToHost } from './protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;
let currentRoute: PanelRoute | null = vscode.getState()?.route ?? null;

function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

function sameRoute(a: PanelRoute | null, b: PanelRoute): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

function render(route: PanelRoute, title: string, html: string): void {
  const keepScroll = sameRoute(currentRoute, route) ? window.scrollY : 0;
  const searchHadFocus = document.activeElement?.id === 'search';
  // The host renders with markdown-it (html: false) and escapes every workspace string; this is trusted markup.
  root.innerHTML = html;
  document.title = title;
  currentRoute = route;
  vscode.setState({ route, scrollY: keepScroll });
  window.scrollTo(0, keepScroll);
  const search = document.getElementById('search') as HTMLInputElement | null;
  if (search && searchHadFocus) {
    search.focus();
    search.setSelectionRange(search.value.length, search.value.length);
  }
}

function renderedState(): RenderedState {
  return {
    route: currentRoute,
    title: document.title,
    text: root.innerText,
    images: root.querySelectorAll('img').length,
    scripts: root.querySelectorAll('script').length,
    links: root.querySelectorAll('a').length,
    savedState: vscode.getState() ?? null,
  };
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'render':
      render(message.route, message.title, message.html);
      break;
    case 'request':
      if (message.method === 'getRenderedState') post({ type: 'response', requestId: message.requestId, ok: true, result: renderedState() });
      break;
    case 'response':
      break;
  }
});

function activate(target: Element): boolean {
  const el = target.closest('[data-topic],[data-rule],[data-side],[data-external],[data-command],[data-filter]');
  if (!el) return false;
  const data = (el as HTMLElement).dataset;
  if (data.topic !== undefined) post({ type: 'navigate', route: { kind: 'topic', id: data.topic } });
  else if (data.rule !== undefined) post({ type: 'navigate', route: { kind: 'rule', id: data.rule } });
  else if (data.side !== undefined) post({ type: 'navigate', route: { kind: 'library', side: data.side || undefined } });
  else if (data.external !== undefined) post({ type: 'openExternal', url: data.external });
  else if (data.command !== undefined) post({ type: 'command', command: data.command, args: JSON.parse(data.args ?? 'null') as unknown });
  else if (data.filter !== undefined) post({ type: 'command', command: 'apiAtlas.filterTree', args: JSON.parse(data.filter) as unknown });
  return true;
}

document.addEventListener('click', (event) => {
  if (event.target instanceof Element && activate(event.target)) event.preventDefault();
});
document.addEventListener('keydown', (event) => {
  if ((event.key === 'Enter' || event.key === ' ') && event.target instanceof Element && event.target.closest('[data-filter]')) {
    if (activate(event.target)) event.preventDefault();
  }
});

let searchTimer: ReturnType<typeof setTimeout> | undefined;
document.addEventListener('input', (event) => {
  const input = event.target as HTMLInputElement;
  if (input.id !== 'search') return;
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    const side = currentRoute?.kind === 'library' ? currentRoute.side : undefined;
    post({ type: 'navigate', route: { kind: 'library', side, query: input.value } });
  }, 200);
});

window.addEventListener('scroll', () => {
  if (currentRoute) vscode.setState({ route: currentRoute, scrollY: window.scrollY });
});

// Nothing is sent to this page until it says it is ready (and which page it was showing before a reload).
post({ type: 'ready', state: vscode.getState() ?? null });
