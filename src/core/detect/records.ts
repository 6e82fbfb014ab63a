// Turns the analysed requests of a file into call records: ids, ranges, facts, the definition a row goes through.
import ts from 'typescript';
import * as crypto from 'node:crypto';
import { fileLines, type DetectorState, type Analysis } from './detector-state';
import { shapeOf } from './shapes';
import type { CallRecord, CallFacts } from '../model/types';
import { collectTimerFunctions, isInTimer } from './timing';
import { mergeParts } from './call-analysis';
import { enclosingFunction, functionName, ignoredRulesAt, isAwaited, spanOf } from './facts';
import { branchPath } from './branches';
import { analyzeUrl } from './url';
import { endpointOf } from './inner-requests';
import { isFunctionLike } from '../parse/scope';

/** The same digest as createHash('sha1'); one call where Node has crypto.hash (20.12+), which skips building a Hash object per key. */
const sha1Hex: (text: string) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha1', text, 'hex') : (text) => crypto.createHash('sha1').update(text).digest('hex');

/**
 * Call ids hash the file, the callee text, the enclosing function's name, the URL text and the call's
 * ordinal among calls with those same four values. They survive edits elsewhere in the file (unlike a
 * line number) and change when the call itself changes or moves to another function.
 */
export function callId(rel: string, callee: string, enclosing: string, urlText: string, ordinal: number): string {
  return sha1Hex(`${rel}\0${callee}\0${enclosing}\0${urlText}\0${ordinal}`).slice(0, 16);
}

/**
 * `useSWR('incidents', loadIncidents)`: a key that is a plain word names a cache entry, and a fetcher that is
 * not a pass-through wrapper makes its own request (found inside it), so the hook is no request of its own.
 */
function namesCacheEntryOnly(st: DetectorState, a: Analysis): boolean {
  if (a.library?.region !== 'swr-fetcher' || !a.callback) return false;
  const first = a.url.parts?.[0];
  if (!first || !('literal' in first) || /^(?:\/|\.|https?:\/\/)/.test(first.literal)) return false;
  const through = shapeOf(st, a.callback);
  return !(through && through.kind === 'wrapper');
}

export function toRecords(st: DetectorState, found: readonly (readonly [ts.CallExpression, Analysis])[]): CallRecord[] {
  const timers = found.length && /\bset(?:Interval|Timeout)\b/.test(st.sf.text) ? collectTimerFunctions(st.fx) : { callbacks: new Set<ts.Node>(), names: new Set<string>() };
  const ordinals = new Map<string, number>();
  return found.filter(([, a]) => !namesCacheEntryOnly(st, a)).map(([call, a]) => {
    // Wrappers are all known now: the function a library runs for the request is the row's definition (and,
    // for `useSWRMutation`, says the method).
    if (a.callback && !a.through) {
      const through = shapeOf(st, a.callback);
      if (through && through.kind === 'wrapper') {
        a.through = through.def;
        if ('value' in a.method && a.method.value === null && through.def.method && 'value' in through.def.method) a.method = through.def.method;
        // The fetcher gets the key as its URL: `useSWR('/me', (u) => api.get(u))` requests `/api/me` through api.
        const inner = through.def.url?.parts;
        if (inner && a.url.parts && inner.some((p) => 'param' in p && p.param?.index === 0 && p.param.prop === undefined)) {
          a.url = { ...a.url, parts: mergeParts(inner.flatMap((p) => ('param' in p && p.param?.index === 0 && p.param.prop === undefined ? a.url.parts! : [p]))) };
          a.baseURL = through.def.baseURL;
          a.inheritedHeaders = [...a.inheritedHeaders, ...through.def.headers];
          a.credentials = [...a.credentials, ...through.def.credentials];
        }
      }
    }
    const start = (a.anchor ?? call).getStart(st.sf);
    const end = (a.anchor ?? call).getEnd();
    const s = st.sf.getLineAndCharacterOfPosition(start);
    const e = st.sf.getLineAndCharacterOfPosition(end);
    const fn = enclosingFunction(call);
    const fnName = fn ? (functionName(fn, st.sf) ?? '(anonymous)') : '(top level)';
    const key = `${a.callee}\0${fnName}\0${a.url.text}`;
    const ordinal = ordinals.get(key) ?? 0;
    ordinals.set(key, ordinal + 1);
    const stmtLine = statementLine(call, st.sf);
    const ignored = ignoredRulesAt(fileLines(st), s.line);
    const facts: CallFacts = {
      callee: a.callee,
      span: { start, end },
      argSpans: a.argSpans,
      headers: [...a.inheritedHeaders, ...a.headers.map((h) => ({ name: h.name, valueText: h.valueText }))],
      credentials: a.credentials,
      hasBody: a.hasBody,
      hasErrorHandling: a.hasErrorHandling,
      hasTimeout: a.hasTimeout,
      awaited: isAwaited(call),
      branches: branchPath(call, st.sf),
      inTimer: isInTimer(call, st.sf, timers),
      ignoredRules: ignored.length || stmtLine === s.line ? ignored : ignoredRulesAt(fileLines(st), stmtLine),
    };
    if (a.url.node) facts.urlSpan = spanOf(a.url.node, st.sf);
    if (a.baseURL !== null || a.target.kind === 'instance') facts.baseURL = a.baseURL;
    if (fn) facts.enclosingFunction = { name: fnName, span: spanOf(fn, st.sf) };
    if (a.library) facts.library = a.library;
    const inner = st.innerOf.get(call);
    if (inner) facts.innerOf = { name: inner.name, file: inner.file, line: inner.line };
    const method = 'value' in a.method ? a.method.value : null;
    const record: CallRecord = {
      id: callId(st.rel, a.callee, fnName, a.url.text, ordinal),
      file: st.rel,
      range: { start: { line: s.line + 1, column: s.character + 1 }, end: { line: e.line + 1, column: e.character + 1 } },
      client: a.client,
      method,
      url: analyzeUrl(a.url.text, { parts: a.url.parts, baseURL: a.baseURL }),
      runtime: 'unknown',
      context: 'unknown',
      confidence: 0,
      evidence: [],
      findings: [],
      facts,
    };
    record.endpoint = endpointOf(method, record.url.template);
    const t = a.target;
    const def = t.kind === 'instance' || t.kind === 'wrapper' || t.kind === 'library' || t.kind === 'endpoint' ? t.def : t.kind === 'library-request' ? (a.through ?? null) : null;
    // A library's own export (`ky`, `$fetch`) has no definition in the workspace to point to.
    if (def && !(def.library && def.line === 0)) {
      record.via = def.line > 0 ? `${def.name} (${def.file}:${def.line})` : `${def.name} (${def.file})`;
      facts.definition = { name: def.name, file: def.file, line: def.line };
    }
    return record;
  });
}

/** 0-based line where the statement holding a node starts (for ignore comments above a multi-line statement). */
function statementLine(node: ts.Node, sf: ts.SourceFile): number {
  let n: ts.Node = node;
  while (n.parent && !ts.isSourceFile(n.parent) && !ts.isBlock(n.parent) && !ts.isModuleBlock(n.parent) && !ts.isCaseClause(n.parent) && !ts.isDefaultClause(n.parent)) {
    if (isFunctionLike(n.parent)) break;
    n = n.parent;
  }
  return sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
}
