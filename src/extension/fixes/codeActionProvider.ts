// Offers API Atlas's fixes in the light bulb and the Problems view, in ESLint's shape: per finding its fix and two ignores,
// one "Explain" per call, the proxy move once; `source.fixAll.apiAtlas` applies the safe one-line fixes of a file.
import * as vscode from 'vscode';
import { fixOffersFor, isProxyCandidate, PROXY_MOVE_TITLE, type FixOffer } from '../../core/fix';
import type { Finding, RuleId } from '../../core/model';
import { DIAGNOSTIC_SOURCE, diagnosticRange } from '../diagnostics/diagnostics';
import { toVscodeRange, type CallRef, type WorkspaceIndex } from '../index/workspaceIndex';
import type { LocatedCall } from '../tree/treeModel';
import { callRecordOf, type ProxyFixArgs, type SimpleFixArgs, type SimpleFixId } from './fixArguments';

export const CODE_ACTION_SELECTOR: vscode.DocumentSelector = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'vue', 'svelte'].map(
  (language) => ({ language, scheme: 'file' }),
);

export const MOVE_BEHIND_PROXY_COMMAND = 'apiAtlas.moveBehindProxy';
export const PREVIEW_PROXY_COMMAND = 'apiAtlas.previewMoveBehindProxy';
// Underscore: internal commands (code actions run them), kept out of the palette and keybindings.
export const APPLY_FIX_COMMAND = '_apiAtlas.applyFix';
export const FIX_ALL_COMMAND = '_apiAtlas.fixAll';
export const EXPLAIN_CALL_COMMAND = 'apiAtlas.explainCall';
export const PROXY_ACTION_TITLE = PROXY_MOVE_TITLE;
export const EXPLAIN_ACTION_TITLE = 'Explain this call';
export const FIX_ALL_TITLE = 'API Atlas: fix all safe one-line findings';
/** `source.fixAll.apiAtlas`, for `editor.codeActionsOnSave` and "Fix All". */
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('apiAtlas');

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

/** The offers core makes for a hit (the call's facts make the titles specific). */
function offersFor(hit: FindingHit): FixOffer[] {
  const call = hit.entry.call;
  return fixOffersFor({ runtime: call.runtime, facts: callRecordOf(call)?.facts }, hit.finding);
}

export class FixCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorMove, FIX_ALL_KIND],
  };

  constructor(private readonly index: WorkspaceIndex) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext, token: vscode.CancellationToken): vscode.CodeAction[] {
    const wants = (kind: vscode.CodeActionKind): boolean => !context.only || context.only.contains(kind);
    const calls = this.index.callsInDocument(document.uri);
    if (calls.length === 0 || token.isCancellationRequested) return [];
    // Fix-all is only asked for by name (on save, "Fix All"); it never crowds the light bulb.
    if (context.only?.contains(FIX_ALL_KIND)) return this.fixAllActions(document, calls);
    if (!wants(vscode.CodeActionKind.QuickFix) && !wants(vscode.CodeActionKind.RefactorMove)) return [];

    const hits = this.findingHits(calls, document, range, context);
    const actions: vscode.CodeAction[] = [];
    const seen = new Set<string>();
    const add = (key: string, action: vscode.CodeAction): void => {
      if (seen.has(key) || !action.kind || !wants(action.kind)) return;
      seen.add(key);
      actions.push(action);
    };

    // The fixes that change the code come first, then the ignores, then one explanation per call.
    const proxied = new Set<string>();
    for (const hit of hits) {
      for (const offer of offersFor(hit)) {
        if (offer.fix === 'move-behind-proxy') {
          if (wants(vscode.CodeActionKind.QuickFix)) proxied.add(hit.entry.call.id);
          continue;
        }
        add(`${offer.fix}:${offer.title}:${hit.entry.call.id}`, this.simpleAction(hit, offer.title, offer.fix, offer.writesSecretValue ? { writeToEnvLocal: true } : {}, offer.preferred));
      }
    }
    for (const id of proxied) {
      const callHits = hits.filter((h) => h.entry.call.id === id);
      const proxyHits = callHits.filter((h) => offersFor(h).some((o) => o.fix === 'move-behind-proxy'));
      const first = proxyHits.find((h) => h.finding.rule === 'client-secret') ?? proxyHits[0];
      const action = this.proxyAction(first.entry, vscode.CodeActionKind.QuickFix, first.finding.rule, proxyHits.flatMap((h) => h.diagnostics));
      action.isPreferred = proxyHits.some((h) => offersFor(h).some((o) => o.fix === 'move-behind-proxy' && o.preferred));
      // Before the other fixes: it is the one that answers the most serious findings.
      actions.unshift(action);
      seen.add(`move:${id}`);
    }
    // The refactoring is for calls without a finding the move answers (asked for as refactor.move it always comes).
    for (const entry of this.callsTouching(calls, range)) {
      if (!isProxyCandidate(entry.call.runtime)) continue;
      if (context.only === undefined && proxied.has(entry.call.id)) continue;
      add(`move-refactor:${entry.call.id}`, this.proxyAction(entry, vscode.CodeActionKind.RefactorMove, undefined, []));
    }
    for (const hit of hits) for (const [key, action] of this.ignores(hit)) add(key, action);
    for (const entry of new Map(hits.map((h) => [h.entry.call.id, h.entry])).values()) add(`explain:${entry.call.id}`, this.explainAction(entry, hits));
    return token.isCancellationRequested ? [] : actions;
  }

  /** One `source.fixAll.apiAtlas` action when the file has findings whose fix is safe to apply in bulk. */
  private fixAllActions(document: vscode.TextDocument, calls: LocatedCall[]): vscode.CodeAction[] {
    const safe = calls.some((entry) =>
      entry.call.findings.some((finding) => !finding.silenced && fixOffersFor({ runtime: entry.call.runtime, facts: callRecordOf(entry.call)?.facts }, finding).some((o) => o.safe)),
    );
    if (!safe) return [];
    const action = new vscode.CodeAction(FIX_ALL_TITLE, FIX_ALL_KIND);
    action.command = { command: FIX_ALL_COMMAND, title: FIX_ALL_TITLE, arguments: [{ uri: document.uri.toString() }] };
    return [action];
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
      // Diagnostics start right after their call's callee (diagnosticRange).
      const entry = calls.find((e) => diagnosticRange(e.call).start.isEqual(diagnostic.range.start) && e.call.findings.some((f) => f.rule === rule && !f.silenced));
      const finding = entry?.call.findings.find((f) => f.rule === rule && !f.silenced);
      if (entry && finding) hitFor(entry, finding).diagnostics.push(diagnostic);
    }
    const known = new Set(vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === DIAGNOSTIC_SOURCE).map((d) => `${d.range.start.line}:${d.range.start.character}:${ruleOf(d)}`));
    for (const entry of this.callsTouching(calls, range)) {
      for (const finding of entry.call.findings) {
        if (finding.silenced) continue;
        // A finding switched off in settings has no diagnostic; it gets no actions either.
        const start = diagnosticRange(entry.call).start;
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

  private simpleAction(hit: FindingHit, title: string, fix: SimpleFixId, extra: Partial<SimpleFixArgs> = {}, preferred = false): vscode.CodeAction {
    const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
    const args: SimpleFixArgs = { ...this.refOf(hit.entry), fix, rule: hit.finding.rule, ...extra };
    action.command = { command: APPLY_FIX_COMMAND, title, arguments: [args] };
    if (hit.diagnostics.length > 0) action.diagnostics = hit.diagnostics;
    if (preferred) action.isPreferred = true;
    return action;
  }

  private *ignores(hit: FindingHit): Iterable<[string, vscode.CodeAction]> {
    const { rule } = hit.finding;
    const { call } = hit.entry;
    yield [`ignore-line:${call.id}:${rule}`, this.simpleAction(hit, `Ignore ${rule} on this line`, 'ignore-line')];
    yield [`ignore-file:${call.file}:${rule}`, this.simpleAction(hit, `Ignore ${rule} in this file`, 'ignore-file')];
  }

  /** One "Explain this call" per call: the panel shows every finding, so one row per rule would only repeat it. */
  private explainAction(entry: LocatedCall, hits: FindingHit[]): vscode.CodeAction {
    const explain = new vscode.CodeAction(EXPLAIN_ACTION_TITLE, vscode.CodeActionKind.QuickFix);
    const first = hits.find((h) => h.entry.call.id === entry.call.id);
    explain.command = { command: EXPLAIN_CALL_COMMAND, title: EXPLAIN_ACTION_TITLE, arguments: [{ ...this.refOf(entry), ...(first ? { rule: first.finding.rule } : {}) }] };
    return explain;
  }
}
