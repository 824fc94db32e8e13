/**
 * `patternAtlas/related` (the "Show Related Patterns" graph) over stdio
 * against the built server, on a copy of examples/compendium. The expected
 * neighbourhood is derived here from the copied files' Markdown links.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startOnCopy, uriOf, type Client } from './client.ts';
import type { RelatedResult } from '../../common/protocol.ts';

const PAGE = 'docs/patterns/retry-backoff.md';

function mdFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? mdFiles(p, base) : e.name.endsWith('.md') ? [path.relative(base, p)] : [];
  });
}

/** Site-root relative targets of the inline `[text](x.md)` links of a file that exist on disk (fenced code left out). */
function linkedFiles(root: string, rel: string): Set<string> {
  const text = fs.readFileSync(path.join(root, rel), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  const out = new Set<string>();
  for (const m of text.matchAll(/\]\(([^)\s#]+\.md)(?:#[^)]*)?\)/g)) {
    const t = path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[1]));
    if (fs.existsSync(path.join(root, t))) out.add(t);
  }
  return out;
}

describe('patternAtlas/related', () => {
  let c: Client;
  let root: string;
  before(async () => {
    c = await startOnCopy();
    root = c.root;
  });
  after(async () => {
    await c?.stop();
  });

  test('retry-backoff.md: the pages it links to, the pages linking to it, its Laws and Pillars, each with a uri', async () => {
    const r = (await c.conn.sendRequest('patternAtlas/related', { uri: uriOf(path.join(root, PAGE)) })) as RelatedResult;
    assert.ok(r);
    assert.equal(r.center.path, PAGE);
    assert.equal(r.center.kind, 'pattern');
    assert.equal(r.center.uri, uriOf(path.join(root, PAGE)));

    const out = linkedFiles(root, PAGE);
    const incoming = mdFiles(path.join(root, 'docs')).map((f) => `docs/${f}`).filter((f) => f !== PAGE && linkedFiles(root, f).has(PAGE));
    const isConcept = (p: string) => /^docs\/(laws|pillars)\//.test(p);
    // What the files say (a sanity check that the fixture still has what this test is about).
    assert.deepEqual([...out].sort(), ['docs/laws/law2-asynchronous-reality.md', 'docs/laws/law3-emergent-chaos.md', 'docs/patterns/bulkhead.md', 'docs/patterns/leader-election.md', 'docs/pillars/pillar1-work.md']);
    assert.ok(incoming.length >= 5, incoming.join(', '));
    assert.match(fs.readFileSync(path.join(root, PAGE), 'utf8'), /\]\(circuit-braker\.md\)/, 'the broken link to circuit-braker.md is not a node');

    const edges = (kind: string) => r.edges.filter((e) => e.kind === kind);
    assert.deepEqual(edges('links-to').map((e) => e.to).sort(), [...out].filter((p) => !isConcept(p)).sort());
    assert.deepEqual(edges('cites').map((e) => e.to).sort(), [...out].filter(isConcept).sort());
    assert.deepEqual(edges('linked-from').map((e) => e.from).sort(), incoming.sort());
    for (const e of r.edges) assert.ok(e.from === PAGE || e.to === PAGE, JSON.stringify(e));

    const nodes = new Map(r.nodes.map((n) => [n.path, n]));
    assert.deepEqual([...nodes.keys()].sort(), [...new Set([...out, ...incoming])].sort());
    for (const n of r.nodes) assert.equal(n.uri, uriOf(path.join(root, n.path)));
    assert.equal(nodes.get('docs/laws/law2-asynchronous-reality.md')?.kind, 'law');
    assert.equal(nodes.get('docs/pillars/pillar1-work.md')?.kind, 'pillar');
    assert.equal(nodes.get('docs/patterns/leader-election.md')?.kind, 'pattern');
    assert.equal(nodes.get('docs/patterns/leader-election.md')?.status, 'stub');
    assert.equal(nodes.get('docs/reference/glossary.md')?.kind, 'page');
  });

  test('a new link in an edited (unsaved) page shows up as a backlink; a URI outside the site gives null', async () => {
    const cqrs = 'docs/patterns/cqrs.md';
    const text = fs.readFileSync(path.join(root, cqrs), 'utf8');
    await c.open(cqrs, text);
    await c.change(cqrs, text + '\nSee also [Retry with Backoff](retry-backoff.md).\n');
    const r = (await c.conn.sendRequest('patternAtlas/related', { uri: uriOf(path.join(root, PAGE)) })) as RelatedResult;
    assert.ok(r?.edges.some((e) => e.kind === 'linked-from' && e.from === cqrs));
    assert.equal(await c.conn.sendRequest('patternAtlas/related', { uri: uriOf(path.join(root, 'mkdocs.yml')) }), null);
  });
});
