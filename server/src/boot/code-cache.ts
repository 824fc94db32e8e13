/**
 * Runs a bundle (dist/cli-bundle.cjs, dist/server-bundle.cjs) with V8's code
 * cache, as Node 22's module compile cache does: the first run of a build
 * stores the bytecode of every function it compiled; later runs of the same
 * build start from it instead of parsing and compiling ~1.4 MB of JavaScript
 * again. `dist/cli.cjs` and `dist/server.cjs` are this loader and one line.
 *
 * The cache is per build (the bundle's path, size and mtime, and Node's
 * version, name the file) and lives beside the parse cache
 * (`PATTERN_ATLAS_CACHE_DIR`, else `$XDG_CACHE_HOME/pattern-atlas`, else
 * `~/.cache/pattern-atlas`), under `code/`. It holds compiled code of this
 * program only, nothing of any site. `PATTERN_ATLAS_CODE_CACHE=0` turns it
 * off; `PATTERN_ATLAS_DEBUG_CODE_CACHE=1` says on stderr what happened. A
 * missing, stale, corrupt or unwritable cache only means compiling as usual.
 *
 * Invariant: the bundle runs exactly as `node bundle` would run it (its own
 * `module`, `require`, `__filename`, `__dirname`; `process.argv[1]` is the
 * bundle), whether or not a cache is used.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { cacheDir } from '../cli/cache-dir.ts';

function debug(msg: string): void {
  if (process.env.PATTERN_ATLAS_DEBUG_CODE_CACHE === '1') process.stderr.write(`pattern-atlas code cache: ${msg}\n`);
}

export interface RunOptions {
  /** Whether this run may store the cache: one that does the real work (a `check`, not `--version`), so the cache holds its code. */
  store: boolean;
  /** Store it this long after the start too, not only at exit (a server is often killed rather than exited). */
  storeAfterMs?: number;
}

/**
 * V8 optimizes a function once it has run for this much bytecode (2x V8's
 * default of 66 KB). A check or a server start is a short burst of work on a
 * machine whose second core V8's own background threads compete for; with the
 * default, TurboFan compiles ~1 s of CPU of functions that are then barely
 * used. Measured on the shared corpus (2 cores, alternating runs): 4x the
 * default took wall 1.30 s -> 1.21 s against 1x (11 runs each, all-thread CPU
 * 2.0 s -> 1.75 s); once inlining was smaller (below) and the parser leaner,
 * 2x beat 4x in two series of 21 runs (wall 1.38 -> 1.33 s, 1.49 -> 1.43 s;
 * main thread -7% and -10%) and 1x by 1.33 -> 1.23 s.
 */
const TIER_UP_BUDGET = 2 * 67584;

/**
 * TurboFan inlines functions of up to this much bytecode (V8's default: 460
 * bytes). Smaller inlining means smaller, cheaper optimized code for the same
 * short burst: a cold check of the shared corpus (2 cores, 17 alternating
 * runs each) took all-thread CPU 1.71 s -> 1.57 s, wall 1.17 s -> 1.12 s.
 */
const MAX_INLINED_BYTECODE = 200;

/**
 * The young generation grows 4x at a time (V8's default: 2x) up to its usual
 * maximum: a corpus check allocates ~200 MB in a second, and each scavenge of a
 * still-small young generation copies the same live pages and documents
 * again. Shared corpus, `--trace-gc`: 26 -> 19 scavenges, pauses 96-126 ->
 * 91-98 ms; 21 alternating runs: wall 994 -> 963 ms, all-thread CPU 1.51 ->
 * 1.47 s, main thread unchanged. The largest size, and so the memory a long
 * session settles at, is the same.
 */
const YOUNG_GROWTH = 4;

/** Run `file` as the main program. */
export function runBundle(file: string, opts: RunOptions): void {
  // Before anything of the bundle is compiled (the code cache records V8's flags, so every run sets the same).
  v8.setFlagsFromString(`--interrupt-budget=${TIER_UP_BUDGET}`);
  v8.setFlagsFromString(`--max-inlined-bytecode-size=${MAX_INLINED_BYTECODE}`);
  v8.setFlagsFromString(`--semi-space-growth-factor=${YOUNG_GROWTH}`);
  // A shebang line is not JavaScript: keep its length (positions in stack traces) as a comment.
  let src = fs.readFileSync(file, 'utf8');
  if (src.startsWith('#!')) src = '//' + src.slice(2);
  const enabled = process.env.PATTERN_ATLAS_CODE_CACHE !== '0';
  let cacheFile: string | undefined;
  let cached: Buffer | undefined;
  if (enabled) {
    const st = fs.statSync(file);
    const id = crypto.createHash('sha1').update(`${file}|${st.size}|${st.mtimeMs}|${process.version}|${process.arch}`).digest('hex').slice(0, 16);
    cacheFile = `${cacheDir()}/code/${path.basename(file, '.cjs')}-${id}.bin`;
    try {
      cached = fs.readFileSync(cacheFile);
    } catch {
      cached = undefined;
    }
  }
  const script = new vm.Script(Module.wrap(src), { filename: file, cachedData: cached });
  const accepted = !!cached && !script.cachedDataRejected;
  if (cached) debug(accepted ? `used ${cacheFile}` : `rejected ${cacheFile}`);
  if (cacheFile && !accepted && opts.store) {
    const target = cacheFile;
    let stored = false;
    const write = () => {
      if (!stored) storeCache(script, target);
      stored = true;
    };
    process.once('exit', write);
    if (opts.storeAfterMs !== undefined) setTimeout(write, opts.storeAfterMs).unref();
  }
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  process.argv[1] = file;
  const run = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: Module, filename: string, dirname: string) => void;
  run.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
}

/** Store the code compiled so far; older caches of the same bundle name (other builds) go. */
function storeCache(script: vm.Script, file: string): void {
  try {
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, file);
    const prefix = path.basename(file).replace(/-[0-9a-f]{16}\.bin$/, '-');
    for (const f of fs.readdirSync(dir)) if (f.startsWith(prefix) && f.endsWith('.bin') && dir + '/' + f !== file) fs.rmSync(dir + '/' + f, { force: true });
    debug(`wrote ${file}`);
  } catch (e) {
    debug(`not written: ${(e as Error).message}`);
  }
}
