// The generated handler's server adapters: reading the request body with its size and time limits, and answering
// through the Web Request/Response API (Next.js app router) or node:http (Next.js pages router, Express, standalone).
import type { ProxySpec } from './spec';
import { BODY_READ, fnHead, str, T, type HandlerNames, type Style } from './handler-source';

/** beforeDeadline and readWebBody: the request body through the Web Request API (Next.js app router). */
export function webBodyReader(style: Style): string {
  return [
    fnHead(style, 'Resolves with the value, or with `too-slow` once the deadline passes.', {
      name: 'beforeDeadline',
      template: 'T',
      params: [['promise', 'Promise<T>'], ['deadline', 'number']],
      returns: "Promise<T | 'too-slow'>",
    }),
    '  return new Promise((resolve, reject) => {',
    "    const timer = setTimeout(() => resolve('too-slow'), Math.max(0, deadline - Date.now()));",
    '    promise.then(',
    '      (value) => {',
    '        clearTimeout(timer);',
    '        resolve(value);',
    '      },',
    `      (error${T(style, ': unknown')}) => {`,
    '        clearTimeout(timer);',
    '        reject(error);',
    '      },',
    '    );',
    '  });',
    '}',
    '',
    fnHead(style, 'The request body, refused past MAX_BODY_BYTES or when it trickles in slower than PROXY_BODY_TIMEOUT_MS.', {
      name: 'readWebBody',
      params: [['request', 'Request']],
      returns: `Promise<${BODY_READ}>`,
      async: true,
    }),
    "  if (Number(request.headers.get('content-length') ?? '0') > MAX_BODY_BYTES) return 'too-large';",
    '  if (!request.body) return new ArrayBuffer(0);',
    "  const deadline = Date.now() + envNumber('PROXY_BODY_TIMEOUT_MS', DEFAULT_BODY_TIMEOUT_MS);",
    '  const reader = request.body.getReader();',
    `  ${style.ts ? 'const chunks: Uint8Array[] = [];' : '/** @type {Uint8Array[]} */ const chunks = [];'}`,
    '  let size = 0;',
    '  for (;;) {',
    '    const next = await beforeDeadline(reader.read(), deadline);',
    "    if (next === 'too-slow') {",
    '      await reader.cancel();',
    "      return 'too-slow';",
    '    }',
    '    if (next.done) break;',
    '    size += next.value.byteLength;',
    '    if (size > MAX_BODY_BYTES) {',
    '      await reader.cancel();',
    "      return 'too-large';",
    '    }',
    '    chunks.push(next.value);',
    '  }',
    '  return concat(chunks, size);',
    '}',
  ].join('\n');
}

/** readNodeBody (when the call sends a body), sendNodeResponse and handleNode: the proxy behind a node:http request. */
export function nodeParts(spec: ProxySpec, names: HandlerNames, style: Style): string {
  const out: string[] = [];
  if (spec.sendsBody) {
    out.push(
      fnHead(style, 'The request body, refused past MAX_BODY_BYTES or when it trickles in slower than PROXY_BODY_TIMEOUT_MS.', {
        name: 'readNodeBody',
        params: [['req', 'IncomingMessage']],
        returns: `Promise<${BODY_READ}>`,
      }),
    );
    if (style.target === 'express') {
      out.push(
        '  // A body parser mounted before this router has already read the stream: use what it parsed.',
        `  const parsed${T(style, ': unknown')} = Reflect.get(req, 'body');`,
        '  if (req.readableEnded && parsed !== undefined) {',
        "    const bytes = Buffer.isBuffer(parsed) ? parsed : Buffer.from(typeof parsed === 'string' ? parsed : JSON.stringify(parsed));",
        "    return Promise.resolve(bytes.byteLength > MAX_BODY_BYTES ? 'too-large' : concat([bytes], bytes.byteLength));",
        '  }',
      );
    }
    out.push(
      '  return new Promise((resolve, reject) => {',
      "    if (Number(req.headers['content-length'] ?? '0') > MAX_BODY_BYTES) {",
      '      req.resume(); // drain the upload so the connection can carry the 413',
      "      resolve('too-large');",
      '      return;',
      '    }',
      `    ${style.ts ? 'const chunks: Buffer[] = [];' : '/** @type {Buffer[]} */ const chunks = [];'}`,
      '    let size = 0;',
      '    let settled = false;',
      ...(style.ts ? [] : [`    /** @param {${BODY_READ}} result */`]),
      `    const settle = (result${T(style, `: ${BODY_READ}`)}) => {`,
      '      settled = true;',
      '      clearTimeout(timer);',
      '      chunks.length = 0;',
      '      resolve(result);',
      '    };',
      "    const timer = setTimeout(() => settle('too-slow'), envNumber('PROXY_BODY_TIMEOUT_MS', DEFAULT_BODY_TIMEOUT_MS));",
      `    req.on('data', (chunk${T(style, ': Buffer')}) => {`,
      '      if (settled) return;',
      '      size += chunk.byteLength;',
      "      if (size > MAX_BODY_BYTES) settle('too-large');",
      '      else chunks.push(chunk);',
      '    });',
      "    req.on('end', () => {",
      '      if (!settled) settle(concat(chunks, size));',
      '    });',
      `    req.on('error', (error${T(style, ': Error')}) => {`,
      '      if (settled) return;',
      '      settled = true;',
      '      clearTimeout(timer);',
      '      reject(error);',
      '    });',
      '  });',
      '}',
      '',
    );
  }
  out.push(
    fnHead(style, null, { name: 'sendNodeResponse', params: [['res', 'ServerResponse'], ['response', 'Response']], returns: 'Promise<void>', async: true }),
    '  res.statusCode = response.status;',
    '  response.headers.forEach((value, name) => {',
    '    res.setHeader(name, value);',
    '  });',
    '  if (response.body) {',
    '    const reader = response.body.getReader();',
    '    for (;;) {',
    '      const { done, value } = await reader.read();',
    '      if (done) break;',
    '      res.write(value);',
    '    }',
    '  }',
    '  res.end();',
    '}',
    '',
    fnHead(style, 'Runs the checks and the proxy for one node:http request. `authorize` is authorizeCaller() bound to this request.', {
      name: 'handleNode',
      params: [['req', 'IncomingMessage'], ['res', 'ServerResponse'], ['authorize', '() => Promise<Response | string | null>']],
      returns: 'Promise<void>',
      async: true,
    }),
    '  try {',
    "    const requestUrl = new URL(req.url ?? '/', 'http://localhost');",
  );
  if (style.target === 'standalone') {
    out.push(
      "    if (requestUrl.pathname !== ROUTE_PATH && requestUrl.pathname !== ROUTE_PATH + '/') {",
      "      await sendNodeResponse(res, json(404, { error: 'Not found.' }));",
      '      return;',
      '    }',
    );
  }
  out.push(
    '    const requestHeaders = new Headers();',
    '    for (const [name, value] of Object.entries(req.headers)) {',
    "      if (typeof value === 'string') requestHeaders.set(name, value);",
    '    }',
    '    const refused = refuseCrossSite(requestHeaders, null);',
    '    const caller = refused ?? (await authorize());',
    '    if (caller instanceof Response) {',
    '      await sendNodeResponse(res, caller);',
    '      return;',
    '    }',
    "    const client = caller !== null ? `user:${caller}` : `ip:${clientAddress(requestHeaders, req.socket.remoteAddress ?? null)}`;",
    `    const response = await proxy(req.method ?? 'GET', requestUrl, requestHeaders, client${spec.sendsBody ? ', () => readNodeBody(req)' : ''});`,
    '    await sendNodeResponse(res, response);',
    '  } catch (error) {',
    `    console.error(${str(`[${names.routePath} proxy] could not answer:`)}, error);`,
    '    if (res.headersSent) {',
    '      res.destroy(); // a response cut off mid-way must not look complete',
    '    } else {',
    '      res.statusCode = 500;',
    '      res.end();',
    '    }',
    '  }',
    '}',
  );
  return out.join('\n');
}
