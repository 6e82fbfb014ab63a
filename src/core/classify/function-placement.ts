// Places each top-level function of a file from where it is called (its own file's regions and the importers that take its name), when that differs from its file.
import type { Context, Runtime } from '../model/types';
import type { FunctionUses } from './shapes';
import type { ClassifyInput, FileClassification } from './graph-input';
import { pickContext } from './own-evidence';
import { RUNS_WHERE } from './propagation';

/** What one use of a function says: a side, with the sentence that shows it. */
interface SideReason {
  runtime: 'frontend' | 'backend' | 'isomorphic';
  context: Context;
  detail: string;
}

/**
 * Decides each top-level function of a parsed file from where it is called: the regions and functions of its
 * own file that use it, and the importers that take its exported name (not every importer of the module). A
 * function reached from one side only runs there, even when its module is shared; the evidence names the path.
 * Files whose exports a framework or directive fixes ('use server', 'server-only', .server/.client) are left as they are.
 */
export function placeFunctions(input: ClassifyInput, result: Map<string, FileClassification>): void {
  for (const [rel, signals] of input.files) {
    const fns = signals.functions;
    const file = result.get(rel);
    if (!fns || fns.length === 0 || !file || signals.test || signals.directive || signals.boundary || file.context === 'test') continue;
    if (file.evidence[0]?.signal === 'runtime-override') continue;
    if (!fns.some((f) => f.uses.length > 0 || f.exportedAs.length > 0)) continue;
    const byName = new Map(fns.map((f) => [f.name, f]));
    // Worked out on first need: most functions are decided by their own file's uses alone.
    let importerNamesCache: ReturnType<typeof importersByName> | undefined;
    const importerNamesOf = () => (importerNamesCache === undefined ? (importerNamesCache = importersByName(input, rel)) : importerNamesCache);
    const memo = new Map<string, SideReason[] | null>();
    const sidesOf = (fn: FunctionUses, visiting: Set<string>): SideReason[] | null => {
      if (memo.has(fn.name)) return memo.get(fn.name)!;
      if (visiting.has(fn.name)) return [];
      visiting.add(fn.name);
      const out: SideReason[] = [];
      let moduleSide = false;
      for (const use of fn.uses) {
        if (use.kind === 'side') {
          if (use.runtime !== 'unknown') out.push({ runtime: use.runtime, context: use.context, detail: `\`${fn.name}\` is ${use.detail}` });
        } else if (use.kind === 'function') {
          const inner = byName.get(use.name);
          const sides = inner ? sidesOf(inner, visiting) : null;
          if (sides === null) moduleSide = true;
          else for (const s of sides) out.push({ ...s, detail: `\`${fn.name}\` is called by ${s.detail}` });
        } else {
          moduleSide = true;
        }
      }
      for (const name of moduleSide ? [] : fn.exportedAs) {
        const importerNames = importerNamesOf();
        const importers = importerNames === null ? null : importerNames.get(name) ?? [];
        if (importers === null || importerNames?.has('*')) {
          moduleSide = true;
          continue;
        }
        for (const { importer, inLoaderOnly } of importers) {
          const at = result.get(importer);
          if (!at || at.context === 'test' || (at.runtime !== 'frontend' && at.runtime !== 'backend' && at.runtime !== 'isomorphic')) continue;
          if (inLoaderOnly) {
            const nextPage = input.files.get(importer)?.evidence.some((e) => e.signal === 'next-pages-page');
            out.push({ runtime: 'backend', context: nextPage ? 'next-pages-data' : 'remix-server', detail: `\`${fn.name}\` is used only in the server exports of ${importer}` });
          }
          else out.push({ runtime: at.runtime, context: at.context, detail: `\`${fn.name}\` is imported by ${importer}, which runs ${RUNS_WHERE[at.runtime]}` });
        }
      }
      visiting.delete(fn.name);
      // A use that says nothing more than "the module" makes the function as shared as its module.
      const sides = moduleSide ? null : out;
      memo.set(fn.name, sides);
      return sides;
    };
    const placed: NonNullable<FileClassification['functions']> = [];
    for (const fn of fns) {
      const sides = sidesOf(fn, new Set());
      if (!sides || sides.length === 0) continue; // never called here nor imported by name: the framework calls it
      const front = sides.some((s) => s.runtime !== 'backend');
      const back = sides.some((s) => s.runtime !== 'frontend');
      const runtime: Runtime = front && back ? 'isomorphic' : front ? 'frontend' : 'backend';
      if (runtime === file.runtime) continue;
      const shown = [...new Set(sides.map((s) => s.detail))];
      const context = runtime === 'isomorphic' ? 'shared-module' : sides.find((s) => s.runtime === runtime)!.context;
      const detail = `${shown.slice(0, 3).join('; ')}${shown.length > 3 ? `; and ${shown.length - 3} more` : ''}: it runs ${RUNS_WHERE[runtime]}${runtime === 'isomorphic' ? '' : ' only'}`;
      placed.push({
        name: fn.name,
        span: fn.span,
        placement: {
          runtime,
          context: runtime === 'isomorphic' || (context !== 'unknown' && context !== 'shared-module') ? context : pickContext(signals.contexts, runtime),
          confidence: runtime === 'isomorphic' ? 0.7 : 0.8,
          evidence: [{ signal: 'function-reachability', detail, runtime, weight: 0.8 }, ...file.evidence],
        },
      });
    }
    if (placed.length > 0) result.set(rel, { ...file, functions: placed });
  }
}

/** Importers of `rel` by the export name they take; `*` when one takes the whole module; null when edges are unknown. */
function importersByName(input: ClassifyInput, rel: string): Map<string, { importer: string; inLoaderOnly: boolean }[]> | null {
  if (!input.importEdges) return null;
  const out = new Map<string, { importer: string; inLoaderOnly: boolean }[]>();
  const add = (name: string, importer: string, inLoaderOnly = false) => {
    const list = out.get(name);
    if (list) list.push({ importer, inLoaderOnly });
    else out.set(name, [{ importer, inLoaderOnly }]);
  };
  for (const importer of input.importers(rel)) {
    const signals = input.files.get(importer);
    if (!signals) continue;
    for (const edge of input.importEdges(importer)) {
      if (edge.target !== rel) continue;
      if (edge.kind === 'reexport' || edge.names === null) add('*', importer);
      else for (const n of edge.names) add(n.imported, importer, signals.serverOnlyImports?.includes(n.local) ?? false);
    }
  }
  return out;
}
