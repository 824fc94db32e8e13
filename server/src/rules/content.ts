import { maturity, statusOf } from './maturity.ts';
import { titleRange, type Rule } from './rule.ts';

export const missingDiagram: Rule = {
  code: 'missing-diagram',
  defaultSeverity: 'info',
  description: 'A pattern without a single Mermaid diagram.',
  checkPage(_site, page, report) {
    if (!page.isPattern || statusOf(page) === 'stub') return;
    if (page.doc.fences.some((f) => f.lang === 'mermaid')) return;
    report(titleRange(page), `'${page.title}' has no Mermaid diagram`);
  },
};

export const tooShort: Rule = {
  code: 'too-short',
  defaultSeverity: 'info',
  description: 'A pattern with less prose than the configured minimum (minWords, default 500).',
  checkPage(site, page, report) {
    if (!page.isPattern || statusOf(page) === 'stub') return;
    const words = maturity(site, page).words;
    if (words >= site.config.minWords) return;
    report(titleRange(page), `'${page.title}' has ${words} words of prose; the minimum is ${site.config.minWords}`, { words, minWords: site.config.minWords });
  },
};
