// Starts an isolated code-server on loopback and a headless Chromium that opens it, and tears both down
// (the whole process group); shared by the integration runner and the end-to-end screenshot driver.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { codeServerEntry, findChromium, CHROMIUM_MISSING_HELP } from './setup.mjs';

/** Settings that keep the workbench quiet and offline. */
const USER_SETTINGS = {
  'typescript.disableAutomaticTypeAcquisition': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.autoRepositoryDetection': false,
  'git.openRepositoryInParentFolders': 'never',
};

/** Creates the temp folder that holds every piece of state one run writes. */
export function makeRunDir(prefix = 'api-atlas-vscode-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Asks the OS for a free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** XDG folders under the run folder, so neither code-server nor Chromium writes under the home folder. */
function isolatedEnv(runDir) {
  const xdg = {};
  for (const name of ['CONFIG', 'DATA', 'CACHE', 'STATE']) {
    xdg[`XDG_${name}_HOME`] = path.join(runDir, 'xdg', name.toLowerCase());
    fs.mkdirSync(xdg[`XDG_${name}_HOME`], { recursive: true });
  }
  xdg.XDG_RUNTIME_DIR = path.join(runDir, 'xdg', 'runtime');
  fs.mkdirSync(xdg.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  return xdg;
}

/** Installs a packaged .vsix into an extensions folder with code-server's CLI. */
export function installVsix(vsix, extensionsDir, runDir) {
  const result = spawnSync(
    process.execPath,
    [codeServerEntry(), '--extensions-dir', extensionsDir, '--user-data-dir', path.join(runDir, 'user-data'), '--install-extension', vsix, '--force'],
    { encoding: 'utf8', env: { ...process.env, ...isolatedEnv(runDir) } },
  );
  if (result.status !== 0) {
    throw new Error(`Installing ${vsix} failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
  return result.stdout.trim();
}

/**
 * Starts code-server with its own user data, extensions and config under runDir (`settings` are added to
 * the user settings), spawned detached so the
 * whole process group (server, extension host, pty host, tsserver) can be killed at the end.
 * Resolves once it is listening; rejects with the tail of its log when it exits first or takes too long.
 */
export async function startCodeServer({ runDir, extensionsDir, env = {}, settings = {}, startTimeoutMs = 120_000 }) {
  const userDataDir = path.join(runDir, 'user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2));
  const extensions = extensionsDir ?? path.join(runDir, 'extensions');
  fs.mkdirSync(extensions, { recursive: true });
  const port = await freePort();
  const configFile = path.join(runDir, 'code-server.yaml');
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const logFile = path.join(runDir, 'code-server.log');
  const logStream = fs.createWriteStream(logFile);

  const args = [
    codeServerEntry(),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensions,
    '--config', configFile,
  ];
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...isolatedEnv(runDir), ...env },
  });

  let output = '';
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within ${startTimeoutMs / 1000} s.\n${tail(output)}`)), startTimeoutMs);
    const onData = (chunk) => {
      const text = chunk.toString();
      logStream.write(text);
      if (output.length < 200_000) output += text;
      if (output.includes('HTTP server listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`code-server could not be started: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code ?? signal}) before listening.\n${tail(output)}`));
    });
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));

  const server = {
    port,
    origin: `http://127.0.0.1:${port}`,
    logFile,
    userDataDir,
    extensionsDir: extensions,
    /** Resolves with the exit code or signal if code-server ends on its own. */
    exited,
    /** The workbench URL that opens a folder or a .code-workspace file, with an optional test payload. */
    url(workspace, payload) {
      const params = new URLSearchParams();
      params.set(workspace.endsWith('.code-workspace') ? 'workspace' : 'folder', path.resolve(workspace));
      if (payload) params.set('payload', JSON.stringify(payload));
      return `${server.origin}/?${params}`;
    },
    /** A `vscode-remote://` URI for a path on this machine; host:port must match the page URL exactly. */
    remoteUri(absPath) {
      return `vscode-remote://127.0.0.1:${port}${path.resolve(absPath)}`;
    },
    /** The tail of code-server's log, for error messages. */
    logTail(lines = 40) {
      return tail(output, lines);
    },
    /** Ends code-server and everything it started. */
    stop() {
      return killProcessGroup(child).finally(() => logStream.end());
    },
  };
  try {
    await listening;
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

function tail(text, lines = 40) {
  return text.split('\n').slice(-lines).join('\n');
}

/** SIGTERM to the process group, SIGKILL after a grace period; resolves when the leader has exited. */
export function killProcessGroup(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) {
    signalGroup(child.pid, 'SIGKILL'); // leftovers (extension host, tsserver) may outlive the leader
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signalGroup(child.pid, 'SIGKILL');
      resolve();
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      signalGroup(child.pid, 'SIGKILL');
      resolve();
    });
    signalGroup(child.pid, 'SIGTERM');
  });
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    // ESRCH: the group is already gone, which is what we want.
    if (err.code !== 'ESRCH') console.error(`Could not send ${signal} to process group ${pid}: ${err.message}`);
  }
}

/**
 * Launches headless Chromium with its profile under runDir. Throws with install guidance when there is
 * no Chromium on this machine.
 */
export async function launchChromium(runDir, { viewport = { width: 1400, height: 900 }, deviceScaleFactor = 1 } = {}) {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(CHROMIUM_MISSING_HELP);
  const { chromium } = await import('playwright-core');
  const profile = path.join(runDir, 'chromium-profile');
  return chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    // The runners stop Chromium and code-server together on a signal; Playwright's own handlers would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    viewport,
    deviceScaleFactor,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-crash-reporter',
    ],
    env: { ...process.env, ...isolatedEnv(runDir) },
  });
}

/** Removes the run folder; keeps it (and says where) when API_ATLAS_KEEP_RUN_DIR is set, for debugging. */
export function removeRunDir(runDir, log = console.log) {
  if (process.env.API_ATLAS_KEEP_RUN_DIR) {
    log(`Kept ${runDir} (API_ATLAS_KEEP_RUN_DIR is set).`);
    return;
  }
  try {
    fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  } catch (err) {
    log(`Could not remove ${runDir}: ${err.message}`);
  }
}
