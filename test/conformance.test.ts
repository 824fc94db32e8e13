/**
 * The fast path (`extractFast`) must extract what the full remark parse
 * (`parseMarkdown`) extracts: links, headings, fences and frontmatter entries,
 * over every page of the example catalog and of the reference corpus.
 *
 * On a difference the failure lists, per file and line, what each path said.
 * Run alone: node --import tsx --test test/conformance.test.ts
 * Set CONFORMANCE_MAX_FILES to sample fewer corpus pages while developing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractFast } from '../server/src/parse/fast.ts';
import { parseMarkdown } from '../server/src/parse/remark.ts';
import type { PatternDoc, Range } from '../server/src/parse/types.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpusRoot = path.resolve(repoRoot, '../shared/corpus/dstudio-2025-07');
const examplesRoot = path.resolve(repoRoot, 'examples');

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.')) walk(p);
      } else if (e.isFile() && e.name.endsWith('.md')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const r = (x: Range): string => `${x.start.line}:${x.start.character}-${x.end.line}:${x.end.character}`;

/** One stable line per compared item; the line number leads so diffs read in page order. */
export function conformanceLines(doc: PatternDoc): string[] {
  const out: string[] = [];
  for (const l of doc.links) {
    out.push(`${l.range.start.line + 1}\tlink ${l.kind} ${JSON.stringify(l.target)} range=${r(l.range)} target=${r(l.targetRange)}`);
  }
  for (const h of doc.headings) {
    out.push(`${h.range.start.line + 1}\theading h${h.depth} ${JSON.stringify(h.text)}${h.id !== undefined ? ` #${h.id}` : ''} range=${r(h.range)}`);
  }
  for (const f of doc.fences) {
    out.push(`${f.range.start.line + 1}\tfence ${JSON.stringify(f.lang)} info=${JSON.stringify(f.info)} range=${r(f.range)} content=${r(f.contentRange)} closed=${f.closed}`);
  }
  for (const c of doc.codeBlocks) out.push(`${c.startLine + 1}\tcode block lines ${c.startLine}-${c.endLine}`);
  for (const e of doc.frontmatter?.entries ?? []) {
    out.push(`${e.keyRange.start.line + 1}\tfrontmatter ${e.key}=${JSON.stringify(e.value)} key=${r(e.keyRange)} value=${r(e.valueRange)}`);
  }
  return out;
}

/** Multiset difference of the two line lists, rendered per file; '' when equal. */
export function conformanceDiff(file: string, fast: PatternDoc, full: PatternDoc): string {
  const a = conformanceLines(fast);
  const b = conformanceLines(full);
  const count = new Map<string, number>();
  for (const x of b) count.set(x, (count.get(x) ?? 0) + 1);
  const onlyFast: string[] = [];
  for (const x of a) {
    const c = count.get(x) ?? 0;
    if (c > 0) count.set(x, c - 1);
    else onlyFast.push(x);
  }
  const onlyFull: string[] = [];
  for (const [x, c] of count) for (let i = 0; i < c; i++) onlyFull.push(x);
  if (!onlyFast.length && !onlyFull.length) return '';
  const rows = [...onlyFast.map((x) => ({ x, who: 'fast  ' })), ...onlyFull.map((x) => ({ x, who: 'remark' }))];
  rows.sort((p, q) => Number(p.x.split('\t')[0]) - Number(q.x.split('\t')[0]) || (p.who < q.who ? -1 : 1));
  return [`${file}`, ...rows.map(({ x, who }) => `  line ${x.split('\t')[0]}: only ${who} says ${x.split('\t')[1]}`)].join('\n');
}

function checkFiles(files: string[], root: string): { diffs: string[]; compared: number } {
  const diffs: string[] = [];
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const d = conformanceDiff(path.relative(root, f), extractFast(text), parseMarkdown(text));
    if (d) diffs.push(d);
  }
  return { diffs, compared: files.length };
}

function report(diffs: string[], compared: number): string {
  const shown = diffs.slice(0, 40).join('\n');
  return `${diffs.length} of ${compared} pages differ between extractFast and parseMarkdown:\n${shown}${diffs.length > 40 ? `\n... and ${diffs.length - 40} more pages` : ''}`;
}

test('conformance: the diff helper reports what only one side says', () => {
  const fast = extractFast('# A\n\n[x](a.md)\n');
  const full = extractFast('# A\n\n[x](b.md)\n');
  const d = conformanceDiff('p.md', fast, full);
  assert.match(d, /line 3: only fast +says link inline "a.md"/);
  assert.match(d, /line 3: only remark says link inline "b.md"/);
  assert.equal(conformanceDiff('p.md', fast, fast), '');
});

test('conformance: examples/ (fast path = remark path)', (t) => {
  const files = markdownFiles(examplesRoot);
  if (!files.length) {
    t.skip('no examples yet');
    return;
  }
  const { diffs, compared } = checkFiles(files, examplesRoot);
  assert.equal(diffs.length, 0, report(diffs, compared));
});

test('conformance: the reference corpus (fast path = remark path)', { timeout: 600_000 }, (t) => {
  if (!fs.existsSync(corpusRoot)) {
    t.skip('corpus absent at ' + corpusRoot);
    return;
  }
  let files = markdownFiles(corpusRoot);
  const max = Number(process.env.CONFORMANCE_MAX_FILES);
  if (max > 0) files = files.slice(0, max);
  assert.ok(files.length > 0, 'corpus has Markdown files');
  const { diffs, compared } = checkFiles(files, corpusRoot);
  assert.equal(diffs.length, 0, report(diffs, compared));
});
