// Public face of the module graph: import extraction, import resolution and package.json facts.
export * from './imports';
export * from './resolve';
export * from './packages';
