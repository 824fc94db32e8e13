/**
 * extractFast over the whole reference corpus against the floor it must not
 * fall below: markdown-it's full tokenization (`md.parse`) of the same texts.
 *
 *   node --import tsx test/bench/fast-vs-floor.ts [corpus-dir] [--runs=N] [--full]
 *
 * Each side runs in its own child process (so one side's heap does not slow
 * the other): files are read first, one warm-up pass, then N timed passes
 * (default 3) over every file, single thread. Prints the median wall time and
 * the median CPU time of the passes (CPU is steadier on a shared machine).
 * `--full` also times the remark path once (slow: tens of seconds).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(here), '../..');
const args = process.argv.slice(2);
const dir = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.resolve(repoRoot, '../shared/corpus/dstudio-2025-07'));
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3) || 3;
const only = args.find((a) => a.startsWith('--only='))?.slice(7);

function markdownFiles(d: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) markdownFiles(p, out);
    else if (e.name.endsWith('.md')) out.push(p);
  }
  return out;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Result {
  side: string;
  files: number;
  bytes: number;
  wall: number[];
  cpu: number[];
}

async function measure(side: string): Promise<Result> {
  const texts = markdownFiles(dir).map((f) => fs.readFileSync(f, 'utf8'));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  let fn: (t: string) => unknown;
  if (side === 'floor') {
    const { default: MarkdownIt } = await import('markdown-it');
    const md = new MarkdownIt('commonmark').enable(['table', 'strikethrough']);
    fn = (t) => md.parse(t, {});
  } else if (side === 'fast') {
    const { extractFast } = await import('../../server/src/parse/fast.ts');
    fn = extractFast;
  } else {
    const { parseMarkdown } = await import('../../server/src/parse/remark.ts');
    fn = parseMarkdown;
  }
  const passes = side === 'remark' ? 1 : runs;
  if (side !== 'remark') for (const t of texts) fn(t); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < passes; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const t of texts) fn(t);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push(c.user / 1000);
  }
  return { side, files: texts.length, bytes, wall, cpu };
}

if (!fs.existsSync(dir)) {
  console.log(`corpus absent at ${dir}`);
} else if (only) {
  process.stdout.write(JSON.stringify(await measure(only)));
} else {
  const sides = ['floor', 'fast', ...(args.includes('--full') ? ['remark'] : [])];
  const results: Result[] = sides.map((side) =>
    JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', here, dir, `--runs=${runs}`, `--only=${side}`], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 20 })),
  );
  const fmt = (xs: number[]): string => `${median(xs).toFixed(0)} ms [${xs.map((v) => v.toFixed(0)).join(', ')}]`;
  console.log(`corpus: ${results[0].files} files, ${(results[0].bytes / 1e6).toFixed(1)} MB, ${runs} passes each, median`);
  const names: Record<string, string> = { floor: 'markdown-it md.parse (floor)', fast: 'extractFast', remark: 'parseMarkdown (remark), 1 pass' };
  for (const r of results) console.log(`${names[r.side].padEnd(32)} wall ${fmt(r.wall)}   cpu ${fmt(r.cpu)}`);
  const [floor, fast] = results;
  console.log(`extractFast / floor: wall ${(median(fast.wall) / median(floor.wall)).toFixed(2)}x, cpu ${(median(fast.cpu) / median(floor.cpu)).toFixed(2)}x`);
}
