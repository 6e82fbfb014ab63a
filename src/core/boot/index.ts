// Public face of boot: loading the engine's own bundled files fast (the V8 code cache); needs nothing from the other phases, so the hosts can use it before the engine loads.
export * from './code-cache';
