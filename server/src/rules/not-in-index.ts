/**
 * `not-in-index`: a pattern page that the catalog's patterns index page (the
 * table or list of all patterns, `Site.patternsIndex`) does not link to.
 * Pages marked `status: stub` are not expected there: the catalogs we know
 * list only written patterns (the shared corpus lists none of its stubs).
 */
import type { Page, Site } from '../site/site.ts';
import { statusOf } from './maturity.ts';
import { titleRange, type Rule } from './rule.ts';

/** Whether the patterns index should list this page and does not. */
export function missingFromIndex(site: Site, page: Page): boolean {
  const index = site.patternsIndex;
  return !!index && page.isPattern && page.path !== index.path && !index.links.has(page.path) && statusOf(page) !== 'stub';
}

export const notInIndex: Rule = {
  code: 'not-in-index',
  defaultSeverity: 'info',
  description: "A pattern page (not a stub) that the catalog's patterns index page (its table or list of patterns) does not link to.",
  checkPage(site, page, report) {
    if (!missingFromIndex(site, page)) return;
    const index = site.patternsIndex!.path;
    report(titleRange(page), `'${page.title}' (${page.path}) is not listed on the patterns index page ${index}`, { path: page.path, index });
  },
};
