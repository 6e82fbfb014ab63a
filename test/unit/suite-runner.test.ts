// The integration suite's mocha plumbing (test/vscode/suite/index.ts), run in plain Node on throwaway suites:
// tests a failed hook skipped count as failures, and a failed teardown does not stop the tests after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runSuiteFiles } from '../vscode/suite/index';

function suiteFile(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, body);
  return file;
}

/** Runs the files and returns the summary line and whether the run was rejected. */
async function runQuietly(files: string[]): Promise<{ summary: string; rejected: boolean; log: string }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  let rejected = false;
  try {
    await runSuiteFiles(files, 'dot');
  } catch {
    rejected = true;
  } finally {
    console.log = original;
  }
  const log = lines.join('\n');
  return { summary: lines.find((l) => l.startsWith('API Atlas integration suite:')) ?? '', rejected, log };
}

test('a failed teardown is recorded and the tests after it still run; tests a failed suiteSetup skipped count as failures', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-suite-'));
  try {
    const ran: string[] = [];
    (globalThis as { atlasRan?: string[] }).atlasRan = ran;
    const teardownFails = suiteFile(
      dir,
      'a.test.js',
      `suite('restores a fixture', () => {
        teardown(async () => { throw new Error('could not save app/page.tsx'); });
        test('first', () => { globalThis.atlasRan.push('first'); });
        test('second', () => { globalThis.atlasRan.push('second'); });
        test('third', () => { globalThis.atlasRan.push('third'); });
      });`,
    );
    const setupFails = suiteFile(
      dir,
      'b.test.js',
      `suite('needs a scan', () => {
        suiteSetup(() => { throw new Error('the scan never finished'); });
        test('fourth', () => {});
        test('fifth', () => {});
      });`,
    );
    const { summary, rejected, log } = await runQuietly([teardownFails, setupFails]);
    assert.deepEqual(ran, ['first', 'second', 'third'], 'every test after the failed teardown ran');
    assert.ok(rejected, 'the run fails');
    // 3 passed; failed: 3 teardowns + the suiteSetup hook + 2 tests it skipped.
    assert.equal(summary, 'API Atlas integration suite: 3 passed, 6 failed, 0 pending');
    assert.match(log, /2 test\(s\) did not run .*\n\s+- needs a scan fourth\n\s+- needs a scan fifth/);
    assert.match(log, /teardown failed after "restores a fixture first".*could not save app\/page\.tsx/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a clean run resolves and counts every test once', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-suite-'));
  try {
    const file = suiteFile(dir, 'ok.test.js', `suite('fine', () => { teardown(async () => {}); test('one', () => {}); test.skip('later', () => {}); });`);
    const { summary, rejected } = await runQuietly([file]);
    assert.equal(rejected, false);
    assert.equal(summary, 'API Atlas integration suite: 1 passed, 0 failed, 1 pending');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the end-to-end runner prints its summary line even when it does not run', () => {
  const e2e = path.join(__dirname, '..', 'vscode', 'e2e.mjs');
  const r = spawnSync(process.execPath, [e2e, '--only', 'no-such-scenario'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^End-to-end: did not run: (unknown scenario no-such-scenario|Chromium is not installed)$/m);
});
