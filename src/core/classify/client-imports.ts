// Finds, from a module's text alone, the imports it uses only in code that runs in the browser: client data hooks' callbacks, effects, JSX event handlers, `next/dynamic(…, { ssr: false })`.
//
// Most modules that import a request module make no request of their own, so they are never parsed: these
// answers come from the masked text (comments and literal contents blanked, offsets kept), like the server-only
// imports of a route module. They let the import graph stop the server side at such an import, and place each
// method of an exported service object (`ArenaService.getRooms`) by where its importers call it.

import { isIdentChar } from '../parse/code-text';

/** Hooks whose callbacks (`queryFn`, `mutationFn`, a fetcher) run only in the browser, not during server rendering. */
const DATA_HOOKS = ['useSWR', 'useSWRInfinite', 'useSWRImmutable', 'useSWRMutation', 'useQuery', 'useQueries', 'useInfiniteQuery', 'useMutation'];
/** Hooks whose whole callback runs only in the browser, after mounting or on navigation. */
const EFFECT_HOOKS = ['useEffect', 'useLayoutEffect', 'useInsertionEffect', 'onMounted', 'onBeforeMount', 'onUpdated', 'onActivated', 'onMount', 'afterUpdate', 'afterNavigate'];
/** What stays browser-only in Vue code: mutations and the lifecycle hooks that run after mounting. */
const VUE_CLIENT_HOOKS = new Set(['useMutation', 'useSWRMutation', ...EFFECT_HOOKS]);
/** Words before `(…) {` that open a block, not a function body. */
const NOT_FUNCTION_HEADS = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'return', 'typeof', 'await', 'yield', 'in', 'of', 'new', 'delete', 'void']);
/** `name(`, with the name not a member (`x.useQuery`), then a run of same-line blanks. */
const HOOK_CALL = new RegExp(`(?<![\\w$.])(${[...DATA_HOOKS, ...EFFECT_HOOKS].join('|')})(?![\\w$])`, 'g');
/** A JSX attribute that binds an event: `onClick={`. */
const JSX_HANDLER = /(?<![\w$.-])on[A-Z][\w$]*[^\S\n]*=[^\S\n]*\{/g;
/** `const name = ` / `let name =` / `function name(`: a local function the module may hand to a handler or hook. */
// The blanks around a generator's `*` are one optional group, so a run of blanks cannot be split two ways.
const LOCAL_FUNCTION = /(?<![\w$.])(?:(?:const|let|var)[^\S\n]+([A-Za-z_$][\w$]*)[^\S\n]*(?::[^=\n]{0,200})?=(?!=)|function(?:[^\S\n]*\*)?[^\S\n]*([A-Za-z_$][\w$]*)[^\S\n]*\()/g;
/** The import clauses of the module (static imports only; `import type` is skipped). */
const IMPORT_STATEMENT = /(?<![\w$.])import(?=[\s{*])(?![^\S\n]*\()/g;

interface Span {
  start: number;
  end: number;
}

// Character tests by code, not by regex: these run for every character of the spans they look at.
/** Whether the character at `i` can be part of an identifier; false outside the text. */
function isIdentAt(text: string, i: number): boolean {
  return i >= 0 && i < text.length && isIdentChar(text.charCodeAt(i));
}

/** Blanks: the ASCII whitespace and control characters (masked text only holds those besides code). */
function isBlank(text: string, i: number): boolean {
  const n = text.charCodeAt(i);
  return n <= 32 || n === 0xa0 || n === 0xfeff;
}

function skipBlanks(text: string, i: number): number {
  while (i < text.length && isBlank(text, i)) i++;
  return i;
}

function skipBlanksBack(text: string, i: number): number {
  while (i >= 0 && isBlank(text, i)) i--;
  return i;
}

/** The index of the bracket that closes the one at `open` (masked text: no brackets hide in strings), or -1. */
function closingBracket(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    const c = masked[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

/** After a name: skip `<…>` type arguments (balanced, same statement) and blanks; the index of what follows. */
function afterTypeArguments(masked: string, i: number): number {
  i = skipBlanks(masked, i);
  if (masked[i] !== '<') return i;
  let depth = 0;
  for (let j = i; j < masked.length && j < i + 2000; j++) {
    const c = masked[j];
    if (c === '<') depth++;
    else if (c === '>' && masked[j - 1] !== '=') {
      depth--;
      if (depth === 0) return skipBlanks(masked, j + 1);
    } else if (c === ';' || c === '{' || c === ')') return i;
  }
  return i;
}

/**
 * Function bodies that start inside `span`: after `=>` (a block or an expression up to the `,`/`)`/`}`/`;` that
 * ends it) and after `(params) {` when a name or `function` precedes the parameters (not `if (…) {`).
 */
function functionBodies(masked: string, span: Span): Span[] {
  const bodies: Span[] = [];
  for (let i = span.start; i < span.end; i++) {
    const c = masked[i];
    if (c === '=' && masked[i + 1] === '>') {
      const at = skipBlanks(masked, i + 2);
      if (masked[at] === '{') {
        const close = closingBracket(masked, at);
        if (close !== -1) bodies.push({ start: at, end: close + 1 });
        continue;
      }
      let depth = 0;
      let j = at;
      for (; j < masked.length; j++) {
        const d = masked[j];
        if (d === '(' || d === '{' || d === '[') depth++;
        else if (d === ')' || d === '}' || d === ']') {
          if (depth === 0) break;
          depth--;
        } else if (depth === 0 && (d === ',' || d === ';')) break;
      }
      bodies.push({ start: at, end: j });
    } else if (c === '{') {
      const before = skipBlanksBack(masked, i - 1);
      if (masked[before] !== ')') continue;
      let depth = 0;
      let open = before;
      for (; open >= 0; open--) {
        if (masked[open] === ')') depth++;
        else if (masked[open] === '(' && --depth === 0) break;
      }
      const headEnd = skipBlanksBack(masked, open - 1);
      let headStart = headEnd;
      while (isIdentAt(masked, headStart)) headStart--;
      const head = masked.slice(headStart + 1, headEnd + 1);
      if (head === '' || NOT_FUNCTION_HEADS.has(head)) continue;
      const close = closingBracket(masked, i);
      if (close !== -1) bodies.push({ start: i, end: close + 1 });
    }
  }
  return bodies;
}

const within = (spans: readonly Span[], at: number) => spans.some((s) => s.start <= at && at < s.end);

/** Where a module's code runs only in the browser, as spans of its text; `bare` spans count only bare references. */
interface ClientSpans {
  /** Every use inside runs in the browser (an effect's callback, a function body handed to a data hook or handler). */
  whole: Span[];
  /** Arguments of a data hook or handler attribute: a use inside counts when it is a reference handed over, not a call made there. */
  handedOver: Span[];
}

function clientSpans(masked: string, vue: boolean): ClientSpans {
  const whole: Span[] = [];
  const handedOver: Span[] = [];
  for (const m of masked.matchAll(HOOK_CALL)) {
    // Vue query hooks (Pinia Colada, TanStack Vue Query) also fetch during server rendering; mutations do not.
    if (vue && !VUE_CLIENT_HOOKS.has(m[1])) continue;
    const open = afterTypeArguments(masked, m.index + m[0].length);
    if (masked[open] !== '(') continue;
    const close = closingBracket(masked, open);
    if (close === -1) continue;
    const args = { start: open + 1, end: close };
    if (EFFECT_HOOKS.includes(m[1])) whole.push(args);
    else {
      handedOver.push(args);
      whole.push(...functionBodies(masked, args));
    }
  }
  for (const m of masked.matchAll(JSX_HANDLER)) {
    const open = m.index + m[0].length - 1;
    const close = closingBracket(masked, open);
    if (close === -1) continue;
    const value = { start: open + 1, end: close };
    handedOver.push(value);
    whole.push(...functionBodies(masked, value));
  }
  return { whole, handedOver };
}

/** A use at `at` of a name `length` long (with any `.member` chain) is handed over when no `(` follows it: `queryFn: api.list`. */
function isHandedOver(masked: string, at: number, length: number): boolean {
  let i = at + length;
  for (;;) {
    const j = skipBlanks(masked, i);
    if (masked[j] === '.' || (masked[j] === '?' && masked[j + 1] === '.')) {
      let k = skipBlanks(masked, masked[j] === '.' ? j + 1 : j + 2);
      while (isIdentAt(masked, k)) k++;
      i = k;
      continue;
    }
    return masked[j] !== '(' && masked[j] !== '`';
  }
}

function isClientUse(spans: ClientSpans, masked: string, at: number, length: number): boolean {
  return within(spans.whole, at) || (within(spans.handedOver, at) && isHandedOver(masked, at, length));
}

/** Where each of `wanted` occurs as a whole identifier, in one pass over the text. */
function identifierPositions(masked: string, wanted: ReadonlySet<string>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (wanted.size === 0) return out;
  // An identifier is cut out of the text only when its first character and length match a wanted name's.
  const keys = new Set<number>();
  let longest = 0;
  for (const w of wanted) {
    longest = Math.max(longest, w.length);
    keys.add(w.charCodeAt(0) * 256 + Math.min(w.length, 255));
  }
  const n = masked.length;
  for (let i = 0; i < n; ) {
    if (!isIdentChar(masked.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isIdentChar(masked.charCodeAt(j))) j++;
    if (j - i <= longest && keys.has(masked.charCodeAt(i) * 256 + Math.min(j - i, 255))) {
      const word = masked.slice(i, j);
      if (wanted.has(word)) {
        const list = out.get(word);
        if (list) list.push(i);
        else out.set(word, [i]);
      }
    }
    i = j;
  }
  return out;
}

/** Uses of `name` as a value: not a member `x.name`, not an assignment target or a JSX attribute `name={…}`. */
function usesOf(masked: string, name: string, from: number, positions?: Map<string, number[]>): number[] {
  const out: number[] = [];
  const found = positions ? (positions.get(name) ?? []) : null;
  for (let k = 0, at = found ? (found[0] ?? -1) : masked.indexOf(name, from); at !== -1; at = found ? (found[++k] ?? -1) : masked.indexOf(name, at + name.length)) {
    if (!found && (isIdentAt(masked, at - 1) || isIdentAt(masked, at + name.length))) continue;
    const before = skipBlanksBack(masked, at - 1);
    if (masked[before] === '.' && masked[before - 1] !== '.') continue;
    // `onSubmit={…}` (a JSX attribute of the same name) or `name = …` (an assignment) does not read the binding.
    const after = skipBlanks(masked, at + name.length);
    if (masked[after] === '=' && masked[after + 1] !== '=' && masked[after + 1] !== '>') continue;
    out.push(at);
  }
  return out;
}

/** The import statements' spans and the local names they bind (`import A, { b as c, type D } from 'x'`, `import * as E`). */
export function importLocals(masked: string, code?: string, external?: (specifier: string) => boolean): { names: string[]; statements: Span[] } {
  const names: string[] = [];
  const statements: Span[] = [];
  for (const m of masked.matchAll(IMPORT_STATEMENT)) {
    const start = m.index;
    const from = masked.indexOf('from', start);
    const semi = masked.indexOf(';', start);
    const quote = skipBlanks(masked, from + 4);
    if (from === -1 || (semi !== -1 && semi < from) || from - start > 4000 || (masked[quote] !== "'" && masked[quote] !== '"')) continue;
    const close = masked.indexOf(masked[quote], quote + 1);
    statements.push({ start, end: close === -1 ? quote + 1 : close + 1 });
    // Names from an installed package (react, zod) lead to no workspace module: nothing to learn about them.
    if (external && code !== undefined && close !== -1 && external(code.slice(quote + 1, close))) continue;
    let clause = masked.slice(start + 'import'.length, from).trim();
    if (/^type\s/.test(clause)) continue;
    const braces = /\{([^{}]*)\}/.exec(clause);
    if (braces) {
      for (const part of braces[1].split(',')) {
        const trimmed = part.trim();
        if (trimmed === '' || /^type\s/.test(trimmed)) continue;
        const local = trimmed.split(/(?<!\s)\s+as\s+/).pop()!.trim();
        if (/^[A-Za-z_$][\w$]*$/.test(local)) names.push(local);
      }
      clause = clause.replace(braces[0], '');
    }
    for (const piece of clause.split(',')) {
      const local = piece.trim().replace(/^\*\s*as\s+/, '');
      if (/^[A-Za-z_$][\w$]*$/.test(local)) names.push(local);
    }
  }
  return { names, statements };
}

/**
 * Local functions (`const onSubmit = async () => {…}`, `function save() {…}`, `const cb = useCallback(() => …)`)
 * that are used only from browser-only code: their bodies are browser-only too. Repeats until nothing changes.
 * A body is worked out only for a function whose uses all qualify (most never do).
 */
function addClientHelpers(masked: string, spans: ClientSpans, skip: readonly Span[], componentScript: boolean, importNames: readonly string[]): Map<string, number[]> {
  const helpers: { name: string; decl: number; valueAt: number; generator: boolean; uses: number[] | null; body: Span[] | null; done: boolean }[] = [];
  const declared = new Map<string, number>();
  for (const m of masked.matchAll(LOCAL_FUNCTION)) {
    const name = m[1] ?? m[2];
    declared.set(name, (declared.get(name) ?? 0) + 1);
    const valueAt = m.index + m[0].length;
    // Only function values can be handlers: `const x = 5` is not one (checked on the next few characters only).
    if (m[1] !== undefined && !FUNCTION_VALUE_START.test(masked.slice(valueAt, valueAt + 60))) continue;
    // Where the name sits: after the keyword (`const`, `let`, `var`, `function`), never inside it.
    const decl = m.index + m[0].indexOf(name, m[1] !== undefined ? 3 : 8);
    helpers.push({ name, decl, valueAt, generator: m[2] !== undefined, uses: null, body: null, done: false });
  }
  // A name declared more than once (a local shadowing another) cannot be told apart from text: it is left alone.
  for (let i = helpers.length - 1; i >= 0; i--) if (declared.get(helpers[i].name)! > 1) helpers.splice(i, 1);
  if (helpers.length === 0) return identifierPositions(masked, new Set(importNames));
  const positions = identifierPositions(masked, new Set([...importNames, ...helpers.map((h) => h.name)]));
  const bodyOf = (h: (typeof helpers)[number]): Span[] => {
    if (h.body) return h.body;
    h.body = [];
    if (h.generator) {
      const open = masked.indexOf('(', h.valueAt - 1);
      const close = closingBracket(masked, open);
      const brace = close === -1 ? -1 : masked.indexOf('{', close);
      const end = brace === -1 ? -1 : closingBracket(masked, brace);
      if (end !== -1) h.body = [{ start: brace, end: end + 1 }];
      return h.body;
    }
    // The value: a function, or a useCallback call whose callback is the function.
    let at = skipBlanks(masked, h.valueAt);
    if (masked.startsWith('async', at)) at = skipBlanks(masked, at + 5);
    const callback = /^(?:React\s*\.\s*)?use(?:Callback|Event|EffectEvent)\s*\(/.exec(masked.slice(at, at + 40));
    const valueEnd = callback ? closingBracket(masked, masked.indexOf('(', at)) : statementEnd(masked, at);
    if (valueEnd !== -1 && (callback || /^(?:function\b|\(|[A-Za-z_$][\w$]*\s*=>)/.test(masked.slice(at, at + 200)))) {
      const bodies = functionBodies(masked, { start: at, end: valueEnd });
      if (bodies.length > 0) h.body = [bodies[0]];
    }
    return h.body;
  };
  for (let grew = true; grew; ) {
    grew = false;
    for (const h of helpers) {
      if (h.done) continue;
      h.uses ??= usesOf(masked, h.name, 0, positions).filter((at) => at !== h.decl && !within(skip, at));
      // In a component's script-only text (its template blanked), a function the script never uses is the template's
      // event handler; a Svelte `export function` is a prop or method for the parent, not one.
      const templateOnly =
        componentScript && h.uses.length === 0 && !/\bexport\s+(?:async\s+)?(?:function|const|let|var)(?:\s*\*)?\s*$/.test(masked.slice(Math.max(0, h.decl - 40), h.decl));
      if (!templateOnly && (h.uses.length === 0 || !h.uses.every((at) => isClientUse(spans, masked, at, h.name.length)))) continue;
      const body = bodyOf(h);
      // Recursion inside its own body says nothing about where it is called from.
      if (body.length === 0 || (!templateOnly && h.uses.every((at) => within(body, at)))) continue;
      h.done = true;
      spans.whole.push(...body);
      grew = true;
    }
  }
  return positions;
}

/** The start of a value that is a function: `async`, `function`, `(…) =>`, `x =>`, or a useCallback/useEvent call. */
const FUNCTION_VALUE_START = /^\s*(?:async\b|function\b|\(|[A-Za-z_$][\w$]*\s*=>|(?:React\s*\.\s*)?use(?:Callback|Event|EffectEvent)\s*\()/;

/** The end of a `const x = …` value: the `;` or line break at depth 0 that ends the statement. */
function statementEnd(masked: string, from: number): number {
  let depth = 0;
  for (let j = from; j < masked.length; j++) {
    const d = masked[j];
    if (d === '(' || d === '{' || d === '[') depth++;
    else if (d === ')' || d === '}' || d === ']') {
      if (--depth < 0) return j;
    } else if (depth === 0 && (d === ';' || (d === '\n' && !CONTINUES.includes(masked[skipBlanks(masked, j)] ?? '') && !CONTINUES.includes(masked[skipBlanksBack(masked, j)] ?? '')))) return j;
  }
  return masked.length;
}

/** Characters at the start of the next line or the end of this one that carry a statement over a line break. */
const CONTINUES = '.?:=&|+-*/,(';

/** Cheap test first: no hook call or JSX handler, nothing to find. */
const MAY_HAVE_CLIENT_CODE = new RegExp(`(?<![\\w$.])(?:${[...DATA_HOOKS, ...EFFECT_HOOKS].join('|')})(?![\\w$])|(?<![\\w$.-])on[A-Z][\\w$]*[^\\S\\n]*=[^\\S\\n]*\\{`);

/**
 * The local names of imports that the module uses only in browser-only code, and `local.member` for each member
 * read off an import (`ArenaService.getRooms`) whose every use is there. A use in browser-only code is one inside
 * a function handed to a client data hook (`queryFn: () => api.list()`), an effect's callback, a JSX `on…`
 * handler, a local function only those use, or a bare reference handed to one (`useSWR(key, fetcher)`); a call
 * made while rendering (`useQuery(listOptions())`) is not one. For the script-only text of a .vue/.svelte component
 * (`componentScript`), a local function its script never uses is a template event handler, browser-only too. In
 * Vue code (`vue`) query hooks run during server rendering as well, so only mutations and lifecycle hooks count.
 */
export function clientOnlyImports(masked: string, componentScript = false, vue = false): string[] {
  return analyzeImportUses(masked, { componentScript, vue }).clientOnly;
}

/** What a module's text says about its imports: those only browser code uses (see clientOnlyImports), and those read only through members (see importedMembers). */
export interface ImportUseOptions {
  /** The script-only text of a .vue/.svelte component (its template blanked). */
  componentScript?: boolean;
  /** Vue code: query hooks run during server rendering too. */
  vue?: boolean;
  /** The unmasked text, to read specifiers; with `external`, imports from installed packages are skipped. */
  code?: string;
  external?: (specifier: string) => boolean;
}

/** A bare specifier's package name (`@scope/name/sub` → `@scope/name`, `node:fs` → `node:fs`), or null for a path or alias. */
export function packageNameOf(specifier: string): string | null {
  if (/^(?:\.|\/|~|#|\$|@\/)/.test(specifier)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export function analyzeImportUses(masked: string, options: ImportUseOptions = {}): { clientOnly: string[]; members: Record<string, string[]> } {
  const { componentScript = false, vue = false } = options;
  const clientOnly: string[] = [];
  const members: Record<string, string[]> = {};
  const { names, statements } = importLocals(masked, options.code, options.external);
  if (names.length === 0) return { clientOnly, members };
  let spans: ClientSpans | null = null;
  let positions: Map<string, number[]> | null = null;
  if (componentScript || MAY_HAVE_CLIENT_CODE.test(masked)) {
    spans = clientSpans(masked, vue);
    if (componentScript || spans.whole.length > 0 || spans.handedOver.length > 0) positions = addClientHelpers(masked, spans, statements, componentScript, names);
    if (spans.whole.length === 0 && spans.handedOver.length === 0) spans = null;
  }
  for (const name of new Set(names)) {
    const uses = usesOf(masked, name, 0, positions ?? undefined).filter((at) => !within(statements, at));
    if (uses.length === 0) continue;
    // Per member: whether every use of it is browser-only; `whole` when the import is also read on its own.
    const read = new Map<string, boolean>();
    let whole = false;
    let all = spans !== null;
    for (const at of uses) {
      const client = spans !== null && isClientUse(spans, masked, at, name.length);
      all &&= client;
      const dot = skipBlanks(masked, at + name.length);
      const start = masked[dot] === '.' && masked[dot + 1] !== '.' ? skipBlanks(masked, dot + 1) : masked[dot] === '?' && masked[dot + 1] === '.' ? skipBlanks(masked, dot + 2) : -1;
      let end = start;
      while (start !== -1 && isIdentAt(masked, end)) end++;
      if (start === -1 || end === start) {
        whole = true;
        continue;
      }
      const member = masked.slice(start, end);
      read.set(member, (read.get(member) ?? true) && client);
    }
    if (all) clientOnly.push(name);
    else if (spans !== null) for (const [member, client] of read) if (client) clientOnly.push(`${name}.${member}`);
    if (!whole) members[name] = [...read.keys()];
  }
  return { clientOnly, members };
}

/** The `next/dynamic` call name the module imports (`import dynamic from 'next/dynamic'`), else null. */
function nextDynamicName(code: string, masked: string): string | null {
  for (const m of masked.matchAll(IMPORT_STATEMENT)) {
    const from = masked.indexOf('from', m.index);
    if (from === -1 || from - m.index > 400) continue;
    const quote = skipBlanks(masked, from + 4);
    const close = masked.indexOf(masked[quote], quote + 1);
    if (close === -1 || code.slice(quote + 1, close) !== 'next/dynamic') continue;
    const local = masked.slice(m.index + 'import'.length, from).trim().split(',')[0].trim();
    if (/^[A-Za-z_$][\w$]*$/.test(local)) return local;
  }
  return null;
}

/**
 * Modules a Next.js component loads with `dynamic(() => import('./Map'), { ssr: false })`: Next.js renders them
 * only in the browser, so the page's server side does not reach them. Returns the specifiers as written.
 */
export function ssrFalseImports(code: string, masked: string): string[] {
  if (!code.includes('next/dynamic') || !/\bssr\s*:\s*false\b/.test(masked)) return [];
  const name = nextDynamicName(code, masked);
  if (!name) return [];
  const out: string[] = [];
  for (const at of usesOf(masked, name, 0)) {
    const open = afterTypeArguments(masked, at + name.length);
    if (masked[open] !== '(') continue;
    const close = closingBracket(masked, open);
    if (close === -1) continue;
    const args = masked.slice(open, close);
    if (!/\bssr\s*:\s*false\b/.test(args)) continue;
    const imp = /(?<![\w$.])import\s*\(\s*(['"])/.exec(args);
    if (!imp) continue;
    const quote = open + imp.index + imp[0].length - 1;
    const end = masked.indexOf(masked[quote], quote + 1);
    if (end !== -1) out.push(code.slice(quote + 1, end));
  }
  return out;
}

/**
 * For each import the module reads only through members (`ArenaService.getRooms(…)`, never `ArenaService` on its
 * own), the members it reads: a method of an imported object that is not among them is never called from here.
 */
export function importedMembers(masked: string): Record<string, string[]> {
  return analyzeImportUses(masked).members;
}
