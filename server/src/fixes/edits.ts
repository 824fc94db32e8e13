/** Applying and combining text edits, and the edit inserting whole lines. */
import { comparePos } from '../parse/types.ts';
import { offsetAt, rangeAt, type TextEdit } from './types.ts';

/**
 * Apply non-overlapping edits to a text, bottom-up. Insertions at the same
 * position keep their order in `edits`. Throws on overlapping edits.
 */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const withOffsets = edits.map((e, i) => ({ s: offsetAt(text, e.range.start), e: offsetAt(text, e.range.end), t: e.newText, i }));
  withOffsets.sort((a, b) => a.s - b.s || a.e - b.e || a.i - b.i);
  for (let k = 1; k < withOffsets.length; k++) {
    const p = withOffsets[k - 1];
    const c = withOffsets[k];
    if (c.s < p.e) throw new Error(`overlapping edits at offsets ${p.s}-${p.e} and ${c.s}-${c.e}`);
  }
  let out = text;
  for (let k = withOffsets.length - 1; k >= 0; k--) {
    const w = withOffsets[k];
    out = out.slice(0, w.s) + w.t + out.slice(w.e);
  }
  return out;
}

/** Whether two edits touch the same text (two insertions at one point count as overlapping). */
export function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (comparePos(a.range.end, b.range.start) < 0 || comparePos(b.range.end, a.range.start) < 0) return false;
  // Touching ranges: only a conflict when both are at the same point or one is an insertion inside the other.
  const aEmpty = comparePos(a.range.start, a.range.end) === 0;
  const bEmpty = comparePos(b.range.start, b.range.end) === 0;
  if (comparePos(a.range.end, b.range.start) === 0 && !(aEmpty && bEmpty)) return false;
  if (comparePos(b.range.end, a.range.start) === 0 && !(aEmpty && bEmpty)) return false;
  return true;
}

/**
 * The edit inserting whole lines (`newText`, each line ending with a line
 * break) before line `line` of a text split into lines `ls`. Past the last
 * line (a text without a final line break: one with it ends in an empty line
 * to insert before) they go after that line instead, the break moved to the
 * front, so the text still ends without one.
 */
export function insertLines(ls: string[], line: number, newText: string, eol: string): TextEdit {
  if (line < ls.length) return { range: rangeAt(line, 0), newText };
  const last = ls.length - 1;
  return { range: rangeAt(last, ls[last].length), newText: eol + newText.replace(/\r?\n$/, '') };
}
