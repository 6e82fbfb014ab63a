// The fixes findings ask for besides the proxy move: secrets to env vars, server-only env names, timeouts, error handling, ignore comments.
import ts from 'typescript';
import { unwrap } from '../../parse/scope';
import { toScriptText } from '../../scan/discovery';
import type { FixPlan, PlanResult, TextEdit, WorkspaceView } from '../edits';
import { eolOf, indentUnitOf, indentationAt, lineStartAt, refused, versionKeysFor } from '../edits';
import { findCallNode, propertyOf, propertyValue, shapeOf, type CallShape } from '../proxy/callsite';
import {
  chooseServerEnvName,
  envFilesIn,
  envNameForLiteral,
  escapeRegExp,
  joinRel,
  nameOccurrences,
  packageRootOf,
  planEnvRename,
  planLiteralSecretEnvFiles,
  serverNameFor,
} from '../proxy/env';
import { parseSource } from '../../parse/parser';
import { isBrowserExposedEnvName, stripAuthScheme } from '../../rules/secrets';
import { hostOf } from '../../detect/url';
import type { CallRecord, RuleId } from '../../model/types';
import { FIX_TIMEOUT_MS, FIX_TIMEOUT_SECONDS } from '../offers';

export { FIX_TIMEOUT_MS };
/** `10_000`: the milliseconds as people write them, with a digit separator. */
const TIMEOUT_TEXT = String(FIX_TIMEOUT_MS).replace(/\B(?=(\d{3})+$)/g, '_');

function plan(title: string, edits: TextEdit[], ws: WorkspaceView, extra: Partial<Pick<FixPlan, 'creates' | 'notes' | 'envChanges' | 'needsConfirmation'>> = {}): PlanResult {
  return {
    ok: true,
    plan: {
      title,
      edits,
      creates: extra.creates ?? [],
      notes: extra.notes ?? [],
      envChanges: extra.envChanges ?? [],
      documentVersionKeys: versionKeysFor(edits, ws.readFile),
      needsConfirmation: extra.needsConfirmation ?? false,
    },
  };
}

interface ParsedCall {
  text: string;
  sf: ts.SourceFile;
  node: ts.CallExpression;
}

function parseCall(call: CallRecord, ws: WorkspaceView): ParsedCall | string {
  const raw = ws.readFile(call.file);
  if (raw === undefined) return `${call.file} cannot be read.`;
  const text = toScriptText(call.file, raw);
  const sf = parseSource(call.file, text);
  const node = findCallNode(sf, call.facts.span);
  if (!node) return `The call is no longer at ${call.file}:${call.range.start.line}; run the analysis again.`;
  return { text, sf, node };
}

function isTypeScriptFile(file: string): boolean {
  return /\.(m|c)?tsx?$/.test(file);
}

// ---------------------------------------------------------------------------------------------------------------
// hardcoded-secret: literal → env var

export interface MoveLiteralOptions {
  /** Also write the value to the git-ignored `.env.local` (only when the user confirmed). */
  writeValueToEnvLocal?: boolean;
}

/**
 * Replaces a secret literal in a call with `process.env.NAME` (a server-only name derived from the host, e.g.
 * `OPENAI_API_KEY`), adds `NAME=` without a value to `.env.example`, and with `writeValueToEnvLocal` writes the value
 * to `.env.local` and makes sure git ignores it. Refused for browser code, where `process.env.NAME` does not exist:
 * there the proxy move is the fix.
 */
export function planMoveLiteralToEnv(call: CallRecord, ws: WorkspaceView, opts: MoveLiteralOptions = {}): PlanResult {
  const cred = call.facts.credentials.find((c) => c.source === 'literal');
  if (!cred) return refused('This call has no secret written as a literal.');
  if (call.runtime === 'frontend') {
    return refused('This call runs in the browser, where a server-only env var does not exist: use "Move behind a server proxy" so the key stays on the server.');
  }
  const raw = ws.readFile(call.file);
  if (raw === undefined) return refused(`${call.file} cannot be read.`);
  const text = toScriptText(call.file, raw);
  const sf = parseSource(call.file, text);
  let literal: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | null = null;
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.getStart(sf) <= cred.span.start && cred.span.end <= node.end) literal = node;
    else if (node.getStart(sf) <= cred.span.start && cred.span.end <= node.end) ts.forEachChild(node, visit);
  };
  visit(sf);
  const found = literal as ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | null;
  if (!found) return refused(`The secret at ${call.file}:${call.range.start.line} is not a plain string literal any more; run the analysis again.`);
  const value = found.text;
  // The detector may record the whole header value (`Bearer sk-…`): the scheme stays in code, only the key moves.
  const secret = stripAuthScheme(cred.literal && value.includes(cred.literal) ? cred.literal : value);
  const at = value.indexOf(secret);
  if (secret === '' || at === -1) return refused('The secret could not be found in the string.');
  const prefix = value.slice(0, at);
  const suffix = value.slice(at + secret.length);

  const root = packageRootOf(call.file, ws);
  const envFiles = envFilesIn(ws, [...new Set([root, ''])]);
  const host = call.url.host ?? hostOf(call.url.text.replace(/^['"`]/, ''));
  const { name } = chooseServerEnvName(ws, envFiles, envNameForLiteral(host, cred.field), secret);
  const read = `process.env.${name}`;
  const replacement = prefix === '' && suffix === '' ? (isTypeScriptFile(call.file) ? `(${read} ?? '')` : read) : `\`${templateSafe(prefix)}\${${read}}${templateSafe(suffix)}\``;
  const envFilePlan = planLiteralSecretEnvFiles(ws, root, name, secret, {
    exampleComment: `Secret for ${host ?? 'the API'} (added by API Atlas); set the value in .env.local, never commit it.`,
    localComment: `Moved out of ${call.file} by API Atlas. Keep this file out of git.`,
    writeValueToEnvLocal: opts.writeValueToEnvLocal === true,
  });
  const edits: TextEdit[] = [{ file: call.file, span: { start: found.getStart(sf), end: found.end }, newText: replacement }, ...envFilePlan.edits];
  const { creates, changes: envChanges } = envFilePlan;
  const notes: string[] = [];
  if (!opts.writeValueToEnvLocal) {
    notes.push(`Set ${name} in the server's environment (for example in a git-ignored .env.local).`);
  }
  if (!/next/.test(ws.readFile(joinRel(root, 'package.json')) ?? '')) {
    notes.push(`Make sure the server loads .env files (Node 20.6+: \`node --env-file=.env.local\`, or dotenv).`);
  }
  notes.push('The key is still in your git history: rotate it at the provider.');
  if (call.runtime === 'isomorphic' || call.runtime === 'unknown') {
    notes.push(`If this code also runs in the browser, ${read} is undefined there: move the call behind a server proxy.`);
  }
  return plan(`Move the secret to the env var ${name}${opts.writeValueToEnvLocal ? ' (and write it to .env.local)' : ''}`, edits, ws, { creates, notes, envChanges, needsConfirmation: true });
}

// ---------------------------------------------------------------------------------------------------------------
// public-env-secret: NEXT_PUBLIC_X → X everywhere

const RENAMABLE_FILE = /\.(m|c)?[jt]sx?$|\.(vue|svelte|astro|json|jsonc|ya?ml|toml|md|mdx|sh)$|(^|\/)(Dockerfile[^/]*|\.env[^/]*|Procfile)$/;

/**
 * Renames a browser-exposed env var holding a secret (`NEXT_PUBLIC_X`, `VITE_X`, ...) to its server-only name
 * everywhere: code reads (`import.meta.env.VITE_X` becomes `process.env.X`), config and docs, and `.env*` files
 * (with a comment). Refused when the call runs in the browser, which could no longer read it.
 */
export function planRenamePublicEnv(call: CallRecord, ws: WorkspaceView): PlanResult {
  const cred = call.facts.credentials.find((c) => c.source === 'env' && c.envName && isBrowserExposedEnvName(c.envName));
  if (!cred?.envName) return refused('This call reads no browser-exposed env var.');
  if (call.runtime === 'frontend') {
    return refused(`This call runs in the browser, which could not read a server-only variable: use "Move behind a server proxy", which also renames ${cred.envName}.`);
  }
  const from = cred.envName;
  const envFiles = ws.listFiles().filter((f) => /(^|\/)\.env[^/]*$/.test(f));
  for (const f of envFilesIn(ws, [...new Set([packageRootOf(call.file, ws), ''])])) if (!envFiles.includes(f)) envFiles.push(f);
  const { name: to } = chooseServerEnvName(ws, envFiles, serverNameFor(from), null);
  const edits: TextEdit[] = [];
  const touched: string[] = [];
  const importMetaRead = new RegExp(`import\\.meta\\.env\\.${escapeRegExp(from)}(?![\\w$])`, 'g');
  for (const file of ws.listFiles()) {
    if (!RENAMABLE_FILE.test(file) || envFiles.includes(file) || file.split('/').includes('node_modules')) continue;
    const text = ws.readFile(file);
    if (text === undefined) continue;
    const fileEdits: TextEdit[] = [];
    const covered: { start: number; end: number }[] = [];
    for (const m of text.matchAll(importMetaRead)) {
      // Vite only exposes prefixed names on import.meta.env; the server reads process.env.
      fileEdits.push({ file, span: { start: m.index, end: m.index + m[0].length }, newText: `process.env.${to}` });
      covered.push({ start: m.index, end: m.index + m[0].length });
    }
    for (const at of nameOccurrences(text, from)) {
      if (covered.some((c) => c.start <= at && at < c.end)) continue;
      fileEdits.push({ file, span: { start: at, end: at + from.length }, newText: to });
    }
    if (fileEdits.length > 0) {
      edits.push(...fileEdits);
      touched.push(file);
    }
  }
  const renamed = planEnvRename(ws, envFiles, from, to, `Renamed from ${from} by API Atlas: browser-exposed variables are bundled into client code; this secret must stay on the server.`, false);
  edits.push(...renamed.edits);
  const notes = [
    `${from} was shipped to browsers: rotate the key at the provider.`,
    `Renamed in ${[...touched, ...renamed.changes.map((c) => c.file ?? '')].filter(Boolean).join(', ')}. Set ${to} wherever the app is deployed (hosting dashboard, CI secrets).`,
  ];
  if (call.runtime !== 'backend') notes.push(`Any of those reads that runs in the browser now gets undefined: move such calls behind a server proxy.`);
  return plan(`Rename ${from} to the server-only ${to}`, edits, ws, { notes, envChanges: renamed.changes, needsConfirmation: true });
}

// ---------------------------------------------------------------------------------------------------------------
// no-timeout

/** Adds `prop` to an object literal, matching its layout (one line or one property per line, trailing comma). */
export function insertPropertyEdit(file: string, text: string, sf: ts.SourceFile, obj: ts.ObjectLiteralExpression, prop: string): TextEdit {
  const props = obj.properties;
  const open = obj.getStart(sf);
  if (props.length === 0) return { file, span: { start: open, end: obj.end }, newText: `{ ${prop} }` };
  const last = props[props.length - 1];
  const afterLast = text.slice(last.end, obj.end - 1);
  const trailingComma = /^\s*,/.test(afterLast);
  const multiline = text.slice(open, last.getStart(sf)).includes('\n');
  if (multiline) {
    const indent = indentationAt(text, last.getStart(sf));
    const eol = eolOf(text);
    if (trailingComma) {
      const commaEnd = last.end + (/^\s*,/.exec(afterLast)?.[0].length ?? 0);
      return { file, span: { start: commaEnd, end: commaEnd }, newText: `${eol}${indent}${prop},` };
    }
    return { file, span: { start: last.end, end: last.end }, newText: `,${eol}${indent}${prop}` };
  }
  if (trailingComma) {
    const commaEnd = last.end + (/^\s*,/.exec(afterLast)?.[0].length ?? 0);
    return { file, span: { start: commaEnd, end: commaEnd }, newText: ` ${prop},` };
  }
  return { file, span: { start: last.end, end: last.end }, newText: `, ${prop}` };
}

function isSimpleReference(expr: ts.Expression): boolean {
  const e = unwrap(expr);
  return ts.isIdentifier(e) || (ts.isPropertyAccessExpression(e) && isSimpleReference(e.expression));
}

/**
 * Gives the call a timeout: `signal: AbortSignal.timeout(10_000)` in a fetch init (combined with an existing signal
 * through `AbortSignal.any`), `timeout: 10_000` in an axios config; adds the init/config argument when there is none.
 */
export function planAddTimeout(call: CallRecord, ws: WorkspaceView): PlanResult {
  const parsed = parseCall(call, ws);
  if (typeof parsed === 'string') return refused(parsed);
  const { text, sf, node } = parsed;
  const shape = shapeOf(node, call.client);
  if ('error' in shape) return refused(`Cannot add a timeout here: ${shape.error}.`);
  const file = call.file;
  const timeout = `AbortSignal.timeout(${TIMEOUT_TEXT})`;
  let edit: TextEdit;
  if (shape.kind === 'fetch') {
    const init = shape.init ? unwrap(shape.init) : undefined;
    if (!shape.init) {
      edit = { file, span: { start: shape.url.end, end: shape.url.end }, newText: `, { signal: ${timeout} }` };
    } else if (init && ts.isObjectLiteralExpression(init)) {
      const existing = propertyOf(init, 'signal');
      const value = propertyValue(existing);
      if (existing && value) {
        edit = { file, span: { start: value.getStart(sf), end: value.end }, newText: `AbortSignal.any([${value.getText(sf)}, ${timeout}])` };
      } else if (existing) {
        return refused('The init already has a `signal` written in a way API Atlas cannot combine with a timeout.');
      } else {
        edit = insertPropertyEdit(file, text, sf, init, `signal: ${timeout}`);
      }
    } else if (isSimpleReference(shape.init)) {
      const ref = shape.init.getText(sf);
      edit = {
        file,
        span: { start: shape.init.getStart(sf), end: shape.init.end },
        newText: `{ ...${ref}, signal: ${ref}?.signal ? AbortSignal.any([${ref}.signal, ${timeout}]) : ${timeout} }`,
      };
    } else {
      return refused(`The fetch options are computed in place; add \`signal: AbortSignal.timeout(${TIMEOUT_TEXT})\` to them by hand.`);
    }
    return plan(`Add a ${FIX_TIMEOUT_SECONDS} s timeout (AbortSignal.timeout)`, [edit], ws, { notes: ['AbortSignal.timeout needs Node 17.3+ or a current browser; AbortSignal.any needs Node 20.3+.'] });
  }
  const configEdit = axiosTimeoutEdit(file, text, sf, shape);
  if (typeof configEdit === 'string') return refused(configEdit);
  return plan(`Add a ${FIX_TIMEOUT_SECONDS} s timeout (axios timeout)`, [configEdit], ws);
}

function axiosTimeoutEdit(file: string, text: string, sf: ts.SourceFile, shape: Exclude<CallShape, { kind: 'fetch' }>): TextEdit | string {
  const prop = `timeout: ${TIMEOUT_TEXT}`;
  const config = shape.config ? unwrap(shape.config) : undefined;
  if (config && ts.isObjectLiteralExpression(config)) {
    if (propertyOf(config, 'timeout')) return 'The config already sets `timeout`.';
    return insertPropertyEdit(file, text, sf, config, prop);
  }
  if (shape.config) {
    if (!isSimpleReference(shape.config)) return `The axios config is computed in place; add \`timeout: ${TIMEOUT_TEXT}\` to it by hand.`;
    return { file, span: { start: shape.config.getStart(sf), end: shape.config.end }, newText: `{ ...${shape.config.getText(sf)}, ${prop} }` };
  }
  if (shape.kind === 'axios-method' && shape.hasDataSlot) {
    const after = shape.data ?? shape.url;
    return { file, span: { start: after.end, end: after.end }, newText: shape.data ? `, { ${prop} }` : `, undefined, { ${prop} }` };
  }
  return { file, span: { start: shape.url.end, end: shape.url.end }, newText: `, { ${prop} }` };
}

// ---------------------------------------------------------------------------------------------------------------
// no-error-handling

function describeCall(call: CallRecord): string {
  const url = call.url.template ?? call.url.text.replace(/^['"`]|['"`]$/g, '');
  const short = url.length > 60 ? `${url.slice(0, 57)}...` : url;
  return `${call.method ?? 'Request'} ${short}`.replace(/[\r\n]+/g, ' ');
}

function singleQuoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function templateSafe(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

/** The statement that holds the call directly in a block, the file or a switch case. */
function enclosingStatement(node: ts.Node): ts.Statement | null {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (ts.isFunctionLike(n) && n !== node) return null;
    const parent = n.parent;
    if (parent && (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent) || ts.isModuleBlock(parent)) && ts.isStatement(n)) {
      return n;
    }
  }
  return null;
}

function declaredNames(stmt: ts.Statement): string[] {
  if (!ts.isVariableStatement(stmt)) return [];
  const names: string[] = [];
  const collect = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name)) names.push(name.text);
    else for (const el of name.elements) if (!ts.isOmittedExpression(el)) collect(el.name);
  };
  for (const d of stmt.declarationList.declarations) collect(d.name);
  return names;
}

function referencesAny(node: ts.Node, names: ReadonlySet<string>): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && names.has(n.text)) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function spansLinesInLiteral(node: ts.Node, sf: ts.SourceFile): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if ((ts.isTemplateLiteral(n) || ts.isStringLiteral(n) || ts.isJsxText(n)) && n.getText(sf).includes('\n')) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

/**
 * Makes failures visible: an awaited call is wrapped in `try { ... } catch (error) { console.error(...); throw error; }`
 * together with the statements that use its result, and `const res = await fetch(...)` gets
 * `if (!res.ok) throw new Error(...)` (fetch resolves on 4xx/5xx). A `.then` chain gets the status check after
 * `fetch(...)` and a `.catch` that reports the error at its end.
 */
export function planAddErrorHandling(call: CallRecord, ws: WorkspaceView): PlanResult {
  const parsed = parseCall(call, ws);
  if (typeof parsed === 'string') return refused(parsed);
  const { text, sf, node } = parsed;
  const file = call.file;
  const eol = eolOf(text);
  const unit = indentUnitOf(text);
  const what = describeCall(call);
  const isFetch = call.client === 'fetch' || (call.client === 'wrapper' && /fetch/i.test(call.facts.callee));
  const statusCheck = (res: string): string => `if (!${res}.ok) throw new Error(\`${templateSafe(what)} failed: \${${res}.status} \${${res}.statusText}\`);`;

  // Awaited: `await fetch(...)` somewhere in the statement, before any function boundary.
  let awaited: ts.AwaitExpression | null = null;
  for (let n: ts.Node = node; n.parent; n = n.parent) {
    if (ts.isAwaitExpression(n.parent) && unwrap(n.parent.expression) === n) {
      awaited = n.parent;
      break;
    }
    if (!ts.isParenthesizedExpression(n.parent) && !ts.isAsExpression(n.parent)) break;
  }
  const statement = enclosingStatement(node);
  if (!statement) return refused('The call is not inside a statement API Atlas can wrap (a class field or a default parameter?).');

  if (awaited) {
    const container = statement.parent as ts.Block | ts.SourceFile | ts.CaseClause | ts.DefaultClause | ts.ModuleBlock;
    const siblings = container.statements;
    const index = siblings.indexOf(statement);
    let lastIndex = index;
    const names = new Set<string>();
    // Variables declared in the wrapped statements and used below move into the try block with their users,
    // and so do the variables those users declare, until nothing below refers to anything inside.
    for (let extended = true; extended; ) {
      extended = false;
      for (const s of siblings.slice(index, lastIndex + 1)) for (const n of declaredNames(s)) names.add(n);
      if (names.size === 0) break;
      for (let i = siblings.length - 1; i > lastIndex; i--) {
        if (referencesAny(siblings[i], names)) {
          lastIndex = i;
          extended = true;
          break;
        }
      }
    }
    const range = siblings.slice(index, lastIndex + 1);
    if (range.some((s) => ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s) || (ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)))) {
      return refused('The statements that use this call include declarations or exports, which cannot move into a try block; add the error handling by hand.');
    }
    if (ts.isSourceFile(container) && lastIndex < siblings.length - 1 && names.size > 0 && siblings.slice(lastIndex + 1).some((s) => referencesAny(s, names))) {
      return refused('The result of this call is used further down the module; add the error handling by hand.');
    }
    const start = statement.getStart(sf);
    const end = siblings[lastIndex].end;
    const indent = indentationAt(text, start);
    const inner = indent + unit;
    const keepLayout = range.some((s) => spansLinesInLiteral(s, sf));
    let body = text.slice(start, end);
    const decl = ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1 ? statement.declarationList.declarations[0] : null;
    const resName = decl && ts.isIdentifier(decl.name) && decl.initializer && unwrap(decl.initializer) === node ? decl.name.text : null;
    if (isFetch && resName) {
      const firstEnd = statement.end - start;
      body = `${body.slice(0, firstEnd)}${eol}${keepLayout ? inner : indent}${statusCheck(resName)}${body.slice(firstEnd)}`;
    }
    if (!keepLayout) body = body.split(/\r?\n/).map((line, i) => (i === 0 || line.trim() === '' ? line : unit + line)).join(eol);
    const newText = [
      'try {',
      `${inner}${body}`,
      `${indent}} catch (error) {`,
      `${inner}console.error(${singleQuoted(`${what} failed`)}, error);`,
      `${inner}throw error;`,
      `${indent}}`,
    ].join(eol);
    const notes = isFetch && !resName ? ['fetch resolves on HTTP errors: check `response.ok` where the response is used.'] : [];
    notes.push('The catch block logs and rethrows; replace it with what the user should see (a message, a retry, a fallback).');
    return plan('Handle errors of this request (try/catch' + (isFetch && resName ? ' and status check)' : ')'), [{ file, span: { start, end }, newText }], ws, { notes });
  }

  // A promise chain: fetch(...).then(...).then(...)
  const edits: TextEdit[] = [];
  if (isFetch) edits.push({ file, span: { start: node.end, end: node.end }, newText: `.then((res) => {${eol}${indentationAt(text, node.getStart(sf))}${unit}${statusCheck('res')}${eol}${indentationAt(text, node.getStart(sf))}${unit}return res;${eol}${indentationAt(text, node.getStart(sf))}})` });
  let chainEnd: ts.Expression = node;
  while (ts.isPropertyAccessExpression(chainEnd.parent) && ts.isCallExpression(chainEnd.parent.parent) && chainEnd.parent.parent.expression === chainEnd.parent) {
    const method = chainEnd.parent.name.text;
    if (method !== 'then' && method !== 'finally') break;
    chainEnd = chainEnd.parent.parent;
  }
  const notes: string[] = [];
  if (ts.isExpressionStatement(statement) && unwrap(statement.expression) === chainEnd) {
    edits.push({ file, span: { start: chainEnd.end, end: chainEnd.end }, newText: `${eol}${indentationAt(text, chainEnd.getStart(sf))}${unit}.catch((error) => {${eol}${indentationAt(text, chainEnd.getStart(sf))}${unit}${unit}console.error(${singleQuoted(`${what} failed`)}, error);${eol}${indentationAt(text, chainEnd.getStart(sf))}${unit}})` });
    notes.push('The .catch logs the error; replace it with what the user should see (a message, a retry, a fallback).');
  } else {
    notes.push('The promise is returned or stored: whoever awaits it must handle the error.');
  }
  if (edits.length === 0) return refused('The promise is returned or stored: handle the error where it is awaited.');
  return plan('Handle errors of this request (' + (isFetch ? 'status check and .catch)' : '.catch)'), edits, ws, { notes });
}

// ---------------------------------------------------------------------------------------------------------------
// Ignore comments

const NEXT_LINE = 'api-atlas-ignore-next-line';
const WHOLE_FILE = 'api-atlas-ignore-file';

/** True when `offset` (a line start) sits among JSX children, where `//` would be rendered as text. */
function inJsxChildren(sf: ts.SourceFile, offset: number): boolean {
  let result = false;
  const visit = (n: ts.Node): void => {
    if (offset < n.getFullStart() || offset >= n.end) return;
    if (ts.isJsxText(n)) result = true;
    else if ((ts.isJsxExpression(n) || ts.isJsxOpeningElement(n) || ts.isJsxSelfClosingElement(n) || ts.isJsxClosingElement(n)) && offset > n.getStart(sf)) result = false;
    else if ((ts.isJsxElement(n) || ts.isJsxFragment(n)) && offset > n.getStart(sf)) result = true;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return result;
}

/**
 * Silences `rule` for this call: `// api-atlas-ignore-next-line <rule>` above the call's line (added to an existing
 * directive there), or `// api-atlas-ignore-file <rule>` at the top of the file after the shebang and directives.
 */
export function planIgnore(call: CallRecord, rule: RuleId, scope: 'line' | 'file', text: string): PlanResult {
  const file = call.file;
  const eol = eolOf(text);
  const ws: WorkspaceView = { readFile: (rel) => (rel === file ? text : undefined), listFiles: () => [file] };
  if (scope === 'line') {
    const lineStart = lineStartAt(text, call.facts.span.start);
    const previousStart = lineStart > 0 ? lineStartAt(text, lineStart - 1) : -1;
    const previous = previousStart >= 0 ? text.slice(previousStart, lineStart).replace(/\r?\n$/, '') : '';
    const existing = new RegExp(`^([\\s\\S]*?(?://|/\\*)\\s*${NEXT_LINE}\\b)([^\\r\\n]*?)(\\s*(?:\\*/\\s*\\}?)?\\s*)$`).exec(previous);
    if (previousStart >= 0 && existing) {
      const rules = existing[2].split('--')[0].split(/[\s,]+/).filter(Boolean);
      // A bare directive silences every rule: adding one would narrow it.
      if (rules.length === 0 || rules.includes(rule) || rules.includes('*')) return refused(`"${rule}" is already ignored on this line.`);
      const listEnd = previousStart + existing[1].length + existing[2].split('--')[0].trimEnd().length;
      return plan(`Ignore ${rule} on this line`, [{ file, span: { start: listEnd, end: listEnd }, newText: rules.length > 0 ? `, ${rule}` : ` ${rule}` }], ws);
    }
    const indent = indentationAt(text, lineStart);
    const sf = parseSource(file, toScriptText(file, text));
    const comment = /\.[jt]sx$/.test(file) && inJsxChildren(sf, lineStart + indent.length) ? `{/* ${NEXT_LINE} ${rule} */}` : `// ${NEXT_LINE} ${rule}`;
    return plan(`Ignore ${rule} on this line`, [{ file, span: { start: lineStart, end: lineStart }, newText: `${indent}${comment}${eol}` }], ws);
  }

  const existing = new RegExp(`(//|/\\*)\\s*${WHOLE_FILE}\\b([^\\r\\n]*)`).exec(text);
  if (existing) {
    const rest = existing[2].split(/--|\*\//)[0];
    const rules = rest.split(/[\s,]+/).filter(Boolean);
    if (rules.includes(rule) || rules.includes('*')) return refused(`"${rule}" is already ignored in this file.`);
    const at = existing.index + existing[0].length - existing[2].length + rest.trimEnd().length;
    return plan(`Ignore ${rule} in this file`, [{ file, span: { start: at, end: at }, newText: rules.length > 0 ? `, ${rule}` : ` ${rule}` }], ws);
  }
  let insertAt = 0;
  if (/\.(vue|svelte)$/.test(file)) {
    const script = /<script\b[^>]*>[ \t]*\r?\n?/.exec(text);
    if (script) insertAt = script.index + script[0].length;
  } else {
    if (text.startsWith('#!')) insertAt = text.indexOf('\n') + 1 || text.length;
    const sf = parseSource(file, text);
    for (const stmt of sf.statements) {
      if (!ts.isExpressionStatement(stmt) || !ts.isStringLiteral(stmt.expression)) break;
      const end = text.indexOf('\n', stmt.end);
      insertAt = end === -1 ? text.length : end + 1; // after 'use client' / 'use strict': directives must stay first
    }
  }
  const lead = insertAt > 0 && !/\n$/.test(text.slice(0, insertAt)) ? eol : '';
  return plan(`Ignore ${rule} in this file`, [{ file, span: { start: insertAt, end: insertAt }, newText: `${lead}// ${WHOLE_FILE} ${rule}${eol}` }], ws);
}
