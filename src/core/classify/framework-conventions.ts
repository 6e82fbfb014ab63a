// Evidence from the file conventions of full-stack frameworks: Next.js, SvelteKit, Nuxt, Astro and React Router/Remix (routes, endpoints, hooks, .server/.client modules).
import type { SignalSink } from './signal-sink';
import type { FileSignals, Region } from './shapes';
import { exportedConstString, ownExportNames, type CodeScan } from '../parse/code-text';
import { astroFrontmatter } from '../scan/discovery';
import type { PackageInfo } from '../graph/packages';

const SOURCE_EXT = /\.(?:[cm]?[jt]sx?|vue|svelte)$/;
export const SCRIPT_EXT = /\.(?:[cm]?[jt]sx?)$/;

export function frameworkConventions(
  sink: SignalSink,
  rel: string,
  local: string,
  base: string,
  code: string,
  scan: CodeScan,
  pkg: PackageInfo,
  directive: FileSignals['directive'],
): void {
  const fw = pkg.frameworks;
  const before = sink.evidence.length;
  if (fw.next) nextConventions(sink, local, base, code, scan, directive);
  if (fw.sveltekit) svelteKitConventions(sink, local, base, scan);
  else if (fw.svelte && base.endsWith('.svelte')) {
    sink.add('svelte-component', 'frontend', 0.7, 'a Svelte component: it runs in the browser', 'spa');
  }
  if (fw.nuxt) nuxtConventions(sink, local, base, scan);
  else if (fw.vue && base.endsWith('.vue')) {
    sink.add('vue-component', 'frontend', 0.7, 'a Vue single-file component in a Vue app: it runs in the browser', 'spa');
  }
  if (fw.astro) astroConventions(sink, local, base);
  if (fw.remix) remixConventions(sink, rel, local, base, pkg, ownExportNames(code, scan.inNonCode));
  if (sink.evidence.length > before) return; // a convention of the framework already said what the file is
  if (/\.server\.[cm]?[jt]sx?$/.test(base) && (fw.remix || fw.sveltekit || fw.nuxt)) {
    sink.add('server-module-suffix', 'backend', 0.9, 'a .server module: the framework keeps it out of the browser bundle', fw.remix ? 'remix-server' : fw.sveltekit ? 'sveltekit-server' : 'nuxt-server');
  } else if (/\.client\.[cm]?[jt]sx?$/.test(base) && (fw.remix || fw.nuxt)) {
    sink.add('client-module-suffix', 'frontend', 0.9, 'a .client module: the framework loads it only in the browser', 'spa');
  }
}

function nextConventions(sink: SignalSink, local: string, base: string, code: string, scan: CodeScan, directive: FileSignals['directive']): void {
  const app = /^(?:src\/)?app\/(?:.*\/)?([^/]+)$/.exec(local);
  if (app && SOURCE_EXT.test(base)) {
    const stem = base.replace(/\.[^.]+$/, '');
    if (stem === 'route') {
      const declared = exportedConstString(code, scan.masked, 'runtime');
      const onEdge = declared === 'edge' || declared === 'experimental-edge';
      sink.entry = true;
      sink.add(
        'next-route-handler',
        'backend',
        0.95,
        `a Next.js route handler (app/**/route): it runs on the server${onEdge ? ", in the edge runtime (export const runtime = 'edge')" : ''}`,
        'next-route-handler',
      );
      return;
    }
    if (/^(sitemap|robots|manifest|opengraph-image|twitter-image|icon|apple-icon)$/.test(stem)) {
      sink.entry = true;
      sink.add('next-route-handler', 'backend', 0.85, `a Next.js metadata route (${stem}): it is generated on the server`, 'next-route-handler');
      return;
    }
    if (/^(page|layout|template|loading|not-found|default|forbidden|unauthorized)$/.test(stem)) {
      sink.entry = true;
      if (directive !== 'use client') {
        sink.add(
          'next-server-component',
          'backend',
          0.9,
          `a Next.js app router ${stem} without 'use client': a server component, rendered only on the server`,
          'next-server-component',
        );
      }
      return;
    }
    if (/^(error|global-error)$/.test(stem)) {
      sink.entry = true;
      sink.add('next-client-convention', 'frontend', 0.9, `a Next.js ${stem} boundary: always a client component`, 'next-client-component');
      return;
    }
  }
  const middleware = /^(?:src\/)?(middleware|proxy)\.[cm]?[jt]s$/.exec(local);
  if (middleware) {
    sink.entry = true;
    const declared = exportedConstString(code, scan.masked, 'runtime') ?? configRuntime(code, scan.masked);
    const isProxy = middleware[1] === 'proxy';
    const runtime = declared ?? (isProxy ? 'nodejs' : 'edge');
    const how = declared ? `declares runtime '${declared}'` : `the default runtime is ${runtime}`;
    sink.add('next-middleware', 'backend', 0.95, `Next.js ${middleware[1]}: it runs on the server before each matching request (${how})`, 'next-middleware');
    return;
  }
  if (/^(?:src\/)?instrumentation\.[cm]?[jt]s$/.test(local)) {
    sink.entry = true;
    sink.add('next-instrumentation', 'backend', 0.9, 'Next.js instrumentation: it runs once when the server starts', 'node-server');
    return;
  }
  if (/^(?:src\/)?instrumentation-client\.[cm]?[jt]s$/.test(local)) {
    sink.entry = true;
    sink.add('next-client-convention', 'frontend', 0.9, 'Next.js client instrumentation: it runs in the browser before the app starts', 'next-client-component');
    return;
  }
  const pages = /^(?:src\/)?pages\/(.+)$/.exec(local);
  if (pages && SCRIPT_EXT.test(base)) {
    sink.entry = true;
    if (pages[1].startsWith('api/')) {
      const declared = exportedConstString(code, scan.masked, 'runtime') ?? configRuntime(code, scan.masked);
      const onEdge = declared === 'edge' || declared === 'experimental-edge';
      sink.add('next-pages-api', 'backend', 0.95, `a Next.js API route (pages/api): it runs on the server${onEdge ? ', in the edge runtime' : ''}`, 'next-pages-api');
    } else if (/^_document\./.test(pages[1])) {
      sink.add('next-pages-page', 'backend', 0.9, 'the Next.js pages router _document: it renders only on the server', 'ssr-component');
    } else {
      sink.add(
        'next-pages-page',
        'isomorphic',
        0.85,
        'a Next.js pages router page: the component renders on the server and again in the browser (getServerSideProps and getStaticProps run only on the server)',
        'ssr-component',
      );
    }
  }
}

/** `export const config = { runtime: 'edge' }` (pages router API routes, middleware). */
function configRuntime(code: string, masked: string): string | null {
  const m = /\bexport\s+const\s+config\b[^;]*?\bruntime\s*:\s*(['"])/.exec(masked);
  if (!m) return null;
  const quote = m.index + m[0].length - 1;
  const close = masked.indexOf(masked[quote], quote + 1);
  return code.slice(quote + 1, close);
}

function svelteKitConventions(sink: SignalSink, local: string, base: string, scan: CodeScan): void {
  if (/^src\/routes\//.test(local)) {
    if (/^\+(page|layout)\.server\.[jt]s$|^\+server\.[jt]s$/.test(base)) {
      sink.entry = true;
      const what = base.startsWith('+server') ? 'a SvelteKit endpoint (+server)' : `a SvelteKit server load (${base})`;
      sink.add('sveltekit-server-route', 'backend', 0.95, `${what}: it runs only on the server`, 'sveltekit-server');
      return;
    }
    if (/^\+(page|layout)\.[jt]s$/.test(base)) {
      sink.entry = true;
      if (/\bexport\s+const\s+ssr\s*=\s*false\b/.test(scan.masked)) {
        sink.add('sveltekit-universal-load', 'frontend', 0.9, `a SvelteKit universal load (${base}) with ssr = false: it runs only in the browser`, 'sveltekit-universal');
      } else {
        sink.add(
          'sveltekit-universal-load',
          'isomorphic',
          0.9,
          `a SvelteKit universal load (${base}): it runs on the server for the first request and in the browser on navigation`,
          'sveltekit-universal',
        );
      }
      return;
    }
  }
  if (/^src\/hooks\.server\.[jt]s$/.test(local)) {
    sink.entry = true;
    sink.add('sveltekit-server-route', 'backend', 0.95, 'SvelteKit server hooks: they run on the server for every request', 'sveltekit-server');
  } else if (/^src\/hooks\.client\.[jt]s$/.test(local)) {
    sink.entry = true;
    sink.add('sveltekit-client-hooks', 'frontend', 0.95, 'SvelteKit client hooks: they run in the browser', 'spa');
  } else if (/^src\/hooks\.[jt]s$/.test(local)) {
    sink.entry = true;
    sink.add('sveltekit-universal-load', 'isomorphic', 0.8, 'SvelteKit universal hooks: they run on the server and in the browser', 'sveltekit-universal');
  } else if (/^src\/lib\/server\//.test(local)) {
    sink.add('sveltekit-server-module', 'backend', 0.9, 'in src/lib/server of a SvelteKit app: SvelteKit refuses to import it into browser code', 'sveltekit-server');
  } else if (/^src\/service-worker(\.[jt]s|\/index\.[jt]s)$/.test(local)) {
    sink.entry = true;
    sink.add('service-worker', 'frontend', 0.95, "SvelteKit's service worker: it runs in the browser's service-worker scope", 'service-worker');
  }
  if (base.endsWith('.svelte')) {
    if (/^\+/.test(base)) sink.entry = true;
    sink.add('sveltekit-component', 'frontend', 0.7, 'a Svelte component: it runs in the browser (SvelteKit also renders it once on the server)', 'spa');
  }
}

function nuxtConventions(sink: SignalSink, local: string, base: string, scan: CodeScan): void {
  const server = /^server\/(api|routes|middleware|plugins|utils|tasks)?/.exec(local);
  if (server) {
    if (server[1] && server[1] !== 'utils') sink.entry = true;
    sink.add('nuxt-server-dir', 'backend', 0.95, "in a Nuxt app's server/ directory: Nuxt builds it into the Nitro server", 'nuxt-server');
    return;
  }
  const app = local.replace(/^app\//, ''); // Nuxt 4 keeps the app under app/
  if (/\.client\.vue$/.test(base)) {
    sink.add('client-module-suffix', 'frontend', 0.9, 'a .client.vue component: Nuxt renders it only in the browser', 'spa');
    return;
  }
  if (/\.server\.vue$/.test(base)) {
    sink.add('server-module-suffix', 'backend', 0.85, 'a .server.vue component: a Nuxt server component, rendered only on the server', 'nuxt-server');
    return;
  }
  const plugin = /^plugins\/[^/]+$/.test(app);
  if (plugin && /\.client\.[jt]s$/.test(base)) {
    sink.entry = true;
    sink.add('client-module-suffix', 'frontend', 0.9, 'a Nuxt .client plugin: it runs only in the browser', 'spa');
    return;
  }
  if (plugin && /\.server\.[jt]s$/.test(base)) {
    sink.entry = true;
    sink.add('server-module-suffix', 'backend', 0.9, 'a Nuxt .server plugin: it runs only on the server', 'nuxt-server');
    return;
  }
  if (base.endsWith('.vue') && (/^(pages|components|layouts)\//.test(app) || /^(app|error)\.vue$/.test(app))) {
    sink.entry = /^(pages|layouts)\//.test(app) || /^(app|error)\.vue$/.test(app);
    sink.add(
      'nuxt-component',
      'isomorphic',
      0.8,
      'a Nuxt page or component: its setup runs on the server during SSR and again in the browser (onMounted runs only in the browser)',
      'ssr-component',
    );
    return;
  }
  if (/^(composables|utils)\/.+\.[jt]s$/.test(app)) {
    sink.add('nuxt-component', 'isomorphic', 0.6, `in the Nuxt ${app.split('/')[0]}/ directory: auto-imported into pages and components, which run on the server and in the browser`, 'shared-module');
    return;
  }
  if (plugin || /^middleware\/[^/]+\.[jt]s$/.test(app)) {
    sink.entry = true;
    sink.add('nuxt-component', 'isomorphic', 0.75, `a Nuxt ${plugin ? 'plugin' : 'route middleware'}: it runs on the server and in the browser`, 'ssr-component');
    return;
  }
  if (scan.hits.has('defineEventHandler') || scan.hits.has('defineCachedHandler')) {
    sink.add('nuxt-server-dir', 'backend', 0.85, 'defines a Nitro/h3 event handler: server code', 'nuxt-server');
  }
}

/**
 * Astro routes every script module under src/pages/ as an endpoint (`export const GET`/`POST`); it runs on the
 * server at request time, or in Node at build time when prerendered. A `_`-prefixed segment is not routed.
 */
function astroConventions(sink: SignalSink, local: string, base: string): void {
  if (!/^src\/pages\/.+\.[cm]?[jt]s$/.test(local) || /(^|\/)_/.test(local.slice('src/pages/'.length))) return;
  sink.entry = true;
  sink.add('astro-endpoint', 'backend', 0.9, `an Astro endpoint (${base} under src/pages/): it runs on the server, at request time or at build time`, 'astro-server');
}

/**
 * An `.astro` component's two sides: the frontmatter runs on the server (per request, or at build time), and the
 * code left after it is its `<script>` tags, which Astro bundles for the browser.
 */
export function astroRegions(code: string): Region[] {
  const fm = astroFrontmatter(code);
  const regions: Region[] = [];
  if (fm) {
    const detail = 'in the frontmatter of an Astro component (between the --- fences): it runs on the server, at request or build time';
    regions.push({ span: fm, name: 'frontmatter', runtime: 'backend', context: 'astro-server', confidence: 0.9, evidence: [{ signal: 'astro-frontmatter', detail, runtime: 'backend', weight: 0.9 }] });
  }
  const scriptsFrom = fm ? fm.end + 3 : 0;
  if (/\S/.test(code.slice(scriptsFrom))) {
    const detail = 'in a <script> of an Astro component: Astro bundles it for the browser';
    regions.push({ span: { start: scriptsFrom, end: code.length }, name: '<script>', runtime: 'frontend', context: 'spa', confidence: 0.9, evidence: [{ signal: 'astro-script', detail, runtime: 'frontend', weight: 0.9 }] });
  }
  return regions;
}

/** Whether a module is a route module of a React Router 7 / Remix app: declared in app/routes.ts, under app/routes/, or app/root. */
function isRouteModule(rel: string, local: string, base: string, pkg: PackageInfo): boolean {
  if (/\.(server|client)\.[cm]?[jt]sx?$/.test(base) || !/\.[cm]?[jt]sx?$/.test(base)) return false;
  const app = pkg.reactRouter;
  if (!app) return /^app\/(routes\/.+|root)\.[jt]sx?$/.test(local);
  const stem = rel.replace(/\.[cm]?[jt]sx?$/, '');
  if (stem === `${app.appDir}/root` || app.routeModules.includes(stem)) return true;
  return app.fileRoutes && rel.startsWith(`${app.appDir}/routes/`);
}

function remixConventions(sink: SignalSink, rel: string, local: string, base: string, pkg: PackageInfo, exportNames: string[] | null): void {
  const appDir = pkg.reactRouter ? pkg.reactRouter.appDir.slice(pkg.dir ? pkg.dir.length + 1 : 0) : 'app';
  const spaMode = pkg.reactRouter?.spaMode ?? false;
  const inApp = local.startsWith(`${appDir}/`) ? local.slice(appDir.length + 1) : '';
  if (/^entry\.server\.[jt]sx?$/.test(inApp)) {
    sink.entry = true;
    sink.add('remix-route', 'backend', 0.95, 'the Remix server entry: it renders on the server', 'remix-server');
  } else if (/^entry\.client\.[jt]sx?$/.test(inApp)) {
    sink.entry = true;
    sink.add('remix-route', 'frontend', 0.95, 'the Remix browser entry: it hydrates the app in the browser', spaMode ? 'spa' : 'react-router-route');
  } else if (isRouteModule(rel, local, base, pkg)) {
    sink.entry = true;
    const declared = pkg.reactRouter?.routeModules.includes(rel.replace(/\.[cm]?[jt]sx?$/, '')) ? ` (${pkg.reactRouter.appDir}/routes.ts declares it)` : '';
    if (spaMode) {
      sink.add('remix-route', 'frontend', 0.9, `a route module of a React Router app in SPA mode (ssr: false)${declared}: no server renders it, it runs in the browser; a loader runs only at build time`, 'spa');
      return;
    }
    if (exportNames && !exportNames.includes('default') && exportNames.some((n) => n === 'loader' || n === 'action')) {
      sink.add('remix-route', 'backend', 0.9, `a resource route${declared} (${exportNames.filter((n) => n === 'loader' || n === 'action').join(' and ')}, no component): it runs only on the server`, 'remix-server');
      return;
    }
    sink.add(
      'remix-route',
      'frontend',
      0.75,
      `a React Router/Remix route module${declared}: the component runs in the browser (after a first render on the server); loader and action run on the server`,
      'react-router-route',
    );
  }
}
