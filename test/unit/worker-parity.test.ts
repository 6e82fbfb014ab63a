// A full scan with worker threads (the built dist/worker.js) gives byte for byte the JSON of one without them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scanWorkspace, snapshotFileFor } from '../../src/core/index';
import { DEFAULT_SETTINGS, type ScanResult, type Settings } from '../../src/core/model';
import { tempDir } from '../support/temp-dirs';

const WORKER = path.join(__dirname, '..', '..', 'dist', 'worker.js');
const settings: Settings = { ...DEFAULT_SETTINGS, include: [], exclude: [], rules: {}, runtimeOverrides: {}, wrappers: [] };

/**
 * The pattern of dub's SWR hooks: fetch wrappers re-exported through a barrel, and files that import SWR (so the
 * workers take them before the module graph exists) handing a wrapper to `useSWR` as a bare argument.
 */
function swrWorkspace(): string {
  const root = tempDir('atlas-worker-parity-');
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'web', dependencies: { next: '15', react: '19', 'react-dom': '19', swr: '2' } }),
    'lib/fetcher.ts': 'export async function fetcher<T = unknown>(input: RequestInfo, init?: RequestInit): Promise<T> {\n  const res = await fetch(input, { ...init });\n  if (!res.ok) throw new Error(String(res.status));\n  return res.json();\n}\n',
    'lib/text-fetcher.ts': 'export async function textFetcher(input: RequestInfo, init?: RequestInit): Promise<string> {\n  const res = await fetch(input, { ...init });\n  if (!res.ok) throw new Error(String(res.status));\n  return res.text();\n}\n',
    'lib/index.ts': "export * from './fetcher';\nexport * from './text-fetcher';\n",
    'hooks/use-guide.ts': "import useSWR from 'swr';\nimport { textFetcher } from '../lib';\n\nexport default function useGuide(key: string) {\n  const { data } = useSWR(`/api/docs/guides/${key}`, textFetcher);\n  return data;\n}\n",
    'app/guide/page.tsx': "'use client';\nimport useGuide from '../../hooks/use-guide';\n\nexport default function Guide() {\n  return <pre>{useGuide('intro')}</pre>;\n}\n",
    'app/tokens/page-client.tsx': "'use client';\nimport useSWR from 'swr';\nimport { fetcher } from '../../lib';\n\nexport default function Tokens() {\n  const { data } = useSWR<string[]>('/api/user/tokens', fetcher);\n  return <ul>{data?.map((t) => <li key={t}>{t}</li>)}</ul>;\n}\n",
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

const json = (result: ScanResult): string => JSON.stringify({ ...result, stats: { ...result.stats, durationMs: 0 } }, null, 1);

test('a scan with worker threads gives the JSON of one without: calls through a wrapper handed to useSWR keep their via', async () => {
  assert.ok(fs.existsSync(WORKER), 'dist/ is built (npm run test:unit builds first)');
  const root = swrWorkspace();
  const here = await scanWorkspace(root, settings, { workers: 0 });
  // The answer both must give: one row per useSWR call, through its wrapper; the wrappers' own fetches are their definitions.
  assert.deepEqual(
    here.calls.map((c) => `${c.file}:${c.range.start.line} ${c.client} ${c.method} ${c.url.template} via ${c.via}`),
    ['app/tokens/page-client.tsx:6 swr GET /api/user/tokens via fetcher (lib/fetcher.ts:1)', 'hooks/use-guide.ts:5 swr GET /api/docs/guides/{key} via textFetcher (lib/text-fetcher.ts:1)'],
  );
  for (const workers of [1, 2]) {
    const logs: string[] = [];
    const threaded = await scanWorkspace(root, settings, { workers, workerScript: WORKER, log: (m) => logs.push(m) });
    assert.ok(logs.some((m) => /[1-9]\d* in worker threads/.test(m)), `the workers analysed files (${workers} threads)`);
    assert.deepEqual(logs.filter((m) => /fail|cannot/i.test(m)), []);
    assert.equal(json(threaded), json(here), `${workers} worker threads`);
  }
  // With the analysis cache: filled by a threaded scan, then answering the next one (its snapshot removed, so every
  // file goes through the cache, and what the workers would take is looked up there first).
  const cacheFile = path.join(tempDir('atlas-worker-parity-cache-'), 'analysis.cache');
  for (const pass of ['cold', 'warm']) {
    fs.rmSync(snapshotFileFor(cacheFile), { force: true });
    const cached = await scanWorkspace(root, settings, { workers: 1, workerScript: WORKER, cacheFile });
    assert.equal(json(cached), json(here), `worker threads with a ${pass} cache`);
  }
});
