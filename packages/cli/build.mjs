// Builds the publishable CLI: dist/cli.js (which starts dist/cli-main.js), its parser worker and the TypeScript compiler they load on first use (dist/typescript.js), minified, with no dependencies at run time.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const requireFromRepo = createRequire(join(repo, 'package.json'));
const { lazyTypeScriptPlugin, typeScriptBuild } = requireFromRepo('./scripts/lazy-typescript-plugin.cjs');

let esbuild;
try {
  esbuild = requireFromRepo('esbuild');
} catch (err) {
  console.error(`@api-atlas/cli: the build needs the repository's dev dependencies; run "npm install" in ${repo} first (${err.message})`);
  process.exit(1);
}

// The CLI prints the version it was built from the repository's package.json; the two must not drift.
const own = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const root = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
if (own.version !== root.version) {
  console.error(`@api-atlas/cli: version ${own.version} differs from the repository's ${root.version}; bump both together`);
  process.exit(1);
}

const out = join(here, 'dist');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const common = { bundle: true, minify: true, legalComments: 'eof', platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'], logLevel: 'warning', absWorkingDir: repo, plugins: [lazyTypeScriptPlugin()] };
try {
  await Promise.all([
    // A small start that runs the CLI's bundle through the V8 code cache (src/cli/launch.ts).
    esbuild.build({ ...common, entryPoints: ['src/cli/launch.ts'], outfile: join(out, 'cli.js'), banner: { js: '#!/usr/bin/env node' } }),
    esbuild.build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: join(out, 'cli-main.js') }),
    esbuild.build({ ...common, entryPoints: ['src/core/index/worker.ts'], outfile: join(out, 'worker.js') }),
    esbuild.build({ ...typeScriptBuild(join(out, 'typescript.js'), { minify: true }), absWorkingDir: repo }),
  ]);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
for (const file of ['LICENSE']) {
  if (existsSync(join(repo, file))) copyFileSync(join(repo, file), join(here, file));
}
