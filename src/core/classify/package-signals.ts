// Evidence from a file's package: the entries it declares (index.html, extension manifest, wrangler main, bin, main), build configuration, and its dependencies.
import { listNames, type SignalSink } from './signal-sink';
import { SCRIPT_EXT } from './framework-conventions';
import type { PackageInfo } from '../graph/packages';

const BUILD_CONFIG_NAME = /^(?!app\.config\.)[\w.-]+\.config\.[cm]?[jt]s$|^(gulpfile|gruntfile|Gruntfile|webpack\.[\w.-]+|rollup\.[\w.-]+|\.eslintrc|\.prettierrc|\.babelrc|babel\.config|metro\.config|jest\.setup)\.[cm]?[jt]s$/;

const FRONTEND_PACKAGE_LIBS: [keyof PackageInfo['frameworks'], string][] = [
  ['reactDom', 'react-dom'],
  ['vite', 'vite'],
  ['vue', 'vue'],
  ['svelte', 'svelte'],
  ['angular', '@angular/core'],
  ['solid', 'solid-js'],
  ['preact', 'preact'],
  ['reactScripts', 'react-scripts'],
];
const BACKEND_PACKAGE_LIBS: [keyof PackageInfo['frameworks'], string][] = [
  ['express', 'express'],
  ['fastify', 'fastify'],
  ['koa', 'koa'],
  ['nest', '@nestjs/core'],
  ['hono', 'hono'],
  ['hapi', '@hapi/hapi'],
];

/** Stems no extension build maps by name alone: too common to tie a built script to one source. */
const GENERIC_STEMS = new Set(['index', 'main', 'app']);

/** The manifest entry this file is: by path without extension, else by file name inside the manifest's folder. */
function extensionEntryFor(rel: string, pkg: PackageInfo): PackageInfo['extensionEntries'][number] | undefined {
  if (!pkg.extensionEntries || pkg.extensionEntries.length === 0 || !SCRIPT_EXT.test(rel)) return undefined;
  const stem = rel.replace(/\.[cm]?[jt]sx?$/, '');
  const exact = pkg.extensionEntries.find((e) => e.stem === stem);
  if (exact) return exact;
  const name = stem.slice(stem.lastIndexOf('/') + 1);
  if (GENERIC_STEMS.has(name)) return undefined;
  return pkg.extensionEntries.find((e) => {
    const folder = e.manifest.slice(0, e.manifest.lastIndexOf('/') + 1);
    return e.stem.slice(e.stem.lastIndexOf('/') + 1) === name && rel.startsWith(folder) && rel.slice(folder.length).split('/').length <= 2;
  });
}

export function packageSignals(sink: SignalSink, rel: string, local: string, base: string, pkg: PackageInfo | null): void {
  if (!pkg) return;
  if (pkg.htmlEntries.includes(rel)) {
    sink.entry = true;
    sink.add('html-entry', 'frontend', 0.9, `${pkg.dir ? `${pkg.dir}/` : ''}index.html loads it as a module script: the browser app's entry point`, 'spa');
  }
  const extension = extensionEntryFor(rel, pkg);
  if (extension) {
    sink.entry = true;
    const role = { background: ['extension-background', 'the extension\'s background script'], 'content-script': ['extension-content-script', 'a content script, run inside the web pages it matches'], page: ['extension-page', 'a script of one of the extension\'s own pages'] } as const;
    const [context, what] = role[extension.role];
    sink.add('browser-extension', 'frontend', 0.9, `${extension.manifest} lists it under ${extension.key}: ${what}, in the browser`, context);
  }
  const fw = pkg.frameworks;
  if (fw.reactScripts && /^src\/index\.[jt]sx?$/.test(local)) {
    sink.entry = true;
    sink.add('cra-entry', 'frontend', 0.9, "the entry point of a Create React App app (react-scripts): it runs in the browser", 'spa');
  }
  if (pkg.wranglerMain === rel) {
    sink.entry = true;
    sink.add('edge-worker', 'backend', 0.95, `the "main" of ${pkg.dir ? `${pkg.dir}/` : ''}wrangler config: the Cloudflare Worker's entry, run at the edge`, 'edge-worker');
  }
  if (pkg.bin.includes(rel)) {
    sink.entry = true;
    sink.add('package-bin', 'backend', 0.9, `listed under "bin" in ${pkg.dir ? `${pkg.dir}/` : ''}package.json: a command-line tool run by Node`, 'node-script');
  }
  const frontendLibs = FRONTEND_PACKAGE_LIBS.filter(([flag]) => fw[flag]).map(([, name]) => name);
  const backendLibs = BACKEND_PACKAGE_LIBS.filter(([flag]) => fw[flag]).map(([, name]) => name);
  const fullStack = fw.next || fw.nuxt || fw.sveltekit || fw.remix || fw.astro;
  if (pkg.main === rel && backendLibs.length > 0 && frontendLibs.length === 0 && !fullStack) {
    sink.entry = true;
    sink.add('package-main', 'backend', 0.7, `the "main" of a package that depends on ${listNames(backendLibs)}: the server's entry point`, 'node-server');
  }
  if (local === base && BUILD_CONFIG_NAME.test(base)) {
    sink.add('build-config', 'backend', 0.7, `${base} is tool configuration: it runs in Node during the build`, 'node-script');
  }
  if (fw.reactNative) {
    sink.add('react-native', 'frontend', 0.6, 'in a React Native app: it runs on the user\'s device, where secrets are as exposed as in a browser', 'mobile-app');
    return;
  }
  const name = pkg.name ?? (pkg.dir || 'the root package');
  if (frontendLibs.length > 0 && backendLibs.length === 0 && !fullStack) {
    sink.add('package-dependencies', 'frontend', 0.25, `its package (${name}) depends on ${listNames(frontendLibs)} and no server framework`, 'spa');
  } else if (backendLibs.length > 0 && frontendLibs.length === 0 && !fullStack) {
    sink.add('package-dependencies', 'backend', 0.25, `its package (${name}) depends on ${listNames(backendLibs)} and no browser framework`, 'node-server');
  }
}
