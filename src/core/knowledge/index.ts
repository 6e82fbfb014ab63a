// Public face of the knowledge base: loading topics and the decision guide's answers.
export * from './knowledge';
export * from './decide';
