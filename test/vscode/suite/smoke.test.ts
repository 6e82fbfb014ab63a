// First integration test: the runner opened the requested workspace and API Atlas is installed and activates.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'apiatlas.api-atlas';

suite('Smoke', () => {
  test('the workspace the runner asked for is open', () => {
    // Both runners pass the folder (or .code-workspace file) they opened in this variable.
    const expected = process.env.API_ATLAS_TEST_WORKSPACE;
    assert.ok(expected, 'API_ATLAS_TEST_WORKSPACE is not set: run the suite through npm run test:vscode or test:electron');
    if (expected.endsWith('.code-workspace')) {
      assert.equal(vscode.workspace.workspaceFile?.fsPath, path.resolve(expected));
    } else {
      const opened = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
      assert.deepEqual(opened, [path.resolve(expected)]);
    }
  });

  test(`${EXTENSION_ID} is installed`, () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among the extensions: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ') || '(none but built-ins)'}`);
  });

  test(`${EXTENSION_ID} activates`, async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });
});
