/**
 * Offsets <-> 0-based line/character positions of one text (lines end at
 * `\n`), for code that works on offsets: YAML node ranges, edits.
 */
import type { Pos, Range } from './types.ts';

export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  /** The offset of a position (clamped to the text). */
  offset(p: Pos): number {
    return Math.min(this.text.length, (this.starts[p.line] ?? this.text.length) + p.character);
  }
  /** The position of an offset (clamped to the text). */
  pos(offset: number): Pos {
    const o = Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }
  range(start: number, end: number): Range {
    return { start: this.pos(start), end: this.pos(Math.max(start, end)) };
  }
  /** As `range`, with trailing whitespace and line breaks left out. */
  trimmedRange(start: number, end: number): Range {
    let e = Math.min(Math.max(start, end), this.text.length);
    while (e > start && /\s/.test(this.text[e - 1])) e--;
    return this.range(start, e);
  }
  /** Column 0 to the end of the line's content (excluding `\r\n`). */
  lineRange(line: number): Range {
    const l = Math.max(0, Math.min(line, this.starts.length - 1));
    const s = this.starts[l];
    let e = l + 1 < this.starts.length ? this.starts[l + 1] - 1 : this.text.length;
    if (e > s && this.text.charCodeAt(e - 1) === 13) e--;
    return { start: { line: l, character: 0 }, end: { line: l, character: e - s } };
  }
}
