// Public face of the detect phase: the HTTP calls of one parsed file and the facts the rules need.
export * from './detect';
export * from './facts';
export * from './url-parts';
export * from './credentials';
export * from './error-handling';
export * from './timing';
export * from './url';
export * from './axios';
export * from './libraries';
export * from './inner-requests';
export * from './blind-spots';
