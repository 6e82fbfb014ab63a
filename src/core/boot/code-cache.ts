// Loads a CommonJS file of the engine's own bundle (the TypeScript compiler, dist/typescript.js) through a V8 code cache, so a process compiles it once per version instead of once per run.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';

/**
 * Where the compiled code of bundled files is kept: a folder of the user's (never the scanned project's: a
 * project could ship a crafted cache, and V8 deserializes code). `API_ATLAS_CODE_CACHE` names another folder,
 * or `off` turns the cache off. The extension passes its global storage folder (see setCodeCacheFolder).
 */
export function defaultCodeCacheFolder(env: NodeJS.ProcessEnv = process.env): string | null {
  const chosen = env.API_ATLAS_CODE_CACHE;
  if (chosen === 'off' || chosen === '0') return null;
  if (chosen) return path.resolve(chosen);
  let home: string;
  try {
    home = os.homedir();
  } catch {
    // No home folder (some CI containers): nowhere private to keep code, so nothing is kept.
    return null;
  }
  const base = env.XDG_CACHE_HOME || (home ? path.join(home, '.cache') : '');
  return base ? path.join(base, 'api-atlas', 'v8-code-cache') : null;
}

let folder: string | null | undefined;
let report: (message: string) => void = () => undefined;

/** Where loadWithCodeCache keeps compiled code from now on (null: nowhere), and where it reports problems. */
export function setCodeCacheFolder(where: string | null, log?: (message: string) => void): void {
  folder = where;
  if (log) report = log;
}

/** The folder in use (worker threads are given it, so they read what the main thread kept). */
export function codeCacheFolder(): string | null {
  return folder === undefined ? defaultCodeCacheFolder() : folder;
}

export interface CodeCacheLoad {
  /** The file's `module.exports`. */
  exports: unknown;
  /** `hit`: compiled code came from the cache; `miss`: none was kept yet; `rejected`: V8 refused the kept one; `off`: no cache folder. */
  cache: 'hit' | 'miss' | 'rejected' | 'off';
  /** Time to read, compile (or deserialize) and run the file. */
  ms: number;
}

const HEADER = 'api-atlas-v8-code-cache 1\n';
const pendingWrites = new Map<string, () => void>();
let exitHook = false;

/**
 * Runs `file` as a CommonJS module, with the compiled code V8 kept from an earlier run when it matches. The
 * cache entry's name holds a hash of the file's text and of the V8 version, its header a checksum of the data,
 * and V8 checks its own version and flags on top: a changed, truncated or foreign entry is never used. New
 * code is kept when the process ends (or at flushCodeCache), so the functions compiled while working (the
 * parser) are in it too; only the main thread writes.
 */
export function loadWithCodeCache(file: string): CodeCacheLoad {
  const started = performance.now();
  const bytes = fs.readFileSync(file);
  const source = bytes.toString('utf8');
  const where = codeCacheFolder();
  const entry = where ? path.join(where, `${path.basename(file, '.js')}-${createHash('sha1').update(bytes).update(process.versions.v8).update(process.arch).digest('hex').slice(0, 24)}.bin`) : null;
  const cachedData = entry ? readEntry(entry) : undefined;
  const script = new vm.Script(wrapCommonJs(source), { filename: file, cachedData });
  const cache: CodeCacheLoad['cache'] = !entry ? 'off' : cachedData === undefined ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  const run = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: { exports: unknown }, filename: string, dirname: string) => void;
  const mod = { exports: {} as unknown };
  run.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  if (entry && cache !== 'hit' && isMainThread) {
    pendingWrites.set(entry, () => writeEntry(entry, script.createCachedData()));
    if (!exitHook) {
      exitHook = true;
      process.once('exit', flushCodeCache);
    }
  }
  return { exports: mod.exports, cache, ms: performance.now() - started };
}

/** Writes the compiled code not kept yet (the CLI does it at exit; the extension after its first scan). Never throws. */
export function flushCodeCache(): void {
  for (const [entry, write] of pendingWrites) {
    pendingWrites.delete(entry);
    write();
  }
}

/** Node's own module wrapper, so the file runs exactly as `require` would run it. */
function wrapCommonJs(source: string): string {
  const body = source.startsWith('#!') ? `//${source.slice(2)}` : source;
  return `(function (exports, require, module, __filename, __dirname) { ${body}\n});`;
}

function readEntry(entry: string): Buffer | undefined {
  let raw: Buffer;
  try {
    const stat = fs.statSync(entry, { throwIfNoEntry: false });
    if (!stat) return undefined;
    // Someone else's file in the folder (a shared temp folder, say) is not code this user compiled.
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) {
      report(`Ignored the code cache ${entry}: it belongs to another user.`);
      return undefined;
    }
    raw = fs.readFileSync(entry);
  } catch (err) {
    report(`Cannot read the code cache ${entry}: ${messageOf(err)}; compiling afresh.`);
    return undefined;
  }
  const headerEnd = HEADER.length + 41;
  const header = raw.subarray(0, headerEnd).toString('latin1');
  const data = raw.subarray(headerEnd);
  if (!header.startsWith(HEADER) || header.slice(HEADER.length, headerEnd - 1) !== sha1(data)) {
    report(`Ignored the code cache ${entry}: it is truncated or corrupt; compiling afresh.`);
    return undefined;
  }
  return data;
}

function writeEntry(entry: string, data: Buffer): void {
  const temp = `${entry}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(entry), { recursive: true, mode: 0o700 });
    fs.writeFileSync(temp, Buffer.concat([Buffer.from(`${HEADER}${sha1(data)}\n`, 'latin1'), data]), { mode: 0o600 });
    fs.renameSync(temp, entry);
    // Entries of earlier builds of the same file (or other Node versions) would only pile up.
    const prefix = `${path.basename(entry).replace(/-[0-9a-f]+\.bin$/, '')}-`;
    for (const name of fs.readdirSync(path.dirname(entry))) {
      if (name.startsWith(prefix) && name.endsWith('.bin') && name !== path.basename(entry)) fs.rmSync(path.join(path.dirname(entry), name), { force: true });
    }
  } catch (err) {
    report(`Could not write the code cache ${entry}: ${messageOf(err)}; the next run compiles again.`);
    try {
      fs.rmSync(temp, { force: true });
    } catch (cleanupErr) {
      report(`Could not remove ${temp}: ${messageOf(cleanupErr)}`);
    }
  }
}

function sha1(data: Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
