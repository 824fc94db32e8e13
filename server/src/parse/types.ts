/**
 * The document model: what one Markdown page says, independent of any site.
 *
 * Positions are 0-based lines and 0-based UTF-16 columns (JavaScript string
 * indices), exactly as the Language Server Protocol counts them. The CLI adds
 * one to both at its edge.
 *
 * Invariant: nothing in `parse/` knows of the workspace, the site or LSP, and
 * no function here throws on any input.
 */

export interface Pos {
  line: number;
  character: number;
}

export interface Range {
  start: Pos;
  end: Pos;
}

export interface FrontmatterEntry {
  key: string;
  value: unknown;
  keyRange: Range;
  valueRange: Range;
}

export interface Frontmatter {
  /** From the opening `---` to the end of the closing `---` line. */
  range: Range;
  /** The mapping, or null when the YAML is malformed or not a mapping. */
  data: Record<string, unknown> | null;
  /** Top-level keys, in source order. */
  entries: FrontmatterEntry[];
  /**
   * Only when the YAML is malformed: the top-level `key: value` lines read one
   * by one, so checks that need a page's status, type or title still work
   * (MkDocs itself would see no metadata; `frontmatter-yaml` says so).
   */
  recovered?: Record<string, string>;
}

export interface Heading {
  /** 1..6 */
  depth: number;
  /** Plain text of the heading, with a trailing `{#id .class}` attribute list removed. */
  text: string;
  /** Explicit id from an attribute list `{#id}`, when present. */
  id?: string;
  /** The whole heading line(s). */
  range: Range;
}

export type LinkKind =
  /** `[text](target)` */
  | 'inline'
  /** `[text][label]`, `[label][]`, `[label]` resolved through a definition */
  | 'reference'
  /** `![alt](src)` or `![alt][label]` */
  | 'image'
  /** `<https://...>` or a GFM literal `https://...` / `www.` */
  | 'autolink'
  /** `<a href="...">` (or `<img src>`) in raw HTML */
  | 'html'
  /** `[label]: target` */
  | 'definition';

export interface Link {
  kind: LinkKind;
  /** The target exactly as written in the source (without `<>` around it). For a
   * reference link, the target of its definition. */
  target: string;
  /** Plain text of the link (alt text for images, the label for definitions). */
  text: string;
  /** The whole construct. */
  range: Range;
  /** Where the target is written. For a reference link, the range of the label
   * inside the link (the target itself is written at the definition). */
  targetRange: Range;
  /** Lower-cased, whitespace-collapsed label for references and definitions. */
  label?: string;
}

/** An indented code block: its first and last line (0-based, inclusive); trailing blank lines are not part of it. */
export interface CodeBlock {
  startLine: number;
  endLine: number;
}

export interface Fence {
  /** First word of the info string, lower-cased (`mermaid`, `python`, ``). */
  lang: string;
  info: string;
  /** From the opening fence line to the closing fence line (or the end of the
   * container when unterminated). */
  range: Range;
  /** The lines between the fences. Empty range when there are none. */
  contentRange: Range;
  /** The text between the fences, with the fence's indentation removed: Mermaid blocks only, '' for
   * every other language (`keepsFenceContent` in common.ts); read the page at `contentRange` instead. */
  content: string;
  /** Whether a closing fence was found. */
  closed: boolean;
}

export interface Placeholder {
  text: string;
  range: Range;
}

export type ParseProblemCode =
  | 'frontmatter-yaml'
  | 'unterminated-fence'
  | 'binary-file'
  | 'file-too-large'
  /** The parser met something it could not handle; what was gathered before is kept. */
  | 'parse-failed';

export interface ParseProblem {
  code: ParseProblemCode;
  message: string;
  range: Range;
}

/** `<!-- pattern-atlas-disable rule -->` and friends. */
export interface Suppression {
  kind: 'disable' | 'enable' | 'disable-next-line' | 'disable-line';
  /** Empty means every rule. */
  rules: string[];
  line: number;
}

export interface PatternDoc {
  frontmatter?: Frontmatter;
  headings: Heading[];
  links: Link[];
  fences: Fence[];
  /** Indented (not fenced) code blocks. */
  codeBlocks: CodeBlock[];
  /** Prose words: excluding frontmatter, code, diagrams, HTML comments. */
  wordCount: number;
  placeholders: Placeholder[];
  suppressions: Suppression[];
  problems: ParseProblem[];
  lineCount: number;
}

export function range(sl: number, sc: number, el: number, ec: number): Range {
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

export function comparePos(a: Pos, b: Pos): number {
  return a.line - b.line || a.character - b.character;
}

export function containsPos(r: Range, p: Pos): boolean {
  return comparePos(r.start, p) <= 0 && comparePos(p, r.end) <= 0;
}
