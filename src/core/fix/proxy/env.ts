// Env var names and `.env*` file edits shared by the proxy move and the secret fixes: server-only names, renames, additions.
import ignore from 'ignore';
import type { EnvChange, FileCreate, TextEdit, WorkspaceView } from '../edits';
import { eolOf } from '../edits';
import { isBrowserExposedEnvName, serverOnlyEnvName } from '../../rules/secrets';

/** `.env` files frameworks read, probed at each root even when the workspace listing leaves dotfiles out. */
const ENV_FILE_NAMES = [
  '.env',
  '.env.local',
  '.env.development',
  '.env.development.local',
  '.env.production',
  '.env.production.local',
  '.env.test',
  '.env.test.local',
  '.env.example',
  '.env.sample',
  '.env.template',
];

function joinRel(dir: string, name: string): string {
  return dir === '' || dir === '.' ? name : `${dir.replace(/(?<!\/)\/+$/, '')}/${name}`;
}

function dirOf(rel: string): string {
  const slash = rel.lastIndexOf('/');
  return slash === -1 ? '' : rel.slice(0, slash);
}

function baseOf(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1);
}

/** The `.env*` files in the given folders (workspace-relative, '' for the root), listed or probed. */
export function envFilesIn(ws: WorkspaceView, dirs: readonly string[]): string[] {
  const wanted = new Set(dirs.map((d) => d.replace(/(?<!\/)\/+$/, '')));
  const found = new Set<string>();
  for (const file of ws.listFiles()) {
    if (/^\.env(\.|$)/.test(baseOf(file)) && wanted.has(dirOf(file))) found.add(file);
  }
  for (const dir of wanted) {
    for (const name of ENV_FILE_NAMES) {
      const rel = joinRel(dir, name);
      if (!found.has(rel) && ws.readFile(rel) !== undefined) found.add(rel);
    }
  }
  return [...found].sort();
}

export interface EnvAssignment {
  /** Offset of the start of the line. */
  lineStart: number;
  nameStart: number;
  nameEnd: number;
  value: string;
}

/** Every `NAME=value` (or `export NAME=value`) line of a dotenv text. */
export function findEnvAssignments(text: string, name: string): EnvAssignment[] {
  const out: EnvAssignment[] = [];
  const pattern = new RegExp(`^([ \\t]*(?:export[ \\t]+)?)(${escapeRegExp(name)})[ \\t]*=(.*)$`, 'gm');
  for (const m of text.matchAll(pattern)) {
    const lineStart = m.index;
    const nameStart = lineStart + m[1].length;
    out.push({ lineStart, nameStart, nameEnd: nameStart + name.length, value: unquoteEnvValue(m[3].replace(/\r$/, '')) });
  }
  return out;
}

function unquoteEnvValue(raw: string): string {
  const trimmed = raw.trim();
  const quoted = /^(['"`])(.*)\1$/.exec(trimmed);
  if (quoted) return quoted[2];
  return trimmed.replace(/(?<!\s)\s+#.*$/, '');
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when `name` is read anywhere in `text` as a whole word (code, config or docs). */
export function mentionsName(text: string, name: string): boolean {
  return new RegExp(`(?<![A-Za-z0-9_$])${escapeRegExp(name)}(?![A-Za-z0-9_$])`).test(text);
}

/** Offsets of every whole-word occurrence of `name` in `text`. */
export function nameOccurrences(text: string, name: string): number[] {
  const pattern = new RegExp(`(?<![A-Za-z0-9_$])${escapeRegExp(name)}(?![A-Za-z0-9_$])`, 'g');
  return [...text.matchAll(pattern)].map((m) => m.index);
}

/** `api.openai.com` → `OPENAI`, `generativelanguage.googleapis.com` → `GOOGLEAPIS`, `127.0.0.1` → `UPSTREAM`. */
export function serviceNameFromHost(host: string | null): string {
  if (!host) return 'UPSTREAM';
  const bare = host.replace(/:\d+$/, '').toLowerCase();
  if (/^[\d.]+$/.test(bare) || bare === 'localhost' || bare.startsWith('[')) return 'UPSTREAM';
  const labels = bare.split('.').filter(Boolean);
  // Drop the public suffix (one label, or two for `co.uk`-style suffixes) and generic labels.
  const suffixLength = labels.length >= 3 && /^(co|com|org|net|gov|ac)$/.test(labels[labels.length - 2]) ? 2 : 1;
  const meaningful = labels.slice(0, Math.max(1, labels.length - suffixLength)).filter((l) => !/^(api|www|v\d+|rest|gateway)$/.test(l));
  const label = meaningful.length > 0 ? meaningful[meaningful.length - 1] : labels[0];
  return label.replace(/[^a-z0-9]+/g, '_').toUpperCase().replace(/^(\d)/, '_$1') || 'UPSTREAM';
}

/** The env var name for a secret found as a literal: `<SERVICE>_API_KEY`, or `<SERVICE>_<FIELD>` for a telling field. */
export function envNameForLiteral(host: string | null, field?: string): string {
  const service = serviceNameFromHost(host);
  const fieldWords = (field ?? '')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((w) => w && !['X', 'AUTHORIZATION', 'AUTH', 'BEARER', 'HEADER'].includes(w));
  const suffix = fieldWords.length > 0 && fieldWords.some((w) => /KEY|TOKEN|SECRET|PASSWORD/.test(w)) ? fieldWords.join('_') : 'API_KEY';
  return suffix.startsWith(`${service}_`) ? suffix : `${service}_${suffix}`;
}

export interface ServerEnvName {
  name: string;
  /** True when the name already exists in a `.env*` file with the same value (or no value): it is reused. */
  reused: boolean;
}

/**
 * The server-only name for `publicName` (or `wanted` for a literal secret), avoiding a clash with a different
 * variable of that name in the `.env*` files: `OPENAI_KEY`, else `OPENAI_KEY_SERVER`.
 */
export function chooseServerEnvName(ws: WorkspaceView, envFiles: readonly string[], wanted: string, value: string | null): ServerEnvName {
  for (let attempt = 1; ; attempt++) {
    const candidate = attempt === 1 ? wanted : attempt === 2 ? `${wanted}_SERVER` : `${wanted}_SERVER_${attempt - 1}`;
    let clash = false;
    let exists = false;
    for (const file of envFiles) {
      const text = ws.readFile(file) ?? '';
      for (const a of findEnvAssignments(text, candidate)) {
        exists = true;
        if (value !== null && a.value !== '' && value !== '' && a.value !== value) clash = true;
      }
    }
    if (!clash) return { name: candidate, reused: exists };
  }
}

export function serverNameFor(publicName: string): string {
  return isBrowserExposedEnvName(publicName) ? serverOnlyEnvName(publicName) : publicName;
}

export interface EnvRenamePlan {
  edits: TextEdit[];
  changes: EnvChange[];
  /** The value found for the old name (first non-empty one), to carry over. */
  value: string | null;
}

/**
 * Renames `from` to `to` in every given `.env*` file, with a comment line saying why. With `keepOld` the old line
 * stays (other code still reads it) and a copy under the new name is added below it.
 */
export function planEnvRename(ws: WorkspaceView, envFiles: readonly string[], from: string, to: string, why: string, keepOld: boolean): EnvRenamePlan {
  const edits: TextEdit[] = [];
  const changes: EnvChange[] = [];
  let value: string | null = null;
  for (const file of envFiles) {
    const text = ws.readFile(file);
    if (text === undefined) continue;
    const eol = eolOf(text);
    const alreadyThere = findEnvAssignments(text, to).length > 0;
    for (const a of findEnvAssignments(text, from)) {
      if (value === null && a.value !== '') value = a.value;
      const comment = `# ${why}${eol}`;
      if (keepOld) {
        if (alreadyThere) continue;
        const lineEnd = text.indexOf('\n', a.lineStart);
        const insertAt = lineEnd === -1 ? text.length : lineEnd + 1;
        const line = text.slice(a.lineStart, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, '');
        const copied = line.slice(0, a.nameStart - a.lineStart) + to + line.slice(a.nameEnd - a.lineStart);
        edits.push({ file, span: { start: insertAt, end: insertAt }, newText: `${lineEnd === -1 ? eol : ''}${comment}${copied}${eol}` });
        changes.push({ file, kind: 'copy', name: to, from, writesValue: a.value !== '' });
      } else if (alreadyThere) {
        // The server name is already set in this file: drop the public line instead of creating a duplicate.
        const lineEnd = text.indexOf('\n', a.lineStart);
        edits.push({ file, span: { start: a.lineStart, end: lineEnd === -1 ? text.length : lineEnd + 1 }, newText: '' });
        changes.push({ file, kind: 'rename', name: to, from, writesValue: false });
      } else {
        // One edit per line (comment + new name) so editors never see two edits touching the same position.
        edits.push({ file, span: { start: a.lineStart, end: a.nameEnd }, newText: comment + text.slice(a.lineStart, a.nameStart) + to });
        changes.push({ file, kind: 'rename', name: to, from, writesValue: false });
      }
    }
  }
  return { edits, changes, value };
}

/** Appends `NAME=value` (with a comment) to a `.env*` file, or creates it; nothing when the name is already there. */
export function planEnvAdd(
  ws: WorkspaceView,
  file: string,
  name: string,
  value: string,
  comment: string,
): { edit?: TextEdit; create?: { file: string; content: string }; change?: EnvChange } {
  const text = ws.readFile(file);
  const line = `${name}=${formatEnvValue(value)}`;
  const change: EnvChange = { file, kind: 'add', name, writesValue: value !== '' };
  if (text === undefined) return { create: { file, content: `# ${comment}\n${line}\n` }, change };
  if (findEnvAssignments(text, name).length > 0) return {};
  const eol = eolOf(text);
  const lead = text.length === 0 || text.endsWith('\n') ? '' : eol;
  return { edit: { file, span: { start: text.length, end: text.length }, newText: `${lead}# ${comment}${eol}${line}${eol}` }, change };
}

function formatEnvValue(value: string): string {
  return /[\s#'"]/.test(value) ? JSON.stringify(value) : value;
}

/** The package root holding `file` (the nearest folder with a package.json), '' for the workspace root. */
export function packageRootOf(file: string, ws: WorkspaceView): string {
  for (let dir = dirOf(file); ; dir = dirOf(dir)) {
    if (ws.readFile(joinRel(dir, 'package.json')) !== undefined) return dir;
    if (dir === '') return '';
  }
}

/**
 * The `.env*` side of moving a literal secret to the server-only `name` under `root`: `NAME=` without a value in
 * `.env.example`, and, only when the user agreed to it, the value in `.env.local` with `.env.local` git-ignored.
 */
export function planLiteralSecretEnvFiles(
  ws: WorkspaceView,
  root: string,
  name: string,
  value: string,
  opts: { exampleComment: string; localComment: string; writeValueToEnvLocal: boolean },
): { edits: TextEdit[]; creates: FileCreate[]; changes: EnvChange[] } {
  const edits: TextEdit[] = [];
  const creates: FileCreate[] = [];
  const changes: EnvChange[] = [];
  const add = (planned: { edit?: TextEdit; create?: FileCreate; change?: EnvChange }): void => {
    if (planned.edit) edits.push(planned.edit);
    if (planned.create) creates.push(planned.create);
    if (planned.change) changes.push(planned.change);
  };
  add(planEnvAdd(ws, joinRel(root, '.env.example'), name, '', opts.exampleComment));
  if (opts.writeValueToEnvLocal) {
    const localFile = joinRel(root, '.env.local');
    add(planEnvAdd(ws, localFile, name, value, opts.localComment));
    add(planGitIgnore(ws, localFile));
  }
  return { edits, creates, changes };
}

/**
 * Makes sure `file` is ignored by git: nothing when the root `.gitignore` already covers it, else an edit that adds
 * it (or a new `.gitignore`).
 */
export function planGitIgnore(ws: WorkspaceView, file: string): { edit?: TextEdit; create?: { file: string; content: string } } {
  const text = ws.readFile('.gitignore');
  if (text === undefined) return { create: { file: '.gitignore', content: `${file}\n` } };
  if (ignore().add(text).ignores(file)) return {};
  const eol = eolOf(text);
  const lead = text.length === 0 || text.endsWith('\n') ? '' : eol;
  return { edit: { file: '.gitignore', span: { start: text.length, end: text.length }, newText: `${lead}${file}${eol}` } };
}

export { dirOf, joinRel, baseOf };
