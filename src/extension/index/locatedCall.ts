// Calls and blind spots as the workspace index hands them out: the engine's records and the folder each belongs to.
import type { BlindSpot, CallRecord } from '../../core/model';

export interface LocatedCall {
  /** Stable key of the workspace folder (its URI as a string). */
  folderKey: string;
  folderName: string;
  /** The engine's record: fixes and the panel read its facts without casting. */
  call: CallRecord;
  /**
   * An interim row of a first scan still under way: placed from its own file's evidence only (`unknown` when only
   * the files importing it can tell), its findings not yet published as diagnostics.
   */
  provisional?: boolean;
}

/** A blind spot of the scan (what the engine saw but could not follow) and the folder it belongs to. */
export interface LocatedBlindSpot {
  folderKey: string;
  folderName: string;
  spot: BlindSpot;
}
