import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, rawFindings } from '../helpers/site.ts';
import { at, catalog, patternPage, valueAt } from './fixtures.ts';

test('a pattern marked status: stub is reported on the status value, whatever its content', () => {
  const lease = patternPage({ title: 'Lease', status: 'stub', words: 30, diagram: false });
  const site = catalog({ 'patterns/lease.md': lease });
  assert.deepEqual(findings(site, 'stub'), [`docs/patterns/lease.md:${valueAt(lease, 'status')} stub: 'Lease' is a stub (status: stub)`]);
  const [f] = rawFindings(site, 'stub');
  assert.equal(f.severity, 'info');
  assert.deepEqual(f.data, { status: 'stub' });
});

test('a pattern without status: that is mostly empty looks like a stub (reported at its H1)', () => {
  // 60 words of prose, plus the title and the section headings (1 + 18 words).
  const page = patternPage({ title: 'Gossip', status: null, words: 60, diagram: false });
  const site = catalog({ 'patterns/gossip.md': page });
  assert.deepEqual(findings(site, 'stub'), [
    `docs/patterns/gossip.md:${at(page, '# Gossip')} stub: 'Gossip' looks like a stub: 79 words of prose, 0 placeholders, 0 required sections missing`,
  ]);
  assert.deepEqual(rawFindings(site, 'stub')[0].data, { words: 79, placeholders: 0 });
});

test('three placeholders in a short page make it look like a stub', () => {
  const page = patternPage({
    title: 'Saga',
    status: null,
    words: 300,
    placeholder: { 'Level 3: Deep Dive': 'TODO: compensation order', 'Level 4: Expert': 'Coming soon.', 'Level 5: Mastery': '*To be written*' },
  });
  const site = catalog({ 'patterns/saga.md': page });
  assert.deepEqual(findings(site, 'stub'), [
    `docs/patterns/saga.md:${at(page, '# Saga')} stub: 'Saga' looks like a stub: 327 words of prose, 3 placeholders, 0 required sections missing`,
  ]);
});

test('a written pattern without status, and patterns with another status, are not stubs', () => {
  const site = catalog({
    'patterns/retry.md': patternPage({ title: 'Retry', status: null }),
    // Declared non-stub statuses are judged by status-mismatch, not here.
    'patterns/bulkhead.md': patternPage({ title: 'Bulkhead', status: 'partial', words: 20 }),
    'patterns/timeout.md': patternPage({ title: 'Timeout', status: 'complete', words: 20 }),
  });
  assert.deepEqual(findings(site, 'stub'), []);
});

test('pages that are not patterns are never stubs', () => {
  const site = catalog({
    'patterns/index.md': '# Patterns\n\nTODO: list them.\n',
    'patterns/drafts-REPORT.md': '---\nstatus: stub\n---\n\n# Drafts\n',
    'reference/glossary.md': '---\nstatus: stub\n---\n\n# Glossary\n',
  });
  assert.deepEqual(findings(site, 'stub'), []);
});
