// The knowledge base: page parsing, completeness of docs/knowledge, rule ↔ topic agreement, code blocks and links in docs/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import ts from 'typescript';
import { loadKnowledgeBase, parseFrontMatter, parseTopic, topicsForRules, TOPIC_SECTIONS, type Topic } from '../../src/core/knowledge';
import { RULE_IDS, TOPIC_IDS, type TopicId } from '../../src/core/model';

const DOCS = path.join(__dirname, '..', '..', 'docs');
const KNOWLEDGE = path.join(DOCS, 'knowledge');
const RULES_DIR = path.join(DOCS, 'rules');

function page(front: string, sections: readonly string[] = TOPIC_SECTIONS): string {
  return `---\n${front}\n---\n\n# A title\n\n${sections.map((s) => `## ${s}\n\nText of ${s}.\n`).join('\n')}`;
}

function parseCollecting(text: string, file: string): { topic: Topic; problems: string[] } {
  const problems: string[] = [];
  const topic = parseTopic(text, file, (message) => problems.push(message));
  return { topic, problems };
}

function listMarkdown(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listMarkdown(full));
    else if (entry.name.endsWith('.md')) out.push(full);
  }
  return out.sort();
}

// ---- the parser, on pages written for the test ----------------------------------------------------------

test('parseFrontMatter reads scalars, quoted values, flow lists, block lists and ignores comments', () => {
  const { data, body, errors } = parseFrontMatter(
    [
      '---',
      '# a comment line',
      'id: cors',
      'title: "CORS: who may read the response"',
      "summary: 'It''s the browser that enforces it' # trailing comment",
      'rules: [cross-origin, "third-party-direct"]',
      'signals:',
      '  - cross-origin',
      '  - absolute-url',
      'empty: []',
      '---',
      'Body line',
    ].join('\r\n'),
  );
  assert.deepEqual(errors, []);
  assert.equal(data.id, 'cors');
  assert.equal(data.title, 'CORS: who may read the response');
  assert.equal(data.summary, "It's the browser that enforces it");
  assert.deepEqual(data.rules, ['cross-origin', 'third-party-direct']);
  assert.deepEqual(data.signals, ['cross-origin', 'absolute-url']);
  assert.deepEqual(data.empty, []);
  assert.equal(body, 'Body line');
});

test('parseFrontMatter reports a missing or unclosed block and lines it cannot read', () => {
  assert.match(parseFrontMatter('# no front matter').errors[0], /does not start with a front matter block/);
  assert.match(parseFrontMatter('---\nid: cors\n').errors[0], /never closed/);
  const { errors } = parseFrontMatter('---\nid: cors\nthis is not yaml\n  - stray item\nrules: [a, b\ntitle: CORS: the basics\n---\n');
  assert.equal(errors.length, 4, errors.join('\n'));
  assert.match(errors[0], /line 3: expected "key: value"/);
  assert.match(errors[1], /line 4: a list item outside a list/);
  assert.match(errors[2], /line 5: the list of "rules" is not closed/);
  assert.match(errors[3], /line 6: the value of "title" contains ": "; put it in quotes/);
});

test('parseTopic returns the fields, the sections by name, and a body without the front matter or the # title', () => {
  const { topic, problems } = parseCollecting(
    page('id: cors\ntitle: CORS\nside: hybrid\nrules: [cross-origin]\nsignals: [cross-origin]'),
    '/docs/knowledge/cors.md',
  );
  assert.deepEqual(problems, []);
  assert.equal(topic.id, 'cors');
  assert.equal(topic.side, 'hybrid');
  assert.deepEqual(topic.rules, ['cross-origin']);
  assert.deepEqual(Object.keys(topic.sections), [...TOPIC_SECTIONS]);
  assert.equal(topic.sections['Bad example'], 'Text of Bad example.');
  assert.equal(topic.summary, 'Text of Summary.', 'without a summary key the first paragraph of ## Summary is used');
  assert.ok(topic.body.startsWith('## Summary'), topic.body.slice(0, 40));
  assert.ok(!topic.body.includes('# A title'));
});

test('parseTopic does not split on "## " lines inside code fences', () => {
  const text = page('id: cors\ntitle: CORS\nside: hybrid\nrules: []\nsignals: [cross-origin]').replace(
    'Text of Bad example.',
    '```md\n## Not a section\n```',
  );
  const { topic, problems } = parseCollecting(text, 'cors.md');
  assert.deepEqual(problems, []);
  assert.ok(topic.sections['Bad example'].includes('## Not a section'));
});

test('parseTopic reports unknown rules, a wrong file name, missing, extra and misplaced sections', () => {
  const sections = ['Summary', 'Bad example', 'When it applies', 'What API Atlas looks for', 'Good example', 'Related rules', 'Notes'];
  const { topic, problems } = parseCollecting(
    page('id: cors\ntitle: CORS\nside: hybrid\nrules: [cross-origin, made-up-rule]\nsignals: [cross-origin, NotKebab]', sections),
    'security.md',
  );
  assert.deepEqual(topic.rules, ['cross-origin'], 'an unknown rule is dropped');
  const expected = [
    /"made-up-rule" in rules is not a rule id/,
    /signal "NotKebab" should be kebab-case/,
    /its id "cors" should match the file name \(cors\.md\)/,
    /"## Notes" is not one of the sections/,
    /missing section\(s\) "## Further reading"/,
    /sections are out of order/,
  ];
  for (const pattern of expected) assert.ok(problems.some((p) => pattern.test(p)), `expected a problem matching ${pattern}, got:\n${problems.join('\n')}`);
  assert.ok(problems.every((p) => p.startsWith('security.md: ')), 'every problem names the file');
});

test('parseTopic throws, naming the file, when the page cannot stand for a topic', () => {
  assert.throws(() => parseTopic(page('id: not-a-topic\ntitle: X\nside: hybrid\nrules: []\nsignals: [a]'), 'x.md'), /x\.md: front matter "id" must be one of/);
  assert.throws(() => parseTopic(page('id: cors\nside: hybrid\nrules: []\nsignals: [a]'), 'cors.md'), /cors\.md: front matter has no "title"/);
  assert.throws(() => parseTopic(page('id: cors\ntitle: CORS\nside: sideways\nrules: []\nsignals: [a]'), 'cors.md'), /"side" must be one of frontend, backend, hybrid, guide/);
});

test('topicsForRules orders topics by the rules given, then by TOPIC_IDS, without duplicates', () => {
  const make = (id: TopicId, rules: Topic['rules']): Topic => ({ id, title: id, side: 'guide', rules, signals: ['x'], summary: '', sections: {}, body: '', file: `${id}.md` });
  const topics = new Map<TopicId, Topic>([
    ['security', make('security', ['insecure-http', 'client-secret'])],
    ['cors', make('cors', ['cross-origin'])],
    ['third-party-secrets', make('third-party-secrets', ['client-secret'])],
  ]);
  assert.deepEqual(topicsForRules(['cross-origin', 'client-secret', 'insecure-http'], topics), ['cors', 'security', 'third-party-secrets']);
  assert.deepEqual(topicsForRules(['no-timeout'], topics), []);
});

// ---- the real knowledge base in docs/ --------------------------------------------------------------------

const kb = loadKnowledgeBase(KNOWLEDGE);

test('docs/knowledge: every page is complete and valid and every topic of TOPIC_IDS has one', () => {
  assert.deepEqual(kb.errors, [], kb.errors.join('\n'));
  assert.deepEqual([...kb.topics.keys()].sort(), [...TOPIC_IDS].sort());
  for (const topic of kb.topics.values()) {
    assert.equal(path.basename(topic.file), `${topic.id}.md`);
    assert.deepEqual(Object.keys(topic.sections), [...TOPIC_SECTIONS], `${topic.id}: sections in order`);
    assert.ok(topic.summary.length > 20, `${topic.id}: a summary a person can read`);
    // The hover shows the summary as one line and cuts it at 180 characters.
    assert.ok(topic.summary.length <= 180, `${topic.id}: summary is ${topic.summary.length} characters, keep it to 180`);
    assert.ok(topic.signals.length > 0, `${topic.id}: signals`);
  }
});

test('docs/knowledge: each side of the reference is covered and the two guides exist', () => {
  const bySide = (side: Topic['side']): string[] => [...kb.topics.values()].filter((t) => t.side === side).map((t) => t.id).sort();
  assert.deepEqual(bySide('frontend'), ['offline-caching', 'real-time-updates', 'reduced-server-load', 'user-experience']);
  assert.deepEqual(bySide('backend'), ['business-logic', 'data-validation', 'scalability', 'security', 'third-party-secrets']);
  assert.deepEqual(bySide('hybrid'), ['client-caching', 'cors', 'hybrid-auth']);
  assert.deepEqual(bySide('guide'), ['api-design', 'decision-guide']);
});

test('docs/knowledge: each page has a bad and a good example in code, and further reading with https links', () => {
  for (const topic of kb.topics.values()) {
    for (const name of ['Bad example', 'Good example']) {
      assert.match(topic.sections[name], /```(ts|tsx|js)\b/, `${topic.id}: "${name}" has a code block`);
    }
    assert.match(topic.sections['Further reading'], /\]\(https:\/\//, `${topic.id}: further reading links to documentation`);
  }
});

test('docs/knowledge: "Related rules" links exactly the rules of the front matter', () => {
  for (const topic of kb.topics.values()) {
    const linked = [...topic.sections['Related rules'].matchAll(/\]\(\.\.\/rules\/([\w-]+)\.md\)/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(linked)].sort(), [...topic.rules].sort(), `${topic.id}: Related rules section vs front matter rules`);
  }
});

test('docs/rules: every rule of RULE_IDS has a page whose topics exist, and rules and topics agree both ways', () => {
  const problems: string[] = [];
  const topicsOfRule = new Map<string, string[]>();
  for (const rule of RULE_IDS) {
    const file = path.join(RULES_DIR, `${rule}.md`);
    if (!fs.existsSync(file)) {
      problems.push(`rule "${rule}" has no page docs/rules/${rule}.md`);
      continue;
    }
    const front = parseFrontMatter(fs.readFileSync(file, 'utf8'));
    for (const error of front.errors) problems.push(`docs/rules/${rule}.md: front matter ${error}`);
    const topics = front.data.topics;
    if (!Array.isArray(topics) || topics.length === 0) {
      problems.push(`docs/rules/${rule}.md: front matter needs a non-empty "topics: [...]" list`);
      continue;
    }
    for (const t of topics) if (!(TOPIC_IDS as readonly string[]).includes(t)) problems.push(`docs/rules/${rule}.md: topic "${t}" does not exist`);
    topicsOfRule.set(rule, topics);
  }
  for (const topic of kb.topics.values()) {
    for (const rule of topic.rules) {
      if (!fs.existsSync(path.join(RULES_DIR, `${rule}.md`))) problems.push(`${topic.id}.md lists rule "${rule}", which has no page`);
      const back = topicsOfRule.get(rule);
      if (back && !back.includes(topic.id)) problems.push(`${topic.id}.md lists rule "${rule}", but docs/rules/${rule}.md does not list topic "${topic.id}"`);
    }
  }
  for (const [rule, topics] of topicsOfRule) {
    for (const t of topics) {
      const topic = kb.topics.get(t as TopicId);
      if (topic && !(topic.rules as readonly string[]).includes(rule)) problems.push(`docs/rules/${rule}.md lists topic "${t}", but ${t}.md does not list rule "${rule}"`);
    }
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('src/core/rules: each rule carries the topics whose pages list it', async () => {
  // Imported by computed path so this file type-checks whatever shape RULES takes; a missing module fails here.
  const modulePath = ['..', '..', 'src', 'core', 'rules', 'index.ts'].join('/');
  const findings = (await import(modulePath)) as { RULES?: unknown };
  const entries: [string, unknown][] = Array.isArray(findings.RULES)
    ? findings.RULES.map((r: { id?: string; rule?: string }) => [r.id ?? r.rule ?? '', r])
    : Object.entries((findings.RULES ?? {}) as Record<string, unknown>);
  assert.ok(entries.length > 0, 'the rules face exports RULES');
  const problems: string[] = [];
  for (const rule of RULE_IDS) {
    const entry = entries.find(([id]) => id === rule)?.[1] as { topics?: unknown } | undefined;
    if (!entry || !Array.isArray(entry.topics)) {
      problems.push(`RULES has no topics for "${rule}"`);
      continue;
    }
    const expected = topicsForRules([rule], kb.topics).sort();
    const actual = [...(entry.topics as string[])].sort();
    if (expected.join(',') !== actual.join(',')) problems.push(`${rule}: findings.ts says [${actual.join(', ')}], the topic pages say [${expected.join(', ')}]`);
  }
  assert.deepEqual(problems, [], problems.join('\n'));
});

// ---- every markdown file under docs/ ---------------------------------------------------------------------

const markdown = new MarkdownIt({ html: false });
const SCRIPT_FENCES: Record<string, string> = { ts: '.ts', typescript: '.ts', tsx: '.tsx', js: '.js', javascript: '.js', jsx: '.jsx', mjs: '.mjs', cjs: '.cjs' };

function walkTokens(tokens: ReturnType<MarkdownIt['parse']>, visit: (token: ReturnType<MarkdownIt['parse']>[number]) => void): void {
  for (const token of tokens) {
    visit(token);
    if (token.children) walkTokens(token.children, visit);
  }
}

test('docs/**/*.md: every ts/tsx/js code block is syntactically valid', () => {
  const problems: string[] = [];
  let blocks = 0;
  for (const file of listMarkdown(DOCS)) {
    const rel = path.relative(DOCS, file);
    walkTokens(markdown.parse(fs.readFileSync(file, 'utf8'), {}), (token) => {
      if (token.type !== 'fence') return;
      const ext = SCRIPT_FENCES[token.info.trim().split(/\s+/)[0]];
      if (!ext) return;
      blocks++;
      const line = (token.map?.[0] ?? 0) + 1;
      const out = ts.transpileModule(token.content, { fileName: `block${ext}`, reportDiagnostics: true, compilerOptions: { jsx: ts.JsxEmit.Preserve } });
      for (const d of out.diagnostics ?? []) {
        const where = d.start !== undefined && d.file ? d.file.getLineAndCharacterOfPosition(d.start).line + line + 1 : line;
        problems.push(`docs/${rel}:${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      }
    });
  }
  assert.ok(blocks >= TOPIC_IDS.length * 2, `expected at least a bad and a good example per topic, found ${blocks} code blocks`);
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('docs/**/*.md: relative links point to files that exist', () => {
  const problems = new Set<string>();
  for (const file of listMarkdown(DOCS)) {
    walkTokens(markdown.parse(fs.readFileSync(file, 'utf8'), {}), (token) => {
      const href = token.type === 'link_open' ? token.attrGet('href') : token.type === 'image' ? token.attrGet('src') : null;
      if (!href || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#')) return;
      const target = path.resolve(path.dirname(file), decodeURIComponent(href.split('#')[0]));
      if (!fs.existsSync(target)) problems.add(`docs/${path.relative(DOCS, file)}: link "${href}" points to a missing file`);
    });
  }
  assert.deepEqual([...problems], [], [...problems].join('\n'));
});
