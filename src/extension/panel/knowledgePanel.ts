// Hosts the knowledge panel webview: renders pages with markdown-it, answers the page's messages, restores after reload.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { BlindSpot, CallRecord } from '../../core/model';
import {
  renderCallView,
  renderLibrary,
  renderMarkdown,
  renderOverview,
  topicsForCall,
  escapeHtml,
  type KnowledgeTopic,
  type RulePage,
} from './knowledgeView';
import { PANEL_COMMANDS, isWebviewToHost, type HostToWebview, type PanelRoute, type PanelState, type RenderedState } from '../../webview/protocol';

export const PANEL_VIEW_TYPE = 'apiAtlas.knowledge';

/** What the panel needs from the rest of the extension; the composition root supplies it. */
export interface PanelDataSource {
  getCall(root: string, id: string): CallRecord | undefined;
  allCalls(): CallRecord[];
  /** What the scans saw but could not follow, with the folder's name when the workspace has several. */
  blindSpots(): (BlindSpot & { folderName?: string })[];
  /** True once the first scan of every folder has finished. */
  isReady(): boolean;
  onDidChange: vscode.Event<void>;
  topics(): KnowledgeTopic[];
  rulePage(id: string): RulePage | undefined;
  topicsOfRule(rule: string): string[];
  thirdPartyName(host: string | null): string | null;
  canMoveBehindProxy(call: CallRecord): boolean;
  log: vscode.LogOutputChannel;
}

export class KnowledgePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private route: PanelRoute = { kind: 'library' };
  private ready = false;
  private nextRequestId = 1;
  private readonly pending = new Map<number, (value: unknown) => void>();
  private readonly disposables: vscode.Disposable[] = [];
  private panelDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly data: PanelDataSource,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, state),
      }),
      data.onDidChange(() => {
        // Calls move and findings change as the user edits: keep a visible call or overview page current.
        if (this.panel?.visible && (this.route.kind === 'call' || this.route.kind === 'overview')) this.render();
      }),
    );
  }

  /** Opens (or reveals) the panel on a page. */
  show(route: PanelRoute): void {
    if (this.panel) {
      this.route = route;
      this.panel.reveal(undefined, true);
      this.render();
      return;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'API Atlas', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
    this.adopt(panel, route);
  }

  /** Takes over a panel VS Code kept across a reload, on the page its saved state names. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    this.panel?.dispose();
    this.adopt(panel, isPanelState(state) ? state.route : { kind: 'library' });
  }

  get currentRoute(): PanelRoute {
    return this.route;
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Asks the page what it shows (round trip through the message protocol); for tests and the log. */
  requestRenderedState(timeoutMs = 5000): Promise<RenderedState> {
    const panel = this.panel;
    if (!panel) return Promise.reject(new Error('The knowledge panel is not open.'));
    const requestId = this.nextRequestId++;
    return new Promise<RenderedState>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error('The knowledge panel did not answer in time.'));
      }, timeoutMs);
      this.pending.set(requestId, (value) => {
        clearTimeout(timer);
        resolve(value as RenderedState);
      });
      this.post({ type: 'request', requestId, method: 'getRenderedState' });
    });
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist')],
    };
  }

  private adopt(panel: vscode.WebviewPanel, route: PanelRoute): void {
    this.panel = panel;
    this.route = route;
    this.ready = false;
    panel.webview.options = this.webviewOptions();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icons', 'atlas.svg');
    panel.webview.html = this.shellHtml(panel.webview);
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      panel.onDidChangeViewState(() => {
        if (panel.visible && this.ready) this.render();
      }),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
        for (const d of this.panelDisposables) d.dispose();
        this.panelDisposables = [];
      }),
    );
  }

  private shellHtml(webview: vscode.Webview): string {
    const nonce = crypto.randomBytes(16).toString('base64');
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'panel.css'));
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `img-src ${webview.cspSource} data:`, `script-src 'nonce-${nonce}'`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>API Atlas</title>
</head>
<body>
<div id="root"><p class="muted">Loading…</p></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  private post(message: HostToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  private onMessage(message: unknown): void {
    if (!isWebviewToHost(message)) {
      this.data.log.warn(`Knowledge panel: ignored a message of unknown shape: ${JSON.stringify(message)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        // The route is already set: by show(), or by the serializer from the state the page saved before a reload.
        this.ready = true;
        this.render();
        break;
      case 'navigate':
        this.route = message.route;
        this.render();
        break;
      case 'command':
        if (!(PANEL_COMMANDS as readonly string[]).includes(message.command)) {
          this.data.log.warn(`Knowledge panel: refused command ${message.command}`);
          return;
        }
        void vscode.commands.executeCommand(message.command, message.args).then(undefined, (err: unknown) => {
          this.data.log.error(`Knowledge panel: ${message.command} failed: ${String(err)}`);
          void vscode.window.showErrorMessage(`API Atlas: ${err instanceof Error ? err.message : String(err)}`);
        });
        break;
      case 'openExternal': {
        const uri = vscode.Uri.parse(message.url, true);
        if (uri.scheme === 'https' || uri.scheme === 'http') void vscode.env.openExternal(uri);
        else this.data.log.warn(`Knowledge panel: refused to open ${message.url} (only http and https links open outside VS Code).`);
        break;
      }
      case 'response': {
        const resolve = this.pending.get(message.requestId);
        this.pending.delete(message.requestId);
        resolve?.(message.result);
        break;
      }
    }
  }

  private render(): void {
    if (!this.panel || !this.ready) return;
    const { title, html } = this.page(this.route);
    this.panel.title = title;
    this.post({ type: 'render', route: this.route, title, html });
  }

  private page(route: PanelRoute): { title: string; html: string } {
    const topics = this.data.topics();
    switch (route.kind) {
      case 'call': {
        const call = this.data.getCall(route.root, route.id);
        if (!call) {
          const waiting = !this.data.isReady();
          return {
            title: 'API Atlas: call',
            html: `<p class="muted">${waiting ? 'Indexing the workspace… the call shows here when it is found.' : 'This call is no longer in the index (the code changed). Pick it again from the API Calls view.'}</p>${renderLibrary(topics, {})}`,
          };
        }
        const ids = topicsForCall(call, (rule) => this.data.topicsOfRule(rule));
        const chosen = ids.map((id) => topics.find((t) => t.id === id)).filter((t): t is KnowledgeTopic => t !== undefined);
        const { html } = renderCallView({
          call,
          topics: chosen,
          thirdPartyName: this.data.thirdPartyName(call.url.host),
          canMoveBehindProxy: this.data.canMoveBehindProxy(call),
          ref: { root: route.root, id: route.id },
        });
        return { title: `API Atlas: ${call.method ?? ''} ${call.url.template ?? call.url.text}`.trim(), html };
      }
      case 'topic': {
        const topic = topics.find((t) => t.id === route.id);
        if (!topic) return { title: 'API Atlas', html: `<p>Unknown topic ${escapeHtml(route.id)}.</p>${renderLibrary(topics, {})}` };
        return { title: `API Atlas: ${topic.title}`, html: renderLibrary(topics, { side: topic.side, topicId: topic.id }) };
      }
      case 'rule': {
        const rule = this.data.rulePage(route.id);
        if (!rule) return { title: 'API Atlas', html: `<p>Unknown rule ${escapeHtml(route.id)}.</p>` };
        return { title: `API Atlas: ${rule.title}`, html: `<p><a href="#" data-side="">← Knowledge base</a></p><article>${renderMarkdown(rule.body)}</article>` };
      }
      case 'library':
        return { title: 'API Atlas: knowledge base', html: renderLibrary(topics, { side: route.side, query: route.query }) };
      case 'overview':
        return { title: 'API Atlas: overview', html: renderOverview(this.data.allCalls(), this.data.blindSpots()) };
    }
  }

  /** For tests: the HTML the host would send for a page, without a webview. */
  pageHtml(route: PanelRoute): string {
    return this.page(route).html;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function isPanelState(value: unknown): value is PanelState {
  return typeof value === 'object' && value !== null && typeof (value as PanelState).route === 'object' && (value as PanelState).route !== null;
}
