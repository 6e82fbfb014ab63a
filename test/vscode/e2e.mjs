// End-to-end run of the packaged extension as a person uses it: installs the .vsix into a fresh code-server,
// opens a fixture workspace in headless Chromium, clicks, hovers and types, and saves screenshots to docs/images/.
//
//   node test/vscode/e2e.mjs [--vsix FILE] [--folder PATH] [--out DIR] [--only NAME[,NAME]] [--theme NAME]
//                            [--timeout SECONDS] [--verbose]
//
// --theme sets workbench.colorTheme for the shots (e.g. "Default Dark Modern"); the default is VS Code's light theme.
//
// Without --vsix it packages one first (npm run package → dist/api-atlas.vsix). Exits 1 when a scenario fails,
// after saving a `failed-<scenario>.png` of the screen at that moment into the output folder.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chooseWorkspace, ensureCodeServer, findChromium, repoRoot, CHROMIUM_MISSING_HELP } from './setup.mjs';
import { installVsix, launchChromium, makeRunDir, removeRunDir, startCodeServer } from './launch.mjs';

const { values: options } = parseArgs({
  options: {
    vsix: { type: 'string' },
    folder: { type: 'string' },
    out: { type: 'string', default: path.join(repoRoot, 'docs', 'images') },
    only: { type: 'string' },
    theme: { type: 'string' },
    timeout: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const log = (message) => console.log(`[e2e] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The workspace the shots are taken in unless --folder says otherwise: a small Next.js app router project. */
const DEFAULT_FOLDER = path.join(repoRoot, 'test', 'fixtures', 'vscode-next');

/** Where the default workspace's calls are, so scenarios can find them. */
const FIXTURE = {
  /** A client component calling OpenAI from the browser with a NEXT_PUBLIC_ key, relative to the workspace. */
  frontendFile: 'app/components/ChatBox.tsx',
  /** The token to hover in it (its first occurrence is that call). */
  frontendToken: 'fetch',
};

/**
 * Drives the VS Code workbench in one Playwright page the way a person would: keyboard shortcuts, the
 * command palette, hovering and clicking. Every method waits for what it opened to be visible.
 */
class Workbench {
  constructor(page, outDir) {
    this.page = page;
    this.outDir = outDir;
  }

  /** Waits until the workbench has rendered and the extension host has started (the status bar is populated). */
  async ready() {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await this.page.locator('.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    // Keyboard shortcuts go to whatever has focus; start from the editor area.
    await this.page.locator('.monaco-workbench .part.editor').click({ position: { x: 200, y: 200 } });
  }

  /** Runs a command by its title through the command palette (F1), as a person types it. */
  async runCommand(title) {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ state: 'visible' });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Opens a workspace file with Quick Open (Ctrl+P) and waits for its editor tab to be active. */
  async openFile(relPath) {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relPath);
    // Recently opened files are listed before the search answers; wait for the row of this file.
    const row = this.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: path.basename(relPath) }).first();
    await row.waitFor({ state: 'visible' });
    await row.click();
    await this.page.locator(`.tabs-container .tab.active[aria-label^="${path.basename(relPath)}"]`).waitFor({ state: 'visible' });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
  }

  /** Moves the cursor with Go to Line (Ctrl+G), `line` and `column` 1-based. */
  async goToLine(line, column = 1) {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** The rendered token in the active editor whose text is exactly `text` (the nth occurrence, 0-based). */
  token(text, nth = 0) {
    return this.page
      .locator('.editor-instance .monaco-editor .view-lines .view-line span > span')
      .filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) })
      .nth(nth);
  }

  /** Hovers a token and returns the text of the hover that opens (`.monaco-hover`). */
  async hover(text, nth = 0) {
    const hover = this.page.locator('.monaco-hover:not(.hidden)').first();
    // The line re-renders while syntax and semantic colours arrive, detaching the span; try again on a fresh one.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.token(text, nth).hover();
        await hover.waitFor({ state: 'visible', timeout: 15_000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
        await this.page.mouse.move(0, 0);
        await sleep(1000);
      }
    }
    // Providers answer one by one; the hover says "Loading..." until the slowest (tsserver, at first) has.
    const deadline = Date.now() + 20_000;
    while (/^\s*Loading\.\.\.\s*$/.test(await hover.innerText()) && Date.now() < deadline) await sleep(250);
    await sleep(400); // the hover fades in; a shot taken earlier is half transparent
    return hover.innerText();
  }

  /** Places the cursor on a token, opens Quick Fix (Ctrl+.) and returns the rows of the action widget. */
  async quickFixes(text, nth = 0) {
    await this.token(text, nth).click();
    await sleep(1000); // code actions are computed for the new cursor position after a short delay
    await this.page.keyboard.press('Control+.');
    const widget = this.page.locator('.action-widget');
    await widget.waitFor({ state: 'visible', timeout: 15_000 });
    return widget.locator('.monaco-list-row').allInnerTexts();
  }

  /** Closes whatever hover, widget or quick input is open. */
  async dismiss() {
    await this.page.keyboard.press('Escape');
    await sleep(200);
  }

  /** Opens a view container from the activity bar by its title (e.g. "API Atlas"). */
  async openViewContainer(title) {
    const item = this.page.locator(`.activitybar .action-item .action-label[aria-label^="${title}"]`).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    const expanded = await item.locator('xpath=..').getAttribute('aria-expanded');
    if (expanded !== 'true') await item.click();
    await this.page.locator(`.sidebar .composite.title h2[title^="${title}"], .sidebar .composite.title h2:has-text("${title}")`).first().waitFor({ state: 'visible' });
  }

  /** The tree rows of a side bar view (by its name, e.g. "API Calls"), as shown: `{ level, text }`. */
  async treeRows(viewName) {
    const pane = this.viewPane(viewName);
    await pane.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
    const rows = pane.locator('.monaco-list-row');
    const result = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      result.push({ level: Number(await row.getAttribute('aria-level')), text: (await row.innerText()).replace(/\s+/g, ' ').trim() });
    }
    return result;
  }

  /** A side bar view's pane, found by its header title. */
  viewPane(viewName) {
    return this.page.locator('.sidebar .pane').filter({ has: this.page.locator(`.pane-header[aria-label^="${viewName}"], .pane-header h3:text-is("${viewName}")`) }).first();
  }

  /** Clicks the first row of a view whose text contains `text` (expanding a group or revealing a call). */
  async clickTreeRow(viewName, text) {
    const row = this.viewPane(viewName).locator('.monaco-list-row').filter({ hasText: text }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
  }

  /**
   * Expands collapsed rows of a view, top down, until a row matching `isWanted` is visible; returns that
   * row's locator (or null when the whole tree holds none).
   */
  async expandUntil(viewName, isWanted, maxClicks = 20) {
    const rows = this.viewPane(viewName).locator('.monaco-list-row');
    for (let clicks = 0; clicks <= maxClicks; clicks++) {
      const count = await rows.count();
      let collapsed = null;
      for (let i = 0; i < count; i++) {
        const row = rows.nth(i);
        if (isWanted((await row.innerText()).replace(/\s+/g, ' ').trim())) return row;
        if (!collapsed && (await row.getAttribute('aria-expanded')) === 'false') collapsed = row;
      }
      if (!collapsed) return null;
      await collapsed.click();
      await sleep(300);
    }
    return null;
  }

  /** The label of the active editor tab, or null when no editor is open. */
  async activeEditorLabel() {
    const tab = this.page.locator('.tabs-container .tab.active');
    return (await tab.count()) > 0 ? tab.first().getAttribute('aria-label') : null;
  }

  /** Opens the Problems panel (Ctrl+Shift+M) and returns its rows' texts. */
  async problems() {
    await this.page.keyboard.press('Control+Shift+M');
    const panel = this.page.locator('.markers-panel');
    await panel.waitFor({ state: 'visible' });
    await panel.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
    return (await panel.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** The content frame of the visible webview (the knowledge panel), to read or click inside it. */
  webview() {
    return this.page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  }

  /** The text of the visible webview's page once it has rendered something. */
  async webviewText() {
    const body = this.webview().locator('body');
    await body.waitFor({ state: 'visible', timeout: 30_000 });
    await this.page.waitForFunction(() => true); // let the frame paint
    return body.innerText();
  }

  /** Saves a PNG of the whole window, or of one part of it, as `<name>.png` in the output folder. */
  async screenshot(name, locator) {
    const file = path.join(this.outDir, `${name}.png`);
    await (locator ?? this.page).screenshot({ path: file });
    log(`saved ${path.relative(repoRoot, file)}`);
    return file;
  }
}

/**
 * The scenarios, in the order a person would meet them. Each receives the Workbench, asserts what the
 * user should see (throwing with a sentence when not) and saves its screenshots.
 * TODO(e2e): tighten the assertions to the fixture's expected calls once the extension and fixtures land.
 */
const SCENARIOS = {
  /** The API Atlas view lists the workspace's calls grouped by runtime; clicking a call opens it. */
  async tree(wb) {
    await wb.openViewContainer('API Atlas');
    const rows = await wb.treeRows('API Calls');
    log(`tree: ${rows.map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.text}`).join(' | ')}`);
    if (!rows.some((r) => /frontend|backend|isomorphic/i.test(r.text))) throw new Error(`The API Calls view shows no runtime group: ${JSON.stringify(rows)}`);
    // A call row reads `METHOD /url · client · file:line` (DESIGN: tree rows); groups hold no `:line`.
    const call = await wb.expandUntil('API Calls', (text) => /\.\w+:\d+/.test(text));
    if (!call) throw new Error('No call row found in the API Calls view after expanding its groups.');
    await wb.screenshot('tree');
    await call.click();
    await wb.page.locator('.tabs-container .tab.active').waitFor({ state: 'visible' });
    log(`clicking a call opened ${await wb.activeEditorLabel()}`);
    await wb.screenshot('tree-reveal');
  },

  /** Hovering a fetch shows where it runs and why. */
  async hover(wb) {
    await wb.openFile(FIXTURE.frontendFile);
    const text = await wb.hover(FIXTURE.frontendToken);
    log(`hover: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
    if (!/frontend|browser|backend|server/i.test(text)) throw new Error(`The hover does not say where the call runs: ${text}`);
    await wb.screenshot('hover');
    await wb.dismiss();
  },

  /** Findings show up in the Problems panel with source "API Atlas". */
  async problems(wb) {
    const rows = await wb.problems();
    log(`problems: ${rows.slice(0, 8).join(' | ')}`);
    if (!rows.some((r) => /API Atlas/.test(r))) throw new Error(`No API Atlas diagnostics in Problems: ${JSON.stringify(rows.slice(0, 10))}`);
    await wb.screenshot('problems');
  },

  /** Quick Fix on a risky call offers API Atlas actions. */
  async quickFix(wb) {
    await wb.openFile(FIXTURE.frontendFile);
    const rows = await wb.quickFixes(FIXTURE.frontendToken);
    log(`quick fixes: ${rows.join(' | ')}`);
    // TypeScript's own refactorings (Move to file, ...) show up too; one row must be API Atlas's.
    if (!rows.some((r) => /proxy|ignore|timeout|API Atlas/i.test(r))) throw new Error(`Quick Fix offered no API Atlas action: ${JSON.stringify(rows)}`);
    await wb.screenshot('quick-fix');
    await wb.dismiss();
  },

  /** The knowledge panel explains a call. */
  async panel(wb) {
    await wb.runCommand('API Atlas: Show Workspace Overview');
    const text = await wb.webviewText();
    log(`panel: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
    if (text.trim().length === 0) throw new Error('The knowledge panel is empty.');
    await wb.screenshot('panel');
  },
};

/** Packages the extension unless a .vsix was given; returns its path. */
function ensureVsix() {
  if (options.vsix) {
    const vsix = path.resolve(options.vsix);
    if (!fs.existsSync(vsix)) throw new Error(`No such .vsix: ${vsix}`);
    return vsix;
  }
  log('Packaging the extension (npm run package) ...');
  const result = spawnSync('npm', ['run', 'package', '--silent'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run package failed (exit ${result.status ?? result.signal}).`);
  return path.join(repoRoot, 'dist', 'api-atlas.vsix');
}

async function main() {
  if (!findChromium()) {
    console.error(CHROMIUM_MISSING_HELP);
    return 1;
  }
  const chosen = options.only ? options.only.split(',').map((s) => s.trim()) : Object.keys(SCENARIOS);
  const unknown = chosen.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0) {
    console.error(`[e2e] Unknown scenario(s): ${unknown.join(', ')}. Known: ${Object.keys(SCENARIOS).join(', ')}`);
    return 1;
  }
  ensureCodeServer(log);
  const vsix = ensureVsix();
  fs.mkdirSync(options.out, { recursive: true });

  const runDir = makeRunDir('api-atlas-e2e-');
  let server;
  let browser;
  const failures = [];
  let stopping = null;
  /** Stops Chromium and code-server (its own process group) once, however the run ends. */
  const stop = () =>
    (stopping ??= (async () => {
      clearTimeout(overall);
      await Promise.race([browser?.close().catch(() => undefined), sleep(5000)]);
      await server?.stop();
      removeRunDir(runDir, log);
    })());
  let abortCode = 0;
  const abort = (why, code) => {
    abortCode = code;
    console.error(`[e2e] ${why}`);
    void stop().finally(() => process.exit(code));
  };
  const overall = setTimeout(() => abort(`Timed out after ${Number(options.timeout ?? 600)} s.`, 1), 1000 * Number(options.timeout ?? 600));
  process.once('SIGINT', () => abort('SIGINT: stopping code-server and Chromium.', 130));
  process.once('SIGTERM', () => abort('SIGTERM: stopping code-server and Chromium.', 143));
  try {
    const workspace = chooseWorkspace(options.folder ?? (fs.existsSync(DEFAULT_FOLDER) ? DEFAULT_FOLDER : undefined), runDir, log);
    const extensionsDir = path.join(runDir, 'extensions');
    log(installVsix(vsix, extensionsDir, runDir));
    const settings = {
      // The fixtures have no node_modules: TypeScript's "cannot find module 'react'" would crowd the Problems shot.
      'typescript.validate.enable': false,
      'javascript.validate.enable': false,
      ...(options.theme ? { 'workbench.colorTheme': options.theme } : {}),
    };
    server = await startCodeServer({ runDir, extensionsDir, settings });
    browser = await launchChromium(runDir);
    const page = browser.pages()[0] ?? (await browser.newPage());
    if (options.verbose) page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
    page.setDefaultTimeout(30_000);
    await page.goto(server.url(workspace));
    const wb = new Workbench(page, options.out);
    await wb.ready();
    for (const name of chosen) {
      if (abortCode) break;
      log(`scenario ${name}`);
      try {
        await SCENARIOS[name](wb);
      } catch (err) {
        if (abortCode) break; // the browser was closed under the scenario
        failures.push(name);
        console.error(`[e2e] ${name} FAILED: ${err instanceof Error ? err.message : String(err)}`);
        await wb.screenshot(`failed-${name}`).catch((shotErr) => console.error(`[e2e] could not save a screenshot: ${shotErr.message}`));
        await wb.dismiss();
      }
    }
  } catch (err) {
    if (!abortCode) throw err;
  } finally {
    await stop();
  }
  if (abortCode) return abortCode;
  console.log(`\nEnd-to-end: ${chosen.length - failures.length} passed, ${failures.length} failed${failures.length ? ` (${failures.join(', ')})` : ''}`);
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[e2e] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
