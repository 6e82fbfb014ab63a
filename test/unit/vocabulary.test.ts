// One vocabulary: the CLI, the hover, the tree and the panel take runtime labels, severity order and active findings from the engine's model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as model from '../../src/core/model';
import * as cli from '../../src/cli/format/common';
import * as views from '../../src/extension/describe';

test('the CLI and the editor views share the model\'s runtime order, labels, severity ranks and active-finding filter', () => {
  assert.equal(cli.RUNTIME_ORDER, model.RUNTIMES);
  assert.equal(views.RUNTIME_ORDER, model.RUNTIMES);
  assert.equal(cli.RUNTIME_LABEL, model.RUNTIME_LABELS);
  assert.equal(views.RUNTIME_LABELS, model.RUNTIME_LABELS);
  assert.equal(cli.SEVERITY_ORDER, model.SEVERITIES);
  assert.equal(views.SEVERITY_RANK, model.SEVERITY_RANK);
  assert.equal(cli.activeFindings, model.activeFindings);
  assert.equal(views.activeFindings, model.activeFindings);
});

test('severity order reads one way: SEVERITIES is most severe first and SEVERITY_RANK grows with severity', () => {
  const ranks = model.SEVERITIES.map((s) => model.SEVERITY_RANK[s]);
  assert.deepEqual(ranks, [...ranks].sort((a, b) => b - a));
  assert.deepEqual(['info', 'error', 'warning'].sort((a, b) => model.bySeverity(a as model.Severity, b as model.Severity)), ['error', 'warning', 'info']);
});

test('no file outside src/core/model spells the runtime list or a severity ranking again', () => {
  const src = path.join(__dirname, '..', '..', 'src');
  const offenders = fs
    .readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts') && !d.parentPath.endsWith(path.join('core', 'model')))
    .map((d) => path.join(d.parentPath, d.name))
    .filter((file) => /'frontend',\s*'backend',\s*'isomorphic',\s*'unknown'|error:\s*(\d),\s*warning:\s*(?!\1)\d|filter\(\(f\) => !f\.silenced\)/.test(fs.readFileSync(file, 'utf8')))
    .map((file) => path.relative(src, file));
  assert.deepEqual(offenders, []);
});
