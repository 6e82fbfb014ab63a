// End-to-end run of the packaged extension as a person uses it: installs the .vsix into a fresh code-server,
// opens a copy of examples/ (the demo workspace `npm run demo` scans) in headless Chromium, clicks, hovers and types,
// applies the proxy move and undoes it, asserts what is on screen and on disk, and saves screenshots.
//
//   node test/vscode/e2e.mjs [--vsix FILE] [--out DIR] [--only NAME[,NAME]] [--theme NAME] [--timeout SECONDS] [--verbose]
//
// Shots are taken into a temp folder (printed at the end). With --out DIR (`npm run screenshots` passes
// docs/images) they are copied there, and only when every scenario passed, so a failing run never leaves a
// half-refreshed set. Without --vsix it packages the current sources first (npm run package → dist/api-atlas.vsix),
// so the run tests what ships. Ends with `End-to-end: N passed, N failed` and exits 1 when a scenario failed;
// a failing scenario saves `failed-<scenario>.png` of the screen at that moment into the temp folder.
/* global document, window, getComputedStyle -- the functions given to page.evaluate and waitForFunction run in the page */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCodeServer, findChromium, repoRoot, CHROMIUM_MISSING_HELP } from './setup.mjs';
import { installVsix, launchChromium, makeRunDir, removeRunDir, startCodeServer } from './launch.mjs';

const { values: options } = parseArgs({
  options: {
    vsix: { type: 'string' },
    out: { type: 'string' },
    only: { type: 'string' },
    theme: { type: 'string', default: 'Default Dark Modern' },
    timeout: { type: 'string', default: '300' },
    verbose: { type: 'boolean', default: false },
  },
});
const log = (message) => console.log(`[e2e] ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The workspace every scenario is written against: the demo shop (README screenshots come from it). It is copied, never opened in place. */
const FIXTURE_DIR = path.join(repoRoot, 'examples');

/** What the workspace holds and a person should see, in the words the extension uses. */
const FIXTURE = {
  /** A client component calling OpenAI from the browser with a NEXT_PUBLIC_ key. */
  riskyFile: 'web/app/dashboard/page.tsx',
  /** Where that call starts (1-based, as the editor shows it): the `fetch` token. */
  riskyCall: { line: 13, column: 25 },
  /** A token inside the call below its first line, where no diagnostic underline (and so no Problems hover) is. */
  riskyBodyToken: "'POST'",
  /** The call row's label (the endpoint first) and description (the host and line; its file is the parent row). */
  riskyRowLabel: 'POST /v1/chat/completions',
  riskyRowDescription: 'api.openai.com · line 13',
  /** The findings of that call, as Problems and the quick-fix menu name them. */
  riskyRules: ['client-secret', 'public-env-secret', 'third-party-direct', 'cross-origin', 'no-error-handling', 'request-waterfall'],
  /** The proxy move for that call creates an app router route handler under web/app/api/. */
  proxyRoute: /^web\/app\/api\/[\w-]+\/route\.ts$/,
  /** Calls by runtime, as the overview charts them. */
  frontendCalls: 7,
  backendCalls: 4,
};

/** Where the mouse rests when a shot must show no tooltip: the empty middle of the activity bar, which no hover covers. */
const RESTING_POINT = { x: 24, y: 600 };

/** Every shot a passing run produces; `npm run screenshots` copies exactly these (the README embeds them). */
const SHOTS = ['tree', 'hover', 'problems', 'quick-fix', 'preview', 'panel-call', 'overview'];

/**
 * Drives the VS Code workbench in one Playwright page the way a person would: keyboard shortcuts, the
 * command palette, hovering and clicking. Every method waits for what it opened to be visible.
 */
class Workbench {
  constructor(page, shotDir, workspaceDir) {
    this.page = page;
    this.shotDir = shotDir;
    this.workspaceDir = workspaceDir;
  }

  /** The API Atlas status bar item once indexing has finished (`$(globe) N calls · M findings`; "indexing…" before). */
  statusItem() {
    return this.page.locator('.statusbar-item:has(.codicon-globe)').filter({ hasText: /\d+ calls? · \d+ findings?/ });
  }

  /** Waits until the workbench has rendered, opens the API Atlas view and waits until it has indexed the folder (its status bar item stops spinning). */
  async ready() {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    // API Atlas does not start with the window: a person opens its view (or a JS/TS file) first.
    await this.openViewContainer('API Atlas');
    await this.statusItem().waitFor({ state: 'visible', timeout: 90_000 });
    log(`status bar: ${(await this.statusItem().innerText()).trim()}`);
    // Keyboard shortcuts go to whatever has focus; start from the editor area.
    await this.page.locator('.monaco-workbench .part.editor').click({ position: { x: 200, y: 200 } });
  }

  /** Runs a command by its title through the command palette (F1), as a person types it. */
  async runCommand(title) {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: title }).first().waitFor({ state: 'visible' });
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

  /** Moves the cursor with Go to Line (Ctrl+G), `line` and `column` 1-based, and waits for the status bar to show it. */
  async goToLine(line, column = 1) {
    await this.page.locator('.editor-instance .monaco-editor textarea').first().focus();
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await this.page.locator('[id="status.editor.selection"]').filter({ hasText: `Ln ${line}, Col ${column}` }).waitFor({ state: 'visible' });
  }

  /**
   * Puts the cursor on the risky call's `fetch`, coming from line 1 so the cursor really moves (the light bulb is
   * only computed again after a move), with the mouse out of the way.
   */
  async placeCursorOnCall() {
    await this.goToLine(1);
    await this.goToLine(FIXTURE.riskyCall.line, FIXTURE.riskyCall.column);
    await this.restPointer();
  }

  /** The rendered token in the active editor whose text is exactly `text` (the nth occurrence, 0-based); `~text` matches a part. */
  token(text, nth = 0) {
    const partial = text.startsWith('~');
    const escaped = (partial ? text.slice(1) : text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return this.page
      .locator('.editor-instance .monaco-editor .view-lines .view-line span > span')
      .filter({ hasText: new RegExp(partial ? escaped : `^${escaped}$`) })
      .nth(nth);
  }

  /** Moves the mouse where it opens nothing and waits until no hover or tooltip is left on screen. */
  async restPointer() {
    await this.page.mouse.move(RESTING_POINT.x, RESTING_POINT.y);
    await this.page.waitForFunction(() =>
      [...document.querySelectorAll('.workbench-hover-container, .monaco-editor .monaco-hover:not(.hidden)')].every((el) => el.getClientRects().length === 0),
    );
  }

  /** Hovers a token and returns the text of the editor hover that opens once every provider has answered. */
  async hover(text, nth = 0) {
    const hover = this.page.locator('.monaco-editor .monaco-hover:not(.hidden)').first();
    // The line re-renders while syntax and semantic colours arrive, detaching the span; try again on a fresh one.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.token(text, nth).hover();
        await hover.waitFor({ state: 'visible', timeout: 15_000 });
        break;
      } catch (err) {
        if (attempt === 3) throw err;
        await this.restPointer();
      }
    }
    // Providers answer one by one; the hover says "Loading..." until the slowest (tsserver, at first) has.
    await this.page.waitForFunction(
      () => {
        const el = document.querySelector('.monaco-editor .monaco-hover:not(.hidden)');
        return el !== null && !/^\s*Loading\.\.\.\s*$/.test(el.textContent ?? '');
      },
      undefined,
      { timeout: 30_000 },
    );
    await sleep(400); // the hover fades in; a shot taken earlier is half transparent
    return hover.innerText();
  }

  /**
   * With the cursor on a call on `line`, opens Quick Fix (Ctrl+.) once the light bulb shows on that line, and returns
   * the action widget's rows.
   * VS Code cancels a manual request when a newer one replaces it (the automatic request after a cursor move, or a
   * provider registering, such as TypeScript's once tsserver reports its version) and then says "No code actions
   * available" although the call has actions; that message is answered by asking again, at most twice.
   */
  async quickFixes(line) {
    // The light bulb shows once VS Code's automatic request for this cursor position has answered.
    await this.page.waitForFunction(
      (lineNumber) => {
        const editor = document.querySelector('.editor-instance .monaco-editor');
        const number = [...(editor?.querySelectorAll('.line-numbers') ?? [])].find((el) => el.textContent?.trim() === String(lineNumber));
        if (!editor || !number) return false;
        const row = number.getBoundingClientRect();
        return [...editor.querySelectorAll('.lightBulbWidget, .lightbulb-glyph')].some((el) => {
          const box = el.getBoundingClientRect();
          return box.height > 0 && el.checkVisibility() && box.top < row.bottom && box.bottom > row.top;
        });
      },
      line,
      { timeout: 30_000 },
    );
    const widget = this.page.locator('.action-widget');
    const nothing = this.page.locator('.monaco-editor-overlaymessage').filter({ hasText: 'No code actions available' });
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+.');
      await widget.or(nothing).first().waitFor({ state: 'visible', timeout: 15_000 });
      if (await widget.isVisible()) break;
      if (attempt === 3) throw new Error('Quick Fix said "No code actions available" three times on a call with findings.');
      // Seen when the automatic request for a cursor move, or a provider registering, replaced the manual one.
      log('Quick Fix: VS Code answered "No code actions available" after cancelling its request for a newer one; asking again');
      await this.page.keyboard.press('Escape');
      await nothing.waitFor({ state: 'hidden' });
    }
    return (await widget.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** Picks a row of the open action widget with the arrow keys and Enter (the widget blocks the pointer while it opens). */
  async chooseAction(title) {
    const rows = this.page.locator('.action-widget .monaco-list-row');
    const count = await rows.count();
    for (let step = 0; step <= count; step++) {
      const focused = await this.page.locator('.action-widget .monaco-list-row.focused').getAttribute('aria-label');
      if (focused === title) {
        await this.page.keyboard.press('Enter');
        await this.page.locator('.action-widget').waitFor({ state: 'hidden' });
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`The action widget has no row "${title}".`);
  }

  /** When the move asks where the proxy should live (the shop has a Next.js app and an Express API), picks `label`. */
  async pickProxyTarget(label, whenDone) {
    const input = this.page.locator('.quick-input-widget');
    await input.or(whenDone).first().waitFor({ state: 'visible', timeout: 30_000 });
    if (!(await input.isVisible())) return;
    const row = input.locator('.monaco-list-row').filter({ hasText: label }).first();
    await row.waitFor({ state: 'visible' });
    log(`proxy target: ${(await row.innerText()).replace(/\s+/g, ' ').trim()}`);
    await row.click();
    await input.waitFor({ state: 'hidden' });
  }

  /** Closes whatever hover, widget or quick input is open. */
  async dismiss() {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.action-widget, .quick-input-widget').first().waitFor({ state: 'hidden' });
  }

  /** Opens a view container from the activity bar by its title (e.g. "API Atlas"). */
  async openViewContainer(title) {
    const item = this.page.locator(`.activitybar .action-item .action-label[aria-label^="${title}"]`).first();
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    // The item (the icon and its badge) is what a person clicks; the badge sits on top of the icon.
    const actionItem = item.locator('xpath=..');
    if ((await actionItem.getAttribute('aria-expanded')) !== 'true') await actionItem.click();
    await this.page.locator(`.sidebar .composite.title h2[title^="${title}"], .sidebar .composite.title h2:has-text("${title}")`).first().waitFor({ state: 'visible' });
  }

  /** Drags the side bar's edge until it is `width` pixels wide, as a person widens it to read long rows. */
  async setSideBarWidth(width) {
    const sidebar = this.page.locator('.part.sidebar');
    const box = await sidebar.boundingBox();
    if (!box) throw new Error('The side bar is not visible.');
    const edge = box.x + box.width;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(edge, y);
    await this.page.mouse.down();
    await this.page.mouse.move(edge + (width - box.width), y, { steps: 8 });
    await this.page.mouse.up();
    const after = await sidebar.boundingBox();
    if (!after || Math.abs(after.width - width) > 20) throw new Error(`Could not resize the side bar to ${width}px (it is ${after?.width ?? 0}px wide).`);
  }

  /**
   * The open editor hover as rendered: its height, lines of API Atlas's part, pixels hidden behind its scroll bar,
   * and whether API Atlas's header line is inside both the hover's visible area and the window.
   */
  async measureHover() {
    const hover = this.page.locator('.monaco-editor .monaco-hover:not(.hidden)').first();
    return hover.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const content = el.querySelector('.monaco-hover-content') ?? el;
      const parts = [...el.querySelectorAll('.hover-row')];
      const ours = parts.find((p) => /API Atlas ·/.test(p.textContent ?? '')) ?? el;
      const header = [...ours.querySelectorAll('p, strong')].find((n) => /API Atlas/.test(n.textContent ?? ''));
      const headerBox = header?.getBoundingClientRect();
      const scroller = el.querySelector('.monaco-scrollable-element') ?? content;
      const visible = scroller.getBoundingClientRect();
      // Lines as a person counts them: the rendered line boxes of API Atlas's part.
      const lineHeight = parseFloat(getComputedStyle(ours.querySelector('p') ?? ours).lineHeight) || 19;
      let lines = 0;
      for (const block of ours.querySelectorAll('p')) lines += Math.max(1, Math.round(block.getBoundingClientRect().height / lineHeight));
      return {
        height: Math.round(box.height),
        top: Math.round(box.top),
        bottom: Math.round(box.bottom),
        viewport: window.innerHeight,
        lines,
        hidden: Math.max(0, content.scrollHeight - content.clientHeight),
        headerTop: headerBox ? Math.round(headerBox.top) : -1,
        headerVisible: Boolean(headerBox && headerBox.top >= Math.max(0, visible.top) - 1 && headerBox.bottom <= Math.min(window.innerHeight, visible.bottom) + 1),
      };
    });
  }

  /** A side bar view's pane, found by its header title. */
  viewPane(viewName) {
    return this.page.locator('.sidebar .pane').filter({ has: this.page.locator(`.pane-header[aria-label^="${viewName}"], .pane-header h3:text-is("${viewName}")`) }).first();
  }

  /**
   * The tree rows of a side bar view as shown, top down: `{ index, level, label, description, text, expanded }`.
   * The list positions rows absolutely and recycles them, so their DOM order is not the screen order: `data-index` is.
   */
  async treeRows(viewName) {
    const pane = this.viewPane(viewName);
    await pane.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
    const rows = await pane.locator('.monaco-list-row').evaluateAll((els) =>
      els.map((row) => ({
        index: Number(row.getAttribute('data-index')),
        level: Number(row.getAttribute('aria-level')),
        text: (row.textContent ?? '').replace(/\s+/g, ' ').trim(),
        label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
        description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
        expanded: row.getAttribute('aria-expanded'),
      })),
    );
    return rows.sort((a, b) => a.index - b.index);
  }

  /** The row of a view at a list index (as `treeRows` reports it). */
  treeRow(viewName, index) {
    return this.viewPane(viewName).locator(`.monaco-list-row[data-index="${index}"]`);
  }

  /** The rows once two reads 250 ms apart agree: the list re-renders its rows in place while the tree refreshes. */
  async settledTreeRows(viewName) {
    let previous = JSON.stringify(await this.treeRows(viewName));
    for (let read = 0; read < 40; read++) {
      await sleep(250);
      const rows = await this.treeRows(viewName);
      const current = JSON.stringify(rows);
      if (current === previous) return rows;
      previous = current;
    }
    throw new Error(`The ${viewName} view kept changing for 10 s.`);
  }

  /**
   * Expands collapsed rows of a view, top down, until a row matching `isWanted` is visible; returns that
   * row's locator (or null when the whole tree holds none).
   */
  async expandUntil(viewName, isWanted, maxClicks = 20) {
    for (let clicks = 0; clicks <= maxClicks; clicks++) {
      const shown = await this.treeRows(viewName);
      const wanted = shown.find(isWanted);
      if (wanted) return this.treeRow(viewName, wanted.index);
      const collapsed = shown.find((r) => r.expanded === 'false');
      if (!collapsed) return null;
      const count = shown.length;
      await this.treeRow(viewName, collapsed.index).click();
      await this.page.waitForFunction(
        ([selector, before]) => document.querySelectorAll(selector).length > before,
        ['.sidebar .pane .monaco-list-row', count],
        { timeout: 10_000 },
      );
    }
    return null;
  }

  /** The label of the active editor tab, or null when no editor is open. */
  async activeEditorLabel() {
    const tab = this.page.locator('.tabs-container .tab.active');
    return (await tab.count()) > 0 ? tab.first().getAttribute('aria-label') : null;
  }

  /** Opens the Problems panel (Ctrl+Shift+M) and returns its rows: `{ text, error }`. */
  async problems() {
    await this.page.keyboard.press('Control+Shift+M');
    const panel = this.page.locator('.markers-panel');
    await panel.waitFor({ state: 'visible' });
    await panel.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
    return panel.locator('.monaco-list-row').evaluateAll((rows) =>
      // The severity icon turns into a light bulb on the focused row; the row's accessible label keeps the severity.
      rows.map((row) => ({ text: (row.textContent ?? '').replace(/\s+/g, ' ').trim(), error: /^Error\b/.test(row.getAttribute('aria-label') ?? '') })),
    );
  }

  /** Hides the bottom panel (Problems, Refactor Preview) if it is open. */
  async closePanel() {
    const panel = this.page.locator('.part.panel');
    if (await panel.isVisible()) {
      await this.runCommand('View: Hide Panel');
      await panel.waitFor({ state: 'hidden' });
    }
  }

  /** The content frame of the visible webview (the knowledge panel), to read or click inside it. */
  webview() {
    return this.page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  }

  /** Waits until the knowledge panel's page shows `expected` (a RegExp) and returns its text. */
  async webviewTextMatching(expected) {
    const body = this.webview().locator('#root');
    await body.filter({ hasText: expected }).waitFor({ state: 'visible', timeout: 30_000 });
    return body.innerText();
  }

  /** Saves a PNG of the whole window as `<name>.png` in the shot folder, once the status bar no longer says it is activating extensions. */
  async screenshot(name) {
    if (!name.startsWith('failed-')) await this.page.locator('.statusbar-item').filter({ hasText: 'Activating Extensions' }).first().waitFor({ state: 'hidden' });
    const file = path.join(this.shotDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    log(`saved ${name}.png`);
    return file;
  }
}

/** Throws with what was seen when a condition a person relies on does not hold. */
function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * The scenarios, in the order a person would meet them. Each receives the Workbench, asserts what the
 * user should see (throwing with a sentence when not) and saves its screenshots.
 */
const SCENARIOS = {
  /** The API Atlas view lists the calls grouped by runtime; the leaked-key call sits under Frontend; clicking it opens it. */
  async tree(wb) {
    await wb.openViewContainer('API Atlas');
    const isRisky = (r) => r.label === FIXTURE.riskyRowLabel && r.description === FIXTURE.riskyRowDescription;
    await wb.expandUntil('API Calls', isRisky);
    const rows = await wb.settledTreeRows('API Calls');
    // At the side bar's default width every call row shows its whole label: the endpoint comes first, the rest after.
    const sidebarWidth = (await wb.page.locator('.part.sidebar').boundingBox())?.width ?? 0;
    const cut = await wb.viewPane('API Calls').locator('.monaco-list-row .label-name').evaluateAll((els) =>
      els.filter((el) => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > el.closest('.monaco-list')?.getBoundingClientRect().right).map((el) => el.textContent),
    );
    log(`tree at the default side bar width (${Math.round(sidebarWidth)} px): ${cut.length} labels cut`);
    expect(cut.length === 0, `Labels cut at the default side bar width (${Math.round(sidebarWidth)} px): ${JSON.stringify(cut)}`);
    // No row repeats the file its parent row already names.
    const repeats = rows.filter((r) => r.level >= 3 && /\//.test(r.description) && /\.(t|j)sx?:\d+/.test(r.description));
    expect(repeats.length === 0, `Rows repeat their file's path: ${JSON.stringify(repeats.map((r) => r.description))}`);
    log(`tree: ${rows.map((r) => `${r.level}:${r.label}${r.description ? ` (${r.description})` : ''}`).join(' | ')}`);
    const riskyIndex = rows.findIndex(isRisky);
    expect(riskyIndex >= 0, `The API Calls view has no row "${FIXTURE.riskyRowLabel}" described "${FIXTURE.riskyRowDescription}": ${JSON.stringify(rows)}`);
    const groups = rows.filter((r) => r.level === 1).map((r) => r.label);
    expect(groups[0] === 'Frontend' && groups.includes('Backend'), `The top-level groups are not Frontend first, then Backend: ${JSON.stringify(groups)}`);
    const frontendIndex = rows.findIndex((r) => r.level === 1 && r.label === 'Frontend');
    const nextGroup = rows.findIndex((r, i) => i > frontendIndex && r.level === 1);
    expect(riskyIndex > frontendIndex && (nextGroup < 0 || riskyIndex < nextGroup), 'The leaked-key call is not listed under the Frontend group.');

    await wb.treeRow('API Calls', rows[riskyIndex].index).click();
    await wb.page.locator(`.tabs-container .tab.active[aria-label^="${path.basename(FIXTURE.riskyFile)}"]`).waitFor({ state: 'visible' });
    // Revealing selects the call: the status bar counts the selected characters.
    const selection = wb.page.locator('[id="status.editor.selection"]');
    await selection.filter({ hasText: /\(\d+ selected\)/ }).waitFor({ state: 'visible' });
    log(`clicking the call opened ${await wb.activeEditorLabel()} with ${(await selection.innerText()).trim()}`);
    const lineOfCall = wb.page.locator('.editor-instance .monaco-editor .line-numbers').filter({ hasText: new RegExp(`^${FIXTURE.riskyCall.line}$`) });
    await lineOfCall.first().waitFor({ state: 'visible' });
    await wb.restPointer();
    await wb.screenshot('tree');
  },

  /**
   * Hovering the call's `fetch` shows where it runs and why, the fix, and one row of actions, short enough to read
   * without resizing in a 900 px window; hovering the underline shows the findings alone (the two never stack).
   */
  async hover(wb) {
    await wb.openFile(FIXTURE.riskyFile);
    await wb.goToLine(1); // drops the selection a reveal may have left
    const text = await wb.hover('fetch');
    log(`hover: ${text.replace(/\s+/g, ' ').slice(0, 400)}`);
    expect(/API Atlas/.test(text), `The hover is not API Atlas's: ${text}`);
    expect(/Runs in the browser/.test(text), `The hover does not say the call runs in the browser: ${text}`);
    expect(/Next\.js client component/.test(text), `The hover does not say why (a Next.js client component): ${text}`);
    expect(/client-secret/.test(text), `The hover does not name the client-secret finding: ${text}`);
    expect(/Fix: Move behind a server proxy/.test(text), `The hover does not name the fix: ${text}`);
    expect(/Explain/.test(text) && /Move behind a proxy/.test(text), `The hover has no row of actions: ${text}`);
    const ours = await wb.measureHover();
    log(`hover on fetch: ${ours.height} px tall, ${ours.lines} lines, header at ${ours.headerTop} px (hover ${ours.top}-${ours.bottom} px) in a ${ours.viewport} px window, ${ours.hidden} px hidden`);
    expect(ours.lines <= 9, `The hover has ${ours.lines} lines: ${text}`);
    expect(ours.hidden <= 2, `The hover hides ${ours.hidden} px of its content.`);
    expect(ours.headerVisible, `API Atlas's header is not visible (header at ${ours.headerTop} px, hover ${ours.top}-${ours.bottom} px).`);
    await wb.screenshot('hover');
    await wb.restPointer();

    // The underlined URL: VS Code's diagnostics, without the card stacked below them.
    const underline = await wb.hover('~api.openai.com');
    log(`hover on the underline: ${underline.replace(/\s+/g, ' ').slice(0, 200)}`);
    expect(/client-secret/.test(underline), `The underline's hover does not show the findings: ${underline.slice(0, 300)}`);
    expect(!/API Atlas ·/.test(underline), 'The card is stacked under the diagnostics on the underline.');
    await wb.restPointer();
  },

  /** The leaked key is an error from "API Atlas" in the Problems panel. */
  async problems(wb) {
    const rows = await wb.problems();
    log(`problems: ${rows.map((r) => r.text.slice(0, 90)).join(' | ')}`);
    const secret = rows.find((r) => /API Atlas/.test(r.text) && /client-secret/.test(r.text));
    expect(secret, `Problems lists no client-secret finding from API Atlas: ${JSON.stringify(rows)}`);
    expect(secret.error, `The client-secret problem is not shown as an error: ${secret.text}`);
    expect(/NEXT_PUBLIC_OPENAI_API_KEY/.test(secret.text) && /\[Ln 13, Col 30\]/.test(secret.text), `The client-secret problem names another key or place: ${secret.text}`);
    expect(!rows.some((r) => /pk_live_/.test(r.text) && /client-secret/.test(r.text)), 'The Stripe publishable key is reported as a client secret.');
    // The focused problem shows a light bulb instead of its severity icon; moving the focus up to the file shows it.
    await wb.page.keyboard.press('ArrowUp');
    await wb.page.locator('.markers-panel .monaco-list-row .codicon-error').first().waitFor({ state: 'visible' });
    await wb.restPointer();
    await wb.screenshot('problems');
    await wb.closePanel();
  },

  /**
   * Ctrl+. on the risky call: ESLint's shape. The proxy move once, "Ignore <rule> on this line" and "in this file" for
   * each finding, one "Explain this call"; nothing else.
   */
  async quickFix(wb) {
    await wb.closePanel();
    await wb.openFile(FIXTURE.riskyFile);
    await wb.placeCursorOnCall();
    const rows = await wb.quickFixes(FIXTURE.riskyCall.line);
    log(`quick fixes (${rows.length} rows): ${rows.join(' | ')}`);
    const expected = ['Move behind a server proxy…', ...FIXTURE.riskyRules.flatMap((r) => [`Ignore ${r} on this line`, `Ignore ${r} in this file`]), 'Explain this call'];
    // API Atlas's rows (TypeScript adds its own refactorings, "Move to file", below them).
    const ours = /^(Move behind a server proxy|Ignore \S+ (on this line|in this file)$|Explain|Add a timeout|Rename to a server-only|Move the literal)/;
    const actions = rows.filter((r) => ours.test(r));
    for (const wanted of expected) expect(actions.includes(wanted), `Quick Fix does not offer "${wanted}": ${JSON.stringify(rows)}`);
    expect(actions.length === expected.length, `Quick Fix has ${actions.length} action rows for this call, expected ${expected.length}: ${JSON.stringify(actions)}`);
    expect(actions.filter((r) => r === 'Move behind a server proxy…').length === 1, `The proxy move is offered more than once: ${JSON.stringify(rows)}`);
    await wb.screenshot('quick-fix');
    await wb.dismiss();
  },

  /** The optional preview (its own command): VS Code's Refactor Preview lists the new route and the call site; discarding it changes nothing. */
  async preview(wb) {
    const callFile = path.join(wb.workspaceDir, FIXTURE.riskyFile);
    const before = fs.readFileSync(callFile, 'utf8');
    const filesBefore = listFiles(wb.workspaceDir);
    await wb.closePanel();
    await wb.openFile(FIXTURE.riskyFile);
    await wb.placeCursorOnCall();
    await wb.runCommand('API Atlas: Move Behind a Server Proxy (Preview Changes)');
    const pane = wb.page.locator('.bulk-edit-panel');
    await wb.pickProxyTarget('Next.js route handler', pane);

    await pane.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 30_000 });
    const title = (await wb.page.locator('.part.panel .composite.title').innerText()).replace(/\s+/g, ' ');
    expect(/Refactor Preview/i.test(title), `The preview command did not open the Refactor Preview: panel title "${title}"`);
    const rows = await pane.locator('.monaco-list-row').evaluateAll((els) => els.map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim()));
    log(`refactor preview: ${rows.join(' | ')}`);
    expect(rows.some((r) => /route\.ts/.test(r)), `The Refactor Preview lists no new route file: ${JSON.stringify(rows)}`);
    expect(rows.some((r) => /page\.tsx/.test(r)), `The Refactor Preview does not rewrite the call site in page.tsx: ${JSON.stringify(rows)}`);
    await wb.restPointer();
    await wb.screenshot('preview');

    await pane.locator('.monaco-button').filter({ hasText: 'Discard' }).click();
    await pane.waitFor({ state: 'hidden' });
    expect(fs.readFileSync(callFile, 'utf8') === before, 'Discarding the preview still changed page.tsx.');
    const added = listFiles(wb.workspaceDir).filter((f) => !filesBefore.includes(f));
    expect(added.length === 0, `Discarding the preview still created ${added.join(', ')}.`);
    const dirty = wb.page.locator('.tabs-container .tab.dirty');
    expect((await dirty.count()) === 0, `Discarding the preview left unsaved editors: ${(await dirty.allInnerTexts()).join(', ')}`);
    await wb.closePanel();
  },

  /**
   * Choosing "Move behind a server proxy…" in the light bulb applies it: the route handler and the rewritten call are
   * on disk, the follow-up says the next step in a line or two; one undo puts every byte back.
   */
  async apply(wb) {
    const originals = snapshotFiles(wb.workspaceDir);
    await wb.closePanel();
    await wb.openFile(FIXTURE.riskyFile);
    await wb.placeCursorOnCall();
    await wb.quickFixes(FIXTURE.riskyCall.line);
    await wb.chooseAction('Move behind a server proxy…');
    const toast = wb.page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'API Atlas' }).first();
    await wb.pickProxyTarget('Next.js route handler', toast);

    // The move applies at once and saves what it edited (a refactoring): read the disk, not the editor.
    const deadline = Date.now() + 30_000;
    let route;
    const isNewRoute = (f) => !originals.has(f) && FIXTURE.proxyRoute.test(f.split(path.sep).join('/'));
    while (!(route = listFiles(wb.workspaceDir).find(isNewRoute))) {
      if (Date.now() > deadline) throw new Error('Applying the proxy move created no route handler under web/app/api/ within 30 s.');
      await sleep(250);
    }
    const handler = fs.readFileSync(path.join(wb.workspaceDir, route), 'utf8');
    log(`applied: created ${route} (${handler.length} characters)`);
    expect(/https:\/\/api\.openai\.com/.test(handler) && /process\.env\.OPENAI_API_KEY/.test(handler), `The handler does not call OpenAI with the server-only key:\n${handler.slice(0, 600)}`);
    expect(!/NEXT_PUBLIC_/.test(handler), 'The handler reads a NEXT_PUBLIC_ variable.');
    const callFile = path.join(wb.workspaceDir, FIXTURE.riskyFile);
    let call = '';
    while (!/fetch\('\/api\/[\w-]+'/.test((call = fs.readFileSync(callFile, 'utf8')))) {
      if (Date.now() > deadline) throw new Error(`The call site on disk was not rewritten to the new route:\n${call.slice(0, 800)}`);
      await sleep(250);
    }
    expect(!/api\.openai\.com|NEXT_PUBLIC_OPENAI_API_KEY/.test(call), 'The rewritten call still goes to OpenAI or sends the key.');
    const env = fs.readFileSync(path.join(wb.workspaceDir, 'web', '.env.local'), 'utf8');
    expect(/^OPENAI_API_KEY=/m.test(env) && !/^NEXT_PUBLIC_OPENAI_API_KEY=/m.test(env), `web/.env.local does not hold the server-only name:\n${env}`);

    await toast.waitFor({ state: 'visible', timeout: 15_000 });
    const message = (await toast.locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ').trim();
    log(`follow-up (${message.length} characters): ${message}`);
    expect(message.length <= 300, `The follow-up message is ${message.length} characters long: ${message}`);
    expect((await toast.locator('.monaco-button').filter({ hasText: /^Details/ }).count()) === 1, 'The follow-up has no Details button.');
    await wb.restPointer();
    await wb.screenshot('applied');
    await wb.page.keyboard.press('Escape');

    // One undo, from the editor where the move was applied; VS Code asks whether to undo across every file.
    await wb.openFile(FIXTURE.riskyFile);
    await wb.page.locator('.editor-instance .monaco-editor textarea').first().focus();
    await wb.page.keyboard.press('Control+Z');
    // VS Code may ask whether to undo in every file the edit touched; the answer is yes.
    const acrossFiles = wb.page.locator('.monaco-dialog-box .monaco-button').filter({ hasText: /^Undo in \d+ Files$/ });
    if (await acrossFiles.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false)) {
      log(`undo: ${(await acrossFiles.innerText()).trim()}`);
      await acrossFiles.click();
      await wb.page.locator('.monaco-dialog-box').waitFor({ state: 'hidden' });
    } else {
      log('undo: one Ctrl+Z, no question asked');
    }
    // Undo leaves the documents the move had saved dirty again; saving writes the original text back.
    await wb.runCommand('File: Save All Files');
    await wb.page.locator('.tabs-container .tab.dirty').first().waitFor({ state: 'hidden', timeout: 15_000 });
    let diff = [];
    for (const until = Date.now() + 15_000; ; await sleep(250)) {
      diff = compareFiles(originals, snapshotFiles(wb.workspaceDir));
      if (diff.length === 0 || Date.now() > until) break;
    }
    expect(diff.length === 0, `After one undo the workspace is not byte-identical to before the move: ${diff.join('; ')}`);
    log(`undo: all ${originals.size} files byte-identical to before the move`);
  },

  /** "Explain This Call" on the tree row opens the knowledge panel on that call: its finding and the advice to move it. */
  async panel(wb) {
    await wb.closePanel();
    // With no editor open the panel gets the whole editor area instead of a column beside the code.
    await wb.runCommand('View: Close All Editors');
    await wb.page.locator('.tabs-container .tab').first().waitFor({ state: 'hidden' });
    await wb.openViewContainer('API Atlas');
    const row = await wb.expandUntil('API Calls', (r) => r.label === FIXTURE.riskyRowLabel && r.description === FIXTURE.riskyRowDescription);
    expect(row, `The API Calls view has no row "${FIXTURE.riskyRowLabel}".`);
    await row.hover();
    await row.locator('.action-label[aria-label="Explain This Call"]').click();
    const text = await wb.webviewTextMatching(/Move this call to the server\./);
    const headline = wb.webview().locator('.recommendation');
    await headline.waitFor({ state: 'visible' });
    log(`panel: ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
    expect(/POST/.test(text) && text.includes('https://api.openai.com/v1/chat/completions'), `The panel does not show the OpenAI call: ${text.slice(0, 300)}`);
    expect(/client-secret/.test(text), `The panel does not show the client-secret finding: ${text.slice(0, 600)}`);
    expect(/Where it runs/.test(text) && /Frontend/.test(text), `The panel does not say where the call runs: ${text.slice(0, 600)}`);
    const inView = await headline.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight);
    expect(inView, 'The decision guide\'s "Move this call to the server." is below the fold of the panel.');
    await wb.restPointer();
    await wb.screenshot('panel-call');
  },

  /** The workspace overview charts calls by runtime, host and finding. */
  async overview(wb) {
    await wb.closePanel();
    await wb.runCommand('API Atlas: Show Workspace Overview');
    const text = await wb.webviewTextMatching(/Workspace overview/);
    log(`overview: ${text.replace(/\s+/g, ' ').slice(0, 300)}`);
    for (const heading of ['Calls by runtime', 'Top hosts', 'Findings by rule']) expect(text.includes(heading), `The overview has no "${heading}" chart: ${text.slice(0, 300)}`);
    const bars = await wb.webview().locator('svg.chart g.bar').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
    log(`overview bars: ${bars.join(' | ')}`);
    for (const wanted of [`Frontend (browser): ${FIXTURE.frontendCalls}`, `Backend (server): ${FIXTURE.backendCalls}`, 'client-secret: 1']) {
      expect(bars.includes(wanted), `The overview has no bar "${wanted}": ${JSON.stringify(bars)}`);
    }
    // Findings by severity first: the one error above every warning and info.
    const ruleBars = bars.filter((b) => FIXTURE.riskyRules.concat(['insecure-http', 'hardcoded-secret', 'no-timeout', 'polling']).some((r) => b.startsWith(`${r}:`)));
    expect(ruleBars[0] === 'client-secret: 1', `The error finding is not the first bar of "Findings by rule": ${JSON.stringify(ruleBars)}`);
    await wb.restPointer();
    await wb.screenshot('overview');

    // Each bar filters the tree: clicking "client-secret" leaves only the leaked-key call in the API Calls view.
    await wb.webview().locator('svg.chart g.bar[aria-label="client-secret: 1"] rect').click();
    const deadline = Date.now() + 15_000;
    let rows = [];
    for (;;) {
      rows = await wb.treeRows('API Calls');
      const calls = rows.filter((r) => /^(GET|POST|PUT|PATCH|DELETE|\?) /.test(r.label));
      if (calls.length === 1 && calls[0].label === FIXTURE.riskyRowLabel) break;
      if (Date.now() > deadline) throw new Error(`Clicking the client-secret bar did not filter the tree to the leaked call: ${JSON.stringify(rows.map((r) => r.label))}`);
      await wb.page.waitForTimeout(250);
    }
    log(`overview: the client-secret bar filtered the tree to ${rows.map((r) => r.label).join(' > ')}`);
    await wb.runCommand('API Atlas: Clear Filter');
  },
};

/** Every file under a folder with its bytes, for comparing before and after. */
function snapshotFiles(dir) {
  return new Map(listFiles(dir).map((rel) => [rel, fs.readFileSync(path.join(dir, rel))]));
}

/** What differs between two snapshots, in words: files added, removed or changed. */
function compareFiles(before, after) {
  const diff = [];
  for (const [rel, bytes] of before) if (!after.has(rel)) diff.push(`${rel} is gone`);
  else if (!after.get(rel).equals(bytes)) diff.push(`${rel} changed`);
  for (const rel of after.keys()) if (!before.has(rel)) diff.push(`${rel} was added`);
  return diff;
}

/** Every file under a folder, relative, for checking that nothing was created. */
function listFiles(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

/** Packages the current sources unless a .vsix was given; returns its path. */
function ensureVsix() {
  if (options.vsix) {
    const vsix = path.resolve(options.vsix);
    if (!fs.existsSync(vsix)) throw new Error(`No such .vsix: ${vsix}`);
    return vsix;
  }
  log('Packaging the extension (npm run package) ...');
  const result = spawnSync('npm', ['run', 'package', '--silent'], { cwd: repoRoot, stdio: ['ignore', options.verbose ? 'inherit' : 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run package failed (exit ${result.status ?? result.signal}).\n${result.stdout ?? ''}`);
  const vsix = path.join(repoRoot, 'dist', 'api-atlas.vsix');
  log(`Packaged ${path.relative(repoRoot, vsix)} (${(fs.statSync(vsix).size / 1024 / 1024).toFixed(2)} MB)`);
  return vsix;
}

/** Copies the workspace into the run folder (same folder name, so the shots read "examples"): scenarios may edit it. */
function copyFixture(runDir) {
  const target = path.join(runDir, 'workspace', path.basename(FIXTURE_DIR));
  fs.cpSync(FIXTURE_DIR, target, { recursive: true, filter: (src) => !/[\\/](node_modules|\.git)$/.test(src) });
  return target;
}

/**
 * The folder shots are taken into: a temp folder of this run's own (other runs on the machine may be taking theirs at
 * the same time), removed once its shots are copied to --out.
 */
function prepareShotDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'api-atlas-e2e-shots-'));
}

async function main() {
  if (!findChromium()) {
    console.error(CHROMIUM_MISSING_HELP);
    printNotRun('Chromium is not installed');
    return 1;
  }
  const chosen = options.only ? options.only.split(',').map((s) => s.trim()) : Object.keys(SCENARIOS);
  const unknown = chosen.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0) {
    console.error(`[e2e] Unknown scenario(s): ${unknown.join(', ')}. Known: ${Object.keys(SCENARIOS).join(', ')}`);
    printNotRun(`unknown scenario ${unknown.join(', ')}`);
    return 1;
  }
  const timeoutSeconds = Number(options.timeout);
  ensureCodeServer(log);
  const vsix = ensureVsix();
  const shotDir = prepareShotDir();

  const runDir = makeRunDir('api-atlas-e2e-');
  let server;
  let browser;
  const failures = [];
  let stopping = null;
  /** Stops Chromium and code-server (its own process group) once, however the run ends. */
  const stop = () =>
    (stopping ??= (async () => {
      clearTimeout(overall);
      await Promise.race([browser?.close().catch((err) => log(`Closing Chromium: ${err.message}`)), sleep(5000)]);
      await server?.stop();
      removeRunDir(runDir, log);
    })());
  let abortCode = 0;
  let finished = 0;
  const abort = (why, code) => {
    abortCode = code;
    console.error(`[e2e] ${why}`);
    console.log(`\nEnd-to-end: ${finished - failures.length} passed, ${failures.length} failed, ${chosen.length - finished} did not run (${why})`);
    summaryPrinted = true;
    void stop().finally(() => process.exit(code));
  };
  const overall = setTimeout(() => abort(`Timed out after ${timeoutSeconds} s.`, 1), 1000 * timeoutSeconds);
  process.once('SIGINT', () => abort('SIGINT: stopping code-server and Chromium.', 130));
  process.once('SIGTERM', () => abort('SIGTERM: stopping code-server and Chromium.', 143));
  const started = Date.now();
  try {
    const workspace = copyFixture(runDir);
    const extensionsDir = path.join(runDir, 'extensions');
    log(installVsix(vsix, extensionsDir, runDir));
    const settings = {
      // The fixture has no node_modules: TypeScript's "cannot find module 'react'" would crowd the Problems shot.
      'typescript.validate.enable': false,
      'javascript.validate.enable': false,
      // Below the line there is room for the whole hover; above the call it would be cut short and need scrolling.
      'editor.hover.above': false,
      'workbench.colorTheme': options.theme,
    };
    server = await startCodeServer({ runDir, extensionsDir, settings });
    browser = await launchChromium(runDir);
    const page = browser.pages()[0] ?? (await browser.newPage());
    if (options.verbose) page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
    page.setDefaultTimeout(30_000);
    await page.goto(server.url(workspace));
    const wb = new Workbench(page, shotDir, workspace);
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
        await page.keyboard.press('Escape').catch((keyErr) => console.error(`[e2e] could not press Escape: ${keyErr.message}`));
      }
      finished++;
    }
  } catch (err) {
    if (!abortCode) throw err;
  } finally {
    await stop();
  }
  if (abortCode) return abortCode;
  log(`screenshots in ${shotDir} (${Math.round((Date.now() - started) / 1000)} s in code-server)`);
  if (options.out && failures.length === 0) {
    const out = path.resolve(options.out);
    fs.mkdirSync(out, { recursive: true });
    const taken = SHOTS.filter((name) => fs.existsSync(path.join(shotDir, `${name}.png`)));
    for (const name of taken) fs.copyFileSync(path.join(shotDir, `${name}.png`), path.join(out, `${name}.png`));
    log(`copied ${taken.map((n) => `${n}.png`).join(', ')} to ${path.relative(repoRoot, out) || out}`);
    fs.rmSync(shotDir, { recursive: true, force: true });
  } else if (options.out) {
    log(`not copying screenshots to ${options.out}: a scenario failed`);
  }
  console.log(`\nEnd-to-end: ${chosen.length - failures.length} passed, ${failures.length} failed${failures.length ? ` (${failures.join(', ')})` : ''}`);
  summaryPrinted = true;
  return failures.length > 0 ? 1 : 0;
}

// Every way out prints one `End-to-end:` line, so a CI log says when the stage did not run and why.
let summaryPrinted = false;
function printNotRun(why) {
  console.log(`\nEnd-to-end: did not run: ${why}`);
  summaryPrinted = true;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    const why = err instanceof Error ? err.message : String(err);
    console.error(`[e2e] ${why}`);
    if (!summaryPrinted) printNotRun(why.split('\n')[0]);
    process.exit(1);
  },
);
