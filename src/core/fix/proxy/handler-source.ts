// What every part of a generated proxy handler is written with: the handler's names, the output style, and the
// helpers that spell literals, types and documented function heads in TypeScript or JavaScript.
import type { ProxyTarget } from './targets';

export interface HandlerNames {
  /** `/api/openai-chat-completions` */
  routePath: string;
  /** `OPENAI_KEY`: the server-only env var holding the secret (null when the call sends none). */
  secretEnv: string | null;
  /** `openaiChatCompletionsProxy`: the exported router (Express) or the node handler's base name. */
  identifier: string;
  /** Where the call came from, for the header comment (`src/chat.ts:12`). */
  origin: string;
}

/** A single-quoted JavaScript string literal. */
export function str(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}'`;
}

export function list(values: readonly string[]): string {
  return `[${values.map(str).join(', ')}]`;
}

export function pairs(values: readonly (readonly [string, string])[]): string {
  return `[${values.map(([a, b]) => `[${str(a)}, ${str(b)}]`).join(', ')}]`;
}

/** How the handler file is written: TypeScript or JavaScript, for which server style, as CommonJS or an ES module. */
export type Style = { ts: boolean; target: ProxyTarget['kind']; cjs: boolean };

/** Annotation text for TypeScript output, nothing for JavaScript. */
export function T(style: Style, text: string): string {
  return style.ts ? text : '';
}

/** `const NAME: type = value;` in TypeScript, the same with a JSDoc `@type` in JavaScript. */
export function typedConst(style: Style, name: string, type: string, value: string): string {
  return style.ts ? `const ${name}: ${type} = ${value};` : `/** @type {${type}} */\nconst ${name} = ${value};`;
}

/** Types written for TypeScript (with the file's type imports), spelled as `import()` types in JavaScript. */
function typeText(style: Style, type: string): string {
  if (style.ts) return type;
  return type
    .replace(/\bIncomingMessage\b/g, "import('node:http').IncomingMessage")
    .replace(/\bServerResponse\b/g, "import('node:http').ServerResponse")
    .replace(/\bNextApiRequest\b/g, "import('next').NextApiRequest")
    .replace(/\bNextApiResponse\b/g, "import('next').NextApiResponse")
    .replace(/\bexpress\.Request\b/g, "import('express').Request");
}

/**
 * A function's first line with its documentation: annotations in TypeScript, JSDoc `@param`/`@returns` in JavaScript
 * (so `// @ts-check` users get the same types).
 */
export function fnHead(style: Style, doc: string | null, signature: { name: string; params: [string, string][]; returns: string; async?: boolean; template?: string }): string {
  const { name, params, returns } = signature;
  const keyword = `${signature.async ? 'async ' : ''}function ${name}`;
  const docLines = doc ? doc.split('\n').flatMap((paragraph) => wrap(paragraph, 110)) : [];
  if (style.ts) {
    const generic = signature.template ? `<${signature.template}>` : '';
    const head = `${keyword}${generic}(${params.map(([p, t]) => `${p}: ${t}`).join(', ')}): ${returns} {`;
    if (docLines.length === 0) return head;
    return docLines.length === 1 ? `/** ${docLines[0]} */\n${head}` : `/**\n${docLines.map((l) => ` * ${l}`.trimEnd()).join('\n')}\n */\n${head}`;
  }
  const lines = [
    ...docLines,
    ...(signature.template ? [`@template ${signature.template}`] : []),
    ...params.map(([p, t]) => `@param {${typeText(style, t)}} ${p}`),
    `@returns {${typeText(style, returns)}}`,
  ];
  return `/**\n${lines.map((l) => ` * ${l}`.trimEnd()).join('\n')}\n */\n${keyword}(${params.map(([p]) => p).join(', ')}) {`;
}

/** Words of `text` in lines of at most `width` characters (a generated comment stays readable). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

/** What `readBody` resolves to: the bytes, or why they were refused. */
export const BODY_READ = "ArrayBuffer | 'too-large' | 'too-slow'";
