// Rewrites a call site to go through its new proxy route: same client, same method, body and response handling; no secret.
import ts from 'typescript';
import { unwrap } from '../../parse/scope';
import type { TextEdit } from '../edits';
import { eolOf } from '../edits';
import type { CallSite, UrlPiece } from './callsite';
import { propertyOf } from './callsite';
import type { ClientValue, ProxySpec } from './spec';

export interface RewriteResult {
  edits: TextEdit[];
  notes: string[];
  /** The new URL expression text, for tests and the preview. */
  urlText: string;
}

function escapeTemplateText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

function quoteOf(site: CallSite): string {
  const first = site.text.slice(site.shape.url.getStart(site.sf), site.shape.url.getStart(site.sf) + 1);
  return first === '"' ? '"' : "'";
}

function valueTemplate(value: ClientValue, encode: boolean): string {
  return value.pieces
    .map((p: UrlPiece) => {
      if (p.kind === 'text') return escapeTemplateText(p.text);
      const already = /^encodeURIComponent\s*\(/.test(p.text.trim());
      return encode && !already ? `\${encodeURIComponent(${p.text})}` : `\${${p.text}}`;
    })
    .join('');
}

/** The client's URL for the proxy route: `/api/x`, or a template carrying path params and run-time query values. */
export function clientUrlText(site: CallSite, spec: ProxySpec, route: string): string {
  const parts: string[] = [];
  for (const p of spec.pathParams) parts.push(`${p.name}=${valueTemplate(p, true)}`);
  for (const q of spec.dynamicQuery) parts.push(`${escapeTemplateText(encodeURIComponent(q.name))}=${valueTemplate(q, false)}`);
  const opaque = spec.opaqueQuery.map((p) => (p.kind === 'text' ? escapeTemplateText(p.text) : `\${${p.text}}`)).join('');
  if (opaque !== '') parts.push(opaque);
  if (parts.length === 0) {
    const q = quoteOf(site);
    return `${q}${route}${q}`;
  }
  return `\`${escapeTemplateText(route)}?${parts.join('&')}\``;
}

/** Removes one property of an object literal with its separator, keeping the neighbours' layout. */
export function removePropertyEdit(file: string, text: string, sf: ts.SourceFile, obj: ts.ObjectLiteralExpression, prop: ts.ObjectLiteralElementLike): TextEdit {
  const props = obj.properties;
  const index = props.indexOf(prop);
  const startOfProp = prop.getStart(sf);
  if (props.length === 1) {
    return { file, span: { start: obj.getStart(sf) + 1, end: obj.end - 1 }, newText: '' };
  }
  if (index < props.length - 1) {
    // Remove up to the next property, and the whole line when the property sat alone on it.
    const lineStart = text.lastIndexOf('\n', startOfProp - 1) + 1;
    const onOwnLine = /^[ \t]*$/.test(text.slice(lineStart, startOfProp));
    const nextStart = props[index + 1].getStart(sf);
    const nextLineStart = text.lastIndexOf('\n', nextStart - 1) + 1;
    if (onOwnLine && /^[ \t]*$/.test(text.slice(nextLineStart, nextStart)) && nextLineStart > startOfProp) {
      return { file, span: { start: lineStart, end: nextLineStart }, newText: '' };
    }
    return { file, span: { start: startOfProp, end: nextStart }, newText: '' };
  }
  // The last property: take the comma before it (and keep a trailing comma if the list had one).
  const previousEnd = props[index - 1].end;
  const afterProp = text.slice(prop.end, obj.end - 1);
  const trailingComma = /^\s*,/.test(afterProp);
  const lineStart = text.lastIndexOf('\n', startOfProp - 1) + 1;
  const onOwnLine = /^[ \t]*$/.test(text.slice(lineStart, startOfProp));
  if (onOwnLine && trailingComma) {
    const commaEnd = prop.end + (/^\s*,/.exec(afterProp)?.[0].length ?? 0);
    const lineEnd = text.indexOf('\n', commaEnd);
    return { file, span: { start: lineStart, end: lineEnd === -1 ? commaEnd : lineEnd + 1 }, newText: '' };
  }
  return { file, span: { start: previousEnd, end: prop.end }, newText: '' };
}

/** The local name axios is imported under in this file, or null. */
function axiosLocalName(sf: ts.SourceFile): string | null {
  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt) && ts.isStringLiteral(stmt.moduleSpecifier) && stmt.moduleSpecifier.text === 'axios' && stmt.importClause?.name) {
      return stmt.importClause.name.text;
    }
    if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        const init = d.initializer ? unwrap(d.initializer) : undefined;
        if (ts.isIdentifier(d.name) && init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require') {
          const arg = init.arguments[0];
          if (arg && ts.isStringLiteralLike(arg) && arg.text === 'axios') return d.name.text;
        }
      }
    }
  }
  return null;
}

function addAxiosImport(site: CallSite, name: string): TextEdit {
  const { sf, text } = site;
  const eol = eolOf(text);
  let insertAt = 0;
  let usesImport = /\.(m?ts|tsx|mjs|jsx|vue|svelte)$/.test(site.call.file);
  for (const stmt of sf.statements) {
    if (ts.isImportDeclaration(stmt)) {
      insertAt = stmt.end;
      usesImport = true;
    } else if (ts.isExpressionStatement(stmt) && ts.isStringLiteral(stmt.expression) && insertAt === 0) {
      insertAt = stmt.end; // after 'use client' and other directives
    }
  }
  const line = usesImport ? `import ${name} from 'axios';` : `const ${name} = require('axios');`;
  const first = sf.statements[0];
  if (insertAt === 0 && first) {
    // Before the first statement: after leading comments, and inside the <script> block of a .vue/.svelte file.
    return { file: site.call.file, span: { start: first.getStart(sf), end: first.getStart(sf) }, newText: `${line}${eol}` };
  }
  return insertAt === 0
    ? { file: site.call.file, span: { start: 0, end: 0 }, newText: `${line}${eol}` }
    : { file: site.call.file, span: { start: insertAt, end: insertAt }, newText: `${eol}${line}` };
}

/** True when an instance's baseURL points at the page's own origin (relative, or empty). */
function isSameOriginBase(baseURL: string | null | undefined): boolean {
  return typeof baseURL === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(baseURL) && !baseURL.startsWith('//');
}

/** The edits of the call's file: new URL, secret header removed, axios instance swapped for axios when needed. */
export function rewriteCallSite(site: CallSite, spec: ProxySpec, route: string): RewriteResult {
  const file = site.call.file;
  const edits: TextEdit[] = [];
  const notes: string[] = [];
  let urlText = clientUrlText(site, spec, route);

  if (site.call.client === 'axios-instance') {
    if (isSameOriginBase(site.baseURL)) {
      // The instance already talks to this app: keep it (and its interceptors), with the route relative to its baseURL.
      const base = (site.baseURL ?? '').replace(/(?<!\/)\/+$/, '');
      if (base !== '' && route.startsWith(`${base}/`)) {
        const relative = route.slice(base.length);
        urlText = urlText.replace(route, relative);
      } else if (base !== '') {
        const replacement = useAxios(site, edits);
        notes.push(`The call now uses \`${replacement}\` instead of \`${site.clientText}\`: the instance's baseURL \`${site.baseURL}\` does not lead to ${route}.`);
      }
    } else {
      const replacement = useAxios(site, edits);
      notes.push(`The call now uses \`${replacement}\` instead of the instance \`${site.clientText}\`, whose baseURL is the third-party API.`);
    }
  }

  const urlNode = site.shape.url;
  edits.push({ file, span: { start: urlNode.getStart(site.sf), end: urlNode.end }, newText: urlText });

  for (const secret of site.secrets) {
    if (!secret.property || secret.placement !== 'header' || !site.headersObject) continue;
    const headersObject = site.headersObject;
    const remaining = headersObject.properties.filter((p) => !site.secrets.some((s) => s.property === p));
    const options = site.shape.kind === 'fetch' ? site.shape.init : site.shape.config;
    const optionsObject = options ? unwrap(options) : undefined;
    const headersProp = optionsObject && ts.isObjectLiteralExpression(optionsObject) ? propertyOf(optionsObject, 'headers') : undefined;
    if (remaining.length === 0 && headersProp && ts.isPropertyAssignment(headersProp) && unwrap(headersProp.initializer) === headersObject && optionsObject && ts.isObjectLiteralExpression(optionsObject)) {
      edits.push(removePropertyEdit(file, site.text, site.sf, optionsObject, headersProp));
    } else {
      edits.push(removePropertyEdit(file, site.text, site.sf, headersObject, secret.property));
    }
  }
  const instanceSecret = site.secrets.find((s) => s.fromInstance);
  if (instanceSecret && site.call.facts.definition) {
    const def = site.call.facts.definition;
    notes.push(`\`${def.name}\` (${def.file}:${def.line}) still puts the secret in its default headers for its other calls: move those behind the proxy too, then remove the header from the instance.`);
  }
  return { edits, notes, urlText };
}

function useAxios(site: CallSite, edits: TextEdit[]): string {
  const existing = axiosLocalName(site.sf);
  const name = existing ?? (/\baxios\b/.test(site.text) ? 'axiosClient' : 'axios');
  const callee = unwrap(site.node.expression);
  const target = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
  edits.push({ file: site.call.file, span: { start: target.getStart(site.sf), end: target.end }, newText: name });
  const unused = ts.isIdentifier(target) ? removeUnusedImport(site, target) : null;
  const addImport = existing ? null : addAxiosImport(site, name);
  if (unused && addImport && unused.wholeLine) {
    // The instance's import line becomes the axios import: one edit, no overlap with the insertion point.
    const line = addImport.newText.trim();
    edits.push({ ...unused.edit, newText: `${line}${eolOf(site.text)}` });
  } else {
    if (addImport) edits.push(addImport);
    if (unused) edits.push(unused.edit);
  }
  return name;
}

/** Drops the import of the instance when this call was its only use in the file (unused imports fail strict builds). */
function removeUnusedImport(site: CallSite, instance: ts.Identifier): { edit: TextEdit; wholeLine: boolean } | null {
  const { sf, text } = site;
  let uses = 0;
  let specifier: ts.ImportSpecifier | null = null;
  const visit = (node: ts.Node): void => {
    if (ts.isImportSpecifier(node) && node.name.text === instance.text) specifier = node;
    else if (ts.isIdentifier(node) && node.text === instance.text && node !== instance && !ts.isImportSpecifier(node.parent)) uses++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const found = specifier as ts.ImportSpecifier | null;
  if (uses > 0 || !found) return null;
  const named = found.parent;
  const declaration = named.parent.parent;
  if (named.elements.length === 1 && !named.parent.name) {
    const start = declaration.getStart(sf);
    const lineEnd = text.indexOf('\n', declaration.end);
    return { edit: { file: site.call.file, span: { start, end: lineEnd === -1 ? declaration.end : lineEnd + 1 }, newText: '' }, wholeLine: true };
  }
  const index = named.elements.indexOf(found);
  const start = index === 0 ? found.getStart(sf) : named.elements[index - 1].end;
  const end = index === 0 ? named.elements[1].getStart(sf) : found.end;
  return { edit: { file: site.call.file, span: { start, end }, newText: '' }, wholeLine: false };
}
