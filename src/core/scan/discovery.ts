// Finds the workspace's source files and reads them safely: ignore rules, size limits, binary, minified and non-UTF-8 files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { Settings, SkippedFile } from '../model/types';

export const SOURCE_EXTENSIONS = ['.js', '.jsx', '.ts', '.tsx', '.mjs', '.cjs', '.mts', '.cts', '.vue', '.svelte', '.astro'] as const;

/** Folders never worth indexing, wherever they are: dependencies, VCS data, the caches of the common toolchains. */
export const DEFAULT_EXCLUDED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  '.git',
  '.hg',
  '.svn',
  '.next',
  '.nuxt',
  '.output',
  '.svelte-kit',
  '.vercel',
  '.netlify',
  '.turbo',
  '.cache',
  '.parcel-cache',
  '.angular',
  '.expo',
  '.docusaurus',
  '.vscode-test',
]);

/**
 * Build output names. They are output only at a package root (beside a package.json) or the workspace root:
 * `packages/ui/dist` is a bundle, `src/build/steps.ts` is source.
 */
export const BUILD_OUTPUT_DIRS: ReadonlySet<string> = new Set(['dist', 'build', 'out', 'coverage', 'storybook-static', 'lib-cov']);

const DECLARATION_FILE = /\.d\.[cm]?ts$/;
const MINIFIED_NAME = /[.-]min\.[cm]?js$/;
const BUNDLE_NAME = /(^|[.-])(bundle|chunk)[.-][\w-]*\.[cm]?js$|\.chunk\.[cm]?js$/;
const TEST_PATH = /(^|\/)(__tests__|__mocks__|e2e|cypress|playwright)\/|\.(test|spec|e2e|cy)\.[cm]?[jt]sx?$/;

export interface DiscoveryResult {
  /** Paths relative to the root, forward slashes, sorted. */
  files: string[];
  skipped: SkippedFile[];
  /**
   * What the walk's stat of each file said (the size limit needs it): size, modification and change times. A scan
   * reuses it instead of asking again: taken before the file is read, it can only make a later write look newer.
   */
  meta: Map<string, FileMeta>;
}

/** A file's size and its modification and change times (ms), from one stat. */
export type FileMeta = readonly [size: number, mtimeMs: number, ctimeMs: number];

export interface DiscoveryOptions {
  /** More globs to exclude, e.g. VS Code's `files.exclude` keys that are on. */
  extraExclude?: string[];
  signal?: AbortSignal;
  /** The file system to walk; tests pass one that fails on purpose (root can read any folder). */
  fs?: WalkFs;
}

export type WalkFs = Pick<typeof fs.promises, 'readdir' | 'stat' | 'realpath' | 'readFile'>;

/**
 * A WalkFs that answers with the synchronous fs calls. On a warm disk cache each answer then costs microseconds
 * instead of a thread-pool round trip and a promise: the walk of a 7,000-file workspace took ~40 ms of the main
 * thread instead of ~210 ms (npm run bench), and the engine reads every file synchronously right after anyway.
 * Every `sliceMs` it waits for an event-loop turn before answering, so an extension host is never blocked longer.
 */
export function syncWalkFs(sliceMs: number): WalkFs {
  let sliceStart = performance.now();
  const answer = <T>(run: () => T): Promise<T> => {
    let value: T;
    try {
      value = run();
    } catch (err) {
      return Promise.reject(err as Error);
    }
    if (performance.now() - sliceStart < sliceMs) return Promise.resolve(value);
    return new Promise((resolve) =>
      setImmediate(() => {
        sliceStart = performance.now();
        resolve(value);
      }),
    );
  };
  return {
    // Only the Dirent form is asked for (withFileTypes), hence the cast from its overloads.
    readdir: ((dir: string): Promise<unknown> => answer(() => fs.readdirSync(dir, { withFileTypes: true }))) as WalkFs['readdir'],
    stat: ((p: string) => answer(() => fs.statSync(p))) as WalkFs['stat'],
    // The native realpath, as fs.promises.realpath uses, so links resolve the same way.
    realpath: ((p: string) => answer(() => fs.realpathSync.native(p))) as WalkFs['realpath'],
    readFile: ((p: string) => answer(() => fs.readFileSync(p, 'utf8'))) as WalkFs['readFile'],
  };
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

export function hasSourceExtension(rel: string): boolean {
  const lower = rel.toLowerCase();
  return SOURCE_EXTENSIONS.some((ext) => lower.endsWith(ext)) && !DECLARATION_FILE.test(lower);
}

export function isTestFile(rel: string): boolean {
  return TEST_PATH.test(rel);
}

function isMinifiedByName(fileName: string): boolean {
  return MINIFIED_NAME.test(fileName) || BUNDLE_NAME.test(fileName);
}

/** The same include/exclude decision the walk makes, for one path (used for file-watcher events). */
export interface FileFilter {
  isIncluded(rel: string): boolean;
}

interface GlobMatchers {
  include: (rel: string) => boolean;
  exclude: (rel: string) => boolean;
}

function compileGlobs(settings: Settings, extraExclude: string[] = []): GlobMatchers {
  const opts = { dot: true };
  const include = settings.include.length > 0 ? picomatch(settings.include, opts) : () => false;
  // picomatch throws on an empty pattern; an empty `files.exclude` key must not stop every scan.
  const excludeGlobs = [...settings.exclude, ...extraExclude].filter((glob) => glob.trim() !== '');
  const exclude = excludeGlobs.length > 0 ? picomatch(excludeGlobs, opts) : () => false;
  return { include, exclude };
}

/** Loads every `.gitignore` on the way from the root to `relDir` (cached), for the watcher's one-path checks. */
class GitignoreStack {
  private readonly cache = new Map<string, Ignore | null>();
  constructor(private readonly root: string) {}

  forDir(relDir: string): Ignore | null {
    if (this.cache.has(relDir)) return this.cache.get(relDir) ?? null;
    let ig: Ignore | null = null;
    try {
      const text = fs.readFileSync(path.join(this.root, relDir, '.gitignore'), 'utf8');
      ig = ignore().add(text);
    } catch {
      ig = null; // no .gitignore in this folder: nothing to add
    }
    this.cache.set(relDir, ig);
    return ig;
  }

  ignores(rel: string, isDir: boolean): boolean {
    const parts = rel.split('/');
    for (let i = 0; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      const ig = this.forDir(dir);
      if (!ig) continue;
      const sub = parts.slice(i).join('/') + (isDir ? '/' : '');
      if (ig.ignores(sub)) return true;
    }
    return false;
  }
}

export function createFileFilter(root: string, settings: Settings, extraExclude: string[] = []): FileFilter {
  const globs = compileGlobs(settings, extraExclude);
  const gitignore = new GitignoreStack(root);
  const packageRoots = new Map<string, boolean>();
  const isPackageRoot = (relDir: string): boolean => {
    if (relDir === '') return true;
    let known = packageRoots.get(relDir);
    if (known === undefined) {
      known = fs.existsSync(path.join(root, relDir, 'package.json'));
      packageRoots.set(relDir, known);
    }
    return known;
  };
  return {
    isIncluded(rel: string): boolean {
      rel = toPosix(rel);
      if (!hasSourceExtension(rel)) return false;
      if (globs.exclude(rel)) return false;
      if (isMinifiedByName(rel.slice(rel.lastIndexOf('/') + 1))) return false; // the walk lists it as skipped
      if (!settings.includeTests && isTestFile(rel)) return false;
      if (globs.include(rel)) return true;
      const parts = rel.split('/');
      for (let i = 0; i < parts.length - 1; i++) {
        if (DEFAULT_EXCLUDED_DIRS.has(parts[i])) return false;
        if (BUILD_OUTPUT_DIRS.has(parts[i]) && isPackageRoot(parts.slice(0, i).join('/'))) return false;
      }
      return !gitignore.ignores(rel, false);
    },
  };
}

/**
 * Walks the workspace. Skips dependencies, build output, `.gitignore`d and excluded paths silently (they are
 * the user's choice); lists in `skipped` what the user may expect to be indexed but is not (too large,
 * unreadable, symlink loops, minified bundles).
 */
export async function discoverFiles(root: string, settings: Settings, opts: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const globs = compileGlobs(settings, opts.extraExclude);
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const meta = new Map<string, FileMeta>();
  const maxBytes = settings.maxFileSizeKB * 1024;
  const visitedDirs = new Set<string>();
  const fsp: WalkFs = opts.fs ?? fs.promises;
  const rootReal = await fsp.realpath(root);

  async function walk(absDir: string, relDir: string, ignores: { base: string; ig: Ignore }[]): Promise<void> {
    if (opts.signal?.aborted) return;
    let real: string;
    try {
      real = await fsp.realpath(absDir);
    } catch (err) {
      skipped.push({ file: relDir || '.', reason: `cannot resolve folder: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    if (visitedDirs.has(real)) {
      skipped.push({ file: relDir || '.', reason: 'symlink loop or folder already indexed through another link' });
      return;
    }
    visitedDirs.add(real);

    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(absDir, { withFileTypes: true });
    } catch (err) {
      skipped.push({ file: relDir || '.', reason: `cannot read folder: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }

    const isPackageRoot = relDir === '' || entries.some((e) => e.name === 'package.json' && !e.isDirectory());
    let localIgnores = ignores;
    if (entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
      try {
        const text = await fsp.readFile(path.join(absDir, '.gitignore'), 'utf8');
        localIgnores = [...ignores, { base: relDir, ig: ignore().add(text) }];
      } catch (err) {
        skipped.push({ file: joinRel(relDir, '.gitignore'), reason: `cannot read .gitignore: ${(err as Error).message}` });
      }
    }
    const gitignored = (rel: string, isDir: boolean): boolean =>
      localIgnores.some(({ base, ig }) => {
        const sub = base === '' ? rel : rel.slice(base.length + 1);
        return ig.ignores(isDir ? sub + '/' : sub);
      });

    const subdirs: Promise<void>[] = [];
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const rel = joinRel(relDir, entry.name);
      const abs = path.join(absDir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const stat = await fsp.stat(abs);
          isDir = stat.isDirectory();
          isFile = stat.isFile();
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ELOOP') skipped.push({ file: rel, reason: 'symlink loop' });
          else if (hasSourceExtension(rel) || code !== 'ENOENT') skipped.push({ file: rel, reason: `broken symlink (${code ?? 'error'})` });
          continue;
        }
      }
      if (isDir) {
        if (globs.include(rel) || globs.include(rel + '/')) {
          subdirs.push(walk(abs, rel, localIgnores));
          continue;
        }
        if (DEFAULT_EXCLUDED_DIRS.has(entry.name) || (isPackageRoot && BUILD_OUTPUT_DIRS.has(entry.name))) continue;
        if (globs.exclude(rel) || gitignored(rel, true)) continue;
        subdirs.push(walk(abs, rel, localIgnores));
      } else if (isFile) {
        if (!hasSourceExtension(rel)) continue;
        if (globs.exclude(rel)) continue;
        if (!settings.includeTests && isTestFile(rel)) continue;
        if (!globs.include(rel) && gitignored(rel, false)) continue;
        if (isMinifiedByName(entry.name)) {
          skipped.push({ file: rel, reason: 'minified or bundled file (by its name)' });
          continue;
        }
        let stat: fs.Stats;
        try {
          stat = await fsp.stat(abs);
        } catch (err) {
          skipped.push({ file: rel, reason: `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
          continue;
        }
        if (stat.size > maxBytes) {
          skipped.push({ file: rel, reason: `larger than apiAtlas.maxFileSizeKB (${Math.round(stat.size / 1024)} KB > ${settings.maxFileSizeKB} KB)` });
          continue;
        }
        files.push(rel);
        meta.set(rel, [stat.size, stat.mtimeMs, stat.ctimeMs]);
      }
    }
    await Promise.all(subdirs);
  }

  await walk(rootReal, '', []);
  files.sort();
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, skipped, meta };
}

function joinRel(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

export type ReadResult = { text: string } | { skipped: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads one file as text. BOMs are removed (UTF-8 and UTF-16), CRLF is kept (the parser handles it).
 * Binary, oversized, non-UTF-8 and minified files come back as `{ skipped: reason }`.
 */
export async function readSource(abs: string, maxFileSizeKB: number): Promise<ReadResult> {
  let buf: Buffer;
  try {
    buf = await fs.promises.readFile(abs);
  } catch (err) {
    return { skipped: `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  return decodeSource(buf, maxFileSizeKB);
}

/** The decoding half of `readSource`, for text that arrives as bytes from elsewhere (workers, the editor). */
export function decodeSource(buf: Uint8Array, maxFileSizeKB: number): ReadResult {
  if (buf.length > maxFileSizeKB * 1024) {
    return { skipped: `larger than apiAtlas.maxFileSizeKB (${Math.round(buf.length / 1024)} KB > ${maxFileSizeKB} KB)` };
  }
  let text: string;
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
    const le = buf[0] === 0xff;
    text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(buf.subarray(2));
  } else {
    const probe = buf.subarray(0, Math.min(buf.length, 8000));
    if (probe.includes(0)) return { skipped: 'binary file (contains NUL bytes)' };
    try {
      text = utf8.decode(buf);
    } catch {
      return { skipped: 'not UTF-8 text (save it as UTF-8 to have it indexed)' };
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  }
  const minified = looksMinified(text);
  if (minified) return { skipped: minified };
  const generated = generatedBy(text);
  if (generated) return { skipped: generated };
  return { text };
}

/**
 * Returns a reason when the text is a tool's generated file that is not the app's code: msw's
 * `mockServiceWorker.js` forwards whatever the page requested, so its `fetch` is no API call of the app.
 * Read from the header msw writes, so a hand-written worker of the same name is still indexed.
 */
export function generatedBy(text: string): string | null {
  const head = text.slice(0, 400);
  if (head.includes('Mock Service Worker') && head.includes('mswjs/msw') && /do NOT modify this file/i.test(head)) return 'generated by msw (mockServiceWorker.js: dev tooling, not the app\'s requests)';
  return null;
}

/**
 * The checks of `decodeSource` for text that arrives already decoded (an editor's document, an edit worker):
 * the same size limit (counted in UTF-8 bytes), NUL bytes near the start and minified text are skipped with the
 * same reasons, so an incremental update never indexes what the scan refused. A leading BOM is removed.
 */
export function checkSourceText(text: string, maxFileSizeKB: number): ReadResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // Cheap bound first: a UTF-8 byte count is at least the UTF-16 length / 1 and at most 3 × it.
  if (body.length > maxFileSizeKB * 1024 || (body.length * 3 > maxFileSizeKB * 1024 && Buffer.byteLength(body, 'utf8') > maxFileSizeKB * 1024)) {
    return { skipped: `larger than apiAtlas.maxFileSizeKB (${Math.round(Buffer.byteLength(body, 'utf8') / 1024)} KB > ${maxFileSizeKB} KB)` };
  }
  if (body.slice(0, 8000).includes('\0')) return { skipped: 'binary file (contains NUL bytes)' };
  const minified = looksMinified(body);
  if (minified) return { skipped: minified };
  return { text: body };
}

/** Returns a reason when the text looks machine-generated on one line (minified bundles), else null. */
export function looksMinified(text: string): string | null {
  if (text.length < 4000) return null;
  if (text.length < 20000) {
    // No line can be 20,000 characters long, so only the average decides: enough line breaks settle it early.
    const needed = Math.ceil(text.length / 500) - 1;
    let found = 0;
    for (let nl = text.indexOf('\n'); nl !== -1 && found < needed; nl = text.indexOf('\n', nl + 1)) found++;
    if (found >= needed) return null;
  }
  let lines = 1;
  let longest = 0;
  let start = 0;
  // indexOf finds each newline natively: about three times faster than testing every character (every file is read).
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    longest = Math.max(longest, nl - start);
    start = nl + 1;
    lines++;
  }
  longest = Math.max(longest, text.length - start);
  const average = text.length / lines;
  if (average > 500 || longest > 20000) {
    return `looks minified (${lines} line${lines === 1 ? '' : 's'}, longest ${longest} characters)`;
  }
  return null;
}

/**
 * For `.vue` and `.svelte` files: keeps the `<script>` blocks and blanks everything else to spaces (newlines
 * kept), so the result parses as TypeScript while offsets, lines and columns still match the original file.
 */
export function toScriptText(rel: string, text: string): string {
  const lower = rel.toLowerCase();
  const astro = lower.endsWith('.astro');
  if (!lower.endsWith('.vue') && !lower.endsWith('.svelte') && !astro) return text;
  const out = blank(text);
  const chars = out.split('');
  if (astro) {
    // The frontmatter between the `---` fences is server code; each fence becomes `;//` (same length, still
    // TypeScript), which also marks where the frontmatter ends for astroFrontmatter().
    const fm = FRONTMATTER.exec(text);
    if (fm) {
      const open = fm.index + fm[1].length;
      const close = open + fm[0].length - fm[1].length - fm[3].length;
      for (let i = open; i < close; i++) chars[i] = text[i];
      for (const at of [open, close]) [chars[at], chars[at + 1], chars[at + 2]] = [';', '/', '/'];
    }
  }
  // HTML comments may contain <script> text that is not a script: find real blocks outside comments.
  const comments: [number, number][] = [];
  const commentRe = /<!--[\s\S]*?-->/g;
  for (let m = commentRe.exec(text); m; m = commentRe.exec(text)) comments.push([m.index, m.index + m[0].length]);
  const inComment = (i: number) => comments.some(([s, e]) => i >= s && i < e);
  const openRe = /<script\b([^>]*)>/gi;
  for (let m = openRe.exec(text); m; m = openRe.exec(text)) {
    if (inComment(m.index)) continue;
    const attrs = m[1];
    if (/\btype\s*=\s*["']?(?!module|text\/javascript|application\/javascript|text\/typescript)[\w/+-]+/i.test(attrs) && !/lang\s*=/.test(attrs)) {
      continue; // e.g. <script type="application/ld+json">: data, not code
    }
    const bodyStart = m.index + m[0].length;
    const close = text.toLowerCase().indexOf('</script', bodyStart);
    const bodyEnd = close === -1 ? text.length : close;
    for (let i = bodyStart; i < bodyEnd; i++) chars[i] = text[i];
    openRe.lastIndex = bodyEnd;
  }
  return chars.join('');
}

/** An Astro component's frontmatter: leading blank lines, `---`, the code, `---` on a line of its own. */
const FRONTMATTER = /(?<![\s\S])(\s*)---[^\S\r\n]*\r?\n([\s\S]*?)^(---)/m;
const FENCE_LINE = /^(?:---|;\/\/)[^\S\r\n]*$/gm;

/**
 * The frontmatter of an `.astro` file as offsets (the code between the fences), from its text or from its
 * `toScriptText` form; null when it has none. Astro runs it on the server, at request or build time.
 */
export function astroFrontmatter(text: string): { start: number; end: number } | null {
  if (!/^\s*(?:---|;\/\/)/.test(text)) return null;
  FENCE_LINE.lastIndex = 0;
  const open = FENCE_LINE.exec(text);
  const close = open && FENCE_LINE.exec(text);
  return open && close ? { start: open.index + 3, end: close.index } : null;
}

function blank(text: string): string {
  return text.replace(/[^\r\n]/g, ' ');
}

export interface EnvEntry {
  name: string;
  value: string;
  /** Path relative to the root. */
  file: string;
  /** 1-based. */
  line: number;
}

const ENV_FILE = /^\.env(\.[\w.-]+)?$/;
const ENV_LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

export interface ReadEnvOptions {
  /** How many folder levels below the root to look in (default 3). */
  maxDepth?: number;
  /** Hears about env files that exist but cannot be read (their secrets then go unseen). */
  onProblem?: (message: string) => void;
}

/**
 * Reads `.env`, `.env.local`, `.env.example`, ... files at the root and in package folders up to three levels
 * down (monorepo apps), skipping dependencies and build output. A symlinked env file (an app's `.env` pointing
 * at a shared one) is read through the link.
 */
export function readEnvFiles(root: string, opts: ReadEnvOptions = {}): EnvEntry[] {
  const maxDepth = opts.maxDepth ?? 3;
  const entries: EnvEntry[] = [];
  const visit = (relDir: string, depth: number): void => {
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(path.join(root, relDir), { withFileTypes: true });
    } catch {
      return; // unreadable folders are reported by discoverFiles; env files there are simply not read
    }
    for (const d of dirents) {
      const rel = joinRel(relDir, d.name);
      if ((d.isFile() || d.isSymbolicLink()) && ENV_FILE.test(d.name)) {
        let text: string;
        try {
          text = fs.readFileSync(path.join(root, rel), 'utf8');
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code !== 'EISDIR') opts.onProblem?.(`Cannot read ${rel} (${code ?? (err as Error).message}); the values in it are not checked for secrets.`);
          continue;
        }
        entries.push(...parseEnvFile(text, rel));
      } else if (d.isDirectory() && depth < maxDepth && !d.name.startsWith('.') && !DEFAULT_EXCLUDED_DIRS.has(d.name) && !BUILD_OUTPUT_DIRS.has(d.name)) {
        visit(rel, depth + 1);
      }
    }
  };
  visit('', 0);
  return entries;
}

export function parseEnvFile(text: string, file: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (/^\s*#/.test(line)) return;
    const m = ENV_LINE.exec(line);
    if (!m) return;
    let value = m[2].trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.indexOf(quote, 1) > 0) {
      value = value.slice(1, value.indexOf(quote, 1));
    } else {
      value = value.replace(/(?<!\s)\s+#.*$/, '');
    }
    entries.push({ name: m[1], value, file, line: i + 1 });
  });
  return entries;
}
