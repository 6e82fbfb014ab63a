// The engine fuzzer's short CI budget (npm run fuzz runs longer): fixed seed, the first 250 rounds (the same inputs on
// any machine; 120 s at most on a very slow one), nothing found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz } from '../fuzz/fuzz';

test('fuzzing the engine for 250 rounds (seed 1) finds no crash, no file over 5 s, no lost call and no scan/update disagreement', async () => {
  const report = await fuzz({ seconds: 120, maxRounds: 250, seed: 1, emptyFiles: 2000 });
  assert.ok(report.rounds > 0 && report.inputs > 100, `ran ${report.rounds} rounds, ${report.inputs} inputs`);
  assert.deepEqual({ crashes: report.crashes, slowFiles: report.slowFiles, lostCalls: report.lostCalls, disagreements: report.disagreements }, { crashes: [], slowFiles: [], lostCalls: [], disagreements: [] });
});
