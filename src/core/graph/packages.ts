// Finds the nearest package.json of a file and what it says about frameworks, entry points and module type.
import * as path from 'node:path';

/** Which frameworks and runtimes a package depends on (dependencies, devDependencies and peerDependencies). */
export interface PackageFrameworks {
  next: boolean;
  react: boolean;
  reactDom: boolean;
  /** `react-scripts` (Create React App): `src/index.*` is the browser entry. */
  reactScripts: boolean;
  vue: boolean;
  nuxt: boolean;
  svelte: boolean;
  sveltekit: boolean;
  /** Astro: script modules under `src/pages/` are server endpoints. */
  astro: boolean;
  /** Remix, or React Router 7 in framework mode (same loader/action conventions). */
  remix: boolean;
  vite: boolean;
  angular: boolean;
  solid: boolean;
  preact: boolean;
  express: boolean;
  fastify: boolean;
  koa: boolean;
  nest: boolean;
  hono: boolean;
  hapi: boolean;
  electron: boolean;
  reactNative: boolean;
  /** Vike (formerly vite-plugin-ssr): `+data`, `+Page`, `+onRenderClient`... files under `pages/`. */
  vike: boolean;
  /** TanStack Start: route files render on both sides; `createServerFn` handlers and server routes run on the server. */
  tanstackStart: boolean;
  /** Cloudflare Workers: `wrangler` as a dependency or a `wrangler.toml`/`wrangler.json(c)` beside package.json. */
  cloudflareWorkers: boolean;
}

export interface PackageInfo {
  /** The package folder relative to the workspace root, forward slashes, `''` for the root itself. */
  dir: string;
  name?: string;
  /** Names from dependencies, devDependencies and peerDependencies. */
  dependencies: Set<string>;
  frameworks: PackageFrameworks;
  type: 'module' | 'commonjs';
  /** `main`, relative to the workspace root, when declared. */
  main?: string;
  /** `bin` targets, relative to the workspace root. */
  bin: string[];
  /** Module scripts that the package's `index.html` loads (Vite apps), relative to the workspace root. */
  htmlEntries: string[];
  /** Scripts a browser extension's manifest.json (v2/v3) declares, as module paths without extension, relative to the root. */
  extensionEntries: ExtensionEntry[];
  /** The `main` module of the package's wrangler.toml/.json/.jsonc, relative to the workspace root: a Cloudflare Worker's entry. */
  wranglerMain?: string;
  /** SvelteKit: `export const ssr = false` in the root `src/routes/+layout.(ts|js)`, which turns server rendering off for every page. */
  svelteKitSpa?: boolean;
  /** React Router 7 framework mode / Remix: what `app/routes.ts` and `react-router.config.*` declare; absent otherwise. */
  reactRouter?: ReactRouterApp;
  /** Why parts of package.json or index.html could not be read; the lookup still returns what it could. */
  problems: string[];
}

/** The route modules a React Router 7 (framework mode) app declares, and whether it renders on a server at all. */
export interface ReactRouterApp {
  /** The app folder (`appDirectory`, `app` by default), relative to the workspace root. */
  appDir: string;
  /** Files `app/routes.ts` names in `route()`, `index()` and `layout()`, relative to the workspace root, without extension. */
  routeModules: string[];
  /** `flatRoutes()` from @react-router/fs-routes or a similar helper (or no routes.ts): every module under `app/routes/` is a route. */
  fileRoutes: boolean;
  /** `ssr: false` in react-router.config.*: SPA mode, no server renders the routes (loaders only run at build time). */
  spaMode: boolean;
}

/** One script a browser extension manifest names; `stem` is the path without extension (built names often differ from sources). */
export interface ExtensionEntry {
  stem: string;
  role: 'background' | 'content-script' | 'page';
  /** The manifest key that declares it, for evidence (`background.service_worker`). */
  key: string;
  manifest: string;
}

export interface PackageLookup {
  /** The package that owns `rel` (nearest package.json upward), or null when there is none up to the root. */
  forFile(rel: string): PackageInfo | null;
  /** Forget cached packages, e.g. after a package.json, index.html or wrangler config changed. */
  clear(): void;
}

const FRAMEWORK_PACKAGES: Record<keyof PackageFrameworks, readonly string[]> = {
  next: ['next'],
  react: ['react'],
  reactDom: ['react-dom'],
  reactScripts: ['react-scripts'],
  vue: ['vue'],
  nuxt: ['nuxt', 'nuxt3', '@nuxt/kit'],
  svelte: ['svelte'],
  sveltekit: ['@sveltejs/kit'],
  astro: ['astro'],
  remix: ['@remix-run/react', '@remix-run/node', '@remix-run/dev', '@remix-run/cloudflare', '@react-router/dev'],
  vite: ['vite'],
  angular: ['@angular/core'],
  solid: ['solid-js'],
  preact: ['preact'],
  express: ['express'],
  fastify: ['fastify'],
  koa: ['koa'],
  nest: ['@nestjs/core'],
  hono: ['hono'],
  hapi: ['@hapi/hapi'],
  electron: ['electron'],
  reactNative: ['react-native', 'expo'],
  vike: ['vike', 'vite-plugin-ssr', 'vike-react', 'vike-vue', 'vike-solid'],
  tanstackStart: ['@tanstack/react-start', '@tanstack/solid-start', '@tanstack/start', '@tanstack/vue-start'],
  cloudflareWorkers: ['wrangler', '@cloudflare/workers-types'],
};

const WRANGLER_CONFIGS = ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc'];

/**
 * Looks up the nearest package.json of a file. Results are cached per folder, so thousands of files cost one
 * read per folder. `readFile` returns undefined for a missing file; `log` hears about unreadable JSON.
 */
export function createPackageLookup(
  root: string,
  readFile: (abs: string) => string | undefined,
  log?: (message: string) => void,
): PackageLookup {
  // Folder (rel) → the package that owns files in it, or null when none does.
  const nearest = new Map<string, PackageInfo | null>();

  function packageAt(dir: string): PackageInfo | null | undefined {
    const manifestRel = dir ? `${dir}/package.json` : 'package.json';
    const text = readFile(path.join(root, manifestRel));
    if (text === undefined) return undefined;
    return readPackage(root, dir, text, readFile, log);
  }

  function lookupDir(dir: string): PackageInfo | null {
    const cached = nearest.get(dir);
    if (cached !== undefined) return cached;
    const own = packageAt(dir);
    const result = own !== undefined ? own : dir === '' ? null : lookupDir(parentDir(dir));
    nearest.set(dir, result);
    return result;
  }

  return {
    forFile(rel: string): PackageInfo | null {
      return lookupDir(parentDir(rel));
    },
    clear(): void {
      nearest.clear();
    },
  };
}

function parentDir(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash === -1 ? '' : rel.slice(0, slash);
}

function readPackage(
  root: string,
  dir: string,
  text: string,
  readFile: (abs: string) => string | undefined,
  log?: (message: string) => void,
): PackageInfo {
  const manifestRel = dir ? `${dir}/package.json` : 'package.json';
  const problems: string[] = [];
  let manifest: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) manifest = parsed as Record<string, unknown>;
    else problems.push(`${manifestRel} is not a JSON object`);
  } catch (err) {
    problems.push(`${manifestRel} is not valid JSON (${(err as Error).message}); its dependencies are ignored`);
  }
  for (const problem of problems) log?.(problem);

  const dependencies = new Set<string>();
  for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    const deps = manifest[key];
    if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) dependencies.add(name);
  }
  const frameworks = {} as PackageFrameworks;
  for (const [flag, names] of Object.entries(FRAMEWORK_PACKAGES) as [keyof PackageFrameworks, readonly string[]][]) {
    frameworks[flag] = names.some((n) => dependencies.has(n));
  }
  if (!frameworks.cloudflareWorkers) {
    frameworks.cloudflareWorkers = WRANGLER_CONFIGS.some((f) => readFile(path.join(root, dir, f)) !== undefined);
  }

  const join = (target: string) => path.posix.normalize(dir ? `${dir}/${target}` : target).replace(/^\.\//, '');
  const bin: string[] = [];
  if (typeof manifest.bin === 'string') bin.push(join(manifest.bin));
  else if (manifest.bin && typeof manifest.bin === 'object') {
    for (const target of Object.values(manifest.bin)) if (typeof target === 'string') bin.push(join(target));
  }

  return {
    dir,
    name: typeof manifest.name === 'string' ? manifest.name : undefined,
    dependencies,
    frameworks,
    type: manifest.type === 'module' ? 'module' : 'commonjs',
    main: typeof manifest.main === 'string' ? join(manifest.main) : undefined,
    bin,
    htmlEntries: readHtmlEntries(root, dir, readFile, problems),
    extensionEntries: readExtensionEntries(root, dir, readFile, problems),
    wranglerMain: readWranglerMain(root, dir, readFile),
    reactRouter: frameworks.remix ? readReactRouterApp(root, dir, readFile) : undefined,
    ...(frameworks.sveltekit && readsSsrFalse(root, dir, readFile) ? { svelteKitSpa: true } : {}),
    problems,
  };
}

/** Where extension projects keep manifest.json: the package root or the folder the build copies from. */
const EXTENSION_MANIFEST_DIRS = ['', 'src', 'source', 'public', 'static', 'extension', 'app'];

/**
 * The scripts of a browser extension manifest (a manifest.json with `manifest_version`; a web app manifest has
 * none): background scripts or service worker, content scripts, and the scripts of its pages (options, popup).
 */
function readExtensionEntries(root: string, dir: string, readFile: (abs: string) => string | undefined, problems: string[]): ExtensionEntry[] {
  for (const sub of EXTENSION_MANIFEST_DIRS) {
    const folder = [dir, sub].filter(Boolean).join('/');
    const text = readFile(path.join(root, folder, 'manifest.json'));
    if (text === undefined) continue;
    let manifest: Record<string, unknown>;
    try {
      manifest = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Record<string, unknown>;
    } catch (err) {
      problems.push(`${folder ? `${folder}/` : ''}manifest.json is not valid JSON (${(err as Error).message}); its extension entries are ignored`);
      continue;
    }
    if (!manifest || typeof manifest !== 'object' || typeof manifest.manifest_version !== 'number') continue;
    const manifestRel = folder ? `${folder}/manifest.json` : 'manifest.json';
    const entries: ExtensionEntry[] = [];
    const add = (target: unknown, role: ExtensionEntry['role'], key: string) => {
      if (typeof target !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(target)) return;
      const local = path.posix.normalize(folder ? `${folder}/${target.replace(/^\//, '')}` : target.replace(/^\//, ''));
      if (/\.html?$/i.test(local)) {
        const html = readFile(path.join(root, local));
        const scripts = html === undefined ? [] : [...html.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]);
        if (scripts.length === 0) entries.push({ stem: local.replace(/\.html?$/i, ''), role, key, manifest: manifestRel });
        const base = path.posix.dirname(local);
        for (const src of scripts) if (!/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src)) add(src.startsWith('/') ? src : path.posix.relative(folder || '.', path.posix.join(base, src)), role, key);
        return;
      }
      entries.push({ stem: local.replace(/\.[cm]?[jt]sx?$/i, ''), role, key, manifest: manifestRel });
    };
    const background = manifest.background as Record<string, unknown> | undefined;
    if (background && typeof background === 'object') {
      add(background.service_worker, 'background', 'background.service_worker');
      if (Array.isArray(background.scripts)) for (const s of background.scripts) add(s, 'background', 'background.scripts');
      add(background.page, 'background', 'background.page');
    }
    if (Array.isArray(manifest.content_scripts)) {
      for (const cs of manifest.content_scripts as Record<string, unknown>[]) if (cs && Array.isArray(cs.js)) for (const js of cs.js) add(js, 'content-script', 'content_scripts');
    }
    add(manifest.options_page, 'page', 'options_page');
    const options = manifest.options_ui as Record<string, unknown> | undefined;
    if (options && typeof options === 'object') add(options.page, 'page', 'options_ui.page');
    for (const key of ['action', 'browser_action', 'page_action']) {
      const action = manifest[key] as Record<string, unknown> | undefined;
      if (action && typeof action === 'object') add(action.default_popup, 'page', `${key}.default_popup`);
    }
    const panel = manifest.side_panel as Record<string, unknown> | undefined;
    if (panel && typeof panel === 'object') add(panel.default_path, 'page', 'side_panel.default_path');
    // Content scripts cannot be modules, so many load the real one: `import(chrome.runtime.getURL('assets/main.js'))`.
    for (const entry of entries.filter((e) => e.role === 'content-script')) {
      const name = entry.stem.slice(entry.stem.lastIndexOf('/') + 1);
      for (const stem of [entry.stem, folder ? `${folder}/${name}` : name]) {
        const source = ['.ts', '.js', '.tsx', '.jsx', '.mjs'].map((ext) => readFile(path.join(root, stem + ext))).find((t) => t !== undefined);
        if (source === undefined) continue;
        for (const m of source.matchAll(/\b(?:chrome|browser)\.runtime\.getURL\(\s*['"]([^'"]+\.[cm]?js)['"]\s*\)/g)) {
          add(m[1], 'content-script', `content_scripts (loaded by ${stem})`);
        }
        break;
      }
    }
    return entries;
  }
  return [];
}

/** `main = "src/index.ts"` (TOML, top level: before the first [table]) or `"main": "src/index.ts"` (JSON, JSONC). */
function readWranglerMain(root: string, dir: string, readFile: (abs: string) => string | undefined): string | undefined {
  for (const name of WRANGLER_CONFIGS) {
    const text = readFile(path.join(root, dir, name));
    if (text === undefined) continue;
    const main = name.endsWith('.toml')
      ? /^[^\S\n]*main[^\S\n]*=[^\S\n]*(['"])([^'"\n]+)\1/m.exec(text.split(/^[^\S\n]*\[/m)[0])?.[2]
      : /"main"\s*:\s*"([^"]+)"/.exec(withoutComments(text))?.[1];
    if (main) return path.posix.normalize(dir ? `${dir}/${main}` : main).replace(/^\.\//, '');
  }
  return undefined;
}

const SCRIPT_EXTENSIONS = ['.ts', '.js', '.tsx', '.jsx', '.mts', '.mjs'];

/** `export const ssr = false` in the root layout of a SvelteKit app (SPA mode, often with adapter-static). */
function readsSsrFalse(root: string, dir: string, readFile: (abs: string) => string | undefined): boolean {
  for (const ext of ['.ts', '.js']) {
    const text = readFile(path.join(root, dir, `src/routes/+layout${ext}`));
    if (text !== undefined) return /\bexport\s+const\s+ssr\s*(?::\s*boolean\s*)?=\s*false\b/.test(withoutComments(text));
  }
  return false;
}

/** Comments out of a small config file, so a commented `ssr: false` or route changes nothing. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|(^|[^:'"])\/\/[^\n]*/g, '$1');
}

/**
 * `app/routes.ts` and `react-router.config.*` of a React Router 7 app. Route helpers name their module as a string
 * literal relative to the app folder: `route('about', 'routes/about.tsx')`, `index('home.tsx')`, `layout('shell.tsx', [...])`.
 */
function readReactRouterApp(root: string, dir: string, readFile: (abs: string) => string | undefined): ReactRouterApp {
  const read = (stem: string) => SCRIPT_EXTENSIONS.map((ext) => readFile(path.join(root, dir, stem + ext))).find((t) => t !== undefined);
  const config = withoutComments(read('react-router.config') ?? '');
  const appFolder = /\bappDirectory\s*:\s*(['"])([^'"]+)\1/.exec(config)?.[2]?.replace(/^\.\/|\/$/g, '') ?? 'app';
  const appDir = path.posix.normalize(dir ? `${dir}/${appFolder}` : appFolder);
  const routesText = read(`${appFolder}/routes`);
  const routes = withoutComments(routesText ?? '');
  const routeModules: string[] = [];
  for (const m of routes.matchAll(/\b(route|index|layout)\s*\(\s*(?:(['"`])([^'"`]*)\2\s*,\s*)?(['"`])([^'"`]+)\4/g)) {
    // route() takes the URL path first and the file second; index() and layout() take the file first.
    const file = m[1] === 'route' ? (m[3] === undefined ? null : m[5]) : m[3] === undefined ? m[5] : m[3];
    if (!file || !/\.[cm]?[jt]sx?$|^[^.]*$/.test(file)) continue;
    routeModules.push(path.posix.normalize(`${appDir}/${file}`).replace(/\.[cm]?[jt]sx?$/, ''));
  }
  return {
    appDir,
    routeModules,
    // File-system route helpers (@react-router/fs-routes, remix-flat-routes, react-router-auto-routes); a routes.ts
    // that names no module builds its routes some other way, so the folder convention stays the best guess.
    fileRoutes: routesText === undefined || routeModules.length === 0 || /\b(?:flatRoutes|autoRoutes|remixRoutesOptionAdapter)\s*\(/.test(routes),
    spaMode: /\bssr\s*:\s*false\b/.test(config),
  };
}

/** `<script type="module" src="/src/main.tsx">` in the package's index.html: Vite's browser entry points. */
function readHtmlEntries(root: string, dir: string, readFile: (abs: string) => string | undefined, problems: string[]): string[] {
  const html = readFile(path.join(root, dir, 'index.html'));
  if (html === undefined) return [];
  const entries: string[] = [];
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  for (const tag of withoutComments.matchAll(/<script\b([^>]*)>/gi)) {
    const attrs = tag[1];
    if (!/\btype\s*=\s*["']?module\b/i.test(attrs)) continue;
    const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(attrs)?.[1];
    if (!src) continue;
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src)) continue; // a CDN script is not a file of this workspace
    const local = src.replace(/[?#].*$/, '').replace(/^\//, '');
    entries.push(path.posix.normalize(dir ? `${dir}/${local}` : local).replace(/^\.\//, ''));
  }
  if (entries.length === 0 && /<script\b[^>]*\bsrc=/i.test(withoutComments)) {
    problems.push(`${dir ? `${dir}/` : ''}index.html loads no module script from this workspace`);
  }
  return entries;
}
