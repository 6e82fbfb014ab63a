// `--format json`: exactly the scan object of docs/design.md §2, with the engine's internal facts left out.
import { fixOffersFor, type FixId } from '../../core/fix';
import type { Call, CallFacts, Finding, ScanResult } from '../../core/model';
import { maskSecrets } from './common';

/**
 * Builds each call key by key rather than spreading it, so nothing internal (facts, spans, literals) can leak.
 * Silenced findings stay in the list with `"silenced": true`, so a consumer can grey them out like the editor does.
 */
export function toJsonResult(result: ScanResult): ScanResult {
  return {
    tool: result.tool,
    version: result.version,
    root: result.root,
    calls: result.calls.map(toJsonCall),
    stats: {
      filesSeen: result.stats.filesSeen,
      filesParsed: result.stats.filesParsed,
      calls: result.stats.calls,
      durationMs: result.stats.durationMs,
      skipped: result.stats.skipped.map((s) => ({ file: s.file, reason: s.reason })),
      ...(result.stats.blindSpots?.length ? { blindSpots: result.stats.blindSpots.map((b) => ({ file: b.file, line: b.line, kind: b.kind, detail: b.detail })) } : {}),
    },
  };
}

export function toJsonCall(call: Call): Call {
  const json: Call = {
    id: call.id,
    file: call.file,
    range: {
      start: { line: call.range.start.line, column: call.range.start.column },
      end: { line: call.range.end.line, column: call.range.end.column },
    },
    client: call.client,
    method: call.method,
    url: { text: maskSecrets(call.url.text), template: call.url.template && maskSecrets(call.url.template), host: call.url.host, kind: call.url.kind },
    ...(call.endpoint !== undefined ? { endpoint: call.endpoint && maskSecrets(call.endpoint) } : {}),
    ...(call.note !== undefined ? { note: call.note } : {}),
    runtime: call.runtime,
    context: call.context,
    confidence: call.confidence,
    evidence: call.evidence.map((e) => ({ signal: e.signal, detail: e.detail, runtime: e.runtime, weight: e.weight })),
    findings: call.findings.map((f) => toJsonFinding(call, f)),
  };
  // `via` exists only for instance and wrapper calls; key order follows docs/design.md §2.
  if (call.via !== undefined) {
    const { id, file, range, client, ...rest } = json;
    return { id, file, range, client, via: call.via, ...rest };
  }
  return json;
}

/** A finding in the JSON, with the fixes the editor offers for it (`fixes` only when there is one). */
export type JsonFinding = Finding & { fixes?: { fix: FixId; title: string }[] };

function toJsonFinding(call: Call, finding: Finding): JsonFinding {
  const json: JsonFinding = { rule: finding.rule, severity: finding.severity, message: maskSecrets(finding.message), topics: [...finding.topics] };
  if (finding.silenced) json.silenced = true;
  // The engine's calls carry their facts (for the env var a rename would pick); a bare Call gets the general titles.
  const facts = (call as Call & { facts?: Partial<CallFacts> }).facts;
  const credentials = Array.isArray(facts?.credentials) ? facts.credentials : [];
  const fixes = fixOffersFor({ runtime: call.runtime, facts: { credentials } }, finding).map((o) => ({ fix: o.fix, title: o.title }));
  if (fixes.length > 0) json.fixes = fixes;
  return json;
}

export function formatJson(result: ScanResult): string {
  return `${JSON.stringify(toJsonResult(result), null, 2)}\n`;
}
