// A one-line progress bar on stderr for interactive terminals; silent everywhere else (CI logs, pipes).

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

export interface Progress {
  /** `label` names the root when several are scanned. */
  update(done: number, total: number, label?: string): void;
  /** Erases the bar so the report starts on a clean line. */
  clear(): void;
}

const NO_PROGRESS: Progress = { update() {}, clear() {} };

export function createProgress(stream: ProgressStream): Progress {
  if (!stream.isTTY) return NO_PROGRESS;
  let shown = '';
  return {
    update(done, total, label) {
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 40));
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(ratio * width);
      const tail = label && label.length > 30 ? `…${label.slice(-29)}` : label;
      const line = `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total} files${tail ? ` · ${tail}` : ''}`;
      // Redraw only when the picture changes: thousands of updates cost nothing and the terminal does not flicker.
      if (line === shown) return;
      shown = line;
      stream.write(`\r\x1b[2K${line}`);
    },
    clear() {
      if (shown !== '') stream.write('\r\x1b[2K');
      shown = '';
    },
  };
}
