/**
 * `prev-next-mismatch`: a page's "Previous | Next" footer (`parse/footer.ts`)
 * disagrees with the nav.
 *
 * "The nav order" is MkDocs' own: the nav flattened, pages only (entries
 * that `navPagePath` reads as no existing page, such as external links,
 * `page.md#anchor` or `/page.md`, are skipped), each page's neighbours
 * taken from its last listing. That is the order Material's footer
 * follows, and the one the corpus' authors follow where it differs from the
 * order within a nav section: at section boundaries their footers link on
 * into the next section.
 *
 * Only pages in the nav are judged, and only the sides their footer has (a
 * "Next"-only footer says nothing of the previous page). A side is reported
 * when it links elsewhere than the neighbour, when it has no link although
 * the nav has a neighbour ("Coming Soon"), and when it links somewhere
 * although the nav has no neighbour (first and last page). A broken footer
 * link whose nearest existing page is the neighbour is left to `broken-link`
 * (its fix is the same); one naming another page is reported here too.
 * Link texts are not judged, only where the links go.
 */
import type { FooterSide, FooterSideName } from '../parse/footer.ts';
import type { Page, Site } from '../site/site.ts';
import { navPagePath } from '../site/mkdocs.ts';
import { stripDecorations } from '../site/site.ts';
import { suggestTargets } from './broken-link.ts';
import type { Rule } from './rule.ts';

export interface NavNeighbours {
  previous?: string;
  next?: string;
}

interface NavSequence {
  order: string[];
  at: Map<string, NavNeighbours>;
}

/** Memo per (nav, file set): editing a page's text changes neither. */
const sequences = new WeakMap<object, WeakMap<object, NavSequence>>();

/** The nav's pages in MkDocs order, and each page's neighbours (undefined without a nav). */
export function navSequence(site: Site): NavSequence | undefined {
  const nav = site.mkdocs.nav;
  if (!nav) return undefined;
  let byFiles = sequences.get(nav);
  if (!byFiles) sequences.set(nav, (byFiles = new WeakMap()));
  let seq = byFiles.get(site.files);
  if (seq) return seq;
  const order: string[] = [];
  for (const e of nav) {
    const p = navPagePath(e, site.mkdocs);
    if (p !== undefined && site.pages.has(p)) order.push(p);
  }
  const at = new Map<string, NavNeighbours>();
  // A page listed twice takes its neighbours from its last listing, as MkDocs does.
  order.forEach((p, i) => at.set(p, { previous: order[i - 1], next: order[i + 1] }));
  seq = { order, at };
  byFiles.set(site.files, seq);
  return seq;
}

/** The pages whose nav neighbour `path` is (or would be, for a page about to appear or go). */
export function navNeighboursOf(site: Site, path: string): string[] {
  const seq = navSequence(site);
  if (!seq) return [];
  const out = new Set<string>();
  seq.order.forEach((p, i) => {
    if (p !== path) return;
    if (seq.order[i - 1]) out.add(seq.order[i - 1]);
    if (seq.order[i + 1]) out.add(seq.order[i + 1]);
  });
  out.delete(path);
  return [...out];
}

/** A page's title as a footer names it: without emoji and `:shortcodes:`. */
export function footerTitleOf(page: Page): string {
  return stripDecorations(page.title) || page.title;
}

type Target = { kind: 'page'; path: string } | { kind: 'none' } | { kind: 'unjudged' } | { kind: 'broken'; intended?: string } | { kind: 'file' };

/** Where a footer side's link goes, as the built site has it. */
function targetOf(site: Site, page: Page, side: FooterSide): Target {
  const link = side.link;
  if (!link) return { kind: 'none' };
  const r = site.resolve(page.path, link.target, link.kind);
  switch (r.kind) {
    case 'page':
      return { kind: 'page', path: r.path };
    case 'self':
      return { kind: 'page', path: page.path };
    case 'asset':
      return { kind: 'file' };
    case 'skip':
      return r.why === 'empty' ? { kind: 'none' } : { kind: 'unjudged' };
    case 'broken': {
      // A raw-HTML link to `x.md` names its page plainly; otherwise the nearest existing page.
      const asSource = r.rawMd ? site.resolve(page.path, link.target) : undefined;
      return { kind: 'broken', intended: asSource?.kind === 'page' ? asSource.path : suggestTargets(site, r.wanted)[0] };
    }
  }
}

/** "'bulkhead.md' (patterns/bulkhead.md)", "'x.md', which does not exist", ... */
function describe(t: Target, target: string, page: Page): string {
  const written = `'${target}'`;
  if (t.kind === 'page') return t.path === page.path ? `${written} (this page itself)` : `${written} (${t.path})`;
  if (t.kind === 'broken') return `${written}, which does not exist`;
  return `${written} (a file, not a page)`;
}

const LABEL: Record<FooterSideName, string> = { previous: 'Previous', next: 'Next' };

export const prevNextMismatch: Rule = {
  code: 'prev-next-mismatch',
  defaultSeverity: 'warning',
  description: "A page's Previous/Next footer that disagrees with the nav order (the neighbours MkDocs' own footer shows).",
  checkPage(site, page, report) {
    const footer = page.footer;
    if (!footer) return;
    const around = navSequence(site)?.at.get(page.path);
    if (!around) return; // not in the nav (or no nav): nothing to compare with
    for (const side of footer.sides) {
      const expected = around[side.side];
      const t = targetOf(site, page, side);
      if (t.kind === 'unjudged') continue;
      if (t.kind === 'page' && t.path === expected) continue;
      if (t.kind === 'none' && !expected) continue;
      // A plainly broken link to the neighbour: broken-link says so and fixes it.
      if (t.kind === 'broken' && expected && t.intended === expected) continue;
      const label = `Footer '${LABEL[side.side]}'`;
      const linked = side.link && t.kind !== 'none' ? side.link : undefined;
      const range = linked ? linked.range : side.range;
      const goes = linked ? describe(t, linked.target, page) : '';
      const base = { side: side.side, ...(linked ? { target: linked.target } : {}) };
      if (!expected) {
        const where = side.side === 'previous' ? 'first' : 'last';
        report(range, `${label} links to ${goes}, but this page is the ${where} page of the nav: it has no ${side.side} page`, { ...base, problem: 'extra' });
        continue;
      }
      const title = footerTitleOf(site.pages.get(expected)!);
      const should = `the ${side.side} page in the nav is '${title}' (${expected})`;
      const data = { ...base, expected, expectedTitle: title };
      if (t.kind === 'none') report(range, `${label} has no link, but ${should}`, { ...data, problem: 'missing' });
      else report(range, `${label} links to ${goes}, but ${should}`, { ...data, problem: 'wrong' });
    }
  },
};
