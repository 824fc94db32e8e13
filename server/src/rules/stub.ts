import { maturity, statusOf } from './maturity.ts';
import { titleRange, type Rule } from './rule.ts';

export const stub: Rule = {
  code: 'stub',
  defaultSeverity: 'info',
  description: 'A pattern marked `status: stub`, or a page that is mostly placeholders.',
  checkPage(site, page, report) {
    if (!page.isPattern) return;
    const status = statusOf(page);
    const statusEntry = page.doc.frontmatter?.entries.find((e) => e.key === 'status');
    if (status === 'stub') {
      report(statusEntry?.valueRange ?? titleRange(page), `'${page.title}' is a stub (status: stub)`, { status });
      return;
    }
    if (status !== undefined) return; // a declared non-stub status is judged by status-mismatch
    const m = maturity(site, page);
    if (m.looksStub) {
      report(titleRange(page), `'${page.title}' looks like a stub: ${m.words} words of prose, ${m.placeholders} placeholders, ${m.missing.length} required sections missing`, {
        words: m.words,
        placeholders: m.placeholders,
      });
    }
  },
};
