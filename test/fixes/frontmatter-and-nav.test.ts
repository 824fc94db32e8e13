import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { makeSite } from '../helpers/site.ts';
import { applyFix, fixesFor } from './helpers.ts';

const pat = (fm: string, body = '# Heartbeat Pattern\n\nText.\n') => `---\n${fm}---\n\n${body}`;

describe('frontmatter fixes', () => {
  const FILES: Record<string, string> = {
    'mkdocs.yml': 'site_name: T\n',
    'docs/patterns/a.md': pat('title: A\ntype: pattern\nstatus: complete\ncategory: resilience\n'),
    'docs/patterns/b.md': pat('title: B\ntype: pattern\nstatus: partial\ncategory: resilience\n'),
    'docs/patterns/heartbeat.md': pat('type: pattern\ncategory: "resilence"\n'),
    'docs/patterns/bare.md': '# Bare Pattern\n\nNo frontmatter at all.\n',
  };
  const site = makeSite(FILES);

  test('a missing title comes from the H1; a missing status is stub; added before the closing ---', () => {
    const found = fixesFor(site, FILES, 'frontmatter-missing-field', 'docs/patterns/heartbeat.md');
    const fields = found.map((f) => f.finding.data?.field);
    assert.ok(fields.includes('title') && fields.includes('status'), String(fields));
    const title = found.find((f) => f.finding.data?.field === 'title')!.fixes[0];
    assert.equal(title.title, "Add 'title: Heartbeat Pattern' to the frontmatter");
    assert.equal(applyFix(FILES, title)['docs/patterns/heartbeat.md'], pat('type: pattern\ncategory: "resilence"\ntitle: Heartbeat Pattern\n'));
    const status = found.find((f) => f.finding.data?.field === 'status')!.fixes[0];
    assert.equal(applyFix(FILES, status)['docs/patterns/heartbeat.md'], pat('type: pattern\ncategory: "resilence"\nstatus: stub\n'));
  });

  test('a page without frontmatter gets a frontmatter block', () => {
    const found = fixesFor(site, FILES, 'frontmatter-missing-field', 'docs/patterns/bare.md');
    const title = found.find((f) => f.finding.data?.field === 'title')!.fixes[0];
    assert.equal(applyFix(FILES, title)['docs/patterns/bare.md'], '---\ntitle: Bare Pattern\n---\n# Bare Pattern\n\nNo frontmatter at all.\n');
  });

  test('an invalid enum value becomes the nearest valid one, keeping its quotes', () => {
    const [{ fixes }] = fixesFor(site, FILES, 'frontmatter-invalid-value', 'docs/patterns/heartbeat.md');
    assert.equal(fixes[0].title, "Change to 'resilience'");
    assert.equal(applyFix(FILES, fixes[0])['docs/patterns/heartbeat.md'], pat('type: pattern\ncategory: "resilience"\n'));

    // A different word (not a typo) is offered, but not applied by fix-all.
    const files = { ...FILES, 'docs/patterns/heartbeat.md': pat('title: H\ntype: pattern\nstatus: complete\ndifficulty: impossible\n') };
    const [{ fixes: f2 }] = fixesFor(makeSite(files), files, 'frontmatter-invalid-value', 'docs/patterns/heartbeat.md');
    assert.ok(f2.length >= 4 && f2.every((f) => !f.isPreferred));
  });
});

describe('nav-missing-file fix', () => {
  const YML = 'site_name: T\nnav:\n  - Home: index.md   # start here\n  - Patterns:\n    - Retry: patterns/retry.md\n    - Ghost: patterns/ghost.md\n    # trailing comment\n  - Only:\n    - Gone: gone.md\n';
  const FILES: Record<string, string> = { 'mkdocs.yml': YML, 'docs/index.md': '# Home\n', 'docs/patterns/retry.md': '# Retry\n' };

  test('removes exactly the entry line', () => {
    const site = makeSite(FILES);
    const found = fixesFor(site, FILES, 'nav-missing-file');
    const ghost = found.find((f) => f.finding.data?.target === 'patterns/ghost.md')!;
    assert.equal(ghost.fixes[0].title, "Remove nav entry 'Ghost'");
    assert.equal(applyFix(FILES, ghost.fixes[0])['mkdocs.yml'], YML.replace('    - Ghost: patterns/ghost.md\n', ''));
  });

  test('the only entry of a section is not removed (the section would become empty)', () => {
    const site = makeSite(FILES);
    const gone = fixesFor(site, FILES, 'nav-missing-file').find((f) => f.finding.data?.target === 'gone.md')!;
    assert.ok(!gone.fixes.some((f) => f.title.startsWith('Remove')));
  });
});
