// Installs and locates what the integration suite needs on a machine that reaches only npm and Debian:
// code-server in .vscode-test/code-server/ (with ripgrep seeded from Debian's rg), and headless Chromium.
// Run directly (`node test/vscode/setup.mjs`) to install ahead of time; the runners call it too.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheRoot = path.join(repoRoot, '.vscode-test');
export const codeServerDir = path.join(cacheRoot, 'code-server');
const codeServerPackage = path.join(codeServerDir, 'node_modules', 'code-server');
const installedMarker = path.join(codeServerDir, `.installed-${CODE_SERVER_VERSION}`);

/**
 * The ripgrep release each @vscode/ripgrep version downloads in its postinstall (`const VERSION` in
 * lib/postinstall.js). code-server 4.100.3's shrinkwrap pins 1.15.11; the others are seeded in case a
 * different code-server resolves another one.
 */
const RIPGREP_RELEASES = {
  '1.15.11': 'v13.0.0-10',
  '1.15.13': 'v13.0.0-13',
  '1.15.14': 'v13.0.0-13',
  '1.17.0': 'v15.0.0',
  '1.17.1': 'v15.0.1',
};

/** Files whose absence means code-server's postinstall (or one of its native builds) did not run. */
const REQUIRED_AFTER_INSTALL = [
  'out/node/entry.js',
  'lib/vscode/out/server-main.js',
  'lib/vscode/node_modules/@vscode/ripgrep/bin/rg',
  'lib/vscode/node_modules/node-pty/build/Release/pty.node',
  'lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node',
  'lib/vscode/extensions/node_modules',
];

export const SUITE_INDEX = path.join(repoRoot, 'dist', 'test', 'suite', 'index.js');
const EXTENSION_BUNDLE = path.join(repoRoot, 'dist', 'extension.js');
/** What the suite opens when not told: the multi-root workspace the suite's tests are written against, else the Next.js fixture. */
const DEFAULT_WORKSPACES = [
  path.join(repoRoot, 'test', 'fixtures', 'vscode-workspace', 'atlas.code-workspace'),
  path.join(repoRoot, 'test', 'fixtures', 'next-app'),
];
/** Printed by test/vscode/suite/index.ts when mocha finishes (its SUMMARY_PREFIX). */
export const SUMMARY_PATTERN = /API Atlas integration suite: (\d+) passed, (\d+) failed, (\d+) pending/;

/** Debian packages the integration suite needs, and the command that provides each. */
const DEBIAN_PACKAGES = [
  { pkg: 'chromium', present: () => findChromium() !== null },
  { pkg: 'ripgrep', present: () => findOnPath('rg') !== null },
  { pkg: 'libkrb5-dev', present: () => fs.existsSync('/usr/include/krb5.h') || fs.existsSync('/usr/include/gssapi/gssapi.h') },
  // code-server's native modules (kerberos, node-pty) build from source on these machines.
  { pkg: 'python3', present: () => findOnPath('python3') !== null },
  { pkg: 'make', present: () => findOnPath('make') !== null },
  { pkg: 'g++', present: () => findOnPath('g++') !== null },
];

/** Returns the absolute path of an executable on PATH, or null. */
export function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this PATH entry; keep looking
    }
  }
  return null;
}

/** Locates a Chromium or Chrome binary: $API_ATLAS_CHROMIUM first, then the usual Debian/Ubuntu names. */
export function findChromium() {
  const fromEnv = process.env.API_ATLAS_CHROMIUM;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : null;
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const found = findOnPath(name);
    if (found) return found;
  }
  return null;
}

/** What to tell a person whose machine has no Chromium. */
export const CHROMIUM_MISSING_HELP = [
  'Chromium was not found. The integration suite drives code-server (VS Code in the browser) with headless Chromium.',
  '  Debian/Ubuntu: sudo apt-get install -y chromium   (or run .ci/run as root, which installs it)',
  '  Elsewhere:     set API_ATLAS_CHROMIUM=/path/to/chromium-or-chrome',
  '  With internet: npm run test:electron runs the same suite in VS Code desktop instead.',
].join('\n');

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Installs missing Debian packages with apt-get when running as root (as on CI); otherwise explains what
 * to install. Throws when something is still missing.
 */
export function ensureSystemPackages(log = console.log) {
  const missing = DEBIAN_PACKAGES.filter((p) => !p.present()).map((p) => p.pkg);
  if (missing.length === 0) return;
  if (isRoot() && findOnPath('apt-get')) {
    log(`Installing Debian packages: ${missing.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    // Wait for a dpkg lock another apt holds (unattended upgrades, a parallel job) instead of failing at once.
    const wait = ['-o', 'DPkg::Lock::Timeout=600'];
    run('apt-get', [...wait, 'update', '-q'], { env });
    run('apt-get', [...wait, 'install', '-y', '-q', '--no-install-recommends', ...missing], { env });
    const still = DEBIAN_PACKAGES.filter((p) => !p.present()).map((p) => p.pkg);
    if (still.length === 0) return;
    missing.splice(0, missing.length, ...still);
  }
  throw new Error(
    `Missing system packages: ${missing.join(' ')}.\n` +
      `  Debian/Ubuntu: sudo apt-get install -y ${missing.join(' ')}\n` +
      (missing.includes('chromium') ? CHROMIUM_MISSING_HELP : ''),
  );
}

/** Runs a command with inherited output; throws with the command line when it fails. */
function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (result.error) throw new Error(`${cmd} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

function ripgrepTarget() {
  if (os.arch() === 'x64') return 'x86_64-unknown-linux-musl';
  if (os.arch() === 'arm64') return 'aarch64-unknown-linux-musl';
  throw new Error(`No ripgrep seeding for architecture ${os.arch()}; install code-server with internet access instead.`);
}

/**
 * Puts Debian's rg where @vscode/ripgrep's postinstall looks for a cached download
 * (`$TMPDIR/vscode-ripgrep-cache-<pkg version>/ripgrep-<release>-<target>.tar.gz`), so it never goes online.
 */
export function seedRipgrepCache(tmpDir, log = console.log) {
  const rg = findOnPath('rg');
  if (!rg) throw new Error('ripgrep (rg) is not installed: sudo apt-get install -y ripgrep');
  const staging = fs.mkdtempSync(path.join(tmpDir, 'rg-staging-'));
  try {
    fs.copyFileSync(fs.realpathSync(rg), path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    for (const [pkgVersion, release] of Object.entries(RIPGREP_RELEASES)) {
      const dir = path.join(tmpDir, `vscode-ripgrep-cache-${pkgVersion}`);
      fs.mkdirSync(dir, { recursive: true });
      const archive = path.join(dir, `ripgrep-${release}-${ripgrepTarget()}.tar.gz`);
      run('tar', ['czf', archive, '-C', staging, 'rg']);
    }
    log(`Seeded the ripgrep download cache in ${tmpDir} with ${rg}`);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Returns the paths in REQUIRED_AFTER_INSTALL that are missing from the installed code-server. */
function missingInstallPieces() {
  const missing = REQUIRED_AFTER_INSTALL.filter((rel) => !fs.existsSync(path.join(codeServerPackage, rel)));
  // code-server requires argon2 (a native module) when it starts, wherever npm placed it.
  try {
    const argon2 = path.dirname(createRequire(path.join(codeServerPackage, 'package.json')).resolve('argon2/package.json'));
    if (!fs.existsSync(path.join(argon2, 'lib', 'binding'))) missing.push(`${path.relative(codeServerPackage, argon2)}/lib/binding`);
  } catch {
    missing.push('argon2 (not installed)');
  }
  return missing;
}

/**
 * node-gyp downloads Node's headers unless told where they are; this Node's own install usually has them
 * (Debian and NodeSource packages put them in /usr/include/node).
 */
function nodeHeadersConfig() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? { npm_config_nodedir: prefix } : {};
}

/** The script to run with this Node (code-server requires Node 20) to start code-server. */
export function codeServerEntry() {
  return path.join(codeServerPackage, 'out', 'node', 'entry.js');
}

/**
 * Installs code-server into .vscode-test/code-server/ unless that install is already complete.
 * Takes several minutes the first time (it builds VS Code's native modules).
 */
export function ensureCodeServer(log = console.log) {
  if (fs.existsSync(installedMarker) && missingInstallPieces().length === 0) return codeServerEntry();
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20 && !process.env.FORCE_NODE_VERSION) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} requires Node 20 (this is ${process.version}); set FORCE_NODE_VERSION=${major} to try anyway.`);
  }
  ensureSystemPackages(log);
  log(`Installing code-server ${CODE_SERVER_VERSION} into ${path.relative(repoRoot, codeServerDir)}/ (takes a few minutes the first time)`);
  fs.mkdirSync(codeServerDir, { recursive: true });
  // Its own package.json keeps code-server out of the project's dependencies and lock file.
  fs.writeFileSync(
    path.join(codeServerDir, 'package.json'),
    JSON.stringify(
      {
        name: 'api-atlas-code-server',
        private: true,
        description: 'code-server for the API Atlas integration suite (generated by test/vscode/setup.mjs)',
        dependencies: { 'code-server': CODE_SERVER_VERSION },
      },
      null,
      2,
    ) + '\n',
  );
  // A temp folder of our own: the ripgrep postinstall reads its cache from os.tmpdir().
  const tmpDir = path.join(cacheRoot, 'tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  seedRipgrepCache(tmpDir, log);
  const env = {
    ...nodeHeadersConfig(),
    ...process.env,
    TMPDIR: tmpDir,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    // npm 11 blocks dependency install scripts unless allowed, and refuses an allow-list from the environment
    // in project installs; code-server's postinstall runs a nested `npm install` in lib/vscode that no
    // package.json of ours governs. The tree is fixed by the shrinkwraps inside this pinned code-server
    // (scripts: code-server, argon2, @parcel/watcher, @vscode/{deviceid,ripgrep,spdlog,windows-*}, kerberos,
    // native-watchdog, node-pty), so allowing all scripts here runs exactly those; the check below
    // fails loudly if any of them did not run.
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_foreground_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  run('npm', ['install', '--no-package-lock'], { cwd: codeServerDir, env });
  const missing = missingInstallPieces();
  const onlyRipgrepMissing = missing.length === 1 && missing[0].endsWith('@vscode/ripgrep/bin/rg');
  if (onlyRipgrepMissing) {
    // The seeded cache was not used (another @vscode/ripgrep release); Debian's rg works the same.
    const target = path.join(codeServerPackage, REQUIRED_AFTER_INSTALL.find((p) => p.endsWith('/rg')));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(fs.realpathSync(findOnPath('rg')), target);
    fs.chmodSync(target, 0o755);
    log(`Copied Debian's rg into ${path.relative(repoRoot, target)}`);
  } else if (missing.length > 0) {
    throw new Error(
      `code-server installed but its postinstall did not finish; missing:\n  ${missing.join('\n  ')}\n` +
        'Its native modules need python3, make, g++ and libkrb5-dev; see the npm output above.',
    );
  }
  fs.writeFileSync(installedMarker, new Date().toISOString() + '\n');
  log(`code-server ${CODE_SERVER_VERSION} is ready.`);
  return codeServerEntry();
}

/** Newest modification time of any file under the given paths (0 when none exist). */
function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  paths.forEach(visit);
  return newest;
}

/** Builds (npm run build) when a bundle is missing or older than its sources, so the suite never runs stale code. */
export function ensureBuilt(log = console.log) {
  const bundles = [EXTENSION_BUNDLE, SUITE_INDEX].map((f) => fs.statSync(f, { throwIfNoEntry: false }));
  const oldestBundle = bundles.every(Boolean) ? Math.min(...bundles.map((s) => s.mtimeMs)) : 0;
  const sources = newestMtime(['src', 'test/vscode/suite', 'esbuild.js', 'package.json'].map((p) => path.join(repoRoot, p)));
  if (oldestBundle > 0 && oldestBundle >= sources) return;
  log('Building (npm run build) ...');
  run('npm', ['run', 'build', '--silent'], { cwd: repoRoot });
  if (!fs.existsSync(SUITE_INDEX)) throw new Error(`The build did not produce ${path.relative(repoRoot, SUITE_INDEX)}.`);
  if (!fs.existsSync(EXTENSION_BUNDLE)) log(`Note: ${path.relative(repoRoot, EXTENSION_BUNDLE)} does not exist yet; the extension cannot activate.`);
}

/**
 * The folder or .code-workspace file the suite opens: the one asked for (--folder), then
 * $API_ATLAS_TEST_WORKSPACE, then the first of DEFAULT_WORKSPACES that exists, else an empty folder made under runDir.
 */
export function chooseWorkspace(requested, runDir, log = console.log) {
  const wanted = requested ?? process.env.API_ATLAS_TEST_WORKSPACE;
  if (wanted) {
    const abs = path.resolve(wanted);
    if (!fs.existsSync(abs)) throw new Error(`The workspace to open does not exist: ${abs}`);
    return abs;
  }
  const existing = DEFAULT_WORKSPACES.find((p) => fs.existsSync(p));
  if (existing) return existing;
  const empty = path.join(runDir, 'empty-workspace');
  fs.mkdirSync(empty, { recursive: true });
  log(`None of ${DEFAULT_WORKSPACES.map((p) => path.relative(repoRoot, p)).join(', ')} exists yet; opening an empty folder instead.`);
  return empty;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureCodeServer();
    const chromium = findChromium();
    console.log(chromium ? `Chromium: ${chromium}` : CHROMIUM_MISSING_HELP);
    process.exitCode = chromium ? 0 : 1;
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
