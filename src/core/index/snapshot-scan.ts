// A full scan answered from the snapshot of the last one: discovery, one stat per file, and analysis of only the files whose content changed since (snapshot.ts keeps the snapshot).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeSource, readEnvFiles, toScriptText, type DiscoveryResult } from '../scan/discovery';
import type { BlindSpot } from '../model/types';
import type { IndexContext } from './context';
import type { ImportRecord } from '../graph';
import { libraryTable, type GeneratedImport } from '../detect';
import { extractImports } from '../graph';
import { mayContainCall, wrapperNeedles, type AnalyzeResult } from './analyze';
import { classifyAll, finishCalls } from './classification';
import { analyze, applyResult, externalsFor, textOf } from './context';
import { propagateDefinitions } from './definitions';
import { SLICE_MS, throwIfAborted, yieldToEventLoop } from './slices';
import { hashOf, metadataMatches, readLinks, serializeLinks, stampOf, type FileStamp, type SnapshotData, type SnapshotScanStats } from './snapshot';
import { newFileState, type FileState } from './store';

/** Everything besides the files' own texts that decides a scan's result: another key means another scan. */
export function snapshotKey(ctx: IndexContext): string {
  const settings = Object.fromEntries(Object.entries(ctx.settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify({ root: ctx.root, settings, extraExclude: ctx.extraExclude, focus: ctx.focus });
}

/** A file's state as a snapshot keeps it: no text (read again from disk when needed), imports and links apart. */
export type SnapshotFileState = Omit<FileState, 'text' | 'imports' | 'deps'>;

/** The snapshot of the index as it stands after a scan that read the files with these stamps. */
export function takeSnapshot(ctx: IndexContext, startedAt: number, stamps: Record<string, FileStamp>): SnapshotData<SnapshotFileState> {
  const manifests: Record<string, string | null> = {};
  for (const [abs, text] of ctx.manifests.entries()) manifests[abs] = text === undefined ? null : hashOf(text);
  const files: SnapshotFileState[] = [];
  const rows: [string, unknown, unknown][] = [];
  for (const f of ctx.store.files.values()) {
    const { text: _text, imports, deps, ...rest } = f;
    files.push(rest);
    rows.push([f.rel, imports, deps]);
  }
  return {
    key: snapshotKey(ctx),
    startedAt,
    stamps,
    manifests,
    env: JSON.stringify(ctx.env),
    files,
    links: serializeLinks(rows),
    readSkipped: [...ctx.store.readSkipped],
    textBlindSpots: [...ctx.store.textBlindSpots],
    generatedImports: [...ctx.store.generatedImports],
    classified: [...ctx.classified],
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
  snapshot: SnapshotData<SnapshotFileState>,
  discovered: DiscoveryResult,
  signal?: AbortSignal,
  openCache: () => void = () => undefined,
): Promise<{ stamps: Record<string, FileStamp>; stats: SnapshotScanStats } | null> {
  const setAside = (why: string): null => {
    ctx.log(`Scan snapshot set aside: ${why}; reading every file.`, 'info');
    return null;
  };
  if (snapshot.key !== snapshotKey(ctx)) return setAside('the settings changed');
  const env = readEnvFiles(ctx.root, { onProblem: (message) => ctx.log(message, 'warn') });
  if (JSON.stringify(env) !== snapshot.env) return setAside('an .env file changed');
  for (const [abs, hash] of Object.entries(snapshot.manifests)) {
    const text = ctx.manifests.read(abs);
    if ((text === undefined ? null : hashOf(text)) !== hash) return setAside(`${path.relative(ctx.root, abs) || abs} changed`);
  }

  const stamps: Record<string, FileStamp> = {};
  const reads = new Map<string, DiskRead>();
  const stats: SnapshotScanStats = { unchanged: 0, checkedByContent: 0, changed: 0, removed: 0 };
  const present = new Set(discovered.files);
  let sliceStart = performance.now();
  for (const rel of discovered.files) {
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      throwIfAborted(signal);
      sliceStart = performance.now();
    }
    const abs = path.join(ctx.root, rel);
    const old = snapshot.stamps[rel];
    let bytes: Buffer;
    try {
      const stat = fs.statSync(abs);
      if (old && metadataMatches(old, stat, snapshot.startedAt)) {
        stamps[rel] = old;
        stats.unchanged++;
        continue;
      }
      bytes = fs.readFileSync(abs);
      stamps[rel] = stampOf(stat, bytes);
    } catch (err) {
      reads.set(rel, { skipped: `cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      continue;
    }
    if (old && old[3] === stamps[rel][3]) {
      stats.unchanged++;
      stats.checkedByContent++;
      continue;
    }
    const decoded = decodeSource(bytes, ctx.settings.maxFileSizeKB);
    reads.set(rel, 'skipped' in decoded ? { skipped: decoded.skipped } : { text: toScriptText(rel, decoded.text) });
  }
  const removed = [...new Set([...snapshot.files.map((f) => f.rel), ...snapshot.readSkipped.map(([rel]) => rel)])].filter((rel) => !present.has(rel));
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
  const files = new Map<string, FileState>(snapshot.files.map((f) => [f.rel, { ...f, imports: [], deps: [] }]));
  ctx.store.files = files;
  ctx.store.callsChanged();
  ctx.classified = new Set(snapshot.classified);
  // The imports and links wait until something needs the module graph (an edit, or the changes below).
  ctx.pendingLinks = () => {
    for (const [rel, imports, deps] of readLinks<ImportRecord[], string[]>(snapshot.links)) {
      const f = files.get(rel);
      if (!f) continue;
      f.imports = imports;
      f.deps = deps;
    }
    ctx.graph.adopt(files);
  };
  if (reads.size || removed.length) {
    linkRestoredFiles(ctx);
    openCache();
    applyDiskChanges(ctx, reads, removed);
  }
  return { stamps, stats };
}

/** Reads the imports and links a snapshot left for later, if it did: before anything uses the module graph. */
export function linkRestoredFiles(ctx: IndexContext): void {
  const pending = ctx.pendingLinks;
  ctx.pendingLinks = null;
  pending?.();
}

/** What a scan found on disk for a file that changed or appeared since the snapshot: its script text, or why it is skipped. */
export type DiskRead = { text: string } | { skipped: string };

/**
 * Puts the new texts of many files in the index at once and drops the files that are gone (a scan answered from
 * the snapshot of the last one: the files changed on disk since), then re-analyses what depends on them: each
 * changed file is linked and analysed (in dependency order, so a file sees the new definitions of the files it
 * imports), importers whose imported definitions changed are re-detected, classification runs once, and the
 * rules run where anything changed. The cost grows with the number of files changed, not with the workspace,
 * but when files came or went: then every import is resolved again (a new file can change what a specifier means).
 */
export function applyDiskChanges(ctx: IndexContext, reads: ReadonlyMap<string, DiskRead>, removed: readonly string[]): void {
  ctx.generation++;
  const files = ctx.store.files;
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
  const redetected = propagateDefinitions(ctx, fileSetChanged ? null : dependents, textOfChanged);

  const before = new Map<string, string>();
  for (const f of files.values()) if (f.calls.length) before.set(f.rel, JSON.stringify(f.classification ?? null));
  classifyAll(ctx, textOfChanged);
  for (const f of files.values()) {
    if (!f.calls.length) continue;
    if (texts.has(f.rel) || redetected.has(f.rel) || before.get(f.rel) !== JSON.stringify(f.classification ?? null)) finishCalls(ctx, f);
  }
}
