// The plain edit model every fix produces (text edits, file creations, env changes) and the functions that apply it to texts.
import { createHash } from 'node:crypto';
import type { Span } from '../model/types';

/** Replace `span` of an existing file (0-based offsets into the text the plan was computed from) with `newText`. */
export interface TextEdit {
  /** Workspace-relative path, forward slashes. */
  file: string;
  span: Span;
  newText: string;
}

/** A new file. The plan never overwrites: it is computed so that `file` does not exist, and applying refuses if it does. */
export interface FileCreate {
  file: string;
  content: string;
}

/** What a plan does to environment variables, for the preview and the notes (the text edits are in `edits`/`creates`). */
export interface EnvChange {
  /** The `.env*` file, or null when the change is only in code. */
  file: string | null;
  kind: 'rename' | 'add' | 'copy';
  name: string;
  /** The old name for `rename`/`copy`. */
  from?: string;
  /** True when a value (a secret) is written to the file; the preview should say so. */
  writesValue: boolean;
}

export interface FixPlan {
  /** The code action title, e.g. `Move behind a server proxy (Next.js route handler app/api/openai/route.ts)`. */
  title: string;
  edits: TextEdit[];
  creates: FileCreate[];
  /** Things to tell the user after applying (where a router must be mounted, how to set an env var, ...). */
  notes: string[];
  envChanges: EnvChange[];
  /**
   * For every file the plan edits: a hash of the text the plan was computed from (`documentVersionKey`). The editor
   * compares it with the document's current text and refuses a stale plan.
   */
  documentVersionKeys: Record<string, string>;
  /** Show a preview before applying (true for anything that creates files or touches `.env*`). */
  needsConfirmation: boolean;
}

/** Either a plan or the reason, in words a user can act on, why this fix cannot be made for this call. */
export type PlanResult = { ok: true; plan: FixPlan } | { ok: false; reason: string };

/** How fixes read the workspace: the extension passes its open documents and disk, tests pass a fixture folder. */
export interface WorkspaceView {
  /** Text of a workspace-relative file, or undefined when it does not exist. */
  readFile(rel: string): string | undefined;
  /** Every workspace-relative file worth knowing about (sources, package.json, tsconfig, .env*). */
  listFiles(): string[];
}

/** The key a plan records for a text; equal keys mean the text is unchanged. */
export function documentVersionKey(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export function refused(reason: string): PlanResult {
  return { ok: false, reason };
}

/** Applies edits to one text. Edits must not overlap (two inserts at the same offset are kept in their given order). */
export function applyTextEdits(text: string, edits: readonly Pick<TextEdit, 'span' | 'newText'>[]): string {
  const ordered = edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.span.start - b.edit.span.start || a.edit.span.end - b.edit.span.end || a.index - b.index);
  let out = '';
  let cursor = 0;
  for (const { edit } of ordered) {
    const { start, end } = edit.span;
    if (start < cursor || end < start || end > text.length) {
      throw new Error(`Overlapping or out-of-range edit at ${start}-${end} (text length ${text.length}).`);
    }
    out += text.slice(cursor, start) + edit.newText;
    cursor = end;
  }
  return out + text.slice(cursor);
}

/**
 * Applies a whole plan to the texts `readFile` returns and gives back the new text of every file it touches.
 * Throws with a clear message when a file to edit is missing or changed since the plan was made, or when a file
 * to create already exists: a plan is applied entirely or not at all.
 */
export function applyPlanToTexts(plan: FixPlan, readFile: (rel: string) => string | undefined): Map<string, string> {
  const result = new Map<string, string>();
  const byFile = new Map<string, TextEdit[]>();
  for (const edit of plan.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  for (const [file, edits] of byFile) {
    const text = readFile(file);
    if (text === undefined) throw new Error(`${file} no longer exists.`);
    const expected = plan.documentVersionKeys[file];
    if (expected !== undefined && expected !== documentVersionKey(text)) {
      throw new Error(`${file} changed since the fix was computed; run the analysis again.`);
    }
    result.set(file, applyTextEdits(text, edits));
  }
  for (const create of plan.creates) {
    if (readFile(create.file) !== undefined || result.has(create.file)) throw new Error(`${create.file} already exists; API Atlas never overwrites a file.`);
    result.set(create.file, create.content);
  }
  return result;
}

/** The files of a plan whose current text differs from the text the plan was computed from (empty: safe to apply). */
export function staleFiles(plan: FixPlan, readFile: (rel: string) => string | undefined): string[] {
  return Object.entries(plan.documentVersionKeys)
    .filter(([file, key]) => {
      const text = readFile(file);
      return text === undefined || documentVersionKey(text) !== key;
    })
    .map(([file]) => file);
}

/** Builds a plan's version keys from the edits it contains. */
export function versionKeysFor(edits: readonly TextEdit[], readFile: (rel: string) => string | undefined): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const edit of edits) {
    if (keys[edit.file] !== undefined) continue;
    const text = readFile(edit.file);
    if (text !== undefined) keys[edit.file] = documentVersionKey(text);
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------------------------
// Line helpers shared by the fixes

export function lineStartAt(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The leading whitespace of the line containing `offset`. */
export function indentationAt(text: string, offset: number): string {
  const start = lineStartAt(text, offset);
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** `\r\n` when the text uses it, else `\n`, so inserted lines match the file. */
export function eolOf(text: string): string {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

/** One indentation step as the file writes it (two spaces when unknown). */
export function indentUnitOf(text: string): string {
  if (/^\t/m.test(text)) return '\t';
  const widths = [...text.matchAll(/^( +)\S/gm)].map((m) => m[1].length).filter((w) => w > 0);
  const smallest = widths.length > 0 ? Math.min(...widths) : 2;
  return ' '.repeat(smallest === 4 || smallest === 2 ? smallest : 2);
}
