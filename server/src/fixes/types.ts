/**
 * Quick fixes: a fix is a titled set of minimal text edits, per file, that
 * resolves one finding, and possibly new files to create. Fixes read the
 * `Site` snapshot and the texts of the files they edit (through
 * `TextSource`); they do no IO and know no LSP types.
 *
 * Edits are keyed by absolute path and refer to the texts as `texts` returns
 * them; the edits of one file never overlap. A created file never exists
 * yet (`texts` returns undefined for it) and is never overwritten.
 */
import type { Pos, Range } from '../parse/types.ts';
import type { Finding } from '../rules/rule.ts';
import type { Site } from '../site/site.ts';
import type { TextEdit } from '../features/rename.ts';

export type { TextEdit };

/** The current text of a file by absolute path (open buffer or disk), or undefined. */
export type TextSource = (absPath: string) => string | undefined;

export interface Fix {
  title: string;
  /** Absolute file path -> non-overlapping edits. */
  edits: Record<string, TextEdit[]>;
  /** Files to create: absolute path and whole content. */
  creates?: FileCreation[];
  /** The fix `pattern-atlas fix` and "Fix all" apply. */
  isPreferred?: boolean;
}

export interface FileCreation {
  /** Absolute path. */
  path: string;
  text: string;
}

export type FixProvider = (site: Site, finding: Finding, texts: TextSource) => Fix[];

/** Split keeping each line's own text (no terminator). */
export function lines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** The line terminator a text uses. */
export function eolOf(text: string): string {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

export function pos(line: number, character: number): Pos {
  return { line, character };
}

export function rangeAt(line: number, character: number, endLine = line, endChar = character): Range {
  return { start: pos(line, character), end: pos(endLine, endChar) };
}

/** UTF-16 offset of a position in a text (clamped). */
export function offsetAt(text: string, p: Pos): number {
  let line = 0;
  let i = 0;
  while (line < p.line) {
    const n = text.indexOf('\n', i);
    if (n < 0) return text.length;
    i = n + 1;
    line++;
  }
  const n = text.indexOf('\n', i);
  const lineEnd = n < 0 ? text.length : n;
  return Math.min(i + Math.max(0, p.character), lineEnd);
}

/** The text a range covers. */
export function textIn(text: string, r: Range): string {
  return text.slice(offsetAt(text, r.start), offsetAt(text, r.end));
}

/** The absolute path of a finding's site-root relative file. */
export function absOf(site: Site, file: string): string {
  return site.root + '/' + file;
}

/** The docs-relative path of a finding's file, when it is a page. */
export function pageOf(site: Site, file: string): string | undefined {
  const pre = site.docsRelPrefix();
  return file.startsWith(pre) ? file.slice(pre.length) : undefined;
}
