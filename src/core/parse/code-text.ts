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
const OPEN_PAREN = 0x28;
const DOT = 0x2e;
const SEMICOLON = 0x3b;
/** Stands for "an identifier" in `prev` (not a character code that occurs in source). */
const IDENT = -1;

/** After these characters a `/` starts a regular expression rather than a division. */
export const REGEX_AFTER = new Set([...'(,=:[!&|?{};+-*%~^'].map((c) => c.charCodeAt(0)));
export const REGEX_AFTER_WORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'yield', 'await', 'instanceof']);

/** 1 for characters that can be part of an identifier or number (ASCII letters, digits, `_`, `$`, non-ASCII). */
const IDENT_CHAR = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) {
  IDENT_CHAR[c] = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === DOLLAR || c > 0x7f ? 1 : 0;
}

export function isIdentChar(c: number): boolean {
  return IDENT_CHAR[c] === 1;
}

/** Identifiers whose presence decides which (costlier) signal patterns are worth running on a file. */
export const WATCHED_IDENTIFIERS = [
  'window',
  'document',
  'localStorage',
  'sessionStorage',
  'navigator',
  'indexedDB',
  'requestAnimationFrame',
  'matchMedia',
  'IntersectionObserver',
  'ResizeObserver',
  'MutationObserver',
  'onMounted',
  'onBeforeMount',
  'onUpdated',
  'onActivated',
  'process',
  '__dirname',
  '__filename',
  'require',
  'meta',
  'express',
  'fastify',
  'Fastify',
  'Koa',
  'NestFactory',
  'createServer',
  'createSecureServer',
  'listen',
  'serve',
  'Hapi',
  'self',
  'addEventListener',
  'importScripts',
  'registerRoute',
  'precacheAndRoute',
  'workbox',
  'clients',
  'fetch',
  'ExportedHandler',
  'defineEventHandler',
  'defineCachedHandler',
  'BrowserWindow',
  'ipcMain',
] as const;

/** One place a watched identifier (or a React-style `useX` hook name) occurs in code. */
export interface IdentifierHit {
  index: number;
  /** Preceded by `.`: a property (`foo.window`), not the global. */
  afterDot: boolean;
  /** Preceded by `typeof`: a check, not a use. */
  afterTypeof: boolean;
  /** Preceded by `const`/`let`/`var`: a local of that name (`const document = await db.find()`), not the global. */
  declared: boolean;
}

export interface CodeScan {
  /** The text with comments and literal contents blanked (see maskNonCode); built on first use. */
  readonly masked: string;
  /** Whether `index` falls inside a comment or the contents of a literal. */
  inNonCode(index: number): boolean;
  /** Watched identifiers and `useX` hook names → their first occurrences in code. */
  hits: Map<string, IdentifierHit[]>;
  /** Modules named by import/export-from/require()/import(). */
  references: ModuleReference[];
}

const MAX_HITS_PER_NAME = 16;
// Dense (no holes), so the hot loop's lookups stay on V8's fast element path.
const WATCHED_BY_FIRST_CHAR: (string[] | null)[] = new Array<string[] | null>(128).fill(null);
for (const word of WATCHED_IDENTIFIERS) (WATCHED_BY_FIRST_CHAR[word.charCodeAt(0)] ??= []).push(word);

/**
 * One pass over a file: blanks comments and the contents of string, template and regex literals (newlines,
 * quotes and `${...}` code kept, same length, so offsets still point into the original), notes where watched
 * identifiers occur, and collects module specifiers. A string quote left open at the end of a line (JSX text
 * such as `Don't`) ends there, so one odd line cannot hide the rest of the file. Costs about as much as
 * reading the text once, so it can run on every file of a large workspace.
 */
export function scanCode(text: string): CodeScan {
  // Hot loop: every variable it writes is a plain local (no closure captures them), which V8 keeps in registers.
  const n = text.length;
  // Comment and literal-content ranges as flat [start, end) pairs, in order; the masked text is built from them on demand.
  const ranges: number[] = [];
  const hits = new Map<string, IdentifierHit[]>();
  const references: ModuleReference[] = [];

  let i = 0;
  if (text.startsWith('#!')) {
    const eol = text.indexOf('\n');
    i = eol === -1 ? n : eol;
    blankRange(ranges, 0, i);
  }
  let prev = 0; // last significant character code; 0 at the start, IDENT after an identifier
  let wordStart = 0;
  let wordEnd = 0;
  let braceDepth = 0;
  const templateDepths: number[] = [];
  // Module specifiers: the next string is one after `from`, `import`, or `require(` / `import(`.
  let specifierNext = false;
  let callOpensSpecifier = false;
  let typeOnly = false;
  let importOrExportWord = false;
  // Set when a template's text must be scanned from `i` (after a backtick or the `}` closing a `${`).
  let inTemplate = false;

  while (i < n) {
    if (inTemplate) {
      inTemplate = false;
      const end = templateTextEnd(text, i);
      blankRange(ranges, i, end);
      if (end >= n) {
        i = n;
      } else if (text.charCodeAt(end) === BACKTICK) {
        prev = BACKTICK;
        i = end + 1;
      } else {
        templateDepths.push(braceDepth);
        braceDepth++;
        prev = OPEN_BRACE;
        i = end + 2;
      }
      continue;
    }
    const c = text.charCodeAt(i);
    if (c <= 0x20) {
      i++;
      continue;
    }
    if (isIdentChar(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
      const len = j - i;
      const afterDot = prev === DOT;
      const prevLen = prev === IDENT ? wordEnd - wordStart : 0;
      const afterTypeof = prevLen === 6 && text.startsWith('typeof', wordStart);
      const declared =
        (prevLen === 5 && text.startsWith('const', wordStart)) ||
        (prevLen === 3 && (text.startsWith('let', wordStart) || text.startsWith('var', wordStart)));
      const watched = c < 128 ? WATCHED_BY_FIRST_CHAR[c] : null;
      if (watched !== null) {
        for (const w of watched) {
          if (w.length === len && text.startsWith(w, i)) {
            addHit(hits, w, i, afterDot, afterTypeof, declared);
            break;
          }
        }
      }
      if (c === 0x75 && len > 3 && text.charCodeAt(i + 1) === 0x73 && text.charCodeAt(i + 2) === 0x65) {
        const d = text.charCodeAt(i + 3);
        if (d >= 0x41 && d <= 0x5a) addHit(hits, text.slice(i, j), i, afterDot, afterTypeof, declared);
      }
      // import / export / from / require / type, for module specifiers.
      const wasImportOrExport = importOrExportWord;
      importOrExportWord = false;
      specifierNext = false;
      callOpensSpecifier = false;
      if (!afterDot && (len === 4 || len === 6 || len === 7)) {
        if (len === 4 && text.startsWith('from', i)) specifierNext = true;
        else if (len === 6 && text.startsWith('import', i)) {
          specifierNext = callOpensSpecifier = importOrExportWord = true;
          typeOnly = false;
        } else if (len === 6 && text.startsWith('export', i)) {
          importOrExportWord = true;
          typeOnly = false;
        } else if (len === 7 && text.startsWith('require', i)) callOpensSpecifier = true;
        else if (len === 4 && wasImportOrExport && text.startsWith('type', i)) typeOnly = true;
      }
      wordStart = i;
      wordEnd = j;
      prev = IDENT;
      i = j;
      continue;
    }
    if (c === QUOTE_SINGLE || c === QUOTE_DOUBLE) {
      const j = stringBodyEnd(text, i + 1, c);
      const end = j < n ? j : n;
      if (specifierNext) {
        references.push({ specifier: text.slice(i + 1, end), index: i, typeOnly });
        typeOnly = false;
      }
      blankRange(ranges, i + 1, end);
      i = j < n && text.charCodeAt(j) === c ? j + 1 : j;
      prev = c;
      specifierNext = callOpensSpecifier = importOrExportWord = false;
      continue;
    }
    if (c === SLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === SLASH) {
        const eol = text.indexOf('\n', i);
        const end = eol === -1 ? n : eol;
        blankRange(ranges, i, end);
        i = end;
        continue;
      }
      if (next === STAR) {
        const close = text.indexOf('*/', i + 2);
        const end = close === -1 ? n : close + 2;
        blankRange(ranges, i, end);
        i = end;
        continue;
      }
      specifierNext = callOpensSpecifier = importOrExportWord = false;
      if (prev === 0 || REGEX_AFTER.has(prev) || (prev === IDENT && REGEX_AFTER_WORDS.has(text.slice(wordStart, wordEnd)))) {
        const closed = regexEnd(text, i + 1);
        if (closed !== -1) {
          blankRange(ranges, i + 1, closed);
          i = closed + 1;
          while (i < n && isIdentChar(text.charCodeAt(i))) i++;
          prev = CLOSE_BRACKET; // a value: a following `/` divides
          continue;
        }
      }
      prev = c;
      i++;
      continue;
    }
    if (c === BACKTICK) {
      specifierNext = callOpensSpecifier = importOrExportWord = false;
      inTemplate = true;
      i++;
      continue;
    }
    if (c === OPEN_PAREN) {
      specifierNext = callOpensSpecifier;
      callOpensSpecifier = importOrExportWord = false;
      prev = c;
      i++;
      continue;
    }
    specifierNext = callOpensSpecifier = importOrExportWord = false;
    if (c === SEMICOLON) typeOnly = false;
    else if (c === OPEN_BRACE) braceDepth++;
    else if (c === CLOSE_BRACE) {
      braceDepth--;
      if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === braceDepth) {
        templateDepths.pop();
        inTemplate = true;
        i++;
        continue;
      }
    }
    prev = c;
    i++;
  }
  let masked: string | undefined;
  return {
    get masked() {
      return (masked ??= buildMasked(text, ranges));
    },
    inNonCode: (index) => inRanges(ranges, index),
    hits,
    references,
  };
}

function blankRange(ranges: number[], from: number, to: number): void {
  if (to > from) ranges.push(from, to);
}

function buildMasked(text: string, ranges: number[]): string {
  if (ranges.length === 0) return text;
  const parts: string[] = [];
  let copiedTo = 0;
  for (let k = 0; k < ranges.length; k += 2) {
    const from = ranges[k];
    const to = ranges[k + 1];
    const nl = text.indexOf('\n', from);
    parts.push(text.slice(copiedTo, from), nl === -1 || nl >= to ? ' '.repeat(to - from) : text.slice(from, to).replace(/[^\n]/g, ' '));
    copiedTo = to;
  }
  parts.push(text.slice(copiedTo));
  return parts.join('');
}

/** Binary search over the sorted [start, end) pairs. */
function inRanges(ranges: number[], index: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (index < ranges[2 * mid]) hi = mid - 1;
    else if (index >= ranges[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** `re` (sticky) matched exactly at `index` of `text`, or null. */
export function matchAt(re: RegExp, text: string, index: number): RegExpExecArray | null {
  re.lastIndex = index;
  return re.exec(text);
}

function addHit(hits: Map<string, IdentifierHit[]>, name: string, index: number, afterDot: boolean, afterTypeof: boolean, declared: boolean): void {
  let list = hits.get(name);
  if (list === undefined) hits.set(name, (list = []));
  if (declared) list.unshift({ index, afterDot, afterTypeof, declared }); // kept even past the limit: it changes what the name means
  else if (list.length < MAX_HITS_PER_NAME) list.push({ index, afterDot, afterTypeof, declared });
}

/**
 * Where the body of a '...' or "..." literal starting at `start` ends: its closing `quote`, or the line break
 * that cuts it off (JSX text such as `Don't`), or past the end of the text.
 */
export function stringBodyEnd(text: string, start: number, quote: number): number {
  const n = text.length;
  let j = start;
  while (j < n) {
    const q = text.charCodeAt(j);
    if (q === BACKSLASH) {
      j += 2;
      continue;
    }
    if (q === quote || q === NEWLINE) break;
    j++;
  }
  return j;
}

/** Where template text starting at `start` ends: the closing backtick, the `$` of a `${`, or the end of the text. */
export function templateTextEnd(text: string, start: number): number {
  const n = text.length;
  let j = start;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) j += 2;
    else if (c === BACKTICK || (c === DOLLAR && text.charCodeAt(j + 1) === OPEN_BRACE)) return j;
    else j++;
  }
  return n;
}

/** The closing `/` of a regex literal whose body starts at `start`, or -1 when the line ends first (a division). */
export function regexEnd(text: string, start: number): number {
  const n = text.length;
  let inClass = false;
  let j = start;
  while (j < n) {
    const r = text.charCodeAt(j);
    if (r === NEWLINE) return -1;
    if (r === BACKSLASH) {
      j += 2;
      continue;
    }
    if (r === OPEN_BRACKET) inClass = true;
    else if (r === CLOSE_BRACKET) inClass = false;
    else if (r === SLASH && !inClass) return j;
    j++;
  }
  return -1;
}

/**
 * The text with comments and the contents of string, template and regex literals replaced by spaces
 * (newlines kept, quotes kept, `${...}` code kept), same length, so code-only patterns cannot match inside them.
 */
export function maskNonCode(text: string): string {
  return scanCode(text).masked;
}

/** The raw contents of the string literal whose opening quote is at `quoteIndex` (masked text keeps quotes). */
export function stringAt(text: string, masked: string, quoteIndex: number): string {
  const quote = masked[quoteIndex];
  const close = masked.indexOf(quote, quoteIndex + 1);
  return text.slice(quoteIndex + 1, close === -1 ? undefined : close);
}

/**
 * The directives of the prologue (`'use client'`, `'use server'`, `'use strict'`...): string statements
 * before any other code, after comments and a shebang. Reads only the start of the file.
 */
export function prologueDirectives(text: string): string[] {
  const directives: string[] = [];
  const n = text.length;
  let i = text.startsWith('#!') ? text.indexOf('\n') : 0;
  if (i === -1) return directives;
  for (;;) {
    // Skip whitespace and comments.
    for (;;) {
      while (i < n && text.charCodeAt(i) <= 0x20) i++;
      if (text.startsWith('//', i)) {
        const eol = text.indexOf('\n', i);
        i = eol === -1 ? n : eol;
      } else if (text.startsWith('/*', i)) {
        const close = text.indexOf('*/', i + 2);
        i = close === -1 ? n : close + 2;
      } else break;
    }
    const quote = text[i];
    if (quote !== "'" && quote !== '"') return directives;
    const close = text.indexOf(quote, i + 1);
    const eol = text.indexOf('\n', i);
    if (close === -1 || (eol !== -1 && eol < close)) return directives;
    // `'use client'.length` or `"a" + b` is an expression, not a directive: stop there.
    const after = /[ \t]*(?:\/\/[^\n]*|\/\*[^]*?\*\/[ \t]*)?(;|\r?\n|$)/y;
    after.lastIndex = close + 1;
    if (!after.exec(text)) return directives;
    directives.push(text.slice(i + 1, close));
    i = after.lastIndex;
  }
}

const exportedConstPatterns = new Map<string, RegExp>();

/** The string value assigned in `export const <name> = '...'` (e.g. Next's `runtime`), or null. */
export function exportedConstString(text: string, masked: string, name: string): string | null {
  let re = exportedConstPatterns.get(name);
  if (!re) exportedConstPatterns.set(name, (re = new RegExp(`\\bexport\\s+const\\s+${name}\\s*(?::\\s*[\\w$.]+\\s*)?=\\s*(['"])`)));
  const m = re.exec(masked);
  return m ? stringAt(text, masked, m.index + m[0].length - 1) : null;
}

const OWN_EXPORT =
  /\bexport\s+(?:declare\s+)?(?:(default)\b|(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)|(?:const|let|var)\s+([A-Za-z_$][\w$]*)|(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)|(?:const\s+)?enum\s+([A-Za-z_$][\w$]*)|\{([^}]*)\}(?!\s*from\b))/g;
const COMMONJS_EXPORT = /\bmodule\s*\.\s*exports\b|(?<![\w$.])exports\s*\.\s*[A-Za-z_$][\w$]*\s*=/g;

/**
 * The names a module exports from its own code (`export function a`, `export const b`, `export { c as d }`,
 * `export default`); re-exports (`export … from`) are not included. Matches in comments and strings are
 * skipped with `inNonCode` (so no masked copy of the text is built). Null for CommonJS modules, whose exports
 * cannot be listed this way.
 */
export function ownExportNames(code: string, inNonCode: (index: number) => boolean): string[] | null {
  // Both patterns need the word: most files without it are left at one native search.
  if (!code.includes('export')) return [];
  if (code.includes('exports')) for (const m of code.matchAll(COMMONJS_EXPORT)) if (!inNonCode(m.index)) return null;
  const names = new Set<string>();
  for (const m of code.matchAll(OWN_EXPORT)) {
    if (inNonCode(m.index)) continue;
    if (m[1]) names.add('default');
    const declared = m[2] ?? m[3] ?? m[4] ?? m[5];
    if (declared) names.add(declared);
    if (m[6] !== undefined) {
      for (const part of m[6].split(',')) {
        const words = part.trim().replace(/^type\s+/, '').split(/(?<!\s)\s+as\s+/);
        const name = (words[1] ?? words[0]).trim();
        if (/^[A-Za-z_$][\w$]*$/.test(name)) names.add(name);
      }
    }
  }
  return [...names];
}
