// Carries the runtime of decisive files through the import graph (breadth-first, by the names each importer takes) and words the paths it finds.
import type { Context, Runtime } from '../model/types';
import type { ClassifyInput, ImportEdge } from './graph-input';

/** At most this many intermediate modules are named in an import-path sentence. */
const MAX_PATH_SHOWN = 4;

export const RUNS_WHERE: Record<Runtime, string> = {
  frontend: 'in the browser',
  backend: 'on the server',
  isomorphic: 'in the browser and on the server',
  unknown: 'somewhere unknown',
};

/** A file decided by its own evidence or an override, whose runtime reaches the files it imports. */
export interface Source {
  runtime: Runtime;
  context: Context;
  confidence: number;
  label: string;
}

export interface Reach {
  /** rel → the importer it was first reached from (BFS parent); sources map to themselves. */
  parent: Map<string, string>;
  depth: Map<string, number>;
}

/** Names a module is needed for: `all` (its whole surface) or a set of export names. */
type Needed = 'all' | Set<string>;

/** Adds `more` to `current`; returns the union and whether it grew. */
function mergeNeeded(current: Needed | undefined, more: Needed): { needed: Needed; grew: boolean } {
  if (current === undefined) return { needed: more === 'all' ? 'all' : new Set(more), grew: true };
  if (current === 'all') return { needed: current, grew: false };
  if (more === 'all') return { needed: 'all', grew: true };
  let grew = false;
  for (const n of more) {
    if (!current.has(n)) {
      current.add(n);
      grew = true;
    }
  }
  return { needed: current, grew };
}

/** The names `more` adds to `current` (before merging them), or null when it adds none. */
function addedNames(current: Needed, more: Needed): Needed | null {
  if (current === 'all') return null;
  if (more === 'all') return 'all';
  let added: Set<string> | null = null;
  for (const n of more) if (!current.has(n)) (added ??= new Set()).add(n);
  return added;
}

/** What an `import` edge takes from its target: the imported names, or everything for a namespace/require. */
function importedNames(edge: ImportEdge): Needed {
  if (edge.names === null || edge.names.some((n) => n.imported === '*')) return 'all';
  return new Set(edge.names.map((n) => n.imported));
}

/**
 * The names a module passes on through one re-export edge, given the names it is needed for; null when the
 * edge is not used. `export *` passes what the module does not export itself, narrowed to the target's own
 * exports when they are known and the target is not a barrel of its own.
 */
function reexportedNames(edge: ImportEdge, needed: Needed, from: string, info: (rel: string) => ModuleNames): Needed | null {
  if (edge.names !== null) {
    const used = needed === 'all' ? edge.names : edge.names.filter((n) => needed.has(n.local));
    if (used.length === 0) return null;
    return used.some((n) => n.imported === '*') ? 'all' : new Set(used.map((n) => n.imported));
  }
  if (needed === 'all') return 'all';
  const own = info(from).ownOrReexported;
  let passed = [...needed].filter((n) => !own.has(n) && n !== 'default');
  const target = info(edge.target);
  const targetExports = target.exports;
  if (targetExports && !target.isBarrel) passed = passed.filter((n) => targetExports.has(n));
  return passed.length > 0 ? new Set(passed) : null;
}

/** What reexportedNames needs of a module, worked out once per module and propagation (barrels are asked per name set). */
interface ModuleNames {
  /** Names it exports itself or re-exports by name. */
  ownOrReexported: ReadonlySet<string>;
  /** Its own export names, when known. */
  exports: ReadonlySet<string> | null;
  /** Whether it re-exports anything. */
  isBarrel: boolean;
}

function moduleNamesOf(input: ClassifyInput, edgesOf: (rel: string) => ImportEdge[]): (rel: string) => ModuleNames {
  const cache = new Map<string, ModuleNames>();
  return (rel) => {
    let names = cache.get(rel);
    if (!names) {
      const exportNames = input.files.get(rel)?.exportNames;
      const ownOrReexported = new Set(exportNames ?? []);
      let isBarrel = false;
      for (const e of edgesOf(rel)) {
        if (e.kind !== 'reexport') continue;
        isBarrel = true;
        if (e.names) for (const n of e.names) ownOrReexported.add(n.local);
      }
      names = { ownOrReexported, exports: exportNames ? new Set(exportNames) : null, isBarrel };
      cache.set(rel, names);
    }
    return names;
  };
}

/**
 * Breadth-first from the sources through modules without a decisive signal of their own. With import edges,
 * each module is reached for the names its importers use, and re-exports are followed only for those names.
 */
export function propagate(seeds: string[], stopAt: (rel: string) => boolean, input: ClassifyInput, browserSide = false): Reach {
  const parent = new Map<string, string>();
  const depth = new Map<string, number>();
  const needed = new Map<string, Needed>();
  const edgesOf = input.importEdges ?? ((rel: string) => input.imports(rel).map((target): ImportEdge => ({ target, kind: 'import', names: null })));
  const info = moduleNamesOf(input, edgesOf);
  const queue: string[] = [];
  for (const s of seeds) {
    parent.set(s, s);
    depth.set(s, 0);
    needed.set(s, 'all');
    queue.push(s);
  }
  // Names that reached a module since it was last processed: a barrel that many importers reach is processed
  // again for the names each one adds, not for all of them each time.
  const pending = new Map<string, Needed>();
  for (const s of seeds) pending.set(s, 'all');
  const reach = (from: string, to: string, names: Needed): void => {
    if (to === from || !input.files.has(to) || stopAt(to)) return;
    const before = needed.get(to);
    const added = before === undefined ? null : addedNames(before, names);
    const merged = mergeNeeded(before, names);
    needed.set(to, merged.needed);
    if (!parent.has(to)) {
      parent.set(to, from);
      depth.set(to, depth.get(from)! + 1);
      queue.push(to);
      pending.set(to, merged.needed);
    } else if (merged.grew && added !== null) {
      const waiting = pending.get(to);
      if (waiting === undefined) {
        pending.set(to, added);
        queue.push(to); // new names to route through its re-exports
      } else {
        pending.set(to, mergeNeeded(waiting, added).needed);
      }
    }
  };
  for (let head = 0; head < queue.length; head++) {
    const from = queue[head];
    const names = pending.get(from);
    if (names === undefined) continue;
    pending.delete(from);
    const serverOnly = browserSide ? input.files.get(from)?.serverOnlyImports : undefined;
    for (const edge of edgesOf(from)) {
      if (edge.kind === 'import') {
        if (serverOnly && edge.names && edge.names.length > 0 && edge.names.every((n) => serverOnly.includes(n.local))) continue; // only the loader uses it
        reach(from, edge.target, importedNames(edge));
      } else {
        const passed = reexportedNames(edge, names, from, info);
        if (passed) reach(from, edge.target, passed);
      }
    }
  }
  return { parent, depth };
}

/** The source a file was reached from and the modules in between, nearest first. */
export function pathTo(reach: Reach, rel: string): { source: string; via: string[] } {
  const via: string[] = [];
  let at = reach.parent.get(rel)!;
  while (reach.parent.get(at) !== at) {
    via.push(at);
    at = reach.parent.get(at)!;
  }
  return { source: at, via: via.reverse() };
}

export function describePath(source: string, label: string, via: string[]): string {
  let text = `imported by ${source} (${label})`;
  if (via.length > 0) {
    const shown = via.length > MAX_PATH_SHOWN ? [...via.slice(0, 2), '…', ...via.slice(-1)] : via;
    text += ` via ${shown.join(' → ')}`;
  }
  return text;
}
