// The proxy move on calls found by the real engine (AtlasIndex): detector spans and credentials feed the plans end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { AtlasIndex } from '../../src/core/index';
import { detectProxyTargets, planProxyMove } from '../../src/core/fix/proxy';
import { DEFAULT_SETTINGS } from '../../src/core/model';
import { FIXTURES, applyPlan, fixtureWorkspace, syntaxErrors, typeCheck } from './proxy-support';

const EXPECTED: Record<string, { file: string; handler: string; gone: string }[]> = {
  'proxy-next-app': [
    { file: 'app/components/Chat.tsx', handler: 'app/api/openai-chat-completions-2/route.ts', gone: 'NEXT_PUBLIC_OPENAI_KEY' },
    { file: 'app/components/Issues.tsx', handler: 'app/api/github-repos-issues/route.ts', gone: 'NEXT_PUBLIC_GITHUB_TOKEN' },
  ],
  'proxy-next-pages': [{ file: 'lib/Weather.jsx', handler: 'pages/api/openweathermap-data-weather.js', gone: 'NEXT_PUBLIC_WEATHER_KEY' }],
  'proxy-express': [{ file: 'src/Summary.tsx', handler: 'server/routes/anthropic-messages-proxy.ts', gone: 'anthropic.post' }],
  'proxy-express-cjs': [{ file: 'public/contact.js', handler: 'routes/sendgrid-mail-send-proxy.js', gone: 'SG.fixtureOnly' }],
  'proxy-standalone': [{ file: 'src/Movie.tsx', handler: 'server/themoviedb-movie-proxy.mjs', gone: 'VITE_TMDB_TOKEN' }],
};

for (const [fixture, expected] of Object.entries(EXPECTED)) {
  test(`${fixture}: every client-secret call the engine finds can be moved, and the result type-checks`, async () => {
    const index = new AtlasIndex({ root: path.join(FIXTURES, fixture), settings: { ...DEFAULT_SETTINGS }, workers: 0 });
    await index.scan();
    const calls = index.getCalls().filter((c) => c.findings.some((f) => f.rule === 'client-secret'));
    assert.deepEqual(calls.map((c) => c.file).sort(), expected.map((e) => e.file).sort());
    const ws = fixtureWorkspace(fixture);
    const handlers: Record<string, string> = {};
    for (const call of calls) {
      const want = expected.find((e) => e.file === call.file)!;
      const [target] = detectProxyTargets(ws.listFiles(), ws.readFile, { fromFile: call.file });
      const result = planProxyMove(call, target, ws);
      assert.ok(result.ok, result.ok ? '' : result.reason);
      const handler = result.plan.creates[0];
      assert.equal(handler.file, want.handler);
      const virtualName = handler.file.endsWith('.js') && /require\(/.test(handler.content) ? 'h.cjs' : handler.file.slice(handler.file.lastIndexOf('/') + 1);
      handlers[`${Object.keys(handlers).length}-${virtualName}`] = handler.content;
      const rewritten = applyPlan(ws, result.plan).readFile(call.file)!;
      assert.deepEqual(syntaxErrors(call.file, rewritten), []);
      assert.ok(!rewritten.includes(want.gone), `${want.gone} is gone from ${call.file}`);
    }
    assert.deepEqual(typeCheck(handlers), []);
  });
}
