// Maps each simple fix id to the core function that plans it (src/core/fix/simple).
import { refused, type PlanResult, type WorkspaceView } from '../../core/fix';
import type { CallRecord, RuleId } from '../../core/model';
import type { SimpleFixId } from './fixArguments';

export interface SimplePlanOptions {
  /** `move-literal-to-env`: the user confirmed writing the value to `.env.local`. */
  writeToEnvLocal?: boolean;
}

type FixesModule = typeof import('../../core/fix/simple/index.ts');
let fixesModule: Promise<FixesModule> | undefined;

/** The fixes (and TypeScript with them) load when a fix first runs, not when the extension activates. */
export function loadFixes(): Promise<FixesModule> {
  fixesModule ??= import('../../core/fix/simple/index.ts');
  return fixesModule;
}

export async function planSimpleFix(fix: SimpleFixId, call: CallRecord, rule: RuleId, ws: WorkspaceView, opts: SimplePlanOptions = {}): Promise<PlanResult> {
  const { planAddErrorHandling, planAddTimeout, planIgnore, planMoveLiteralToEnv, planRenamePublicEnv } = await loadFixes();
  switch (fix) {
    case 'move-literal-to-env':
      return planMoveLiteralToEnv(call, ws, { writeValueToEnvLocal: opts.writeToEnvLocal === true });
    case 'rename-public-env':
      return planRenamePublicEnv(call, ws);
    case 'add-timeout':
      return planAddTimeout(call, ws);
    case 'add-error-handling':
      return planAddErrorHandling(call, ws);
    case 'ignore-line':
    case 'ignore-file': {
      const text = ws.readFile(call.file);
      if (text === undefined) return refused(`${call.file} no longer exists.`);
      return planIgnore(call, rule, fix === 'ignore-line' ? 'line' : 'file', text);
    }
  }
}
