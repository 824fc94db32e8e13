/**
 * The incremental index equals a rebuild. A sequence of edits, file
 * creations, renames and deletions is replayed through the update functions
 * the server uses (`LiveSite.fileWritten` / `fileDeleted`); after every step
 * the findings of every file and the backlink index are compared with a
 * `LiveSite` built from scratch over the same files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LiveSite } from '../../server/src/features/live-site.ts';
import { extractFast } from '../../server/src/parse/fast.ts';
import { loadSite } from '../../server/src/site/site.ts';
import { MemoryWorkspace } from '../../server/src/site/workspace.ts';
import { COMPENDIUM } from './client.ts';

const ROOT = '/site';
const DOCS = ROOT + '/docs';

function readTree(dir: string, into: Map<string, string>, prefix = ROOT): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) readTree(p, into, prefix + '/' + e.name);
    else into.set(prefix + '/' + e.name, fs.readFileSync(p, 'utf8'));
  }
}

function rebuild(files: Map<string, string>): LiveSite {
  const r = loadSite(new MemoryWorkspace(new Map(files)), ROOT, { parse: extractFast });
  if (!r.site) throw new Error(r.error);
  return LiveSite.fromSite(r.site, extractFast);
}

type Step =
  | { name: string; write: string; text: (old: string | undefined) => string }
  | { name: string; delete: string }
  | { name: string; rename: [string, string] };

function replace(from: string | RegExp, to: string): (old: string | undefined) => string {
  return (old) => {
    assert.ok(old !== undefined, 'file to edit exists');
    const next = old.replace(from, to);
    assert.notEqual(next, old, `edit ${String(from)} applies`);
    return next;
  };
}

const PAGE = (title: string, body = '') => () => `---\ntitle: ${title}\n---\n\n# ${title}\n\n${body}\n`;

const STEPS: Step[] = [
  { name: 'type prose', write: 'patterns/retry-backoff.md', text: replace('When a phone call drops', 'When a phone call drops suddenly') },
  { name: 'drop a row from the patterns index', write: 'patterns/index.md', text: replace('| [Write-Ahead Log](write-ahead-log.md) | Data | complete |\n', '') },
  { name: 'list the missing pattern in the index', write: 'patterns/index.md', text: replace('| [Lease](lease.md)', '| [Heartbeat](heartbeat.md) | Resilience | complete |\n| [Lease](lease.md)') },
  { name: 'the index page links to too few patterns to be one', write: 'patterns/index.md', text: replace(/\n\| Pattern[^]*$/, '\nStart with [Retry](retry-backoff.md).\n') },
  { name: 'the index page is back', write: 'patterns/index.md', text: () => fs.readFileSync(path.join(COMPENDIUM, 'docs/patterns/index.md'), 'utf8') },
  { name: 'rename a heading others link to', write: 'patterns/cqrs.md', text: replace('## Level 3: Deep Dive', '## Level 3: Deeper Dive') },
  { name: 'rename it back', write: 'patterns/cqrs.md', text: replace('## Level 3: Deeper Dive', '## Level 3: Deep Dive') },
  { name: 'change a title others link to', write: 'patterns/bulkhead.md', text: replace('# Bulkhead Pattern', '# Bulkheads') },
  { name: 'create the missing gossip page', write: 'patterns/gossip.md', text: PAGE('Gossip', 'See [Heartbeat](heartbeat.md) and [Law 2](../laws/law2-asynchronous-reality.md).') },
  { name: 'delete a linked page', delete: 'patterns/bulkhead.md' },
  { name: 'rename a page', rename: ['patterns/lease.md', 'patterns/leases.md'] },
  { name: 'rename a Law (concept set changes)', write: 'laws/law3-emergent-chaos.md', text: (old) => old!.replace(/Law 3: Emergent Chaos/g, 'Law 3: Emergent Complexity') },
  { name: 'a page becomes a pattern', write: 'reference/glossary.md', text: (old) => old!.replace(/^---\n/, '---\ntype: pattern\n') },
  { name: 'a new Law', write: 'laws/law5-cognitive-load.md', text: PAGE('"Law 5: Cognitive Load"', '> **Principle:** people are the bottleneck.') },
  { name: 'a complete pattern becomes a stub', write: 'patterns/circuit-breaker.md', text: replace('status: complete', 'status: stub') },
  { name: 'break the frontmatter', write: 'patterns/heartbeat.md', text: replace(/^---\n/, '---\ntags: [unclosed\n') },
  { name: 'binary content', write: 'patterns/sharding.md', text: () => 'PNG\u0000\u0001\u0002garbage' },
  { name: 'README in a folder', write: 'reference/README.md', text: PAGE('Reference') },
  { name: 'index.md hides the README', write: 'reference/index.md', text: PAGE('Reference Index', '[Glossary](glossary.md)') },
  { name: 'index.md deleted: README is back', delete: 'reference/index.md' },
  { name: 'an asset appears', write: 'images/new.png', text: () => 'png' },
  { name: 'delete a folder', delete: 'pillars' },
  { name: 'a file in templates/ is not a page', write: 'templates/other.md', text: PAGE('Other') },
  { name: 'restore a deleted page', write: 'patterns/bulkhead.md', text: PAGE('Bulkhead Pattern', '## Level 3: Deep Dive\n\ntext') },
];

test('the incremental index equals a rebuild after every step', () => {
  const files = new Map<string, string>();
  readTree(COMPENDIUM, files);
  const initial = rebuild(files);
  const live = LiveSite.fromSite(initial.site, extractFast, (rel) => files.get(DOCS + '/' + rel));
  const abs = (rel: string) => DOCS + '/' + rel;
  for (const step of STEPS) {
    if ('write' in step) {
      const text = step.text(files.get(abs(step.write)));
      files.set(abs(step.write), text);
      live.fileWritten(step.write, /\.md$/.test(step.write) ? text : undefined);
    } else if ('delete' in step) {
      for (const k of [...files.keys()]) if (k === abs(step.delete) || k.startsWith(abs(step.delete) + '/')) files.delete(k);
      live.fileDeleted(step.delete);
    } else {
      const [from, to] = step.rename;
      const text = files.get(abs(from))!;
      files.delete(abs(from));
      files.set(abs(to), text);
      // A rename reaches the server as a delete and a create.
      live.fileDeleted(from);
      live.fileWritten(to, text);
    }
    const fresh = rebuild(files);
    assert.deepEqual([...live.site.pages.keys()].sort(), [...fresh.site.pages.keys()].sort(), `pages after '${step.name}'`);
    assert.deepEqual(live.allFindings(), fresh.allFindings(), `findings after '${step.name}'`);
    assert.deepEqual(live.backlinks(), fresh.backlinks(), `backlinks after '${step.name}'`);
    assert.deepEqual(live.reportedFiles().sort(), fresh.reportedFiles().sort(), `reported files after '${step.name}'`);
    const index = (s: LiveSite) => s.site.patternsIndex && { ...s.site.patternsIndex, links: [...s.site.patternsIndex.links].sort() };
    assert.deepEqual(index(live), index(fresh), `patterns index after '${step.name}'`);
  }
});

test('typing prose re-checks only the edited page', () => {
  const files = new Map<string, string>();
  readTree(COMPENDIUM, files);
  const live = rebuild(files);
  const rel = 'patterns/retry-backoff.md';
  const text = files.get(DOCS + '/' + rel)!;
  const r = live.fileWritten(rel, text.replace('When a phone call drops', 'When a phone call drops, as calls do,'));
  assert.deepEqual(r.rechecked, [rel]);
  assert.deepEqual([...r.changed], []);
});

test('renaming a heading re-checks the pages linking to it, and only those', () => {
  const files = new Map<string, string>();
  readTree(COMPENDIUM, files);
  const live = rebuild(files);
  const rel = 'patterns/cqrs.md';
  const text = files.get(DOCS + '/' + rel)!;
  const r = live.fileWritten(rel, text.replace('## Level 3: Deep Dive', '## Level 3: Deeper Dive'));
  assert.deepEqual(r.rechecked.sort(), [...new Set([rel, ...live.linkedFrom(rel)])].sort());
  assert.ok(r.rechecked.length < live.site.pages.size);
  assert.ok(r.changed.has('docs/patterns/event-sourcing.md'), 'the page with the now-broken anchor changed');
  const broken = live.findingsOf('docs/patterns/event-sourcing.md').filter((f) => f.code === 'broken-anchor');
  assert.equal(broken.length, 1);
  assert.equal(broken[0].range.start.line, 84);
});

test('editing a row of the patterns index re-checks the index page and the pattern whose row changed, and only those', () => {
  const files = new Map<string, string>();
  readTree(COMPENDIUM, files);
  const live = rebuild(files);
  const rel = 'patterns/index.md';
  const text = files.get(DOCS + '/' + rel)!;
  const dropped = text.replace('| [Write-Ahead Log](write-ahead-log.md) | Data | complete |\n', '');
  const r = live.fileWritten(rel, dropped);
  assert.deepEqual(r.rechecked.sort(), [rel, 'patterns/write-ahead-log.md']);
  assert.ok(r.changed.has('docs/patterns/write-ahead-log.md'));
  assert.deepEqual(live.findingsOf('docs/patterns/write-ahead-log.md').filter((f) => f.code === 'not-in-index').map((f) => f.data), [{ path: 'patterns/write-ahead-log.md', index: rel }]);
  // Prose on the index page changes no link: only the page itself is re-checked.
  const prose = live.fileWritten(rel, dropped.replace('Patterns are grouped', 'Patterns are mostly grouped'));
  assert.deepEqual(prose.rechecked, [rel]);
});
