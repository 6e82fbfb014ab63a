// A full scan answered from the snapshot of the last one: discovery, one stat per file, and analysis of only the files whose content changed since (snapshot.ts keeps the snapshot).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeSource, readEnvFiles, sameMeta, toPosix, toScriptText, type DiscoveryResult, type FileMeta, type ListingTable } from '../scan/discovery';
import type { BlindSpot } from '../model/types';
import type { IndexContext } from './context';
import { libraryTable, type GeneratedImport } from '../detect';
import { extractImports } from '../graph';
import { mayContainCall, wrapperNeedles, type AnalyzeResult } from './analyze';
import { classifyAll, finishCalls, signalsOf } from './classification';
import { analyze, applyResult, externalsFor, textOf } from './context';
import { propagateDefinitions } from './definitions';
import { SLICE_MS, throwIfAborted, yieldToEventLoop } from './slices';
import { hashOf, projectFileRows, projectFileTable, StampReader, StampTableBuilder, type SnapshotData, type SnapshotScanStats, type StampTable } from './snapshot';
import { RestoredFile, RestSource, restTable } from './snapshot-rest';
import { newFileState, type FileState } from './store';

/** Everything besides the files' own texts that decides a scan's result: another key means another scan. */
export function snapshotKey(ctx: IndexContext): string {
  const settings = Object.fromEntries(Object.entries(ctx.settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify({ root: ctx.root, settings, extraExclude: ctx.extraExclude, focus: ctx.focus });
}

/** What a result shows of a file (see SnapshotData.results), and its exports (few files have any; every change needs them): read by every warm scan. */
export type SnapshotResultState = Pick<FileState, 'rel' | 'parsed' | 'calls' | 'blindSpots' | 'queryFnDefaults'> & { exports?: FileState['exports'] };

/** The snapshot of the index as it stands after a scan that read the files with these stamps. */
export function takeSnapshot(ctx: IndexContext, startedAt: number, stamps: StampTable, listings: ListingTable): SnapshotData<SnapshotResultState> {
  // Every file's links must be in place (the rest's table is built from them).
  linkRestoredFiles(ctx);
  const results: SnapshotResultState[] = [];
  for (const f of ctx.store.files.values()) {
    const exported = Object.keys(f.exports).length > 0;
    if (f.parsed || f.calls.length || f.blindSpots || f.queryFnDefaults || exported) {
      const shown: SnapshotResultState = { rel: f.rel, parsed: f.parsed, calls: f.calls };
      if (f.blindSpots) shown.blindSpots = f.blindSpots;
      if (f.queryFnDefaults) shown.queryFnDefaults = f.queryFnDefaults;
      if (exported) shown.exports = f.exports;
      results.push(shown);
    }
  }
  const { rels, table } = restTable(ctx.store.files.values(), ctx.classified, ctx.graph.reexportingFiles());
  return {
    key: snapshotKey(ctx),
    startedAt,
    stamps,
    listings,
    manifests: projectFileTable(ctx.manifests.records(hashOf)),
    env: JSON.stringify(ctx.env),
    files: rels.join('\0'),
    results,
    readSkipped: [...ctx.store.readSkipped],
    textBlindSpots: [...ctx.store.textBlindSpots],
    generatedImports: [...ctx.store.generatedImports],
    rest: table,
  };
}

/**
 * Brings the index to the state a full scan of `discovered` would reach, starting from `snapshot`: checks that
 * nothing besides the sources changed (settings, `.env` files, every package.json, tsconfig and other project
 * file the last scan read, by content), finds the changed files by size, modification and change time (by
 * content when those differ, or when they were too close to the snapshot's scan to be trusted), then applies
 * the changes incrementally. Null, with the reason logged, when the snapshot cannot serve: the caller scans.
 */
export async function restoreFromSnapshot(
  ctx: IndexContext,
  snapshot: SnapshotData<SnapshotResultState>,
  discovered: DiscoveryResult,
  signal?: AbortSignal,
  openCache: () => void = () => undefined,
): Promise<{ stamps: () => StampTable; stats: SnapshotScanStats } | null> {
  const setAside = (why: string): null => {
    ctx.log(`Scan snapshot set aside: ${why}; reading every file.`, 'info');
    return null;
  };
  if (snapshot.key !== snapshotKey(ctx)) return setAside('the settings changed');
  const env = readEnvFiles(ctx.root, { onProblem: (message) => ctx.log(message, 'warn') });
  if (JSON.stringify(env) !== snapshot.env) return setAside('an .env file changed');
  const changed = projectFileChanged(ctx, snapshot, discovered.unchanged);
  if (changed === undefined) return setAside('its table of project files is damaged');
  if (changed !== null) return setAside(`${path.relative(ctx.root, changed) || changed} changed`);

  const old = new StampReader(snapshot.stamps);
  /** Files read again, with their meta and hash; the others kept their row (or could not be read, and have none). */
  const fresh = new Map<string, [FileMeta, string]>();
  const unreadable = new Set<string>();
  const reads = new Map<string, DiskRead>();
  const stats: SnapshotScanStats = { unchanged: 0, checkedByContent: 0, changed: 0, removed: 0 };
  let sliceStart = performance.now();
  for (const rel of discovered.files) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      throwIfAborted(signal);
      sliceStart = performance.now();
    }
    const row = old.next(rel);
    let bytes: Buffer;
    let meta: FileMeta;
    try {
      // The walk's stat, taken before anything below reads the file (see DiscoveryResult.meta).
      meta = discovered.meta.get(rel) ?? metaOf(fs.statSync(path.join(ctx.root, rel)));
      if (row >= 0 && old.matches(row, meta, snapshot.startedAt)) {
        stats.unchanged++;
        continue;
      }
      bytes = fs.readFileSync(path.join(ctx.root, rel));
    } catch (err) {
      reads.set(rel, { skipped: `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      unreadable.add(rel);
      continue;
    }
    const hash = hashOf(bytes);
    fresh.set(rel, [meta, hash]);
    if (row >= 0 && old.hash(row) === hash) {
      stats.unchanged++;
      stats.checkedByContent++;
      continue;
    }
    const decoded = decodeSource(bytes, ctx.settings.maxFileSizeKB);
    reads.set(rel, 'skipped' in decoded ? { skipped: decoded.skipped } : { text: toScriptText(rel, decoded.text) });
  }
  const present = new Set(discovered.files);
  const rels = snapshot.files === '' ? [] : snapshot.files.split('\0');
  const removed = [...new Set([...rels, ...snapshot.readSkipped.map(([rel]) => rel)])].filter((rel) => !present.has(rel));
  stats.changed = reads.size;
  stats.removed = removed.length;

  ctx.env = env;
  ctx.store.discoverySkipped = discovered.skipped;
  ctx.store.readSkipped.clear();
  for (const [rel, reason] of snapshot.readSkipped) ctx.store.readSkipped.set(rel, reason);
  ctx.store.textBlindSpots.clear();
  for (const [rel, spots] of snapshot.textBlindSpots) ctx.store.textBlindSpots.set(rel, spots as BlindSpot[]);
  ctx.store.generatedImports.clear();
  for (const [rel, imports] of snapshot.generatedImports) ctx.store.generatedImports.set(rel, imports as GeneratedImport[]);
  const source = new RestSource(snapshot.rest, rels);
  if (!source.consistent) return setAside('its table of links is damaged');
  const files = new Map<string, FileState>();
  rels.forEach((rel, i) => files.set(rel, new RestoredFile(rel, source, i)));
  for (const shown of snapshot.results) {
    const f = files.get(shown.rel);
    if (f) Object.assign(f, shown);
  }
  ctx.store.files = files;
  ctx.store.callsChanged();
  ctx.classified = new Set();
  // The links wait until something needs the module graph (an edit, or the changes below); each file's signals,
  // classification and imports until something asks for that file's (see RestoredFile).
  ctx.pendingRestore = () => {
    rels.forEach((rel, i) => {
      const f = files.get(rel);
      if (f) f.deps = source.deps(i);
    });
    ctx.classified = source.classified();
    ctx.graph.adopt(files, source.reexporters());
  };
  if (reads.size || removed.length) {
    linkRestoredFiles(ctx);
    openCache();
    stats.classified = applyDiskChanges(ctx, reads, removed).classified;
  }
  // The stamps for the next snapshot, built only when one is written (a scan that found nothing changed writes none).
  const stamps = (): StampTable => {
    const again = new StampReader(snapshot.stamps);
    const table = new StampTableBuilder();
    for (const rel of discovered.files) {
      const row = again.next(rel);
      const read = fresh.get(rel);
      if (read) table.add(rel, read[0], read[1]);
      else if (row >= 0 && !unreadable.has(rel)) table.add(rel, discovered.meta.get(rel) ?? again.meta(row), again.hash(row));
    }
    return table.build();
  };
  return { stamps, stats };
}

/**
 * The first project file (package.json, tsconfig, ...) the last scan read that is not as it was then, or null.
 * A present file is unchanged when its size and times are (else its content decides); an absent one is still
 * absent when its folder's listing was replayed (the folder has the same entries), else when it is not there.
 * Each is vouched for, so the next snapshot checks it again. Undefined when the table cannot be read.
 */
function projectFileChanged(ctx: IndexContext, snapshot: SnapshotData<SnapshotResultState>, unchangedFolders: ReadonlySet<string>): string | null | undefined {
  const rows = snapshot.manifests && projectFileRows(snapshot.manifests);
  if (!rows) return undefined;
  const prefix = ctx.root.endsWith(path.sep) ? ctx.root : ctx.root + path.sep;
  const folderOf = (abs: string): string | null => (abs.startsWith(prefix) ? toPosix(abs.slice(prefix.length, Math.max(prefix.length, abs.lastIndexOf(path.sep)))) : null);
  for (const { abs, hash, meta } of rows) {
    if (hash === null) {
      const folder = folderOf(abs);
      if (folder !== null && unchangedFolders.has(folder)) ctx.manifests.vouch(abs, null, null);
      else if (ctx.manifests.read(abs) !== undefined) return abs;
      continue;
    }
    const stat = fs.statSync(abs, { throwIfNoEntry: false });
    const now = stat ? metaOf(stat) : null;
    if (now && sameMeta(meta, now, snapshot.startedAt)) {
      ctx.manifests.vouch(abs, hash, now);
      continue;
    }
    const text = ctx.manifests.read(abs);
    if (text === undefined || hashOf(text) !== hash) return abs;
  }
  return null;
}

/** A file's size and times from its stat. */
export function metaOf(stat: fs.Stats): FileMeta {
  return [stat.size, stat.mtimeMs, stat.ctimeMs];
}

/** Reads the rest of the state a snapshot left for later (see SnapshotData.rest), if it did: before anything uses the module graph, signals or classification. */
export function linkRestoredFiles(ctx: IndexContext): void {
  const pending = ctx.pendingRestore;
  ctx.pendingRestore = null;
  pending?.();
}

/** What a scan found on disk for a file that changed or appeared since the snapshot: its script text, or why it is skipped. */
export type DiskRead = { text: string } | { skipped: string };

/**
 * Puts the new texts of many files in the index at once and drops the files that are gone (a scan answered from
 * the snapshot of the last one: the files changed on disk since), then re-analyses what depends on them: each
 * changed file is linked and analysed (in dependency order, so a file sees the new definitions of the files it
 * imports), importers whose imported definitions changed are re-detected, classification runs once when what
 * decides it changed, and the rules run where anything changed. The analysis grows with the number of files
 * changed, not with the workspace, but when files came or went (then every import is resolved again: a new file
 * can change what a specifier means) or a change reached classification (then it runs over its whole set).
 */
export function applyDiskChanges(ctx: IndexContext, reads: ReadonlyMap<string, DiskRead>, removed: readonly string[]): { classified: boolean } {
  ctx.generation++;
  const files = ctx.store.files;
  /** The signals of the files the changes can reach, as they were (analysis replaces the object, never changes it). */
  const signalsBefore = new Map<string, FileState['signals']>();
  let fileSetChanged = false;
  /** Files whose imported definitions may have changed. */
  const dependents = new Set<string>();
  const texts = new Map<string, string>();
  const relinked: FileState[] = [];
  const exportsBefore = new Map<string, string>();
  const drop = (rel: string): void => {
    for (const d of ctx.graph.importersClosure(rel)) dependents.add(d);
    files.delete(rel);
    ctx.store.forgetTextBlindSpots(rel);
    fileSetChanged = true;
  };
  for (const rel of removed) {
    ctx.store.readSkipped.delete(rel);
    if (files.has(rel)) drop(rel);
  }
  for (const [rel, read] of reads) {
    const old = files.get(rel);
    if ('skipped' in read) {
      if (old) drop(rel);
      ctx.store.readSkipped.set(rel, read.skipped);
      continue;
    }
    ctx.store.readSkipped.delete(rel);
    ctx.store.noteTextBlindSpots(rel, read.text, ctx.packages.forFile(rel)?.dependencies);
    texts.set(rel, read.text);
    const imports = extractImports(read.text);
    if (!old) {
      files.set(rel, newFileState(rel, imports));
      fileSetChanged = true;
      continue;
    }
    exportsBefore.set(rel, JSON.stringify(old.exports));
    signalsBefore.set(rel, old.signals);
    old.text = undefined;
    if (JSON.stringify(imports) !== JSON.stringify(old.imports)) {
      old.imports = imports;
      relinked.push(old);
    }
  }
  if (fileSetChanged) ctx.graph.rebuild(files);
  else for (const f of relinked) ctx.graph.relink(f);
  ctx.store.callsChanged();

  const textOfChanged = (rel: string): string | undefined => texts.get(rel) ?? textOf(ctx, rel);
  const needles = wrapperNeedles(ctx.settings.wrappers);
  const libraries = libraryTable(ctx.settings.clients);
  for (const rel of ctx.graph.dependencyOrder()) {
    const text = texts.get(rel);
    if (text === undefined) continue;
    const f = files.get(rel)!;
    const externals = externalsFor(ctx, f);
    // As in a full scan, a file that cannot make a request is not analysed now: classification reads its signals if it needs them.
    const result: AnalyzeResult = mayContainCall(text, needles, Object.keys(externals), libraries)
      ? analyze(ctx, { focus: ctx.focus, clients: ctx.settings.clients, rel, text, parse: true, externals })
      : { rel, signals: null, detection: null };
    applyResult(ctx, result, text, JSON.stringify(externals));
    if (exportsBefore.get(rel) !== JSON.stringify(f.exports)) for (const d of ctx.graph.importersClosure(rel)) dependents.add(d);
  }
  if (!fileSetChanged) for (const rel of dependents) if (!signalsBefore.has(rel)) signalsBefore.set(rel, files.get(rel)?.signals ?? null);
  const redetected = propagateDefinitions(ctx, fileSetChanged ? null : dependents, textOfChanged);

  // As for an edit (incremental.ts): the classification stands unless what decides it changed. That is the
  // module graph, a runtime signal of a file the last classification looked at, or a file with calls outside it.
  const looked = [...new Set([...texts.keys(), ...redetected])];
  const classify =
    fileSetChanged ||
    relinked.length > 0 ||
    looked.some((rel) => {
      const f = files.get(rel);
      if (!f) return false;
      if (f.calls.length && !ctx.classified.has(rel)) return true;
      return ctx.classified.has(rel) && JSON.stringify(signalsOf(ctx, rel, textOfChanged)) !== JSON.stringify(signalsBefore.get(rel) ?? null);
    });
  const before = new Map<string, string>();
  if (classify) {
    for (const f of files.values()) if (f.calls.length) before.set(f.rel, JSON.stringify(f.classification ?? null));
    classifyAll(ctx, textOfChanged);
  }
  for (const f of files.values()) {
    if (!f.calls.length) continue;
    if (texts.has(f.rel) || redetected.has(f.rel) || (classify && before.get(f.rel) !== JSON.stringify(f.classification ?? null))) finishCalls(ctx, f);
  }
  return { classified: classify };
}
