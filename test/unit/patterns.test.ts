// Checks the whole engine against small workspaces distilled from real open-source projects (docs/real-world-patterns.md).
//
// Every fixture under test/fixtures/patterns/<workspace>/ states what a scan must report, on the source line
// itself, in a trailing comment (`//`, `/* */` or `<!-- -->`):
//
//   @expect <client> <method> <url> <runtime> [findings=<ids>] [has=<ids>] [not=<ids>] [context=<context>] [via=<name>]
//   @expect-none [why]
//
//   client    fetch | axios | axios-instance | wrapper | a library model id (swr, rtk-query, ky, …: src/core/detect/libraries.ts)
//   method    GET, POST, ... ; `?` for null (the engine cannot know it); `*` for any
//   url       the `url.template` of docs/design.md §2 (`/api/users/{id}`); `-` for a null template; `*` for any
//   runtime   frontend | backend | isomorphic | unknown; `*` for any
//   findings= the exact set of non-silenced rule ids, comma-separated (`findings=` alone: none at all)
//   has=      rule ids that must be among the non-silenced findings
//   not=      rule ids that must not be among the non-silenced findings
//   context=  the exact `context`
//   via=      the name part of `via` (`shopifyFetch` matches `shopifyFetch (lib/shopify/index.ts:12)`)
//
// `@expect` on a line means exactly one call starts on that line (the call's `range.start.line`) and it has
// those fields. `@expect-none` means no call starts on that line (look-alikes: `router.get`, `cache.fetch`,
// a shadowed `fetch`, `$fetch`, `useSWR(key, fetcher)`, text in strings). A call on a line with neither is a
// false positive and fails the test too, so every file of a fixture is fully annotated.
//
// Each workspace's own `.vscode/settings.json` (if any) is read as the CLI would read it.
//
// Known gaps: docs/real-world-patterns.md has a fenced `known-gaps` block, one line per mismatch the lead has
// accepted for now (`<workspace>/<file>:<line>  <owner>  <what>`). A listed mismatch is printed as a diagnostic
// instead of failing; a listed line that now matches fails, so the list is trimmed as soon as the engine is
// fixed. The expectation itself stays in the fixture either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanWorkspace } from '../../src/core/index';
import { loadSettings } from '../../src/core/settings';
import { RULE_IDS, type Call, type Client, type Runtime } from '../../src/core/model';
import { LIBRARY_MODELS } from '../../src/core/detect';

const PATTERNS = path.join(__dirname, '..', 'fixtures', 'patterns');
const FIELD_REPORT = path.join(__dirname, '..', '..', 'docs', 'real-world-patterns.md');
const SOURCE = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/;
const CLIENTS: readonly Client[] = ['fetch', 'axios', 'axios-instance', 'wrapper', ...LIBRARY_MODELS.map((m) => m.id)];
const RUNTIMES: readonly Runtime[] = ['frontend', 'backend', 'isomorphic', 'unknown'];
const ANNOTATION = /@expect(-none)?\b([^\n]*)/;

interface Expectation {
  client: Client;
  /** `undefined`: any method. */
  method: string | null | undefined;
  /** `undefined`: any template. */
  template: string | null | undefined;
  /** `undefined`: any runtime. */
  runtime: Runtime | undefined;
  findings?: string[];
  has: string[];
  not: string[];
  context?: string;
  via?: string;
  /** The annotation as written, for messages. */
  text: string;
}

type LineAnnotation = { kind: 'expect'; expectation: Expectation } | { kind: 'none' };

/** `file -> line -> annotation`, read from the fixture's sources. */
type Annotations = Map<string, Map<number, LineAnnotation>>;

function listSources(root: string, dir = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...listSources(root, rel));
    } else if (SOURCE.test(entry.name)) {
      out.push(rel);
    }
  }
  return out.sort();
}

function ruleList(value: string, where: string): string[] {
  const ids = value === '' ? [] : value.split(',');
  for (const id of ids) {
    if (!(RULE_IDS as readonly string[]).includes(id)) throw new Error(`${where}: unknown rule id "${id}" in annotation`);
  }
  return ids.sort();
}

/** Parses the words after `@expect`; a malformed annotation is a broken fixture and throws with its place. */
export function parseExpectation(words: string, where: string): Expectation {
  // The annotation ends where the comment does (`*/`, `-->`) or at a second ` //` comment (not the `//` of a URL).
  const text = words.replace(/(?:\s*(?:\*\/|-->)|\s\/\/).*$/, '').trim();
  const [client, method, url, runtime, ...options] = text.split(/\s+/);
  if (!CLIENTS.includes(client as Client)) throw new Error(`${where}: "${client}" is not a client (${CLIENTS.join(', ')})`);
  if (method === undefined || url === undefined || runtime === undefined) throw new Error(`${where}: an @expect needs client, method, url and runtime`);
  if (runtime !== '*' && !RUNTIMES.includes(runtime as Runtime)) throw new Error(`${where}: "${runtime}" is not a runtime`);
  const expectation: Expectation = {
    client: client as Client,
    method: method === '*' ? undefined : method === '?' ? null : method.toUpperCase(),
    template: url === '*' ? undefined : url === '-' ? null : url,
    runtime: runtime === '*' ? undefined : (runtime as Runtime),
    has: [],
    not: [],
    text: `${client} ${method} ${url} ${runtime}${options.length ? ' ' + options.join(' ') : ''}`,
  };
  for (const option of options) {
    const eq = option.indexOf('=');
    const key = eq === -1 ? option : option.slice(0, eq);
    const value = eq === -1 ? '' : option.slice(eq + 1);
    if (key === 'findings') expectation.findings = ruleList(value, where);
    else if (key === 'has') expectation.has = ruleList(value, where);
    else if (key === 'not') expectation.not = ruleList(value, where);
    else if (key === 'context') expectation.context = value;
    else if (key === 'via') expectation.via = value;
    else throw new Error(`${where}: unknown option "${option}"`);
  }
  return expectation;
}

function readAnnotations(root: string): Annotations {
  const annotations: Annotations = new Map();
  for (const rel of listSources(root)) {
    const lines = fs.readFileSync(path.join(root, rel), 'utf8').split(/\r?\n/);
    const byLine = new Map<number, LineAnnotation>();
    lines.forEach((line, i) => {
      const m = ANNOTATION.exec(line);
      if (!m) return;
      const where = `${rel}:${i + 1}`;
      byLine.set(i + 1, m[1] ? { kind: 'none' } : { kind: 'expect', expectation: parseExpectation(m[2], where) });
    });
    annotations.set(rel, byLine);
  }
  return annotations;
}

function describeCall(call: Call): string {
  const findings = activeRules(call);
  return `${call.client} ${call.method ?? '?'} ${call.url.template ?? '-'} ${call.runtime} findings=${findings.join(',')} context=${call.context}${call.via ? ` via=${call.via}` : ''}`;
}

function activeRules(call: Call): string[] {
  return call.findings
    .filter((f) => !f.silenced)
    .map((f) => f.rule)
    .sort();
}

/** What differs between an expectation and the call found on its line; empty when they agree. */
function differences(expected: Expectation, call: Call): string[] {
  const diffs: string[] = [];
  if (call.client !== expected.client) diffs.push(`client ${call.client}`);
  if (expected.method !== undefined && call.method !== expected.method) diffs.push(`method ${call.method ?? '?'}`);
  if (expected.template !== undefined && call.url.template !== expected.template) diffs.push(`url ${call.url.template ?? '-'}`);
  if (expected.runtime !== undefined && call.runtime !== expected.runtime) diffs.push(`runtime ${call.runtime}`);
  if (expected.context !== undefined && call.context !== expected.context) diffs.push(`context ${call.context}`);
  if (expected.via !== undefined && !(call.via ?? '').startsWith(`${expected.via} `) && call.via !== expected.via) diffs.push(`via ${call.via ?? '(none)'}`);
  const rules = activeRules(call);
  if (expected.findings && rules.join(',') !== expected.findings.join(',')) diffs.push(`findings=${rules.join(',')}`);
  const missing = expected.has.filter((r) => !rules.includes(r));
  if (missing.length) diffs.push(`missing findings ${missing.join(',')}`);
  const unwanted = expected.not.filter((r) => rules.includes(r));
  if (unwanted.length) diffs.push(`unwanted findings ${unwanted.join(',')}`);
  return diffs;
}

/** Every disagreement between a scan and the fixture's annotations, as `file:line expected … got …`. */
export function compareScan(calls: readonly Call[], annotations: Annotations): string[] {
  const mismatches: string[] = [];
  const found = new Map<string, Call[]>();
  for (const call of calls) {
    const key = `${call.file}:${call.range.start.line}`;
    found.set(key, [...(found.get(key) ?? []), call]);
  }
  for (const [file, byLine] of annotations) {
    for (const [line, annotation] of byLine) {
      const key = `${file}:${line}`;
      const here = found.get(key) ?? [];
      found.delete(key);
      if (annotation.kind === 'none') {
        for (const call of here) mismatches.push(`${key} expected no call, got ${describeCall(call)}`);
        continue;
      }
      const expected = annotation.expectation;
      if (here.length === 0) {
        mismatches.push(`${key} expected ${expected.text}, got no call`);
      } else if (here.length > 1) {
        mismatches.push(`${key} expected ${expected.text}, got ${here.length} calls: ${here.map(describeCall).join(' | ')}`);
      } else {
        const diffs = differences(expected, here[0]);
        if (diffs.length) mismatches.push(`${key} expected ${expected.text}, got ${diffs.join('; ')} (${describeCall(here[0])})`);
      }
    }
  }
  for (const [key, extra] of found) {
    for (const call of extra) mismatches.push(`${key} expected nothing (no annotation), got ${describeCall(call)}`);
  }
  return mismatches.sort(compareKeys);
}

function compareKeys(a: string, b: string): number {
  const [fa, la] = a.split(' ', 1)[0].split(':');
  const [fb, lb] = b.split(' ', 1)[0].split(':');
  return fa === fb ? Number(la) - Number(lb) : fa < fb ? -1 : 1;
}

const workspaces = fs
  .readdirSync(PATTERNS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

test('the annotation grammar rejects malformed expectations instead of ignoring them', () => {
  assert.throws(() => parseExpectation('fech GET /x frontend', 'a.ts:1'), /not a client/);
  assert.throws(() => parseExpectation('fetch GET /x browser', 'a.ts:1'), /not a runtime/);
  assert.throws(() => parseExpectation('fetch GET /x frontend findings=client-secrets', 'a.ts:1'), /unknown rule id/);
  assert.throws(() => parseExpectation('fetch GET', 'a.ts:1'), /needs client, method, url and runtime/);
  const e = parseExpectation('axios-instance ? - * findings= not=client-secret via=api */', 'a.ts:1');
  assert.deepEqual([e.client, e.method, e.template, e.runtime, e.findings, e.not, e.via], ['axios-instance', null, null, undefined, [], ['client-secret'], 'api']);
});

test('every pattern workspace has annotations', () => {
  assert.ok(workspaces.length >= 7, `expected the pattern workspaces, found ${workspaces.join(', ')}`);
  for (const name of workspaces) {
    const annotations = readAnnotations(path.join(PATTERNS, name));
    const expects = [...annotations.values()].reduce((n, byLine) => n + [...byLine.values()].filter((a) => a.kind === 'expect').length, 0);
    assert.ok(expects > 0, `${name} has no @expect annotation`);
  }
});

/** `<workspace>/<file>:<line>` keys of the known-gaps block of the field report. */
export function readKnownGaps(markdown: string): Set<string> {
  const block = /```known-gaps\n([\s\S]*?)```/.exec(markdown);
  const keys = new Set<string>();
  for (const line of (block?.[1] ?? '').split('\n')) {
    const key = line.trim().split(/\s+/, 1)[0];
    if (key) keys.add(key);
  }
  return keys;
}

/** The `file:line` a mismatch message starts with. */
function mismatchKey(mismatch: string): string {
  return mismatch.split(' ', 1)[0];
}

const knownGaps = readKnownGaps(fs.existsSync(FIELD_REPORT) ? fs.readFileSync(FIELD_REPORT, 'utf8') : '');

test('the known-gaps list names only annotated lines of existing pattern workspaces', () => {
  const stale: string[] = [];
  for (const key of knownGaps) {
    const m = /^([^/]+)\/(.+):(\d+|skipped)$/.exec(key);
    if (!m || !workspaces.includes(m[1])) {
      stale.push(`${key}: not <workspace>/<file>:<line> of a pattern workspace`);
      continue;
    }
    const byLine = readAnnotations(path.join(PATTERNS, m[1])).get(m[2]);
    if (!byLine) stale.push(`${key}: no such source file`);
    else if (m[3] !== 'skipped' && !byLine.has(Number(m[3]))) stale.push(`${key}: that line has no annotation (did the fixture move?)`);
  }
  assert.deepEqual(stale, []);
});

for (const name of workspaces) {
  test(`real-world pattern workspace ${name}: the scan reports exactly the annotated calls`, async (t) => {
    const root = path.join(PATTERNS, name);
    const { settings } = loadSettings(root);
    const result = await scanWorkspace(root, settings);
    const annotations = readAnnotations(root);
    const mismatches = compareScan(result.calls, annotations);
    // A fixture source the engine gave up on is a failure of its own, with the engine's reason.
    for (const skipped of result.stats.skipped) {
      if (annotations.has(skipped.file)) mismatches.push(`${skipped.file}:skipped the engine skipped this file: ${skipped.reason}`);
    }
    const known = mismatches.filter((m) => knownGaps.has(`${name}/${mismatchKey(m)}`));
    for (const m of known) t.diagnostic(`known gap (docs/real-world-patterns.md): ${m}`);
    const fresh = mismatches.filter((m) => !knownGaps.has(`${name}/${mismatchKey(m)}`));
    assert.deepEqual(fresh, [], `${name}: ${fresh.length} mismatch(es):\n  ${fresh.join('\n  ')}`);
    const fixed = [...knownGaps].filter((k) => k.startsWith(`${name}/`) && !mismatches.some((m) => `${name}/${mismatchKey(m)}` === k));
    assert.deepEqual(fixed, [], `${name}: these known gaps now pass; remove them from the known-gaps block of docs/real-world-patterns.md:\n  ${fixed.join('\n  ')}`);
  });
}
