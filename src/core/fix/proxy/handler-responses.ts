// The generated handler's response helpers: JSON errors, the headers the browser gets, the secret scrubbed from what
// the upstream returns (streamed, chunk by chunk), the response size cap, and byte concatenation for bodies.
import type { ProxySpec } from './spec';
import { fnHead, T, type HandlerNames, type Style } from './handler-source';

/** json, isInlineType, responseHeaders; with a secret, its scrubbing (secretForms … scrubbedBody), else cappedBody; concat for a body. */
export function responseHelpers(spec: ProxySpec, names: HandlerNames, style: Style): string {
  const out = [
    fnHead(style, null, { name: 'json', params: [['status', 'number'], ['payload', 'unknown'], ['extraHeaders', 'Record<string, string>']], returns: 'Response' }).replace('extraHeaders: Record<string, string>)', 'extraHeaders: Record<string, string> = {})').replace('(status, payload, extraHeaders)', '(status, payload, extraHeaders = {})').replace('@param {Record<string, string>} extraHeaders', '@param {Record<string, string>} [extraHeaders]'),
    '  return new Response(JSON.stringify(payload), {',
    '    status,',
    "    headers: { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', ...extraHeaders },",
    '  });',
    '}',
    '',
    fnHead(style, 'True for the content types in INLINE_CONTENT_TYPES and any `application/…+json`.', { name: 'isInlineType', params: [['type', 'string']], returns: 'boolean' }),
    "  const base = (type.split(';')[0] ?? '').trim().toLowerCase();",
    '  return INLINE_CONTENT_TYPES.includes(base) || /^application\\/[\\w.-]+\\+json$/.test(base);',
    '}',
    '',
    fnHead(
      style,
      'The headers the browser gets: a few relayed ones, and the ones that keep the response from running as a page of this site.',
      { name: 'responseHeaders', params: [['upstream', 'Headers'], ...(names.secretEnv ? ([['secret', 'string']] as [string, string][]) : [])], returns: 'Headers' },
    ),
    "  const headers = new Headers({ 'x-content-type-options': 'nosniff', 'content-security-policy': \"default-src 'none'; sandbox\", 'cache-control': 'no-store' });",
    '  for (const name of RELAYED_RESPONSE_HEADERS) {',
    '    const value = upstream.get(name);',
    `    if (value !== null) headers.set(name, ${names.secretEnv ? 'redact(value, secret)' : 'value'});`,
    '  }',
    "  const cacheControl = upstream.get('cache-control');",
    "  if (PUBLIC_READ && cacheControl !== null) headers.set('cache-control', cacheControl);",
    "  const type = headers.get('content-type');",
    '  if (type === null || !isInlineType(type)) {',
    '    // HTML, SVG, XML or script from the upstream would run with this site\'s cookies and origin: make it a download.',
    "    headers.set('content-disposition', 'attachment');",
    "    if (type === null) headers.set('content-type', 'application/octet-stream');",
    '  }',
    '  return headers;',
    '}',
  ];
  if (names.secretEnv) {
    out.push(
      '',
      fnHead(
        style,
        'Every form an upstream may echo the secret in: as is, JSON-escaped, URL-encoded, and base64 (standard and URL-safe, at any position inside a longer encoded value), longest first.',
        { name: 'secretForms', params: [['secret', 'string']], returns: 'string[]' },
      ),
      '  if (secret.length < 4) return [];',
      '  const escaped = JSON.stringify(secret).slice(1, -1);',
      '  const encoded = encodeURIComponent(secret);',
      '  const forms = [secret, escaped, escaped.replace(/\\//g, \'\\\\/\'), encoded, encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()), new URLSearchParams({ s: secret }).toString().slice(2)];',
      "  const bytes = Buffer.from(secret, 'utf8');",
      '  for (let shift = 0; shift < 3; shift++) {',
      "    const encoded64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');",
      '    // The first and last characters also encode the bytes around the secret, so only the middle is always the same.',
      '    const middle = encoded64.slice(Math.ceil((shift * 8) / 6), Math.floor(((shift + bytes.length) * 8) / 6));',
      "    if (middle.length >= 8) forms.push(middle, middle.replace(/\\+/g, '-').replace(/\\//g, '_'));",
      '  }',
      '  return [...new Set(forms)].sort((a, b) => b.length - a.length);',
      '}',
      '',
      fnHead(style, null, { name: 'replaceForms', params: [['text', 'string'], ['forms', 'readonly string[]']], returns: 'string' }),
      '  let out = text;',
      "  for (const form of forms) out = out.split(form).join('[redacted]');",
      '  return out;',
      '}',
      '',
      fnHead(style, null, { name: 'redact', params: [['text', 'string'], ['secret', 'string']], returns: 'string' }),
      '  return replaceForms(text, secretForms(secret));',
      '}',
      '',
      fnHead(
        style,
        'The upstream body, streamed with every form of the secret replaced (the last bytes of each chunk wait for the next one, so a secret split across chunks is caught too), and failed past maxBytes.',
        { name: 'scrubbedBody', params: [['body', 'ReadableStream<Uint8Array>'], ['secret', 'string'], ['maxBytes', 'number']], returns: 'ReadableStream<Uint8Array>' },
      ),
      '  // Latin-1 text has one character per byte, so any bytes (not only UTF-8) survive the round trip unchanged.',
      "  const forms = secretForms(secret).map((form) => Buffer.from(form, 'utf8').toString('latin1'));",
      '  const holdBack = Math.max(0, ...forms.map((form) => form.length - 1));',
      "  let pending = '';",
      '  let size = 0;',
      ...cappedTransformHead(style),
      "        const text = replaceForms(pending + Buffer.from(chunk).toString('latin1'), forms);",
      '        const ready = text.length - holdBack;',
      "        if (ready > 0) controller.enqueue(Buffer.from(text.slice(0, ready), 'latin1'));",
      '        pending = ready > 0 ? text.slice(ready) : text;',
      '      },',
      '      flush(controller) {',
      "        if (pending !== '') controller.enqueue(Buffer.from(replaceForms(pending, forms), 'latin1'));",
      '      },',
      '    }),',
      '  );',
      '}',
    );
  } else {
    out.push(
      '',
      fnHead(style, 'The upstream body, streamed as it comes and failed past maxBytes.', {
        name: 'cappedBody',
        params: [['body', 'ReadableStream<Uint8Array>'], ['maxBytes', 'number']],
        returns: 'ReadableStream<Uint8Array>',
      }),
      '  let size = 0;',
      ...cappedTransformHead(style),
      '        controller.enqueue(chunk);',
      '      },',
      '    }),',
      '  );',
      '}',
    );
  }
  if (!spec.sendsBody) return out.join('\n');
  out.push(
    '',
    fnHead(style, null, { name: 'concat', params: [['chunks', 'readonly Uint8Array[]'], ['size', 'number']], returns: 'ArrayBuffer' }),
    '  const out = new ArrayBuffer(size);',
    '  const view = new Uint8Array(out);',
    '  let offset = 0;',
    '  for (const chunk of chunks) {',
    '    view.set(chunk, offset);',
    '    offset += chunk.byteLength;',
    '  }',
    '  return out;',
    '}',
  );
  return out.join('\n');
}

/** The opening lines both streamed bodies share: a transform that counts the bytes and fails past maxBytes. */
function cappedTransformHead(style: Style): string[] {
  return [
    '  return body.pipeThrough(',
    `    new TransformStream${T(style, '<Uint8Array, Uint8Array>')}({`,
    '      transform(chunk, controller) {',
    '        size += chunk.byteLength;',
    '        if (size > maxBytes) throw new Error(`The upstream response is larger than ${maxBytes} bytes (PROXY_MAX_RESPONSE_BYTES).`);',
  ];
}
