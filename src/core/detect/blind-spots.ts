// Blind spots read from the text alone: requests made through a client this tool has no model of (tRPC's typed hooks and calls).
import type { BlindSpot } from '../model/types';

/** `trpc.document.find.useQuery(`, `api.post.list.useMutation(`, `trpc.x.y.query(` (three segments or more). */
const TRPC_CALL = /\b(?:trpc|api|client)\s*\.\s*(?:[\w$]+\s*\.\s*){1,4}(useQuery|useSuspenseQuery|useInfiniteQuery|useMutation|query|mutate)\s*\(/g;

/**
 * tRPC procedure calls in a file that mentions tRPC: each is a request to the app's tRPC endpoint that no
 * fetch/axios row stands for. Counted per line, not followed (the router decides the path).
 */
export function trpcBlindSpots(rel: string, text: string): BlindSpot[] {
  if (!text.includes('trpc')) return [];
  const out: BlindSpot[] = [];
  let line = 1;
  let lineStart = 0;
  let lastLine = 0;
  TRPC_CALL.lastIndex = 0;
  for (let m = TRPC_CALL.exec(text); m !== null; m = TRPC_CALL.exec(text)) {
    for (let nl = text.indexOf('\n', lineStart); nl !== -1 && nl < m.index; nl = text.indexOf('\n', lineStart)) {
      line++;
      lineStart = nl + 1;
    }
    if (line === lastLine) continue;
    lastLine = line;
    out.push({ file: rel, line, kind: 'trpc', detail: `a tRPC ${m[1]} call: a request to the tRPC endpoint, not followed to its procedure` });
  }
  return out;
}
