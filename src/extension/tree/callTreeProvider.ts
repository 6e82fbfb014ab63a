// The "API Calls" view: calls grouped by runtime, host, finding or file, with a filter, a badge and in-place updates.
import * as vscode from 'vscode';
import { isProxyCandidate } from '../../core/fix';
import type { Severity } from '../../core/model';
import {
  contextLabel,
  messageMarkdown,
  RUNTIME_ICONS,
  RUNTIME_LABELS,
  SEVERITY_ICONS,
  RUNTIME_PLACES,
  activeFindings,
  callLabel,
  callLocation,
  callRowDescription,
  pluralize,
  silencedFindings,
  topEvidence,
  worstSeverity,
} from '../describe';
import { DisposableOwner } from '../disposable';
import { toVscodeRange, type WorkspaceIndex } from '../index/workspaceIndex';
import {
  BLIND_SPOT_KIND_LABELS,
  blindSpotLocation,
  buildTreeModel,
  describeFilter,
  describeScan,
  isFilterActive,
  type CallFilter,
  type BlindSpotNode,
  type CallNode,
  type GroupBy,
  type GroupNode,
  type TreeModel,
  type TreeNode,
} from './treeModel';

export const CALLS_VIEW_ID = 'apiAtlas.calls';
const GROUP_BY_STATE_KEY = 'apiAtlas.groupBy';
/** Index changes are gathered for this long before the tree redraws (typing fires many). */
const REFRESH_DEBOUNCE_MS = 100;

const SEVERITY_COLORS: Record<Severity, string> = {
  error: 'problemsErrorIcon.foreground',
  warning: 'problemsWarningIcon.foreground',
  info: 'problemsInfoIcon.foreground',
};
const MUTED_COLOR = 'disabledForeground';

export class CallTreeProvider extends DisposableOwner implements vscode.TreeDataProvider<TreeNode> {
  private readonly changeEmitter = this.register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this.changeEmitter.event;

  private model: TreeModel | undefined;
  private groupByMode: GroupBy;
  private filterState: CallFilter = {};
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  readonly view: vscode.TreeView<TreeNode>;

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly memento: vscode.Memento,
  ) {
    super();
    this.groupByMode = memento.get<GroupBy>(GROUP_BY_STATE_KEY, 'runtime');
    this.view = this.register(vscode.window.createTreeView(CALLS_VIEW_ID, { treeDataProvider: this, showCollapseAll: true }));
    this.register(index.onDidChange(() => this.scheduleRefresh()));
    this.register(index.onDidChangeState(() => this.scheduleRefresh()));
    this.register({ dispose: () => clearTimeout(this.refreshTimer) });
    this.updateViewState();
  }

  get groupBy(): GroupBy {
    return this.groupByMode;
  }

  get filter(): CallFilter {
    return { ...this.filterState };
  }

  setGroupBy(mode: GroupBy): void {
    if (mode === this.groupByMode) return;
    this.groupByMode = mode;
    void this.memento.update(GROUP_BY_STATE_KEY, mode);
    this.refreshNow();
  }

  setFilter(filter: CallFilter): void {
    this.filterState = { ...filter };
    this.refreshNow();
  }

  /** The current tree, built on demand from the index. */
  getModel(): TreeModel {
    this.model ??= buildTreeModel(this.index.entries(), this.groupByMode, this.filterState, this.index.blindSpots());
    return this.model;
  }

  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refreshNow(), REFRESH_DEBOUNCE_MS);
  }

  /** Rebuilds and redraws from the root; stable ids keep what the user expanded. */
  refreshNow(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.model = undefined;
    this.updateViewState();
    this.changeEmitter.fire(undefined);
  }

  private updateViewState(): void {
    const model = this.getModel();
    const filtered = isFilterActive(this.filterState);
    const filter = describeFilter(this.filterState);
    const progress = this.index.scanProgress();
    this.view.description = [progress && describeScan(progress), filter && `filter: ${filter}`].filter(Boolean).join(' · ') || undefined;
    this.view.message =
      filtered && model.visibleCalls > 0 ? `${model.visibleCalls} of ${pluralize(model.totalCalls, 'call')} match the filter.` : undefined;
    // Like Problems, the badge waits for a scan's final rows: interim findings would make it count up and down.
    const errors = this.index.entries().reduce((n, e) => n + (e.provisional ? 0 : activeFindings(e.call).filter((f) => f.severity === 'error').length), 0);
    this.view.badge = errors > 0 ? { value: errors, tooltip: `${pluralize(errors, 'error finding')} in API calls` } : undefined;
    void vscode.commands.executeCommand('setContext', 'apiAtlas.filtered', filtered);
    void vscode.commands.executeCommand('setContext', 'apiAtlas.groupBy', this.groupByMode);
    void vscode.commands.executeCommand('setContext', 'apiAtlas.hasCalls', model.totalCalls > 0);
    void vscode.commands.executeCommand('setContext', 'apiAtlas.ready', this.index.ready);
    void vscode.commands.executeCommand('setContext', 'apiAtlas.indexing', this.index.indexing);
  }

  getChildren(element?: TreeNode): TreeNode[] {
    if (!element) return this.getModel().roots;
    return element.kind === 'group' ? element.children : [];
  }

  getParent(element: TreeNode): TreeNode | undefined {
    return this.getModel().parents.get(element.id);
  }

  getTreeItem(element: TreeNode): vscode.TreeItem {
    if (element.kind === 'blind-spot') return this.blindSpotItem(element);
    return element.kind === 'group' ? this.groupItem(element) : this.callItem(element);
  }

  /** The node showing a call, for revealing it (the first one when a grouping lists it more than once). */
  findCallNode(folderKey: string, callId: string): CallNode | undefined {
    const search = (nodes: TreeNode[]): CallNode | undefined => {
      for (const n of nodes) {
        if (n.kind === 'call' && n.entry.folderKey === folderKey && n.entry.call.id === callId) return n;
        if (n.kind === 'group') {
          const found = search(n.children);
          if (found) return found;
        }
      }
      return undefined;
    };
    return search(this.getModel().roots);
  }

  private groupItem(group: GroupNode): vscode.TreeItem {
    const state =
      group.groupKind === 'file' && !this.getModel().expandFiles ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded;
    const item = new vscode.TreeItem(group.label, state);
    item.id = group.id;
    item.description = pluralize(group.callCount, 'call');
    item.contextValue = `group-${group.groupKind}`;
    switch (group.groupKind) {
      case 'runtime':
        item.iconPath = new vscode.ThemeIcon(RUNTIME_ICONS[group.runtime ?? 'unknown']);
        item.tooltip = `Calls that run ${RUNTIME_PLACES[group.runtime ?? 'unknown']}`;
        break;
      case 'placing':
        item.iconPath = new vscode.ThemeIcon('loading~spin');
        item.tooltip = 'Calls whose own file does not say where they run: the files importing it do, and the scan places these calls once it has read them.';
        break;
      case 'host':
        item.iconPath = new vscode.ThemeIcon(group.host ? 'globe' : 'link');
        break;
      case 'rule': {
        const calls = group.children.filter((c): c is CallNode => c.kind === 'call');
        const active = calls.flatMap((c) => activeFindings(c.entry.call).filter((f) => f.rule === group.rule));
        const worst = worstSeverity(active);
        item.iconPath = worst ? new vscode.ThemeIcon(SEVERITY_ICONS[worst], new vscode.ThemeColor(SEVERITY_COLORS[worst])) : new vscode.ThemeIcon('eye-closed', new vscode.ThemeColor(MUTED_COLOR));
        const silenced = group.callCount - active.length;
        item.description = pluralize(group.callCount, 'call') + (silenced > 0 ? ` · ${silenced} silenced` : '');
        break;
      }
      case 'no-findings':
        item.iconPath = new vscode.ThemeIcon('pass');
        break;
      case 'endpoint': {
        const calls = group.children.filter((c): c is CallNode => c.kind === 'call');
        const worst = worstSeverity(calls.flatMap((c) => activeFindings(c.entry.call).filter((f) => !group.rule || f.rule === group.rule)));
        const first = calls[0]?.entry.call;
        if (first) item.iconPath = new vscode.ThemeIcon(RUNTIME_ICONS[first.runtime], worst ? new vscode.ThemeColor(SEVERITY_COLORS[worst]) : undefined);
        if (first?.url.host && calls[0].parent !== 'host') item.description = `${first.url.host} · ${pluralize(group.callCount, 'call')}`;
        item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
        break;
      }
      case 'blind-spots':
      case 'blind-spot-kind':
        item.description = pluralize(group.blindSpotCount ?? 0, 'place');
        item.iconPath = new vscode.ThemeIcon(group.groupKind === 'blind-spots' ? 'eye-closed' : 'circle-small');
        item.tooltip =
          group.groupKind === 'blind-spots'
            ? `${pluralize(group.blindSpotCount ?? 0, 'blind spot')}: places where API Atlas saw an HTTP client or API call it could not follow to a request. Requests made there are not in this list; check them by hand.`
            : group.label;
        item.collapsibleState = vscode.TreeItemCollapsibleState.Collapsed;
        break;
      case 'file':
        // The file name first, its folder after it (as the Problems view does): long paths no longer push it out of view.
        if (group.file) {
          const cut = group.label.lastIndexOf('/');
          if (cut > 0) {
            item.label = group.label.slice(cut + 1);
            item.description = `${group.label.slice(0, cut)} · ${pluralize(group.callCount, 'call')}`;
          }
          item.tooltip = group.label;
        }
        if (group.file) {
          const folderUri = this.index.folderUri(group.file.folderKey);
          if (folderUri) item.resourceUri = vscode.Uri.joinPath(folderUri, ...group.file.rel.split('/'));
        }
        item.iconPath = vscode.ThemeIcon.File;
        break;
    }
    return item;
  }

  /** A blind spot: where it is, what was not followed and why; opens the line. */
  private blindSpotItem(node: BlindSpotNode): vscode.TreeItem {
    const { spot } = node.entry;
    const item = new vscode.TreeItem(blindSpotLocation(node.entry, this.index.folderKeys().length > 1), vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = spot.detail;
    item.tooltip = `${BLIND_SPOT_KIND_LABELS[spot.kind]}: ${spot.detail}`;
    item.contextValue = 'blind-spot';
    item.iconPath = new vscode.ThemeIcon('question');
    const folderUri = this.index.folderUri(node.entry.folderKey);
    if (folderUri) {
      const line = Math.max(0, spot.line - 1);
      item.command = {
        command: 'vscode.open',
        title: 'Open Blind Spot',
        arguments: [vscode.Uri.joinPath(folderUri, ...spot.file.split('/')), { selection: new vscode.Range(line, 0, line, 0) } satisfies vscode.TextDocumentShowOptions],
      };
    }
    return item;
  }

  private callItem(node: CallNode): vscode.TreeItem {
    const { call } = node.entry;
    const multiRoot = this.index.folderKeys().length > 1;
    const item = new vscode.TreeItem(callLabel(call), vscode.TreeItemCollapsibleState.None);
    const location = callLocation(call, multiRoot ? node.entry.folderName : undefined);
    item.id = node.id;
    const active = activeFindings(call);
    const silencedHere = node.rule ? !active.some((f) => f.rule === node.rule) : active.length === 0 && call.findings.length > 0;
    const silencedCount = silencedFindings(call).length;
    let description = callRowDescription(call, node.parent);
    if (silencedHere) description += ' (silenced)';
    else if (!node.rule && silencedCount > 0) description += ` · ${silencedCount} silenced`;
    item.description = description;
    const worst = node.rule ? worstSeverity(active.filter((f) => f.rule === node.rule)) : worstSeverity(active);
    const color = silencedHere ? MUTED_COLOR : worst ? SEVERITY_COLORS[worst] : undefined;
    item.iconPath = new vscode.ThemeIcon(RUNTIME_ICONS[call.runtime], color ? new vscode.ThemeColor(color) : undefined);
    // `call-risky-noproxy`: the menu offers ignoring its findings but not the proxy move (the call runs on the server, or where is unknown).
    item.contextValue = active.length === 0 ? 'call' : isProxyCandidate(call.runtime) ? 'call-risky' : 'call-risky-noproxy';
    item.tooltip = callTooltip(node, location);
    item.command = {
      command: 'vscode.open',
      title: 'Reveal Call',
      arguments: [this.index.uriOf(node.entry), { selection: toVscodeRange(call.range) } satisfies vscode.TextDocumentShowOptions],
    };
    return item;
  }
}

/** The markdown tooltip of a call row: where it runs, the evidence, the findings. */
function callTooltip(node: CallNode, location: string): vscode.MarkdownString {
  const { call } = node.entry;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${call.method ?? 'Unknown method'}** `).appendCodeblock(call.url.text.slice(0, 300), 'text');
  md.appendMarkdown(`\n\n\`${escapeCode(location)}\``);
  if (node.entry.provisional && call.runtime === 'unknown') {
    md.appendMarkdown('\n\n$(loading~spin) Where it runs is not known yet: the files that import it decide, and the scan has not read them all.');
  } else {
    md.appendMarkdown(
      `\n\nRuns **${RUNTIME_PLACES[call.runtime]}** (${RUNTIME_LABELS[call.runtime].toLowerCase()} · ${contextLabel(call.context)}, ` +
        `confidence ${Math.round(call.confidence * 100)}%)`,
    );
    if (node.entry.provisional) md.appendMarkdown('  \n$(sync~spin) From its own file; the scan is still running, and may place it again when it ends.');
  }
  if (call.via) md.appendMarkdown(`  \nThrough \`${escapeCode(call.via)}\``);
  const evidence = topEvidence(call, 4);
  if (evidence.length > 0) {
    md.appendMarkdown('\n\n**Evidence**\n');
    for (const e of evidence) md.appendMarkdown(`\n- ${messageMarkdown(e.detail)}`);
  }
  if (call.findings.length > 0) {
    md.appendMarkdown('\n\n**Findings**\n');
    for (const f of call.findings) {
      const icon = f.silenced ? '$(eye-closed)' : `$(${SEVERITY_ICONS[f.severity]})`;
      md.appendMarkdown(`\n- ${icon} \`${f.rule}\`${f.silenced ? ' (silenced)' : ''}: ${messageMarkdown(f.message)}`);
    }
  }
  return md;
}

function escapeCode(text: string): string {
  return text.replace(/`/g, "'");
}
