/**
 * The custom requests behind the VS Code extension's catalog view, status bar
 * and report webview, over stdio against the built server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startOnCopy, type Client } from './client.ts';
import type { CatalogResult, ReportResult } from '../../common/protocol.ts';

describe('patternAtlas/catalog and patternAtlas/report', () => {
  let c: Client;
  let root: string;
  before(async () => {
    c = await startOnCopy();
    root = c.root;
  });
  after(async () => {
    await c?.stop();
  });

  test('the catalog lists every pattern with its status, nav section and problems, and who cites each Law', async () => {
    const cat = (await c.conn.sendRequest('patternAtlas/catalog', {})) as CatalogResult;
    const files = fs.readdirSync(path.join(root, 'docs/patterns')).filter((f) => f !== 'index.md').map((f) => `docs/patterns/${f}`).sort();
    assert.deepEqual(cat.patterns.map((p) => p.path).sort(), files);
    const byPath = new Map(cat.patterns.map((p) => [p.path, p]));
    assert.equal(byPath.get('docs/patterns/lease.md')?.status, 'stub');
    assert.equal(byPath.get('docs/patterns/lease.md')?.navSection, undefined, 'lease.md is not in the nav');
    assert.equal(byPath.get('docs/patterns/circuit-breaker.md')?.navSection, 'Resilience Patterns');
    // inNav is false for exactly the two pages the nav deliberately misses (the report's "Not in the nav" below).
    assert.equal(cat.autoNav, false);
    assert.deepEqual(cat.patterns.filter((p) => !p.inNav).map((p) => p.path).sort(), ['docs/patterns/heartbeat.md', 'docs/patterns/lease.md']);
    assert.ok((byPath.get('docs/patterns/retry-backoff.md')?.problems ?? 0) >= 3, 'two broken links and a missing section');
    const statuses = cat.patterns.map((p) => p.status);
    assert.deepEqual(cat.counts, {
      complete: statuses.filter((s) => s === 'complete').length,
      partial: statuses.filter((s) => s === 'partial').length,
      stub: statuses.filter((s) => s === 'stub').length,
      total: cat.patterns.length,
    });
    const law2 = cat.concepts.find((x) => x.kind === 'law' && x.number === 2);
    assert.ok(law2, 'Law 2 is in the catalog');
    // Every pattern said to cite Law 2 really links to its page.
    for (const p of law2.citedBy) assert.match(fs.readFileSync(path.join(root, p), 'utf8'), /law2-asynchronous-reality/, p);
    assert.ok(law2.citedBy.length > 0);
  });

  test('the report is the CLI report as Markdown', async () => {
    const r = (await c.conn.sendRequest('patternAtlas/report', {})) as ReportResult;
    assert.match(r.markdown, /^# Catalog report: /);
    assert.match(r.markdown, /## Not in the nav \(2\)\n\n- patterns\/heartbeat\.md\n- patterns\/lease\.md/);
    assert.match(r.markdown, /## Law x Pattern/);
  });
});
