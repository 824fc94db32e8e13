/**
 * The shape of a diagnostic rule. Rules return findings (domain results);
 * converting them into LSP diagnostics, CLI text, JSON or SARIF happens at
 * the edges.
 *
 * Invariant: rules read only the `Site` snapshot; no IO, no LSP types.
 */
import type { Range } from '../parse/types.ts';
import type { Severity } from '../site/config.ts';
import type { MkdocsConfig } from '../site/mkdocs.ts';
import type { Page, Site } from '../site/site.ts';
import type { RuleCode } from './codes.ts';

export interface Finding {
  /** Site-root relative path: `docs/patterns/x.md`, `mkdocs.yml`. */
  file: string;
  range: Range;
  code: RuleCode;
  severity: Severity;
  message: string;
  data?: Record<string, unknown>;
}

export type Report = (range: Range, message: string, data?: Record<string, unknown>) => void;

/** For findings outside pages. `severity` lowers (never raises) the rule's severity for one finding. */
export type SiteReport = (file: string, range: Range, message: string, data?: Record<string, unknown>, severity?: Severity) => void;

export interface Rule {
  code: RuleCode;
  defaultSeverity: Severity;
  description: string;
  /** The mkdocs.yml `validation:` setting that sets this rule's severity, when MkDocs has one. */
  mkdocsValidation?: keyof MkdocsConfig['validation'];
  /** Check one page. */
  checkPage?(site: Site, page: Page, report: Report): void;
  /** Check what is not a page (mkdocs.yml, the config file). */
  checkSite?(site: Site, report: SiteReport): void;
}

export const LINE0: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The range a page-level finding is shown on: the H1, else the frontmatter title, else line 0. */
export function titleRange(page: Page): Range {
  const h1 = page.doc.headings.find((h) => h.depth === 1);
  if (h1) return h1.range;
  const t = page.doc.frontmatter?.entries.find((e) => e.key === 'title');
  return t ? t.valueRange : LINE0;
}

let row = new Int32Array(64);

/** Levenshtein distance, or `limit + 1` as soon as it is sure to exceed `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  if (row.length < n + 1) row = new Int32Array(n + 1);
  for (let j = 0; j <= n; j++) row[j] = j;
  for (let i = 1; i <= m; i++) {
    let diag = row[0];
    row[0] = i;
    let best = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const up = row[j];
      const v = Math.min(up + 1, row[j - 1] + 1, diag + (ca === b.charCodeAt(j - 1) ? 0 : 1));
      diag = up;
      row[j] = v;
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
  }
  return row[n];
}

/** The closest candidates to `wanted` by edit distance, best first, within a tolerance. */
export function nearest(wanted: string, candidates: Iterable<string>, max = 3): string[] {
  const w = wanted.toLowerCase();
  const limit = Math.max(2, Math.floor(w.length * 0.4));
  const scored: Array<[string, number]> = [];
  for (const c of candidates) {
    if (Math.abs(c.length - w.length) > limit) continue; // the distance is at least the length difference
    const d = editDistance(w, c.toLowerCase(), limit);
    if (d <= limit) scored.push([c, d]);
  }
  return scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, max).map((s) => s[0]);
}
