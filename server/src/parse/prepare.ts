/**
 * What every Markdown parser in this project sees: the page with its YAML
 * frontmatter blanked out and the indented bodies of Python-Markdown block
 * extensions (admonitions `!!!`, details `???`, content tabs `===`) dedented,
 * so that CommonMark parsers read those bodies as Markdown instead of as
 * indented code. Lines are never added or removed; `shift[line]` says how
 * many leading characters were removed from a line, so a position found in
 * the prepared text maps back to the page by adding it.
 */
import { parseDocument, isMap, isScalar, type Pair } from 'yaml';
import type { Frontmatter, FrontmatterEntry, ParseProblem, Range, Suppression } from './types.ts';
import { readSimpleFrontmatter } from './simple-frontmatter.ts';

export interface Prepared {
  /** The page's lines, `\r` removed. */
  lines: readonly string[];
  /** The prepared lines (same count). */
  prepared: string[];
  /** Characters removed from the start of each prepared line (negative where spaces were added). */
  shift: Int32Array;
  /** Lines where a container ended while a code fence opened inside it was
   * still open. Once dedented, nothing else would end that fence, so parsers
   * read the prepared text as separate pieces split at these lines. Ascending. */
  fenceCuts: number[];
  frontmatter?: Frontmatter;
  problems: ParseProblem[];
  suppressions: Suppression[];
  /**
   * Closed fences (not Mermaid) as `[open, close]` line pairs, flat, whose
   * content lines no parser needs to read: markdown-it is shown those lines
   * empty (see `quiet`), and the fast path checks it still reads the same
   * fence there. Undefined when there are none.
   */
  quietFences?: number[];
  /** Per line: 1 for a content line of a `quietFences` fence that cannot end it (indented at least as its fence, not starting with a fence character). */
  quiet?: Uint8Array;
}

/** Pages larger than this are not parsed (a clear problem is reported instead). */
export const MAX_PAGE_BYTES = 4 * 1024 * 1024;

const BLOCK_EXT = /^(?:(?:!!!|\?\?\?\+?) *[\w-]|===[+!]? *")/;
const FENCE_OPEN = /^(`{3,}|~{3,})(.*)$/;
const SUPPRESS = /<!--\s*pattern-atlas-(disable-next-line|disable-line|disable|enable)\b([^>]*?)-->/g;

/** Split on `\r\n`, `\n` and a lone `\r`: the three line endings LSP counts. */
export function splitLines(text: string): string[] {
  // Splitting on one character is much faster than on a regex; most pages have no `\r`.
  return text.includes('\r') ? text.split(/\r\n?|\n/) : text.split('\n');
}

let lastSplit: { text: string; lines: readonly string[] } | undefined;

/**
 * `splitLines` of a page, remembered for the last page: loading a site
 * parses a page and then makes its `Page` (site.ts), and both need its lines.
 * The array is shared: never modify it.
 */
export function pageLines(text: string): readonly string[] {
  if (lastSplit?.text !== text) lastSplit = { text, lines: splitLines(text) };
  return lastSplit.lines;
}

let lastOffsets: { lines: readonly string[]; off: Int32Array } | undefined;

/**
 * Where each of `lines` starts in the text they were split from at `\n`
 * (one more entry: that text's length plus one), remembered for the last
 * page like `pageLines` (the fast parser and the footer reader both ask).
 * Only for a text without `\r`.
 */
export function lineOffsets(lines: readonly string[]): Int32Array {
  if (lastOffsets?.lines === lines) return lastOffsets.off;
  const off = new Int32Array(lines.length + 1);
  for (let i = 0; i < lines.length; i++) off[i + 1] = off[i] + lines[i].length + 1;
  lastOffsets = { lines, off };
  return off;
}

/**
 * Width of a line's leading whitespace (tabs to the next multiple of 4) and
 * how many characters that is, left in `leadWidth` and `leadChars`: prepare
 * measures nearly every line, and an object per call was garbage.
 */
let leadWidth = 0;
let leadChars = 0;
function measureLeading(line: string): void {
  let width = 0;
  let chars = 0;
  for (; chars < line.length; chars++) {
    const c = line.charCodeAt(chars);
    if (c === 32) width++;
    else if (c === 9) width += 4 - (width % 4);
    else break;
  }
  leadWidth = width;
  leadChars = chars;
}

/** Width of leading whitespace with tabs to the next multiple of 4, and how many characters that is. */
export function leading(line: string): { width: number; chars: number } {
  measureLeading(line);
  return { width: leadWidth, chars: leadChars };
}

/** Remove up to `width` columns of leading whitespace; returns characters removed. */
function stripWidth(line: string, width: number): number {
  let w = 0;
  let i = 0;
  while (i < line.length && w < width) {
    const c = line.charCodeAt(i);
    if (c === 32) w++;
    else if (c === 9) w += 4 - (w % 4);
    else break;
    i++;
  }
  return i;
}

export function isProbablyBinary(text: string): boolean {
  // A NUL in the first 8000 characters (searched backwards from index 7999, natively).
  return text.lastIndexOf('\u0000', 7999) >= 0;
}

export function prepare(text: string): Prepared {
  const lines = pageLines(text);
  const prepared = lines.slice();
  const shift = new Int32Array(lines.length);
  const problems: ParseProblem[] = [];
  const fenceCuts: number[] = [];
  let frontmatter: Frontmatter | undefined;

  let first = 0;
  // MkDocs (Python-Markdown meta / material) reads YAML between `---` lines at the very top.
  if (lines.length > 1 && /^---\s*$/.test(lines[0])) {
    let close = -1;
    for (let i = 1; i < lines.length; i++) {
      if (/^(---|\.\.\.)\s*$/.test(lines[i])) {
        close = i;
        break;
      }
    }
    if (close > 0) {
      frontmatter = parseFrontmatter(lines, close, problems);
      for (let i = 0; i <= close; i++) {
        prepared[i] = '';
      }
      first = close + 1;
    }
  }

  // Containers are Python-Markdown block extensions whose bodies are indented.
  const stack: number[] = []; // body indent widths, innermost last
  let fence: { char: string; len: number; indent: number; open: number; lines: number[] | null } | null = null;
  let quietFences: number[] | undefined;
  let quiet: Uint8Array | undefined;
  // Lines of fenced code: suppression comments shown there are examples, not directives.
  const inCode = new Uint8Array(lines.length);
  for (let i = first; i < lines.length; i++) {
    const line = lines[i];
    if (fence && fence.indent === 0 && !stack.length) {
      // Code of an unindented fence outside block extensions (most of a catalog's lines): a line that starts
      // with neither whitespace nor a fence character is content, and as the page has it.
      const c0 = line.charCodeAt(0);
      if (c0 === c0 && c0 !== 32 && c0 !== 9 && c0 !== 96 && c0 !== 126) {
        inCode[i] = 1;
        fence.lines?.push(i);
        continue;
      }
    }
    measureLeading(line);
    const width = leadWidth;
    const blank = leadChars === line.length;
    if (!blank && !fence) {
      while (stack.length && width < stack[stack.length - 1]) stack.pop();
    } else if (!blank && fence) {
      // A fence inside a container ends with its container.
      while (stack.length && width < stack[stack.length - 1]) {
        stack.pop();
        if (fence) fenceCuts.push(i);
        fence = null;
      }
    }
    const strip = stack.length ? stack[stack.length - 1] : 0;
    const removed = strip ? stripWidth(line, strip) : 0;
    const rest = removed ? line.slice(removed) : line;
    shift[i] = removed;
    prepared[i] = rest;
    if (blank) continue;

    // Nothing stripped (outside block extensions, almost every line): the line's own indentation was just measured.
    if (removed) measureLeading(rest);
    const ownWidth = leadWidth;
    // Only a line starting with ` or ~ can open or close a fence, and with !, ? or = open a block extension:
    // the rest (almost every line) is not sliced or matched.
    const c = rest.charCodeAt(leadChars);
    const body = c === 96 || c === 126 || c === 33 || c === 63 || c === 61 ? rest.slice(leadChars) : '';
    if (fence) {
      inCode[i] = 1;
      // SuperFences keeps a fence open until its closing fence, even across
      // lines indented less than the fence (common in list items), where a
      // CommonMark parser would end the list item and the fence with it. Pad
      // such lines to the fence's indentation so both parsers agree with MkDocs.
      // Only for fences CommonMark also sees as fences (indented less than 4):
      // `    ```` at the top level is indented code, and padding the lines
      // after it would turn following prose into code.
      if (ownWidth < fence.indent && fence.indent < 4) {
        const pad = fence.indent - ownWidth;
        prepared[i] = ' '.repeat(pad) + rest;
        shift[i] = removed - pad;
      }
      const m = body ? FENCE_OPEN.exec(body) : null;
      if (m && m[1][0] === fence.char && m[1].length >= fence.len && m[2].trim() === '' && ownWidth < fence.indent + 4) {
        if (fence.lines?.length) {
          quiet ??= new Uint8Array(lines.length);
          for (let q = 0; q < fence.lines.length; q++) quiet[fence.lines[q]] = 1;
          (quietFences ??= []).push(fence.open, i);
        }
        fence = null;
      } else if (fence.lines && ownWidth >= fence.indent && c !== 96 && c !== 126) fence.lines.push(i);
      continue;
    }
    // `body` is empty unless the line starts with a character that can open something (most lines): no match to try.
    if (body) {
      const m = FENCE_OPEN.exec(body);
      if (m && !(m[1][0] === '`' && m[2].includes('`'))) {
        // Content lines are collected (`quiet`) for fences CommonMark reads as fences too, Mermaid's apart (its text is kept).
        fence = { char: m[1][0], len: m[1].length, indent: ownWidth, open: i, lines: ownWidth < 4 && !/mermaid/i.test(m[2]) ? [] : null };
        inCode[i] = 1;
        continue;
      }
    }
    if (ownWidth < 4 && body && BLOCK_EXT.test(body)) {
      stack.push(strip + ownWidth + 4);
      prepared[i] = '';
    }
  }

  const suppressions = text.includes('pattern-atlas-') ? findSuppressions(lines, inCode) : [];
  return { lines, prepared, shift, fenceCuts, frontmatter, problems, suppressions, quietFences, quiet };
}

export function findSuppressions(lines: readonly string[], skip?: Uint8Array): Suppression[] {
  const out: Suppression[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (skip?.[i]) continue;
    const l = lines[i];
    if (!l.includes('pattern-atlas-')) continue;
    SUPPRESS.lastIndex = 0;
    for (let m = SUPPRESS.exec(l); m; m = SUPPRESS.exec(l)) {
      const rules = m[2].split(/[\s,]+/).filter(Boolean);
      out.push({ kind: m[1] as Suppression['kind'], rules, line: i });
    }
  }
  return out;
}

/**
 * The frontmatter between line 0 and line `close`: simple frontmatter without
 * the `yaml` package (simple-frontmatter.ts), anything else with it (always
 * with it when `simple` is false, as the test comparing both asks).
 */
export function parseFrontmatter(lines: readonly string[], close: number, problems: ParseProblem[], simple = true): Frontmatter {
  const yamlLines = lines.slice(1, close);
  const fast = simple ? readSimpleFrontmatter(yamlLines) : undefined;
  if (fast) {
    const range = { start: { line: 0, character: 0 }, end: { line: close, character: lines[close].length } };
    return { range, data: fast.data, entries: fast.entries };
  }
  const src = yamlLines.join('\n');
  const starts: number[] = [];
  let off = 0;
  for (const l of yamlLines) {
    starts.push(off);
    off += l.length + 1;
  }
  const toPos = (o: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, character: Math.min(o - (starts[lo] ?? 0), (yamlLines[lo] ?? '').length) };
  };
  const rangeOf = (a: number, b: number): Range => ({ start: toPos(a), end: toPos(b) });
  const fm: Frontmatter = {
    range: { start: { line: 0, character: 0 }, end: { line: close, character: lines[close].length } },
    data: null,
    entries: [],
  };
  let doc;
  try {
    // Unknown tags (`!ENV`, `!!python/name:`) become warnings, never failures.
    doc = parseDocument(src, { prettyErrors: false, uniqueKeys: false, strict: false, logLevel: 'silent' });
  } catch (e) {
    problems.push({ code: 'frontmatter-yaml', message: `Frontmatter is not valid YAML: ${String(e)}`, range: fm.range });
    return fm;
  }
  if (doc.errors.length) {
    for (const err of doc.errors) {
      const at = err.pos ? err.pos[0] : 0;
      const p = toPos(at);
      const lineText = lines[p.line] ?? '';
      problems.push({
        code: 'frontmatter-yaml',
        message: `Frontmatter is not valid YAML: ${err.message.split('\n')[0]}`,
        range: { start: { line: p.line, character: 0 }, end: { line: p.line, character: lineText.length } },
      });
    }
    fm.recovered = recoverEntries(yamlLines);
    return fm;
  }
  if (src.trim() === '') {
    fm.data = {};
    return fm;
  }
  if (!isMap(doc.contents)) {
    problems.push({ code: 'frontmatter-yaml', message: 'Frontmatter must be a YAML mapping of keys to values', range: fm.range });
    return fm;
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    problems.push({ code: 'frontmatter-yaml', message: `Frontmatter could not be read: ${String(e)}`, range: fm.range });
    return fm;
  }
  fm.data = (data ?? {}) as Record<string, unknown>;
  for (const item of doc.contents.items as Pair[]) {
    const k = item.key;
    if (!isScalar(k) || !k.range) continue;
    const key = String(k.value);
    const v = item.value as { range?: [number, number, number] } | null;
    const keyRange = rangeOf(k.range[0], k.range[1]);
    const valueRange = v && v.range ? rangeOf(v.range[0], v.range[1]) : { start: keyRange.end, end: keyRange.end };
    const entry: FrontmatterEntry = { key, value: fm.data[key], keyRange, valueRange };
    fm.entries.push(entry);
  }
  return fm;
}

/** Read `key: value` lines of malformed YAML one by one (first occurrence wins). */
function recoverEntries(yamlLines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of yamlLines) {
    const m = /^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$/.exec(l);
    if (!m || m[1] in out) continue;
    let v = m[2];
    if (/^(['"]).*\1$/.test(v)) v = v.slice(1, -1);
    if (v && !/^[[{|>]/.test(v)) out[m[1]] = v;
  }
  return out;
}

/** Split a heading's raw text into its text and an attribute-list id (`Title {#id .cls}`). */
export function headingAttrs(raw: string): { text: string; id?: string } {
  const m = /\s*\{:?\s*([^{}]*)\}\s*$/.exec(raw);
  if (!m || !/(^|\s)[#.][\w-]|=/.test(m[1])) return { text: raw.trim() };
  const id = /(?:^|\s)#([^\s}]+)/.exec(m[1]);
  return { text: raw.slice(0, m.index).trim(), id: id ? id[1] : undefined };
}

const PLACEHOLDER = /\b(TODO|TBD|FIXME)\b|Coming soon|\bto be written\b|\[placeholder\]/gi;

export function findPlaceholdersInLine(line: string): Array<{ text: string; start: number; end: number }> {
  const out: Array<{ text: string; start: number; end: number }> = [];
  PLACEHOLDER.lastIndex = 0;
  for (let m = PLACEHOLDER.exec(line); m; m = PLACEHOLDER.exec(line)) {
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}
