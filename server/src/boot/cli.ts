/** `dist/cli.cjs`: runs the CLI bundle (dist/cli-bundle.cjs) with the code cache (see code-cache.ts). */
import path from 'node:path';
import { runBundle } from './code-cache.ts';

// Only a run that loads a site stores the cache (`--version` compiles next to nothing).
const command = process.argv.slice(2).find((a) => !a.startsWith('-'));
runBundle(path.join(__dirname, 'cli-bundle.cjs'), { store: command === 'check' || command === 'report' || command === 'fix' });
