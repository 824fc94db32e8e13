import { checkedLinks } from './broken-link.ts';
import { nearest, type Rule } from './rule.ts';

export const brokenAnchor: Rule = {
  code: 'broken-anchor',
  defaultSeverity: 'warning',
  description: "A link's #anchor matches no heading or id of the target page (using the site's slug rule).",
  mkdocsValidation: 'anchors',
  checkPage(site, page, report) {
    for (const link of checkedLinks(page.doc.links)) {
      const r = site.resolve(page.path, link.target, link.kind);
      let targetPath: string;
      let anchor: string | undefined;
      if (r.kind === 'self') {
        targetPath = page.path;
        anchor = r.anchor;
      } else if (r.kind === 'page') {
        targetPath = r.path;
        anchor = r.anchor;
      } else continue;
      if (!anchor) continue;
      const target = site.pages.get(targetPath);
      if (!target || target.anchors.has(anchor)) continue;
      const suggestions = nearest(anchor, target.anchors, 3);
      report(
        link.targetRange,
        `No heading with id '#${anchor}' in ${targetPath}` + (suggestions.length ? `. Did you mean #${suggestions[0]}?` : ''),
        { target: link.target, page: targetPath, anchor, suggestions },
      );
    }
  },
};
