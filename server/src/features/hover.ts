/**
 * Hover on a cross-reference: what the target page is (title, description,
 * status, when to use / not to use, first paragraph), how many patterns cite
 * it when it is a Law or Pillar, and for a broken link why it is broken and
 * the nearest valid target.
 */
import type { Pos, Range } from '../parse/types.ts';
import { describeBroken, suggestTargets } from '../rules/broken-link.ts';
import { nearest } from '../rules/rule.ts';
import type { Page, Site } from '../site/site.ts';
import { linkAt, patternsCiting, snapshotLinkIndex, type LinkIndex } from './link-context.ts';

export interface HoverResult {
  /** Markdown. */
  contents: string;
  range: Range;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(', ');
  return undefined;
}

export function getHover(site: Site, path: string, pos: Pos, index: LinkIndex = snapshotLinkIndex(site)): HoverResult | undefined {
  const page = site.pages.get(path);
  if (!page) return undefined;
  const link = linkAt(page, pos);
  if (!link) return undefined;
  const r = site.resolve(path, link.target, link.kind);
  const range = link.range;
  switch (r.kind) {
    case 'skip':
      return undefined;
    case 'asset':
      return { contents: `File \`${r.path}\``, range };
    case 'broken': {
      const lines = [`**Broken link** \`${link.target}\``, '', describeBroken(site, path, link.target, r) + '.'];
      const suggestions = suggestTargets(site, r.wanted);
      if (suggestions.length) {
        const best = site.pages.get(suggestions[0]);
        lines.push('', `Nearest valid target: \`${suggestions[0]}\`` + (best ? ` (${best.title})` : ''));
        if (suggestions.length > 1) lines.push('', `Also: ${suggestions.slice(1).map((s) => `\`${s}\``).join(', ')}`);
      }
      return { contents: lines.join('\n'), range };
    }
    case 'self':
    case 'page': {
      const target = site.pages.get(r.kind === 'self' ? path : r.path);
      if (!target) return undefined;
      return { contents: describePage(site, target, r.anchor, index), range };
    }
  }
}

/** The Markdown shown for a page: used by hover (and reusable by code lenses or symbols). */
export function describePage(site: Site, target: Page, anchor: string | undefined, index: LinkIndex): string {
  const fm = target.doc.frontmatter?.data ?? {};
  const out: string[] = [`**${target.title}**`];
  const description = str(fm.description);
  if (description) out.push('', description);
  const facts = [
    str(fm.status) && `Status: ${str(fm.status)}`,
    str(fm.category) && `Category: ${str(fm.category)}`,
    str(fm.difficulty) && `Difficulty: ${str(fm.difficulty)}`,
  ].filter(Boolean);
  if (facts.length) out.push('', facts.join(' · '));
  const when = str(fm.when_to_use);
  const whenNot = str(fm.when_not_to_use);
  if (when) out.push('', `**When to use:** ${when}`);
  if (whenNot) out.push('', `**When not to use:** ${whenNot}`);
  const concept = site.conceptAt(target.path);
  if (concept) {
    const n = patternsCiting(site, concept.path, index).length;
    out.push('', `${n} pattern${n === 1 ? '' : 's'} cite${n === 1 ? 's' : ''} ${concept.title}`);
  }
  if (anchor !== undefined) {
    const i = target.headingIds.indexOf(anchor);
    if (i >= 0) out.push('', `Section: ${target.doc.headings[i].text}`);
    else if (!target.anchors.has(anchor)) {
      const s = nearest(anchor, target.anchors, 1);
      out.push('', `No heading with id \`#${anchor}\` on this page` + (s.length ? `; nearest: \`#${s[0]}\`` : ''));
    }
  }
  if (target.firstParagraph && target.firstParagraph !== description) out.push('', target.firstParagraph);
  out.push('', `\`${target.path}\``);
  return out.join('\n');
}
