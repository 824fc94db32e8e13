import { titleRange, type Rule } from './rule.ts';

export const notInNav: Rule = {
  code: 'not-in-nav',
  defaultSeverity: 'warning',
  description: 'A catalog page (pattern, Law, Pillar) that the nav: of mkdocs.yml does not list.',
  mkdocsValidation: 'omittedFiles',
  checkPage(site, page, report) {
    if (!site.mkdocs.nav) return; // without nav: MkDocs lists every page
    const catalog = page.isPattern || !!site.conceptAt(page.path);
    if (!catalog || site.navPaths.has(page.path) || site.isDeliberatelyNotInNav(page.path)) return;
    report(titleRange(page), `'${page.title}' (${page.path}) is not in the nav of mkdocs.yml`, { path: page.path });
  },
};
