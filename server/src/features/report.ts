/**
 * The catalog report: what pattern authors otherwise write by hand. A plain
 * data value (`buildReport`) plus a Markdown rendering; the CLI prints it,
 * the editor shows it in a webview.
 */
import type { Finding } from '../rules/rule.ts';
import { citedConcepts } from '../rules/concepts.ts';
import { maturity, statusOf } from '../rules/maturity.ts';
import type { Site } from '../site/site.ts';
import { stripDecorations } from '../site/site.ts';

export interface PatternRow {
  path: string;
  title: string;
  status: string;
  category?: string;
  words: number;
  diagrams: number;
  inNav: boolean;
  brokenLinks: number;
  concepts: string[];
}

export interface Report {
  site: string;
  patterns: PatternRow[];
  byStatus: Record<string, number>;
  completion: number;
  stubs: string[];
  withoutDiagrams: string[];
  underWordMinimum: string[];
  notInNav: string[];
  brokenLinksPerPage: Array<{ path: string; count: number }>;
  matrix: Array<{ kind: string; label: string; concepts: Array<{ title: string; path: string; citedBy: string[] }>; uncited: string[] }>;
  checklist?: { title: string; items: Array<{ name: string; state: 'exists' | 'stub' | 'missing'; path?: string }> };
  requiredSections: { labels: string[]; source: string };
}

function norm(s: string): string {
  return stripDecorations(s)
    .toLowerCase()
    .replace(/\bpattern\b/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function buildReport(site: Site, findings: Finding[]): Report {
  const brokenByFile = new Map<string, number>();
  for (const f of findings) if (f.code === 'broken-link') brokenByFile.set(f.file, (brokenByFile.get(f.file) ?? 0) + 1);
  const rows: PatternRow[] = site.patterns.map((p) => {
    const m = maturity(site, p);
    const cat = p.doc.frontmatter?.data?.category;
    return {
      path: p.path,
      title: p.title,
      status: statusOf(p) ?? 'unknown',
      category: typeof cat === 'string' ? cat : undefined,
      words: m.words,
      diagrams: p.doc.fences.filter((f) => f.lang === 'mermaid').length,
      inNav: site.inNav(p.path),
      brokenLinks: brokenByFile.get(site.siteRel(p.path)) ?? 0,
      concepts: citedConcepts(site, p).map((c) => `${c.label} ${c.number}`),
    };
  });
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const matrix = site.config.concepts.map((k) => {
    const concepts = site.concepts
      .filter((c) => c.kind === k.kind)
      .map((c) => ({ title: c.title, path: c.path, citedBy: rows.filter((r) => r.concepts.includes(`${c.label} ${c.number}`)).map((r) => r.path) }));
    return { kind: k.kind, label: k.label, concepts, uncited: concepts.filter((c) => c.citedBy.length === 0).map((c) => c.title) };
  });
  let checklist: Report['checklist'];
  if (site.config.checklist) {
    const index = new Map<string, PatternRow>();
    for (const r of rows) {
      index.set(norm(r.title), r);
      index.set(norm(r.path.split('/').pop()!.replace(/\.md$/, '').replace(/-/g, ' ')), r);
    }
    checklist = {
      title: site.config.checklist.title,
      items: site.config.checklist.items.map((name) => {
        const r = index.get(norm(name));
        if (!r) return { name, state: 'missing' as const };
        return { name, state: r.status === 'stub' ? ('stub' as const) : ('exists' as const), path: r.path };
      }),
    };
  }
  return {
    site: site.mkdocs.siteName ?? site.root,
    patterns: rows,
    byStatus,
    completion: rows.length ? Math.round((1000 * (byStatus['complete'] ?? 0)) / rows.length) / 10 : 0,
    stubs: rows.filter((r) => r.status === 'stub').map((r) => r.path),
    withoutDiagrams: rows.filter((r) => r.diagrams === 0).map((r) => r.path),
    underWordMinimum: rows.filter((r) => r.words < site.config.minWords).map((r) => r.path),
    notInNav: rows.filter((r) => !r.inNav).map((r) => r.path),
    brokenLinksPerPage: [...brokenByFile].map(([path, count]) => ({ path, count })).sort((a, b) => b.count - a.count || a.path.localeCompare(b.path)),
    matrix,
    checklist,
    requiredSections: { labels: site.requiredSections.labels, source: site.requiredSections.source },
  };
}

function list(items: string[]): string {
  return items.length ? items.map((i) => `- ${i}`).join('\n') : '_none_';
}

export function renderReportMarkdown(r: Report): string {
  const out: string[] = [];
  out.push(`# Catalog report: ${r.site}`, '');
  out.push(`${r.patterns.length} patterns, ${r.completion}% complete.`, '');
  out.push('| Status | Patterns |', '|---|---|');
  for (const [s, n] of Object.entries(r.byStatus).sort()) out.push(`| ${s} | ${n} |`);
  out.push('', `Required sections (${r.requiredSections.source}): ${r.requiredSections.labels.join(', ')}`, '');
  out.push(`## Stubs (${r.stubs.length})`, '', list(r.stubs), '');
  out.push(`## Without diagrams (${r.withoutDiagrams.length})`, '', list(r.withoutDiagrams), '');
  out.push(`## Under the word minimum (${r.underWordMinimum.length})`, '', list(r.underWordMinimum), '');
  out.push(`## Not in the nav (${r.notInNav.length})`, '', list(r.notInNav), '');
  out.push(`## Broken links per page (${r.brokenLinksPerPage.length})`, '');
  if (r.brokenLinksPerPage.length) {
    out.push('| Page | Broken links |', '|---|---|');
    for (const b of r.brokenLinksPerPage) out.push(`| ${b.path} | ${b.count} |`);
  } else out.push('_none_');
  out.push('');
  for (const m of r.matrix) {
    if (!m.concepts.length) continue;
    out.push(`## ${m.label} x Pattern`, '');
    out.push(`| Pattern | ${m.concepts.map((c) => c.title.split(':')[0]).join(' | ')} |`);
    out.push(`|---|${m.concepts.map(() => ':-:').join('|')}|`);
    for (const p of r.patterns) {
      out.push(`| ${p.title} | ${m.concepts.map((c) => (c.citedBy.includes(p.path) ? '●' : '')).join(' | ')} |`);
    }
    out.push(`| **patterns citing** | ${m.concepts.map((c) => String(c.citedBy.length)).join(' | ')} |`, '');
    out.push(`${m.label}s no pattern cites: ${m.uncited.length ? m.uncited.join(', ') : 'none'}`, '');
  }
  if (r.checklist) {
    out.push(`## ${r.checklist.title}`, '', '| Pattern | State | Page |', '|---|---|---|');
    for (const i of r.checklist.items) out.push(`| ${i.name} | ${i.state} | ${i.path ?? ''} |`);
    const missing = r.checklist.items.filter((i) => i.state === 'missing').length;
    out.push('', `${r.checklist.items.length - missing} of ${r.checklist.items.length} exist (${r.checklist.items.filter((i) => i.state === 'stub').length} as stubs), ${missing} missing.`, '');
  }
  return out.join('\n');
}
