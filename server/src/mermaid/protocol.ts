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
  | { type: 'result'; id: number; errors: MermaidError[] }
  /** Mermaid could not be loaded at all. */
  | { type: 'fatal'; message: string };
