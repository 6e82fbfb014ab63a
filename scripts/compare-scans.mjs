// Snapshots the CLI's scan JSON of every fixture workspace, examples/ and the bench workspace, or compares against a snapshot: the proof that a refactor changed no result.
//
// Usage:
//   node scripts/compare-scans.mjs save DIR      write one <name>.json per workspace into DIR
//   node scripts/compare-scans.mjs compare DIR   scan again and fail (exit 1) on any byte that differs from DIR
//   ... save|compare DIR WORKSPACE...            also these folders (real apps checked out beside the repository)
// It builds nothing: run `npm run build` first, since it runs dist/cli.js, the code users run.
// Every workspace is scanned twice, once as is and once with --include-tests, so test-file handling is covered too.
// Two fields change from run to run and machine to machine, and are normalised: `stats.durationMs` (set to 0)
// and `root` (the absolute path; written relative to the repository).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_OUT, generateWorkspace, isCurrent, readManifest } from '../bench/generate.mjs';

const REPO = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const CLI = path.join(REPO, 'dist', 'cli.js');

/** A folder with a package.json, or a folder of such folders (test/fixtures/patterns): each counts as one workspace. */
function workspacesUnder(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const full = path.join(dir, entry.name);
    found.push(full);
    if (!fs.existsSync(path.join(full, 'package.json'))) {
      for (const child of fs.readdirSync(full, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (child.isDirectory() && fs.existsSync(path.join(full, child.name, 'package.json'))) found.push(path.join(full, child.name));
      }
    }
  }
  return found;
}

function benchWorkspace() {
  // The bench's own generator, with its defaults: the same tree `npm run bench` scans.
  if (!isCurrent(readManifest())) generateWorkspace();
  return DEFAULT_OUT;
}

function scan(dir, extra) {
  const run = spawnSync(process.execPath, [CLI, 'scan', dir, '--format', 'json', ...extra], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0 && run.status !== 1) throw new Error(`scan of ${dir} failed (exit ${run.status}):\n${run.stderr}`);
  const result = JSON.parse(run.stdout);
  result.root = path.relative(REPO, result.root).split(path.sep).join('/');
  result.stats.durationMs = 0;
  return `${JSON.stringify(result, null, 2)}\n`;
}

function snapshots() {
  const dirs = [...workspacesUnder(path.join(REPO, 'test', 'fixtures')), path.join(REPO, 'examples'), benchWorkspace(), ...extraDirs.map((d) => path.resolve(d))];
  const out = [];
  for (const dir of dirs) {
    const name = (dir.startsWith(REPO + path.sep) ? path.relative(REPO, dir) : `external${dir}`).split(path.sep).join('__');
    out.push({ name: `${name}.json`, dir, extra: [] });
    out.push({ name: `${name}.with-tests.json`, dir, extra: ['--include-tests'] });
  }
  return out;
}

const [mode, target, ...extraDirs] = process.argv.slice(2);
if (!['save', 'compare'].includes(mode) || !target) {
  process.stderr.write('Usage: node scripts/compare-scans.mjs save|compare DIR [WORKSPACE...]\n');
  process.exit(2);
}
if (!fs.existsSync(CLI)) {
  process.stderr.write(`${CLI} is missing: run npm run build first.\n`);
  process.exit(2);
}
const snapDir = path.resolve(target);
if (mode === 'save') fs.mkdirSync(snapDir, { recursive: true });
let differ = 0;
let same = 0;
for (const { name, dir, extra } of snapshots()) {
  const text = scan(dir, extra);
  const file = path.join(snapDir, name);
  if (mode === 'save') {
    fs.writeFileSync(file, text);
    continue;
  }
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (before === text) {
    same++;
    continue;
  }
  differ++;
  const why = before === null ? 'no snapshot' : `first difference at line ${firstDifferentLine(before, text)}`;
  process.stdout.write(`DIFFERS ${name}: ${why}\n`);
  fs.writeFileSync(`${file}.now`, text);
}
if (mode === 'save') process.stdout.write(`saved ${snapshots().length} snapshots to ${snapDir}\n`);
else {
  process.stdout.write(`${same} identical, ${differ} different (the new text of each is beside its snapshot as <name>.now)\n`);
  process.exitCode = differ ? 1 : 0;
}

function firstDifferentLine(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return i + 1;
}
