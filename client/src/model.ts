/**
 * The client's pure logic: status-bar text, how the catalog tree groups
 * patterns and concepts, the report webview's HTML shell. No `vscode` import,
 * so node:test covers it without an editor (test/extension/client-model.test.ts).
 */
import type { CatalogConcept, CatalogCounts, CatalogPattern, CatalogResult } from '../../common/protocol.ts';
import { escapeHtml } from '../webview/html.ts';

export type GroupBy = 'navSection' | 'category';

export const NOT_IN_NAV = 'Not in nav';
export const NAV_TOP_LEVEL = 'Top level';
export const KEPT_OUT_OF_NAV = 'Kept out of nav';
export const UNCATEGORIZED = 'Uncategorized';

/** "Patterns: 93 complete · 35 stubs" (the numbers come straight from the server's counts). */
export function statusText(counts: CatalogCounts): string {
  const stubs = `${counts.stub} ${counts.stub === 1 ? 'stub' : 'stubs'}`;
  return `Patterns: ${counts.complete} complete · ${stubs}`;
}

export function statusTooltip(c: CatalogResult): string {
  const problems = c.patterns.reduce((n, p) => n + (p.problems || 0), 0);
  const lines = [
    `${c.site ?? 'Pattern catalog'}: ${c.counts.total} patterns`,
    `complete ${c.counts.complete} · partial ${c.counts.partial} · stub ${c.counts.stub}`,
    `${problems} problem${problems === 1 ? '' : 's'} in pattern pages`,
    'Click for the catalog report',
  ];
  return lines.join('\n');
}

/**
 * What a pattern group holds: the patterns of one nav section (of the
 * mkdocs.yml nav, or of the nav MkDocs makes from the folders when there is
 * none), those listed at the nav's top level, those `not_in_nav` keeps out on
 * purpose, those missing from the nav (the not-in-nav problem); or one
 * category, or none.
 */
export type PatternGroupKind = 'section' | 'topLevel' | 'keptOut' | 'notInNav' | 'category' | 'uncategorized';

export interface PatternGroup {
  /** Unique among the groups (a section may be titled like a fixed group). */
  key: string;
  kind: PatternGroupKind;
  label: string;
  patterns: CatalogPattern[];
  problems: number;
}

/** Where a pattern sits in the nav, as its group kind and label. */
function navPlace(p: CatalogPattern): { kind: PatternGroupKind; label: string } {
  if (p.inNav === false) return { kind: 'notInNav', label: NOT_IN_NAV };
  const section = p.navSection?.trim();
  if (section) return { kind: 'section', label: section };
  return p.navListed ? { kind: 'topLevel', label: NAV_TOP_LEVEL } : { kind: 'keptOut', label: KEPT_OUT_OF_NAV };
}

/** Fixed groups around the sections: the top level first (as MkDocs shows it), the pages outside the nav last. */
const RANK: Record<PatternGroupKind, number> = { topLevel: 0, section: 1, category: 1, keptOut: 2, notInNav: 3, uncategorized: 3 };

/**
 * Groups patterns by nav section or by frontmatter category. Grouped by nav
 * section, the patterns listed at the top level of the nav come first, under
 * "Top level"; those mkdocs.yml's `not_in_nav` keeps out of the nav, then
 * those missing from it (`inNav === false`, what not-in-nav reports) come
 * last. Without a `nav:` in mkdocs.yml the server gives the sections MkDocs
 * makes from the folders, so the tree still shows the site's nav. Groups
 * keep the order in which the server lists patterns, patterns inside a
 * group too.
 */
export function groupPatterns(patterns: CatalogPattern[], by: GroupBy): PatternGroup[] {
  const groups = new Map<string, PatternGroup>();
  for (const p of patterns) {
    const category = p.category?.trim();
    const place =
      by === 'navSection'
        ? navPlace(p)
        : category
          ? { kind: 'category' as const, label: category }
          : { kind: 'uncategorized' as const, label: UNCATEGORIZED };
    const key = place.kind === 'section' || place.kind === 'category' ? `${place.kind}:${place.label}` : place.kind;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, kind: place.kind, label: place.label, patterns: [], problems: 0 }));
    g.patterns.push(p);
    g.problems += p.problems || 0;
  }
  return [...groups.values()].sort((a, b) => RANK[a.kind] - RANK[b.kind]);
}

/** The tooltip of a pattern group: what its fixed label means, or where a section comes from. */
export function groupTooltip(g: PatternGroup, autoNav = false): string | undefined {
  switch (g.kind) {
    case 'topLevel':
      return autoNav
        ? 'Pages at the top of docs_dir: the top level of the nav MkDocs makes (mkdocs.yml has no nav:)'
        : 'Listed at the top level of the nav, outside any section';
    case 'keptOut':
      return "Not in the nav on purpose: mkdocs.yml's not_in_nav covers them";
    case 'notInNav':
      return 'Missing from the nav of mkdocs.yml (not-in-nav): "Add Page to Nav" on a page adds it';
    case 'section':
      return autoNav ? 'Nav section MkDocs makes from a folder (mkdocs.yml has no nav:)' : undefined;
    default:
      return undefined;
  }
}

/**
 * A pattern item's context value: `pattern.notInNav` (which offers "Add Page
 * to Nav") only for a page not-in-nav reports, not for one listed at the top
 * level, kept out by `not_in_nav` or on a site without `nav:`.
 */
export function patternContext(p: CatalogPattern): 'pattern' | 'pattern.notInNav' {
  return p.inNav === false ? 'pattern.notInNav' : 'pattern';
}

/** The pattern tooltip's line about the nav. */
export function navLine(p: CatalogPattern, autoNav = false): string {
  const place = navPlace(p);
  const auto = autoNav ? ' (made by MkDocs: mkdocs.yml has no nav:)' : '';
  switch (place.kind) {
    case 'notInNav':
      return 'not in the nav';
    case 'keptOut':
      return 'not in the nav (not_in_nav)';
    case 'topLevel':
      return `nav: top level${auto}`;
    default:
      return `nav: ${place.label}${auto}`;
  }
}

export interface ConceptGroup {
  kind: string;
  /** Plural label, e.g. "Laws". */
  label: string;
  concepts: CatalogConcept[];
}

export function conceptLabel(c: CatalogConcept): string {
  return c.label || c.kind.charAt(0).toUpperCase() + c.kind.slice(1);
}

/** One group per concept kind, in the server's order; concepts sorted by number. */
export function groupConcepts(concepts: CatalogConcept[]): ConceptGroup[] {
  const groups = new Map<string, ConceptGroup>();
  for (const c of concepts) {
    let g = groups.get(c.kind);
    if (!g) groups.set(c.kind, (g = { kind: c.kind, label: `${conceptLabel(c)}s`, concepts: [] }));
    g.concepts.push(c);
  }
  for (const g of groups.values()) g.concepts.sort((a, b) => a.number - b.number);
  return [...groups.values()];
}

export function patternDescription(p: CatalogPattern): string {
  const parts = [p.status];
  if (p.problems > 0) parts.push(`${p.problems} problem${p.problems === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

export function citedDescription(c: CatalogConcept): string {
  const n = c.citedBy.length;
  return n === 0 ? 'not cited' : `cited by ${n}`;
}

/** Codicon id and theme color for a pattern status. */
export function statusIcon(status: string): { id: string; color?: string } {
  switch (status) {
    case 'complete':
      return { id: 'pass-filled', color: 'testing.iconPassed' };
    case 'partial':
      return { id: 'circle-large-outline', color: 'editorWarning.foreground' };
    case 'stub':
      return { id: 'circle-outline', color: 'disabledForeground' };
    default:
      return { id: 'question' };
  }
}

export function conceptIcon(kind: string): string {
  if (kind === 'law') return 'law';
  if (kind === 'pillar') return 'layers';
  return 'book';
}

/** A diagnostic's code as a string, whatever shape LSP/VS Code gave it. */
export function codeOf(code: string | number | { value: string | number } | undefined): string | undefined {
  if (code === undefined) return undefined;
  if (typeof code === 'object') return String(code.value);
  return String(code);
}

/**
 * The report webview's HTML: strict CSP (nothing but our nonce'd style and
 * script, images only from the webview's own resources), theme colors from
 * VS Code's CSS variables. `body` is HTML rendered with raw HTML disabled.
 */
export function reportHtml(opts: { body: string; nonce: string; cspSource: string; title: string }): string {
  const { body, nonce, cspSource, title } = opts;
  const csp = [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 20px 40px; line-height: 1.5; }
  h1, h2, h3 { font-weight: 600; border-bottom: 1px solid var(--vscode-panel-border, transparent); padding-bottom: .2em; }
  table { border-collapse: collapse; margin: 1em 0; }
  th, td { border: 1px solid var(--vscode-panel-border, #8884); padding: 3px 10px; text-align: left; vertical-align: top; }
  th { background: var(--vscode-editor-lineHighlightBackground, #8881); }
  tr:nth-child(even) td { background: var(--vscode-list-hoverBackground, transparent); }
  code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 0 3px; border-radius: 3px; }
  a { color: var(--vscode-textLink-foreground); cursor: pointer; }
  a:hover { color: var(--vscode-textLink-activeForeground); }
</style>
</head>
<body>
${body}
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  // Keep the reading position when the report is re-rendered after an edit.
  const state = vscode.getState();
  if (state && typeof state.scrollY === 'number') window.scrollTo(0, state.scrollY);
  let pending = false;
  window.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; vscode.setState({ scrollY: window.scrollY }); });
  });
  document.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('a[href]') : null;
    if (!a) return;
    e.preventDefault();
    vscode.postMessage({ type: 'open', href: a.getAttribute('href') });
  });
</script>
</body>
</html>`;
}

/**
 * Where a link clicked in the report points: an external URL, or a path
 * relative to the site root (report links are written that way), with any
 * `#fragment` split off. Anything else (javascript:, data:, ...) is refused.
 */
export function classifyReportLink(href: string): { kind: 'external'; url: string } | { kind: 'file'; path: string; fragment?: string } | undefined {
  if (/^(https?|mailto):/i.test(href)) return { kind: 'external', url: href };
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return undefined;
  const [p, fragment] = href.split('#', 2);
  const path = decodeURIComponent(p).replace(/^\.?\//, '');
  if (!path || path.split('/').includes('..')) return undefined;
  return { kind: 'file', path, fragment };
}
