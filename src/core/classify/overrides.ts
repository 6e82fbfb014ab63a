// The user's apiAtlas.runtimeOverrides: which glob decides a file, with the matchers compiled once per settings.
import picomatch from 'picomatch';
import type { Runtime } from '../model/types';

const overrideMatcherCache = new Map<string, { glob: string; runtime: Runtime; match: (rel: string) => boolean }[]>();

function overrideMatchers(overrides: Record<string, Runtime>) {
  const key = JSON.stringify(overrides);
  let matchers = overrideMatcherCache.get(key);
  if (!matchers) {
    matchers = Object.entries(overrides).map(([glob, runtime]) => ({ glob, runtime, match: picomatch(glob, { dot: true }) }));
    if (overrideMatcherCache.size > 20) overrideMatcherCache.clear();
    overrideMatcherCache.set(key, matchers);
  }
  return matchers;
}

/** The `runtimeOverrides` entry that decides a file (the last matching glob), or null. Matchers are compiled once per settings. */
export function runtimeOverrideFor(rel: string, overrides: Record<string, Runtime>): { glob: string; runtime: Runtime } | null {
  let found: { glob: string; runtime: Runtime } | null = null;
  for (const m of overrideMatchers(overrides)) if (m.match(rel)) found = m;
  return found;
}
