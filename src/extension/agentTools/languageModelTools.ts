// The language model tools (Copilot Chat, agent mode): list calls, explain one call's placement, list findings.
import * as vscode from 'vscode';
import { answerAgentTool, type AgentToolName } from '../../core/report';
import type { Call } from '../../core/model';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { AtlasLog } from '../log';

/** package.json `contributes.languageModelTools` names → the shared tool each one answers. */
export const LANGUAGE_MODEL_TOOLS: Readonly<Record<string, AgentToolName>> = {
  apiAtlas_listCalls: 'list_calls',
  apiAtlas_explainCall: 'explain_call',
  apiAtlas_listFindings: 'list_findings',
};

const PROGRESS_MESSAGE: Readonly<Record<AgentToolName, string>> = {
  list_calls: 'Listing API calls',
  explain_call: 'Explaining where the API call runs',
  list_findings: 'Listing API call findings',
};

export function registerLanguageModelTools(index: WorkspaceIndex, log: AtlasLog): vscode.Disposable[] {
  // vscode.lm.registerTool is stable since 1.95; engines.vscode asks for 1.100, but forks may lack the API.
  if (typeof vscode.lm?.registerTool !== 'function') {
    log.info('This editor has no language model tools API; the API Atlas tools for chat are not registered.');
    return [];
  }
  return Object.entries(LANGUAGE_MODEL_TOOLS).map(([name, tool]) => vscode.lm.registerTool(name, new AtlasLanguageModelTool(index, tool)));
}

class AtlasLanguageModelTool implements vscode.LanguageModelTool<Record<string, unknown>> {
  constructor(
    private readonly index: WorkspaceIndex,
    private readonly tool: AgentToolName,
  ) {}

  prepareInvocation(): vscode.PreparedToolInvocation {
    // Read-only: no confirmation needed.
    return { invocationMessage: PROGRESS_MESSAGE[this.tool] };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<Record<string, unknown>>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    await this.index.whenIdle();
    if (token.isCancellationRequested) throw new vscode.CancellationError();
    const answer = answerAgentTool(this.tool, options.input ?? {}, workspaceCalls(this.index));
    // Thrown errors reach the model as the tool's answer, so it can correct its input.
    if (answer.error !== undefined) throw new Error(answer.error);
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(JSON.stringify(answer.result, null, 2))]);
  }
}

/** Every indexed call; in a multi-root workspace paths start with the folder's name so they stay unambiguous. */
function workspaceCalls(index: WorkspaceIndex): Call[] {
  const multiRoot = index.folderKeys().length > 1;
  return index.entries().map(({ call, folderName }) => (multiRoot ? { ...call, file: `${folderName}/${call.file}` } : call));
}
