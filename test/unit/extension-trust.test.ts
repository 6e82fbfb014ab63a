// Restricted Mode: fixes are registered only once the workspace is trusted, with stand-ins until then.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gateUntilTrusted, type TrustSource } from '../../src/extension/trustGate';

function fakeTrust(isTrusted: boolean): TrustSource & { grant(): void } {
  const listeners: (() => void)[] = [];
  return {
    isTrusted,
    onDidGrantWorkspaceTrust(listener) {
      listeners.push(listener);
      return { dispose: () => listeners.splice(listeners.indexOf(listener), 1) };
    },
    grant() {
      [...listeners].forEach((l) => l());
    },
  };
}

function recorder(name: string, log: string[]): () => { dispose(): void }[] {
  return () => {
    log.push(`register ${name}`);
    return [{ dispose: () => void log.push(`dispose ${name}`) }];
  };
}

test('a trusted workspace gets the fixes at once and never the stand-ins', () => {
  const log: string[] = [];
  const gate = gateUntilTrusted(fakeTrust(true), recorder('fixes', log), recorder('refusals', log));
  assert.deepEqual(log, ['register fixes']);
  gate.dispose();
  assert.deepEqual(log, ['register fixes', 'dispose fixes']);
});

test('an untrusted workspace gets the stand-ins, swapped for the fixes when trust is granted', () => {
  const log: string[] = [];
  const trust = fakeTrust(false);
  let granted = 0;
  const gate = gateUntilTrusted(trust, recorder('fixes', log), recorder('refusals', log), () => granted++);
  assert.deepEqual(log, ['register refusals']);
  trust.grant();
  assert.deepEqual(log, ['register refusals', 'dispose refusals', 'register fixes']);
  assert.equal(granted, 1);
  gate.dispose();
  assert.deepEqual(log.slice(-1), ['dispose fixes']);
  trust.grant();
  assert.equal(log.filter((l) => l === 'register fixes').length, 1, 'no listener is left after dispose');
});

test('the composition root registers the fixes through the trust gate, and the manifest declares limited support', () => {
  const root = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'extension', 'extension.ts'), 'utf8');
  assert.match(root, /registerFixesWhenTrusted\(\(\) => registerFixes\(index, log\), log\)/);
  assert.doesNotMatch(root, /\.\.\.registerFixes\(/, 'fixes are never registered outside the gate');
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } } };
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['apiAtlas.rules', 'apiAtlas.exclude', 'apiAtlas.runtimeOverrides', 'apiAtlas.wrappers']);
});
