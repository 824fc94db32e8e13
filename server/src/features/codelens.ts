/**
 * Code lenses: above a Law/Pillar page's title, "N patterns cite this"; above
 * a pattern's title, "N references" (links to it from other pages); above
 * every Mermaid fence, "Preview diagram".
 *
 * Lenses carry a command id and plain arguments (absolute file paths and
 * our own positions); the LSP layer turns paths into URIs.
 */
import type { Pos, Range } from '../parse/types.ts';
import { titleRange } from '../rules/rule.ts';
import type { Site } from '../site/site.ts';
import { conceptPages, patternsCiting, snapshotLinkIndex, type LinkIndex } from './link-context.ts';
import { linksTo } from './references.ts';

export const SHOW_REFERENCES_COMMAND = 'patternAtlas.showReferences';
export const PREVIEW_DIAGRAM_COMMAND = 'patternAtlas.previewDiagram';

/** A place a lens points at: an absolute file and a range in it. */
export interface LensLocation {
  file: string;
  range: Range;
}

export interface CodeLens {
  /** The lens shows above `range.start.line`. */
  range: Range;
  title: string;
  command: string;
  /**
   * - `patternAtlas.showReferences`: `[file, position, locations]` (this page's
   *   absolute path, where to peek, and the `LensLocation`s to list), the
   *   arguments of VS Code's `editor.action.showReferences`.
   * - `patternAtlas.previewDiagram`: `[file, fenceLine]` (absolute path, 0-based
   *   line of the opening fence).
   */
  args: unknown[];
  /** For reference lenses: the docs-relative paths of the citing / linking pages. */
  data?: { paths: string[] };
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function getCodeLenses(site: Site, path: string, index: LinkIndex = snapshotLinkIndex(site)): CodeLens[] {
  const page = site.pages.get(path);
  if (!page) return [];
  const file = site.absPath(path);
  const out: CodeLens[] = [];
  const top = titleRange(page);
  const showRefs = (title: string, locations: Array<{ path: string; range: Range }>): CodeLens => ({
    range: top,
    title,
    command: SHOW_REFERENCES_COMMAND,
    args: [file, top.start satisfies Pos, locations.map((l) => ({ file: site.absPath(l.path), range: l.range }) satisfies LensLocation)],
    data: { paths: [...new Set(locations.map((l) => l.path))] },
  });

  const concept = site.conceptAt(path);
  if (concept) {
    // A pattern cites the concept through a link to its page or to a page of its folder (as hover counts).
    const citing = patternsCiting(site, path, index);
    const isCiting = new Set(citing);
    const locations: Array<{ path: string; range: Range }> = [];
    for (const target of conceptPages(site, path)) {
      if (site.conceptOwning(target) !== concept) continue;
      for (const l of linksTo(site, { path: target }, index)) if (isCiting.has(l.path)) locations.push(l);
    }
    locations.sort((a, b) => a.path.localeCompare(b.path) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    const lens = showRefs(plural(citing.length, 'pattern cites this', 'patterns cite this'), locations);
    lens.data = { paths: citing };
    out.push(lens);
  }
  if (page.isPattern) {
    const locations = linksTo(site, { path }, index).filter((l) => l.path !== path);
    out.push(showRefs(plural(locations.length, 'reference', 'references'), locations));
  }
  for (const f of page.doc.fences) {
    if (f.lang !== 'mermaid') continue;
    out.push({ range: f.range, title: 'Preview diagram', command: PREVIEW_DIAGRAM_COMMAND, args: [file, f.range.start.line] });
  }
  return out;
}
