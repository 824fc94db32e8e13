import type { Link } from '../parse/types.ts';
import type { Site } from '../site/site.ts';
import { linkFromTo, pageUrl, type Resolution } from '../site/resolve.ts';
import { nearest, type Rule } from './rule.ts';

/** Links that point at something: reference links are checked at their definition. */
export function checkedLinks(links: Link[]): Link[] {
  return links.filter((l) => l.kind !== 'reference' && l.kind !== 'autolink');
}

const baseIndex = new WeakMap<Site, Map<string, string[]>>();
const nearestMemo = new WeakMap<Map<string, string[]>, Map<string, string[]>>();
const baseNames = new WeakMap<Map<string, string[]>, string[]>();

/** Pages by their base name (`x` for `a/x.md`, the folder name for `a/x/index.md`), built once per snapshot. */
function pagesByBase(site: Site): Map<string, string[]> {
  let byBase = baseIndex.get(site);
  if (byBase) return byBase;
  byBase = new Map();
  for (const p of site.pages.keys()) {
    const parts = p.replace(/\.md$/, '').split('/');
    let b = parts.pop()!;
    if ((b === 'index' || b === 'README') && parts.length) b = parts[parts.length - 1];
    const l = byBase.get(b) ?? [];
    l.push(p);
    byBase.set(b, l);
  }
  baseIndex.set(site, byBase);
  return byBase;
}

/** Nearest existing pages to a broken target, as docs-relative paths. */
export function suggestTargets(site: Site, wanted: string): string[] {
  const clean = wanted.replace(/^\/+/, '').replace(/\/$/, '');
  const base = clean.split('/').pop()!.replace(/\.(md|html?)$/i, '');
  if (!base) return [];
  const byBase = pagesByBase(site);
  // The same base name is often wanted by many links (a missing page linked from everywhere): compute once per snapshot.
  let near = nearestMemo.get(byBase);
  if (!near) nearestMemo.set(byBase, (near = new Map()));
  let bases = near.get(base);
  let names = baseNames.get(byBase);
  if (!names) baseNames.set(byBase, (names = [...byBase.keys()]));
  if (!bases) near.set(base, (bases = nearest(base, names, 3)));
  const out: string[] = [];
  for (const b of bases) out.push(...byBase.get(b)!);
  // Prefer candidates sharing the wanted folder.
  const dir = clean.includes('/') ? clean.slice(0, clean.lastIndexOf('/')) : '';
  return out.sort((a, b) => Number(!a.startsWith(dir)) - Number(!b.startsWith(dir))).slice(0, 3);
}

export function describeBroken(site: Site, from: string, target: string, r: Extract<Resolution, { kind: 'broken' }>): string {
  if (r.rawMd) return `'${target}' is in raw HTML, which MkDocs copies untouched: on the built site it requests ${r.wanted}, which does not exist; use a Markdown link or the page's URL`;
  if (r.style === 'source') {
    if (r.outside) return `'${target}' points outside the docs folder`;
    return `'${target}' not found: no file docs/${r.wanted.replace(/^\/+/, '')} (resolved from ${from})`;
  }
  const base = '/' + pageUrl(from, site.mkdocs.useDirectoryUrls);
  return `'${target}' is broken on the built site: this page is served at ${base}, so the link goes to ${r.wanted}, which no page produces`;
}

export const brokenLink: Rule = {
  code: 'broken-link',
  defaultSeverity: 'error',
  description: 'A link whose target page or file does not exist on the built site.',
  mkdocsValidation: 'notFound',
  checkPage(site, page, report) {
    for (const link of checkedLinks(page.doc.links)) {
      const r = site.resolve(page.path, link.target, link.kind);
      if (r.kind !== 'broken') continue;
      let suggestions: string[] | undefined;
      let message = describeBroken(site, page.path, link.target, r);
      if (r.rawMd) {
        // The page exists; a raw-HTML link must use its URL instead.
        const asSource = site.resolve(page.path, link.target);
        if (asSource.kind === 'page') {
          const url = linkFromTo(page.path, asSource.path, 'url-relative', site.mkdocs.useDirectoryUrls) + (asSource.anchor ? '#' + asSource.anchor : '');
          suggestions = [url];
          message += `. Use '${url}'`;
        }
      }
      // Nearest pages only where no exact replacement is known (the search is the rule's costliest part).
      if (!suggestions) {
        suggestions = suggestTargets(site, r.wanted);
        if (!r.rawMd && suggestions.length) message += `. Did you mean ${suggestions[0]}?`;
      }
      report(link.targetRange, message, {
        target: link.target,
        resolved: r.wanted,
        style: r.style,
        linkKind: link.kind,
        ...(r.rawMd ? { rawMd: true } : {}),
        suggestions,
      });
    }
  },
};
