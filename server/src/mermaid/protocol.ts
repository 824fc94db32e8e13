/** Messages between the validation pool (`pool.ts`) and its worker (`worker.ts`). */
import type { MermaidError } from './validate.ts';

export interface ValidateJob {
  id: number;
  code: string;
}

export type ToWorker = { type: 'validate'; jobs: ValidateJob[] };

export type FromWorker =
  /** Mermaid is loaded; jobs sent before this are queued in the worker. */
  | { type: 'ready'; loadMs: number; fastConfig: boolean }
  /** The results of one `validate` message, sent together when its last job is done. */
  | { type: 'results'; results: Array<{ id: number; errors: MermaidError[] }> }
  /** Mermaid could not be loaded at all. */
  | { type: 'fatal'; message: string };

/**
 * Int32 slots of the progress array a worker shares with its pool
 * (`workerData.progress`, a SharedArrayBuffer): the job it is on, so that a
 * crash or a hang is blamed on that diagram although its batch's results were
 * not sent yet, and how many jobs it has finished, so that a batch making
 * progress is not taken for a hang.
 */
export const PROGRESS_CURRENT = 0;
export const PROGRESS_DONE = 1;
/** `PROGRESS_CURRENT` between jobs. */
export const NO_JOB = -1;
