// File conventions of Electron, Vike, TanStack Start and Expo Router: which process or side each of their files runs on.
import type { PackageInfo } from '../graph/packages';
import type { Context, Runtime } from '../model/types';

/** One piece of evidence a convention gives, before it is added to the file's signals. */
export interface ConventionSignal {
  signal: string;
  runtime: Runtime;
  weight: number;
  detail: string;
  context: Context;
  /** The file is an entry point of its own (the framework loads it), so it is a propagation source. */
  entry: boolean;
}

const SCRIPT = /\.(?:[cm]?[jt]sx?|vue|svelte)$/;
/** `import … from 'electron'` / `require('electron')` together with the renderer-side bridge APIs. */
const PRELOAD_API = /(?<![\w$.])(?:contextBridge|ipcRenderer)(?![\w$])/;
const MAIN_PROCESS_API = /(?<![\w$.])(?:BrowserWindow|ipcMain|app\s*\.\s*whenReady)(?![\w$])/;
/** The main process's `app` lifecycle (`app.whenReady()`, `app.on('ready')`), for a main module that opens its windows elsewhere. */
const APP_LIFECYCLE = /(?<![\w$.])app\s*\.\s*(?:whenReady|on|quit|requestSingleInstanceLock|setAppUserModelId)\s*\(/;

/**
 * Electron runs one Node process (the package's `main`, which opens windows) and a Chromium renderer per window;
 * a preload script runs in the renderer before the page, with `contextBridge`/`ipcRenderer` to reach the main
 * process. A request made in the renderer or the preload leaves from the user's machine, like a browser's.
 */
function electronConventions(rel: string, local: string, masked: string, importsElectron: boolean, pkg: PackageInfo): ConventionSignal[] {
  const dirName = pkg.dir ? `${pkg.dir}/` : '';
  if (pkg.main === rel) {
    return [{ signal: 'electron-main', runtime: 'backend', weight: 0.9, detail: `the "main" of ${dirName}package.json in an Electron app: the main process, which runs in Node`, context: 'node-script', entry: true }];
  }
  if (importsElectron && APP_LIFECYCLE.test(masked) && !/(?<![\w$.])(?:BrowserWindow|ipcMain)(?![\w$])/.test(masked)) {
    // With BrowserWindow or ipcMain in the file, the Node signals already say "Electron's main process".
    return [{ signal: 'electron-main', runtime: 'backend', weight: 0.85, detail: "drives Electron's app lifecycle (app.whenReady/app.on): the main process, which runs in Node", context: 'node-script', entry: true }];
  }
  if (importsElectron && PRELOAD_API.test(masked) && !MAIN_PROCESS_API.test(masked)) {
    return [
      {
        signal: 'electron-preload',
        runtime: 'frontend',
        weight: 0.85,
        detail: 'an Electron preload script (contextBridge/ipcRenderer): it runs in the renderer process, beside the page, so its requests leave from the user\'s machine like a browser\'s',
        context: 'spa',
        entry: true,
      },
    ];
  }
  if (/(?:^|\/)renderer\//.test(local) && SCRIPT.test(rel)) {
    return [{ signal: 'electron-renderer', runtime: 'frontend', weight: 0.7, detail: 'in the renderer folder of an Electron app: a window\'s page code, which runs in Chromium on the user\'s machine', context: 'spa', entry: false }];
  }
  return [];
}

/** Vike `+` files that run on the server unless their name says otherwise (`.client`, `.shared`). */
const VIKE_SERVER_FILES = new Set(['data', 'onBeforeRender', 'guard', 'onRenderHtml', 'onBeforePrerenderStart', 'onPrerenderStart', 'onCreateGlobalContext', 'Head']);
const VIKE_CLIENT_FILES = new Set(['onRenderClient', 'onPageTransitionStart', 'onPageTransitionEnd', 'onHydrationEnd']);
const VIKE_SHARED_FILES = new Set(['Page', 'Layout', 'Wrapper', 'onBeforeRoute', 'route', 'title']);

/**
 * Vike: `+data` and `+onBeforeRender` run on the server by default, `+onRenderClient` in the browser, `+Page` and
 * `+Layout` on both (server rendering, then hydration); `.server`/`.client`/`.shared` in a name sets the side.
 */
function vikeConventions(base: string): ConventionSignal[] {
  const plus = /^\+(\w+)(?:\.(server|client|shared))?\.(?:[cm]?[jt]sx?|vue|svelte)$/.exec(base);
  if (plus) {
    const [, name, env] = plus;
    if (name === 'config') {
      return [{ signal: 'vike-config', runtime: 'backend', weight: 0.7, detail: 'a Vike +config file: read by Vike in Node at build time', context: 'node-script', entry: true }];
    }
    const side: Runtime | null = env === 'server' ? 'backend' : env === 'client' ? 'frontend' : env === 'shared' ? 'isomorphic' : VIKE_SERVER_FILES.has(name) ? 'backend' : VIKE_CLIENT_FILES.has(name) ? 'frontend' : VIKE_SHARED_FILES.has(name) ? 'isomorphic' : null;
    if (!side) return [];
    const where = side === 'backend' ? 'runs on the server' : side === 'frontend' ? 'runs in the browser' : 'runs on the server for the first render and in the browser after';
    const why = env ? ` (its .${env} suffix says so)` : side === 'backend' ? ' (Vike runs it on the server unless it is named .client or .shared)' : '';
    return [
      {
        signal: 'vike-file',
        runtime: side,
        weight: 0.9,
        detail: `a Vike +${name} file: it ${where}${why}`,
        context: side === 'backend' ? 'node-server' : side === 'frontend' ? 'spa' : 'ssr-component',
        entry: true,
      },
    ];
  }
  if (/\.server\.[cm]?[jt]sx?$/.test(base)) {
    return [{ signal: 'server-module-suffix', runtime: 'backend', weight: 0.9, detail: 'a .server module of a Vike app: Vike keeps it out of the browser bundle', context: 'node-server', entry: false }];
  }
  if (/\.client\.[cm]?[jt]sx?$/.test(base)) {
    return [{ signal: 'client-module-suffix', runtime: 'frontend', weight: 0.9, detail: 'a .client module of a Vike app: it is loaded only in the browser', context: 'spa', entry: false }];
  }
  return [];
}

/**
 * TanStack Start: route modules (`src/routes/**`, `app/routes/**`) render on the server for the first request and
 * in the browser on navigation, loaders included; `createServerFn` handlers and server routes are regions of
 * their own (regions.ts). The server and client entries run on their side.
 */
function tanStackStartConventions(local: string, base: string): ConventionSignal[] {
  if (/^(?:src|app)\/(?:server|ssr)\.[cm]?[jt]sx?$/.test(local)) {
    return [{ signal: 'tanstack-start-entry', runtime: 'backend', weight: 0.9, detail: `the TanStack Start server entry (${base}): it runs on the server`, context: 'node-server', entry: true }];
  }
  if (/^(?:src|app)\/client\.[cm]?[jt]sx?$/.test(local)) {
    return [{ signal: 'tanstack-start-entry', runtime: 'frontend', weight: 0.9, detail: `the TanStack Start client entry (${base}): it hydrates the app in the browser`, context: 'spa', entry: true }];
  }
  if (/^(?:src|app)\/routes\/.+\.[cm]?[jt]sx?$/.test(local) && !/(?:^|\/)-/.test(local.replace(/^(?:src|app)\/routes\//, ''))) {
    return [
      {
        signal: 'tanstack-start-route',
        runtime: 'isomorphic',
        weight: 0.8,
        detail: 'a TanStack Start route: its component, loader and beforeLoad run on the server for the first request and in the browser on navigation (createServerFn handlers run only on the server)',
        context: 'ssr-component',
        entry: true,
      },
    ];
  }
  return [];
}

/** Expo Router API routes (`app/**\/name+api.ts`): server code, deployed apart from the app on the device. */
function expoConventions(local: string, base: string): ConventionSignal[] {
  if (/^(?:src\/)?app\/(?:.+\/)?[^/]*\+api\.[cm]?[jt]sx?$/.test(local)) {
    return [{ signal: 'expo-api-route', runtime: 'backend', weight: 0.95, detail: `an Expo Router API route (${base}): it runs on a server, not on the device`, context: 'node-server', entry: true }];
  }
  return [];
}

/** The conventions that place this file, for the frameworks its package uses; empty when none applies. */
export function appConventions(rel: string, local: string, base: string, masked: string, specifiers: ReadonlySet<string>, pkg: PackageInfo): ConventionSignal[] {
  const fw = pkg.frameworks;
  const out: ConventionSignal[] = [];
  if (fw.electron) out.push(...electronConventions(rel, local, masked, specifiers.has('electron'), pkg));
  if (fw.vike) out.push(...vikeConventions(base));
  if (fw.tanstackStart) out.push(...tanStackStartConventions(local, base));
  if (fw.reactNative) out.push(...expoConventions(local, base));
  return out;
}
