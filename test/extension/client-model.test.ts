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
  groupTooltip,
  KEPT_OUT_OF_NAV,
  NAV_TOP_LEVEL,
  navLine,
  NOT_IN_NAV,
  patternContext,
  patternDescription,
  reportHtml,
  statusIcon,
  statusText,
  statusTooltip,
} from '../../client/src/model.ts';

/** Where a pattern sits in the nav besides its section: listed (the default), missing (not-in-nav reports it), kept out by not_in_nav. */
const LISTED = { inNav: true, navListed: true };
const MISSING = { inNav: false, navListed: false };
const KEPT_OUT = { inNav: true, navListed: false };

const p = (
  path: string,
  status: string,
  navSection?: string,
  category?: string,
  problems = 0,
  place: Pick<CatalogPattern, 'inNav' | 'navListed'> = LISTED,
): CatalogPattern => ({
  path,
  title: path.split('/').pop()!.replace('.md', ''),
  status,
  ...place,
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
    [
      p('x.md', 'complete', undefined, undefined, 0, MISSING),
      p('a.md', 'complete', 'Resilience', 'resilience', 1),
      p('b.md', 'stub', 'Data'),
      p('c.md', 'partial', 'Resilience', undefined, 2),
    ],
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

test('a pattern at the top level of the nav is in the nav: its own group first, no "Add Page to Nav"', () => {
  const top = p('sidecar.md', 'complete', undefined, undefined, 1);
  const missing = p('lease.md', 'stub', undefined, undefined, 2, MISSING);
  const keptOut = p('drafts/gossip.md', 'stub', undefined, undefined, 0, KEPT_OUT);
  const groups = groupPatterns([p('a.md', 'complete', 'Resilience'), missing, keptOut, top, p('b.md', 'stub', 'Data')], 'navSection');
  assert.deepEqual(
    groups.map((g) => [g.kind, g.label, g.patterns.map((q) => q.path), g.problems]),
    [
      ['topLevel', NAV_TOP_LEVEL, ['sidecar.md'], 1],
      ['section', 'Resilience', ['a.md'], 0],
      ['section', 'Data', ['b.md'], 0],
      ['keptOut', KEPT_OUT_OF_NAV, ['drafts/gossip.md'], 0],
      ['notInNav', NOT_IN_NAV, ['lease.md'], 2],
    ],
  );
  assert.deepEqual([top, keptOut, missing].map(patternContext), ['pattern', 'pattern', 'pattern.notInNav']);
  assert.deepEqual([top, keptOut, missing].map((q) => navLine(q)), ['nav: top level', 'not in the nav (not_in_nav)', 'not in the nav']);
  assert.equal(navLine(p('a.md', 'complete', 'Resilience')), 'nav: Resilience');
  assert.match(groupTooltip(groups[0]) ?? '', /top level of the nav/);
  assert.match(groupTooltip(groups[4]) ?? '', /not-in-nav/);
  assert.equal(groupTooltip(groups[1]), undefined);
});

test('a section titled like a fixed group stays its own group', () => {
  const groups = groupPatterns(
    [p('a.md', 'complete', NAV_TOP_LEVEL), p('b.md', 'complete'), p('c.md', 'stub', NOT_IN_NAV), p('d.md', 'stub', undefined, undefined, 0, MISSING)],
    'navSection',
  );
  assert.deepEqual(
    groups.map((g) => [g.kind, g.label, g.patterns.map((q) => q.path)]),
    [
      ['topLevel', NAV_TOP_LEVEL, ['b.md']],
      ['section', NAV_TOP_LEVEL, ['a.md']],
      ['section', NOT_IN_NAV, ['c.md']],
      ['notInNav', NOT_IN_NAV, ['d.md']],
    ],
  );
  assert.equal(new Set(groups.map((g) => g.key)).size, groups.length, 'tree item ids come from the keys');
});

test('a site without nav: groups by the sections MkDocs makes from the folders, nothing is missing from the nav', () => {
  // What the server sends for such a site: every page in the nav, sections from the folders.
  const c: CatalogResult = {
    autoNav: true,
    patterns: [p('docs/CQRS-Things/cqrs.md', 'complete', 'CQRS Things'), p('docs/patterns/retry.md', 'stub', 'Patterns'), p('docs/sidecar.md', 'complete')],
    concepts: [],
    counts: { complete: 2, partial: 0, stub: 1, total: 3 },
  };
  const groups = groupPatterns(c.patterns, 'navSection');
  assert.deepEqual(
    groups.map((g) => [g.label, g.patterns.length]),
    [
      [NAV_TOP_LEVEL, 1],
      ['CQRS Things', 1],
      ['Patterns', 1],
    ],
  );
  assert.ok(c.patterns.every((q) => patternContext(q) === 'pattern'));
  for (const g of groups) assert.match(groupTooltip(g, c.autoNav) ?? '', /no nav:/, g.label);
  assert.equal(navLine(c.patterns[1], c.autoNav), 'nav: Patterns (made by MkDocs: mkdocs.yml has no nav:)');
  assert.equal(navLine(c.patterns[2], c.autoNav), 'nav: top level (made by MkDocs: mkdocs.yml has no nav:)');
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
