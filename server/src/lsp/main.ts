/**
 * `pattern-atlas-server [--stdio]`: the language server entry. Stdio is the
 * default transport; `--node-ipc`, `--socket=N` and `--pipe=X` also work.
 */
import { startServer } from './server.ts';

startServer();
