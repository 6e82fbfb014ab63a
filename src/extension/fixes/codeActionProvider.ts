// Offers API Atlas's fixes in the light bulb and the Problems view: proxy move, env fixes, timeout, error handling, ignore, explain.
import * as vscode from 'vscode';
import { isProxyCandidate } from '../../core/fix';
import { serverOnlyEnvName } from '../../core/rules';
import type { Call, Finding, RuleId } from '../../core/model';
import { DIAGNOSTIC_SOURCE } from '../diagnostics/diagnostics';
import { toVscodeRange, type CallRef, type WorkspaceIndex } from '../index/workspaceIndex';
import type { LocatedCall } from '../tree/treeModel';
import { callRecordOf, type ProxyFixArgs, type SimpleFixArgs, type SimpleFixId } from './fixArguments';

export const CODE_ACTION_SELECTOR: vscode.DocumentSelector = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'vue', 'svelte'].map(
  (language) => ({ language, scheme: 'file' }),
);

export const MOVE_BEHIND_PROXY_COMMAND = 'apiAtlas.moveBehindProxy';
// Underscore: an internal command (code actions run it), kept out of the palette and keybindings.
export const APPLY_FIX_COMMAND = '_apiAtlas.applyFix';
export const EXPLAIN_CALL_COMMAND = 'apiAtlas.explainCall';
export const PROXY_ACTION_TITLE = 'Move behind a server proxy…';
/**
 * What `FIX_TIMEOUT_MS` in src/core/fixes.ts writes, for the action's title; kept here because importing the fixes
 * module would load TypeScript when the light bulb first asks (the fix itself loads it on demand).
 */
export const TIMEOUT_FIX_SECONDS = 10;


const PROXY_RULES: ReadonlySet<RuleId> = new Set(['client-secret', 'third-party-direct']);
/** Secret fixes that only work on the server; in browser code the proxy move is their fix. */
const SERVER_SECRET_RULES: ReadonlySet<RuleId> = new Set(['hardcoded-secret', 'public-env-secret']);

/** True when the proxy move is the fix for this finding. */
function isProxyFix(hit: FindingHit): boolean {
  return PROXY_RULES.has(hit.finding.rule) || (SERVER_SECRET_RULES.has(hit.finding.rule) && hit.entry.call.runtime === 'frontend');
}

/** A finding on a call, with the diagnostic that shows it (when VS Code passed one in the context). */
interface FindingHit {
  entry: LocatedCall;
  finding: Finding;
  diagnostics: vscode.Diagnostic[];
}

function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? undefined : String(code);
}

/** The env var a public-env-secret finding is about: the browser-exposed name the call reads. */
function publicEnvName(call: Call): string | undefined {
  return callRecordOf(call)?.facts.credentials.find((c) => c.source === 'env' && c.envName)?.envName;
}

export class FixCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorMove],
  };

  constructor(private readonly index: WorkspaceIndex) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext, token: vscode.CancellationToken): vscode.CodeAction[] {
    const wants = (kind: vscode.CodeActionKind): boolean => !context.only || context.only.contains(kind);
    if (!wants(vscode.CodeActionKind.QuickFix) && !wants(vscode.CodeActionKind.RefactorMove)) return [];
    const calls = this.index.callsInDocument(document.uri);
    if (calls.length === 0 || token.isCancellationRequested) return [];

    const hits = this.findingHits(calls, document, range, context);
    const actions: vscode.CodeAction[] = [];
    const seen = new Set<string>();
    const add = (key: string, action: vscode.CodeAction): void => {
      if (seen.has(key) || !action.kind || !wants(action.kind)) return;
      seen.add(key);
      actions.push(action);
    };

    // The fixes that change the code come first, then ignore and explain.
    for (const [key, action] of this.proxyQuickFixes(hits)) add(key, action);
    for (const hit of hits) for (const [key, action] of this.fixesFor(hit)) add(key, action);
    for (const entry of this.callsTouching(calls, range)) {
      if (isProxyCandidate(entry.call.runtime)) add(`move:${entry.call.id}`, this.proxyAction(entry, vscode.CodeActionKind.RefactorMove, undefined, []));
    }
    for (const hit of hits) for (const [key, action] of this.ignoreAndExplain(hit)) add(key, action);
    return token.isCancellationRequested ? [] : actions;
  }

  /** Findings named by the context's diagnostics, then the active findings of the call under the range. */
  private findingHits(calls: LocatedCall[], document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): FindingHit[] {
    const hits: FindingHit[] = [];
    const byKey = new Map<string, FindingHit>();
    const hitFor = (entry: LocatedCall, finding: Finding): FindingHit => {
      const key = `${entry.call.id}:${finding.rule}`;
      let hit = byKey.get(key);
      if (!hit) {
        hit = { entry, finding, diagnostics: [] };
        byKey.set(key, hit);
        hits.push(hit);
      }
      return hit;
    };
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const rule = ruleOf(diagnostic);
      // Diagnostics start where their call starts (a multi-line call is underlined on its first line).
      const entry = calls.find((e) => toVscodeRange(e.call.range).start.isEqual(diagnostic.range.start) && e.call.findings.some((f) => f.rule === rule && !f.silenced));
      const finding = entry?.call.findings.find((f) => f.rule === rule && !f.silenced);
      if (entry && finding) hitFor(entry, finding).diagnostics.push(diagnostic);
    }
    const known = new Set(vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === DIAGNOSTIC_SOURCE).map((d) => `${d.range.start.line}:${d.range.start.character}:${ruleOf(d)}`));
    for (const entry of this.callsTouching(calls, range)) {
      for (const finding of entry.call.findings) {
        if (finding.silenced) continue;
        // A finding switched off in settings has no diagnostic; it gets no actions either.
        const start = toVscodeRange(entry.call.range).start;
        if (!known.has(`${start.line}:${start.character}:${finding.rule}`)) continue;
        hitFor(entry, finding);
      }
    }
    return hits;
  }

  /** The innermost call holding the range's start, or every call the range overlaps for a wider selection. */
  private callsTouching(calls: LocatedCall[], range: vscode.Range): LocatedCall[] {
    if (range.isEmpty) {
      let best: { entry: LocatedCall; range: vscode.Range } | undefined;
      for (const entry of calls) {
        const r = toVscodeRange(entry.call.range);
        if (r.contains(range.start) && (!best || best.range.contains(r))) best = { entry, range: r };
      }
      return best ? [best.entry] : [];
    }
    return calls.filter((entry) => toVscodeRange(entry.call.range).intersection(range) !== undefined);
  }

  private refOf(entry: LocatedCall): CallRef {
    return this.index.refOf(entry);
  }

  private proxyAction(entry: LocatedCall, kind: vscode.CodeActionKind, rule: RuleId | undefined, diagnostics: vscode.Diagnostic[]): vscode.CodeAction {
    const action = new vscode.CodeAction(PROXY_ACTION_TITLE, kind);
    const args: ProxyFixArgs = { ...this.refOf(entry), ...(rule ? { rule } : {}) };
    action.command = { command: MOVE_BEHIND_PROXY_COMMAND, title: PROXY_ACTION_TITLE, arguments: [args] };
    if (diagnostics.length > 0) action.diagnostics = diagnostics;
    return action;
  }

  private simpleAction(hit: FindingHit, title: string, fix: SimpleFixId, extra: Partial<SimpleFixArgs> = {}): vscode.CodeAction {
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    const args: SimpleFixArgs = { ...this.refOf(hit.entry), fix, rule: hit.finding.rule, ...extra };
    action.command = { command: APPLY_FIX_COMMAND, title, arguments: [args] };
    if (hit.diagnostics.length > 0) action.diagnostics = hit.diagnostics;
    return action;
  }

  /** One "Move behind a server proxy…" quick fix per call, for its client-secret and third-party-direct findings together. */
  private *proxyQuickFixes(hits: FindingHit[]): Iterable<[string, vscode.CodeAction]> {
    const byCall = new Map<string, FindingHit[]>();
    for (const hit of hits) {
      if (!isProxyFix(hit)) continue;
      byCall.set(hit.entry.call.id, [...(byCall.get(hit.entry.call.id) ?? []), hit]);
    }
    for (const [id, callHits] of byCall) {
      const secret = callHits.find((h) => h.finding.rule === 'client-secret');
      const first = secret ?? callHits[0];
      const action = this.proxyAction(first.entry, vscode.CodeActionKind.QuickFix, first.finding.rule, callHits.flatMap((h) => h.diagnostics));
      // A leaked secret has one right fix; for a third-party call alone, calling it from the browser may be intended.
      action.isPreferred = secret !== undefined || callHits.some((h) => SERVER_SECRET_RULES.has(h.finding.rule));
      yield [`proxy-fix:${id}`, action];
    }
  }

  private *fixesFor(hit: FindingHit): Iterable<[string, vscode.CodeAction]> {
    const { call } = hit.entry;
    if (isProxyFix(hit)) return;
    switch (hit.finding.rule) {
      case 'hardcoded-secret':
        yield [`literal:${call.id}`, this.simpleAction(hit, 'Move the literal to a server-only env var', 'move-literal-to-env')];
        yield [`literal-local:${call.id}`, this.simpleAction(hit, 'Move the literal to a server-only env var and write the value to .env.local', 'move-literal-to-env', { writeToEnvLocal: true })];
        return;
      case 'public-env-secret': {
        const name = publicEnvName(call);
        const title = name ? `Rename to a server-only env var (${serverOnlyEnvName(name)})` : 'Rename to a server-only env var';
        yield [`rename-env:${call.id}`, this.simpleAction(hit, title, 'rename-public-env')];
        return;
      }
      case 'no-timeout':
        yield [`timeout:${call.id}`, this.simpleAction(hit, `Add a timeout (${TIMEOUT_FIX_SECONDS} s)`, 'add-timeout')];
        return;
      case 'no-error-handling':
        yield [`errors:${call.id}`, this.simpleAction(hit, 'Add error handling', 'add-error-handling')];
        return;
      default:
        return;
    }
  }

  private *ignoreAndExplain(hit: FindingHit): Iterable<[string, vscode.CodeAction]> {
    const { rule } = hit.finding;
    const { call } = hit.entry;
    const ref = this.refOf(hit.entry);

    yield [`ignore-line:${call.id}:${rule}`, this.simpleAction(hit, `Ignore ${rule} on this line`, 'ignore-line')];

    yield [`ignore-file:${call.file}:${rule}`, this.simpleAction(hit, `Ignore ${rule} in this file`, 'ignore-file')];

    const explain = new vscode.CodeAction(`Explain ${rule}`, vscode.CodeActionKind.QuickFix);
    explain.command = { command: EXPLAIN_CALL_COMMAND, title: explain.title, arguments: [{ ...ref, rule }] };
    yield [`explain:${call.id}:${rule}`, explain];
  }
}
