// The index's change events: who listens, and telling them which files' calls changed.
/** What an update changed: the files whose calls (or their runtime/findings) are different now. */
export interface IndexChange {
  files: string[];
  /**
   * Set on the interim events of a first scan still under way (ScanOptions.interimRows): the rows so far are those
   * of the `done` files analysed of `total`, placed from their own files' evidence only. The scan's last event has none.
   */
  scanning?: ScanProgress;
}

/** How far a scan has come: files analysed of the files it found. */
export interface ScanProgress {
  done: number;
  total: number;
}

export type IndexChangeListener = (change: IndexChange) => void;

export class ChangeEvents {
  private readonly listeners = new Set<IndexChangeListener>();

  /** `log` gets a listener's failure (the index's logger). */
  constructor(private readonly log: (message: string, level: 'error') => void) {}

  on(listener: IndexChangeListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Tells every listener; one that throws is logged and the others still hear of the change. */
  emit(files: string[], scanning?: ScanProgress): void {
    const change: IndexChange = scanning ? { files, scanning } : { files };
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch (err) {
        this.log(`A change listener failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
