// Generates the benchmark's large-file workspace (bench/large-file/): one 14,000-line React canvas component, the
// kind of file where typing must stay responsive, deterministic so every run measures the same text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const LARGE_FILE_OUT = path.join(HERE, 'large-file');
export const LARGE_FILE_REL = 'src/components/CanvasEditor.tsx';

/**
 * A client component with thousands of geometry helpers, a few dozen requests (own API, a wrapper, a third party)
 * and hooks, `lines` lines long. Returns the workspace folder and the file's size.
 */
export function generateLargeFileWorkspace({ out = LARGE_FILE_OUT, lines = 14_000 } = {}) {
  const text = [
    "'use client';",
    "import { useCallback, useEffect, useRef, useState } from 'react';",
    "import axios from 'axios';",
    '',
    'async function fetchJson(url: string, init?: RequestInit) {',
    '  const res = await fetch(url, init);',
    "  if (!res.ok) throw new Error(`request failed: ${res.status}`);",
    '  return res.json();',
    '}',
    '',
  ];
  for (let i = 1; text.length < lines - 12; i++) {
    if (i % 60 === 0) {
      text.push(
        `export async function saveScene${i}(sceneId: string, shapes: unknown[]) {`,
        `  return axios.post(\`/api/scenes/\${sceneId}/shapes\`, { shapes, revision: ${i} });`,
        '}',
        '',
      );
    } else if (i % 45 === 0) {
      text.push(`export function loadLibrary${i}(name: string) {`, `  return fetchJson(\`/api/libraries/\${encodeURIComponent(name)}?v=${i}\`);`, '}', '');
    } else if (i % 170 === 0) {
      text.push(
        `export async function translate${i}(text: string) {`,
        "  const res = await fetch('https://translation.googleapis.com/language/translate/v2', { method: 'POST', body: JSON.stringify({ q: text }) });",
        '  return res.json();',
        '}',
        '',
      );
    } else {
      const k = (i % 7) + 1;
      text.push(
        `export function transformShape${i}(points: ReadonlyArray<{ x: number; y: number }>, scale = ${k}) {`,
        '  const out: Array<{ x: number; y: number }> = [];',
        '  for (const p of points) {',
        `    const angle = Math.atan2(p.y, p.x) + ${(i % 13) / 10};`,
        '    const radius = Math.hypot(p.x, p.y) * scale;',
        '    out.push({ x: Math.cos(angle) * radius, y: Math.sin(angle) * radius });',
        '  }',
        `  return out.filter((q) => Number.isFinite(q.x) && Math.abs(q.y) < ${1000 + i});`,
        '}',
        '',
      );
    }
  }
  text.push(
    'export default function CanvasEditor({ sceneId }: { sceneId: string }) {',
    '  const canvas = useRef<HTMLCanvasElement>(null);',
    '  const [scene, setScene] = useState<unknown>(null);',
    '  useEffect(() => {',
    '    fetch(`/api/scenes/${sceneId}`).then((r) => r.json()).then(setScene).catch(() => setScene(null));',
    '  }, [sceneId]);',
    '  const onSave = useCallback(() => saveScene60(sceneId, []), [sceneId]);',
    '  return <canvas ref={canvas} onDoubleClick={onSave} data-scene={String(Boolean(scene))} />;',
    '}',
    '',
  );
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, path.dirname(LARGE_FILE_REL)), { recursive: true });
  fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify({ name: 'canvas-app', private: true, dependencies: { axios: '^1.7.0', next: '^15.0.0', react: '^19.0.0', 'react-dom': '^19.0.0' } }, null, 2)}\n`);
  const body = text.join('\n');
  fs.writeFileSync(path.join(out, LARGE_FILE_REL), body);
  return { out, rel: LARGE_FILE_REL, lines: text.length, bytes: Buffer.byteLength(body) };
}
