// Records where a call sits among its file's branches (if/else arms, ternary arms, switch clauses) at detection, so the waterfall rule can tell exclusive calls apart without parsing again.
import ts from 'typescript';
import type { BranchStep } from '../model/types';

/** A statement that always leaves the enclosing branch: `return`, `throw`, `break`, `continue`. */
function isExit(statement: ts.Statement): boolean {
  return ts.isReturnStatement(statement) || ts.isThrowStatement(statement) || ts.isBreakStatement(statement) || ts.isContinueStatement(statement);
}

/** Statements of a branch body (a block, a single statement, or a case clause). */
function branchStatements(branch: ts.Node): readonly ts.Statement[] {
  if (ts.isBlock(branch) || ts.isCaseClause(branch) || ts.isDefaultClause(branch)) return branch.statements;
  return ts.isStatement(branch) ? [branch] : [];
}

/** Whether a branch body, from the statement holding `inner` on, leaves unconditionally (a top-level exit after it). */
function exitsAfter(branch: ts.Node, inner: ts.Node, sf: ts.SourceFile): boolean {
  const statements = branchStatements(branch);
  const at = statements.findIndex((st) => st.getStart(sf) <= inner.getStart(sf) && inner.end <= st.end);
  return at !== -1 && statements.slice(at).some(isExit);
}

/** The branching nodes above `call`, outermost first, each with the arm the call sits in. Needs parent links. */
export function branchPath(call: ts.Node, sf: ts.SourceFile): BranchStep[] {
  const steps: BranchStep[] = [];
  let child: ts.Node = call;
  for (let node = call.parent; node; child = node, node = node.parent) {
    if (ts.isIfStatement(node)) {
      const arm = child === node.expression ? 0 : child === node.thenStatement ? 1 : 2;
      steps.push({ kind: 'if', start: node.pos, end: node.end, arm, clauseExits: false, leaves: arm !== 0 && exitsAfter(child, call, sf) });
    } else if (ts.isConditionalExpression(node)) {
      const arm = child === node.condition ? 0 : child === node.whenTrue ? 1 : 2;
      steps.push({ kind: 'ternary', start: node.pos, end: node.end, arm, clauseExits: false, leaves: false });
    } else if (ts.isCaseBlock(node) && (ts.isCaseClause(child) || ts.isDefaultClause(child))) {
      const clause = child;
      steps.push({ kind: 'switch', start: node.pos, end: node.end, arm: node.clauses.indexOf(clause), clauseExits: clause.statements.some(isExit), leaves: exitsAfter(clause, call, sf) });
    }
  }
  return steps.reverse();
}
