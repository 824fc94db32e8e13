import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent, findings, makeSite, rawFindings } from '../helpers/site.ts';

const ATTR_LIST = 'site_name: Test\nmarkdown_extensions:\n  - attr_list\n';

const CIRCUIT_BREAKER = dedent(`
  # Circuit Breaker

  ## Level 3: Deep Dive

  ### Failure modes {#failure-modes}

  ## States

  ## States

  <div id="config-table"></div>

  ## Café & Co.
`);

test('anchors are matched against the slugs MkDocs gives headings, explicit {#ids} and HTML ids', () => {
  const site = makeSite({
    'mkdocs.yml': ATTR_LIST,
    'docs/patterns/circuit-breaker.md': CIRCUIT_BREAKER,
    'docs/index.md': dedent(`
      # Home

      [deep dive](patterns/circuit-breaker.md#level-3-deep-dive)
      [failure modes](patterns/circuit-breaker.md#failure-modes)
      [second States heading](patterns/circuit-breaker.md#states_1)
      [config](patterns/circuit-breaker.md#config-table)
      [ascii slug](patterns/circuit-breaker.md#cafe-co)
      [by URL](patterns/circuit-breaker/#states)
      [empty anchor](patterns/circuit-breaker.md#)
    `),
  });
  assert.deepEqual(findings(site, 'broken-anchor'), []);
});

test('a missing anchor is reported at the link target, with the nearest id', () => {
  const site = makeSite({
    'mkdocs.yml': ATTR_LIST,
    'docs/patterns/circuit-breaker.md': CIRCUIT_BREAKER,
    'docs/index.md': dedent(`
      # Home

      [the Level 3 section](patterns/circuit-breaker.md#level-3)
      [capitalised](patterns/circuit-breaker/#States)
      [GitHub-style duplicate](patterns/circuit-breaker.md#states-1)
    `),
  });
  assert.deepEqual(findings(site, 'broken-anchor'), [
    "docs/index.md:3:23 broken-anchor: No heading with id '#level-3' in patterns/circuit-breaker.md",
    "docs/index.md:4:15 broken-anchor: No heading with id '#States' in patterns/circuit-breaker.md. Did you mean #states?",
    "docs/index.md:5:26 broken-anchor: No heading with id '#states-1' in patterns/circuit-breaker.md. Did you mean #states_1?",
  ]);
  const f = rawFindings(site, 'broken-anchor')[1];
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.data, { target: 'patterns/circuit-breaker/#States', page: 'patterns/circuit-breaker.md', anchor: 'States', suggestions: ['states', 'states_1'] });
});

test('same-page anchors are checked against the page itself', () => {
  const site = makeSite({
    'docs/patterns/retry.md': dedent(`
      # Retry

      ## Backoff

      Jump to [backoff](#backoff) or to [jitter](#jitter).
    `),
  });
  assert.deepEqual(findings(site, 'broken-anchor'), ["docs/patterns/retry.md:5:44 broken-anchor: No heading with id '#jitter' in patterns/retry.md"]);
});

test('reference definitions and raw HTML hrefs are checked too; links to assets and broken pages are not', () => {
  const site = makeSite({
    'docs/img/states.svg': '<svg/>',
    'docs/patterns/retry.md': '# Retry\n\n## Backoff\n',
    'docs/index.md': dedent(`
      # Home

      See [retry][r] and <a href="patterns/retry/#jitter">jitter</a>.
      The [diagram](img/states.svg#layer1) and a [missing page](patterns/gone.md#intro).

      [r]: patterns/retry.md#backof
    `),
  });
  assert.deepEqual(findings(site, 'broken-anchor'), [
    "docs/index.md:3:29 broken-anchor: No heading with id '#jitter' in patterns/retry.md",
    "docs/index.md:6:6 broken-anchor: No heading with id '#backof' in patterns/retry.md. Did you mean #backoff?",
  ]);
});

test('the site slug rule is used: pymdownx.slugs with case: lower keeps Unicode', () => {
  const site = makeSite({
    'mkdocs.yml': dedent(`
      site_name: Test
      markdown_extensions:
        - toc:
            slugify: !!python/object/apply:pymdownx.slugs.slugify
              kwds:
                case: lower
    `),
    'docs/patterns/cache.md': '# Cache\n\n## Café & Co.\n\n## Write-Through Caching\n',
    'docs/index.md': '# Home\n\n[a](patterns/cache.md#café--co) [b](patterns/cache.md#caf%C3%A9--co) [c](patterns/cache.md#cafe-co) [d](patterns/cache.md#write-through-caching)\n',
  });
  assert.deepEqual(findings(site, 'broken-anchor'), [
    "docs/index.md:3:74 broken-anchor: No heading with id '#cafe-co' in patterns/cache.md. Did you mean #café--co?",
  ]);
});

test('without attr_list, {#id} is heading text, not an id: MkDocs slugs the whole line', () => {
  // Python-Markdown without attr_list renders `### Failure modes {#failure-modes}` with
  // id="failure-modes-failure-modes" (checked with mkdocs build), so `#failure-modes` is broken.
  const site = makeSite({
    'docs/patterns/circuit-breaker.md': '# Circuit Breaker\n\n### Failure modes {#failure-modes}\n',
    'docs/index.md': '# Home\n\n[failure modes](patterns/circuit-breaker.md#failure-modes)\n',
  });
  assert.deepEqual(
    findings(site, 'broken-anchor').map((f) => f.split('. Did you mean')[0]),
    ["docs/index.md:3:17 broken-anchor: No heading with id '#failure-modes' in patterns/circuit-breaker.md"],
  );
});

test('ids written inside fenced code are not ids: only the page around the code gives them', () => {
  const site = makeSite({
    'mkdocs.yml': ATTR_LIST,
    'docs/patterns/retry.md': dedent(`
      # Retry

      \`\`\`html
      <div id="in-code"></div>
      \`\`\`

      ~~~markdown
      ## Backoff {#code-id}
      ~~~

      <div id="real"></div>

      Text {#after}
    `),
    'docs/index.md': '# Home\n\n[a](patterns/retry.md#in-code) [b](patterns/retry.md#code-id) [c](patterns/retry.md#real) [d](patterns/retry.md#after)\n',
  });
  assert.deepEqual(
    findings(site, 'broken-anchor').map((f) => f.replace(/\. Did you mean.*/, '')),
    ["docs/index.md:3:5 broken-anchor: No heading with id '#in-code' in patterns/retry.md", "docs/index.md:3:36 broken-anchor: No heading with id '#code-id' in patterns/retry.md"],
  );
});

test('ids written inside an indented code block are not ids either', () => {
  const site = makeSite({
    'mkdocs.yml': ATTR_LIST,
    'docs/patterns/retry.md': dedent(`
      # Retry

      The markup:

          <div id="in-code"></div>
          ## Sample {#code-id}

      <div id="real"></div>
    `),
    'docs/index.md': '# Home\n\n[a](patterns/retry.md#in-code) [b](patterns/retry.md#code-id) [c](patterns/retry.md#real)\n',
  });
  assert.deepEqual(
    findings(site, 'broken-anchor').map((f) => f.replace(/\. Did you mean.*/, '')),
    ["docs/index.md:3:5 broken-anchor: No heading with id '#in-code' in patterns/retry.md", "docs/index.md:3:36 broken-anchor: No heading with id '#code-id' in patterns/retry.md"],
  );
});

test('with the footnotes extension, fn:N and fnref:N ids exist on the built page', () => {
  const site = makeSite({
    'mkdocs.yml': 'site_name: Test\nmarkdown_extensions:\n  - footnotes\n',
    'docs/patterns/retry.md': dedent(`
      # Retry

      Backoff doubles the delay[^1].

      [^1]: Up to a cap.

      See [the note](#fn:1) and [back](#fnref:1).
    `),
  });
  assert.deepEqual(findings(site, 'broken-anchor'), []);
});

test('a footnote written inside fenced code makes no id (MkDocs renders code as text)', () => {
  const site = makeSite({
    'mkdocs.yml': 'site_name: Test\nmarkdown_extensions:\n  - footnotes\n',
    'docs/patterns/retry.md': dedent(`
      # Retry

      Real note[^1].

      [^1]: Up to a cap.

      \`\`\`markdown
      A sample[^sample].

      [^sample]: Shown, not rendered.
      \`\`\`

      [real](#fnref:1) [sample](#fnref:sample) [sample note](#fn:sample)
    `),
  });
  assert.deepEqual(
    findings(site, 'broken-anchor').map((f) => f.replace(/\. Did you mean.*/, '')),
    ["docs/patterns/retry.md:13:27 broken-anchor: No heading with id '#fnref:sample' in patterns/retry.md", "docs/patterns/retry.md:13:56 broken-anchor: No heading with id '#fn:sample' in patterns/retry.md"],
  );
});
