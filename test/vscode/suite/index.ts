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
  return runSuiteFiles(API_ATLAS_SUITE_FILES.map((name) => path.join(__dirname, name)));
}

/**
 * Runs mocha (TDD interface) over `files` and prints the summary line; rejects when a test failed, did not run,
 * or a file registered none. Apart from `run` so the counting can be tested in plain Node.
 */
export function runSuiteFiles(files: readonly string[], reporter = 'spec'): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    reporter,
    color: false,
    // Generous: on a loaded machine a test waits for the index and the workbench; the waits inside are event-driven.
    timeout: Number(process.env.API_ATLAS_TEST_TIMEOUT_MS) || 120_000,
    ...(process.env.API_ATLAS_TEST_GREP ? { grep: process.env.API_ATLAS_TEST_GREP } : {}),
  });

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
    keepGoingAfterEachFailure(mocha.suite, teardownFailures);
  });
  const teardownFailures: string[] = [];

  return new Promise<void>((resolve, reject) => {
    const counts: SuiteCounts = { passed: 0, failed: 0, pending: 0 };
    const finished = new Set<Mocha.Runnable>();
    try {
      const runner = mocha.run(() => {
        if (filesWithoutTests.length > 0) counts.failed += filesWithoutTests.length;
        // Mocha skips the rest of a suite after a failed hook without reporting those tests: they count as failures.
        const grep = mocha.options.grep instanceof RegExp ? mocha.options.grep : null;
        const notRun = allTests(mocha.suite).filter((t) => !finished.has(t) && (!grep || grep.test(t.fullTitle())));
        if (notRun.length > 0) {
          console.log(`\n${notRun.length} test(s) did not run (a hook before them failed), counted as failures:`);
          for (const t of notRun) console.log(`  - ${t.fullTitle()}`);
          counts.failed += notRun.length;
        }
        for (const failure of teardownFailures) console.log(`\nA teardown failed (the next tests still ran): ${failure}`);
        counts.failed += teardownFailures.length;
        console.log(`${SUMMARY_PREFIX} ${counts.passed} passed, ${counts.failed} failed, ${counts.pending} pending`);
        if (filesWithoutTests.length > 0) {
          reject(new Error(`Test files that registered no tests: ${filesWithoutTests.join(', ')}`));
        } else if (counts.failed > 0) {
          reject(new Error(`${counts.failed} integration test(s) failed.`));
        } else {
          resolve();
        }
      });
      runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (t: Mocha.Runnable) => {
        finished.add(t);
        counts.passed++;
      });
      // Counts hook failures too; the tests a failed hook skipped are counted once the run ends.
      runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (t: Mocha.Runnable) => {
        finished.add(t);
        counts.failed++;
      });
      runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (t: Mocha.Runnable) => {
        finished.add(t);
        counts.pending++;
      });
    } catch (err) {
      // A test file that throws while loading (a bad import, a top-level error) ends up here.
      console.log(`${SUMMARY_PREFIX} 0 passed, 1 failed, 0 pending`);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

function allTests(suite: Mocha.Suite): Mocha.Test[] {
  return [...suite.tests, ...suite.suites.flatMap(allTests)];
}

const wrapped = new WeakSet<Mocha.Hook>();

/**
 * A failing `teardown` (afterEach) makes mocha skip every later test of its suite. Restoring the fixture can fail
 * for reasons of its own (a save refused on a busy machine), and the tests after it would then silently not run:
 * instead the failure is recorded (and fails the run) and the next tests run and report for themselves.
 */
function keepGoingAfterEachFailure(suite: Mocha.Suite, failures: string[]): void {
  const hooks = (suite as unknown as { _afterEach: Mocha.Hook[] })._afterEach ?? [];
  for (const hook of hooks) {
    const original = hook.fn as ((this: Mocha.Context) => unknown) | undefined;
    // Only promise-style hooks (no `done` parameter) can be wrapped this way; the suites use async functions.
    if (!original || original.length > 0 || wrapped.has(hook)) continue;
    wrapped.add(hook);
    hook.fn = async function (this: Mocha.Context) {
      try {
        await original.call(this);
      } catch (err) {
        const after = this.currentTest?.fullTitle() ?? 'a test';
        failures.push(`"${hook.title}" after "${after}": ${err instanceof Error ? err.message : String(err)}`);
        console.log(`  teardown failed after "${after}" (recorded; the next tests still run): ${err instanceof Error ? err.message : String(err)}`);
      }
    };
  }
  for (const child of suite.suites) keepGoingAfterEachFailure(child, failures);
}
