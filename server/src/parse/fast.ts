/**
 * The fast extraction path: page text -> PatternDoc without building a syntax
 * tree. It must extract exactly what the full path (`parseMarkdown` in
 * remark.ts) extracts — links, headings, fences, frontmatter — at a small
 * fraction of the cost, because the site-wide index runs it on every page.
 *
 * How:
 * 1. `prepare` (shared with the full path) blanks frontmatter and dedents the
 *    bodies of `!!!`/`???`/`===` blocks; the prepared text is cut into the same
 *    pieces the full path parses apart (`fenceCuts`).
 * 2. markdown-it, with its inline rule switched off, gives the block structure
 *    of each piece: fences, headings, paragraphs, tables, HTML blocks. Three
 *    adjustments make it agree with micromark: its `reference` rule is off
 *    (definitions are read from the start of paragraphs, so that what follows
 *    them continues the paragraph, as in micromark), its table rule is
 *    replaced by one that decides as micromark-extension-gfm-table does, and
 *    GFM footnote definitions (`[^1]: ...`, containers in remark-gfm) are shown
 *    to it as list items of the same length.
 * 3. A hand-written inline scanner, written after micromark (the tokenizer
 *    under remark) construct by construct, reads the prose blocks and finds
 *    links with exact source ranges: escapes, code spans, autolinks, raw HTML,
 *    brackets and link resources, references, GFM literal autolinks, footnote
 *    calls, and the emphasis delimiters (only to get plain text right).
 * Where remark.ts post-processes mdast (targets sliced from the source, HTML
 * `href`/`src` read from raw HTML, `</a>` found among siblings, fence info and
 * content range), this file does the same thing the same way.
 *
 * Positions in the prepared text map back to the page by adding `shift`.
 * The conformance test (test/conformance.test.ts) holds both paths equal.
 *
 * Invariant: `extractFast` never throws; it knows nothing of the workspace,
 * the site or LSP.
 */
import MarkdownIt from 'markdown-it';
import type { StateBlock, Token } from 'markdown-it';
import { MAX_PAGE_BYTES, findPlaceholdersInLine, headingAttrs, isProbablyBinary, leading, lineOffsets, prepare, type Prepared } from './prepare.ts';
import type { Fence, Heading, Link, LinkKind, ParseProblem, PatternDoc, Pos, Range } from './types.ts';
import { emptyDoc, exceedsBytes, fenceLang, keepsFenceContent, lineCountOf, maskComments, own, readTag } from './common.ts';

// ---------------------------------------------------------------------------
// Entry point

let blockParser: MarkdownIt | undefined;

/** markdown-it reading block structure only: the core `inline` rule is off. Stateless once built. */
function getBlockParser(): MarkdownIt {
  return (blockParser ??= makeBlockParser());
}

/** The block parser `extractFast` uses; `dispatch: false` without `dispatchByFirstChar`, `lean: false` with a token for every push, `oneScan: false` with markdown-it's own setext and paragraph rules (for the tests comparing both). */
export function makeBlockParser(opts: { dispatch?: boolean; lean?: boolean; oneScan?: boolean } = {}): MarkdownIt {
  const md = new MarkdownIt('commonmark', { html: true, linkify: false });
  md.enable(['table', 'strikethrough']);
  md.block.ruler.disable('reference');
  // GFM tables as micromark finds them (markdown-it's rule differs at the edges).
  md.block.ruler.at('table', gfmTable, { alt: ['paragraph', 'reference'] });
  // Fences whose text no document keeps are not copied out of the source (most of a catalog's bytes are code samples).
  md.block.ruler.at('fence', fenceRule, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  // `normalize` only rewrites `\r` (prepare already split on it) and NUL (same length).
  md.core.ruler.disable(['normalize', 'inline', 'text_join'], true);
  // A paragraph's lines are read once, not by the setext rule and then again by the paragraph rule.
  if (opts.oneScan ?? true) md.block.ruler.at('lheading', setextOrParagraph);
  md.block.State = linesState(md.block.State, opts.lean ?? true);
  if (opts.dispatch ?? true) dispatchByFirstChar(md);
  return md;
}

type BlockRule = (state: StateBlock, startLine: number, endLine: number, silent: boolean) => boolean;

/**
 * markdown-it's `lheading` rule (rules_block/lheading.mjs), which reads a
 * paragraph's lines looking for a setext underline and, finding none, returns
 * false so that the `paragraph` rule reads the same lines again: here the
 * lines are read once, and without an underline the paragraph is made from
 * them as the paragraph rule makes it (both loops stop at the same line when
 * there is no underline: the underline test is the only difference).
 */
function setextOrParagraph(state: StateBlock, startLine: number, endLine: number): boolean {
  const terminatorRules = state.md.block.ruler.getRules('paragraph');
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const oldParentType = state.parentType;
  state.parentType = 'paragraph';
  let level = 0;
  let marker = 0;
  let nextLine = startLine + 1;
  for (; nextLine < endLine && !state.isEmpty(nextLine); nextLine++) {
    if (state.sCount[nextLine] - state.blkIndent > 3) continue;
    if (state.sCount[nextLine] >= state.blkIndent) {
      let pos = state.bMarks[nextLine] + state.tShift[nextLine];
      const max = state.eMarks[nextLine];
      if (pos < max) {
        marker = state.src.charCodeAt(pos);
        if (marker === 0x2d || marker === 0x3d) {
          pos = state.skipChars(pos, marker);
          pos = state.skipSpaces(pos);
          if (pos >= max) {
            level = marker === 0x3d ? 1 : 2;
            break;
          }
        }
      }
    }
    if (state.sCount[nextLine] < 0) continue;
    let terminate = false;
    for (let i = 0; i < terminatorRules.length; i++) {
      if (terminatorRules[i](state, nextLine, endLine, true)) {
        terminate = true;
        break;
      }
    }
    if (terminate) break;
  }
  const content = state.getLines(startLine, nextLine, state.blkIndent, false).trim();
  if (level) {
    state.line = nextLine + 1;
    const open = state.push('heading_open', 'h' + String(level), 1);
    open.markup = String.fromCharCode(marker);
    open.map = [startLine, state.line];
    const inline = state.push('inline', '', 0);
    inline.content = content;
    inline.map = [startLine, state.line - 1];
    inline.children = [];
    const close = state.push('heading_close', 'h' + String(level), -1);
    close.markup = String.fromCharCode(marker);
  } else {
    state.line = nextLine;
    const open = state.push('paragraph_open', 'p', 1);
    open.map = [startLine, state.line];
    const inline = state.push('inline', '', 0);
    inline.content = content;
    inline.map = [startLine, state.line];
    inline.children = [];
    state.push('paragraph_close', 'p', -1);
  }
  state.parentType = oldParentType;
  return true;
}

/**
 * The only characters a line may start with (after its indentation) for each
 * block rule to match it; a rule not named here may match any line. Each of
 * these rules returns false at once on any other character.
 */
const FIRST_CHARS: Record<string, string> = {
  fence: '`~',
  blockquote: '>',
  hr: '*-_',
  list: '*-+0123456789',
  reference: '[',
  html_block: '<',
  heading: '#',
};

/**
 * markdown-it tries every block rule of a chain in turn at each block start,
 * and every terminator rule at each line of a paragraph, list item or block
 * quote: about 680k calls on the corpus, 600k of them rules that look at the
 * line's first character and return false. Each chain is replaced by one rule
 * that calls, in the chain's order, only the rules that line's first
 * character allows: the first to match is the same rule, so the tokens are
 * the same (test/fast.test.ts parses with and without it).
 */
export function dispatchByFirstChar(md: MarkdownIt): void {
  const ruler = md.block.ruler as unknown as {
    getRules(chain: string): BlockRule[];
    __rules__: Array<{ name: string; fn: BlockRule }>;
  };
  const plain = ruler.getRules.bind(ruler);
  const names = new Map(ruler.__rules__.map((r) => [r.fn, r.name]));
  const chains = new Map<string, BlockRule[]>();
  ruler.getRules = (chain: string): BlockRule[] => {
    let one = chains.get(chain);
    if (!one) {
      const rules = plain(chain);
      // By character code below 128 (other characters start no rule that looks at its first character).
      const byChar: BlockRule[][] = [];
      for (let c = 0; c <= 128; c++) {
        byChar.push(
          rules.filter((r) => {
            const only = FIRST_CHARS[names.get(r) ?? ''];
            return only === undefined || (c < 128 && only.includes(String.fromCharCode(c)));
          }),
        );
      }
      const dispatch: BlockRule = (state, startLine, endLine, silent) => {
        const c = state.src.charCodeAt(state.bMarks[startLine] + state.tShift[startLine]);
        const list = byChar[c < 128 ? c : 128];
        for (let i = 0; i < list.length; i++) if (list[i](state, startLine, endLine, silent)) return true;
        return false;
      };
      chains.set(chain, (one = [dispatch]));
    }
    return one;
  };
}

/**
 * `seen.join('\n')`, where `seen` are the lines `from..to-1` as a parser is
 * to see them, made of slices of `text` (whose lines, split at `\n`, are
 * `lines`; `off` is `lineOffsets(lines)`) wherever a line is the page's line
 * itself, which is almost everywhere, and of one run of line feeds for lines
 * shown empty: joining every line of a catalog copied all of its text once more.
 */
export function pieceSource(text: string, off: Int32Array, lines: readonly string[], seen: readonly string[], from: number, to: number): string {
  let out = '';
  let run = -1;
  let empty = 0;
  for (let i = from; i < to; i++) {
    const l = seen[i - from];
    if (l === lines[i]) {
      if (empty) out += '\n'.repeat(empty);
      empty = 0;
      if (run < 0) run = i;
      continue;
    }
    // The run of page lines before this one, with the line feed that ends it.
    if (run >= 0) out += text.slice(off[run], off[i]);
    run = -1;
    if (l === '') empty++;
    else {
      if (empty) out += '\n'.repeat(empty);
      empty = 0;
      out += i + 1 < to ? l + '\n' : l;
    }
  }
  if (run >= 0) out += text.slice(off[run], off[to] - 1);
  // Empty lines last: each but the last ends with a line feed.
  else if (empty) out += '\n'.repeat(empty - 1);
  return out;
}

/** Whether `tokens` hold a fence at each `[start, end)` line span of `spans` (flat pairs). */
function hasFences(tokens: Token[], spans: number[]): boolean {
  const at = new Map<number, number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'fence' && t.map) at.set(t.map[0], t.map[1]);
  }
  for (let k = 0; k < spans.length; k += 2) if (at.get(spans[k]) !== spans[k + 1]) return false;
  return true;
}

/** What `fenceRule` says of a fence's content, without the content itself. */
interface FenceMeta {
  /** Content lines (between the opening line and the closing one, or the end). */
  lines: number;
  /** Whether markdown-it's content would end with a line feed (not when the last content line ends the source). */
  endsWithLf: boolean;
}

/**
 * markdown-it's `fence` rule (rules_block/fence.mjs, same decisions line by
 * line), except that the token's `content` is only built for a fence whose
 * text a document keeps (`keepsFenceContent`); every fence gets `meta`
 * (`FenceMeta`), which is what `Extractor.fence` reads of its content.
 */
export function fenceRule(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  let pos = state.bMarks[startLine] + state.tShift[startLine];
  let max = state.eMarks[startLine];
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  if (pos + 3 > max) return false;
  const src = state.src;
  const marker = src.charCodeAt(pos);
  if (marker !== 0x7e && marker !== 0x60) return false;
  let mem = pos;
  pos = state.skipChars(pos, marker);
  const len = pos - mem;
  if (len < 3) return false;
  const markup = src.slice(mem, pos);
  const params = src.slice(pos, max);
  if (marker === 0x60 && params.indexOf('`') >= 0) return false;
  if (silent) return true;
  let nextLine = startLine;
  let haveEndMarker = false;
  for (;;) {
    nextLine++;
    if (nextLine >= endLine) break;
    pos = mem = state.bMarks[nextLine] + state.tShift[nextLine];
    max = state.eMarks[nextLine];
    if (pos < max && state.sCount[nextLine] < state.blkIndent) break;
    if (src.charCodeAt(pos) !== marker) continue;
    if (state.sCount[nextLine] - state.blkIndent >= 4) continue;
    pos = state.skipChars(pos, marker);
    if (pos - mem < len) continue;
    pos = state.skipSpaces(pos);
    if (pos < max) continue;
    haveEndMarker = true;
    break;
  }
  state.line = nextLine + (haveEndMarker ? 1 : 0);
  const token = state.push('fence', 'code', 0);
  token.info = params;
  const indent = state.sCount[startLine];
  if (keepsFenceContent(fenceLang(fenceInfo(params)))) token.content = state.getLines(startLine + 1, nextLine, indent, true);
  // Every content line adds a line feed, except one that ends the source, which adds only its text (maybe none).
  const n = nextLine - startLine - 1;
  const atEnd = n > 0 && state.eMarks[nextLine - 1] >= src.length;
  const lastEmpty = atEnd && state.getLines(nextLine - 1, nextLine, indent, true) === '';
  const meta: FenceMeta = { lines: lastEmpty ? n - 1 : n, endsWithLf: atEnd ? lastEmpty && n > 1 : n > 0 };
  token.meta = meta;
  token.markup = markup;
  token.map = [startLine, state.line];
  return true;
}

/** markdown-it's line tables (`linesState`), one set for every piece, grown as needed. */
let tableCapacity = 0;
let tables: Int32Array[] = [];

/** What `piece` gives markdown-it: the lines it joined into the source. */
interface BlockEnv {
  lines: readonly string[];
}

/**
 * markdown-it's block state with its line tables built from the lines the
 * source was joined from, rather than by reading every character of the
 * source. The tables are the ones StateBlock's constructor builds: a line
 * starts after the previous one's `\n`; `tShift`/`sCount` count its leading
 * spaces and tabs (tabs to the next multiple of 4); a last line that is
 * empty or only spaces and tabs is not a line; one sentinel entry at the end.
 * `test/fast.test.ts` compares the tables with the original constructor's.
 */
export function linesState(Base: typeof StateBlock, lean = false): typeof StateBlock {
  function LinesState(this: StateBlock, src: string, md: MarkdownIt, env: BlockEnv | undefined, tokens: Token[]): void {
    const lines = env?.lines;
    if (!lines) {
      Base.call(this, src, md, env, tokens);
      return;
    }
    Base.call(this, '', md, env, tokens);
    this.src = src;
    // The tables live only while markdown-it parses one piece: one set of typed arrays, grown as needed, serves every
    // piece (a catalog has ~300k lines, and growing five arrays of them by `push` was the parser's largest allocation).
    // markdown-it only reads and assigns entries (all integers), up to the sentinel; one state exists at a time.
    const n = lines.length;
    const size = n + 1;
    if (size > tableCapacity) {
      tableCapacity = Math.max(size, 2 * tableCapacity);
      tables = [0, 1, 2, 3, 4].map(() => new Int32Array(tableCapacity));
    }
    const [bMarks, eMarks, tShift, sCount, bsCount] = tables;
    let start = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const l = lines[i];
      const len = l.length;
      let indent = 0;
      let offset = 0;
      for (; indent < len; indent++) {
        const c = l.charCodeAt(indent);
        if (c === 32) offset++;
        else if (c === 9) offset += 4 - (offset % 4);
        else break;
      }
      if (i === n - 1 && indent === len) break;
      bMarks[count] = start;
      eMarks[count] = start + len;
      tShift[count] = indent;
      sCount[count] = offset;
      count++;
      start += len + 1;
    }
    // The sentinel entry after the last line.
    bMarks[count] = src.length;
    eMarks[count] = src.length;
    tShift[count] = 0;
    sCount[count] = 0;
    bsCount.fill(0, 0, count + 1);
    const table = (a: Int32Array) => a.subarray(0, count + 1) as unknown as number[];
    this.bMarks = table(bMarks);
    this.eMarks = table(eMarks);
    this.tShift = table(tShift);
    this.sCount = table(sCount);
    this.bsCount = table(bsCount);
    this.lineMax = count;
  }
  LinesState.prototype = Object.create(Base.prototype) as StateBlock;
  if (lean) {
    // Tokens nothing reads (the extractor reads opening tokens, inline content, fences, code, HTML and container
    // closes; markdown-it's list rule reads back paragraph openings only): one shared token stands for them all.
    const basePush = Base.prototype.push;
    LinesState.prototype.push = function (this: StateBlock, type: string, tag: string, nesting: -1 | 0 | 1): Token {
      if (!unread(type, nesting)) return basePush.call(this, type, tag, nesting);
      if (nesting < 0) this.level--;
      this.tokens.push(UNREAD);
      if (nesting > 0) this.level++;
      return UNREAD;
    };
  }
  return LinesState as unknown as typeof StateBlock;
}

/**
 * Token types `Extractor.piece` and `hasFences` never read (markdown-it's
 * rules write to them and move on): every closing token but a block quote's
 * and a list item's, the list and table wrappers, thematic breaks. Decided by
 * comparing constant strings, which is cheaper than a set lookup per push.
 */
function unread(type: string, nesting: number): boolean {
  if (nesting < 0) return type !== 'blockquote_close' && type !== 'list_item_close';
  if (nesting > 0) return type === 'bullet_list_open' || type === 'ordered_list_open' || type === 'table_open';
  return type === 'hr';
}
/** The token pushed for all of them: written to, never read. */
const UNREAD = { type: 'unread', map: null, level: -1 } as unknown as Token;

/** How extractFast reads; for tests. */
export interface FastOptions {
  /** Show markdown-it the content lines of closed fences empty (prepare's `quiet`); default true. */
  quietFences?: boolean;
}

/** Extract a page's links, headings, fences and frontmatter without a syntax tree. Never throws. */
export function extractFast(text: string, opts?: FastOptions): PatternDoc {
  const doc = emptyDoc();
  try {
    if (typeof text !== 'string') text = text == null ? '' : String(text);
    const top: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (isProbablyBinary(text)) {
      doc.lineCount = lineCountOf(text);
      doc.problems.push({ code: 'binary-file', message: 'This looks like a binary file, not Markdown', range: top });
      return doc;
    }
    if (exceedsBytes(text, MAX_PAGE_BYTES)) {
      doc.lineCount = lineCountOf(text);
      const mb = (MAX_PAGE_BYTES / (1024 * 1024)).toFixed(0);
      doc.problems.push({ code: 'file-too-large', message: `Page is larger than ${mb} MB and was not parsed`, range: top });
      return doc;
    }
    const prep = prepare(text);
    if (opts?.quietFences === false) prep.quietFences = prep.quiet = undefined;
    doc.lineCount = prep.lines.length;
    doc.frontmatter = prep.frontmatter;
    doc.suppressions = prep.suppressions;
    doc.problems.push(...prep.problems);
    const ex = new Extractor(prep, doc, text.includes('\r') ? undefined : text);
    ex.mayHaveFootnotes = text.includes('[^');
    const cuts = [0, ...prep.fenceCuts.filter((l) => l > 0 && l < prep.lines.length), prep.lines.length];
    for (let k = 0; k + 1 < cuts.length; k++) {
      if (cuts[k + 1] <= cuts[k]) continue;
      ex.piece(cuts[k], cuts[k + 1]);
    }
    ex.finish();
    detachStrings(doc);
  } catch (e) {
    doc.problems.push({
      code: 'parse-failed',
      message: `The page could not be fully parsed: ${e instanceof Error ? e.message : String(e)}`,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    });
  }
  return doc;
}

// ---------------------------------------------------------------------------
// What a document keeps

/** Replace the strings a document keeps (texts, targets, labels, fences, suppressed rules, frontmatter values) by copies of their own. */
function detachStrings(doc: PatternDoc): void {
  // Indexed loops: this runs once per page, mostly before the optimizing compiler, where `for...of` allocates.
  for (let i = 0; i < doc.headings.length; i++) {
    const h = doc.headings[i];
    h.text = own(h.text);
    if (h.id !== undefined) h.id = own(h.id);
  }
  for (let i = 0; i < doc.links.length; i++) {
    const l = doc.links[i];
    l.target = own(l.target);
    l.text = own(l.text);
    if (l.label !== undefined) l.label = own(l.label);
  }
  for (let i = 0; i < doc.fences.length; i++) {
    const f = doc.fences[i];
    f.lang = own(f.lang);
    f.info = own(f.info);
    f.content = own(f.content);
  }
  for (const p of doc.placeholders) p.text = own(p.text);
  for (const s of doc.suppressions) s.rules = s.rules.map(own);
  const fm = doc.frontmatter;
  if (fm?.recovered) for (const k of Object.keys(fm.recovered)) fm.recovered[k] = own(fm.recovered[k]);
  if (fm?.data) {
    for (const e of fm.entries) {
      e.key = own(e.key);
      const v = e.value;
      if (typeof v === 'string') e.value = own(v);
      else if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (typeof v[i] === 'string') v[i] = own(v[i] as string);
      } else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) if (typeof x === 'string') (v as Record<string, unknown>)[k] = own(x);
      }
      if (fm.data[e.key] === v) fm.data[e.key] = e.value;
    }
  }
}

// ---------------------------------------------------------------------------
// GFM tables, decided as micromark-extension-gfm-table decides them

/**
 * Cells of a table head row, or -1 when the row cannot head a table. The
 * row is `t` from `from` to `n`, which is the end of `t` or a line feed (both
 * functions may read the character at `n`).
 */
function headRowCells(t: string, from: number, n: number): number {
  let i = from;
  let size = 0;
  let sizeB = 0;
  let seen = false;
  if (t.charCodeAt(from) !== 124) {
    seen = true;
    sizeB = 1;
  }
  for (;;) {
    if (i >= n) return sizeB > 1 ? size : -1;
    const c = t.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    sizeB++;
    if (seen) {
      seen = false;
      size++;
    }
    if (c === 124) {
      seen = true;
      i++;
      continue;
    }
    while (i < n) {
      const d = t.charCodeAt(i);
      if (d === 124 || d === 32 || d === 9) break;
      if (d === 92 && (t.charCodeAt(i + 1) === 92 || t.charCodeAt(i + 1) === 124)) i += 2;
      else i++;
    }
  }
}

/** Cells of a delimiter row (`|:--|--:|`, `t` from `from` to `n`, as for headRowCells), or -1 when it is not one (it needs a `|` or `:`). */
function delimiterRowCells(t: string, from: number, n: number): number {
  let i = from;
  let sizeB = 0;
  let seen = false;
  let c = t.charCodeAt(from);
  if (c === 124) {
    seen = true;
    i++;
  } else if (c !== 45 && c !== 58) return -1;
  for (;;) {
    // Before a cell's value.
    while (t.charCodeAt(i) === 32 || t.charCodeAt(i) === 9) i++;
    c = t.charCodeAt(i);
    if (i < n) {
      if (c === 58) {
        seen = true;
        i++;
      } else if (c !== 45) return -1;
      sizeB++;
      if (t.charCodeAt(i) !== 45) return -1;
      while (t.charCodeAt(i) === 45) i++;
      if (t.charCodeAt(i) === 58) {
        seen = true;
        i++;
      }
      while (t.charCodeAt(i) === 32 || t.charCodeAt(i) === 9) i++;
    }
    // After a cell.
    if (i >= n) return seen ? sizeB : -1;
    if (t.charCodeAt(i) !== 124) return -1;
    seen = true;
    i++;
    if (t.charCodeAt(i) === 124) return -1;
  }
}

const HTML_FLOW_7 = /^<\/?[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^"'=<>`\s]+|'[^']*'|"[^"]*"))?)*\s*\/?>\s*$/;

function lineText(state: StateBlock, line: number): string {
  return state.src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line]);
}

function gfmTable(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (startLine + 2 > endLine) return false;
  const next = startLine + 1;
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  if (state.sCount[next] < state.blkIndent || state.sCount[next] - state.blkIndent >= 4) return false;
  // Cheap test first: a delimiter row starts with `|`, `-` or `:`.
  const c0 = state.src.charCodeAt(state.bMarks[next] + state.tShift[next]);
  if (c0 !== 124 && c0 !== 45 && c0 !== 58) return false;
  // Both rows are read in the source, not sliced: the test runs at nearly every line (`-` starts list items).
  const cells = delimiterRowCells(state.src, state.bMarks[next] + state.tShift[next], state.eMarks[next]);
  if (cells < 0) return false;
  if (headRowCells(state.src, state.bMarks[startLine] + state.tShift[startLine], state.eMarks[startLine]) !== cells) return false;
  const head = lineText(state, startLine);
  // micromark tries headings, fences, HTML, breaks and containers before a table.
  const terminators = state.md.block.ruler.getRules('blockquote');
  for (let r = 0; r < terminators.length; r++) if (terminators[r](state, startLine, endLine, true)) return false;
  if (HTML_FLOW_7.test(head)) return false;
  if (silent) return true;

  const oldParentType = state.parentType;
  state.parentType = 'table' as typeof state.parentType;
  const table = state.push('table_open', 'table', 1);
  const tableLines: [number, number] = [startLine, 0];
  table.map = tableLines;
  const headRow = state.push('tr_open', 'tr', 1);
  headRow.map = [startLine, startLine + 1];
  state.push('tr_close', 'tr', -1);
  let line = startLine + 2;
  for (; line < endLine; line++) {
    if (state.sCount[line] < state.blkIndent) break;
    if (state.isEmpty(line)) break;
    if (state.sCount[line] - state.blkIndent >= 4) break;
    let stop = false;
    for (let r = 0; r < terminators.length; r++) {
      if (terminators[r](state, line, endLine, true)) {
        stop = true;
        break;
      }
    }
    // micromark starts any HTML block here, even the kind that cannot interrupt a paragraph.
    if (stop || HTML_FLOW_7.test(lineText(state, line))) break;
    const row = state.push('tr_open', 'tr', 1);
    row.map = [line, line + 1];
    state.push('tr_close', 'tr', -1);
  }
  state.push('table_close', 'table', -1);
  tableLines[1] = line;
  state.parentType = oldParentType;
  state.line = line;
  return true;
}

// ---------------------------------------------------------------------------
// Character classes (micromark's, on UTF-16 code units; NaN is end of input)

const isAsciiAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAsciiDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAsciiAlnum = (c: number): boolean => isAsciiAlpha(c) || isAsciiDigit(c);
const isAsciiPunct = (c: number): boolean => (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
const isAsciiControl = (c: number): boolean => c < 32 || c === 127;
/** Space, tab, line ending. */
const isSpaceOrEol = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;
const UNICODE_WS = /\s/;
const UNICODE_PUNCT = /\p{P}|\p{S}/u;
const isUnicodeWs = (c: number): boolean => (c < 128 ? c === 32 || (c >= 9 && c <= 13) : UNICODE_WS.test(String.fromCharCode(c)));
const isUnicodePunct = (c: number): boolean => (c < 128 ? isAsciiPunct(c) : UNICODE_PUNCT.test(String.fromCharCode(c)));
/** micromark's classifyCharacter: 1 whitespace (or edge), 2 punctuation, 0 other. */
function classify(c: number): number {
  if (c !== c || isUnicodeWs(c)) return 1;
  if (isUnicodePunct(c)) return 2;
  return 0;
}
/** GFM e-mail atext: `+ - . _` and ASCII alphanumerics. */
const isGfmAtext = (c: number): boolean => c === 43 || c === 45 || c === 46 || c === 95 || isAsciiAlnum(c);
/** micromark's asciiAtext (`[#-'*+\--9=?A-Z^-~]`), for e-mails in `<...>` autolinks. */
const isAsciiAtext = (c: number): boolean =>
  (c >= 35 && c <= 39) || c === 42 || c === 43 || (c >= 45 && c <= 57) || c === 61 || c === 63 || (c >= 65 && c <= 90) || (c >= 94 && c <= 126);

/** micromark's normalizeIdentifier, lower-cased as mdast stores `identifier`. */
export function normalizeIdentifier(value: string): string {
  return value
    .replace(/[\t\n\r ]+/g, ' ')
    .replace(/^ | $/g, '')
    .toLowerCase()
    .toUpperCase()
    .toLowerCase();
}

const ENTITY = /&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{0,31});/y;

/** Resolve backslash escapes and character references (as in fence info strings). */
function decodeString(s: string): string {
  if (!s.includes('\\') && !s.includes('&')) return s;
  return getBlockParser().utils.unescapeAll(s);
}

// ---------------------------------------------------------------------------
// Blocks of inline text and their mapping back to the page

/** Text of one prose block (paragraph, heading, table cell): its lines joined by `\n`. */
interface BlockText {
  s: string;
  /** Piece-relative line of each block line. */
  lines: number[];
  /** Prepared column where each block line starts. */
  cols: number[];
  /** Offset in `s` where each block line starts. */
  offs: number[];
}

type ContainerKind = 'quote' | 'item';

const JOB_PARAGRAPH = 0;
const JOB_HEADING = 1;
const JOB_ROW = 2;

/** Prose read after the block pass, once every definition of the piece is known. */
interface Job {
  kind: number;
  block: BlockText | null;
  heading: Heading | null;
  line: number;
}

interface HtmlItem {
  start: number;
  end: number;
  raw: string;
  /** The `<a>` link this tag made, waiting for its `</a>`. */
  link?: Link;
  parent: number;
}

interface Delim {
  ch: number;
  off: number;
  orig: number;
  count: number;
  canOpen: boolean;
  canClose: boolean;
  frag: number;
}

interface Opener {
  image: boolean;
  start: number;
  textStart: number;
  frag: number;
  delimBottom: number;
  linkCount: number;
  htmlCount: number;
  active: boolean;
}

interface PendingRef {
  link: Link;
  identifier: string;
}

const FRAG_TEXT = 0;
const FRAG_CODE = 1;
const FRAG_HTML = 2;
const FRAG_DELIM = 3;

const TAG_HINT = /<(?:a|img)[\s/>]/i;
const TAG = /<(a|img)(?=[\s/>])/gi;
const CLOSE_A = /<\/a\s*>/gi;
const MAYBE_PLACEHOLDER = /todo|tbd|fixme|coming soon|to be written|\[placeholder\]/i;
/** Anything the inline scanner must look at: markup, references, autolink starts. */
const MAYBE_INLINE = /[\\`<&*_~!\[\]@]|:\/\/|[wW]{3}\./;
/** MAYBE_INLINE without the emphasis characters: what can make a link, a code span, HTML, an entity or an escape. */
const MAYBE_LINK_OR_LITERAL = /[\\`<&!\[\]@]|:\/\/|[wW]{3}\./;
const SOFT_BREAK = /( {2,})?[ \t]*\n[ \t]*/g;
const softBreak = (_m: string, hard: string | undefined): string => (hard ? '' : '\n');
const CONTAINER_PREFIX = /^(?:[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*[ \t]*/;
const FOOTNOTE_MASK = /^((?:[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*)( {0,3})\[\^(?:[^\]\s[\\]|\\[[\]\\]?)+\]:/;

class Extractor {
  private readonly defs = new Map<string, { target: string }>();
  private readonly refs: PendingRef[] = [];
  // Current piece.
  private first = 0;
  private plines: string[] = [];
  /** The lines markdown-it reads: `plines` with footnote definitions masked (same lengths). */
  private mlines: string[] = [];
  /** Masked lines and the column of their `[`. */
  private masked: Map<number, number> | null = null;
  private defined = new Set<string>();
  private footnotes = new Set<string>();

  constructor(
    private readonly prep: Prepared,
    private readonly doc: PatternDoc,
    /** The page text, when its lines are separated by `\n` only (so a run of unprepared lines is a slice of it). */
    private readonly text?: string,
  ) {}

  finish(): void {
    const drop = new Set<Link>();
    for (const r of this.refs) {
      const def = this.defs.get(r.identifier);
      if (def) r.link.target = def.target;
      else drop.add(r.link);
    }
    if (drop.size) this.doc.links = this.doc.links.filter((l) => !drop.has(l));
    // Document order, a link before the image inside it.
    const links = this.doc.links;
    let sorted = true;
    for (let i = 1; i < links.length && sorted; i++) {
      const a = links[i - 1].range.start;
      const b = links[i].range.start;
      if (a.line > b.line || (a.line === b.line && a.character > b.character)) sorted = false;
    }
    if (!sorted) this.doc.links.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }

  /** The source markdown-it reads: `seen` (lines `from..to-1`) joined, sliced from the page where it can be. */
  private source(seen: string[], from: number, to: number): string {
    if (this.text === undefined) return seen.join('\n');
    return pieceSource(this.text, lineOffsets(this.prep.lines), this.prep.lines, seen, from, to);
  }

  /** Page position of a prepared (piece line, column). */
  private at(pl: number, col: number): Pos {
    const line = this.first + pl;
    // prepare pads some lines (negative shift); a position in the padding is the line start.
    return { line, character: Math.max(0, col + (this.prep.shift[line] ?? 0)) };
  }

  piece(from: number, to: number): void {
    this.first = from;
    // Read, never written: a piece that is the whole page (most pages) is the prepared lines themselves.
    const prepared = this.prep.prepared;
    const plines = from === 0 && to === prepared.length ? prepared : prepared.slice(from, to);
    this.plines = plines;
    // remark-gfm reads `[^1]: ...` as a container that interrupts paragraphs and
    // takes lazy and indented lines; show markdown-it a list item there instead
    // (`[^1]:` -> `- x]:`).
    let mlines = plines;
    this.masked = null;
    for (let i = 0; this.mayHaveFootnotes && i < plines.length; i++) {
      const l = plines[i];
      if (!l.includes('[^')) continue;
      const m = FOOTNOTE_MASK.exec(l);
      if (!m) continue;
      const col = m[1].length + m[2].length;
      const close = l.indexOf(']:', col + 2);
      if (mlines === plines) mlines = plines.slice();
      mlines[i] = l.slice(0, col) + '- ' + 'x'.repeat(close - col - 2) + l.slice(close);
      (this.masked ??= new Map()).set(i, col);
    }
    this.mlines = mlines;
    // Content lines of the page's closed fences (prepare's `quiet`): markdown-it is shown them empty, and must still
    // read each such fence as the same fence, else the piece is parsed again as it is.
    let seen = mlines;
    let quietSpans: number[] | null = null;
    const qf = this.prep.quietFences;
    const quiet = this.prep.quiet;
    if (qf && quiet) {
      for (let k = 0; k < qf.length; k += 2) {
        const open = qf[k];
        const close = qf[k + 1];
        if (open < from || close >= to) continue;
        if (seen === mlines) seen = mlines.slice();
        for (let q = open + 1; q < close; q++) if (quiet[q]) seen[q - from] = '';
        (quietSpans ??= []).push(open - from, close + 1 - from);
      }
    }
    let tokens = getBlockParser().parse(this.source(seen, from, to), { lines: seen } satisfies BlockEnv);
    if (quietSpans && !hasFences(tokens, quietSpans)) tokens = getBlockParser().parse(this.source(mlines, from, to), { lines: mlines } satisfies BlockEnv);
    const n = plines.length;
    this.defined = new Set<string>();
    /** Lines of code and raw HTML: no footnote definition there. */
    const literal = new Uint8Array(n);
    const jobs: Job[] = [];
    const containers: ContainerKind[] = [];
    let quotes = 0;
    // markdown-it does not count a last line that is empty or only whitespace.
    const mdLines = n > 0 && isBlank(mlines[n - 1]) ? n - 1 : n;

    for (let t = 0; t < tokens.length; t++) {
      const tok = tokens[t];
      const map = tok.map;
      switch (tok.type) {
        case 'blockquote_open':
          containers.push('quote');
          quotes++;
          break;
        case 'list_item_open':
          containers.push('item');
          break;
        case 'blockquote_close':
          quotes--;
          containers.pop();
          break;
        case 'list_item_close':
          containers.pop();
          break;
        case 'fence':
          if (map) {
            cover(literal, map);
            this.fence(tok, map, containers, quotes, mdLines);
          }
          break;
        case 'code_block':
          if (map) {
            cover(literal, map);
            this.doc.codeBlocks.push({ startLine: this.at(map[0], 0).line, endLine: this.at(map[1] - 1, 0).line });
          }
          break;
        case 'html_block':
          if (map) {
            cover(literal, map);
            this.htmlBlock(tok, map);
          }
          break;
        case 'heading_open': {
          const inline = tokens[t + 1];
          if (map && inline && inline.type === 'inline') {
            const setext = tok.markup === '=' || tok.markup === '-';
            let block = setext ? this.paragraphText(inline.content, map[0], map[1] - 1) : this.atxText(inline.content, map[0]);
            // Definitions open a setext heading's content; nothing but definitions, no heading.
            if (setext && block) {
              block = this.leadingDefinitions(block);
              if (!block) break;
            }
            const heading: Heading = { depth: tok.tag.charCodeAt(1) - 48 || 1, text: '', range: this.headingRange(tok, map, inline.content) };
            this.doc.headings.push(heading);
            jobs.push({ kind: JOB_HEADING, block, heading, line: 0 });
          }
          break;
        }
        case 'paragraph_open': {
          const inline = tokens[t + 1];
          if (map && inline && inline.type === 'inline') {
            const para = this.paragraphText(inline.content, map[0], map[1]);
            const block = para && this.leadingDefinitions(para);
            if (!block) break;
            jobs.push({ kind: JOB_PARAGRAPH, block, heading: null, line: 0 });
          }
          break;
        }
        case 'tr_open':
          if (map) jobs.push({ kind: JOB_ROW, block: null, heading: null, line: map[0] });
          break;
      }
    }

    // Footnote definitions are not link definitions (remark-gfm reads them as footnotes).
    this.footnotes = new Set<string>();
    if (this.masked) {
      for (const [i, col] of this.masked) {
        if (literal[i]) continue;
        const l = plines[i];
        const close = footnoteCall(l, col);
        if (close > 0) this.footnotes.add(normalizeIdentifier(l.slice(col + 2, close - 1)));
      }
    }
    for (let j = 0; j < jobs.length; j++) {
      const job = jobs[j];
      if (job.kind === JOB_ROW) this.tableRow(job.line);
      else if (job.kind === JOB_HEADING) {
        const { text, id } = headingAttrs(job.block ? this.scan(job.block, true) : '');
        job.heading!.text = text;
        if (id !== undefined) job.heading!.id = id;
      } else if (job.block) {
        if (job.block.s.includes('[^')) for (const b of splitFootnoteDefinitions(job.block)) this.scan(b, false);
        else this.scan(job.block, false);
      }
    }
  }

  // -------------------------------------------------------------------------
  // Fences

  private fence(tok: Token, map: [number, number], containers: ContainerKind[], quotes: number, mdLines: number): void {
    const [s, e] = map;
    const plines = this.plines;
    const line = plines[s] ?? '';
    const markup = tok.markup;
    const col = Math.max(0, line.indexOf(markup));
    // markdown-it ends every content line with `\n`, except a last line at the
    // end of input (and an empty one there leaves no trace at all).
    const meta = tok.meta as FenceMeta;
    const contentLines = meta.lines;
    const lastLineEmpty = contentLines === 0 || meta.endsWithLf;
    const closed = e - s - 2 === contentLines && e - 1 > s && isFenceCloser(this.mlines[e - 1] ?? '', markup);
    // End as micromark puts it: the closing line's end; for an unclosed fence,
    // the end of the piece (the start of its last line when no code is on it);
    // or, where a container ends it, the start of the next line when that line
    // opens a new container, else the end of the fence's last line (the next
    // line is "lazy").
    let end: Pos;
    if (closed) end = this.at(e - 1, (plines[e - 1] ?? '').length);
    else if (e >= mdLines || !containers.length) {
      const last = plines.length - 1;
      const ll = plines[last] ?? '';
      if (last <= s) end = this.at(last, ll.length);
      else if (isBlank(ll)) {
        // A blank last line is lazy to a block quote; in a list item, code only past the item's indent.
        if (quotes > 0) end = this.at(last - 1, (plines[last - 1] ?? '').length);
        else if (!containers.length || leading(ll).width > col) end = this.at(last, ll.length);
        else end = this.at(last, 0);
      } else end = this.at(last, lastLineEmpty ? 0 : ll.length);
    } else if (opensContainer(plines[e] ?? '', quotes)) end = this.at(e, 0);
    else end = this.at(e - 1, (plines[e - 1] ?? '').length);
    const start = this.at(s, col);
    const lines = this.prep.lines;
    const sl = start.line;
    const el = end.line;
    const fenceCol = start.character;
    const firstContent = sl + 1;
    const lastContent = closed ? el - 1 : el;
    const openEnd: Pos = { line: sl, character: (lines[sl] ?? '').length };
    const contentRange: Range =
      lastContent >= firstContent
        ? {
            // Where the content starts: after the fence's indentation, or earlier on a less indented line.
            start: { line: firstContent, character: Math.min(fenceCol, leadingQuoteSpace(lines[firstContent] ?? '')) },
            end: { line: lastContent, character: (lines[lastContent] ?? '').length },
          }
        : { start: openEnd, end: openEnd };
    const info = fenceInfo(tok.info);
    const lang = fenceLang(info);
    let content = keepsFenceContent(lang) ? tok.content : '';
    if (content.endsWith('\n')) content = content.slice(0, -1);
    if (this.masked && content) {
      const parts = content.split('\n');
      for (let k = 0; k < parts.length; k++) {
        const pl = s + 1 + k;
        if (!this.masked.has(pl)) continue;
        const l = plines[pl] ?? '';
        if (parts[k].length <= l.length) parts[k] = l.slice(l.length - parts[k].length);
      }
      content = parts.join('\n');
    }
    const fence: Fence = { lang, info, range: { start, end }, contentRange, content, closed };
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

  // -------------------------------------------------------------------------
  // Headings

  private headingRange(tok: Token, map: [number, number], content: string): Range {
    const plines = this.plines;
    const s = map[0];
    const e = map[1] - 1;
    const first = plines[s] ?? '';
    let col: number;
    if (tok.markup === '=' || tok.markup === '-') {
      const nl = content.indexOf('\n');
      const part = nl < 0 ? content : content.slice(0, nl);
      const t = nl < 0 ? first.trimEnd() : first;
      col = part && t.endsWith(part) ? t.length - part.length : contentStart(first);
    } else col = Math.max(0, first.indexOf('#'));
    return { start: this.at(s, col), end: this.at(e, (plines[e] ?? '').length) };
  }

  private atxText(content: string, line: number): BlockText | null {
    if (!content) return null;
    const l = this.plines[line] ?? '';
    let h = l.indexOf('#');
    while (l.charCodeAt(h) === 35) h++;
    let col = l.indexOf(content, h);
    if (col < 0) col = h;
    return { s: l.slice(col, col + content.length), lines: [line], cols: [col], offs: [0] };
  }

  /** Lines `from..to-1` of a paragraph whose markdown-it content is `content`. */
  private paragraphText(content: string, from: number, to: number): BlockText | null {
    const count = to - from;
    if (count <= 0) return null;
    // Usually markdown-it's content is exactly the lines' text after their
    // container prefixes: find where each line starts and use it as is.
    const lines = new Array<number>(count);
    const cols = new Array<number>(count);
    const offs = new Array<number>(count);
    let p = 0;
    for (let k = 0; k < count; k++) {
      const pl = from + k;
      const last = k === count - 1;
      const nl = last ? content.length : content.indexOf('\n', p);
      if (nl < 0) return this.paragraphTextSlow(content, from, to);
      const ml = this.mlines[pl] ?? '';
      let end = ml.length;
      if (last) {
        const c = ml.charCodeAt(end - 1);
        if (c <= 32 || c >= 128) end = ml.trimEnd().length;
      }
      const col = end - (nl - p);
      if (col < 0 || (this.masked && this.masked.has(pl)) || !sameText(ml, col, content, p, nl - p)) return this.paragraphTextSlow(content, from, to);
      lines[k] = pl;
      cols[k] = col;
      offs[k] = p;
      p = nl + 1;
    }
    // One line: the same characters sliced from the page line rather than from markdown-it's copy of the
    // whole piece, so that the strings a document keeps (link targets, texts) do not hold that copy alive.
    return { s: count === 1 && !this.masked ? this.mlines[from].slice(cols[0], cols[0] + content.length) : content, lines, cols, offs };
  }

  /** paragraphText when the content is not the lines' text as is (tabs, masked footnotes). */
  private paragraphTextSlow(content: string, from: number, to: number): BlockText | null {
    const count = to - from;
    let parts = content.split('\n');
    if (parts.length !== count) {
      // Not expected; read the lines after their container prefixes.
      parts = [];
      for (let k = 0; k < count; k++) {
        const l = this.mlines[from + k] ?? '';
        parts.push(l.slice(contentStart(l)));
      }
    }
    const lines: number[] = [];
    const cols: number[] = [];
    const offs: number[] = [];
    let s = '';
    for (let k = 0; k < count; k++) {
      const pl = from + k;
      const src = this.plines[pl] ?? '';
      const ml = this.mlines[pl] ?? '';
      const part = parts[k];
      let col: number;
      const t = k === count - 1 ? ml.trimEnd() : ml;
      if (t.endsWith(part)) col = t.length - part.length;
      else {
        const p2 = part.trimStart();
        col = t.endsWith(p2) ? t.length - p2.length : ml.indexOf(p2);
        if (col < 0) col = contentStart(ml);
      }
      // A masked footnote definition: start the block at its `[`.
      if (this.masked && this.masked.get(pl) === col - 2) col -= 2;
      if (k) s += '\n';
      lines.push(pl);
      cols.push(col);
      offs.push(s.length);
      s += src.slice(col, t.length);
    }
    return { s, lines, cols, offs };
  }

  // -------------------------------------------------------------------------
  // Tables: split rows on unescaped pipes ourselves (micromark keeps cells
  // markdown-it drops, and cell text must be read from the source).

  private tableRow(line: number): void {
    const l = this.plines[line] ?? '';
    if (!MAYBE_INLINE.test(l)) {
      // Plain cells: only words (pipes apart) and placeholders.
      this.doc.wordCount += countWords(l, undefined, 124);
      if (this.maybePlaceholders && MAYBE_PLACEHOLDER.test(l)) {
        for (const f of findPlaceholdersInLine(l)) this.doc.placeholders.push({ text: f.text, range: { start: this.at(line, f.start), end: this.at(line, f.end) } });
      }
      return;
    }
    let i = contentStart(l);
    const n = l.length;
    if (l.charCodeAt(i) === 124) i++;
    let cellStart = i;
    for (; i <= n; i++) {
      const c = l.charCodeAt(i);
      if (c === 92 && l.charCodeAt(i + 1) === 124) {
        i++;
        continue;
      }
      if (c === 124 || i === n) {
        let a = cellStart;
        let b = i;
        cellStart = i + 1;
        while (a < b && isSpaceOrEol(l.charCodeAt(a))) a++;
        while (b > a && isSpaceOrEol(l.charCodeAt(b - 1))) b--;
        if (b > a) this.scan({ s: l.slice(a, b), lines: [line], cols: [a], offs: [0] }, false);
      }
    }
  }

  // -------------------------------------------------------------------------
  // HTML blocks

  private htmlBlock(tok: Token, map: [number, number]): void {
    const plines = this.plines;
    const s = map[0];
    const e = map[1] - 1;
    if (!TAG_HINT.test(tok.content)) return;
    const nl = tok.content.indexOf('\n');
    const firstContent = nl < 0 ? tok.content : tok.content.slice(0, nl);
    const l0 = plines[s] ?? '';
    let col = l0.endsWith(firstContent) ? l0.length - firstContent.length : contentStart(l0);
    if (col < 0) col = 0;
    const raw = [l0.slice(col), ...plines.slice(s + 1, e + 1)].join('\n');
    if (!TAG_HINT.test(raw)) return;
    const found = htmlLinks(raw);
    const toPos = (o: number): Pos => {
      let line = s;
      let c = col;
      let last = 0;
      for (let i = raw.indexOf('\n'); i >= 0 && i < o; i = raw.indexOf('\n', i + 1)) {
        line++;
        c = 0;
        last = i + 1;
      }
      return this.at(line, c + (o - last));
    };
    for (const f of found) {
      this.doc.links.push({
        kind: 'html',
        target: f.target,
        text: f.text,
        range: { start: toPos(f.start), end: toPos(f.end) },
        targetRange: { start: toPos(f.tStart), end: toPos(f.tEnd) },
      });
    }
  }

  // -------------------------------------------------------------------------
  // Definitions open paragraphs (markdown-it's own rule is off, so that what
  // follows them continues the paragraph, as in micromark).

  /** Read the definitions a block opens with; the rest of the block, or null when nothing is left. */
  private leadingDefinitions(b: BlockText): BlockText | null {
    const s = b.s;
    if (s.charCodeAt(0) !== 91 || s.charCodeAt(1) === 94) return b;
    let i = 0;
    while (s.charCodeAt(i) === 91) {
      const d = parseDefinition(s, i);
      if (!d) break;
      const id = normalizeIdentifier(s.slice(d.labelStart, d.labelEnd));
      const target = s.slice(d.destStart, d.destEnd);
      this.defined.add(id);
      if (!this.defs.has(id)) this.defs.set(id, { target });
      this.doc.links.push({
        kind: 'definition',
        target,
        text: s.slice(d.labelStart, d.labelEnd),
        // At the end of the block, the definition keeps the line's trailing whitespace.
        range: { start: blockPos(this, b, d.start), end: d.end >= s.length ? this.lineEnd(b, b.lines.length - 1) : blockPos(this, b, d.end) },
        targetRange: { start: blockPos(this, b, d.destStart), end: blockPos(this, b, d.destEnd) },
        label: id,
      });
      const nl = s.indexOf('\n', d.end);
      if (nl < 0) return null;
      i = nl + 1;
      while (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9) i++;
    }
    if (i === 0) return b;
    const k = lineIndexOf(b, i);
    return {
      s: s.slice(i),
      lines: b.lines.slice(k),
      cols: [b.cols[k] + (i - b.offs[k]), ...b.cols.slice(k + 1)],
      offs: [0, ...b.offs.slice(k + 1).map((o) => o - i)],
    };
  }

  private lineEnd(b: BlockText, k: number): Pos {
    const pl = b.lines[k];
    return this.at(pl, (this.plines[pl] ?? '').length);
  }

  /** Public for blockPos. */
  posOf(pl: number, col: number): Pos {
    return this.at(pl, col);
  }

  // -------------------------------------------------------------------------
  // The inline scanner. Returns the block's plain text.

  private scanner: InlineScan | null = null;
  /** Whether the page may have placeholders (per-block search) and footnotes (`[^`). */
  maybePlaceholders = true;
  mayHaveFootnotes = true;

  /** Read one prose block: links, words, placeholders; returns its plain text when `wantText`. */
  private scan(b: BlockText, wantText = true): string {
    const doc = this.doc;
    const src = b.s;
    if (!MAYBE_INLINE.test(src)) {
      // Nothing but text: no scanner needed.
      doc.wordCount += countWords(src);
      if (this.maybePlaceholders && MAYBE_PLACEHOLDER.test(src)) this.placeholders(b, null);
      return wantText ? (src.includes('\n') ? src.replace(SOFT_BREAK, softBreak) : src) : '';
    }
    if (!wantText && !MAYBE_LINK_OR_LITERAL.test(src) && !(this.maybePlaceholders && MAYBE_PLACEHOLDER.test(src))) {
      // Text and emphasis only (`**`, `_`, `~~`): emphasis removes no whitespace and no letter or digit, so the words
      // are those of the source; nothing else of such a block is kept.
      doc.wordCount += countWords(src);
      return '';
    }
    const sc = (this.scanner ??= new InlineScan());
    sc.reset(src, this.defined, this.footnotes);
    sc.run();
    for (const l of sc.links) {
      const link: Link = {
        kind: l.kind,
        target: l.target,
        text: l.text,
        range: { start: blockPos(this, b, l.start), end: blockPos(this, b, l.end) },
        targetRange: { start: blockPos(this, b, l.tStart), end: blockPos(this, b, l.tEnd) },
      };
      if (l.label !== undefined) link.label = l.label;
      doc.links.push(link);
      if (l.kind === 'reference' || (l.kind === 'image' && l.label !== undefined)) this.refs.push({ link, identifier: l.label! });
    }
    for (const h of sc.htmls) {
      if (h.start === h.end) continue;
      // Multi-line inline HTML: read it as the full path does, with container prefixes.
      const raw = this.rawOf(b, h.start, h.end);
      if (!TAG_HINT.test(raw)) continue;
      for (const f of htmlLinks(raw, true)) {
        let text = f.text;
        let end = this.rawPos(b, h.start, raw, f.end);
        // `<a href>` as inline HTML: its text and `</a>` are the following siblings.
        const close = f.openA ? sc.closingA(h) : null;
        if (close) {
          end = blockPos(this, b, close.end);
          text = close.text;
        }
        doc.links.push({
          kind: 'html',
          target: f.target,
          text,
          range: { start: this.rawPos(b, h.start, raw, f.start), end },
          targetRange: { start: this.rawPos(b, h.start, raw, f.tStart), end: this.rawPos(b, h.start, raw, f.tEnd) },
        });
      }
    }
    doc.wordCount += sc.wordCount();
    if (this.maybePlaceholders && MAYBE_PLACEHOLDER.test(src)) this.placeholders(b, sc);
    return wantText ? sc.plain() : '';
  }

  private placeholders(b: BlockText, sc: InlineScan | null): void {
    for (let k = 0; k < b.lines.length; k++) {
      const a = b.offs[k];
      const e = k + 1 < b.offs.length ? b.offs[k + 1] - 1 : b.s.length;
      const part = b.s.slice(a, e);
      for (const f of findPlaceholdersInLine(part)) {
        if (sc && sc.inNonText(a + f.start)) continue;
        this.doc.placeholders.push({ text: f.text, range: { start: blockPos(this, b, a + f.start), end: blockPos(this, b, a + f.end) } });
      }
    }
  }

  /** The source between two block offsets, with the container prefixes of the lines between. */
  private rawOf(b: BlockText, a: number, e: number): string {
    const ka = lineIndexOf(b, a);
    const ke = lineIndexOf(b, e);
    if (ka === ke) return b.s.slice(a, e);
    const la = b.lines[ka];
    const le = b.lines[ke];
    const parts: string[] = [];
    parts.push((this.plines[la] ?? '').slice(b.cols[ka] + (a - b.offs[ka])));
    for (let l = la + 1; l < le; l++) parts.push(this.plines[l] ?? '');
    parts.push((this.plines[le] ?? '').slice(0, b.cols[ke] + (e - b.offs[ke])));
    return parts.join('\n');
  }

  private rawPos(b: BlockText, a: number, raw: string, o: number): Pos {
    const ka = lineIndexOf(b, a);
    let line = b.lines[ka];
    let col = b.cols[ka] + (a - b.offs[ka]);
    let last = 0;
    for (let i = raw.indexOf('\n'); i >= 0 && i < o; i = raw.indexOf('\n', i + 1)) {
      line++;
      col = 0;
      last = i + 1;
    }
    return this.at(line, col + (o - last));
  }
}

const FOOTNOTE_START = /^([ \t]*)\[\^(?:[^\]\s[\\]|\\[[\]\\]?)+\]:[ \t]*/;

/**
 * A GFM footnote definition (`[^1]: ...`) interrupts a paragraph and holds its
 * own paragraph: split a paragraph where they start, dropping the `[^1]:`.
 */
function splitFootnoteDefinitions(b: BlockText): BlockText[] {
  const out: BlockText[] = [];
  let cur: BlockText | null = null;
  let inFootnote = false;
  for (let k = 0; k < b.lines.length; k++) {
    const a = b.offs[k];
    const e = k + 1 < b.offs.length ? b.offs[k + 1] - 1 : b.s.length;
    const line = b.s.slice(a, e);
    const m = line.includes('[^') ? FOOTNOTE_START.exec(line) : null;
    let from = a;
    if (m && (k === 0 || inFootnote || m[1].length <= 3)) {
      if (cur) out.push(cur);
      cur = null;
      inFootnote = true;
      from = a + m[0].length;
    }
    if (!cur) cur = { s: '', lines: [], cols: [], offs: [] };
    else cur.s += '\n';
    cur.lines.push(b.lines[k]);
    cur.cols.push(b.cols[k] + (from - a));
    cur.offs.push(cur.s.length);
    cur.s += b.s.slice(from, e);
  }
  if (cur) out.push(cur);
  return out;
}

const THEMATIC_BREAK = /^ {0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}$/;
const CONTAINER_START = /^ {0,3}(?:>|[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|\[\^[^\]\s]+\]:)/;

/** Whether `line`, past `quotes` block-quote markers, starts a block quote, list item or footnote definition. */
function opensContainer(line: string, quotes: number): boolean {
  let i = 0;
  for (let q = 0; q < quotes; q++) {
    let j = i;
    while (j < line.length && j - i < 3 && line.charCodeAt(j) === 32) j++;
    if (line.charCodeAt(j) !== 62) break;
    i = j + 1;
    if (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9) i++;
  }
  const rest = line.slice(i);
  return CONTAINER_START.test(rest) && !THEMATIC_BREAK.test(rest);
}

/** Whether a line (with its container prefix) closes a fence opened with `markup`. */
function isFenceCloser(line: string, markup: string): boolean {
  const m = /^[ \t>]*?( {0,3})(`{3,}|~{3,})[ \t]*$/.exec(line);
  return !!m && m[2][0] === markup[0] && m[2].length >= markup.length;
}

/** Length of the leading run of spaces, tabs and `>`. */
function leadingQuoteSpace(l: string): number {
  let i = 0;
  while (i < l.length) {
    const c = l.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 62) break;
    i++;
  }
  return i;
}

/** Whether `a` from `ai` and `b` from `bi` agree for `n` characters. */
function sameText(a: string, ai: number, b: string, bi: number, n: number): boolean {
  if (ai + n > a.length) return false;
  for (let i = 0; i < n; i++) if (a.charCodeAt(ai + i) !== b.charCodeAt(bi + i)) return false;
  return true;
}

function cover(covered: Uint8Array, map: [number, number]): void {
  for (let i = map[0]; i < map[1] && i < covered.length; i++) covered[i] = 1;
}

function isBlank(l: string | undefined): boolean {
  if (!l) return true;
  for (let i = 0; i < l.length; i++) {
    const c = l.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** Column after block-quote markers, list markers and indentation. */
function contentStart(l: string): number {
  const m = CONTAINER_PREFIX.exec(l);
  return m ? m[0].length : 0;
}

function lineIndexOf(b: BlockText, o: number): number {
  const offs = b.offs;
  if (offs.length === 1) return 0;
  let lo = 0;
  let hi = offs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offs[mid] <= o) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function blockPos(ex: Extractor, b: BlockText, o: number): Pos {
  const k = lineIndexOf(b, o);
  return ex.posOf(b.lines[k], b.cols[k] + (o - b.offs[k]));
}

/** ASCII classes for counting words: 1 whitespace, 2 letter or digit, 0 other. */
const WORD_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) WORD_CLASS[c] = c === 32 || (c >= 9 && c <= 13) ? 1 : (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 2 : 0;

/**
 * Word class of a non-ASCII code unit without building a string: Unicode
 * spaces; punctuation, symbols, arrows, box drawing and emoji (surrogates)
 * are not letters; the rest (Latin, Greek, Cyrillic, CJK, ...) are.
 */
function nonAsciiWordClass(c: number): number {
  if (c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff) return 1;
  if ((c >= 0xa1 && c <= 0xbf) || c === 0xd7 || c === 0xf7 || (c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xd800 && c <= 0xdfff) || (c >= 0xfe00 && c <= 0xfe0f)) return 0;
  return 2;
}

/** Whitespace-separated words with a letter or digit in them, skipping the sorted `[from, to)` ranges in `skip` (and `sep` as a separator). */
function countWords(text: string, skip?: Array<[number, number]>, sep = -1): number {
  let n = 0;
  let inWord = false;
  let wordy = false;
  let k = 0;
  let nextSkip = skip && skip.length ? skip[0][0] : Infinity;
  const len = text.length;
  for (let i = 0; i < len; i++) {
    if (i >= nextSkip) {
      const to = skip![k][1];
      k++;
      nextSkip = k < skip!.length ? skip![k][0] : Infinity;
      if (to > i) {
        if (wordy) n++;
        inWord = wordy = false;
        i = to - 1;
        continue;
      }
    }
    const c = text.charCodeAt(i);
    const cls = c < 128 ? (c === sep ? 1 : WORD_CLASS[c]) : nonAsciiWordClass(c);
    if (cls === 1) {
      if (wordy) n++;
      inWord = wordy = false;
    } else {
      inWord = true;
      if (cls === 2) wordy = true;
    }
  }
  if (inWord && wordy) n++;
  return n;
}

/** `lang meta` as mdast reads an info string: first word, then the rest from its first non-space. */
function fenceInfo(raw: string): string {
  let i = 0;
  while (i < raw.length && isSpaceOrEol(raw.charCodeAt(i))) i++;
  let j = i;
  while (j < raw.length && !isSpaceOrEol(raw.charCodeAt(j))) j++;
  if (j === i) return '';
  const lang = decodeString(raw.slice(i, j));
  let k = j;
  while (k < raw.length && isSpaceOrEol(raw.charCodeAt(k))) k++;
  const meta = k < raw.length ? decodeString(raw.slice(k)) : '';
  return meta ? `${lang} ${meta}` : lang;
}


// ---------------------------------------------------------------------------
// Definitions (micromark's definition construct)

interface Def {
  start: number;
  end: number;
  labelStart: number;
  labelEnd: number;
  destStart: number;
  destEnd: number;
}

function skipWs(s: string, i: number): number {
  while (i < s.length && isSpaceOrEol(s.charCodeAt(i))) i++;
  return i;
}

/** A link label `[...]` at `i`: [inner start, inner end, after]; null when invalid. */
function parseLabel(s: string, i: number): [number, number, number] | null {
  if (s.charCodeAt(i) !== 91) return null;
  let m = i + 1;
  if (s.charCodeAt(m) === 94) return null; // `[^` is a footnote
  let size = 0;
  let seen = false;
  for (;;) {
    const c = s.charCodeAt(m);
    if (size > 999 || c !== c || c === 91) return null;
    if (c === 93) return seen ? [i + 1, m, m + 1] : null;
    if (c === 10) {
      m++;
      continue;
    }
    if (c === 92) {
      const d = s.charCodeAt(m + 1);
      if (d === 91 || d === 92 || d === 93) {
        m += 2;
        size += 2;
        seen = true;
        continue;
      }
    }
    if (!seen && c !== 32 && c !== 9) seen = true;
    size++;
    m++;
  }
}

/** A destination at `i`: [start, end, after] of what is written; null when invalid. */
function parseDestination(s: string, i: number, limit: number): [number, number, number] | null {
  const c0 = s.charCodeAt(i);
  if (c0 === 60) {
    let m = i + 1;
    for (;;) {
      const c = s.charCodeAt(m);
      if (c === 62) return [i + 1, m, m + 1];
      if (c !== c || c === 60 || c === 10 || c === 13) return null;
      if (c === 92) {
        const d = s.charCodeAt(m + 1);
        if (d === 60 || d === 62 || d === 92) {
          m += 2;
          continue;
        }
      }
      m++;
    }
  }
  if (c0 !== c0 || c0 === 32 || c0 === 41 || isAsciiControl(c0)) return null;
  let balance = 0;
  let m = i;
  for (;;) {
    const c = s.charCodeAt(m);
    if (!balance && (c !== c || c === 41 || isSpaceOrEol(c))) return [i, m, m];
    if (balance < limit && c === 40) {
      balance++;
      m++;
      continue;
    }
    if (c === 41) {
      balance--;
      m++;
      continue;
    }
    if (c !== c || c === 32 || c === 40 || isAsciiControl(c)) return null;
    if (c === 92) {
      const d = s.charCodeAt(m + 1);
      if (d === 40 || d === 41 || d === 92) {
        m += 2;
        continue;
      }
    }
    m++;
  }
}

/** A title at `i` (`"..."`, `'...'`, `(...)`): offset after it, or -1. */
function parseTitle(s: string, i: number): number {
  const open = s.charCodeAt(i);
  if (open !== 34 && open !== 39 && open !== 40) return -1;
  const close = open === 40 ? 41 : open;
  for (let m = i + 1; ; m++) {
    const c = s.charCodeAt(m);
    if (c === close) return m + 1;
    if (c !== c) return -1;
    if (c === 92) {
      const d = s.charCodeAt(m + 1);
      if (d === close || d === 92) m++;
    }
  }
}

function parseDefinition(s: string, i: number): Def | null {
  const label = parseLabel(s, i);
  if (!label) return null;
  let m = label[2];
  if (s.charCodeAt(m) !== 58) return null;
  m = skipWs(s, m + 1);
  const dest = parseDestination(s, m, Infinity);
  if (!dest) return null;
  m = dest[2];
  let end = -1;
  // Optional title, preceded by whitespace, followed by only spaces to the line end.
  if (isSpaceOrEol(s.charCodeAt(m))) {
    const t0 = skipWs(s, m);
    const t = parseTitle(s, t0);
    if (t >= 0) {
      let k = t;
      while (s.charCodeAt(k) === 32 || s.charCodeAt(k) === 9) k++;
      const c = s.charCodeAt(k);
      if (c !== c || c === 10) end = k;
    }
  }
  if (end < 0) {
    let k = m;
    while (s.charCodeAt(k) === 32 || s.charCodeAt(k) === 9) k++;
    const c = s.charCodeAt(k);
    if (c === c && c !== 10) return null;
    end = k;
  }
  return { start: i, end, labelStart: label[0], labelEnd: label[1], destStart: dest[0], destEnd: dest[1] };
}

// ---------------------------------------------------------------------------
// HTML links: `href` of `<a>` and `src` of `<img>` (comments masked)

interface FoundHtml {
  target: string;
  text: string;
  start: number;
  end: number;
  tStart: number;
  tEnd: number;
  /** An `<a>` with no `</a>` in this raw text, ending it. */
  openA: boolean;
}

function htmlLinks(raw: string, inline = false): FoundHtml[] {
  const out: FoundHtml[] = [];
  if (!TAG_HINT.test(raw)) return out;
  const src = maskComments(raw);
  TAG.lastIndex = 0;
  for (let m = TAG.exec(src); m; m = TAG.exec(src)) {
    const name = m[1].toLowerCase();
    const tag = readTag(src, m.index + m[0].length);
    const attr = tag.attrs.find((t) => t.name === (name === 'a' ? 'href' : 'src'));
    TAG.lastIndex = tag.end;
    if (!attr) continue;
    let end = tag.end;
    let text = '';
    let openA = false;
    if (name === 'img') text = tag.attrs.find((t) => t.name === 'alt')?.value ?? '';
    else {
      CLOSE_A.lastIndex = tag.end;
      const c = CLOSE_A.exec(src);
      if (c) {
        text = src
          .slice(tag.end, c.index)
          .replace(/<[^>]*>/g, '')
          .replace(/\s+/g, ' ')
          .trim();
        end = c.index + c[0].length;
      } else if (inline && tag.end >= src.length) openA = true;
    }
    out.push({ target: raw.slice(attr.start, attr.end), text, start: m.index, end, tStart: attr.start, tEnd: attr.end, openA });
  }
  return out;
}

// ---------------------------------------------------------------------------
// The inline scanner (micromark's text constructs)

interface FoundLink {
  kind: LinkKind;
  target: string;
  text: string;
  start: number;
  end: number;
  tStart: number;
  tEnd: number;
  label?: string;
}

const HTML_CLOSE_A = /^<\/a\s*>$/i;
const HTML_A = /^<\/?a[\s>]/i;

class InlineScan {
  links: FoundLink[] = [];
  htmls: HtmlItem[] = [];
  /** Plain-text fragments: a string, or (for text runs) the source range `fa..fb` (`fb` -1 otherwise). */
  private frags: string[] = [];
  private kinds: number[] = [];
  private fa: number[] = [];
  private fb: number[] = [];
  private delims: Delim[] = [];
  private openers: Opener[] = [];
  /** Children ranges of emphasis and links: [start, end). */
  private spans: Array<[number, number]> = [];
  /** Ranges that are not prose text (code, HTML, destinations). */
  private nonText: Array<[number, number]> = [];
  private s = '';
  private n = 0;
  private textFrom = 0;
  private noCloser: number[] = [];
  private defined: Set<string> = new Set();
  private footnotes: Set<string> = new Set();
  private hasAt = false;
  private hasProtocol = false;
  private hasWww = false;

  /** Ready the scanner for a new block (it is reused across blocks). */
  reset(s: string, defined: Set<string>, footnotes: Set<string>): void {
    this.s = s;
    this.n = s.length;
    this.defined = defined;
    this.footnotes = footnotes;
    // Fresh arrays are cheaper than truncating (`length = 0` is a runtime call).
    if (this.links.length) this.links = [];
    if (this.htmls.length) this.htmls = [];
    if (this.frags.length) {
      this.frags = [];
      this.kinds = [];
      this.fa = [];
      this.fb = [];
    }
    if (this.delims.length) this.delims = [];
    if (this.openers.length) this.openers = [];
    if (this.spans.length) this.spans = [];
    if (this.nonText.length) this.nonText = [];
    if (this.noCloser.length) this.noCloser = [];
    this.textFrom = 0;
    this.hasAt = s.includes('@');
    this.hasProtocol = s.includes('://');
    // A cheap superset; www() checks the rest.
    this.hasWww = s.includes('w.') || s.includes('W.');
  }

  private flush(i: number): void {
    if (i > this.textFrom) {
      this.frags.push('');
      this.kinds.push(FRAG_TEXT);
      this.fa.push(this.textFrom);
      this.fb.push(i);
    }
  }

  /** A fragment whose text is the source `a..b` (until changed). */
  private pushRange(a: number, b: number, kind: number): number {
    this.frags.push('');
    this.kinds.push(kind);
    this.fa.push(a);
    this.fb.push(b);
    return this.frags.length - 1;
  }

  private push(text: string, kind: number): number {
    this.frags.push(text);
    this.kinds.push(kind);
    this.fa.push(0);
    this.fb.push(-1);
    return this.frags.length - 1;
  }

  run(): void {
    const s = this.s;
    const n = this.n;
    const auto = this.hasAt || this.hasProtocol || this.hasWww;
    let i = 0;
    this.textFrom = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c >= 128) {
        i++;
        continue;
      }
      if (SPECIAL[c]) {
        const next = this.special(c, i);
        if (next >= 0) {
          i = next;
          this.textFrom = i;
          continue;
        }
      }
      if (auto && isGfmAtext(c)) {
        // GFM literal autolinks (tried before emphasis, as micromark does), only where no label is open.
        if (this.openers.length === 0) {
          const prev = i > 0 ? s.charCodeAt(i - 1) : NaN;
          let end = -1;
          if (this.hasAt && !(prev === 47 || isGfmAtext(prev))) end = this.email(i);
          if (end < 0 && (c === 104 || c === 72) && this.hasProtocol && !isAsciiAlpha(prev)) end = this.protocol(i);
          else if (end < 0 && (c === 119 || c === 87) && this.hasWww && previousWww(prev)) end = this.www(i);
          if (end > i) {
            this.flush(i);
            const url = s.slice(i, end);
            this.push(url, FRAG_TEXT);
            this.links.push({ kind: 'autolink', target: url, text: url, start: i, end, tStart: i, tEnd: end });
            i = end;
            this.textFrom = i;
            continue;
          }
        }
      }
      if (c === 95) {
        i = this.delimiter(c, i);
        this.textFrom = i;
        continue;
      }
      i++;
    }
    this.flush(n);
    this.textFrom = n;
    this.processEmphasis(0);
  }

  /** Handle a special character at `i`; returns the next offset, or -1 to treat it as text. */
  private special(c: number, i: number): number {
    const s = this.s;
    switch (c) {
      case 92: {
        // `\`
        const d = s.charCodeAt(i + 1);
        if (d === d && isAsciiPunct(d)) {
          this.flush(i);
          this.push(s[i + 1], FRAG_TEXT);
          return i + 2;
        }
        if (d === 10) {
          this.flush(i);
          this.push('', FRAG_TEXT);
          let j = i + 2;
          while (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9) j++;
          return j;
        }
        return -1;
      }
      case 10: {
        // Line ending: trailing spaces before it and indentation after it are not text.
        let t = i;
        while (t > this.textFrom && (s.charCodeAt(t - 1) === 32 || s.charCodeAt(t - 1) === 9)) t--;
        const hard = i - t >= 2 && s.charCodeAt(i - 1) === 32 && s.charCodeAt(i - 2) === 32;
        this.flush(t);
        this.push(hard ? '' : '\n', FRAG_TEXT);
        let j = i + 1;
        while (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9) j++;
        return j;
      }
      case 96:
        return this.codeSpan(i);
      case 60: {
        // `<`: autolink, then raw HTML.
        const a = this.autolink(i);
        if (a > 0) {
          this.flush(i);
          const target = s.slice(i + 1, a - 1);
          this.push(target, FRAG_TEXT);
          this.links.push({ kind: 'autolink', target, text: target, start: i, end: a, tStart: i + 1, tEnd: a - 1 });
          return a;
        }
        const h = htmlText(s, i);
        if (h > 0) {
          this.flush(i);
          this.push(s.slice(i, h), FRAG_HTML);
          this.htmls.push({ start: i, end: h, raw: s.slice(i, h), parent: -1 });
          this.nonText.push([i, h]);
          return h;
        }
        return -1;
      }
      case 38: {
        // `&`: character reference.
        ENTITY.lastIndex = i;
        const m = ENTITY.exec(s);
        if (!m) return -1;
        const decoded = decodeString(m[0]);
        if (decoded === m[0]) return -1;
        this.flush(i);
        this.push(decoded, FRAG_TEXT);
        return i + m[0].length;
      }
      case 42:
        return this.delimiter(c, i);
      case 95:
        return -1; // after the e-mail autolink attempt, in run()
      case 126:
        return this.tilde(i);
      case 33:
        if (s.charCodeAt(i + 1) !== 91) return -1;
        this.flush(i);
        this.openers.push({
          image: true,
          start: i,
          textStart: i + 2,
          frag: this.push('![', FRAG_TEXT),
          delimBottom: this.delims.length,
          linkCount: this.links.length,
          htmlCount: this.htmls.length,
          active: true,
        });
        return i + 2;
      case 91: {
        if (s.charCodeAt(i + 1) === 94 && this.footnotes.size) {
          const close = footnoteCall(s, i);
          if (close > 0 && this.footnotes.has(normalizeIdentifier(s.slice(i + 2, close - 1)))) {
            this.flush(i);
            this.push('', FRAG_TEXT);
            return close;
          }
        }
        this.flush(i);
        this.openers.push({
          image: false,
          start: i,
          textStart: i + 1,
          frag: this.push('[', FRAG_TEXT),
          delimBottom: this.delims.length,
          linkCount: this.links.length,
          htmlCount: this.htmls.length,
          active: true,
        });
        return i + 1;
      }
      case 93:
        return this.labelEnd(i);
    }
    return -1;
  }

  private codeSpan(i: number): number {
    const s = this.s;
    let j = i;
    while (s.charCodeAt(j) === 96) j++;
    const len = j - i;
    if ((this.noCloser[len] ?? Infinity) <= j) {
      this.flush(i);
      this.push(s.slice(i, j), FRAG_TEXT);
      return j;
    }
    let k = j;
    for (;;) {
      k = s.indexOf('`', k);
      if (k < 0) break;
      let m = k;
      while (s.charCodeAt(m) === 96) m++;
      if (m - k === len) {
        this.flush(i);
        // As mdast keeps it: line endings stay; one space (or line ending) of padding goes.
        let v = s.slice(j, k);
        if (v.length >= 2 && (v[0] === ' ' || v[0] === '\n') && (v[v.length - 1] === ' ' || v[v.length - 1] === '\n') && /[^ \n]/.test(v)) v = v.slice(1, -1);
        this.push(v, FRAG_CODE);
        this.nonText.push([i, m]);
        return m;
      }
      k = m;
    }
    this.noCloser[len] = Math.min(this.noCloser[len] ?? Infinity, j);
    this.flush(i);
    this.push(s.slice(i, j), FRAG_TEXT);
    return j;
  }

  /** `<scheme:...>` or `<user@host>`: offset after `>`, or -1. */
  private autolink(i: number): number {
    const s = this.s;
    let m = i + 1;
    let c = s.charCodeAt(m);
    if (isAsciiAlpha(c)) {
      m++;
      c = s.charCodeAt(m);
      if (c === 43 || c === 45 || c === 46 || isAsciiAlnum(c)) {
        let size = 1;
        for (;;) {
          c = s.charCodeAt(m);
          if (c === 58) {
            m++;
            for (;;) {
              c = s.charCodeAt(m);
              if (c === 62) return m + 1;
              if (c !== c || c === 32 || c === 60 || isAsciiControl(c)) return -1;
              m++;
            }
          }
          if ((c === 43 || c === 45 || c === 46 || isAsciiAlnum(c)) && size++ < 32) {
            m++;
            continue;
          }
          break;
        }
      }
    } else if (c === 64) return -1;
    // E-mail: atext+ @ label(.label)* >
    for (;;) {
      c = s.charCodeAt(m);
      if (c === 64) break;
      if (c === c && isAsciiAtext(c)) {
        m++;
        continue;
      }
      return -1;
    }
    m++;
    // emailAtSignOrDot (0), emailLabel (1), emailValue (2)
    let state = 0;
    let size = 0;
    for (;;) {
      c = s.charCodeAt(m);
      if (state === 0) {
        if (!isAsciiAlnum(c)) return -1;
        state = 1;
      } else if (state === 1) {
        if (c === 46) {
          m++;
          size = 0;
          state = 0;
        } else if (c === 62) return m + 1;
        else state = 2;
      } else {
        if (!((c === 45 || isAsciiAlnum(c)) && size++ < 63)) return -1;
        m++;
        state = c === 45 ? 2 : 1;
      }
    }
  }

  private email(i: number): number {
    const s = this.s;
    let j = i;
    while (isGfmAtext(s.charCodeAt(j))) j++;
    if (s.charCodeAt(j) !== 64) return -1;
    j++;
    let dot = false;
    let data = false;
    for (;;) {
      const c = s.charCodeAt(j);
      if (c === 46) {
        if (!isAsciiAlnum(s.charCodeAt(j + 1))) break;
        dot = true;
        j++;
        continue;
      }
      if (c === 45 || c === 95 || isAsciiAlnum(c)) {
        data = true;
        j++;
        continue;
      }
      break;
    }
    return data && dot && isAsciiAlpha(s.charCodeAt(j - 1)) ? j : -1;
  }

  private protocol(i: number): number {
    const s = this.s;
    let j = i;
    while (j - i < 5 && isAsciiAlpha(s.charCodeAt(j))) j++;
    if (s.charCodeAt(j) !== 58) return -1;
    const p = s.slice(i, j).toLowerCase();
    if (p !== 'http' && p !== 'https') return -1;
    if (s.charCodeAt(j + 1) !== 47 || s.charCodeAt(j + 2) !== 47) return -1;
    j += 3;
    const c = s.charCodeAt(j);
    if (c !== c || isAsciiControl(c) || isUnicodeWs(c) || isUnicodePunct(c)) return -1;
    const d = this.domain(j);
    return d < 0 ? -1 : this.path(d);
  }

  private www(i: number): number {
    const s = this.s;
    for (let k = 0; k < 3; k++) {
      const c = s.charCodeAt(i + k);
      if (c !== 119 && c !== 87) return -1;
    }
    if (s.charCodeAt(i + 3) !== 46 || i + 4 >= this.n) return -1;
    const d = this.domain(i);
    return d < 0 ? -1 : this.path(d);
  }

  private domain(j: number): number {
    const s = this.s;
    let us = false;
    let usPrev = false;
    let seen = false;
    for (;;) {
      const c = s.charCodeAt(j);
      if (c === 46 || c === 95) {
        if (this.trail(j)) break;
        if (c === 95) us = true;
        else {
          usPrev = us;
          us = false;
        }
        j++;
        continue;
      }
      if (c !== c || isUnicodeWs(c) || (c !== 45 && isUnicodePunct(c))) break;
      seen = true;
      j++;
    }
    return us || usPrev || !seen ? -1 : j;
  }

  private path(j: number): number {
    const s = this.s;
    let open = 0;
    let close = 0;
    for (;;) {
      const c = s.charCodeAt(j);
      if (c === 40) {
        open++;
        j++;
        continue;
      }
      if (c === 41 && close < open) {
        close++;
        j++;
        continue;
      }
      if (c === 33 || c === 34 || c === 38 || c === 39 || c === 41 || c === 42 || c === 44 || c === 46 || c === 58 || c === 59 || c === 60 || c === 63 || c === 93 || c === 95 || c === 126) {
        if (this.trail(j)) return j;
        if (c === 41) close++;
        j++;
        continue;
      }
      if (c !== c || isUnicodeWs(c)) return j;
      j++;
    }
  }

  /** Whether trailing punctuation starting at `j` runs to the end of the link. */
  private trail(j: number): boolean {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(j);
      if (c === 33 || c === 34 || c === 39 || c === 41 || c === 42 || c === 44 || c === 46 || c === 58 || c === 59 || c === 63 || c === 95 || c === 126) {
        j++;
        continue;
      }
      if (c === 38) {
        j++;
        if (!isAsciiAlpha(s.charCodeAt(j))) return false;
        while (isAsciiAlpha(s.charCodeAt(j))) j++;
        if (s.charCodeAt(j) !== 59) return false;
        j++;
        continue;
      }
      if (c === 93) {
        j++;
        const d = s.charCodeAt(j);
        if (d !== d || d === 40 || d === 91 || isUnicodeWs(d)) return true;
        continue;
      }
      return c === 60 || c !== c || isUnicodeWs(c);
    }
  }

  /** A run of `*` or `_`. */
  private delimiter(c: number, i: number): number {
    const s = this.s;
    let j = i;
    while (s.charCodeAt(j) === c) j++;
    const prev = i > 0 ? s.charCodeAt(i - 1) : NaN;
    const next = s.charCodeAt(j);
    const before = classify(prev);
    const after = classify(next);
    const open = after === 0 || (after === 2 && before !== 0) || next === 126;
    const close = before === 0 || (before === 2 && after !== 0) || prev === 126;
    this.flush(i);
    const frag = this.pushRange(i, j, FRAG_DELIM);
    this.delims.push({
      ch: c,
      off: i,
      orig: j - i,
      count: j - i,
      canOpen: c === 42 ? open : open && (before !== 0 || !close),
      canClose: c === 42 ? close : close && (after !== 0 || !open),
      frag,
    });
    return j;
  }

  /** A run of `~` (GFM strikethrough: one or two). */
  private tilde(i: number): number {
    const s = this.s;
    let j = i;
    while (s.charCodeAt(j) === 126) j++;
    this.flush(i);
    if (j - i > 2) {
      this.push(s.slice(i, j), FRAG_TEXT);
      return j;
    }
    const prev = i > 0 ? s.charCodeAt(i - 1) : NaN;
    const before = classify(prev);
    const after = classify(s.charCodeAt(j));
    const frag = this.pushRange(i, j, FRAG_DELIM);
    this.delims.push({
      ch: 126,
      off: i,
      orig: j - i,
      count: j - i,
      canOpen: after === 0 || (after === 2 && before !== 0),
      canClose: before === 0 || (before === 2 && after !== 0),
      frag,
    });
    return j;
  }

  /** `]`: try to close the innermost open label. */
  private labelEnd(i: number): number {
    const s = this.s;
    const op = this.openers[this.openers.length - 1];
    if (!op) return -1;
    if (!op.active) {
      this.openers.pop();
      return -1;
    }
    const j = i + 1;
    const cj = s.charCodeAt(j);
    let end = -1;
    let kind: 'inline' | 'ref' = 'inline';
    let tStart = 0;
    let tEnd = 0;
    let refId = '';
    if (cj === 40) {
      const r = parseResource(s, j);
      if (r) {
        end = r[2];
        tStart = r[0];
        tEnd = r[1];
      }
    }
    if (end < 0) {
      // Whether the label is defined matters only now (no resource): normalize it here.
      const labelId = this.defined.size ? normalizeIdentifier(s.slice(op.textStart, i)) : '';
      const defined = labelId !== '' && this.defined.has(labelId);
      refId = labelId;
      if (cj === 91) {
        const lab = parseLabel(s, j);
        const fullId = lab && this.defined.size ? normalizeIdentifier(s.slice(lab[0], lab[1])) : '';
        if (lab && this.defined.has(fullId)) {
          kind = 'ref';
          end = lab[2];
          tStart = lab[0];
          tEnd = lab[1];
          refId = fullId;
        } else if (defined && s.charCodeAt(j + 1) === 93) {
          kind = 'ref';
          end = j + 2;
          tStart = op.textStart;
          tEnd = i;
        }
      } else if (defined) {
        kind = 'ref';
        end = j;
        tStart = op.textStart;
        tEnd = i;
      }
    }
    if (end < 0) {
      this.openers.pop();
      return -1;
    }
    // A link or image.
    this.flush(i);
    this.textFrom = i;
    this.processEmphasis(op.delimBottom);
    if (op.image) {
      // mdast keeps no children under an image: links inside are gone, and raw HTML is alt text.
      this.links.length = op.linkCount;
      this.htmls.length = op.htmlCount;
      for (let k = op.frag + 1; k < this.kinds.length; k++) if (this.kinds[k] === FRAG_HTML) this.kinds[k] = FRAG_TEXT;
    }
    this.frags[op.frag] = '';
    this.fb[op.frag] = -1;
    const text = this.plainOf(op.frag + 1, this.frags.length);
    this.openers.pop();
    if (!op.image) for (const o of this.openers) if (!o.image) o.active = false;
    this.spans.push([op.textStart, i]);
    this.nonText.push([i, end]);
    const linkKind: LinkKind = op.image ? 'image' : kind === 'inline' ? 'inline' : 'reference';
    const found: FoundLink = { kind: linkKind, target: kind === 'inline' ? s.slice(tStart, tEnd) : '', text, start: op.start, end, tStart, tEnd };
    if (kind === 'ref') found.label = refId;
    this.links.push(found);
    return end;
  }

  private processEmphasis(bottom: number): void {
    const d = this.delims;
    let ci = bottom;
    while (ci < d.length) {
      const closer = d[ci];
      if (!closer.canClose || closer.count === 0) {
        ci++;
        continue;
      }
      let found = -1;
      for (let oi = ci - 1; oi >= bottom; oi--) {
        const o = d[oi];
        if (o.ch !== closer.ch || !o.canOpen || o.count === 0) continue;
        if (closer.ch === 126) {
          if (o.count === closer.count) {
            found = oi;
            break;
          }
          continue;
        }
        if ((o.canClose || closer.canOpen) && closer.count % 3 !== 0 && (o.count + closer.count) % 3 === 0) continue;
        found = oi;
        break;
      }
      if (found < 0) {
        if (!closer.canOpen) d.splice(ci, 1);
        else ci++;
        continue;
      }
      const o = d[found];
      const use = closer.ch === 126 ? o.count : o.count > 1 && closer.count > 1 ? 2 : 1;
      o.count -= use;
      closer.count -= use;
      this.spans.push([o.off + o.orig, closer.off]);
      this.frags[o.frag] = String.fromCharCode(o.ch).repeat(o.count);
      this.fb[o.frag] = -1;
      this.frags[closer.frag] = String.fromCharCode(closer.ch).repeat(closer.count);
      this.fb[closer.frag] = -1;
      // Delimiters between are done.
      d.splice(found + 1, ci - found - 1);
      ci = found + 1;
      if (o.count === 0) {
        d.splice(found, 1);
        ci--;
      }
    }
    d.length = bottom;
  }

  private plainOf(a: number, b: number): string {
    let out = '';
    const f = this.frags;
    const k = this.kinds;
    const fa = this.fa;
    const fb = this.fb;
    for (let i = a; i < b; i++) {
      if (k[i] === FRAG_HTML) continue;
      out += fb[i] >= 0 ? this.s.slice(fa[i], fb[i]) : f[i];
    }
    return out;
  }

  plain(): string {
    return this.plainOf(0, this.frags.length);
  }

  /** Words of the block's text, without code, raw HTML and destinations. */
  wordCount(): number {
    const skip = this.nonText;
    if (skip.length > 1) skip.sort((a, b) => a[0] - b[0]);
    return countWords(this.s, skip);
  }

  inNonText(o: number): boolean {
    for (const [a, b] of this.nonText) if (o >= a && o < b) return true;
    return false;
  }

  private parentOf(a: number, b: number): number {
    let best = -1;
    let bestLen = Infinity;
    for (let k = 0; k < this.spans.length; k++) {
      const [x, y] = this.spans[k];
      if (x <= a && b <= y && y - x < bestLen) {
        best = k;
        bestLen = y - x;
      }
    }
    return best;
  }

  /** For an inline `<a ...>`, the sibling `</a>` the full path would find (same parent, no other `<a` between). */
  closingA(h: HtmlItem): { end: number; text: string } | null {
    const idx = this.htmls.indexOf(h);
    const parent = this.parentOf(h.start, h.end);
    for (let k = idx + 1; k < this.htmls.length; k++) {
      const o = this.htmls[k];
      if (this.parentOf(o.start, o.end) !== parent) continue;
      if (HTML_CLOSE_A.test(o.raw)) {
        const text = this.s
          .slice(h.end, o.start)
          .replace(/<[^>]*>/g, '')
          .replace(/\s+/g, ' ')
          .trim();
        return { end: o.end, text };
      }
      if (HTML_A.test(o.raw)) return null;
    }
    return null;
  }
}

const SPECIAL = new Uint8Array(128);
for (const ch of '\\\n`<&*_~![]') SPECIAL[ch.charCodeAt(0)] = 1;

function previousWww(c: number): boolean {
  return c !== c || c === 40 || c === 42 || c === 95 || c === 91 || c === 93 || c === 126 || isSpaceOrEol(c);
}

/** `(dest "title")` at the `(` at `j`: [dest start, dest end, after `)`]; null when not a resource. */
function parseResource(s: string, j: number): [number, number, number] | null {
  let k = skipWs(s, j + 1);
  if (s.charCodeAt(k) === 41) return [k, k, k + 1];
  const d = parseDestination(s, k, 32);
  if (!d) return null;
  k = d[2];
  if (isSpaceOrEol(s.charCodeAt(k))) {
    k = skipWs(s, k);
    const c = s.charCodeAt(k);
    if (c === 34 || c === 39 || c === 40) {
      const t = parseTitle(s, k);
      if (t < 0) return null;
      k = skipWs(s, t);
    }
  }
  return s.charCodeAt(k) === 41 ? [d[0], d[1], k + 1] : null;
}

/** Raw inline HTML at `i` (micromark's html-text): offset after it, or -1. */
function htmlText(s: string, i: number): number {
  let m = i + 1;
  let c = s.charCodeAt(m);
  if (c === 33) {
    // `<!`
    m++;
    c = s.charCodeAt(m);
    if (c === 45) {
      if (s.charCodeAt(m + 1) !== 45) return -1;
      m += 2;
      // commentEnd / commentClose / comment
      if (s.charCodeAt(m) === 62) return m + 1; // `<!-->`
      if (s.charCodeAt(m) === 45 && s.charCodeAt(m + 1) === 62) return m + 2; // `<!--->`
      const close = s.indexOf('-->', m);
      return close < 0 ? -1 : close + 3;
    }
    if (c === 91) {
      if (s.slice(m + 1, m + 7) !== 'CDATA[') return -1;
      const close = s.indexOf(']]>', m + 7);
      return close < 0 ? -1 : close + 3;
    }
    if (isAsciiAlpha(c)) {
      const close = s.indexOf('>', m);
      return close < 0 ? -1 : close + 1;
    }
    return -1;
  }
  if (c === 63) {
    const close = s.indexOf('?>', m + 1);
    return close < 0 ? -1 : close + 2;
  }
  if (c === 47) {
    m++;
    if (!isAsciiAlpha(s.charCodeAt(m))) return -1;
    m++;
    while (s.charCodeAt(m) === 45 || isAsciiAlnum(s.charCodeAt(m))) m++;
    while (isSpaceOrEol(s.charCodeAt(m))) m++;
    return s.charCodeAt(m) === 62 ? m + 1 : -1;
  }
  if (!isAsciiAlpha(c)) return -1;
  m++;
  while (s.charCodeAt(m) === 45 || isAsciiAlnum(s.charCodeAt(m))) m++;
  c = s.charCodeAt(m);
  if (!(c === 47 || c === 62 || isSpaceOrEol(c))) return -1;
  // tagOpenBetween
  for (;;) {
    c = s.charCodeAt(m);
    if (c === 47) return s.charCodeAt(m + 1) === 62 ? m + 2 : -1;
    if (c === 62) return m + 1;
    if (isSpaceOrEol(c)) {
      m++;
      continue;
    }
    if (!(c === 58 || c === 95 || isAsciiAlpha(c))) return -1;
    // attribute name
    m++;
    while (s.charCodeAt(m) === 45 || s.charCodeAt(m) === 46 || s.charCodeAt(m) === 58 || s.charCodeAt(m) === 95 || isAsciiAlnum(s.charCodeAt(m))) m++;
    // tagOpenAttributeNameAfter
    while (isSpaceOrEol(s.charCodeAt(m))) m++;
    if (s.charCodeAt(m) !== 61) continue; // back to tagOpenBetween
    m++;
    while (isSpaceOrEol(s.charCodeAt(m))) m++;
    c = s.charCodeAt(m);
    if (c !== c || c === 60 || c === 61 || c === 62 || c === 96) return -1;
    if (c === 34 || c === 39) {
      const close = s.indexOf(String.fromCharCode(c), m + 1);
      if (close < 0) return -1;
      m = close + 1;
      c = s.charCodeAt(m);
      if (!(c === 47 || c === 62 || isSpaceOrEol(c))) return -1;
      continue;
    }
    // unquoted
    m++;
    for (;;) {
      c = s.charCodeAt(m);
      if (c !== c || c === 34 || c === 39 || c === 60 || c === 61 || c === 96) return -1;
      if (c === 47 || c === 62 || isSpaceOrEol(c)) break;
      m++;
    }
  }
}

/** A GFM footnote call `[^label]` at `i`: offset after `]`, or -1. */
function footnoteCall(s: string, i: number): number {
  let m = i + 2;
  let size = 0;
  for (;;) {
    const c = s.charCodeAt(m);
    if (c !== c || c === 91 || isSpaceOrEol(c) || size > 999) return -1;
    if (c === 93) return size ? m + 1 : -1;
    if (c === 92) {
      const d = s.charCodeAt(m + 1);
      if (d === 91 || d === 92 || d === 93) {
        m += 2;
        size += 2;
        continue;
      }
    }
    m++;
    size++;
  }
}
