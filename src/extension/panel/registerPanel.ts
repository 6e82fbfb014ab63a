// Wires the knowledge panel to the index and the shipped docs, and registers the commands that open it.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { parseFrontMatter } from '../../core/knowledge';
import { RULES } from '../../core/rules';
import { RULE_IDS, type RuleId } from '../../core/model';
import type { KnowledgeTopic, RulePage } from './knowledgeView';
import { noCallMessage, resolveCallArgument } from '../commands/callArguments';
import type { KnowledgeGuide } from '../hover/knowledgeGuide';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { AtlasLog } from '../log';
import { KnowledgePanel, type PanelDataSource } from './knowledgePanel';
import { lookupThirdParty } from '../../core/rules';
import { isProxyCandidate } from '../../core/fix';

/** The knowledge pages (read once, by the guide the hovers share) and the rule pages, read on first use (not on activation). */
class ShippedDocs {
  private topicList: KnowledgeTopic[] | undefined;
  private readonly rules = new Map<string, RulePage | null>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly guide: KnowledgeGuide,
    private readonly log: AtlasLog,
  ) {}

  topics(): KnowledgeTopic[] {
    this.topicList ??= [...this.guide.topics().values()].map((t) => ({ ...t }));
    return this.topicList;
  }

  rulePage(id: string): RulePage | undefined {
    if (!(RULE_IDS as readonly string[]).includes(id)) return undefined;
    if (!this.rules.has(id)) {
      const file = vscode.Uri.joinPath(this.extensionUri, 'docs', 'rules', `${id}.md`).fsPath;
      try {
        const { data, body } = parseFrontMatter(fs.readFileSync(file, 'utf8'));
        const title = typeof data.title === 'string' ? data.title : RULES[id as RuleId].title;
        this.rules.set(id, { id, title, body });
      } catch (err) {
        this.log.warn(`Could not read the rule page ${file}: ${(err as Error).message}`);
        this.rules.set(id, null);
      }
    }
    return this.rules.get(id) ?? undefined;
  }
}

export function registerKnowledgePanel(
  extensionUri: vscode.Uri,
  index: WorkspaceIndex,
  guide: KnowledgeGuide,
  log: AtlasLog,
): { panel: KnowledgePanel; disposables: vscode.Disposable[] } {
  const docs = new ShippedDocs(extensionUri, guide, log);
  const changed = new vscode.EventEmitter<void>();
  const data: PanelDataSource = {
    getCall: (root, id) => index.resolveRef({ root, id })?.call,
    allCalls: () => index.entries().map((e) => e.call),
    blindSpots: () => {
      const multiRoot = index.folderKeys().length > 1;
      return index.blindSpots().map((b) => (multiRoot ? { ...b.spot, folderName: b.folderName } : b.spot));
    },
    isReady: () => index.ready,
    onDidChange: changed.event,
    topics: () => docs.topics(),
    rulePage: (id) => docs.rulePage(id),
    topicsOfRule: (rule) => ((RULE_IDS as readonly string[]).includes(rule) ? [...RULES[rule as RuleId].topics] : []),
    thirdPartyName: (host) => (host ? (lookupThirdParty(host)?.name ?? null) : null),
    canMoveBehindProxy: (call) => isProxyCandidate(call.runtime),
    log: log.channel,
  };
  const panel = new KnowledgePanel(extensionUri, data);
  const disposables: vscode.Disposable[] = [
    panel,
    changed,
    index.onDidChange(() => changed.fire()),
    vscode.commands.registerCommand('apiAtlas.explainCall', (arg: unknown) => {
      const resolved = resolveCallArgument(index, arg);
      if (!resolved) return noCallMessage();
      panel.show({ kind: 'call', ...index.refOf(resolved.entry) });
      return undefined;
    }),
    vscode.commands.registerCommand('apiAtlas.openPanel', (topicId?: unknown) => {
      panel.show(typeof topicId === 'string' ? { kind: 'topic', id: topicId } : { kind: 'library' });
    }),
    vscode.commands.registerCommand('apiAtlas.showOverview', () => panel.show({ kind: 'overview' })),
  ];
  return { panel, disposables };
}
