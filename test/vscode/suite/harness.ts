// Shared by the integration suites: the extension's API, the fixture folders the runner opened, and waiting on the index.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AtlasApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'apiatlas.api-atlas';
/**
 * Waits are for the background index, VS Code's file events and the panel's page, never assertions about speed:
 * each ends as soon as its event arrives, and the overall limit is generous so a loaded machine does not fail them.
 */
export const WAIT_MS = 90_000;

export type Probe<T> = () => T | undefined | null | false | Promise<T | undefined | null | false>;

export async function activateAtlas(): Promise<AtlasApi> {
  const extension = vscode.extensions.getExtension<AtlasApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.activate();
}

/** A folder of the multi-root test workspace, by name, with a message that says how to open it when it is missing. */
export function fixtureFolder(name: string): vscode.WorkspaceFolder {
  const found = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
  assert.ok(
    found,
    `The ${name} fixture folder is not open. Run the suite on test/fixtures/vscode-workspace/atlas.code-workspace ` +
      `(node test/vscode/runCodeServer.mjs --folder test/fixtures/vscode-workspace/atlas.code-workspace).`,
  );
  return found;
}

/**
 * Polls `probe` after each idle point of the index until it answers, or fails naming what it waited for. A probe
 * that throws (a webview that has not answered yet) is asked again until the overall limit; its last error is
 * then part of the failure.
 */
export async function waitForIndex<T>(api: AtlasApi, what: string, probe: Probe<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  let lastError: unknown;
  for (;;) {
    await api.whenIdle();
    try {
      const value = await probe();
      if (value) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const cause = lastError === undefined ? '' : `; the last attempt failed: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      throw new Error(`Gave up waiting for ${what} after ${WAIT_MS / 1000} s${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Saves a document until it is clean. On a loaded machine `save()` can answer false while an earlier save of the
 * same document (a command's own) is still under way; each retry waits for that, within the overall limit.
 */
export async function saveUntilClean(document: vscode.TextDocument, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  let attempts = 0;
  while (document.isDirty) {
    attempts++;
    if (await document.save()) return;
    if (Date.now() > deadline) throw new Error(`could not save ${what}: still unsaved after ${attempts} attempts in ${WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
