// The generated handler's gatekeeping: cross-site refusal, client address and rate limit, and the authorizeCaller()
// that asks the app's own sign-in who is calling (with the imports that sign-in needs).
import type { AppAuth } from './auth';
import { fnHead, str, T, typedConst, type Style } from './handler-source';

/** refuseCrossSite, clientAddress, rateLimit: who may call the route and how often. */
export function guards(style: Style): string {
  return [
    fnHead(style, 'A positive number from the environment, or the default.', { name: 'envNumber', params: [['name', 'string'], ['fallback', 'number']], returns: 'number' }),
    '  const value = Number(process.env[name]);',
    '  return Number.isFinite(value) && value > 0 ? value : fallback;',
    '}',
    '',
    fnHead(
      style,
      "Refuses requests a browser sent from another site's page, so no other website can spend the key through this route. Browsers send Sec-Fetch-Site and, on cross-origin requests, Origin; scripts outside a browser send neither and are left to authorizeCaller() and the rate limit.",
      { name: 'refuseCrossSite', params: [['headers', 'Headers'], ['ownHost', 'string | null']], returns: 'Response | null' },
    ),
    "  const refused = json(403, { error: 'This route only answers pages of its own site.' });",
    "  if (headers.get('sec-fetch-site') === 'cross-site') return refused;",
    "  const origin = headers.get('origin');",
    '  if (origin === null) return null;',
    "  const allowed = (process.env.PROXY_ALLOWED_ORIGINS ?? '').split(',').map((value) => value.trim());",
    '  if (allowed.includes(origin)) return null;',
    "  const host = headers.get('x-forwarded-host')?.split(',')[0]?.trim() || headers.get('host') || ownHost;",
    '  try {',
    '    return new URL(origin).host === host ? null : refused;',
    '  } catch {',
    '    return refused; // `Origin: null` (sandboxed frames, file: pages) or garbage',
    '  }',
    '}',
    '',
    fnHead(
      style,
      "Who the rate limit counts when the user is not known: the connection's address, or the address the trusted proxy in front of this server saw (X-Real-IP, else the last X-Forwarded-For hop, the one that proxy added).",
      { name: 'clientAddress', params: [['headers', 'Headers'], ['socketAddress', 'string | null']], returns: 'string' },
    ),
    '  if (TRUST_FORWARDED_FOR || socketAddress === null) {',
    "    const forwarded = headers.get('x-real-ip') ?? headers.get('x-forwarded-for')?.split(',').at(-1)?.trim();",
    '    if (forwarded) return forwarded;',
    '  }',
    "  return socketAddress ?? 'unknown';",
    '}',
    '',
    '/** Calls per client in the current minute. */',
    typedConst(style, 'callsByClient', 'Map<string, { count: number; resetAt: number }>', 'new Map()'),
    '',
    fnHead(
      style,
      'At most PROXY_RATE_LIMIT calls a minute per client (default DEFAULT_RATE_LIMIT_PER_MINUTE). The count lives in this process\'s memory: on serverless hosts each instance counts on its own and forgets on a cold start, and several servers each allow the full rate, so there use a shared store (Redis, Upstash, your host\'s rate limiting) instead.',
      { name: 'rateLimit', params: [['client', 'string']], returns: 'Response | null' },
    ),
    '  const now = Date.now();',
    '  let entry = callsByClient.get(client);',
    '  if (!entry || entry.resetAt <= now) {',
    '    if (callsByClient.size >= 10_000) {',
    '      for (const [key, old] of callsByClient) if (old.resetAt <= now) callsByClient.delete(key);',
    "      // Still full: a flood of new clients. Refuse newcomers rather than grow without bound or forget the counts.",
    "      if (callsByClient.size >= 10_000) return json(429, { error: 'Too many clients; try again in a minute.' }, { 'retry-after': '60' });",
    '    }',
    '    entry = { count: 0, resetAt: now + 60_000 };',
    '    callsByClient.set(client, entry);',
    '  }',
    '  entry.count += 1;',
    "  if (entry.count <= envNumber('PROXY_RATE_LIMIT', DEFAULT_RATE_LIMIT_PER_MINUTE)) return null;",
    "  return json(429, { error: 'Too many requests; try again later.' }, { 'retry-after': String(Math.ceil((entry.resetAt - now) / 1000)) });",
    '}',
  ].join('\n');
}

/** The function that asks the app's sign-in who is calling, or the hook that says what to put there. */
export function authorizeFunction(style: Style, auth: AppAuth): string {
  const params: [string, string][] =
    style.target === 'next-app' ? [['request', 'Request']] : style.target === 'next-pages' ? [['req', 'NextApiRequest'], ['res', 'NextApiResponse']] : style.target === 'express' ? [['req', 'express.Request']] : [['req', 'IncomingMessage']];
  const used = (names: string[]): [string, string][] => params.map(([p, t]) => [names.includes(p) ? p : `_${p}`, t]);
  const signIn = "    return json(401, { error: 'Sign in to use this route.' });";
  const returns = 'Promise<Response | string | null>';
  const head = (doc: string, names: string[]): string => fnHead(style, doc, { name: 'authorizeCaller', params: used(names), returns, async: true });
  const doc = `Who may call this route, checked with the app's own sign-in (${auth.label}). Returns a Response to refuse, or the user's id (the rate limit then counts per user).`;
  switch (auth.kind) {
    case 'authjs':
    case 'next-auth-v4': {
      const call = auth.kind === 'authjs' ? 'auth()' : style.target === 'next-pages' ? 'getServerSession(req, res, authOptions)' : 'getServerSession(authOptions)';
      const id = auth.kind === 'authjs' ? 'session.user.id ?? session.user.email ?? null' : 'session.user.email ?? null';
      return [head(doc, style.target === 'next-pages' && auth.kind === 'next-auth-v4' ? ['req', 'res'] : []), `  const session = await ${call};`, '  if (!session?.user) {', signIn, '  }', `  return ${id};`, '}'].join('\n');
    }
    case 'clerk-next':
      return style.target === 'next-pages'
        ? [head(doc, ['req']), '  const { userId } = getAuth(req);', '  if (!userId) {', signIn, '  }', '  return userId;', '}'].join('\n')
        : [head(doc, []), '  const { userId } = await auth();', '  if (!userId) {', signIn, '  }', '  return userId;', '}'].join('\n');
    case 'clerk-express':
      return [head(doc, ['req']), '  // clerkMiddleware() runs before this router (it is mounted after it), so getAuth(req) knows the user.', '  const { userId } = getAuth(req);', '  if (!userId) {', signIn, '  }', '  return userId;', '}'].join('\n');
    case 'supabase':
      return [head(doc, []), '  const supabase = await createClient();', '  const { data } = await supabase.auth.getUser();', '  if (!data.user) {', signIn, '  }', '  return data.user.id;', '}'].join('\n');
    case 'lucia':
      return [head(doc, []), '  const { user } = await validateRequest();', '  if (!user) {', signIn, '  }', '  return user.id;', '}'].join('\n');
    case 'passport':
      return [
        head(doc, ['req']),
        "  // passport.session() runs before this router (it is mounted after it) and sets req.user for a signed-in user.",
        `  const user${T(style, ': unknown')} = Reflect.get(req, 'user');`,
        '  if (!user) {',
        signIn,
        '  }',
        "  return typeof user === 'object' && 'id' in user ? String(user.id) : null;",
        '}',
      ].join('\n');
    case 'none': {
      const example = style.target === 'next-app' ? 'const session = await auth(); if (!session) return json(401, ...)' : 'if (!req.user) return json(401, ...)';
      const hookDoc = [
        'EDIT ME: who may call this route. API Atlas found no sign-in system in this project, so for now any page of this site, and any script outside a browser, can spend the upstream API through it (within the rate limit).',
        ...(auth.hint ? [`Hint: ${auth.hint}.`] : []),
        `Check the user's session here, e.g. \`${example}\`, and return the user's id so the rate limit counts per user. Return a Response to refuse the call, or null to let it through counted by address.`,
      ].join('\n');
      return [head(hookDoc, []), '  return null;', '}'].join('\n');
    }
  }
}

export function authImports(style: Style, auth: AppAuth): string[] {
  const imp = (names: string, from: string): string => (style.cjs ? `const { ${names} } = require(${str(from)});` : `import { ${names} } from ${str(from)};`);
  switch (auth.kind) {
    case 'authjs':
      return [imp('auth', auth.importFrom!)];
    case 'next-auth-v4':
      return [imp('getServerSession', 'next-auth'), imp('authOptions', auth.importFrom!)];
    case 'clerk-next':
      return [imp(style.target === 'next-pages' ? 'getAuth' : 'auth', '@clerk/nextjs/server')];
    case 'clerk-express':
      return [imp('getAuth', '@clerk/express')];
    case 'supabase':
      return [imp('createClient', auth.importFrom!)];
    case 'lucia':
      return [imp('validateRequest', auth.importFrom!)];
    default:
      return [];
  }
}
