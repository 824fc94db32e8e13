/**
 * The rule registry and the checker: runs every rule, applies severities
 * (from `.pattern-atlas.yml`, then mkdocs.yml `validation:`, then each rule's
 * default) and inline suppressions.
 */
import type { Severity } from '../site/config.ts';
import type { Page, Site } from '../site/site.ts';
import type { Range } from '../parse/types.ts';
import { brokenAnchor } from './broken-anchor.ts';
import { brokenLink } from './broken-link.ts';
import { conceptMismatch, missingConceptLinks } from './concepts.ts';
import { configError } from './config-error.ts';
import { missingDiagram, tooShort } from './content.ts';
import { emptySection } from './empty-section.ts';
import { fileUnreadable, frontmatterInvalidValue, frontmatterMissingField, frontmatterYaml, unterminatedFence } from './frontmatter.ts';
import { missingSection } from './missing-section.ts';
import { navMissingFile } from './nav-missing-file.ts';
import { notInIndex } from './not-in-index.ts';
import { notInNav } from './not-in-nav.ts';
import { prevNextMismatch } from './prev-next.ts';
import type { RuleCode } from './codes.ts';
import type { Finding, Rule } from './rule.ts';
import { statusMismatch } from './status-mismatch.ts';
import { stub } from './stub.ts';

/**
 * `mermaid-syntax` is checked asynchronously, off the main thread
 * (`mermaid/findings.ts`), so it has no `checkPage`: this descriptor gives it
 * a default severity, a config setting and a SARIF entry like every rule.
 */
export const mermaidSyntax: Rule = {
  code: 'mermaid-syntax',
  defaultSeverity: 'error',
  description: "Mermaid diagrams that Mermaid's own parser rejects (they render as an error on the site)",
};

export const RULES: Rule[] = [
  brokenLink,
  brokenAnchor,
  notInNav,
  notInIndex,
  navMissingFile,
  stub,
  statusMismatch,
  missingSection,
  emptySection,
  frontmatterMissingField,
  frontmatterInvalidValue,
  frontmatterYaml,
  missingDiagram,
  tooShort,
  missingConceptLinks,
  conceptMismatch,
  unterminatedFence,
  configError,
  fileUnreadable,
  mermaidSyntax,
  prevNextMismatch,
];

/** Higher is milder. */
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** The rule's severity, or a finding's own when that is milder (a finding may lower, never raise, its rule's severity). */
export function milder(rule: Severity, own: Severity | undefined): Severity {
  return own && RANK[own] > RANK[rule] ? own : rule;
}

const FROM_MKDOCS: Record<string, Severity> = { warn: 'warning', info: 'info', ignore: 'hint' };

const VALIDATION_KEYS: Record<string, [string, string]> = {
  omittedFiles: ['nav', 'omitted_files'],
  navNotFound: ['nav', 'not_found'],
  notFound: ['links', 'not_found'],
  anchors: ['links', 'anchors'],
};

/** Whether mkdocs.yml sets this `validation:` key explicitly (MkDocs' own defaults are not ours). */
function validationIsSet(site: Site, key: string): boolean {
  const k = VALIDATION_KEYS[key];
  const v = site.mkdocs.data?.validation as Record<string, Record<string, unknown> | undefined> | undefined;
  return !!k && !!v && typeof v === 'object' && (typeof v[k[0]]?.[k[1]] === 'string' || typeof v[k[1]] === 'string');
}

/** The severity a rule has on this site, or 'off'. */
export function severityOf(site: Site, rule: Rule): Severity | 'off' {
  const configured = site.config.rules[rule.code];
  if (configured) return configured;
  if (rule.mkdocsValidation && validationIsSet(site, rule.mkdocsValidation)) {
    const v = site.mkdocs.validation[rule.mkdocsValidation];
    if (v && FROM_MKDOCS[v]) return FROM_MKDOCS[v];
  }
  return rule.defaultSeverity;
}

/** Whether a finding on `line` of `page` is silenced by a pattern-atlas-disable comment. */
export function isSuppressed(page: Page, code: string, line: number): boolean {
  const sups = page.doc.suppressions;
  if (!sups.length) return false;
  let disabled = false;
  for (const s of sups) {
    const applies = s.rules.length === 0 || s.rules.includes(code);
    if (!applies) continue;
    if (s.kind === 'disable-next-line' && s.line + 1 === line) return true;
    if (s.kind === 'disable-line' && s.line === line) return true;
    if (s.line > line) continue;
    if (s.kind === 'disable') disabled = true;
    else if (s.kind === 'enable') disabled = false;
  }
  return disabled;
}

export function checkPage(site: Site, page: Page, rules: Rule[] = RULES): Finding[] {
  const out: Finding[] = [];
  const file = site.siteRel(page.path);
  for (const rule of rules) {
    if (!rule.checkPage) continue;
    const severity = severityOf(site, rule);
    if (severity === 'off') continue;
    try {
      rule.checkPage(site, page, (range: Range, message: string, data?: Record<string, unknown>) => {
        if (isSuppressed(page, rule.code, range.start.line)) return;
        out.push({ file, range, code: rule.code as RuleCode, severity, message, ...(data ? { data } : {}) });
      });
    } catch (e) {
      out.push({
        file,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        code: rule.code,
        severity: 'error',
        message: `Internal error in rule ${rule.code}: ${String((e as Error)?.message ?? e)}`,
      });
    }
  }
  return out;
}

export function checkSiteFiles(site: Site, rules: Rule[] = RULES): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    if (!rule.checkSite) continue;
    const severity = severityOf(site, rule);
    if (severity === 'off') continue;
    rule.checkSite(site, (file, range, message, data, own) =>
      out.push({ file, range, code: rule.code, severity: milder(severity, own), message, ...(data ? { data } : {}) }),
    );
  }
  return out;
}

/** Every finding of the whole site, sorted by file and position. */
export function checkSite(site: Site, rules: Rule[] = RULES): Finding[] {
  const out = checkSiteFiles(site, rules);
  for (const page of site.pages.values()) out.push(...checkPage(site, page, rules));
  return sortFindings(out);
}

export function sortFindings(f: Finding[]): Finding[] {
  return f.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
