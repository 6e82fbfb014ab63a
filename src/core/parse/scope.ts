// Lexical scopes of one parsed file: which declaration a name refers to at a given node (imports, requires, consts, parameters).
import ts from 'typescript';

export type FunctionLike =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

export type Binding =
  /** `import x from 'm'` (imported `default`), `import * as x` (`*`), `import { a as x }` (`a`). */
  | { kind: 'import'; module: string; imported: string; node: ts.Node }
  /** `const x = require('m')` (`*`: the module object), `const { a: x } = require('m')` (`a`), `require('m').default`. */
  | { kind: 'require'; module: string; imported: string; node: ts.Node }
  | { kind: 'var'; decl: ts.VariableDeclaration; init: ts.Expression | undefined; isConst: boolean; node: ts.Node }
  | { kind: 'param'; fn: FunctionLike; index: number; prop?: string; rest: boolean; node: ts.Node }
  | { kind: 'function'; fn: ts.FunctionDeclaration; node: ts.Node }
  | { kind: 'class'; cls: ts.ClassLikeDeclaration; node: ts.Node }
  /** Anything else that shadows a global: destructured locals, catch variables, enums, loop variables. */
  | { kind: 'other'; node: ts.Node };

const FUNCTION_LIKE_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.FunctionDeclaration,
  ts.SyntaxKind.FunctionExpression,
  ts.SyntaxKind.ArrowFunction,
  ts.SyntaxKind.MethodDeclaration,
  ts.SyntaxKind.Constructor,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
]);

/** Nodes that open a scope; looked up by kind because every name lookup tests each ancestor. */
const SCOPE_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  ...FUNCTION_LIKE_KINDS,
  ts.SyntaxKind.SourceFile,
  ts.SyntaxKind.Block,
  ts.SyntaxKind.ModuleBlock,
  ts.SyntaxKind.CaseBlock,
  ts.SyntaxKind.CatchClause,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.ClassExpression,
]);

export function isFunctionLike(node: ts.Node): node is FunctionLike {
  return FUNCTION_LIKE_KINDS.has(node.kind);
}

/** Strips parentheses, type assertions, `!`, `satisfies` and `await`: they do not change which value is meant. */
export function unwrap(expr: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr) || ts.isSatisfiesExpression(expr) || ts.isTypeAssertionExpression(expr) || ts.isAwaitExpression(expr)) {
      expr = expr.expression;
    } else {
      return expr;
    }
  }
}

/** The module name of `require('m')`, `await import('m')` or `require('m').default`'s inner call, else null. */
export function requiredModule(expr: ts.Expression): string | null {
  const e = unwrap(expr);
  if (!ts.isCallExpression(e) || e.arguments.length !== 1) return null;
  const arg = e.arguments[0];
  if (!ts.isStringLiteralLike(arg)) return null;
  if (ts.isIdentifier(e.expression) && e.expression.text === 'require') return arg.text;
  if (e.expression.kind === ts.SyntaxKind.ImportKeyword) return arg.text;
  return null;
}

export function propertyNameText(name: ts.PropertyName | ts.BindingName | undefined): string | null {
  if (!name) return null;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return null;
}

/** Resolves names to declarations by walking up the scopes; each scope's declarations are computed once. */
export class ScopeResolver {
  private readonly scopes = new Map<ts.Node, Map<string, Binding>>();

  lookup(name: string, from: ts.Node): Binding | undefined {
    for (let n: ts.Node | undefined = from; n; n = n.parent) {
      if (!isScope(n)) continue;
      const found = this.declarationsOf(n).get(name);
      if (found) return found;
    }
    return undefined;
  }

  private declarationsOf(scope: ts.Node): Map<string, Binding> {
    let map = this.scopes.get(scope);
    if (map) return map;
    map = new Map();
    this.scopes.set(scope, map);
    const add = (name: string, b: Binding): void => {
      const known = map!.get(name);
      // Overloads: the signatures come first, the declaration with the body is the function.
      if (!known || (b.kind === 'function' && b.fn.body && known.kind === 'function' && !known.fn.body)) map!.set(name, b);
    };
    if (isFunctionLike(scope)) {
      scope.parameters.forEach((p, index) => addParam(p.name, scope, index, p.dotDotDotToken !== undefined, add));
      if (ts.isFunctionExpression(scope) && scope.name) add(scope.name.text, { kind: 'other', node: scope });
    } else if (ts.isClassExpression(scope)) {
      if (scope.name) add(scope.name.text, { kind: 'class', cls: scope, node: scope });
    } else if (ts.isCatchClause(scope)) {
      if (scope.variableDeclaration) addBindingNames(scope.variableDeclaration.name, (n, node) => add(n, { kind: 'other', node }));
    } else if (ts.isForStatement(scope) || ts.isForInStatement(scope) || ts.isForOfStatement(scope)) {
      const init = scope.initializer;
      if (init && ts.isVariableDeclarationList(init)) for (const d of init.declarations) addVariable(d, add);
    } else {
      const statements = ts.isCaseBlock(scope) ? scope.clauses.flatMap((c) => [...c.statements]) : (scope as ts.Block | ts.SourceFile | ts.ModuleBlock).statements;
      for (const s of statements) addStatement(s, add);
    }
    return map;
  }
}

function isScope(n: ts.Node): boolean {
  return SCOPE_KINDS.has(n.kind);
}

type Add = (name: string, b: Binding) => void;

function addParam(name: ts.BindingName, fn: FunctionLike, index: number, rest: boolean, add: Add): void {
  if (ts.isIdentifier(name)) {
    add(name.text, { kind: 'param', fn, index, rest, node: name });
    return;
  }
  if (ts.isObjectBindingPattern(name)) {
    for (const el of name.elements) {
      const prop = propertyNameText(el.propertyName ?? el.name);
      if (ts.isIdentifier(el.name)) add(el.name.text, { kind: 'param', fn, index, prop: prop ?? undefined, rest: false, node: el.name });
      else addBindingNames(el.name, (n, node) => add(n, { kind: 'param', fn, index, rest: false, node }));
    }
    return;
  }
  addBindingNames(name, (n, node) => add(n, { kind: 'param', fn, index, rest: false, node }));
}

function addBindingNames(name: ts.BindingName, visit: (name: string, node: ts.Node) => void): void {
  if (ts.isIdentifier(name)) {
    visit(name.text, name);
    return;
  }
  for (const el of name.elements) {
    if (ts.isOmittedExpression(el)) continue;
    addBindingNames(el.name, visit);
  }
}

function addVariable(d: ts.VariableDeclaration, add: Add): void {
  const isConst = (d.parent.flags & ts.NodeFlags.Const) !== 0;
  if (ts.isIdentifier(d.name)) {
    const init = d.initializer;
    if (init) {
      const mod = requiredModule(init);
      if (mod !== null) {
        add(d.name.text, { kind: 'require', module: mod, imported: '*', node: d });
        return;
      }
      // `require('axios').default`
      const u = unwrap(init);
      if (ts.isPropertyAccessExpression(u) && u.name.text === 'default') {
        const inner = requiredModule(u.expression);
        if (inner !== null) {
          add(d.name.text, { kind: 'require', module: inner, imported: 'default', node: d });
          return;
        }
      }
    }
    add(d.name.text, { kind: 'var', decl: d, init, isConst, node: d });
    return;
  }
  const mod = d.initializer ? requiredModule(d.initializer) : null;
  if (mod !== null && ts.isObjectBindingPattern(d.name)) {
    for (const el of d.name.elements) {
      const imported = propertyNameText(el.propertyName ?? el.name);
      if (ts.isIdentifier(el.name) && imported) add(el.name.text, { kind: 'require', module: mod, imported, node: el });
      else addBindingNames(el.name, (n, node) => add(n, { kind: 'other', node }));
    }
    return;
  }
  addBindingNames(d.name, (n, node) => add(n, { kind: 'other', node }));
}

function addStatement(s: ts.Statement, add: Add): void {
  if (ts.isVariableStatement(s)) {
    for (const d of s.declarationList.declarations) addVariable(d, add);
  } else if (ts.isFunctionDeclaration(s)) {
    if (s.name) add(s.name.text, { kind: 'function', fn: s, node: s });
  } else if (ts.isClassDeclaration(s)) {
    if (s.name) add(s.name.text, { kind: 'class', cls: s, node: s });
  } else if (ts.isEnumDeclaration(s) || ts.isModuleDeclaration(s)) {
    if (ts.isIdentifier(s.name)) add(s.name.text, { kind: 'other', node: s });
  } else if (ts.isImportDeclaration(s)) {
    if (!ts.isStringLiteral(s.moduleSpecifier) || !s.importClause) return;
    const module = s.moduleSpecifier.text;
    const clause = s.importClause;
    if (clause.name) add(clause.name.text, { kind: 'import', module, imported: 'default', node: clause });
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) add(nb.name.text, { kind: 'import', module, imported: '*', node: nb });
    if (nb && ts.isNamedImports(nb)) {
      for (const el of nb.elements) add(el.name.text, { kind: 'import', module, imported: (el.propertyName ?? el.name).text, node: el });
    }
  } else if (ts.isImportEqualsDeclaration(s)) {
    const ref = s.moduleReference;
    if (ts.isExternalModuleReference(ref) && ts.isStringLiteral(ref.expression)) add(s.name.text, { kind: 'require', module: ref.expression.text, imported: '*', node: s });
    else add(s.name.text, { kind: 'other', node: s });
  } else if (ts.isLabeledStatement(s)) {
    addStatement(s.statement, add);
  }
}

/** Parents under which an identifier is a name in a type, a key or a label, never a value that could be a global. */
const NAME_ONLY_PARENTS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.TypeReference,
  ts.SyntaxKind.TypeQuery,
  ts.SyntaxKind.QualifiedName,
  ts.SyntaxKind.LabeledStatement,
  ts.SyntaxKind.BreakStatement,
  ts.SyntaxKind.ContinueStatement,
  ts.SyntaxKind.JsxAttribute,
  ts.SyntaxKind.EnumMember,
  ts.SyntaxKind.ImportSpecifier,
  ts.SyntaxKind.ExportSpecifier,
  ts.SyntaxKind.ImportClause,
  ts.SyntaxKind.NamespaceImport,
  ts.SyntaxKind.PropertySignature,
  ts.SyntaxKind.MethodSignature,
]);

/** Whether this identifier reads a value by its name (so it may be a global), rather than naming a property, key or binding. */
export function isValueReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (!parent || NAME_ONLY_PARENTS.has(parent.kind)) return false;
  if (ts.isPropertyAccessExpression(parent)) return parent.expression === id;
  if (ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isGetAccessorDeclaration(parent) || ts.isSetAccessorDeclaration(parent)) {
    return parent.name !== id;
  }
  if (ts.isBindingElement(parent)) return parent.name !== id && parent.propertyName !== id;
  if (ts.isVariableDeclaration(parent) || ts.isParameter(parent)) return parent.name !== id;
  if (ts.isFunctionDeclaration(parent) || ts.isFunctionExpression(parent) || ts.isClassDeclaration(parent) || ts.isClassExpression(parent)) return parent.name !== id;
  return true;
}

/**
 * The start offsets of every place the file reads one of `names` as a global: a value reference (not a
 * property name, object key or declared name) that resolves to no local binding (parameter, destructured
 * name, declaration, import, catch variable). `function toRow(document) { document.id }` has none.
 */
export function globalReferenceOffsets(sf: ts.SourceFile, names: ReadonlySet<string>, nodes: readonly ts.Node[]): Set<number> {
  const scopes = new ScopeResolver();
  const offsets = new Set<number>();
  for (const node of nodes) {
    if (!ts.isIdentifier(node) || !names.has(node.text) || !isValueReference(node)) continue;
    if (scopes.lookup(node.text, node) === undefined) offsets.add(node.getStart(sf));
  }
  return offsets;
}
