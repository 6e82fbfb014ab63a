// Temporary folders for a test file, removed when its tests are done, so a run leaves nothing in /tmp.
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const created: string[] = [];
// Registered when the test file imports this module, at its top level: a hook registered inside a running test
// would belong to that test and run when it ends, before later tests are done with their folders.
test.after(() => created.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A new empty folder under the system's temp folder (its real path), removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  created.push(dir);
  return dir;
}
