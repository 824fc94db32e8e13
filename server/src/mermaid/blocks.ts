/**
 * The ```mermaid blocks of a page, and the way back from a position inside a
 * block to the page.
 *
 * `Fence.content` has the fence's indentation removed (and, for blocks in
 * admonitions, content tabs or lists, the container's too), so a column in
 * the block is not a column in the page: each content line's offset is found
 * from the page line itself (the content line is what remains of it).
 */
import type { Fence, PatternDoc, Pos, Range } from '../parse/types.ts';
import { splitLines } from '../parse/prepare.ts';
import { getMermaidPool, type MermaidPool, type ValidateOptions } from './pool.ts';
import type { MermaidError, MermaidFix } from './validate.ts';

export interface MermaidBlock {
  /** 0-based index among the page's mermaid blocks. */
  index: number;
  fence: Fence;
  /** The diagram text (the fence's content). */
  code: string;
  /** Page line of the block's first content line. */
  firstLine: number;
  /** For each content line, the page column where it starts. */
  lineOffsets: number[];
  /** The opening fence line (```` ```mermaid ````), where errors without a position go. */
  openRange: Range;
}

/** Diagnostic code of every mermaid finding. */
export const MERMAID_RULE = 'mermaid-syntax';

export interface PageMermaidError extends MermaidError {
  /** Which block (`MermaidBlock.index`). */
  block: number;
}

function isMermaid(f: Fence): boolean {
  return f.lang === 'mermaid';
}

/**
 * The page's mermaid blocks. `text` is the page as given to the parser (or
 * its lines): the indentation of each content line is read from it.
 */
export function mermaidBlocks(doc: PatternDoc, text: string | readonly string[]): MermaidBlock[] {
  const pageLines = typeof text === 'string' ? splitLines(text) : text;
  const out: MermaidBlock[] = [];
  for (const fence of doc.fences) {
    if (!isMermaid(fence)) continue;
    const code = fence.content;
    const lines = splitLines(code);
    const firstLine = fence.range.start.line + 1;
    const lineOffsets = lines.map((l, i) => {
      const page = pageLines[firstLine + i] ?? '';
      if (page.endsWith(l)) return page.length - l.length;
      // A partly consumed tab, or a page that changed under us: best effort.
      return Math.max(0, page.length - l.length);
    });
    const open = fence.range.start;
    const openRange: Range = { start: open, end: { line: open.line, character: Math.max(open.character, (pageLines[open.line] ?? '').length) } };
    out.push({ index: out.length, fence, code, firstLine, lineOffsets, openRange });
  }
  return out;
}

/** A block-relative position in page coordinates. */
export function toPagePos(block: MermaidBlock, p: Pos): Pos {
  const last = block.lineOffsets.length - 1;
  const l = Math.max(0, Math.min(p.line, last));
  return { line: block.firstLine + l, character: (block.lineOffsets[l] ?? 0) + p.character };
}

export function toPageRange(block: MermaidBlock, r: Range): Range {
  return { start: toPagePos(block, r.start), end: toPagePos(block, r.end) };
}

/** A block's error with its range (and its fix's range) in page coordinates. */
export function toPageError(block: MermaidBlock, e: MermaidError): PageMermaidError {
  const fix: MermaidFix | undefined = e.fix && { ...e.fix, range: toPageRange(block, e.fix.range) };
  // An error without a position (validator failure) goes on the opening fence line.
  const range = e.kind === 'internal' ? block.openRange : toPageRange(block, e.range);
  return { ...e, range, fix, block: block.index };
}

/**
 * Validate every mermaid block of a page through the pool; errors in page
 * coordinates, in block order. Unchanged blocks come from the cache.
 */
export async function validatePage(
  doc: PatternDoc,
  text: string | readonly string[],
  options: ValidateOptions & { pool?: MermaidPool } = {},
): Promise<PageMermaidError[]> {
  const blocks = mermaidBlocks(doc, text);
  if (blocks.length === 0) return [];
  const pool = options.pool ?? getMermaidPool();
  const results = await pool.validateBlocks(
    blocks.map((b) => ({ key: b.index, code: b.code })),
    options,
  );
  const out: PageMermaidError[] = [];
  for (const b of blocks) for (const e of results.get(b.index) ?? []) out.push(toPageError(b, e));
  return out;
}
