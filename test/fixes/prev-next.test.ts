import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { fixSite } from '../../server/src/fixes/apply.ts';
import { applyEdits } from '../../server/src/fixes/edits.ts';
import { fixCodeActions } from '../../server/src/fixes/lsp.ts';
import { parseMarkdown } from '../../server/src/parse/remark.ts';
import { loadSite } from '../../server/src/site/site.ts';
import { MemoryWorkspace, type Workspace } from '../../server/src/site/workspace.ts';
import { dedent, makeSite, rawFindings, ROOT } from '../helpers/site.ts';
import { applyFix, fixesFor, textsOf } from './helpers.ts';

// Nav order: index, circuit-breaker, retry, bulkhead, sharding, cqrs.
const MKDOCS = dedent(`
  site_name: Test
  nav:
    - Home: index.md
    - Resilience:
        - Circuit Breaker: patterns/circuit-breaker.md
        - Retry: patterns/retry.md
        - Bulkhead: patterns/bulkhead.md
    - Data:
        - Sharding: patterns/sharding.md
        - CQRS: patterns/cqrs.md
`);

const pattern = (title: string) => `---\ntitle: ${title}\ntype: pattern\n---\n\n# ${title}\n\nSome prose.\n`;

const BASE: Record<string, string> = {
  'mkdocs.yml': MKDOCS,
  'docs/index.md': '# Home\n',
  'docs/patterns/circuit-breaker.md': pattern('Circuit Breaker Pattern'),
  'docs/patterns/retry.md': pattern('Retry Pattern'),
  'docs/patterns/bulkhead.md': pattern('Bulkhead Pattern'),
  'docs/patterns/sharding.md': pattern('Sharding (Data Partitioning)'),
  'docs/patterns/cqrs.md': pattern('CQRS'),
};

/** A page of the fixture with a footer (what follows its prose). */
const withFooter = (name: string, footer: string) => `${BASE[`docs/patterns/${name}.md`]}\n---\n\n${footer}\n`;

/** The site with one page's footer, its prev-next-mismatch fixes, and the page after the first fix. */
function fixOne(name: string, footer: string, nth = 0) {
  const file = `docs/patterns/${name}.md`;
  const files = { ...BASE, [file]: withFooter(name, footer) };
  const site = makeSite(files);
  const found = fixesFor(site, files, 'prev-next-mismatch', file);
  assert.ok(found[nth], `no finding #${nth} on ${file}`);
  const { fixes } = found[nth];
  return { files, fixes, after: fixes.length ? applyFix(files, fixes[0])[file] : undefined };
}

describe('prev-next-mismatch fix', () => {
  test('a wrong Next link gets the neighbour: target and words, one edit each, arrows kept, " Pattern" as the old text had it', () => {
    const { fixes, after } = fixOne('retry', '**Previous**: [← Circuit Breaker Pattern](circuit-breaker.md) | **Next**: [Sharding Pattern →](sharding.md)');
    assert.equal(fixes.length, 1);
    assert.equal(fixes[0].title, "Point 'Next' at Bulkhead Pattern (patterns/bulkhead.md)");
    assert.equal(fixes[0].isPreferred, true);
    assert.equal(after, withFooter('retry', '**Previous**: [← Circuit Breaker Pattern](circuit-breaker.md) | **Next**: [Bulkhead Pattern →](bulkhead.md)'));
    assert.deepEqual(Object.values(fixes[0].edits)[0].map((e) => e.newText), ['bulkhead.md', 'Bulkhead Pattern']);
  });

  test('without " Pattern" in the old words the new ones have none; a pattern title gains it where the old words had it', () => {
    const bare = fixOne('bulkhead', '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: [Sharding →](sharding.md)');
    assert.equal(bare.after, withFooter('bulkhead', '**Previous**: [← Retry](retry.md) | **Next**: [Sharding →](sharding.md)'));
    const suffixed = fixOne('cqrs', '**Previous**: [← Bulkhead Pattern](bulkhead.md)');
    assert.equal(suffixed.after, withFooter('cqrs', '**Previous**: [← Sharding (Data Partitioning) Pattern](sharding.md)'));
  });

  test('the target keeps the style of the link: URL-relative, site-absolute, without a trailing slash; the old anchor goes', () => {
    const cases: Array<[string, string]> = [
      ['[Sharding →](../sharding/)', '[Bulkhead →](../bulkhead/)'],
      ['[Sharding →](/patterns/sharding/)', '[Bulkhead →](/patterns/bulkhead/)'],
      ['[Sharding →](/patterns/sharding)', '[Bulkhead →](/patterns/bulkhead)'],
      ['[Sharding →](./sharding.md#level-1)', '[Bulkhead →](./bulkhead.md)'],
      ['[Sharding →](/patterns/sharding.md)', '[Bulkhead →](/patterns/bulkhead.md)'],
    ];
    for (const [before, expected] of cases) {
      const { after } = fixOne('retry', `**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: ${before}`);
      assert.equal(after, withFooter('retry', `**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: ${expected}`), before);
    }
  });

  test('raw HTML: the href becomes the neighbour URL, the words after "Previous:" its title', () => {
    const footer = '<div class="prev-next">\n<a href="/patterns/retry">← Previous: Retry</a>\n<a href="/patterns/cqrs">Next: CQRS →</a>\n</div>';
    const { after } = fixOne('sharding', footer);
    assert.equal(after, withFooter('sharding', footer.replace('<a href="/patterns/retry">← Previous: Retry</a>', '<a href="/patterns/bulkhead">← Previous: Bulkhead</a>')));
    const emphasised = fixOne('sharding', '[**← Previous: Retry**](retry.md) | [**Next: CQRS →**](cqrs.md)');
    assert.equal(emphasised.after, withFooter('sharding', '[**← Previous: Bulkhead**](bulkhead.md) | [**Next: CQRS →**](cqrs.md)'));
  });

  test('a side without a link gets one, styled like the other side; the placeholder text goes', () => {
    const source = fixOne('retry', '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: Timeout Pattern → (Coming Soon)');
    assert.equal(source.after, withFooter('retry', '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: [Bulkhead →](bulkhead.md)'));
    const url = fixOne('retry', '**Previous**: ← Timeout Pattern (Coming Soon) | **Next**: [Bulkhead Pattern →](/patterns/bulkhead/)');
    assert.equal(url.after, withFooter('retry', '**Previous**: [← Circuit Breaker Pattern](/patterns/circuit-breaker/) | **Next**: [Bulkhead Pattern →](/patterns/bulkhead/)'));
    assert.equal(url.fixes[0].isPreferred, true);
  });

  test('a link where the nav has no neighbour can be removed with its label, but is not applied automatically', () => {
    const both = fixOne('cqrs', '**Previous**: [← Sharding](sharding.md) | **Next**: [Home →](../index.md)');
    assert.equal(both.fixes[0].title, "Remove the footer's 'Next' link");
    assert.equal(both.fixes[0].isPreferred, undefined);
    assert.equal(both.after, withFooter('cqrs', '**Previous**: [← Sharding](sharding.md)'));
    const alone = fixOne('cqrs', '<a href="../sharding/">← Previous: Sharding</a>\n<a href="/">Next: Home →</a>');
    assert.equal(alone.after, withFooter('cqrs', '<a href="../sharding/">← Previous: Sharding</a>'));
  });

  test('no fix when the text no longer holds the link the finding saw, nor for a reference link', () => {
    const { files } = fixOne('retry', '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: [Sharding →](sharding.md)');
    const site = makeSite(files);
    // The page was edited after the snapshot was taken: its link now says something else.
    const edited = { ...files, 'docs/patterns/retry.md': files['docs/patterns/retry.md'].replace('(sharding.md)', '(cqrs.md)') };
    assert.deepEqual(fixesFor(site, edited, 'prev-next-mismatch').map((f) => f.fixes), [[]]);
    const ref = fixOne('retry', '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: [Sharding →][next]\n\n[next]: sharding.md');
    assert.deepEqual(ref.fixes, []);
  });

  test('offered as a code action on the diagnostic as a client sends it back (data through JSON)', () => {
    const footer = '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: Timeout → (Coming Soon)';
    const file = 'docs/patterns/retry.md';
    const files = { ...BASE, [file]: withFooter('retry', footer) };
    const site = makeSite(files);
    const [finding] = rawFindings(site, 'prev-next-mismatch');
    const diagnostic = JSON.parse(JSON.stringify({ range: finding.range, code: finding.code, source: 'pattern-atlas', message: finding.message, severity: 2, data: finding.data }));
    const actions = fixCodeActions([diagnostic], ['quickfix'], {
      site,
      path: `${ROOT}/${file}`,
      findings: [finding],
      texts: textsOf(files),
      uriFor: (p) => 'file://' + p,
      source: 'pattern-atlas',
    });
    assert.deepEqual(actions.map((a) => [a.title, a.kind, a.isPreferred]), [["Point 'Next' at Bulkhead Pattern (patterns/bulkhead.md)", 'quickfix', true]]);
    const edit = actions[0].edit;
    assert.ok('changes' in edit, 'a plain text edit, no file created');
    const edits = edit.changes[`file://${ROOT}/${file}`];
    assert.equal(applyEdits(files[file], edits), withFooter('retry', '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: [Bulkhead →](bulkhead.md)'));
  });

  test('CRLF text: only the link parts change', () => {
    const footer = '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: [Sharding →](sharding.md)';
    const file = 'docs/patterns/retry.md';
    const files = { ...BASE, [file]: withFooter('retry', footer).replace(/\n/g, '\r\n') };
    const site = makeSite(files);
    const [{ fixes }] = fixesFor(site, files, 'prev-next-mismatch', file);
    assert.equal(applyFix(files, fixes[0])[file], withFooter('retry', footer.replace('[Sharding →](sharding.md)', '[Bulkhead →](bulkhead.md)')).replace(/\n/g, '\r\n'));
  });

  test('fix all: every footer of the site follows the nav afterwards, and nothing else changed', () => {
    const files: Record<string, string> = {
      ...BASE,
      'docs/patterns/circuit-breaker.md': withFooter('circuit-breaker', '**Previous**: [← Home](../index.md) | **Next**: [Bulkhead →](bulkhead.md)'),
      'docs/patterns/retry.md': withFooter('retry', '**Previous**: ← Timeout (Coming Soon) | **Next**: [Sharding →](sharding.md)'),
      'docs/patterns/sharding.md': withFooter('sharding', '<a href="../retry/">← Previous: Retry</a>\n<a href="../cqrs/">Next: CQRS →</a>'),
    };
    const abs = Object.fromEntries(Object.entries(files).map(([k, v]) => [`${ROOT}/${k}`, v]));
    const load = (ws: Workspace) => loadSite(ws, ROOT, { parse: parseMarkdown }).site!;
    const r = fixSite(new MemoryWorkspace(abs), load, { rules: ['prev-next-mismatch'] });
    assert.equal(r.applied.length, 4);
    const fixed = { ...files };
    for (const [f, { after }] of r.files) fixed[f.slice(ROOT.length + 1)] = after;
    assert.deepEqual(rawFindings(makeSite(fixed), 'prev-next-mismatch'), []);
    assert.equal(fixed['docs/patterns/circuit-breaker.md'], withFooter('circuit-breaker', '**Previous**: [← Home](../index.md) | **Next**: [Retry →](retry.md)'));
    assert.equal(fixed['docs/patterns/retry.md'], withFooter('retry', '**Previous**: [← Circuit Breaker](circuit-breaker.md) | **Next**: [Bulkhead →](bulkhead.md)'));
    assert.equal(fixed['docs/patterns/sharding.md'], withFooter('sharding', '<a href="../bulkhead/">← Previous: Bulkhead</a>\n<a href="../cqrs/">Next: CQRS →</a>'));
    assert.deepEqual([...r.files.keys()].sort(), ['circuit-breaker', 'retry', 'sharding'].map((n) => `${ROOT}/docs/patterns/${n}.md`));
  });
});
