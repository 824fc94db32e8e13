/**
 * The Mermaid preview page in real headless Chromium (Debian `chromium` +
 * playwright-core): the HTML from renderPreviewHtml with the real bundled
 * dist/preview.js, served from 127.0.0.1, driven by `window.postMessage` the
 * way the VS Code host drives the webview.
 *
 * Skipped (with the reason) when chromium or playwright-core is missing,
 * unless PATTERN_ATLAS_E2E=1 (then it fails).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { makeNonce, renderPreviewHtml } from '../../client/webview/html.ts';
import { launchChromium, type Browser, type Page } from '../helpers/chromium.ts';

// Page-side code (page.evaluate callbacks) runs in Chromium; the project's tsconfig has no DOM lib, so type it loosely here.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare const location: any;
declare function getComputedStyle(e: unknown): any;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUNDLE = path.join(ROOT, 'dist/preview.js');
const IMAGES = path.join(ROOT, 'docs/images');

function ensureBundle(): void {
  const src = ['client/webview/preview.ts', 'esbuild.mjs'].map((f) => fs.statSync(path.join(ROOT, f)).mtimeMs);
  if (fs.existsSync(BUNDLE) && fs.statSync(BUNDLE).mtimeMs >= Math.max(...src)) return;
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

interface Server {
  origin: string;
  nonces: string[];
  close(): Promise<void>;
}

/** `/?theme=dark&csp=0` -> the preview page; `/dist/preview.js` -> the bundle. */
async function serve(): Promise<Server> {
  const nonces: string[] = [];
  const bundle = fs.readFileSync(BUNDLE);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/dist/preview.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(bundle);
      return;
    }
    if (url.pathname === '/') {
      const nonce = makeNonce((n) => randomBytes(n));
      nonces.push(nonce);
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const theme = (url.searchParams.get('theme') ?? 'dark') as 'dark' | 'light';
      let html = renderPreviewHtml({ nonce, cspSource: origin, scriptUri: `${origin}/dist/preview.js`, theme });
      // csp=0: the same page without its CSP, to show mermaid's strict mode alone holds.
      if (url.searchParams.get('csp') === '0') html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
      // VS Code puts the theme kind on <body> as a class.
      html = html.replace('<body ', `<body class="vscode-${theme}" `);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, nonces, close: () => new Promise((r) => server.close(() => r())) };
}

interface Block {
  index: number;
  line: number;
  code: string;
}

/** Blocks laid out as in a page: each fence starts 3 lines after the previous one ends. */
function blocks(codes: string[], firstLine = 4): Block[] {
  let line = firstLine;
  return codes.map((code, index) => {
    const b = { index, line, code };
    line += code.split('\n').length + 4;
    return b;
  });
}

/** Post a message like the VS Code host would and wait until the page has finished the work it caused. */
async function post(page: Page, msg: unknown): Promise<void> {
  await page.evaluate(async (m) => {
    window.postMessage(m, '*');
    await new Promise((r) => setTimeout(r, 0));
    const hook = (window as unknown as { __patternAtlasPreview: { idle(): Promise<void> } }).__patternAtlasPreview;
    let w: Promise<void>;
    do {
      w = hook.idle();
      await w;
      await new Promise((r) => setTimeout(r, 0));
    } while (w !== hook.idle());
  }, msg);
}

const VALID = [
  'graph TD\n  Client -->|request| LB[Load balancer]\n  LB --> S1[Service A]\n  LB --> S2[Service B]\n  S1 --> DB[(Primary DB)]\n  S2 --> DB',
  'sequenceDiagram\n  participant C as Client\n  participant S as Service\n  C->>S: call\n  alt healthy\n    S-->>C: 200 OK\n  else open circuit\n    S-->>C: fail fast\n  end',
  'stateDiagram-v2\n  [*] --> Closed\n  Closed --> Open: failures > threshold\n  Open --> HalfOpen: timeout\n  HalfOpen --> Closed: success\n  HalfOpen --> Open: failure',
  'classDiagram\n  class Saga {\n    +steps: Step[]\n    +compensate()\n  }\n  Saga --> Step',
  'pie title Failure causes\n  "Network" : 42\n  "Disk" : 18\n  "Bugs" : 40',
];
const BROKEN = 'graph TD\n  A[Cache (write-through)] --> B';

let browser: Browser | undefined;
let srv: Server | undefined;
let skip: string | false = false;

before(async () => {
  const launched = await launchChromium();
  if (typeof launched === 'string') {
    skip = launched;
    return;
  }
  browser = launched;
  ensureBundle();
  srv = await serve();
});

after(async () => {
  await browser?.close();
  await srv?.close();
});

async function open(query = '', viewport = { width: 1000, height: 800 }): Promise<{ page: Page; dialogs: string[]; errors: string[] }> {
  const page = await browser!.newPage({ viewport, deviceScaleFactor: 1 });
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${srv!.origin}/${query}`);
  await page.waitForFunction('window.__patternAtlasPreview && window.__patternAtlasPreview.posted.some((m) => m.type === "ready")');
  return { page, dialogs, errors };
}

describe('Mermaid preview page (headless Chromium)', () => {
  test('the page has a CSP with a nonce and only the nonce\'d bundled script', async (t) => {
    if (skip) return t.skip(skip);
    const { page } = await open();
    const info = await page.evaluate(() => ({
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '',
      scripts: [...document.scripts].map((s) => ({ src: s.src, nonce: s.nonce, inline: !s.src })),
    }));
    const nonce = srv!.nonces.at(-1)!;
    assert.match(info.csp, /^default-src 'none'; /);
    assert.ok(info.csp.includes(`script-src ${srv!.origin} 'nonce-${nonce}'`), info.csp);
    assert.ok(!info.csp.includes('unsafe-eval'));
    assert.equal(info.scripts.length, 1);
    assert.equal(info.scripts[0]!.nonce, nonce);
    assert.equal(info.scripts[0]!.inline, false);
    assert.ok(info.scripts[0]!.src.endsWith('/dist/preview.js'));
    await page.close();
  });

  test('N valid diagrams and one broken one: N SVGs and one error naming its line', async (t) => {
    if (skip) return t.skip(skip);
    const { page, errors } = await open();
    const list = blocks([...VALID.slice(0, 3), BROKEN, ...VALID.slice(3)]);
    await post(page, { type: 'update', theme: 'dark', blocks: list });
    const r = await page.evaluate(() => ({
      svgs: document.querySelectorAll('#diagrams .diagram-view > svg').length,
      errors: [...document.querySelectorAll('#diagrams .diagram-error')].filter((e) => !e.hidden).map((e) => ({ text: e.textContent ?? '', index: e.closest('.diagram')!.dataset.index })),
      strays: document.querySelectorAll('body > div[id^="dpa-"], body > svg').length,
    }));
    assert.equal(r.svgs, VALID.length);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]!.index, '3');
    // The offending line in the page: content line 2 of the block, i.e. fence line + 2 (0-based) = + 3 (1-based).
    assert.ok(r.errors[0]!.text.startsWith(`Line ${list[3]!.line + 3}: `), r.errors[0]!.text);
    assert.match(r.errors[0]!.text, /Parse error|Expecting/);
    assert.equal(r.strays, 0, 'mermaid left temporary containers in <body>');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('an error in a block mermaid preprocesses (directive, front matter) names the fence line', async (t) => {
    if (skip) return t.skip(skip);
    const { page } = await open();
    const list = blocks(['%%{init: {"theme": "forest"}}%%\ngraph TD\n  A[x (y)] --> B', '---\ntitle: T\n---\ngraph TD\n  A[x (y)] --> B']);
    await post(page, { type: 'update', theme: 'dark', blocks: list });
    const texts = await page.evaluate(() => [...document.querySelectorAll('#diagrams .diagram-error')].map((e: any) => (e.hidden ? '' : e.textContent)));
    assert.ok(texts[0].startsWith(`Line ${list[0]!.line + 1}: `), texts[0]);
    assert.ok(texts[1].startsWith(`Line ${list[1]!.line + 1}: `), texts[1]);
    await page.close();
  });

  test('an edit re-renders only the changed block; a block that breaks keeps its last good SVG', async (t) => {
    if (skip) return t.skip(skip);
    const { page } = await open();
    const list = blocks(VALID);
    await post(page, { type: 'update', theme: 'dark', blocks: list });
    const counts = () => page.evaluate(() => [...document.querySelectorAll('#diagrams .diagram')].map((e) => Number(e.dataset.renders)));
    assert.deepEqual(await counts(), [1, 1, 1, 1, 1]);

    // Same content again (e.g. an edit outside every block): nothing renders.
    await post(page, { type: 'update', theme: 'dark', blocks: list });
    assert.deepEqual(await counts(), [1, 1, 1, 1, 1]);

    // Edit block 2 (and shift the line numbers of the later ones, as typing above them would).
    const edited = list.map((b) => (b.index === 2 ? { ...b, code: b.code + '\n  Open --> [*]' } : b.index > 2 ? { ...b, line: b.line + 1 } : b));
    await post(page, { type: 'update', theme: 'dark', blocks: edited });
    assert.deepEqual(await counts(), [1, 1, 2, 1, 1]);
    const lines = await page.evaluate(() => [...document.querySelectorAll('#diagrams .diagram')].map((e) => Number(e.dataset.line)));
    assert.deepEqual(lines, edited.map((b) => b.line));

    // Break block 0: it keeps its SVG and shows the error above it.
    const before = await page.evaluate(() => document.querySelector('#diagrams .diagram[data-index="0"] .diagram-view')!.innerHTML);
    const broken = edited.map((b) => (b.index === 0 ? { ...b, code: 'graph TD\n  Client -->|request| LB[Load (balancer)]' } : b));
    await post(page, { type: 'update', theme: 'dark', blocks: broken });
    assert.deepEqual(await counts(), [2, 1, 2, 1, 1]);
    const b0 = await page.evaluate(() => {
      const d = document.querySelector('#diagrams .diagram[data-index="0"]')!;
      const err = d.querySelector('.diagram-error')!;
      return { html: d.querySelector('.diagram-view')!.innerHTML, error: err.hidden ? '' : err.textContent, errorFirst: d.firstElementChild!.nextElementSibling === err };
    });
    assert.equal(b0.html, before);
    assert.ok(b0.error?.startsWith(`Line ${list[0]!.line + 3}: `), b0.error ?? '');
    assert.ok(b0.errorFirst, 'the error is shown above the diagram');

    // A theme change re-renders every block once (the last good SVG of the broken one stays).
    await post(page, { type: 'theme', theme: 'light' });
    assert.deepEqual(await counts(), [3, 2, 3, 2, 2]);
    assert.equal(await page.evaluate(() => document.body.dataset.theme), 'light');

    // Fix it again: error gone. Remove a block: its section goes.
    await post(page, { type: 'update', theme: 'dark', blocks: edited.slice(0, 4) });
    const r = await page.evaluate(() => ({
      n: document.querySelectorAll('#diagrams .diagram').length,
      errors: [...document.querySelectorAll('#diagrams .diagram-error')].filter((e) => !e.hidden).length,
    }));
    assert.deepEqual(r, { n: 4, errors: 0 });
    await page.close();
  });

  test('reveal, select, zoom and export', async (t) => {
    if (skip) return t.skip(skip);
    const { page } = await open('', { width: 900, height: 500 });
    await post(page, { type: 'update', theme: 'light', blocks: blocks(VALID) });
    await post(page, { type: 'reveal', index: 3 });
    const revealed = await page.evaluate(() => {
      const d = document.querySelector('#diagrams .diagram[data-index="3"]')!;
      return { selected: d.classList.contains('selected'), others: document.querySelectorAll('#diagrams .diagram.selected').length };
    });
    assert.deepEqual(revealed, { selected: true, others: 1 });

    await page.click('#diagrams .diagram[data-index="1"] .diagram-title');
    const posted = await page.evaluate(() => (window as unknown as { __patternAtlasPreview: { posted: { type: string }[] } }).__patternAtlasPreview.posted);
    const sel = posted.filter((m) => m.type === 'select').at(-1) as { index: number; line: number } | undefined;
    assert.equal(sel?.index, 1);
    assert.equal(sel?.line, blocks(VALID)[1]!.line);

    const width = () => page.evaluate(() => document.querySelector('#diagrams .diagram[data-index="0"] .diagram-view > svg')!.getBoundingClientRect().width);
    const w0 = await width();
    await page.click('#toolbar button[data-action="zoom-in"]');
    const w1 = await width();
    assert.ok(w1 > w0 * 1.2, `zoom in: ${w0} -> ${w1}`);
    await page.click('#toolbar button[data-action="zoom-reset"]');
    assert.ok(Math.abs((await width()) - w0) < 1);

    await post(page, { type: 'export', format: 'svg' });
    await post(page, { type: 'export', format: 'png' });
    const exports = await page.evaluate(() =>
      (window as unknown as { __patternAtlasPreview: { posted: { type: string; format?: string; index?: number; data?: string }[] } }).__patternAtlasPreview.posted
        .filter((m) => m.type === 'export')
        .map((m) => ({ format: m.format, index: m.index, head: m.data?.slice(0, 120), len: m.data?.length ?? 0 })),
    );
    assert.equal(exports.length, 2);
    assert.equal(exports[0]!.index, 1);
    assert.match(exports[0]!.head ?? '', /^<\?xml[^>]*>\n<svg /);
    assert.equal(exports[1]!.format, 'png');
    assert.ok((exports[1]!.head ?? '').startsWith('iVBORw0KGgo'), 'PNG data (base64)');
    assert.ok(exports[1]!.len > 1000);
    await page.close();
  });

  const HOSTILE = [
    'graph TD\n  A["<script>window.__pwned = 1</script>"] --> B["<img src=x onerror=\'window.__pwned = 2\'>"]\n  click A callback\n  click B "javascript:window.__pwned = 3"',
    '%%{init: {"securityLevel": "loose", "flowchart": {"htmlLabels": true}}}%%\ngraph LR\n  X["<img src=x onerror=\'window.__pwned = 4; alert(4)\'>"] --> Y\n  click X callback "tip"\n  click Y "javascript:alert(5)" "tip"',
    '---\nconfig:\n  securityLevel: loose\n---\nflowchart LR\n  P["<a href=\'javascript:window.__pwned=6\'>link</a>"] --> Q["<iframe srcdoc=\'<script>parent.__pwned=7</script>\'></iframe>"]\n  click P call callback()\n  click Q href "javascript:window.__pwned=8"',
    'sequenceDiagram\n  participant A as <img src=x onerror="window.__pwned=9">\n  A->>B: <script>window.__pwned=10</script>\n  Note over A,B: <svg onload="window.__pwned=11"></svg>\n  link A: Evil @ javascript:window.__pwned=12',
    'classDiagram\n  class Evil {\n    +x<script>window.__pwned=13</script>\n  }\n  click Evil call callback()\n  link Evil "javascript:window.__pwned=14"',
    'stateDiagram-v2\n  s1 : <img src=x onerror="alert(15)">\n  [*] --> s1',
    'graph TD\n  A[<b onmouseover="window.__pwned=16">hover</b>] --> B(<style>body{background:url(javascript:alert(17))}</style>)\n  style A fill:#f00,stroke:url(javascript:alert(18))\n  classDef evil color:expression(alert(19))\n  class B evil',
  ];

  for (const csp of [true, false]) {
    test(`a hostile corpus runs nothing (${csp ? 'with' : 'without'} the CSP)`, async (t) => {
      if (skip) return t.skip(skip);
      const { page, dialogs } = await open(csp ? '' : '?csp=0');
      await page.evaluate(() => {
        const w = window as unknown as Record<string, unknown>;
        delete w.__pwned;
        // If mermaid ever bound `click … callback`, clicking would set the sentinel.
        w.callback = () => {
          w.__pwned = 'callback';
        };
      });
      await post(page, { type: 'update', theme: 'dark', blocks: blocks(HOSTILE) });
      // Click every node, link and diagram, hover them too.
      for (const el of await page.$$('#diagrams .diagram-view .node, #diagrams .diagram-view a, #diagrams .diagram-view text, #diagrams .diagram')) {
        await el.click({ force: true }).catch(() => undefined);
      }
      await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
      const r = await page.evaluate(() => ({
        pwned: (window as unknown as Record<string, unknown>).__pwned,
        url: location.pathname,
        scripts: document.querySelectorAll('#diagrams script').length,
        iframes: document.querySelectorAll('iframe').length,
        handlers: [...document.querySelectorAll('#diagrams *')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName}[${a.name}]`)),
        jsLinks: [...document.querySelectorAll('#diagrams a')].map((a) => a.getAttribute('href') ?? a.getAttribute('xlink:href') ?? '').filter((h) => /^\s*javascript:/i.test(h)),
        rendered: document.querySelectorAll('#diagrams .diagram-view > svg').length,
      }));
      assert.equal(r.pwned, undefined, 'a sentinel set by diagram content');
      assert.deepEqual(dialogs, [], 'a dialog opened');
      assert.equal(r.url, '/', 'the page navigated');
      assert.equal(r.scripts, 0);
      assert.equal(r.iframes, 0);
      assert.deepEqual(r.handlers, []);
      assert.deepEqual(r.jsLinks, []);
      assert.ok(r.rendered >= 4, `only ${r.rendered} hostile diagrams rendered: the test must exercise mermaid's output`);
      await page.close();
    });
  }

  test('screenshots in dark and light themes (docs/images/preview-*.png)', async (t) => {
    if (skip) return t.skip(skip);
    fs.mkdirSync(IMAGES, { recursive: true });
    for (const theme of ['dark', 'light'] as const) {
      const { page } = await open(`?theme=${theme}`, { width: 960, height: 720 });
      await post(page, { type: 'update', theme, blocks: blocks([VALID[0]!, BROKEN.replace('A[Cache', 'A[Cache').concat('\n  B --> C'), VALID[1]!, VALID[2]!]) });
      await post(page, { type: 'reveal', index: 0 });
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, theme === 'dark' ? 'rgb(30, 30, 30)' : 'rgb(255, 255, 255)');
      await page.evaluate(() => new Promise((r) => setTimeout(r, 1300))); // let the reveal highlight fade
      await page.screenshot({ path: path.join(IMAGES, `preview-${theme}.png`) });
      await page.close();
    }
  });
});
