import { titleRange, type Rule } from './rule.ts';

export const notInNav: Rule = {
  code: 'not-in-nav',
  defaultSeverity: 'warning',
  description: 'A catalog page (pattern, Law, Pillar) that the nav: of mkdocs.yml does not list.',
  mkdocsValidation: 'omittedFiles',
  checkPage(site, page, report) {
    if (site.inNav(page.path)) return; // also every page of a site without nav: (MkDocs lists them all)
    if (!page.isPattern && !site.conceptAt(page.path)) return;
    report(titleRange(page), `'${page.title}' (${page.path}) is not in the nav of mkdocs.yml`, { path: page.path });
  },
};
