/**
 * `prev-next-mismatch` on the shared corpus, against an independent reading:
 * the nav flattened straight from mkdocs.yml with the `yaml` package, footers
 * found with plain regular expressions, link targets resolved with `URL` and
 * `path.posix`. The findings must be exactly the mismatches that reading
 * finds; then `pattern-atlas fix --rule prev-next-mismatch` on a temporary
 * copy changes only footer lines, and the rule reports nothing afterwards.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { DiskWorkspace } from '../../server/src/cli/disk-workspace.ts';
import { runFix } from '../../server/src/fixes/cli.ts';
import { lineChanges } from '../../server/src/fixes/diff.ts';
import { extractFast } from '../../server/src/parse/fast.ts';
import { checkSite } from '../../server/src/rules/index.ts';
import { prevNextMismatch } from '../../server/src/rules/prev-next.ts';
import { loadSite } from '../../server/src/site/site.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus/dstudio-2025-07');
const skip = fs.existsSync(path.join(CORPUS, 'mkdocs.yml')) ? false : `corpus absent at ${CORPUS}: this test needs ../shared/corpus/dstudio-2025-07`;

// ------------------------------------------------------------------ the independent reading

/** Every docs-relative page MkDocs builds (no dot-files, no top-level templates/). */
function pagesOf(docs: string): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (r !== 'templates') walk(path.join(dir, e.name), r);
      } else if (e.name.endsWith('.md')) out.add(r);
    }
  };
  walk(docs, '');
  return out;
}

/** The nav's pages in order, each with its neighbours (a page listed twice: its last listing). */
function navNeighbours(root: string, pages: Set<string>): Map<string, { previous?: string; next?: string }> {
  const nav = YAML.parseDocument(fs.readFileSync(path.join(root, 'mkdocs.yml'), 'utf8'), { logLevel: 'silent' }).toJS().nav as unknown[];
  const order: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (!v.includes('#') && !/^[a-z]+:/i.test(v) && pages.has(v)) order.push(v);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(nav);
  const out = new Map<string, { previous?: string; next?: string }>();
  order.forEach((p, i) => out.set(p, { previous: order[i - 1], next: order[i + 1] }));
  return out;
}

interface Side {
  side: 'previous' | 'next';
  line: number;
  target?: string;
  html: boolean;
}

const MD_LINK = /\[((?:[^[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?[^)]*\)/g;
const HTML_LINK = /<a\s[^>]*?href\s*=\s*"([^"]*)"[^>]*>(.*?)<\/a\s*>/gi;
const BOLD = /\*\*(previous|prev|next)(?:\*\*\s*:|:\*\*)/gi;
const LEAD = /^(?:[\s*_←→]|:[a-z0-9_-]+:)*/i;
const kind = (w: string): Side['side'] => (w.toLowerCase() === 'next' ? 'next' : 'previous');

/** The footer sides of one line, read with regular expressions. */
function sidesOf(line: string, n: number): Side[] {
  const links = [...line.matchAll(MD_LINK)].map((m) => ({ at: m.index!, end: m.index! + m[0].length, text: m[1], target: m[2], html: false }));
  for (const m of line.matchAll(HTML_LINK)) links.push({ at: m.index!, end: m.index! + m[0].length, text: m[2], target: m[1], html: true });
  const sides: Side[] = [];
  for (const m of line.matchAll(BOLD)) {
    if (links.some((l) => l.at <= m.index! && m.index! < l.end)) continue;
    const after = m.index! + m[0].length;
    const lead = after + LEAD.exec(line.slice(after))![0].length;
    const link = links.find((l) => l.at >= after && l.at <= lead);
    sides.push({ side: kind(m[1]), line: n, target: link?.target, html: !!link?.html });
  }
  for (const l of links) {
    const m = /^(previous|prev|next)\b\s*(:|[\s*_←→]*$)/i.exec(l.text.replace(LEAD, ''));
    if (m) sides.push({ side: kind(m[1]), line: n, target: l.target, html: l.html });
  }
  const both = sides.some((s) => s.side === 'previous') && sides.some((s) => s.side === 'next');
  return sides.some((s) => s.target !== undefined) || both ? sides : [];
}

/** The sides of a page's last run of footer lines (blank lines between them allowed), outside frontmatter, fences and comments. */
function footerOf(text: string): Side[] {
  const lines = text.split('\n');
  const visible: boolean[] = [];
  let fence: string | undefined;
  let comment = false;
  let i = 0;
  if (lines[0]?.trim() === '---') {
    visible.push(false);
    for (i = 1; i < lines.length && !/^(---|\.\.\.)\s*$/.test(lines[i]); i++) visible.push(false);
    visible.push(false);
    i++;
  }
  for (; i < lines.length; i++) {
    const l = lines[i];
    const f = /^\s*(`{3,}|~{3,})/.exec(l)?.[1];
    if (fence) {
      visible.push(false);
      if (f && f[0] === fence[0] && f.length >= fence.length && /^\s*[`~]+\s*$/.test(l)) fence = undefined;
      continue;
    }
    if (f) {
      fence = f;
      visible.push(false);
      continue;
    }
    const opens = l.includes('<!--');
    const closes = l.includes('-->');
    visible.push(!comment && !opens);
    if (opens && !closes) comment = true;
    else if (comment && closes) comment = false;
  }
  let n = lines.length - 1;
  const at = (k: number) => (visible[k] ? sidesOf(lines[k], k) : []);
  while (n >= 0 && !at(n).length) n--;
  const out: Side[] = [];
  for (; n >= 0; n--) {
    if (!lines[n].trim()) continue;
    const s = at(n);
    if (!s.length) break;
    out.unshift(...s);
  }
  return out;
}

/** The page a footer link names: resolved as MkDocs and a browser would, a raw-HTML `x.md` by its file. */
function pageNamed(from: string, s: Side, pages: Set<string>): string | 'none' | 'unjudged' | undefined {
  const raw = s.target ?? '';
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(raw) || raw.includes('{{')) return 'unjudged';
  const t = decodeURIComponent(raw.replace(/[?#].*$/, ''));
  if (s.target === undefined || (t === '' && !raw.includes('#'))) return 'none';
  if (t === '') return from;
  if (/\.md$/.test(t)) {
    const p = t.startsWith('/') ? t.slice(1) : path.posix.normalize(path.posix.join(path.posix.dirname(from), t));
    return pages.has(p) ? p : undefined;
  }
  const served = from.endsWith('index.md') ? from.slice(0, -'index.md'.length) : from.slice(0, -'.md'.length) + '/';
  const p = decodeURIComponent(new URL(t, 'http://site/' + served).pathname.slice(1)).replace(/\/$/, '');
  return [`${p}.md`, `${p}/index.md`, `${p}/README.md`, p === '' ? 'index.md' : ''].find((c) => pages.has(c));
}

/** `file:line side` of every footer side that disagrees with the nav, by the independent reading. */
function expectedMismatches(root: string): string[] {
  const docs = path.join(root, 'docs');
  const pages = pagesOf(docs);
  const nav = navNeighbours(root, pages);
  const out: string[] = [];
  for (const p of pages) {
    const around = nav.get(p);
    if (!around) continue;
    for (const s of footerOf(fs.readFileSync(path.join(docs, p), 'utf8'))) {
      const named = pageNamed(p, s, pages);
      if (named === 'unjudged' || named === around[s.side] || (named === 'none' && !around[s.side])) continue;
      out.push(`docs/${p}:${s.line + 1} ${s.side}`);
    }
  }
  return out.sort();
}

function reported(root: string): { keys: string[]; files: Set<string> } {
  const site = loadSite(new DiskWorkspace(), root, { parse: extractFast }).site!;
  const f = checkSite(site, [prevNextMismatch]);
  return { keys: f.map((x) => `${x.file}:${x.range.start.line + 1} ${x.data!.side}`).sort(), files: new Set(f.map((x) => x.file)) };
}

describe('prev-next-mismatch on the shared corpus', { skip }, () => {
  let tmp: string | undefined;
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('reports exactly the footer sides an independent reading finds out of nav order', () => {
    const expected = expectedMismatches(CORPUS);
    assert.ok(expected.length > 0, 'the corpus has footers that disagree with its nav');
    const got = reported(CORPUS).keys;
    assert.equal(got.length, expected.length);
    assert.deepEqual(got, expected);
  });

  test('fix --rule prev-next-mismatch on a copy: only footer lines change, and the rule then reports nothing', { timeout: 300_000 }, () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-prev-next-'));
    const copy = path.join(tmp, 'site');
    fs.mkdirSync(copy);
    fs.cpSync(path.join(CORPUS, 'mkdocs.yml'), path.join(copy, 'mkdocs.yml'));
    fs.cpSync(path.join(CORPUS, 'docs'), path.join(copy, 'docs'), { recursive: true });
    const before = reported(copy);
    const texts = new Map([...before.files].map((f) => [f, fs.readFileSync(path.join(copy, f), 'utf8')]));
    const out: string[] = [];
    const code = runFix(copy, { dryRun: false, rules: ['prev-next-mismatch'], cache: false, out: (s) => out.push(s), err: (s) => out.push(s) });
    assert.equal(code, 0, out.join(''));
    assert.match(out.join(''), new RegExp(`${before.keys.length} fix\\(es\\) applied, ${before.files.size} file\\(s\\) changed`));
    // Each changed page: the same number of lines, and only its footer lines differ.
    const footerLines = new Map<string, Set<number>>();
    for (const k of before.keys) {
      const [file, line] = k.split(' ')[0].split(':');
      footerLines.set(file, (footerLines.get(file) ?? new Set()).add(Number(line)));
    }
    for (const [file, old] of texts) {
      const now = fs.readFileSync(path.join(copy, file), 'utf8');
      const { removed, added } = lineChanges(old, now);
      assert.equal(added.length, removed.length, file);
      const oldLines = old.split('\n');
      const allowed = [...footerLines.get(file)!].map((l) => oldLines[l - 1] + '\n');
      for (const r of removed) assert.ok(allowed.includes(r) || allowed.includes(r + '\n'), `${file}: changed a line that is no reported footer line: ${r}`);
    }
    assert.deepEqual(reported(copy).keys, []);
  });
});
