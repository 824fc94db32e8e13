/**
 * `npm run bench`: how the checker compares with the physical floor, on the
 * real corpus and on a generated catalog ten times its size, in ONE run so the
 * ratios are measured under the same machine load.
 *
 * Stages (each run in a fresh child process, one at a time, never two at once):
 *   floor       read every .md file and tokenize it with markdown-it, single thread;
 *               the time reported is measured inside the child, after its imports;
 *               the same work is also run as a whole plain-node process (bundled with
 *               esbuild, no tsx), whose wall time is an extra row, for reference
 *   remark      unified + remark-parse + remark-gfm + remark-frontmatter `.parse()` of every
 *               file (in-child time); on the corpus only, since 10x would take minutes
 *   check-cold  `node dist/cli.cjs check <site> --format json --no-cache`, whole-process wall time
 *   check-warm  the same without --no-cache, after one run that fills the cache
 *               (PATTERN_ATLAS_CACHE_DIR points at a temporary folder)
 * Peak memory is the max RSS of each child process, from GNU time (`/usr/bin/time -f %M`)
 * when installed, else from `process.resourceUsage().maxRSS` written at exit by a
 * `--require` preload.
 *
 * A stage that fails is reported with its error; the other stages still run.
 * Results: a Markdown table on stdout, progress on stderr, JSON in .bench/results.json.
 *
 * Options: --sites corpus,10x  --stages floor,remark,check-cold,check-warm  --factor 10
 *          --runs-corpus 5  --runs-10x 3  --remark-runs 2  --corpus <site-folder>  --cli <cli.cjs>
 *          --layout root|copies (of the generated catalog; see gen-catalog.ts)
 * Environment: PATTERN_ATLAS_CORPUS (corpus folder), PATTERN_ATLAS_BENCH_OUT (where the
 * generated catalog goes; default <tmp>/pattern-atlas-bench).
 *
 * Internal: `bench.ts --worker floor|remark <docs-dir>` is the child of the floor and remark stages.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { docsDirOf, generateCatalog, listMarkdown, type Layout } from './gen-catalog.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const BENCH_DIR = path.join(REPO, '.bench');
/** The CLI bundle under test; `--cli <file>` overrides it (e.g. a bundle built elsewhere while dist/ does not build). */
let CLI = path.join(REPO, 'dist/cli.cjs');
const GNU_TIME = '/usr/bin/time';
const CHILD_TIMEOUT_MS = 20 * 60 * 1000;

// ---------------------------------------------------------------- the worker

interface WorkerResult {
  files: number;
  bytes: number;
  /** Listing and reading every file. */
  readMs: number;
  /** Tokenizing / parsing what was read. */
  workMs: number;
  /** readMs + workMs: everything after the imports. */
  totalMs: number;
  /** Tokens (markdown-it) or top-level nodes (remark), so the work is observably used. */
  units: number;
  /** The largest single file and the time spent on it. */
  largest: { file: string; bytes: number; ms: number };
}

async function worker(kind: string, docsDir: string): Promise<void> {
  let parseOne: (text: string) => number;
  if (kind === 'floor') {
    const { default: MarkdownIt } = await import('markdown-it');
    const md = new MarkdownIt();
    parseOne = (text) => md.parse(text, {}).length;
  } else if (kind === 'remark') {
    const { unified } = await import('unified');
    const { default: remarkParse } = await import('remark-parse');
    const { default: remarkGfm } = await import('remark-gfm');
    const { default: remarkFrontmatter } = await import('remark-frontmatter');
    const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter);
    parseOne = (text) => processor.parse(text).children.length;
  } else throw new Error(`unknown worker ${kind}`);

  const t0 = performance.now();
  const files = listMarkdown(docsDir);
  const texts = files.map((f) => fs.readFileSync(path.join(docsDir, f), 'utf8'));
  const t1 = performance.now();
  let units = 0;
  let largest = { file: '', bytes: -1, ms: 0 };
  for (let i = 0; i < texts.length; i++) {
    const s = performance.now();
    units += parseOne(texts[i]);
    if (texts[i].length > largest.bytes) largest = { file: files[i], bytes: texts[i].length, ms: performance.now() - s };
  }
  const t2 = performance.now();
  let bytes = 0;
  for (const t of texts) bytes += Buffer.byteLength(t);
  const r: WorkerResult = { files: files.length, bytes, readMs: t1 - t0, workMs: t2 - t1, totalMs: t2 - t0, units, largest };
  process.stdout.write(JSON.stringify(r) + '\n');
}

// ---------------------------------------------------------- child processes

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  rssKb?: number;
}

let rssPreload: string | undefined;

/** Runs `node <args>` to completion, measuring wall time and peak RSS. */
function runNode(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ChildRun> {
  const rssFile = path.join(os.tmpdir(), `pattern-atlas-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  let cmd: string;
  let argv: string[];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (fs.existsSync(GNU_TIME)) {
    cmd = GNU_TIME;
    argv = ['-f', '%M', '-o', rssFile, process.execPath, ...args];
  } else {
    if (!rssPreload) {
      fs.mkdirSync(BENCH_DIR, { recursive: true });
      rssPreload = path.join(BENCH_DIR, 'rss-preload.cjs');
      fs.writeFileSync(
        rssPreload,
        "process.on('exit', () => { try { require('fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });\n",
      );
    }
    cmd = process.execPath;
    argv = ['--require', rssPreload, ...args];
    childEnv.BENCH_RSS_FILE = rssFile;
  }
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const t0 = performance.now();
    const child = spawn(cmd, argv, { cwd: REPO, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - t0;
      clearTimeout(timer);
      let rssKb: number | undefined;
      try {
        // GNU time writes "Command exited with non-zero status N" before the value when the child fails.
        const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
        const v = Number(lines[lines.length - 1]);
        if (Number.isFinite(v) && v > 0) rssKb = v;
        fs.rmSync(rssFile, { force: true });
      } catch {
        /* no RSS figure: reported as missing */
      }
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), wallMs, rssKb });
    });
  });
}

function childFailure(what: string, r: ChildRun): Error {
  const tail = r.stderr.trim().split('\n').slice(-8).join('\n');
  return new Error(`${what} exited with ${r.signal ?? `code ${r.code}`}${tail ? `:\n${tail}` : ''}`);
}

// ------------------------------------------------------------------ stages

interface Sample {
  /** The measured time: in-child work time (floor, remark) or process wall time (check). */
  ms: number;
  /** Whole child-process wall time, startup included. */
  wallMs: number;
  rssKb?: number;
  readMs?: number;
  /** floor: wall time of the same work as a whole plain-node process (bundled, no tsx), see plainFloor. */
  plainWallMs?: number;
}

interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
}

interface StageResult {
  samples: Sample[];
  time?: Stats;
  wall?: Stats;
  /** floor: the plain-node process wall times. */
  plainWall?: Stats;
  read?: Stats;
  rssKb?: Stats;
  error?: string;
  /** Why a stage was not run, or something odd seen while running it. */
  notes: string[];
  /** check: diagnostics in the JSON output (of the last run), by severity. */
  diagnostics?: { total: number; bySeverity: Record<string, number>; pages?: number };
  /** floor/remark: what the worker saw. */
  worker?: Omit<WorkerResult, 'readMs' | 'workMs' | 'totalMs'>;
  skipped?: boolean;
}

function stats(xs: number[]): Stats | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

function finish(r: StageResult): StageResult {
  r.time = stats(r.samples.map((s) => s.ms));
  r.wall = stats(r.samples.map((s) => s.wallMs));
  r.read = stats(r.samples.flatMap((s) => (s.readMs === undefined ? [] : [s.readMs])));
  r.plainWall = stats(r.samples.flatMap((s) => (s.plainWallMs === undefined ? [] : [s.plainWallMs])));
  r.rssKb = stats(r.samples.flatMap((s) => (s.rssKb === undefined ? [] : [s.rssKb])));
  return r;
}

function progress(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

async function workerStage(kind: 'floor' | 'remark', label: string, docsDir: string, runs: number): Promise<StageResult> {
  const r: StageResult = { samples: [], notes: [] };
  const plain = kind === 'floor' ? await plainFloor() : undefined;
  for (let i = 0; i < runs; i++) await workerSample(r, kind, `${label} ${kind} ${i + 1}/${runs}`, docsDir, plain);
  return finish(r);
}

/** One run of the floor (or remark) worker, added to `r`; with `plain`, also the floor as a whole plain-node process. */
async function workerSample(r: StageResult, kind: 'floor' | 'remark', what: string, docsDir: string, plain: string | undefined): Promise<number> {
  const c = await runNode(['--import', 'tsx', fileURLToPath(import.meta.url), '--worker', kind, docsDir]);
  if (c.code !== 0) throw childFailure(`${kind} worker`, c);
  const w = JSON.parse(c.stdout.trim().split('\n').pop() ?? '') as WorkerResult;
  // The same work as a whole process the way the CLI runs (plain node, one bundle), for a whole-process comparison.
  const p = plain ? await runNode([plain, docsDir]) : undefined;
  if (p && p.code !== 0) throw childFailure('plain-node floor', p);
  r.samples.push({ ms: w.totalMs, wallMs: c.wallMs, rssKb: c.rssKb, readMs: w.readMs, plainWallMs: p?.wallMs });
  r.worker = { files: w.files, bytes: w.bytes, units: w.units, largest: w.largest };
  progress(`${what}: ${fmtMs(w.totalMs)} (read ${fmtMs(w.readMs)}; process ${fmtMs(c.wallMs)}${p ? `; plain-node process ${fmtMs(p.wallMs)}` : ''}; ${fmtRss(c.rssKb)})`);
  return w.totalMs;
}

/**
 * The floor and the cold check, run in turns (floor 1, check 1, floor 2, ...):
 * on a shared machine the load drifts over a stage, so the ratio is taken
 * within each pair and its median reported, beside the ratio of the medians.
 */
async function pairedFloorCold(label: string, docsDir: string, root: string, runs: number, cacheDir: string): Promise<{ floor: StageResult; cold: StageResult; ratios: number[]; plainRatios: number[] }> {
  const floor: StageResult = { samples: [], notes: [] };
  const cold: StageResult = { samples: [], notes: [] };
  const plain = await plainFloor();
  const ratios: number[] = [];
  const plainRatios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const f = await workerSample(floor, 'floor', `${label} floor ${i + 1}/${runs}`, docsDir, plain);
    const c = await coldSample(cold, `${label} check-cold ${i + 1}/${runs}`, root, cacheDir);
    ratios.push(c / f);
    plainRatios.push(c / floor.samples[floor.samples.length - 1].plainWallMs!);
  }
  return { floor: finish(floor), cold: finish(cold), ratios, plainRatios };
}

/**
 * The floor's work (list, read and markdown-it-tokenize every file) bundled
 * with esbuild into one CommonJS file that plain `node` runs, as it runs
 * dist/cli.cjs: the floor as a whole process, node startup included, tsx not.
 */
async function plainFloor(): Promise<string> {
  const out = path.join(BENCH_DIR, 'floor-plain.cjs');
  const { build } = await import('esbuild');
  const entry = [
    `import fs from 'node:fs';`,
    `import path from 'node:path';`,
    `import MarkdownIt from 'markdown-it';`,
    `import { listMarkdown } from ${JSON.stringify(path.join(HERE, 'gen-catalog.ts'))};`,
    `const dir = process.argv[2];`,
    `const md = new MarkdownIt();`,
    `let units = 0;`,
    `for (const f of listMarkdown(dir)) units += md.parse(fs.readFileSync(path.join(dir, f), 'utf8'), {}).length;`,
    `process.stdout.write(String(units) + '\\n');`,
  ].join('\n');
  await build({ stdin: { contents: entry, resolveDir: REPO, loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, logLevel: 'warning' });
  return out;
}

function summarizeCheck(c: ChildRun): NonNullable<StageResult['diagnostics']> {
  if (c.code !== 0 && c.code !== 1) throw childFailure('check', c);
  let json: { diagnostics?: Array<{ severity?: string }>; site?: { pages?: number } };
  try {
    json = JSON.parse(c.stdout);
  } catch (e) {
    // Node also exits with 1 when the bundle does not load, so show where stderr starts, not only its tail.
    const err = c.stderr.trim().split('\n');
    const shown = err.length > 16 ? [...err.slice(0, 10), '…', ...err.slice(-4)] : err;
    throw new Error(`check (exit ${c.signal ?? c.code}) printed no valid JSON (${(e as Error).message}); stdout starts: ${JSON.stringify(c.stdout.slice(0, 120))}; stderr:\n${shown.join('\n')}`);
  }
  if (!Array.isArray(json.diagnostics)) throw new Error('check JSON has no diagnostics array');
  const bySeverity: Record<string, number> = {};
  for (const d of json.diagnostics) bySeverity[d.severity ?? '?'] = (bySeverity[d.severity ?? '?'] ?? 0) + 1;
  return { total: json.diagnostics.length, bySeverity, pages: json.site?.pages };
}

let cliSnapshot: string | undefined;

/**
 * The CLI bundle every check run uses: a copy of CLI's folder (dist/) taken at
 * the first check stage (in .bench/, so that node_modules still resolves), so
 * that a rebuild of dist/ during the benchmark cannot mix two builds in one run.
 */
function requireCli(): string {
  if (cliSnapshot) return cliSnapshot;
  if (!fs.existsSync(CLI)) throw new Error(`${path.relative(REPO, CLI)} not found: did \`npm run build\` fail?`);
  // The whole folder: the bundle finds files beside itself (e.g. the mermaid worker).
  const dir = path.join(BENCH_DIR, 'cli-snapshot');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.dirname(CLI), dir, { recursive: true });
  const dest = path.join(dir, path.basename(CLI));
  cliSnapshot = dest;
  progress(`check stages use a snapshot of ${path.relative(REPO, CLI).startsWith('..') ? CLI : path.relative(REPO, CLI)} (${(fs.statSync(dest).size / 1e3).toFixed(0)} KB, built ${fs.statSync(CLI).mtime.toISOString()})`);
  return dest;
}

function sameDiagnostics(a: StageResult['diagnostics'], b: StageResult['diagnostics']): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function checkCold(label: string, site: string, runs: number, cacheDir: string): Promise<StageResult> {
  const r: StageResult = { samples: [], notes: [] };
  for (let i = 0; i < runs; i++) await coldSample(r, `${label} check-cold ${i + 1}/${runs}`, site, cacheDir);
  return finish(r);
}

/** One cold check (no parse cache, no result memo; the program's code cache is there after the first run), added to `r`. */
async function coldSample(r: StageResult, what: string, site: string, cacheDir: string): Promise<number> {
  const c = await runNode([requireCli(), 'check', site, '--format', 'json', '--no-cache', '--no-mermaid'], { PATTERN_ATLAS_CACHE_DIR: cacheDir });
  const d = summarizeCheck(c);
  if (r.diagnostics && !sameDiagnostics(r.diagnostics, d)) r.notes.push(`run ${r.samples.length + 1} reported ${JSON.stringify(d)} where run 1 reported ${JSON.stringify(r.diagnostics)}`);
  r.diagnostics ??= d;
  r.samples.push({ ms: c.wallMs, wallMs: c.wallMs, rssKb: c.rssKb });
  progress(`${what}: ${fmtMs(c.wallMs)} (${d.total} diagnostics; ${fmtRss(c.rssKb)})`);
  return c.wallMs;
}

async function checkWarm(label: string, site: string, runs: number, cacheDir: string, cold?: StageResult): Promise<StageResult> {
  const cli = requireCli();
  const r: StageResult = { samples: [], notes: [] };
  fs.rmSync(cacheDir, { recursive: true, force: true });
  fs.mkdirSync(cacheDir, { recursive: true });
  const fill = await runNode([cli, 'check', site, '--format', 'json', '--no-mermaid'], { PATTERN_ATLAS_CACHE_DIR: cacheDir });
  const fd = summarizeCheck(fill);
  const cacheFiles = fs.readdirSync(cacheDir);
  const cacheBytes = cacheFiles.reduce((n, f) => n + fs.statSync(path.join(cacheDir, f)).size, 0);
  r.notes.push(`cache-filling run: ${fmtMs(fill.wallMs)}, ${fmtRss(fill.rssKb)}; cache ${cacheFiles.length} file(s), ${(cacheBytes / 1e6).toFixed(1)} MB`);
  if (!cacheFiles.length) r.notes.push('the cache-filling run wrote no cache file: the "warm" runs below are not warm');
  if (cold?.diagnostics && !sameDiagnostics(cold.diagnostics, fd)) r.notes.push(`cache-filling run reported ${JSON.stringify(fd)}, cold runs ${JSON.stringify(cold.diagnostics)}`);
  progress(`${label} check-warm fill: ${fmtMs(fill.wallMs)} (${fd.total} diagnostics; cache ${(cacheBytes / 1e6).toFixed(1)} MB)`);
  r.diagnostics = fd;
  for (let i = 0; i < runs; i++) {
    const c = await runNode([cli, 'check', site, '--format', 'json', '--no-mermaid'], { PATTERN_ATLAS_CACHE_DIR: cacheDir });
    const d = summarizeCheck(c);
    if (!sameDiagnostics(fd, d)) r.notes.push(`warm run ${i + 1} reported ${JSON.stringify(d)}, the cache-filling run ${JSON.stringify(fd)}`);
    r.samples.push({ ms: c.wallMs, wallMs: c.wallMs, rssKb: c.rssKb });
    progress(`${label} check-warm ${i + 1}/${runs}: ${fmtMs(c.wallMs)} (${d.total} diagnostics; ${fmtRss(c.rssKb)})`);
  }
  return finish(r);
}

// ------------------------------------------------------------------ output

function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

function fmtRss(kb: number | undefined): string {
  return kb === undefined ? 'RSS ?' : `${(kb / 1024).toFixed(0)} MB RSS`;
}

function fmtMb(kb: number): string {
  return `${(kb / 1024).toFixed(0)} MB`;
}

type Pick = (r: StageResult) => Stats | undefined;

function cell(r: StageResult | undefined, pick: Pick, fmt: (v: number) => string): string {
  if (!r) return 'not run';
  if (r.error) return 'FAILED (see below)';
  if (r.skipped) return 'not run (see notes)';
  const s = pick(r);
  if (!s) return '–';
  return s.n === 1 ? `${fmt(s.median)} (1 run)` : `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined && b > 0 ? a / b : undefined;
}

function fmtRatio(x: number | undefined): string {
  return x === undefined ? '–' : `${x.toFixed(2)}×`;
}

function verdict(ok: boolean | undefined): string {
  return ok === undefined ? 'unknown (not measured)' : ok ? 'met' : 'NOT met';
}

// -------------------------------------------------------------------- main

const STAGES = ['floor', 'remark', 'check-cold', 'check-warm'] as const;
type Stage = (typeof STAGES)[number];

interface SiteRun {
  key: 'corpus' | '10x';
  name: string;
  root?: string;
  docsDir?: string;
  files?: number;
  bytes?: number;
  note?: string;
  error?: string;
  stages: Partial<Record<Stage, StageResult>>;
  /** check-cold / floor within each floor+check pair (see pairedFloorCold), and the same against the plain-node floor process. */
  pairRatios?: number[];
  plainPairRatios?: number[];
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === name || a.startsWith(name + '='));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
}

function siteSize(root: string): { docsDir: string; files: number; bytes: number } {
  const mk = ['mkdocs.yml', 'mkdocs.yaml'].map((n) => path.join(root, n)).find((f) => fs.existsSync(f));
  if (!mk) throw new Error(`${root}: no mkdocs.yml`);
  const docsDir = path.resolve(root, docsDirOf(fs.readFileSync(mk, 'utf8')));
  const files = listMarkdown(docsDir);
  let bytes = 0;
  for (const f of files) bytes += fs.statSync(path.join(docsDir, f)).size;
  return { docsDir, files: files.length, bytes };
}

async function main(argv: string[]): Promise<void> {
  const tStart = performance.now();
  const startedAt = new Date();
  const loadStart = os.loadavg();
  const factor = Number(option(argv, '--factor') ?? 10);
  const layout = (option(argv, '--layout') ?? 'root') as Layout;
  const cliOpt = option(argv, '--cli');
  if (cliOpt) CLI = path.resolve(cliOpt);
  const runs = { corpus: Number(option(argv, '--runs-corpus') ?? 5), '10x': Number(option(argv, '--runs-10x') ?? 3) };
  const remarkRuns = Number(option(argv, '--remark-runs') ?? 2);
  const wantSites = (option(argv, '--sites') ?? 'corpus,10x').split(',');
  const wantStages = (option(argv, '--stages') ?? STAGES.join(',')).split(',') as Stage[];
  for (const s of wantStages) if (!STAGES.includes(s)) throw new Error(`unknown stage ${s} (known: ${STAGES.join(', ')})`);
  const rssMethod = fs.existsSync(GNU_TIME) ? `GNU time (${GNU_TIME} -f %M): max RSS of the child process` : 'process.resourceUsage().maxRSS written at exit by a --require preload';

  // The source site: the real corpus when present, else the bundled example.
  const corpusDefault = process.env.PATTERN_ATLAS_CORPUS ?? path.resolve(REPO, '../shared/corpus/dstudio-2025-07');
  const corpusPath = option(argv, '--corpus') ?? corpusDefault;
  const sites: SiteRun[] = [];
  let source: string;
  let sourceNote: string | undefined;
  if (fs.existsSync(path.join(corpusPath, 'mkdocs.yml'))) source = path.resolve(corpusPath);
  else {
    source = path.join(REPO, 'examples/compendium');
    sourceNote = `corpus not found at ${corpusPath}: measuring examples/compendium instead (its numbers say little about scale)`;
    progress(sourceNote);
  }
  const one: SiteRun = { key: 'corpus', name: sourceNote ? 'examples/compendium' : path.basename(source), root: source, note: sourceNote, stages: {} };
  const ten: SiteRun = { key: '10x', name: `${factor}x generated`, stages: {} };
  try {
    Object.assign(one, siteSize(source));
  } catch (e) {
    one.error = String((e as Error).message);
  }
  if (wantSites.includes('corpus')) sites.push(one);
  if (wantSites.includes('10x')) {
    sites.push(ten);
    try {
      const outBase = process.env.PATTERN_ATLAS_BENCH_OUT ?? path.join(os.tmpdir(), 'pattern-atlas-bench');
      const out = path.join(outBase, `${path.basename(source)}-x${factor}${layout === 'root' ? '' : `-${layout}`}`);
      progress(`generating the ${factor}x catalog (layout '${layout}') in ${out} (reused when already there)…`);
      const g = generateCatalog(source, out, factor, { layout });
      ten.root = g.root;
      ten.note = `layout '${layout}' (${layout === 'root' ? 'copy 1 at the docs root, copies 2..' + factor + ' in docs/copy-<k>/' : 'every copy in docs/copy-<k>/'}), ${g.reused ? 'reused' : `generated in ${fmtMs(g.ms)}`} at ${g.root}`;
      Object.assign(ten, siteSize(g.root));
      progress(`${ten.note}: ${ten.files} files, ${((ten.bytes ?? 0) / 1e6).toFixed(1)} MB`);
    } catch (e) {
      ten.error = `generating the ${factor}x catalog failed: ${(e as Error).stack ?? e}`;
      progress(ten.error);
    }
  }

  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-atlas-bench-cache-'));
  try {
    for (const site of sites) {
      if (site.error || !site.root || !site.docsDir) continue;
      const n = runs[site.key];
      for (const stage of wantStages) {
        const t = performance.now();
        try {
          let r: StageResult;
          if (stage === 'floor' && wantStages.includes('check-cold')) {
            const p = await pairedFloorCold(site.key, site.docsDir, site.root, n, cacheDir);
            site.stages['check-cold'] = p.cold;
            site.pairRatios = p.ratios;
            site.plainPairRatios = p.plainRatios;
            r = p.floor;
          } else if (stage === 'floor') r = await workerStage('floor', site.key, site.docsDir, n);
          else if (stage === 'check-cold' && site.stages.floor && site.pairRatios) continue; // ran with the floor
          else if (stage === 'remark') {
            // remark runs at ~0.2-0.6 MB/s: 10x the corpus would take 5-15 minutes. Small sources (the example) are fine.
            if (site.key === '10x' && (site.bytes ?? 0) > 20e6) {
              const base = one.stages.remark?.time?.median;
              r = {
                samples: [],
                notes: [
                  `not run on the ${factor}x catalog: at the corpus rate it would take ${base ? `about ${fmtMs(base * factor)} (EXTRAPOLATED: ${factor} × the 1x median, not measured)` : 'many minutes'}; remark's cost grows linearly with bytes, so the 1x run is the figure that matters`,
                ],
                skipped: true,
              };
            } else r = await workerStage('remark', site.key, site.docsDir, Math.min(remarkRuns, n));
          } else if (stage === 'check-cold') r = await checkCold(site.key, site.root, n, cacheDir);
          else {
            r = await checkWarm(site.key, site.root, n, cacheDir, site.stages['check-cold']);
            if (site.key === '10x')
              r.notes.push(
                `the ${factor} copies are byte-identical, so a content-keyed parse cache holds only the 1x entries and the cache-filling run parses each distinct page once: warm ${factor}x (and its fill run) flatter the checker compared with a real catalog of this size`,
              );
          }
          site.stages[stage] = r;
        } catch (e) {
          const msg = String((e as Error).message ?? e);
          site.stages[stage] = { samples: [], notes: [], error: msg };
          progress(`${site.key} ${stage} FAILED: ${msg}`);
        }
        progress(`${site.key} ${stage} took ${fmtMs(performance.now() - t)} in all`);
      }
    }
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }

  // ----------------------------------------------------------- the report
  const totalMs = performance.now() - tStart;
  const a = one.stages;
  const b = ten.stages;
  const med = (r: StageResult | undefined, pick: Pick = (x) => x.time) => (r && !r.error && !r.skipped ? pick(r)?.median : undefined);
  const medianOf = (xs: number[] | undefined) => (xs?.length ? stats(xs)!.median : undefined);
  // Paired when the floor and the cold check ran in turns (the default); else the ratio of the medians.
  const coldFloor1 = medianOf(one.pairRatios) ?? ratio(med(a['check-cold']), med(a.floor));
  const coldFloor10 = medianOf(ten.pairRatios) ?? ratio(med(b['check-cold']), med(b.floor));
  const warm1 = med(a['check-warm']);
  const growthCold = ratio(med(b['check-cold']), med(a['check-cold']));
  const growthFloor = ratio(med(b.floor), med(a.floor));
  const byteGrowth = ratio(ten.bytes, one.bytes);

  const L: string[] = [];
  L.push(`# Pattern Atlas benchmark — ${startedAt.toISOString()}`, '');
  L.push(`Node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? '?'}), load average at start ${loadStart.map((x) => x.toFixed(2)).join(' ')}, at end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}.`);
  L.push(`Peak memory: ${rssMethod}. CLI under test: ${path.relative(REPO, CLI).startsWith('..') ? CLI : path.relative(REPO, CLI)}.`, '');
  L.push('Sites:');
  for (const s of [one, ten]) {
    if (!wantSites.includes(s.key)) continue;
    const size = s.files !== undefined ? `${s.files} Markdown files, ${((s.bytes ?? 0) / 1e6).toFixed(1)} MB` : 'size unknown';
    L.push(`- **${s.key}** (${s.name}): ${size}${s.note ? ` — ${s.note}` : ''}${s.error ? ` — ERROR: ${s.error}` : ''}`);
  }
  L.push('');
  const hdr1 = `${one.key === 'corpus' && one.note ? 'compendium' : 'corpus'} median (min–max)`;
  L.push(`| measurement | ${hdr1} | ${factor}x median (min–max) | ratio ${factor}x/1x |`, '|---|---|---|---|');
  const row = (name: string, stage: Stage, pick: Pick, fmt: (v: number) => string) => {
    if (!wantStages.includes(stage)) return;
    L.push(`| ${name} | ${cell(a[stage], pick, fmt)} | ${cell(b[stage], pick, fmt)} | ${fmtRatio(ratio(med(b[stage], pick), med(a[stage], pick)))} |`);
  };
  row('floor: read + markdown-it tokenize (in-process, after imports)', 'floor', (r) => r.time, fmtMs);
  row('  of which: list + read every file', 'floor', (r) => r.read, fmtMs);
  row('  floor child process, whole wall time (node + tsx startup included)', 'floor', (r) => r.wall, fmtMs);
  row('  floor as a whole plain-node process (bundled, no tsx; as the CLI runs)', 'floor', (r) => r.plainWall, fmtMs);
  row('remark parse, unified+gfm+frontmatter (in-process)', 'remark', (r) => r.time, fmtMs);
  row('check cold (`--no-cache`, process wall time)', 'check-cold', (r) => r.time, fmtMs);
  row('check warm (cache filled, process wall time)', 'check-warm', (r) => r.time, fmtMs);
  row('peak RSS: floor', 'floor', (r) => r.rssKb, fmtMb);
  row('peak RSS: remark', 'remark', (r) => r.rssKb, fmtMb);
  row('peak RSS: check cold', 'check-cold', (r) => r.rssKb, fmtMb);
  row('peak RSS: check warm', 'check-warm', (r) => r.rssKb, fmtMb);
  L.push('');

  L.push('Ratios measured in this run (targets printed, not asserted):', '');
  L.push('| ratio | value | target | |', '|---|---|---|---|');
  const pairs = (r: SiteRun) => (r.pairRatios?.length ? ` (median of ${r.pairRatios.length} paired runs: ${r.pairRatios.map((x) => x.toFixed(2)).join(', ')})` : '');
  L.push(`| check cold / floor, 1x${pairs(one)} | ${fmtRatio(coldFloor1)} | ≤ 2× | ${verdict(coldFloor1 === undefined ? undefined : coldFloor1 <= 2)} |`);
  L.push(`| check cold / floor, ${factor}x${pairs(ten)} | ${fmtRatio(coldFloor10)} | ≤ 2× | ${verdict(coldFloor10 === undefined ? undefined : coldFloor10 <= 2)} |`);
  for (const [r, k] of [[one, '1x'], [ten, `${factor}x`]] as const) {
    if (r.pairRatios?.length) L.push(`| check cold / floor, ${k}, ratio of the two medians (for reference) | ${fmtRatio(ratio(med(r.stages['check-cold']), med(r.stages.floor)))} | | |`);
  }
  L.push(`| check warm, 1x (absolute) | ${fmtMs(warm1)} | < 0.5 s | ${verdict(warm1 === undefined ? undefined : warm1 < 500)} |`);
  L.push(`| check cold growth ${factor}x/1x | ${fmtRatio(growthCold)} | ≤ ~${(factor * 1.2).toFixed(0)}× (linear; bytes grew ${fmtRatio(byteGrowth)}) | ${verdict(growthCold === undefined ? undefined : growthCold <= factor * 1.2)} |`);
  L.push(`| floor growth ${factor}x/1x (for reference) | ${fmtRatio(growthFloor)} | | |`);
  const remarkFloor = ratio(med(a.remark), med(a.floor));
  if (remarkFloor !== undefined) L.push(`| remark / floor, 1x (for reference) | ${fmtRatio(remarkFloor)} | | |`);
  // Whole process against whole process: both include node startup and loading their bundle.
  const coldPlain1 = medianOf(one.plainPairRatios) ?? ratio(med(a['check-cold']), med(a.floor, (r) => r.plainWall));
  const coldPlain10 = medianOf(ten.plainPairRatios) ?? ratio(med(b['check-cold']), med(b.floor, (r) => r.plainWall));
  if (coldPlain1 !== undefined) L.push(`| check cold / floor as a whole plain-node process, 1x (for reference) | ${fmtRatio(coldPlain1)} | | |`);
  if (coldPlain10 !== undefined) L.push(`| check cold / floor as a whole plain-node process, ${factor}x (for reference) | ${fmtRatio(coldPlain10)} | | |`);
  const d1 = a['check-cold']?.diagnostics?.total;
  const d10 = b['check-cold']?.diagnostics?.total;
  if (d1 !== undefined && d10 !== undefined)
    L.push(`| diagnostics ${factor}x/1x (for reference) | ${fmtRatio(ratio(d10, d1))} | | ${d10} vs ${d1}; not exactly ${factor}×: concepts (Law 1…) exist ${factor} times, enum values used by ≥2 pages count as valid${layout === 'copies' ? ', and site-absolute links leave every copy' : ''} |`);
  L.push('');
  L.push('The floor is timed inside its child after imports; check times are whole-process wall times (node startup, bundle load, mkdocs.yml, JSON output included), as the user experiences them.');
  L.push('');

  const diagLines: string[] = [];
  const noteLines: string[] = [];
  for (const s of sites) {
    for (const st of STAGES) {
      const r = s.stages[st];
      if (!r) continue;
      if (r.diagnostics) diagLines.push(`- ${s.key} ${st}: ${r.diagnostics.total} diagnostics (${Object.entries(r.diagnostics.bySeverity).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})${r.diagnostics.pages !== undefined ? `, ${r.diagnostics.pages} pages` : ''}`);
      if (r.worker) diagLines.push(`- ${s.key} ${st}: ${r.worker.files} files, ${(r.worker.bytes / 1e6).toFixed(1)} MB, ${r.worker.units} ${st === 'floor' ? 'tokens' : 'top-level nodes'}; largest file ${r.worker.largest.file} (${(r.worker.largest.bytes / 1000).toFixed(0)} KB) took ${fmtMs(r.worker.largest.ms)}`);
      if (r.error) noteLines.push(`- **${s.key} ${st} FAILED**: ${r.error.replace(/\n/g, '\n  ')}`);
      for (const n of r.notes) noteLines.push(`- ${s.key} ${st}: ${n}`);
    }
  }
  if (diagLines.length) L.push('What each stage saw (so we know it worked):', '', ...diagLines, '');
  if (noteLines.length) L.push('Notes and failures:', '', ...noteLines, '');
  L.push(`Whole benchmark: ${fmtMs(totalMs)}.`);
  process.stdout.write(L.join('\n') + '\n');

  const results = {
    startedAt: startedAt.toISOString(),
    totalMs,
    node: process.version,
    cpus: os.cpus().length,
    loadavg: { start: loadStart, end: os.loadavg() },
    rssMethod,
    cli: CLI,
    factor,
    layout,
    runs: { ...runs, remark: remarkRuns },
    sites: Object.fromEntries(sites.map((s) => [s.key, s])),
    ratios: { checkColdOverFloor1x: coldFloor1, checkColdOverFloor10x: coldFloor10, checkColdOverPlainFloorProcess1x: coldPlain1, checkColdOverPlainFloorProcess10x: coldPlain10, pairRatios1x: one.pairRatios, pairRatios10x: ten.pairRatios, checkWarm1xMs: warm1, checkColdGrowth: growthCold, floorGrowth: growthFloor, byteGrowth, remarkOverFloor1x: remarkFloor },
    targets: {
      checkColdWithin2xFloor1x: coldFloor1 === undefined ? null : coldFloor1 <= 2,
      checkColdWithin2xFloor10x: coldFloor10 === undefined ? null : coldFloor10 <= 2,
      checkWarmUnderHalfSecond1x: warm1 === undefined ? null : warm1 < 500,
      checkColdGrowthLinear: growthCold === undefined ? null : growthCold <= factor * 1.2,
    },
  };
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  fs.writeFileSync(path.join(BENCH_DIR, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  progress(`results written to ${path.relative(process.cwd(), path.join(BENCH_DIR, 'results.json')) || '.bench/results.json'}`);
}

const argv = process.argv.slice(2);
if (argv[0] === '--worker') {
  worker(argv[1], argv[2]).catch((e) => {
    process.stderr.write(String((e as Error).stack ?? e) + '\n');
    process.exit(1);
  });
} else {
  main(argv).catch((e) => {
    process.stderr.write(`bench: ${String((e as Error).stack ?? e)}\n`);
    process.exit(1);
  });
}
