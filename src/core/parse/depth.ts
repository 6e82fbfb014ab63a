// Cuts out the parts of a text nested deeper than a limit, before it is parsed: the parser recurses once per level,
// and whether a deep file overflows the stack depends on how deep the stack already is (a scan and an edit would
// disagree), so a file nested deeper than the limit is always cut the same way.
// A sketch of JavaScript's lexical grammar is enough here: comments and string literals are skipped so their
// brackets do not count; a template literal's text is skipped but each `${` opens a level like a bracket, and the
// `}` that closes it returns to the template's text. Everything else counts ( [ { against ) ] }.

export interface DeepNestingCut {
  /** The text with each too-deep bracket and everything up to its match blanked (newlines kept, so offsets hold). */
  text: string;
  /** 1-based lines where a cut starts. */
  lines: number[];
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;
const BACKQUOTE = 0x60;
const DOLLAR = 0x24;
const OPEN_BRACE = 0x7b;

/** What the walk reports: an opening bracket at `index` (with its depth after opening), or a closing one. */
interface NestingVisitor {
  open(index: number, depth: number, line: number): void;
  close(index: number, depth: number): void;
}

/** Walks the brackets of `text` in order; returns the deepest level reached. Linear: every character is read once. */
function walkNesting(text: string, visitor?: NestingVisitor): number {
  // One entry per open level: true when it is a template's `${`, whose `}` returns to the template's text.
  const opened: boolean[] = [];
  let inTemplate = false;
  let deepest = 0;
  let line = 1;
  let i = 0;
  const n = text.length;
  const open = (at: number, template: boolean) => {
    opened.push(template);
    if (opened.length > deepest) deepest = opened.length;
    visitor?.open(at, opened.length, line);
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) {
      line++;
      i++;
    } else if (inTemplate) {
      if (c === BACKSLASH) {
        if (text.charCodeAt(i + 1) === NEWLINE) line++;
        i += 2;
      } else if (c === BACKQUOTE) {
        inTemplate = false;
        i++;
      } else if (c === DOLLAR && text.charCodeAt(i + 1) === OPEN_BRACE) {
        open(i, true);
        inTemplate = false;
        i += 2;
      } else {
        i++;
      }
    } else if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      for (let k = i; k < stop; k++) if (text.charCodeAt(k) === NEWLINE) line++;
      i = stop;
    } else if (c === 0x22 || c === 0x27) {
      i = quotedStringEnd(text, i, c);
    } else if (c === BACKQUOTE) {
      inTemplate = true;
      i++;
    } else if (c === 0x28 || c === 0x5b || c === OPEN_BRACE) {
      open(i, false);
      i++;
    } else if (c === 0x29 || c === 0x5d || c === 0x7d) {
      const wasTemplate = opened.length > 0 ? opened.pop()! : false;
      visitor?.close(i, opened.length);
      if (wasTemplate) inTemplate = true;
      i++;
    } else {
      i++;
    }
  }
  return deepest;
}

/** Just past the quoted string opening at `i` with `quote`: at its closing quote or, unterminated, at the end of its line. */
function quotedStringEnd(text: string, i: number, quote: number): number {
  const n = text.length;
  let k = i + 1;
  while (k < n) {
    const d = text.charCodeAt(k);
    if (d === quote || d === NEWLINE || d === CR) break;
    k += d === BACKSLASH ? 2 : 1;
  }
  return k < n && text.charCodeAt(k) === quote ? k + 1 : k;
}

/** The characters that matter to nesting outside template text: quotes, `/`, brackets. */
const NESTING_CHAR = new Uint8Array(128);
for (const c of '\'"`/([{)]}') NESTING_CHAR[c.charCodeAt(0)] = 1;

/**
 * Whether any bracket is nested deeper than `maxDepth`: the same reading as walkNesting, without lines or a
 * visitor, keeping only the depth and where templates' `${` opened, and skipping the characters that do not
 * matter in one test each. Stops at the first level too deep.
 */
function nestedDeeperThan(text: string, maxDepth: number): boolean {
  // The depth before each open `${`, innermost last: the `}` that brings the depth back to it returns to template text.
  const templateDepths: number[] = [];
  let depth = 0;
  let inTemplate = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (inTemplate) {
      if (c === BACKSLASH) i += 2;
      else if (c === BACKQUOTE) {
        inTemplate = false;
        i++;
      } else if (c === DOLLAR && text.charCodeAt(i + 1) === OPEN_BRACE) {
        templateDepths.push(depth);
        if (++depth > maxDepth) return true;
        inTemplate = false;
        i += 2;
      } else i++;
    } else if (c >= 128 || NESTING_CHAR[c] === 0) {
      i++;
    } else if (c === SLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === SLASH) {
        const end = text.indexOf('\n', i);
        i = end === -1 ? n : end;
      } else if (next === STAR) {
        const end = text.indexOf('*/', i + 2);
        i = end === -1 ? n : end + 2;
      } else i++;
    } else if (c === 0x22 || c === 0x27) {
      i = quotedStringEnd(text, i, c);
    } else if (c === BACKQUOTE) {
      inTemplate = true;
      i++;
    } else if (c === 0x28 || c === 0x5b || c === OPEN_BRACE) {
      if (++depth > maxDepth) return true;
      i++;
    } else {
      // ) ] }: closes the innermost level, whatever opened it.
      if (depth > 0) {
        depth--;
        if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === depth) {
          templateDepths.pop();
          inTemplate = true;
        }
      }
      i++;
    }
  }
  return false;
}

/** Null when nothing is nested deeper than `maxDepth` (one pass, no allocation: the common case stays cheap). */
export function cutDeepNesting(text: string, maxDepth: number): DeepNestingCut | null {
  if (!nestedDeeperThan(text, maxDepth)) return null;
  const out = text.split('');
  const lines: number[] = [];
  let cutFrom = -1; // the index of the bracket that went too deep, while blanking
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  walkNesting(text, {
    open(index, depth, line) {
      if (depth > maxDepth && cutFrom === -1) {
        cutFrom = index;
        lines.push(line);
      }
    },
    close(index, depth) {
      if (cutFrom !== -1 && depth === maxDepth) {
        blank(cutFrom, index + 1);
        cutFrom = -1;
      }
    },
  });
  if (cutFrom !== -1) blank(cutFrom, text.length); // never closed: the rest of the file is the deep part
  return { text: out.join(''), lines };
}
