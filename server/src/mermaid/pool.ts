/**
 * Mermaid validation off the main thread: a small pool of worker threads
 * (one by default) behind a content-hash cache.
 *
 * - The caller's event loop only hashes block texts and exchanges messages;
 *   every parse runs in a worker.
 * - Results are cached by the SHA-1 of the block text (LRU, bounded), and a
 *   block already queued or running is shared by every request that wants it,
 *   so an edit re-validates only the blocks that changed.
 * - Requests are served by priority (higher first), then in the order they
 *   were made; within a request in the order given (put the blocks the user
 *   sees first). An `AbortSignal` withdraws a request: its queued blocks that
 *   nobody else wants are dropped (a block being parsed finishes and is cached).
 * - A worker that crashes or exceeds the per-diagram timeout is replaced; the
 *   block it was on gets a clear `internal` error (cached, so a diagram that
 *   kills the worker does not do it again), the blocks after it are re-queued.
 *
 * Returned `MermaidError[]` arrays are shared with the cache: do not mutate them.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { NO_JOB, PROGRESS_CURRENT, PROGRESS_DONE, type FromWorker, type ToWorker } from './protocol.ts';
import type { MermaidError } from './validate.ts';

export interface MermaidBlockInput<K> {
  key: K;
  /** The block content: the text between the fences, indentation removed. */
  code: string;
}

export interface ValidateOptions {
  signal?: AbortSignal;
  /** Higher first; default 0. The document being edited deserves more than a workspace scan. */
  priority?: number;
}

export interface PoolOptions {
  /** Worker threads; default 1 (the server has two cores to share with everything else). */
  workers?: number;
  /** The worker script: `dist/mermaid-worker.mjs` beside the bundle, or `worker.ts` from source (run under tsx). */
  workerFile?: string;
  /** A diagram taking longer than this (once mermaid is loaded) is abandoned and its worker replaced. Default 20 s. */
  timeoutMs?: number;
  /** Loading mermaid in a new worker; default 120 s. */
  loadTimeoutMs?: number;
  /** Blocks sent to a worker per message; default 8. */
  batchSize?: number;
  /** Cached results kept (LRU); default 20 000. */
  cacheEntries?: number;
  /** Heap limit of a worker, in MB; default 1024. A runaway diagram kills the worker, not the server. */
  maxOldGenerationSizeMb?: number;
}

export interface PoolStats {
  workers: number;
  cacheEntries: number;
  cacheHits: number;
  /** Blocks parsed by a worker. */
  validated: number;
  queued: number;
  running: number;
  crashes: number;
  timeouts: number;
  /** Workers started (the first one included). */
  starts: number;
  /** Time the last worker took to load mermaid (ms). */
  workerLoadMs: number;
  /** Whether the workers run with the config-snapshot speed-up (see patch.ts). */
  fastConfig: boolean;
}

interface Job {
  hash: string;
  code: string;
  id: number;
  priority: number;
  seq: number;
  waiters: number;
  state: 'queued' | 'running' | 'done';
  promise: Promise<MermaidError[]>;
  resolve: (errors: MermaidError[]) => void;
}

interface Slot {
  worker?: Worker;
  ready: boolean;
  inflight: Job[];
  timer?: NodeJS.Timeout;
  /** Shared with the worker: the job it is on and how many it has finished (protocol.ts). */
  progress?: Int32Array;
  /** `PROGRESS_DONE` when the timer was armed: a timer firing after progress is re-armed, not a hang. */
  doneAtArm?: number;
  /** Consecutive failures to come up (load error, crash before ready). */
  failedStarts: number;
}

export function contentKey(code: string): string {
  return createHash('sha1').update(code).digest('base64');
}

function internalError(message: string): MermaidError[] {
  return [{ severity: 'error', kind: 'internal', message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
}

/** Directory of this module: `dist/` in the CJS bundle, `server/src/mermaid/` from source. */
function moduleDir(): string | undefined {
  if (typeof __dirname === 'string') return __dirname;
  // ESM without import.meta (kept out so that the CJS bundle builds cleanly): this function's own stack frame.
  // Frames read `file:///.../pool.ts:1:2`, or a plain path when source maps are applied (tsx).
  for (const m of (new Error().stack ?? '').matchAll(/(file:\/\/[^\s()]+|(?:[A-Za-z]:)?[\\/][^\s():]+):\d+:\d+/g)) {
    const p = m[1].startsWith('file:') ? fileURLToPath(m[1]) : m[1];
    if (/[\\/]pool\.[cm]?[jt]s$/.test(p)) return path.dirname(p);
  }
  return undefined;
}

export function defaultWorkerFile(): string {
  const dir = moduleDir();
  if (dir) {
    for (const f of ['mermaid-worker.mjs', 'worker.ts']) {
      const p = path.join(dir, f);
      if (fs.existsSync(p)) return p;
    }
  }
  throw new Error(`mermaid worker not found beside ${dir ?? 'this module'} (build with "npm run build")`);
}

/** tsx's ESM API module (`tsx/esm/api`, import condition) as resolved from `from`. */
function tsxEsmApi(from: string): string {
  const pkg = createRequire(from).resolve('tsx/package.json');
  const exp = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { exports?: Record<string, unknown> }).exports?.['./esm/api'] as
    | { import?: string | { default?: string } }
    | undefined;
  const rel = typeof exp?.import === 'string' ? exp.import : exp?.import?.default;
  if (!rel) throw new Error('tsx/esm/api not found: running the mermaid worker from source needs tsx');
  return path.join(path.dirname(pkg), rel);
}

function spawn(file: string, maxOldGenerationSizeMb: number, progress: SharedArrayBuffer): Worker {
  const resourceLimits = { maxOldGenerationSizeMb };
  const workerData = { progress };
  if (!file.endsWith('.ts')) return new Worker(file, { resourceLimits, workerData });
  // From source: the worker needs tsx's loader before it can import TypeScript.
  const api = pathToFileURL(tsxEsmApi(file)).href;
  const url = pathToFileURL(file).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); });`;
  return new Worker(boot, { eval: true, resourceLimits, workerData });
}

const isPos = (p: unknown): boolean => {
  const x = p as { line?: unknown; character?: unknown } | null;
  return !!x && Number.isInteger(x.line) && Number.isInteger(x.character);
};

/** Whether a diagram's result may be kept for a later run: a validator failure (crash, timeout) may not happen again. */
export function storable(errors: readonly MermaidError[]): boolean {
  return !errors.some((e) => e.kind === 'internal');
}

/** A list of errors as the validator makes them (a stored one may come from a damaged file). */
export function isErrorList(x: unknown): x is MermaidError[] {
  return (
    Array.isArray(x) &&
    x.every((e: Partial<MermaidError> | null) => {
      if (!e || (e.severity !== 'error' && e.severity !== 'warning') || typeof e.kind !== 'string' || typeof e.message !== 'string') return false;
      if (!e.range || !isPos(e.range.start) || !isPos(e.range.end)) return false;
      return e.fix === undefined || (typeof e.fix.newText === 'string' && !!e.fix.range && isPos(e.fix.range.start) && isPos(e.fix.range.end));
    })
  );
}

export class MermaidPool {
  private readonly opts: Required<PoolOptions>;
  private readonly slots: Slot[];
  private readonly cache = new Map<string, MermaidError[]>();
  private readonly jobs = new Map<string, Job>();
  /** Sorted: priority descending, then seq ascending. */
  private queue: Job[] = [];
  private nextId = 1;
  private nextSeq = 1;
  private disposed = false;
  private counters = { cacheHits: 0, validated: 0, crashes: 0, timeouts: 0, starts: 0, workerLoadMs: 0, fastConfig: false };

  constructor(options: PoolOptions = {}) {
    this.opts = {
      workers: Math.max(1, options.workers ?? 1),
      workerFile: options.workerFile ?? '',
      timeoutMs: options.timeoutMs ?? 20_000,
      loadTimeoutMs: options.loadTimeoutMs ?? 120_000,
      batchSize: Math.max(1, options.batchSize ?? 8),
      cacheEntries: Math.max(1, options.cacheEntries ?? 20_000),
      maxOldGenerationSizeMb: options.maxOldGenerationSizeMb ?? 1024,
    };
    this.slots = Array.from({ length: this.opts.workers }, () => ({ ready: false, inflight: [], failedStarts: 0 }));
  }

  /** Cached result for a block text, if any (no validation started). */
  cached(code: string): MermaidError[] | undefined {
    return this.cache.get(contentKey(code));
  }

  /** Validate one block. */
  async validate(code: string, options: ValidateOptions = {}): Promise<MermaidError[]> {
    const r = await this.validateBlocks([{ key: 0, code }], options);
    return r.get(0) ?? [];
  }

  /**
   * Validate blocks; resolves with every key's errors (an empty array for a
   * valid block). Rejects only when `signal` aborts.
   */
  validateBlocks<K>(blocks: ReadonlyArray<MermaidBlockInput<K>>, options: ValidateOptions = {}): Promise<Map<K, MermaidError[]>> {
    const { signal } = options;
    const priority = options.priority ?? 0;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.disposed) return Promise.reject(new Error('MermaidPool is disposed'));
    const result = new Map<K, MermaidError[]>();
    const waits: Array<{ key: K; job: Job }> = [];
    for (const b of blocks) {
      const hash = contentKey(b.code);
      const hit = this.cache.get(hash);
      if (hit) {
        this.cache.delete(hash);
        this.cache.set(hash, hit);
        this.counters.cacheHits++;
        result.set(b.key, hit);
        continue;
      }
      let job = this.jobs.get(hash);
      if (!job) {
        let resolve!: (e: MermaidError[]) => void;
        const promise = new Promise<MermaidError[]>((r) => (resolve = r));
        job = { hash, code: b.code, id: this.nextId++, priority, seq: this.nextSeq++, waiters: 0, state: 'queued', promise, resolve };
        this.jobs.set(hash, job);
        this.enqueue(job);
      } else if (job.state === 'queued' && priority > job.priority) {
        this.queue.splice(this.queue.indexOf(job), 1);
        job.priority = priority;
        this.enqueue(job);
      }
      job.waiters++;
      waits.push({ key: b.key, job });
    }
    if (waits.length === 0) return Promise.resolve(result);
    this.pump();
    return new Promise<Map<K, MermaidError[]>>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => {
        if (settled) return;
        settled = true;
        for (const { job } of waits) this.release(job);
        reject(abortError(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      void Promise.all(waits.map(({ job }) => job.promise)).then((all) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        for (const { job } of waits) job.waiters--;
        waits.forEach(({ key }, i) => result.set(key, all[i]));
        resolve(result);
      });
    });
  }

  stats(): PoolStats {
    return {
      workers: this.slots.filter((s) => s.worker).length,
      cacheEntries: this.cache.size,
      queued: this.queue.length,
      running: this.slots.reduce((n, s) => n + s.inflight.length, 0),
      ...this.counters,
    };
  }

  clearCache(): void {
    this.cache.clear();
  }

  /**
   * Results known from elsewhere (a verdict file written by an earlier run of
   * the same validator), answered as cached ones; a result the pool already
   * has is kept. Returns how many were added.
   */
  seed(entries: Iterable<readonly [string, MermaidError[]]>): number {
    let added = 0;
    for (const [hash, errors] of entries) {
      if (this.cache.size >= this.opts.cacheEntries) break;
      if (typeof hash !== 'string' || this.cache.has(hash) || !isErrorList(errors)) continue;
      this.cache.set(hash, errors);
      added++;
    }
    return added;
  }

  /** The cached results worth keeping for a later run (`storable`). */
  verdicts(): Map<string, MermaidError[]> {
    const out = new Map<string, MermaidError[]>();
    for (const [hash, errors] of this.cache) if (storable(errors)) out.set(hash, errors);
    return out;
  }

  /**
   * Start the workers now (loading Mermaid takes ~0.5 s), for a caller that
   * knows diagrams are coming. A worker that cannot start (no worker bundle)
   * is reported as before, on the first diagram validated.
   */
  startWorkers(): void {
    if (this.disposed) return;
    try {
      for (const slot of this.slots) if (!slot.worker) this.start(slot);
    } catch {
      /* the same error comes back when a diagram is validated, and is reported there */
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const left = [...this.queue];
    this.queue = [];
    for (const job of left) this.finish(job, internalError('Mermaid validation stopped'), false);
    await Promise.all(
      this.slots.map(async (slot) => {
        const w = slot.worker;
        this.stop(slot);
        for (const job of slot.inflight.splice(0)) this.finish(job, internalError('Mermaid validation stopped'), false);
        if (w) await w.terminate();
      }),
    );
  }

  // -------------------------------------------------------------------------

  private enqueue(job: Job): void {
    job.state = 'queued';
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const q = this.queue[mid];
      if (q.priority > job.priority || (q.priority === job.priority && q.seq < job.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, job);
  }

  /** A request no longer waits for `job`. */
  private release(job: Job): void {
    job.waiters--;
    if (job.waiters <= 0 && job.state === 'queued') {
      const i = this.queue.indexOf(job);
      if (i >= 0) this.queue.splice(i, 1);
      this.jobs.delete(job.hash);
      job.state = 'done';
    }
  }

  private finish(job: Job, errors: MermaidError[], cache: boolean): void {
    if (job.state === 'done') return;
    job.state = 'done';
    this.jobs.delete(job.hash);
    if (cache) {
      this.cache.set(job.hash, errors);
      if (this.cache.size > this.opts.cacheEntries) this.cache.delete(this.cache.keys().next().value as string);
    }
    job.resolve(errors);
  }

  private pump(): void {
    if (this.disposed) return;
    for (const [i, slot] of this.slots.entries()) {
      if (this.queue.length === 0) break;
      // A second worker only pays for itself when there is more than one batch of work.
      if (!slot.worker && (i === 0 || this.queue.length > this.opts.batchSize)) this.start(slot);
      if (!slot.worker) continue;
      if (!slot.ready || slot.inflight.length > 0) continue;
      const batch = this.queue.splice(0, this.opts.batchSize);
      for (const job of batch) job.state = 'running';
      slot.inflight = batch;
      slot.worker!.ref();
      const msg: ToWorker = { type: 'validate', jobs: batch.map((j) => ({ id: j.id, code: j.code })) };
      slot.worker!.postMessage(msg);
      this.arm(slot, this.opts.timeoutMs, 'timeout');
    }
  }

  private arm(slot: Slot, ms: number, why: 'timeout' | 'load'): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.doneAtArm = slot.progress ? Atomics.load(slot.progress, PROGRESS_DONE) : 0;
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (why === 'load') this.failed(slot, `mermaid did not load within ${Math.round(ms / 1000)} s`, false);
      // A batch's results come together: a diagram finished since the timer was armed means no hang yet.
      else if (slot.progress && Atomics.load(slot.progress, PROGRESS_DONE) !== slot.doneAtArm) this.arm(slot, ms, why);
      else {
        this.counters.timeouts++;
        this.failed(slot, `Mermaid validation of this diagram took longer than ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`} and was abandoned`, true);
      }
    }, ms);
    slot.timer.unref();
  }

  private start(slot: Slot): void {
    if (!this.opts.workerFile) this.opts.workerFile = defaultWorkerFile();
    const shared = new SharedArrayBuffer(8);
    slot.progress = new Int32Array(shared);
    slot.progress[PROGRESS_CURRENT] = NO_JOB;
    const worker = spawn(this.opts.workerFile, this.opts.maxOldGenerationSizeMb, shared);
    this.counters.starts++;
    slot.worker = worker;
    slot.ready = false;
    slot.inflight = [];
    this.arm(slot, this.opts.loadTimeoutMs, 'load');
    worker.on('message', (m: FromWorker) => {
      if (slot.worker !== worker) return;
      if (m.type === 'ready') {
        slot.ready = true;
        slot.failedStarts = 0;
        this.counters.workerLoadMs = m.loadMs;
        this.counters.fastConfig = m.fastConfig;
        if (slot.timer) clearTimeout(slot.timer);
        slot.timer = undefined;
        if (this.queue.length === 0) worker.unref();
        this.pump();
      } else if (m.type === 'results') {
        for (const r of m.results) {
          const i = slot.inflight.findIndex((j) => j.id === r.id);
          if (i < 0) continue;
          const [job] = slot.inflight.splice(i, 1);
          this.counters.validated++;
          this.finish(job, r.errors, true);
        }
        if (slot.inflight.length > 0) this.arm(slot, this.opts.timeoutMs, 'timeout');
        else {
          if (slot.timer) clearTimeout(slot.timer);
          slot.timer = undefined;
          if (this.queue.length === 0) worker.unref();
          this.pump();
        }
      } else if (m.type === 'fatal') {
        this.failed(slot, m.message, false);
      }
    });
    worker.on('error', (e) => {
      if (slot.worker === worker) this.failed(slot, e instanceof Error ? e.message : String(e), true);
    });
    worker.on('exit', (code) => {
      if (slot.worker === worker) this.failed(slot, `worker exited with code ${code}`, true);
    });
  }

  private stop(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    const w = slot.worker;
    slot.worker = undefined;
    slot.ready = false;
    if (w) {
      w.removeAllListeners('message');
      void w.terminate();
    }
  }

  /**
   * The worker died, hung or could not load mermaid. The block it was on (from
   * the progress it shares; else the first unanswered one of its batch) gets
   * the error; the rest of the batch, done or not (its results had not been
   * sent), go back to the queue; a new worker is started if there is work left.
   */
  private failed(slot: Slot, reason: string, crashed: boolean): void {
    const wasReady = slot.ready;
    const inflight = slot.inflight.splice(0);
    this.stop(slot);
    if (this.disposed) return;
    if (wasReady && inflight.length > 0) {
      if (crashed) this.counters.crashes++;
      // The diagram the worker was on (its batch's results had not been sent), else the first unanswered one.
      const on = slot.progress ? Atomics.load(slot.progress, PROGRESS_CURRENT) : NO_JOB;
      const at = Math.max(0, inflight.findIndex((j) => j.id === on));
      const [culprit] = inflight.splice(at, 1);
      const rest = inflight;
      const timedOut = reason.startsWith('Mermaid validation of this diagram took');
      this.finish(culprit, internalError(timedOut ? reason : `The Mermaid validator crashed on this diagram (${reason}); it was restarted`), true);
      for (const job of rest) this.enqueue(job);
    } else {
      for (const job of inflight) this.enqueue(job);
      if (!wasReady) slot.failedStarts++;
      if (slot.failedStarts >= 3) {
        // Mermaid cannot be loaded: answer everything waiting instead of hanging (not cached; a later request retries).
        slot.failedStarts = 0;
        const left = this.queue.splice(0);
        for (const job of left) this.finish(job, internalError(`Mermaid validator unavailable: ${reason}`), false);
        return;
      }
    }
    if (this.queue.length > 0) this.pump();
  }
}

let shared: MermaidPool | undefined;

/** The process-wide pool (created on first use with default options). */
export function getMermaidPool(): MermaidPool {
  return (shared ??= new MermaidPool());
}

/** Validate blocks with the process-wide pool. */
export function validateBlocks<K>(blocks: ReadonlyArray<MermaidBlockInput<K>>, options?: ValidateOptions): Promise<Map<K, MermaidError[]>> {
  return getMermaidPool().validateBlocks(blocks, options);
}
