/**
 * `nav-missing-file` -> remove the entry's line from mkdocs.yml (unless it is
 * the only item of its section, which would leave the section empty, or it
 * plainly means an existing page MkDocs misses, such as `x.md#part`), or
 * point it at a suggested page.
 */
import { navIntendedFile } from '../rules/nav-missing-file.ts';
import type { Fix, FixProvider } from './types.ts';
import { lines, rangeAt } from './types.ts';
import { yamlScalar } from './not-in-nav.ts';

export const fixNavMissingFile: FixProvider = (site, finding) => {
  const text = site.mkdocsText;
  if (!site.mkdocsPath || text === undefined || !site.mkdocs.nav) return [];
  const entry = site.mkdocs.nav.find((e) => e.range.start.line === finding.range.start.line && e.range.start.character === finding.range.start.character);
  if (!entry) return [];
  const ls = lines(text);
  const l = entry.lineRange.start.line;
  const fixes: Fix[] = [];
  const sameSection = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const siblings =
    site.mkdocs.nav.filter((e) => e !== entry && sameSection(e.section, entry.section)).length +
    (site.mkdocs.navSections ?? []).filter((s) => s.section.length === entry.section.length && sameSection(s.section, entry.section)).length;
  const ownLine = /^\s*-\s+/.test(ls[l] ?? '') && entry.range.end.line === l;
  const meansExisting = entry.path !== undefined && navIntendedFile(site, entry.path) !== undefined;
  if (ownLine && siblings > 0 && !meansExisting) {
    const range = l + 1 < ls.length ? rangeAt(l, 0, l + 1, 0) : rangeAt(l - 1, ls[l - 1].length, l, ls[l].length);
    fixes.push({ title: `Remove nav entry '${entry.title ?? entry.path}'`, edits: { [site.mkdocsPath]: [{ range, newText: '' }] }, isPreferred: true });
  }
  const sugg = finding.data?.suggestions;
  if (Array.isArray(sugg)) {
    for (const s of sugg) {
      if (typeof s !== 'string') continue;
      const ch = ls[entry.range.start.line]?.[entry.range.start.character];
      const q = ch === '"' || ch === "'" ? ch : undefined;
      fixes.push({ title: `Change to ${s}`, edits: { [site.mkdocsPath]: [{ range: entry.range, newText: yamlScalar(s, q) }] }, isPreferred: fixes.length === 0 });
    }
  }
  return fixes;
};
