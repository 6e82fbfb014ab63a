// Public face of the classify phase: where each file and call runs, from its signals and the import graph.
export * from './classify';
export * from './signals';
export * from './regions';
export { importEdgesOf, type ClassifyInput, type FileClassification, type ImportEdge } from './graph-input';
export { DECISIVE, decideOwn } from './own-evidence';
export { runtimeOverrideFor } from './overrides';
