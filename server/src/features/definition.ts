/**
 * Go to definition: from a link to the page it points at, or to the heading
 * its `#anchor` names (on the same page for `#anchor` alone).
 */
import type { Pos, Range } from '../parse/types.ts';
import type { Site } from '../site/site.ts';
import { linkAt } from './link-context.ts';

export interface Location {
  /** docs-relative path of a page, or of an asset. */
  path: string;
  range: Range;
}

const TOP: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function findDefinition(site: Site, path: string, pos: Pos): Location[] {
  const page = site.pages.get(path);
  if (!page) return [];
  const link = linkAt(page, pos);
  if (!link) return [];
  const r = site.resolve(path, link.target, link.kind);
  if (r.kind === 'asset') return [{ path: r.path, range: TOP }];
  if (r.kind !== 'page' && r.kind !== 'self') return [];
  const targetPath = r.kind === 'self' ? path : r.path;
  const target = site.pages.get(targetPath);
  if (!target) return [];
  if (r.anchor) {
    const i = target.headingIds.indexOf(r.anchor);
    if (i >= 0) return [{ path: targetPath, range: target.doc.headings[i].range }];
  }
  return [{ path: targetPath, range: TOP }];
}
