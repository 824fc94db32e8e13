import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent, findings, makeSite, rawFindings } from '../helpers/site.ts';

const PAGES = {
  'docs/patterns/circuit-breaker.md': '# Circuit Breaker\n',
  'docs/patterns/retry.md': '# Retry\n',
};

test('a link to an existing page is fine; a typo is reported at its target, with the nearest page', () => {
  const site = makeSite({
    ...PAGES,
    'docs/index.md': dedent(`
      # Home

      Start with [Circuit Breaker](patterns/circuit-breaker.md), then [Retry](patterns/rety.md).
    `),
  });
  assert.deepEqual(findings(site, 'broken-link'), [
    "docs/index.md:3:73 broken-link: 'patterns/rety.md' not found: no file docs/patterns/rety.md (resolved from index.md). Did you mean patterns/retry.md?",
  ]);
  const [f] = rawFindings(site, 'broken-link');
  assert.equal(f.severity, 'error');
  // The range covers exactly the target as written.
  assert.deepEqual(f.range, { start: { line: 2, character: 72 }, end: { line: 2, character: 88 } });
  assert.deepEqual(f.data, { target: 'patterns/rety.md', resolved: 'patterns/rety.md', style: 'source', linkKind: 'inline', suggestions: ['patterns/retry.md'] });
});

test('a .md link resolves relative to the linking file, not the docs root', () => {
  const site = makeSite({
    ...PAGES,
    'docs/patterns/index.md': dedent(`
      # Patterns

      - [Retry](retry.md)
      - [Circuit Breaker](patterns/circuit-breaker.md)
      - [Back to the catalog](../patterns/retry.md)
    `),
  });
  assert.deepEqual(findings(site, 'broken-link'), [
    "docs/patterns/index.md:4:21 broken-link: 'patterns/circuit-breaker.md' not found: no file docs/patterns/patterns/circuit-breaker.md (resolved from patterns/index.md). Did you mean patterns/circuit-breaker.md?",
  ]);
});

test('links in HTML comments, fenced code and inline code are not checked', () => {
  const site = makeSite({
    'docs/index.md': dedent(`
      # Home

      <!-- [draft link](patterns/not-yet.md) -->

      <!--
      Old list:
      - [gone](patterns/gone.md)
      -->

      \`\`\`markdown
      Write links as [text](patterns/example.md).
      \`\`\`

      Use \`[text](patterns/example.md)\` in your page.
    `),
  });
  assert.deepEqual(findings(site, 'broken-link'), []);
});

test('links inside admonitions, details, content tabs, lists, quotes and tables are checked at their real columns', () => {
  const site = makeSite({
    ...PAGES,
    'docs/index.md': dedent(`
      # Home

      !!! note "Read more"
          The [retry](patterns/rety.md) page explains backoff.

      ??? tip "Details"
          See [circuit breaker](patterns/circuit-breaker.md) and [bulkhead](patterns/bulkhead.md).

      === "Python"

          Try [this](patterns/timeout.md).

      - a list item with [a link](patterns/queue.md)
          - nested [link](patterns/saga.md)

      > quoted [link](patterns/outbox.md)

      | Pattern | Page |
      |---|---|
      | Sharding | [page](patterns/sharding.md) |
    `),
  });
  assert.deepEqual(findings(site, 'broken-link'), [
    "docs/index.md:4:17 broken-link: 'patterns/rety.md' not found: no file docs/patterns/rety.md (resolved from index.md). Did you mean patterns/retry.md?",
    "docs/index.md:7:71 broken-link: 'patterns/bulkhead.md' not found: no file docs/patterns/bulkhead.md (resolved from index.md)",
    "docs/index.md:11:16 broken-link: 'patterns/timeout.md' not found: no file docs/patterns/timeout.md (resolved from index.md)",
    "docs/index.md:13:29 broken-link: 'patterns/queue.md' not found: no file docs/patterns/queue.md (resolved from index.md)",
    "docs/index.md:14:21 broken-link: 'patterns/saga.md' not found: no file docs/patterns/saga.md (resolved from index.md)",
    "docs/index.md:16:17 broken-link: 'patterns/outbox.md' not found: no file docs/patterns/outbox.md (resolved from index.md)",
    "docs/index.md:20:21 broken-link: 'patterns/sharding.md' not found: no file docs/patterns/sharding.md (resolved from index.md)",
  ]);
});

test("a reference-style link's broken definition is reported once, at the definition", () => {
  const site = makeSite({
    ...PAGES,
    'docs/index.md': dedent(`
      # Home

      Read the [retry page][retry] first, and the [retry page][retry] again.
      A [good one][cb] and a [collapsed][] reference.

      [retry]: patterns/retries.md "Retry"
      [cb]: patterns/circuit-breaker.md
      [collapsed]: patterns/collapsed.md
      [unused]: patterns/unused.md
    `),
  });
  assert.deepEqual(findings(site, 'broken-link'), [
    "docs/index.md:6:10 broken-link: 'patterns/retries.md' not found: no file docs/patterns/retries.md (resolved from index.md)",
    "docs/index.md:8:14 broken-link: 'patterns/collapsed.md' not found: no file docs/patterns/collapsed.md (resolved from index.md)",
    // MkDocs renders nothing for an unused definition, but the file it names is still missing.
    "docs/index.md:9:11 broken-link: 'patterns/unused.md' not found: no file docs/patterns/unused.md (resolved from index.md)",
  ]);
});

test('a reference to an undefined label is plain text, not a link', () => {
  const site = makeSite({ 'docs/index.md': '# Home\n\nSee [the retry page][retry] and [Retry].\n' });
  assert.deepEqual(findings(site, 'broken-link'), []);
});

test('a directory-style link that looks fine in a file browser is broken on the built site', () => {
  // docs/patterns/circuit-breaker.md is served at /patterns/circuit-breaker/, so `retry/`
  // goes to /patterns/circuit-breaker/retry/; `../retry/` is the working URL.
  const site = makeSite({
    'docs/patterns/retry.md': '# Retry\n',
    'docs/patterns/circuit-breaker.md': dedent(`
      # Circuit Breaker

      Combine with [retry](retry/), or rather [retry](../retry/) or [retry](/patterns/retry/).
    `),
  });
  assert.deepEqual(findings(site, 'broken-link'), [
    "docs/patterns/circuit-breaker.md:3:22 broken-link: 'retry/' is broken on the built site: this page is served at /patterns/circuit-breaker/, so the link goes to /patterns/circuit-breaker/retry/, which no page produces. Did you mean patterns/retry.md?",
  ]);
  assert.deepEqual(rawFindings(site, 'broken-link')[0].data, {
    target: 'retry/',
    resolved: '/patterns/circuit-breaker/retry/',
    style: 'url',
    linkKind: 'inline',
    suggestions: ['patterns/retry.md'],
  });
});

test('without use_directory_urls, pages are served as x.html: directory URLs break, and MkDocs wants .md, not .html', () => {
  const site = makeSite({
    'mkdocs.yml': 'site_name: Test\nuse_directory_urls: false\n',
    'docs/patterns/retry.md': '# Retry\n',
    'docs/patterns/circuit-breaker.md': dedent(`
      # Circuit Breaker

      [ok](retry.md) [broken](../retry/) [broken](retry/)

      MkDocs warns about [retry](retry.html) (no such source file), though a browser would find it.
    `),
  });
  assert.deepEqual(findings(site, 'broken-link'), [
    "docs/patterns/circuit-breaker.md:3:25 broken-link: '../retry/' is broken on the built site: this page is served at /patterns/circuit-breaker.html, so the link goes to /retry/, which no page produces. Did you mean patterns/retry.md?",
    "docs/patterns/circuit-breaker.md:3:45 broken-link: 'retry/' is broken on the built site: this page is served at /patterns/circuit-breaker.html, so the link goes to /patterns/retry/, which no page produces. Did you mean patterns/retry.md?",
    "docs/patterns/circuit-breaker.md:5:28 broken-link: 'retry.html' not found: no file docs/patterns/retry.html (resolved from patterns/circuit-breaker.md). Did you mean patterns/retry.md?",
  ]);
});

test('raw HTML hrefs are not rewritten by MkDocs: a .md href is broken, the page URL works', () => {
  const site = makeSite({
    ...PAGES,
    'docs/index.md': dedent(`
      # Home

      <a href="patterns/retry.md">Retry</a>
      <a href="patterns/retry/">Retry</a>
      <img src="img/missing.png" alt="missing">
    `),
  });
  assert.deepEqual(findings(site, 'broken-link'), [
    "docs/index.md:3:10 broken-link: 'patterns/retry.md' is in raw HTML, which MkDocs copies untouched: on the built site it requests /patterns/retry.md, which does not exist; use a Markdown link or the page's URL. Use 'patterns/retry/'",
    "docs/index.md:5:11 broken-link: 'img/missing.png' is broken on the built site: this page is served at /, so the link goes to /img/missing.png, which no page produces",
  ]);
});

test('links that leave the docs folder are reported', () => {
  const site = makeSite({
    'README.md': '# Repository readme\n',
    'docs/patterns/retry.md': dedent(`
      # Retry

      See the [repository readme](../../README.md).
    `),
  });
  assert.deepEqual(findings(site, 'broken-link'), ["docs/patterns/retry.md:3:29 broken-link: '../../README.md' points outside the docs folder"]);
});

test('images and other assets: source-relative paths MkDocs rewrites are fine, missing files are reported', () => {
  const site = makeSite({
    'docs/img/states.svg': '<svg/>',
    'docs/patterns/img/flow.png': 'PNG',
    'docs/patterns/circuit-breaker.md': dedent(`
      # Circuit Breaker

      ![States](../img/states.svg)
      ![Flow](img/flow.png)
      ![Missing](img/missing.png)
      Download the [slides](../files/slides.pdf).
    `),
  });
  assert.deepEqual(findings(site, 'broken-link'), [
    "docs/patterns/circuit-breaker.md:5:12 broken-link: 'img/missing.png' not found: no file docs/patterns/img/missing.png (resolved from patterns/circuit-breaker.md)",
    "docs/patterns/circuit-breaker.md:6:23 broken-link: '../files/slides.pdf' not found: no file docs/files/slides.pdf (resolved from patterns/circuit-breaker.md)",
  ]);
});

test('external URLs, mailto, protocol-relative, template variables and empty targets are skipped', () => {
  const site = makeSite({
    'docs/index.md': dedent(`
      # Home

      [Site](https://example.org/patterns/x.md) [Mail](mailto:team@example.org)
      [CDN](//cdn.example.org/lib.js) [Edit]({{ config.repo_url }}/edit/main/docs/index.md)
      [Empty]() [Query only](?tab=2)
      <https://example.org/autolink>
    `),
  });
  assert.deepEqual(findings(site, 'broken-link'), []);
});

test('bare www. and e-mail autolinks are not links to files', () => {
  // GFM turns these into links; MkDocs renders them as text or as external links, never as files.
  const site = makeSite({
    'docs/index.md': '# Home\n\nVisit www.example.net or write to team@example.org or <ops@example.org>.\n',
  });
  assert.deepEqual(findings(site, 'broken-link'), []);
});

test('a link into the top-level templates/ folder is broken: MkDocs does not build it', () => {
  const site = makeSite({
    'docs/templates/pattern-template.md': '# {{ Pattern Name }}\n',
    'docs/index.md': '# Home\n\nCopy the [template](templates/pattern-template.md).\n',
  });
  assert.deepEqual(
    findings(site, 'broken-link').map((f) => f.split(': ')[0]),
    ['docs/index.md:3:21 broken-link'],
  );
});

test('a broken link with an anchor is reported by broken-link only', () => {
  const site = makeSite({ 'docs/index.md': '# Home\n\n[Retry](patterns/retry.md#backoff)\n' });
  assert.deepEqual(findings(site, 'broken-link'), [
    "docs/index.md:3:9 broken-link: 'patterns/retry.md#backoff' not found: no file docs/patterns/retry.md (resolved from index.md)",
  ]);
  assert.deepEqual(findings(site, 'broken-anchor'), []);
});
