/** Jobs of the node (retrieve, send, import): what the UI lists and the events stream reports. */

export type JobKind = 'retrieve' | 'send' | 'import';
/** interrupted: the node stopped while it ran (kept in the index, listed after the restart). */
export type JobState = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface JobProgress {
  /** Instances handled so far (stored or sent). */
  completed: number;
  failed: number;
  /** Known once the peer says how many (C-MOVE / C-GET counts) or the sender knows. */
  total?: number;
}

export interface JobInfo {
  id: string;
  kind: JobKind;
  /** One line for people: "Retrieve 1.2.3 from PACS (C-MOVE)". */
  title: string;
  /** The configured node it talks to ("" for an import). */
  node: string;
  /** The study it moves, when it moves (part of) one study. */
  studyUid?: string;
  state: JobState;
  progress: JobProgress;
  /** Why it failed or ended early. */
  error?: string;
  /** SOP Instance UIDs that failed, with the reason when known. */
  failures: Array<{ sopInstanceUid: string; reason?: string }>;
  startedAt: string;
  endedAt?: string;
  /** An import's outcome, as `viewbox import` prints it; set when the job ends. */
  importSummary?: ImportJobSummary;
}

export interface ImportJobSummary {
  imported: number;
  alreadyPresent: number;
  keptExisting: number;
  rejected: Array<{ path: string; reason: string }>;
  skipped: Array<{ path: string; reason: string }>;
  /** Studies that received at least one new instance. */
  studies: string[];
}
