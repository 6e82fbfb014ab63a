// Public face of the rules phase: rule metadata, secrets, third-party hosts and ignore comments (the finding pass joins once it parses nothing).
export * from './catalog';
export * from './secrets';
export * from './hosts';
export * from './ignore-comments';
