/**
 * Cursor and link helpers shared by completion, hover, definition and
 * references: the link or heading under a position, the link style a page
 * already uses, and the backlink index interface (which pages link to which,
 * position-free) that the server's live index implements.
 *
 * Invariant: no LSP types; reads only the snapshot.
 */
import type { Heading, Link, Pos } from '../parse/types.ts';
import { comparePos, containsPos } from '../parse/types.ts';
import type { Page, Site } from '../site/site.ts';
import type { Resolution } from '../site/resolve.ts';
import { dirname } from '../site/workspace.ts';

export type LinkStyle = 'source' | 'url-relative' | 'url-absolute';

/** Which pages link to a page: the live index in the server, or one built from a snapshot. */
export interface LinkIndex {
  linkedFrom(path: string): ReadonlySet<string>;
}

const EMPTY: ReadonlySet<string> = new Set();

/** The docs-relative pages a page's links resolve to (self-links included). */
export function linkTargets(site: Site, page: Page): Set<string> {
  const out = new Set<string>();
  for (const link of page.doc.links) {
    const r = site.resolve(page.path, link.target, link.kind);
    if (r.kind === 'page') out.add(r.path);
    else if (r.kind === 'self') out.add(page.path);
  }
  return out;
}

const built = new WeakMap<Site, LinkIndex>();

/** A backlink index computed from the whole snapshot once (memoized per snapshot). */
export function snapshotLinkIndex(site: Site): LinkIndex {
  let idx = built.get(site);
  if (!idx) {
    const from = new Map<string, Set<string>>();
    for (const page of site.pages.values()) {
      for (const t of linkTargets(site, page)) {
        let s = from.get(t);
        if (!s) from.set(t, (s = new Set()));
        s.add(page.path);
      }
    }
    idx = { linkedFrom: (p) => from.get(p) ?? EMPTY };
    built.set(site, idx);
  }
  return idx;
}

/** The link under a position: the innermost (last-starting) one whose range holds it. */
export function linkAt(page: Page, pos: Pos): Link | undefined {
  let best: Link | undefined;
  for (const l of page.doc.links) {
    if (!containsPos(l.range, pos)) continue;
    if (!best || comparePos(l.range.start, best.range.start) >= 0) best = l;
  }
  return best;
}

/** The heading whose line(s) hold the position, with its index. */
export function headingAt(page: Page, pos: Pos): { heading: Heading; index: number } | undefined {
  const i = page.doc.headings.findIndex((h) => h.range.start.line <= pos.line && pos.line <= h.range.end.line);
  return i < 0 ? undefined : { heading: page.doc.headings[i], index: i };
}

/** How a written target is spelled: `x.md` source link, `../x/` URL-relative, `/x/` site-absolute. */
export function styleOfTarget(target: string, r: Resolution): LinkStyle | undefined {
  if (r.kind !== 'page') return undefined;
  if (r.style === 'source') return 'source';
  return target.trim().startsWith('/') ? 'url-absolute' : 'url-relative';
}

/**
 * The style a page already uses for links to other pages: that of its links
 * to concept pages when it has some, else its most common style, else `.md`
 * source links.
 */
export function linkStyleOf(site: Site, page: Page): LinkStyle {
  const all = new Map<LinkStyle, number>();
  const concept = new Map<LinkStyle, number>();
  for (const link of page.doc.links) {
    if (link.kind === 'image' || link.kind === 'reference' || link.kind === 'autolink') continue;
    const r = site.resolve(page.path, link.target, link.kind);
    const s = styleOfTarget(link.target, r);
    if (!s || r.kind !== 'page') continue;
    all.set(s, (all.get(s) ?? 0) + 1);
    if (site.conceptOwning(r.path)) concept.set(s, (concept.get(s) ?? 0) + 1);
  }
  const pick = (m: Map<LinkStyle, number>) => [...m].sort((a, b) => b[1] - a[1])[0]?.[0];
  return pick(concept) ?? pick(all) ?? 'source';
}

/** Pages owned by a concept: its page, and for an `index.md` concept page, the pages of its folder. */
export function conceptPages(site: Site, conceptPath: string): string[] {
  if (!/(^|\/)(index|README)\.md$/.test(conceptPath)) return [conceptPath];
  const dir = dirname(conceptPath);
  if (!dir) return [conceptPath];
  return [...site.pages.keys()].filter((p) => p === conceptPath || p.startsWith(dir + '/'));
}

/** The pattern pages citing a concept (linking to its page or a page of its folder). */
export function patternsCiting(site: Site, conceptPath: string, index: LinkIndex = snapshotLinkIndex(site)): string[] {
  const out = new Set<string>();
  const concept = site.conceptAt(conceptPath);
  for (const p of conceptPages(site, conceptPath)) {
    // A page in the folder counts only when it belongs to this concept.
    if (concept && site.conceptOwning(p) !== concept) continue;
    for (const from of index.linkedFrom(p)) if (site.pages.get(from)?.isPattern) out.add(from);
  }
  return [...out].sort();
}
