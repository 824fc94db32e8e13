/**
 * Mermaid's text pipeline, replayed with offsets tracked, so that a position
 * mermaid reports (in the text its parser saw) maps back to the block as the
 * author wrote it.
 *
 * What mermaid 11.17.2 does to a diagram before its grammar sees it
 * (`mermaid.parse` -> `processAndSetConfigs` -> `getDiagramFromText` ->
 * `Diagram.fromText`):
 *   1. `preprocessDiagram` (run TWICE: once in `parse`, once more in
 *      `getDiagramFromText` on the already-processed code):
 *      - `\r\n?` -> `\n`; `<tag a="x">` -> `<tag a='x'>` (same length);
 *      - strip YAML front matter (with the blank lines after it);
 *      - remove `%%{ ... }%%` directives (their line break stays);
 *      - remove `%%` comment lines (and blank lines before them), `trimStart()`.
 *   2. `encodeEntities(code) + "\n"` (`#quot;` -> `ﬂ°quot¶ß`; a `;` ending a
 *      `style`/`classDef` line with a `#colour` is dropped).
 *   3. flowchart only: the grammar wrapper replaces `}\s*\n` with `}\n`
 *      (blank lines after a `}` vanish).
 * Pure functions, no mermaid import: usable on the main thread.
 */
import type { Pos } from '../parse/types.ts';

/** Copied from mermaid 11.17.2 (`src/diagram-api/regexes.ts`, `frontmatter.ts`). */
export const FRONT_MATTER_RE = /^([^\S\n\r]*)-{3}\s*[\n\r](.*?)[\n\r]\1-{3}\s*[\n\r]+/s;
const DIRECTIVE_RE = /%{2}{\s*(?:(\w+)\s*:|(\w+))\s*(?:(\w+)|((?:(?!}%{2}).|\r?\n)*))?\s*(?:}%{2})?/gi;
const COMMENT_LINE_RE = /^\s*%%(?!{)[^\n]+\n?/gm;

/** A string and, for every UTF-16 unit of it plus its end, the offset in the original block. */
export interface Tracked {
  text: string;
  /** `map.length === text.length + 1`. */
  map: number[];
}

export function track(text: string): Tracked {
  const map = new Array<number>(text.length + 1);
  for (let i = 0; i <= text.length; i++) map[i] = i;
  return { text, map };
}

/**
 * `t.text.replace(re, fn)` with offsets carried along. A replacement of the
 * same length maps unit by unit; otherwise the common prefix and suffix of
 * match and replacement keep their offsets and the rest maps to the start of
 * what differs.
 */
export function replaceTracked(t: Tracked, re: RegExp, fn: (m: RegExpExecArray) => string): Tracked {
  if (!re.global) throw new Error('replaceTracked needs a global RegExp');
  re.lastIndex = 0;
  let text = '';
  const map: number[] = [];
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t.text)) !== null) {
    const start = m.index;
    const old = m[0];
    if (old.length === 0) re.lastIndex++;
    const rep = fn(m);
    text += t.text.slice(last, start);
    for (let i = last; i < start; i++) map.push(t.map[i]);
    if (rep.length === old.length) {
      for (let i = 0; i < rep.length; i++) map.push(t.map[start + i]);
    } else {
      let p = 0;
      while (p < rep.length && p < old.length && rep[p] === old[p]) p++;
      let s = 0;
      while (s < rep.length - p && s < old.length - p && rep[rep.length - 1 - s] === old[old.length - 1 - s]) s++;
      for (let i = 0; i < rep.length; i++) {
        if (i < p) map.push(t.map[start + i]);
        else if (i >= rep.length - s) map.push(t.map[start + old.length - (rep.length - i)]);
        else map.push(t.map[start + p]);
      }
    }
    text += rep;
    last = start + old.length;
    if (old.length === 0 && last >= t.text.length) break;
  }
  text += t.text.slice(last);
  for (let i = last; i <= t.text.length; i++) map.push(t.map[i]);
  return { text, map };
}

export function sliceTracked(t: Tracked, from: number, to = t.text.length): Tracked {
  return { text: t.text.slice(from, to), map: t.map.slice(from, to + 1) };
}

export function appendTracked(t: Tracked, s: string, at: number): Tracked {
  const map = t.map.slice(0, t.text.length);
  for (let i = 0; i < s.length; i++) map.push(at);
  map.push(at);
  return { text: t.text + s, map };
}

/** Where the YAML body of a front matter block starts (original offset) and the indent mermaid strips from its lines. */
export interface FrontMatterInfo {
  /** Original offset of the first character of the YAML body. */
  bodyStart: number;
  indent: string;
  /** Original offset just past the YAML body (where the closing `---` line's break starts). */
  bodyEnd: number;
  /** Original offsets of the front matter block [start, end). */
  start: number;
  end: number;
}

/** One `preprocessDiagram` pass. */
export function preprocessTracked(t: Tracked): { out: Tracked; frontMatter?: FrontMatterInfo } {
  // cleanupText
  t = replaceTracked(t, /\r\n?/g, () => '\n');
  t = replaceTracked(t, /<(\w+)([^>]*)>/g, (m) => '<' + m[1] + m[2].replace(/="([^"]*)"/g, "='$1'") + '>');
  // processFrontmatter
  let frontMatter: FrontMatterInfo | undefined;
  const fm = t.text.match(FRONT_MATTER_RE);
  if (fm) {
    const head = /^([^\S\n\r]*)-{3}\s*[\n\r]/.exec(t.text);
    const bodyAt = head && t.text.startsWith(fm[2], head[0].length) ? head[0].length : fm[0].indexOf(fm[2], fm[1].length + 3);
    const b = Math.max(0, bodyAt);
    frontMatter = { bodyStart: t.map[b], bodyEnd: t.map[b + fm[2].length], indent: fm[1], start: t.map[0], end: t.map[fm[0].length] };
    t = sliceTracked(t, fm[0].length);
  }
  // processDirectives -> removeDirectives
  t = replaceTracked(t, DIRECTIVE_RE, () => '');
  // cleanupComments
  t = replaceTracked(t, COMMENT_LINE_RE, () => '');
  const trimmed = t.text.trimStart();
  t = sliceTracked(t, t.text.length - trimmed.length);
  return { out: t, frontMatter };
}

/** mermaid's `encodeEntities` (src/utils.ts), tracked. */
export function encodeEntitiesTracked(t: Tracked): Tracked {
  t = replaceTracked(t, /style.*:\S*#.*;/g, (m) => m[0].slice(0, -1));
  t = replaceTracked(t, /classDef.*:\S*#.*;/g, (m) => m[0].slice(0, -1));
  t = replaceTracked(t, /#\w+;/g, (m) => {
    const inner = m[0].slice(1, -1);
    return /^\+?\d+$/.test(inner) ? '\uFB02\xB0\xB0' + inner + '\xB6\xDF' : '\uFB02\xB0' + inner + '\xB6\xDF';
  });
  return t;
}

export interface Pipeline {
  /** After both `preprocessDiagram` passes: what `detectType` sees. */
  code: Tracked;
  /** What the diagram's grammar parses (`encodeEntities(code) + "\n"`, plus the flowchart wrapper when `flowchart`). */
  parsed: Tracked;
  frontMatter?: FrontMatterInfo;
}

/** The full pipeline for a block's text; `flowchart` applies the flowchart grammar's wrapper. */
export function mermaidPipeline(block: string, flowchart: boolean): Pipeline {
  const first = preprocessTracked(track(block));
  const second = preprocessTracked(first.out);
  const code = second.out;
  let parsed = appendTracked(encodeEntitiesTracked(code), '\n', block.length);
  if (flowchart) parsed = replaceTracked(parsed, /}\s*\n/g, () => '}\n');
  return { code, parsed, frontMatter: first.frontMatter };
}

/** Line starts of a text where `\r\n`, `\r` and `\n` each end a line (as LSP counts). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) starts.push(i + 1);
  }
  return starts;
}

/** 0-based line/character of an offset in `text` (clamped; an offset inside `\r\n` counts as the end of its line). */
export function offsetToPos(starts: number[], text: string, offset: number): Pos {
  offset = Math.max(0, Math.min(offset, text.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  let end = lo + 1 < starts.length ? starts[lo + 1] : text.length;
  if (end > starts[lo] && text[end - 1] === '\n') end--;
  if (end > starts[lo] && text[end - 1] === '\r') end--;
  const character = Math.min(offset, end) - starts[lo];
  return { line: lo, character };
}

/** Offset of a 1-based line and 0-based column in `text` (lines end at `\n` only: the parsed text has no `\r`). */
export function lineColToOffset(text: string, line1: number, col0: number): number {
  let off = 0;
  for (let l = 1; l < line1; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  return Math.min(off + Math.max(0, col0), text.length);
}
