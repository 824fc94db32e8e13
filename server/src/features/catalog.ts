/**
 * The catalog as the editor's views show it: patterns with status, category,
 * place in the nav and problem count; Laws and Pillars with the patterns
 * citing them; status counts. Plain data over a snapshot and its findings.
 */
import type { Finding } from '../rules/rule.ts';
import { citedConcepts } from '../rules/concepts.ts';
import { statusOf } from '../rules/maturity.ts';
import { autoNavSection, navPagePath } from '../site/mkdocs.ts';
import type { Site } from '../site/site.ts';

export interface CatalogData {
  site?: string;
  /** mkdocs.yml has no `nav:`: MkDocs makes the nav from the folders. */
  autoNav: boolean;
  patterns: Array<{
    path: string;
    abs: string;
    title: string;
    status: string;
    category?: string;
    /** `Site.inNav`: false exactly when not-in-nav reports the page. */
    inNav: boolean;
    /** The nav MkDocs builds (mkdocs.yml's, or the one it makes from the folders) lists the page. */
    navListed: boolean;
    navSection?: string;
    problems: number;
  }>;
  concepts: Array<{ kind: string; label: string; number: number; title: string; path: string; abs: string; citedBy: string[] }>;
  counts: { complete: number; partial: number; stub: number; total: number };
}

export function getCatalog(site: Site, findings: Finding[]): CatalogData {
  const problems = new Map<string, number>();
  for (const f of findings) problems.set(f.file, (problems.get(f.file) ?? 0) + 1);
  const autoNav = !site.mkdocs.nav;
  const sectionOf = new Map<string, string>();
  for (const e of site.mkdocs.nav ?? []) {
    const p = navPagePath(e, site.mkdocs);
    if (p !== undefined && e.section.length) sectionOf.set(p, e.section[e.section.length - 1]);
  }
  const citing = new Map<string, string[]>();
  const patterns = site.patterns.map((p) => {
    for (const c of citedConcepts(site, p)) {
      const l = citing.get(c.path) ?? [];
      l.push(site.siteRel(p.path));
      citing.set(c.path, l);
    }
    const category = p.doc.frontmatter?.data?.category;
    // Without nav: MkDocs lists every page but those not_in_nav covers, in sections named after their folders.
    const navListed = autoNav ? !site.isDeliberatelyNotInNav(p.path) : site.navPaths.has(p.path);
    return {
      path: site.siteRel(p.path),
      abs: site.absPath(p.path),
      title: p.title,
      status: statusOf(p) ?? 'unknown',
      category: typeof category === 'string' ? category : undefined,
      inNav: site.inNav(p.path),
      navListed,
      navSection: !navListed ? undefined : autoNav ? autoNavSection(p.path) : sectionOf.get(p.path),
      problems: problems.get(site.siteRel(p.path)) ?? 0,
    };
  });
  const counts = { complete: 0, partial: 0, stub: 0, total: patterns.length };
  for (const p of patterns) if (p.status === 'complete' || p.status === 'partial' || p.status === 'stub') counts[p.status]++;
  return {
    site: site.mkdocs.siteName,
    autoNav,
    patterns,
    concepts: site.concepts.map((c) => ({
      kind: c.kind,
      label: c.label,
      number: c.number,
      title: c.title,
      path: site.siteRel(c.path),
      abs: site.absPath(c.path),
      citedBy: citing.get(c.path) ?? [],
    })),
    counts,
  };
}
