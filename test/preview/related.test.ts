/**
 * The "Show Related Patterns" page in real headless Chromium (Debian
 * `chromium` + playwright-core): the HTML from renderRelatedHtml, served from
 * 127.0.0.1 with `acquireVsCodeApi` stubbed the way the VS Code webview host
 * provides it. Plus the pure parts (layout, escaping, message filter) in Node.
 *
 * The browser tests are skipped (with the reason) when chromium or
 * playwright-core is missing, unless PATTERN_ATLAS_E2E=1 (then they fail).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNonce } from '../../client/webview/html.ts';
import { layoutRelated, openTarget, renderRelatedHtml, type RelatedGraph } from '../../client/webview/related-html.ts';
import { launchChromium, type Browser, type Page } from '../helpers/chromium.ts';

// Page-side code (page.evaluate callbacks) runs in Chromium; the project's tsconfig has no DOM lib, so type it loosely here.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare function getComputedStyle(e: unknown): any;

const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const node = (path: string, title: string, kind: 'pattern' | 'law' | 'pillar' | 'page', status?: string) => ({
  path,
  uri: `file:///site/${path}`,
  title,
  kind,
  ...(status ? { status } : {}),
});
const CENTER = node('docs/patterns/retry.md', 'Retry with Backoff', 'pattern', 'complete');
const GRAPH: RelatedGraph = {
  center: CENTER,
  nodes: [
    node('docs/laws/law2.md', 'Law 2: Asynchronous Reality', 'law'),
    node('docs/pillars/pillar1.md', 'Pillar 1: Distribution of Work', 'pillar'),
    node('docs/patterns/bulkhead.md', HOSTILE, 'pattern', 'stub'),
    node('docs/patterns/breaker.md', 'Circuit Breaker', 'pattern', 'complete'),
    node('docs/glossary.md', `Glossary "quoted" & <b>bold</b> ${'x'.repeat(40)}`, 'page'),
  ],
  edges: [
    { from: CENTER.path, to: 'docs/laws/law2.md', kind: 'cites' },
    { from: CENTER.path, to: 'docs/pillars/pillar1.md', kind: 'cites' },
    { from: CENTER.path, to: 'docs/patterns/bulkhead.md', kind: 'links-to' },
    { from: CENTER.path, to: 'docs/patterns/breaker.md', kind: 'links-to' },
    { from: 'docs/patterns/breaker.md', to: CENTER.path, kind: 'linked-from' },
    { from: 'docs/glossary.md', to: CENTER.path, kind: 'linked-from' },
  ],
};

describe('related graph (pure)', () => {
  test('radial layout: center at the origin, citations on top, links out on the right, links in on the left', () => {
    const placed = new Map(layoutRelated(GRAPH).map((p) => [p.node.path, p]));
    assert.deepEqual([placed.get(CENTER.path)!.x, placed.get(CENTER.path)!.y], [0, 0]);
    assert.equal(placed.get('docs/laws/law2.md')!.side, 'top');
    assert.ok(placed.get('docs/laws/law2.md')!.y < 0);
    assert.equal(placed.get('docs/patterns/bulkhead.md')!.side, 'right');
    assert.ok(placed.get('docs/patterns/bulkhead.md')!.x > 0);
    const breaker = placed.get('docs/patterns/breaker.md')!;
    assert.deepEqual([breaker.side, breaker.out, breaker.in], ['right', true, true], 'a mutual link sits on the outgoing side');
    assert.equal(placed.get('docs/glossary.md')!.side, 'left');
    assert.ok(placed.get('docs/glossary.md')!.x < 0);
  });

  test('the HTML escapes every title and has only the nonce\'d script', () => {
    const html = renderRelatedHtml(GRAPH, 'abc123');
    assert.ok(!html.includes('<img'), 'no raw markup from a title');
    assert.ok(!html.includes('<b>bold'), 'no raw markup from a title');
    assert.ok(html.includes('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;'));
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="abc123">/);
    assert.match(html, /content="default-src 'none'; script-src 'nonce-abc123'; style-src 'unsafe-inline'"/);
    assert.throws(() => renderRelatedHtml(GRAPH, 'a"b'));
  });

  test('only {type: open} for a node of the graph is honoured', () => {
    assert.equal(openTarget({ type: 'open', uri: 'file:///site/docs/glossary.md' }, GRAPH), 'file:///site/docs/glossary.md');
    assert.equal(openTarget({ type: 'open', uri: CENTER.uri }, GRAPH), CENTER.uri);
    assert.equal(openTarget({ type: 'open', uri: 'file:///etc/passwd' }, GRAPH), undefined);
    assert.equal(openTarget({ type: 'open', uri: 'command:workbench.action.quit' }, GRAPH), undefined);
    assert.equal(openTarget({ type: 'other', uri: CENTER.uri }, GRAPH), undefined);
    assert.equal(openTarget('open', GRAPH), undefined);
    assert.equal(openTarget({ type: 'open', uri: CENTER.uri }, undefined), undefined);
  });
});

let browser: Browser | undefined;
let server: http.Server | undefined;
let origin = '';
let skip: string | false = false;

before(async () => {
  const launched = await launchChromium();
  if (typeof launched === 'string') {
    skip = launched;
    return;
  }
  browser = launched;
  server = http.createServer((req, res) => {
    if (req.url !== '/') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(renderRelatedHtml(GRAPH, makeNonce((n) => randomBytes(n))));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

/** The webview host's `acquireVsCodeApi`, recording what the page posts. */
const STUB = `window.__posted = []; window.acquireVsCodeApi = function () { return { postMessage: function (m) { window.__posted.push(m); }, getState: function () {}, setState: function () {} }; };`;

async function open(): Promise<{ page: Page; errors: string[]; dialogs: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1100, height: 800 } });
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript({ content: STUB });
  await page.goto(`${origin}/`);
  return { page, errors, dialogs };
}

describe('related graph page (headless Chromium)', () => {
  test('one SVG node per page (center + neighbours), titles as text, the hostile title inert', async (t) => {
    if (skip) return t.skip(skip);
    const { page, errors, dialogs } = await open();
    try {
      const info = await page.evaluate(() => ({
        nodes: document.querySelectorAll('svg .node[data-uri]').length,
        edges: document.querySelectorAll('svg line.edge').length,
        imgs: document.querySelectorAll('img').length,
        bolds: document.querySelectorAll('b').length,
        texts: [...document.querySelectorAll('svg .node text')].map((e: any) => e.textContent),
        labels: [...document.querySelectorAll('svg .node')].map((e: any) => e.getAttribute('aria-label')),
        tips: [...document.querySelectorAll('svg .node > title')].map((e: any) => e.textContent),
        kinds: [...document.querySelectorAll('svg .node')].map((e: any) => e.getAttribute('class')),
        fills: [...document.querySelectorAll('svg .node circle')].map((e: any) => getComputedStyle(e).fill),
        pwned: window.__pwned,
      }));
      assert.equal(info.nodes, GRAPH.nodes.length + 1);
      assert.equal(info.edges, GRAPH.nodes.length);
      assert.equal(info.imgs, 0);
      assert.equal(info.bolds, 0);
      assert.ok(info.texts.includes(HOSTILE.slice(0, 29) + '…'), info.texts.join(' | '));
      assert.ok(info.labels.includes(HOSTILE), info.labels.join(' | '));
      assert.ok(info.tips.includes(`${HOSTILE} (stub)\ndocs/patterns/bulkhead.md`), info.tips.join(' | '));
      assert.ok(info.kinds.some((k: string) => /kind-law/.test(k)) && info.kinds.some((k: string) => /kind-pillar/.test(k)) && info.kinds.some((k: string) => /kind-page/.test(k)));
      assert.ok(new Set(info.fills).size >= 4, `nodes are colored by kind: ${info.fills.join(', ')}`);
      assert.equal(info.pwned, undefined);
      assert.deepEqual(dialogs, []);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  test('clicking a node (or Enter on it) posts {type: open, uri} through acquireVsCodeApi', async (t) => {
    if (skip) return t.skip(skip);
    const { page, errors } = await open();
    try {
      await page.click('.node[data-path="docs/glossary.md"] circle');
      await page.click('.node[data-path="docs/patterns/bulkhead.md"] text');
      await page.click('.node.center circle');
      await page.focus('.node[data-path="docs/laws/law2.md"]');
      await page.keyboard.press('Enter');
      const posted = await page.evaluate(() => window.__posted);
      assert.deepEqual(posted, [
        { type: 'open', uri: 'file:///site/docs/glossary.md' },
        { type: 'open', uri: 'file:///site/docs/patterns/bulkhead.md' },
        { type: 'open', uri: CENTER.uri },
        { type: 'open', uri: 'file:///site/docs/laws/law2.md' },
      ]);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});
