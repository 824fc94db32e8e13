/**
 * Folding ranges: sections (a heading down to its section's last non-blank
 * line), the frontmatter block, fenced code and Mermaid blocks, admonitions
 * and content tabs (`!!!`, `???`, `===`, by indentation) and multi-line HTML
 * comments.
 */
import { splitLines } from '../parse/prepare.ts';
import { sectionEnds } from './sections.ts';
import type { Site } from '../site/site.ts';

export type FoldingKind = 'section' | 'frontmatter' | 'code' | 'diagram' | 'admonition' | 'comment';

export interface FoldingRange {
  /** 0-based, inclusive: the line that stays visible. */
  startLine: number;
  /** 0-based, inclusive: the last hidden line. */
  endLine: number;
  kind: FoldingKind;
}

const BLOCK_START = /^(\s*)(?:!!!|\?\?\?\+?|===\+?)\s/;

/** `text` is the page's current text (its lines decide where blocks end). */
export function getFoldingRanges(site: Site, path: string, text: string): FoldingRange[] {
  const page = site.pages.get(path);
  if (!page) return [];
  const doc = page.doc;
  const lines = splitLines(text);
  const out: FoldingRange[] = [];
  const add = (startLine: number, endLine: number, kind: FoldingKind) => {
    if (endLine > startLine) out.push({ startLine, endLine, kind });
  };
  if (doc.frontmatter) add(doc.frontmatter.range.start.line, doc.frontmatter.range.end.line, 'frontmatter');
  const ends = sectionEnds(doc, lines);
  doc.headings.forEach((h, i) => add(h.range.start.line, ends[i].line, 'section'));
  const inFence = new Uint8Array(lines.length);
  for (const f of doc.fences) {
    let end = f.range.end.line;
    // An unterminated fence runs to the end of its container: do not hide trailing blank lines.
    while (!f.closed && end > f.range.start.line && !(lines[end] ?? '').trim()) end--;
    add(f.range.start.line, end, f.lang === 'mermaid' ? 'diagram' : 'code');
    for (let l = f.range.start.line; l <= f.range.end.line && l < lines.length; l++) inFence[l] = 1;
  }
  for (let l = 0; l < lines.length; l++) {
    if (inFence[l]) continue;
    const m = BLOCK_START.exec(lines[l]);
    if (m) {
      // The body is every following line indented deeper than the marker (blank lines included), trimmed.
      const indent = m[1].length;
      let last = l;
      for (let k = l + 1; k < lines.length; k++) {
        const t = lines[k];
        if (!t.trim()) continue;
        if (t.length - t.trimStart().length <= indent) break;
        last = k;
      }
      add(l, last, 'admonition');
      continue;
    }
    const c = lines[l].indexOf('<!--');
    if (c >= 0 && !lines[l].includes('-->', c + 4)) {
      let k = l + 1;
      while (k < lines.length && !lines[k].includes('-->')) k++;
      if (k < lines.length) add(l, k, 'comment');
    }
  }
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}
