// Which identifiers read a runtime's globals (window, document, process, __dirname, import.meta...): text decides plain uses, scopes decide the rest.
import { matchAt, type CodeScan, type IdentifierHit } from '../parse/code-text';
import { parseSource } from '../parse/parser';
import { cutDeepNesting } from '../parse/depth';
import { nodesInOrder } from '../parse/syntax-order';
import { globalReferenceOffsets } from '../parse/scope';

export const BROWSER_GLOBALS = ['window', 'document', 'localStorage', 'sessionStorage', 'navigator', 'indexedDB', 'requestAnimationFrame', 'matchMedia', 'IntersectionObserver', 'ResizeObserver', 'MutationObserver'];
/** Globals that count as evidence only where the name is not a local binding, a property name or a key. */
const SCOPED_GLOBALS: ReadonlySet<string> = new Set([...BROWSER_GLOBALS, 'process', '__dirname', '__filename', 'require']);
/** What follows `process` / `import.meta` (sticky, matched right after the identifier). */
export const PROCESS_MEMBER = /\s*\.\s*(argv|exit|cwd|chdir|stdin|stdout|stderr|client|server|browser)\b/y;
const META_MEMBER = /\s*\.\s*(dirname|filename|main|client|server|env\s*\.\s*SSR)\b/y;

/** Tells whether one identifier hit reads the global of that name. */
export type GlobalTest = (hit: IdentifierHit) => boolean;

/** The character after a name that can only be a use of it (`document.title`, `require(`, `window[k]`, `window?.x`). */
function followedByUse(code: string, end: number): boolean {
  let i = end;
  while (i < code.length && (code[i] === ' ' || code[i] === '\t')) i++;
  const c = code[i];
  return c === '.' || c === '(' || c === '[' || c === '?';
}

/**
 * Whether each hit of a scoped global is the global. When every hit is plainly a use (`document.title`,
 * `process.argv`) the text decides; when one could bind or key the name (`function toRow(document)`,
 * `{ document: router }`, `{ data: document }`), the file's code is parsed once and each name resolved in
 * its scopes, so a parameter or a database document never reads as the browser's.
 */
export function globalTest(rel: string, code: string, scan: CodeScan): GlobalTest {
  let ambiguous = false;
  for (const name of SCOPED_GLOBALS) {
    const list = scan.hits.get(name);
    if (list?.some((h) => h.declared || (!h.afterDot && !h.afterTypeof && !followedByUse(code, h.index + name.length)))) {
      ambiguous = true;
      break;
    }
  }
  if (!ambiguous) return () => true;
  let sf: ReturnType<typeof parseSource>;
  try {
    sf = parseSource(rel, code);
  } catch (err) {
    // Nesting deep enough to overflow the parser's stack: parse with the too-deep brackets blanked (offsets kept),
    // as analysis does; if even that fails, every hit counts as the global, as text alone would say.
    const cut = err instanceof RangeError ? cutDeepNesting(code, 256) : null;
    if (!cut) return () => true;
    try {
      sf = parseSource(rel, cut.text);
    } catch {
      return () => true;
    }
  }
  const offsets = globalReferenceOffsets(sf, SCOPED_GLOBALS, nodesInOrder(sf));
  return (hit) => offsets.has(hit.index);
}

/** Members read off `import.meta` (`dirname`, `main`, `client`, `env.SSR`...), from the hits of `meta`. */
export function importMetaMembers(code: string, hits: CodeScan['hits']): string[] {
  const members: string[] = [];
  for (const h of hits.get('meta') ?? []) {
    if (!h.afterDot || !/import\s*\.\s*$/.test(code.slice(Math.max(0, h.index - 10), h.index))) continue;
    const m = matchAt(META_MEMBER, code, h.index + 4);
    if (m) members.push(m[1].replace(/\s+/g, ''));
  }
  return members;
}
