import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, rawFindings } from '../helpers/site.ts';
import { at, catalog, LEVELS, patternPage } from './fixtures.ts';

test('a required section with nothing under it is reported on its heading', () => {
  const page = patternPage({ title: 'Bulkhead', status: 'partial', empty: ['Level 4: Expert'] });
  const site = catalog({ 'patterns/bulkhead.md': page });
  assert.deepEqual(findings(site, 'empty-section'), [`docs/patterns/bulkhead.md:${at(page, '## Level 4: Expert')} empty-section: Section 'Level 4: Expert' is empty`]);
  const [f] = rawFindings(site, 'empty-section');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.data, { section: 'Level 4' });
  // The range is the whole heading line.
  assert.deepEqual(f.range.end.character - f.range.start.character, '## Level 4: Expert'.length);
});

test('placeholders, HTML comments and thematic breaks are not content', () => {
  const page = patternPage({
    title: 'Bulkhead',
    status: 'partial',
    placeholder: {
      'Level 2: Foundation': 'TODO: describe the pools.',
      'Level 3: Deep Dive': '*Coming soon*',
      'Level 4: Expert': '<!--\nNotes for later: pools per dependency.\n-->',
      'Related Patterns': '---',
    },
  });
  const site = catalog({ 'patterns/bulkhead.md': page });
  assert.deepEqual(
    findings(site, 'empty-section'),
    ['Level 2: Foundation', 'Level 3: Deep Dive', 'Level 4: Expert', 'Related Patterns'].map(
      (s) => `docs/patterns/bulkhead.md:${at(page, `## ${s}`)} empty-section: Section '${s}' is empty`,
    ),
  );
});

test('a code block, a sub-section with prose, or a list is content', () => {
  const site = catalog({
    'patterns/bulkhead.md': patternPage({
      title: 'Bulkhead',
      status: 'partial',
      empty: ['Level 3: Deep Dive', 'Level 4: Expert', 'Related Patterns'],
      extra: {
        'Level 3: Deep Dive': '### Failure modes\n\nPools fill up when one dependency slows down.',
        'Level 4: Expert': '```python\npool = Semaphore(10)\n```',
        'Related Patterns': '- [Circuit Breaker](circuit-breaker.md)',
      },
    }),
    'patterns/circuit-breaker.md': patternPage(),
  });
  assert.deepEqual(findings(site, 'empty-section'), []);
});

test('a required section whose sub-sections are all empty is empty; sections that are not required are not checked', () => {
  const page = patternPage({
    title: 'Bulkhead',
    status: 'partial',
    sections: [...LEVELS, 'Further Reading'],
    empty: ['Level 3: Deep Dive', 'Further Reading'],
    extra: { 'Level 3: Deep Dive': '### Failure modes\n\n### Tuning\n\nTBD' },
  });
  const site = catalog({ 'patterns/bulkhead.md': page });
  assert.deepEqual(findings(site, 'empty-section'), [`docs/patterns/bulkhead.md:${at(page, '## Level 3: Deep Dive')} empty-section: Section 'Level 3: Deep Dive' is empty`]);
});

test('stubs may have empty sections; so may pages that are not patterns', () => {
  const site = catalog({
    'patterns/lease.md': patternPage({ title: 'Lease', status: 'stub', empty: ['Level 1: Intuition', 'Level 2: Foundation'] }),
    'patterns/index.md': '# Patterns\n\n## Level 1\n\n## Related Patterns\n',
  });
  assert.deepEqual(findings(site, 'empty-section'), []);
});
