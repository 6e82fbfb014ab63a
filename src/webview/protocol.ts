// The knowledge panel's message protocol, imported by both the extension host and the page script.

/** What the panel shows; kept in the webview state so a reload restores the same page. */
export type PanelRoute =
  | { kind: 'call'; root: string; id: string }
  | { kind: 'topic'; id: string }
  | { kind: 'rule'; id: string }
  | { kind: 'library'; side?: string; query?: string }
  | { kind: 'overview' };

export interface PanelState {
  route: PanelRoute;
  scrollY: number;
}

/** What the page reports about itself when asked (tests and diagnostics read what a person sees). */
export interface RenderedState {
  route: PanelRoute | null;
  title: string;
  text: string;
  images: number;
  scripts: number;
  links: number;
  /** What the page saved with setState: VS Code hands exactly this to the serializer after a reload. */
  savedState: PanelState | null;
}

export type HostToWebview =
  | { type: 'render'; route: PanelRoute; title: string; html: string }
  | { type: 'request'; requestId: number; method: 'getRenderedState' }
  | { type: 'response'; requestId: number; ok: boolean; result?: unknown; error?: string };

export type WebviewToHost =
  | { type: 'ready'; state: PanelState | null }
  | { type: 'navigate'; route: PanelRoute }
  | { type: 'command'; command: string; args: unknown }
  | { type: 'openExternal'; url: string }
  | { type: 'response'; requestId: number; ok: true; result: RenderedState };

/** Commands the page may ask the host to run; anything else is refused by the host. */
export const PANEL_COMMANDS = [
  'apiAtlas.revealCall',
  'apiAtlas.moveBehindProxy',
  'apiAtlas.ignoreFinding',
  'apiAtlas.showOverview',
  'apiAtlas.filterTree',
] as const;

export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'navigate' || type === 'command' || type === 'openExternal' || type === 'response';
}
