// The knowledge panel in a real VS Code: it opens for a call with that call's topics, the page answers through the
// message protocol, workspace text renders literally, and a reload restores the page from the state it saved.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AtlasApi } from '../../../src/extension/extension';
import { activateAtlas, fixtureFolder, waitForIndex, type Probe } from './harness';
import type { LocatedCall } from '../../../src/extension/tree/treeModel';
import type { RenderedState } from '../../../src/webview/protocol';

const FIXTURE = 'vscode-next';
const HOSTILE_URL = '"><img src=x onerror=alert(1)>';
const HOSTILE_FILE = 'app/components/HostileUrl.tsx';

let api: AtlasApi;
let folder: vscode.WorkspaceFolder;

function uriOf(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
}

function waitFor<T>(what: string, probe: Probe<T>): Promise<T> {
  return waitForIndex(api, what, probe);
}

function callWith(predicate: (e: LocatedCall) => boolean): LocatedCall | undefined {
  return api.index.entries().find((e) => e.folderKey === folder.uri.toString() && predicate(e));
}

/** Asks the page what a person would see, until it shows what `ready` looks for (rendering is asynchronous). */
async function pageShowing(what: string, ready: (s: RenderedState) => boolean): Promise<RenderedState> {
  let last: RenderedState | undefined;
  await waitFor(what, async () => {
    // A webview that is still starting (a busy machine) answers late: ask again until the overall wait runs out.
    try {
      last = await api.panel.requestRenderedState();
    } catch (err) {
      if (err instanceof Error && /did not answer in time/.test(err.message)) return undefined;
      throw err;
    }
    return ready(last);
  });
  return last as RenderedState;
}

suite('API Atlas knowledge panel', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    api = await activateAtlas();
    folder = fixtureFolder(FIXTURE);
    await waitFor('the first scan', () => api.index.ready && callWith((e) => e.call.findings.some((f) => f.rule === 'client-secret')));
  });

  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(uriOf(HOSTILE_FILE)).then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('explaining a leaked-key call opens the panel on that call, with its findings and topics', async () => {
    const leaked = callWith((e) => e.call.findings.some((f) => f.rule === 'client-secret'));
    assert.ok(leaked);
    const ref = api.index.refOf(leaked);
    await vscode.commands.executeCommand('apiAtlas.explainCall', ref);
    assert.deepEqual(api.panel.currentRoute, { kind: 'call', ...ref });

    const html = api.panel.pageHtml(api.panel.currentRoute);
    for (const topic of ['third-party-secrets', 'security', 'decision-guide']) {
      assert.ok(html.includes(`id="topic-${topic}"`), `the ${topic} topic is expanded for a client-secret call`);
    }
    assert.ok(html.includes('data-command="apiAtlas.moveBehindProxy"'), 'the proxy action is offered for a browser call');

    const shown = await pageShowing('the call page', (s) => s.route?.kind === 'call');
    assert.ok(shown.text.includes(leaked.call.url.template ?? leaked.call.url.text), 'the page shows the call URL');
    assert.ok(shown.text.includes(`${leaked.call.file}:${leaked.call.range.start.line}`), 'and where it is');
    assert.ok(shown.text.includes('client-secret'), 'and its finding');
    assert.ok(shown.text.includes('Decision guide'), 'and the decision guide');
    assert.match(shown.text, /Move this call to the server\./, 'pre-filled from the call: a secret belongs on the server');
    assert.equal(shown.scripts, 0, 'no script element comes from rendered markdown');
  });

  test('from the command palette, "Explain This Call" opens the panel on the call under the cursor', async () => {
    const leaked = callWith((e) => e.call.findings.some((f) => f.rule === 'client-secret'));
    assert.ok(leaked);
    const document = await vscode.workspace.openTextDocument(uriOf(leaked.call.file));
    const editor = await vscode.window.showTextDocument(document);
    const inside = new vscode.Position(leaked.call.range.start.line - 1, leaked.call.range.start.column + 1);
    editor.selection = new vscode.Selection(inside, inside);
    await vscode.commands.executeCommand('apiAtlas.explainCall');
    assert.deepEqual(api.panel.currentRoute, { kind: 'call', ...api.index.refOf(leaked) });
    const when = (
      vscode.extensions.getExtension('apiatlas.api-atlas')?.packageJSON as { contributes: { menus: { commandPalette: { command: string; when: string }[] } } }
    ).contributes.menus.commandPalette.find((m) => m.command === 'apiAtlas.explainCall')?.when;
    assert.match(when ?? '', /editorLangId/, 'the command is in the palette for JS/TS/Vue/Svelte editors');
  });

  test('the library opens from the command palette, and a topic page through the protocol', async () => {
    await vscode.commands.executeCommand('apiAtlas.openPanel');
    const library = await pageShowing('the library', (s) => s.route?.kind === 'library');
    for (const title of ['Frontend', 'Backend', 'Hybrid']) assert.ok(library.text.includes(title), `navigation by side shows ${title}`);

    await vscode.commands.executeCommand('apiAtlas.openPanel', 'cors');
    const topic = await pageShowing('the CORS topic', (s) => s.route?.kind === 'topic');
    assert.deepEqual(topic.route, { kind: 'topic', id: 'cors' });
    assert.match(topic.text, /CORS|Cross-Origin/i);
    assert.ok(topic.links > 0);
  });

  test('the overview draws the workspace counts as bars', async () => {
    await vscode.commands.executeCommand('apiAtlas.showOverview');
    const overview = await pageShowing('the overview', (s) => s.route?.kind === 'overview');
    const total = api.index.entries().length;
    assert.ok(overview.text.includes(`${total} call`), `the overview counts all ${total} calls`);
    assert.ok(api.panel.pageHtml({ kind: 'overview' }).includes('data-filter="{&quot;rule&quot;:&quot;client-secret&quot;}"'), 'a findings bar filters the tree by rule');
  });

  test('a URL that looks like HTML renders literally, in the HTML and in the page', async () => {
    await vscode.workspace.fs.writeFile(
      uriOf(HOSTILE_FILE),
      Buffer.from(`'use client';\nexport async function load() {\n  return fetch('${HOSTILE_URL}');\n}\n`, 'utf8'),
    );
    const hostile = await waitFor('the hostile call to be indexed', () => callWith((e) => e.call.file === HOSTILE_FILE));
    await vscode.commands.executeCommand('apiAtlas.explainCall', api.index.refOf(hostile));
    const html = api.panel.pageHtml(api.panel.currentRoute);
    assert.ok(!html.includes('<img'), 'no element is made from the URL');
    const shown = await pageShowing('the hostile call page', (s) => s.route?.kind === 'call' && s.text.includes(HOSTILE_FILE));
    assert.ok(shown.text.includes(HOSTILE_URL), 'the URL text is shown as written');
    assert.equal(shown.images, 0, 'and no image element exists in the page');
  });

  test('after a reload the panel comes back on the page it saved', async () => {
    await vscode.commands.executeCommand('apiAtlas.openPanel', 'offline-caching');
    const before = await pageShowing('the page to save its state', (s) => s.savedState?.route.kind === 'topic');
    assert.deepEqual(before.savedState?.route, { kind: 'topic', id: 'offline-caching' });

    // What VS Code does on reload: a new webview panel of our view type, handed to the serializer with the saved state.
    const revived = vscode.window.createWebviewPanel('apiAtlas.knowledge', 'API Atlas', vscode.ViewColumn.Beside, { enableScripts: true });
    api.panel.restore(revived, before.savedState);
    const after = await pageShowing('the restored page', (s) => s.route?.kind === 'topic');
    assert.deepEqual(after.route, { kind: 'topic', id: 'offline-caching' });
    assert.match(after.text, /offline/i);
  });
});
