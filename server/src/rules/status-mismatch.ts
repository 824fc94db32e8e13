import { maturity, statusOf } from './maturity.ts';
import type { Rule } from './rule.ts';

export const statusMismatch: Rule = {
  code: 'status-mismatch',
  defaultSeverity: 'warning',
  description: "A pattern's `status:` disagrees with its content (complete but a stub, or stub but complete).",
  checkPage(site, page, report) {
    if (!page.isPattern) return;
    const status = statusOf(page);
    const entry = page.doc.frontmatter?.entries.find((e) => e.key === 'status');
    if (!entry || !status) return;
    const m = maturity(site, page);
    if (status === 'complete' && m.looksStub) {
      report(entry.valueRange, `Marked complete but reads like a stub: ${m.words} words of prose, ${m.placeholders} placeholders, ${m.missing.length + m.empty.length} required sections missing or empty`, {
        status,
        suggested: 'stub',
      });
    } else if (status === 'stub' && m.looksComplete) {
      report(entry.valueRange, `Marked stub but every required section is written (${m.words} words, with a diagram): set status: complete`, {
        status,
        suggested: 'complete',
      });
    }
  },
};
