// Finds the sign-in system an app already has (Auth.js/NextAuth, Clerk, Supabase, Lucia, Passport), so the generated proxy can ask it who is calling.
import type { WorkspaceView } from '../edits';
import { dirOf, joinRel } from './env';
import type { ProxyTarget } from './targets';

export type AppAuthKind = 'authjs' | 'next-auth-v4' | 'clerk-next' | 'clerk-express' | 'supabase' | 'lucia' | 'passport' | 'none';

export interface AppAuth {
  kind: AppAuthKind;
  /** Said in the generated comment and the plan's notes: `Auth.js (auth.ts)`. */
  label: string;
  /** The project's module to import from the handler (`../../../auth`), when the check needs one. */
  importFrom?: string;
  /** For `none`: what the project seems to use, so the hook can say what to put there. */
  hint?: string;
}

const SOURCE = /\.(m|c)?[jt]sx?$/;

function dependencies(ws: WorkspaceView, root: string): Set<string> {
  const names = new Set<string>();
  for (const dir of new Set([root, ''])) {
    const text = ws.readFile(joinRel(dir, 'package.json'));
    if (text === undefined) continue;
    try {
      const pkg = JSON.parse(text) as Record<string, unknown>;
      for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
        const deps = pkg[field];
        if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) names.add(name);
      }
    } catch (error) {
      // A broken package.json is reported by the scan; here it only means no dependency is known from it.
      void error;
    }
  }
  return names;
}

/** Source files of the target's package (never node_modules or build output). */
function sourcesOf(ws: WorkspaceView, root: string): string[] {
  const prefix = root === '' ? '' : `${root}/`;
  return ws
    .listFiles()
    .filter((f) => f.startsWith(prefix) && SOURCE.test(f) && !/(^|\/)(node_modules|dist|build|\.next|out)\//.test(f) && !/\.(test|spec)\.[^.]+$/.test(f))
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

/** The first source file whose text matches `pattern`, nearest the package root first. */
function fileMatching(ws: WorkspaceView, files: string[], pattern: RegExp): string | null {
  for (const file of files) {
    const text = ws.readFile(file);
    if (text !== undefined && pattern.test(text)) return file;
  }
  return null;
}

/** `../../auth` from the handler's folder to `file`, without its extension (Next.js and TypeScript resolve it). */
export function relativeSpecifier(fromFile: string, file: string): string {
  const from = dirOf(fromFile).split('/').filter(Boolean);
  const to = file.replace(/\.(m|c)?[jt]sx?$/, '').split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}

/**
 * The sign-in system the proxy for `target` can call, found from the package's dependencies and the module that
 * configures it. `handlerFile` is where the proxy will be written (imports are relative to it).
 */
export function detectAppAuth(ws: WorkspaceView, target: ProxyTarget, handlerFile: string): AppAuth {
  const deps = dependencies(ws, target.root);
  const files = sourcesOf(ws, target.root);
  const next = target.kind === 'next-app' || target.kind === 'next-pages';
  const hints: string[] = [];

  if (next && (deps.has('next-auth') || deps.has('@auth/nextjs'))) {
    // Auth.js v5: `export const { handlers, auth, signIn, signOut } = NextAuth(...)`; the app router asks `auth()`.
    const v5 = fileMatching(ws, files, /export\s+const\s*\{[^}]*\bauth\b[^}]*\}\s*=\s*NextAuth\s*\(/);
    if (v5 && target.kind === 'next-app') return { kind: 'authjs', label: `Auth.js (${v5})`, importFrom: relativeSpecifier(handlerFile, v5) };
    // NextAuth v4: `export const authOptions = {...}` passed to getServerSession (works in both routers).
    const v4 = fileMatching(ws, files, /export\s+(const|let|var)\s+authOptions\b/);
    if (v4) return { kind: 'next-auth-v4', label: `NextAuth getServerSession (authOptions in ${v4})`, importFrom: relativeSpecifier(handlerFile, v4) };
    hints.push('next-auth is a dependency: call your auth() or getServerSession(...) here and refuse when there is no session');
  }
  if (next && deps.has('@clerk/nextjs')) return { kind: 'clerk-next', label: 'Clerk (@clerk/nextjs)' };
  if (target.kind === 'express' && deps.has('@clerk/express')) {
    const app = target.express ? ws.readFile(target.express.appFile) : undefined;
    if (app !== undefined && /\bclerkMiddleware\s*\(/.test(app)) return { kind: 'clerk-express', label: `Clerk (clerkMiddleware in ${target.express!.appFile})` };
    hints.push('@clerk/express is a dependency: mount clerkMiddleware() before this router and check getAuth(req).userId here');
  }
  if (target.kind === 'next-app' && deps.has('@supabase/ssr')) {
    const client = fileMatching(ws, files, /export\s+(async\s+)?function\s+createClient\b[\s\S]*createServerClient\s*\(/);
    if (client) return { kind: 'supabase', label: `Supabase (createClient in ${client})`, importFrom: relativeSpecifier(handlerFile, client) };
    hints.push('@supabase/ssr is a dependency: create your server client here and refuse when supabase.auth.getUser() has no user');
  }
  if (target.kind === 'next-app' && deps.has('lucia')) {
    const validate = fileMatching(ws, files, /export\s+(const|async\s+function|function)\s+validateRequest\b/);
    if (validate) return { kind: 'lucia', label: `Lucia (validateRequest in ${validate})`, importFrom: relativeSpecifier(handlerFile, validate) };
    hints.push('lucia is a dependency: validate the session cookie here and refuse when there is no user');
  }
  if (target.kind === 'express' && target.express) {
    const app = ws.readFile(target.express.appFile) ?? '';
    if (deps.has('passport') && /\bpassport\s*\.\s*(session|authenticate)\s*\(/.test(app)) return { kind: 'passport', label: `Passport (req.user, set up in ${target.express.appFile})` };
    if (deps.has('express-session')) hints.push('express-session is a dependency: mount this router after session(...) and refuse when req.session has no signed-in user');
  }
  return { kind: 'none', label: 'none found', hint: hints[0] };
}

/** The statement of the Express app file after which the router must be mounted so `req.user` / `getAuth(req)` are set. */
export function authMiddlewareEnd(appText: string, auth: AppAuth): number | null {
  const pattern = auth.kind === 'passport' ? /^[ \t]*[\w$]+\s*\.\s*use\s*\([^\n]*passport\s*\.\s*session\s*\([^\n]*$/gm : auth.kind === 'clerk-express' ? /^[ \t]*[\w$]+\s*\.\s*use\s*\([^\n]*clerkMiddleware\s*\([^\n]*$/gm : null;
  if (!pattern) return null;
  let end: number | null = null;
  for (const m of appText.matchAll(pattern)) end = (m.index ?? 0) + m[0].length;
  return end;
}
