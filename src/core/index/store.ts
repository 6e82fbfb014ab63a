// What the index holds per file (calls, imports, exports, signals), and the queries over it: rows, skipped files, blind spots, counts.
import * as path from 'node:path';
import type { FileClassification, FileSignals } from '../classify';
import { foldInnerRequests, generatedClientBlindSpots, generatedClientImports, linkDefaultQueryFns, mayImportGeneratedClient, trpcBlindSpots, type DefaultQueryFn, type GeneratedImport, type HttpShape, type QueryFnDefault } from '../detect';
import { extractImports } from '../graph';
import type { ModuleNode } from '../graph';
import type { BlindSpot, Call, CallRecord, ScanResult, ScanStats, SkippedFile } from '../model/types';
import manifest from '../../../package.json';

/** One indexed file: its place in the module graph plus what analysis found in it. */
export interface FileState extends ModuleNode<HttpShape> {
  /**
   * Runtime signals; null until needed. Parsed files get them with their syntax tree; the others only when
   * classification reaches them (files with calls and their importers up to a decisive file), computed then.
   */
  signals: FileSignals | null;
  parsed: boolean;
  /** Every request detection found, inner requests of wrappers included (see visibleCalls). */
  calls: CallRecord[];
  /** Client values the detection saw but could not follow. */
  blindSpots?: BlindSpot[];
  /** QueryClients made here with a default queryFn (see linkDefaultQueryFns). */
  queryFnDefaults?: QueryFnDefault[];
  /** The externals the last detection saw, serialized; re-detect when it changes. */
  externalsKey: string;
  /** Kept for files with calls (findings read it) and for editor text newer than the disk. */
  text?: string;
  classification?: FileClassification;
}

/** A file the index knows of, before any analysis. */
export function newFileState(rel: string, imports: FileState['imports']): FileState {
  return { rel, imports, deps: [], signals: null, parsed: false, calls: [], exports: {}, externalsKey: '' };
}

/** The files of the index and the lists kept beside them; the rows are worked out lazily (see visibleCalls). */
export class IndexStore {
  files = new Map<string, FileState>();
  stats: ScanStats = { filesSeen: 0, filesParsed: 0, calls: 0, durationMs: 0, skipped: [] };
  /** Files the discovery of the last scan skipped (too large, binary, minified). */
  discoverySkipped: SkippedFile[] = [];
  /** Files skipped when read or analysed, with the reason. */
  readonly readSkipped = new Map<string, string>();
  /** Blind spots read from each file's text (tRPC calls), parsed or not. */
  readonly textBlindSpots = new Map<string, BlindSpot[]>();
  /** Imports that may be of a generated API client, by file: blind spots when their module is no workspace file. */
  readonly generatedImports = new Map<string, GeneratedImport[]>();
  /** Resolves an import of a workspace file (the module graph's resolver; set by the index). */
  resolveImport: (fromRel: string, specifier: string) => string | null = () => null;
  /**
   * True while the rows are a scan's interim ones (see InterimRows): the inner requests of wrappers are left out,
   * since the call sites that replace them are usually in files the scan has not reached yet.
   */
  interim = false;
  /** The rows of each file with calls, inner requests of called wrappers left out; null when calls changed since. */
  private visible: Map<string, CallRecord[]> | null = null;

  /** Any file's calls changed (or the set of files did): the rows are worked out again when next asked for. */
  callsChanged(): void {
    this.visible = null;
  }

  allCalls(): CallRecord[] {
    const out: CallRecord[] = [];
    for (const rel of [...this.files.keys()].sort()) out.push(...this.visibleCalls(this.files.get(rel)!));
    return out;
  }

  /** A file's rows; with `withDefinitions`, also the inner requests of wrappers that are definitions of rows elsewhere. */
  callsInFile(rel: string, opts: { withDefinitions?: boolean } = {}): CallRecord[] {
    const f = this.files.get(toRel(rel));
    if (!f) return [];
    return opts.withDefinitions ? f.calls : this.visibleCalls(f);
  }

  call(id: string): CallRecord | undefined {
    for (const f of this.files.values()) for (const c of this.visibleCalls(f)) if (c.id === id) return c;
    return undefined;
  }

  statsNow(): ScanStats {
    const blindSpots: BlindSpot[] = [];
    for (const rel of [...this.files.keys()].sort()) {
      const generated = this.generatedImports.get(rel);
      blindSpots.push(
        ...(this.files.get(rel)!.blindSpots ?? []),
        ...(this.textBlindSpots.get(rel) ?? []),
        ...(generated ? generatedClientBlindSpots(generated, (specifier) => this.resolveImport(rel, specifier)) : []),
      );
    }
    return { ...this.stats, calls: this.countCalls(), skipped: this.allSkipped(), ...(blindSpots.length ? { blindSpots } : {}) };
  }

  result(root: string): ScanResult {
    return { tool: 'api-atlas', version: manifest.version, root, calls: this.allCalls().map(toPublicCall), stats: this.statsNow() };
  }

  /**
   * A file's rows: its calls without the inner requests of wrappers that have a call site anywhere in the
   * workspace (the call sites are the rows; see detect/inner-requests.ts), TanStack keys linked to the default
   * queryFn that fetches them first. Worked out for all files at once, again after any file's calls change.
   */
  private visibleCalls(f: FileState): CallRecord[] {
    if (!this.visible) {
      this.visible = new Map();
      const all: CallRecord[] = [];
      for (const file of this.files.values()) all.push(...file.calls);
      linkDefaultQueryFns(all, this.defaultQueryFns());
      const kept = new Set(foldInnerRequests(all).filter((c) => !this.interim || !c.facts.innerOf));
      for (const file of this.files.values()) if (file.calls.length) this.visible.set(file.rel, file.calls.filter((c) => kept.has(c)));
    }
    return this.visible.get(f.rel) ?? [];
  }

  /** The default queryFn of every QueryClient in the workspace, an imported one resolved to its file. */
  private defaultQueryFns(): DefaultQueryFn[] {
    const out: DefaultQueryFn[] = [];
    for (const f of this.files.values()) {
      for (const d of f.queryFnDefaults ?? []) {
        if (d.file !== undefined) out.push({ file: d.file, name: d.name });
        else if (d.module !== undefined && d.imported !== undefined && d.imported !== '*') {
          const file = this.resolveImport(f.rel, d.module);
          if (file) out.push({ file, name: d.imported === 'default' ? d.name : d.imported });
        }
      }
    }
    return out;
  }

  countCalls(): number {
    let n = 0;
    for (const f of this.files.values()) n += this.visibleCalls(f).length;
    return n;
  }

  /** Reads a file's text for blind spots: tRPC calls, and imports that may be of a generated API client (`dependencies`: its package's). */
  noteTextBlindSpots(rel: string, text: string, dependencies: ReadonlySet<string> | undefined): void {
    const spots = trpcBlindSpots(rel, text);
    if (spots.length) this.textBlindSpots.set(rel, spots);
    else this.textBlindSpots.delete(rel);
    const generated = mayImportGeneratedClient(text, dependencies) ? generatedClientImports(rel, text, extractImports(text), dependencies) : [];
    if (generated.length) this.generatedImports.set(rel, generated);
    else this.generatedImports.delete(rel);
  }

  /** Forgets the text blind spots of one file (`rel`) or of all. */
  forgetTextBlindSpots(rel?: string): void {
    if (rel === undefined) {
      this.textBlindSpots.clear();
      this.generatedImports.clear();
    } else {
      this.textBlindSpots.delete(rel);
      this.generatedImports.delete(rel);
    }
  }

  /** Drops `rel` from the skipped lists of the scan and of later reads; true when it was listed. */
  forgetSkipped(rel: string): boolean {
    const listed = this.discoverySkipped.length;
    this.discoverySkipped = this.discoverySkipped.filter((s) => s.file !== rel);
    return this.readSkipped.delete(rel) || this.discoverySkipped.length !== listed;
  }

  allSkipped(): SkippedFile[] {
    const out = [...this.discoverySkipped, ...[...this.readSkipped].map(([file, reason]) => ({ file, reason }))];
    return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }
}

/** The JSON shape of a call (docs/design.md §2): everything but the detector's `facts`. */
export function toPublicCall(call: CallRecord): Call {
  const { facts: _facts, ...rest } = call;
  const out: Call = { id: rest.id, file: rest.file, range: rest.range, client: rest.client, method: rest.method, url: rest.url, runtime: rest.runtime, context: rest.context, confidence: rest.confidence, evidence: rest.evidence, findings: rest.findings };
  if (rest.via !== undefined) out.via = rest.via;
  if (rest.endpoint !== undefined) out.endpoint = rest.endpoint;
  if (rest.note !== undefined) out.note = rest.note;
  return out;
}

/** A workspace-relative path with forward slashes and no leading `./`. */
export function toRel(p: string): string {
  return p.split(path.sep).join('/').replace(/^\.\//, '');
}
