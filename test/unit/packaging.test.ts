// What users install: the @api-atlas/cli tarball (packed, installed offline into an empty folder, run) and the .vsix (packaged, listed, README images resolved).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yauzl from 'yauzl';
import { AGENT_TOOLS } from '../../src/core/report';
import { parseArgs } from '../../src/cli/args';
import type { ScanResult } from '../../src/core/model';
import { tempDir } from '../support/temp-dirs';

const ROOT = path.join(__dirname, '..', '..');
const rootManifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown> & { version: string };
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';


function run(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' }, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every entry of a zip file with the text of the ones `wanted` accepts. */
function readZip(file: string, wanted: (name: string) => boolean): Promise<Map<string, string | null>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const entries = new Map<string, string | null>();
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!wanted(entry.fileName)) {
          entries.set(entry.fileName, null);
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr) return reject(streamErr);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

test('@api-atlas/cli: npm pack, install the tarball offline into an empty folder, and scan examples/ through the installed bin', () => {
  const out = tempDir('atlas-pack-');
  const packed = run(NPM, ['pack', './packages/cli', '--json', '--pack-destination', out], ROOT);
  assert.equal(packed.status, 0, packed.stderr);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { name: string; version: string; filename: string; files: { path: string }[] }[];
  assert.equal(info.name, '@api-atlas/cli');
  assert.equal(info.version, rootManifest.version, 'the CLI package and the extension share a version');
  assert.deepEqual(info.files.map((f) => f.path).sort(), ['LICENSE', 'README.md', 'dist/cli-main.js', 'dist/cli.js', 'dist/typescript.js', 'dist/worker.js', 'package.json']);

  const cliManifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'packages', 'cli', 'package.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(cliManifest.bin, { 'api-atlas': 'dist/cli.js' });
  assert.equal(cliManifest.dependencies, undefined, 'self-contained: nothing to download at install time');
  assert.equal((cliManifest.engines as { node: string }).node, '>=20');
  assert.equal(rootManifest.private, true, 'the root (the extension manifest) is never published to npm');

  const app = tempDir('atlas-install-');
  fs.writeFileSync(path.join(app, 'package.json'), '{ "name": "empty-app", "private": true }\n');
  const installed = run(NPM, ['install', '--offline', '--no-audit', '--no-fund', '--cache', path.join(app, '.npm-cache'), path.join(out, info.filename)], app);
  assert.equal(installed.status, 0, installed.stderr);
  assert.deepEqual(fs.readdirSync(path.join(app, 'node_modules')).filter((n) => !n.startsWith('.')), ['@api-atlas'], 'no dependency was installed');
  const bin = path.join(app, 'node_modules', '.bin', process.platform === 'win32' ? 'api-atlas.cmd' : 'api-atlas');
  assert.ok(fs.existsSync(bin));

  assert.equal(run(bin, ['--version'], app).stdout.trim(), rootManifest.version);
  const viaPackage = run(bin, ['scan', path.join(ROOT, 'examples'), '--format', 'json'], app);
  assert.equal(viaPackage.status, 0, viaPackage.stderr);
  const fromPackage = JSON.parse(viaPackage.stdout) as ScanResult;
  const fromRepo = JSON.parse(run(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'scan', 'examples', '--format', 'json'], ROOT).stdout) as ScanResult;
  assert.ok(fromPackage.calls.length > 0);
  assert.deepEqual(
    fromPackage.calls.map((c) => [c.id, c.file, c.runtime, c.findings.map((f) => f.rule)]),
    fromRepo.calls.map((c) => [c.id, c.file, c.runtime, c.findings.map((f) => f.rule)]),
  );
  const hosts = run(bin, ['hosts', path.join(ROOT, 'examples'), '--format', 'csv'], app);
  assert.match(hosts.stdout, /^api\.openai\.com,OpenAI API,/m);
});

test('vsce package passes without the hiding flags; the .vsix README shows only images it holds or absolute URLs, and the manifest is Marketplace-ready', async () => {
  const out = tempDir('atlas-vsix-');
  const vsixPath = path.join(out, 'api-atlas.vsix');
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const packaged = run(process.execPath, [vsce, 'package', '--no-dependencies', '--out', vsixPath], ROOT);
  assert.equal(packaged.status, 0, `${packaged.stdout}\n${packaged.stderr}`);
  assert.doesNotMatch(`${packaged.stdout}\n${packaged.stderr}`, /WARNING|--no-rewrite-relative-links|--allow-missing-repository/);
  assert.doesNotMatch(String((rootManifest.scripts as Record<string, string>).package), /--no-rewrite-relative-links|--allow-missing-repository/);

  const entries = await readZip(vsixPath, (name) => /^extension\/(readme\.md|changelog\.md|package\.json)$/i.test(name));
  const inPackage = (rel: string): boolean => entries.has(`extension/${rel.replace(/^\.\//, '')}`);
  const readme = entries.get('extension/readme.md');
  assert.ok(readme, `no README in ${[...entries.keys()].join(', ')}`);

  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)/g), ...readme.matchAll(/<img[^>]+src="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(images.length >= 7, `README images: ${images.join(', ')}`);
  const ownRaw = 'https://github.com/api-atlas/api-atlas/raw/HEAD/';
  for (const src of images) {
    if (src.startsWith(ownRaw)) {
      // vsce points packaged images at the repository; the same file is inside the package for offline views.
      const rel = src.slice(ownRaw.length);
      assert.ok(inPackage(rel), `${src}: ${rel} is not in the .vsix`);
      assert.ok(fs.existsSync(path.join(ROOT, rel)), `${src}: ${rel} is not in the repository`);
    } else {
      assert.match(src, /^https:\/\//, `${src} is neither in the package nor an absolute URL`);
    }
  }
  const relativeLinks = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((href) => !/^(https?:|mailto:|#)/.test(href));
  assert.deepEqual(relativeLinks, [], 'every link in the packaged README resolves outside the repository checkout');
  assert.doesNotMatch(readme, /code-server|## Benchmarks|playwright/i, 'developer material lives in CONTRIBUTING.md');
  assert.match(readme, /npx @api-atlas\/cli scan/);
  assert.match(readme, /upload-sarif/);

  const changelog = entries.get('extension/changelog.md') ?? '';
  assert.doesNotMatch(changelog, /\d ms\b|bench|dubinc/i, 'the shipped changelog is for users');

  const manifest = JSON.parse(entries.get('extension/package.json') ?? '{}') as {
    publisher: string;
    repository: { url: string };
    homepage: string;
    bugs: { url: string };
    categories: string[];
    activationEvents: string[];
    capabilities: { untrustedWorkspaces: { supported: string; description: string; restrictedConfigurations: string[] } };
    contributes: {
      walkthroughs: { steps: { id: string; media: { image: string }; completionEvents: string[] }[] }[];
      languageModelTools: { name: string; displayName: string; modelDescription: string; inputSchema: unknown }[];
      configuration: { properties: Record<string, unknown> };
    };
  };
  assert.match(manifest.publisher, /^[a-z][a-z0-9-]+$/);
  assert.notEqual(manifest.publisher, 'publisher');
  assert.match(manifest.repository.url, /^https:\/\/github\.com\/api-atlas\/api-atlas/);
  assert.ok(manifest.homepage && manifest.bugs.url);
  assert.ok(!manifest.categories.includes('Programming Languages'));
  assert.ok(manifest.activationEvents.every((e) => !e.startsWith('workspaceContains') && e !== '*' && e !== 'onStartupFinished'), manifest.activationEvents.join(', '));
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  for (const key of manifest.capabilities.untrustedWorkspaces.restrictedConfigurations) assert.ok(key in manifest.contributes.configuration.properties, key);

  const steps = manifest.contributes.walkthroughs[0].steps;
  assert.deepEqual(steps.map((s) => s.id), ['openView', 'readEvidence', 'fixLeakedKey']);
  for (const step of steps) {
    assert.ok(inPackage(step.media.image), `walkthrough image ${step.media.image} is not in the .vsix`);
    assert.ok(step.completionEvents.length > 0);
  }
  assert.deepEqual(
    manifest.contributes.languageModelTools.map((t) => [t.displayName, t.modelDescription, t.inputSchema]),
    AGENT_TOOLS.map((t) => [t.title, t.description, t.inputSchema]),
    'the chat tools and the MCP tools are described by the same schemas',
  );
});

test('the GitHub Actions workflow in the README is docs/ci/api-atlas.yml, and its api-atlas commands parse', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const workflow = fs.readFileSync(path.join(ROOT, 'docs', 'ci', 'api-atlas.yml'), 'utf8');
  assert.ok(readme.includes(`\`\`\`yaml\n${workflow}\`\`\``), 'README and docs/ci/api-atlas.yml differ');
  const commands = [...workflow.matchAll(/run: npx --yes @api-atlas\/cli@[\d.]+ (.+)$/gm)].map((m) => m[1].split(/\s+/));
  assert.equal(commands.length, 2);
  for (const argv of commands) assert.equal(parseArgs(argv).kind, 'scan', argv.join(' '));
  assert.match(workflow, /upload-sarif/);
  assert.match(workflow, /--baseline \.api-atlas-baseline\.json --fail-on error/);
  for (const doc of ['README.md', 'CONTRIBUTING.md', 'packages/cli/README.md']) {
    const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
    for (const m of text.matchAll(/(?:npx(?: --yes| -y)?|npm install -g|npm i -g) (\S+)/g)) assert.match(m[1], /^@api-atlas\/cli(@[\d.]+)?$|^\.\//, `${doc}: ${m[0]}`);
  }
});
