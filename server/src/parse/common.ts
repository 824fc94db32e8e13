/**
 * Pieces both extractors (`remark.ts`, `fast.ts`) share, so the two paths
 * cannot drift apart on them: the empty document, line and size limits, the
 * fence language rule, and reading `<a href>`/`<img src>` out of raw HTML.
 *
 * Invariant: pure functions of their arguments; nothing here throws.
 */
import type { Frontmatter, PatternDoc } from './types.ts';

export function emptyDoc(): PatternDoc {
  return { headings: [], links: [], fences: [], codeBlocks: [], wordCount: 0, placeholders: [], suppressions: [], problems: [], lineCount: 0 };
}

/** Line count with `\r\n`, `\r` and `\n` as line endings (as LSP counts). */
export function lineCountOf(text: string): number {
  let n = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/** UTF-8 size, stopping early once it is known to exceed `limit`. */
export function exceedsBytes(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > limit) return true;
  }
  return false;
}

/**
 * The language of an info string, as SuperFences reads it: the first word,
 * without a leading `.`, or the first `.class` of a `{...}` attribute list.
 */
export function fenceLang(info: string): string {
  if (info.startsWith('{')) {
    const m = /(?:^|[\s{])\.([^\s.{}][^\s{}]*)/.exec(info);
    return m ? m[1].toLowerCase() : '';
  }
  const word = /^\S*/.exec(info)![0];
  return (word.startsWith('.') ? word.slice(1) : word).toLowerCase();
}

/**
 * Whether a parsed document keeps a fence's text (`Fence.content`): Mermaid
 * blocks only. Nothing reads the text of other fences (code samples are two
 * thirds of a real catalog's bytes), and a document is kept for every page of
 * the site as long as the site lives.
 */
export const keepsFenceContent = (lang: string): boolean => lang === 'mermaid';

/** Where `s`'s HTML comments are, as flat `[start, end)` offset pairs (an unclosed one runs to the end). */
export function commentSpans(s: string): number[] {
  const spans: number[] = [];
  for (let c = s.indexOf('<!--'); c >= 0; ) {
    const close = s.indexOf('-->', c + 4);
    const e = close < 0 ? s.length : close + 3;
    spans.push(c, e);
    c = s.indexOf('<!--', e);
  }
  return spans;
}

/** Replace HTML comments (and an unclosed one to the end) by spaces, keeping offsets and newlines. */
export function maskComments(s: string): string {
  if (!s.includes('<!--')) return s;
  const spans = commentSpans(s);
  let out = '';
  let i = 0;
  for (let k = 0; k < spans.length; k += 2) {
    out += s.slice(i, spans[k]) + s.slice(spans[k], spans[k + 1]).replace(/[^\n]/g, ' ');
    i = spans[k + 1];
  }
  return out + s.slice(i);
}

export interface Attr {
  name: string;
  value: string;
  /** Offsets of the value (inside its quotes). */
  start: number;
  end: number;
}

/** Read attributes from `i` (just after the tag name) to the closing `>`. */
export function readTag(s: string, i: number): { attrs: Attr[]; end: number } {
  const attrs: Attr[] = [];
  const n = s.length;
  while (i < n) {
    while (i < n && /\s/.test(s[i])) i++;
    if (i >= n) break;
    const c = s[i];
    if (c === '>') return { attrs, end: i + 1 };
    if (c === '/' || c === '"' || c === "'" || c === '=' || c === '<') {
      if (c === '<') return { attrs, end: i };
      i++;
      continue;
    }
    const ns = i;
    while (i < n && !/[\s"'>/=<]/.test(s[i])) i++;
    const name = s.slice(ns, i).toLowerCase();
    let j = i;
    while (j < n && /\s/.test(s[j])) j++;
    if (s[j] !== '=') {
      attrs.push({ name, value: '', start: i, end: i });
      continue;
    }
    j++;
    while (j < n && /\s/.test(s[j])) j++;
    const q = s[j];
    if (q === '"' || q === "'") {
      const close = s.indexOf(q, j + 1);
      const e = close < 0 ? n : close;
      attrs.push({ name, value: s.slice(j + 1, e), start: j + 1, end: e });
      i = close < 0 ? n : close + 1;
    } else {
      let e = j;
      while (e < n && !/[\s"'=<>`]/.test(s[e])) e++;
      attrs.push({ name, value: s.slice(j, e), start: j, end: e });
      i = e;
    }
  }
  return { attrs, end: n };
}

/**
 * A copy of `s` that does not share the page's memory. JavaScript engines
 * make substrings of 13 or more characters as views into the string they were
 * cut from (V8's sliced strings), so one heading, link target or first
 * paragraph kept for a page would keep the whole page text (and copies made
 * of it while parsing) alive as long as the site: tens of MB on a large
 * catalog, copied again by garbage collections until then. Concatenating and
 * slicing flattens the characters into a string of their own.
 */
export function own(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** A page's frontmatter fields: the YAML mapping, or (malformed YAML) the `key: value` lines recovered one by one. */
export function frontmatterFields(fm: Frontmatter | undefined): Record<string, unknown> | undefined {
  return fm?.data ?? fm?.recovered;
}
