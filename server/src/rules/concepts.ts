import type { Concept, Page, Site } from '../site/site.ts';
import { statusOf } from './maturity.ts';
import { titleRange, type Rule } from './rule.ts';

/** Concepts a page cites through links that resolve to a concept's page (or a page in its folder). */
export function citedConcepts(site: Site, page: Page): Concept[] {
  const out = new Set<Concept>();
  for (const link of page.doc.links) {
    if (link.kind === 'reference') continue;
    const r = site.resolve(page.path, link.target, link.kind);
    if (r.kind !== 'page') continue;
    const c = site.conceptOwning(r.path);
    if (c) out.add(c);
  }
  return [...out];
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const missingConceptLinks: Rule = {
  code: 'missing-concept-links',
  defaultSeverity: 'info',
  description: 'A pattern that links to no Law, or to no Pillar (any configured concept kind).',
  checkPage(site, page, report) {
    if (!page.isPattern || statusOf(page) === 'stub') return;
    const cited = citedConcepts(site, page);
    for (const kind of site.config.concepts) {
      if (!site.concepts.some((c) => c.kind === kind.kind)) continue;
      if (cited.some((c) => c.kind === kind.kind)) continue;
      report(titleRange(page), `'${page.title}' cites no ${kind.label}: link at least one ${kind.label} page`, { kind: kind.kind });
    }
  },
};

export const conceptMismatch: Rule = {
  code: 'concept-mismatch',
  defaultSeverity: 'warning',
  description: 'Link text names "Law 2" but the link goes to another Law\'s page, or names a Law that does not exist.',
  checkPage(site, page, report) {
    if (!site.config.concepts.length) return;
    const re = new RegExp(`\\b(${site.config.concepts.map((k) => escape(k.label)).join('|')})\\s+(\\d+)\\b`, 'i');
    for (const link of page.doc.links) {
      if (link.kind === 'definition' || link.kind === 'image') continue;
      const m = re.exec(link.text);
      if (!m) continue;
      const kind = site.config.concepts.find((k) => k.label.toLowerCase() === m[1].toLowerCase())!;
      const number = Number(m[2]);
      const all = site.concepts.filter((c) => c.kind === kind.kind);
      if (!all.length) continue;
      const named = all.find((c) => c.number === number);
      if (!named) {
        const nums = all.map((c) => c.number);
        report(link.range, `'${kind.label} ${number}' does not exist: the catalog has ${kind.label}s ${Math.min(...nums)}-${Math.max(...nums)}`, {
          target: link.target,
          kind: kind.kind,
          number,
        });
        continue;
      }
      const r = site.resolve(page.path, link.target, link.kind);
      if (r.kind !== 'page') continue;
      const owner = site.conceptOwning(r.path);
      if (!owner || owner === named) continue;
      report(link.range, `Link text says '${named.title}' but the link goes to ${owner.title} (${r.path}); ${named.title} is ${named.path}`, {
        target: link.target,
        expected: named.path,
        actual: r.path,
      });
    }
  },
};

