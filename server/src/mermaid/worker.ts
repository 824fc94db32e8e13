/**
 * The validation worker: loads mermaid once, validates the diagrams it is
 * sent, one at a time, and answers each as soon as it is done.
 * Bundled as `dist/mermaid-worker.mjs` (ESM, so mermaid's code keeps its
 * strict mode; see `patch.ts`), or run from source under tsx by the pool.
 */
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './protocol.ts';
import { loadMermaid, validateDiagram, validatorStats, type MermaidError } from './validate.ts';

const port = parentPort;
if (!port) throw new Error('mermaid worker: must run in a worker thread');

const send = (m: FromWorker): void => port.postMessage(m);

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
    for (const job of msg.jobs) {
      let errors: MermaidError[];
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
      send({ type: 'result', id: job.id, errors });
    }
  });
});
