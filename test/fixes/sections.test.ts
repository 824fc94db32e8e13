import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { makeSite } from '../helpers/site.ts';
import { applyFix, fixesFor } from './helpers.ts';

const TEMPLATE = [
  '---',
  'title: [Pattern Name]',
  'status: [stub|partial|complete]',
  '---',
  '',
  '# [Pattern Name]',
  '',
  '## 🎯 Problem',
  '',
  '[What goes wrong without this pattern, in two sentences]',
  '',
  '## Solution',
  '',
  '### How it works',
  '',
  '[Describe the mechanism]',
  '',
  '```mermaid',
  'graph TD',
  '```',
  '',
  '## Trade-offs',
  '',
  '---',
  '',
  '[Costs and benefits]',
  '',
  '## Related Patterns',
  '',
  '- [Links to related patterns]',
  '',
].join('\n');

const complete = (t: string) =>
  `---\ntitle: ${t}\nstatus: complete\ntype: pattern\n---\n\n# ${t}\n\n## Problem\n\nWords here.\n\n## Solution\n\nWords here.\n\n## Trade-offs\n\nWords.\n\n## Related Patterns\n\n- x\n`;

const PARTIAL = [
  '---',
  'title: Bulkhead',
  'status: partial',
  'type: pattern',
  '---',
  '',
  '# Bulkhead',
  '',
  '## Problem',
  '',
  'One failing dependency takes every thread.',
  '',
  '### Example',
  '',
  'A pool.',
  '',
  '## Trade-offs',
  '',
  'More pools to size.',
].join('\n');

const FILES: Record<string, string> = {
  'mkdocs.yml': 'site_name: T\n',
  'templates/pattern-template.md': TEMPLATE,
  'docs/patterns/a.md': complete('A'),
  'docs/patterns/b.md': complete('B'),
  'docs/patterns/bulkhead.md': PARTIAL,
  'docs/patterns/stubby.md': '---\ntitle: Stubby\nstatus: stub\ntype: pattern\n---\n\n# Stubby\n\nComing soon.\n',
};

describe('missing-section and stub fixes', () => {
  test('a missing section goes after the preceding required section (and its sub-sections), before the next', () => {
    const site = makeSite(FILES);
    assert.deepEqual(site.requiredSections.labels, ['Problem', 'Solution', 'Trade-offs', 'Related Patterns']);
    const found = fixesFor(site, FILES, 'missing-section', 'docs/patterns/bulkhead.md');
    const sol = found.find((f) => f.finding.data?.section === 'Solution')!;
    assert.equal(sol.fixes[0].title, "Add section 'Solution'");
    assert.equal(
      applyFix(FILES, sol.fixes[0])['docs/patterns/bulkhead.md'],
      PARTIAL.replace('A pool.\n\n## Trade-offs', 'A pool.\n\n## Solution\n\n[Describe the mechanism]\n\n## Trade-offs'),
    );
    const rel = found.find((f) => f.finding.data?.section === 'Related Patterns')!;
    assert.equal(applyFix(FILES, rel.fixes[0])['docs/patterns/bulkhead.md'], PARTIAL + '\n\n## Related Patterns\n\n- [Links to related patterns]\n');
  });

  test('"Fill all missing sections" on a stub inserts every skeleton in template order', () => {
    const site = makeSite(FILES);
    const [{ fixes }] = fixesFor(site, FILES, 'stub', 'docs/patterns/stubby.md');
    assert.equal(fixes[0].title, 'Fill all missing sections (4)');
    assert.equal(
      applyFix(FILES, fixes[0])['docs/patterns/stubby.md'],
      FILES['docs/patterns/stubby.md'] +
        '\n## 🎯 Problem\n\n[What goes wrong without this pattern, in two sentences]\n\n## Solution\n\n[Describe the mechanism]\n\n## Trade-offs\n\n[Costs and benefits]\n\n## Related Patterns\n\n- [Links to related patterns]\n',
    );
  });

  /** The bulkhead page's text after the fix adding `section`, with `page` as its text. */
  function withSection(page: string, section: string): string {
    const files = { ...FILES, 'docs/patterns/bulkhead.md': page };
    const found = fixesFor(makeSite(files), files, 'missing-section', 'docs/patterns/bulkhead.md');
    const f = found.find((x) => x.finding.data?.section === section);
    assert.ok(f, `no missing-section finding for '${section}'`);
    return applyFix(files, f.fixes[0])['docs/patterns/bulkhead.md'];
  }

  const RELATED = '## Related Patterns\n\n- [Links to related patterns]\n\n';

  test('a last section goes before the trailing rule and Previous | Next footer, whose bytes stay', () => {
    const footer = '---\n\n**Previous**: [← A](a.md) | **Next**: [B →](b.md)\n';
    const page = PARTIAL + '\n\n' + footer;
    assert.equal(withSection(page, 'Related Patterns'), PARTIAL + '\n\n' + RELATED + footer);
    // A section in the middle is placed as before.
    assert.equal(withSection(page, 'Solution'), page.replace('A pool.\n\n## Trade-offs', 'A pool.\n\n## Solution\n\n[Describe the mechanism]\n\n## Trade-offs'));
    // CRLF line ends are kept.
    const crlf = page.replace(/\n/g, '\r\n');
    assert.equal(withSection(crlf, 'Related Patterns'), (PARTIAL + '\n\n' + RELATED + footer).replace(/\n/g, '\r\n'));
  });

  test('a footer line over a rule (a setext heading to Markdown) is still the footer, not a section to insert after', () => {
    const footer = '---\n\n**Previous**: [← A](a.md) | **Next**: [B →](b.md)\n---\n';
    assert.equal(withSection(PARTIAL + '\n\n' + footer, 'Related Patterns'), PARTIAL + '\n\n' + RELATED + footer);
  });

  test('a footer of raw HTML links, right after the content, gets a blank line before it', () => {
    const footer = '<a href="a.md">← Previous: A</a>\n<a href="b.md">Next: B →</a>\n';
    assert.equal(withSection(PARTIAL + '\n' + footer, 'Related Patterns'), PARTIAL + '\n\n' + RELATED + footer);
  });

  test('a trailing rule without a footer stays last; a page without either gets the section at its end', () => {
    assert.equal(withSection(PARTIAL + '\n\n---\n', 'Related Patterns'), PARTIAL + '\n\n' + RELATED + '---\n');
    assert.equal(withSection(PARTIAL + '\n', 'Related Patterns'), PARTIAL + '\n\n' + RELATED.slice(0, -1));
  });

  test('"Fill all missing sections" puts every skeleton before the footer', () => {
    const footer = '---\n\n**Previous**: [← B](b.md) | **Next**: [Bulkhead →](bulkhead.md)\n';
    const stub = '---\ntitle: Stubby\nstatus: stub\ntype: pattern\n---\n\n# Stubby\n\nComing soon.\n\n';
    const files = { ...FILES, 'docs/patterns/stubby.md': stub + footer };
    const [{ fixes }] = fixesFor(makeSite(files), files, 'stub', 'docs/patterns/stubby.md');
    assert.equal(
      applyFix(files, fixes[0])['docs/patterns/stubby.md'],
      stub +
        '## 🎯 Problem\n\n[What goes wrong without this pattern, in two sentences]\n\n## Solution\n\n[Describe the mechanism]\n\n## Trade-offs\n\n[Costs and benefits]\n\n' +
        RELATED +
        footer,
    );
  });
});
