import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, rawFindings } from '../helpers/site.ts';
import { at, catalog, LEVELS, patternPage } from './fixtures.ts';

const BUILT_IN = 'built-in Level 1-5 structure (no pattern template found)';

test('without a template, patterns need the Level 1-5 sections and Related Patterns; each gap is reported at the H1', () => {
  const page = patternPage({ title: 'Sharding', sections: LEVELS.filter((s) => !s.startsWith('Level 3') && s !== 'Related Patterns') });
  const site = catalog({ 'patterns/sharding.md': page, 'patterns/retry.md': patternPage({ title: 'Retry' }) });
  assert.deepEqual(findings(site, 'missing-section'), [
    `docs/patterns/sharding.md:${at(page, '# Sharding')} missing-section: Missing section 'Level 3' (required by ${BUILT_IN})`,
    `docs/patterns/sharding.md:${at(page, '# Sharding')} missing-section: Missing section 'Related Patterns' (required by ${BUILT_IN})`,
  ]);
  const [f] = rawFindings(site, 'missing-section');
  assert.equal(f.severity, 'warning');
  // `after` says where the section belongs, for a quick fix.
  assert.deepEqual(f.data, { section: 'Level 3', after: 'Level 2' });
});

test('sections match on their leading label, whatever the decoration, and at any depth below the H1', () => {
  const site = catalog({
    'patterns/cqrs.md': patternPage({
      title: 'CQRS',
      sections: ['🎯 Level 1: Intuition', 'Level 2 — Foundation', 'Level 3: Architecture {#deep}', ':material-star: Level 4: In Production', 'Level 5', '🔗 Related Patterns'],
    }),
    'patterns/outbox.md': patternPage({
      title: 'Outbox',
      sections: ['Level 1: Intuition', 'Level 2: Foundation', 'Level 3: Deep Dive', 'Level 4: Expert', 'Level 5: Mastery'],
      extra: { 'Level 5: Mastery': '### Related Patterns\n\nSee the saga and CQRS pages.' },
    }),
  });
  assert.deepEqual(findings(site, 'missing-section'), []);
});

test('a heading that only mentions the label elsewhere does not count; an H1 never does', () => {
  const page = patternPage({
    title: 'Level 1',
    sections: ['Level 2: Foundation', 'Level 3: Deep Dive', 'Level 4: Expert', 'Level 5: Mastery', 'More on Related Patterns'],
  });
  const site = catalog({ 'patterns/level-one.md': page });
  assert.deepEqual(findings(site, 'missing-section').map((f) => f.split(' (required')[0]), [
    `docs/patterns/level-one.md:${at(page, '# Level 1')} missing-section: Missing section 'Level 1'`,
    `docs/patterns/level-one.md:${at(page, '# Level 1')} missing-section: Missing section 'Related Patterns'`,
  ]);
});

test('the sections are learned from the pattern template, keeping only those the complete patterns write', () => {
  const sections = ['Problem', 'Solution', 'Trade-offs', 'Related Patterns'];
  const template = [
    '---',
    'title: "{{ Pattern Name }}"',
    '---',
    '',
    '# {{ Pattern Name }}',
    '',
    ...['Problem', 'Solution', 'Trade-offs', 'Related Patterns', 'Further Reading'].flatMap((s) => [`## ${s}`, '', `*Describe the ${s.toLowerCase()}.*`, '']),
  ].join('\n');
  const partial = patternPage({ title: 'Saga', sections: ['Problem', 'Solution', 'Related Patterns'] });
  const site = catalog({
    'templates/pattern-template.md': template,
    'patterns/outbox.md': patternPage({ title: 'Outbox', sections }),
    'patterns/cqrs.md': patternPage({ title: 'CQRS', sections }),
    'patterns/saga.md': partial,
  });
  assert.deepEqual(findings(site, 'missing-section'), [
    `docs/patterns/saga.md:${at(partial, '# Saga')} missing-section: Missing section 'Trade-offs' (required by docs/templates/pattern-template.md (the 4 of its 5 sections at least half of the complete patterns have))`,
  ]);
});

test('requiredSections in .pattern-atlas.yml replaces what would be learned', () => {
  const page = patternPage({ title: 'Outbox', sections: ['Problem', 'Solution'] });
  const site = catalog({ 'patterns/outbox.md': page }, { atlas: 'requiredSections: [Problem, Solution, Consequences]\n' });
  assert.deepEqual(findings(site, 'missing-section'), [
    `docs/patterns/outbox.md:${at(page, '# Outbox')} missing-section: Missing section 'Consequences' (required by .pattern-atlas.yml)`,
  ]);
});

test('stubs and pages that are not patterns are not held to the sections', () => {
  const site = catalog({
    'patterns/lease.md': patternPage({ title: 'Lease', status: 'stub', sections: ['Level 1: Intuition'] }),
    'patterns/index.md': '# Patterns\n\n## Resilience\n',
    'laws/law1-failure.md': '# Law 1: Correlated Failure\n\n## Why\n',
  });
  assert.deepEqual(findings(site, 'missing-section'), []);
});

test('a pattern template is not a pattern, even when its frontmatter says type: pattern (as the pages it stands for do)', () => {
  const sections = ['Problem', 'Solution', 'Related Patterns'];
  const template = ['---', 'title: "[Pattern Name]"', 'type: pattern', 'status: "[stub|partial|complete]"', '---', '', '# [Pattern Name]', '', ...sections.flatMap((s) => [`## ${s}`, '', 'TODO', ''])].join('\n');
  const site = catalog({
    'patterns/PATTERN_TEMPLATE.md': template,
    'patterns/outbox.md': patternPage({ title: 'Outbox', sections }),
    'patterns/cqrs.md': patternPage({ title: 'CQRS', sections }),
  });
  assert.deepEqual(site.templatePaths(), ['docs/patterns/PATTERN_TEMPLATE.md']);
  assert.deepEqual(site.patterns.map((p) => p.path), ['patterns/cqrs.md', 'patterns/outbox.md']);
  assert.equal(site.pages.get('patterns/PATTERN_TEMPLATE.md')!.isPattern, false);
  // Nothing is reported on the template as if it were a pattern (it has placeholders and no Law link).
  assert.deepEqual(findings(site).filter((f) => f.startsWith('docs/patterns/PATTERN_TEMPLATE.md')), []);
});
