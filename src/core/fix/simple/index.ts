// Public face of the simple fixes: secrets to env vars, server-only env names, timeouts, error handling, ignore comments.
export * from './fixes';
