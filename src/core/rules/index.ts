// Public face of the rules phase: rule metadata, secrets, third-party hosts and ignore comments and the finding pass.
export * from './catalog';
export * from './secrets';
export * from './hosts';
export * from './ignore-comments';
export * from './findings';
