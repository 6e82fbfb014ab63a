// The file system a walk asks: synchronous calls, with an event-loop turn between folders every few milliseconds.
import * as fs from 'node:fs';

/**
 * What discovery asks of the file system. Synchronous: on a warm disk cache each answer costs microseconds,
 * where a promise and a thread-pool round trip per answer made the walk of a 7,000-file workspace take ~210 ms
 * of the main thread instead of ~40 ms (npm run bench), and the engine reads every file synchronously right
 * after anyway. Tests pass one that fails on purpose (root can read any folder).
 */
export interface WalkFs {
  readdir(dir: string): fs.Dirent[];
  stat(p: string): fs.Stats;
  realpath(p: string): string;
  readFile(p: string): string;
  /** Between folders, the walk lets the event loop run once this many ms have passed (an extension host is never blocked longer). */
  sliceMs: number;
}

export function syncWalkFs(sliceMs = 30): WalkFs {
  return {
    readdir: (dir) => fs.readdirSync(dir, { withFileTypes: true }),
    stat: (p) => fs.statSync(p),
    // The native realpath, as fs.promises.realpath uses, so links resolve the same way.
    realpath: (p) => fs.realpathSync.native(p),
    readFile: (p) => fs.readFileSync(p, 'utf8'),
    sliceMs,
  };
}
