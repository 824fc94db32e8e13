/**
 * The full parse path: page text -> PatternDoc through unified + remark-parse
 * + remark-gfm, read over the prepared text (frontmatter blanked, block
 * extension bodies dedented; see prepare.ts) and mapped back to the page.
 *
 * Every position comes from an mdast offset into the prepared text, turned into
 * a line through a line-start index built once per piece and shifted by the
 * characters prepare removed from that line. Targets are sliced from the
 * source, never taken from mdast's decoded `url`.
 *
 * Invariant: `parseMarkdown` never throws; a failure half-way keeps what was
 * gathered and adds a `parse-failed` problem.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import type { Nodes, Parent, Root } from 'mdast';
import { MAX_PAGE_BYTES, findPlaceholdersInLine, headingAttrs, isProbablyBinary, prepare, type Prepared } from './prepare.ts';
import type { Fence, Link, ParseProblem, PatternDoc, Pos, Range } from './types.ts';
import { emptyDoc, exceedsBytes, fenceLang, keepsFenceContent, lineCountOf, maskComments, readTag } from './common.ts';

/** Frozen, stateless: parsing with it has no side effects. */
const processor = unified().use(remarkParse).use(remarkGfm).freeze();

export function parseMarkdown(text: string): PatternDoc {
  const doc = emptyDoc();
  let state: Walk | undefined;
  try {
    if (typeof text !== 'string') text = text == null ? '' : String(text);
    doc.lineCount = lineCountOf(text);
    const top: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (isProbablyBinary(text)) {
      doc.problems.push({ code: 'binary-file', message: 'This looks like a binary file, not Markdown', range: top });
      return doc;
    }
    if (exceedsBytes(text, MAX_PAGE_BYTES)) {
      const mb = (MAX_PAGE_BYTES / (1024 * 1024)).toFixed(0);
      doc.problems.push({ code: 'file-too-large', message: `Page is larger than ${mb} MB and was not parsed`, range: top });
      return doc;
    }
    const prep = prepare(text);
    doc.lineCount = prep.lines.length;
    doc.frontmatter = prep.frontmatter;
    doc.suppressions = prep.suppressions;
    for (const p of prep.problems) doc.problems.push(p);
    state = new Walk(prep, doc);
    // A container that ends inside an open fence ends the fence too: parse the pieces apart.
    const cuts = [0, ...prep.fenceCuts.filter((l) => l > 0 && l < prep.lines.length), prep.lines.length];
    for (let k = 0; k + 1 < cuts.length; k++) {
      if (cuts[k + 1] <= cuts[k]) continue;
      state.piece(cuts[k], cuts[k + 1]);
    }
    state.finish();
  } catch (e) {
    try {
      state?.finish(); // references gathered so far get their targets
    } catch {
      // keep what there is
    }
    doc.problems.push({
      code: 'parse-failed',
      message: `The page could not be fully parsed: ${e instanceof Error ? e.message : String(e)}`,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    });
  }
  return doc;
}

/** Plain text of a node: text and inline code values, image alt text; no raw HTML. */
export function plainText(node: Nodes): string {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
      return node.value;
    case 'image':
    case 'imageReference':
      return node.alt ?? '';
    case 'html':
      return '';
  }
  if ('children' in node) {
    let s = '';
    for (const c of node.children) s += plainText(c as Nodes);
    return s;
  }
  return '';
}

interface PendingRef {
  link: Link;
  identifier: string;
}

const WORD = /\S+/g;
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;
const MAYBE_PLACEHOLDER = /todo|tbd|fixme|coming soon|to be written|\[placeholder\]/i;
const FENCE_START = /^ {0,3}(`{3,}|~{3,})/;
const FENCE_CLOSE = /^(`{3,}|~{3,})[ \t]*$/;

class Walk {
  private readonly defs = new Map<string, { target: string }>();
  private readonly refs: PendingRef[] = [];
  // The current piece.
  private text = '';
  private first = 0;
  private starts: number[] = [];

  constructor(
    private readonly prep: Prepared,
    private readonly doc: PatternDoc,
  ) {}

  piece(from: number, to: number): void {
    const lines = this.prep.prepared.slice(from, to);
    this.text = lines.join('\n');
    this.first = from;
    this.starts = new Array<number>(lines.length);
    let off = 0;
    for (let i = 0; i < lines.length; i++) {
      this.starts[i] = off;
      off += lines[i].length + 1;
    }
    const tree = processor.parse(this.text) as Root;
    this.walk(tree);
  }

  finish(): void {
    // Resolve references: micromark only makes one when a definition exists, but
    // a definition in another piece is not seen by it, so check again.
    const drop = new Set<Link>();
    for (const r of this.refs) {
      const def = this.defs.get(r.identifier);
      if (def) r.link.target = def.target;
      else drop.add(r.link);
    }
    if (drop.size) this.doc.links = this.doc.links.filter((l) => !drop.has(l));
  }

  /** Page position of an offset into the current piece. */
  private pos(offset: number): Pos {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const line = this.first + lo;
    // prepare may pad a line (negative shift); a position never falls inside the padding but clamp anyway.
    return { line, character: Math.max(0, offset - s[lo] + (this.prep.shift[line] ?? 0)) };
  }

  private range(a: number, b: number): Range {
    return { start: this.pos(a), end: this.pos(b) };
  }

  private walk(root: Root): void {
    const stack: Array<{ node: Nodes; parent: Parent | null; index: number }> = [{ node: root, parent: null, index: 0 }];
    while (stack.length) {
      const { node, parent, index } = stack.pop()!;
      const p = node.position;
      const a = p?.start.offset;
      const b = p?.end.offset;
      if (a !== undefined && b !== undefined) {
        switch (node.type) {
          case 'text':
            this.onText(node.value, a, b);
            break;
          case 'heading': {
            const { text, id } = headingAttrs(plainText(node));
            this.doc.headings.push(id === undefined ? { depth: node.depth, text, range: this.range(a, b) } : { depth: node.depth, text, id, range: this.range(a, b) });
            break;
          }
          case 'code':
            this.onCode(node, a, b);
            break;
          case 'link':
            this.onLink(node, a, b);
            break;
          case 'image':
            this.onImage(node, a, b);
            break;
          case 'linkReference':
          case 'imageReference':
            this.onReference(node, a, b);
            break;
          case 'definition':
            this.onDefinition(node, a, b);
            break;
          case 'html':
            this.onHtml(a, b, parent, index);
            break;
        }
      }
      if ('children' in node) {
        const ch = node.children as Nodes[];
        for (let i = ch.length - 1; i >= 0; i--) stack.push({ node: ch[i], parent: node as Parent, index: i });
      }
    }
  }

  private onText(value: string, a: number, b: number): void {
    WORD.lastIndex = 0;
    for (let m = WORD.exec(value); m; m = WORD.exec(value)) if (HAS_WORD_CHAR.test(m[0])) this.doc.wordCount++;
    const src = this.text.slice(a, b);
    if (!MAYBE_PLACEHOLDER.test(src)) return;
    let off = 0;
    for (const part of src.split('\n')) {
      for (const f of findPlaceholdersInLine(part)) {
        this.doc.placeholders.push({ text: f.text, range: this.range(a + off + f.start, a + off + f.end) });
      }
      off += part.length + 1;
    }
  }

  private onCode(node: Extract<Nodes, { type: 'code' }>, a: number, b: number): void {
    const src = this.text.slice(a, b);
    const open = FENCE_START.exec(src);
    if (!open) {
      // micromark's node takes in indented blank lines after the last line of code (markdown-it's does not).
      const r = this.range(a, b);
      let end = r.end.line;
      while (end > r.start.line && !/\S/.test(this.prep.lines[end] ?? '')) end--;
      this.doc.codeBlocks.push({ startLine: r.start.line, endLine: end });
      return;
    }
    const marker = open[1];
    const r = this.range(a, b);
    const lines = this.prep.lines;
    const sl = r.start.line;
    const el = r.end.line;
    let closed = false;
    if (el > sl) {
      const lineStart = this.starts[sl - this.first];
      const prefix = this.text.slice(lineStart, a);
      let last = src.slice(src.lastIndexOf('\n') + 1);
      last = last.replace(prefix.includes('>') ? /^[ \t>]*/ : /^[ \t]*/, '');
      const m = FENCE_CLOSE.exec(last);
      closed = !!m && m[1][0] === marker[0] && m[1].length >= marker.length;
    }
    const fenceCol = r.start.character + (open[0].length - marker.length);
    const firstContent = sl + 1;
    const lastContent = closed ? el - 1 : el;
    const openEnd: Pos = { line: sl, character: (lines[sl] ?? '').length };
    const contentRange: Range =
      lastContent >= firstContent
        ? {
            // Where the content starts: after the fence's indentation, or earlier on a less indented line.
            start: { line: firstContent, character: Math.min(fenceCol, /^[ \t>]*/.exec(lines[firstContent] ?? '')![0].length) },
            end: { line: lastContent, character: (lines[lastContent] ?? '').length },
          }
        : { start: openEnd, end: openEnd };
    const info = node.lang ? (node.meta ? `${node.lang} ${node.meta}` : node.lang) : '';
    const lang = fenceLang(info);
    const fence: Fence = {
      lang,
      info,
      range: r,
      contentRange,
      content: keepsFenceContent(lang) ? node.value : '',
      closed,
    };
    this.doc.fences.push(fence);
    if (!closed) {
      const problem: ParseProblem = {
        code: 'unterminated-fence',
        message: 'Code fence opened here is never closed',
        range: { start: { line: sl, character: fenceCol }, end: openEnd },
      };
      this.doc.problems.push(problem);
    }
  }

  private onLink(node: Extract<Nodes, { type: 'link' }>, a: number, b: number): void {
    const src = this.text.slice(a, b);
    const text = plainText(node);
    if (src[0] !== '[') {
      // `<https://...>` or a GFM literal URL / www. / e-mail.
      const inner = src[0] === '<' && src.endsWith('>') ? [a + 1, b - 1] : [a, b];
      this.doc.links.push({ kind: 'autolink', target: this.text.slice(inner[0], inner[1]), text, range: this.range(a, b), targetRange: this.range(inner[0], inner[1]) });
      return;
    }
    const last = node.children[node.children.length - 1];
    const from = last?.position?.end.offset !== undefined ? Math.max(1, last.position.end.offset - a) : 1;
    this.pushResource('inline', src, a, b, from, text, node.url);
  }

  private onImage(node: Extract<Nodes, { type: 'image' }>, a: number, b: number): void {
    this.pushResource('image', this.text.slice(a, b), a, b, 2, node.alt ?? '', node.url);
  }

  private pushResource(kind: 'inline' | 'image', src: string, a: number, b: number, from: number, text: string, url: string): void {
    const dest = findResource(src, from);
    if (dest) {
      this.doc.links.push({ kind, target: src.slice(dest[0], dest[1]), text, range: this.range(a, b), targetRange: this.range(a + dest[0], a + dest[1]) });
    } else {
      // Not expected; keep the link with what mdast knows.
      this.doc.links.push({ kind, target: url, text, range: this.range(a, b), targetRange: this.range(a, b) });
    }
  }

  private onReference(node: Extract<Nodes, { type: 'linkReference' | 'imageReference' }>, a: number, b: number): void {
    const src = this.text.slice(a, b);
    const lead = node.type === 'imageReference' ? 2 : 1;
    let ls = lead;
    let le = src.length - 1;
    if (node.referenceType === 'collapsed') le = src.length - 3;
    else if (node.referenceType === 'full') {
      let k = src.length - 2;
      while (k >= lead && !(src[k] === '[' && src[k - 1] !== '\\')) k--;
      ls = k + 1;
    }
    if (le < ls) {
      ls = lead;
      le = Math.max(lead, src.length - 1);
    }
    const link: Link = {
      kind: node.type === 'imageReference' ? 'image' : 'reference',
      target: '',
      text: node.type === 'imageReference' ? node.alt ?? '' : plainText(node),
      range: this.range(a, b),
      targetRange: this.range(a + ls, a + le),
      label: node.identifier,
    };
    this.doc.links.push(link);
    this.refs.push({ link, identifier: node.identifier });
  }

  private onDefinition(node: Extract<Nodes, { type: 'definition' }>, a: number, b: number): void {
    const src = this.text.slice(a, b);
    let j = 1;
    while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
    let target = node.url;
    let tr: Range = this.range(a, b);
    if (src[j + 1] === ':') {
      const d = parseDestination(src, skipSpace(src, j + 2, src.length), src.length);
      if (d) {
        target = src.slice(d[0], d[1]);
        tr = this.range(a + d[0], a + d[1]);
      }
    }
    if (!this.defs.has(node.identifier)) this.defs.set(node.identifier, { target });
    this.doc.links.push({ kind: 'definition', target, text: node.label ?? '', range: this.range(a, b), targetRange: tr, label: node.identifier });
  }

  private onHtml(a: number, b: number, parent: Parent | null, index: number): void {
    const raw = this.text.slice(a, b);
    if (!TAG_HINT.test(raw)) return;
    const src = maskComments(raw);
    let closes: number[][] | null = null; // [start, end] of each `</a>`, found once per node
    TAG.lastIndex = 0;
    for (let m = TAG.exec(src); m; m = TAG.exec(src)) {
      const name = m[1].toLowerCase();
      const tag = readTag(src, m.index + m[0].length);
      const attr = tag.attrs.find((t) => t.name === (name === 'a' ? 'href' : 'src'));
      TAG.lastIndex = tag.end;
      if (!attr) continue;
      let end = tag.end;
      let text = '';
      if (name === 'img') text = tag.attrs.find((t) => t.name === 'alt')?.value ?? '';
      else {
        if (!closes) {
          closes = [];
          CLOSE_A.lastIndex = 0;
          for (let c = CLOSE_A.exec(src); c; c = CLOSE_A.exec(src)) closes.push([c.index, c.index + c[0].length]);
        }
        const c = firstAtOrAfter(closes, tag.end);
        if (c) {
          text = src.slice(tag.end, c[0]).replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();
          end = c[1];
        } else if (parent && tag.end >= src.length) {
          // Inline HTML: the text is in the following siblings, up to `</a>`.
          const sib = parent.children as Nodes[];
          for (let i = index + 1; i < sib.length && i <= index + 100; i++) {
            const s = sib[i];
            if (s.type === 'html') {
              if (/^<\/a\s*>$/i.test(s.value) && s.position) end = s.position.end.offset! - a;
              if (/^<\/?a[\s>]/i.test(s.value)) break;
              continue;
            }
            text += plainText(s);
          }
          text = text.replace(/\s+/g, ' ').trim();
        }
      }
      this.doc.links.push({
        kind: 'html',
        target: raw.slice(attr.start, attr.end),
        text,
        range: this.range(a + m.index, a + end),
        targetRange: this.range(a + attr.start, a + attr.end),
      });
    }
  }
}


const TAG_HINT = /<(?:a|img)[\s/>]/i;
const TAG = /<(a|img)(?=[\s/>])/gi;
const CLOSE_A = /<\/a\s*>/gi;

/** The first [start, end] pair whose start is at or after `at` (pairs ascending). */
function firstAtOrAfter(pairs: number[][], at: number): number[] | undefined {
  let lo = 0;
  let hi = pairs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pairs[mid][0] < at) lo = mid + 1;
    else hi = mid;
  }
  return pairs[lo];
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10;
}

function skipSpace(s: string, i: number, end: number): number {
  while (i < end && isSpace(s.charCodeAt(i))) i++;
  return i;
}

function isAsciiPunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

/** A link destination at `i`: `<...>` or a raw destination. Returns [start, end, next] of what is written. */
function parseDestination(s: string, i: number, end: number): [number, number, number] | null {
  if (s[i] === '<') {
    for (let j = i + 1; j < end; j++) {
      const c = s.charCodeAt(j);
      if (c === 92 && j + 1 < end && isAsciiPunct(s.charCodeAt(j + 1))) j++;
      else if (c === 62) return [i + 1, j, j + 1];
      else if (c === 60 || c === 10) return null;
    }
    return null;
  }
  let j = i;
  let depth = 0;
  while (j < end) {
    const c = s.charCodeAt(j);
    if (c === 92 && j + 1 < end && isAsciiPunct(s.charCodeAt(j + 1))) {
      j += 2;
      continue;
    }
    if (c <= 32 || c === 127) break;
    if (c === 40) depth++;
    else if (c === 41) {
      if (depth === 0) break;
      depth--;
    }
    j++;
  }
  return j > i ? [i, j, j] : null;
}

function parseTitle(s: string, i: number, end: number): number {
  const open = s[i];
  const close = open === '(' ? ')' : open;
  if (open !== '"' && open !== "'" && open !== '(') return -1;
  for (let j = i + 1; j < end; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === close) return j + 1;
    else if (open === '(' && c === '(') return -1;
  }
  return -1;
}

/** `(dest "title")` starting at the `(` at `i`, which must end exactly at the end of `s`. */
function parseResource(s: string, i: number): [number, number] | null {
  const end = s.length;
  let j = skipSpace(s, i + 1, end);
  if (s[j] === ')') return j + 1 === end ? [j, j] : null;
  const d = parseDestination(s, j, end);
  if (!d) return null;
  j = d[2];
  const k = skipSpace(s, j, end);
  if (k < end && s[k] !== ')') {
    if (k === j) return null;
    const t = parseTitle(s, k, end);
    if (t < 0) return null;
    j = skipSpace(s, t, end);
  } else j = k;
  return s[j] === ')' && j + 1 === end ? [d[0], d[1]] : null;
}

/** Find the `](...)` resource that closes the link or image `s`, searching from `from`. */
function findResource(s: string, from: number): [number, number] | null {
  for (let i = s.indexOf('](', from); i >= 0; i = s.indexOf('](', i + 1)) {
    const r = parseResource(s, i + 1);
    if (r) return r;
  }
  return null;
}
