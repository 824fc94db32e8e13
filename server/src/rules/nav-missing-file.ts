/**
 * `nav-missing-file`: a `nav:` entry of mkdocs.yml that MkDocs does not find
 * among the docs files, read as MkDocs reads it (`navPagePath`). An entry
 * that plainly means an existing page MkDocs misses (`x.md#part`, `x.md?q`,
 * `a/../x.md`, `/x.md`) says why and points at that page. An absolute path
 * naming no docs file is left alone, as MkDocs does ("presumably points to
 * an external resource"), unless it names a Markdown file, which no built
 * site serves.
 */
import { navPagePath, type NavEntry } from '../site/mkdocs.ts';
import { isMarkdownPath } from '../site/resolve.ts';
import type { Site } from '../site/site.ts';
import { normalizePath } from '../site/workspace.ts';
import { suggestTargets } from './broken-link.ts';
import type { Rule } from './rule.ts';

/** The docs path a nav path plainly means, read leniently: `#`/`?` part and leading `/` taken away, `..` collapsed. */
const meant = (written: string): string => normalizePath(written.replace(/[?#].*$/, '')).replace(/^\/+/, '');

/** The existing docs file a nav path MkDocs does not find plainly means (`meant`). */
export function navIntendedFile(site: Site, written: string): string | undefined {
  const p = meant(written);
  return p && site.files.has(p) ? p : undefined;
}

/** Why MkDocs misses `intended` when the entry is written `written`. */
function why(written: string, intended: string): string {
  if (written.startsWith('/')) return `MkDocs reads '${written}' as an absolute URL, not as a docs page, so '${intended}' is not in the nav and the link is broken on the built site`;
  const cut = /[?#]/.exec(written)?.[0];
  if (cut === '#') return `MkDocs does not resolve '#' anchors in nav paths, so '${written}' is not found and renders as a broken link`;
  if (cut === '?') return `MkDocs does not resolve '?' queries in nav paths, so '${written}' is not found and renders as a broken link`;
  return `MkDocs does not collapse '..' in nav paths, so '${written}' is not found and renders as a broken link`;
}

function check(site: Site, e: NavEntry & { path: string }, report: (message: string, data: Record<string, unknown>) => void): void {
  const p = navPagePath(e, site.mkdocs);
  if (p !== undefined && site.files.has(p)) return;
  const data = { target: e.path, title: e.title, section: e.section };
  const intended = navIntendedFile(site, e.path);
  if (intended) {
    const tail = e.path.includes('#') ? ' or use the page URL with its anchor' : '';
    report(`Nav entry '${e.title ?? e.path}': ${why(e.path, intended)}; point it at '${intended}'${tail}`, { ...data, suggestions: [intended] });
    return;
  }
  if (p === undefined && !isMarkdownPath(meant(e.path))) return; // an absolute URL: MkDocs' "external resource"
  const suggestions = suggestTargets(site, meant(e.path));
  report(`Nav entry '${e.title ?? e.path}' points to '${e.path}', which does not exist in ${site.mkdocs.docsDir}/` + (suggestions.length ? `. Did you mean ${suggestions[0]}?` : ''), { ...data, suggestions });
}

export const navMissingFile: Rule = {
  code: 'nav-missing-file',
  defaultSeverity: 'error',
  description: 'A nav: entry of mkdocs.yml names a file that does not exist in docs_dir.',
  mkdocsValidation: 'navNotFound',
  checkSite(site, report) {
    if (!site.mkdocsPath || !site.mkdocs.nav) return;
    const file = site.mkdocsPath.slice(site.root.length + 1);
    for (const e of site.mkdocs.nav) {
      if (e.path !== undefined) check(site, e as NavEntry & { path: string }, (message, data) => report(file, e.range, message, data));
    }
  },
};
