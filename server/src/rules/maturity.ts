/**
 * How finished a pattern page looks, judged from its content rather than its
 * `status:`. Shared by `stub`, `status-mismatch`, `missing-section` and
 * `empty-section` so they agree with each other.
 */
import { frontmatterFields } from '../parse/common.ts';
import type { Page, Site } from '../site/site.ts';
import { sectionLabel } from '../site/site.ts';

export interface Maturity {
  missing: string[];
  empty: Array<{ label: string; headingIndex: number }>;
  present: number;
  words: number;
  hasDiagram: boolean;
  placeholders: number;
  looksStub: boolean;
  looksComplete: boolean;
}

/** Index of the heading that ends the section opened by heading `i` (exclusive), or headings.length. */
export function sectionEnd(page: Page, i: number): number {
  const hs = page.doc.headings;
  for (let j = i + 1; j < hs.length; j++) if (hs[j].depth <= hs[i].depth) return j;
  return hs.length;
}

/** A section is empty when neither it nor its sub-sections hold anything but placeholders. */
export function sectionIsEmpty(page: Page, i: number): boolean {
  const end = sectionEnd(page, i);
  for (let j = i; j < end; j++) if (page.sectionBodies[j]?.substantive) return false;
  return true;
}

/** Per snapshot and page: four rules (and the report) ask for the same page's maturity. Never mutated. */
const memo = new WeakMap<Site, WeakMap<Page, Maturity>>();

export function maturity(site: Site, page: Page): Maturity {
  let bySite = memo.get(site);
  if (!bySite) memo.set(site, (bySite = new WeakMap()));
  let m = bySite.get(page);
  if (!m) bySite.set(page, (m = judge(site, page)));
  return m;
}

function judge(site: Site, page: Page): Maturity {
  const labels = site.requiredSections.labels.map((l) => ({ text: l, key: sectionLabel(l) }));
  const hs = page.doc.headings;
  const keys = hs.map((h) => sectionLabel(h.text));
  const missing: string[] = [];
  const empty: Array<{ label: string; headingIndex: number }> = [];
  let present = 0;
  for (const l of labels) {
    const i = keys.findIndex((k, idx) => k === l.key && hs[idx].depth >= 2);
    if (i < 0) missing.push(l.text);
    else if (sectionIsEmpty(page, i)) empty.push({ label: l.text, headingIndex: i });
    else present++;
  }
  const words = page.doc.wordCount;
  const hasDiagram = page.doc.fences.some((f) => f.lang === 'mermaid');
  const placeholders = page.doc.placeholders.length;
  const required = Math.max(labels.length, 1);
  const minWords = site.config.minWords;
  const looksStub = words < Math.min(150, minWords) || (present / required < 0.34 && words < minWords) || (placeholders >= 3 && words < minWords);
  const looksComplete = missing.length === 0 && empty.length === 0 && words >= minWords && hasDiagram && placeholders === 0;
  return { missing, empty, present, words, hasDiagram, placeholders, looksStub, looksComplete };
}

export function statusOf(page: Page): string | undefined {
  const s = frontmatterString(page, 'status');
  return s;
}

/** A frontmatter value as a string, falling back to what could be read of malformed YAML. */
export function frontmatterString(page: Page, key: string): string | undefined {
  const v = frontmatterFields(page.doc.frontmatter)?.[key];
  return typeof v === 'string' ? v : undefined;
}
