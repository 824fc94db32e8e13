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

/**
 * What the fix learns from the catalog. Concepts are named by their index in
 * `site.concepts`: a style stays valid for every snapshot whose concepts read
 * the same (`conceptsKey`), although `Site` finds them anew (new objects)
 * whenever any page's first paragraph changes.
 */
export interface ConceptStyle {
  /** How the catalog writes links to concept pages, by majority. */
  style: LinkStyle;
  /** Link text per concept: the catalog's most used "Law 2: ..." text, else the title. */
  text: string[];
  /** Names (two words or more) that stand for one concept only, with their concept. */
  names: Array<{ re: RegExp; concept: number }>;
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

/**
 * What one link of a page to a concept's page (or a page under its folder)
 * tells the learning, in the order the learning reads it.
 */
interface LinkFact {
  /** How the target is written; none for raw HTML, which does not vote. */
  style?: LinkStyle;
  /** For a link to the concept's own page whose text reads "Law 2 ...": the concept (its index) and the name after its number. */
  concept?: number;
  name?: string;
  /** The whole link text, when it reads "Law 2: Name". */
  text?: string;
}

const NO_FACTS: readonly LinkFact[] = [];

/**
 * A page's part in the learned style: a function of its path, its links, the
 * concepts and how links resolve (the file set, `use_directory_urls`) only.
 */
function linkFacts(site: Site, page: Page): readonly LinkFact[] {
  let out: LinkFact[] | undefined;
  for (const link of page.doc.links) {
    if (link.kind === 'definition' || link.kind === 'image' || link.kind === 'autolink') continue;
    const r = site.resolve(page.path, link.target, link.kind);
    if (r.kind !== 'page') continue;
    if (!site.conceptOwning(r.path)) continue;
    const fact: LinkFact = link.kind === 'html' ? {} : { style: styleOf(link.target, r.style) };
    const i = site.concepts.findIndex((c) => c.path === r.path);
    const c = site.concepts[i];
    const t = link.text.trim();
    const m = c && new RegExp(`^${escapeRe(c.label)}\\s+(\\d+)\\s*([:(\\-–—])\\s*(.+)$`).exec(t);
    if (c && m && Number(m[1]) === c.number) {
      fact.concept = i;
      fact.name = cleanName(m[3]);
      if (m[2] === ':' && fact.name) fact.text = t;
    }
    if (fact.style || fact.concept !== undefined) (out ??= []).push(fact);
  }
  return out ?? NO_FACTS;
}

const sameFacts = (a: readonly LinkFact[], b: readonly LinkFact[]) =>
  a === b || (a.length === b.length && a.every((f, i) => f.style === b[i].style && f.concept === b[i].concept && f.name === b[i].name && f.text === b[i].text));

/** The style from every page's facts, read in page order (ties go to what was read first). */
function learn(site: Site, factsOf: (page: Page) => readonly LinkFact[]): ConceptStyle {
  const votes = new Map<LinkStyle, number>();
  const texts = new Map<number, Map<string, Map<string, number>>>();
  const named = new Map<string, Set<number>>();
  const addName = (name: string, c: number) => {
    if (name.split(' ').length < 2) return;
    const s = named.get(name) ?? new Set<number>();
    s.add(c);
    named.set(name, s);
  };
  site.concepts.forEach((c, i) => {
    addName(cleanName(c.name), i);
    addName(cleanName(c.name.replace(new RegExp(`^the\\s+${escapeRe(c.label)}\\s+of\\s+`, 'i'), '')), i);
  });
  for (const page of site.pages.values()) {
    for (const f of factsOf(page)) {
      if (f.style) votes.set(f.style, (votes.get(f.style) ?? 0) + 1);
      if (f.concept === undefined) continue;
      addName(f.name!, f.concept);
      if (f.text) {
        const groups = texts.get(f.concept) ?? new Map<string, Map<string, number>>();
        const spellings = groups.get(f.name!) ?? new Map<string, number>();
        spellings.set(f.text, (spellings.get(f.text) ?? 0) + 1);
        groups.set(f.name!, spellings);
        texts.set(f.concept, groups);
      }
    }
  }
  const order: LinkStyle[] = ['source', 'url-relative', 'url-absolute', 'source-absolute'];
  const style = order.reduce((best, s) => ((votes.get(s) ?? 0) > (votes.get(best) ?? 0) ? s : best), order[0]);
  const text = site.concepts.map((c, i) => linkText(c, texts.get(i)));
  const names: ConceptStyle['names'] = [];
  for (const [name, cs] of named) {
    if (cs.size !== 1) continue;
    const words = name.split(' ').map(escapeRe).join('\\s+');
    names.push({ re: new RegExp(`(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`, 'u'), concept: [...cs][0] });
  }
  return { style, text, names };
}

/**
 * What of the concepts the style depends on: everything but their summaries,
 * in catalog order (a snapshot whose concepts read alike gets the same key).
 */
function conceptsKey(concepts: readonly Concept[]): string {
  let k = conceptKeys.get(concepts);
  if (k === undefined) conceptKeys.set(concepts, (k = JSON.stringify(concepts.map((c) => [c.kind, c.label, c.number, c.name, c.path]))));
  return k;
}
const conceptKeys = new WeakMap<readonly Concept[], string>();

/**
 * The learning shared by the snapshots with the same file set, concepts
 * (`conceptsKey`) and `use_directory_urls`, which `Site.withPage` keeps when
 * the edited page existed and keeps its title: each page's facts, and the
 * last style learned with the pages it was learned from.
 */
interface Learning {
  concepts: string;
  dirUrls: boolean;
  facts: WeakMap<Page, readonly LinkFact[]>;
  last?: { pages: ReadonlyMap<string, Page>; style: ConceptStyle };
}

/** Per file set (an edit of a page's text keeps it): the learning of the last concepts and settings asked for. */
const learnings = new WeakMap<ReadonlySet<string>, Learning>();

/** Per snapshot (a `Site` never changes). */
const styles = new WeakMap<Site, ConceptStyle>();

/**
 * The catalog's style for links to concepts. An edit re-reads the links of
 * the pages it replaced only, and keeps the previous style (the same object)
 * when their facts are unchanged, as typing prose leaves them; otherwise the
 * style is learned again from the pages' kept facts. Either way it equals
 * the style learned from scratch. Exported for tests.
 */
export function conceptStyle(site: Site): ConceptStyle {
  const known = styles.get(site);
  if (known) return known;
  const concepts = conceptsKey(site.concepts);
  const dirUrls = site.mkdocs.useDirectoryUrls;
  let l = learnings.get(site.files);
  if (!l || l.concepts !== concepts || l.dirUrls !== dirUrls) learnings.set(site.files, (l = { concepts, dirUrls, facts: new WeakMap() }));
  const facts = l.facts;
  const factsOf = (page: Page) => {
    let f = facts.get(page);
    if (!f) facts.set(page, (f = linkFacts(site, page)));
    return f;
  };
  const style = l.last && samePages(l.last.pages, site.pages, factsOf) ? l.last.style : learn(site, factsOf);
  l.last = { pages: site.pages, style };
  styles.set(site, style);
  return style;
}

/** Whether two page maps list the same paths in the same order, each page with the same facts. */
function samePages(a: ReadonlyMap<string, Page>, b: ReadonlyMap<string, Page>, factsOf: (page: Page) => readonly LinkFact[]): boolean {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  const other = a.values();
  for (const page of b.values()) {
    const was = other.next().value as Page;
    if (was === page) continue;
    if (was.path !== page.path || !sameFacts(factsOf(was), factsOf(page))) return false;
  }
  return true;
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
  for (const { re, concept } of conceptStyle(site).names) if (re.test(prose)) found.add(site.concepts[concept]);
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
  const text = (st.text[site.concepts.indexOf(c)] ?? c.title).replace(/([[\]\\])/g, '\\$1');
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
