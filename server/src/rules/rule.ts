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
import { comparePaths } from '../site/workspace.ts';
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

/**
 * Lower-cased candidates and their character signatures, kept per candidate
 * collection (an array or Set: a page's anchors, the page names of a snapshot,
 * values of snapshot objects, never mutated), because the same collection is
 * searched for every broken link into it.
 */
interface Prepared {
  orig: string[];
  lower: string[];
  /** Per candidate: bit `c & 31` set for each character code `c` it has. */
  sigs: Int32Array;
}
const preparedCandidates = new WeakMap<object, Prepared>();
function prepareCandidates(candidates: Iterable<string>): Prepared {
  const cacheable = Array.isArray(candidates) || candidates instanceof Set;
  const hit = cacheable ? preparedCandidates.get(candidates as object) : undefined;
  const size = Array.isArray(candidates) ? candidates.length : candidates instanceof Set ? candidates.size : -1;
  if (hit && hit.orig.length === size) return hit;
  const orig = Array.isArray(candidates) ? (candidates as string[]) : [...candidates];
  const lower = orig.map((c) => c.toLowerCase());
  const sigs = new Int32Array(lower.length);
  for (let k = 0; k < lower.length; k++) sigs[k] = signature(lower[k]);
  const p = { orig, lower, sigs };
  if (cacheable) preparedCandidates.set(candidates as object, p);
  return p;
}

function signature(s: string): number {
  let sig = 0;
  for (let i = 0; i < s.length; i++) sig |= 1 << (s.charCodeAt(i) & 31);
  return sig;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

const wantedCounts = new Int16Array(128);
const scratchCounts = new Int16Array(128);

/** The closest candidates to `wanted` by edit distance, best first, within a tolerance. */
export function nearest(wanted: string, candidates: Iterable<string>, max = 3): string[] {
  const w = wanted.toLowerCase();
  let limit = Math.max(2, Math.floor(w.length * 0.4));
  const { orig, lower, sigs } = prepareCandidates(candidates);
  // Characters of `wanted` (folded to 32 and 128 buckets) for cheap lower bounds of the distance:
  // an edit inserts, deletes or replaces one character, so the distance is at least what one
  // string has that the other lacks, counted by bucket (bag distance), and at least the number of
  // buckets one has and the other has not.
  const wsig = signature(w);
  wantedCounts.fill(0);
  for (let i = 0; i < w.length; i++) wantedCounts[w.charCodeAt(i) & 127]++;
  const scored: Array<[string, number]> = [];
  // The `max` smallest distances so far, ascending: once there are `max` of them, a candidate farther
  // than the last can no longer make the result, so the tolerance shrinks to it (ties are kept).
  const best: number[] = [];
  for (let k = 0; k < orig.length; k++) {
    const c = lower[k];
    if (Math.abs(c.length - w.length) > limit) continue; // the distance is at least the length difference
    if (popcount(wsig & ~sigs[k]) > limit || popcount(sigs[k] & ~wsig) > limit) continue;
    scratchCounts.set(wantedCounts);
    let extra = 0;
    for (let i = 0; i < c.length; i++) {
      const b = c.charCodeAt(i) & 127;
      if (scratchCounts[b] > 0) scratchCounts[b]--;
      else extra++;
    }
    if (Math.max(w.length - (c.length - extra), extra) > limit) continue;
    const d = editDistance(w, c, limit);
    if (d > limit) continue;
    scored.push([orig[k], d]);
    let j = best.length;
    while (j > 0 && best[j - 1] > d) j--;
    if (j < max) {
      best.splice(j, 0, d);
      if (best.length > max) best.pop();
      if (best.length === max) limit = best[max - 1];
    }
  }
  return scored.sort((a, b) => a[1] - b[1] || comparePaths(a[0], b[0])).slice(0, max).map((s) => s[0]);
}
