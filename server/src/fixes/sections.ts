/**
 * `missing-section` -> insert the section's skeleton (its heading and the
 * template's one-line instruction) after the preceding required section's
 * content, before the next required section; `stub` -> "Fill all missing
 * sections". A section that goes last goes before the page's trailing
 * footer (`---` rules, the Previous/Next footer: see page-end.ts).
 */
import { maturity, sectionEnd } from '../rules/maturity.ts';
import type { Page, Site } from '../site/site.ts';
import { sectionLabel } from '../site/site.ts';
import { footerStart } from './page-end.ts';
import type { Fix, FixProvider, TextEdit, TextSource } from './types.ts';
import { absOf, eolOf, lines, pageOf, rangeAt } from './types.ts';

interface Skeleton {
  /** Heading text as the template writes it (no `#`s). */
  heading: string;
  instruction?: string;
}

/** The template's sections by label, read from its text. */
function templateSkeletons(site: Site, texts: TextSource): Map<string, Skeleton> {
  const out = new Map<string, Skeleton>();
  const src = site.requiredSections.template;
  if (!src) return out;
  const text = texts(site.root + '/' + src);
  if (text === undefined) return out;
  const ls = lines(text);
  let fence: string | undefined;
  let current: Skeleton | undefined;
  for (const l of ls) {
    const f = /^\s*(`{3,}|~{3,})/.exec(l);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length) fence = undefined;
      continue;
    }
    if (f) {
      fence = f[1];
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(l);
    if (h) {
      if (h[1].length === 2) {
        current = { heading: h[2] };
        const key = sectionLabel(h[2]);
        if (!out.has(key)) out.set(key, current);
      } else if (h[1].length < 2) current = undefined;
      continue;
    }
    const t = l.trim();
    if (current && current.instruction === undefined && t && !/^(-{3,}|\*{3,}|_{3,})$/.test(t) && !t.startsWith('<!--')) current.instruction = t;
  }
  return out;
}

/** Heading index of each required label present in the page (depth >= 2), by label index. */
function presentHeadings(site: Site, page: Page): Array<number | undefined> {
  const keys = page.doc.headings.map((h) => sectionLabel(h.text));
  return site.requiredSections.labels.map((l) => {
    const k = sectionLabel(l);
    const i = keys.findIndex((x, idx) => x === k && page.doc.headings[idx].depth >= 2);
    return i < 0 ? undefined : i;
  });
}

/** The edits inserting the skeletons of `missing` labels (in required order) into a page. */
function skeletonEdits(site: Site, page: Page, text: string, missing: string[], texts: TextSource): TextEdit[] {
  const labels = site.requiredSections.labels;
  const present = presentHeadings(site, page);
  const skeletons = templateSkeletons(site, texts);
  const hs = page.doc.headings;
  const ls = lines(text);
  const eol = eolOf(text);
  // Where the content ends: the footer's first line, else the end of the text.
  const contentEnd = footerStart(page, ls) ?? ls.length;
  const order = missing.map((m) => labels.indexOf(m)).filter((i) => i >= 0).sort((a, b) => a - b);
  const byLine = new Map<number, string[]>();
  for (const li of order) {
    let prev: number | undefined;
    for (let j = li - 1; j >= 0 && prev === undefined; j--) prev = present[j];
    let next: number | undefined;
    for (let j = li + 1; j < labels.length && next === undefined; j++) if (present[j] !== undefined && (prev === undefined || present[j]! > prev)) next = present[j];
    let line: number;
    if (prev !== undefined) {
      const end = sectionEnd(page, prev);
      const stop = next !== undefined && next > prev ? Math.min(end, next) : end;
      // A footer line over a `---` is a heading too (setext): the section still goes before the footer.
      line = Math.min(stop < hs.length ? hs[stop].range.start.line : ls.length, contentEnd);
    } else if (next !== undefined) line = hs[next].range.start.line;
    else line = contentEnd;
    const depth = prev !== undefined ? hs[prev].depth : next !== undefined ? hs[next].depth : 2;
    const sk = skeletons.get(sectionLabel(labels[li]));
    const heading = '#'.repeat(depth) + ' ' + (sk?.heading ?? labels[li]);
    const body = sk?.instruction ?? `TODO: write the ${labels[li]} section.`;
    const l = byLine.get(line) ?? [];
    l.push(heading + eol + eol + body + eol);
    byLine.set(line, l);
  }
  const edits: TextEdit[] = [];
  const endsWithEol = text.endsWith('\n');
  for (const [line, blocks] of byLine) {
    let newText = blocks.join(eol);
    if (line >= ls.length || (line === ls.length - 1 && endsWithEol && ls[line] === '')) {
      // At the end of the page.
      const last = ls.length - 1;
      const lastLen = ls[last].length;
      const before = endsWithEol ? (ls.length >= 2 && ls[ls.length - 2].trim() === '' ? '' : eol) : eol + eol;
      edits.push({ range: rangeAt(last, lastLen), newText: before + newText });
      continue;
    }
    const prevBlank = line === 0 || ls[line - 1].trim() === '';
    edits.push({ range: rangeAt(line, 0), newText: (prevBlank ? '' : eol) + newText + eol });
  }
  return edits;
}

export const fixMissingSection: FixProvider = (site, finding, texts) => {
  const path = pageOf(site, finding.file);
  const section = finding.data?.section;
  const page = path ? site.pages.get(path) : undefined;
  const abs = absOf(site, finding.file);
  const text = texts(abs);
  if (!page || text === undefined || typeof section !== 'string') return [];
  const edits = skeletonEdits(site, page, text, [section], texts);
  if (!edits.length) return [];
  return [{ title: `Add section '${section}'`, edits: { [abs]: edits }, isPreferred: true }];
};

export const fixStub: FixProvider = (site, finding, texts) => {
  const path = pageOf(site, finding.file);
  const page = path ? site.pages.get(path) : undefined;
  const abs = absOf(site, finding.file);
  const text = texts(abs);
  if (!page || text === undefined) return [];
  const missing = maturity(site, page).missing;
  if (!missing.length) return [];
  const edits = skeletonEdits(site, page, text, missing, texts);
  if (!edits.length) return [];
  const fix: Fix = { title: `Fill all missing sections (${missing.length})`, edits: { [abs]: edits }, isPreferred: true };
  return [fix];
};
