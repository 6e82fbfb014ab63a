// Cuts out the parts of a text nested deeper than a limit, for a file whose parse overflowed the stack.
// A sketch of JavaScript's lexical grammar is enough here: comments, string and template literals are skipped so
// their brackets do not count; everything else counts ( [ { against ) ] }.

export interface DeepNestingCut {
  /** The text with each too-deep bracket and everything up to its match blanked (newlines kept, so offsets hold). */
  text: string;
  /** 1-based lines where a cut starts. */
  lines: number[];
}

/** Null when nothing is nested deeper than `maxDepth`. */
export function cutDeepNesting(text: string, maxDepth: number): DeepNestingCut | null {
  const out = text.split('');
  const lines: number[] = [];
  let depth = 0;
  let line = 1;
  let cutFrom = -1; // the index of the bracket that went too deep, while blanking
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      let k = i + 1;
      while (k < text.length && text[k] !== c && (c === '`' || text[k] !== '\n')) {
        if (text[k] === '\\') k++;
        else if (text[k] === '\n') line++;
        k++;
      }
      i = k + 1;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
      if (depth > maxDepth && cutFrom === -1) {
        cutFrom = i;
        lines.push(line);
      }
      i++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
      if (cutFrom !== -1 && depth === maxDepth) {
        blank(cutFrom, i + 1);
        cutFrom = -1;
      }
      i++;
    } else {
      i++;
    }
  }
  if (cutFrom !== -1) blank(cutFrom, text.length); // never closed: the rest of the file is the deep part
  return lines.length > 0 ? { text: out.join(''), lines } : null;
}
