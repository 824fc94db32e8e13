/**
 * Completion over a snapshot: Laws/Pillars as complete links, pages and
 * anchors inside a link target or a reference definition, frontmatter keys
 * and enum values. Returns plain data; the LSP layer converts it.
 *
 * Contexts, decided from the text before the cursor:
 * - frontmatter: `key` (keys from the required list and the known enums) or
 *   `key: value` (values of that enum);
 * - `](target` or `[label]: target`: pages (patterns first), or anchors
 *   after `#` from the target page's headings;
 * - `[text` (link text being typed), a list item starting with a concept
 *   label (`- Law`, `- Pillar 2`), or a list item / empty line in a section
 *   whose heading names a concept label ("Related Laws & Pillars"): every
 *   concept, inserted as `[Law 2: Asynchronous Reality](../laws/law2.md)` in
 *   the link style the page already uses.
 */
import type { Pos, Range } from '../parse/types.ts';
import { splitLines } from '../parse/prepare.ts';
import { linkFromTo } from '../site/resolve.ts';
import type { Concept, Page, Site } from '../site/site.ts';
import { linkStyleOf, type LinkStyle } from './link-context.ts';

export interface TextEdit {
  range: Range;
  newText: string;
}

export type CompletionKind = 'concept' | 'pattern' | 'page' | 'anchor' | 'key' | 'value';

export interface Completion {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  filterText?: string;
  sortText?: string;
  edit: TextEdit;
}

const LINK_TARGET = /\]\(\s*<?([^()\s<>]*)$/;
const REF_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*<?(\S*)$/;
const LINK_TEXT = /(!?)\[([^[\]]*)$/;
const LIST_ITEM = /^(\s*(?:[-*+]|\d+[.)])\s+)(.*)$/;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function rangeOn(line: number, from: number, to: number): Range {
  return { start: { line, character: from }, end: { line, character: to } };
}

export interface CompletionList {
  items: Completion[];
  /** True when the list was cut to a limit: the client asks again as the author types. */
  isIncomplete: boolean;
}

export function getCompletions(site: Site, path: string, pos: Pos, text: string): CompletionList {
  const list = { isIncomplete: false };
  const items = completionsAt(site, path, pos, text, list);
  return { items, isIncomplete: list.isIncomplete };
}

function completionsAt(site: Site, path: string, pos: Pos, text: string, list: { isIncomplete: boolean }): Completion[] {
  const lines = splitLines(text);
  const line = lines[pos.line];
  if (line === undefined) return [];
  const ch = Math.min(pos.character, line.length);
  const prefix = line.slice(0, ch);
  const page = site.pages.get(path);

  const fm = frontmatterLines(lines);
  if (fm && pos.line > 0 && pos.line < fm.end) return frontmatterCompletions(site, lines, fm.end, pos.line, prefix);

  const target = LINK_TARGET.exec(prefix) ?? REF_DEFINITION.exec(prefix);
  if (target) {
    const typed = target[1];
    const start = ch - typed.length;
    const hash = typed.indexOf('#');
    if (hash >= 0) return anchorCompletions(site, path, typed.slice(0, hash), rangeOn(pos.line, start + hash + 1, ch));
    return pageCompletions(site, path, page, typed, rangeOn(pos.line, start, ch), list);
  }

  const linkText = LINK_TEXT.exec(prefix);
  if (linkText && !linkText[1] && !/^[\^ xX]/.test(linkText[2])) {
    const start = ch - linkText[2].length - 1;
    // Replace an auto-closed `]` and any `(target)` already after the cursor, so the result is one link.
    const after = /^[^[\]]*\](?:\([^()]*\))?/.exec(line.slice(ch));
    return conceptCompletions(site, path, page, rangeOn(pos.line, start, ch + (after ? after[0].length : 0)), '[', '');
  }

  if (!site.concepts.length) return [];
  const labels = site.config.concepts.map((k) => escapeRe(k.label)).join('|');
  const item = LIST_ITEM.exec(prefix);
  const typed = item ? item[2] : prefix.trimStart();
  if (/[[\]()`]/.test(typed)) return [];
  const startsWithLabel = new RegExp(`^(${labels})\\b`, 'i').test(typed);
  const inConceptSection = page ? sectionMentions(page, pos.line, labels) : false;
  if (item && (startsWithLabel || inConceptSection)) {
    return conceptCompletions(site, path, page, rangeOn(pos.line, ch - typed.length, ch), '', '');
  }
  if (!item && inConceptSection && /^\s*[\p{L}\p{N} :]*$/u.test(prefix)) {
    // An empty or half-typed line in a "Related Laws & Pillars" section: insert a whole list item.
    const indent = prefix.length - prefix.trimStart().length;
    return conceptCompletions(site, path, page, rangeOn(pos.line, indent, ch), '', '- ');
  }
  return [];
}

/** Whether the heading of the section holding `line` names a concept label. */
function sectionMentions(page: Page, line: number, labels: string): boolean {
  let heading: string | undefined;
  for (const h of page.doc.headings) {
    if (h.range.start.line >= line) break;
    heading = h.text;
  }
  return heading !== undefined && new RegExp(`\\b(${labels})s?\\b`, 'i').test(heading);
}

function conceptCompletions(site: Site, path: string, page: Page | undefined, range: Range, filterPrefix: string, itemPrefix: string): Completion[] {
  const style = page ? linkStyleOf(site, page) : 'source';
  const kinds = site.config.concepts.map((k) => k.kind);
  return site.concepts.map((c) => ({
    label: c.title,
    kind: 'concept' as const,
    detail: c.path,
    documentation: c.summary,
    filterText: filterPrefix + conceptFilterText(c),
    sortText: `${String(kinds.indexOf(c.kind)).padStart(2, '0')}${String(c.number).padStart(4, '0')}`,
    edit: { range, newText: `${itemPrefix}[${c.title}](${linkFromTo(path, c.path, style, site.mkdocs.useDirectoryUrls)})` },
  }));
}

/** "Law 2: Asynchronous Reality l2 law2 L2 asynchronous reality": matches "l2", "law 2", "async". */
export function conceptFilterText(c: Concept): string {
  const short = `${c.label[0].toLowerCase()}${c.number}`;
  return `${c.title} ${short} ${c.label.toLowerCase()}${c.number} ${c.name.toLowerCase()}`;
}

/**
 * Link text from one page to every other, per style. It depends only on the
 * set of files, which a keystroke does not change (`withPage` keeps the same
 * `files` object), so it is computed once per file set, not per request.
 */
const linkTextCache = new WeakMap<ReadonlySet<string>, Map<string, Map<string, string>>>();
function linkTexts(site: Site, from: string, style: LinkStyle): Map<string, string> {
  let byFrom = linkTextCache.get(site.files);
  if (!byFrom) linkTextCache.set(site.files, (byFrom = new Map()));
  const key = `${style}\0${site.mkdocs.useDirectoryUrls}\0${from}`;
  let m = byFrom.get(key);
  if (!m) byFrom.set(key, (m = new Map()));
  return m;
}

/** At most this many pages are listed; the list is then marked incomplete and narrowed as the author types. */
export const PAGE_COMPLETION_LIMIT = 100;

/** 0: prefix, 1: substring, 2: in order (fuzzy); undefined: no match. Case-insensitive. */
function matchScore(query: string, text: string): number | undefined {
  if (!query) return 0;
  const q = query.toLowerCase();
  const t = text.toLowerCase();
  if (t.startsWith(q)) return 0;
  if (t.includes(q)) return 1;
  let i = 0;
  for (let j = 0; j < t.length && i < q.length; j++) if (t[j] === q[i]) i++;
  return i === q.length ? 2 : undefined;
}

function pageCompletions(site: Site, path: string, page: Page | undefined, typed: string, range: Range, list: { isIncomplete: boolean }): Completion[] {
  const pageStyle: LinkStyle = page ? linkStyleOf(site, page) : 'source';
  let style: LinkStyle = pageStyle;
  if (typed.startsWith('/')) style = 'url-absolute';
  else if (typed && pageStyle === 'url-absolute') style = 'url-relative';
  let candidates: Array<{ p: Page; newText: string; filterText: string; sortText: string; score: number }> = [];
  const texts = linkTexts(site, path, style);
  for (const p of site.pages.values()) {
    if (p.path === path) continue;
    let newText = texts.get(p.path);
    if (newText === undefined) texts.set(p.path, (newText = linkFromTo(path, p.path, style, site.mkdocs.useDirectoryUrls)));
    const filterText = `${newText} ${p.title}`;
    const sortText = (p.isPattern ? '0' : '1') + p.title.toLowerCase();
    candidates.push({ p, newText, filterText, sortText, score: 0 });
  }
  if (candidates.length > PAGE_COMPLETION_LIMIT) {
    // Too many to send on every keystroke: keep the best matches of what was typed (by path, then by title).
    const scored = [];
    for (const c of candidates) {
      const byPath = matchScore(typed, c.newText);
      const byTitle = matchScore(typed.replace(/^(\.\.?\/)+|^\//, ''), c.p.title);
      const score = Math.min(byPath ?? 9, byTitle === undefined ? 9 : byTitle + 3);
      if (score < 9) scored.push({ ...c, score });
    }
    scored.sort((a, b) => a.score - b.score || (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0));
    list.isIncomplete = true;
    candidates = scored.slice(0, PAGE_COMPLETION_LIMIT);
  }
  const out: Completion[] = [];
  for (const { p, newText, filterText, sortText } of candidates) {
    const fm = p.doc.frontmatter?.data;
    const status = typeof fm?.status === 'string' ? fm.status : undefined;
    const category = typeof fm?.category === 'string' ? fm.category : undefined;
    const description = typeof fm?.description === 'string' ? fm.description : undefined;
    out.push({
      label: p.title,
      kind: p.isPattern ? 'pattern' : 'page',
      detail: p.isPattern ? [status, category].filter(Boolean).join(' · ') || p.path : p.path,
      documentation: [description, `\`${p.path}\``].filter(Boolean).join('\n\n'),
      filterText,
      sortText,
      edit: { range, newText },
    });
  }
  return out.sort((a, b) => (a.sortText! < b.sortText! ? -1 : a.sortText! > b.sortText! ? 1 : 0));
}

function anchorCompletions(site: Site, path: string, pathPart: string, range: Range): Completion[] {
  let target: Page | undefined;
  if (!pathPart) target = site.pages.get(path);
  else {
    const r = site.resolve(path, pathPart);
    if (r.kind === 'page') target = site.pages.get(r.path);
  }
  if (!target) return [];
  return target.doc.headings.map((h, i) => ({
    label: target.headingIds[i],
    kind: 'anchor' as const,
    detail: `${'#'.repeat(h.depth)} ${h.text}`,
    filterText: target.headingIds[i],
    sortText: String(i).padStart(5, '0'),
    edit: { range, newText: target.headingIds[i] },
  }));
}

/** The frontmatter block: line 0 is `---`; `end` is the closing line (or the line count when unterminated). */
function frontmatterLines(lines: string[]): { end: number } | undefined {
  if (!/^---\s*$/.test(lines[0] ?? '')) return undefined;
  for (let i = 1; i < lines.length; i++) if (/^(---|\.\.\.)\s*$/.test(lines[i])) return { end: i };
  return { end: lines.length };
}

function frontmatterCompletions(site: Site, lines: string[], end: number, line: number, prefix: string): Completion[] {
  const keyTyped = /^([\w-]*)$/.exec(prefix);
  if (keyTyped) {
    const present = new Set<string>();
    for (let i = 1; i < end; i++) {
      if (i === line) continue;
      const m = /^([\w-]+)\s*:/.exec(lines[i]);
      if (m) present.add(m[1]);
    }
    const keys = [...new Set([...site.config.frontmatter.required, ...Object.keys(site.enums)])];
    const required = new Set(site.config.frontmatter.required);
    return keys
      .filter((k) => !present.has(k))
      .map((k, i) => ({
        label: k,
        kind: 'key' as const,
        detail: required.has(k) ? 'required' : 'optional',
        documentation: site.enums[k]?.length ? `One of: ${site.enums[k].join(', ')}` : undefined,
        sortText: (required.has(k) ? '0' : '1') + String(i).padStart(3, '0'),
        edit: { range: rangeOn(line, 0, prefix.length), newText: `${k}: ` },
      }));
  }
  const value = /^([\w-]+)\s*:\s*(["']?)([^"']*)$/.exec(prefix);
  if (value) {
    const allowed = site.enums[value[1]];
    if (!allowed) return [];
    const typed = value[3];
    // Right after the colon (the `:` trigger), YAML needs a space before the value.
    const space = prefix.endsWith(':') ? ' ' : '';
    return allowed.map((v, i) => ({
      label: v,
      kind: 'value' as const,
      detail: value[1],
      sortText: String(i).padStart(3, '0'),
      edit: { range: rangeOn(line, prefix.length - typed.length, prefix.length), newText: space + v },
    }));
  }
  return [];
}
