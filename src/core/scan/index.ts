// Public face of the scan phase: finding the workspace's source files and reading them (ignore rules, limits, env files, script blocks).
export * from './discovery';
