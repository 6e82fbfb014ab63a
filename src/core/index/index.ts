// Public face of the index: full scans, incremental updates and change events, plus the settings and discovery the bench needs.
export * from './engine';
export * from './analyze';
