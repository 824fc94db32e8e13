/**
 * Inline multi-file fixtures: `makeSite({ 'mkdocs.yml': ..., 'docs/a.md': ... })`
 * builds a Site in memory under /site, with the full (remark) parser unless
 * another is given.
 */
import { parseMarkdown } from '../../server/src/parse/remark.ts';
import { checkSite } from '../../server/src/rules/index.ts';
import type { Finding } from '../../server/src/rules/rule.ts';
import { loadSite, type ParseFn, type Site } from '../../server/src/site/site.ts';
import { MemoryWorkspace } from '../../server/src/site/workspace.ts';

export const ROOT = '/site';

export function dedent(s: string): string {
  const lines = s.replace(/^\n/, '').split('\n');
  const ind = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(ind)).join('\n');
}

export function makeSite(files: Record<string, string>, parse: ParseFn = parseMarkdown): Site {
  const abs: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) abs[`${ROOT}/${k}`] = v;
  if (!files['mkdocs.yml']) abs[`${ROOT}/mkdocs.yml`] = 'site_name: Test\n';
  const r = loadSite(new MemoryWorkspace(abs), ROOT, { parse });
  if (!r.site) throw new Error(r.error);
  return r.site;
}

/** Findings of one code, rendered as `file:line:col message` (1-based) for readable assertions. */
export function findings(site: Site, code?: string): string[] {
  return checkSite(site)
    .filter((f: Finding) => !code || f.code === code)
    .map((f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.code}: ${f.message}`);
}

export function rawFindings(site: Site, code?: string): Finding[] {
  return checkSite(site).filter((f) => !code || f.code === code);
}
