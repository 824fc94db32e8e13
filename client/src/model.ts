/**
 * The client's pure logic: status-bar text, how the catalog tree groups
 * patterns and concepts, the report webview's HTML shell. No `vscode` import,
 * so node:test covers it without an editor (test/extension/client-model.test.ts).
 */
import type { CatalogConcept, CatalogCounts, CatalogPattern, CatalogResult } from '../../common/protocol.ts';
import { escapeHtml } from '../webview/html.ts';

export type GroupBy = 'navSection' | 'category';

export const NOT_IN_NAV = 'Not in nav';
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

export interface PatternGroup {
  label: string;
  patterns: CatalogPattern[];
  problems: number;
}

/**
 * Groups patterns by nav section (pages outside the nav last, under "Not in
 * nav") or by frontmatter category. Groups keep the order in which the server
 * lists patterns (nav order), patterns inside a group too.
 */
export function groupPatterns(patterns: CatalogPattern[], by: GroupBy): PatternGroup[] {
  const groups = new Map<string, CatalogPattern[]>();
  const fallback = by === 'navSection' ? NOT_IN_NAV : UNCATEGORIZED;
  for (const p of patterns) {
    const key = (by === 'navSection' ? p.navSection : p.category)?.trim() || fallback;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(p);
  }
  const out = [...groups].map(([label, list]) => ({ label, patterns: list, problems: list.reduce((n, p) => n + (p.problems || 0), 0) }));
  // The catch-all group goes last.
  out.sort((a, b) => Number(a.label === fallback) - Number(b.label === fallback));
  return out;
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
