// Mocha entry the VS Code extension host loads for the integration suite (code-server here, VS Code desktop
// through @vscode/test-electron elsewhere): runs every test/vscode/suite/*.test.ts and reports the counts.
//
// Test files use mocha's TDD interface (`suite`, `test`, `suiteSetup`, `setup`, `teardown`), as the VS Code
// samples do; they are bundled one per file by esbuild.js beside this index.js.
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';

/** Injected by esbuild.js: the `*.test.ts` files found at build time, as the `.test.js` names they are bundled to. */
declare const API_ATLAS_SUITE_FILES: readonly string[];

/** The runners look for this prefix to print their summary, and fail a run that never printed it. */
export const SUMMARY_PREFIX = 'API Atlas integration suite:';

export interface SuiteCounts {
  passed: number;
  failed: number;
  pending: number;
}

/** Called by the extension host; resolves when every test passed, rejects otherwise (the run then exits 1). */
export function run(): Promise<void> {
  // The extension host forwards console.log without printf formatting, which mocha's reporters rely on.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(util.format(...args));
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.API_ATLAS_TEST_TIMEOUT_MS) || 30_000,
    ...(process.env.API_ATLAS_TEST_GREP ? { grep: process.env.API_ATLAS_TEST_GREP } : {}),
  });

  const files = API_ATLAS_SUITE_FILES.map((name) => path.join(__dirname, name));
  if (files.length === 0) return Promise.reject(new Error('No test/vscode/suite/*.test.ts files were bundled.'));
  for (const file of files) mocha.addFile(file);

  // A file that registers no test is almost always a mistake (a missing `suite`, a wrong interface).
  const filesWithoutTests: string[] = [];
  let testsBeforeFile = 0;
  mocha.suite.on(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, () => {
    testsBeforeFile = mocha.suite.total();
  });
  mocha.suite.on(Mocha.Suite.constants.EVENT_FILE_POST_REQUIRE, (_context: unknown, file: string) => {
    if (mocha.suite.total() === testsBeforeFile) filesWithoutTests.push(path.basename(file));
  });

  return new Promise<void>((resolve, reject) => {
    const counts: SuiteCounts = { passed: 0, failed: 0, pending: 0 };
    try {
      const runner = mocha.run(() => {
        if (filesWithoutTests.length > 0) counts.failed += filesWithoutTests.length;
        console.log(`${SUMMARY_PREFIX} ${counts.passed} passed, ${counts.failed} failed, ${counts.pending} pending`);
        if (filesWithoutTests.length > 0) {
          reject(new Error(`Test files that registered no tests: ${filesWithoutTests.join(', ')}`));
        } else if (counts.failed > 0) {
          reject(new Error(`${counts.failed} integration test(s) failed.`));
        } else {
          resolve();
        }
      });
      runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => counts.passed++);
      // Counts hook failures too: a failing suiteSetup skips its tests without failing any of them.
      runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => counts.failed++);
      runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => counts.pending++);
    } catch (err) {
      // A test file that throws while loading (a bad import, a top-level error) ends up here.
      console.log(`${SUMMARY_PREFIX} 0 passed, 1 failed, 0 pending`);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
