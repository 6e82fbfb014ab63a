// Finds the workspace's source files: the walk (ignore rules, build output, links, size limits), the filter for single paths, and the .env files; reading one file safely is in source-text.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { Settings, SkippedFile } from '../model/types';
import { ListingReader, ListingRecorder, sameMeta, type FileMeta, type FolderListing, type ListingTable } from './listings';
import { syncWalkFs, type WalkFs } from './walk-fs';

export { RACY_MS, sameMeta, type FileMeta, type ListingTable } from './listings';
export * from './source-text';
export { syncWalkFs, type WalkFs } from './walk-fs';

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
  /** What the walk decided in each folder, for the next walk to replay (DiscoveryOptions.previous). */
  listings: ListingTable;
  /** Folders (workspace-relative, '' the root) replayed from the last walk: they hold the same entries as then. */
  unchanged: Set<string>;
}

export interface DiscoveryOptions {
  /** More globs to exclude, e.g. VS Code's `files.exclude` keys that are on. */
  extraExclude?: string[];
  signal?: AbortSignal;
  /** The file system to walk (default: Node's, synchronous, an event-loop turn every 30 ms); tests pass one that fails on purpose. */
  fs?: WalkFs;
  /** The listings of the last walk with the same settings and excludes, and when it began: unchanged folders are not read again. */
  previous?: { listings: ListingTable; startedAt: number };
}

export function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
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

/** One .gitignore on the way down: its folder and its rules (null: unreadable), read when first needed (a replayed folder needs none). */
interface IgnoreLayer {
  base: string;
  file: string;
  rules: Ignore | null | undefined;
}

/** A folder the walk has yet to visit; `real` is its real path when known without asking (a plain subfolder of a known one). */
interface FolderTask {
  absDir: string;
  relDir: string;
  real: string | null;
  ignores: IgnoreLayer[];
  /** The .gitignore files above it are those of the last walk: its listing may be replayed. */
  trusted: boolean;
}

/**
 * Walks the workspace. Skips dependencies, build output, `.gitignore`d and excluded paths silently (they are
 * the user's choice); lists in `skipped` what the user may expect to be indexed but is not (too large,
 * unreadable, symlink loops, minified bundles). With `opts.previous`, a folder whose stat and .gitignore are
 * those the last walk recorded is not read again: its decisions are replayed (see listings.ts). Folders are
 * visited depth first, each one's entries in name order, so which path reaches a linked folder first is
 * always the same.
 */
export async function discoverFiles(root: string, settings: Settings, opts: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const previous = opts.previous ? ListingReader.open(opts.previous.listings) : null;
  const startedAt = opts.previous?.startedAt ?? 0;
  const globs = compileGlobs(settings, opts.extraExclude);
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const meta = new Map<string, FileMeta>();
  const listings = new ListingRecorder();
  const unchanged = new Set<string>();
  const maxBytes = settings.maxFileSizeKB * 1024;
  const visitedDirs = new Set<string>();
  const wfs: WalkFs = opts.fs ?? syncWalkFs();
  const rootReal = wfs.realpath(root);
  const reason = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

  /** Stats a file that passed every check by name: the size limit, and its meta for the scan. */
  const addFile = (abs: string, rel: string): void => {
    let stat: fs.Stats;
    try {
      stat = wfs.stat(abs);
    } catch (err) {
      skipped.push({ file: rel, reason: `cannot read file: ${reason(err)}` });
      return;
    }
    if (stat.size > maxBytes) {
      skipped.push({ file: rel, reason: `larger than apiAtlas.maxFileSizeKB (${Math.round(stat.size / 1024)} KB > ${settings.maxFileSizeKB} KB)` });
      return;
    }
    files.push(rel);
    meta.set(rel, [stat.size, stat.mtimeMs, stat.ctimeMs]);
  };

  const statMeta = (abs: string): FileMeta | null => {
    try {
      const stat = wfs.stat(abs);
      return [stat.size, stat.mtimeMs, stat.ctimeMs];
    } catch {
      return null; // the read that follows reports what is wrong
    }
  };

  const rulesOf = (layer: IgnoreLayer): Ignore | null => {
    if (layer.rules !== undefined) return layer.rules;
    try {
      layer.rules = ignore().add(wfs.readFile(layer.file));
    } catch (err) {
      skipped.push({ file: joinRel(layer.base, '.gitignore'), reason: `cannot read .gitignore: ${(err as Error).message}` });
      layer.rules = null;
    }
    return layer.rules;
  };

  /** Lists one folder (or replays its last listing): its files go to `files`, its subfolders come back to visit. */
  const visit = ({ absDir, relDir, real, ignores, trusted }: FolderTask): FolderTask[] => {
    if (real === null) {
      try {
        real = wfs.realpath(absDir);
      } catch (err) {
        skipped.push({ file: relDir || '.', reason: `cannot resolve folder: ${reason(err)}` });
        return [];
      }
    }
    if (visitedDirs.has(real)) {
      skipped.push({ file: relDir || '.', reason: 'symlink loop or folder already indexed through another link' });
      return [];
    }
    visitedDirs.add(real);
    const folderReal = real;

    // Stat before reading: a change between the two shows as newer times next walk, never as an older listing kept for new.
    const folderMeta = statMeta(absDir);
    const gitignoreFile = childPath(absDir, '.gitignore');
    const last = trusted && folderMeta ? previous?.get(relDir) : undefined;
    if (last && !last.links && folderMeta && sameMeta(last.meta, folderMeta, startedAt)) {
      const gitignoreMeta = last.gitignore && statMeta(gitignoreFile);
      if (!last.gitignore || (gitignoreMeta && sameMeta(last.gitignore, gitignoreMeta, startedAt))) {
        if (last.row !== undefined && previous) listings.copy(relDir, previous, last.row);
        else listings.add(relDir, last);
        unchanged.add(relDir);
        for (const [name, why] of last.skipped) skipped.push({ file: joinRel(relDir, name), reason: why });
        for (const name of last.files) addFile(childPath(absDir, name), joinRel(relDir, name));
        const layers = last.gitignore ? [...ignores, { base: relDir, file: gitignoreFile, rules: undefined }] : ignores;
        return last.dirs.map((name) => ({ absDir: childPath(absDir, name), relDir: joinRel(relDir, name), real: childPath(folderReal, name), ignores: layers, trusted: true }));
      }
    }

    let entries: fs.Dirent[];
    try {
      entries = wfs.readdir(absDir);
    } catch (err) {
      skipped.push({ file: relDir || '.', reason: `cannot read folder: ${reason(err)}` });
      return [];
    }

    const isPackageRoot = relDir === '' || entries.some((e) => e.name === 'package.json' && !e.isDirectory());
    const listing: FolderListing | null = folderMeta ? { meta: folderMeta, links: false, gitignore: null, files: [], dirs: [], skipped: [] } : null;
    let keep = listing !== null;
    let localIgnores = ignores;
    if (entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) {
      const gitignoreMeta = statMeta(gitignoreFile);
      const layer: IgnoreLayer = { base: relDir, file: gitignoreFile, rules: undefined };
      if (rulesOf(layer) !== null) localIgnores = [...ignores, layer];
      if (listing && gitignoreMeta && layer.rules) listing.gitignore = gitignoreMeta;
      else keep = false;
    }
    // What the folders below decide depends on this .gitignore: unless it is the one the last walk read (and
    // kept this folder's listing with), they are listed afresh too.
    const below = trusted && last !== undefined && sameGitignore(last.gitignore, listing?.gitignore ?? null);
    const active: { base: string; ig: Ignore }[] = [];
    for (const layer of localIgnores) {
      const ig = rulesOf(layer);
      if (ig) active.push({ base: layer.base, ig });
    }
    const gitignored = (rel: string, isDir: boolean): boolean =>
      active.some(({ base, ig }) => {
        const sub = base === '' ? rel : rel.slice(base.length + 1);
        return ig.ignores(isDir ? sub + '/' : sub);
      });

    const subfolders: FolderTask[] = [];
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const rel = joinRel(relDir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      const link = entry.isSymbolicLink();
      if (link) {
        // What a link points at can change while this folder stays the same: a folder with links is read every walk.
        if (listing) listing.links = true;
        try {
          const stat = wfs.stat(childPath(absDir, entry.name));
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
        if (!(globs.include(rel) || globs.include(rel + '/'))) {
          if (DEFAULT_EXCLUDED_DIRS.has(entry.name) || (isPackageRoot && BUILD_OUTPUT_DIRS.has(entry.name))) continue;
          if (globs.exclude(rel) || gitignored(rel, true)) continue;
        }
        if (link) listings.followedLinks = true;
        else listing?.dirs.push(entry.name);
        subfolders.push({ absDir: childPath(absDir, entry.name), relDir: rel, real: link ? null : childPath(folderReal, entry.name), ignores: localIgnores, trusted: below });
      } else if (isFile) {
        if (!hasSourceExtension(rel)) continue;
        if (globs.exclude(rel)) continue;
        if (!settings.includeTests && isTestFile(rel)) continue;
        if (!globs.include(rel) && gitignored(rel, false)) continue;
        if (isMinifiedByName(entry.name)) {
          skipped.push({ file: rel, reason: 'minified or bundled file (by its name)' });
          listing?.skipped.push([entry.name, 'minified or bundled file (by its name)']);
          continue;
        }
        listing?.files.push(entry.name);
        addFile(childPath(absDir, entry.name), rel);
      }
    }
    if (keep && listing) listings.add(relDir, listing);
    return subfolders;
  };

  const stack: FolderTask[] = [{ absDir: rootReal, relDir: '', real: rootReal, ignores: [], trusted: previous !== null }];
  let sliceStart = performance.now();
  while (stack.length && !opts.signal?.aborted) {
    const subfolders = visit(stack.pop()!);
    for (let i = subfolders.length - 1; i >= 0; i--) stack.push(subfolders[i]);
    if (performance.now() - sliceStart >= wfs.sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  // Which path reaches a linked folder first depends on what is walked, and a replayed walk skips what it need
  // not read: a walk that met a link to a folder is done again the ordinary way (and not replayed next time).
  if (previous && listings.followedLinks) return discoverFiles(root, settings, { ...opts, previous: undefined });
  files.sort();
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  let table: ListingTable | undefined;
  return {
    files,
    skipped,
    meta,
    // Built when asked for: a scan that writes no snapshot (nothing changed) never needs it.
    get listings(): ListingTable {
      return (table ??= listings.table());
    },
    unchanged,
  };
}

/** A path inside a folder, without path.join's normalizing (the folder is absolute and normal, the name a plain entry). */
function childPath(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

function sameGitignore(a: FileMeta | null, b: FileMeta | null): boolean {
  return a === null || b === null ? a === b : a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}

function joinRel(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
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
