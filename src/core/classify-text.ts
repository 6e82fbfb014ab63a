// Cheap text-level reading of JS/TS for runtime signals: blanks comments and literals so patterns match only code.

/** Where an import/require/export-from names a module, and whether the import is type-only. */
export interface ModuleReference {
  specifier: string;
  /** Offset of the statement or call in the text. */
  index: number;
  typeOnly: boolean;
}

const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const QUOTE_SINGLE = 0x27;
const QUOTE_DOUBLE = 0x22;
const BACKTICK = 0x60;
const DOLLAR = 0x24;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** After these characters a `/` starts a regular expression rather than a division. */
const REGEX_AFTER = new Set([...'(,=:[!&|?{};+-*%~^'].map((c) => c.charCodeAt(0)));
const REGEX_AFTER_WORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await', 'instanceof']);

function isIdentChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === DOLLAR || c > 0x7f;
}

/**
 * The text with comments and the contents of string, template and regex literals replaced by spaces
 * (newlines kept, quotes kept, `${...}` code kept), same length, so offsets still point into the original.
 * A string quote left open at the end of a line (JSX text such as `Don't`) ends there, so one odd line
 * cannot hide the rest of the file.
 */
export function maskNonCode(text: string): string {
  const n = text.length;
  const parts: string[] = [];
  let copiedTo = 0;
  const blank = (from: number, to: number) => {
    if (to <= from) return;
    parts.push(text.slice(copiedTo, from), text.slice(from, to).replace(/[^\n]/g, ' '));
    copiedTo = to;
  };

  let i = 0;
  if (text.startsWith('#!')) {
    const eol = text.indexOf('\n');
    i = eol === -1 ? n : eol;
    blank(0, i);
  }
  let prev = 0; // last significant character code; 0 at the start
  let lastWord = '';
  let braceDepth = 0;
  const templateDepths: number[] = [];

  /** Scans template text from `start` (just after a backtick or a closing `}`); returns where code resumes. */
  const scanTemplate = (start: number): number => {
    let j = start;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === BACKSLASH) {
        j += 2;
        continue;
      }
      if (c === BACKTICK) {
        blank(start, j);
        prev = BACKTICK;
        return j + 1;
      }
      if (c === DOLLAR && text.charCodeAt(j + 1) === OPEN_BRACE) {
        blank(start, j);
        templateDepths.push(braceDepth);
        braceDepth++;
        prev = OPEN_BRACE;
        return j + 2;
      }
      j++;
    }
    blank(start, n);
    return n;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c <= 0x20) {
      i++;
      continue;
    }
    if (c === SLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === SLASH) {
        const eol = text.indexOf('\n', i);
        const end = eol === -1 ? n : eol;
        blank(i, end);
        i = end;
        continue;
      }
      if (next === STAR) {
        const close = text.indexOf('*/', i + 2);
        const end = close === -1 ? n : close + 2;
        blank(i, end);
        i = end;
        continue;
      }
      if (prev === 0 || REGEX_AFTER.has(prev) || REGEX_AFTER_WORDS.has(lastWord)) {
        let j = i + 1;
        let inClass = false;
        let closed = -1;
        while (j < n) {
          const r = text.charCodeAt(j);
          if (r === NEWLINE) break;
          if (r === BACKSLASH) {
            j += 2;
            continue;
          }
          if (r === OPEN_BRACKET) inClass = true;
          else if (r === CLOSE_BRACKET) inClass = false;
          else if (r === SLASH && !inClass) {
            closed = j;
            break;
          }
          j++;
        }
        if (closed !== -1) {
          blank(i + 1, closed);
          i = closed + 1;
          while (i < n && isIdentChar(text.charCodeAt(i))) i++;
          prev = CLOSE_BRACKET; // a value: a following `/` divides
          lastWord = '';
          continue;
        }
      }
      prev = c;
      lastWord = '';
      i++;
      continue;
    }
    if (c === QUOTE_SINGLE || c === QUOTE_DOUBLE) {
      let j = i + 1;
      while (j < n) {
        const s = text.charCodeAt(j);
        if (s === BACKSLASH) {
          j += 2;
          continue;
        }
        if (s === c || s === NEWLINE) break;
        j++;
      }
      blank(i + 1, Math.min(j, n));
      i = j < n && text.charCodeAt(j) === c ? j + 1 : j;
      prev = c;
      lastWord = '';
      continue;
    }
    if (c === BACKTICK) {
      i = scanTemplate(i + 1);
      lastWord = '';
      continue;
    }
    if (c === OPEN_BRACE) {
      braceDepth++;
    } else if (c === CLOSE_BRACE) {
      braceDepth--;
      if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === braceDepth) {
        templateDepths.pop();
        i = scanTemplate(i + 1);
        lastWord = '';
        continue;
      }
    } else if (isIdentChar(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
      lastWord = text.slice(i, j);
      prev = 0x61; // an identifier: a following `/` divides unless the word is a keyword like `return`
      i = j;
      continue;
    }
    prev = c;
    lastWord = '';
    i++;
  }
  if (copiedTo === 0) return text;
  parts.push(text.slice(copiedTo));
  return parts.join('');
}

/** The raw contents of the string literal whose opening quote is at `quoteIndex` (masked text keeps quotes). */
export function stringAt(text: string, masked: string, quoteIndex: number): string {
  const quote = masked[quoteIndex];
  const close = masked.indexOf(quote, quoteIndex + 1);
  return text.slice(quoteIndex + 1, close === -1 ? undefined : close);
}

const STATIC_IMPORT = /\b(import|export)(\s+type\b)?\s*(?:[\w$*{}\s,]*?\bfrom\s*)?(['"])/g;
const CALL_IMPORT = /\b(?:require|import)\s*\(\s*(['"])/g;

/** Every module named by `import`, `export ... from`, `require(...)` and `import(...)`, read from masked text. */
export function moduleReferences(text: string, masked: string): ModuleReference[] {
  const refs: ModuleReference[] = [];
  for (const m of masked.matchAll(STATIC_IMPORT)) {
    const quoteIndex = m.index + m[0].length - 1;
    refs.push({ specifier: stringAt(text, masked, quoteIndex), index: m.index, typeOnly: Boolean(m[2]) });
  }
  for (const m of masked.matchAll(CALL_IMPORT)) {
    const quoteIndex = m.index + m[0].length - 1;
    refs.push({ specifier: stringAt(text, masked, quoteIndex), index: m.index, typeOnly: false });
  }
  return refs;
}

/**
 * The directives of the prologue (`'use client'`, `'use server'`, `'use strict'`...): string statements
 * before any other code, after comments and a shebang.
 */
export function prologueDirectives(text: string, masked: string): string[] {
  const directives: string[] = [];
  const ws = /\s*/y;
  let i = 0;
  for (;;) {
    ws.lastIndex = i;
    ws.exec(masked);
    i = ws.lastIndex;
    const c = masked[i];
    if (c !== "'" && c !== '"') return directives;
    const close = masked.indexOf(c, i + 1);
    if (close === -1) return directives;
    const after = /\s*(;|\n|$)/y;
    after.lastIndex = close + 1;
    const end = after.exec(masked);
    // `'use client'.length` or `"a" + b` is an expression, not a directive: stop there.
    if (!end) return directives;
    directives.push(text.slice(i + 1, close));
    i = after.lastIndex;
  }
}

/** The string value assigned in `export const <name> = '...'` (e.g. Next's `runtime`), or null. */
export function exportedConstString(text: string, masked: string, name: string): string | null {
  const re = new RegExp(`\\bexport\\s+const\\s+${name}\\s*(?::\\s*[\\w$.]+\\s*)?=\\s*(['"])`, 'g');
  const m = re.exec(masked);
  return m ? stringAt(text, masked, m.index + m[0].length - 1) : null;
}
