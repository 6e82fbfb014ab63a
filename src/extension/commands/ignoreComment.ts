// Works out the text edit that silences one finding with `// api-atlas-ignore-next-line <rule>`; no `vscode`, unit-tested.

export const IGNORE_NEXT_LINE = 'api-atlas-ignore-next-line';

const EXISTING_DIRECTIVE = /^(\s*)\/\/\s*api-atlas-ignore-next-line\b(.*)$/;

/** A line edit in 0-based lines: insert a new line before `line`, or replace the whole text of `line`. */
export type IgnoreEdit =
  | { kind: 'insert'; line: number; text: string }
  | { kind: 'replace'; line: number; text: string }
  | { kind: 'none'; reason: string };

/**
 * The edit for silencing `rule` on the call that starts on `callLine` (0-based). When the line above is already
 * an ignore directive the rule is added to it (only the line directly above counts), else a comment with the
 * call line's indentation is inserted above it.
 */
export function planIgnoreComment(lines: readonly string[], callLine: number, rule: string): IgnoreEdit {
  const previous = callLine > 0 ? lines[callLine - 1] : undefined;
  const existing = previous !== undefined ? EXISTING_DIRECTIVE.exec(previous) : null;
  if (existing) {
    // An ESLint-style `-- reason` after the rules is kept as it is.
    const [list, ...reason] = existing[2].split('--');
    const rules = list.split(/[\s,]+/).filter(Boolean);
    if (rules.length === 0 || rules.includes(rule) || rules.includes('*')) return { kind: 'none', reason: `"${rule}" is already ignored on this line.` };
    const suffix = reason.length > 0 ? ` --${reason.join('--')}` : '';
    return { kind: 'replace', line: callLine - 1, text: `${existing[1]}// ${IGNORE_NEXT_LINE} ${[...rules, rule].join(', ')}${suffix}` };
  }
  const indentation = /^\s*/.exec(lines[callLine] ?? '')?.[0] ?? '';
  return { kind: 'insert', line: callLine, text: `${indentation}// ${IGNORE_NEXT_LINE} ${rule}` };
}
