// `--changed-since REF`: the files of a scan root that changed since a git ref (committed, staged, unstaged or new).
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * Paths relative to `root` (forward slashes) of the files that differ from where the current branch left `ref`
 * (their merge base, as a pull request sees it), plus untracked files. Throws an Error with git's own words
 * when `root` is not in a repository or the ref is unknown.
 */
export function changedFilesSince(root: string, ref: string): Set<string> {
  const git = (...args: string[]): string => {
    try {
      return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    } catch (err) {
      const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
      throw new Error(stderr.split('\n')[0] || (err as Error).message);
    }
  };
  const top = git('rev-parse', '--show-toplevel').trim();
  git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  let base = ref;
  try {
    base = git('merge-base', ref, 'HEAD').trim() || ref;
  } catch {
    // Unrelated histories (or a shallow clone without the base): compare with the ref itself, as `git diff REF` would.
    base = ref;
  }
  const changed = git('diff', '--name-only', '-z', '--no-renames', base, '--').split('\0');
  const untracked = git('ls-files', '--others', '--exclude-standard', '-z', '--full-name').split('\0');
  const out = new Set<string>();
  for (const name of [...changed, ...untracked]) {
    if (!name) continue;
    const rel = path.relative(root, path.join(top, name));
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    out.add(rel.split(path.sep).join('/'));
  }
  return out;
}
