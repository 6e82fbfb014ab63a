// Public face of the index: full scans, incremental updates and change events, the analysis cache and scan snapshot, plus the settings and discovery the bench needs.
export * from './engine';
export * from './analyze';
export { AnalysisCache, cacheFileFor, defaultCacheFolder, engineStamp, type AnalysisCacheStats } from './cache';
export { snapshotFileFor } from './snapshot';
