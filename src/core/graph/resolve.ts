// Resolves import specifiers to workspace files: relative paths, tsconfig/jsconfig paths, workspace packages.
import * as path from 'node:path';
import picomatch from 'picomatch';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';

/** Extensions tried for an extension-less specifier, in TypeScript's order, then the single-file components. */
export const RESOLVE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.jsx', '.mjs', '.cjs', '.vue', '.svelte'] as const;
/** A `.js` specifier may name a `.ts` file, as TypeScript's node16/bundler resolution allows. */
const JS_TO_TS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

export interface Resolver {
  /** The workspace file `specifier` means when imported from `fromRel`, or null (npm packages, missing files). */
  resolve(fromRel: string, specifier: string): string | null;
  /** The workspace packages by name, folder relative to the root. */
  readonly packages: ReadonlyMap<string, string>;
}

/** The module-resolution part of a tsconfig, `extends` applied; every path is relative to the workspace root. */
interface TsConfig {
  baseUrl: string | null;
  paths: { prefix: string; suffix: string; wildcard: boolean; targets: string[] }[];
}

interface WorkspacePackage {
  name: string;
  dir: string;
  manifest: Record<string, unknown>;
}

/** Aliases that frameworks define outside tsconfig: SvelteKit `$lib/`, Nuxt/Vite `~/` (src/, Nuxt 4's app/, or the root), `~~/` (the root), `@/`. */
const FRAMEWORK_ALIAS = /^(\$lib|~~?|@)\/(.*)$/;

/**
 * `files` are the workspace's source files (rel, forward slashes); `readFile(abs)` returns undefined for a
 * missing file. Results are cached per (folder, specifier); create a new resolver when files come or go.
 */
export function createResolver(root: string, files: Iterable<string>, readFile: (abs: string) => string | undefined, log?: (message: string) => void): Resolver {
  const fileSet = new Set(files);
  const dirs = new Set<string>();
  for (const f of fileSet) for (let d = parentDir(f); d !== ''; d = parentDir(d)) {
    if (dirs.has(d)) break;
    dirs.add(d);
  }
  const cache = new Map<string, string | null>();
  /** The same answers by importing file, then specifier (see resolve). */
  const byFile = new Map<string, Map<string, string | null>>();
  const tsconfigByDir = new Map<string, TsConfig | null>();
  const packageDirOf = new Map<string, string>();
  /** Bare specifiers resolved under each tsconfig (null: none applies). */
  const bareCache = new Map<TsConfig | null, Map<string, string | null>>();
  const workspacePackages = findWorkspacePackages(root, dirs, readFile, log);
  const packages = new Map<string, string>(workspacePackages.map((p) => [p.name, p.dir]));
  const manifests = new Map<string, Record<string, unknown> | null>();
  const manifestAt = (rel: string): Record<string, unknown> | null => {
    let m = manifests.get(rel);
    if (m === undefined) manifests.set(rel, (m = readJson(root, rel, readFile, log)));
    return m;
  };

  function tryFile(p: string): string | null {
    p = normalize(p);
    if (p.startsWith('../')) return null;
    if (fileSet.has(p)) return p;
    const ext = path.posix.extname(p);
    for (const alt of JS_TO_TS[ext] ?? []) {
      const candidate = p.slice(0, -ext.length) + alt;
      if (fileSet.has(candidate)) return candidate;
    }
    for (const e of RESOLVE_EXTENSIONS) if (fileSet.has(p + e)) return p + e;
    if (dirs.has(p) || p === '') {
      const manifest = manifestAt(joinRel(p, 'package.json'));
      if (manifest) {
        const viaManifest = packageEntry(p, manifest, '.');
        if (viaManifest) return viaManifest;
      }
      for (const e of RESOLVE_EXTENSIONS) if (fileSet.has(joinRel(p, `index${e}`))) return joinRel(p, `index${e}`);
    }
    return null;
  }

  /** A package's entry for a subpath: `exports`, then `module`/`main`/`types`, then `src/index`; built output mapped back to `src/`. */
  function packageEntry(dir: string, manifest: Record<string, unknown>, subpath: string): string | null {
    const candidates: string[] = [];
    const exp = manifest.exports;
    if (exp !== undefined) {
      const entry = typeof exp === 'string' || Array.isArray(exp) || !isObject(exp) || !Object.keys(exp).some((k) => k.startsWith('.')) ? (subpath === '.' ? exp : undefined) : matchExport(exp, subpath);
      candidates.push(...exportTargets(entry));
    }
    if (subpath === '.') {
      for (const key of ['source', 'module', 'main', 'types', 'typings', 'browser']) {
        const v = manifest[key];
        if (typeof v === 'string') candidates.push(v);
      }
      candidates.push('src/index', 'index');
    } else {
      const sub = subpath.replace(/^\.\//, '');
      candidates.push(sub, `src/${sub}`);
    }
    for (const c of candidates) {
      const rel = c.replace(/^\.\//, '');
      const direct = tryFile(joinRel(dir, rel));
      if (direct) return direct;
      // `dist/index.js` is not in the workspace (build output); its source usually is `src/index.ts`.
      const source = rel.replace(/^(?:dist|build|lib|out|esm|cjs)\//, 'src/').replace(/\.d\.ts$/, '.ts');
      if (source !== rel) {
        const mapped = tryFile(joinRel(dir, source.replace(/\.(?:[cm]?js)$/, '')));
        if (mapped) return mapped;
      }
    }
    return null;
  }

  function tsconfigFor(dir: string): TsConfig | null {
    const cached = tsconfigByDir.get(dir);
    if (cached !== undefined) return cached;
    let found: TsConfig | null = null;
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const rel = joinRel(dir, name);
      if (readFile(path.join(root, rel)) !== undefined) {
        found = loadTsConfig(root, rel, readFile, log);
        break;
      }
    }
    if (!found && dir !== '') found = tsconfigFor(parentDir(dir));
    tsconfigByDir.set(dir, found);
    return found;
  }

  function resolveAlias(fromRel: string, spec: string): string | null {
    const cfg = tsconfigFor(parentDir(fromRel));
    if (cfg) {
      let best: { targets: string[]; star: string; len: number } | null = null;
      for (const p of cfg.paths) {
        if (p.wildcard) {
          if (spec.startsWith(p.prefix) && spec.endsWith(p.suffix) && spec.length >= p.prefix.length + p.suffix.length) {
            if (!best || p.prefix.length > best.len) best = { targets: p.targets, star: spec.slice(p.prefix.length, spec.length - p.suffix.length), len: p.prefix.length };
          }
        } else if (spec === p.prefix) {
          best = { targets: p.targets, star: '', len: Infinity };
        }
      }
      if (best) {
        for (const t of best.targets) {
          const hit = tryFile(t.replace('*', best.star));
          if (hit) return hit;
        }
      }
      if (cfg.baseUrl !== null) {
        const hit = tryFile(joinRel(cfg.baseUrl, spec));
        if (hit) return hit;
      }
    }
    // Framework aliases that live in generated or bundler config: SvelteKit `$lib`, Nuxt/Vite `~`/`@`.
    const m = FRAMEWORK_ALIAS.exec(spec);
    if (m) {
      const d = nearestPackageDir(parentDir(fromRel));
      // Nuxt 4 keeps the app (its srcDir, which `~` names) under app/; `~~` is always the project root.
      const targets =
        m[1] === '$lib'
          ? [`${joinRel(d, 'src/lib')}/${m[2]}`]
          : m[1] === '~~'
            ? [joinRel(d, m[2])]
            : m[1] === '~'
              ? [`${joinRel(d, 'src')}/${m[2]}`, `${joinRel(d, 'app')}/${m[2]}`, joinRel(d, m[2])]
              : [`${joinRel(d, 'src')}/${m[2]}`, joinRel(d, m[2])];
      for (const t of targets) {
        const hit = tryFile(t);
        if (hit) return hit;
      }
    }
    return null;
  }

  /** The folder of the nearest package.json at or above `dir` ('' for the root, with or without one). */
  function nearestPackageDir(dir: string): string {
    const cached = packageDirOf.get(dir);
    if (cached !== undefined) return cached;
    const found = manifestAt(joinRel(dir, 'package.json')) || dir === '' ? dir : nearestPackageDir(parentDir(dir));
    packageDirOf.set(dir, found);
    return found;
  }

  function resolvePackage(spec: string): string | null {
    let best: WorkspacePackage | null = null;
    for (const p of workspacePackages) {
      if ((spec === p.name || spec.startsWith(p.name + '/')) && (!best || p.name.length > best.name.length)) best = p;
    }
    if (!best) return null;
    const sub = spec === best.name ? '.' : './' + spec.slice(best.name.length + 1);
    return packageEntry(best.dir, best.manifest, sub);
  }

  return {
    packages,
    resolve(fromRel: string, specifier: string): string | null {
      // First by the importing file: its path and specifier strings are the same objects call after call, so their
      // hashes are kept; a key joined anew each time was hashed anew (the graph asks this for every import, often).
      let mine = byFile.get(fromRel);
      if (!mine) byFile.set(fromRel, (mine = new Map()));
      const own = mine.get(specifier);
      if (own !== undefined) return own;
      const key = `${parentDir(fromRel)}\0${specifier}`;
      const hit = cache.get(key);
      if (hit !== undefined) {
        mine.set(specifier, hit);
        return hit;
      }
      let result: string | null = null;
      // `./x.svg?raw`, `./x#frag`: the query or fragment is not part of the file; a leading `#` is a subpath import (`#lib/x`).
      const cut = specifier.search(/[?#]/);
      const spec = cut > 0 ? specifier.slice(0, cut) : specifier;
      if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') {
        result = tryFile(joinRel(parentDir(fromRel), spec));
      } else if (!spec.startsWith('/') && !/^[a-z]+:/i.test(spec)) {
        // Only the tsconfig that applies (and, for `@/`-style framework aliases, the nearest package) makes a bare
        // specifier resolve differently from one folder to the next: resolve it once per those, not per folder.
        const dir = parentDir(fromRel);
        const cfg = tsconfigFor(dir);
        let byCfg = bareCache.get(cfg);
        if (!byCfg) bareCache.set(cfg, (byCfg = new Map()));
        const bareKey = FRAMEWORK_ALIAS.test(spec) ? `${nearestPackageDir(dir)}\0${spec}` : spec;
        const known = byCfg.get(bareKey);
        if (known !== undefined) result = known;
        else byCfg.set(bareKey, (result = resolveAlias(fromRel, spec) ?? resolvePackage(spec)));
      }
      cache.set(key, result);
      mine.set(specifier, result);
      return result;
    },
  };
}

function loadTsConfig(root: string, rel: string, readFile: (abs: string) => string | undefined, log: ((m: string) => void) | undefined, depth = 0): TsConfig | null {
  const json = readJson(root, rel, readFile, log);
  if (!json) return null;
  const dir = parentDir(rel);
  let inherited: TsConfig | null = null;
  const ext = json.extends;
  for (const e of Array.isArray(ext) ? ext : ext === undefined ? [] : [ext]) {
    // Only files in the workspace: presets from npm (`@tsconfig/node20`) rarely set paths.
    if (typeof e !== 'string' || depth > 5 || !(e.startsWith('./') || e.startsWith('../'))) continue;
    const target = normalize(joinRel(dir, e.endsWith('.json') ? e : `${e}.json`));
    if (!target.startsWith('../')) inherited = loadTsConfig(root, target, readFile, log, depth + 1) ?? inherited;
  }
  const opts = isObject(json.compilerOptions) ? json.compilerOptions : {};
  const baseUrl = typeof opts.baseUrl === 'string' ? normalize(joinRel(dir, opts.baseUrl)) : (inherited?.baseUrl ?? null);
  let paths = inherited?.paths ?? [];
  if (isObject(opts.paths)) {
    // `paths` are relative to baseUrl when set, else to the tsconfig that declares them.
    const pathsBase = baseUrl ?? dir;
    paths = Object.entries(opts.paths).map(([pattern, targets]) => {
      const star = pattern.indexOf('*');
      return {
        prefix: star === -1 ? pattern : pattern.slice(0, star),
        suffix: star === -1 ? '' : pattern.slice(star + 1),
        wildcard: star !== -1,
        targets: (Array.isArray(targets) ? targets : []).filter((t): t is string => typeof t === 'string').map((t) => normalize(joinRel(pathsBase, t))),
      };
    });
  }
  return { baseUrl, paths };
}

/** Root `package.json` `workspaces` (array or `{ packages }`) and `pnpm-workspace.yaml` globs → packages with a name. */
function findWorkspacePackages(root: string, dirs: Set<string>, readFile: (abs: string) => string | undefined, log?: (m: string) => void): WorkspacePackage[] {
  const globs: string[] = [];
  const rootManifest = readJson(root, 'package.json', readFile, log);
  const ws = rootManifest?.workspaces;
  if (Array.isArray(ws)) globs.push(...ws.filter((g): g is string => typeof g === 'string'));
  else if (isObject(ws) && Array.isArray(ws.packages)) globs.push(...ws.packages.filter((g): g is string => typeof g === 'string'));
  const pnpm = readFile(path.join(root, 'pnpm-workspace.yaml'));
  if (pnpm !== undefined) globs.push(...pnpmPackages(pnpm));
  if (globs.length === 0) return [];
  // Empty entries are dropped: picomatch throws on an empty pattern, and one `""` would stop module resolution.
  const include = globs.filter((g) => !g.startsWith('!')).map((g) => g.replace(/^\.\//, '').replace(/\/$/, '')).filter((g) => g !== '');
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1).replace(/^\.\//, '').replace(/\/$/, '')).filter((g) => g !== '');
  const isIncluded = picomatch(include);
  const isExcluded = exclude.length ? picomatch(exclude) : () => false;
  const out: WorkspacePackage[] = [];
  for (const dir of [...dirs].sort()) {
    if (!isIncluded(dir) || isExcluded(dir)) continue;
    const manifest = readJson(root, `${dir}/package.json`, readFile, log);
    if (manifest && typeof manifest.name === 'string') out.push({ name: manifest.name, dir, manifest });
  }
  return out;
}

/** The `packages:` list of a pnpm-workspace.yaml (a tiny subset of YAML: one list of strings). */
export function pnpmPackages(yaml: string): string[] {
  const out: string[] = [];
  let inPackages = false;
  for (const raw of yaml.split(/\r?\n/)) {
    const line = raw.replace(/(?<!\s)\s+#.*$/, '');
    if (/^packages\s*:/.test(line)) {
      inPackages = true;
      const inline = /\[(.*)\]/.exec(line);
      if (inline) {
        out.push(...inline[1].split(',').map((s) => s.trim().replace(/^['"]|['"]$/g, '')).filter(Boolean));
        inPackages = false;
      }
      continue;
    }
    if (inPackages) {
      const item = /^\s*-\s*(.+)$/.exec(line);
      if (item) out.push(item[1].trim().replace(/^['"]|['"]$/g, ''));
      else if (/^\S/.test(line)) inPackages = false;
    }
  }
  return out;
}

function matchExport(exp: Record<string, unknown>, subpath: string): unknown {
  if (subpath in exp) return exp[subpath];
  for (const [key, value] of Object.entries(exp)) {
    const star = key.indexOf('*');
    if (star === -1) continue;
    const pre = key.slice(0, star);
    const post = key.slice(star + 1);
    if (subpath.startsWith(pre) && subpath.endsWith(post)) {
      const filled = subpath.slice(pre.length, subpath.length - post.length);
      return JSON.parse(JSON.stringify(value).replace(/\*/g, filled));
    }
  }
  return undefined;
}

/** Every string target of an `exports` entry, source-like conditions first. */
function exportTargets(entry: unknown): string[] {
  if (typeof entry === 'string') return [entry];
  if (Array.isArray(entry)) return entry.flatMap(exportTargets);
  if (!isObject(entry)) return [];
  const order = ['source', 'development', 'import', 'module', 'default', 'require', 'node', 'browser', 'types'];
  const keys = [...order.filter((k) => k in entry), ...Object.keys(entry).filter((k) => !order.includes(k))];
  return keys.flatMap((k) => exportTargets(entry[k]));
}

function readJson(root: string, rel: string, readFile: (abs: string) => string | undefined, log?: (m: string) => void): Record<string, unknown> | null {
  const text = readFile(path.join(root, rel));
  if (text === undefined) return null;
  const value = parseJsonObject(text);
  if (!isObject(value)) {
    log?.(`${rel} is not a JSON object; ignored for module resolution.`);
    return null;
  }
  return value;
}

/**
 * JSON with comments and trailing commas (tsconfig), read as the JSONC parser reads it. Most files (every
 * package.json) are plain JSON, which JSON.parse reads many times faster: a monorepo's hundred package.json files
 * took ~60 ms through the JSONC parser. A `__proto__` key is left to the JSONC parser, which reads it differently.
 */
function parseJsonObject(text: string): unknown {
  if (!text.includes('__proto__')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Comments, trailing commas or a BOM: the JSONC parser below reads them.
    }
  }
  const errors: ParseError[] = [];
  return parseJsonc(text, errors, { allowTrailingComma: true });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parentDir(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash === -1 ? '' : rel.slice(0, slash);
}

function joinRel(dir: string, rel: string): string {
  return dir === '' ? rel : `${dir}/${rel}`;
}

/** Normalizes `a/./b/../c` to `a/c`; leading `../` stay (outside the root). */
function normalize(p: string): string {
  const n = path.posix.normalize(p).replace(/\/$/, '');
  return n === '.' ? '' : n;
}
