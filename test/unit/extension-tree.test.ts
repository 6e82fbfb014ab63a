// The API Calls tree's grouping, filtering and stable ids (src/extension/tree/treeModel.ts), without VS Code.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Call, CallRecord, Finding } from '../../src/core/model';
import { BLIND_SPOTS_LABEL, EXPAND_FILES_UP_TO, PLACING_LABEL, buildTreeModel, describeFilter, describeScan, flattenCalls, type GroupNode, type LocatedBlindSpot, type LocatedCall, type TreeNode } from '../../src/extension/tree/treeModel';
import { callLabel, callLocation, callRowDescription } from '../../src/extension/describe';
import type { CallNode } from '../../src/extension/tree/treeModel';

function finding(rule: Finding['rule'], severity: Finding['severity'], silenced = false): Finding {
  return { rule, severity, message: `${rule} fired`, topics: [], ...(silenced ? { silenced } : {}) };
}

function call(id: string, over: Partial<Call> & { line?: number } = {}): CallRecord {
  const line = over.line ?? 1;
  return {
    id,
    file: 'app/page.tsx',
    range: { start: { line, column: 3 }, end: { line, column: 30 } },
    client: 'fetch',
    method: 'GET',
    url: { text: "'/api/users'", template: '/api/users', host: null, kind: 'relative' },
    runtime: 'frontend',
    context: 'next-client-component',
    confidence: 0.9,
    evidence: [],
    findings: [],
    ...over,
    facts: { callee: 'fetch', span: { start: 0, end: 10 }, argSpans: [], headers: [], credentials: [], hasBody: false, hasErrorHandling: true, hasTimeout: true, awaited: false, branches: [], inTimer: false, ignoredRules: [] },
  };
}

const at = (c: CallRecord, folder = 'file:///ws/web', name = 'web'): LocatedCall => ({ folderKey: folder, folderName: name, call: c });

const workspace: LocatedCall[] = [
  at(
    call('chat', {
      file: 'app/components/Chat.tsx',
      method: 'POST',
      line: 12,
      url: { text: "'https://api.openai.com/v1/chat/completions'", template: '/v1/chat/completions', host: 'api.openai.com', kind: 'absolute' },
      findings: [finding('client-secret', 'error'), finding('third-party-direct', 'warning'), finding('no-timeout', 'info', true)],
    }),
  ),
  at(call('users', { file: 'app/components/Users.tsx', line: 4 })),
  at(
    call('products', {
      file: 'app/page.tsx',
      runtime: 'backend',
      context: 'next-server-component',
      url: { text: "'https://api.example.com/products'", template: '/products', host: 'api.example.com', kind: 'absolute' },
      findings: [finding('no-timeout', 'info')],
    }),
  ),
  at(call('shared', { file: 'lib/client.ts', runtime: 'isomorphic', context: 'shared-module', method: null, url: { text: 'url', template: null, host: null, kind: 'dynamic' } })),
];

const labels = (nodes: readonly TreeNode[]): string[] =>
  nodes.map((n) => (n.kind === 'group' ? n.label : n.kind === 'call' ? n.entry.call.id : `${n.entry.spot.file}:${n.entry.spot.line}`));

describe('tree model: groupings', () => {
  test('runtime grouping lists Frontend, Backend, Isomorphic in that order, then files, then calls by line', () => {
    const model = buildTreeModel(workspace, 'runtime', {});
    assert.deepEqual(labels(model.roots), ['Frontend', 'Backend', 'Isomorphic']);
    const frontend = model.roots[0];
    assert.deepEqual(labels(frontend.children), ['app/components/Chat.tsx', 'app/components/Users.tsx']);
    assert.deepEqual(labels((frontend.children[0] as GroupNode).children), ['chat']);
    assert.equal(model.totalCalls, 4);
  });

  test('host grouping puts relative and dynamic URLs in groups of their own', () => {
    const model = buildTreeModel(workspace, 'host', {});
    assert.deepEqual(labels(model.roots), ['Same origin (relative URLs)', 'Dynamic URLs', 'api.example.com', 'api.openai.com']);
    assert.equal(model.roots[3].host, 'api.openai.com');
  });

  test('finding grouping orders rules by their worst active severity and lists a call once per rule', () => {
    const model = buildTreeModel(workspace, 'finding', {});
    assert.deepEqual(labels(model.roots), ['client-secret', 'third-party-direct', 'no-timeout', 'No findings']);
    const noTimeout = model.roots[2];
    assert.deepEqual(labels(noTimeout.children), ['chat', 'products']);
    assert.ok(flattenCalls(noTimeout.children).every((n) => n.rule === 'no-timeout'));
    assert.deepEqual(labels(model.roots[3].children), ['users', 'shared']);
  });

  test('file grouping prefixes the folder name only in a multi-root workspace', () => {
    const single = buildTreeModel(workspace, 'file', {});
    assert.deepEqual(labels(single.roots), ['app/components/Chat.tsx', 'app/components/Users.tsx', 'app/page.tsx', 'lib/client.ts']);
    const multi = buildTreeModel([...workspace, at(call('api', { file: 'src/server.ts', runtime: 'backend' }), 'file:///ws/api', 'api')], 'file', {});
    assert.ok(multi.roots.some((g) => g.label === 'api/src/server.ts'));
    assert.ok(multi.roots.some((g) => g.label === 'web/app/page.tsx'));
  });

  test('blind spots are the last root row, by kind, in file order, and only while no filter is set', () => {
    const spot = (file: string, line: number, kind: LocatedBlindSpot['spot']['kind']): LocatedBlindSpot => ({
      folderKey: 'file:///ws/web',
      folderName: 'web',
      spot: { file, line, kind, detail: `${kind} at ${file}:${line}` },
    });
    const spots = [spot('src/lib/client.ts', 4, 'generated-client'), spot('src/b.tsx', 9, 'trpc'), spot('src/a.tsx', 3, 'trpc')];
    const model = buildTreeModel(workspace, 'runtime', {}, spots);
    assert.deepEqual(labels(model.roots), ['Frontend', 'Backend', 'Isomorphic', BLIND_SPOTS_LABEL]);
    const blind = model.roots[3];
    assert.equal(blind.groupKind, 'blind-spots');
    assert.equal(blind.blindSpotCount, 3);
    assert.equal(blind.callCount, 0, 'blind spots are not calls');
    assert.deepEqual(labels(blind.children), ['tRPC calls', 'Generated API clients not in the workspace']);
    assert.deepEqual(labels((blind.children[0] as GroupNode).children), ['src/a.tsx:3', 'src/b.tsx:9']);
    assert.equal(model.blindSpots, 3);
    assert.equal(model.parents.get((blind.children[0] as GroupNode).children[0].id)?.id, 'blind-spots/kind:trpc');
    assert.equal(flattenCalls(model.roots).length, 4, 'blind spots are not call rows');
    const filtered = buildTreeModel(workspace, 'runtime', { text: 'users' }, spots);
    assert.ok(!filtered.roots.some((r) => r.groupKind === 'blind-spots'), 'a filter selects calls only');
    assert.ok(!buildTreeModel(workspace, 'runtime', {}, []).roots.some((r) => r.groupKind === 'blind-spots'), 'no row without blind spots');
  });

  test('ids are unique and survive a rebuild after another call is added', () => {
    const before = buildTreeModel(workspace, 'finding', {});
    const ids = flattenCalls(before.roots).map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length);
    const after = buildTreeModel([...workspace, at(call('new', { file: 'app/components/Users.tsx', line: 9, url: { text: "'/api/teams'", template: '/api/teams', host: null, kind: 'relative' } }))], 'finding', {});
    const afterIds = new Set(flattenCalls(after.roots).map((n) => n.id));
    for (const id of ids) assert.ok(afterIds.has(id), `${id} kept`);
    assert.equal(before.parents.get(ids[0])?.id, 'rule:client-secret');
  });
});

describe('tree model: a first scan under way', () => {
  const provisional = (e: LocatedCall): LocatedCall => ({ ...e, provisional: true });

  test('interim rows whose place is not known yet are under Placing…, after the runtimes; placed ones under their runtime', () => {
    const placing = at(call('later', { file: 'lib/fetcher.ts', runtime: 'unknown', context: 'unknown' }));
    const settledUnknown = at(call('nowhere', { file: 'scripts/odd.ts', runtime: 'unknown', context: 'unknown' }), 'file:///ws/api', 'api');
    const model = buildTreeModel([...workspace.map(provisional), provisional(placing), settledUnknown], 'runtime', {});
    assert.deepEqual(labels(model.roots), ['Frontend', 'Backend', 'Isomorphic', 'Unknown', PLACING_LABEL]);
    const root = model.roots.at(-1)!;
    assert.equal(root.groupKind, 'placing');
    assert.deepEqual(flattenCalls(root.children).map((n) => n.entry.call.id), ['later'], "a finished folder's unknown call is not placing");
    assert.equal(buildTreeModel([...workspace, settledUnknown], 'runtime', {}).roots.some((r) => r.groupKind === 'placing'), false);
  });

  test("the view's description counts the files analysed", () => {
    assert.equal(describeScan({ done: 1200, total: 4085 }), 'Scanning… 1,200 of 4,085 files');
  });

  test('file groups get other ids once the calls are too many to show them expanded, so they all start collapsed', () => {
    const few = buildTreeModel(workspace, 'runtime', {});
    const many = buildTreeModel(
      [...workspace, ...Array.from({ length: EXPAND_FILES_UP_TO }, (_, i) => at(call(`more${i}`, { file: `app/more/m${i}.tsx` })))],
      'runtime',
      {},
    );
    assert.equal(few.expandFiles, true);
    assert.equal(many.expandFiles, false);
    const chatGroup = (m: typeof few): string => m.roots[0].children.find((n) => n.kind === 'group' && n.label === 'app/components/Chat.tsx')!.id;
    assert.notEqual(chatGroup(few), chatGroup(many), 'VS Code would keep the expanded state of the same id');
    assert.equal(chatGroup(few), buildTreeModel(workspace.slice(0, 2), 'runtime', {}).roots[0].children[0].id, 'the id stays while the state does');
  });
});

describe('tree model: filter', () => {
  test('text words must all match method, URL, host, file or rule', () => {
    const ids = (f: Parameters<typeof buildTreeModel>[2]) => flattenCalls(buildTreeModel(workspace, 'file', f).roots).map((n) => n.entry.call.id);
    assert.deepEqual(ids({ text: 'openai post' }), ['chat']);
    assert.deepEqual(ids({ text: 'client-secret' }), ['chat']);
    assert.deepEqual(ids({ text: 'nothing-like-this' }), []);
    assert.deepEqual(ids({ host: 'api.example.com' }), ['products']);
    assert.deepEqual(ids({ runtimes: ['isomorphic'] }), ['shared']);
    assert.deepEqual(ids({ rule: 'no-timeout' }).sort(), ['chat', 'products']);
  });

  test('severity keeps calls with an unsilenced finding at least that severe', () => {
    const ids = (minSeverity: 'error' | 'warning' | 'info') =>
      flattenCalls(buildTreeModel(workspace, 'file', { minSeverity }).roots).map((n) => n.entry.call.id).sort();
    assert.deepEqual(ids('error'), ['chat']);
    assert.deepEqual(ids('warning'), ['chat']);
    assert.deepEqual(ids('info'), ['chat', 'products']);
  });

  test('the filter is described in one line for the view', () => {
    assert.equal(describeFilter({}), undefined);
    assert.equal(describeFilter({ host: 'api.openai.com', runtimes: ['frontend'], minSeverity: 'warning', text: ' key ' }), 'host: api.openai.com · frontend · ≥ warning · "key"');
  });

  test('the model counts visible and total calls', () => {
    const model = buildTreeModel(workspace, 'runtime', { runtimes: ['backend'] });
    assert.equal(model.visibleCalls, 1);
    assert.equal(model.totalCalls, 4);
  });
});

describe('identical rows', () => {
  test('a dozen calls to one endpoint in a file are one group, its rows saying only their line', () => {
    const cart = Array.from({ length: 12 }, (_, i) => at(call(`cart${i}`, { file: 'app/cart.tsx', line: 10 + i, url: { text: "'/api/cart'", template: '/api/cart', host: null, kind: 'relative' } })));
    const model = buildTreeModel([...cart, workspace[1]], 'file', {});
    const file = model.roots.find((g) => g.label === 'app/cart.tsx');
    assert.ok(file);
    assert.equal(file.children.length, 1, 'one row for the twelve');
    const group = file.children[0] as GroupNode;
    assert.equal(group.groupKind, 'endpoint');
    assert.equal(group.label, 'GET /api/cart');
    assert.equal(group.callCount, 12);
    const rows = group.children as CallNode[];
    assert.equal(callRowDescription(rows[0].entry.call, rows[0].parent), 'line 10');
    // A single call stays a row of its own.
    assert.equal(model.roots.find((g) => g.label === 'app/components/Users.tsx')?.children[0].kind, 'call');
  });

  test('under a host the same endpoint from several files is one group; each row names its file, not the host again', () => {
    const a = at(call('a', { file: 'src/a.tsx', url: { text: "'https://api.example.com/v1/items'", template: 'https://api.example.com/v1/items', host: 'api.example.com', kind: 'absolute' } }));
    const b = at(call('b', { file: 'src/deep/b.tsx', line: 7, url: a.call.url }));
    const model = buildTreeModel([a, b], 'host', {});
    const group = model.roots[0].children[0] as GroupNode;
    assert.equal(group.groupKind, 'endpoint');
    assert.equal(group.label, 'GET /v1/items', 'the endpoint first; the host is the parent');
    const rows = group.children as CallNode[];
    assert.deepEqual(rows.map((r) => callRowDescription(r.entry.call, r.parent)), ['a.tsx:1', 'b.tsx:7']);
  });
});

describe('row text', () => {
  test('label is METHOD /path, the endpoint first; the description does not repeat the parent', () => {
    assert.equal(callLabel(workspace[0].call), 'POST /v1/chat/completions');
    assert.equal(callLabel(call('x', { url: { text: "'https://api.openai.com/v1/chat/completions'", template: 'https://api.openai.com/v1/chat/completions', host: 'api.openai.com', kind: 'absolute' } })), 'POST /v1/chat/completions'.replace('POST', 'GET'));
    assert.equal(callRowDescription(workspace[0].call, 'file'), 'api.openai.com · line 12', 'under its file: the host and the line');
    assert.equal(callRowDescription(workspace[0].call, 'host'), 'Chat.tsx:12', 'under its host: where it is');
    assert.equal(callRowDescription(workspace[0].call, 'other'), 'api.openai.com · Chat.tsx:12');
    assert.equal(callLabel(workspace[3].call), '? url');
    assert.equal(callLocation(workspace[0].call), 'fetch · app/components/Chat.tsx:12');
    assert.equal(callLocation(workspace[0].call, 'web'), 'fetch · web/app/components/Chat.tsx:12');
  });
});
