// The quick fixes in a real VS Code: the code actions offered, the proxy move applied and undone to the byte, a stale
// plan refused, and the timeout and ignore fixes. Runs against test/fixtures/vscode-fixes (a Next.js App Router app
// with a browser call that leaks NEXT_PUBLIC_OPENAI_API_KEY), a folder of the suite's multi-root workspace; every
// file is put back as it was at the end.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { planProxyMove } from '../../../src/core/fix/proxy';
import { detectProxyTargets } from '../../../src/core/fix/proxy';
import type { CallRecord } from '../../../src/core/model';
import type { AtlasApi } from '../../../src/extension/extension';
import { activateAtlas, fixtureFolder, saveUntilClean, waitForIndex, type Probe } from './harness';
import { applyFixPlan, staleMessage, type ApplyResult } from '../../../src/extension/fixes/applyPlan';
import { FIX_TIMEOUT_SECONDS as TIMEOUT_FIX_SECONDS } from '../../../src/core/fix';
import { EXPLAIN_ACTION_TITLE, FIX_ALL_KIND, FixCodeActionProvider, PROXY_ACTION_TITLE } from '../../../src/extension/fixes/codeActionProvider';
import { FolderView } from '../../../src/extension/fixes/workspaceView';
import type { LocatedCall } from '../../../src/extension/tree/treeModel';

const FIXTURE = 'vscode-fixes';
const ASSISTANT = 'app/components/Assistant.tsx';
const FORECAST = 'app/api/forecast/route.ts';
const NOTIFY = 'app/api/notify/route.ts';
const PROXY_ROUTE = 'app/api/openai-chat-completions/route.ts';

let api: AtlasApi;
let folder: vscode.WorkspaceFolder;
/** Every file of the fixture as it was before the suite ran. */
let original: Map<string, Buffer>;

function uriOf(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
}

function absOf(rel: string): string {
  return path.join(folder.uri.fsPath, ...rel.split('/'));
}

/** Every file under the fixture folder on disk, by relative path. */
function readFixture(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else files.set(path.relative(folder.uri.fsPath, abs).split(path.sep).join('/'), fs.readFileSync(abs));
    }
  };
  walk(folder.uri.fsPath);
  return files;
}

function hashes(files: Map<string, Buffer>): Record<string, string> {
  return Object.fromEntries([...files].sort(([a], [b]) => a.localeCompare(b)).map(([rel, bytes]) => [rel, createHash('sha256').update(bytes).digest('hex')]));
}

function openDocument(rel: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === uriOf(rel).toString());
}

/** What the user sees for a file: the open document's text, else the disk's. */
function textOf(rel: string): string | undefined {
  const document = openDocument(rel);
  if (document) return document.getText();
  return fs.existsSync(absOf(rel)) ? fs.readFileSync(absOf(rel), 'utf8') : undefined;
}

function callIn(rel: string, needle?: string): LocatedCall | undefined {
  return api.index.entries().find((e) => e.folderKey === folder.uri.toString() && e.call.file === rel && (!needle || e.call.url.text.includes(needle)));
}

/** The call's unsilenced findings' rules. */
function activeRules(entry: LocatedCall): string[] {
  return entry.call.findings.filter((f) => !f.silenced).map((f) => f.rule);
}

function atlasRules(rel: string): string[] {
  return vscode.languages
    .getDiagnostics(uriOf(rel))
    .filter((d) => d.source === 'API Atlas')
    .map((d) => (typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code)));
}

function waitFor<T>(what: string, probe: Probe<T>): Promise<T> {
  return waitForIndex(api, what, probe);
}

function startOf(entry: LocatedCall): vscode.Range {
  const position = new vscode.Position(entry.call.range.start.line - 1, entry.call.range.start.column - 1);
  return new vscode.Range(position, position);
}

/** API Atlas's code actions at the start of a call, as VS Code collects them for the light bulb. */
async function actionsAt(rel: string, entry: LocatedCall, only?: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  const document = await vscode.workspace.openTextDocument(uriOf(rel));
  // In code-server the first request for a document that was just opened comes back empty even though the provider
  // answered (seen with the provider's own logging), so ask until VS Code relays an answer.
  return waitFor(`code actions at ${rel}:${entry.call.range.start.line}`, async () => {
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', document.uri, startOf(entry), only?.value);
    const ours = actions.filter((a): a is vscode.CodeAction => 'kind' in a && /^_?apiAtlas\./.test(a.command?.command ?? ''));
    return ours.length > 0 ? ours : undefined;
  });
}

/**
 * The provider's answer as the Problems view asks for it: on the findings' underline (after the callee), with the
 * diagnostics there in the context (executeCodeActionProvider drops `diagnostics`).
 */
async function providedWithDiagnostics(rel: string, entry: LocatedCall): Promise<vscode.CodeAction[]> {
  const document = await vscode.workspace.openTextDocument(uriOf(rel));
  const line = entry.call.range.start.line - 1;
  const diagnostics = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'API Atlas' && d.range.start.line === line);
  assert.ok(diagnostics.length > 0, `no API Atlas diagnostics on line ${line + 1} of ${rel}`);
  const token = new vscode.CancellationTokenSource();
  try {
    return new FixCodeActionProvider(api.index).provideCodeActions(document, diagnostics[0].range, { diagnostics, only: undefined, triggerKind: vscode.CodeActionTriggerKind.Invoke }, token.token);
  } finally {
    token.dispose();
  }
}

function rulesOf(action: vscode.CodeAction | undefined): Set<string> {
  return new Set(action?.diagnostics?.map((d) => (d.code as { value: string }).value));
}

/** Runs an action's command as the light bulb would, without the refactor preview (the e2e screenshots show that). */
async function runWithoutPreview(action: vscode.CodeAction): Promise<ApplyResult | undefined> {
  assert.ok(action.command, `${action.title} has no command`);
  const [arg, ...rest] = action.command.arguments ?? [];
  return vscode.commands.executeCommand<ApplyResult | undefined>(action.command.command, { ...(arg as object), preview: false }, ...rest);
}

/** Puts every fixture file back as it was: documents first (so nothing dirty is left), then the disk. */
async function restoreFixture(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.isClosed || !document.uri.fsPath.startsWith(folder.uri.fsPath + path.sep)) continue;
    const rel = path.relative(folder.uri.fsPath, document.uri.fsPath).split(path.sep).join('/');
    const before = original.get(rel)?.toString('utf8');
    if (before !== undefined && document.getText() !== before) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), before);
      assert.ok(await vscode.workspace.applyEdit(edit), `could not restore ${rel}`);
    }
    if (before !== undefined) await saveUntilClean(document, rel);
  }
  const now = readFixture();
  for (const rel of now.keys()) {
    if (!original.has(rel)) await vscode.workspace.fs.delete(uriOf(rel), { useTrash: false });
  }
  for (const [rel, bytes] of original) {
    if (!now.get(rel)?.equals(bytes)) fs.writeFileSync(absOf(rel), bytes);
  }
  // Folders the proxy created (app/api/<name>/) go too.
  for (const dir of ['app/api/openai-chat-completions']) if (fs.existsSync(absOf(dir))) fs.rmSync(absOf(dir), { recursive: true });
  // The next test starts once VS Code has caught up with the disk: an open document whose file was written behind its
  // back would otherwise refuse the next save as a conflict.
  await waitFor('open fixture documents to match the disk', () =>
    vscode.workspace.textDocuments
      .filter((d) => !d.isClosed && d.uri.fsPath.startsWith(folder.uri.fsPath + path.sep) && fs.existsSync(d.uri.fsPath))
      .every((d) => !d.isDirty && d.getText() === fs.readFileSync(d.uri.fsPath, 'utf8')),
  );
  await api.whenIdle();
}

suite('API Atlas quick fixes', () => {
  suiteSetup(async function () {
    folder = fixtureFolder(FIXTURE);
    original = readFixture();
    api = await activateAtlas();
    await waitFor('the first scan of the fixture', () => api.index.ready && callIn(ASSISTANT) && callIn(FORECAST));
  });

  teardown(async () => {
    if (api) await restoreFixture();
  });

  suiteTeardown(async () => {
    if (api) await restoreFixture();
    if (original) assert.deepEqual(hashes(readFixture()), hashes(original), 'the fixture is back as it was');
  });

  test('the leaked key\'s menu has ESLint\'s shape: the proxy move once (preferred), two ignores per finding, one Explain', async () => {
    const entry = callIn(ASSISTANT, 'api.openai.com');
    assert.ok(entry);
    await waitFor('the client-secret diagnostic', () => atlasRules(ASSISTANT).includes('client-secret'));
    const actions = await actionsAt(ASSISTANT, entry);
    const titles = actions.map((a) => `${a.kind?.value} ${a.title}`);
    const rules = activeRules(entry);

    const moves = actions.filter((a) => a.title === PROXY_ACTION_TITLE);
    assert.equal(moves.length, 1, `the proxy move once, not again as a refactoring: ${titles.join(' | ')}`);
    assert.equal(moves[0].kind?.value, 'quickfix');
    assert.equal(moves[0].isPreferred, true);
    assert.equal(moves[0].command?.command, 'apiAtlas.moveBehindProxy');
    assert.equal(actions[0], moves[0], 'the move comes first');
    const provided = (await providedWithDiagnostics(ASSISTANT, entry)).find((a) => a.title === PROXY_ACTION_TITLE && a.kind?.value === 'quickfix');
    assert.deepEqual(rulesOf(provided), new Set(['client-secret', 'third-party-direct', 'public-env-secret']), 'the quick fix fixes the secret and third-party diagnostics (Problems view)');
    // In the browser a server-only env var cannot be read: renaming would break the call, so only the proxy is offered.
    assert.ok(!actions.some((a) => a.title.startsWith('Rename to a server-only env var')), titles.join(' | '));
    assert.ok(!actions.some((a) => a.title === 'Add error handling'), 'a catch that only logs and rethrows handles nothing: not offered');
    for (const rule of rules) {
      for (const title of [`Ignore ${rule} on this line`, `Ignore ${rule} in this file`]) assert.ok(titles.includes(`quickfix ${title}`), `${title} in ${titles.join(' | ')}`);
    }
    const explains = actions.filter((a) => /^Explain/.test(a.title));
    assert.deepEqual(explains.map((a) => a.title), [EXPLAIN_ACTION_TITLE], 'one Explain for the call');
    assert.equal(explains[0].command?.command, 'apiAtlas.explainCall');
    assert.deepEqual(explains[0].command?.arguments?.[0], { ...api.index.refOf(entry), rule: 'client-secret' });
    // The whole menu: the move, two ignores per finding, one explanation; nothing else.
    assert.equal(actions.length, 1 + 2 * rules.length + 1, titles.join(' | '));

    const onlyRefactors = await actionsAt(ASSISTANT, entry, vscode.CodeActionKind.RefactorMove);
    assert.deepEqual(
      onlyRefactors.map((a) => `${a.kind?.value} ${a.title}`),
      [`refactor.move ${PROXY_ACTION_TITLE}`],
      'asked for refactor.move only (the Refactor menu), the move comes',
    );
  });

  test('"Move behind a server proxy" run as the light bulb runs it applies at once: the handler and the rewritten call are on disk', async () => {
    const entry = callIn(ASSISTANT, 'api.openai.com');
    assert.ok(entry);
    const action = (await actionsAt(ASSISTANT, entry)).find((a) => a.title === PROXY_ACTION_TITLE);
    assert.ok(action?.command);
    // Exactly the command and arguments the light bulb runs: no preview flag, nothing to tick.
    const result = await vscode.commands.executeCommand<ApplyResult | undefined>(action.command.command, ...(action.command.arguments ?? []));
    assert.equal(result?.ok, true, JSON.stringify(result));
    assert.ok(fs.existsSync(absOf(PROXY_ROUTE)), 'the route handler is on disk');
    assert.match(fs.readFileSync(absOf(PROXY_ROUTE), 'utf8'), /process\.env\.OPENAI_API_KEY/);
    // isRefactoring saves the edited files too (files.refactoring.autoSave), so the disk has the rewritten call.
    await waitFor('the rewritten call on disk', () => fs.readFileSync(absOf(ASSISTANT), 'utf8').includes("fetch('/api/openai-chat-completions'"));
    assert.doesNotMatch(fs.readFileSync(absOf(ASSISTANT), 'utf8'), /NEXT_PUBLIC_OPENAI_API_KEY/);
    // Every file the move edited is saved before the fixture is put back (a save landing later would race the restore).
    await waitFor('every edited file saved', () =>
      [ASSISTANT, '.env.local', '.env.example'].every((rel) => {
        const document = openDocument(rel);
        return !document || (!document.isDirty && document.getText() === fs.readFileSync(absOf(rel), 'utf8'));
      }),
    );
  });

  test('the proxy fix creates the route handler, rewrites the call and renames the env var; one undo restores every byte', async () => {
    const before = hashes(readFixture());
    const entry = callIn(ASSISTANT, 'api.openai.com');
    assert.ok(entry);
    const action = (await actionsAt(ASSISTANT, entry)).find((a) => a.title === PROXY_ACTION_TITLE && a.kind?.value === 'quickfix');
    assert.ok(action);
    const editor = await vscode.window.showTextDocument(uriOf(ASSISTANT));

    const result = await runWithoutPreview(action);
    assert.deepEqual(result && { ok: result.ok }, { ok: true }, `the fix was not applied: ${JSON.stringify(result)}`);

    const route = textOf(PROXY_ROUTE);
    assert.ok(route, `${PROXY_ROUTE} was not created`);
    assert.ok(fs.existsSync(absOf(PROXY_ROUTE)), 'the route handler is written to disk');
    assert.match(route, /const UPSTREAM_ORIGIN = 'https:\/\/api\.openai\.com';/, 'the upstream origin is fixed in code');
    assert.match(route, /'\/v1\/chat\/completions'/, 'the upstream path is fixed in code');
    assert.match(route, /process\.env\.OPENAI_API_KEY/, 'the secret comes from the server-only variable');
    assert.doesNotMatch(route, /NEXT_PUBLIC_/);
    assert.match(route, /export async function POST\(/);

    const call = editor.document.getText();
    assert.match(call, /fetch\('\/api\/openai-chat-completions'/, 'the call site targets the new route');
    assert.doesNotMatch(call, /api\.openai\.com/);
    assert.doesNotMatch(call, /NEXT_PUBLIC_OPENAI_API_KEY|Authorization/, 'the browser no longer sends the key');

    for (const envFile of ['.env.local', '.env.example']) {
      const env = textOf(envFile) ?? '';
      assert.match(env, /^OPENAI_API_KEY=/m, `${envFile} has the server-only name`);
      assert.doesNotMatch(env, /^NEXT_PUBLIC_OPENAI_API_KEY=/m, `${envFile} no longer has the public name`);
      assert.match(env, /^NEXT_PUBLIC_SITE_NAME=/m, `${envFile} keeps its other variables`);
    }
    assert.match(textOf('.env.local') ?? '', /^OPENAI_API_KEY=sk-proj-Qm7T/m, 'the value moves with the name');

    // Undo in the editor where the fix was applied: the workspace edit is one undo step across files.
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    await waitFor('the route handler to be removed by undo', () => !fs.existsSync(absOf(PROXY_ROUTE)));
    for (const rel of [ASSISTANT, '.env.local', '.env.example']) {
      await waitFor(`${rel} to be back as it was`, () => textOf(rel) === original.get(rel)?.toString('utf8'));
    }
    // Undo leaves edited documents dirty when the fix had saved them; saving writes back the original bytes.
    for (const document of vscode.workspace.textDocuments) {
      if (document.isDirty && document.uri.fsPath.startsWith(folder.uri.fsPath + path.sep)) await saveUntilClean(document, path.basename(document.uri.fsPath));
    }
    await waitFor('the folder created for the route to go', () => !fs.existsSync(absOf(PROXY_ROUTE)));
    const after = readFixture();
    assert.deepEqual(hashes(after), before, 'every file of the workspace is byte-identical to before the fix');
  });

  test('a plan for a document edited after the analysis is refused, with the reason, and changes nothing', async () => {
    const before = hashes(readFixture());
    const entry = callIn(ASSISTANT, 'api.openai.com');
    assert.ok(entry);
    const view = await FolderView.create(folder.uri);
    const [target] = detectProxyTargets(view.listFiles(), (rel) => view.readFile(rel), { fromFile: ASSISTANT });
    assert.ok(target);
    const planned = planProxyMove(entry.call as CallRecord, target, view);
    assert.ok(planned.ok, planned.ok ? '' : planned.reason);

    // The user types before the fix is applied (the index has not seen it yet).
    const document = await vscode.workspace.openTextDocument(uriOf(ASSISTANT));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(2, 0), '// a line typed while the quick pick was open\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const typed = document.getText();

    const result = await applyFixPlan(planned.plan, folder.uri, { preview: false });
    assert.deepEqual(result, { ok: false, kind: 'stale', reason: staleMessage(ASSISTANT) });
    assert.match(staleMessage(ASSISTANT), /^app\/components\/Assistant\.tsx changed since API Atlas analysed it; try again once the index catches up\.$/);
    assert.equal(document.getText(), typed, 'the document keeps exactly what the user typed');
    assert.equal(fs.existsSync(absOf(PROXY_ROUTE)), false, 'no route handler was created');
    assert.deepEqual(hashes(readFixture()), before, 'nothing on disk changed');
  });

  test('a file the plan would create that appeared since planning is never overwritten', async () => {
    const entry = callIn(ASSISTANT, 'api.openai.com');
    assert.ok(entry);
    const view = await FolderView.create(folder.uri);
    const [target] = detectProxyTargets(view.listFiles(), (rel) => view.readFile(rel), { fromFile: ASSISTANT });
    const planned = planProxyMove(entry.call as CallRecord, target, view);
    assert.ok(planned.ok);
    fs.mkdirSync(path.dirname(absOf(PROXY_ROUTE)), { recursive: true });
    fs.writeFileSync(absOf(PROXY_ROUTE), '// written by someone else\n');
    const before = hashes(readFixture());

    const result = await applyFixPlan(planned.plan, folder.uri, { preview: false });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.kind, 'exists');
    assert.match(!result.ok ? result.reason : '', /app\/api\/openai-chat-completions\/route\.ts already exists; API Atlas never overwrites a file/);
    assert.deepEqual(hashes(readFixture()), before, 'nothing changed, the other file included');
    assert.equal(textOf(ASSISTANT), original.get(ASSISTANT)?.toString('utf8'));
  });

  test(`"Add a timeout (${TIMEOUT_FIX_SECONDS} s)" gives the server call an AbortSignal and its finding goes away`, async () => {
    const entry = callIn(FORECAST, 'open-meteo');
    assert.ok(entry);
    await waitFor('the no-timeout diagnostic', () => atlasRules(FORECAST).includes('no-timeout'));
    const actions = await actionsAt(FORECAST, entry);
    const action = actions.find((a) => a.title === `Add a timeout (${TIMEOUT_FIX_SECONDS} s)`);
    assert.ok(action, actions.map((a) => a.title).join(' | '));
    assert.equal(action.kind?.value, 'quickfix');
    const provided = (await providedWithDiagnostics(FORECAST, entry)).find((a) => a.title === action.title);
    assert.deepEqual(rulesOf(provided), new Set(['no-timeout']), 'the fix is attached to its diagnostic');

    const result = await runWithoutPreview(action);
    assert.equal(result?.ok, true, JSON.stringify(result));
    const text = textOf(FORECAST) ?? '';
    assert.match(text, /fetch\(`https:\/\/api\.open-meteo\.com\/v1\/forecast\?city=\$\{encodeURIComponent\(city\)\}`, \{ signal: AbortSignal\.timeout\(10_000\) \}\)/);
    assert.equal(10_000 / 1000, TIMEOUT_FIX_SECONDS, 'the title says what the fix writes');
    await waitFor('the no-timeout finding to go', () => !atlasRules(FORECAST).includes('no-timeout'));
    assert.ok(atlasRules(FORECAST).includes('no-error-handling'), 'the other finding stays');
  });

  test('a literal key on the server moves to SENDGRID_API_KEY, named in .env.example; its value goes to .env.local only when confirmed', async () => {
    const entry = callIn(NOTIFY, 'sendgrid');
    assert.ok(entry);
    await waitFor('the hardcoded-secret diagnostic', () => atlasRules(NOTIFY).includes('hardcoded-secret'));
    const actions = await actionsAt(NOTIFY, entry);
    const nameOnly = actions.find((a) => a.title === 'Move the literal to a server-only env var');
    const withValue = actions.find((a) => a.title === 'Move the literal to a server-only env var and write the value to .env.local');
    assert.ok(nameOnly && withValue, actions.map((a) => a.title).join(' | '));
    const literal = /'Bearer (SG\.[^']+)'/.exec(original.get(NOTIFY)?.toString('utf8') ?? '')?.[1];
    assert.ok(literal);

    // Without confirmation the value is written nowhere.
    assert.equal((await runWithoutPreview(nameOnly))?.ok, true);
    assert.match(textOf(NOTIFY) ?? '', /process\.env\.SENDGRID_API_KEY/);
    assert.ok(!(textOf(NOTIFY) ?? '').includes(literal), 'the key left the code');
    assert.match(textOf('.env.example') ?? '', /^SENDGRID_API_KEY=$/m, '.env.example names it without a value');
    assert.ok(!(textOf('.env.local') ?? '').includes(literal), '.env.local is not written without confirmation');
    await restoreFixture();

    // The second action asks with a modal; `confirmed` stands for the user's yes.
    const again = (await actionsAt(NOTIFY, callIn(NOTIFY, 'sendgrid')!)).find((a) => a.title === withValue.title);
    assert.ok(again?.command);
    const [arg] = again.command.arguments ?? [];
    const result = await vscode.commands.executeCommand<ApplyResult>(again.command.command, { ...(arg as object), preview: false, confirmed: true });
    assert.equal(result?.ok, true, JSON.stringify(result));
    assert.match(textOf('.env.local') ?? '', new RegExp(`^SENDGRID_API_KEY=.*${literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
    assert.match(textOf('.gitignore') ?? '', /^\.env\.local$/m, 'git ignores the file holding the value');
    await waitFor('the hardcoded-secret finding to go', () => !atlasRules(NOTIFY).includes('hardcoded-secret'));
  });

  test('"Ignore no-error-handling on this line" adds the directive above the call and silences only that rule', async () => {
    const entry = callIn(FORECAST, 'open-meteo');
    assert.ok(entry);
    await waitFor('the no-error-handling diagnostic', () => atlasRules(FORECAST).includes('no-error-handling'));
    const action = (await actionsAt(FORECAST, entry)).find((a) => a.title === 'Ignore no-error-handling on this line');
    assert.ok(action);

    const result = await runWithoutPreview(action);
    assert.equal(result?.ok, true, JSON.stringify(result));
    const lines = (textOf(FORECAST) ?? '').split('\n');
    const callLine = lines.findIndex((l) => l.includes('await fetch('));
    assert.equal(lines[callLine - 1], '  // api-atlas-ignore-next-line no-error-handling', 'the directive sits right above the call, indented like it');
    await waitFor('no-error-handling to be silenced', () => !atlasRules(FORECAST).includes('no-error-handling'));
    assert.ok(atlasRules(FORECAST).includes('no-timeout'), 'other rules still report');
    const silenced = callIn(FORECAST, 'open-meteo')?.call.findings.find((f) => f.rule === 'no-error-handling');
    assert.equal(silenced?.silenced, true, 'the tree still knows about the silenced finding');
  });

  test('"Ignore client-secret in this file" puts the file directive after \'use client\'', async () => {
    const entry = callIn(ASSISTANT, 'api.openai.com');
    assert.ok(entry);
    await waitFor('the client-secret diagnostic', () => atlasRules(ASSISTANT).includes('client-secret'));
    const action = (await actionsAt(ASSISTANT, entry)).find((a) => a.title === 'Ignore client-secret in this file');
    assert.ok(action);
    const result = await runWithoutPreview(action);
    assert.equal(result?.ok, true, JSON.stringify(result));
    const lines = (textOf(ASSISTANT) ?? '').split('\n');
    assert.equal(lines[0], "'use client';", 'the directive stays first');
    assert.equal(lines[1], '// api-atlas-ignore-file client-secret');
    await waitFor('client-secret to be silenced', () => !atlasRules(ASSISTANT).includes('client-secret'));
  });

  test('source.fixAll.apiAtlas applies the safe one-line fix (the timeout) and nothing else, in one undoable edit', async () => {
    const entry = callIn(FORECAST, 'open-meteo');
    assert.ok(entry);
    await waitFor('the no-timeout diagnostic', () => atlasRules(FORECAST).includes('no-timeout'));
    const document = await vscode.workspace.openTextDocument(uriOf(FORECAST));
    const fixAll = await waitFor('the fix-all action', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, new vscode.Range(0, 0, 0, 0), FIX_ALL_KIND.value);
      return all.find((a) => a.kind?.value === FIX_ALL_KIND.value);
    });
    assert.ok(fixAll.command);
    const result = await vscode.commands.executeCommand<ApplyResult>(fixAll.command.command, ...(fixAll.command.arguments ?? []));
    assert.equal(result?.ok, true, JSON.stringify(result));
    const text = textOf(FORECAST) ?? '';
    assert.match(text, /signal: AbortSignal\.timeout\(10_000\)/);
    assert.doesNotMatch(text, /try \{|\.catch\(/, 'error handling is the app\'s decision, never a bulk fix');
    await waitFor('the no-timeout finding to go', () => !atlasRules(FORECAST).includes('no-timeout'));
    // The light bulb never lists fix-all: it is asked for by name (on save, "Fix All").
    const menu = await actionsAt(FORECAST, callIn(FORECAST, 'open-meteo')!);
    assert.ok(!menu.some((a) => a.kind?.value === FIX_ALL_KIND.value), menu.map((a) => a.title).join(' | '));
  });
});
