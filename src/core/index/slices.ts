// How long scans may keep the thread they run on (the extension host shares it with the editor), and the yield between slices.

/** Longest stretch of synchronous work before a scan yields to the event loop. */
export const SLICE_MS = 30;

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const err = new Error('The scan was cancelled.');
    err.name = 'AbortError';
    throw err;
  }
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
