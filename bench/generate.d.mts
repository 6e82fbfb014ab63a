// Types of bench/generate.mjs for the TypeScript that imports it (the engine tests build small workspaces with it).

export const DEFAULT_OUT: string;
export const DEFAULTS: Readonly<{ files: number; seed: number; callShare: number }>;

/** Writes a deterministic monorepo (Next app router, Vite SPA, Express API, shared packages) into `out`. */
export function generateWorkspace(opts?: { out?: string; files?: number; seed?: number; callShare?: number }): { files: number; bytes: number; withCalls: number };

/** The manifest a generated workspace carries, or null when the folder is missing. */
export function readManifest(out?: string): { generator: number; files: number; seed: number; callShare: number } | null;
export function isCurrent(manifest: ReturnType<typeof readManifest>, opts?: { files?: number; seed?: number; callShare?: number }): boolean;
