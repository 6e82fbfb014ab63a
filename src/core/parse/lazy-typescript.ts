// What `import ts from 'typescript'` gives inside the bundles (esbuild.js): the compiler, loaded from dist/typescript.js the first time any of its names is read.
import * as path from 'node:path';
import { loadWithCodeCache, type CodeCacheLoad } from '../boot/code-cache';

let loaded: CodeCacheLoad | null = null;
let face: Record<string, unknown> | null = null;

/** How the bundled compiler was loaded in this thread (null while nothing needed it): the code cache's answer and the time. */
export function typeScriptLoad(): Omit<CodeCacheLoad, 'exports'> | null {
  return loaded && { cache: loaded.cache, ms: loaded.ms };
}

/**
 * An object with TypeScript's export names (known when the bundle is built) whose first read loads the compiler
 * and then becomes that compiler's own property: from then on a read costs what it costs on TypeScript's module.
 * The enums the engine reads (`enums`, copied when the bundle was built) are there from the start, as data.
 * Starting the CLI, answering from the analysis cache and drawing the editor's views then never compile the
 * ~9 MB compiler.
 */
export function lazyTypeScript(names: readonly string[], enums: Readonly<Record<string, object>> = {}, file = path.join(__dirname, 'typescript.js')): Record<string, unknown> {
  if (face) return face;
  const lazy: Record<string, unknown> = {};
  const load = (): Record<string, unknown> => {
    if (!loaded) {
      loaded = loadWithCodeCache(file);
      const real = loaded.exports as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(real)) Object.defineProperty(lazy, name, Object.getOwnPropertyDescriptor(real, name)!);
    }
    return loaded.exports as Record<string, unknown>;
  };
  for (const name of names) {
    if (name in enums) Object.defineProperty(lazy, name, { configurable: true, enumerable: true, value: enums[name] });
    else Object.defineProperty(lazy, name, { configurable: true, enumerable: true, get: () => load()[name] });
  }
  return (face = lazy);
}
