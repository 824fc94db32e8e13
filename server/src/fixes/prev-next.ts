/**
 * `prev-next-mismatch` -> "Point 'Next' at Load Balancing Pattern
 * (load-balancing.md)".
 *
 * A wrong link gets one edit for its target (in the style of the original:
 * `.md` source path, URL-relative or site-absolute, with or without the
 * trailing slash; raw HTML always gets a URL) and one for the words of its
 * text, where they differ; arrows, emphasis and the rest of the line stay.
 * The new words are the neighbour's title, with or without the " Pattern"
 * suffix as the old words had it. A side without a link ("Split Brain →
 * (Coming Soon)") gets a link in place of its text, styled like the other
 * side's. Both are preferred. A link where the nav has no neighbour (first or
 * last page) can be removed with its label, but not automatically.
 * Reference links (their target is in a definition other links may share)
 * get no fix.
 */
import type { FooterSide } from '../parse/footer.ts';
import type { Range } from '../parse/types.ts';
import { linkFromTo } from '../site/resolve.ts';
import type { Page, Site } from '../site/site.ts';
import { retarget } from './links.ts';
import type { Fix, FixProvider, TextEdit } from './types.ts';
import { absOf, lines, pageOf, rangeAt, textIn } from './types.ts';

const same = (a: Range | undefined, b: Range) =>
  !!a && a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** The target to write for a link to docs page `to`, in the style of the link it replaces (anchor and query dropped: they were the old page's). */
function newTarget(site: Site, from: string, side: FooterSide, to: string): string {
  const original = side.link!.target.replace(/[?#].*$/, '');
  const dirUrls = site.mkdocs.useDirectoryUrls;
  let out =
    side.link!.kind === 'html' ? linkFromTo(from, to, original.startsWith('/') ? 'url-absolute' : 'url-relative', dirUrls) : retarget(site, from, original || 'x.md', to); // an empty target: write a source path
  // `/patterns/bulkhead` stays without its slash (a served folder redirects to it).
  if (out.endsWith('/') && out.length > 1 && original && !original.endsWith('/') && !/\.(md|markdown)$/i.test(out)) out = out.slice(0, -1);
  return out;
}

/** The neighbour's title with the " Pattern" suffix as `written` has it (or not). */
function titleLike(expected: Page, title: string, written: string | undefined): string {
  if (written === undefined) return title;
  const plain = written.replace(/\([^)]*\)/g, '').replace(/[←→*_]/g, '').trim();
  const base = title.replace(/\s+pattern$/i, '').trim() || title;
  const m = /\s(pattern)$/i.exec(plain);
  if (!m) return base;
  // "Pattern Comparison Guide" gets no suffix, nor does a page that is no pattern.
  if (/\s+pattern$/i.test(title)) return `${base} ${m[1]}`;
  return expected.isPattern && !/\bpatterns?\b/i.test(title) ? `${title} ${m[1]}` : title;
}

/** The side a finding is on, re-read from the snapshot's footer of that page. */
function sideOf(page: Page, range: Range, name: unknown): FooterSide | undefined {
  return page.footer?.sides.find((s) => s.side === name && (same(s.link?.range, range) || same(s.range, range)));
}

function retargetFix(site: Site, from: string, text: string, side: FooterSide, expected: Page, title: string): TextEdit[] | undefined {
  const link = side.link!;
  if (link.kind === 'reference' || textIn(text, link.targetRange) !== link.target) return undefined;
  const edits: TextEdit[] = [];
  const target = newTarget(site, from, side, expected.path);
  if (target !== link.target) edits.push({ range: link.targetRange, newText: target });
  if (side.titleRange) {
    const words = titleLike(expected, title, side.title);
    if (textIn(text, side.titleRange) !== side.title) return undefined;
    if (words !== side.title) edits.push({ range: side.titleRange, newText: words });
  }
  return edits;
}

function linkFix(site: Site, from: string, text: string, page: Page, side: FooterSide, expected: Page, title: string): TextEdit[] | undefined {
  const line = lines(text)[side.range.start.line] ?? '';
  if (!/^(\*\*|__)/.test(line.slice(side.range.start.character))) return undefined;
  const other = page.footer!.sides.find((s) => s !== side && s.range.start.line === side.range.start.line && s.link && s.link.kind !== 'reference');
  const target = other ? newTarget(site, from, other, expected.path) : linkFromTo(from, expected.path, 'source', site.mkdocs.useDirectoryUrls);
  const words = titleLike(expected, title, other?.title ?? side.title);
  const arrows = /[←→]/.test(line);
  const label = arrows ? (side.side === 'previous' ? `← ${words}` : `${words} →`) : words;
  const link = other?.link?.kind === 'html' ? `<a href="${target}">${label}</a>` : `[${label}](${target})`;
  const at = side.bodyRange.start.character;
  const space = at > 0 && line[at - 1] !== ' ' ? ' ' : '';
  return [{ range: side.bodyRange, newText: space + link }];
}

/** Removing a side: its label and link, and the separator to its neighbour on the line; its whole line when it is alone there. */
function removal(page: Page, text: string, side: FooterSide): TextEdit | undefined {
  const ls = lines(text);
  const n = side.range.start.line;
  const line = ls[n] ?? '';
  const onLine = page.footer!.sides.filter((s) => s.range.start.line === n);
  const i = onLine.indexOf(side);
  if (onLine.length === 1) {
    const rest = line.slice(0, side.range.start.character) + line.slice(side.range.end.character);
    if (!/^[\s|·•]*$/.test(rest)) return undefined;
    return { range: n + 1 < ls.length ? rangeAt(n, 0, n + 1, 0) : rangeAt(n, 0, n, line.length), newText: '' };
  }
  if (i + 1 < onLine.length) return { range: rangeAt(n, side.range.start.character, n, onLine[i + 1].range.start.character), newText: '' };
  return { range: rangeAt(n, onLine[i - 1].range.end.character, n, side.range.end.character), newText: '' };
}

export const fixPrevNext: FixProvider = (site, finding, texts) => {
  const from = pageOf(site, finding.file);
  const page = from !== undefined ? site.pages.get(from) : undefined;
  const abs = absOf(site, finding.file);
  const text = texts(abs);
  const d = finding.data ?? {};
  if (!page || text === undefined) return [];
  const side = sideOf(page, finding.range, d.side);
  if (!side) return [];
  const label = side.side === 'previous' ? 'Previous' : 'Next';
  if (d.problem === 'extra') {
    const edit = side.link ? removal(page, text, side) : undefined;
    return edit ? [{ title: `Remove the footer's '${label}' link`, edits: { [abs]: [edit] } }] : [];
  }
  const expected = typeof d.expected === 'string' ? site.pages.get(d.expected) : undefined;
  const title = typeof d.expectedTitle === 'string' ? d.expectedTitle : undefined;
  if (!expected || !title) return [];
  const edits = d.problem === 'missing' ? linkFix(site, from!, text, page, side, expected, title) : side.link ? retargetFix(site, from!, text, side, expected, title) : undefined;
  if (!edits?.length) return [];
  const fix: Fix = { title: `Point '${label}' at ${title} (${expected.path})`, edits: { [abs]: edits }, isPreferred: true };
  return [fix];
};
