// `npm run test:vscode`: runs the integration suite (test/vscode/suite) in code-server's real extension host,
// driven by headless Chromium, and exits with the suite's result. See test/vscode/README.md.
//
//   node test/vscode/runCodeServer.mjs [--folder PATH|FILE.code-workspace] [--grep PATTERN] [--timeout SECONDS]
//                                      [--extension DIR] [--no-build] [--verbose]
//
// --extension loads the extension under test from another folder (an unpacked .vsix, say) instead of this
// repository; the suite always comes from this repository's dist/test/suite.
//
// Environment: API_ATLAS_TEST_WORKSPACE (same as --folder), API_ATLAS_TEST_GREP, API_ATLAS_TEST_TIMEOUT_S,
// API_ATLAS_CHROMIUM (browser binary), API_ATLAS_KEEP_RUN_DIR=1 (keep logs and profiles for debugging).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chooseWorkspace, ensureBuilt, ensureCodeServer, findChromium, repoRoot, CHROMIUM_MISSING_HELP, SUITE_INDEX, SUMMARY_PATTERN } from './setup.mjs';
import { launchChromium, makeRunDir, removeRunDir, startCodeServer } from './launch.mjs';

/** Workbench chatter that reaches codeAutomationLog on every run and says nothing about the suite (shown with --verbose). */
const WORKBENCH_NOISE =
  /^(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin extensions cache|\[Service Worker\]|ChatSessionStore:)|open-vsx\.org|vsda/;

const { values: options } = parseArgs({
  options: {
    folder: { type: 'string' },
    extension: { type: 'string' },
    grep: { type: 'string' },
    timeout: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
  },
});
const timeoutMs = 1000 * Number(options.timeout ?? process.env.API_ATLAS_TEST_TIMEOUT_S ?? 600);
const log = (message) => console.log(`[test:vscode] ${message}`);

const NOT_STARTED = '\nIntegration suite in code-server: 0 passed, 0 failed (the run could not start; exit 1)';

/** Checks Chromium, installs code-server when needed and builds; returns the extension folder, or null after explaining why not. */
function prepare() {
  if (!findChromium()) {
    console.error(CHROMIUM_MISSING_HELP);
    return null;
  }
  try {
    ensureCodeServer(log);
    // --no-build runs what is in dist/ as it is (say, while another part of the tree does not compile).
    if (!options['no-build']) ensureBuilt(log);
    else if (!fs.existsSync(SUITE_INDEX)) throw new Error(`--no-build, but ${path.relative(repoRoot, SUITE_INDEX)} does not exist.`);
  } catch (err) {
    console.error(`[test:vscode] ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
  const extensionPath = path.resolve(options.extension ?? repoRoot);
  if (!fs.existsSync(path.join(extensionPath, 'package.json'))) {
    console.error(`[test:vscode] --extension ${extensionPath} has no package.json.`);
    return null;
  }
  return extensionPath;
}

async function main() {
  const started = Date.now();
  const extensionPath = prepare();
  if (!extensionPath) {
    console.log(NOT_STARTED);
    return 1;
  }

  const runDir = makeRunDir();
  let server;
  let browser;
  let summary = null;
  let timer;
  let stopping = null;
  /** Stops Chromium and code-server once, whoever asks first (the end of the run or a signal). */
  const cleanup = () =>
    (stopping ??= (async () => {
      clearTimeout(timer);
      // A hung browser must not keep the run alive: code-server is killed regardless.
      await Promise.race([browser?.close().catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
      await server?.stop();
      removeRunDir(runDir, log);
    })());
  let signalExitCode = 0;
  const onSignal = (signal) => {
    signalExitCode = signal === 'SIGINT' ? 130 : 143;
    log(`${signal}: stopping code-server and Chromium.`);
    void cleanup().finally(() => process.exit(signalExitCode));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const workspace = chooseWorkspace(options.folder, runDir, log);
    const env = { API_ATLAS_TEST_WORKSPACE: workspace, ...(options.grep ? { API_ATLAS_TEST_GREP: options.grep } : {}) };
    server = await startCodeServer({ runDir, env });
    log(`code-server ${server.origin} opened ${path.relative(repoRoot, workspace) || workspace}`);
    browser = await launchChromium(runDir);
    const page = browser.pages()[0] ?? (await browser.newPage());

    let exitWith;
    const suiteExit = new Promise((resolve) => (exitWith = resolve));
    await page.exposeFunction('codeAutomationLog', (_level, message) => {
      const text = String(message);
      const match = SUMMARY_PATTERN.exec(text);
      if (match) summary = { passed: Number(match[1]), failed: Number(match[2]), pending: Number(match[3]) };
      if (!options.verbose && WORKBENCH_NOISE.test(text)) return;
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => exitWith(Number(code)));
    if (options.verbose) {
      page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => console.log(`[browser error] ${e.message}`));
    }

    const payload = [
      ['extensionDevelopmentPath', server.remoteUri(extensionPath)],
      ['extensionTestsPath', server.remoteUri(SUITE_INDEX)],
      ['skipWelcome', 'true'],
    ];
    await page.goto(server.url(workspace, payload));

    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const serverDied = server.exited.then((code) => `code-server exited (${code})`);
    const outcome = await Promise.race([suiteExit, timedOut, serverDied]);

    let code;
    if (outcome === 'timeout') {
      log(`Timed out after ${timeoutMs / 1000} s. Last lines of code-server's log:\n${server.logTail(20)}`);
      code = 1;
    } else if (typeof outcome === 'string') {
      log(`${outcome} while the suite was running. Last lines of its log:\n${server.logTail(20)}`);
      code = 1;
    } else {
      code = outcome;
    }
    if (!summary) {
      log(`The suite never reported its results (the extension host may have failed to load it). Last lines of code-server's log:\n${server.logTail(20)}`);
      code = code || 1;
    } else if (summary.failed > 0 || (summary.passed === 0 && !options.grep)) {
      code = code || 1;
    }
    const counts = summary ? `${summary.passed} passed, ${summary.failed} failed, ${summary.pending} pending` : '0 passed, 0 failed (no results)';
    await cleanup();
    console.log(`\nIntegration suite in code-server: ${counts} in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${code})`);
    return code;
  } catch (err) {
    await cleanup();
    if (signalExitCode) return signalExitCode; // interrupted: the browser closing under us is not an error
    console.error(`[test:vscode] ${err instanceof Error ? err.message : String(err)}`);
    console.log(NOT_STARTED);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
