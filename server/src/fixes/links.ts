/**
 * `broken-link` -> "Change to <suggestion>" (in the style of the original
 * link: `.md` source path, URL-relative or site-absolute, keeping `?query`
 * and `#anchor`); `broken-anchor` -> the nearest existing heading id.
 */
import { linkFromTo, sourceStyled } from '../site/resolve.ts';
import type { Site } from '../site/site.ts';
import type { Finding } from '../rules/rule.ts';
import type { Fix, FixProvider, TextSource } from './types.ts';
import { absOf, offsetAt, pageOf } from './types.ts';
import type { Range } from '../parse/types.ts';
import { LineIndex } from '../parse/line-index.ts';

/** Where exactly the target is written inside the finding's range, or undefined. */
function targetSpan(text: string, range: Range, target: string): { start: number; end: number } | undefined {
  const s = offsetAt(text, range.start);
  const e = offsetAt(text, range.end);
  const span = text.slice(s, e);
  if (span === target) return { start: s, end: e };
  const i = span.indexOf(target);
  if (i >= 0) return { start: s + i, end: s + i + target.length };
  return undefined;
}

/** The new target text pointing at docs path `to`, written in the style of `original`. */
export function retarget(site: Site, from: string, original: string, to: string): string {
  const h = original.search(/[?#]/);
  const suffix = h >= 0 ? original.slice(h) : '';
  const path = h >= 0 ? original.slice(0, h) : original;
  const dirUrls = site.mkdocs.useDirectoryUrls;
  let out: string;
  if (path.startsWith('/')) out = /\.(md|markdown)$/i.test(path) ? '/' + to : linkFromTo(from, to, 'url-absolute', dirUrls);
  else {
    out = sourceStyled(path, false) ? linkFromTo(from, to, 'source', dirUrls) : linkFromTo(from, to, 'url-relative', dirUrls);
    if (path.startsWith('./') && !out.startsWith('.')) out = './' + out;
  }
  return out + suffix;
}

function context(site: Site, finding: Finding, texts: TextSource) {
  const from = pageOf(site, finding.file);
  const abs = absOf(site, finding.file);
  const text = texts(abs);
  const target = finding.data?.target;
  if (!from || text === undefined || typeof target !== 'string') return undefined;
  const span = targetSpan(text, finding.range, target);
  if (!span) return undefined;
  return { from, abs, text, target, span, at: new LineIndex(text) };
}

/** A page's name as links spell it: `x` for `a/x.md`, the folder name for `a/x/index.md`. */
function baseName(p: string): string {
  const parts = p.replace(/[?#].*$/, '').replace(/\/+$/, '').replace(/\.(md|markdown|html?)$/i, '').split('/');
  let b = parts.pop() ?? '';
  if ((b === 'index' || b === 'README') && parts.length) b = parts[parts.length - 1];
  return b.toLowerCase();
}

/** Edit distance counting a swap of two adjacent characters as one edit (optimal string alignment). */
function typoDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * Whether a suggested target is safe to apply without review ("Fix all",
 * `pattern-atlas fix`): the only suggestion, with a name within 20% of the
 * wanted one (a same-named page elsewhere, or a small typo).
 */
function confident(wanted: string, suggestion: string, count: number): boolean {
  if (count !== 1) return false;
  const a = baseName(wanted);
  const b = baseName(suggestion);
  if (!a || !b) return false;
  return typoDistance(a, b) <= Math.floor(Math.max(a.length, b.length) * 0.2);
}

export const fixBrokenLink: FixProvider = (site, finding, texts) => {
  const c = context(site, finding, texts);
  const suggestions = finding.data?.suggestions;
  if (!c || !Array.isArray(suggestions)) return [];
  const html = finding.data?.linkKind === 'html';
  const candidates = suggestions.filter((s): s is string => typeof s === 'string');
  const fixes: Fix[] = [];
  for (const s of candidates) {
    const isFile = site.pages.has(s) || site.files.has(s);
    let newTarget: string;
    // A raw-HTML link's suggestion may already be the URL to write.
    if (!isFile) newTarget = s;
    else if (html && site.pages.has(s)) {
      const h = c.target.search(/[?#]/);
      const suffix = h >= 0 ? c.target.slice(h) : '';
      newTarget = linkFromTo(c.from, s, c.target.startsWith('/') ? 'url-absolute' : 'url-relative', site.mkdocs.useDirectoryUrls) + suffix;
    } else newTarget = retarget(site, c.from, c.target, s);
    if (newTarget === c.target || fixes.some((f) => f.title === `Change to ${newTarget}`)) continue;
    const preferred = fixes.length === 0 && (finding.data?.rawMd && !isFile ? true : confident(c.target, s, candidates.length));
    fixes.push({
      title: `Change to ${newTarget}`,
      edits: { [c.abs]: [{ range: c.at.range(c.span.start, c.span.end), newText: newTarget }] },
      ...(preferred ? { isPreferred: true } : {}),
    });
  }
  return fixes;
};

export const fixBrokenAnchor: FixProvider = (site, finding, texts) => {
  const c = context(site, finding, texts);
  const suggestions = finding.data?.suggestions;
  if (!c || !Array.isArray(suggestions)) return [];
  const h = c.target.indexOf('#');
  if (h < 0) return [];
  const start = c.span.start + h + 1;
  const fixes: Fix[] = [];
  for (const s of suggestions) {
    if (typeof s !== 'string') continue;
    fixes.push({
      title: `Change to #${s}`,
      edits: { [c.abs]: [{ range: c.at.range(start, c.span.end), newText: s }] },
      isPreferred: fixes.length === 0,
    });
  }
  return fixes;
};
