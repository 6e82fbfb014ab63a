// Narrows a file to the top-level statements that can take part in a request, so the parser and every pass after it skip the rest.
import { isIdentChar, regexEnd, REGEX_AFTER, REGEX_AFTER_WORDS, stringBodyEnd, templateTextEnd } from './code-text';

const NEWLINE = 0x0a;
const QUOTE_SINGLE = 0x27;
const QUOTE_DOUBLE = 0x22;
const BACKTICK = 0x60;
const SLASH = 0x2f;
const STAR = 0x2a;
const DOT = 0x2e;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const AT = 0x40;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
/** Stands for "an identifier" in `prev`. */
const IDENT = -1;

/** Words that start a top-level statement when a line begins with them (and the line before ended a statement). */
const STATEMENT_WORDS = new Set(['export', 'import', 'const', 'let', 'var', 'function', 'async', 'class', 'interface', 'type', 'enum', 'declare', 'abstract', 'namespace']);
/** Of those, the ones that are also ordinary identifiers: they start a statement only when a name (or pattern) follows. */
const SOFT_WORDS = new Set(['let', 'async', 'type', 'interface', 'enum', 'declare', 'abstract', 'namespace']);
const MODIFIERS = new Set(['export', 'default', 'declare', 'async', 'abstract']);
const NAMED = new Set(['function', 'class', 'interface', 'type', 'enum', 'namespace', 'module']);
const IMPORT_KEYWORDS = new Set(['type', 'as', 'from', 'typeof']);
/** Words after which a line break does not end the statement (`export default` + a function on the next line). */
const NO_END_WORDS = new Set(['export', 'default', 'declare', 'async', 'abstract', 'return', 'throw', 'new', 'typeof', 'void', 'delete', 'await', 'yield', 'in', 'of', 'instanceof', 'extends', 'implements', 'as', 'satisfies', 'case', 'else', 'do', 'keyof', 'readonly', 'unique', 'infer', 'is', 'asserts']);

/** What the declaration at the head of a statement still expects. */
const enum Decl {
  None,
  /** `export`, `default`, `async`...: the keyword that says what is declared comes next. */
  Modifiers,
  /** The name after `function`, `class`, `type`... */
  Name,
  /** A binding of `const`/`let`/`var`: a name or a `{`/`[` pattern. */
  Binding,
  /** Inside a destructuring pattern: every identifier counts. */
  Pattern,
  /** After a binding: a `,` at the top starts the next one. */
  AfterBinding,
  /** The names an import binds. */
  Import,
}

interface Chunk {
  start: number;
  /** Kept whatever it mentions: imports, re-exports and export lists (cheap, and parsing stays faithful). */
  forced: boolean;
  isImport: boolean;
  /** Top-level names it declares (a superset: a few identifiers of type annotations may be among them). */
  declared: string[];
  /** Its identifiers not after a `.`, as offsets into the flat position lists. */
  identFrom: number;
  identTo: number;
}

/** Below this share of the text left out, the full text is parsed as it is. */
const MIN_SAVING = 0.15;

/**
 * The text with every top-level statement that takes no part in a request blanked (spaces, with line breaks
 * kept, so every offset and line stays where it was), or null when there is nothing worth leaving out or the
 * text is not plain enough to split safely (then the whole text is parsed).
 *
 * A statement is kept when it mentions `fetch`, `axios` or `undici` in any case (in code, strings or comments),
 * or one of `words` (configured wrapper names, imported instance and wrapper names); then, until nothing changes,
 * every statement that mentions a name a kept statement declares, and every statement that declares a name a
 * kept statement uses. Imports, re-exports, export lists and the file's head (directives) are always kept.
 * What is left out can therefore neither define, call nor configure a request, nor hold a constant, a wrapper,
 * a region or a handler that a kept statement refers to; the results are the same as with the whole text
 * (test/unit/focus.test.ts compares them over every fixture). Comments above a statement stay with it, so
 * ignore directives keep their line.
 *
 * Statements are found without parsing: a line that starts (in column 0, outside any bracket, string, comment,
 * template or regex) with `export`, `import`, `const`, `function`, `class`... after a line that can end a
 * statement. When the brackets do not balance, the text is left whole; the caller also parses the whole text
 * when the narrowed one has syntax errors.
 */
export function focusText(text: string, words: readonly string[]): string | null {
  const chunks = splitStatements(text);
  if (chunks === null || chunks.chunks.length < 2) return null;
  const { identStarts, identEnds } = chunks;
  const list = chunks.chunks;
  const starts = list.map((c) => c.start);
  const chunkAt = (offset: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  const kept = new Uint8Array(list.length);
  const queue: number[] = [];
  const keep = (k: number): void => {
    if (kept[k] === 0) {
      kept[k] = 1;
      queue.push(k);
    }
  };
  // Forced chunks are kept, but what they declare and use is followed only when they matter by themselves.
  for (let k = 0; k < list.length; k++) if (list[k].forced) kept[k] = 1;
  keep(0);
  const needle = /fetch|axios|undici/gi;
  for (let m = needle.exec(text); m !== null; m = needle.exec(text)) {
    const k = chunkAt(m.index);
    kept[k] = 0;
    keep(k);
    needle.lastIndex = starts[k + 1] ?? text.length; // one hit is enough for a chunk
  }
  const relevant = new Set<string>();
  // Where the names that can be mentioned occur as whole words (code, strings and comments alike), found in one
  // pass over the text once more than a few are asked for: a search per name made a file that declares thousands
  // of names (a generated .d.ts-like module) quadratic.
  let occurrences: Map<string, number[]> | null = null;
  const mention = (name: string): void => {
    if (relevant.has(name)) return;
    relevant.add(name);
    if (occurrences === null && relevant.size > SEARCHES_BEFORE_INDEX && isWord(name)) {
      const names = new Set<string>();
      for (const w of words) if (isWord(w)) names.add(w);
      for (const chunk of list) for (const d of chunk.declared) if (isWord(d)) names.add(d);
      occurrences = wordPositions(text, names);
    }
    if (occurrences !== null && isWord(name)) {
      for (const at of occurrences.get(name) ?? []) {
        const k = chunkAt(at);
        if (kept[k] === 0) keep(k);
      }
      return;
    }
    for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + name.length)) {
      if ((at > 0 && isIdentChar(text.charCodeAt(at - 1))) || isIdentChar(text.charCodeAt(at + name.length))) continue;
      const k = chunkAt(at);
      if (kept[k] === 0) keep(k);
    }
  };
  for (const w of words) if (w) mention(w);

  const declaredBy = new Map<string, number[]>();
  for (let k = 0; k < list.length; k++) {
    if (list[k].isImport) continue;
    for (const name of list[k].declared) {
      const at = declaredBy.get(name);
      if (at) at.push(k);
      else declaredBy.set(name, [k]);
    }
  }
  while (queue.length > 0) {
    const k = queue.pop()!;
    const chunk = list[k];
    for (const name of chunk.declared) mention(name);
    if (chunk.isImport) continue;
    for (let t = chunk.identFrom; t < chunk.identTo; t++) {
      const decls = declaredBy.get(text.slice(identStarts[t], identEnds[t]));
      if (decls) for (const d of decls) keep(d);
    }
  }

  let droppedChars = 0;
  for (let k = 0; k < list.length; k++) if (kept[k] === 0) droppedChars += (starts[k + 1] ?? text.length) - starts[k];
  if (droppedChars < text.length * MIN_SAVING) return null;
  const parts: string[] = [];
  for (let k = 0; k < list.length; k++) {
    const piece = text.slice(starts[k], starts[k + 1] ?? text.length);
    // Line breaks stay (TypeScript counts \r, \n, U+2028 and U+2029), and every UTF-16 unit becomes one space.
    parts.push(kept[k] === 1 ? piece : piece.replace(/[^\n\r\u2028\u2029]+/g, (run) => ' '.repeat(run.length)));
  }
  return parts.join('');
}

/** Names searched for one by one (a native search each) before every candidate's places are found in one pass. */
const SEARCHES_BEFORE_INDEX = 16;

/** A name made only of identifier characters: its whole-word places are exactly the identifier runs equal to it. */
function isWord(name: string): boolean {
  if (name === '') return false;
  for (let i = 0; i < name.length; i++) if (!isIdentChar(name.charCodeAt(i))) return false;
  return true;
}

/** Where each of `names` occurs as a maximal run of identifier characters, in one pass over the text. */
function wordPositions(text: string, names: ReadonlySet<string>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  // A run is cut out of the text only when its first character and length match a name's.
  const keys = new Set<number>();
  for (const name of names) keys.add(name.charCodeAt(0) * 256 + Math.min(name.length, 255));
  const n = text.length;
  for (let i = 0; i < n; ) {
    if (!isIdentChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isIdentChar(text.charCodeAt(j))) j++;
    if (keys.has(text.charCodeAt(i) * 256 + Math.min(j - i, 255))) {
      const word = text.slice(i, j);
      if (names.has(word)) {
        const list = out.get(word);
        if (list) list.push(i);
        else out.set(word, [i]);
      }
    }
    i = j;
  }
  return out;
}

interface Split {
  chunks: Chunk[];
  identStarts: number[];
  identEnds: number[];
}

/** The top-level statements (or runs of them) of a text, or null when its brackets, strings or templates do not balance. */
export function splitStatements(text: string): Split | null {
  const n = text.length;
  const chunks: Chunk[] = [];
  const identStarts: number[] = [];
  const identEnds: number[] = [];
  let current: Chunk = { start: 0, forced: false, isImport: false, declared: [], identFrom: 0, identTo: 0 };
  chunks.push(current);
  let currentIsDecorator = false;
  let decl = Decl.None;
  let patternDepth = 0;
  let headWord = '';
  /** The last word of the statement's head while `decl` is Modifiers: `export {` / `export *` only right after `export`. */
  let lastHeadWord = '';

  let depth = 0;
  const templates: number[] = [];
  let inTemplate = false;
  let prev = 0;
  let wordStart = 0;
  let wordEnd = 0;
  let i = text.startsWith('#!') ? Math.max(0, text.indexOf('\n')) : 0;
  if (text.startsWith('#!') && i === 0) return null;
  /** Where the last token of code ended; -1 before the first (a shebang line counts as code). */
  let lastCodeEnd = i > 0 ? i : -1;
  /** The end of a block comment that starts on the line of the last code (`foo(); /* ...`): it belongs to that statement. */
  let trailingCommentEnd = -1;

  // A statement starts on the line after the previous one's last code (and any comment trailing it), so the
  // comments between two statements go with the second; before any code, the first chunk is the statement.
  const startChunk = (at: number): void => {
    if (lastCodeEnd === -1) return;
    current.identTo = identStarts.length;
    const eol = text.indexOf('\n', Math.max(lastCodeEnd, trailingCommentEnd));
    const start = eol === -1 || eol + 1 > at ? at : eol + 1;
    current = { start, forced: false, isImport: false, declared: [], identFrom: identStarts.length, identTo: 0 };
    chunks.push(current);
  };

  while (i < n) {
    if (inTemplate) {
      inTemplate = false;
      const end = templateTextEnd(text, i);
      if (end >= n) return null;
      // The template closes (a value ends here), or a `${` opens code one level deeper.
      const closes = text.charCodeAt(end) === BACKTICK;
      if (!closes) templates.push(depth++);
      prev = closes ? BACKTICK : OPEN_BRACE;
      i = end + (closes ? 1 : 2);
      if (closes) lastCodeEnd = i;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c <= 0x20) {
      i++;
      continue;
    }
    const lineStart = i === 0 || text.charCodeAt(i - 1) === NEWLINE;
    const canEnd = prev === 0 || prev === SEMICOLON || prev === CLOSE_BRACE || prev === CLOSE_PAREN || prev === CLOSE_BRACKET || prev === IDENT || prev === QUOTE_SINGLE || prev === QUOTE_DOUBLE || prev === BACKTICK;
    const atTop = lineStart && depth === 0 && templates.length === 0 && canEnd && !(prev === IDENT && NO_END_WORDS.has(text.slice(wordStart, wordEnd)));

    if (isIdentChar(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
      // `...shared` spreads a name (it is used, like any other); only a single `.` makes a property name.
      const afterDot = prev === DOT && !(i >= 3 && text.charCodeAt(i - 2) === DOT && text.charCodeAt(i - 3) === DOT);
      // Sliced only where a word can matter (a line start at the top, or the head of a declaration): most identifiers are neither.
      const word = atTop && j - i <= 9 ? text.slice(i, j) : '';
      if (word !== '' && STATEMENT_WORDS.has(word) && startsStatement(text, word, j)) {
        if (currentIsDecorator) currentIsDecorator = false;
        else startChunk(i);
        decl = Decl.Modifiers;
        headWord = '';
        lastHeadWord = '';
      }
      if (!afterDot) {
        identStarts.push(i);
        identEnds.push(j);
      }
      if (decl !== Decl.None && !afterDot) {
        const name = word || text.slice(i, j);
        switch (decl) {
          case Decl.Modifiers:
            if (headWord === '') headWord = name;
            lastHeadWord = name;
            if (MODIFIERS.has(name)) break;
            if (name === 'function' || NAMED.has(name)) decl = Decl.Name;
            else if (name === 'const' || name === 'let' || name === 'var') decl = Decl.Binding;
            else if (name === 'import' && headWord === 'import') {
              decl = Decl.Import;
              current.isImport = true;
              current.forced = true;
            } else decl = Decl.None;
            break;
          case Decl.Name:
            if (name === 'enum') break; // const enum X
            current.declared.push(name);
            decl = Decl.None;
            break;
          case Decl.Binding:
            if (name === 'enum') {
              decl = Decl.Name;
              break;
            }
            if (depth === 0) current.declared.push(name);
            decl = Decl.AfterBinding;
            break;
          case Decl.Pattern:
            current.declared.push(name);
            break;
          case Decl.Import:
            if (name === 'from') decl = Decl.None;
            else if (!IMPORT_KEYWORDS.has(name)) current.declared.push(name);
            break;
          default:
            break;
        }
      }
      wordStart = i;
      wordEnd = j;
      prev = IDENT;
      i = j;
      lastCodeEnd = j;
      continue;
    }
    if (atTop && c === AT) {
      if (!currentIsDecorator) startChunk(i);
      currentIsDecorator = true;
      decl = Decl.None;
    }
    if (c === QUOTE_SINGLE || c === QUOTE_DOUBLE) {
      const j = stringBodyEnd(text, i + 1, c);
      i = j < n && text.charCodeAt(j) === c ? j + 1 : j;
      prev = c;
      lastCodeEnd = i;
      if (decl === Decl.Import) decl = Decl.None;
      continue;
    }
    if (c === SLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === SLASH) {
        const eol = text.indexOf('\n', i);
        i = eol === -1 ? n : eol;
        continue;
      }
      if (next === STAR) {
        const close = text.indexOf('*/', i + 2);
        if (close === -1) return null;
        if (lastCodeEnd !== -1 && text.lastIndexOf('\n', i) < lastCodeEnd) trailingCommentEnd = close + 2;
        i = close + 2;
        continue;
      }
      if (prev === 0 || REGEX_AFTER.has(prev) || (prev === IDENT && REGEX_AFTER_WORDS.has(text.slice(wordStart, wordEnd)))) {
        const closed = regexEnd(text, i + 1);
        if (closed !== -1) {
          i = closed + 1;
          while (i < n && isIdentChar(text.charCodeAt(i))) i++;
          prev = CLOSE_BRACKET;
          lastCodeEnd = i;
          continue;
        }
      }
      prev = c;
      i++;
      lastCodeEnd = i;
      continue;
    }
    if (c === BACKTICK) {
      inTemplate = true;
      i++;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET || c === OPEN_PAREN) {
      if (depth === 0 && decl === Decl.Modifiers && lastHeadWord === 'export' && c === OPEN_BRACE) {
        current.forced = true; // export { a, b } [from '../...']
        decl = Decl.None;
      } else if (depth === 0 && decl === Decl.Binding && c !== OPEN_PAREN) {
        decl = Decl.Pattern;
        patternDepth = 0;
      }
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET || c === CLOSE_PAREN) {
      depth--;
      if (depth < 0) return null;
      if (decl === Decl.Pattern && depth === patternDepth) decl = Decl.AfterBinding;
      if (c === CLOSE_BRACE && templates.length > 0 && templates[templates.length - 1] === depth) {
        templates.pop();
        inTemplate = true;
        i++;
        continue;
      }
    } else if (depth === 0) {
      if (c === STAR && decl === Decl.Modifiers && lastHeadWord === 'export') {
        current.forced = true; // export * from '../...'
        decl = Decl.None;
      } else if (c === COMMA && decl === Decl.AfterBinding) decl = Decl.Binding;
      else if (c === SEMICOLON) decl = Decl.None;
    }
    prev = c;
    i++;
    lastCodeEnd = i;
  }
  if (depth !== 0 || templates.length > 0 || inTemplate) return null;
  current.identTo = identStarts.length;
  return { chunks, identStarts, identEnds };
}

/** Whether `word` (ending at `end`) begins a statement: `import(`/`import.meta` do not, nor a soft word used as a name. */
function startsStatement(text: string, word: string, end: number): boolean {
  let j = end;
  while (j < text.length && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09)) j++;
  const next = text.charCodeAt(j);
  if (word === 'import') return next !== OPEN_PAREN && next !== DOT;
  if (!SOFT_WORDS.has(word)) return true;
  if (j === end) return false; // `type=`, `let(`: not followed by a space
  return isIdentChar(next) || (word === 'let' && (next === OPEN_BRACE || next === OPEN_BRACKET));
}
