// Cheap import extraction for every file of the workspace: specifiers and bound names, without a full parse.

/** One name an import binds: `imported` is `default`, `*` (namespace) or the exported name. */
export interface ImportName {
  imported: string;
  local: string;
}

export interface ImportRecord {
  specifier: string;
  /**
   * `import` (import ... from), `export` (re-export: `export { a as b } from`, `export * from`), `require`,
   * `dynamic` (`import('x')`), `side-effect` (`import 'x'`).
   */
  kind: 'import' | 'export' | 'require' | 'dynamic' | 'side-effect';
  /** For `export` records, `local` is the name the re-exporting module exports it as. */
  names: ImportName[];
  /** `export * from 'x'`. */
  star?: boolean;
  /** `import type` / `export type`: no runtime edge. */
  typeOnly?: boolean;
}

const ID = '[A-Za-z_$][\\w$]*';
const SPEC = `['"]([^'"\\n]+)['"]`;
// Each pattern is tried only where its leading keyword occurs (found with indexOf, `\b` checked by hand):
// a global regex starting with `\b` would be attempted at every position of every file.
const IMPORT_FROM = new RegExp(`import\\s+(?=\\S)(type\\s+(?=\\S))?((?:${ID}\\s*,?\\s*(?=\\S))?(?:\\*\\s*as\\s+${ID}|\\{[^}]*\\})?)\\s*from\\s*${SPEC}`, 'y');
const IMPORT_BARE = new RegExp(`import\\s*${SPEC}`, 'y');
const EXPORT_FROM = new RegExp(`export\\s+(type\\s+)?(\\*(?:\\s*as\\s+${ID})?|\\{[^}]*\\})\\s*from\\s*${SPEC}`, 'y');
const REQUIRE_BOUND = new RegExp(`(?:const|let|var)\\s+(${ID}|\\{[^}]*\\})\\s*=\\s*(?:await\\s+)?(require|import)\\s*\\(\\s*${SPEC}\\s*\\)(\\s*\\.\\s*default\\b)?`, 'y');
const IMPORT_EQUALS = new RegExp(`import\\s+(${ID})\\s*=\\s*require\\s*\\(\\s*${SPEC}\\s*\\)`, 'y');
const CALL = new RegExp(`(require|import)\\s*\\(\\s*${SPEC}\\s*\\)`, 'y');

/** `\w` of a regular expression: ASCII letters, digits and `_`. */
function isRegexWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/**
 * The matches a global `\b(?:kw1|kw2)...` regex would find, left to right and not overlapping, with `sticky`
 * (the same pattern without `\b`, flag `y`) tried only at `starts`: the ascending offsets where a keyword occurs.
 */
function matchesAt(text: string, starts: readonly number[], sticky: RegExp): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let from = 0;
  for (const at of starts) {
    if (at < from || (at > 0 && isRegexWordChar(text.charCodeAt(at - 1)))) continue;
    sticky.lastIndex = at;
    const m = sticky.exec(text);
    if (m) {
      out.push(m);
      from = at + m[0].length;
    }
  }
  return out;
}

/** Offset lists merged into one ascending list. */
function ascending(...lists: number[][]): number[] {
  return lists.flat().sort((a, b) => a - b);
}

/** Every offset where `word` occurs, ascending. */
function offsetsOf(text: string, word: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) out.push(at);
  return out;
}

/**
 * Extracts import, re-export, `require()` and dynamic `import()` specifiers with the names they bind.
 * A match inside a comment is dropped (`inComment`, asked only where a pattern matched), so commented-out
 * imports do not count; text inside strings is not checked (a quoted import statement is rare enough not to
 * pay for a tokenizer of template literals).
 * Runs on every file of the workspace, so the text is searched twice (`port` finds `import` and `export`,
 * then `require`) and the patterns are tried only where their keyword is.
 */
export function extractImports(text: string): ImportRecord[] {
  const out: ImportRecord[] = [];
  const taken = new Set<number>();
  // A match inside a comment is claimed (so no other pattern takes it) and dropped.
  const claim = (index: number): boolean => {
    if (taken.has(index)) return false;
    taken.add(index);
    return !inComment(text, index);
  };
  const imports: number[] = [];
  const exports: number[] = [];
  let dynamicImport = false;
  for (const at of offsetsOf(text, 'port')) {
    if (at < 2) continue;
    if (text.startsWith('im', at - 2)) {
      imports.push(at - 2);
      const after = text.charCodeAt(at + 4);
      if (after === 0x28 /* ( */ || (after === 0x20 && text.charCodeAt(at + 5) === 0x28)) dynamicImport = true;
    } else if (text.startsWith('ex', at - 2)) {
      exports.push(at - 2);
    }
  }
  const requires = offsetsOf(text, 'require');
  const mayRequire = requires.length > 0 || dynamicImport;

  for (const m of matchesAt(text, imports, IMPORT_FROM)) {
    if (!claim(m.index!)) continue;
    out.push({ specifier: m[3], kind: 'import', names: importClauseNames(m[2]), ...(m[1] ? { typeOnly: true } : {}) });
  }
  for (const m of matchesAt(text, exports, EXPORT_FROM)) {
    if (!claim(m.index!)) continue;
    const clause = m[2].trim();
    const rec: ImportRecord = { specifier: m[3], kind: 'export', names: [] };
    if (clause === '*') rec.star = true;
    else if (clause.startsWith('*')) rec.names.push({ imported: '*', local: clause.replace(/^\*\s*as\s+/, '') });
    else rec.names.push(...braceNames(clause));
    if (m[1]) rec.typeOnly = true;
    out.push(rec);
  }
  if (mayRequire) for (const m of matchesAt(text, imports, IMPORT_EQUALS)) {
    if (!claim(m.index! + m[0].lastIndexOf('require'))) continue;
    out.push({ specifier: m[2], kind: 'require', names: [{ imported: '*', local: m[1] }] });
  }
  if (mayRequire) for (const m of matchesAt(text, ascending(offsetsOf(text, 'const'), offsetsOf(text, 'let'), offsetsOf(text, 'var')), REQUIRE_BOUND)) {
    const callAt = m.index! + m[0].indexOf(m[2], m[1].length);
    if (!claim(callAt)) continue;
    const binding = m[1];
    const isDefault = m[4] !== undefined;
    const kind = m[2] === 'require' ? 'require' : 'dynamic';
    const names = binding.startsWith('{')
      ? braceNames(binding, ':')
      : [{ imported: isDefault ? 'default' : '*', local: binding }];
    out.push({ specifier: m[3], kind, names });
  }
  for (const m of matchesAt(text, imports, IMPORT_BARE)) {
    if (!claim(m.index!)) continue;
    out.push({ specifier: m[1], kind: 'side-effect', names: [] });
  }
  if (mayRequire) for (const m of matchesAt(text, ascending(requires, imports), CALL)) {
    if (!claim(m.index!)) continue;
    out.push({ specifier: m[2], kind: m[1] === 'require' ? 'require' : 'dynamic', names: [] });
  }
  return out;
}

/** `React, { useState as s }` / `* as ns` / `{ a, type B }` → bound names. */
function importClauseNames(clause: string): ImportName[] {
  const names: ImportName[] = [];
  let rest = clause.trim();
  const def = /^([A-Za-z_$][\w$]*)\s*,?\s*/.exec(rest);
  if (def && !rest.startsWith('{') && !rest.startsWith('*')) {
    names.push({ imported: 'default', local: def[1] });
    rest = rest.slice(def[0].length);
  }
  const ns = /^\*\s*as\s+([A-Za-z_$][\w$]*)/.exec(rest);
  if (ns) names.push({ imported: '*', local: ns[1] });
  else if (rest.startsWith('{')) names.push(...braceNames(rest));
  return names;
}

/** `{ a, b as c, type D, default as e }` (or `{ a: b }` for destructuring with `sep` ':'). */
function braceNames(braces: string, sep: 'as' | ':' = 'as'): ImportName[] {
  const inner = braces.replace(/^\{|\}$/g, '');
  const names: ImportName[] = [];
  for (const raw of inner.split(',')) {
    const item = raw.trim().replace(/^type\s+/, '');
    if (!item || item.startsWith('...')) continue;
    const parts = sep === 'as' ? item.split(/(?<!\s)\s+as\s+/) : item.split(/(?<!\s)\s*:\s*/);
    const imported = parts[0].trim().replace(/^['"]|['"]$/g, '');
    const local = (parts[1] ?? parts[0]).trim().replace(/(?<!\s)\s*=.*$/, '');
    if (/^[A-Za-z_$][\w$]*$/.test(local) || sep === 'as') names.push({ imported, local });
  }
  return names;
}

/**
 * Whether `pos` sits in a comment: after `//` on its line (outside a string, roughly), or after a `/*`
 * that is not closed before it. Only asked for the few places an import pattern matched.
 */
export function inComment(text: string, pos: number): boolean {
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  const prefix = text.slice(lineStart, pos);
  const slashes = prefix.indexOf('//');
  if (slashes !== -1 && !/['"`]/.test(prefix.slice(0, slashes))) return true;
  const open = text.lastIndexOf('/*', pos);
  return open !== -1 && text.lastIndexOf('*/', pos) < open;
}
