// CI baselines: fingerprints that survive moves and reformatting, --write-baseline/--baseline, --changed-since and SARIF fingerprints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyBaseline, createBaseline, findingFingerprint, fingerprintFindings, limitFindingsToFiles, normaliseCallText, parseBaseline, textInRange } from '../../src/core/report';
import { parseArgs } from '../../src/cli/args';
import { applyCiOptions } from '../../src/cli/ciOptions';
import type { Call, ScanResult } from '../../src/core/model';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

const LEAK = `'use client';
export async function ask(prompt: string) {
  const res = await fetch('https://api.openai.com/v1/chat/completions', {
    method: 'POST',
    headers: { Authorization: \`Bearer \${process.env.NEXT_PUBLIC_OPENAI_API_KEY}\` },
    body: JSON.stringify({ prompt }),
  });
  return res.json();
}
`;
const SECOND_LEAK = `'use client';
export async function send(to: string) {
  return fetch('https://api.sendgrid.com/v3/mail/send', { method: 'POST', headers: { Authorization: 'Bearer ' + process.env.NEXT_PUBLIC_SENDGRID_API_KEY }, body: to });
}
`;

const created: string[] = [];
test.after(() => created.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function workspace(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-baseline-')));
  created.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function cli(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function errorsIn(jsonText: string): string[] {
  const result = JSON.parse(jsonText) as ScanResult;
  return result.calls.flatMap((c) => c.findings.filter((f) => f.severity === 'error' && !f.silenced).map((f) => `${c.file}:${f.rule}`));
}

test('normalised call text ignores whitespace, comments, quote style and trailing commas, not what the call does', () => {
  const a = normaliseCallText(`fetch("https://x.example/a", {\n  method: 'POST', // create\n})`);
  const b = normaliseCallText(`fetch('https://x.example/a', { /* why */ method: 'POST' })`);
  assert.equal(a, b);
  assert.notEqual(a, normaliseCallText(`fetch('https://x.example/b', { method: 'POST' })`));
  assert.equal(textInRange('ab\ncdef\n', { start: { line: 2, column: 2 }, end: { line: 2, column: 4 } }), 'de');
  assert.notEqual(findingFingerprint('client-secret', 'a.ts', a), findingFingerprint('client-secret', 'b.ts', a));
  assert.notEqual(findingFingerprint('client-secret', 'a.ts', a), findingFingerprint('no-timeout', 'a.ts', a));
});

test('applyBaseline counts occurrences: two identical calls with one baselined finding leave one reported', () => {
  const call = (line: number): Call => ({
    id: `c${line}`,
    file: 'a.ts',
    range: { start: { line, column: 1 }, end: { line, column: 20 } },
    client: 'fetch',
    method: 'GET',
    url: { text: "'http://x.example'", template: 'http://x.example', host: 'x.example', kind: 'absolute' },
    runtime: 'frontend',
    context: 'spa',
    confidence: 1,
    evidence: [],
    findings: [{ rule: 'insecure-http', severity: 'warning', message: 'http', topics: [] }],
  });
  const source = "fetch('http://x.example')\nfetch('http://x.example')\n";
  const one: ScanResult = { tool: 'api-atlas', version: '0', root: '/r', calls: [call(1)], stats: { filesSeen: 1, filesParsed: 1, calls: 1, durationMs: 0, skipped: [] } };
  const baseline = parseBaseline(JSON.stringify(createBaseline(one, fingerprintFindings(one, () => source))));
  const two: ScanResult = { ...one, calls: [call(1), call(2)] };
  const applied = applyBaseline(two, fingerprintFindings(two, () => source), baseline);
  assert.equal(applied.known, 1);
  assert.equal(applied.result.calls.flatMap((c) => c.findings).length, 1);
  assert.equal(limitFindingsToFiles(two, new Set(['b.ts'])).dropped, 2);
  assert.throws(() => parseBaseline('{"entries": []}'), /not an API Atlas baseline/);
});

test('the scan flags parse, and belong to scan only', () => {
  const r = parseArgs(['scan', '--baseline', 'b.json', '--write-baseline=w.json', '--changed-since', 'origin/main']);
  assert.equal(r.kind, 'scan');
  if (r.kind === 'scan') assert.deepEqual([r.scan.baseline, r.scan.writeBaseline, r.scan.changedSince], ['b.json', 'w.json', 'origin/main']);
  assert.deepEqual(parseArgs(['hosts', '--baseline', 'b.json']), { kind: 'error', message: '--baseline applies to "scan" only' });
  assert.equal(parseArgs(['scan', '--changed-since']).kind, 'error');
});

test('fingerprints are worked out only for SARIF and baselines: a JSON or table report reads no file again', () => {
  const root = workspace({ 'src/ask.ts': LEAK });
  const call: Call = {
    id: 'c1',
    file: 'src/ask.ts',
    range: { start: { line: 3, column: 21 }, end: { line: 7, column: 5 } },
    client: 'fetch',
    method: 'POST',
    url: { text: "'https://api.openai.com/v1/chat/completions'", template: 'https://api.openai.com/v1/chat/completions', host: 'api.openai.com', kind: 'absolute' },
    runtime: 'frontend',
    context: 'spa',
    confidence: 1,
    evidence: [],
    findings: [{ rule: 'client-secret', severity: 'error', message: 'secret', topics: [] }],
  };
  const scan: ScanResult = { tool: 'api-atlas', version: '0', root, calls: [call], stats: { filesSeen: 1, filesParsed: 1, calls: 1, durationMs: 0, skipped: [] } };
  const fingerprintsFor = (...flags: string[]): number => {
    const request = parseArgs(['scan', ...flags]);
    assert.equal(request.kind, 'scan');
    if (request.kind !== 'scan') return -1;
    const outcome = applyCiOptions(scan, request.scan, root, () => undefined);
    assert.ok(!('error' in outcome));
    return 'error' in outcome ? -1 : outcome.fingerprints.size;
  };
  assert.equal(fingerprintsFor('--format', 'json'), 0);
  assert.equal(fingerprintsFor(), 0, 'the table');
  assert.equal(fingerprintsFor('--format', 'sarif'), 1);
  assert.equal(fingerprintsFor('--format', 'json', '--write-baseline', path.join(root, 'baseline.json')), 1);
});

test('dist/cli.js: a baseline keeps matching after lines move and unrelated edits, and only a new leak fails the build', () => {
  const key = 'sk-proj-Q9xY2mN4vB7cD1eF3gH5jK8lP0rS6tU';
  const dir = workspace({ 'package.json': '{"dependencies":{"next":"15.0.0","react":"19.0.0"}}', 'app/chat.tsx': LEAK, '.env.local': `NEXT_PUBLIC_OPENAI_API_KEY=${key}\n` });
  const baselineFile = path.join(dir, '.api-atlas-baseline.json');

  const before = cli(dir, 'scan', '.', '--format', 'json', '--fail-on', 'error');
  assert.equal(before.status, 1, 'the leak fails the build without a baseline');
  assert.deepEqual(errorsIn(before.stdout), ['app/chat.tsx:client-secret']);

  const written = cli(dir, 'scan', '.', '--write-baseline', '.api-atlas-baseline.json', '--format', 'json');
  assert.equal(written.status, 0, written.stderr);
  const baseline = parseBaseline(fs.readFileSync(baselineFile, 'utf8'));
  assert.ok(baseline.entries.some((e) => e.rule === 'client-secret' && e.file === 'app/chat.tsx' && e.line === 3));
  assert.ok(!fs.readFileSync(baselineFile, 'utf8').includes(key.slice(8)), 'no secret in the committed file');

  // Lines move (a comment block above), the call is re-indented and another function is added below.
  const moved = `// Chat helpers.\n// More lines above the call.\n\n${LEAK.replace("method: 'POST',", "method:   'POST' ,").replace('  const res', '    const res')}\nexport const version = 2;\n`;
  fs.writeFileSync(path.join(dir, 'app/chat.tsx'), moved);
  const after = cli(dir, 'scan', '.', '--baseline', '.api-atlas-baseline.json', '--format', 'json', '--fail-on', 'error');
  assert.equal(after.status, 0, `${after.stderr}\n${after.stdout}`);
  assert.deepEqual(errorsIn(after.stdout), []);
  assert.match(after.stderr, /already in the baseline/);

  // A new leak in another file is reported and fails; the old one stays quiet.
  fs.writeFileSync(path.join(dir, 'app/mail.tsx'), SECOND_LEAK);
  const added = cli(dir, 'scan', '.', '--baseline', '.api-atlas-baseline.json', '--format', 'json', '--fail-on', 'error');
  assert.equal(added.status, 1);
  assert.deepEqual(errorsIn(added.stdout), ['app/mail.tsx:client-secret']);

  // Changing what the call sends makes it a new finding.
  fs.rmSync(path.join(dir, 'app/mail.tsx'));
  fs.writeFileSync(path.join(dir, 'app/chat.tsx'), moved.replace('NEXT_PUBLIC_OPENAI_API_KEY', 'NEXT_PUBLIC_OPENAI_SECRET_KEY'));
  assert.equal(cli(dir, 'scan', '.', '--baseline', '.api-atlas-baseline.json', '--fail-on', 'error').status, 1);

  const missing = cli(dir, 'scan', '.', '--baseline', 'nope.json');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /baseline not found: nope\.json \(create it with --write-baseline nope\.json\)/);
});

test('dist/cli.js: SARIF carries a line-independent fingerprint that stays the same when the call moves', () => {
  const dir = workspace({ 'package.json': '{"dependencies":{"react":"19.0.0","vite":"5.0.0"}}', 'src/chat.tsx': LEAK });
  const fingerprints = (): string[] => {
    const sarif = JSON.parse(cli(dir, 'scan', '.', '--format', 'sarif').stdout) as { runs: { results: { ruleId: string; partialFingerprints: Record<string, string> }[] }[] };
    return sarif.runs[0].results.map((r) => `${r.ruleId}=${r.partialFingerprints['apiAtlasFinding/v1']}`).sort();
  };
  const first = fingerprints();
  assert.ok(first.length > 0 && first.every((f) => /=[0-9a-f]{32}$/.test(f)), first.join('\n'));
  fs.writeFileSync(path.join(dir, 'src/chat.tsx'), `\n\n\n${LEAK}`);
  assert.deepEqual(fingerprints(), first);
});

test('dist/cli.js: --changed-since reports findings only in files changed since the ref (committed, modified or new)', () => {
  const dir = workspace({ 'package.json': '{"dependencies":{"react":"19.0.0","vite":"5.0.0"}}', 'src/old.tsx': LEAK });
  const git = (...args: string[]): void => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'base');
  git('checkout', '-qb', 'feature');
  fs.writeFileSync(path.join(dir, 'src/new.tsx'), SECOND_LEAK);
  const r = cli(dir, 'scan', '.', '--changed-since', 'main', '--format', 'json', '--fail-on', 'error');
  assert.equal(r.status, 1);
  assert.deepEqual(errorsIn(r.stdout), ['src/new.tsx:client-secret']);
  assert.match(r.stderr, /in files unchanged since main not reported/);
  const all = JSON.parse(r.stdout) as ScanResult;
  assert.ok(all.calls.some((c) => c.file === 'src/old.tsx'), 'calls in unchanged files are still listed');

  git('add', '-A');
  git('commit', '-qm', 'add mail');
  assert.deepEqual(errorsIn(cli(dir, 'scan', '.', '--changed-since', 'main', '--format', 'json').stdout), ['src/new.tsx:client-secret']);
  assert.deepEqual(errorsIn(cli(dir, 'scan', '.', '--changed-since', 'HEAD', '--format', 'json').stdout), []);
  const bad = cli(dir, 'scan', '.', '--changed-since', 'no-such-branch');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--changed-since no-such-branch/);
});
