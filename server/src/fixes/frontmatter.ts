/**
 * Frontmatter: add a missing required field (title from the H1,
 * `status: stub`, others the first allowed value or empty), and replace an
 * invalid enum value with the nearest valid one.
 */
import { editDistance } from '../rules/rule.ts';
import type { Fix, FixProvider } from './types.ts';
import { absOf, eolOf, lines, pageOf, rangeAt, textIn } from './types.ts';
import { yamlScalar } from './not-in-nav.ts';

export const fixMissingField: FixProvider = (site, finding, texts) => {
  const path = pageOf(site, finding.file);
  const page = path ? site.pages.get(path) : undefined;
  const abs = absOf(site, finding.file);
  const text = texts(abs);
  const field = finding.data?.field;
  if (!page || text === undefined || typeof field !== 'string') return [];
  const fm = page.doc.frontmatter;
  if (fm && fm.data === null) return [];
  let value: string;
  if (field === 'title') {
    const h1 = page.doc.headings.find((h) => h.depth === 1)?.text;
    value = yamlScalar(h1 ?? path!.split('/').pop()!.replace(/\.md$/, ''));
  } else if (field === 'status') value = 'stub';
  else if (field === 'type') value = 'pattern';
  else {
    const allowed = site.enums[field];
    value = allowed?.length ? yamlScalar(allowed[0]) : '';
  }
  const eol = eolOf(text);
  const line = `${field}:${value ? ' ' + value : ''}`;
  const ls = lines(text);
  let fix: Fix;
  const existing = fm?.entries.find((e) => e.key === field);
  if (fm && existing) {
    // Present but empty: replace its line.
    const l = existing.keyRange.start.line;
    fix = { title: `Set '${field}: ${value}'`, edits: { [abs]: [{ range: rangeAt(l, 0, l, ls[l].length), newText: line }] }, isPreferred: true };
  } else if (fm) {
    const close = fm.range.end.line;
    if (!/^(---|\.\.\.)\s*$/.test(ls[close] ?? '')) return [];
    fix = { title: `Add '${field}: ${value}' to the frontmatter`, edits: { [abs]: [{ range: rangeAt(close, 0), newText: line + eol }] }, isPreferred: true };
  } else {
    fix = { title: `Add frontmatter with '${field}: ${value}'`, edits: { [abs]: [{ range: rangeAt(0, 0), newText: `---${eol}${line}${eol}---${eol}` }] }, isPreferred: true };
  }
  return [fix];
};

export const fixInvalidValue: FixProvider = (site, finding, texts) => {
  const abs = absOf(site, finding.file);
  const text = texts(abs);
  const allowed = finding.data?.allowed;
  const value = finding.data?.value;
  if (text === undefined || !Array.isArray(allowed) || typeof value !== 'string') return [];
  const written = textIn(text, finding.range);
  const q = written[0] === '"' || written[0] === "'" ? (written[0] as '"' | "'") : undefined;
  const sugg = Array.isArray(finding.data?.suggestions) ? (finding.data!.suggestions as string[]) : [];
  const ranked = [...new Set([...sugg, ...(allowed as string[]).slice().sort((a, b) => editDistance(value.toLowerCase(), a.toLowerCase()) - editDistance(value.toLowerCase(), b.toLowerCase()) || a.localeCompare(b))])];
  return ranked.map((v, i) => ({
    title: `Change to '${v}'`,
    edits: { [abs]: [{ range: finding.range, newText: q ? yamlScalar(v, q) : yamlScalar(v) }] },
    // Applied by fix-all only when the value is close to a valid one (a typo), not a different word.
    ...(i === 0 && sugg.length ? { isPreferred: true } : {}),
  }));
};
