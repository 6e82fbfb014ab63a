// The shapes the classify phase passes between its files: one file's signals, its regions and the contexts they hint at.
import type { Context, Evidence, Runtime, Span } from '../model/types';

/** A framework context a signal points to, with the runtime it implies and how sure it is. */
export interface ContextHint {
  context: Context;
  runtime: Runtime;
  weight: number;
}

/** A span inside a file that runs somewhere else than the file as a whole (getServerSideProps, useEffect...). */
export interface Region {
  span: Span;
  /** What the region is, e.g. `getServerSideProps`, `useEffect callback`, `server action save`. */
  name: string;
  runtime: Runtime;
  context: Context;
  confidence: number;
  evidence: Evidence[];
}

/** One place the file uses a top-level function of its own, and what that place says about where the function runs. */
export type FunctionUse =
  /** Inside a region (a loader, an effect, a client-side data fetcher): the region's side. */
  | { kind: 'side'; runtime: Runtime; context: Context; detail: string }
  /** Called from the body of another top-level function: that function's side. */
  | { kind: 'function'; name: string }
  /** Top-level code, or a use that says nothing more (stored, returned): the module's own side. */
  | { kind: 'module' };

/** A top-level function (`function f`, `const f = () => …`) and every place its own file uses it. */
export interface FunctionUses {
  name: string;
  span: Span;
  /** The names the module exports it under (`default` for `export default`). */
  exportedAs: string[];
  uses: FunctionUse[];
}

/** Everything one file says about where it runs, before looking at the import graph. */
export interface FileSignals {
  rel: string;
  /** File-level evidence, strongest first. */
  evidence: Evidence[];
  contexts: ContextHint[];
  regions: Region[];
  /**
   * Local names of imports that the file uses only inside its server-only exports (a route's `loader`/`action`,
   * a page's `getServerSideProps`/`getStaticProps`): the framework drops them from the browser bundle.
   */
  serverOnlyImports?: string[];
  /**
   * Local names of imports that the file uses only in browser-only code (a client data hook's callbacks, effects,
   * JSX event handlers), and `local.member` for members of an import used only there (`ArenaService.getRooms`):
   * server rendering never reaches them through this file.
   */
  clientOnlyImports?: string[];
  /** Imports the file reads only through members, with those members (`{ ArenaService: ['getRooms'] }`). */
  importedMembers?: Record<string, string[]>;
  /** The context the file's browser-only code runs in (`next-client-component`, `spa`...), when it has client-only imports. */
  browserContext?: Context;
  /** Specifiers the file loads with `next/dynamic(() => import(x), { ssr: false })`: rendered only in the browser. */
  ssrFalseImports?: string[];
  /** The file's top-level functions and their uses, when it was parsed (for placement per function). */
  functions?: FunctionUses[];
  /** The directive of the prologue, if any (only the first statements count). */
  directive: 'use client' | 'use server' | null;
  /** `import 'server-only'` / `'client-only'`, a `.server`/`.client` module: importers cannot change it. */
  boundary: 'server' | 'client' | null;
  /** An entry point of its own: a page, route handler, server main, index.html script, bin, worker. */
  entry: boolean;
  /** A test file (`*.test.*`, `*.spec.*`, `__tests__/`, `e2e/`, `cypress/`, `playwright/`), or a module importing a test framework. */
  test: boolean;
  /**
   * Names the module declares as exports itself (`export function a`, `export { b }`, `export default`), not
   * counting re-exports; null when they cannot be read (CommonJS). Routes names through `export *` barrels.
   */
  exportNames?: string[] | null;
}
