import type { Rule } from './rule.ts';

export const configError: Rule = {
  code: 'config-error',
  defaultSeverity: 'error',
  description: 'A problem in .pattern-atlas.yml or mkdocs.yml that stops them being read as meant.',
  checkSite(site, report) {
    if (site.configPath) {
      const file = site.configPath.slice(site.root.length + 1);
      for (const p of site.configProblems) report(file, p.range, p.message);
      const index = site.config.patternsIndex;
      if (index && !site.patternsIndex) report(file, index.range, `'patternsIndex': ${index.path} is not a page of this site (under ${site.docsRelPrefix() || 'the docs folder'})`);
    }
    if (site.mkdocsPath) {
      const file = site.mkdocsPath.slice(site.root.length + 1);
      for (const p of site.mkdocs.problems) report(file, p.range, p.message, undefined, p.severity);
    }
  },
};
