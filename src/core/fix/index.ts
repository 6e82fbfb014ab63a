// Public face of the fix phase that loads without the TypeScript parser: the edit model and which calls the proxy move is for; the planners are the faces fix/simple and fix/proxy, loaded on demand.
export * from './edits';
export * from './proxy/candidates';
export * from './offers';
// The proxy target's shape, for the editor's pickers; type-only, so the face still loads without TypeScript.
export type { ProxyTarget } from './proxy/targets';
