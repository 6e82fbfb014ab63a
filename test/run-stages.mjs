// `npm test`: runs every stage (type-check, lint, unit, integration suite, end-to-end) even after one fails, then
// prints one "Stage <name>: ..." line per stage, so a log always says what passed, what failed and what did not run.
//
// Usage: node test/run-stages.mjs [STAGE...]   (default: all, in order; names as in STAGES below)
import { spawn } from 'node:child_process';

/** Stage name → npm script, and how to read the stage's own summary from its output. */
const STAGES = [
  { name: 'typecheck', script: 'typecheck' },
  { name: 'lint', script: 'lint' },
  { name: 'unit', script: 'test:unit', summary: unitSummary },
  { name: 'integration', script: 'test:vscode', summary: (text) => lastMatch(text, /^Integration suite in .*$/gm) },
  { name: 'e2e', script: 'test:e2e', summary: (text) => lastMatch(text, /^End-to-end: .*$/gm) },
];

function lastMatch(text, pattern) {
  const all = text.match(pattern);
  return all ? all[all.length - 1].trim() : null;
}

/** node --test's spec reporter ends with `ℹ tests N`, `ℹ pass N`, `ℹ fail N`, ... */
function unitSummary(text) {
  const count = (what) => lastMatch(text, new RegExp(`^ℹ ${what} \\d+$`, 'gm'))?.split(' ').pop();
  const [tests, pass, fail, cancelled, skipped] = ['tests', 'pass', 'fail', 'cancelled', 'skipped'].map(count);
  if (tests === undefined) return null;
  return `${tests} tests: ${pass} passed, ${fail} failed, ${cancelled ?? 0} cancelled, ${skipped ?? 0} skipped`;
}

/** Runs `npm run <script>`, passing its output through; resolves with its exit code and output. */
function runStage(stage) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn('npm', ['run', stage.script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk) => {
      text += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      text += chunk;
      process.stderr.write(chunk);
    });
    child.on('error', (err) => resolve({ code: 1, text: `${text}\n${err.message}`, seconds: (Date.now() - started) / 1000, error: err.message }));
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, text, seconds: (Date.now() - started) / 1000 }));
  });
}

async function main() {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !STAGES.some((s) => s.name === w));
  if (unknown.length > 0) {
    console.error(`Unknown stage(s): ${unknown.join(', ')}. Stages: ${STAGES.map((s) => s.name).join(', ')}`);
    return 2;
  }
  const lines = [];
  let failed = 0;
  let interrupted = null;
  for (const stage of STAGES) {
    if (wanted.length > 0 && !wanted.includes(stage.name)) continue;
    if (interrupted) {
      lines.push(`Stage ${stage.name}: did not run (${interrupted})`);
      failed++;
      continue;
    }
    console.log(`\n==> stage ${stage.name} (npm run ${stage.script})`);
    const result = await runStage(stage);
    const own = stage.summary?.(result.text) ?? null;
    const outcome = result.code === 0 ? 'passed' : `FAILED (exit ${result.signal ?? result.code})`;
    if (result.code !== 0) failed++;
    // A runner that exited without its summary line did not get to run its tests: say so.
    const detail = own ?? (stage.summary ? 'it printed no summary: did not run or stopped early, see its output above' : null);
    lines.push(`Stage ${stage.name}: ${outcome} in ${result.seconds.toFixed(1)} s${detail ? ` · ${detail}` : ''}`);
    if (result.signal === 'SIGINT' || result.signal === 'SIGTERM') interrupted = `interrupted by ${result.signal}`;
  }
  console.log('\n==> stages');
  for (const line of lines) console.log(line);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
