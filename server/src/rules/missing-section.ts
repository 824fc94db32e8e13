import { maturity, statusOf } from './maturity.ts';
import { titleRange, type Rule } from './rule.ts';

export const missingSection: Rule = {
  code: 'missing-section',
  defaultSeverity: 'warning',
  description: 'A pattern lacks a section its template requires (matched on the leading label, e.g. "Level 3").',
  checkPage(site, page, report) {
    if (!page.isPattern || statusOf(page) === 'stub') return;
    const m = maturity(site, page);
    const labels = site.requiredSections.labels;
    for (const missing of m.missing) {
      const idx = labels.indexOf(missing);
      report(titleRange(page), `Missing section '${missing}' (required by ${site.requiredSections.source})`, {
        section: missing,
        after: idx > 0 ? labels[idx - 1] : undefined,
      });
    }
  },
};
