// The `api-atlas` command as a function of its arguments, streams and engine, so tests can run it in-process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding, ScanResult } from '../core/model';
import { applyFlags, cacheLocationOf, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliEngine, type CliStreams } from './contract';
import { parseArgs, USAGE, type ScanRequest } from './args';
import { applyCiOptions } from './ciOptions';
import { combineResults, dedupeRoots, isInside } from './combine';
import { failOnReason, meetsThreshold } from './format/common';
import { formatJson } from './format/json';
import { formatMarkdown } from './format/markdown';
import { formatSarif } from './format/sarif';
import { emptyScanHint, formatTable, type TableOptions } from './format/table';
import { createProgress } from './progress';

export { applyFlags, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CliEngine, type CliStreams, type ScanRootOptions } from './contract';

export async function runCli(argv: readonly string[], io: CliStreams, engine: CliEngine): Promise<number> {
  const request = parseArgs(argv);
  switch (request.kind) {
    case 'help':
      io.stdout.write(USAGE);
      return EXIT_OK;
    case 'version':
      io.stdout.write(`${engine.version}\n`);
      return EXIT_OK;
    case 'error':
      io.stderr.write(`api-atlas: ${request.message}\nRun "api-atlas --help" for usage.\n`);
      return EXIT_USAGE;
    case 'scan':
      return runScan(request.scan, io, engine);
    case 'hosts':
      return (await import('./hosts.ts')).runHosts(request.hosts, io, engine);
    case 'mcp':
      return (await import('./mcp.ts')).runMcpServer(request.scan, io, engine);
  }
}

async function runScan(request: ScanRequest, io: CliStreams, engine: CliEngine): Promise<number> {
  const warn = (message: string): void => void io.stderr.write(`api-atlas: warning: ${message}\n`);
  const fail = (message: string): number => {
    io.stderr.write(`api-atlas: ${message}\n`);
    return EXIT_USAGE;
  };

  const resolved: string[] = [];
  for (const given of request.paths) {
    const abs = path.resolve(io.cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return fail(code === 'ENOENT' ? `path not found: ${given}` : `cannot read ${given}: ${(err as Error).message}`);
    }
    if (!stat.isDirectory()) return fail(`${given} is a file; scan takes folders (the workspace roots to index)`);
    resolved.push(fs.realpathSync(abs));
  }
  const { roots, dropped } = dedupeRoots(resolved);
  for (const d of dropped) warn(d.root === d.within ? `${d.root} was given twice; scanned once` : `${d.root} is inside ${d.within}; scanned once, as part of it`);

  if (request.output !== null) {
    const outDir = path.dirname(path.resolve(io.cwd, request.output));
    if (!fs.existsSync(outDir)) return fail(`cannot write --output ${request.output}: folder ${outDir} does not exist`);
  }

  const progress = createProgress(io.stderr);
  const started = Date.now();
  const results: ScanResult[] = [];
  let indexedTests = false;
  for (const root of roots) {
    const loaded = engine.loadSettings(root);
    for (const w of loaded.warnings) warn(w);
    const settings = applyFlags(loaded.settings, request);
    indexedTests ||= settings.includeTests;
    const label = roots.length > 1 ? path.relative(io.cwd, root) || '.' : undefined;
    try {
      results.push(
        await engine.scanRoot(root, settings, {
          cacheLocation: cacheLocationOf(request, io.cwd),
          onProgress: (done, total) => progress.update(done, total, label),
          log: (message, level = 'warn') => {
            if (level === 'info' && !request.verbose) return;
            progress.clear();
            io.stderr.write(`api-atlas: ${level === 'info' ? '' : `${level === 'warn' ? 'warning' : 'error'}: `}${message}\n`);
          },
        }),
      );
    } catch (err) {
      progress.clear();
      return fail(`scanning ${root} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  progress.clear();
  const ci = applyCiOptions(combineResults(results, Date.now() - started), request, io.cwd, (line) => void io.stderr.write(`api-atlas: ${line}\n`));
  if ('error' in ci) return fail(ci.error);
  const { result, fingerprints } = ci;

  const toFile = request.output !== null;
  const color = !toFile && !request.noColor && !io.env.NO_COLOR && (Boolean(io.stdout.isTTY) || isForced(io.env.FORCE_COLOR));
  const report = render(result, request, io, engine, { color, width: toFile ? undefined : terminalWidth(io), includeTests: indexedTests }, fingerprints);
  if (toFile) {
    const target = path.resolve(io.cwd, request.output as string);
    try {
      fs.writeFileSync(target, report);
    } catch (err) {
      return fail(`cannot write --output ${request.output}: ${(err as Error).message}`);
    }
  } else {
    io.stdout.write(report);
  }

  // The table carries its own hint; the machine formats keep stdout clean, so theirs goes to stderr.
  const hint = emptyScanHint(result, indexedTests);
  if (hint && (toFile || request.format !== 'table')) io.stderr.write(`api-atlas: ${hint}\n`);

  if (request.failOn !== null && meetsThreshold(result, request.failOn)) {
    io.stderr.write(`api-atlas: ${failOnReason(result, request.failOn)}\n`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}


function render(result: ScanResult, request: ScanRequest, io: CliStreams, engine: CliEngine, table: TableOptions, fingerprints: ReadonlyMap<Finding, string>): string {
  switch (request.format) {
    case 'table':
      return formatTable(result, table);
    case 'json':
      return formatJson(result);
    case 'sarif':
      return formatSarif(result, { version: engine.version, rules: engine.rules, docsBaseUrl: engine.docsBaseUrl, informationUri: engine.homepage, fingerprints });
    case 'markdown':
      return formatMarkdown(result, { linkBase: githubLinkBase(result.root, io.env) ?? projectLinkBase(result.root), rulesBase: engine.docsBaseUrl });
  }
}

/** In GitHub Actions, file links in the markdown report point at the commit being checked. */
export function githubLinkBase(root: string, env: CliStreams['env']): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha, GITHUB_WORKSPACE: workspace } = env;
  if (!server || !repo || !sha || !workspace || !isInside(root, workspace)) return undefined;
  const prefix = path.relative(workspace, root).split(path.sep).join('/');
  return `${server}/${repo}/blob/${sha}/${prefix ? `${prefix}/` : ''}`;
}

/** The width to fit the table to: the terminal's, else `COLUMNS` (set by shells and CI for pipes), else none. */
export function terminalWidth(io: Pick<CliStreams, 'stdout' | 'env'>): number | undefined {
  if (io.stdout.isTTY && io.stdout.columns !== undefined && io.stdout.columns > 0) return io.stdout.columns;
  const fromEnv = Number(io.env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}

function isForced(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/**
 * Where rule pages live, from API Atlas's own package.json: its `repository`, else a `homepage` on a known code
 * host (read as the repository), else the homepage itself as the folder that holds `docs/`.
 */
export function docsBaseFromPackage(pkg: { repository?: unknown; homepage?: unknown }): string | undefined {
  const fromRepository = docsBaseFromRepository(pkg.repository);
  if (fromRepository) return fromRepository;
  if (typeof pkg.homepage !== 'string' || !/^https?:\/\//i.test(pkg.homepage)) return undefined;
  const site = pkg.homepage.replace(/[#?].*$/, '');
  return docsBaseFromRepository(site) ?? (site.endsWith('/') ? site : `${site}/`);
}

/**
 * Absolute file links for a markdown report outside GitHub Actions: the scanned project's own package.json
 * (the nearest one at or above the root) names its repository, and `repository.directory` or the folders
 * between that package.json and the root give the path inside it. Links go to the default branch (HEAD).
 */
export function projectLinkBase(root: string, readText: (file: string) => string | undefined = readIfPresent): string | undefined {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const text = readText(path.join(dir, 'package.json'));
    if (text !== undefined) {
      let manifest: { repository?: unknown };
      try {
        manifest = JSON.parse(text) as { repository?: unknown };
      } catch {
        return undefined; // a broken package.json names no repository; the report links nothing rather than guessing
      }
      const base = docsBaseFromRepository(manifest.repository);
      if (!base) return undefined;
      const declared = (manifest.repository as { directory?: unknown } | null)?.directory;
      const inside = [typeof declared === 'string' ? declared : '', path.relative(dir, root).split(path.sep).join('/')]
        .flatMap((part) => part.split('/'))
        .filter((part) => part !== '' && part !== '.');
      return `${base}${inside.map((part) => `${encodeURIComponent(part)}/`).join('')}`;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** `https://github.com/o/r/blob/HEAD/` from package.json's `repository` (string or object, git+ and .git forms). */
export function docsBaseFromRepository(repository: unknown): string | undefined {
  const raw = typeof repository === 'string' ? repository : (repository as { url?: unknown } | null)?.url;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  const shorthand = /^(?:github:)?([\w.-]+)\/([\w.-]+)$/.exec(raw.trim());
  if (shorthand) return `https://github.com/${shorthand[1]}/${shorthand[2].replace(/\.git$/, '')}/blob/HEAD/`;
  const url = /^(?:(?:git\+)?(?:https?|git|ssh):\/\/(?:[^@/]+@)?|git@)(github\.com|gitlab\.com|bitbucket\.org)[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(raw.trim());
  if (!url) return undefined;
  const [, host, owner, name] = url;
  const blob = host === 'gitlab.com' ? '-/blob/HEAD' : host === 'bitbucket.org' ? 'src/HEAD' : 'blob/HEAD';
  return `https://${host}/${owner}/${name}/${blob}/`;
}
