/**
 * Document symbols (the page outline: H1 > "Level 1: Intuition" > H3, with
 * the frontmatter block and each Mermaid diagram in its section) and
 * workspace symbols (patterns, Laws, Pillars and other pages by title, fuzzy).
 *
 * Plain data over a `Site` snapshot; the LSP layer converts kinds and paths.
 */
import type { Range } from '../parse/types.ts';
import { titleRange } from '../rules/rule.ts';
import { stripDecorations, type Page, type Site } from '../site/site.ts';
import { dirname } from '../site/workspace.ts';
import { splitLines } from '../parse/prepare.ts';
import { sectionEnds } from './sections.ts';

export type DocumentSymbolKind = 'heading' | 'frontmatter' | 'diagram';

export interface DocumentSymbol {
  name: string;
  kind: DocumentSymbolKind;
  /** Heading depth (1..6), for headings. */
  depth?: number;
  /** A short extra: the diagram type (`sequenceDiagram`), the frontmatter title. */
  detail?: string;
  /** The whole construct: a heading's whole section, a block's fences. */
  range: Range;
  /** What to highlight: the heading line, the opening fence line. */
  selectionRange: Range;
  children: DocumentSymbol[];
}

/**
 * The outline of one page. `text` (the page's current text) makes section
 * ranges end exactly at their last non-blank line; without it they end at
 * the start of the next section.
 */
export function getDocumentSymbols(site: Site, path: string, text?: string): DocumentSymbol[] {
  const page = site.pages.get(path);
  if (!page) return [];
  const doc = page.doc;
  const lines = text === undefined ? undefined : splitLines(text);
  const roots: DocumentSymbol[] = [];
  const fm = doc.frontmatter;
  if (fm) {
    const title = fm.data?.title;
    roots.push({
      name: 'Frontmatter',
      kind: 'frontmatter',
      ...(typeof title === 'string' ? { detail: title } : {}),
      range: fm.range,
      selectionRange: { start: fm.range.start, end: { line: fm.range.start.line, character: fm.range.start.character + 3 } },
      children: [],
    });
  }
  const ends = sectionEnds(doc, lines);
  // Open headings, innermost last.
  const stack: DocumentSymbol[] = [];
  const headings = doc.headings.map((h, i) => ({ h, i }));
  const diagrams = doc.fences.filter((f) => f.lang === 'mermaid');
  let d = 0;
  const placeDiagramsBefore = (line: number) => {
    for (; d < diagrams.length && diagrams[d].range.start.line < line; d++) {
      const f = diagrams[d];
      const start = f.range.start;
      const opening = lines?.[start.line];
      const kind = f.content.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('%%'));
      const sym: DocumentSymbol = {
        name: 'Mermaid diagram',
        kind: 'diagram',
        ...(kind ? { detail: kind.split(/\s+/)[0] } : {}),
        range: f.range,
        selectionRange: { start, end: { line: start.line, character: opening !== undefined ? opening.trimEnd().length : start.character } },
        children: [],
      };
      // The innermost open section: the last heading above the diagram is the deepest one still open.
      (stack.length ? stack[stack.length - 1].children : roots).push(sym);
    }
  };
  for (const { h, i } of headings) {
    placeDiagramsBefore(h.range.start.line);
    while (stack.length && (stack[stack.length - 1].depth ?? 0) >= h.depth) stack.pop();
    const sym: DocumentSymbol = {
      name: h.text || '(empty heading)',
      kind: 'heading',
      depth: h.depth,
      range: { start: h.range.start, end: ends[i] },
      selectionRange: h.range,
      children: [],
    };
    (stack.length ? stack[stack.length - 1].children : roots).push(sym);
    stack.push(sym);
  }
  placeDiagramsBefore(Number.MAX_SAFE_INTEGER);
  return roots;
}

// ---------------------------------------------------------------------------
// Workspace symbols

export type WorkspaceSymbolKind = 'pattern' | 'concept' | 'page';

export interface WorkspaceSymbol {
  /** The page title: "Circuit Breaker", "Law 2: Asynchronous Reality". */
  name: string;
  kind: WorkspaceSymbolKind;
  /** For concepts: `law`, `pillar` (the configured kind). */
  conceptKind?: string;
  /** Where it sits: the pattern's category, "Laws", or the page's folder. */
  container?: string;
  /** docs-relative path. */
  path: string;
  /** Absolute file path. */
  file: string;
  /** The H1 (else the frontmatter title, else the top of the file). */
  range: Range;
}

export const WORKSPACE_SYMBOL_LIMIT = 200;

/** 0: prefix, 1: every query piece starts a word, 2: subsequence; undefined: no match. */
export function matchTier(query: string, title: string): 0 | 1 | 2 | undefined {
  const t = stripDecorations(title).toLowerCase();
  const q = query.trim().toLowerCase();
  const qc = q.replace(/\s+/g, '');
  if (!qc || t.startsWith(q)) return 0;
  const words = t.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (wordStarts(qc, words)) return 1;
  let i = 0;
  for (const ch of t) if (i < qc.length && ch === qc[i]) i++;
  return i === qc.length ? 2 : undefined;
}

/** Whether `q` splits into pieces that are prefixes of successive (not necessarily adjacent) words. */
function wordStarts(q: string, words: string[]): boolean {
  const failed = new Set<number>();
  const go = (qi: number, wi: number): boolean => {
    if (qi === q.length) return true;
    const key = qi * (words.length + 1) + wi;
    if (failed.has(key)) return false;
    for (let w = wi; w < words.length; w++) {
      const word = words[w];
      for (let k = Math.min(word.length, q.length - qi); k >= 1; k--) {
        if (word.startsWith(q.slice(qi, qi + k)) && go(qi + k, w + 1)) return true;
      }
    }
    failed.add(key);
    return false;
  };
  return go(0, 0);
}

/**
 * Patterns, Laws and Pillars (then every other page) whose title matches
 * `query`: prefix matches first, then word-start matches ("cb" for "Circuit
 * Breaker", "l2" for "Law 2: ..."), then any subsequence. At most 200.
 */
export function getWorkspaceSymbols(site: Site, query: string): WorkspaceSymbol[] {
  const scored: Array<{ sym: WorkspaceSymbol; group: number; tier: number }> = [];
  const seen = new Set<string>();
  const add = (page: Page, sym: Omit<WorkspaceSymbol, 'path' | 'file' | 'range'>, group: number) => {
    if (seen.has(page.path)) return;
    seen.add(page.path);
    const tier = matchTier(query, sym.name);
    if (tier === undefined) return;
    scored.push({ sym: { ...sym, path: page.path, file: site.absPath(page.path), range: titleRange(page) }, group, tier });
  };
  for (const c of site.concepts) {
    const page = site.pages.get(c.path);
    if (page) add(page, { name: c.title, kind: 'concept', conceptKind: c.kind, container: c.label + 's' }, 0);
  }
  for (const p of site.patterns) {
    const cat = p.doc.frontmatter?.data?.category;
    add(p, { name: p.title, kind: 'pattern', ...(typeof cat === 'string' && cat ? { container: cat } : {}) }, 0);
  }
  for (const p of site.pages.values()) {
    const dir = dirname(p.path);
    add(p, { name: p.title, kind: 'page', ...(dir ? { container: dir } : {}) }, 1);
  }
  scored.sort(
    (a, b) =>
      a.group - b.group ||
      a.tier - b.tier ||
      stripDecorations(a.sym.name).localeCompare(stripDecorations(b.sym.name), 'en', { numeric: true, sensitivity: 'base' }) ||
      a.sym.path.localeCompare(b.sym.path),
  );
  return scored.slice(0, WORKSPACE_SYMBOL_LIMIT).map((s) => s.sym);
}
