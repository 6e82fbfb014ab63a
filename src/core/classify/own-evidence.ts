// Weighs one file's own evidence into a runtime, a confidence, a strength (is it a propagation source?) and a context.
import type { Context, Runtime } from '../model/types';
import type { ContextHint, FileSignals } from './shapes';

/** Own evidence at least this strong decides a file by itself and makes it a source for propagation. */
export const DECISIVE = 0.6;
/** Evidence at most this heavy (a package's dependencies) never decides a file on its own. */
export const WEAK = 0.3;

/** Combines independent pieces of evidence for one side: two 0.5 signals make 0.75. */
function noisyOr(weights: number[]): number {
  let miss = 1;
  for (const w of weights) miss *= 1 - Math.min(1, Math.max(0, w));
  return 1 - miss;
}

export interface OwnDecision {
  runtime: Runtime;
  confidence: number;
  /** How strong the winning side's evidence is; ≥ DECISIVE makes the file a propagation source. */
  strength: number;
  context: Context;
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Weighs a file's own evidence. Isomorphic evidence does not contradict either side; frontend vs backend does. */
export function decideOwn(signals: Pick<FileSignals, 'evidence' | 'contexts'>): OwnDecision {
  const side = { frontend: [] as number[], backend: [] as number[], isomorphic: [] as number[] };
  const strong = { frontend: [] as number[], backend: [] as number[], isomorphic: [] as number[] };
  for (const e of signals.evidence) {
    if (e.runtime === 'unknown') continue;
    side[e.runtime].push(e.weight);
    if (e.weight > WEAK) strong[e.runtime].push(e.weight);
  }
  const fe = noisyOr(side.frontend);
  const be = noisyOr(side.backend);
  const iso = noisyOr(side.isomorphic);
  const top = Math.max(fe, be, iso);
  if (top === 0) return { runtime: 'unknown', confidence: 0, strength: 0, context: 'unknown' };
  let runtime: Runtime;
  let confidence: number;
  if (iso === top) {
    runtime = 'isomorphic';
    confidence = iso;
  } else if (Math.min(fe, be) >= 0.5 && Math.abs(fe - be) < 0.2) {
    // Strong signals for both sides and neither clearly wins: code meant for both, or a mix to look at.
    runtime = 'isomorphic';
    confidence = 0.45;
  } else if (fe > be) {
    runtime = 'frontend';
    confidence = fe * (1 - 0.5 * be);
  } else {
    runtime = 'backend';
    confidence = be * (1 - 0.5 * fe);
  }
  // Weak evidence (package dependencies) colours the result but never makes a file a propagation source.
  const strength =
    runtime === 'isomorphic' ? Math.max(noisyOr(strong.isomorphic), Math.min(noisyOr(strong.frontend), noisyOr(strong.backend))) : noisyOr(strong[runtime]);
  return { runtime, confidence: round(confidence), strength, context: pickContext(signals.contexts, runtime) };
}

export function pickContext(hints: ContextHint[], runtime: Runtime): Context {
  let best: ContextHint | undefined;
  for (const h of hints) if (h.runtime === runtime && (!best || h.weight > best.weight)) best = h;
  if (best) return best.context;
  return runtime === 'isomorphic' ? 'shared-module' : 'unknown';
}
