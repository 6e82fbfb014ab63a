// Analyses one file's text (parse, detect, runtime signals) the same way in the main thread and in worker threads.
import { collectFileSignals, type FileSignals } from '../classify';
import { isIdentChar } from '../parse/code-text';
import type ts from 'typescript';
import type { PackageInfo } from '../graph/packages';
import { parseSource } from '../parse/parser';
import { detectFile, type DetectContext, type FileDetection, type HttpShape } from '../detect/detect';
import { focusText } from '../parse/focus';
import { libraryTable, type LibraryModel, type LibraryTable } from '../detect/libraries';
import { cutDeepNesting } from '../parse/depth';

export interface AnalyzeRequest {
  rel: string;
  /** Script text: `.vue`/`.svelte` already blanked by `toScriptText`, BOM removed. */
  text: string;
  /** Parse and detect; false for files that cannot contain a call (their signals come from the text alone). */
  parse: boolean;
  externals?: Record<string, HttpShape>;
  /** False to parse the whole text even where statements could be left out (tests compare the two). */
  focus?: boolean;
  /** Signals already collected from this same text with its syntax tree: re-detection after an imported definition changed. */
  signals?: FileSignals;
  /** `apiAtlas.clients`: library models added to the built-in table. */
  clients?: readonly LibraryModel[];
}

export interface AnalyzeResult {
  rel: string;
  /** Null when the engine left them for later (a file that needs no parse; see AtlasIndex.classifyAll). */
  signals: FileSignals | null;
  detection: FileDetection | null;
  /** Why the file could not be analysed (it is then listed in `stats.skipped`). */
  error?: string;
}

/**
 * Whether a file's text can hold a request by itself: a `fetch(` call, an axios or fetch-package import, a
 * global `axios(`/`axios.x(` call, or a configured wrapper name. Cheaper than parsing, and most files fail
 * it. Files that call an imported instance or wrapper are found through the import graph instead.
 */
const MAY_CALL = /\bfetch\s*(?:\?\.\s*)?\(|['"](?:axios|node-fetch|cross-fetch|isomorphic-fetch|undici)['"]|\baxios\s*(?:\.\s*[\w$]+\s*)?\(|\bfetch\s*[,;)}\]]|=\s*fetch\b/;

export function mayContainCall(text: string, wrapperNames: readonly string[], externalNames: readonly string[] = [], libraries: LibraryTable = libraryTable()): boolean {
  if ((text.includes('fetch') || text.includes('axios')) && MAY_CALL.test(text)) return true;
  if (importsLibrary(text, libraries)) return true;
  for (const w of wrapperNames) if (text.includes(w)) return true;
  for (const n of externalNames) if (mayUseDefinition(text, n)) return true;
  return false;
}

/**
 * Whether the text imports one of the library table's packages (`from 'swr'`, `require('ky')`), or uses a name a
 * model lets frameworks auto-import (`$fetch`, `useFetch(`): such a file can make a request without the word fetch.
 */
export function importsLibrary(text: string, libraries: LibraryTable): boolean {
  return libraryTest(libraries)(text);
}

const tests = new WeakMap<LibraryTable, (text: string) => boolean>();
/** A character that makes a name before `(` a property or part of a longer name. */
const NAME_OR_DOT = /[\w$.]/;

function libraryTest(libraries: LibraryTable): (text: string) => boolean {
  let test = tests.get(libraries);
  if (test) return test;
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const packages = libraries.packages.map(escape).join('|');
  const globals = [...new Set(libraries.models.flatMap((m) => Object.keys(m.globals?.names ?? {})))].map(escape).join('|');
  const quoted = new RegExp(`['"](?:${packages})['"]`);
  // A global called at the start of the text or after a character that is no name or dot: the names are matched
  // first and that character checked by hand, since a pattern that starts with a character class is tried at
  // every offset of the text (this runs on every file of the workspace).
  const called = globals ? new RegExp(`(?:${globals})\\s*\\(`, 'g') : null;
  test = (text: string): boolean => {
    if (quoted.test(text)) return true;
    if (!called) return false;
    called.lastIndex = 0;
    for (let m = called.exec(text); m !== null; m = called.exec(text)) {
      if (m.index === 0 || !NAME_OR_DOT.test(text[m.index - 1])) return true;
      called.lastIndex = m.index + 1;
    }
    return false;
  };
  tests.set(libraries, test);
  return test;
}

/**
 * Whether a file may call (or alias, or hold) `name`, an instance or wrapper it imports: some occurrence of the
 * word is neither in an import clause nor a bare argument (`useSWR(key, fetcher)` passes a wrapper to a library,
 * which calls it where this tool cannot see). Most importers of a common wrapper only do that, and are not parsed.
 */
export function mayUseDefinition(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + name.length)) {
    const end = at + name.length;
    if ((at > 0 && isIdentChar(text.charCodeAt(at - 1))) || isIdentChar(text.charCodeAt(end))) continue;
    const before = at > 0 ? text.charCodeAt(at - 1) : 0;
    // In a module path (`'./fetcher'`), a string, or a property of something else (`swr.fetcher`): not the binding.
    if (before === 0x2f || before === 0x27 || before === 0x22 || (before === 0x2e && text.charCodeAt(at - 2) !== 0x2e)) continue;
    if (!isImportedName(text, at, end) && !isBareArgument(text, at, end)) return true;
  }
  return false;
}

function previousCode(text: string, at: number): number {
  let j = at - 1;
  while (j >= 0 && text.charCodeAt(j) <= 0x20) j--;
  return j;
}

function nextCode(text: string, at: number): number {
  let j = at;
  while (j < text.length && text.charCodeAt(j) <= 0x20) j++;
  return j;
}

/** `import name from`, `import { a, name } from`, `import { x as name }` (multi-line lists too). */
function isImportedName(text: string, at: number, end: number): boolean {
  const before = text.slice(Math.max(0, at - 400), at);
  const statement = before.slice(before.lastIndexOf(';') + 1);
  const m = /(?:^|[\n;])\s*import\s+(?:type\s+)?([\w$]+\s*,\s*)?(\{[^}();=]*)?$/.exec(statement);
  if (!m) return false;
  const after = text.charCodeAt(nextCode(text, end));
  // `import name from` / `import name, {` / inside the braces, before `,` or `}`.
  return m[2] === undefined ? after === 0x66 /* f(rom) */ || after === 0x2c : after === 0x2c || after === 0x7d;
}

/** An argument on its own (`f(a, name)`, `f(name)`): after `(` or `,` and before `)` or `,`, inside parentheses. */
function isBareArgument(text: string, at: number, end: number): boolean {
  const prev = previousCode(text, at);
  const before = prev < 0 ? 0 : text.charCodeAt(prev);
  const after = text.charCodeAt(nextCode(text, end));
  if ((before !== 0x28 && before !== 0x2c) || (after !== 0x29 && after !== 0x2c)) return false;
  if (before === 0x28) return true;
  // After a comma: the innermost open bracket must be a parenthesis (not an array, object or type list).
  let depth = 0;
  for (let j = prev - 1, steps = 0; j >= 0 && steps < 2000; j--, steps++) {
    const c = text.charCodeAt(j);
    if (c === 0x29 || c === 0x5d || c === 0x7d) depth++;
    else if (c === 0x28 || c === 0x5b || c === 0x7b) {
      if (depth === 0) return c === 0x28;
      depth--;
    } else if (c === 0x3b) return false;
  }
  return false;
}

/** The last segment of each configured wrapper name (`api.get` → `get`): what a file must contain to call it. */
export function wrapperNeedles(wrappers: readonly string[]): string[] {
  return wrappers.map((w) => w.split('.').pop()!).filter((w) => w.length > 0);
}

/**
 * Parses and detects one file, then collects its runtime signals while the syntax tree is alive (regions
 * such as `getServerSideProps` need it); the tree is dropped on return. Never throws: a failure comes back
 * as `error` with the signals the text alone gives.
 */
export function analyzeFile(req: AnalyzeRequest, pkg: PackageInfo | null, wrappers: readonly string[], trees?: TreeCache): AnalyzeResult {
  if (!req.parse) return { rel: req.rel, signals: collectFileSignals(req.rel, req.text, pkg), detection: null };
  // Nested deeper than the parser can be trusted with: whether it overflows the stack depends on how deep the stack
  // already is, so the same file could parse in a scan and fail in an edit. The too-deep parts are cut out first,
  // every time, and the rest analysed; the file is listed as skipped in part, with the lines cut.
  const deep = cutDeepNesting(req.text, MAX_NESTING);
  if (deep) {
    const partial = analyzeFile({ ...req, text: deep.text }, pkg, wrappers, trees);
    return partial.error ? partial : { ...partial, error: `could not be analysed in part: nested deeper than ${MAX_NESTING} brackets from line ${deep.lines.join(', ')} (that part was left out)` };
  }
  try {
    const libraries = libraryTable(req.clients);
    const sf = parseFocused(req, wrappers, libraries, trees);
    const ctx: DetectContext = { wrappers, externals: req.externals, libraries, libraryGlobals: libraries.globalsFor(pkg?.dependencies) };
    const detection = detectFile(sf, req.rel, ctx);
    const signals = req.signals ?? collectFileSignals(req.rel, req.text, pkg, sf);
    return { rel: req.rel, signals, detection };
  } catch (err) {
    // The stack overflowed although nothing is nested deeper than MAX_NESTING (the caller's stack was already deep):
    // a quarter of the depth is kept instead.
    const cut = err instanceof RangeError ? cutDeepNesting(req.text, MAX_NESTING / 4) : null;
    if (cut) {
      const partial = analyzeFile({ ...req, text: cut.text }, pkg, wrappers, trees);
      if (!partial.error) return { ...partial, error: `could not be analysed in part: nested deeper than ${MAX_NESTING / 4} brackets from line ${cut.lines.join(', ')} (that part was left out)` };
    }
    let error = `could not be analysed: ${messageOf(err)}`;
    let signals: FileSignals;
    try {
      signals = collectFileSignals(req.rel, req.text, pkg);
    } catch (signalsErr) {
      signals = emptySignals(req.rel);
      error += `; its runtime signals failed too: ${messageOf(signalsErr)}`;
    }
    return { rel: req.rel, signals, detection: null, error };
  }
}

/**
 * The syntax tree detection works on: of the statements that can take part in a request (see focusText), or
 * of the whole text when nothing can be left out, the file is a component (its template may use any function)
 * or the narrowed text does not parse cleanly. Positions and lines are those of the whole text either way.
 */
function parseFocused(req: AnalyzeRequest, wrappers: readonly string[], libraries: LibraryTable, trees: TreeCache | undefined): ts.SourceFile {
  const words = [...wrappers.flatMap((w) => w.split('.')), ...Object.keys(req.externals ?? {})];
  // The tree depends on the text and the words only (and the focus flag, fixed per index).
  const wordsKey = trees ? [...new Set(words)].sort().join('\0') : '';
  const kept = trees?.get(req.rel, req.text, wordsKey);
  if (kept) return kept;
  const sf = parseFocusedAfresh(req, words, libraries);
  trees?.set(req.rel, req.text, wordsKey, sf);
  return sf;
}

function parseFocusedAfresh(req: AnalyzeRequest, words: readonly string[], libraries: LibraryTable): ts.SourceFile {
  // A library's request need not mention fetch (`useSWR(key, getJson)`, `build.query(...)`): such files are parsed whole.
  if (req.focus === false || COMPONENT_FILE.test(req.rel) || importsLibrary(req.text, libraries)) return parseSource(req.rel, req.text);
  const focused = focusText(req.text, words);
  if (focused !== null) {
    const sf = parseSource(req.rel, focused);
    if (!hasSyntaxErrors(sf)) return sf;
  }
  return parseSource(req.rel, req.text);
}

/**
 * Syntax trees of the last analyses, by file, text and focus words: re-detecting a file whose text did not
 * change (a definition it imports did: a header edited in a wrapper 126 files call) reuses its tree instead of
 * focusing and parsing it again. Detection keeps its state in maps beside the tree, never on it, so one tree
 * serves any number of detections. Bounded by the text it holds (a tree takes about ten times its text); the
 * least recent go first. The index keeps one for re-detections; full scans parse without it.
 */
export class TreeCache {
  private readonly trees = new Map<string, { text: string; words: string; sf: ts.SourceFile }>();
  private chars = 0;

  constructor(private readonly maxChars = 1_000_000) {}

  get(rel: string, text: string, words: string): ts.SourceFile | undefined {
    const kept = this.trees.get(rel);
    if (!kept || kept.text !== text || kept.words !== words) return undefined;
    // Most recent last: eviction takes from the front.
    this.trees.delete(rel);
    this.trees.set(rel, kept);
    return kept.sf;
  }

  set(rel: string, text: string, words: string, sf: ts.SourceFile): void {
    const old = this.trees.get(rel);
    if (old) {
      this.trees.delete(rel);
      this.chars -= old.text.length;
    }
    if (text.length > this.maxChars / 4) return;
    this.trees.set(rel, { text, words, sf });
    this.chars += text.length;
    for (const [oldest, entry] of this.trees) {
      if (this.chars <= this.maxChars) break;
      this.trees.delete(oldest);
      this.chars -= entry.text.length;
    }
  }

  clear(): void {
    this.trees.clear();
    this.chars = 0;
  }
}

const COMPONENT_FILE = /\.(vue|svelte|astro)$/i;
/** Brackets nested deeper than this are cut out before parsing; no hand-written code comes near. */
const MAX_NESTING = 256;

function hasSyntaxErrors(sf: ts.SourceFile): boolean {
  // Not in the public typings, but present on every parsed file since TypeScript 2.
  return ((sf as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics?.length ?? 0) > 0;
}

export function emptySignals(rel: string): FileSignals {
  return { rel, evidence: [], contexts: [], regions: [], directive: null, boundary: null, entry: false, test: false };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
