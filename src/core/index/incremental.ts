// Incremental updates: one file edited, added or removed, or the settings changed; re-analyses what depends on it and says which files' calls changed.
import * as path from 'node:path';
import { libraryTable } from '../detect';
import { extractImports } from '../graph';
import { checkSourceText, readSource, toScriptText } from '../scan/discovery';
import type { Settings } from '../model/types';
import { mayContainCall, wrapperNeedles, type AnalyzeResult } from './analyze';
import { classifyAll, finishCalls, reclassify } from './classification';
import { analyze, applyResult, externalsFor, textOf, type IndexContext } from './context';
import { propagateDefinitions } from './definitions';
import type { IndexChange } from './events';
import { scanAll } from './pipeline';
import { newFileState, toPublicCall, toRel } from './store';
import { EditAnalysis, workerScriptPath } from './workers';

/** A large text's analysis done on the edit worker, with what it was done against (see analyzeOffThread). */
interface OffThreadAnalysis {
  result: AnalyzeResult;
  externalsKey: string;
  parse: boolean;
  generation: number;
}

/** Re-analyses one file (new text from the editor, or read from disk) and everything that depends on it. */
export async function updateFile(ctx: IndexContext, relOrAbs: string, text?: string): Promise<IndexChange> {
  const rel = toRelPath(ctx, relOrAbs);
  if (rel === null) return { files: [] };
  const known = ctx.store.files.has(rel);
  if (!known && !ctx.filter.isIncluded(rel)) return { files: [] };
  let scriptText: string;
  if (text === undefined) {
    const read = await readSource(path.join(ctx.root, rel), ctx.settings.maxFileSizeKB);
    if ('skipped' in read) {
      const change = known ? removeFile(ctx, rel) : { files: [] };
      ctx.store.readSkipped.set(rel, read.skipped);
      return change;
    }
    scriptText = toScriptText(rel, read.text);
  } else {
    // The editor's text passes the same checks as a read from disk: a binary or minified file the scan skipped
    // stays skipped when its document is opened or saved unchanged.
    const checked = checkSourceText(text, ctx.settings.maxFileSizeKB);
    if ('skipped' in checked) {
      const change = known ? removeFile(ctx, rel) : { files: [] };
      ctx.store.readSkipped.set(rel, checked.skipped);
      return change;
    }
    scriptText = toScriptText(rel, checked.text);
  }
  const early = await analyzeOffThread(ctx, rel, scriptText);
  // Readable now (a file the scan found too large may have been trimmed): no longer listed as skipped.
  ctx.store.forgetSkipped(rel);
  return applyEdit(ctx, rel, scriptText, text !== undefined, early);
}

/**
 * A large text's parse and detection, done on the edit worker while this thread stays free; null for small
 * texts, without a worker script, or when the worker failed. Callers serialize updates (the extension queues
 * them per folder); an analysis overtaken by another change is dropped and redone in applyEdit.
 */
async function analyzeOffThread(ctx: IndexContext, rel: string, text: string): Promise<OffThreadAnalysis | null> {
  if (text.length < ctx.offThreadEditChars) return null;
  const script = ctx.workerScript ?? workerScriptPath();
  if (!script) return null;
  ctx.editAnalysis ??= new EditAnalysis(script, ctx.root, ctx.log);
  const state = ctx.store.files.get(rel);
  // The definitions it imports now; if the edit changes its imports, applyEdit sees other externals and redoes it.
  const externals = state ? externalsFor(ctx, state) : {};
  const parse = mayContainCall(text, wrapperNeedles(ctx.settings.wrappers), Object.keys(externals), libraryTable(ctx.settings.clients));
  const generation = ctx.generation;
  const result = await ctx.editAnalysis.analyze({ focus: ctx.focus, clients: ctx.settings.clients, rel, text, parse, externals }, ctx.settings.wrappers);
  return result ? { result, externalsKey: JSON.stringify(externals), parse, generation } : null;
}

/** Drops a file from the index (deleted, or no longer readable) and re-analyses what imported it. */
export function removeFile(ctx: IndexContext, relOrAbs: string): IndexChange {
  const rel = toRelPath(ctx, relOrAbs);
  if (rel === null) return { files: [] };
  ctx.generation++;
  // A deleted file is not a skipped one either.
  if (ctx.store.forgetSkipped(rel)) ctx.store.stats = { ...ctx.store.stats, skipped: ctx.store.allSkipped() };
  if (!ctx.store.files.has(rel)) return { files: [] };
  const old = ctx.store.files.get(rel)!;
  const dependents = ctx.graph.importersClosure(rel);
  ctx.store.files.delete(rel);
  ctx.store.textBlindSpots.delete(rel);
  ctx.graph.rebuild(ctx.store.files);
  const changed = new Set<string>();
  if (old.calls.length) changed.add(rel);
  for (const f of propagateDefinitions(ctx, dependents, (r) => textOf(ctx, r))) changed.add(f);
  for (const f of reclassify(ctx)) changed.add(f);
  return finishChange(ctx, changed);
}

/** New settings: a full rescan when they change what is read or detected, else classification and rules again. */
export async function setSettings(ctx: IndexContext, settings: Settings): Promise<IndexChange> {
  ctx.generation++;
  const before = ctx.settings;
  ctx.settings = settings;
  const rescan =
    JSON.stringify([before.include, before.exclude, before.includeTests, before.maxFileSizeKB, before.wrappers, before.clients]) !==
    JSON.stringify([settings.include, settings.exclude, settings.includeTests, settings.maxFileSizeKB, settings.wrappers, settings.clients]);
  if (rescan) {
    const previous = new Map([...ctx.store.files].map(([rel, f]) => [rel, JSON.stringify(f.calls.map(toPublicCall))]));
    await scanAll(ctx, {});
    const changed = new Set<string>();
    for (const [rel, json] of previous) if (JSON.stringify(ctx.store.files.get(rel)?.calls.map(toPublicCall) ?? []) !== json) changed.add(rel);
    for (const [rel, f] of ctx.store.files) if (!previous.has(rel) && f.calls.length) changed.add(rel);
    return { files: [...changed].sort() };
  }
  const changed = new Set<string>();
  const before2 = new Map([...ctx.store.files].filter(([, f]) => f.calls.length).map(([rel, f]) => [rel, JSON.stringify(f.calls.map(toPublicCall))]));
  classifyAll(ctx);
  for (const f of ctx.store.files.values()) {
    if (!f.calls.length) continue;
    finishCalls(ctx, f);
    if (JSON.stringify(f.calls.map(toPublicCall)) !== before2.get(f.rel)) changed.add(f.rel);
  }
  return finishChange(ctx, changed);
}

/** Puts a file's new text in the index: links, analyses, re-detects its importers and re-classifies as needed. */
function applyEdit(
  ctx: IndexContext,
  rel: string,
  text: string,
  fromEditor: boolean,
  early: OffThreadAnalysis | null = null,
): IndexChange {
  const current = early !== null && early.generation === ctx.generation;
  ctx.generation++;
  const old = ctx.store.files.get(rel);
  const before = old ? JSON.stringify(old.calls.map(toPublicCall)) : '[]';
  const isNew = !old;
  const state = old ?? newFileState(rel, []);
  const oldImports = JSON.stringify(old?.imports ?? []);
  state.imports = extractImports(text);
  ctx.store.noteTextBlindSpots(rel, text);
  ctx.store.files.set(rel, state);
  if (isNew) ctx.graph.rebuild(ctx.store.files);
  else if (JSON.stringify(state.imports) !== oldImports) ctx.graph.relink(state);
  const oldSignals = JSON.stringify(old?.signals ?? null);
  const oldExports = JSON.stringify(old?.exports ?? {});
  const externals = externalsFor(ctx, state);
  const needles = [...wrapperNeedles(ctx.settings.wrappers)];
  const parse = mayContainCall(text, needles, Object.keys(externals), libraryTable(ctx.settings.clients));
  const externalsKey = JSON.stringify(externals);
  // The worker's analysis holds when it saw the same text, definitions and index state as this thread now.
  const result =
    current && early.externalsKey === externalsKey && early.parse === parse
      ? early.result
      : analyze(ctx, { focus: ctx.focus, clients: ctx.settings.clients, rel, text, parse, externals });
  applyResult(ctx, result, text, externalsKey);
  if (fromEditor) state.text = text;

  const changed = new Set<string>();
  if (JSON.stringify(state.exports) !== oldExports || isNew) {
    for (const f of propagateDefinitions(ctx, ctx.graph.importersClosure(rel), (r) => textOf(ctx, r))) changed.add(f);
  }
  const graphChanged = isNew || JSON.stringify(state.imports) !== oldImports;
  // Signals of a file outside the last classification's set cannot change any call's runtime; a file that
  // has calls now but was outside it widens the set.
  const signalsMatter = ctx.classified.has(rel) && JSON.stringify(state.signals) !== oldSignals;
  const unclassified = [rel, ...changed].some((r) => ctx.store.files.get(r)?.calls.length && !ctx.classified.has(r));
  // Otherwise the file keeps the classification it had: nothing that decides it changed.
  if (graphChanged || signalsMatter || unclassified) {
    for (const f of reclassify(ctx)) changed.add(f);
  }
  finishCalls(ctx, state);
  if (JSON.stringify(state.calls.map(toPublicCall)) !== before) changed.add(rel);
  for (const f of changed) if (f !== rel) finishCalls(ctx, ctx.store.files.get(f)!);
  return finishChange(ctx, changed);
}

/** Refreshes the counts and skipped list after an update and tells the listeners which files changed. */
function finishChange(ctx: IndexContext, changed: Set<string>): IndexChange {
  ctx.store.stats = { ...ctx.store.stats, calls: ctx.store.countCalls(), skipped: ctx.store.allSkipped() };
  const files = [...changed].sort();
  if (files.length) ctx.events.emit(files);
  return { files };
}

/** The workspace-relative path of a file, or null for one outside the root. */
function toRelPath(ctx: IndexContext, relOrAbs: string): string | null {
  if (!path.isAbsolute(relOrAbs)) return toRel(relOrAbs);
  const rel = path.relative(ctx.root, relOrAbs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return toRel(rel);
}
