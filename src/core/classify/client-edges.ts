// Which import edges carry only the browser side (an import used only in browser-only code, an ssr:false dynamic import), and how an importer uses one export.
import type { FileSignals } from './shapes';

/** The parts of an import edge these answers need (the edge type lives with the classifier). */
interface EdgeView {
  kind: 'import' | 'reexport';
  names: { imported: string; local: string }[] | null;
  /** The specifier as the importer wrote it, when known. */
  specifier?: string;
}

/**
 * Whether server rendering cannot follow this edge: the importer uses every name it takes only in browser-only
 * code (`queryFn: () => ArenaService.getRooms()`, a `useEffect` callback, an `onClick`), or loads the module with
 * `next/dynamic(() => import(x), { ssr: false })`. The browser side still follows it.
 */
export function browserOnlyEdge(edge: EdgeView, importer: Pick<FileSignals, 'clientOnlyImports' | 'ssrFalseImports'> | undefined): boolean {
  if (!importer || edge.kind !== 'import') return false;
  if (edge.specifier !== undefined && edge.names === null && importer.ssrFalseImports?.includes(edge.specifier)) return true;
  const client = importer.clientOnlyImports;
  return client !== undefined && edge.names !== null && edge.names.length > 0 && edge.names.every((n) => client.includes(n.local));
}

/**
 * How an importer uses the binding `local` (or its member `local.member`): only in server exports, only in
 * browser-only code, anywhere, or not at all (it reads other members of that import only).
 */
export function importerUse(importer: Pick<FileSignals, 'clientOnlyImports' | 'serverOnlyImports' | 'importedMembers'>, local: string, member?: string): 'server' | 'browser' | 'any' | 'none' {
  const members = member === undefined ? undefined : importer.importedMembers?.[local];
  if (members && !members.includes(member!)) return 'none';
  if (importer.serverOnlyImports?.includes(local)) return 'server';
  const client = importer.clientOnlyImports;
  if (client && (client.includes(local) || (member !== undefined && client.includes(`${local}.${member}`)))) return 'browser';
  return 'any';
}

/** `ArenaService.getRooms` → the export `ArenaService` and its member `getRooms`; a plain name has no member. */
export function splitMemberName(name: string): { exported: string; member?: string } {
  const dot = name.indexOf('.');
  return dot === -1 ? { exported: name } : { exported: name.slice(0, dot), member: name.slice(dot + 1) };
}
