import { maturity, statusOf } from './maturity.ts';
import type { Rule } from './rule.ts';

export const emptySection: Rule = {
  code: 'empty-section',
  defaultSeverity: 'warning',
  description: 'A required section of a pattern has no content (or only placeholders).',
  checkPage(site, page, report) {
    if (!page.isPattern || statusOf(page) === 'stub') return;
    for (const e of maturity(site, page).empty) {
      const h = page.doc.headings[e.headingIndex];
      report(h.range, `Section '${h.text}' is empty`, { section: e.label });
    }
  },
};
