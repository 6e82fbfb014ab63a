// The knowledge base shipped in the extension (docs/knowledge/), read once on first use; hovers take short guidance lines from it, the panel its pages.
import * as vscode from 'vscode';
import { loadKnowledgeBase, type Topic } from '../../core/knowledge';
import type { Call, TopicId } from '../../core/model';
import type { AtlasLog } from '../log';

const SUMMARY_MAX = 180;

/** Topics for a call without findings: what usually matters for a call that runs there. */
const TOPICS_BY_RUNTIME: Record<Call['runtime'], TopicId[]> = {
  frontend: ['user-experience', 'client-caching'],
  backend: ['security', 'scalability'],
  isomorphic: ['hybrid-auth', 'client-caching'],
  unknown: ['decision-guide'],
};

export interface GuidanceLine {
  topic: TopicId;
  title: string;
  summary: string;
}

export class KnowledgeGuide {
  private loaded: Map<TopicId, Topic> | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: AtlasLog,
  ) {}

  /** Every topic, by id (the panel's pages; read on the first call). */
  topics(): ReadonlyMap<TopicId, Topic> {
    return this.load();
  }

  private load(): Map<TopicId, Topic> {
    if (!this.loaded) {
      const dir = vscode.Uri.joinPath(this.extensionUri, 'docs', 'knowledge').fsPath;
      const { topics, errors } = loadKnowledgeBase(dir);
      for (const error of errors) this.log.warn(`Knowledge base: ${error}`);
      this.loaded = topics;
    }
    return this.loaded;
  }

  /** Up to two lines: the topics of the call's unsilenced findings first, else the usual topics for where it runs. */
  guidanceFor(call: Call, limit = 2): GuidanceLine[] {
    const topics = this.load();
    const ids: TopicId[] = [];
    for (const f of call.findings) if (!f.silenced) for (const t of f.topics) if (!ids.includes(t)) ids.push(t);
    if (ids.length === 0) ids.push(...TOPICS_BY_RUNTIME[call.runtime]);
    const lines: GuidanceLine[] = [];
    for (const id of ids) {
      const topic = topics.get(id);
      if (!topic) continue;
      const summary = topic.summary.length > SUMMARY_MAX ? `${topic.summary.slice(0, SUMMARY_MAX - 1).trimEnd()}…` : topic.summary;
      lines.push({ topic: id, title: topic.title, summary });
      if (lines.length === limit) break;
    }
    return lines;
  }
}
