/**
 * Document links: every link target of a page made clickable. A link to a
 * page or asset opens the file (at its heading's line for `#anchor`s); an
 * external link opens its URL; a broken link is left to the diagnostics.
 */
import type { Range } from '../parse/types.ts';
import type { Site } from '../site/site.ts';

export interface DocumentLink {
  /** Where the target is written (for a reference link: its label). */
  range: Range;
  /**
   * What to open: an absolute file path, with `#L<n>` (1-based line, the
   * convention editors read in file URIs) when the link names a heading; or
   * an external URL as written.
   */
  target: string;
  /** The same, structured: the absolute file (absent for external URLs)... */
  file?: string;
  /** ...and the 0-based line of the heading an `#anchor` names. */
  line?: number;
  /** External links (`https:`, `mailto:`, GFM `www.` literals). */
  external?: boolean;
  tooltip?: string;
}

export function getDocumentLinks(site: Site, path: string): DocumentLink[] {
  const page = site.pages.get(path);
  if (!page) return [];
  const out: DocumentLink[] = [];
  for (const link of page.doc.links) {
    if (link.kind === 'autolink') {
      const url = /^www\./i.test(link.target) ? 'http://' + link.target : link.target;
      out.push({ range: link.targetRange, target: url, external: true });
      continue;
    }
    const r = site.resolve(path, link.target, link.kind);
    if (r.kind === 'skip') {
      if (r.why === 'external') out.push({ range: link.targetRange, target: link.target.trim(), external: true });
      continue;
    }
    if (r.kind === 'broken') continue;
    if (r.kind === 'asset') {
      out.push({ range: link.targetRange, target: site.absPath(r.path), file: site.absPath(r.path), tooltip: r.path });
      continue;
    }
    const to = r.kind === 'self' ? path : r.path;
    const target = site.pages.get(to);
    const file = site.absPath(to);
    const anchor = r.anchor;
    const i = anchor && target ? target.headingIds.indexOf(anchor) : -1;
    const heading = i >= 0 ? target!.doc.headings[i] : undefined;
    const title = target?.title ?? to;
    if (heading) {
      const line = heading.range.start.line;
      out.push({ range: link.targetRange, target: `${file}#L${line + 1}`, file, line, tooltip: `${title} › ${heading.text} (${to})` });
    } else {
      out.push({ range: link.targetRange, target: file, file, tooltip: `${title} (${to})` });
    }
  }
  return out;
}
