import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, rawFindings } from '../helpers/site.ts';
import { catalog, patternPage, valueAt } from './fixtures.ts';

test('status: complete on a page that reads like a stub is reported on the status value', () => {
  // 40 words of prose + 1 title word + 18 heading words.
  const retry = patternPage({ title: 'Retry', status: 'complete', words: 40, diagram: false });
  const site = catalog({ 'patterns/retry.md': retry, 'patterns/circuit-breaker.md': patternPage() });
  assert.deepEqual(findings(site, 'status-mismatch'), [
    `docs/patterns/retry.md:${valueAt(retry, 'status')} status-mismatch: Marked complete but reads like a stub: 59 words of prose, 0 placeholders, 0 required sections missing or empty`,
  ]);
  const [f] = rawFindings(site, 'status-mismatch');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.data, { status: 'complete', suggested: 'stub' });
});

test('complete but hollow: missing and empty sections are counted together', () => {
  const page = patternPage({
    title: 'Saga',
    status: 'complete',
    words: 200,
    sections: ['Level 1: Intuition', 'Level 2: Foundation', 'Level 3: Deep Dive', 'Related Patterns'],
    empty: ['Level 2: Foundation', 'Level 3: Deep Dive'],
  });
  const site = catalog({ 'patterns/saga.md': page });
  // Present: Level 1 and Related Patterns = 2 of 6 (< 34%), and fewer than 500 words.
  assert.deepEqual(findings(site, 'status-mismatch'), [
    `docs/patterns/saga.md:${valueAt(page, 'status')} status-mismatch: Marked complete but reads like a stub: 213 words of prose, 0 placeholders, 4 required sections missing or empty`,
  ]);
});

test('status: stub on a fully written page (every section, 500+ words, a diagram) is reported', () => {
  const lease = patternPage({ title: 'Lease', status: 'stub', words: 600 });
  const site = catalog({ 'patterns/lease.md': lease });
  assert.deepEqual(findings(site, 'status-mismatch'), [
    `docs/patterns/lease.md:${valueAt(lease, 'status')} status-mismatch: Marked stub but every required section is written (619 words, with a diagram): set status: complete`,
  ]);
  assert.deepEqual(rawFindings(site, 'status-mismatch')[0].data, { status: 'stub', suggested: 'complete' });
});

test('statuses that agree with the content, partial, and no status at all are fine', () => {
  const site = catalog({
    'patterns/circuit-breaker.md': patternPage({ title: 'Circuit Breaker', status: 'complete' }),
    'patterns/lease.md': patternPage({ title: 'Lease', status: 'stub', words: 40 }),
    'patterns/bulkhead.md': patternPage({ title: 'Bulkhead', status: 'partial', words: 40 }),
    'patterns/gossip.md': patternPage({ title: 'Gossip', status: null, words: 40 }),
  });
  assert.deepEqual(findings(site, 'status-mismatch'), []);
});

test('a stub that only lacks a diagram, or has a placeholder left, is not yet complete', () => {
  const site = catalog({
    'patterns/lease.md': patternPage({ title: 'Lease', status: 'stub', diagram: false }),
    'patterns/gossip.md': patternPage({ title: 'Gossip', status: 'stub', extra: { 'Level 5: Mastery': 'TODO: anti-entropy.' } }),
  });
  assert.deepEqual(findings(site, 'status-mismatch'), []);
});

test('a complete pattern short of minWords but with real sections is not called a stub', () => {
  // 300 words: above the 150-word floor, every section written, no placeholders.
  const site = catalog({ 'patterns/retry.md': patternPage({ title: 'Retry', status: 'complete', words: 300 }) });
  assert.deepEqual(findings(site, 'status-mismatch'), []);
});

test('status: is only judged on pattern pages', () => {
  const site = catalog({ 'reference/glossary.md': '---\nstatus: complete\n---\n\n# Glossary\n\nTODO\n' });
  assert.deepEqual(findings(site, 'status-mismatch'), []);
});
