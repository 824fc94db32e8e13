/**
 * `missing-concept-links` -> link the Laws and Pillars (any configured
 * concept kind) the page names in its prose but does not link: "Law 2",
 * "Law 2: Asynchronous Reality", or the name alone ("Asynchronous Reality",
 * as the concept's title or the catalog's own link texts spell it). Mentions
 * in frontmatter, code, diagrams, comments and inside links do not count.
 *
 * The links go, as a bullet list, into the page's "Related Laws & Pillars"
 * section (after its content), or into a new such section placed before
 * "Related Patterns", else at the end of the page (before a trailing
 * `---` / Previous-Next footer). Link targets and texts follow the catalog's
 * majority style for links to concept pages.
 *
 * A finding whose kind the page never names gets no fix. The preferred fix
 * links every missing kind the page names, so the Law and the Pillar
 * findings of one page want the same edit and "Fix all" inserts one section
 * (identical edits are applied once, see apply.ts); the other fix links only
 * the finding's own kind.
 */
import { maskComments } from '../parse/common.ts';
import { LineIndex } from '../parse/line-index.ts';
import type { Range } from '../parse/types.ts';
import { citedConcepts } from '../rules/concepts.ts';
import { sectionEnd } from '../rules/maturity.ts';
import { linkFromTo } from '../site/resolve.ts';
import type { Concept, Page, Site } from '../site/site.ts';
import { sectionLabel, stripDecorations } from '../site/site.ts';
import { insertLines } from './edits.ts';
import { footerStart, isNavHeading } from './page-end.ts';
import type { Fix, FixProvider, TextEdit } from './types.ts';
import { absOf, eolOf, lines, pageOf } from './types.ts';

type LinkStyle = 'source' | 'source-absolute' | 'url-relative' | 'url-absolute';

interface ConceptStyle {
  /** How the catalog writes links to concept pages, by majority. */
  style: LinkStyle;
  /** Link text per concept: the catalog's most used "Law 2: ..." text, else the title. */
  text: Map<Concept, string>;
  /** Names (two words or more) that stand for one concept only, with their concept. */
  names: Array<{ re: RegExp; concept: Concept }>;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "Asynchronous Reality ⏱️/index)" -> "Asynchronous Reality": the leading run of words. */
function cleanName(s: string): string {
  const m = /^[\p{L}\p{N}][\p{L}\p{N}'’\- ]*/u.exec(stripDecorations(s));
  return m ? m[0].replace(/\s+/g, ' ').trim() : '';
}

function styleOf(target: string, resolvedStyle: 'source' | 'url'): LinkStyle {
  const abs = target.trim().startsWith('/');
  if (resolvedStyle === 'source') return abs ? 'source-absolute' : 'source';
  return abs ? 'url-absolute' : 'url-relative';
}

const byCount = <T>(m: Map<T, number> | Map<T, Map<string, number>>) =>
  [...m].map(([k, v]) => [k, typeof v === 'number' ? v : [...v.values()].reduce((a, b) => a + b, 0)] as [T, number]).sort((a, b) => b[1] - a[1]);

/**
 * The catalog's "Law 2: Asynchronous Reality" text for a concept: the most
 * used name (emoji and spacing variants counted together), preferring names
 * the concept's own title contains, in its most used spelling (the shorter on
 * a tie); the concept's title when no link spells it so.
 */
function linkText(c: Concept, groups: Map<string, Map<string, number>> | undefined): string {
  if (!groups?.size) return c.title;
  const own = [...groups.keys()].filter((n) => c.name.toLowerCase().includes(n.toLowerCase()));
  const ranked = byCount(groups).filter(([n]) => !own.length || own.includes(n));
  const spellings = byCount(groups.get(ranked[0][0])!);
  const best = spellings.filter(([, n]) => n === spellings[0][1]).map(([t]) => t);
  return best.sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))[0];
}

/** Learned once per snapshot (a `Site` never changes). */
const styles = new WeakMap<Site, ConceptStyle>();

function conceptStyle(site: Site): ConceptStyle {
  const known = styles.get(site);
  if (known) return known;
  const votes = new Map<LinkStyle, number>();
  const texts = new Map<Concept, Map<string, Map<string, number>>>();
  const named = new Map<string, Set<Concept>>();
  const addName = (name: string, c: Concept) => {
    if (name.split(' ').length < 2) return;
    const s = named.get(name) ?? new Set<Concept>();
    s.add(c);
    named.set(name, s);
  };
  for (const c of site.concepts) {
    addName(cleanName(c.name), c);
    addName(cleanName(c.name.replace(new RegExp(`^the\\s+${escapeRe(c.label)}\\s+of\\s+`, 'i'), '')), c);
  }
  for (const page of site.pages.values()) {
    for (const link of page.doc.links) {
      if (link.kind === 'definition' || link.kind === 'image' || link.kind === 'autolink') continue;
      const r = site.resolve(page.path, link.target, link.kind);
      if (r.kind !== 'page') continue;
      const owner = site.conceptOwning(r.path);
      if (!owner) continue;
      if (link.kind !== 'html') votes.set(styleOf(link.target, r.style), (votes.get(styleOf(link.target, r.style)) ?? 0) + 1);
      const c = site.conceptAt(r.path);
      if (!c) continue;
      const t = link.text.trim();
      const m = new RegExp(`^${escapeRe(c.label)}\\s+(\\d+)\\s*([:(\\-–—])\\s*(.+)$`).exec(t);
      if (!m || Number(m[1]) !== c.number) continue;
      const name = cleanName(m[3]);
      addName(name, c);
      if (m[2] === ':' && name) {
        const groups = texts.get(c) ?? new Map<string, Map<string, number>>();
        const spellings = groups.get(name) ?? new Map<string, number>();
        spellings.set(t, (spellings.get(t) ?? 0) + 1);
        groups.set(name, spellings);
        texts.set(c, groups);
      }
    }
  }
  const order: LinkStyle[] = ['source', 'url-relative', 'url-absolute', 'source-absolute'];
  const style = order.reduce((best, s) => ((votes.get(s) ?? 0) > (votes.get(best) ?? 0) ? s : best), order[0]);
  const text = new Map<Concept, string>();
  for (const c of site.concepts) text.set(c, linkText(c, texts.get(c)));
  const names: ConceptStyle['names'] = [];
  for (const [name, cs] of named) {
    if (cs.size !== 1) continue;
    const words = name.split(' ').map(escapeRe).join('\\s+');
    names.push({ re: new RegExp(`(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`, 'u'), concept: [...cs][0] });
  }
  const out = { style, text, names };
  styles.set(site, out);
  return out;
}

/** The page text with everything that is not prose blanked (offsets and line breaks kept). */
function proseOf(page: Page, text: string): string {
  const at = new LineIndex(text);
  const spans: Array<[number, number]> = [];
  const add = (r: Range) => spans.push([at.offset(r.start), at.offset(r.end)]);
  if (page.doc.frontmatter) add(page.doc.frontmatter.range);
  for (const f of page.doc.fences) add(f.range);
  for (const l of page.doc.links) add(l.range);
  spans.sort((a, b) => a[0] - b[0]);
  const src = maskComments(text);
  const spaces = (m: string) => m.replace(/[^\n]/g, ' ');
  let out = '';
  let i = 0;
  for (const [a, b] of spans) {
    if (b <= i) continue;
    const from = Math.max(a, i);
    out += src.slice(i, from) + spaces(src.slice(from, b));
    i = b;
  }
  out += src.slice(i);
  // Inline code spans (within a line), then the markup of HTML tags (their text stays).
  return out.replace(/(`+)(?!`)[^\n]*?[^`\n]\1(?!`)/g, spaces).replace(/<\/?[A-Za-z][^<>\n]*>/g, spaces);
}

/** The concepts the page names in its prose, in catalog order. */
export function mentionedConcepts(site: Site, page: Page, text: string): Concept[] {
  if (!site.concepts.length) return [];
  const prose = proseOf(page, text);
  const found = new Set<Concept>();
  const labels = [...new Set(site.concepts.map((c) => c.label))];
  const numbered = new RegExp(`(?<![\\p{L}\\p{N}])(${labels.map(escapeRe).join('|')})\\s+(\\d+)(?![\\p{N}])`, 'giu');
  for (const m of prose.matchAll(numbered)) {
    const c = site.concepts.find((x) => x.label.toLowerCase() === m[1].toLowerCase() && x.number === Number(m[2]));
    if (c) found.add(c);
  }
  for (const { re, concept } of conceptStyle(site).names) if (re.test(prose)) found.add(concept);
  return site.concepts.filter((c) => found.has(c));
}

/** The target a page writes for a concept, in the catalog's style (a source path when that style would not resolve). */
function targetFor(site: Site, from: string, c: Concept, style: LinkStyle): string {
  const dirUrls = site.mkdocs.useDirectoryUrls;
  const t = style === 'source-absolute' ? '/' + c.path : linkFromTo(from, c.path, style, dirUrls);
  const r = site.resolve(from, t);
  const ok = r.kind === 'page' && r.path === c.path;
  const out = ok ? t : linkFromTo(from, c.path, 'source', dirUrls);
  return /[\s()<>]/.test(out) ? `<${out}>` : out;
}

function bullet(site: Site, from: string, c: Concept, marker: string): string {
  const st = conceptStyle(site);
  const text = (st.text.get(c) ?? c.title).replace(/([[\]\\])/g, '\\$1');
  return `${marker} [${text}](${targetFor(site, from, c, st.style)})`;
}

/** The heading index of the page's "Related Laws & Pillars" / "Related Laws" section, if any. */
function relatedConceptsSection(site: Site, page: Page): number | undefined {
  const words = new Set(site.config.concepts.flatMap((k) => [k.label.toLowerCase(), k.label.toLowerCase() + 's']));
  const i = page.doc.headings.findIndex((h) => {
    if (h.depth < 2) return false;
    const m = /^related\s+(.+)$/.exec(sectionLabel(h.text));
    const parts = m ? m[1].split(/\s+/).filter((w) => w !== '&' && w !== 'and') : [];
    return parts.length > 0 && parts.every((w) => words.has(w));
  });
  return i < 0 ? undefined : i;
}

/** Insert `block` lines after line `after` (-1: at the top), with a blank line before and, when content follows, after. */
function insertAfter(ls: string[], after: number, block: string[], eol: string, blankBefore: boolean): TextEdit {
  const next = after + 1;
  const all = [...(blankBefore && after >= 0 ? [''] : []), ...block, ...(next < ls.length && ls[next].trim() !== '' ? [''] : [])];
  return insertLines(ls, next, all.map((l) => l + eol).join(''), eol);
}

const lastContentBefore = (ls: string[], line: number, floor: number) => {
  let i = line - 1;
  while (i > floor && ls[i].trim() === '') i--;
  return i;
};

/** The edit adding links to `concepts` to the page, and where it puts them. */
function linkEdit(site: Site, page: Page, text: string, concepts: Concept[]): { edit: TextEdit; section: string; exists: boolean } | undefined {
  const ls = lines(text);
  const eol = eolOf(text);
  const hs = page.doc.headings;
  const footer = footerStart(page, ls);
  const existing = relatedConceptsSection(site, page);
  let after: number;
  let block: string[];
  let blankBefore = true;
  let section: string;
  if (existing !== undefined) {
    const h = hs[existing];
    const end = sectionEnd(page, existing);
    // The footer, when the section is the last: a footer line over a `---` (setext) is a heading that may end it.
    const stop = Math.min(end < hs.length ? hs[end].range.start.line : ls.length, footer ?? ls.length);
    after = lastContentBefore(ls, stop, h.range.end.line);
    // Continue a list that ends the section, with its marker.
    let b = after;
    while (b - 1 > h.range.end.line && ls[b - 1].trim() !== '') b--;
    const list = after > h.range.end.line ? /^([-*+])\s+/.exec(ls[b]) : null;
    if (list) blankBefore = false;
    block = concepts.map((c) => bullet(site, page.path, c, list?.[1] ?? '-'));
    section = h.text;
  } else {
    const kinds = site.config.concepts.filter((k) => site.concepts.some((c) => c.kind === k.kind));
    section = `Related ${kinds.map((k) => k.label + 's').join(' & ')}`;
    const rp = hs.findIndex((h) => h.depth >= 2 && sectionLabel(h.text) === 'related patterns');
    const siblings = hs.filter((h) => h.depth >= 2 && !isNavHeading(page, h)).map((h) => h.depth);
    const depth = rp >= 0 ? hs[rp].depth : siblings.length ? Math.min(...siblings) : 2;
    const at = rp >= 0 ? hs[rp].range.start.line : footer ?? ls.length;
    after = lastContentBefore(ls, at, -1);
    block = ['#'.repeat(depth) + ' ' + section, '', ...concepts.map((c) => bullet(site, page.path, c, '-'))];
  }
  // Inside a fence that is never closed, links would be code.
  if (page.doc.fences.some((f) => !f.closed && f.range.start.line <= after && after <= f.range.end.line)) return undefined;
  return { edit: insertAfter(ls, after, block, eol, blankBefore), section, exists: existing !== undefined };
}

function fixFor(site: Site, page: Page, abs: string, text: string, concepts: Concept[], preferred: boolean): Fix | undefined {
  const e = linkEdit(site, page, text, concepts);
  if (!e) return undefined;
  const refs = concepts.map((c) => `${c.label} ${c.number}`).join(', ');
  const title = e.exists ? `Add links to ${refs} under '${e.section}'` : `Add section '${e.section}' with links to ${refs}`;
  return { title, edits: { [abs]: [e.edit] }, ...(preferred ? { isPreferred: true } : {}) };
}

export const fixMissingConceptLinks: FixProvider = (site, finding, texts) => {
  const path = pageOf(site, finding.file);
  const page = path ? site.pages.get(path) : undefined;
  const abs = absOf(site, finding.file);
  const text = texts(abs);
  const kind = finding.data?.kind;
  if (!page || text === undefined || typeof kind !== 'string') return [];
  const cited = citedConcepts(site, page);
  const missing = new Set(site.config.concepts.map((k) => k.kind).filter((k) => !cited.some((c) => c.kind === k)));
  if (!missing.has(kind)) return [];
  const named = mentionedConcepts(site, page, text).filter((c) => missing.has(c.kind));
  const own = named.filter((c) => c.kind === kind);
  if (!own.length) return [];
  const fixes: Fix[] = [];
  const all = fixFor(site, page, abs, text, named, true);
  if (all) fixes.push(all);
  if (named.length > own.length) {
    const only = fixFor(site, page, abs, text, own, false);
    if (only) fixes.push(only);
  }
  return fixes;
};
