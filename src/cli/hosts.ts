// `api-atlas hosts`: the inventory of external hosts the scanned code calls, as a table, JSON or CSV.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RUNTIMES } from '../core/model';
import { buildHostInventory, mergeHostInventories, type HostEntry, type HostInventory } from '../core/report';
import type { HostsRequest } from './args';
import { commonAncestor, dedupeRoots } from './combine';
import { createProgress } from './progress';
import { applyFlags, cacheLocationOf, EXIT_OK, EXIT_USAGE, type CliEngine, type CliStreams } from './contract';

export async function runHosts(request: HostsRequest, io: CliStreams, engine: CliEngine): Promise<number> {
  const fail = (message: string): number => {
    io.stderr.write(`api-atlas: ${message}\n`);
    return EXIT_USAGE;
  };
  if (!engine.inspectRoot) return fail('this build of api-atlas cannot list hosts');
  const given: string[] = [];
  for (const p of request.paths) {
    const abs = path.resolve(io.cwd, p);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) return fail(`not a folder: ${p}`);
    given.push(fs.realpathSync(abs));
  }
  const { roots } = dedupeRoots(given);
  const top = commonAncestor(roots);
  const progress = createProgress(io.stderr);
  const parts: HostInventory[] = [];
  for (const root of roots) {
    const loaded = engine.loadSettings(root);
    for (const w of loaded.warnings) io.stderr.write(`api-atlas: warning: ${w}\n`);
    const settings = applyFlags(loaded.settings, { ...request, format: 'table', failOn: null, baseline: null, writeBaseline: null, changedSince: null });
    const prefix = path.relative(top, root).split(path.sep).join('/');
    try {
      const { records } = await engine.inspectRoot(root, settings, {
        cacheLocation: cacheLocationOf(request, io.cwd),
        onProgress: (done, total) => progress.update(done, total),
        log: (message, level = 'warn') => {
          if (level === 'info' && !request.verbose) return;
          progress.clear();
          io.stderr.write(`api-atlas: ${level === 'info' ? '' : `${level === 'warn' ? 'warning' : 'error'}: `}${message}\n`);
        },
      });
      parts.push(buildHostInventory(records.map((r) => (prefix ? { ...r, file: `${prefix}/${r.file}` } : r))));
    } catch (err) {
      progress.clear();
      return fail(`scanning ${root} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  progress.clear();
  const inventory = mergeHostInventories(parts);
  const text = request.format === 'json' ? formatHostsJson(inventory, top) : request.format === 'csv' ? formatHostsCsv(inventory) : formatHostsTable(inventory);
  if (request.output !== null) {
    try {
      fs.writeFileSync(path.resolve(io.cwd, request.output), text);
    } catch (err) {
      return fail(`cannot write --output ${request.output}: ${(err as Error).message}`);
    }
  } else {
    io.stdout.write(text);
  }
  return EXIT_OK;
}

export function formatHostsJson(inventory: HostInventory, root: string): string {
  return `${JSON.stringify({ tool: 'api-atlas', root, ...inventory }, null, 2)}\n`;
}

const CSV_HEADER = ['host', 'service', 'calls', ...RUNTIMES, 'credential_calls', 'credential_sources', 'schemes', 'files'];

/** RFC 4180: fields with commas, quotes or line breaks are quoted; lists inside a field are separated by spaces. */
export function formatHostsCsv(inventory: HostInventory): string {
  const rows = [CSV_HEADER, ...inventory.hosts.map((h) => [h.host, h.service ?? '', h.calls, ...RUNTIMES.map((r) => h.byRuntime[r]), h.credential.calls, h.credential.sources.join(' '), h.schemes.join(' '), h.files.join(' ')].map(String))];
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(value: string): string {
  // A leading = + - @ would be read as a formula by spreadsheets.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function formatHostsTable(inventory: HostInventory): string {
  const header = ['HOST', 'SERVICE', 'CALLS', ...RUNTIMES.map((r) => r.toUpperCase()), 'CREDENTIAL'];
  const rows = inventory.hosts.map((h) => [h.host, h.service ?? '-', String(h.calls), ...RUNTIMES.map((r) => String(h.byRuntime[r])), credentialText(h)]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 2 && i <= 6 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = inventory.hosts.length ? [line(header), ...rows.map(line)] : ['No external hosts found.'];
  out.push('');
  out.push(`${plural(inventory.hosts.length, 'external host')}; also ${plural(inventory.sameOriginCalls, 'same-origin call')}, ${plural(inventory.localCalls, 'call')} to local hosts, ${plural(inventory.unresolvedCalls, 'call')} whose host is decided at run time.`);
  return `${out.join('\n')}\n`;
}

function credentialText(h: HostEntry): string {
  if (h.credential.calls === 0) return 'no';
  return `yes, ${h.credential.calls}/${h.calls} (${h.credential.sources.join(', ')})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
