// The one entry to the TypeScript parser for detection and fixes alike, and the script kind each file name gets.
import ts from 'typescript';
import { nodesInOrder } from './syntax-order';

/** Parses a file with the TypeScript 6 parser (it tolerates half-typed code); `.vue`/`.svelte` text must already be blanked. */
export function parseSource(rel: string, text: string): ts.SourceFile {
  // Parent links come from nodesInOrder's walk, which the passes over every node need anyway (one walk, not two).
  const sf = ts.createSourceFile(rel, text, { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, false, scriptKindFor(rel));
  nodesInOrder(sf);
  return sf;
}

/** The script kind of a file name, whatever its case: `.vue`/`.svelte`/`.astro` (their script text) read as TypeScript. */
export function scriptKindFor(rel: string): ts.ScriptKind {
  const lower = rel.toLowerCase();
  if (lower.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(lower) || lower.endsWith('.vue') || lower.endsWith('.svelte') || lower.endsWith('.astro')) return ts.ScriptKind.TS;
  // JSX is harmless in plain JavaScript (there are no `<T>x` casts to confuse it with).
  return ts.ScriptKind.JSX;
}
