// Builds the API Calls tree (groups, files, calls, and the blind spots at the end) from indexed calls, a grouping and a filter; no `vscode`, unit-tested.
import type { BlindSpot, Call, RuleId, Runtime, Severity } from '../../core/model';
import { RULE_IDS } from '../../core/model';
import { RUNTIME_LABELS, RUNTIME_ORDER, SEVERITY_RANK, activeFindings, callLabel, worstSeverity, type RowParent } from '../describe';

export type GroupBy = 'runtime' | 'host' | 'finding' | 'file';
export const GROUP_BY_MODES: readonly GroupBy[] = ['runtime', 'host', 'finding', 'file'];

export interface CallFilter {
  /** Case-insensitive words matched against method, URL, host, file, client and context. */
  text?: string;
  host?: string;
  runtimes?: Runtime[];
  /** Only calls with a finding (active or silenced) of this rule. */
  rule?: RuleId;
  /** Only calls with an unsilenced finding at least this severe. */
  minSeverity?: Severity;
}

/** A call together with the workspace folder whose index holds it. */
// The index owns LocatedCall; re-exported so the views' imports stay as they were.
export type { LocatedCall } from '../index/locatedCall';
import type { LocatedBlindSpot, LocatedCall } from '../index/locatedCall';
export type { LocatedBlindSpot } from '../index/locatedCall';

/** `endpoint`: several rows of one parent that would read the same (one endpoint called from many places). */
/** `blind-spots`: what the scan saw but could not follow (one root row), `blind-spot-kind`: one kind of them. */
/** `placing`: interim rows of a scan under way whose place only the files importing them can tell. */
export type GroupKind = 'runtime' | 'placing' | 'host' | 'rule' | 'file' | 'no-findings' | 'endpoint' | 'blind-spots' | 'blind-spot-kind';

export interface GroupNode {
  kind: 'group';
  /** Stable across rebuilds so VS Code keeps what the user expanded. */
  id: string;
  groupKind: GroupKind;
  label: string;
  children: TreeNode[];
  callCount: number;
  runtime?: Runtime;
  host?: string;
  rule?: RuleId;
  file?: { folderKey: string; rel: string };
  /** Blind-spot groups: how many places they hold (their `callCount` is 0). */
  blindSpotCount?: number;
}

export interface CallNode {
  kind: 'call';
  id: string;
  entry: LocatedCall;
  /** In the finding grouping: the rule this row is listed under (its finding may be silenced). */
  rule?: RuleId;
  /** What the row's nearest file or host group already says (the description leaves it out). */
  parent: RowParent;
}

/** One place the scan could not follow to a request (a tRPC hook, `fetch` handed to an unknown function, a generated SDK). */
export interface BlindSpotNode {
  kind: 'blind-spot';
  id: string;
  entry: LocatedBlindSpot;
}

export type TreeNode = GroupNode | CallNode | BlindSpotNode;

export interface TreeModel {
  roots: GroupNode[];
  parents: Map<string, GroupNode>;
  /** Whether file groups start expanded (few calls) or collapsed; their ids differ between the two (see fileGroups). */
  expandFiles: boolean;
  totalCalls: number;
  visibleCalls: number;
  /** How many blind spots the workspace has (listed under the last root row when no filter is set). */
  blindSpots: number;
}

/** The root row that lists the blind spots, and the names of their kinds. */
export const BLIND_SPOTS_LABEL = 'Not followed';
export const BLIND_SPOT_KIND_LABELS: Record<BlindSpot['kind'], string> = {
  trpc: 'tRPC calls',
  'client-handed-on': 'Clients handed to unknown functions',
  'generated-client': 'Generated API clients not in the workspace',
  'depth-limit': 'Value flow cut at its depth limit',
};

/** The root row of interim rows not placed yet (see GroupKind). */
export const PLACING_LABEL = 'Placing…';
/** Above this many calls, file groups start collapsed so a big workspace opens quickly. */
export const EXPAND_FILES_UP_TO = 200;

export const RELATIVE_HOST_LABEL = 'Same origin (relative URLs)';
export const DYNAMIC_HOST_LABEL = 'Dynamic URLs';

export function isFilterActive(filter: CallFilter): boolean {
  return Boolean(filter.text?.trim() || filter.host || (filter.runtimes && filter.runtimes.length > 0) || filter.rule || filter.minSeverity);
}

export function matchesFilter(call: Call, filter: CallFilter): boolean {
  if (filter.host !== undefined && call.url.host !== filter.host) return false;
  if (filter.runtimes && filter.runtimes.length > 0 && !filter.runtimes.includes(call.runtime)) return false;
  if (filter.rule && !call.findings.some((f) => f.rule === filter.rule)) return false;
  if (filter.minSeverity) {
    const min = SEVERITY_RANK[filter.minSeverity];
    if (!activeFindings(call).some((f) => SEVERITY_RANK[f.severity] >= min)) return false;
  }
  const words = filter.text?.toLowerCase().split(/\s+/).filter(Boolean) ?? [];
  if (words.length > 0) {
    const haystack = [
      call.method ?? '',
      call.url.text,
      call.url.template ?? '',
      call.url.host ?? '',
      call.file,
      call.client,
      call.via ?? '',
      call.context,
      call.runtime,
      ...call.findings.map((f) => f.rule),
    ]
      .join('\n')
      .toLowerCase();
    if (!words.every((w) => haystack.includes(w))) return false;
  }
  return true;
}

/** One line for the view's description, e.g. `host: api.openai.com · frontend · ≥ warning · "stripe"`. */
export function describeFilter(filter: CallFilter): string | undefined {
  const parts: string[] = [];
  if (filter.host) parts.push(`host: ${filter.host}`);
  if (filter.runtimes && filter.runtimes.length > 0) parts.push(filter.runtimes.map((r) => RUNTIME_LABELS[r].toLowerCase()).join(', '));
  if (filter.rule) parts.push(`rule: ${filter.rule}`);
  if (filter.minSeverity) parts.push(filter.minSeverity === 'info' ? 'with findings' : `≥ ${filter.minSeverity}`);
  if (filter.text?.trim()) parts.push(`"${filter.text.trim()}"`);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/** The view's description while first scans show interim rows: `Scanning… 1,200 of 4,085 files`. */
export function describeScan(progress: { done: number; total: number }): string {
  return `Scanning… ${progress.done.toLocaleString('en-US')} of ${progress.total.toLocaleString('en-US')} files`;
}

function compareCalls(a: LocatedCall, b: LocatedCall): number {
  return (
    a.folderName.localeCompare(b.folderName) ||
    a.call.file.localeCompare(b.call.file) ||
    a.call.range.start.line - b.call.range.start.line ||
    a.call.range.start.column - b.call.range.start.column
  );
}

function fileLabel(entry: LocatedCall, multiRoot: boolean): string {
  return multiRoot ? `${entry.folderName}/${entry.call.file}` : entry.call.file;
}

function callNode(parentId: string, entry: LocatedCall, parent: RowParent, rule?: RuleId): CallNode {
  return { kind: 'call', id: `${parentId}/call:${entry.call.id}`, entry, parent, ...(rule ? { rule } : {}) };
}

/**
 * The rows of one parent, with rows that would read the same (method, path and host) gathered
 * under one `endpoint` group: a dozen `GET /api/cart` rows become one group of twelve.
 */
function callRows(parentId: string, entries: LocatedCall[], parent: RowParent, rule?: RuleId): TreeNode[] {
  const byLabel = new Map<string, LocatedCall[]>();
  for (const e of entries) pushTo(byLabel, `${callLabel(e.call)}\u0000${e.call.url.host ?? ''}`, e);
  const rows: TreeNode[] = [];
  for (const [key, list] of byLabel) {
    if (list.length === 1) {
      rows.push(callNode(parentId, list[0], parent, rule));
      continue;
    }
    const id = `${parentId}/same:${key}`;
    rows.push({ kind: 'group', id, groupKind: 'endpoint', label: callLabel(list[0].call), children: list.map((e) => callNode(id, e, parent, rule)), callCount: list.length, ...(rule ? { rule } : {}) });
  }
  return rows;
}

/**
 * Groups calls into file nodes under `parentId`, in path order. A collapsed file group has another id than an
 * expanded one: VS Code keeps the state of a node it has shown, so when the calls grow past EXPAND_FILES_UP_TO (a
 * scan's interim rows, a large paste) every file group starts afresh collapsed, as a tree first shown that big would.
 */
function fileGroups(parentId: string, entries: LocatedCall[], multiRoot: boolean, expanded: boolean): GroupNode[] {
  const byFile = new Map<string, LocatedCall[]>();
  for (const e of entries) pushTo(byFile, `${e.folderKey}\u0000${e.call.file}`, e);
  const groups: GroupNode[] = [];
  for (const list of byFile.values()) {
    const first = list[0];
    const id = `${parentId}/${expanded ? 'file' : 'files'}:${first.folderKey}/${first.call.file}`;
    groups.push({
      kind: 'group',
      id,
      groupKind: 'file',
      label: fileLabel(first, multiRoot),
      children: callRows(id, list, 'file'),
      callCount: list.length,
      file: { folderKey: first.folderKey, rel: first.call.file },
    });
  }
  return groups.sort((a, b) => a.label.localeCompare(b.label));
}

/** Appends to the list under `key` in place (copying the list per call made grouping quadratic in big workspaces). */
function pushTo<K>(map: Map<K, LocatedCall[]>, key: K, entry: LocatedCall): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

function hostKey(call: Call): string {
  if (call.url.host) return call.url.host;
  return call.url.kind === 'relative' ? '\u0000relative' : '\u0001dynamic';
}

/**
 * Builds the tree for one grouping. Ids depend only on the grouping, the folder, the file, the rule and the
 * call id, so a rebuild after an edit keeps every unchanged node's id (and with it the user's expansion).
 */
export function buildTreeModel(entries: readonly LocatedCall[], groupBy: GroupBy, filter: CallFilter, blindSpots: readonly LocatedBlindSpot[] = []): TreeModel {
  const multiRoot = new Set(entries.map((e) => e.folderKey)).size > 1;
  const expandFiles = entries.length <= EXPAND_FILES_UP_TO;
  const visible = entries.filter((e) => matchesFilter(e.call, filter)).sort(compareCalls);
  const roots: GroupNode[] = [];

  switch (groupBy) {
    case 'runtime': {
      const placing = (e: LocatedCall): boolean => e.provisional === true && e.call.runtime === 'unknown';
      for (const runtime of RUNTIME_ORDER) {
        const list = visible.filter((e) => e.call.runtime === runtime && !placing(e));
        if (list.length === 0) continue;
        const id = `runtime:${runtime}`;
        roots.push({ kind: 'group', id, groupKind: 'runtime', label: RUNTIME_LABELS[runtime], runtime, children: fileGroups(id, list, multiRoot, expandFiles), callCount: list.length });
      }
      const unplaced = visible.filter(placing);
      if (unplaced.length > 0) {
        const id = 'runtime:placing';
        roots.push({ kind: 'group', id, groupKind: 'placing', label: PLACING_LABEL, children: fileGroups(id, unplaced, multiRoot, expandFiles), callCount: unplaced.length });
      }
      break;
    }
    case 'host': {
      const byHost = new Map<string, LocatedCall[]>();
      for (const e of visible) pushTo(byHost, hostKey(e.call), e);
      for (const key of [...byHost.keys()].sort()) {
        const list = byHost.get(key) ?? [];
        const id = `host:${key}`;
        const label = key === '\u0000relative' ? RELATIVE_HOST_LABEL : key === '\u0001dynamic' ? DYNAMIC_HOST_LABEL : key;
        const host = list[0].call.url.host ?? undefined;
        roots.push({ kind: 'group', id, groupKind: 'host', label, ...(host ? { host } : {}), children: callRows(id, list, host ? 'host' : 'other'), callCount: list.length });
      }
      break;
    }
    case 'finding': {
      // Rules in severity order of their worst active finding, then in the catalogue's order.
      const byRule = new Map<RuleId, LocatedCall[]>();
      const clean: LocatedCall[] = [];
      for (const e of visible) {
        if (e.call.findings.length === 0) clean.push(e);
        for (const rule of new Set(e.call.findings.map((f) => f.rule))) pushTo(byRule, rule, e);
      }
      // Ranked once per rule, not inside the comparator: each rank walks every call listed under the rule.
      const ranks = new Map<RuleId, number>();
      for (const [rule, list] of byRule) {
        const worst = worstSeverity(list.flatMap((e) => activeFindings(e.call).filter((f) => f.rule === rule)));
        ranks.set(rule, worst ? SEVERITY_RANK[worst] : 0);
      }
      const rank = (rule: RuleId): number => ranks.get(rule) ?? 0;
      const rules = [...byRule.keys()].sort((a, b) => rank(b) - rank(a) || RULE_IDS.indexOf(a) - RULE_IDS.indexOf(b));
      for (const rule of rules) {
        const list = byRule.get(rule) ?? [];
        const id = `rule:${rule}`;
        roots.push({ kind: 'group', id, groupKind: 'rule', label: rule, rule, children: callRows(id, list, 'other', rule), callCount: list.length });
      }
      if (clean.length > 0) {
        const id = 'rule:none';
        roots.push({ kind: 'group', id, groupKind: 'no-findings', label: 'No findings', children: callRows(id, clean, 'other'), callCount: clean.length });
      }
      break;
    }
    case 'file':
      roots.push(...fileGroups('files', visible, multiRoot, expandFiles));
      break;
  }

  // A filter selects calls; the blind spots are not calls, so they show only in the unfiltered tree.
  if (blindSpots.length > 0 && !isFilterActive(filter)) roots.push(blindSpotGroup(blindSpots));

  const parents = new Map<string, GroupNode>();
  const visit = (group: GroupNode): void => {
    for (const child of group.children) {
      parents.set(child.id, group);
      if (child.kind === 'group') visit(child);
    }
  };
  roots.forEach(visit);
  return { roots, parents, expandFiles, totalCalls: entries.length, visibleCalls: visible.length, blindSpots: blindSpots.length };
}

/** The last root row: the blind spots by kind, each kind's places in file and line order. */
function blindSpotGroup(spots: readonly LocatedBlindSpot[]): GroupNode {
  const rootId = 'blind-spots';
  const byKind = new Map<BlindSpot['kind'], LocatedBlindSpot[]>();
  for (const s of spots) {
    const list = byKind.get(s.spot.kind);
    if (list) list.push(s);
    else byKind.set(s.spot.kind, [s]);
  }
  const kinds = (Object.keys(BLIND_SPOT_KIND_LABELS) as BlindSpot['kind'][]).filter((k) => byKind.has(k));
  const children: GroupNode[] = kinds.map((kind) => {
    const id = `${rootId}/kind:${kind}`;
    const list = [...(byKind.get(kind) ?? [])].sort(
      (a, b) => a.folderName.localeCompare(b.folderName) || a.spot.file.localeCompare(b.spot.file) || a.spot.line - b.spot.line,
    );
    return {
      kind: 'group',
      id,
      groupKind: 'blind-spot-kind',
      label: BLIND_SPOT_KIND_LABELS[kind],
      // Two spots can share a line (two clients handed on): the position in the list keeps ids unique.
      children: list.map((entry, i): BlindSpotNode => ({ kind: 'blind-spot', id: `${id}/${entry.folderKey}/${entry.spot.file}:${entry.spot.line}#${i}`, entry })),
      callCount: 0,
      blindSpotCount: list.length,
    };
  });
  return { kind: 'group', id: rootId, groupKind: 'blind-spots', label: BLIND_SPOTS_LABEL, children, callCount: 0, blindSpotCount: spots.length };
}

/** Where a blind spot is, as a row names it: `folder/file:line` in a multi-root workspace. */
export function blindSpotLocation(entry: LocatedBlindSpot, multiRoot: boolean): string {
  return `${multiRoot ? `${entry.folderName}/` : ''}${entry.spot.file}:${entry.spot.line}`;
}

/** Every call node in tree order, for tests and "reveal". */
export function flattenCalls(nodes: readonly TreeNode[]): CallNode[] {
  const out: CallNode[] = [];
  for (const n of nodes) {
    if (n.kind === 'call') out.push(n);
    else if (n.kind === 'group') out.push(...flattenCalls(n.children));
  }
  return out;
}
