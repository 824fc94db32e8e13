/**
 * Find references (backlinks): on a link, every link to the same page (and
 * anchor); on a heading, every link to that heading; anywhere else, every
 * link to the page. Candidates come from the backlink index, so only the
 * pages that link here are read.
 */
import type { Pos } from '../parse/types.ts';
import type { Site } from '../site/site.ts';
import type { Location } from './definition.ts';
import { headingAt, linkAt, snapshotLinkIndex, type LinkIndex } from './link-context.ts';

export interface ReferenceTarget {
  path: string;
  anchor?: string;
}

/** What the cursor asks references for. */
export function referenceTargetAt(site: Site, path: string, pos: Pos): ReferenceTarget | undefined {
  const page = site.pages.get(path);
  if (!page) return undefined;
  const link = linkAt(page, pos);
  if (link) {
    const r = site.resolve(path, link.target, link.kind);
    if (r.kind === 'page') return { path: r.path, anchor: r.anchor };
    if (r.kind === 'self') return { path, anchor: r.anchor };
    return undefined;
  }
  const h = headingAt(page, pos);
  // The H1 is the page itself: its references are the links to the page.
  if (h && h.heading.depth > 1) return { path, anchor: page.headingIds[h.index] };
  return { path };
}

/** Every link to a page (or to one of its anchors), in path then position order. */
export function linksTo(site: Site, target: ReferenceTarget, index: LinkIndex = snapshotLinkIndex(site)): Location[] {
  const out: Location[] = [];
  for (const from of [...index.linkedFrom(target.path)].sort()) {
    const page = site.pages.get(from);
    if (!page) continue;
    for (const link of page.doc.links) {
      const r = site.resolve(from, link.target, link.kind);
      const to = r.kind === 'page' ? r.path : r.kind === 'self' ? from : undefined;
      if (to !== target.path) continue;
      if (target.anchor !== undefined && (r as { anchor?: string }).anchor !== target.anchor) continue;
      out.push({ path: from, range: link.range });
    }
  }
  return out;
}

export function findReferences(site: Site, path: string, pos: Pos, includeDeclaration: boolean, index: LinkIndex = snapshotLinkIndex(site)): Location[] {
  const target = referenceTargetAt(site, path, pos);
  if (!target) return [];
  const out = linksTo(site, target, index);
  if (includeDeclaration && target.anchor !== undefined) {
    const page = site.pages.get(target.path);
    const i = page ? page.headingIds.indexOf(target.anchor) : -1;
    if (page && i >= 0) out.unshift({ path: target.path, range: page.doc.headings[i].range });
  }
  return out;
}
