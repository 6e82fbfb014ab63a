// Commands of the API Calls view's title bar and of hover links: group-by, filter, tests on/off, refresh, host, log.
import * as vscode from 'vscode';
import type { RuleId, Runtime, Severity } from '../../core/model';
import { RULE_IDS } from '../../core/model';
import { RUNTIME_ICONS, RUNTIME_LABELS, RUNTIME_ORDER } from '../describe';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { AtlasLog } from '../log';
import type { CallTreeProvider } from '../tree/callTreeProvider';
import { GROUP_BY_MODES, type CallFilter, type GroupBy, type TreeNode } from '../tree/treeModel';
import { resolveCallArgument } from './callArguments';

const GROUP_BY_LABELS: Record<GroupBy, { label: string; detail: string }> = {
  runtime: { label: 'Runtime', detail: 'Frontend / Backend / Isomorphic / Unknown, then file' },
  host: { label: 'Host', detail: 'The server each call talks to' },
  finding: { label: 'Finding', detail: 'Rule, then the calls it fires on' },
  file: { label: 'File', detail: 'Source file' },
};

async function focusView(): Promise<void> {
  await vscode.commands.executeCommand('apiAtlas.calls.focus');
}

/** Hosts come from a hover link (a string), a tree row or a host group, or the call under the cursor. */
function hostOf(index: WorkspaceIndex, arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const node = arg as TreeNode | undefined;
  if (node?.kind === 'group' && node.groupKind === 'host') return node.host;
  return resolveCallArgument(index, arg)?.entry.call.url.host ?? undefined;
}

/** Where "Show Calls in Test Files" is remembered: this workspace's state, never a settings file in the user's project. */
export const SHOW_TESTS_STATE_KEY = 'apiAtlas.showTestFiles';
export const SHOWING_TESTS_CONTEXT = 'apiAtlas.showingTests';

/** Applies the remembered choice (at activation and after a toggle) and tells the view title which button to show. */
export async function applyTestFilesChoice(index: WorkspaceIndex, state: vscode.Memento): Promise<void> {
  index.setIncludeTestsOverride(state.get<boolean>(SHOW_TESTS_STATE_KEY));
  await vscode.commands.executeCommand('setContext', SHOWING_TESTS_CONTEXT, index.includesTests);
}

async function setIncludeTests(index: WorkspaceIndex, state: vscode.Memento, include: boolean): Promise<void> {
  await state.update(SHOW_TESTS_STATE_KEY, include);
  await applyTestFilesChoice(index, state);
}

async function pickFilter(index: WorkspaceIndex, tree: CallTreeProvider): Promise<void> {
  type Item = vscode.QuickPickItem & { apply?: (f: CallFilter) => Promise<CallFilter | undefined> | CallFilter | undefined };
  const current = tree.filter;
  const items: Item[] = [
    {
      label: '$(search) By text…',
      description: current.text ? `now "${current.text}"` : 'method, URL, host, file, rule',
      apply: async (f) => {
        const text = await vscode.window.showInputBox({ title: 'Filter API calls by text', value: f.text ?? '', prompt: 'Words matched against method, URL, host, file, client and rule; empty to clear.' });
        return text === undefined ? undefined : { ...f, text: text.trim() || undefined };
      },
    },
    {
      label: '$(globe) By host…',
      description: current.host ? `now ${current.host}` : undefined,
      apply: async (f) => {
        const hosts = [...new Set(index.entries().map((e) => e.call.url.host).filter((h): h is string => Boolean(h)))].sort();
        if (hosts.length === 0) {
          void vscode.window.showInformationMessage('API Atlas: no call names an absolute host.');
          return undefined;
        }
        const host = await vscode.window.showQuickPick(hosts, { title: 'Show calls to which host?' });
        return host === undefined ? undefined : { ...f, host };
      },
    },
    { label: 'Runtime', kind: vscode.QuickPickItemKind.Separator },
    ...RUNTIME_ORDER.map(
      (runtime): Item => ({
        label: `$(${RUNTIME_ICONS[runtime]}) ${RUNTIME_LABELS[runtime]} only`,
        description: current.runtimes?.includes(runtime) ? 'active' : undefined,
        apply: (f) => ({ ...f, runtimes: [runtime] }),
      }),
    ),
    { label: 'Severity', kind: vscode.QuickPickItemKind.Separator },
    ...(
      [
        ['error', '$(error) Calls with errors'],
        ['warning', '$(warning) Calls with errors or warnings'],
        ['info', '$(info) Calls with any finding'],
      ] as [Severity, string][]
    ).map(([severity, label]): Item => ({ label, description: current.minSeverity === severity ? 'active' : undefined, apply: (f) => ({ ...f, minSeverity: severity }) })),
  ];
  const active = Object.values(current).some((v) => v !== undefined);
  if (active) items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(clear-all) Clear filter', apply: () => ({}) });
  const picked = await vscode.window.showQuickPick(items, { title: 'Filter API calls (filters combine; pick again to add one)' });
  const next = picked?.apply ? await picked.apply(current) : undefined;
  if (next) tree.setFilter(next);
}

export function registerViewCommands(index: WorkspaceIndex, tree: CallTreeProvider, log: AtlasLog, state: vscode.Memento): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('apiAtlas.refresh', () => index.refresh()),

    vscode.commands.registerCommand('apiAtlas.groupBy', async (mode?: unknown) => {
      if (typeof mode === 'string' && (GROUP_BY_MODES as readonly string[]).includes(mode)) {
        tree.setGroupBy(mode as GroupBy);
        return;
      }
      const picked = await vscode.window.showQuickPick(
        GROUP_BY_MODES.map((m) => ({ ...GROUP_BY_LABELS[m], description: m === tree.groupBy ? 'current' : undefined, mode: m })),
        { title: 'Group API calls by' },
      );
      if (picked) tree.setGroupBy(picked.mode);
    }),

    vscode.commands.registerCommand('apiAtlas.filter', (filter?: unknown) => {
      if (typeof filter === 'object' && filter !== null) {
        tree.setFilter(filter as CallFilter);
        return undefined;
      }
      return pickFilter(index, tree);
    }),
    vscode.commands.registerCommand('apiAtlas.clearFilter', () => tree.setFilter({})),

    // The knowledge panel's overview bars pass { runtime } | { host } | { rule }.
    vscode.commands.registerCommand('apiAtlas.filterTree', async (arg: unknown) => {
      const a = (typeof arg === 'object' && arg !== null ? arg : {}) as { runtime?: unknown; host?: unknown; rule?: unknown };
      const filter: CallFilter = {};
      if (typeof a.runtime === 'string' && (RUNTIME_ORDER as readonly string[]).includes(a.runtime)) filter.runtimes = [a.runtime as Runtime];
      if (typeof a.host === 'string') filter.host = a.host;
      if (typeof a.rule === 'string' && (RULE_IDS as readonly string[]).includes(a.rule)) filter.rule = a.rule as RuleId;
      tree.setFilter(filter);
      await focusView();
    }),

    vscode.commands.registerCommand('apiAtlas.showCallsToHost', async (arg: unknown) => {
      const host = hostOf(index, arg);
      if (!host) {
        void vscode.window.showInformationMessage('API Atlas: this call has no fixed host (relative or dynamic URL).');
        return;
      }
      tree.setFilter({ host });
      await focusView();
    }),

    vscode.commands.registerCommand('apiAtlas.showTestFiles', () => setIncludeTests(index, state, true)),
    vscode.commands.registerCommand('apiAtlas.hideTestFiles', () => setIncludeTests(index, state, false)),
    // The setting still works; when it changes, the title button follows it unless the user toggled the button.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('apiAtlas.includeTests')) void vscode.commands.executeCommand('setContext', SHOWING_TESTS_CONTEXT, index.includesTests);
    }),
    vscode.commands.registerCommand('apiAtlas.showLog', () => log.show()),
  ];
}
