// The extension's pure logic (client/src/model.ts): no editor needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CatalogPattern, CatalogResult } from '../../common/protocol.ts';
import { makeNonce } from '../../client/webview/html.ts';
import {
  classifyReportLink,
  codeOf,
  groupConcepts,
  groupPatterns,
  patternDescription,
  reportHtml,
  statusIcon,
  statusText,
  statusTooltip,
} from '../../client/src/model.ts';

const p = (path: string, status: string, navSection?: string, category?: string, problems = 0): CatalogPattern => ({
  path,
  title: path.split('/').pop()!.replace('.md', ''),
  status,
  navSection,
  category,
  problems,
});

test('status-bar text reads like the issue asks', () => {
  assert.equal(statusText({ complete: 93, partial: 2, stub: 35, total: 130 }), 'Patterns: 93 complete · 35 stubs');
  assert.equal(statusText({ complete: 1, partial: 0, stub: 1, total: 2 }), 'Patterns: 1 complete · 1 stub');
  const c: CatalogResult = { site: 'S', patterns: [p('a.md', 'stub', 'X', undefined, 2)], concepts: [], counts: { complete: 0, partial: 0, stub: 1, total: 1 } };
  assert.match(statusTooltip(c), /S: 1 patterns\n.*stub 1\n2 problems/);
});

test('patterns group by nav section in server order, pages outside the nav last', () => {
  const groups = groupPatterns(
    [p('x.md', 'complete'), p('a.md', 'complete', 'Resilience', 'resilience', 1), p('b.md', 'stub', 'Data'), p('c.md', 'partial', 'Resilience', undefined, 2)],
    'navSection',
  );
  assert.deepEqual(
    groups.map((g) => [g.label, g.patterns.map((q) => q.path), g.problems]),
    [
      ['Resilience', ['a.md', 'c.md'], 3],
      ['Data', ['b.md'], 0],
      ['Not in nav', ['x.md'], 0],
    ],
  );
  assert.deepEqual(
    groupPatterns([p('a.md', 'complete', 'R', 'resilience'), p('b.md', 'stub', 'D')], 'category').map((g) => g.label),
    ['resilience', 'Uncategorized'],
  );
});

test('concepts group by kind and sort by number', () => {
  const groups = groupConcepts([
    { kind: 'law', label: 'Law', number: 2, title: 'Law 2: B', path: 'l2.md', citedBy: ['a.md'] },
    { kind: 'pillar', number: 1, title: 'Pillar 1: W', path: 'p1.md', citedBy: [] },
    { kind: 'law', label: 'Law', number: 1, title: 'Law 1: A', path: 'l1.md', citedBy: [] },
  ]);
  assert.deepEqual(
    groups.map((g) => [g.label, g.concepts.map((c) => c.number)]),
    [
      ['Laws', [1, 2]],
      ['Pillars', [1]],
    ],
  );
});

test('descriptions, icons and diagnostic codes', () => {
  assert.equal(patternDescription(p('a.md', 'stub', undefined, undefined, 1)), 'stub · 1 problem');
  assert.equal(patternDescription(p('a.md', 'complete')), 'complete');
  assert.equal(statusIcon('complete').id, 'pass-filled');
  assert.equal(statusIcon('weird').id, 'question');
  assert.equal(codeOf({ value: 'not-in-nav' }), 'not-in-nav');
  assert.equal(codeOf(7), '7');
  assert.equal(codeOf(undefined), undefined);
});

test('report HTML has a strict CSP bound to the nonce, and escapes the title', () => {
  const nonce = makeNonce();
  assert.match(nonce, /^[A-Za-z0-9]{32}$/);
  const html = reportHtml({ body: '<table></table>', nonce, cspSource: 'vscode-webview://x', title: '<T>' });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'`));
  assert.match(csp, new RegExp(`style-src 'nonce-${nonce}'`));
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  // every script and style element carries the nonce
  for (const m of html.matchAll(/<(script|style)\b([^>]*)>/g)) assert.match(m[2], new RegExp(`nonce="${nonce}"`));
  assert.match(html, /<title>&lt;T&gt;<\/title>/);
});

test('report links: pages open in the editor, web links outside, the rest is refused', () => {
  assert.deepEqual(classifyReportLink('docs/patterns/cqrs.md#level-1'), { kind: 'file', path: 'docs/patterns/cqrs.md', fragment: 'level-1' });
  assert.deepEqual(classifyReportLink('./a%20b.md'), { kind: 'file', path: 'a b.md', fragment: undefined });
  assert.deepEqual(classifyReportLink('https://example.org/'), { kind: 'external', url: 'https://example.org/' });
  assert.equal(classifyReportLink('javascript:alert(1)'), undefined);
  assert.equal(classifyReportLink('command:workbench.action.quit'), undefined);
  assert.equal(classifyReportLink('../../etc/passwd'), undefined);
});
