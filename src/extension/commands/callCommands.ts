// Commands on one call: reveal, copy as cURL, ignore a finding.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RuleId } from '../../core/model';
import { activeFindings } from '../describe';
import { toVscodeRange, type WorkspaceIndex } from '../index/workspaceIndex';
import type { AtlasLog } from '../log';
import { noCallMessage, resolveCallArgument } from './callArguments';
import { buildCurl, devServerOrigin } from './curl';
import { applySimpleFix } from '../fixes/simpleFixCommand';

/** A file's text, or undefined when it is not there (other read errors go to the log). */
function readIfThere(abs: string, log: AtlasLog): string | undefined {
  try {
    return fs.readFileSync(abs, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`Cannot read ${abs}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/** The dev server origin of the package holding `file` (its nearest package.json, and a Vite config beside it). */
function appOrigin(root: string, file: string, log: AtlasLog): string | undefined {
  for (let dir = path.dirname(path.join(root, file)); dir.startsWith(root); dir = path.dirname(dir)) {
    const pkg = readIfThere(path.join(dir, 'package.json'), log);
    if (pkg === undefined) {
      if (dir === root) break;
      continue;
    }
    const vite = ['vite.config.ts', 'vite.config.js', 'vite.config.mjs'].map((name) => readIfThere(path.join(dir, name), log)).find((t) => t !== undefined);
    return devServerOrigin(pkg, vite);
  }
  return undefined;
}

export function registerCallCommands(index: WorkspaceIndex, log: AtlasLog): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('apiAtlas.revealCall', async (arg: unknown) => {
      const resolved = resolveCallArgument(index, arg);
      if (!resolved) return noCallMessage();
      await vscode.window.showTextDocument(index.uriOf(resolved.entry), { selection: toVscodeRange(resolved.entry.call.range) });
    }),

    vscode.commands.registerCommand('apiAtlas.copyAsCurl', async (arg: unknown) => {
      const resolved = resolveCallArgument(index, arg);
      if (!resolved) return noCallMessage();
      const folder = index.folderUri(resolved.entry.folderKey);
      const origin = folder ? appOrigin(folder.fsPath, resolved.entry.call.file, log) : undefined;
      const curl = buildCurl(resolved.entry.call, { origin });
      await vscode.env.clipboard.writeText(curl);
      vscode.window.setStatusBarMessage('$(copy) API Atlas: cURL command copied (secret values masked)', 4000);
      return curl;
    }),

    vscode.commands.registerCommand('apiAtlas.ignoreFinding', async (arg: unknown) => {
      // Pending edits first, so the call's line is where the document has it now.
      await index.whenIdle();
      const resolved = resolveCallArgument(index, arg);
      if (!resolved) return noCallMessage();
      const { entry } = resolved;
      const active = activeFindings(entry.call);
      let rule: RuleId | undefined = resolved.rule;
      if (!rule) {
        if (active.length === 0) {
          void vscode.window.showInformationMessage('API Atlas: this call has no finding to ignore.');
          return undefined;
        }
        rule =
          active.length === 1
            ? active[0].rule
            : (
                await vscode.window.showQuickPick(
                  active.map((f) => ({ label: f.rule, description: f.severity, detail: f.message, rule: f.rule })),
                  { title: 'Ignore which finding on this call?' },
                )
              )?.rule;
        if (!rule) return undefined;
      }
      // One implementation of the ignore comment for the tree, the hover and the light bulb (JSX-aware, stale-safe).
      return applySimpleFix(index, log, { ...index.refOf(entry), fix: 'ignore-line', rule, preview: false });
    }),
  ];
}
