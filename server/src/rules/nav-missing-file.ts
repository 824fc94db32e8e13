import { normalizePath } from '../site/workspace.ts';
import { suggestTargets } from './broken-link.ts';
import type { Rule } from './rule.ts';

export const navMissingFile: Rule = {
  code: 'nav-missing-file',
  defaultSeverity: 'error',
  description: 'A nav: entry of mkdocs.yml names a file that does not exist in docs_dir.',
  mkdocsValidation: 'navNotFound',
  checkSite(site, report) {
    if (!site.mkdocsPath || !site.mkdocs.nav) return;
    const file = site.mkdocsPath.slice(site.root.length + 1);
    for (const e of site.mkdocs.nav) {
      if (!e.path) continue;
      const p = normalizePath(e.path.split('#')[0]);
      if (site.files.has(p)) {
        if (e.path.includes('#')) {
          report(file, e.range, `Nav entry '${e.title ?? e.path}': MkDocs does not resolve '#' anchors in nav paths, so '${e.path}' is not found and renders as a broken link; point it at '${p}' or use the page URL with its anchor`, {
            target: e.path,
            title: e.title,
            section: e.section,
            suggestions: [p],
          });
        }
        continue;
      }
      const suggestions = suggestTargets(site, p);
      report(file, e.range, `Nav entry '${e.title ?? e.path}' points to '${e.path}', which does not exist in ${site.mkdocs.docsDir}/` + (suggestions.length ? `. Did you mean ${suggestions[0]}?` : ''), {
        target: e.path,
        title: e.title,
        section: e.section,
        suggestions,
      });
    }
  },
};
