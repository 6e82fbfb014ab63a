// The host inventory for security reviews: every external host the calls reach, its service, runtimes and credentials.
import { isLocalHost, lookupThirdParty } from '../rules';
import type { Call, Credential, CredentialSource, Runtime } from '../model';

/** A call as the inventory reads it: the public shape, plus the detector's credentials when the caller has them. */
export type InventoryCall = Call & { facts?: { credentials: readonly Credential[] } };

export interface HostEntry {
  host: string;
  /** The catalogue's name for the API (`Stripe API`), or null when the host is not in it. */
  service: string | null;
  calls: number;
  byRuntime: Record<Runtime, number>;
  /** Calls that send a credential (a key, token or the user's session), and where those come from. */
  credential: { calls: number; sources: CredentialSource[] };
  /** `http` when any call to the host is made without TLS. */
  schemes: string[];
  files: string[];
}

export interface HostInventory {
  hosts: HostEntry[];
  /** Calls to the app's own origin (relative URLs). */
  sameOriginCalls: number;
  /** Calls to localhost, private networks and single-label (container) names. */
  localCalls: number;
  /** Calls whose host is computed at run time. */
  unresolvedCalls: number;
}

/** Groups calls by external host, most-called first, then by name. */
export function buildHostInventory(calls: readonly InventoryCall[]): HostInventory {
  const byHost = new Map<string, HostEntry>();
  const inventory: HostInventory = { hosts: [], sameOriginCalls: 0, localCalls: 0, unresolvedCalls: 0 };
  for (const call of calls) {
    const host = call.url.host?.toLowerCase() ?? null;
    if (host === null) {
      if (call.url.kind === 'relative') inventory.sameOriginCalls++;
      else inventory.unresolvedCalls++;
      continue;
    }
    if (isLocalHost(host)) {
      inventory.localCalls++;
      continue;
    }
    let entry = byHost.get(host);
    if (!entry) {
      entry = { host, service: null, calls: 0, byRuntime: { frontend: 0, backend: 0, isomorphic: 0, unknown: 0 }, credential: { calls: 0, sources: [] }, schemes: [], files: [] };
      byHost.set(host, entry);
    }
    entry.calls++;
    entry.byRuntime[call.runtime]++;
    entry.service ??= lookupThirdParty(host, pathAfterHost(call, host))?.name ?? null;
    const credentials = call.facts?.credentials ?? [];
    if (credentials.length > 0) {
      entry.credential.calls++;
      for (const c of credentials) if (!entry.credential.sources.includes(c.source)) entry.credential.sources.push(c.source);
    }
    const scheme = /^\W*(https?|wss?):\/\//i.exec(call.url.template ?? call.url.text)?.[1]?.toLowerCase();
    if (scheme && !entry.schemes.includes(scheme)) entry.schemes.push(scheme);
    if (!entry.files.includes(call.file)) entry.files.push(call.file);
  }
  inventory.hosts = [...byHost.values()].sort((a, b) => b.calls - a.calls || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  for (const entry of inventory.hosts) {
    entry.credential.sources.sort();
    entry.schemes.sort();
    entry.files.sort();
  }
  return inventory;
}

/** Merges the inventories of several workspace roots into one. */
export function mergeHostInventories(parts: readonly HostInventory[]): HostInventory {
  const merged: HostInventory = { hosts: [], sameOriginCalls: 0, localCalls: 0, unresolvedCalls: 0 };
  const byHost = new Map<string, HostEntry>();
  for (const part of parts) {
    merged.sameOriginCalls += part.sameOriginCalls;
    merged.localCalls += part.localCalls;
    merged.unresolvedCalls += part.unresolvedCalls;
    for (const h of part.hosts) {
      const into = byHost.get(h.host);
      if (!into) {
        byHost.set(h.host, structuredClone(h));
        continue;
      }
      into.calls += h.calls;
      for (const r of Object.keys(h.byRuntime) as Runtime[]) into.byRuntime[r] += h.byRuntime[r];
      into.service ??= h.service;
      into.credential.calls += h.credential.calls;
      into.credential.sources = [...new Set([...into.credential.sources, ...h.credential.sources])].sort();
      into.schemes = [...new Set([...into.schemes, ...h.schemes])].sort();
      into.files = [...new Set([...into.files, ...h.files])].sort();
    }
  }
  merged.hosts = [...byHost.values()].sort((a, b) => b.calls - a.calls || (a.host < b.host ? -1 : 1));
  return merged;
}

/** The URL path after the host, for catalogue entries that share a host with a website (`slack.com/api/`). */
function pathAfterHost(call: Call, host: string): string | undefined {
  const text = call.url.template ?? call.url.text;
  const at = text.toLowerCase().indexOf(host);
  if (at === -1) return undefined;
  const rest = text.slice(at + host.length).replace(/^:\d+/, '');
  return rest.startsWith('/') ? rest.split(/[?#]/)[0] : undefined;
}
