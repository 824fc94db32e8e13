/**
 * The validation worker: loads mermaid once, validates the diagrams it is
 * sent, one at a time, and answers each batch when its last diagram is done
 * (one message per diagram cost ~5% of the corpus's validation). Which
 * diagram it is on is kept in the progress array it shares with the pool.
 * Bundled as `dist/mermaid-worker.mjs` (ESM, so mermaid's code keeps its
 * strict mode; see `patch.ts`), or run from source under tsx by the pool.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { NO_JOB, PROGRESS_CURRENT, PROGRESS_DONE, type FromWorker, type ToWorker } from './protocol.ts';
import { loadMermaid, validateDiagram, validatorStats, type MermaidError } from './validate.ts';

const port = parentPort;
if (!port) throw new Error('mermaid worker: must run in a worker thread');

const send = (m: FromWorker): void => port.postMessage(m);
const shared = (workerData as { progress?: SharedArrayBuffer } | undefined)?.progress;
const progress = shared ? new Int32Array(shared) : new Int32Array(2);

const loaded = loadMermaid().then(
  () => {
    const s = validatorStats();
    send({ type: 'ready', loadMs: s.loadMs, fastConfig: s.fastConfig });
    return true;
  },
  (e: unknown) => {
    send({ type: 'fatal', message: `cannot load mermaid: ${e instanceof Error ? e.message : String(e)}` });
    return false;
  },
);

let chain: Promise<unknown> = Promise.resolve();

port.on('message', (msg: ToWorker) => {
  if (msg?.type !== 'validate') return;
  chain = chain.then(async () => {
    if (!(await loaded)) return;
    const results: Array<{ id: number; errors: MermaidError[] }> = [];
    for (const job of msg.jobs) {
      let errors: MermaidError[];
      Atomics.store(progress, PROGRESS_CURRENT, job.id);
      try {
        errors = await validateDiagram(job.code);
      } catch (e) {
        errors = [
          {
            severity: 'error',
            kind: 'internal',
            message: `Mermaid validation failed: ${e instanceof Error ? e.message : String(e)}`,
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          },
        ];
      }
      results.push({ id: job.id, errors });
      Atomics.store(progress, PROGRESS_CURRENT, NO_JOB);
      Atomics.add(progress, PROGRESS_DONE, 1);
    }
    send({ type: 'results', results });
  });
});
