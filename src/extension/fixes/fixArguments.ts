// The argument objects the quick-fix commands take (code actions build them; tests and other commands may too).
import { RULE_IDS, type Call, type CallRecord, type RuleId } from '../../core/model';
import { isCallRef, type CallRef } from '../index/workspaceIndex';

/** The fixes that run through `_apiAtlas.applyFix`. The proxy move has its own command, `apiAtlas.moveBehindProxy`. */
export const SIMPLE_FIXES = ['move-literal-to-env', 'rename-public-env', 'add-timeout', 'ignore-line', 'ignore-file'] as const;
export type SimpleFixId = (typeof SIMPLE_FIXES)[number];

/** Options every fix command understands besides the call. */
export interface FixCommandOptions {
  /** True shows VS Code's Refactor Preview before applying; by default a fix applies at once (one undo step). */
  preview?: boolean;
}

export interface ProxyFixArgs extends CallRef, FixCommandOptions {
  rule?: RuleId;
  /** Skips the quick pick: the target whose folder (`app/api`, `server/routes`, ...) is this one. */
  targetDir?: string;
  /** For a secret written in the code: also write it to `.env.local` without asking (the user already confirmed). */
  writeSecretToEnvLocal?: boolean;
}

export interface SimpleFixArgs extends CallRef, FixCommandOptions {
  fix: SimpleFixId;
  rule: RuleId;
  /** `move-literal-to-env` only: also write the value to `.env.local` (asks with a modal first unless `confirmed`). */
  writeToEnvLocal?: boolean;
  /** The user has already said yes to writing the secret to `.env.local`. */
  confirmed?: boolean;
}

function isRule(value: unknown): value is RuleId {
  return typeof value === 'string' && (RULE_IDS as readonly string[]).includes(value);
}

export function isSimpleFixArgs(value: unknown): value is SimpleFixArgs {
  if (!isCallRef(value)) return false;
  const args = value as Partial<SimpleFixArgs>;
  return typeof args.fix === 'string' && (SIMPLE_FIXES as readonly string[]).includes(args.fix) && isRule(args.rule);
}

/** Options a command received next to (or inside) its call argument. */
export function fixOptionsOf(value: unknown): FixCommandOptions & Pick<ProxyFixArgs, 'targetDir' | 'writeSecretToEnvLocal'> {
  if (typeof value !== 'object' || value === null) return {};
  const v = value as Record<string, unknown>;
  return {
    ...(typeof v.preview === 'boolean' ? { preview: v.preview } : {}),
    ...(typeof v.targetDir === 'string' ? { targetDir: v.targetDir } : {}),
    ...(v.writeSecretToEnvLocal === true ? { writeSecretToEnvLocal: true } : {}),
  };
}

/**
 * The index holds CallRecords (with the detector's facts) but hands them out typed as the public `Call`; fixes need
 * the facts, so this checks that they are there instead of casting blindly.
 */
export function callRecordOf(call: Call): CallRecord | undefined {
  const facts = (call as Partial<CallRecord>).facts;
  return facts && typeof facts === 'object' && Array.isArray(facts.credentials) ? (call as CallRecord) : undefined;
}
