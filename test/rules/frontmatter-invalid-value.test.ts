import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, rawFindings } from '../helpers/site.ts';
import { catalog, patternPage, valueAt } from './fixtures.ts';

test('a status or difficulty outside the built-in values is reported on the value, with the nearest one', () => {
  const page = patternPage({ title: 'Retry', status: 'compelte', frontmatter: { difficulty: 'Advanced' } });
  const site = catalog({ 'patterns/retry.md': page, 'patterns/saga.md': patternPage({ title: 'Saga' }) });
  assert.deepEqual(findings(site, 'frontmatter-invalid-value'), [
    `docs/patterns/retry.md:${valueAt(page, 'difficulty')} frontmatter-invalid-value: 'Advanced' is not a valid difficulty: expected one of advanced, beginner, expert, intermediate. Did you mean 'advanced'?`,
    `docs/patterns/retry.md:${valueAt(page, 'status')} frontmatter-invalid-value: 'compelte' is not a valid status: expected one of complete, partial, stub. Did you mean 'complete'?`,
  ]);
  const f = rawFindings(site, 'frontmatter-invalid-value')[1];
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.range.end.character - f.range.start.character, 'compelte'.length);
  assert.deepEqual(f.data, { field: 'status', value: 'compelte', allowed: ['complete', 'partial', 'stub'], suggestions: ['complete'] });
});

test('categories are learned from values at least two patterns use: a one-off is the likely typo', () => {
  const typo = patternPage({ title: 'Bulkhead', frontmatter: { category: 'resiliense' } });
  const site = catalog({
    'patterns/retry.md': patternPage({ title: 'Retry', frontmatter: { category: 'resilience' } }),
    'patterns/timeout.md': patternPage({ title: 'Timeout', frontmatter: { category: 'resilience' } }),
    'patterns/outbox.md': patternPage({ title: 'Outbox', frontmatter: { category: 'data' } }),
    'patterns/cqrs.md': patternPage({ title: 'CQRS', frontmatter: { category: 'data' } }),
    'patterns/bulkhead.md': typo,
  });
  assert.deepEqual(findings(site, 'frontmatter-invalid-value'), [
    `docs/patterns/bulkhead.md:${valueAt(typo, 'category')} frontmatter-invalid-value: 'resiliense' is not a valid category: expected one of data, resilience. Did you mean 'resilience'?`,
  ]);
});

test('choices the pattern template spells as a|b|c are allowed values', () => {
  const template = '---\ntitle: "{{ Name }}"\ncategory: "[resilience|data|coordination]"\nstatus: "[stub|partial|complete]"\n---\n\n# {{ Name }}\n\n## Level 1: Intuition\n\n## Level 2: Foundation\n';
  const lease = patternPage({ title: 'Lease', frontmatter: { category: 'coordination' } });
  const gossip = patternPage({ title: 'Gossip', frontmatter: { category: 'membership' } });
  const site = catalog({ 'templates/pattern-template.md': template, 'patterns/lease.md': lease, 'patterns/gossip.md': gossip });
  assert.deepEqual(findings(site, 'frontmatter-invalid-value'), [
    `docs/patterns/gossip.md:${valueAt(gossip, 'category')} frontmatter-invalid-value: 'membership' is not a valid category: expected one of coordination, data, resilience`,
  ]);
});

test('frontmatter.enums in .pattern-atlas.yml replaces the learned values, for any key', () => {
  const retry = patternPage({ title: 'Retry', frontmatter: { category: 'resilience', tier: 'gold' } });
  const site = catalog(
    { 'patterns/retry.md': retry, 'patterns/timeout.md': patternPage({ title: 'Timeout', frontmatter: { category: 'resilience', tier: 'silver' } }) },
    { atlas: 'frontmatter:\n  enums:\n    category: [fault-tolerance, data]\n    tier: [silver, bronze]\n' },
  );
  assert.deepEqual(findings(site, 'frontmatter-invalid-value').map((f) => f.split(': expected')[0]), [
    `docs/patterns/retry.md:${valueAt(retry, 'category')} frontmatter-invalid-value: 'resilience' is not a valid category`,
    `docs/patterns/retry.md:${valueAt(retry, 'tier')} frontmatter-invalid-value: 'gold' is not a valid tier`,
    `docs/patterns/timeout.md:${valueAt(retry, 'category')} frontmatter-invalid-value: 'resilience' is not a valid category`,
  ]);
});

test('null values and pages that are not patterns are not checked', () => {
  const site = catalog({
    'patterns/retry.md': patternPage({ title: 'Retry', frontmatter: { difficulty: '~' } }),
    'reference/glossary.md': '---\ntitle: Glossary\nstatus: draft\n---\n\n# Glossary\n',
  });
  assert.deepEqual(findings(site, 'frontmatter-invalid-value'), []);
});

test("an empty value is a missing field, reported once by frontmatter-missing-field, not also as an invalid ''", () => {
  const site = catalog({ 'patterns/retry.md': patternPage({ title: 'Retry', frontmatter: { difficulty: "''" } }) });
  assert.deepEqual(findings(site, 'frontmatter-missing-field'), ["docs/patterns/retry.md:1:1 frontmatter-missing-field: Frontmatter lacks required field 'difficulty'"]);
  assert.deepEqual(findings(site, 'frontmatter-invalid-value'), []);
});
