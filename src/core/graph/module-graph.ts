// The workspace's module graph: which file imports which, the order to analyse them in, and what each file exports through re-export chains.
import type { ImportRecord } from './imports';
import { createResolver, type Resolver } from './resolve';

/**
 * What the graph needs of a file. `V` is what files export: opaque to the graph (to the index, the HTTP client
 * definitions detection found), except that a namespace (`import * as ns`) is built as an object of them.
 */
export interface ModuleNode<V> {
  rel: string;
  imports: ImportRecord[];
  /** Workspace files this one imports (runtime edges only), resolved; written by the graph when it links. */
  deps: string[];
  exports: Record<string, V>;
}

/** The value a namespace import of a file stands for: its exports as members. */
export interface NamespaceValue<V> {
  kind: 'object';
  members: Record<string, ImportedValue<V>>;
}

/** What an import can take from a file: one of its values, or a namespace of them. */
export type ImportedValue<V> = V | NamespaceValue<V>;

export interface ModuleGraphOptions {
  root: string;
  /** A package.json's text, or undefined when there is none (the resolver reads paths, exports and workspaces). */
  readManifest: (abs: string) => string | undefined;
  log: (message: string, level?: 'info' | 'warn' | 'error') => void;
}

/**
 * Links the files it is given (their `deps` and the reverse edges), resolves specifiers against the workspace,
 * and answers export tables, cached until the graph or any file's exports change (see clearExportCaches).
 */
export class ModuleGraph<V extends { kind: string }, F extends ModuleNode<V> = ModuleNode<V>> {
  private files: ReadonlyMap<string, F> = new Map();
  private importers = new Map<string, Set<string>>();
  /** Files with a value re-export (`export ... from`): the only ones exportingFiles needs the imports of. */
  private reexporters = new Set<string>();
  private resolver: Resolver | null = null;
  /** Resolved namespaces by file (`import * as ns`), re-export chains followed; cleared when any file's exports or the graph change. */
  private exportCache = new Map<string, ImportedValue<V> | null>();
  /** exportTable's tables, cleared with exportCache; and the tables being built, by nesting level. */
  private exportTables = new Map<string, ReadonlyMap<string, ImportedValue<V>>>();
  private tablesOpen = new Map<string, number>();
  private cycleLevel = Infinity;
  /** What exportTable answers for a file whose table is being built (an `export *` cycle). */
  private readonly noExports: ReadonlyMap<string, ImportedValue<V>> = new Map();

  constructor(private readonly opts: ModuleGraphOptions) {}

  // ---- links ------------------------------------------------------------------------------------------

  resolve(from: string, specifier: string): string | null {
    if (!this.resolver) this.resolver = createResolver(this.opts.root, this.files.keys(), this.opts.readManifest, this.opts.log);
    return this.resolver.resolve(from, specifier);
  }

  /** Links every file of `files` anew (the set of files changed: a scan, a file added or removed). */
  rebuild(files: ReadonlyMap<string, F>): void {
    this.files = files;
    this.resolver = null;
    this.clearExportCaches();
    this.importers = new Map();
    this.reexporters = new Set();
    for (const f of this.files.values()) this.link(f);
  }

  /**
   * Takes `files` as already linked (their `deps` as a previous link left them, read back from a snapshot):
   * only the reverse edges are rebuilt, nothing is resolved. Valid while the files, their imports and the
   * project files the resolver reads are those of that link. `reexporters`: the files with a value re-export, as
   * that link found them (else they are found from every file's imports).
   */
  adopt(files: ReadonlyMap<string, F>, reexporters?: Iterable<string>): void {
    this.files = files;
    this.resolver = null;
    this.clearExportCaches();
    this.reexporters = new Set(reexporters ?? [...files.values()].filter(reexportsValues).map((f) => f.rel));
    this.importers = new Map();
    for (const f of this.files.values()) {
      for (const d of f.deps) {
        let set = this.importers.get(d);
        if (!set) this.importers.set(d, (set = new Set()));
        set.add(f.rel);
      }
    }
  }

  /** Links one file again after its imports changed. */
  relink(f: F): void {
    this.clearExportCaches();
    for (const d of f.deps) this.importers.get(d)?.delete(f.rel);
    this.link(f);
  }

  private link(f: F): void {
    const deps = new Set<string>();
    for (const rec of f.imports) {
      if (rec.typeOnly) continue;
      const target = this.resolve(f.rel, rec.specifier);
      if (target && target !== f.rel && this.files.has(target)) deps.add(target);
    }
    f.deps = [...deps];
    if (reexportsValues(f)) this.reexporters.add(f.rel);
    else this.reexporters.delete(f.rel);
    for (const d of f.deps) {
      let set = this.importers.get(d);
      if (!set) this.importers.set(d, (set = new Set()));
      set.add(f.rel);
    }
  }

  /** The files with a value re-export, as the graph was last linked (see adopt). */
  reexportingFiles(): ReadonlySet<string> {
    return this.reexporters;
  }

  /** The files that import `rel` directly (runtime edges). */
  importersOf(rel: string): ReadonlySet<string> | undefined {
    return this.importers.get(rel);
  }

  /** Every file that imports `rel`, directly or through other files (barrels, wrappers of wrappers). */
  importersClosure(rel: string): Set<string> {
    const out = new Set<string>();
    const queue = [rel];
    while (queue.length) {
      const cur = queue.pop()!;
      for (const imp of this.importers.get(cur) ?? []) {
        if (out.has(imp) || imp === rel) continue;
        out.add(imp);
        queue.push(imp);
      }
    }
    return out;
  }

  /** Files with the files they import first (depth-first post-order; cycles are cut where they are met). */
  dependencyOrder(): string[] {
    const order: string[] = [];
    const state = new Map<string, 1 | 2>();
    for (const start of this.files.keys()) {
      if (state.has(start)) continue;
      const stack: { rel: string; next: number }[] = [{ rel: start, next: 0 }];
      state.set(start, 1);
      while (stack.length) {
        const top = stack[stack.length - 1];
        const deps = this.files.get(top.rel)!.deps;
        if (top.next < deps.length) {
          const d = deps[top.next++];
          if (!state.has(d) && this.files.has(d)) {
            state.set(d, 1);
            stack.push({ rel: d, next: 0 });
          }
        } else {
          state.set(top.rel, 2);
          order.push(top.rel);
          stack.pop();
        }
      }
    }
    return order;
  }

  // ---- exports ----------------------------------------------------------------------------------------

  /** Forgets every export table and namespace: a file's exports changed, or the graph did. */
  clearExportCaches(): void {
    this.exportCache.clear();
    this.exportTables.clear();
  }

  /** Files that export a value themselves or re-export from one that does. */
  exportingFiles(): Set<string> {
    const out = new Set<string>();
    for (const f of this.files.values()) if (Object.keys(f.exports).length) out.add(f.rel);
    let grew = true;
    for (let i = 0; grew && i < 8; i++) {
      grew = false;
      for (const f of this.files.values()) {
        if (out.has(f.rel) || !this.reexporters.has(f.rel)) continue;
        if (f.imports.some((r) => r.kind === 'export' && !r.typeOnly && out.has(this.resolve(f.rel, r.specifier) ?? ''))) {
          out.add(f.rel);
          grew = true;
        }
      }
    }
    return out;
  }

  /** The values a file imports, by local name. */
  importedValues(f: F): Record<string, ImportedValue<V>> {
    const out: Record<string, ImportedValue<V>> = {};
    for (const rec of f.imports) {
      if (rec.typeOnly || rec.kind === 'export' || rec.kind === 'side-effect' || rec.names.length === 0) continue;
      const target = this.resolve(f.rel, rec.specifier);
      if (!target) continue;
      for (const { imported, local } of rec.names) {
        let shape: ImportedValue<V> | null;
        if (imported === '*' && rec.kind === 'require') shape = this.exportOf(target, 'default') ?? this.namespaceOf(target, 0);
        else if (imported === '*') shape = this.namespaceOf(target, 0);
        else shape = this.exportOf(target, imported);
        if (shape) out[local] = shape;
      }
    }
    return out;
  }

  private exportOf(rel: string, name: string): ImportedValue<V> | null {
    return this.exportTable(rel).get(name) ?? null;
  }

  /**
   * Every name `rel` exports a value under, re-exports followed: its own first, then its `export ... from`
   * records in order (an explicit name decides even when it leads nowhere; `export *` only where it finds one).
   * One table per file, not one search per (file, name): importers of a big barrel ask it for hundreds of names.
   * A table built while an `export *` cycle was open above it may miss what the cycle brings and is not kept.
   */
  private exportTable(rel: string): ReadonlyMap<string, ImportedValue<V>> {
    const cached = this.exportTables.get(rel);
    if (cached) return cached;
    const open = this.tablesOpen.get(rel);
    if (open !== undefined) {
      this.cycleLevel = Math.min(this.cycleLevel, open);
      return this.noExports;
    }
    const level = this.tablesOpen.size;
    this.tablesOpen.set(rel, level);
    const table = new Map<string, ImportedValue<V>>();
    const f = this.files.get(rel);
    if (f) {
      const decided = new Set<string>();
      for (const [name, shape] of Object.entries(f.exports)) {
        table.set(name, shape);
        decided.add(name);
      }
      for (const rec of f.imports) {
        if (rec.kind !== 'export' || rec.typeOnly) continue;
        const target = this.resolve(rel, rec.specifier);
        if (!target) continue;
        for (const n of rec.names) {
          if (decided.has(n.local)) continue;
          decided.add(n.local);
          const shape = n.imported === '*' ? this.namespaceOf(target, 1) : this.exportTable(target).get(n.imported);
          if (shape) table.set(n.local, shape);
        }
        if (rec.star) {
          for (const [name, shape] of this.exportTable(target)) {
            if (name === 'default' || decided.has(name)) continue;
            decided.add(name);
            table.set(name, shape);
          }
        }
      }
    }
    this.tablesOpen.delete(rel);
    if (this.cycleLevel >= level) {
      this.exportTables.set(rel, table);
      if (this.cycleLevel === level) this.cycleLevel = Infinity;
    }
    return table;
  }

  private namespaceOf(rel: string, depth: number): ImportedValue<V> | null {
    const key = `${rel}\0*`;
    if (this.exportCache.has(key)) return this.exportCache.get(key)!;
    const shape = this.findNamespace(rel, depth);
    this.exportCache.set(key, shape);
    return shape;
  }

  private findNamespace(rel: string, depth: number): NamespaceValue<V> | null {
    const f = this.files.get(rel);
    if (!f || depth > 8) return null;
    const members: Record<string, ImportedValue<V>> = { ...f.exports };
    for (const rec of f.imports) {
      if (rec.kind !== 'export' || rec.typeOnly) continue;
      const target = this.resolve(rel, rec.specifier);
      if (!target) continue;
      for (const n of rec.names) {
        const s = n.imported === '*' ? this.namespaceOf(target, depth + 1) : this.exportOf(target, n.imported);
        if (s) members[n.local] = s;
      }
      if (rec.star) {
        const ns = this.namespaceOf(target, depth + 1);
        if (ns && isNamespace(ns)) for (const [k, v] of Object.entries(ns.members)) if (k !== 'default' && !(k in members)) members[k] = v;
      }
    }
    return Object.keys(members).length ? { kind: 'object', members } : null;
  }
}

function isNamespace<V extends { kind: string }>(value: ImportedValue<V>): value is NamespaceValue<V> {
  return value.kind === 'object';
}

/** Whether a file re-exports values (`export { x } from`, `export * from`), as the graph's links see it. */
export function reexportsValues(f: ModuleNode<unknown>): boolean {
  return f.imports.some((r) => r.kind === 'export' && !r.typeOnly);
}
