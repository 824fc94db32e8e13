/**
 * Where each heading's section ends: shared by document symbols and folding.
 */
import type { PatternDoc, Pos } from '../parse/types.ts';

/**
 * For each heading of `doc`, the last position of its section: the section
 * runs from the heading to the line before the next heading of the same or a
 * higher level (or the end of the page), trimmed of trailing blank lines.
 *
 * With `lines`, the end is the end of the last non-blank line. Without them,
 * blank lines cannot be seen: the end is the start of the next such heading's
 * line (an exclusive end), or the start of the last line of the page.
 */
export function sectionEnds(doc: PatternDoc, lines?: string[]): Pos[] {
  const hs = doc.headings;
  const out: Pos[] = [];
  for (let i = 0; i < hs.length; i++) {
    let next = -1;
    for (let j = i + 1; j < hs.length; j++) {
      if (hs[j].depth <= hs[i].depth) {
        next = j;
        break;
      }
    }
    const own = hs[i].range.end;
    if (!lines) {
      const end = next >= 0 ? { line: hs[next].range.start.line, character: 0 } : { line: Math.max(0, doc.lineCount - 1), character: 0 };
      out.push(end.line > own.line ? end : own);
      continue;
    }
    let last = (next >= 0 ? hs[next].range.start.line : lines.length) - 1;
    while (last > own.line && !(lines[last] ?? '').trim()) last--;
    out.push(last > own.line ? { line: last, character: (lines[last] ?? '').length } : own);
  }
  return out;
}
