// Renders the knowledge panel's pages to HTML: topics through markdown-it, calls and the overview from scan data, all escaped.
import MarkdownIt from 'markdown-it';
import { activeFindings, RUNTIME_LONG_LABELS, RUNTIMES, SEVERITY_RANK, type BlindSpot, type Severity, type CallRecord, type Finding, type Runtime, type TopicId } from '../../core/model';
import { recommendPlacement, type Recommendation } from '../../core/knowledge';
import { maskSecrets, neutralizeControls } from '../../core/report';

/** The parts of a knowledge page the panel shows (src/core/knowledge/knowledge.ts parses them). */
export interface KnowledgeTopic {
  id: string;
  title: string;
  side: string;
  rules: string[];
  summary: string;
  sections: Record<string, string>;
  body: string;
}

export interface RulePage {
  id: string;
  title: string;
  body: string;
}

const SIDES: { id: string; label: string }[] = [
  { id: 'frontend', label: 'Frontend' },
  { id: 'backend', label: 'Backend' },
  { id: 'hybrid', label: 'Hybrid' },
  { id: 'guide', label: 'Guides' },
];

const RUNTIME_LABEL = RUNTIME_LONG_LABELS;

/** HTML-escaped, with control characters (ESC, BEL, bidi overrides) shown as visible escapes. */
export function escapeHtml(text: string): string {
  return neutralizeControls(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** What a link in a knowledge page may point to; anything else is dropped to plain text. */
export type LinkTarget = { kind: 'topic'; id: string } | { kind: 'rule'; id: string } | { kind: 'external'; url: string } | { kind: 'anchor'; id: string };

export function classifyLink(href: string): LinkTarget | null {
  const trimmed = href.trim();
  if (/^https:\/\/[^\s"'<>]+$/i.test(trimmed) || /^http:\/\/[^\s"'<>]+$/i.test(trimmed)) return { kind: 'external', url: trimmed };
  if (/^#[\w-]+$/.test(trimmed)) return { kind: 'anchor', id: trimmed.slice(1) };
  const rule = /^(?:\.\.\/rules\/|(?:\.\/)?docs\/rules\/)([\w-]+)\.md(?:#[\w-]*)?$/.exec(trimmed);
  if (rule) return { kind: 'rule', id: rule[1] };
  const topic = /^(?:\.\/|\.\.\/knowledge\/)?([\w-]+)\.md(?:#[\w-]*)?$/.exec(trimmed);
  if (topic) return { kind: 'topic', id: topic[1] };
  return null;
}

/** markdown-it with raw HTML off and links rewritten to panel navigation; unknown schemes become text. */
export function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.validateLink = (url: string) => classifyLink(url) !== null;
  md.renderer.rules.link_open = (tokens, idx) => {
    const target = classifyLink(tokens[idx].attrGet('href') ?? '');
    switch (target?.kind) {
      case 'topic':
        return `<a href="#" data-topic="${escapeHtml(target.id)}">`;
      case 'rule':
        return `<a href="#" data-rule="${escapeHtml(target.id)}">`;
      case 'external':
        return `<a href="#" data-external="${escapeHtml(target.url)}" title="${escapeHtml(target.url)}">`;
      case 'anchor':
        return `<a href="#${escapeHtml(target.id)}">`;
      default:
        return '<a>';
    }
  };
  return md;
}

const md = createMarkdown();

export function renderMarkdown(text: string): string {
  return md.render(text);
}

/** A finding message or evidence sentence: its `code` spans become <code>, the rest is escaped text. */
export function renderMessage(text: string): string {
  const parts = text.split('`');
  if (parts.length % 2 === 0) return escapeHtml(text); // an unmatched backtick: plain text
  return parts
    .map((part, i) => (i % 2 === 1 && part !== '' ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part)))
    .join('');
}

function badge(text: string, cls: string): string {
  return `<span class="badge ${cls}">${escapeHtml(text)}</span>`;
}

function commandButton(label: string, command: string, args: unknown, primary = false): string {
  return `<button class="${primary ? 'primary' : 'secondary'}" data-command="${escapeHtml(command)}" data-args="${escapeHtml(JSON.stringify(args))}">${escapeHtml(label)}</button>`;
}

function findingItem(f: Finding): string {
  return `<li class="finding ${f.silenced ? 'silenced' : ''}">${badge(f.severity, `sev-${f.severity}`)} <a href="#" data-rule="${escapeHtml(f.rule)}"><code>${escapeHtml(f.rule)}</code></a> ${renderMessage(f.message)}${f.silenced ? ' <em>(silenced)</em>' : ''}</li>`;
}

export function renderTopicArticle(topic: KnowledgeTopic, open = true): string {
  return `<details class="topic" ${open ? 'open' : ''} id="topic-${escapeHtml(topic.id)}"><summary><h3>${escapeHtml(topic.title)}</h3> ${badge(topic.side, 'side')}</summary>${renderMarkdown(topic.body)}</details>`;
}

export interface CallViewInput {
  call: CallRecord;
  topics: KnowledgeTopic[];
  /** The third-party service behind the host, when the catalogue knows it. */
  thirdPartyName?: string | null;
  /** Whether the "move behind a server proxy" action applies to this call. */
  canMoveBehindProxy: boolean;
  /** Opaque reference the host uses to find the call again (root + id). */
  ref: { root: string; id: string };
}

/** The panel for one call: what it is, where it runs and why, its findings, the decision guide and the topics that apply. */
export function renderCallView(input: CallViewInput): { html: string; recommendation: Recommendation } {
  const { call, topics, ref } = input;
  const rec = recommendPlacement(call, input.thirdPartyName);
  const method = call.method ?? '(method decided at run time)';
  const evidence = call.evidence.length
    ? call.evidence
        .slice()
        .sort((a, b) => b.weight - a.weight)
        .map((e) => `<li>${badge(e.runtime, `rt-${e.runtime}`)} ${renderMessage(e.detail)} <span class="muted">(${escapeHtml(e.signal)})</span></li>`)
        .join('')
    : '<li class="muted">No evidence was found either way.</li>';
  const active = activeFindings(call);
  const findings = call.findings.length ? `<ul class="findings">${call.findings.map(findingItem).join('')}</ul>` : '<p class="muted">No findings.</p>';
  const guide = rec.questions
    .map(
      (q) =>
        `<tr><td>${escapeHtml(q.question)}</td><td>${badge(q.answer, `ans-${q.answer}`)}</td><td>${escapeHtml(q.because)} <a href="#" data-topic="${escapeHtml(q.topic)}">more</a></td></tr>`,
    )
    .join('');
  const actions = [
    commandButton('Reveal in editor', 'apiAtlas.revealCall', ref, false),
    input.canMoveBehindProxy ? commandButton('Move behind a server proxy…', 'apiAtlas.moveBehindProxy', ref, true) : '',
    ...active.map((f) => commandButton(`Ignore ${f.rule} on this line`, 'apiAtlas.ignoreFinding', { ...ref, rule: f.rule }, false)),
  ].join(' ');
  const html = `
<header class="call">
  <h1><span class="method">${escapeHtml(method)}</span> <code class="url">${escapeHtml(maskSecrets(call.url.template ?? call.url.text))}</code></h1>
  <p><a href="#" data-command="apiAtlas.revealCall" data-args="${escapeHtml(JSON.stringify(ref))}">${escapeHtml(call.file)}:${call.range.start.line}</a>
   · ${escapeHtml(call.client)}${call.via ? ` via ${escapeHtml(call.via)}` : ''}${call.url.host ? ` · ${escapeHtml(call.url.host)}` : ''}</p>
  <div class="actions">${actions}</div>
</header>
<section><h2>Where it runs</h2>
  <p>${badge(RUNTIME_LABEL[call.runtime], `rt-${call.runtime}`)} <code>${escapeHtml(call.context)}</code> · confidence ${Math.round(call.confidence * 100)}%</p>
  <ul class="evidence">${evidence}</ul>
</section>
<section><h2>Findings</h2>${findings}</section>
<section class="guide"><h2>Decision guide</h2>
  <p class="recommendation ${rec.matchesCurrent ? 'ok' : 'move'}"><strong>${escapeHtml(rec.headline)}</strong> ${rec.reasons.map(escapeHtml).join(' ')}</p>
  <table><thead><tr><th>Question</th><th>Answer</th><th>Why</th></tr></thead><tbody>${guide}</tbody></table>
</section>
<section><h2>Why it matters</h2>${topics.map((t) => renderTopicArticle(t)).join('') || '<p class="muted">No topic applies.</p>'}</section>`;
  return { html, recommendation: rec };
}

/** Which topics to expand for a call: those of its findings first, then the basics of where it runs. */
export function topicsForCall(call: CallRecord, topicsOfRule: (rule: string) => string[]): TopicId[] {
  const ids: string[] = [];
  for (const f of call.findings) for (const t of f.topics.length ? f.topics : topicsOfRule(f.rule)) if (!ids.includes(t)) ids.push(t);
  const basics: Record<Runtime, TopicId[]> = {
    frontend: ['user-experience', 'cors'],
    backend: ['security', 'scalability'],
    isomorphic: ['client-caching', 'security'],
    unknown: ['decision-guide'],
  };
  for (const t of basics[call.runtime]) if (!ids.includes(t)) ids.push(t);
  if (!ids.includes('decision-guide')) ids.push('decision-guide');
  return ids.slice(0, 6) as TopicId[];
}

/** The browsable library: navigation by side, a search box, and one topic (or the list) in the main area. */
export function renderLibrary(topics: KnowledgeTopic[], opts: { side?: string; query?: string; topicId?: string }): string {
  const query = (opts.query ?? '').trim().toLowerCase();
  const matches = topics.filter(
    (t) =>
      (!opts.side || t.side === opts.side) &&
      (!query || t.title.toLowerCase().includes(query) || t.summary.toLowerCase().includes(query) || t.body.toLowerCase().includes(query)),
  );
  const nav = SIDES.map(
    (s) =>
      `<li><a href="#" data-side="${s.id}" class="${opts.side === s.id ? 'current' : ''}">${s.label}</a> <span class="muted">${topics.filter((t) => t.side === s.id).length}</span></li>`,
  ).join('');
  const shown = opts.topicId ? topics.find((t) => t.id === opts.topicId) : undefined;
  const main = shown
    ? renderTopicArticle(shown)
    : matches.length
      ? `<ul class="topic-list">${matches
          .map((t) => `<li><a href="#" data-topic="${escapeHtml(t.id)}"><strong>${escapeHtml(t.title)}</strong></a> ${badge(t.side, 'side')}<br><span class="muted">${escapeHtml(t.summary)}</span></li>`)
          .join('')}</ul>`
      : `<p class="muted">No topic matches “${escapeHtml(opts.query ?? '')}”.</p>`;
  return `
<div class="library">
  <nav><input type="search" id="search" placeholder="Search the knowledge base" value="${escapeHtml(opts.query ?? '')}" aria-label="Search the knowledge base">
    <ul><li><a href="#" data-side="" class="${!opts.side ? 'current' : ''}">All topics</a></li>${nav}</ul>
    <p><a href="#" data-command="apiAtlas.showOverview" data-args="null">Workspace overview</a></p>
  </nav>
  <main>${main}</main>
</div>`;
}

interface Bar {
  label: string;
  value: number;
  filter: Record<string, string>;
  cls: string;
}

function barChart(title: string, bars: Bar[]): string {
  if (bars.length === 0) return `<section><h2>${escapeHtml(title)}</h2><p class="muted">Nothing yet.</p></section>`;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const rowHeight = 24;
  const labelWidth = 180;
  const width = 520;
  const rows = bars
    .map((b, i) => {
      const w = Math.max(2, Math.round(((width - labelWidth - 50) * b.value) / max));
      const y = i * rowHeight;
      return `<g class="bar ${b.cls}" data-filter="${escapeHtml(JSON.stringify(b.filter))}" role="button" tabindex="0" aria-label="${escapeHtml(`${b.label}: ${b.value}`)}">
  <title>${escapeHtml(`${b.label}: ${b.value} — click to filter the tree`)}</title>
  <text x="0" y="${y + 16}" class="label">${escapeHtml(b.label.length > 26 ? `${b.label.slice(0, 25)}…` : b.label)}</text>
  <rect x="${labelWidth}" y="${y + 4}" width="${w}" height="${rowHeight - 8}" rx="2"></rect>
  <text x="${labelWidth + w + 6}" y="${y + 16}" class="value">${b.value}</text>
</g>`;
    })
    .join('');
  return `<section><h2>${escapeHtml(title)}</h2><svg class="chart" width="${width}" height="${bars.length * rowHeight}" viewBox="0 0 ${width} ${bars.length * rowHeight}" xmlns="http://www.w3.org/2000/svg">${rows}</svg></section>`;
}

/** The overview lists at most this many blind spots; the tree's "Not followed" row has them all. */
const OVERVIEW_BLIND_SPOTS = 20;

/**
 * The workspace overview: calls by runtime, top hosts, findings by rule (each bar filters the tree), and the blind
 * spots: what the scan saw but could not follow, so a count of calls is never read as the whole story.
 */
export function renderOverview(calls: readonly CallRecord[], blindSpots: readonly (BlindSpot & { folderName?: string })[] = []): string {
  const byRuntime = RUNTIMES
    .map((r) => ({ label: RUNTIME_LABEL[r], value: calls.filter((c) => c.runtime === r).length, filter: { runtime: r }, cls: `rt-${r}` }))
    .filter((b) => b.value > 0);
  const hostCounts = new Map<string, number>();
  for (const c of calls) {
    const host = c.url.host ?? (c.url.kind === 'relative' ? '(same origin)' : '(dynamic)');
    hostCounts.set(host, (hostCounts.get(host) ?? 0) + 1);
  }
  const byHost = [...hostCounts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 10)
    .map(([host, value]) => ({ label: host, value, filter: { host }, cls: 'host' }));
  const ruleCounts = new Map<string, { value: number; severity: Severity }>();
  for (const c of calls)
    for (const f of activeFindings(c)) {
      const entry = ruleCounts.get(f.rule) ?? { value: 0, severity: f.severity };
      entry.value++;
      if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[entry.severity]) entry.severity = f.severity;
      ruleCounts.set(f.rule, entry);
    }
  const byRule = [...ruleCounts.entries()]
    // The one error comes before eight infos: severity first, then how often.
    .sort((a, b) => SEVERITY_RANK[b[1].severity] - SEVERITY_RANK[a[1].severity] || b[1].value - a[1].value || a[0].localeCompare(b[0]))
    .map(([rule, { value, severity }]) => ({ label: rule, value, filter: { rule }, cls: `sev-${severity}` }));
  const total = calls.length;
  const risky = calls.filter((c) => activeFindings(c).some((f) => f.severity !== 'info')).length;
  return `
<header><h1>Workspace overview</h1><p>${total} call${total === 1 ? '' : 's'} · ${risky} with errors or warnings · ${blindSpots.length} blind spot${blindSpots.length === 1 ? '' : 's'} · <a href="#" data-side="">Browse the knowledge base</a></p></header>
${barChart('Calls by runtime', byRuntime)}
${barChart('Top hosts', byHost)}
${barChart('Findings by rule', byRule)}
${blindSpotSection(blindSpots)}`;
}

/** "Not followed": each blind spot's place and sentence, the first few; empty when there are none. */
function blindSpotSection(spots: readonly (BlindSpot & { folderName?: string })[]): string {
  if (spots.length === 0) return '';
  const items = spots
    .slice(0, OVERVIEW_BLIND_SPOTS)
    .map((b) => `<li><code>${escapeHtml(`${b.folderName ? `${b.folderName}/` : ''}${b.file}:${b.line}`)}</code> ${escapeHtml(b.detail)}</li>`)
    .join('');
  const more = spots.length > OVERVIEW_BLIND_SPOTS ? `<p class="muted">and ${spots.length - OVERVIEW_BLIND_SPOTS} more under "Not followed" in the API Calls view.</p>` : '';
  return `<section class="blind-spots"><h2>Not followed (${spots.length})</h2><p class="muted">Places where an HTTP client or API call was seen but not followed to a request: the requests made there are not counted above.</p><ul>${items}</ul>${more}</section>`;
}
