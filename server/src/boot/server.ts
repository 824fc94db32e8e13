/**
 * `dist/server.cjs`: runs the language server bundle (dist/server-bundle.cjs)
 * with the code cache (see code-cache.ts), stored once the server has been up
 * for a while (it is usually killed, not exited).
 */
import path from 'node:path';
import { runBundle } from './code-cache.ts';

runBundle(path.join(__dirname, 'server-bundle.cjs'), { store: true, storeAfterMs: 15_000 });
