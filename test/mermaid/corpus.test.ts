/**
 * Mermaid diagnostics on the shared corpus (read-only, never copied): every
 * ```mermaid block of every page under docs/, validated through the pool.
 *
 * Block counts. The issue's figures (2171 blocks, 177 invalid) come from a
 * line scan in which every ```mermaid line opens a block, even inside another
 * fence. The engine reads fences as CommonMark does and finds 2156: 15 of
 * those lines are inside a code block whose author "closed" it with a
 * ```bash-style line, which closes nothing. Both sets are checked: the same
 * 177 diagrams are invalid in each.
 *
 * Verdicts are compared with a plain `mermaid.parse` run in a separate Node
 * process on unpatched mermaid (all invalid blocks and a seeded sample of 100
 * valid ones).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { mermaidBlocks, toPageError, type MermaidBlock } from '../../server/src/mermaid/blocks.ts';
import { MermaidPool, contentKey } from '../../server/src/mermaid/pool.ts';
import type { MermaidError } from '../../server/src/mermaid/validate.ts';
import { extractFast } from '../../server/src/parse/fast.ts';
import { mulberry32 as rng } from '../helpers/random.ts';
import { naiveVerdicts } from './fixtures/naive.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const CORPUS = path.resolve(REPO, '../shared/corpus/dstudio-2025-07');
const DOCS = path.join(CORPUS, 'docs');
const present = fs.existsSync(DOCS);
const absent = present ? false : `corpus absent at ${CORPUS}: this integration test needs ../shared/corpus/dstudio-2025-07`;

/** The issue's counting rule: any ```mermaid line opens a block, closed by the next bare fence of its kind. */
function lineScan(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^([ \t]*)(`{3,}|~{3,})[ \t]*\{?[ \t]*\.?mermaid\b[^`]*$/.exec(lines[i]);
    if (!m) continue;
    const indent = m[1].length;
    const close = new RegExp(`^[ \\t]*${m[2][0] === '`' ? '`' : '~'}{${m[2].length},}[ \\t]*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !close.test(lines[j]); j++) {
      let k = 0;
      while (k < indent && (lines[j][k] === ' ' || lines[j][k] === '\t')) k++;
      body.push(lines[j].slice(k));
    }
    out.push(body.join('\n'));
    i = j;
  }
  return out;
}

const isInvalid = (errors: MermaidError[]): boolean => errors.some((e) => e.severity === 'error');

describe('Mermaid diagnostics on the shared corpus', { skip: absent }, () => {
  interface Found {
    file: string;
    text: string;
    block: MermaidBlock;
  }
  const found: Found[] = [];
  const scanned: string[] = [];
  let pool: MermaidPool;
  let results: Map<number, MermaidError[]>;
  let coldMs = 0;
  let warmMs = 0;

  before(async () => {
    const files = (fs.readdirSync(DOCS, { recursive: true }) as string[]).filter((f) => f.endsWith('.md')).sort();
    for (const file of files) {
      const text = fs.readFileSync(path.join(DOCS, file), 'utf8');
      for (const block of mermaidBlocks(extractFast(text), text)) found.push({ file, text, block });
      scanned.push(...lineScan(text));
    }
    pool = new MermaidPool();
    let t = performance.now();
    results = await pool.validateBlocks(found.map((f, key) => ({ key, code: f.block.code })));
    coldMs = performance.now() - t;
    t = performance.now();
    await pool.validateBlocks(found.map((f, key) => ({ key, code: f.block.code })));
    warmMs = performance.now() - t;
  });

  after(async () => {
    await pool?.dispose();
  });

  test('the engine finds 2156 blocks, 177 of them invalid', (t) => {
    const invalid = [...results.values()].filter(isInvalid).length;
    t.diagnostic(`engine extractFast: ${found.length} blocks, ${invalid} invalid; cold ${Math.round(coldMs)} ms (worker from source, mermaid load included), warm ${warmMs.toFixed(1)} ms; ${JSON.stringify(pool.stats())}`);
    assert.equal(found.length, 2156);
    assert.equal(invalid, 177);
    assert.equal(pool.stats().crashes, 0);
    assert.equal(pool.stats().timeouts, 0);
  });

  test("the issue's count: 2171 blocks by line scan, the same 177 invalid diagrams", async () => {
    assert.equal(scanned.length, 2171);
    const r = await pool.validateBlocks(scanned.map((code, key) => ({ key, code })));
    const invalidScan = scanned.filter((_, i) => isInvalid(r.get(i)!)).map(contentKey).sort();
    const invalidEngine = found.filter((_, i) => isInvalid(results.get(i)!)).map((f) => contentKey(f.block.code)).sort();
    assert.equal(invalidScan.length, 177);
    assert.deepEqual(invalidScan, invalidEngine);
  });

  test('a warm re-check of every block is served from the cache', async () => {
    const before = pool.stats().validated;
    const t0 = performance.now();
    const r = await pool.validateBlocks(found.map((f, key) => ({ key, code: f.block.code })));
    const ms = performance.now() - t0;
    assert.equal(r.size, found.length);
    assert.equal(pool.stats().validated, before);
    assert.ok(ms < 5000, `warm re-check took ${ms} ms`);
  });

  test('every error lies inside its block, in page coordinates', () => {
    for (const [i, errors] of results) {
      const f = found[i];
      const pageLines = f.text.split(/\r\n|\r|\n/);
      for (const e of errors) {
        const p = toPageError(f.block, e);
        const { start, end } = p.range;
        const where = `${f.file}:${start.line + 1}:${start.character + 1} ${e.message}`;
        assert.ok(start.line >= f.block.fence.range.start.line && end.line <= f.block.fence.range.end.line, where);
        assert.ok(start.character <= pageLines[start.line].length && end.character <= pageLines[end.line].length, where);
        if (e.kind !== 'internal' && e.kind !== 'too-large') {
          assert.ok(start.line > f.block.fence.range.start.line, `${where}: on the opening fence`);
          assert.ok(end.line > start.line || end.character > start.character, `${where}: empty range`);
        }
        if (p.fix) assert.equal(p.fix.range.start.line, p.fix.range.end.line, where);
      }
    }
  });

  test('block lines map to page lines (indented blocks included), and error text reads the same in both', () => {
    let indented = 0;
    for (const [i, f] of found.entries()) {
      const pageLines = f.text.split(/\r\n|\r|\n/);
      const codeLines = f.block.code.split(/\r\n|\r|\n/);
      if (f.block.lineOffsets.some((o) => o > 0)) indented++;
      codeLines.forEach((l, k) => {
        const page = pageLines[f.block.firstLine + k];
        assert.equal(page.slice(f.block.lineOffsets[k]), l, `${f.file}:${f.block.firstLine + k + 1}`);
      });
      for (const e of results.get(i)!) {
        if (e.kind === 'internal' || e.range.start.line !== e.range.end.line) continue;
        const p = toPageError(f.block, e).range;
        assert.equal(
          pageLines[p.start.line].slice(p.start.character, p.end.character),
          codeLines[e.range.start.line].slice(e.range.start.character, e.range.end.character),
          `${f.file}:${p.start.line + 1}`,
        );
      }
    }
    assert.ok(indented > 100, `only ${indented} indented blocks`);
  });

  test('verdicts equal a plain mermaid.parse (all invalid blocks + 100 sampled valid ones)', async (t) => {
    const invalid = [...results.keys()].filter((i) => isInvalid(results.get(i)!));
    const valid = [...results.keys()].filter((i) => !isInvalid(results.get(i)!));
    const random = rng(2171);
    for (let i = valid.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [valid[i], valid[j]] = [valid[j], valid[i]];
    }
    const sample = [...invalid, ...valid.slice(0, 100)];
    const t0 = performance.now();
    const naive = await naiveVerdicts(sample.map((i) => found[i].block.code));
    t.diagnostic(`naive check of ${sample.length} blocks in a child process: ${Math.round(performance.now() - t0)} ms`);
    const disagree = sample.filter((i, k) => naive[k] === isInvalid(results.get(i)!));
    assert.deepEqual(
      disagree.map((i) => `${found[i].file}:${found[i].block.firstLine}`),
      [],
      'blocks where the validator and a plain mermaid.parse disagree',
    );
  });
});
