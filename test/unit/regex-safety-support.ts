// Finds every regular expression in src/ (literals and `new RegExp` with a resolvable pattern) and times each
// against inputs built from its own characters, to catch backtracking that grows faster than the input.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

export interface FoundRegex {
  /** file:line, for the failure message */
  where: string;
  source: string;
  flags: string;
}

export function listSourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSourceFiles(abs));
    else if (/\.(?:ts|mts|cts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(abs);
  }
  return out.sort();
}

/** Every regex literal and every `new RegExp(...)`/`RegExp(...)` whose pattern is a string or template in the file. */
export function findRegexes(file: string, rel: string): FoundRegex[] {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const constants = new Map<string, ts.Expression>();
  const found: FoundRegex[] = [];
  const where = (node: ts.Node) => `${rel}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
  const collectConstants = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) constants.set(node.name.text, node.initializer);
    ts.forEachChild(node, collectConstants);
  };
  collectConstants(sf);
  // A template's interpolations: constants of this file are followed; anything else (a name, an escaped value)
  // becomes a plain identifier, which is what those places hold at run time.
  const evaluate = (expr: ts.Expression, depth = 0): string => {
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return expr.text;
    if (ts.isTemplateExpression(expr)) return expr.head.text + expr.templateSpans.map((s) => evaluate(s.expression, depth + 1) + s.literal.text).join('');
    if (ts.isParenthesizedExpression(expr)) return evaluate(expr.expression, depth + 1);
    if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) return evaluate(expr.left, depth + 1) + evaluate(expr.right, depth + 1);
    if (ts.isIdentifier(expr) && depth < 8) {
      const init = constants.get(expr.text);
      if (init && (ts.isStringLiteral(init) || ts.isNoSubstitutionTemplateLiteral(init) || ts.isTemplateExpression(init) || ts.isBinaryExpression(init))) return evaluate(init, depth + 1);
    }
    return 'name';
  };
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = node.getText(sf);
      const end = literal.lastIndexOf('/');
      found.push({ where: where(node), source: literal.slice(1, end), flags: literal.slice(end + 1) });
    } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp' && node.arguments?.length) {
      const [pattern, flags] = node.arguments;
      const patternText = ts.isRegularExpressionLiteral(pattern) ? null : evaluate(pattern);
      if (patternText !== null) found.push({ where: where(node), source: patternText, flags: flags && ts.isStringLiteral(flags) ? flags.text : '' });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

const CLASS_STAND_INS: Record<string, string[]> = { s: [' ', '\n'], S: ['a'], w: ['a'], W: [' '], d: ['1'], D: ['a'], n: ['\n'], t: ['\t'], r: ['\r'], b: [], B: [] };

/** Characters the regex talks about: its literal characters and one member of each escape class it uses. */
export function standInCharacters(source: string): string[] {
  const chars = new Set<string>();
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\' && i + 1 < source.length) {
      const next = source[++i];
      for (const s of CLASS_STAND_INS[next] ?? [next]) chars.add(s);
    } else if (c === '.') {
      chars.add('a');
    } else if (!'^$|?*+{}'.includes(c)) {
      chars.add(c);
    }
  }
  return [...chars].slice(0, 32);
}

/** Inputs meant to make a backtracking engine work hard: long runs of one stand-in, of a word, of a pair. */
export function adversarialInputs(source: string, length: number): string[] {
  const chars = standInCharacters(source);
  const words = [...new Set(source.match(/[A-Za-z]{2,}/g) ?? [])].slice(0, 8);
  const units = new Set<string>([...chars, ...words, ...words.map((w) => ` ${w} `)]);
  const pairable = chars.slice(0, 10);
  for (let i = 0; i < pairable.length; i++) for (let j = i + 1; j < pairable.length; j++) units.add(pairable[i] + pairable[j]);
  const prefixes = ['', ...words.slice(0, 2).map((w) => `${w} `)];
  const inputs: string[] = [];
  for (const prefix of prefixes) {
    for (const unit of units) inputs.push(prefix + unit.repeat(Math.ceil(length / unit.length)).slice(0, length) + '\u0001');
  }
  return inputs;
}

/**
 * Milliseconds the regex spends on `input` used the worst way it can be: a sticky regex is tried where it stands
 * (position 0, which the inputs start with one of its words); any other is run as a global copy over the whole
 * input, which tries every start position as `split`, `replace` and a search that fails do.
 */
export function timeAllMatches(regex: FoundRegex, input: string): number {
  if (regex.flags.includes('y')) {
    const sticky = new RegExp(regex.source, regex.flags);
    const start = performance.now();
    sticky.exec(input);
    return performance.now() - start;
  }
  const re = new RegExp(regex.source, [...new Set((regex.flags + 'g').split(''))].join(''));
  const start = performance.now();
  input.replace(re, '');
  return performance.now() - start;
}
