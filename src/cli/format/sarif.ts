// `--format sarif`: SARIF 2.1.0 for code-scanning tools (GitHub, Azure DevOps, SonarQube imports), one result per finding.
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { RULES } from '../../core/rules';
import { RULE_IDS, type RuleId, type ScanResult, type Severity, type TopicId } from '../../core/model';
import { maskSecrets, sortCalls, sortFindings } from './common';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** What SARIF needs to know about a rule; `src/core/rules/catalog.ts` RULES provides it. */
export interface RuleMeta {
  title: string;
  defaultSeverity: Severity;
  topics?: readonly TopicId[];
  /** One or two sentences: SARIF fullDescription. */
  summary?: string;
  /** The rule page relative to the repository root; `docs/rules/<id>.md` when absent. */
  docPath?: string;
}

export interface SarifOptions {
  /** The tool's version (package.json). */
  version: string;
  /** Rule metadata by id; missing ids fall back to the engine's RULES. */
  rules?: Partial<Record<RuleId, RuleMeta>>;
  /** Base for rule pages, e.g. `https://github.com/o/r/blob/HEAD/`; without it helpUri is relative (`docs/rules/<id>.md`). */
  docsBaseUrl?: string;
  /** The project's home page for tool.driver.informationUri. */
  informationUri?: string;
}

const LEVEL: Readonly<Record<Severity, Sarif.ReportingConfiguration.level>> = { error: 'error', warning: 'warning', info: 'note' };

export function toSarifLog(result: ScanResult, options: SarifOptions): Sarif.Log {
  const rules: Sarif.ReportingDescriptor[] = RULE_IDS.map((id) => {
    const meta = options.rules?.[id] ?? RULES[id];
    const rule: Sarif.ReportingDescriptor = {
      id,
      name: toPascalCase(id),
      shortDescription: { text: meta.title },
      helpUri: `${options.docsBaseUrl ?? ''}${meta.docPath ?? `docs/rules/${id}.md`}`,
      defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
    };
    if (meta.summary) rule.fullDescription = { text: meta.summary };
    if (meta.topics && meta.topics.length > 0) rule.properties = { tags: [...meta.topics] };
    return rule;
  });
  const ruleIndex = new Map<string, number>(RULE_IDS.map((id, i) => [id, i]));

  const results: Sarif.Result[] = [];
  for (const call of sortCalls(result.calls)) {
    for (const finding of sortFindings(call.findings)) {
      const sarifResult: Sarif.Result = {
        ruleId: finding.rule,
        ruleIndex: ruleIndex.get(finding.rule),
        level: LEVEL[finding.severity],
        message: { text: maskSecrets(finding.message) },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: encodeRelativeUri(call.file), uriBaseId: '%SRCROOT%' },
              region: {
                startLine: call.range.start.line,
                startColumn: call.range.start.column,
                endLine: call.range.end.line,
                endColumn: call.range.end.column,
              },
            },
          },
        ],
        // Lets code-scanning services follow a finding across commits while the call does not move.
        partialFingerprints: { 'apiAtlasCall/v1': `${call.id}:${finding.rule}` },
        properties: { runtime: call.runtime, context: call.context, client: call.client, topics: [...finding.topics] },
      };
      if (finding.silenced) sarifResult.suppressions = [{ kind: 'inSource' }];
      results.push(sarifResult);
    }
  }

  const driver: Sarif.ToolComponent = { name: 'api-atlas', version: options.version, semanticVersion: options.version, rules };
  if (options.informationUri) driver.informationUri = options.informationUri;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        originalUriBaseIds: { '%SRCROOT%': { uri: directoryUri(result.root) } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function formatSarif(result: ScanResult, options: SarifOptions): string {
  return `${JSON.stringify(toSarifLog(result, options), null, 2)}\n`;
}

/** `file:///abs/root/`: a base URI must end with a slash for relative uris to resolve inside it. */
function directoryUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** A relative path as a URI reference: each segment percent-encoded, slashes kept. */
function encodeRelativeUri(rel: string): string {
  return rel.split('/').map(encodeURIComponent).join('/');
}

function toPascalCase(id: string): string {
  return id.replace(/(^|-)([a-z])/g, (_m, _dash: string, ch: string) => ch.toUpperCase());
}
