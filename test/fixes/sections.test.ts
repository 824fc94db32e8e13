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
});
