// The list one file's signals are written into: each piece of evidence with the framework context it points to.
import type { ContextHint } from './shapes';
import type { Context, Evidence, Runtime } from '../model/types';

/** Builds the evidence list and the context hints together, so each signal says which context it points to. */
export class SignalSink {
  readonly evidence: Evidence[] = [];
  readonly contexts: ContextHint[] = [];
  entry = false;

  add(signal: string, runtime: Runtime, weight: number, detail: string, context?: Context): void {
    this.evidence.push({ signal, detail, runtime, weight });
    if (context) this.contexts.push({ context, runtime, weight });
  }

  has(signal: string): boolean {
    return this.evidence.some((e) => e.signal === signal);
  }
}

/** Up to four distinct names, comma-separated, for an evidence sentence. */
export function listNames(names: Iterable<string>): string {
  return [...new Set(names)].slice(0, 4).join(', ');
}
