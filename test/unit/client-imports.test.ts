// The imports a module uses only in browser-only code, read from its text: what lets server rendering stop at them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserOnlyEdge, clientOnlyImports, importedMembers, importerUse, ssrFalseImports } from '../../src/core/classify';
import { maskNonCode } from '../../src/core/parse';

const clientOnly = (code: string, componentScript = false) => clientOnlyImports(maskNonCode(code), componentScript).sort();

test('an import used only inside data-hook callbacks, effects and JSX handlers is browser-only', () => {
  const code = [
    "import { useQuery, useMutation } from '@tanstack/react-query';",
    "import { ArenaService } from './arena';",
    "import { getMe } from './session';",
    "import { track } from './track';",
    "import { fetcher } from './fetcher';",
    "import useSWR from 'swr';",
    'export function Rooms() {',
    "  const rooms = useQuery({ queryKey: ['rooms'], queryFn: ({ pageParam }) => ArenaService.getRooms(pageParam) });",
    '  const me = useQuery<Me>({ queryFn: async () => { return await getMe(); } });',
    "  const feed = useSWR('/api/feed', fetcher);",
    '  useEffect(() => { track("view"); }, []);',
    '  return <button onClick={() => track("click")}>{rooms.data}</button>;',
    '}',
  ].join('\n');
  assert.deepEqual(clientOnly(code), ['ArenaService', 'fetcher', 'getMe', 'track']);
});

test('a call made while rendering, or a use outside those regions, keeps the import on both sides', () => {
  const code = [
    "import { useQuery } from '@tanstack/react-query';",
    "import { listOptions } from './options';",
    "import { getFlags } from './flags';",
    "import { ArenaService } from './arena';",
    'export function Rooms() {',
    '  const rooms = useQuery(listOptions());',
    '  const flags = getFlags();',
    '  const room = useQuery({ queryFn: () => ArenaService.getRoom(1) });',
    '  const first = ArenaService.getFirst();',
    '  return <p>{String(rooms.data ?? flags ?? room.data ?? first)}</p>;',
    '}',
  ].join('\n');
  // ArenaService as a whole is used while rendering; only its getRoom member is browser-only.
  assert.deepEqual(clientOnly(code), ['ArenaService.getRoom']);
});

test('a local function used only as an event handler carries its imports to the browser side', () => {
  const code = [
    "import { GameService } from './game';",
    "import { save } from './save';",
    'export function Form({ id }) {',
    '  const onSubmit = async (answer) => { await GameService.submitAnswer(id, answer); };',
    '  function reset() { return save(id); }',
    '  return <form onSubmit={handleSubmit(onSubmit)}><button onClick={reset} /></form>;',
    '}',
  ].join('\n');
  assert.deepEqual(clientOnly(code), ['GameService', 'save']);
});

test('a component script (template blanked): functions the script never uses are template handlers', () => {
  const script = ["import { api } from '$lib/api';", "import { format } from '$lib/format';", 'const label = format(1);', 'async function save() { await api.save(label); }', 'export function reset() { return api.reset(); }'].join('\n');
  // `api` is also used by an exported function (a prop of the component), so it is not browser-only; format runs while rendering.
  assert.deepEqual(clientOnly(script, true), ['api.save']);
  assert.deepEqual(clientOnly(script, false), []);
});

test('next/dynamic with ssr: false names the module it loads; without it, nothing', () => {
  const code = [
    "import dynamic from 'next/dynamic';",
    "const Map = dynamic(() => import('../components/map'), { ssr: false });",
    "const Chart = dynamic(() => import('../components/chart'), { loading: () => null });",
    "// dynamic(() => import('./commented'), { ssr: false })",
  ].join('\n');
  assert.deepEqual(ssrFalseImports(code, maskNonCode(code)), ['../components/map']);
  const lazy = "import { lazy } from 'react';\nconst Map = lazy(() => import('./map')); const o = { ssr: false };";
  assert.deepEqual(ssrFalseImports(lazy, maskNonCode(lazy)), []);
});

test('an edge is browser-only when every name it takes is, or when it is an ssr:false dynamic import', () => {
  const importer = { clientOnlyImports: ['ArenaService', 'getMe'], ssrFalseImports: ['./map'] };
  assert.equal(browserOnlyEdge({ kind: 'import', names: [{ imported: 'ArenaService', local: 'ArenaService' }] }, importer), true);
  assert.equal(browserOnlyEdge({ kind: 'import', names: [{ imported: 'getMe', local: 'getMe' }, { imported: 'x', local: 'x' }] }, importer), false);
  assert.equal(browserOnlyEdge({ kind: 'import', names: null, specifier: './map' }, importer), true);
  assert.equal(browserOnlyEdge({ kind: 'import', names: null, specifier: './chart' }, importer), false);
  assert.equal(browserOnlyEdge({ kind: 'reexport', names: [{ imported: 'getMe', local: 'getMe' }] }, importer), false);
  assert.equal(importerUse({ clientOnlyImports: ['A.get'] }, 'A', 'get'), 'browser');
  assert.equal(importerUse({ clientOnlyImports: ['A.get'] }, 'A', 'post'), 'any');
  assert.equal(importerUse({ serverOnlyImports: ['A'] }, 'A', 'get'), 'server');
  assert.equal(importerUse({ importedMembers: { A: ['getRoom'] } }, 'A', 'getRooms'), 'none', 'an importer that reads other members never calls this one');
  assert.equal(importerUse({ importedMembers: { A: ['getRoom'] } }, 'A', 'getRoom'), 'any');
});

test('imports read only through members list those members; one read whole is left out', () => {
  const code = "import { ArenaService } from './arena';\nimport { api } from './api';\nconst a = ArenaService.getRoom(1);\nconst b = ArenaService?.listRooms();\nexport const c = api;\nconst d = api.get('/x');";
  assert.deepEqual(importedMembers(maskNonCode(code)), { ArenaService: ['getRoom', 'listRooms'] });
});
