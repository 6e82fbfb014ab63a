// Generates the deterministic benchmark monorepo (Next app router, Vite SPA, Express API, shared packages) into bench/workspace/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT = path.join(HERE, 'workspace');
export const DEFAULTS = Object.freeze({ files: 7000, seed: 20240607, callShare: 0.07 });
const MANIFEST = '.atlas-bench.json';
const GENERATOR_VERSION = 2;

/** mulberry32: small, fast and the same on every machine, so every run benchmarks the same tree. */
function createRandom(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (p) => next() < p;
  // Box–Muller: file sizes are log-normal in real repositories (many small files, a long tail of big ones).
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return { next, int, pick, chance, normal };
}

const NOUNS = ['user', 'order', 'product', 'invoice', 'cart', 'payment', 'session', 'team', 'project', 'comment', 'review', 'shipment', 'coupon', 'address', 'report', 'message', 'ticket', 'plan', 'subscription', 'notification', 'category', 'inventory', 'customer', 'vendor', 'account', 'profile', 'setting', 'audit', 'webhook', 'upload'];
const ADJECTIVES = ['recent', 'pending', 'active', 'archived', 'featured', 'shared', 'draft', 'primary', 'default', 'cached', 'visible', 'selected', 'filtered', 'sorted', 'paged'];
const VERBS = ['format', 'parse', 'normalize', 'validate', 'merge', 'group', 'sort', 'filter', 'compute', 'build', 'resolve', 'map', 'derive', 'summarize', 'clamp', 'serialize'];
const UI = ['Button', 'Card', 'Panel', 'List', 'Table', 'Row', 'Header', 'Footer', 'Modal', 'Badge', 'Avatar', 'Toolbar', 'Tabs', 'Form', 'Field', 'Banner', 'Menu', 'Drawer', 'Tooltip', 'Skeleton'];
const TYPES = ['string', 'number', 'boolean', 'Date', 'string[]', 'number | null', "'asc' | 'desc'", 'Record<string, string>'];
const THIRD_PARTY = [
  ['https://api.stripe.com/v1/charges', 'STRIPE_SECRET_KEY'],
  ['https://api.openai.com/v1/chat/completions', 'OPENAI_API_KEY'],
  ['https://api.sendgrid.com/v3/mail/send', 'SENDGRID_API_KEY'],
  ['https://api.github.com/repos/acme/shop/issues', 'GITHUB_TOKEN'],
  ['https://hooks.slack.com/services/T000/B000/XXXX', 'SLACK_WEBHOOK'],
];

const cap = (s) => s[0].toUpperCase() + s.slice(1);
const camel = (...words) => words[0] + words.slice(1).map(cap).join('');
const pascal = (...words) => words.map(cap).join('');

/** Reusable pieces of realistic TypeScript; each returns one top-level block of code. */
function blocks(r) {
  const noun = () => r.pick(NOUNS);
  const field = () => `${camel(r.pick(ADJECTIVES), noun())}${r.pick(['Id', 'Count', 'Name', 'At', 'Label', ''])}`;
  return {
    interface(name = pascal(r.pick(ADJECTIVES), noun())) {
      const fields = Array.from({ length: r.int(3, 9) }, () => `  ${field()}${r.chance(0.3) ? '?' : ''}: ${r.pick(TYPES)};`);
      return `/** ${cap(noun())} data as the screens use it. */\nexport interface ${name} {\n  id: string;\n${[...new Set(fields)].join('\n')}\n}\n`;
    },
    util() {
      const n = noun();
      const name = `${camel(r.pick(VERBS), r.pick(ADJECTIVES), n)}s`;
      const variant = r.int(0, 3);
      if (variant === 0) {
        return `/** Groups ${n}s by a key, keeping their order. */\nexport function ${name}<T extends { id: string }>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {\n  const groups = new Map<string, T[]>();\n  for (const item of items) {\n    const k = key(item);\n    const list = groups.get(k) ?? [];\n    list.push(item);\n    groups.set(k, list);\n  }\n  return groups;\n}\n`;
      }
      if (variant === 1) {
        return `export function ${name}(value: number, locale = 'en-US', currency = 'USD'): string {\n  if (!Number.isFinite(value)) return '—';\n  const rounded = Math.round(value * 100) / 100;\n  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(rounded);\n}\n`;
      }
      if (variant === 2) {
        return `export const ${name} = (input: string): string =>\n  input\n    .trim()\n    .toLowerCase()\n    .replace(/[^a-z0-9]+/g, '-')\n    .replace(/^-+|-+$/g, '')\n    .slice(0, ${r.int(24, 96)});\n`;
      }
      return `export function ${name}(from: Date, to: Date): number {\n  const ms = to.getTime() - from.getTime();\n  // Negative ranges happen when clocks disagree; treat them as empty.\n  if (ms <= 0) return 0;\n  return Math.ceil(ms / ${r.pick(['86_400_000', '3_600_000', '60_000'])});\n}\n`;
    },
    component(name = pascal(r.pick(ADJECTIVES), r.pick(UI))) {
      const n = noun();
      const props = Array.from({ length: r.int(2, 6) }, () => `  ${field()}?: ${r.pick(TYPES)};`);
      const isFetching = r.chance(0.15) ? `\n  const isFetching = state === 'loading'; // mirrors the query state\n` : '';
      return `interface ${name}Props {\n  title: string;\n${[...new Set(props)].join('\n')}\n  onSelect?: (id: string) => void;\n}\n\nexport function ${name}({ title, onSelect }: ${name}Props) {\n  const [open, setOpen] = useState(false);\n  const [state, setState] = useState<'idle' | 'loading'>('idle');${isFetching}\n  const items = useMemo(() => Array.from({ length: ${r.int(3, 12)} }, (_, i) => ({ id: String(i), label: \`${cap(n)} \${i + 1}\` })), []);\n\n  return (\n    <section className="${n}-${r.pick(UI).toLowerCase()}" aria-expanded={open}>\n      <h2 onClick={() => setOpen((v) => !v)}>{title}</h2>\n      {open && (\n        <ul>\n          {items.map((item) => (\n            <li key={item.id} onClick={() => { setState('loading'); onSelect?.(item.id); }}>\n              {item.label}\n            </li>\n          ))}\n        </ul>\n      )}\n    </section>\n  );\n}\n`;
    },
    hook(name = camel('use', r.pick(ADJECTIVES), noun())) {
      return `export function ${name}(initial = ${r.int(0, 20)}) {\n  const [value, setValue] = useState(initial);\n  useEffect(() => {\n    const id = window.setTimeout(() => setValue((v) => v + 1), ${r.int(100, 2000)});\n    return () => window.clearTimeout(id);\n  }, [value]);\n  return [value, setValue] as const;\n}\n`;
    },
    constant() {
      const entries = Array.from({ length: r.int(4, 14) }, (_, i) => `  ${field()}${i}: '${r.pick(ADJECTIVES)}-${noun()}',`);
      return `export const ${camel(noun(), 'labels')}${r.int(1, 999)} = {\n${entries.join('\n')}\n} as const;\n`;
    },
    // --- blocks with HTTP calls ---
    frontendFetch() {
      const n = noun();
      return `export function ${camel('use', n, 'list')}() {\n  const [data, setData] = useState<unknown[]>([]);\n  const [error, setError] = useState<Error | null>(null);\n  useEffect(() => {\n    fetch('/api/${n}s?limit=${r.int(10, 100)}')\n      .then((res) => (res.ok ? res.json() : Promise.reject(new Error(res.statusText))))\n      .then(setData)\n      .catch(setError);\n  }, []);\n  return { data, error };\n}\n`;
    },
    instanceCall(instance) {
      const n = noun();
      return `export async function ${camel('load', r.pick(ADJECTIVES), n)}s(page = 1) {\n  const { data } = await ${instance}.get(\`/${n}s?page=\${page}\`);\n  return data;\n}\n\nexport async function ${camel('save', n)}(body: Record<string, unknown>) {\n  try {\n    return (await ${instance}.post('/${n}s', body)).data;\n  } catch (err) {\n    console.error('could not save ${n}', err);\n    throw err;\n  }\n}\n`;
    },
    wrapperCall(wrapper) {
      const n = noun();
      return `export const ${camel('get', n)} = (id: string) => ${wrapper}(\`/api/${n}s/\${encodeURIComponent(id)}\`);\n`;
    },
    thirdParty() {
      const [url, env] = r.pick(THIRD_PARTY);
      return `export async function ${camel('notify', noun())}(payload: unknown) {\n  const res = await fetch('${url}', {\n    method: 'POST',\n    headers: { Authorization: \`Bearer \${process.env.${env}}\`, 'Content-Type': 'application/json' },\n    body: JSON.stringify(payload),\n    signal: AbortSignal.timeout(${r.int(2, 15)}_000),\n  });\n  if (!res.ok) throw new Error(\`upstream \${res.status}\`);\n  return res.json();\n}\n`;
    },
    serverComponentFetch() {
      const n = noun();
      return `export default async function ${pascal(n, 'Page')}() {\n  const res = await fetch('https://catalog.internal.example.com/${n}s', { next: { revalidate: ${r.int(30, 600)} } });\n  const items: { id: string; name: string }[] = await res.json();\n  return (\n    <main>\n      {items.map((item) => (\n        <article key={item.id}>{item.name}</article>\n      ))}\n    </main>\n  );\n}\n`;
    },
  };
}

/** Adds blocks until the file reaches its drawn size: log-normal, median ~2.7 KB, mean ~3.5 KB. */
function fill(r, header, parts, make) {
  const target = Math.min(60_000, Math.max(300, Math.round(Math.exp(Math.log(2650) + 0.7 * r.normal()))));
  let text = `${header}\n${parts.join('\n')}`;
  while (text.length < target) text += `\n${make()}`;
  return text;
}

export function generateWorkspace({ out = DEFAULT_OUT, files = DEFAULTS.files, seed = DEFAULTS.seed, callShare = DEFAULTS.callShare } = {}) {
  const r = createRandom(seed);
  const b = blocks(r);
  fs.rmSync(out, { recursive: true, force: true });
  const written = { files: 0, bytes: 0, withCalls: 0 };
  const write = (rel, text) => {
    const abs = path.join(out, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    if (/\.(tsx?|jsx?|mjs|cjs)$/.test(rel)) {
      written.files++;
      written.bytes += Buffer.byteLength(text);
    }
  };
  const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

  // Workspace scaffolding: package manifests and path aliases the resolver must follow.
  write('package.json', json({ name: 'bench-monorepo', private: true, workspaces: ['apps/*', 'packages/*'] }));
  write('.gitignore', 'node_modules/\ndist/\n.next/\n');
  write('apps/web/package.json', json({ name: '@bench/web', dependencies: { next: '15.0.0', react: '19.0.0', 'react-dom': '19.0.0', '@bench/shared-client': '*', '@bench/ui': '*' } }));
  write('apps/web/tsconfig.json', json({ compilerOptions: { baseUrl: '.', paths: { '@/*': ['./*'] }, jsx: 'preserve' } }));
  write('apps/spa/package.json', json({ name: '@bench/spa', dependencies: { react: '19.0.0', 'react-dom': '19.0.0', axios: '1.7.0', '@bench/shared-client': '*' }, devDependencies: { vite: '6.0.0' } }));
  write('apps/api/package.json', json({ name: '@bench/api', dependencies: { express: '4.21.0', axios: '1.7.0', '@bench/shared-client': '*' } }));
  for (const pkg of ['shared-client', 'ui', 'utils', 'types']) {
    write(`packages/${pkg}/package.json`, json({ name: `@bench/${pkg}`, main: 'src/index.ts', ...(pkg === 'ui' ? { peerDependencies: { react: '19.0.0' } } : {}) }));
  }

  // Shared definitions used across files: an axios instance per app and a fetch wrapper in a workspace package.
  write('packages/shared-client/src/http.ts', `// A fetch wrapper every app uses; its call sites are calls too.\nexport async function fetchJson<T>(url: string, init: RequestInit = {}): Promise<T> {\n  const res = await fetch(url, { ...init, headers: { Accept: 'application/json', ...init.headers } });\n  if (!res.ok) throw new Error(\`\${res.status} \${res.statusText}\`);\n  return (await res.json()) as T;\n}\n`);
  write('packages/shared-client/src/index.ts', `export { fetchJson } from './http';\n`);
  write('apps/spa/src/api/client.ts', `import axios from 'axios';\n\nexport const api = axios.create({ baseURL: import.meta.env.VITE_API_URL, timeout: 10_000 });\n`);
  write('apps/web/lib/api-client.ts', `import axios from 'axios';\n\nexport const apiClient = axios.create({ baseURL: '/api' });\n`);
  write('apps/api/src/lib/upstream.ts', `import axios from 'axios';\n\nexport const upstream = axios.create({ baseURL: 'https://inventory.internal.example.com', timeout: 5000 });\n`);
  const fixed = written.files;

  // Weighted kinds of file; `call` says which call-bearing block such a file gets when it is one of the ~7%.
  // A call-bearing block with the import it needs: files without calls do not import the clients.
  const withImport = (line, code) => ({ imports: `${line}\n`, code });
  const kinds = [
    { weight: 22, dir: () => `packages/ui/src/${r.pick(UI).toLowerCase()}`, ext: 'tsx', header: "import { useMemo, useState } from 'react';\n", make: () => b.component(), call: null },
    { weight: 14, dir: () => `packages/utils/src/${r.pick(NOUNS)}`, ext: 'ts', header: '', make: () => b.util(), call: null },
    { weight: 9, dir: () => `packages/types/src/${r.pick(NOUNS)}`, ext: 'ts', header: '', make: () => b.interface(), call: null },
    {
      weight: 16,
      dir: () => `apps/web/app/(shop)/${r.pick(NOUNS)}s/${r.pick(['[id]', 'new', 'list', 'edit'])}`,
      ext: 'tsx',
      header: "'use client';\nimport { useEffect, useMemo, useState } from 'react';\n",
      make: () => r.pick([b.component, b.hook, b.constant])(),
      call: () => (r.chance(0.5) ? withImport('', b.frontendFetch()) : withImport("import { apiClient } from '@/lib/api-client';", b.instanceCall('apiClient'))),
    },
    { weight: 5, dir: () => `apps/web/app/(marketing)/${r.pick(NOUNS)}`, ext: 'tsx', header: '', make: () => b.constant(), call: () => withImport('', b.serverComponentFetch()), server: true },
    {
      weight: 16,
      dir: () => `apps/spa/src/${r.pick(['components', 'pages', 'features', 'hooks'])}/${r.pick(NOUNS)}`,
      ext: 'tsx',
      header: "import { useEffect, useMemo, useState } from 'react';\n",
      make: () => r.pick([b.component, b.hook, b.util])(),
      call: () =>
        r.pick([
          () => withImport("import { api } from '../../api/client';", b.instanceCall('api')),
          () => withImport("import { fetchJson } from '@bench/shared-client';", b.wrapperCall('fetchJson')),
          () => withImport('', b.frontendFetch()),
        ])(),
    },
    {
      weight: 12,
      dir: () => `apps/api/src/${r.pick(['routes', 'services', 'jobs', 'lib'])}/${r.pick(NOUNS)}`,
      ext: 'ts',
      header: '',
      make: () => r.pick([b.util, b.interface, b.constant])(),
      call: () =>
        r.pick([
          () => withImport('', b.thirdParty()),
          () => withImport("import { upstream } from '../../lib/upstream';", b.instanceCall('upstream')),
          () => withImport("import { fetchJson } from '@bench/shared-client';", b.wrapperCall('fetchJson')),
        ])(),
    },
    { weight: 6, dir: () => `packages/shared-client/src/resources/${r.pick(NOUNS)}`, ext: 'ts', header: '', make: () => b.interface(), call: () => withImport("import { fetchJson } from '../../http';", b.wrapperCall('fetchJson')) },
  ];
  const totalWeight = kinds.reduce((n, k) => n + k.weight, 0);
  const drawKind = () => {
    let x = r.next() * totalWeight;
    for (const k of kinds) if ((x -= k.weight) < 0) return k;
    return kinds[kinds.length - 1];
  };
  const callKinds = kinds.filter((k) => k.call);
  const callWeight = callKinds.reduce((n, k) => n + k.weight, 0) / totalWeight;
  const counters = new Map();
  for (let i = fixed; i < files; i++) {
    const kind = drawKind();
    // Only some kinds can hold calls; raise their odds so the whole tree gets about `callShare` call files.
    const withCall = kind.call !== null && r.chance(callShare / callWeight);
    const dir = kind.dir();
    const n = (counters.get(dir) ?? 0) + 1;
    counters.set(dir, n);
    // Next.js pages are `<segment>/page.tsx`; other files get a unique name in their folder.
    const rel = kind.server && withCall ? `${dir}/section-${n}/page.${kind.ext}` : `${dir}/${camel(r.pick(ADJECTIVES), r.pick(NOUNS))}${n}.${kind.ext}`;
    const call = withCall ? kind.call() : null;
    write(rel, fill(r, `${kind.header}${call ? call.imports : ''}`, call ? [call.code] : [], kind.make));
    if (withCall) written.withCalls++;
  }
  fs.writeFileSync(path.join(out, MANIFEST), json({ generator: GENERATOR_VERSION, files, seed, callShare, written }));
  return written;
}

/** The manifest of a generated workspace, or null when the folder is missing or from other parameters. */
export function readManifest(out = DEFAULT_OUT) {
  try {
    return JSON.parse(fs.readFileSync(path.join(out, MANIFEST), 'utf8'));
  } catch {
    return null; // not generated yet: the caller generates it
  }
}

export function isCurrent(manifest, { files = DEFAULTS.files, seed = DEFAULTS.seed, callShare = DEFAULTS.callShare } = {}) {
  return manifest !== null && manifest.generator === GENERATOR_VERSION && manifest.files === files && manifest.seed === seed && manifest.callShare === callShare;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? fallback : process.argv[i + 1];
  };
  const options = { out: path.resolve(arg('out', DEFAULT_OUT)), files: Number(arg('files', DEFAULTS.files)), seed: Number(arg('seed', DEFAULTS.seed)) };
  const started = Date.now();
  const w = generateWorkspace(options);
  console.log(`generated ${w.files} source files, ${(w.bytes / 1e6).toFixed(1)} MB, ${w.withCalls} with calls into ${options.out} in ${Date.now() - started} ms`);
}
