// Builds the three bundles of docs/design.md §1 (extension, CLI, webview) and the integration suite; exits non-zero on failure.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');
const { lazyTypeScriptPlugin, typeScriptBuild } = require('./scripts/lazy-typescript-plugin.cjs');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the `file:line:col: error:` form VS Code's esbuild problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * Identifies the engine's code for the analysis cache (src/core/index/cache.ts): a hash of every file under
 * src/core, the package version and TypeScript's version. Any change to them makes old caches foreign.
 */
function engineStamp() {
  const crypto = require('node:crypto');
  const hash = crypto.createHash('sha1');
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(path.relative(__dirname, full)).update('\0').update(fs.readFileSync(full)).update('\0');
    }
  };
  walk(path.join(__dirname, 'src', 'core'));
  hash.update(require('./package.json').version).update('\0').update(require('typescript/package.json').version);
  return hash.digest('hex').slice(0, 20);
}

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  // jsonc-parser's UMD `main` requires its modules dynamically, which a bundle cannot resolve: take its ESM build.
  mainFields: ['module', 'main'],
  // In watch mode the bundles change under one define: the engine then stamps itself from its bundle's mtime.
  define: { API_ATLAS_ENGINE_STAMP: JSON.stringify(watch ? 'watch' : engineStamp()) },
  plugins: watch ? [problemMatcher] : [],
};

// The bundles that hold the engine leave TypeScript out: it is dist/typescript.js, loaded the first time a file
// needs parsing (scripts/lazy-typescript-plugin.cjs), so start-up and answers from the analysis cache never compile it.
const engineBundle = { ...common, plugins: [...common.plugins, lazyTypeScriptPlugin()] };

const builds = [
  { ...engineBundle, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  { ...engineBundle, entryPoints: ['src/core/index/worker.ts'], outfile: 'dist/worker.js', platform: 'node', format: 'cjs', target: 'node20' },
  // dist/cli.js is a small start that runs dist/cli-main.js (the CLI) through the V8 code cache (src/cli/launch.ts).
  { ...common, entryPoints: ['src/cli/launch.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' } },
  { ...engineBundle, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli-main.js', platform: 'node', format: 'cjs', target: 'node20' },
  // The engine as a library for `npm run bench` (bench/run.mjs requires it); not shipped in the .vsix.
  { ...engineBundle, entryPoints: ['src/core/index/index.ts'], outfile: 'dist/engine.js', platform: 'node', format: 'cjs', target: 'node20' },
  typeScriptBuild('dist/typescript.js', { minify: production }),
  { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
  // The integration suite runs inside the extension host, which loads it with require(): index.js plus one
  // bundle per *.test.ts, whose names index.js receives so a test file can never be dropped silently.
  suiteBuild(),
];

/** The integration suite keeps TypeScript inside its bundles: they live in dist/test/suite, away from dist/typescript.js. */
function suiteBuild() {
  const suiteDir = path.join(__dirname, 'test', 'vscode', 'suite');
  const testFiles = fs.existsSync(suiteDir) ? fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).sort() : [];
  return {
    ...common,
    entryPoints: ['test/vscode/suite/index.ts', ...testFiles.map((f) => `test/vscode/suite/${f}`)],
    outdir: 'dist/test/suite',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    define: { ...common.define, API_ATLAS_SUITE_FILES: JSON.stringify(testFiles.map((f) => f.replace(/\.ts$/, '.js'))) },
  };
}

async function main() {
  const present = builds.filter((b) => fs.existsSync(path.resolve(__dirname, b.entryPoints[0])));
  // Bundles of deleted suite files must not linger and run.
  fs.rmSync(path.join(__dirname, 'dist', 'test', 'suite'), { recursive: true, force: true });
  if (watch) {
    for (const b of present) await (await esbuild.context(b)).watch();
    return;
  }
  await Promise.all(present.map((b) => esbuild.build(b)));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
