// Finds the blind spots where fetch or a client is handed to a function this tool does not know.
import ts from 'typescript';
import { unwrapParens, lineOf, type DetectorState, type Analysis } from './detector-state';
import { shapeOf } from './shapes';
import { unwrap } from '../parse/scope';

/**
 * Blind spots: `fetch` or a client handed to a function this tool does not know (`createClient({ fetch })`,
 * `setup(fetch)`), whose result is not itself followed as a client. The requests made through it are not seen.
 */
export function findHandedOn(st: DetectorState, calls: readonly ts.CallExpression[], found: ReadonlyMap<ts.CallExpression, Analysis>): void {
  const seen = new Set<number>();
  for (const call of calls) {
    if (found.has(call) || !call.arguments) continue;
    const callee = unwrapParens(call.expression);
    const calleeShape = shapeOf(st, callee);
    if (calleeShape || (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind')) continue;
    const values: ts.Expression[] = [];
    for (const a of call.arguments) {
      const e = unwrap(a);
      if (ts.isObjectLiteralExpression(e)) {
        for (const p of e.properties) {
          if (ts.isPropertyAssignment(p)) values.push(p.initializer);
          else if (ts.isShorthandPropertyAssignment(p)) values.push(p.name);
        }
      } else if (!ts.isSpreadElement(e)) values.push(e);
    }
    for (const v of values) {
      const u = unwrap(v);
      if (!ts.isIdentifier(u) && !ts.isPropertyAccessExpression(u)) continue;
      // Only names that can be a client: fetch, axios, or a name bound to an instance here or imported as one.
      const name0 = ts.isIdentifier(u) ? u.text : u.name.text;
      if (!/fetch|axios/i.test(name0) && !st.ctx.externals?.[name0] && ![...st.instances.values()].some((d) => d.name === name0)) continue;
      const shape = shapeOf(st, u);
      if (!shape || (shape.kind !== 'fetch' && shape.kind !== 'instance' && shape.kind !== 'axios')) continue;
      // Followed as a value: `mem(fetchPage)`, `fetchRetry(fetch)` made a client the code then calls.
      if (ts.isVariableDeclaration(call.parent) || ts.isExportAssignment(call.parent) || ts.isPropertyAssignment(call.parent) || ts.isReturnStatement(call.parent)) {
        if (shapeOf(st, call)) continue;
      }
      const line = lineOf(st, call.getStart(st.sf));
      if (seen.has(line)) continue;
      seen.add(line);
      const name = u.getText(st.sf);
      st.blindSpots.push({ file: st.rel, line, kind: 'client-handed-on', detail: `${name} is handed to ${callee.getText(st.sf).slice(0, 60)}(...), which this tool does not know; requests made through it are not listed` });
    }
  }
}
