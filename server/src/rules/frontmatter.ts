import { LINE0, nearest, type Rule } from './rule.ts';

export const frontmatterMissingField: Rule = {
  code: 'frontmatter-missing-field',
  defaultSeverity: 'warning',
  description: 'A pattern lacks a required frontmatter field.',
  checkPage(site, page, report) {
    if (!page.isPattern) return;
    const fm = page.doc.frontmatter;
    if (fm && fm.data === null) return; // malformed YAML is reported by frontmatter-yaml
    const range = fm ? { start: fm.range.start, end: { line: 0, character: 3 } } : LINE0;
    for (const field of site.config.frontmatter.required) {
      if (fm?.data && fm.data[field] !== undefined && fm.data[field] !== null && fm.data[field] !== '') continue;
      report(range, fm ? `Frontmatter lacks required field '${field}'` : `No frontmatter: required field '${field}' is missing`, { field });
    }
  },
};

export const frontmatterInvalidValue: Rule = {
  code: 'frontmatter-invalid-value',
  defaultSeverity: 'warning',
  description: 'A frontmatter value outside its allowed set (from the config, or learned from the catalog).',
  checkPage(site, page, report) {
    if (!page.isPattern) return;
    for (const e of page.doc.frontmatter?.entries ?? []) {
      const allowed = site.enums[e.key];
      if (!allowed || e.value === null || e.value === undefined || e.value === '') continue;
      const v = String(e.value);
      if (allowed.includes(v)) continue;
      const suggestions = nearest(v, allowed, 1);
      report(e.valueRange, `'${v}' is not a valid ${e.key}: expected one of ${allowed.join(', ')}` + (suggestions.length ? `. Did you mean '${suggestions[0]}'?` : ''), {
        field: e.key,
        value: v,
        allowed,
        suggestions,
      });
    }
  },
};

export const frontmatterYaml: Rule = {
  code: 'frontmatter-yaml',
  defaultSeverity: 'error',
  description: 'Frontmatter that is not valid YAML (MkDocs would drop it).',
  checkPage(_site, page, report) {
    for (const p of page.doc.problems) if (p.code === 'frontmatter-yaml') report(p.range, p.message);
  },
};

export const unterminatedFence: Rule = {
  code: 'unterminated-fence',
  defaultSeverity: 'warning',
  description: 'A code fence that is never closed swallows the rest of its page.',
  checkPage(_site, page, report) {
    for (const p of page.doc.problems) if (p.code === 'unterminated-fence') report(p.range, p.message);
  },
};

export const fileUnreadable: Rule = {
  code: 'file-unreadable',
  defaultSeverity: 'warning',
  description: 'A Markdown file that is binary or too large to check.',
  checkPage(_site, page, report) {
    for (const p of page.doc.problems) if (p.code === 'binary-file' || p.code === 'file-too-large') report(p.range, p.message);
  },
};
