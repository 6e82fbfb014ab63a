// Finds the HTTP calls of one parsed file: fetch, axios, axios instances and wrapper functions, with the facts rules need (docs/design.md §3).
// FileDetector runs the phases in order; each phase is a file of functions over one DetectorState (detector-state.ts): shapes.ts (what a
// name stands for), client-definitions.ts and axios-defaults.ts (the clients a file makes), targets.ts (which calls are requests),
// call-analysis.ts (the facts of one call), wrappers.ts, records.ts (call rows), handed-on.ts (blind spots), file-exports.ts.
import ts from 'typescript';
import type { DetectContext, FileDetection } from './detection-types';
import { createDetectorState, MAX_WRAPPER_DEPTH, type DetectorState, type Analysis } from './detector-state';
import { nodesInOrder } from '../parse/syntax-order';
import { applyDefaults } from './axios-defaults';
import { targetOf } from './targets';
import { isInside, enclosingFunction } from './facts';
import { analyze } from './call-analysis';
import { maybeWrapper } from './wrappers';
import { toRecords } from './records';
import { findHandedOn } from './handed-on';
import { collectExports } from './file-exports';

export type { DetectContext, FileDetection, HttpDefinition, HttpShape, MethodSource } from './detection-types';
export { FETCH_MODULES } from './shapes';
export { callId } from './records';

export function detectFile(sf: ts.SourceFile, rel: string, ctx: DetectContext = {}): FileDetection {
  return new FileDetector(sf, rel, ctx).run();
}

/** Runs one file's detection in order: defaults first, then rounds of requests and the wrappers around them, then rows, blind spots and exports. */
class FileDetector {
  private readonly st: DetectorState;

  constructor(sf: ts.SourceFile, rel: string, ctx: DetectContext) {
    this.st = createDetectorState(sf, rel, ctx);
  }

  run(): FileDetection {
    const st = this.st;
    const callNodes: ts.CallExpression[] = [];
    const assignments: ts.BinaryExpression[] = [];
    for (const n of nodesInOrder(st.sf)) {
      if (ts.isCallExpression(n)) callNodes.push(n);
      // `new DefaultChatTransport({ api })`: a library object whose construction stands for its request.
      else if (ts.isNewExpression(n) && n.arguments) callNodes.push(n as unknown as ts.CallExpression);
      else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) assignments.push(n);
    }

    applyDefaults(st, assignments, callNodes);

    const results = new Map<ts.CallExpression, Analysis>();
    for (let round = 0; round <= MAX_WRAPPER_DEPTH; round++) {
      const fresh: ts.CallExpression[] = [];
      for (const call of callNodes) {
        if (results.has(call)) continue;
        const target = targetOf(st, call);
        if (!target) continue;
        if (target.kind === 'wrapper') {
          const own = st.wrapperFns.get(target.def);
          if (own && isInside(call, own)) continue; // a retrying wrapper calling itself is the same request
        }
        const analysis = analyze(st, call, target, enclosingFunction(call));
        if (!analysis) continue;
        results.set(call, analysis);
        fresh.push(call);
      }
      let added = 0;
      for (const call of fresh) if (maybeWrapper(st, call, results.get(call)!)) added++;
      if (added === 0) break;
      st.shapes.clear();
    }

    const calls = toRecords(st, callNodes.filter((c) => results.has(c)).map((c) => [c, results.get(c)!] as const));
    findHandedOn(st, callNodes, results);
    return { calls, exports: collectExports(st), blindSpots: st.blindSpots };
  }
}
