// Entry point of the `api-atlas` command (bundled to dist/cli.js): wires the engine, package metadata and the process into runCli.
import { RULES } from '../core/rules';
import { loadSettings } from '../core/settings';
import packageJson from '../../package.json';
import { docsBaseFromPackage, EXIT_USAGE, runCli, type CliEngine } from './run';

const pkg = packageJson as { version: string; repository?: unknown; homepage?: unknown };

const engine: CliEngine = {
  version: pkg.version,
  loadSettings,
  async scanRoot(root, settings, options) {
    // Loaded on first scan: --help and --version need no TypeScript compiler.
    const { scanWorkspace } = await import('../core/index/index.ts');
    const { codeCacheFolder, setCodeCacheFolder } = await import('../core/boot/index.ts');
    const { typeScriptLoad } = await import('../core/parse/index.ts');
    // A damaged code cache is replaced by itself: worth a line with --verbose, not a warning.
    setCodeCacheFolder(codeCacheFolder(), (message) => options.log(message, 'info'));
    const result = await scanWorkspace(root, settings, { log: options.log, cacheFile: await cacheFileOf(root, options.cacheLocation), onProgress: (p) => options.onProgress(p.done, p.total) });
    // With --verbose: whether the scan needed the TypeScript compiler, and how long loading it took.
    const load = typeScriptLoad();
    options.log(load ? `TypeScript compiler loaded in ${Math.round(load.ms)} ms (code cache: ${load.cache}).` : 'TypeScript compiler not loaded (nothing to parse).', 'info');
    return result;
  },
  async inspectRoot(root, settings, options) {
    const { AtlasIndex } = await import('../core/index/index.ts');
    const index = new AtlasIndex({ root, settings, log: options.log, cacheFile: await cacheFileOf(root, options.cacheLocation) });
    try {
      const result = await index.scan({ onProgress: (p) => options.onProgress(p.done, p.total) });
      return { result, records: index.getCalls() };
    } finally {
      index.dispose();
    }
  },
  rules: RULES,
  docsBaseUrl: docsBaseFromPackage(pkg),
  homepage: typeof pkg.homepage === 'string' ? pkg.homepage : undefined,
};

/** The analysis cache file for `root`: in `location`, in the default folder when undefined, none when null (`--no-cache`). */
async function cacheFileOf(root: string, location: string | null | undefined): Promise<string | undefined> {
  if (location === null) return undefined;
  const { cacheFileFor, defaultCacheFolder } = await import('../core/index/index.ts');
  return cacheFileFor(location ?? defaultCacheFolder(root), root);
}

// `api-atlas scan | head` closes the pipe early: that is the reader's choice, not a crash worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? 0);
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }, engine).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`api-atlas: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = EXIT_USAGE;
  },
);
