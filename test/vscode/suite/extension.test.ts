// The extension in a real VS Code: tree groupings, hover, Problems, live updates on unsaved edits and deletes, commands.
// Runs against test/fixtures/vscode-next (opened through test/fixtures/vscode-workspace/atlas.code-workspace, a
// multi-root workspace); every file it changes is put back as it was, so the fixture can be opened in place.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AtlasApi } from '../../../src/extension/extension';
import { activateAtlas, EXTENSION_ID, fixtureFolder, saveUntilClean, waitForIndex, type Probe } from './harness';
import type { CallNode, LocatedCall, TreeNode } from '../../../src/extension/tree/treeModel';

/** The tree's blind-spot row (BLIND_SPOTS_LABEL in treeModel.ts), as a person reads it. */
const BLIND_SPOTS_LABEL = 'Not followed';
const RPC = 'lib/rpc.ts';

const FIXTURE = 'vscode-next';
const CHATBOX = 'app/components/ChatBox.tsx';
const CHECKOUT = 'app/components/Checkout.tsx';
const PAGE = 'app/page.tsx';
const ROUTE = 'app/api/chat/route.ts';
const SECRET_RULES = ['client-secret', 'public-env-secret', 'hardcoded-secret'];

let api: AtlasApi;
let folder: vscode.WorkspaceFolder;
/** Undo steps registered by tests that change the fixture; run in suiteTeardown even after a failure. */
const restoreSteps: (() => Promise<void>)[] = [];

function uriOf(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
}

function callsIn(rel: string): LocatedCall[] {
  return api.index.entries().filter((e) => e.folderKey === folder.uri.toString() && e.call.file === rel);
}

function atlasDiagnostics(rel: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uriOf(rel)).filter((d) => d.source === 'API Atlas');
}

function ruleOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** Every node of the tree with its label path, read through the provider as VS Code reads it. */
function treeRows(): { node: TreeNode; item: vscode.TreeItem; path: string[] }[] {
  const rows: { node: TreeNode; item: vscode.TreeItem; path: string[] }[] = [];
  const visit = (nodes: TreeNode[], parents: string[]): void => {
    for (const node of nodes) {
      const item = api.tree.getTreeItem(node);
      const path = [...parents, labelOf(item)];
      rows.push({ node, item, path });
      visit(api.tree.getChildren(node), path);
    }
  };
  visit(api.tree.getChildren(), []);
  return rows;
}

function rootLabels(): string[] {
  return api.tree.getChildren().map((n) => labelOf(api.tree.getTreeItem(n)));
}

/** Call rows of this fixture's folder (the workspace has a second folder with calls of its own). */
function fixtureCallRows(): { node: CallNode; item: vscode.TreeItem; path: string[] }[] {
  return treeRows().filter(
    (r): r is { node: CallNode; item: vscode.TreeItem; path: string[] } => r.node.kind === 'call' && r.node.entry.folderKey === folder.uri.toString(),
  );
}

function waitFor<T>(what: string, probe: Probe<T>): Promise<T> {
  return waitForIndex(api, what, probe);
}

async function hoverText(rel: string, needle: string): Promise<string> {
  const document = await vscode.workspace.openTextDocument(uriOf(rel));
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} not found in ${rel}`);
  const position = document.positionAt(offset + 2);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
  const texts = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)));
  const ours = texts.find((t) => t.includes('API Atlas'));
  assert.ok(ours, `no API Atlas hover at ${rel}:${position.line + 1}; hovers were: ${texts.join(' | ').slice(0, 500)}`);
  return ours;
}

/** Puts a document back to its text on disk: the edit replaces everything, then saves the (identical) text. */
async function restoreDocument(document: vscode.TextDocument, onDisk: string): Promise<void> {
  if (document.getText() !== onDisk) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), onDisk);
    assert.ok(await vscode.workspace.applyEdit(edit), `could not restore ${document.uri.fsPath}`);
  }
  await saveUntilClean(document, document.uri.fsPath);
}

suite('API Atlas extension', () => {
  suiteSetup(async function () {
    folder = fixtureFolder(FIXTURE);
    api = await activateAtlas();
    await waitFor('the first scan of the fixture', () => api.index.ready && callsIn(CHATBOX).length > 0);
  });

  suiteTeardown(async () => {
    for (const step of restoreSteps.splice(0).reverse()) await step();
    if (api) {
      api.tree.setFilter({});
      api.tree.setGroupBy('runtime');
    }
  });

  teardown(async () => {
    for (const step of restoreSteps.splice(0).reverse()) await step();
  });

  test('runtime grouping: Frontend and Backend, then files, then METHOD /path rows whose description does not repeat the file', async () => {
    await vscode.commands.executeCommand('apiAtlas.groupBy', 'runtime');
    const roots = rootLabels();
    assert.ok(roots.includes('Frontend') && roots.includes('Backend'), `roots: ${roots.join(', ')}`);
    assert.deepEqual(
      roots.filter((l) => ['Frontend', 'Backend', 'Isomorphic', 'Unknown'].includes(l)),
      roots.filter((l) => l !== BLIND_SPOTS_LABEL),
      'only runtime groups at the top, and the blind spots last',
    );
    const rows = fixtureCallRows();
    const direct = rows.find((r) => r.node.entry.call.file === CHATBOX && r.node.entry.call.url.host === 'api.openai.com');
    assert.ok(direct, `rows: ${rows.map((r) => r.path.join(' > ')).join('\n')}`);
    assert.equal(labelOf(direct.item), 'POST /v1/chat/completions', 'the endpoint first, short enough for the default sidebar');
    assert.deepEqual(direct.path.slice(0, 2), ['Frontend', 'ChatBox.tsx']);
    const fileItem = treeRows().find((r) => r.path.join('/') === 'Frontend/ChatBox.tsx')?.item;
    assert.match(String(fileItem?.description), new RegExp(`^${FIXTURE}/app/components · \\d+ calls?$`), 'the file name first, its folder in the description');
    assert.equal(direct.item.description, `api.openai.com · line ${direct.node.entry.call.range.start.line}`, 'the parent row already names the file');
    assert.match((direct.item.tooltip as vscode.MarkdownString).value, new RegExp(`${CHATBOX.replace(/[./]/g, '\\$&')}:${direct.node.entry.call.range.start.line}`), 'the full place is in the tooltip');
    assert.equal(direct.item.contextValue, 'call-risky');
    const icon = direct.item.iconPath as vscode.ThemeIcon;
    assert.equal(icon.id, 'browser');
    assert.equal(icon.color?.id, 'problemsErrorIcon.foreground');
    assert.equal((direct.item.command?.arguments?.[0] as vscode.Uri).toString(), uriOf(CHATBOX).toString());
    assert.match((direct.item.tooltip as vscode.MarkdownString).value, /client-secret/);

    const backendFiles = rows.filter((r) => r.path[0] === 'Backend').map((r) => r.node.entry.call.file);
    assert.ok(backendFiles.includes(PAGE), `server component under Backend: ${backendFiles.join(', ')}`);
    assert.ok(backendFiles.includes(ROUTE), `route handler under Backend: ${backendFiles.join(', ')}`);
    assert.ok(rows.some((r) => r.path[0] === 'Frontend' && r.node.entry.call.file === CHECKOUT));
  });

  test('host grouping: one group per host, relative URLs together', async () => {
    await vscode.commands.executeCommand('apiAtlas.groupBy', 'host');
    const rows = fixtureCallRows();
    const hostOf = (file: string, urlPart: string) => rows.find((r) => r.node.entry.call.file === file && r.node.entry.call.url.text.includes(urlPart))?.path[0];
    assert.equal(hostOf(CHATBOX, 'api.openai.com'), 'api.openai.com');
    assert.equal(hostOf(ROUTE, 'api.openai.com'), 'api.openai.com');
    assert.equal(hostOf(CHECKOUT, 'api.stripe.com'), 'api.stripe.com');
    assert.equal(hostOf(CHATBOX, '/api/chat'), 'Same origin (relative URLs)');
  });

  test('blind spots: the last row of the tree counts what the scan could not follow, each place opens its line, and the overview says so too', async () => {
    await vscode.commands.executeCommand('apiAtlas.groupBy', 'runtime');
    const spots = await waitFor('the blind spot of lib/rpc.ts', () => {
      const found = api.index.blindSpots().filter((b) => b.folderKey === folder.uri.toString() && b.spot.file === RPC);
      return found.length > 0 && found;
    });
    assert.equal(spots.length, 1);
    assert.equal(spots[0].spot.kind, 'client-handed-on');
    const roots = api.tree.getChildren();
    const last = roots[roots.length - 1];
    const rootItem = api.tree.getTreeItem(last);
    assert.equal(labelOf(rootItem), BLIND_SPOTS_LABEL, 'the last root row');
    const total = api.index.blindSpots().length;
    assert.equal(rootItem.description, `${total} place${total === 1 ? '' : 's'}`, 'its description is the count');
    assert.match(String(rootItem.tooltip), /could not follow to a request/);
    const place = treeRows().find((r) => r.node.kind === 'blind-spot' && r.node.entry.spot.file === RPC);
    assert.ok(place, `rows: ${treeRows().map((r) => r.path.join(' > ')).join('\n')}`);
    assert.deepEqual(place.path.slice(0, 2), [BLIND_SPOTS_LABEL, 'Clients handed to unknown functions']);
    assert.match(String(place.item.description), /fetch is handed to createRpcClient/);
    assert.equal(place.item.command?.command, 'vscode.open');
    await vscode.commands.executeCommand(place.item.command.command, ...(place.item.command.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uriOf(RPC).toString(), 'clicking the row opens the file');
    assert.equal(editor?.selection.active.line, spots[0].spot.line - 1, 'at the line of the blind spot');
    assert.ok(!fixtureCallRows().some((r) => r.node.entry.call.file === RPC), 'a blind spot is not a call row');

    await vscode.commands.executeCommand('apiAtlas.groupBy', 'host');
    assert.equal(rootLabels().at(-1), BLIND_SPOTS_LABEL, 'in every grouping');
    api.tree.setFilter({ text: 'openai' });
    assert.ok(!rootLabels().includes(BLIND_SPOTS_LABEL), 'a filter selects calls only');
    api.tree.setFilter({});
    await vscode.commands.executeCommand('apiAtlas.groupBy', 'runtime');

    const overview = api.panel.pageHtml({ kind: 'overview' });
    assert.ok(overview.includes(`${total} blind spot${total === 1 ? '' : 's'} ·`), 'the overview counts them');
    assert.ok(overview.includes(`vscode-next/${RPC}:${spots[0].spot.line}`), 'and names the place (with its folder: the workspace has three)');
  });

  test('finding grouping: the leaked key is under client-secret, the publishable key is not', async () => {
    await vscode.commands.executeCommand('apiAtlas.groupBy', 'finding');
    const rows = fixtureCallRows();
    const underClientSecret = rows.filter((r) => r.path[0] === 'client-secret').map((r) => r.node.entry.call.file);
    assert.ok(underClientSecret.includes(CHATBOX), `client-secret rows: ${underClientSecret.join(', ')}`);
    assert.ok(!underClientSecret.includes(CHECKOUT));
    assert.equal(rootLabels()[0], 'client-secret', 'error rules come first');
  });

  test('file grouping: files with calls only, each with its calls', async () => {
    await vscode.commands.executeCommand('apiAtlas.groupBy', 'file');
    const files = new Set(fixtureCallRows().map((r) => r.node.entry.call.file));
    for (const rel of [CHATBOX, CHECKOUT, PAGE, ROUTE]) assert.ok(files.has(rel), `${rel} in ${[...files].join(', ')}`);
    assert.ok(!files.has('lib/format.ts'), 'a file without calls has no row');
    const fileRow = treeRows().find((r) => r.path.length === 1 && r.item.tooltip === `${FIXTURE}/${CHATBOX}`);
    assert.equal(fileRow?.path[0], 'ChatBox.tsx');
    assert.equal(fileRow?.item.resourceUri?.toString(), uriOf(CHATBOX).toString());
  });

  test('badge counts error findings; the status bar counts findings (not calls with findings), and says "indexing…" while it indexes', async () => {
    const badge = api.tree.view.badge;
    assert.ok(badge && badge.value >= 1, `badge: ${JSON.stringify(badge)}`);
    await api.whenIdle();
    const findings = api.index.entries().reduce((n, e) => n + e.call.findings.filter((f) => !f.silenced).length, 0);
    assert.equal(api.statusBar.text, `$(globe) ${api.index.entries().length} calls · ${findings} findings`);
    // A refresh rescans every folder: meanwhile the item says so instead of counting what it has not seen yet.
    const seen: string[] = [];
    const listener = api.index.onDidChangeState(() => seen.push(api.statusBar.text));
    try {
      await vscode.commands.executeCommand('apiAtlas.refresh');
      await api.whenIdle();
    } finally {
      listener.dispose();
    }
    assert.ok(seen.includes('$(sync~spin) API Atlas: indexing…'), `status texts during the refresh: ${seen.join(' | ')}`);
    assert.doesNotMatch(seen.join(' | '), /\b0 calls\b/);
  });

  test('filter: show calls to a host narrows the tree and says so in the view description', async () => {
    await vscode.commands.executeCommand('apiAtlas.groupBy', 'runtime');
    await vscode.commands.executeCommand('apiAtlas.showCallsToHost', 'api.stripe.com');
    const rows = treeRows().filter((r) => r.node.kind === 'call');
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r) => (r.node as CallNode).entry.call.url.host === 'api.stripe.com'));
    assert.match(api.tree.view.description ?? '', /host: api\.stripe\.com/);
    await vscode.commands.executeCommand('apiAtlas.clearFilter');
    assert.equal(api.tree.view.description, undefined);
    assert.ok(treeRows().some((r) => r.node.kind === 'call' && (r.node as CallNode).entry.call.url.host !== 'api.stripe.com'));
  });

  test('hover on a frontend call: about eight lines — where it runs, why, the findings in one line, the fix, one row of actions', async () => {
    const text = await hoverText(CHATBOX, "fetch('https://api.openai.com");
    assert.match(text, /Runs \*\*in the browser\*\*/);
    assert.match(text, /\$\(lightbulb\)/, 'the decisive evidence');
    assert.match(text, /client-secret/);
    assert.match(text, /\*\*Fix:\*\* Move behind a server proxy/, 'what Problems does not say: the fix');
    // Lines as rendered: markdown hard breaks, paragraphs and the rule each start one.
    const lines = text.split(/ {2}\n|\n\n/).filter((l) => l.trim() !== '' && l.trim() !== '---');
    assert.ok(lines.length <= 8, `the hover has ${lines.length} lines:\n${text}`);
    const actionRows = lines.filter((l) => /\]\(command:/.test(l));
    assert.equal(actionRows.length, 1, 'one row of actions');
    for (const command of ['explainCall', 'moveBehindProxy', 'showCallsToHost', 'ignoreFinding']) assert.match(actionRows[0], new RegExp(`command:apiAtlas\\.${command}\\?`));
    // The finding messages are the diagnostics' (VS Code shows them above); the hover does not repeat them.
    const finding = callsIn(CHATBOX).find((e) => e.call.url.text.includes('api.openai.com'))?.call.findings.find((f) => f.rule === 'client-secret');
    assert.ok(finding);
    assert.ok(!text.includes(finding.message.slice(0, 30)), 'the finding message is not repeated');

    // On the underline (the URL, after the callee) VS Code shows the findings; the card steps aside so they never stack.
    const document = await vscode.workspace.openTextDocument(uriOf(CHATBOX));
    const url = document.positionAt(document.getText().indexOf("'https://api.openai.com") + 3);
    await waitFor('the diagnostics under the URL', () => atlasDiagnostics(CHATBOX).some((d) => d.range.contains(url)));
    const onUnderline = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, url);
    const texts = onUnderline.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)));
    assert.ok(!texts.some((t) => t.includes('API Atlas')), `no API Atlas card on the underline: ${texts.join(' | ').slice(0, 300)}`);
  });

  test('hover on a backend call: runs on the server', async () => {
    const page = await hoverText(PAGE, "fetch('https://api.example.com/products'");
    assert.match(page, /Runs \*\*on the server\*\*/);
    const route = await hoverText(ROUTE, "fetch('https://api.openai.com");
    assert.match(route, /Runs \*\*on the server\*\*/);
    assert.doesNotMatch(route, /client-secret/);
  });

  test('Problems: an error for the leaked NEXT_PUBLIC_ key, nothing about the Stripe publishable key', async () => {
    const chat = await waitFor('client-secret diagnostics on ChatBox.tsx', () => {
      const found = atlasDiagnostics(CHATBOX).filter((d) => ruleOf(d) === 'client-secret');
      return found.length > 0 && found;
    });
    const direct = callsIn(CHATBOX).find((e) => e.call.url.text.includes('api.openai.com'));
    assert.ok(direct);
    assert.equal(chat[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(chat[0].range.start.line, direct.call.range.start.line - 1);
    assert.equal(chat[0].range.start.character, direct.call.range.start.column - 1 + 'fetch'.length, 'the underline starts after the callee, which keeps the card');
    const code = chat[0].code as { value: string; target: vscode.Uri };
    assert.match(code.target.path, /\/docs\/rules\/client-secret\.md$/);

    const checkout = atlasDiagnostics(CHECKOUT);
    assert.deepEqual(
      checkout.filter((d) => SECRET_RULES.includes(ruleOf(d))).map((d) => d.message),
      [],
      'no secret finding on a publishable key',
    );
    assert.ok(!checkout.some((d) => d.severity === vscode.DiagnosticSeverity.Error), `errors on Checkout.tsx: ${checkout.map((d) => d.message).join(' | ')}`);
    assert.ok(!atlasDiagnostics(ROUTE).some((d) => SECRET_RULES.includes(ruleOf(d))), 'the server-side key is fine');
  });

  test('an unsaved edit that adds a call updates the tree and Problems; undoing it removes the call again', async () => {
    const document = await vscode.workspace.openTextDocument(uriOf(CHATBOX));
    const onDisk = document.getText();
    restoreSteps.push(() => restoreDocument(document, onDisk));
    const anchor = document.positionAt(onDisk.indexOf('  return (\n'));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(
      document.uri,
      anchor,
      '  async function moderate(text: string) {\n' +
        "    const res = await fetch('https://api.openai.com/v1/moderations', {\n" +
        "      method: 'POST',\n" +
        '      headers: { Authorization: `Bearer ${process.env.NEXT_PUBLIC_OPENAI_API_KEY}` },\n' +
        '      body: JSON.stringify({ input: text }),\n' +
        '    });\n' +
        '    return res.ok;\n' +
        '  }\n\n',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(document.isDirty, 'the edit stays unsaved');
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(document.uri)), onDisk, 'the file on disk is unchanged');

    await vscode.commands.executeCommand('apiAtlas.groupBy', 'file');
    const row = await waitFor('a tree row for the unsaved call', () => fixtureCallRows().find((r) => labelOf(r.item).includes('/v1/moderations')));
    assert.equal(row.path[0], 'ChatBox.tsx');
    assert.equal(row.node.entry.call.range.start.line, anchor.line + 2);
    await waitFor('a client-secret diagnostic on the unsaved call', () =>
      atlasDiagnostics(CHATBOX).some((d) => ruleOf(d) === 'client-secret' && d.range.start.line === anchor.line + 1),
    );

    await restoreDocument(document, onDisk);
    await waitFor('the reverted call to leave the tree', () => !fixtureCallRows().some((r) => labelOf(r.item).includes('/v1/moderations')));
    assert.ok(!atlasDiagnostics(CHATBOX).some((d) => d.range.start.line === anchor.line + 1));
  });

  test('ignoring a finding inserts the comment and greys the call out; its diagnostic goes away', async () => {
    const direct = callsIn(CHATBOX).find((e) => e.call.url.text.includes('api.openai.com'));
    assert.ok(direct);
    const document = await vscode.workspace.openTextDocument(uriOf(CHATBOX));
    const onDisk = document.getText();
    restoreSteps.push(() => restoreDocument(document, onDisk));
    const ref = api.index.refOf(direct);
    await vscode.commands.executeCommand('apiAtlas.ignoreFinding', { ...ref, rule: 'client-secret' });
    const callLine = direct.call.range.start.line - 1;
    assert.equal(document.lineAt(callLine).text, '      // api-atlas-ignore-next-line client-secret');

    await vscode.commands.executeCommand('apiAtlas.groupBy', 'finding');
    const silenced = await waitFor('the silenced row', () =>
      fixtureCallRows().find((r) => r.path[0] === 'client-secret' && r.node.entry.call.file === CHATBOX && String(r.item.description).endsWith('(silenced)')),
    );
    assert.equal((silenced.item.iconPath as vscode.ThemeIcon).color?.id, 'disabledForeground');
    await waitFor('the client-secret diagnostic to go', () => !atlasDiagnostics(CHATBOX).some((d) => ruleOf(d) === 'client-secret'));
  });

  test('deleting a file removes its calls and diagnostics; restoring it brings them back', async () => {
    const uri = uriOf(CHECKOUT);
    const original = await vscode.workspace.fs.readFile(uri);
    restoreSteps.push(async () => {
      try {
        await vscode.workspace.fs.stat(uri);
      } catch {
        await vscode.workspace.fs.writeFile(uri, original);
      }
    });
    assert.ok(callsIn(CHECKOUT).length > 0);
    await vscode.workspace.fs.delete(uri);
    await waitFor('Checkout.tsx to leave the index', () => callsIn(CHECKOUT).length === 0);
    assert.ok(!fixtureCallRows().some((r) => r.node.entry.call.file === CHECKOUT), 'no tree row left');
    await waitFor('its diagnostics to go', () => atlasDiagnostics(CHECKOUT).length === 0);

    await vscode.workspace.fs.writeFile(uri, original);
    await waitFor('Checkout.tsx to come back', () => callsIn(CHECKOUT).length > 0);
  });

  test('per-folder rule severities from settings reach Problems; off removes the finding', async () => {
    const settingsDir = vscode.Uri.joinPath(folder.uri, '.vscode');
    const hadSettingsDir = await vscode.workspace.fs.stat(settingsDir).then(
      () => true,
      () => false,
    );
    const config = () => vscode.workspace.getConfiguration('apiAtlas', folder.uri);
    restoreSteps.push(async () => {
      await config().update('rules', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      if (!hadSettingsDir) await vscode.workspace.fs.delete(settingsDir, { recursive: true });
    });

    await config().update('rules', { 'client-secret': 'warning' }, vscode.ConfigurationTarget.WorkspaceFolder);
    await waitFor('client-secret as a warning', () =>
      atlasDiagnostics(CHATBOX).some((d) => ruleOf(d) === 'client-secret' && d.severity === vscode.DiagnosticSeverity.Warning),
    );
    await config().update('rules', { 'client-secret': 'off' }, vscode.ConfigurationTarget.WorkspaceFolder);
    await waitFor('client-secret to be off', () => !atlasDiagnostics(CHATBOX).some((d) => ruleOf(d) === 'client-secret'));
    await config().update('rules', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    await waitFor('client-secret back as an error', () =>
      atlasDiagnostics(CHATBOX).some((d) => ruleOf(d) === 'client-secret' && d.severity === vscode.DiagnosticSeverity.Error),
    );
  });

  test('show/hide test files re-indexes test files without writing a settings file into the user\'s project', async () => {
    const other = vscode.workspace.workspaceFolders?.find((f) => f.name !== FIXTURE);
    assert.ok(other, 'the workspace has a second folder');
    const workspaceFile = vscode.workspace.workspaceFile;
    const before = workspaceFile?.scheme === 'file' ? await vscode.workspace.fs.readFile(workspaceFile) : undefined;
    const settingsFiles = (vscode.workspace.workspaceFolders ?? []).map((f) => vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json'));
    const settingsBefore = await Promise.all(settingsFiles.map((uri) => vscode.workspace.fs.readFile(uri).then((b) => Buffer.from(b).toString('base64'), () => null)));
    restoreSteps.push(async () => {
      if (workspaceFile && before) await vscode.workspace.fs.writeFile(workspaceFile, before);
    });
    const testCalls = () => api.index.entries().filter((e) => e.folderKey === other.uri.toString() && e.call.context === 'test');
    assert.deepEqual(testCalls(), [], 'test files are not indexed by default');

    await vscode.commands.executeCommand('apiAtlas.showTestFiles');
    const shown = await waitFor('calls in test files', () => testCalls().length > 0 && testCalls());
    assert.ok(shown.every((e) => /(__tests__|\.test\.)/.test(e.call.file)));
    assert.equal(api.index.includesTests, true);
    // Nothing written: not the workspace file, not a .vscode/settings.json in any folder, no setting changed.
    if (workspaceFile && before) assert.deepEqual(Buffer.from(await vscode.workspace.fs.readFile(workspaceFile)), Buffer.from(before), 'the workspace file is untouched');
    const settingsAfter = await Promise.all(settingsFiles.map((uri) => vscode.workspace.fs.readFile(uri).then((b) => Buffer.from(b).toString('base64'), () => null)));
    assert.deepEqual(settingsAfter, settingsBefore, 'no .vscode/settings.json was written or changed');
    const inspected = vscode.workspace.getConfiguration('apiAtlas').inspect('includeTests');
    assert.equal(inspected?.workspaceValue, undefined);
    await vscode.commands.executeCommand('apiAtlas.hideTestFiles');
    await waitFor('test files to leave the index again', () => testCalls().length === 0);
  });

  test('every contributed command is registered, and every registered apiAtlas command is contributed', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed = ((extension?.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map((c) => c.command);
    const views = ((extension?.packageJSON as { contributes?: { views?: Record<string, { id: string }[]> } }).contributes?.views ?? {});
    const viewIds = Object.values(views).flat().map((v) => v.id);
    const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('apiAtlas.'));
    // VS Code registers `<viewId>.focus` and friends for every view by itself.
    const ours = registered.filter((c) => !viewIds.some((id) => c.startsWith(`${id}.`)));
    assert.ok(contributed.length > 0);
    assert.deepEqual(contributed.filter((c) => !registered.includes(c)), [], 'contributed but not registered');
    assert.deepEqual(ours.filter((c) => !contributed.includes(c)), [], 'registered but not contributed');
  });
});
