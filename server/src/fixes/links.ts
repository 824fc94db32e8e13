/**
 * `broken-link` -> "Change to <suggestion>" (in the style of the original
 * link: `.md` source path, URL-relative or site-absolute, keeping `?query`
 * and `#anchor`); `broken-anchor` -> the nearest existing heading id.
 */
import { linkFromTo } from '../site/resolve.ts';
import type { Site } from '../site/site.ts';
import type { Finding } from '../rules/rule.ts';
import type { Fix, FixProvider, TextSource } from './types.ts';
import { absOf, offsetAt, pageOf } from './types.ts';
import type { Range } from '../parse/types.ts';

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

function rangeOf(text: string, start: number, end: number): Range {
  const p = (o: number) => {
    const before = text.slice(0, o);
    const line = before.split('\n').length - 1;
    return { line, character: o - (before.lastIndexOf('\n') + 1) };
  };
  return { start: p(start), end: p(end) };
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
    const last = path.split('/').pop() ?? '';
    const source = last.includes('.') && last !== '.' && last !== '..';
    out = source ? linkFromTo(from, to, 'source', dirUrls) : linkFromTo(from, to, 'url-relative', dirUrls);
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
  return { from, abs, text, target, span };
}

export const fixBrokenLink: FixProvider = (site, finding, texts) => {
  const c = context(site, finding, texts);
  const suggestions = finding.data?.suggestions;
  if (!c || !Array.isArray(suggestions)) return [];
  const fixes: Fix[] = [];
  for (const s of suggestions) {
    if (typeof s !== 'string') continue;
    // A raw-HTML link's suggestion is already the URL to write.
    const newTarget = finding.data?.rawMd || !site.pages.has(s) && !site.files.has(s) ? s : retarget(site, c.from, c.target, s);
    if (newTarget === c.target || fixes.some((f) => f.title === `Change to ${newTarget}`)) continue;
    fixes.push({
      title: `Change to ${newTarget}`,
      edits: { [c.abs]: [{ range: rangeOf(c.text, c.span.start, c.span.end), newText: newTarget }] },
      isPreferred: fixes.length === 0,
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
      edits: { [c.abs]: [{ range: rangeOf(c.text, start, c.span.end), newText: s }] },
      isPreferred: fixes.length === 0,
    });
  }
  return fixes;
};
