// The two ignore directives (docs/design.md §5), read in one place for the detector, the rules and the fixes.

/** What a bare directive silences: every rule. */
export const ALL_RULES = '*';

/** Rule ids after an ignore directive; `*` when bare. An ESLint-style `-- reason` and comment ends are cut off. */
function parseRuleList(rest: string): string[] {
  const list = rest.split(/\*\/|-->|--/)[0];
  const ids = list.split(/[\s,]+/).filter((w) => w !== '' && w !== '}');
  return ids.length === 0 ? [ALL_RULES] : ids;
}

// Only in a comment (`//`, `/* */`, JSX `{/* */}`, or `<!-- -->` in .vue/.svelte markup): never text in a string.
const FILE_DIRECTIVE = /(?:\/\/|\/\*|<!--)\s*api-atlas-ignore-file\b([^\r\n]*)/g;
const NEXT_LINE_DIRECTIVE = /(?:\/\/|\/\*|<!--)\s*api-atlas-ignore-next-line\b([^\r\n]*)/;

/** Rules silenced for the whole file by `// api-atlas-ignore-file [rule...]` comments anywhere in it. */
export function fileIgnoredRules(text: string): Set<string> {
  const rules = new Set<string>();
  for (const m of text.matchAll(FILE_DIRECTIVE)) for (const id of parseRuleList(m[1])) rules.add(id);
  return rules;
}

/** Rules silenced by `// api-atlas-ignore-next-line [rule...]` on the line above 0-based line `line0`. */
export function ignoredRulesAt(lines: readonly string[], line0: number): string[] {
  const above = line0 > 0 ? lines[line0 - 1] : undefined;
  if (above === undefined) return [];
  const m = NEXT_LINE_DIRECTIVE.exec(above);
  return m ? parseRuleList(m[1]) : [];
}
