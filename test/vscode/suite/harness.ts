// Shared by the integration suites: the extension's API, the fixture folders the runner opened, and waiting on the index.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AtlasApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'apiatlas.api-atlas';
/** Waits are for the background index and VS Code's file events, never assertions about speed. */
export const WAIT_MS = 20_000;

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

/** Polls `probe` after each idle point of the index until it answers, or fails naming what it waited for. */
export async function waitForIndex<T>(api: AtlasApi, what: string, probe: Probe<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    await api.whenIdle();
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
