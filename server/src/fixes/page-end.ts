/**
 * Where a page's content ends: the first line of its trailing footer, so
 * that fixes adding a section at the end of a page (`sections`,
 * `concept-links`) put it before the footer, whose bytes stay as they are.
 */
import type { Heading } from '../parse/types.ts';
import type { Page } from '../site/site.ts';

const RULE = /^(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const NAV_BLOCK = /\b(previous|prev|next|page-nav|prev-link|next-link)\b|arrow-(left|right)/i;
const EPIGRAPH = /^([*_])(?![\s*_]).*[^\s*_]\1$/;

/** Whether a line is part of the page's Previous/Next footer (`page.footer`, read by parse/footer.ts). */
const inFooter = (page: Page, line: number) => !!page.footer && page.footer.range.start.line <= line && line <= page.footer.range.end.line;

/** A footer line over a `---` is a setext heading ("**Next**: [Bulkhead →](bulkhead.md)" / "---"): footer, not a section. */
export const isNavHeading = (page: Page, h: Heading) => inFooter(page, h.range.start.line);

const inFence = (page: Page, line: number) => page.doc.fences.some((f) => f.range.start.line <= line && line <= f.range.end.line);

/**
 * The first line of the page's trailing footer after its last section
 * heading: `---` rules, the Previous/Next footer (`page.footer`), a
 * page-nav `<div>`, and closing quotes between them. Starts at a rule, a nav
 * line or the `<div>`, never at a quote (a last italic line may be the
 * section's own). `ls` is the page's text split into lines.
 */
export function footerStart(page: Page, ls: string[]): number | undefined {
  const hs = page.doc.headings.filter((h) => !isNavHeading(page, h));
  const floor = Math.max(hs.length ? hs[hs.length - 1].range.end.line : -1, page.doc.frontmatter?.range.end.line ?? -1);
  let start: number | undefined;
  for (let i = ls.length - 1; i > floor; i--) {
    const t = ls[i].trim();
    if (inFence(page, i)) break;
    if (t === '') continue;
    if (RULE.test(t) || inFooter(page, i)) start = i;
    else if (EPIGRAPH.test(t)) continue;
    else if (/^<\/div>$/i.test(t)) {
      // The whole `<div>` block (nested ones balanced) must be a page-nav.
      let j = i - 1;
      const count = (re: RegExp) => ls.slice(j, i + 1).join('\n').match(re)?.length ?? 0;
      while (j > floor && !(/^<div\b/i.test(ls[j]) && count(/<div\b/gi) === count(/<\/div>/gi))) j--;
      if (j <= floor || !NAV_BLOCK.test(ls.slice(j, i + 1).join(' '))) break;
      start = j;
      i = j;
    } else break;
  }
  return start;
}
