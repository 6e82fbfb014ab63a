// Public face of the report phase: what a finished scan becomes for CI and agents (finding baselines, the host inventory, the agent tools' schemas and answers); no parser, cheap to import.
export * from './baseline';
export * from './inventory';
export * from './agent-tools';
export * from './display';
