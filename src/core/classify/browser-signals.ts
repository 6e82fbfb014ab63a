// Evidence that a file runs in the browser: browser-only globals, React state hooks, Vue client hooks, and the guards of code written for both sides.
import { listNames, type SignalSink } from './signal-sink';
import { BROWSER_GLOBALS, importMetaMembers, PROCESS_MEMBER, type GlobalTest } from './global-references';
import { matchAt, type CodeScan } from '../parse/code-text';

const REACT_STATE_HOOKS = new Set(['useState', 'useEffect', 'useLayoutEffect', 'useReducer', 'useRef', 'useCallback', 'useContext', 'useSyncExternalStore', 'useTransition', 'useOptimistic', 'useActionState', 'useFormStatus']);
const VUE_CLIENT_HOOKS = ['onMounted', 'onBeforeMount', 'onUpdated', 'onActivated'];

/** The name is followed (after spaces) by one of `chars`, e.g. a hook called as `useState(` or `useState<`. */
function followedBy(code: string, from: number, chars: string): boolean {
  let i = from;
  while (i < code.length && (code[i] === ' ' || code[i] === '\n' || code[i] === '\t' || code[i] === '\r')) i++;
  return chars.includes(code[i] ?? '');
}

export function browserSignals(sink: SignalSink, code: string, scan: CodeScan, rel: string, isGlobal: GlobalTest): void {
  const { hits } = scan;
  let guard: string | null = null;
  for (const name of ['window', 'document', 'navigator']) {
    if (hits.get(name)?.some((h) => h.afterTypeof)) {
      guard = `typeof ${name}`;
      break;
    }
  }
  if (!guard) {
    const meta = importMetaMembers(code, hits).find((m) => m === 'client' || m === 'server' || m === 'env.SSR');
    if (meta) guard = `import.meta.${meta}`;
  }
  if (!guard) {
    const proc = (hits.get('process') ?? []).map((h) => (h.afterDot ? null : matchAt(PROCESS_MEMBER, code, h.index + 7)?.[1])).find((m) => m === 'client' || m === 'server' || m === 'browser');
    if (proc) guard = `process.${proc}`;
  }
  // A parameter, destructured name or declaration called `document` (a database document) is not the global.
  const globals = BROWSER_GLOBALS.filter((name) => hits.get(name)?.some((h) => !h.afterDot && !h.afterTypeof && isGlobal(h)));
  if (guard) {
    sink.add('browser-guard', 'isomorphic', 0.5, `checks ${guard}: written to run both in the browser and on the server`, 'shared-module');
  }
  if (globals.length > 0) {
    sink.add(
      'browser-api',
      'frontend',
      guard ? 0.3 : 0.65,
      `uses browser-only APIs (${listNames(globals)})${guard ? ' behind that check' : ''}`,
      'spa',
    );
  }
  const hooks: string[] = [];
  for (const [name, list] of hits) {
    if (!REACT_STATE_HOOKS.has(name)) continue;
    const called = list.some((h) => (!h.afterDot || code.startsWith('React.', h.index - 6)) && followedBy(code, h.index + name.length, '(<'));
    if (called) hooks.push(name);
  }
  if (hooks.length > 0) {
    sink.add('react-hooks', 'frontend', 0.55, `calls React hooks (${listNames(hooks)}): a component with state or effects, which runs in the browser`, 'spa');
  }
  const vue = VUE_CLIENT_HOOKS.find((name) => hits.get(name)?.some((h) => !h.afterDot && followedBy(code, h.index + name.length, '(')));
  if (vue && !/\.vue$/.test(rel)) {
    sink.add('vue-client-hook', 'frontend', 0.4, `calls ${vue}, which runs only in the browser`, 'spa');
  }
}
