// Loaded with --import by `npm run test:unit`: tests that run the CLI on a temporary folder (no node_modules, so
// the cache would go to ~/.cache/api-atlas) keep their analysis caches in a folder of this run, removed at exit.
// node --test starts each test file in a child process with the same --import and environment: the first process
// makes the folder and the children find it in the environment.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

if (!process.env.API_ATLAS_TEST_CACHE_HOME) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-test-cache-'));
  process.env.API_ATLAS_TEST_CACHE_HOME = folder;
  process.env.XDG_CACHE_HOME = folder;
  process.on('exit', () => fs.rmSync(folder, { recursive: true, force: true }));
}
