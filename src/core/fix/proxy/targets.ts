// Finds where a server-side proxy can live in a workspace: Next.js app or pages router, an Express app, or a standalone Node server.
import ts from 'typescript';
import { parse as parseJsonc } from 'jsonc-parser';
import { dirOf, joinRel } from './env';
import { parseSource } from '../../parse/parser';

export type ProxyTargetKind = 'next-app' | 'next-pages' | 'express' | 'standalone';
export type TargetLanguage = 'ts' | 'js';
export type ModuleStyle = 'esm' | 'cjs';

export interface ProxyTarget {
  kind: ProxyTargetKind;
  /** One line for a quick pick. */
  label: string;
  /** Why this target was offered. */
  detail: string;
  /** The package root the proxy belongs to ('' = workspace root). */
  root: string;
  /** The folder the generated handler goes in (`app/api`, `src/pages/api`, `server/routes`, `server`). */
  dir: string;
  language: TargetLanguage;
  moduleStyle: ModuleStyle;
  /** Extension of the generated file, with the dot. */
  extension: string;
  /** Express only: the file that creates the app, where the router is mounted. */
  express?: { appFile: string; appVariable: string | null; importSpecifierExtension: string };
}

export interface DetectTargetsOptions {
  /** The file of the call: targets in its own package come first, and a standalone proxy goes in its package. */
  fromFile?: string;
}

const SOURCE_FILE = /\.(m|c)?[jt]sx?$/;

function readJson(text: string | undefined): Record<string, unknown> | null {
  if (text === undefined) return null;
  const errors: { error: number; offset: number; length: number }[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function dependencyNames(pkg: Record<string, unknown> | null): Set<string> {
  const names = new Set<string>();
  for (const key of ['dependencies', 'devDependencies', 'peerDependencies']) {
    const deps = pkg?.[key];
    if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) names.add(name);
  }
  return names;
}

/** Package roots ('' for the workspace root), deepest first so the nearest one wins. */
function packageRoots(files: readonly string[], readFile: (rel: string) => string | undefined): string[] {
  const roots = new Set<string>();
  for (const f of files) if (f === 'package.json' || f.endsWith('/package.json')) roots.add(dirOf(f));
  if (readFile('package.json') !== undefined) roots.add('');
  return [...roots].filter((r) => !r.split('/').includes('node_modules')).sort((a, b) => b.length - a.length);
}

function isUnder(file: string, dir: string): boolean {
  return dir === '' || file.startsWith(`${dir}/`);
}

function nearestRoot(file: string | undefined, roots: readonly string[]): string {
  if (file === undefined) return '';
  return roots.find((r) => isUnder(file, r)) ?? '';
}

/** TS when the package has a tsconfig or its files under `dir` are TypeScript. */
function languageOf(root: string, files: readonly string[], readFile: (rel: string) => string | undefined, dir: string): TargetLanguage {
  if (readFile(joinRel(root, 'tsconfig.json')) !== undefined) return 'ts';
  const inDir = files.filter((f) => isUnder(f, dir) && SOURCE_FILE.test(f));
  const tsCount = inDir.filter((f) => /\.(m|c)?tsx?$/.test(f)).length;
  return tsCount > 0 && tsCount >= inDir.length / 2 ? 'ts' : 'js';
}

export interface ExpressApp {
  /** The variable the app is bound to, when `const app = express()` is found exactly once; null otherwise. */
  variable: string | null;
  /** Offset just after the statement creating the app (when `variable` is known). */
  afterStatement: number | null;
  /** Offset where a new import/require line goes: after the last top-level import or require. */
  importInsertAt: number;
  /** ESM syntax (`import`) or CommonJS (`require`). */
  moduleStyle: ModuleStyle;
  /** Why the mount cannot be placed automatically, when it cannot. */
  ambiguity?: string;
}

function requireOf(expr: ts.Expression | undefined): string | null {
  if (!expr || !ts.isCallExpression(expr) || !ts.isIdentifier(expr.expression) || expr.expression.text !== 'require') return null;
  const arg = expr.arguments[0];
  return arg && ts.isStringLiteralLike(arg) ? arg.text : null;
}

/** Where a file creates an Express app, or null when it does not import express and call it. */
export function findExpressApp(rel: string, text: string): ExpressApp | null {
  if (!/\bexpress\b/.test(text)) return null;
  const sf = parseSource(rel, text);
  const locals = new Set<string>();
  let hasImportSyntax = false;
  let hasRequire = false;
  let importInsertAt = 0;
  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt)) {
      hasImportSyntax = true;
      importInsertAt = stmt.end;
      if (ts.isStringLiteral(stmt.moduleSpecifier) && stmt.moduleSpecifier.text === 'express' && stmt.importClause) {
        if (stmt.importClause.name) locals.add(stmt.importClause.name.text);
        const bindings = stmt.importClause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) locals.add(bindings.name.text);
      }
    } else if (ts.isImportEqualsDeclaration(stmt)) {
      importInsertAt = stmt.end;
    } else if (ts.isVariableStatement(stmt)) {
      const required = stmt.declarationList.declarations.map((d) => ({ d, module: requireOf(d.initializer) }));
      if (required.some((r) => r.module !== null)) {
        hasRequire = true;
        importInsertAt = stmt.end;
      }
      for (const { d, module } of required) if (module === 'express' && ts.isIdentifier(d.name)) locals.add(d.name.text);
    }
  }
  if (locals.size === 0) return null;
  const creations: { variable: string | null; statement: ts.Node }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && locals.has(node.expression.text) && node.arguments.length === 0) {
      const parent = node.parent;
      const declared = ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : null;
      const statement = declared !== null && ts.isVariableDeclarationList(parent.parent) && ts.isVariableStatement(parent.parent.parent) ? parent.parent.parent : node;
      creations.push({ variable: declared !== null && statement !== node ? declared : null, statement });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (creations.length === 0) return null;
  const moduleStyle: ModuleStyle = /\.c[jt]s$/.test(rel) ? 'cjs' : /\.m[jt]s$/.test(rel) ? 'esm' : hasImportSyntax || !hasRequire ? 'esm' : 'cjs';
  if (creations.length > 1) {
    return { variable: null, afterStatement: null, importInsertAt, moduleStyle, ambiguity: `${rel} creates ${creations.length} Express apps` };
  }
  const only = creations[0];
  if (only.variable === null) {
    return { variable: null, afterStatement: null, importInsertAt, moduleStyle, ambiguity: `${rel} creates the Express app without binding it to a variable` };
  }
  return { variable: only.variable, afterStatement: only.statement.end, importInsertAt, moduleStyle };
}

/** The extension an import of a sibling module needs in this file (`.js` under Node16/NodeNext or plain ESM). */
function importExtensionFor(appFile: string, root: string, readFile: (rel: string) => string | undefined, style: ModuleStyle): string {
  const ext = /\.[^./]+$/.exec(appFile)?.[0] ?? '.js';
  if (ext === '.mjs' || ext === '.cjs') return ext;
  if (ext === '.js') return '.js';
  if (ext === '.mts') return '.mjs';
  if (ext === '.cts') return '.cjs';
  const tsconfig = readJson(readFile(joinRel(root, 'tsconfig.json')));
  const options = (tsconfig?.compilerOptions ?? {}) as Record<string, unknown>;
  const resolution = String(options.moduleResolution ?? options.module ?? '').toLowerCase();
  if (options.allowImportingTsExtensions === true) return '.ts';
  if (resolution === 'node16' || resolution === 'nodenext') return '.js';
  return style === 'esm' && resolution === '' ? '.js' : '';
}

/**
 * Every place a proxy for a call in `opts.fromFile` can go. Several can fit (an app with both routers, two Express
 * apps); the editor asks which. A standalone Node proxy is offered only when no server was found.
 */
export function detectProxyTargets(
  files: readonly string[],
  readFile: (rel: string) => string | undefined,
  opts: DetectTargetsOptions = {},
): ProxyTarget[] {
  const roots = packageRoots(files, readFile);
  const home = nearestRoot(opts.fromFile, roots);
  const targets: ProxyTarget[] = [];

  for (const root of roots) {
    const deps = dependencyNames(readJson(readFile(joinRel(root, 'package.json'))));
    if (!deps.has('next')) continue;
    const inRoot = files.filter((f) => isUnder(f, root) && !f.slice(root === '' ? 0 : root.length + 1).startsWith('node_modules/'));
    for (const base of ['app', 'src/app']) {
      const dir = joinRel(root, base);
      if (!inRoot.some((f) => isUnder(f, dir) && /\/(page|layout|route|template|loading|error|not-found)\.(m|c)?[jt]sx?$/.test(f))) continue;
      const language = languageOf(root, files, readFile, dir);
      targets.push({
        kind: 'next-app',
        label: `Next.js route handler (${joinRel(dir, 'api')}/<name>/route.${language})`,
        detail: `${joinRel(root, 'package.json')} depends on next and ${dir}/ holds App Router files`,
        root,
        dir: joinRel(dir, 'api'),
        language,
        moduleStyle: 'esm',
        extension: `.${language}`,
      });
    }
    for (const base of ['pages', 'src/pages']) {
      const dir = joinRel(root, base);
      if (!inRoot.some((f) => isUnder(f, dir) && SOURCE_FILE.test(f))) continue;
      const language = languageOf(root, files, readFile, dir);
      targets.push({
        kind: 'next-pages',
        label: `Next.js API route (${joinRel(dir, 'api')}/<name>.${language})`,
        detail: `${joinRel(root, 'package.json')} depends on next and ${dir}/ holds Pages Router files`,
        root,
        dir: joinRel(dir, 'api'),
        language,
        moduleStyle: 'esm',
        extension: `.${language}`,
      });
    }
  }

  for (const file of files) {
    if (!SOURCE_FILE.test(file) || /\.d\.[cm]?ts$/.test(file) || file.split('/').includes('node_modules')) continue;
    const text = readFile(file);
    if (text === undefined || !/\bexpress\s*\(/.test(text)) continue;
    const app = findExpressApp(file, text);
    if (!app) continue;
    const root = nearestRoot(file, roots);
    const ext = /\.[^./]+$/.exec(file)?.[0] ?? '.js';
    const language: TargetLanguage = /ts$/.test(ext) ? 'ts' : 'js';
    const dir = joinRel(dirOf(file), 'routes');
    targets.push({
      kind: 'express',
      label: `Express router (${dir}/<name>-proxy${ext.replace(/x$/, '')})`,
      detail: app.variable
        ? `mounted on \`${app.variable}\` in ${file}`
        : `${app.ambiguity ?? 'the app is created in ' + file}: you will be told where to mount it`,
      root,
      dir,
      language,
      moduleStyle: app.moduleStyle,
      extension: ext.replace(/x$/, ''),
      express: { appFile: file, appVariable: app.variable, importSpecifierExtension: importExtensionFor(file, root, readFile, app.moduleStyle) },
    });
  }

  if (targets.length === 0) {
    targets.push({
      kind: 'standalone',
      label: `Standalone Node proxy (${joinRel(home, 'server')}/<name>-proxy.mjs)`,
      detail: 'no server found in the workspace: a small node:http server with no dependencies',
      root: home,
      dir: joinRel(home, 'server'),
      language: 'js',
      moduleStyle: 'esm',
      extension: '.mjs',
    });
  }

  // The call's own package first; then the order above (app router, pages router, Express).
  const rank = (t: ProxyTarget): number => (t.root === home ? 0 : isUnder(home, t.root) ? 1 : 2);
  return targets.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i).map(({ t }) => t);
}
