// The engine's public data shapes: calls, findings, evidence, settings and scan results.
export * from './types';
export * from './libraries';
export * from './vocabulary';
