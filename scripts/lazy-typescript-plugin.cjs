// An esbuild plugin for the engine's bundles: `typescript` becomes dist/typescript.js, a file of its own loaded on first use (src/core/parse/lazy-typescript.ts), and the build that writes that file.
const fs = require('node:fs');
const path = require('node:path');

const LOADER = path.join(__dirname, '..', 'src', 'core', 'parse', 'lazy-typescript.ts');

/** The plugin: every `import ... from 'typescript'` of the bundle reads the lazy face, which knows the compiler's export names. */
function lazyTypeScriptPlugin() {
  return {
    name: 'lazy-typescript',
    setup(build) {
      build.onResolve({ filter: /^typescript$/ }, () => ({ path: 'typescript', namespace: 'lazy-typescript' }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-typescript' }, () => {
        // The compiler's names src/ reads (`ts.createSourceFile`, `ts.SyntaxKind`): defining all 2,000+ of them took
        // ~4 ms of every start. Once the compiler is loaded, every one of its names is there.
        const ts = require('typescript');
        const names = [...namesUsed()].filter((name) => name in ts);
        return {
          // An ES module with a default export: `import ts from 'typescript'` then reads it directly, where a CommonJS
          // module would be wrapped once per importing file, copying every name (2,000+) each time.
          contents: `import { lazyTypeScript } from ${JSON.stringify(LOADER)};\nexport default lazyTypeScript(${JSON.stringify(names)}, ${JSON.stringify(enumsUsed(ts, names))});\n`,
          resolveDir: path.dirname(LOADER),
          loader: 'js',
        };
      });
    },
  };
}

/** Every name src/ reads from the compiler as `ts.<name>`, sorted. */
function namesUsed() {
  const used = new Set();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) for (const m of fs.readFileSync(full, 'utf8').matchAll(/\bts\.([A-Za-z_$][\w$]*)/g)) used.add(m[1]);
    }
  };
  walk(path.join(__dirname, '..', 'src'));
  return [...used].sort();
}

/**
 * The compiler's enums that src/ reads (`ts.SyntaxKind.Block`), as data: module-level tables of syntax kinds
 * then need no compiler, so loading the engine does not load it. Enums are plain objects of numbers and names.
 */
function enumsUsed(ts, names) {
  const out = {};
  for (const name of names) {
    const value = ts[name];
    const isEnum = value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every((v) => typeof v === 'number' || typeof v === 'string');
    if (isEnum) out[name] = value;
  }
  return out;
}

/** esbuild options that write TypeScript's own CommonJS build as `outfile` (minified in production). */
function typeScriptBuild(outfile, { minify }) {
  return { entryPoints: [require.resolve('typescript')], outfile, bundle: true, minify, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error', legalComments: 'inline' };
}

module.exports = { lazyTypeScriptPlugin, typeScriptBuild };
