/**
 * The catalog's patterns index page: the page whose table or list links to
 * the pattern pages (`patterns/index.md` and the like), or the one
 * `.pattern-atlas.yml` names with `patternsIndex:` (`false`: none).
 *
 * Discovery: among the pages linking to at least 3 pattern pages and to at
 * least half of the other patterns, a folder `index.md`/`README.md` whose
 * folder holds at least half of what it links to wins, then the page linking to the
 * most patterns, then the deeper folder, then the shorter path.
 *
 * Derived once per `Site` snapshot from each page's links to pattern pages,
 * kept per page so that an edit which leaves the pattern set alone
 * re-derives only when the edited page's links to patterns changed.
 * Pure: reads the snapshot, no IO.
 */
import type { Page, Site } from './site.ts';
import { dirname, normalizePath } from './workspace.ts';

export interface PatternsIndex {
  /** docs-relative path of the index page. */
  path: string;
  /** The pattern pages (docs-relative) it links to. */
  links: ReadonlySet<string>;
  /** Named in `.pattern-atlas.yml`, or found from the links. */
  source: 'config' | 'discovered';
}

export interface IndexFacts {
  /** Per page, the pattern pages it links to; pages linking to none are absent. */
  links: ReadonlyMap<string, ReadonlySet<string>>;
  index?: PatternsIndex;
}

const NONE: IndexFacts = { links: new Map() };

/** The docs-relative page `.pattern-atlas.yml` names, `false` for none, undefined to discover. */
export function configuredIndex(site: Site): string | false | undefined {
  const c = site.config.patternsIndex;
  if (c === undefined || c === false) return c;
  return site.docsPath(normalizePath(site.root + '/' + c.path)) ?? '';
}

/** The pattern pages a page links to (itself excluded), or undefined for none. */
export function patternLinksOf(site: Site, page: Page): ReadonlySet<string> | undefined {
  let out: Set<string> | undefined;
  for (const l of page.doc.links) {
    if (l.kind === 'image') continue;
    const r = site.resolve(page.path, l.target, l.kind);
    if (r.kind !== 'page' || r.path === page.path || !site.pages.get(r.path)?.isPattern) continue;
    (out ??= new Set()).add(r.path);
  }
  return out;
}

/** The index facts of a snapshot, from scratch. */
export function deriveIndexFacts(site: Site): IndexFacts {
  const wanted = configuredIndex(site);
  if (wanted === false) return NONE;
  const links = new Map<string, ReadonlySet<string>>();
  const pages = wanted === undefined ? site.pages.values() : [site.pages.get(wanted)].filter((p): p is Page => !!p);
  for (const p of pages) {
    const l = patternLinksOf(site, p);
    if (l) links.set(p.path, l);
  }
  return { links, index: chooseIndex(site, links, wanted) };
}

/** The index facts after `page` was edited and the pattern set stayed the same. */
export function updateIndexFacts(site: Site, prev: IndexFacts, page: Page): IndexFacts {
  const wanted = configuredIndex(site);
  if (wanted === false || (wanted !== undefined && wanted !== page.path)) return prev;
  const now = patternLinksOf(site, page);
  if (sameSet(now, prev.links.get(page.path))) return prev;
  const links = new Map(prev.links);
  if (now) links.set(page.path, now);
  else links.delete(page.path);
  return { links, index: chooseIndex(site, links, wanted) };
}

function chooseIndex(site: Site, links: ReadonlyMap<string, ReadonlySet<string>>, wanted: string | undefined): PatternsIndex | undefined {
  if (wanted !== undefined) return site.pages.has(wanted) ? { path: wanted, links: links.get(wanted) ?? new Set(), source: 'config' } : undefined;
  let best: { path: string; score: number[] } | undefined;
  for (const [path, set] of links) {
    const others = site.patterns.length - (site.pages.get(path)?.isPattern ? 1 : 0);
    if (set.size < 3 || set.size * 2 < others) continue;
    const dir = dirname(path);
    const folderIndex = /(^|\/)(index|README)\.md$/.test(path);
    const under = folderIndex ? [...set].filter((p) => dir === '' || p.startsWith(dir + '/')).length : 0;
    const score = [folderIndex && under * 2 >= set.size ? 1 : 0, set.size, dir ? dir.split('/').length : 0, -path.length];
    if (!best || better(score, best.score) || (equal(score, best.score) && path < best.path)) best = { path, score };
  }
  return best ? { path: best.path, links: links.get(best.path)!, source: 'discovered' } : undefined;
}

function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}

function equal(a: number[], b: number[]): boolean {
  return a.every((x, i) => x === b[i]);
}

function sameSet(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  if (!a || !b) return !a && !b;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
