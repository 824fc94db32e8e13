/**
 * `not-in-index` -> "Add 'Heartbeat' to the patterns index (patterns/index.md)";
 * also offered, not preferred, on the `not-in-nav` finding of such a page.
 *
 * One line is inserted into the index page (`Site.patternsIndex`): a table
 * row with as many cells as its neighbours, or a list item with their marker
 * and shape (`[Title](x.md) - description`). The link is written in the
 * style of the neighbours' links (`x.md`, `../x/`, `/patterns/x/`) and its
 * text by their convention (the title as they write titles, or their one
 * fixed text). A cell whose column names a frontmatter key (Category,
 * Status, Difficulty, Description, ...) or holds those values is filled from
 * the page's frontmatter, written as another row writes the same value; a
 * title column gets the title; any other cell stays empty.
 *
 * The table or list is the one under a heading naming the page's category,
 * else the one listing most pages of its category, else the largest. The
 * line goes in alphabetical order when the rows are sorted, else after the
 * rows of the page's category when those are together, else at the end.
 */
import { frontmatterFields } from '../parse/common.ts';
import { missingFromIndex, notInIndex } from '../rules/not-in-index.ts';
import { severityOf } from '../rules/index.ts';
import type { Page, Site } from '../site/site.ts';
import { stripDecorations } from '../site/site.ts';
import { insertLines } from './edits.ts';
import { retarget } from './links.ts';
import { navTitleFor } from './not-in-nav.ts';
import type { Fix, FixProvider, TextSource } from './types.ts';
import { eolOf, lines } from './types.ts';

interface LinkAt {
  /** Offsets in the row's text (a table cell, or a list item's text after its marker). */
  start: number;
  end: number;
  text: string;
  target: string;
}

interface Row {
  line: number;
  /** Last line of the row (a list item's continuation lines included). */
  lastLine: number;
  /** Table: the raw cells between the pipes. List: one cell, the text after the marker. */
  cells: string[];
  /** The pattern page the row links to, the cell holding that link, and the link. */
  page?: Page;
  cell: number;
  link?: LinkAt;
  /** List: indentation, marker and the spaces after it. Table: indentation. */
  lead: string;
  /** Table: whether the row starts and ends with a pipe. */
  outerPipes?: [boolean, boolean];
}

interface Block {
  kind: 'table' | 'list';
  rows: Row[];
  /** Plain texts of the headings (and the parent list item) it sits under, outermost first. */
  context: string[];
  /** Table: the header cells as plain text, and the raw header and delimiter rows (alignment). */
  header?: string[];
  rawHeader?: string[][];
}

const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])(\s+)(.*)$/;
const HEADING = /^\s*(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(`{3,}|~{3,})/;
const INLINE_LINK = /(!?)\[((?:\\.|[^[\]\\]|\[(?:\\.|[^[\]\\])*\])*)\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Markdown to the words a reader sees: link texts, no emphasis, emoji or icons. */
function plain(md: string): string {
  return stripDecorations(
    md
      .replace(/!?\[((?:\\.|[^[\]\\])*)\]\([^)]*\)/g, '$1')
      .replace(/\{[^{}]*\}/g, '')
      .replace(/\\([|*_`[\]])/g, '$1')
      .replace(/[*_`]/g, ''),
  );
}

const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** The cells of a table row: split at unescaped pipes, with the row's outer pipes noted. */
function splitRow(line: string): { indent: string; cells: string[]; outer: [boolean, boolean] } {
  const indent = /^\s*/.exec(line)![0];
  let body = line.slice(indent.length).replace(/\s+$/, '');
  const first = body.startsWith('|');
  if (first) body = body.slice(1);
  const cells: string[] = [];
  let cur = '';
  let last = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\' && i + 1 < body.length) {
      cur += ch + body[++i];
      continue;
    }
    if (ch === '|') {
      cells.push(cur);
      cur = '';
      last = i === body.length - 1;
      continue;
    }
    cur += ch;
  }
  if (!last) cells.push(cur);
  return { indent, cells, outer: [first, last] };
}

/** The first inline link in `s` that resolves to a pattern page of the site. */
function patternLink(site: Site, from: string, s: string): { link: LinkAt; page: Page } | undefined {
  for (const m of s.matchAll(INLINE_LINK)) {
    if (m[1]) continue;
    const target = m[3].startsWith('<') ? m[3].slice(1, -1) : m[3];
    const r = site.resolve(from, target);
    const page = r.kind === 'page' ? site.pages.get(r.path) : undefined;
    if (page?.isPattern && page.path !== from) return { link: { start: m.index!, end: m.index! + m[0].length, text: m[2], target: m[3] }, page };
  }
  return undefined;
}

/** The tables and lists of the index page, with the pattern page each row links to. */
function readBlocks(site: Site, from: string, text: string): Block[] {
  const ls = lines(text);
  const blocks: Block[] = [];
  const headings: Array<{ depth: number; text: string }> = [];
  let lists: Array<{ block: Block; indent: number; marker: string }> = [];
  let fence: string | undefined;
  let i = 0;
  if (ls[0] === '---') {
    const end = ls.findIndex((l, k) => k > 0 && (l === '---' || l === '...'));
    if (end > 0) i = end + 1;
  }
  const context = () => headings.map((h) => h.text);
  // A line inside a list item extends it and the items it is nested in.
  const touch = (line: number) => {
    for (const l of lists) l.block.rows[l.block.rows.length - 1].lastLine = line;
  };
  const row = (line: number, cells: string[], lead: string, outer?: [boolean, boolean]): Row => {
    const r: Row = { line, lastLine: line, cells, cell: -1, lead, outerPipes: outer };
    for (let c = 0; c < cells.length && !r.page; c++) {
      const hit = patternLink(site, from, cells[c]);
      if (hit) Object.assign(r, { page: hit.page, link: hit.link, cell: c });
    }
    return r;
  };
  for (; i < ls.length; i++) {
    const l = ls[i];
    const f = FENCE.exec(l);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length) fence = undefined;
      touch(i);
      continue;
    }
    if (f) {
      fence = f[1];
      while (lists.length && lists[lists.length - 1].indent >= /^\s*/.exec(l)![0].length) lists.pop();
      touch(i);
      continue;
    }
    if (!l.trim()) continue;
    const h = HEADING.exec(l);
    if (h) {
      lists = [];
      const depth = h[1].length;
      while (headings.length && headings[headings.length - 1].depth >= depth) headings.pop();
      headings.push({ depth, text: plain(h[2]) });
      continue;
    }
    const head = l.includes('|') && i + 1 < ls.length && TABLE_DELIMITER.test(ls[i + 1]) ? splitRow(l) : undefined;
    const delimiter = head && splitRow(ls[i + 1]);
    // A table: a header row, then a delimiter row with as many cells (`---` alone under text is a heading underline).
    if (head && delimiter && delimiter.cells.length === head.cells.length) {
      lists = [];
      const block: Block = { kind: 'table', rows: [], context: context(), header: head.cells.map(plain), rawHeader: [head.cells, delimiter.cells] };
      let k = i + 2;
      for (; k < ls.length && ls[k].trim() && ls[k].includes('|') && !FENCE.test(ls[k]); k++) {
        const r = splitRow(ls[k]);
        block.rows.push(row(k, r.cells, r.indent, r.outer));
      }
      blocks.push(block);
      i = k - 1;
      continue;
    }
    const m = LIST_ITEM.exec(l);
    const indent = /^\s*/.exec(l)![0].length;
    while (lists.length && lists[lists.length - 1].indent > (m ? m[1].length : indent - 1)) lists.pop();
    if (m) {
      const marker = /^\d/.test(m[2]) ? m[2].slice(-1) : m[2];
      const top = lists[lists.length - 1];
      if (top && top.indent === m[1].length && top.marker === marker) {
        top.block.rows.push(row(i, [m[4]], m[1] + m[2] + m[3]));
        touch(i);
        continue;
      }
      if (top && top.indent === m[1].length) lists.pop();
      const parent = lists[lists.length - 1]?.block.rows.at(-1);
      const block: Block = { kind: 'list', rows: [row(i, [m[4]], m[1] + m[2] + m[3])], context: parent ? [...context(), plain(parent.cells[0])] : context() };
      blocks.push(block);
      lists.push({ block, indent: m[1].length, marker });
      touch(i);
      continue;
    }
    // Text under a list item (indented more than its marker) continues it; anything else ends the lists.
    touch(i);
  }
  return blocks.filter((b) => b.rows.some((r) => r.page));
}

/** A frontmatter value as cell text: lists joined, one line. */
function fmValue(page: Page, key: string): string | undefined {
  const v = frontmatterFields(page.doc.frontmatter)?.[key];
  if (typeof v === 'string' || typeof v === 'number') return String(v).replace(/\s+/g, ' ').trim() || undefined;
  if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.join(', ');
  return undefined;
}

function fmKeys(page: Page): string[] {
  return Object.keys(frontmatterFields(page.doc.frontmatter) ?? {});
}

/** The ways a page's title is written: frontmatter title, without a trailing "Pattern", the H1; longest first. */
function titles(site: Site, page: Page): string[] {
  const h1 = page.doc.headings.find((h) => h.depth === 1)?.text;
  return [...new Set([page.title, navTitleFor(site, page.path), h1].filter((t): t is string => !!t?.trim()))].sort((a, b) => b.length - a.length);
}

/** `text` with the reference page's title replaced by the new page's title written the same way (through `esc`), or undefined. */
function swapTitle(site: Site, text: string, ref: Page, page: Page, esc: (s: string) => string = (s) => s): string | undefined {
  const mine = titles(site, ref);
  const theirs = (t: string) =>
    esc(t === ref.title ? page.title : t === navTitleFor(site, ref.path) ? navTitleFor(site, page.path) : (page.doc.headings.find((h) => h.depth === 1)?.text ?? page.title));
  for (const t of mine) if (text.includes(t)) return text.replace(t, theirs(t));
  const lower = text.toLowerCase();
  for (const t of mine) {
    const k = lower.indexOf(t.toLowerCase());
    if (k >= 0) return text.slice(0, k) + theirs(t) + text.slice(k + t.length);
  }
  return undefined;
}

const escapeCell = (s: string) => s.replace(/\|/g, '\\|');
const titleCase = (s: string) => s.replace(/[-_]+/g, ' ').replace(/(^|\s)(\p{Ll})/gu, (_, a, b) => a + b.toUpperCase());

/** What a table column holds, learned from its header and the rows that link to patterns. */
type Role = { kind: 'link' } | { kind: 'title' } | { kind: 'field'; key: string } | { kind: 'empty' };

function columnRole(site: Site, block: Block, ref: Row, col: number, page: Page): Role {
  if (col === ref.cell) return { kind: 'link' };
  const rows = block.rows.filter((r) => r.page && r.cell !== col && r.cells[col] !== undefined);
  const header = block.header?.[col] ?? '';
  if (/^(patterns?|names?|titles?)$/i.test(header.trim())) return { kind: 'title' };
  const named = rows.filter((r) => titles(site, r.page!).some((t) => norm(t) !== '' && norm(plain(r.cells[col])).includes(norm(t)))).length;
  if (named > 0 && named * 2 >= rows.length) return { kind: 'title' };
  const keys = new Set([...fmKeys(page), ...rows.flatMap((r) => fmKeys(r.page!))]);
  const h = norm(header);
  for (const k of keys) if (h && norm(k) === h) return { kind: 'field', key: k };
  let best: { key: string; n: number } | undefined;
  for (const k of keys) {
    const n = rows.filter((r) => {
      const v = fmValue(r.page!, k);
      return v !== undefined && norm(v) === norm(plain(r.cells[col])) && norm(v) !== '';
    }).length;
    if (n >= 2 && n * 2 >= rows.length && (!best || n > best.n)) best = { key: k, n };
  }
  return best ? { kind: 'field', key: best.key } : { kind: 'empty' };
}

/** The page's value of `key`, written as the rows write values of that key. */
function fieldText(block: Block, col: number, key: string, page: Page): string {
  const v = fmValue(page, key);
  if (v === undefined) return '';
  const rows = block.rows.filter((r) => r.page && r.cells[col] !== undefined);
  const same = rows.find((r) => fmValue(r.page!, key) === v && r.cells[col].trim());
  if (same) return same.cells[col].trim();
  const pairs = rows.map((r) => [r.cells[col].trim(), fmValue(r.page!, key)] as const).filter(([c, x]) => c && x);
  if (pairs.length && pairs.every(([c, x]) => c === titleCase(x!) && c !== x)) return escapeCell(titleCase(v));
  if (pairs.length && pairs.every(([c, x]) => c === x!.toUpperCase() && c !== x)) return escapeCell(v.toUpperCase());
  return escapeCell(v);
}

/** The link to `page` written like the reference row's link: target style, text convention, decorations around it. */
function linkCell(site: Site, from: string, block: Block, ref: Row, page: Page, cellText: string): string {
  const link = ref.link!;
  const angled = link.target.startsWith('<');
  const bare = (angled ? link.target.slice(1, -1) : link.target).replace(/[?#].*$/, '');
  let target = retarget(site, from, bare, page.path);
  // `/patterns/x` stays without the slash `/patterns/x/` would add.
  if (!/\.(md|markdown)$/i.test(bare) && !bare.endsWith('/') && target.endsWith('/') && target.length > 1) target = target.slice(0, -1);
  const rows = block.rows.filter((r) => r.link);
  const texts = new Set(rows.map((r) => r.link!.text));
  const esc = (s: string) => (block.kind === 'table' ? escapeCell(s) : s).replace(/([[\]])/g, '\\$1');
  const text = swapTitle(site, link.text, ref.page!, page, esc) ?? (texts.size === 1 && rows.length >= 2 ? link.text : esc(navTitleFor(site, page.path)));
  // Text before the link (an icon, "See") is kept when every row has the same; otherwise only its emphasis.
  const before = cellText.slice(0, link.start);
  const shared = new Set(rows.map((r) => r.cells[r.cell].slice(0, r.link!.start).trim())).size === 1;
  const prefix = shared ? before : /^\s*/.exec(before)![0] + /[*_]*$/.exec(before.trim())![0];
  const after = cellText.slice(link.end);
  return `${prefix}[${text}](${angled ? `<${target}>` : target})${block.kind === 'list' ? listTail(after, ref.page!, page) : tableTail(rows, after)}`;
}

function tableTail(rows: Row[], after: string): string {
  if (new Set(rows.map((r) => r.cells[r.cell].slice(r.link!.end).trim())).size === 1) return after.replace(/\s+$/, '');
  return /^[*_]*/.exec(after)![0];
}

/** After a list item's link: its closing emphasis, then the separator and the page's description when the neighbour has one. */
function listTail(after: string, ref: Page, page: Page): string {
  const closers = /^[*_]*/.exec(after)![0];
  const rest = after.slice(closers.length);
  if (!rest.trim()) return closers;
  const desc = fmValue(page, 'description');
  const refDesc = fmValue(ref, 'description');
  if (refDesc && rest.includes(refDesc)) return desc ? closers + rest.replace(refDesc, desc).replace(/\s+$/, '') : closers;
  const m = /^(\s*(?:[-–—:|]+|\()?\s*)(.*?)(\)?)\s*$/.exec(rest)!;
  return desc ? closers + m[1] + desc + m[3] : closers;
}

/** A table row for `page` in the shape of the reference row. */
function tableRow(site: Site, from: string, block: Block, ref: Row, page: Page): string {
  const out: string[] = [];
  for (let c = 0; c < ref.cells.length; c++) {
    const raw = ref.cells[c];
    const role = columnRole(site, block, ref, c, page);
    let content: string;
    if (role.kind === 'link') content = linkCell(site, from, block, ref, page, raw).trim();
    else if (role.kind === 'title') {
      const t = raw.trim();
      const wrap = /^([*_]*)(.*?)([*_]*)$/.exec(t)!;
      content = swapTitle(site, t, ref.page!, page, escapeCell) ?? `${wrap[1]}${escapeCell(navTitleFor(site, page.path))}${wrap[3]}`;
    } else if (role.kind === 'field') content = fieldText(block, c, role.key, page);
    else content = '';
    const lead = /^\s*/.exec(raw)![0];
    const trail = raw.trim() ? /\s*$/.exec(raw)![0] : ' ';
    // A column padded to one width in every row stays padded.
    const widths = new Set([...block.rawHeader!.map((r) => r[c]?.length), ...block.rows.map((r) => r.cells[c]?.length)]);
    const cell = lead + content;
    out.push(widths.size === 1 && cell.length + 1 <= raw.length ? cell.padEnd(raw.length) : cell + (trail || (c < ref.cells.length - 1 || ref.outerPipes![1] ? ' ' : '')));
  }
  const [first, last] = ref.outerPipes!;
  return ref.lead + (first ? '|' : '') + out.join('|') + (last ? '|' : '');
}

/** A list item for `page` with the reference item's marker and shape. */
function listItem(site: Site, from: string, block: Block, ref: Row, page: Page, at: number): string {
  let lead = ref.lead;
  const num = /^(\s*)(\d+)([.)])(\s+)$/.exec(lead);
  if (num) {
    const numbers = block.rows.map((r) => /^\s*(\d+)/.exec(r.lead)![1]);
    if (new Set(numbers).size > 1) {
      const prev = at > 0 ? Number(numbers[at - 1]) : Number(numbers[0]) - 1;
      lead = num[1] + String(prev + 1) + num[3] + num[4];
    }
  }
  return lead + linkCell(site, from, block, ref, page, ref.cells[0]).trimStart();
}

/** The sort key of a row: its first cell with words in it. */
function rowKey(cells: string[]): string {
  for (const c of cells) {
    const p = plain(c);
    if (/[\p{L}\p{N}]/u.test(p)) return p;
  }
  return '';
}

const sorted = (rows: Row[]) => rows.length >= 2 && rows.every((r, k) => k === 0 || collator.compare(rowKey(rows[k - 1].cells), rowKey(r.cells)) <= 0);

/** The line to insert at: alphabetical in sorted rows, after the page's category when grouped, else at the end. */
function insertionLine(block: Block, page: Page, key: string): number {
  const linked = block.rows.filter((r) => r.page);
  const alphabetical = (rows: Row[], end: number) => rows.find((r) => collator.compare(rowKey(r.cells), key) > 0)?.line ?? end;
  const blockEnd = block.rows[block.rows.length - 1].lastLine + 1;
  if (sorted(linked)) return alphabetical(linked, blockEnd);
  const cat = fmValue(page, 'category');
  const idx = cat ? linked.map((r, k) => (fmValue(r.page!, 'category') === cat ? k : -1)).filter((k) => k >= 0) : [];
  if (idx.length && idx.length < linked.length && idx[idx.length - 1] - idx[0] === idx.length - 1) {
    const group = idx.map((k) => linked[k]);
    const end = group[group.length - 1].lastLine + 1;
    return sorted(group) ? alphabetical(group, end) : end;
  }
  return blockEnd;
}

/** Lexicographic `a > b`. */
function greater(a: number[], b: number[]): boolean {
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] > b[k];
  return false;
}

/** The table or list the page belongs in: under its category's heading, else with most of its category, else the largest. */
function chooseBlock(blocks: Block[], page: Page): Block | undefined {
  const cat = fmValue(page, 'category');
  const words = cat ? cat.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean) : [];
  const score = (b: Block): number[] => {
    const heading = words.length > 0 && b.context.some((t) => {
      const have = new Set(t.toLowerCase().split(/[^\p{L}\p{N}]+/u));
      return words.every((w) => have.has(w));
    });
    const linked = b.rows.filter((r) => r.page);
    return [heading ? 1 : 0, cat ? linked.filter((r) => fmValue(r.page!, 'category') === cat).length : 0, linked.length];
  };
  let best: { b: Block; s: number[] } | undefined;
  for (const b of blocks) {
    const s = score(b);
    if (!best || greater(s, best.s)) best = { b, s };
  }
  return best?.b;
}

/** The fix adding `path` to the patterns index, or undefined when the index has no table or list of patterns to follow. */
export function indexRowFix(site: Site, path: string, texts: TextSource): Fix | undefined {
  const index = site.patternsIndex;
  const page = site.pages.get(path);
  if (!index || !page) return undefined;
  const abs = site.absPath(index.path);
  const text = texts(abs);
  if (text === undefined) return undefined;
  const block = chooseBlock(readBlocks(site, index.path, text), page);
  if (!block) return undefined;
  const linked = block.rows.filter((r) => r.page);
  const draft = block.kind === 'table' ? tableRow(site, index.path, block, linked[0], page) : listItem(site, index.path, block, linked[0], page, block.rows.length);
  const key = rowKey(block.kind === 'table' ? splitRow(draft).cells : [draft.replace(LIST_ITEM, '$4')]);
  const line = insertionLine(block, page, key);
  // The neighbour above the new line (else below) is the model for its shape.
  const above = [...linked].reverse().find((r) => r.lastLine < line) ?? linked[0];
  const at = block.rows.filter((r) => r.line < line).length;
  const row = block.kind === 'table' ? tableRow(site, index.path, block, above, page) : listItem(site, index.path, block, above, page, at);
  const eol = eolOf(text);
  const edit = insertLines(lines(text), line, row + eol, eol);
  return { title: `Add '${navTitleFor(site, path)}' to the patterns index (${index.path})`, edits: { [abs]: [edit] } };
}

/** `not-in-index` -> the row, preferred. */
export const fixNotInIndex: FixProvider = (site, finding, texts) => {
  const path = finding.data?.path;
  const page = typeof path === 'string' ? site.pages.get(path) : undefined;
  if (!page || !missingFromIndex(site, page)) return [];
  const fix = indexRowFix(site, page.path, texts);
  return fix ? [{ ...fix, isPreferred: true }] : [];
};

/** `not-in-nav` of a pattern the index also lacks -> the same row, as an alternative to the nav line. */
export const indexRowForNotInNav: FixProvider = (site, finding, texts) => {
  const path = finding.data?.path;
  const page = typeof path === 'string' ? site.pages.get(path) : undefined;
  if (!page || !missingFromIndex(site, page) || severityOf(site, notInIndex) === 'off') return [];
  const fix = indexRowFix(site, page.path, texts);
  return fix ? [{ ...fix, isPreferred: false }] : [];
};
