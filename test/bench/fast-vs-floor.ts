/**
 * extractFast over the whole reference corpus against the floor it must not
 * fall below: markdown-it's full tokenization (`md.parse`) of the same texts.
 * Files are read first; only the extraction is timed. Single thread, median
 * of RUNS runs (default 3) after one warm-up run.
 *
 *   node --import tsx test/bench/fast-vs-floor.ts [corpus-dir] [--runs=N] [--full]
 *
 * `--full` also times the remark path once (slow: tens of seconds).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import MarkdownIt from 'markdown-it';
import { extractFast } from '../../server/src/parse/fast.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const dir = path.resolve(args.find((a) => !a.startsWith('--')) ?? path.resolve(repoRoot, '../shared/corpus/dstudio-2025-07'));
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3) || 3;

function markdownFiles(d: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) markdownFiles(p, out);
    else if (e.name.endsWith('.md')) out.push(p);
  }
  return out;
}

if (!fs.existsSync(dir)) {
  console.log(`corpus absent at ${dir}`);
  process.exit(0);
}
const texts = markdownFiles(dir).map((f) => fs.readFileSync(f, 'utf8'));
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: (t: string) => unknown): { median: number; all: number[] } {
  fn(texts[0]);
  for (const t of texts) fn(t); // warm-up
  const all: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (const t of texts) fn(t);
    all.push(performance.now() - t0);
  }
  return { median: median(all), all };
}

const md = new MarkdownIt('commonmark').enable(['table', 'strikethrough']);
let links = 0;
const floor = time((t) => md.parse(t, {}));
const fast = time((t) => (links += extractFast(t).links.length));

const fmt = (x: { median: number; all: number[] }): string => `${x.median.toFixed(0)} ms (runs: ${x.all.map((v) => v.toFixed(0)).join(', ')})`;
console.log(`corpus: ${texts.length} files, ${(bytes / 1e6).toFixed(1)} MB`);
console.log(`markdown-it md.parse (floor): ${fmt(floor)}`);
console.log(`extractFast:                  ${fmt(fast)}`);
console.log(`ratio extractFast / floor:    ${(fast.median / floor.median).toFixed(2)}`);

if (args.includes('--full')) {
  const { parseMarkdown } = await import('../../server/src/parse/remark.ts');
  const t0 = performance.now();
  for (const t of texts) parseMarkdown(t);
  console.log(`parseMarkdown (remark), one run: ${(performance.now() - t0).toFixed(0)} ms`);
}
