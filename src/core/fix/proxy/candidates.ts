// Which calls "Move behind a server proxy" is for; kept apart from the planner so the editor's views can ask without loading TypeScript.
import type { Runtime } from '../../model/types';

/** Offered for calls that run, or may run, in the browser; a call on the server needs no proxy in front of it. */
export function isProxyCandidate(runtime: Runtime): boolean {
  return runtime === 'frontend' || runtime === 'isomorphic';
}
