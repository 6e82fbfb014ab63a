// The workspaces whole-engine comparisons run over: examples/, every fixture folder, and each pattern workspace.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIXTURES = path.join(__dirname, '..', 'fixtures');
export const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** examples/, each folder of test/fixtures, and each workspace inside test/fixtures/patterns. */
export function fixtureWorkspaces(): string[] {
  const roots = [EXAMPLES];
  for (const name of fs.readdirSync(FIXTURES)) {
    const dir = path.join(FIXTURES, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    roots.push(dir);
    if (name === 'patterns') for (const sub of fs.readdirSync(dir)) roots.push(path.join(dir, sub));
  }
  return roots;
}
