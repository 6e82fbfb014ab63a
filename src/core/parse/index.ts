// Public face of the parse phase: the code-text lexer, statement focusing, node order and lexical scopes.
export * from './syntax-order';
export * from './code-text';
export * from './focus';
export * from './scope';
export * from './parser';
export * from './depth';
export { typeScriptLoad } from './lazy-typescript';
