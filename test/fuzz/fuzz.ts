// `npm run fuzz`: a seeded, bounded fuzzer over the engine. Each round builds a workspace of fixture files with
// hostile text appended, pathological files, hostile names, a symlink loop, a FIFO and an unreadable file, scans
// it, re-reads every file incrementally, and checks: no crash, no file over 5 s, no call of the untouched part of
// a fixture lost, and the incremental update agreeing with the scan.
//
// Usage: node --import tsx test/fuzz/fuzz.ts [--seconds 60] [--seed 1] [--rounds N] [--empty-files 100000] [--keep DIR]
//   --keep DIR copies each file the scan and the update disagree on into DIR, to replay it alone.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AtlasIndex } from '../../src/core/index';
import { DEFAULT_SETTINGS, type Call, type Settings } from '../../src/core/model';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const FILE_LIMIT_MS = 5000;

export interface FuzzReport {
  seed: number;
  rounds: number;
  inputs: number;
  crashes: string[];
  slowFiles: string[];
  lostCalls: string[];
  disagreements: string[];
  /** Files skipped whole by design (minified-looking, binary, too large): counted, not failures. */
  skippedWhole: number;
}

/** mulberry32: small, fast and reproducible from its seed. */
function randomFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fixtureSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== 'node_modules') walk(abs);
      else if (e.isFile() && /\.(ts|tsx|js|jsx|vue|svelte)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(abs);
    }
  };
  walk(FIXTURES);
  return out.sort();
}

type Pick = <T>(items: readonly T[]) => T;

/** Text that stresses the lexer, the parser, the focusing and the regexes. */
function pathological(random: () => number, pick: Pick): string {
  const n = 1000 + Math.floor(random() * 40_000);
  const kinds: (() => string)[] = [
    () => `const x = ${'('.repeat(n)}1${')'.repeat(n)};`,
    () => `function f() ${'{'.repeat(n)}${'}'.repeat(n)}`,
    () => `const a = [${'['.repeat(n)}`,
    () => `const s = '${'a'.repeat(n)}`,
    () => `const t = \`${'${'.repeat(n / 2)}`,
    () => `export { a${' '.repeat(n)}as b };`,
    () => `import${' '.repeat(n)}x from 'y';`,
    () => `fetch(${' '.repeat(n)}(`,
    () => `const u = '${'/'.repeat(n)}x';`,
    () => `const q = "${'\\'.repeat(n)}`,
    () => `/*${'*'.repeat(n)}`,
    () => Array.from({ length: 200 }, (_, i) => `fetch('/api/m${i}');`).join(''),
    () => String.fromCharCode(...Array.from({ length: 2000 }, () => 1 + Math.floor(random() * 0xd7ff))),
    () => `const re = /${'(a+)+'.repeat(50)}/;`,
  ];
  const text = pick(kinds)();
  // Half the time broken into lines, so the file is not skipped as minified and the parser meets it.
  return random() < 0.5 ? text : text.replace(/[^\n]{120}/g, '$&\n');
}

const HOSTILE_NAMES = [
  '[pwn](javascript:alert(1)).tsx',
  'x\u001b]8;;https:evil\u0007y\u001b[2J.ts',
  'bell\u0007\u202egnp.ts',
  ' leading space.ts',
  'new\nline.ts',
  'ünïcødé-日本.tsx',
  '-rf.ts',
  '$(touch pwned).ts',
];

function row(c: Call): string {
  return `${c.range.start.line}:${c.range.start.column} ${c.client} ${c.method ?? '?'} ${c.url.template ?? c.url.text}`;
}

function settings(): Settings {
  return { ...DEFAULT_SETTINGS, include: [], exclude: [], rules: {}, runtimeOverrides: {}, wrappers: [] };
}

async function callsOf(rel: string, text: string): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-fuzz-base-'));
  try {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
    const index = new AtlasIndex({ root: dir, settings: settings(), workers: 0 });
    await index.scan();
    const rows = index.getCallsInFile(rel).map(row);
    index.dispose();
    return rows;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function fuzz(options: { seconds: number; seed: number; emptyFiles?: number; maxRounds?: number; keep?: string; log?: (line: string) => void }): Promise<FuzzReport> {
  const random = randomFrom(options.seed);
  const pick: Pick = (items) => items[Math.floor(random() * items.length)];
  const report: FuzzReport = { seed: options.seed, rounds: 0, inputs: 0, crashes: [], slowFiles: [], lostCalls: [], disagreements: [], skippedWhole: 0 };
  // Read once: the integration suite rewrites and restores fixture files while it runs beside this.
  const texts = new Map(fixtureSources().map((file) => [file, fs.readFileSync(file, 'utf8')]));
  const sources = [...texts.keys()];
  const deadline = Date.now() + options.seconds * 1000;
  const baselines = new Map<string, string[]>();
  // A round budget makes a run the same on a fast and a slow machine; the deadline only caps a very slow one.
  while (Date.now() < deadline && report.rounds < (options.maxRounds ?? Infinity)) {
    const round = report.rounds++;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-fuzz-'));
    const expected = new Map<string, string[]>(); // rel → the calls of its untouched part
    try {
      // Mutated fixtures: the original text, then a line break and hostile text, so the original part is untouched.
      for (let i = 0; i < 4; i++) {
        const source = pick(sources);
        const ext = path.extname(source);
        const rel = `src/m${i}${ext}`;
        const original = texts.get(source)!;
        const key = `${ext}:${source}`;
        if (!baselines.has(key)) baselines.set(key, await callsOf(`src/base${ext}`, original));
        const appended = ext === '.vue' || ext === '.svelte' ? '' : `\n;\n${pathological(random, pick)}\n`;
        fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), original + appended);
        expected.set(rel, baselines.get(key)!);
        report.inputs++;
      }
      for (let i = 0; i < 3; i++) {
        fs.writeFileSync(path.join(dir, 'src', `p${i}.ts`), `${pathological(random, pick)}\nexport const ok${i} = () => fetch('/api/ok${i}');\n`);
        report.inputs++;
      }
      const bytes = Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256)));
      fs.writeFileSync(path.join(dir, 'src', 'binary.ts'), bytes);
      fs.writeFileSync(path.join(dir, 'src', 'minified.js'), `var a=1;${"fetch('/api/min');".repeat(3000)}`);
      const hostile = pick(HOSTILE_NAMES);
      fs.writeFileSync(path.join(dir, 'src', hostile), "export const h = () => fetch('/api/hostile');\n");
      expected.set(`src/${hostile}`, ["1:24 fetch GET /api/hostile"]);
      fs.symlinkSync('..', path.join(dir, 'src', 'loop'));
      fs.symlinkSync(path.join(dir, 'src', 'self'), path.join(dir, 'src', 'self'));
      if (process.platform !== 'win32') {
        const { execFileSync } = await import('node:child_process');
        execFileSync('mkfifo', [path.join(dir, 'src', 'fifo.ts')]);
      }
      fs.writeFileSync(path.join(dir, 'src', 'locked.ts'), "export const l = () => fetch('/api/locked');\n", { mode: 0o000 });
      report.inputs += 6;
      if (round === 0 && options.emptyFiles) {
        const empty = path.join(dir, 'empty');
        fs.mkdirSync(empty);
        for (let i = 0; i < options.emptyFiles; i++) fs.writeFileSync(path.join(empty, `e${i}.ts`), '');
        report.inputs += options.emptyFiles;
      }

      const index = new AtlasIndex({ root: dir, settings: settings(), workers: 0 });
      try {
        await index.scan();
      } catch (err) {
        report.crashes.push(`round ${round}: scan threw ${(err as Error).stack ?? String(err)}`);
        continue;
      }
      const skipped = new Map(index.getStats().skipped.map((s) => [s.file, s.reason]));
      for (const [rel, calls] of expected) {
        // A whole file skipped by the read checks (one line of 40,000 characters looks minified) is a decision with
        // a reason, not a loss; a file analysed in part must keep the calls of its untouched part.
        const reason = skipped.get(rel);
        if (reason !== undefined && !reason.startsWith('could not be analysed in part')) {
          report.skippedWhole++;
          continue;
        }
        const got = new Set(index.getCallsInFile(rel).map(row));
        const lost = calls.filter((c) => !got.has(c));
        if (lost.length) report.lostCalls.push(`round ${round} ${JSON.stringify(rel)}: lost ${lost.join('; ')}`);
      }
      const files = new Set([...index.getCalls().map((c) => c.file), ...expected.keys()]);
      for (const rel of files) {
        const before = index.getCallsInFile(rel).map(row).sort();
        const started = Date.now();
        try {
          await index.updateFile(rel);
        } catch (err) {
          report.crashes.push(`round ${round} ${JSON.stringify(rel)}: updateFile threw ${(err as Error).stack ?? String(err)}`);
          continue;
        }
        const ms = Date.now() - started;
        if (ms > FILE_LIMIT_MS) report.slowFiles.push(`round ${round} ${JSON.stringify(rel)}: ${ms} ms`);
        const after = index.getCallsInFile(rel).map(row).sort();
        if (JSON.stringify(before) !== JSON.stringify(after)) {
          report.disagreements.push(`round ${round} ${JSON.stringify(rel)}: scan ${before.length} calls, update ${after.length}`);
          keepInput(options.keep, round, rel, dir);
        }
      }
      index.dispose();
    } catch (err) {
      report.crashes.push(`round ${round}: ${(err as Error).stack ?? String(err)}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    options.log?.(`round ${round}: ${report.inputs} inputs so far`);
  }
  return report;
}

/** With `--keep DIR`: the text of a file the scan and the update disagree on, to replay it alone. */
function keepInput(keep: string | undefined, round: number, rel: string, dir: string): void {
  if (!keep) return;
  fs.mkdirSync(keep, { recursive: true });
  fs.copyFileSync(path.join(dir, rel), path.join(keep, `round${round}-${path.basename(rel)}`));
}

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

if (require.main === module) {
  const seconds = argument('seconds', 60);
  const seed = argument('seed', 1);
  const emptyFiles = argument('empty-files', 0);
  const rounds = argument('rounds', Infinity);
  const keepAt = process.argv.indexOf('--keep');
  const keep = keepAt === -1 ? undefined : process.argv[keepAt + 1];
  void fuzz({ seconds, seed, emptyFiles, maxRounds: rounds, keep, log: (line) => process.stderr.write(`${line}\n`) }).then((r) => {
    console.log(`Fuzz (seed ${r.seed}, ${seconds} s): ${r.rounds} rounds, ${r.inputs} inputs, ${r.crashes.length} crashes, ${r.slowFiles.length} files over 5 s, ${r.lostCalls.length} lost calls, ${r.disagreements.length} scan/update disagreements; ${r.skippedWhole} mutated files skipped whole by the read checks`);
    for (const line of [...r.crashes, ...r.slowFiles, ...r.lostCalls, ...r.disagreements]) console.log(`  ${line}`);
    process.exitCode = r.crashes.length + r.slowFiles.length + r.lostCalls.length + r.disagreements.length > 0 ? 1 : 0;
  });
}
