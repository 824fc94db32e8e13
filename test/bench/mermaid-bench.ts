/**
 * Mermaid validation benchmark on the shared corpus (never copied; skipped
 * when absent): every ```mermaid block the engine finds under docs/.
 *
 *   node --import tsx test/bench/mermaid-bench.ts [--cold N] [--warm N] [--sample N] [--two-workers]
 *
 * - cold: a new pool (worker start + mermaid load + every block parsed), N runs (default 2)
 * - warm: the same blocks again on a warm pool (all cache hits), median of N (default 3)
 * - naive: a plain `mermaid.parse` per diagram, unpatched mermaid, in a child
 *   process, on a seeded sample (default 100), for comparison
 * - RSS of this process (the worker thread included), event-loop delay and
 *   utilization of the main thread while the cold run is going on.
 *
 * Uses dist/mermaid-worker.mjs (what the server ships; `npm run build`) when
 * present, else the worker from source under tsx (slower to load).
 */
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { mermaidBlocks } from '../../server/src/mermaid/blocks.ts';
import { MermaidPool } from '../../server/src/mermaid/pool.ts';
import { extractFast } from '../../server/src/parse/fast.ts';
import { mulberry32 as rng } from '../helpers/random.ts';
import { childJson } from '../mermaid/fixtures/naive.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const DOCS = path.resolve(REPO, '../shared/corpus/dstudio-2025-07/docs');
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const COLD = arg('--cold', 2);
const WARM = arg('--warm', 3);
const SAMPLE = arg('--sample', 100);

const mb = (n: number): string => `${Math.round(n / 1e6)} MB`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** Per-diagram cost of a plain mermaid.parse (unpatched), in a child process. */
function naive(codes: string[]): Promise<{ loadMs: number; ms: number[]; cpuMs: number }> {
  const script = `
    const t0 = performance.now();
    import { parseHTML } from 'linkedom';
    const { window } = parseHTML('<!doctype html><html><body></body></html>');
    globalThis.window = window; globalThis.document = window.document;
    const mermaid = (await import('mermaid')).default;
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', logLevel: 'fatal' });
    await mermaid.parse('info');
    const loadMs = performance.now() - t0;
    let input = '';
    for await (const c of process.stdin) input += c;
    const codes = JSON.parse(input);
    for (const c of codes.slice(0, 20)) { try { await mermaid.parse(c); } catch {} } // warm-up
    const ms = [];
    const c0 = process.cpuUsage();
    for (const c of codes) { const t = performance.now(); try { await mermaid.parse(c); } catch {} ms.push(performance.now() - t); }
    const cpu = process.cpuUsage(c0);
    process.stdout.write(JSON.stringify({ loadMs, ms, cpuMs: (cpu.user + cpu.system) / 1000 }));
  `;
  return childJson(script, codes);
}

async function main(): Promise<void> {
  if (!fs.existsSync(DOCS)) {
    console.log(`mermaid bench: corpus absent at ${DOCS}; skipped`);
    return;
  }
  const dist = path.join(REPO, 'dist/mermaid-worker.mjs');
  const workerFile = fs.existsSync(dist) ? dist : undefined;
  const files = (fs.readdirSync(DOCS, { recursive: true }) as string[]).filter((f) => f.endsWith('.md')).sort();
  const codes: string[] = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(DOCS, f), 'utf8');
    for (const b of mermaidBlocks(extractFast(text), text)) codes.push(b.code);
  }
  const blocks = codes.map((code, key) => ({ key, code }));
  console.log(`mermaid bench: ${codes.length} blocks in ${files.length} files; worker ${workerFile ? path.relative(REPO, workerFile) : 'server/src/mermaid/worker.ts (from source)'}`);
  const rss0 = process.memoryUsage().rss;

  const cold: number[] = [];
  const coldCpu: number[] = [];
  let pool: MermaidPool | undefined;
  let invalid = 0;
  let delay = { max: 0, p99: 0 };
  let elu = 0;
  for (let run = 0; run < COLD; run++) {
    await pool?.dispose();
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    pool = new MermaidPool({ workerFile });
    const r = await pool.validateBlocks(blocks);
    cold.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    coldCpu.push((cpu.user + cpu.system) / 1000);
    h.disable();
    elu = performance.eventLoopUtilization(elu0).utilization;
    delay = { max: h.max / 1e6, p99: h.percentile(99) / 1e6 };
    invalid = [...r.values()].filter((e) => e.some((x) => x.severity === 'error')).length;
  }
  const stats = pool!.stats();
  const rssCold = process.memoryUsage().rss;
  console.log(`cold (1 worker, load included): ${cold.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')} wall, ${coldCpu.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', ')} CPU (all threads); ${invalid} invalid; mermaid load in worker ${Math.round(stats.workerLoadMs)} ms; fast config ${stats.fastConfig}`);
  console.log(`  main thread during cold run: event-loop delay max ${delay.max.toFixed(1)} ms, p99 ${delay.p99.toFixed(1)} ms; utilization ${(elu * 100).toFixed(1)}%`);

  const warm: number[] = [];
  for (let run = 0; run < WARM; run++) {
    const t0 = performance.now();
    await pool!.validateBlocks(blocks);
    warm.push(performance.now() - t0);
  }
  console.log(`warm (all cached): median ${median(warm).toFixed(1)} ms of ${warm.map((x) => x.toFixed(1)).join(', ')}`);
  const rssWarm = process.memoryUsage().rss;
  await pool!.dispose();

  let two: number | undefined;
  if (process.argv.includes('--two-workers')) {
    const t0 = performance.now();
    const p2 = new MermaidPool({ workerFile, workers: 2 });
    await p2.validateBlocks(blocks);
    two = performance.now() - t0;
    await p2.dispose();
    console.log(`cold with 2 workers: ${(two / 1000).toFixed(2)} s`);
  }

  const random = rng(100);
  const sample = [...codes].sort(() => random() - 0.5).slice(0, SAMPLE);
  const n = await naive(sample);
  const mean = n.ms.reduce((a, b) => a + b, 0) / n.ms.length;
  const sorted = [...n.ms].sort((a, b) => a - b);
  const perFast = (Math.min(...cold) - stats.workerLoadMs) / codes.length;
  console.log(
    `naive mermaid.parse (unpatched, ${sample.length} sampled diagrams): mean ${mean.toFixed(1)} ms, p50 ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, p90 ${sorted[Math.floor(sorted.length * 0.9)].toFixed(1)} ms; load ${Math.round(n.loadMs)} ms` +
      `; CPU ${(n.cpuMs / sample.length).toFixed(1)} ms/diagram; -> ${((mean * codes.length) / 1000).toFixed(1)} s for all blocks, vs ${perFast.toFixed(1)} ms/diagram here (${((Math.min(...coldCpu) / codes.length)).toFixed(1)} ms CPU, load included)`,
  );
  console.log(`RSS: ${mb(rss0)} before, ${mb(rssCold)} after cold (worker included), ${mb(rssWarm)} after warm`);
  console.log(
    JSON.stringify({
      mermaidBench: {
        blocks: codes.length,
        invalid,
        coldMs: cold.map(Math.round),
        coldCpuMs: coldCpu.map(Math.round),
        warmMedianMs: +median(warm).toFixed(1),
        twoWorkersColdMs: two && Math.round(two),
        workerLoadMs: Math.round(stats.workerLoadMs),
        naiveMeanMs: +mean.toFixed(2),
        naiveCpuMsPerDiagram: +(n.cpuMs / sample.length).toFixed(2),
        loadAverage: (await import('node:os')).loadavg().map((x) => +x.toFixed(1)),
        perDiagramMs: +perFast.toFixed(2),
        mainEventLoopDelayMaxMs: +delay.max.toFixed(1),
        rssMB: { before: Math.round(rss0 / 1e6), cold: Math.round(rssCold / 1e6), warm: Math.round(rssWarm / 1e6) },
      },
    }),
  );
}

await main();
