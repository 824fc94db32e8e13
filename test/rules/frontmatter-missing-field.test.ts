import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, rawFindings } from '../helpers/site.ts';
import { catalog, patternPage } from './fixtures.ts';

test('required fields that are absent, empty or null are reported at the opening ---, in the configured order', () => {
  const site = catalog({
    'patterns/retry.md': patternPage({ title: 'Retry', frontmatter: { description: null, category: "''", difficulty: '~' } }),
  });
  assert.deepEqual(findings(site, 'frontmatter-missing-field'), [
    "docs/patterns/retry.md:1:1 frontmatter-missing-field: Frontmatter lacks required field 'description'",
    "docs/patterns/retry.md:1:1 frontmatter-missing-field: Frontmatter lacks required field 'category'",
    "docs/patterns/retry.md:1:1 frontmatter-missing-field: Frontmatter lacks required field 'difficulty'",
  ]);
  const [f] = rawFindings(site, 'frontmatter-missing-field');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } });
  assert.deepEqual(f.data, { field: 'description' });
});

test('a pattern with no frontmatter at all misses every required field', () => {
  const site = catalog({ 'patterns/retry.md': patternPage({ title: 'Retry', withFrontmatter: false }) });
  assert.deepEqual(
    findings(site, 'frontmatter-missing-field'),
    ['title', 'description', 'type', 'category', 'difficulty', 'status'].map(
      (k) => `docs/patterns/retry.md:1:1 frontmatter-missing-field: No frontmatter: required field '${k}' is missing`,
    ),
  );
});

test('complete frontmatter is fine, and pages that are not patterns need none', () => {
  const site = catalog({
    'patterns/retry.md': patternPage({ title: 'Retry' }),
    'patterns/index.md': '# Patterns\n',
    'reference/glossary.md': '---\ntitle: Glossary\n---\n\n# Glossary\n',
  });
  assert.deepEqual(findings(site, 'frontmatter-missing-field'), []);
});

test('malformed frontmatter is left to frontmatter-yaml', () => {
  const site = catalog({ 'patterns/retry.md': '---\ntitle: Retry\nstatus: [complete\n---\n\n# Retry\n' });
  assert.deepEqual(findings(site, 'frontmatter-missing-field'), []);
  assert.equal(findings(site, 'frontmatter-yaml').length, 1);
});

test('frontmatter.required in .pattern-atlas.yml sets the fields', () => {
  const site = catalog(
    { 'patterns/retry.md': patternPage({ title: 'Retry', frontmatter: { difficulty: null, category: null } }), 'patterns/saga.md': patternPage({ title: 'Saga', frontmatter: { owner: 'payments-team' } }) },
    { atlas: 'frontmatter:\n  required: [title, status, owner]\n' },
  );
  assert.deepEqual(findings(site, 'frontmatter-missing-field'), ["docs/patterns/retry.md:1:1 frontmatter-missing-field: Frontmatter lacks required field 'owner'"]);
});
