// A call as the workspace index hands it out: the engine's full record (facts included) and the folder it belongs to.
import type { CallRecord } from '../../core/model';

export interface LocatedCall {
  /** Stable key of the workspace folder (its URI as a string). */
  folderKey: string;
  folderName: string;
  /** The engine's record: fixes and the panel read its facts without casting. */
  call: CallRecord;
}
