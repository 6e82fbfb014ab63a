// Every regular expression in src/ is timed against inputs built from its own characters: none may take more than
// BOUND_MS on a 20,000-character input while growing faster than the input (a quadratic one takes seconds there;
// a linear one well under a millisecond).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { adversarialInputs, findRegexes, listSourceFiles, timeAllMatches, type FoundRegex } from './regex-safety-support';

const SRC = path.join(__dirname, '..', '..', 'src');
/** The stated bound, for one regex over one 20,000-character input (the minimum of five runs). */
const BOUND_MS = 100;
const LENGTH = 20_000;
/** Inputs are first screened at this length; only one slower than SCREEN_MS there is timed at full length. */
const SCREEN_LENGTH = 4_000;
const SCREEN_MS = 5;

/**
 * Regexes that are superlinear on a crafted input but only ever see a short, bounded string; each says why. A new
 * entry needs the same kind of reason: text from workspace files (a whole file, a line, an identifier) is unbounded.
 */
const BOUNDED_INPUT: { file: string; source: string; why: string }[] = [
  { file: 'core/detect/credentials.ts', source: String.raw`^(?:authorization|proxy-authorization|cookie|x-[\w-]*(?:key|token|secret|auth)[\w-]*|[\w-]*api[-_]?key|[\w-]*-token|[\w-]*secret[\w-]*|apikey|x-auth[\w-]*)$`, why: 'a header name, matched only when the name is a plain string key in an object literal' },
  { file: 'core/fix/proxy/index.ts', source: String.raw` \(.*\)$`, why: "a proxy target's label, one of the engine's own strings" },
  { file: 'core/fix/simple/fixes.ts', source: String.raw`\B(?=(\d{3})+$)`, why: 'a timeout in milliseconds, formatted with thousands separators' },
  { file: 'core/graph/resolve.ts', source: String.raw`\[(.*)\]`, why: 'one line of pnpm-workspace.yaml after `packages:`' },
  { file: 'core/index/analyze.ts', source: String.raw`(?:^|[\n;])\s*import\s+(?:type\s+)?([\w$]+\s*,\s*)?(\{[^}();=]*)?$`, why: 'at most the 400 characters before a name, cut at the last `;`' },
  { file: 'core/rules/secrets.ts', source: String.raw`([A-Z]+)([A-Z][a-z])`, why: 'a variable or env name split into words' },
];
// Listed by file and pattern, not line, so an edit elsewhere in the file does not unlist one.
const isListed = (r: FoundRegex) => BOUNDED_INPUT.some((b) => r.where.startsWith(`${b.file}:`) && r.source === b.source);

function allRegexes(): FoundRegex[] {
  return listSourceFiles(SRC).flatMap((file) => findRegexes(file, path.relative(SRC, file).split(path.sep).join('/')));
}

/** The slow (regex, input) pairs: at most one per regex, with its time at full length. */
export function slowRegexes(regexes: FoundRegex[]): string[] {
  const slow: string[] = [];
  for (const regex of regexes) {
    for (const screen of adversarialInputs(regex.source, SCREEN_LENGTH)) {
      if (timeAllMatches(regex, screen) < SCREEN_MS) continue;
      const body = screen.slice(0, -1);
      const full = body.repeat(Math.ceil(LENGTH / body.length)).slice(0, LENGTH) + '\u0001';
      // The minimum of five runs: a pause of the machine lengthens a run, never shortens one.
      const ms = Math.min(...[0, 1, 2, 3, 4].map(() => timeAllMatches(regex, full)));
      // A busy machine can slow a linear regex too: over the bound counts only when the time also grew faster than
      // the input (a quarter of the input taking more than a sixth of the time: quadratic gives 1/16, linear 1/4).
      const quarter = body.repeat(Math.ceil(LENGTH / 4 / body.length)).slice(0, LENGTH / 4) + '\u0001';
      const quarterMs = Math.min(...[0, 1, 2, 3, 4].map(() => timeAllMatches(regex, quarter)));
      if (ms > BOUND_MS && quarterMs < ms / 6) {
        slow.push(`${regex.where} /${regex.source}/${regex.flags}: ${Math.round(ms)} ms on ${JSON.stringify(full.slice(0, 24))}… (${full.length} chars)`);
        break;
      }
    }
  }
  return slow;
}

test('the finder sees regex literals and new RegExp patterns built from constants', () => {
  const regexes = allRegexes();
  assert.ok(regexes.length > 300, `found ${regexes.length}`);
  assert.ok(regexes.some((r) => r.where.startsWith('core/graph/imports.ts') && r.source.startsWith('import\\s+') && r.source.includes('[A-Za-z_$][\\w$]*') && r.source.endsWith(String.raw`from\s*['"]([^'"\n]+)['"]`)), 'IMPORT_FROM with ID and SPEC filled in');
});

test('the timing catches a quadratic regex and passes its linear rewrite', () => {
  const quadratic: FoundRegex = { where: 'example', source: '\\s+as\\s+', flags: '' };
  const linear: FoundRegex = { where: 'example', source: '(?<!\\s)\\s+as\\s+', flags: '' };
  assert.equal(slowRegexes([quadratic]).length, 1);
  assert.deepEqual(slowRegexes([linear]), []);
});

test(`no regular expression in src/ takes more than ${BOUND_MS} ms on a ${LENGTH}-character adversarial input`, () => {
  const regexes = allRegexes();
  for (const b of BOUNDED_INPUT) assert.ok(regexes.some((r) => r.where.startsWith(`${b.file}:`) && r.source === b.source), `${b.file} /${b.source}/ is listed as bounded but is gone: update the list`);
  assert.deepEqual(slowRegexes(regexes.filter((r) => !isListed(r))), []);
});
