// What a person must still do after the proxy move, read from the project's own setup: how the browser reaches the new
// route in development (CRA's `proxy` field, Vite's server.proxy, the server's port) and which env file the server reads.
import type { WorkspaceView } from '../edits';
import { packageRootOf } from './env';
import type { ProxyTarget } from './targets';

interface PackageJson {
  proxy?: unknown;
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
}

function readPackage(ws: WorkspaceView, dir: string): PackageJson | undefined {
  const text = ws.readFile(dir === '' ? 'package.json' : `${dir}/package.json`);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as PackageJson) : undefined;
  } catch {
    // A package.json that does not parse says nothing about the setup; the advice falls back to general words.
    return undefined;
  }
}

function dependsOn(pkg: PackageJson | undefined, name: string): boolean {
  return Boolean(pkg && ((pkg.dependencies && name in pkg.dependencies) || (pkg.devDependencies && name in pkg.devDependencies)));
}

/** The port an Express (or plain Node) server listens on, from `listen(5000` or `process.env.PORT || 5000`. */
export function serverPortOf(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const literal = /\.listen\(\s*(\d{2,5})\b/.exec(text)?.[1] ?? /\bPORT\s*(?:\|\||\?\?)\s*(\d{2,5})\b/.exec(text)?.[1];
  return literal ? Number(literal) : undefined;
}

/**
 * The env file the proxy's server reads its secret from: Next.js loads `.env.local`; a server that uses dotenv (or
 * `node --env-file`) reads `.env`; otherwise none is known and the server's environment must have it.
 */
export function serverEnvFileOf(target: ProxyTarget, ws: WorkspaceView): '.env.local' | '.env' | null {
  if (target.kind === 'next-app' || target.kind === 'next-pages') return '.env.local';
  if (target.kind === 'standalone') return '.env'; // its start command is `node --env-file=.env …`
  const pkg = readPackage(ws, target.root);
  const app = target.express ? ws.readFile(target.express.appFile) : undefined;
  const scripts = Object.values(pkg?.scripts ?? {}).join('\n');
  if (dependsOn(pkg, 'dotenv') || /\bdotenv\b/.test(app ?? '') || /--env-file=?\s*\.env\b(?!\.)/.test(scripts)) return '.env';
  return null;
}

/** One sentence: how to give the server the secret, in the file it really reads. */
export function secretEnvAdvice(envName: string, target: ProxyTarget, ws: WorkspaceView): string {
  const file = serverEnvFileOf(target, ws);
  if (file === '.env.local') return `Set ${envName} in .env.local (git-ignored) or in your host's environment.`;
  if (file === '.env') return `Set ${envName} in the server's .env (it loads it with dotenv; keep .env out of git) or in your host's environment.`;
  return `Set ${envName} in the server's environment (it loads no .env file).`;
}

/**
 * How the browser reaches the new route in development, or null when it needs nothing (Next.js serves its own API
 * routes). Reads the frontend's package (the call's) and the server's: CRA's `proxy` field, Vite's config, the port.
 */
export function devForwardingAdvice(target: ProxyTarget, route: string, callFile: string, ws: WorkspaceView): string | null {
  if (target.kind !== 'express' && target.kind !== 'standalone') return null;
  const port = target.kind === 'standalone' ? 8787 : serverPortOf(target.express ? ws.readFile(target.express.appFile) : undefined);
  const server = port ? `http://localhost:${port}` : null;
  const frontendRoot = packageRootOf(callFile, ws);
  const frontend = readPackage(ws, frontendRoot);
  const pkgFile = frontendRoot === '' ? 'package.json' : `${frontendRoot}/package.json`;

  if (dependsOn(frontend, 'react-scripts')) {
    if (typeof frontend?.proxy === 'string') {
      const forwardsToServer = server === null || frontend.proxy.replace(/(?<!\/)\/+$/, '') === server;
      return forwardsToServer
        ? `In development, the \`proxy\` field of ${pkgFile} (${frontend.proxy}) already forwards ${route} to the server.`
        : `In development, the \`proxy\` field of ${pkgFile} forwards to ${frontend.proxy}, but the proxy route is served at ${server}: point it there.`;
    }
    return `In development, add \`"proxy": "${server ?? 'http://localhost:<server port>'}"\` to ${pkgFile} so the dev server forwards ${route}.`;
  }
  const viteConfig = ws.listFiles().find((f) => /(^|\/)vite\.config\.(m|c)?[jt]s$/.test(f) && (frontendRoot === '' || f.startsWith(`${frontendRoot}/`)));
  if (viteConfig) {
    const text = ws.readFile(viteConfig) ?? '';
    if (text.includes(`'${route}'`) || text.includes(`"${route}"`) || /proxy\s*:\s*\{[^}]*['"]\/api['"]/.test(text)) return `In development, ${viteConfig} already forwards /api to the server.`;
    return `In development, add \`server: { proxy: { '/api': '${server ?? 'http://localhost:<server port>'}' } }\` to ${viteConfig}.`;
  }
  return `The browser now calls ${route} on the page's own origin: serve the app and ${server ?? 'the server'} from one origin, or forward ${route} to it.`;
}
