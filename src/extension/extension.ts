// The composition root: wires the live index to the tree, hover, diagnostics, status bar and commands; nothing else.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { setCodeCacheFolder } from '../core/boot';
import { registerLanguageModelTools } from './agentTools/languageModelTools';
import { registerCallCommands } from './commands/callCommands';
import { applyTestFilesChoice, registerViewCommands, SHOW_TESTS_STATE_KEY } from './commands/viewCommands';
import { FindingDiagnostics } from './diagnostics/diagnostics';
import { registerFixes } from './fixes/registerFixes';
import { CallHoverProvider, HOVER_SELECTOR } from './hover/callHoverProvider';
import { KnowledgeGuide } from './hover/knowledgeGuide';
import { WorkspaceIndex } from './index/workspaceIndex';
import { AtlasLog } from './log';
import type { KnowledgePanel } from './panel/knowledgePanel';
import { registerKnowledgePanel } from './panel/registerPanel';
import { AtlasStatusBar } from './statusBar';
import { CallTreeProvider } from './tree/callTreeProvider';
import { registerFixesWhenTrusted } from './trust';

/** What `activate` returns: the integration tests drive the extension through it. */
export interface AtlasApi {
  index: WorkspaceIndex;
  tree: CallTreeProvider;
  hover: CallHoverProvider;
  diagnostics: FindingDiagnostics;
  statusBar: AtlasStatusBar;
  panel: KnowledgePanel;
  /** Resolves once scans and pending edits are indexed and every view shows the result. */
  whenIdle(): Promise<void>;
}

export function activate(context: vscode.ExtensionContext): AtlasApi {
  const started = performance.now();
  const log = new AtlasLog();
  context.subscriptions.push(log);

  // The compiled TypeScript parser is kept in the extension's global storage (the user's, never a workspace's).
  setCodeCacheFolder(context.globalStorageUri.scheme === 'file' ? path.join(context.globalStorageUri.fsPath, 'v8-code-cache') : null, (message) => log.warn(message));
  // The workspace's own storage (or the global one for a window without a folder) keeps the analysis cache.
  const storage = context.storageUri ?? context.globalStorageUri;
  const index = new WorkspaceIndex(log, storage?.scheme === 'file' ? storage.fsPath : undefined);
  const tree = new CallTreeProvider(index, context.workspaceState);
  const diagnostics = new FindingDiagnostics(index, context.extensionUri);
  const statusBar = new AtlasStatusBar(index);
  const guide = new KnowledgeGuide(context.extensionUri, log);
  const hover = new CallHoverProvider(index);
  context.subscriptions.push(index, tree, diagnostics, statusBar);
  context.subscriptions.push(vscode.languages.registerHoverProvider(HOVER_SELECTOR, hover));
  context.subscriptions.push(...registerViewCommands(index, tree, log, context.workspaceState), ...registerCallCommands(index, log));
  const knowledge = registerKnowledgePanel(context.extensionUri, index, guide, log);
  context.subscriptions.push(...knowledge.disposables, registerFixesWhenTrusted(() => registerFixes(index, log), log));
  context.subscriptions.push(...registerLanguageModelTools(index, log));

  // Before the first scan, so test files are scanned (or not) once, as the user last chose in this workspace.
  index.setIncludeTestsOverride(context.workspaceState.get<boolean>(SHOW_TESTS_STATE_KEY));
  index.start();
  void applyTestFilesChoice(index, context.workspaceState);
  log.info(`Activated in ${Math.round(performance.now() - started)} ms (indexing continues in the background).`);

  return {
    index,
    tree,
    hover,
    diagnostics,
    statusBar,
    panel: knowledge.panel,
    async whenIdle() {
      await index.whenIdle();
      tree.refreshNow();
      diagnostics.update();
      statusBar.update();
    },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
