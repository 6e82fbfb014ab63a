// Finds the imports a route module uses only in its server exports (loader, action, getServerSideProps...), which the framework strips from the browser bundle.

/** A route module's server-only export: the function the framework runs on the server and strips from the browser bundle. */
const SERVER_EXPORT = /\bexport\s+(?:async\s+)?(?:function\s*\*?\s*|const\s+)(loader|action|getServerSideProps|getStaticProps|getStaticPaths)\b/g;
/** A top-level function of the module that is not exported: `async function name(` or `const name = async (`. */
const LOCAL_FUNCTION = /(?:^|\n)(?:async\s+)?function\s*\*?\s*([\w$]+)|(?:^|\n)const\s+([\w$]+)\s*(?::[^=\n]+)?=\s*(?:async\s*)?(?=\(|[\w$]+\s*=>)/g;
// The clause starts and ends on a non-blank and is bounded, so runs of blanks cannot be split three ways (cubic time).
const IMPORT_CLAUSE = /(?:^|[;\n])[^\S\n]*import\s+(?=\S)(?!type\b)([\w$,{}*](?:[\w$\s{},*]{0,2000}?[\w$,{}*])?)\s+from\s*['"]/g;

/** The body span of the function that starts at `from` (`(args) {`, `= async (args) => {`), in masked text. */
function bodySpan(masked: string, from: number): { start: number; end: number } | null {
  let paren = 0;
  for (let i = from; i < masked.length; i++) {
    const c = masked[i];
    if (c === '=' && masked[i + 1] === '>' && paren === 0 && !/^\s*\{/.test(masked.slice(i + 2, i + 40))) {
      // An expression body (`async () => ({ … })`): it runs to the end of the statement.
      let depth = 0;
      for (let j = i + 2; j < masked.length; j++) {
        const d = masked[j];
        if (d === '(' || d === '{' || d === '[') depth++;
        else if (d === ')' || d === '}' || d === ']') depth--;
        if (depth < 0 || (depth === 0 && (d === ';' || (d === '\n' && /^\n\S/.test(masked.slice(j, j + 2)))))) return { start: i + 2, end: j };
      }
      return { start: i + 2, end: masked.length };
    }
    if (c === '(') paren++;
    else if (c === ')') paren--;
    else if (c === ';' && paren === 0) return null;
    else if (c === '{' && paren === 0) {
      const before = masked.slice(Math.max(from, i - 3), i).trimEnd();
      if (!before.endsWith(')') && !before.endsWith('=>')) continue;
      let depth = 0;
      for (let j = i; j < masked.length; j++) {
        if (masked[j] === '{') depth++;
        else if (masked[j] === '}' && --depth === 0) return { start: i, end: j + 1 };
      }
      return null;
    }
  }
  return null;
}

/**
 * The local names of imports that a route module uses only inside its server exports (`loader`, `action`,
 * `getServerSideProps`...). React Router, Remix and Next.js remove those exports, and the imports only they use,
 * from the browser bundle, so such an import does not carry the page's browser side to what it imports.
 */
export function serverOnlyImports(code: string, masked: string): string[] {
  const spans: { start: number; end: number }[] = [];
  for (const m of masked.matchAll(SERVER_EXPORT)) {
    const span = bodySpan(masked, m.index + m[0].length);
    if (span) spans.push(span);
  }
  if (spans.length === 0) return [];
  const usesOf = (name: string, after: number) =>
    // `typeof handleLoader` in a type annotation is no call: it leaves nothing in the bundle.
    [...masked.slice(after).matchAll(new RegExp(`(?<![\\w$.])(?<!\\btypeof\\s+)${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))].map((u) => u.index + after);
  const inServer = (at: number) => spans.some((sp) => sp.start <= at && at < sp.end);
  // Helpers of the module that only the server exports call (`async function handleLoader()`) are server-only too.
  const helpers: { name: string; decl: number; span: { start: number; end: number } }[] = [];
  for (const m of masked.matchAll(LOCAL_FUNCTION)) {
    const name = m[1] ?? m[2];
    const span = bodySpan(masked, m.index + m[0].length);
    if (span) helpers.push({ name, decl: m.index, span });
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const h of helpers) {
      if (spans.includes(h.span)) continue;
      const uses = usesOf(h.name, 0).filter((at) => at < h.decl || at > h.span.start);
      const outside = uses.filter((at) => !(at >= h.decl && at < h.span.end));
      if (outside.length > 0 && outside.every(inServer)) {
        spans.push(h.span);
        grew = true;
      }
    }
  }
  const locals: { name: string; end: number }[] = [];
  for (const m of masked.matchAll(IMPORT_CLAUSE)) {
    const clause = code.slice(m.index, m.index + m[0].length);
    const end = m.index + m[0].length;
    const inner = /\{([^{}]*)\}/.exec(clause)?.[1];
    for (const part of inner?.split(',') ?? []) {
      const local = part.trim().replace(/^type\s+/, '').split(/(?<!\s)\s+as\s+/).pop()?.trim();
      if (local && /^[\w$]+$/.test(local) && !/^type\s/.test(part.trim())) locals.push({ name: local, end });
    }
    const outer = clause.replace(/\{[^{}]*\}/, '').replace(/^[;\n\s]*import\s+/, '').replace(/(?<!\s)\s+from\s*['"]$/, '');
    for (const piece of outer.split(',')) {
      const name = piece.trim().replace(/^\*\s*as\s+/, '');
      if (/^[\w$]+$/.test(name)) locals.push({ name, end });
    }
  }
  const out: string[] = [];
  for (const { name, end } of locals) {
    const uses = usesOf(name, end);
    if (uses.length > 0 && uses.every(inServer)) out.push(name);
  }
  return out;
}
