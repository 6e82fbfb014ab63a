// Public face of the settings phase: reading and validating the apiAtlas.* settings.
export * from './settings';
export * from './table';
