// Loads the knowledge base (docs/knowledge/*.md): front matter, the fixed sections, and which topics explain which rules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULE_IDS, TOPIC_IDS, type RuleId, type TopicId } from '../model/types';

/** The `## ` headings every topic page has, in this order (docs/design.md §6). */
export const TOPIC_SECTIONS = [
  'Summary',
  'When it applies',
  'What API Atlas looks for',
  'Bad example',
  'Good example',
  'Related rules',
  'Further reading',
] as const;
export type TopicSection = (typeof TOPIC_SECTIONS)[number];

export const TOPIC_SIDES = ['frontend', 'backend', 'hybrid', 'guide'] as const;
export type TopicSide = (typeof TOPIC_SIDES)[number];

export interface Topic {
  id: TopicId;
  title: string;
  side: TopicSide;
  /** Rules whose findings this page explains (the inverse of each rule's `topics`). */
  rules: RuleId[];
  /** The facts and evidence signals API Atlas uses for this topic, e.g. `secret-credential`, `in-timer`. */
  signals: string[];
  /** One line: the front matter `summary`, else the first paragraph of the Summary section. */
  summary: string;
  /** Section heading → its markdown, without the heading line. */
  sections: Record<string, string>;
  /** The page's markdown after the front matter and the leading `# ` title (the panel shows the title itself). */
  body: string;
  /** Where the page was read from, for messages. */
  file: string;
}

export type FrontMatterValue = string | string[];

export interface FrontMatter {
  data: Record<string, FrontMatterValue>;
  /** The text after the closing `---` line. */
  body: string;
  /** One sentence per line that could not be read, with its line number. */
  errors: string[];
}

export interface KnowledgeBase {
  topics: Map<TopicId, Topic>;
  /** One sentence per problem, naming the file; an empty list means every page is complete and valid. */
  errors: string[];
}

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function unquote(raw: string): string {
  const text = raw.trim();
  if (text.length >= 2 && ((text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'")))) {
    const inner = text.slice(1, -1);
    // YAML escapes a single quote inside '...' by doubling it; "..." escapes are rare in front matter, keep \" and \\.
    return text.startsWith("'") ? inner.replace(/''/g, "'") : inner.replace(/\\(["\\])/g, '$1');
  }
  return text;
}

/** Splits a flow list `[a, "b, c", d]` on commas outside quotes. */
function parseFlowList(raw: string): string[] {
  const inner = raw.trim().slice(1, -1);
  const items: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (const ch of inner) {
    if (quote) {
      current += ch;
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (ch === ',') {
      items.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  items.push(current);
  return items.map(unquote).filter((item) => item.length > 0);
}

/** Strips a trailing ` # comment` that is not inside quotes. */
function stripComment(value: string): string {
  let quote: string | null = null;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(value[i - 1]))) {
      return value.slice(0, i).trimEnd();
    }
  }
  return value;
}

/**
 * Reads the YAML front matter between the first two `---` lines. Only the subset the docs use is understood:
 * `key: scalar`, `key: [a, b]`, and `key:` followed by `  - item` lines; anything else is reported, not guessed.
 */
export function parseFrontMatter(text: string): FrontMatter {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const errors: string[] = [];
  const data: Record<string, FrontMatterValue> = {};
  if (lines[0]?.trim() !== '---') {
    return { data, body: lines.join('\n'), errors: ['it does not start with a front matter block (a "---" line)'] };
  }
  const close = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  if (close < 0) return { data, body: '', errors: ['its front matter is never closed by a "---" line'] };

  let openListKey: string | null = null;
  for (let i = 1; i < close; i++) {
    const line = lines[i];
    const lineNo = i + 1;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const item = /^\s+-\s*(.*)$/.exec(line) ?? /^-\s+(.*)$/.exec(line);
    if (item) {
      const list = openListKey === null ? undefined : data[openListKey];
      if (openListKey === null || !Array.isArray(list)) {
        errors.push(`line ${lineNo}: a list item outside a list`);
        continue;
      }
      const value = unquote(stripComment(item[1]));
      if (value) list.push(value);
      continue;
    }
    const pair = /^([A-Za-z_][\w-]*)\s*:(.*)$/.exec(line);
    if (!pair) {
      errors.push(`line ${lineNo}: expected "key: value", found "${line.trim()}"`);
      openListKey = null;
      continue;
    }
    const [, key, rawValue] = pair;
    if (key in data) errors.push(`line ${lineNo}: "${key}" is set twice; the last value wins`);
    const value = stripComment(rawValue).trim();
    if (value === '') {
      // `key:` alone opens a block list; an empty list stays valid (`rules: []` is the explicit form).
      data[key] = [];
      openListKey = key;
    } else if (value.startsWith('[')) {
      if (!value.endsWith(']')) errors.push(`line ${lineNo}: the list of "${key}" is not closed with "]"`);
      data[key] = parseFlowList(value.endsWith(']') ? value : `${value}]`);
      openListKey = null;
    } else {
      // Real YAML rejects ": " in a plain scalar; keep the pages readable by GitHub and other YAML tools.
      if (!/^["']/.test(value) && value.includes(': ')) errors.push(`line ${lineNo}: the value of "${key}" contains ": "; put it in quotes`);
      data[key] = unquote(value);
      openListKey = null;
    }
  }
  return { data, body: lines.slice(close + 1).join('\n'), errors };
}

/** Splits markdown into its `## ` sections, ignoring `## ` lines inside code fences. */
export function splitSections(markdown: string): { preamble: string; sections: { name: string; content: string }[] } {
  const lines = markdown.split(/\r?\n/);
  const sections: { name: string; content: string[] }[] = [];
  const preamble: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1];
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
    }
    const heading = fence === null ? /^##\s+(.+?)\s*#*\s*$/.exec(line) : null;
    if (heading) {
      sections.push({ name: heading[1], content: [] });
    } else if (sections.length > 0) {
      sections[sections.length - 1].content.push(line);
    } else {
      preamble.push(line);
    }
  }
  return {
    preamble: preamble.join('\n').trim(),
    sections: sections.map((s) => ({ name: s.name, content: s.content.join('\n').trim() })),
  };
}

function firstParagraph(markdown: string): string {
  const paragraph = markdown.split(/\n\s*\n/)[0] ?? '';
  return paragraph.replace(/(?<!\s)\s*\n\s*/g, ' ').trim();
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/**
 * Parses one topic page. A page that cannot stand for a topic (no front matter, no known `id`, no `title`, an unknown
 * `side`) throws an Error naming the file; lesser problems (an unknown rule, a missing or misplaced section, an id that
 * differs from the file name) go to `onProblem` and the page is still returned, so one typo does not empty the panel.
 */
export function parseTopic(text: string, file: string, onProblem: (message: string) => void = () => {}): Topic {
  const where = path.basename(file);
  const front = parseFrontMatter(text);
  for (const error of front.errors) onProblem(`${where}: front matter ${error}`);
  const scalar = (key: string): string | undefined => {
    const value = front.data[key];
    if (Array.isArray(value)) {
      onProblem(`${where}: "${key}" must be a single value, not a list`);
      return undefined;
    }
    return value;
  };
  const list = (key: string): string[] => {
    const value = front.data[key];
    if (value === undefined) {
      onProblem(`${where}: front matter has no "${key}" list`);
      return [];
    }
    if (!Array.isArray(value)) {
      onProblem(`${where}: "${key}" must be a list like [a, b]`);
      return [value];
    }
    return value;
  };

  const id = scalar('id');
  if (!id || !isOneOf(TOPIC_IDS, id)) {
    throw new Error(`${where}: front matter "id" must be one of ${TOPIC_IDS.join(', ')}, found ${id ? `"${id}"` : 'nothing'}`);
  }
  const title = scalar('title');
  if (!title) throw new Error(`${where}: front matter has no "title"`);
  const side = scalar('side') ?? '';
  if (!isOneOf(TOPIC_SIDES, side)) {
    throw new Error(`${where}: front matter "side" must be one of ${TOPIC_SIDES.join(', ')}, found "${side}"`);
  }
  const expectedFile = `${id}.md`;
  if (where !== expectedFile) onProblem(`${where}: its id "${id}" should match the file name (${expectedFile})`);

  const rules: RuleId[] = [];
  for (const rule of list('rules')) {
    if (isOneOf(RULE_IDS, rule)) rules.push(rule);
    else onProblem(`${where}: "${rule}" in rules is not a rule id (${RULE_IDS.join(', ')})`);
  }
  const signals = list('signals');
  if (signals.length === 0) onProblem(`${where}: "signals" lists nothing; name the facts API Atlas uses for this topic`);
  for (const signal of signals) if (!KEBAB.test(signal)) onProblem(`${where}: signal "${signal}" should be kebab-case`);

  // The leading `# Title` is for reading the file on GitHub; the panel prints the title from the front matter.
  const body = front.body.replace(/^\s*#\s+[^\n]*\n/, '').trim();
  const { preamble, sections: found } = splitSections(body);
  if (preamble) onProblem(`${where}: text before the first section is never shown; move it under "## Summary"`);
  const sections: Record<string, string> = {};
  for (const section of found) {
    if (!isOneOf(TOPIC_SECTIONS, section.name)) onProblem(`${where}: "## ${section.name}" is not one of the sections (${TOPIC_SECTIONS.join(', ')})`);
    if (section.name in sections) onProblem(`${where}: "## ${section.name}" appears twice`);
    else if (section.content === '') onProblem(`${where}: "## ${section.name}" is empty`);
    sections[section.name] = section.content;
  }
  const missing = TOPIC_SECTIONS.filter((name) => !(name in sections));
  if (missing.length > 0) onProblem(`${where}: missing section(s) ${missing.map((m) => `"## ${m}"`).join(', ')}`);
  const order = found.map((s) => s.name).filter((name) => isOneOf(TOPIC_SECTIONS, name));
  const expectedOrder = TOPIC_SECTIONS.filter((name) => order.includes(name));
  if (order.join('\n') !== expectedOrder.join('\n')) {
    onProblem(`${where}: sections are out of order; expected ${expectedOrder.join(' → ')}`);
  }

  const summary = scalar('summary') ?? firstParagraph(sections['Summary'] ?? '');
  if (!summary) onProblem(`${where}: no summary (front matter "summary" or a "## Summary" paragraph)`);
  return { id, title, side, rules, signals, summary, sections, body, file };
}

/** Reads every `*.md` in `dir` as a topic page and reports topics of TOPIC_IDS that have no page. */
export function loadKnowledgeBase(dir: string): KnowledgeBase {
  const topics = new Map<TopicId, Topic>();
  const errors: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.endsWith('.md')).sort();
  } catch (error) {
    return { topics, errors: [`cannot read the knowledge base folder ${dir}: ${(error as Error).message}`] };
  }
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const topic = parseTopic(fs.readFileSync(file, 'utf8'), file, (message) => errors.push(message));
      const earlier = topics.get(topic.id);
      if (earlier) errors.push(`${name}: topic "${topic.id}" is already defined by ${path.basename(earlier.file)}`);
      else topics.set(topic.id, topic);
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  for (const id of TOPIC_IDS) if (!topics.has(id)) errors.push(`topic "${id}" has no page (${id}.md)`);
  return { topics, errors };
}

/**
 * The topics that explain a set of rules, most relevant first: topics of the first rule come first, and within a
 * rule the order of TOPIC_IDS. Read from the pages' `rules:` lists, so the docs stay the one place to change it.
 */
export function topicsForRules(rules: readonly string[], topics: ReadonlyMap<TopicId, Topic>): TopicId[] {
  const result: TopicId[] = [];
  for (const rule of rules) {
    for (const id of TOPIC_IDS) {
      const topic = topics.get(id);
      if (topic && (topic.rules as readonly string[]).includes(rule) && !result.includes(id)) result.push(id);
    }
  }
  return result;
}
