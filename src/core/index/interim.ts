// The interim rows of a first scan: while the analysis in dependency order goes on, the calls of the files analysed so far are placed from their own evidence and published in change events.
import { placeProvisionally } from './classification';
import type { IndexContext } from './context';
import type { FileState } from './store';

/**
 * When a scan publishes its interim rows (ScanOptions.interimRows), in milliseconds: the first time once the analysis
 * has run `firstMs` and found a row, then every `everyMs` while it finds more.
 */
export interface InterimRowsOptions {
  firstMs?: number;
  everyMs?: number;
}

/**
 * The first rows come soon after the analysis starts (an editor shows them within a second of opening a large
 * workspace); later ones less often, since each makes the views rebuild on the thread the scan runs on.
 */
const FIRST_MS = 100;
const EVERY_MS = 1000;

/**
 * Gathers the files the scan analyses and, when due, places their calls provisionally (placeProvisionally) and
 * tells the listeners with an event that carries the scan's progress. The store leaves the inner requests of
 * wrappers out meanwhile (IndexStore.interim); the scan's end classifies everything again and its event has no
 * progress, so a finished scan is the same with or without interim rows.
 */
export class InterimRows {
  private unplaced: FileState[] = [];
  private due: number;
  private readonly everyMs: number;

  constructor(
    private readonly ctx: IndexContext,
    options: InterimRowsOptions,
    private readonly total: number,
  ) {
    this.due = performance.now() + (options.firstMs ?? FIRST_MS);
    this.everyMs = options.everyMs ?? EVERY_MS;
  }

  /** A file the scan has just analysed (its calls are in the store). */
  analysed(f: FileState): void {
    // A wrapper's inner requests alone are no rows while the scan goes on (see IndexStore.interim).
    if (f.calls.some((c) => !c.facts.innerOf)) this.unplaced.push(f);
  }

  /** Publishes the rows analysed since the last time, if there are any and it is time; `done`: files analysed so far. */
  publishIfDue(done: number): void {
    if (this.unplaced.length === 0 || performance.now() < this.due) return;
    const files = this.unplaced;
    this.unplaced = [];
    for (const f of files) placeProvisionally(this.ctx, f);
    this.ctx.store.interim = true;
    this.ctx.store.callsChanged();
    this.ctx.events.emit(
      files.map((f) => f.rel),
      { done, total: this.total },
    );
    // Counted from after the listeners ran: on a loaded machine their work does not eat into the scan's.
    this.due = performance.now() + this.everyMs;
  }
}
