/**
 * `not-in-nav` -> "Add 'Heartbeat' to nav under Patterns › Resilience Patterns".
 *
 * One line is inserted into mkdocs.yml, with the indentation, list marker and
 * quoting of its neighbours; nothing else in the file changes. The section is
 * the one where the nav already keeps pages of the same frontmatter category,
 * then of the same folder; every other such section is an alternative.
 */
import { frontmatterFields } from '../parse/common.ts';
import { navPagePath, type NavEntry, type NavSection } from '../site/mkdocs.ts';
import type { Site } from '../site/site.ts';
import { dirname } from '../site/workspace.ts';
import { insertLines } from './edits.ts';
import type { Fix, FixProvider } from './types.ts';
import { eolOf, lines } from './types.ts';

interface Item {
  line: number;
  /** Number of enclosing sections. */
  depth: number;
  entry?: NavEntry;
  section?: NavSection;
  /** Last line this item (with its descendants, for a section) occupies. */
  lastLine: number;
}

interface Place {
  /** Title path, outermost first; empty for the top level. */
  path: string[];
  children: Item[];
  lastLine: number;
  score: [number, number];
}

function categoryOf(site: Site, path: string): string | undefined {
  const p = site.pages.get(path);
  const v = frontmatterFields(p?.doc.frontmatter)?.category;
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** The nav entry title for a page: its frontmatter title (or H1) without a trailing "Pattern". */
export function navTitleFor(site: Site, path: string): string {
  const page = site.pages.get(path);
  const fmTitle = page?.doc.frontmatter?.data?.title;
  const t = typeof fmTitle === 'string' && fmTitle.trim() ? fmTitle.trim() : page?.title ?? path.split('/').pop()!.replace(/\.md$/, '');
  const stripped = t.replace(/\s+pattern\s*$/i, '').trim();
  return stripped || t;
}

/** YAML plain scalar when safe, otherwise quoted (with `quote` when neighbours quote). */
export function yamlScalar(s: string, quote?: '"' | "'"): string {
  const needs =
    quote !== undefined ||
    s === '' ||
    /^[-?:,[\]{}#&*!|>'"%@`\s]/.test(s) ||
    /:(\s|$)|\s#|\s$/.test(s) ||
    /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/.test(s) ||
    /^[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?$/.test(s);
  if (!needs) return s;
  if (quote === "'") return `'${s.replace(/'/g, "''")}'`;
  return JSON.stringify(s);
}

function navItems(site: Site): Item[] {
  const items: Item[] = [];
  for (const e of site.mkdocs.nav ?? []) items.push({ line: e.lineRange.start.line, depth: e.section.length, entry: e, lastLine: Math.max(e.lineRange.start.line, e.range.end.line) });
  for (const s of site.mkdocs.navSections ?? []) items.push({ line: s.lineRange.start.line, depth: s.section.length, section: s, lastLine: s.lineRange.start.line });
  items.sort((a, b) => a.line - b.line || (a.section ? -1 : 1));
  // A section spans its descendants.
  for (let i = items.length - 1; i >= 0; i--) {
    if (!items[i].section) continue;
    for (let j = i + 1; j < items.length && items[j].depth > items[i].depth; j++) items[i].lastLine = Math.max(items[i].lastLine, items[j].lastLine);
  }
  return items;
}

function places(site: Site, items: Item[], page: string): Place[] {
  const cat = categoryOf(site, page);
  const dir = dirname(page);
  const score = (children: Item[]): [number, number] => {
    let c = 0;
    let f = 0;
    for (const ch of children) {
      const p = ch.entry && navPagePath(ch.entry, site.mkdocs);
      if (p === undefined) continue;
      if (cat && categoryOf(site, p) === cat) c++;
      if (dirname(p) === dir) f++;
    }
    return [c, f];
  };
  const out: Place[] = [];
  items.forEach((it, i) => {
    if (!it.section) return;
    const children: Item[] = [];
    for (let j = i + 1; j < items.length && items[j].depth > it.depth; j++) if (items[j].depth === it.depth + 1) children.push(items[j]);
    if (!children.length) return;
    out.push({ path: [...it.section.section, it.section.title], children, lastLine: it.lastLine, score: score(children) });
  });
  const top = items.filter((it) => it.depth === 0);
  if (top.length) out.push({ path: [], children: top, lastLine: Math.max(...top.map((t) => t.lastLine)), score: score(top) });
  return out;
}

const keyOf = (it: Item) => (it.section ? it.section.title : it.entry!.title ?? it.entry!.path ?? it.entry!.url ?? '').toLowerCase();

/** The one-line insertion for a page into a place, or undefined when the neighbours' style cannot be read. */
function insertion(site: Site, text: string, place: Place, page: string): { line: number; newText: string } | undefined {
  const ls = lines(text);
  const eol = eolOf(text);
  // Style from a direct child written as a block-sequence item on its own line.
  const styled = place.children.filter((c) => /^\s*-\s+\S/.test(ls[c.line] ?? ''));
  if (!styled.length || styled.length !== place.children.length) return undefined;
  const ref = styled.find((c) => c.entry) ?? styled[0];
  const m = /^(\s*-\s+)/.exec(ls[ref.line])!;
  const lead = m[1];
  const entries = place.children.filter((c) => c.entry);
  const bare = entries.length > 0 && entries.every((c) => c.entry!.title === undefined);
  const title = navTitleFor(site, page);
  const quoteAt = (r: { start: { line: number; character: number } } | undefined) => {
    const ch = r ? ls[r.start.line]?.[r.start.character] : undefined;
    return ch === '"' || ch === "'" ? ch : undefined;
  };
  // Quote when most neighbours do.
  const majority = (qs: Array<'"' | "'" | undefined>) => {
    const d = qs.filter((q) => q === '"').length;
    const sq = qs.filter((q) => q === "'").length;
    return d * 2 > qs.length ? '"' : sq * 2 > qs.length ? "'" : undefined;
  };
  const titleQuote = majority(entries.filter((c) => c.entry!.titleRange).map((c) => quoteAt(c.entry!.titleRange)));
  const pathQuote = majority(entries.map((c) => quoteAt(c.entry!.range)));
  const value = yamlScalar(page, pathQuote);
  const line = lead + (bare ? value : `${yamlScalar(title, titleQuote)}: ${value}`);
  // Alphabetical position when the section is sorted (an index/overview entry first is allowed).
  let kids = place.children;
  if (kids.length && kids[0].entry?.path && /(^|\/)(index|README)\.md$/.test(kids[0].entry.path)) kids = kids.slice(1);
  const keys = kids.map(keyOf);
  const sorted = keys.length >= 2 && keys.every((k, i) => i === 0 || keys[i - 1].localeCompare(k) <= 0);
  const newKey = (bare ? page : title).toLowerCase();
  if (sorted) {
    const before = kids.find((k) => keyOf(k).localeCompare(newKey) > 0);
    if (before) return { line: before.line, newText: line + eol };
  }
  return { line: place.lastLine + 1, newText: line + eol };
}

export const fixNotInNav: FixProvider = (site, finding) => {
  const page = finding.data?.path;
  if (typeof page !== 'string' || !site.mkdocsPath || site.mkdocsText === undefined || !site.mkdocs.nav) return [];
  const text = site.mkdocsText;
  const items = navItems(site);
  const all = places(site, items, page);
  if (!all.length) return [];
  let ranked = all.filter((p) => p.score[0] > 0 || p.score[1] > 0);
  ranked.sort((a, b) => b.score[0] - a.score[0] || b.score[1] - a.score[1]);
  if (!ranked.length) ranked = all.filter((p) => p.path.length === 0);
  const title = navTitleFor(site, page);
  const ls = lines(text);
  const fixes: Fix[] = [];
  for (const place of ranked) {
    const ins = insertion(site, text, place, page);
    if (!ins) continue;
    const edit = insertLines(ls, ins.line, ins.newText, eolOf(text));
    const where = place.path.length ? `under ${place.path.join(' › ')}` : 'at the top level';
    fixes.push({ title: `Add '${title}' to nav ${where}`, edits: { [site.mkdocsPath]: [edit] }, isPreferred: fixes.length === 0 });
  }
  return fixes;
};
