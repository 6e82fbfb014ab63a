// What classification reads and gives back: the files' signals with the import graph (and the names each edge takes), and a file's classification.
import type { ImportRecord } from '../graph/imports';
import type { Context, Evidence, Runtime, Span } from '../model/types';
import type { FileSignals } from './shapes';

/** One import or re-export of a module, resolved, with the names it takes (for propagation through barrels). */
export interface ImportEdge {
  target: string;
  /** `import`: the module's own code uses the target; `reexport`: it only passes the target's names on. */
  kind: 'import' | 'reexport';
  /**
   * `imported`: the target's export (`default`, `*` for a namespace); `local`: for re-exports, the name this
   * module exports it as. Null: the whole module (require, dynamic import); empty: a side-effect import.
   */
  names: { imported: string; local: string }[] | null;
  /** `export * from 'x'`: every name of the target that this module does not export itself. */
  star?: boolean;
}

export interface ClassifyInput {
  files: Map<string, FileSignals>;
  /** Files `rel` imports, resolved to workspace-relative paths. */
  imports: (rel: string) => string[];
  /** Files that import `rel`. */
  importers: (rel: string) => string[];
  /** `apiAtlas.runtimeOverrides`: glob → runtime; when several match, the last one listed wins. */
  overrides: Record<string, Runtime>;
  /**
   * Optional: the import edges of `rel` with the names they take (see `importEdgesOf`). With them, a module
   * behind a barrel (`index.ts` of `export *` lines) is reached only from importers that use one of its names,
   * so one client import of a barrel does not make every server helper behind it isomorphic. Without them,
   * `imports` is followed module by module.
   */
  importEdges?: (rel: string) => ImportEdge[];
}

/** The edges of one module from its import records, with `resolve` mapping a specifier to a workspace file. */
export function importEdgesOf(records: readonly ImportRecord[], resolve: (specifier: string) => string | null | undefined): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const r of records) {
    if (r.typeOnly) continue;
    const target = resolve(r.specifier);
    if (!target) continue;
    if (r.kind === 'export') {
      edges.push(r.star && r.names.length === 0 ? { target, kind: 'reexport', names: null, star: true } : { target, kind: 'reexport', names: r.names.map((n) => ({ ...n })) });
    } else if (r.kind === 'import') {
      edges.push({ target, kind: 'import', names: r.names.map((n) => ({ ...n })) });
    } else if (r.kind === 'side-effect') {
      edges.push({ target, kind: 'import', names: [] });
    } else {
      edges.push({ target, kind: 'import', names: null });
    }
  }
  return edges;
}

export interface FileClassification {
  runtime: Runtime;
  context: Context;
  confidence: number;
  evidence: Evidence[];
  /** Top-level functions that run elsewhere than the file as a whole, decided from where they are called. */
  functions?: { name: string; span: Span; placement: FileClassification }[];
}
