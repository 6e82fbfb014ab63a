// Lists the instances, wrappers and objects holding them that a file exports, for the files that import them.
import ts from 'typescript';
import type { DetectorState } from './detector-state';
import type { HttpShape } from './detection-types';
import { shapeOf, classShape, returnShape } from './shapes';

export function collectExports(st: DetectorState): Record<string, HttpShape> {
  const out: Record<string, HttpShape> = {};
  const put = (name: string, shape: HttpShape | null): void => {
    if (shape && shape.kind !== 'axios-module') out[name] = shape;
  };
  for (const s of st.sf.statements) {
    const exported = hasModifier(s, ts.SyntaxKind.ExportKeyword);
    const isDefault = hasModifier(s, ts.SyntaxKind.DefaultKeyword);
    if (ts.isVariableStatement(s) && exported) {
      for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) put(d.name.text, shapeOf(st, d.name));
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && exported) {
      const shape = ts.isFunctionDeclaration(s) ? functionExportShape(st, s) : classShape(st, s, 0);
      if (isDefault) put('default', shape);
      if (s.name) put(s.name.text, shape);
    } else if (ts.isExportAssignment(s)) {
      put('default', shapeOf(st, s.expression));
    } else if (ts.isExportDeclaration(s) && !s.moduleSpecifier && s.exportClause && ts.isNamedExports(s.exportClause)) {
      for (const el of s.exportClause.elements) put(el.name.text, shapeOf(st, el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName : el.name));
    } else if (ts.isExpressionStatement(s) && ts.isBinaryExpression(s.expression) && s.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      // CommonJS: module.exports = x, module.exports.x = y, exports.x = y
      const left = s.expression.left.getText(st.sf).replace(/\s+/g, '');
      const right = s.expression.right;
      if (left === 'module.exports') {
        const shape = shapeOf(st, right);
        put('default', shape);
        if (shape && shape.kind === 'object') for (const [k, v] of Object.entries(shape.members)) put(k, v);
      } else {
        const m = /^(?:module\.)?exports\.([\w$]+)$/.exec(left);
        if (m) put(m[1], shapeOf(st, right));
      }
    }
  }
  return out;
}

/** An exported function: a wrapper, or a factory of a client (other files call it to get one). */
function functionExportShape(st: DetectorState, fn: ts.FunctionDeclaration): HttpShape | null {
  const def = st.wrappers.get(fn);
  if (def) return { kind: 'wrapper', def };
  const returns = returnShape(st, fn, 0);
  return returns ? { kind: 'factory', returns } : null;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}
