// "Move behind a server proxy": turns one risky call into a generated server handler, a rewritten call site and env changes, as one plan.
import type { EnvChange, FileCreate, FixPlan, PlanResult, TextEdit, WorkspaceView } from '../edits';
import { eolOf, indentationAt, refused, versionKeysFor } from '../edits';
import type { CallRecord } from '../../model/types';
import { readCallSite, type CallSite } from './callsite';
import {
  chooseServerEnvName,
  envFilesIn,
  envNameForLiteral,
  findEnvAssignments,
  joinRel,
  mentionsName,
  nameOccurrences,
  packageRootOf,
  planEnvAdd,
  planEnvRename,
  planLiteralSecretEnvFiles,
  serverNameFor,
} from './env';
import { authMiddlewareEnd, detectAppAuth, type AppAuth } from './auth';
import { camelIdentifier, generateHandler } from './generate';
import { rewriteCallSite } from './rewrite';
import { buildProxySpec, type ProxySpec } from './spec';
import { findExpressApp, type ProxyTarget } from './targets';
import { devForwardingAdvice, secretEnvAdvice } from './follow-up';

export { isProxyCandidate } from './candidates';
export { detectProxyTargets, findExpressApp } from './targets';
export { devForwardingAdvice, secretEnvAdvice, serverPortOf } from './follow-up';
export type { ProxyTarget, ProxyTargetKind } from './targets';
export type { ProxySpec } from './spec';

export interface ProxyMoveOptions {
  /** For a secret written in the code: also write its value to the git-ignored `.env.local` (the user confirmed). */
  writeSecretToEnvLocal?: boolean;
}

const CODE_FILE = /\.(m|c)?[jt]sx?$|\.(vue|svelte|astro)$/;

/** The file the handler goes in for `name`, per target. */
function handlerFile(target: ProxyTarget, name: string): string {
  switch (target.kind) {
    case 'next-app':
      return `${target.dir}/${name}/route${target.extension}`;
    case 'next-pages':
      return `${target.dir}/${name}${target.extension}`;
    case 'express':
    case 'standalone':
      return `${target.dir}/${name}-proxy${target.extension}`;
  }
}

/** True when the name is already used by a file or route of the target (any extension, or a folder of that name). */
function isTaken(target: ProxyTarget, name: string, ws: WorkspaceView, files: ReadonlySet<string>): boolean {
  const exists = (rel: string): boolean => files.has(rel) || ws.readFile(rel) !== undefined;
  const exts = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];
  switch (target.kind) {
    case 'next-app': {
      const dir = `${target.dir}/${name}/`;
      return [...files].some((f) => f.startsWith(dir)) || exts.some((e) => exists(`${dir}route${e}`));
    }
    case 'next-pages':
      return exts.some((e) => exists(`${target.dir}/${name}${e}`) || exists(`${target.dir}/${name}/index${e}`)) || [...files].some((f) => f.startsWith(`${target.dir}/${name}/`));
    default:
      return exts.some((e) => exists(`${target.dir}/${name}-proxy${e}`));
  }
}

function freeName(target: ProxyTarget, wanted: string, ws: WorkspaceView): string {
  const files = new Set(ws.listFiles());
  let name = wanted;
  for (let i = 2; isTaken(target, name, ws, files); i++) name = `${wanted}-${i}`;
  return name;
}

/** Other reads of an env var in the workspace, besides the ones this plan removes. */
function otherReads(ws: WorkspaceView, name: string, site: CallSite, removed: { start: number; end: number }[]): string[] {
  const files: string[] = [];
  for (const file of ws.listFiles()) {
    if (!CODE_FILE.test(file) || file.split('/').includes('node_modules')) continue;
    const text = file === site.call.file ? site.text : ws.readFile(file);
    if (text === undefined || !mentionsName(text, name)) continue;
    const remaining = nameOccurrences(text, name).filter((at) => file !== site.call.file || !removed.some((r) => r.start <= at && at < r.end));
    if (remaining.length > 0) files.push(file);
  }
  return files;
}

interface SecretPlan {
  envName: string;
  edits: TextEdit[];
  creates: FileCreate[];
  changes: EnvChange[];
  notes: string[];
}

function planSecretEnv(site: CallSite, spec: ProxySpec, target: ProxyTarget, handler: string, ws: WorkspaceView, opts: ProxyMoveOptions, removed: { start: number; end: number }[]): SecretPlan | null {
  const secret = spec.secret;
  if (!secret) return null;
  const dirs = [...new Set([target.root, packageRootOf(site.call.file, ws), ''])];
  const envFiles = envFilesIn(ws, dirs);
  const edits: TextEdit[] = [];
  const creates: FileCreate[] = [];
  const changes: EnvChange[] = [];
  const notes: string[] = [];
  const exampleFile = joinRel(target.root, '.env.example');

  if (secret.source.kind === 'env') {
    const publicName = secret.source.name;
    const wanted = serverNameFor(publicName);
    let value: string | null = null;
    for (const file of envFiles) for (const a of findEnvAssignments(ws.readFile(file) ?? '', publicName)) if (value === null && a.value !== '') value = a.value;
    const chosen = wanted === publicName ? { name: wanted, reused: true } : chooseServerEnvName(ws, envFiles, wanted, value);
    if (chosen.name !== publicName) {
      const readers = otherReads(ws, publicName, site, removed);
      const keepOld = readers.length > 0 || secret.fromInstance === true;
      const why = keepOld
        ? `${chosen.name}: the server-only copy of ${publicName} that the proxy ${handler} reads (added by API Atlas). Remove ${publicName} once nothing in the browser reads it.`
        : `Renamed from ${publicName} by API Atlas: browser-exposed variables are bundled into client code; the proxy ${handler} reads ${chosen.name} on the server.`;
      const renamed = planEnvRename(ws, envFiles, publicName, chosen.name, why, keepOld);
      edits.push(...renamed.edits);
      changes.push(...renamed.changes);
      if (keepOld) {
        notes.push(`${publicName} is still read by ${readers.length > 0 ? readers.join(', ') : 'the axios instance'}, so it stays for now next to the new ${chosen.name}. It is still shipped to browsers until those reads are moved behind a proxy too.`);
      }
      if (renamed.changes.length === 0) {
        notes.push(`No .env file sets ${publicName}. ${secretEnvAdvice(chosen.name, target, ws)}`);
        const example = planEnvAdd(ws, exampleFile, chosen.name, '', `Server-only secret read by ${handler} (added by API Atlas).`);
        if (example.edit) edits.push(example.edit);
        if (example.create && ws.readFile(exampleFile) === undefined) creates.push(example.create);
        if (example.change) changes.push(example.change);
      }
      notes.push(`${publicName} was bundled into the browser code, so anyone could read the key: rotate it at the provider.`);
    }
    return { envName: chosen.name, edits, creates, changes, notes };
  }

  const literal = secret.source.value;
  const wanted = envNameForLiteral(spec.host, secret.field);
  const chosen = chooseServerEnvName(ws, envFiles, wanted, literal);
  const envFilePlan = planLiteralSecretEnvFiles(ws, target.root, chosen.name, literal, {
    exampleComment: `Server-only secret read by ${handler} (added by API Atlas); set the value in .env.local, never commit it.`,
    localComment: `Moved out of ${site.call.file} by API Atlas. Keep this file out of git.`,
    writeValueToEnvLocal: opts.writeSecretToEnvLocal === true,
  });
  edits.push(...envFilePlan.edits);
  creates.push(...envFilePlan.creates);
  changes.push(...envFilePlan.changes);
  if (!opts.writeSecretToEnvLocal) {
    notes.push(`${secretEnvAdvice(chosen.name, target, ws)} Its value is the key that was written in ${site.call.file}.`);
  }
  notes.push(`The key was written in the code, so it is in your git history and was shipped to browsers: rotate it at the provider.`);
  return { envName: chosen.name, edits, creates, changes, notes };
}

function expressMount(target: ProxyTarget, identifier: string, file: string, ws: WorkspaceView, auth: AppAuth): { edits: TextEdit[]; notes: string[] } {
  const express = target.express!;
  const specifier = `./routes/${file.slice(file.lastIndexOf('/') + 1).replace(/\.[^.]+$/, '')}${express.importSpecifierExtension}`;
  const importLine = target.moduleStyle === 'cjs' ? `const { ${identifier} } = require('${specifier}');` : `import { ${identifier} } from '${specifier}';`;
  const text = ws.readFile(express.appFile);
  const app = text !== undefined ? findExpressApp(express.appFile, text) : null;
  if (text === undefined || !app || app.variable === null || app.afterStatement === null) {
    const why = app?.ambiguity ?? `the Express app in ${express.appFile} could not be found unambiguously`;
    return {
      edits: [],
      notes: [`Mount the proxy yourself (${why}): in ${express.appFile} add \`${importLine}\` with the imports, and \`app.use(${identifier});\` right after the app is created, before any body parser.`],
    };
  }
  const eol = eolOf(text);
  // With Passport or Clerk the router goes after their middleware, so the proxy can ask who is signed in.
  const afterAuth = authMiddlewareEnd(text, auth);
  const mountAt = afterAuth !== null && afterAuth > app.afterStatement ? afterAuth : app.afterStatement;
  const indent = indentationAt(text, mountAt);
  const edits: TextEdit[] = [
    app.importInsertAt === 0
      ? { file: express.appFile, span: { start: 0, end: 0 }, newText: `${importLine}${eol}` }
      : { file: express.appFile, span: { start: app.importInsertAt, end: app.importInsertAt }, newText: `${eol}${importLine}` },
    {
      file: express.appFile,
      span: { start: mountAt, end: mountAt },
      newText:
        mountAt === app.afterStatement
          ? `${eol}${indent}// Server-side proxy added by API Atlas; mounted before body parsers because it reads the raw body.${eol}${indent}${app.variable}.use(${identifier});`
          : `${eol}${indent}// Server-side proxy added by API Atlas; mounted after the sign-in middleware so it knows the user.${eol}${indent}${app.variable}.use(${identifier});`,
    },
  ];
  return {
    edits,
    notes: [
      mountAt === app.afterStatement
        ? `The router is mounted on \`${app.variable}\` in ${express.appFile}, right after the app is created. If your sign-in middleware should run first, move that line below it (the proxy also reads a body that express.json() already parsed).`
        : `The router is mounted on \`${app.variable}\` in ${express.appFile}, after your sign-in middleware, so authorizeCaller() can see the user.`,
    ],
  };
}

/**
 * Plans "Move behind a server proxy" for `call` into `target`: the generated handler (a new file with a free name),
 * the rewritten call site, the mount of an Express router, and `.env*` renames. Refuses, with the reason, when the
 * call cannot be proxied safely (dynamic host or method, secret built in a way the proxy cannot rebuild, ...).
 */
export function planProxyMove(call: CallRecord, target: ProxyTarget, ws: WorkspaceView, opts: ProxyMoveOptions = {}): PlanResult {
  // Views offer the move only for browser-side calls (isProxyCandidate); an explicit request for a call of unknown
  // runtime is honoured, one API Atlas knows runs on the server is not.
  if (call.runtime === 'backend') {
    return refused('This call already runs on the server, so its secret never reaches the browser; a proxy in front of it would only add a hop.');
  }
  const read = readCallSite(call, ws);
  if (!read.ok) return refused(read.reason);
  const site = read.site;
  const built = buildProxySpec(site);
  if (!built.ok) return refused(built.reason);
  const spec = built.spec;

  const name = freeName(target, spec.name, ws);
  const file = handlerFile(target, name);
  const route = `/api/${name}`;
  const identifier = camelIdentifier(name, 'Proxy');

  const rewrite = rewriteCallSite(site, spec, route);
  const removed = rewrite.edits.filter((e) => e.file === call.file).map((e) => e.span);
  const secretPlan = planSecretEnv(site, spec, target, file, ws, opts, removed);
  const line = call.range.start.line;
  const auth = detectAppAuth(ws, target, file);
  const content = generateHandler(spec, target, { routePath: route, secretEnv: secretPlan?.envName ?? null, identifier, origin: `${call.file}:${line}` }, auth);

  const edits: TextEdit[] = [...rewrite.edits];
  const creates: FileCreate[] = [{ file, content }];
  // What to do next comes first: the editor shows the first notes and puts the rest behind "Details".
  const notes: string[] = [];
  const devNote = devForwardingAdvice(target, route, call.file, ws);
  if (devNote) notes.push(devNote);
  notes.push(
    auth.kind === 'none'
      ? `No sign-in system was found, so the route answers every page of your site (cross-site requests are refused, 60 calls a minute per address): put your session check in authorizeCaller() in ${file}.${auth.hint ? ` Hint: ${auth.hint}.` : ''}`
      : `The route asks your app's sign-in (${auth.label}) and refuses callers who are not signed in (401).`,
  );
  if (target.kind === 'express') {
    const mount = expressMount(target, identifier, file, ws, auth);
    edits.push(...mount.edits);
    notes.push(...mount.notes);
  }
  if (secretPlan) {
    edits.push(...secretPlan.edits);
    creates.push(...secretPlan.creates.filter((c) => !creates.some((x) => x.file === c.file)));
    notes.push(...secretPlan.notes);
  }
  if (target.kind === 'standalone') {
    notes.push(`Start the proxy with \`node --env-file=.env ${file}\` (Node 20.6+; PROXY_PORT, default 8787, and PROXY_HOST, default 127.0.0.1).`);
  }
  notes.push(...spec.notes, ...rewrite.notes);

  const plan: FixPlan = {
    title: `Move behind a server proxy (${target.label.replace(/<name>/, name).replace(/ \(.*\)$/, '')}: ${file})`,
    edits,
    creates,
    notes,
    envChanges: secretPlan?.changes ?? [],
    documentVersionKeys: versionKeysFor(edits, (rel) => ws.readFile(rel)),
    needsConfirmation: true,
  };
  return { ok: true, plan };
}
