// TanStack Query's default query function: `new QueryClient({ defaultOptions: { queries: { queryFn } } })` fetches every key that has no queryFn of its own; which function it is, so the engine can link those keys to it.
import ts from 'typescript';
import { isFunctionLike, unwrap } from '../parse/scope';
import { functionName, getProp, type FactContext } from './facts';

/**
 * The default query function of a QueryClient made in this file: a function of this file (`file` + `name`), or
 * an import (`module` + `imported`, resolved by the engine to the exporting file and its function of that name).
 */
export interface QueryFnDefault {
  name: string;
  file?: string;
  module?: string;
  imported?: string;
  /** The line of `new QueryClient(...)`, for messages. */
  line: number;
}

/** `new QueryClient({ defaultOptions: { queries: { queryFn: X } } })` with QueryClient imported from one of `packages`. */
export function findQueryFnDefaults(fx: FactContext, rel: string, nodes: readonly ts.Node[], packages: readonly string[]): QueryFnDefault[] {
  const out: QueryFnDefault[] = [];
  for (const n of nodes) {
    if (!ts.isNewExpression(n) || !n.arguments?.length) continue;
    const callee = unwrap(n.expression);
    if (!ts.isIdentifier(callee)) continue;
    const b = fx.scopes.lookup(callee.text, callee);
    if (!b || b.kind !== 'import' || b.imported !== 'QueryClient' || !packages.includes(b.module)) continue;
    const queryFn = getProp(fx, getProp(fx, getProp(fx, n.arguments[0], 'defaultOptions'), 'queries'), 'queryFn');
    if (!queryFn) continue;
    const line = fx.sf.getLineAndCharacterOfPosition(n.getStart(fx.sf)).line + 1;
    const fn = unwrap(queryFn);
    if (isFunctionLike(fn)) {
      const name = functionName(fn, fx.sf);
      if (name) out.push({ name, file: rel, line });
      continue;
    }
    if (!ts.isIdentifier(fn)) continue;
    const target = fx.scopes.lookup(fn.text, fn);
    if (target && target.kind === 'import') out.push({ name: fn.text, module: target.module, imported: target.imported, line });
    else if (target && (target.kind === 'function' || target.kind === 'var')) out.push({ name: fn.text, file: rel, line });
  }
  return out;
}
