import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveSite } from '../../server/src/features/live-site.ts';
import { parseMarkdown } from '../../server/src/parse/remark.ts';
import { maskComments } from '../../server/src/parse/common.ts';
import { commentsMasked } from '../../server/src/parse/footer.ts';
import { splitLines } from '../../server/src/parse/prepare.ts';
import { dedent, findings, makeSite, rawFindings } from '../helpers/site.ts';
import { at } from './fixtures.ts';

// The nav order is MkDocs' flattened order: index, circuit-breaker, retry,
// bulkhead, sharding (gossip.md does not exist and is skipped), cqrs.
const MKDOCS = dedent(`
  site_name: Test
  nav:
    - Home: index.md
    - Resilience:
        - Circuit Breaker: patterns/circuit-breaker.md
        - Retry: patterns/retry.md
        - Bulkhead: patterns/bulkhead.md
    - Data:
        - Gossip: patterns/gossip.md
        - Sharding: patterns/sharding.md
        - CQRS: patterns/cqrs.md
        - All patterns: patterns/index.md#all
        - Elsewhere: https://example.org/
`);

const TITLES: Record<string, string> = {
  'circuit-breaker': 'Circuit Breaker Pattern',
  retry: 'Retry Pattern',
  bulkhead: 'Bulkhead Pattern',
  sharding: 'Sharding Pattern',
  cqrs: 'CQRS Pattern',
  heartbeat: 'Heartbeat Pattern',
};

/** A page with a title, some prose and, when given, a footer after a rule. */
function page(name: string, footer?: string): string {
  return `# ${TITLES[name] ?? name}\n\nSome prose about it.\n` + (footer === undefined ? '' : `\n---\n\n${footer}\n`);
}

/** The site with footers on some pages (docs-relative name without `patterns/` and `.md`). */
function files(footers: Record<string, string> = {}, mkdocs = MKDOCS): Record<string, string> {
  const out: Record<string, string> = { 'mkdocs.yml': mkdocs, 'docs/index.md': footers.index === undefined ? '# Home\n' : `# Home\n\n${footers.index}\n` };
  for (const name of Object.keys(TITLES)) out[`docs/patterns/${name}.md`] = page(name, footers[name]);
  out['docs/patterns/index.md'] = '# Patterns\n\n## All\n';
  return out;
}

const check = (footers: Record<string, string>, mkdocs?: string) => findings(makeSite(files(footers, mkdocs)), 'prev-next-mismatch');

/** `file:line:col` of a needle in the footer of a page, as `findings()` prints it. */
const where = (f: Record<string, string>, name: string, needle: string) => `docs/patterns/${name}.md:${at(f[`docs/patterns/${name}.md`], needle)}`;

describe('prev-next-mismatch', () => {
  test('footers that follow the nav order report nothing: across sections, over a missing nav file, in every link style and as raw HTML', () => {
    const footers = {
      index: '**Next**: [Circuit Breaker →](patterns/circuit-breaker.md)',
      'circuit-breaker': '**Previous**: [← Home](../index.md) | **Next**: [Retry Pattern →](/patterns/retry/)',
      retry: '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: [Bulkhead →](../bulkhead/)',
      // The last page of its section: the next is the first page of the next section.
      bulkhead: '**Previous**: [← Retry](retry.md#intro) | **Next**: [Sharding →](sharding.md)',
      sharding: '<a href="../bulkhead/">← Previous: Bulkhead</a>\n<a href="/patterns/cqrs">Next: CQRS →</a>',
      // The last page: no Next side, nothing to say.
      cqrs: '**Previous**: [← Sharding](sharding.md)',
    };
    assert.deepEqual(check(footers), []);
  });

  test('a Next link to another page is reported at the link, with the neighbour the nav has', () => {
    const f = files({ retry: '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: [Sharding →](sharding.md)' });
    const site = makeSite(f);
    assert.deepEqual(findings(site, 'prev-next-mismatch'), [
      `${where(f, 'retry', '[Sharding →]')} prev-next-mismatch: Footer 'Next' links to 'sharding.md' (patterns/sharding.md), but the next page in the nav is 'Bulkhead Pattern' (patterns/bulkhead.md)`,
    ]);
    const [finding] = rawFindings(site, 'prev-next-mismatch');
    assert.equal(finding.severity, 'warning');
    assert.deepEqual(finding.data, { side: 'next', target: 'sharding.md', expected: 'patterns/bulkhead.md', expectedTitle: 'Bulkhead Pattern', problem: 'wrong' });
    // The range is the whole link: its text and its target.
    const line = f['docs/patterns/retry.md'].split('\n')[finding.range.start.line];
    assert.equal(line.slice(finding.range.start.character, finding.range.end.character), '[Sharding →](sharding.md)');
  });

  test('a page with CRLF or lone CR line endings has its footer read on the same lines', () => {
    const footer = '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: [Sharding →](sharding.md)';
    for (const eol of ['\r\n', '\r']) {
      const f = files({ retry: footer });
      const lf = f['docs/patterns/retry.md'];
      f['docs/patterns/retry.md'] = lf.replaceAll('\n', eol);
      const [finding] = rawFindings(makeSite(f), 'prev-next-mismatch');
      assert.ok(finding, `a mismatch is found with ${JSON.stringify(eol)} line endings`);
      const line = lf.split('\n')[finding.range.start.line];
      assert.equal(line.slice(finding.range.start.character, finding.range.end.character), '[Sharding →](sharding.md)', JSON.stringify(eol));
    }
  });

  test('a line is masked as masking the whole page would mask it (comments opening, closing and unclosed on any line)', () => {
    // Pieces chosen so that random pages have comments spanning lines, several on one line, and one left open.
    const pieces = ['<!--', '-->', '\n', '\r\n', 'x', ' ', '**Next**: [A](a.md)', '<!-- c -->', '-', '<', '!'];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    for (let k = 0; k < 3000; k++) {
      let text = '';
      for (let i = rnd(14); i >= 0; i--) text += pieces[rnd(pieces.length)];
      const lines = splitLines(text);
      const line = commentsMasked(text, lines);
      const want = splitLines(maskComments(text));
      for (let n = lines.length - 1; n >= 0; n--) assert.equal(line(n), want[n], `line ${n} of ${JSON.stringify(text)}`);
    }
  });

  test('a Previous link to another page, or to the page itself, is reported', () => {
    const f = files({
      bulkhead: '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: [Sharding →](sharding.md)',
      sharding: '**Previous**: [← Sharding](#top) | **Next**: [CQRS →](cqrs.md)',
    });
    assert.deepEqual(findings(makeSite(f), 'prev-next-mismatch'), [
      `${where(f, 'bulkhead', '[← Circuit')} prev-next-mismatch: Footer 'Previous' links to 'circuit-breaker.md' (patterns/circuit-breaker.md), but the previous page in the nav is 'Retry Pattern' (patterns/retry.md)`,
      `${where(f, 'sharding', '[← Sharding]')} prev-next-mismatch: Footer 'Previous' links to '#top' (this page itself), but the previous page in the nav is 'Bulkhead Pattern' (patterns/bulkhead.md)`,
    ]);
  });

  test('a side without a link ("Coming Soon") is reported when the nav has a neighbour there', () => {
    const f = files({ retry: '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: Timeout → (Coming Soon)' });
    const site = makeSite(f);
    assert.deepEqual(findings(site, 'prev-next-mismatch'), [
      `${where(f, 'retry', '**Next**')} prev-next-mismatch: Footer 'Next' has no link, but the next page in the nav is 'Bulkhead Pattern' (patterns/bulkhead.md)`,
    ]);
    assert.equal(rawFindings(site, 'prev-next-mismatch')[0].data?.problem, 'missing');
  });

  test('a raw-HTML footer (one line per side) is judged like a Markdown one', () => {
    const f = files({ sharding: '<div class="prev-next">\n<a href="../retry/">← Previous: Retry</a>\n<a href="../cqrs/">Next: CQRS →</a>\n</div>' });
    assert.deepEqual(findings(makeSite(f), 'prev-next-mismatch'), [
      `${where(f, 'sharding', '<a href="../retry/">')} prev-next-mismatch: Footer 'Previous' links to '../retry/' (patterns/retry.md), but the previous page in the nav is 'Bulkhead Pattern' (patterns/bulkhead.md)`,
    ]);
  });

  test('pages not in the nav, and sites without a nav, are not judged', () => {
    const wrong = '**Previous**: [← CQRS](cqrs.md) | **Next**: [Retry →](retry.md)';
    assert.deepEqual(check({ heartbeat: wrong }), []);
    assert.deepEqual(check({ retry: wrong, bulkhead: wrong }, 'site_name: Test\n'), []);
  });

  test('the first and last pages: a link where the nav has no neighbour is reported; a Next-only or Previous-only footer is not', () => {
    const f = files({
      index: '**Previous**: [← CQRS](patterns/cqrs.md) | **Next**: [Circuit Breaker →](patterns/circuit-breaker.md)',
      cqrs: '**Previous**: [← Sharding](sharding.md) | **Next**: [Home →](../index.md)',
    });
    const index = f['docs/index.md'];
    assert.deepEqual(findings(makeSite(f), 'prev-next-mismatch'), [
      `docs/index.md:${at(index, '[← CQRS]')} prev-next-mismatch: Footer 'Previous' links to 'patterns/cqrs.md' (patterns/cqrs.md), but this page is the first page of the nav: it has no previous page`,
      `${where(f, 'cqrs', '[Home →]')} prev-next-mismatch: Footer 'Next' links to '../index.md' (index.md), but this page is the last page of the nav: it has no next page`,
    ]);
    // A plain "Next: (end)" on the last page says nothing wrong.
    assert.deepEqual(check({ cqrs: '**Previous**: [← Sharding](sharding.md) | **Next**: (the end)' }), []);
  });

  test('a broken link to (a typo of) the neighbour is left to broken-link; a broken link naming another page is reported too', () => {
    const typo = files({ retry: '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: [Bulkhead →](bulkhed.md)' });
    const site = makeSite(typo);
    assert.deepEqual(findings(site, 'prev-next-mismatch'), []);
    assert.equal(rawFindings(site, 'broken-link').length, 1);
    const other = files({ retry: '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: [Timeout →](timeout.md)' });
    assert.deepEqual(findings(makeSite(other), 'prev-next-mismatch'), [
      `${where(other, 'retry', '[Timeout →]')} prev-next-mismatch: Footer 'Next' links to 'timeout.md', which does not exist, but the next page in the nav is 'Bulkhead Pattern' (patterns/bulkhead.md)`,
    ]);
  });

  test('what is not a footer: prose with a bold "Next:", a footer inside a fence or a comment; of two footers the last is judged', () => {
    const wrong = '**Previous**: [← CQRS](cqrs.md) | **Next**: [Retry →](retry.md)';
    assert.deepEqual(check({ bulkhead: '**Next**: we add jitter to the [retry](retry.md) delays.' }), []);
    assert.deepEqual(check({ bulkhead: '```markdown\n' + wrong + '\n```' }), []);
    assert.deepEqual(check({ bulkhead: '<!--\n' + wrong + '\n-->' }), []);
    const right = '**Previous**: [← Retry](retry.md) | **Next**: [Sharding →](sharding.md)';
    assert.deepEqual(check({ bulkhead: `${wrong}\n\n## More\n\nAppended later.\n\n${right}` }), []);
    const f = files({ bulkhead: `${right}\n\n## More\n\nAppended later.\n\n${wrong}` });
    const judged = findings(makeSite(f), 'prev-next-mismatch').map((s) => s.split(' ')[0]);
    assert.deepEqual(judged, [where(f, 'bulkhead', '[← CQRS]'), where(f, 'bulkhead', '[Retry →]')]);
  });

  test('a link text "Previous"/"Next" is a label; "Next steps" is not', () => {
    const f = files({
      retry: '[:octicons-arrow-left-24: Previous](bulkhead.md) | [Next steps](sharding.md)',
      bulkhead: '[**← Previous: Retry**](retry.md) | [**Next: CQRS →**](cqrs.md)',
    });
    assert.deepEqual(findings(makeSite(f), 'prev-next-mismatch'), [
      `${where(f, 'bulkhead', '[**Next: CQRS')} prev-next-mismatch: Footer 'Next' links to 'cqrs.md' (patterns/cqrs.md), but the next page in the nav is 'Sharding Pattern' (patterns/sharding.md)`,
      `${where(f, 'retry', '[:octicons')} prev-next-mismatch: Footer 'Previous' links to 'bulkhead.md' (patterns/bulkhead.md), but the previous page in the nav is 'Circuit Breaker Pattern' (patterns/circuit-breaker.md)`,
    ]);
  });
});

describe('prev-next-mismatch in the editor (LiveSite)', () => {
  /** Apply a step to both the live state and the files, then compare with a rebuild. */
  function same(live: LiveSite, f: Record<string, string>, why: string) {
    const rebuilt = LiveSite.fromSite(makeSite(f, parseMarkdown), parseMarkdown);
    const mine = (l: LiveSite) => l.allFindings().filter((x) => x.code === 'prev-next-mismatch');
    assert.deepEqual(mine(live), mine(rebuilt), why);
    return mine(live).map((x) => `${x.file} ${x.message}`);
  }

  test("a neighbour's new title, a page appearing in the nav and one disappearing re-check the pages around them", () => {
    const f = files({
      retry: '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: Bulkhead → (Coming Soon)',
      bulkhead: '**Previous**: [← Retry](retry.md) | **Next**: [Sharding →](sharding.md)',
      cqrs: '**Previous**: [← Sharding](sharding.md)',
    });
    const live = LiveSite.fromSite(makeSite(f, parseMarkdown), parseMarkdown);
    assert.deepEqual(same(live, f, 'initially'), [
      "docs/patterns/retry.md Footer 'Next' has no link, but the next page in the nav is 'Bulkhead Pattern' (patterns/bulkhead.md)",
    ]);

    // The neighbour retitled: retry.md does not link to it, yet its message names it.
    f['docs/patterns/bulkhead.md'] = f['docs/patterns/bulkhead.md'].replace('# Bulkhead Pattern', '# Bulkheads');
    live.fileWritten('patterns/bulkhead.md', f['docs/patterns/bulkhead.md']);
    assert.deepEqual(same(live, f, 'after the retitle'), [
      "docs/patterns/retry.md Footer 'Next' has no link, but the next page in the nav is 'Bulkheads' (patterns/bulkhead.md)",
    ]);

    // gossip.md appears between bulkhead and sharding: both their footers are now wrong.
    f['docs/patterns/gossip.md'] = '# Gossip\n';
    live.fileWritten('patterns/gossip.md', f['docs/patterns/gossip.md']);
    assert.deepEqual(same(live, f, 'after gossip.md appeared').length, 2);

    // It goes again; then sharding.md goes: cqrs.md's previous is now bulkhead.
    delete f['docs/patterns/gossip.md'];
    live.fileDeleted('patterns/gossip.md');
    same(live, f, 'after gossip.md went');
    delete f['docs/patterns/sharding.md'];
    live.fileDeleted('patterns/sharding.md');
    const left = same(live, f, 'after sharding.md went');
    assert.ok(left.some((m) => m.startsWith("docs/patterns/cqrs.md Footer 'Previous' links to 'sharding.md', which does not exist")), left.join('\n'));
  });
});
