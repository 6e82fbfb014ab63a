// `npm run test:electron`: runs the same integration suite in VS Code desktop through @vscode/test-electron,
// for machines that can download VS Code (it cannot run on machines that reach only npm and Debian).
//
//   node test/vscode/runElectron.mjs [--folder PATH|FILE.code-workspace] [--grep PATTERN]
//
// Environment: API_ATLAS_TEST_WORKSPACE, API_ATLAS_TEST_GREP, API_ATLAS_VSCODE_VERSION ('stable' by default,
// 'insiders' or a version such as 1.100.3). On Linux without a display run it under `xvfb-run -a`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chooseWorkspace, ensureBuilt, repoRoot, SUITE_INDEX, SUMMARY_PATTERN } from './setup.mjs';

const { values: options } = parseArgs({ options: { folder: { type: 'string' }, grep: { type: 'string' } } });
const log = (message) => console.log(`[test:electron] ${message}`);

/** Watches what VS Code prints (the suite's mocha output) for the summary line of test/vscode/suite/index.ts. */
function watchForSummary() {
  let summary = null;
  let pending = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...rest) => {
    pending = (pending + chunk.toString()).slice(-4096);
    const match = SUMMARY_PATTERN.exec(pending);
    if (match) summary = `${match[1]} passed, ${match[2]} failed, ${match[3]} pending`;
    return write(chunk, ...rest);
  };
  return () => summary;
}

async function main() {
  const { runTests } = await import('@vscode/test-electron');
  ensureBuilt(log);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-atlas-electron-'));
  const summary = watchForSummary();
  let code;
  try {
    const workspace = chooseWorkspace(options.folder, runDir, log);
    code = await runTests({
      version: process.env.API_ATLAS_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: SUITE_INDEX,
      // Other installed extensions stay out of the run; the one under development still loads.
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', path.join(runDir, 'user-data')],
      extensionTestsEnv: {
        API_ATLAS_TEST_WORKSPACE: workspace,
        ...(options.grep ? { API_ATLAS_TEST_GREP: options.grep } : {}),
      },
    });
  } catch (err) {
    // runTests rejects when VS Code exits non-zero (a failing test) or cannot be downloaded or started.
    console.error(`[test:electron] ${err instanceof Error ? err.message : String(err)}`);
    code = 1;
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
  const counts = summary();
  if (!counts && code === 0) code = 1; // a run that never reported its results did not pass
  console.log(`\nIntegration suite in VS Code desktop: ${counts ?? '0 passed, 0 failed (no results)'} (exit ${code})`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
