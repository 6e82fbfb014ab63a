// The knowledge base shipped in the extension (docs/knowledge/), read once on first use; the panel shows its pages.
import * as vscode from 'vscode';
import { loadKnowledgeBase, type Topic } from '../../core/knowledge';
import type { TopicId } from '../../core/model';
import type { AtlasLog } from '../log';

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
}
