// Public face of the module graph: import extraction, import resolution, package.json facts, and the graph of a workspace's files with their export tables.
export * from './imports';
export * from './resolve';
export * from './packages';
export * from './module-graph';
