// "Create page from template" for nav-missing-file and broken-link: the whole
// created text, where it is (not) offered, and that re-checking after the
// creation clears the findings.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fixSite } from '../../server/src/fixes/apply.ts';
import type { Fix } from '../../server/src/fixes/types.ts';
import { parseMarkdown } from '../../server/src/parse/remark.ts';
import { loadSite } from '../../server/src/site/site.ts';
import { MemoryWorkspace, type Workspace } from '../../server/src/site/workspace.ts';
import { findings, makeSite, rawFindings, ROOT } from '../helpers/site.ts';
import { applyFix, fixesFor } from './helpers.ts';

const COMPENDIUM = path.resolve(import.meta.dirname, '../../examples/compendium');

/** Every file of a folder, by relative path. */
function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const abs = path.join(dir, rel);
    if (fs.statSync(abs).isFile()) out[rel.split(path.sep).join('/')] = fs.readFileSync(abs, 'utf8');
  }
  return out;
}

const creation = (fixes: Fix[]) => fixes.find((f) => f.creates?.length);

describe('create page from the pattern template (examples/compendium)', () => {
  const FILES = readTree(COMPENDIUM);
  const TEMPLATE = FILES['docs/templates/pattern-template.md'];
  const site = makeSite(FILES);

  /** The template as a new stub page: these lines change, every other byte stays. */
  const fromTemplate = (title: string, category: string) =>
    TEMPLATE.replace('title: "{{ Pattern Name }} Pattern"', `title: "${title} Pattern"`)
      .replace('description: "{{ One sentence: what the pattern does }}"', 'description: ""  # TODO: One sentence: what the pattern does')
      .replace('category: "{{ resilience | data | coordination }}"', `category: ${category}`)
      .replace('difficulty: "{{ beginner | intermediate | advanced }}"', 'difficulty: ""  # TODO: beginner | intermediate | advanced')
      .replace('reading_time: "{{ N }} min"', 'reading_time: ""  # TODO: N min')
      .replace('status: "{{ complete | partial | stub }}"', 'status: stub')
      .replace('when_to_use: "{{ The situations where this pattern pays for itself }}"', 'when_to_use: ""  # TODO: The situations where this pattern pays for itself')
      .replace('when_not_to_use: "{{ The situations where it costs more than it saves }}"', 'when_not_to_use: ""  # TODO: The situations where it costs more than it saves')
      .replace('last_updated: "{{ YYYY-MM-DD }}"', 'last_updated: ""  # TODO: YYYY-MM-DD')
      .replace('# {{ Pattern Name }} Pattern', `# ${title} Pattern`)
      .replace('> **{{ The pattern in one bold sentence. }}**', '> **TODO: The pattern in one bold sentence.**');

  test('nav-missing-file: after the preferred removal, create the page; title from the nav entry, category from its nav section', () => {
    const [{ fixes }] = fixesFor(site, FILES, 'nav-missing-file');
    assert.deepEqual(
      fixes.map((f) => [f.title, !!f.isPreferred]),
      [
        ["Remove nav entry 'Gossip'", true],
        ['Create docs/patterns/gossip.md from the pattern template', false],
      ],
    );
    const create = creation(fixes)!;
    assert.deepEqual(create.edits, {});
    assert.deepEqual(
      create.creates!.map((c) => c.path),
      [`${ROOT}/docs/patterns/gossip.md`],
    );
    const expected = fromTemplate('Gossip', 'coordination');
    assert.ok(!expected.includes('{{'), 'every placeholder of the template is replaced');
    assert.equal(create.creates![0].text, expected);
  });

  test('broken-link: the only fix creates the page, titled from the link text', () => {
    const [{ fixes }] = fixesFor(site, FILES, 'broken-link', 'docs/pillars/pillar3-truth.md');
    assert.deepEqual(
      fixes.map((f) => f.title),
      ['Create docs/patterns/gossip.md from the pattern template'],
    );
    assert.equal(fixes[0].isPreferred, undefined);
    assert.equal(fixes[0].creates![0].text, fromTemplate('Gossip Dissemination', 'coordination'));
  });

  test('the created page is a valid pattern stub, and the nav entry and the link that wanted it are fixed', () => {
    const [{ fixes }] = fixesFor(site, FILES, 'nav-missing-file');
    const after = applyFix(FILES, creation(fixes)!);
    const fixed = makeSite(after);
    const gossip = fixed.pages.get('patterns/gossip.md')!;
    assert.ok(gossip.isPattern);
    const own = (code: string) => findings(fixed, code).filter((f) => f.startsWith('docs/patterns/gossip.md:'));
    assert.deepEqual(own('frontmatter-yaml'), []);
    assert.deepEqual(own('frontmatter-invalid-value'), []);
    assert.deepEqual(own('stub'), ["docs/patterns/gossip.md:8:9 stub: 'Gossip Pattern' is a stub (status: stub)"]);
    assert.deepEqual(findings(fixed, 'nav-missing-file'), []);
    assert.ok(!findings(fixed, 'broken-link').some((f) => f.includes('gossip')), findings(fixed, 'broken-link').join('\n'));
    // The same for the creation offered on the link.
    const [{ fixes: viaLink }] = fixesFor(site, FILES, 'broken-link', 'docs/pillars/pillar3-truth.md');
    const fixed2 = makeSite(applyFix(FILES, viaLink[0]));
    assert.deepEqual(findings(fixed2, 'nav-missing-file'), []);
    assert.ok(!findings(fixed2, 'broken-link').some((f) => f.includes('gossip')));
  });

  test('fixSite creates pages only with createPages, where creation is the only fix; the nav entry of a created page stays', () => {
    const ws = new MemoryWorkspace(Object.fromEntries(Object.entries(FILES).map(([k, v]) => [`${ROOT}/${k}`, v])));
    const load = (w: Workspace) => loadSite(w, ROOT, { parse: parseMarkdown }).site!;
    const rules = ['nav-missing-file', 'broken-link'];
    const plain = fixSite(ws, load, { rules });
    assert.ok(!plain.files.has(`${ROOT}/docs/patterns/gossip.md`));
    assert.ok(!plain.files.get(`${ROOT}/mkdocs.yml`)!.after.includes('Gossip: patterns/gossip.md'), 'without creation, the entry is removed');

    const withPages = fixSite(ws, load, { rules, createPages: true });
    assert.deepEqual(withPages.files.get(`${ROOT}/docs/patterns/gossip.md`), { before: '', after: fromTemplate('Gossip Dissemination', 'coordination'), created: true });
    assert.ok(!withPages.files.has(`${ROOT}/mkdocs.yml`), 'the nav entry is kept: the page now exists');
    assert.ok(!withPages.files.has(`${ROOT}/docs/patterns/circuit-braker.md`), 'a typo link is changed, not turned into a page');
    assert.deepEqual(
      withPages.applied.filter((a) => a.title.startsWith('Create')),
      [{ file: 'docs/pillars/pillar3-truth.md', code: 'broken-link', title: 'Create docs/patterns/gossip.md from the pattern template' }],
    );
  });
});

describe('create page elsewhere', () => {
  const TEMPLATE = '---\ntitle: "{{ Pattern Name }} Pattern"\ntype: pattern\ncategory: "{{ category }}"\nstatus: "{{ stub }}"\n---\n\n# {{ Pattern Name }} Pattern\n\n## Problem\n\n*The problem.*\n\n## Solution\n\n*The solution.*\n';
  const pat = (title: string, category: string) => `---\ntitle: ${title} Pattern\ntype: pattern\ncategory: ${category}\nstatus: complete\n---\n\n# ${title} Pattern\n\n## Problem\n\nText.\n\n## Solution\n\nText.\n`;
  const YML = [
    'site_name: T',
    'nav:',
    '  - Home: index.md',
    '  - Patterns:',
    '    - Retry: patterns/retry.md',
    '    - Quorum: patterns/quorum.md',
    '  - Reference:',
    '    - Glossary: reference/glossary.md',
    '    - Terms of Art: reference/terms.md',
    '',
  ].join('\n');
  const PAGE = [
    '# A',
    '',
    'URL style [Gossip Protocol](../gossip/), site-absolute [Fencing Token Pattern](/patterns/fencing/), a folder [Streams](../../guides/streams/).',
    'Not pages: ![diagram](img/missing.png), [data](data/sample.csv), [csv](/files/data.csv), <a href="saga.md">raw</a>, [up](../../outside.md).',
    'Meant to be changed: [Retry](retry/) (the directory-URL mistake: retry.md exists), [paper](/refs/https://example.org/p/).',
    '',
  ].join('\n');
  const FILES: Record<string, string> = {
    'mkdocs.yml': YML,
    'templates/pattern-template.md': TEMPLATE,
    'docs/index.md': '# Home\n\nSee the [FAQ](reference/faq.md) and [retry](https://example.org/retry.md).\n',
    'docs/reference/glossary.md': '# Glossary\n\nWords.\n',
    'docs/patterns/retry.md': pat('Retry', 'resilience'),
    'docs/patterns/bulkhead.md': pat('Bulkhead', 'resilience'),
    'docs/patterns/a.md': PAGE,
    'docs/guides/streams/kafka.md': '# Kafka\n',
  };
  const site = makeSite(FILES);
  const createdBy = (code: string, file: string, target: string) => {
    const f = fixesFor(site, FILES, code, file).find((x) => x.finding.data?.target === target);
    assert.ok(f, `a ${code} finding for ${target}`);
    return creation(f.fixes);
  };

  test('a non-pattern location gets a minimal page titled from the nav entry or the link text', () => {
    const terms = createdBy('nav-missing-file', 'mkdocs.yml', 'reference/terms.md')!;
    assert.equal(terms.title, 'Create docs/reference/terms.md');
    assert.deepEqual(terms.creates, [{ path: `${ROOT}/docs/reference/terms.md`, text: '# Terms of Art\n\nTODO: write this page.\n' }]);
    const faq = createdBy('broken-link', 'docs/index.md', 'reference/faq.md')!;
    assert.deepEqual(faq.creates, [{ path: `${ROOT}/docs/reference/faq.md`, text: '# FAQ\n\nTODO: write this page.\n' }]);
  });

  test('a pattern location: the category the siblings agree on; the template outside docs_dir is used', () => {
    const quorum = createdBy('nav-missing-file', 'mkdocs.yml', 'patterns/quorum.md')!;
    assert.equal(quorum.title, 'Create docs/patterns/quorum.md from the pattern template');
    assert.equal(
      quorum.creates![0].text,
      '---\ntitle: "Quorum Pattern"\ntype: pattern\ncategory: resilience\nstatus: stub\n---\n\n# Quorum Pattern\n\n## Problem\n\n*The problem.*\n\n## Solution\n\n*The solution.*\n',
    );
  });

  test('siblings that disagree leave the category to fill in', () => {
    const files = { ...FILES, 'docs/patterns/cqrs.md': pat('CQRS', 'data'), 'mkdocs.yml': YML.replace('    - Quorum:', '    - CQRS: patterns/cqrs.md\n    - Quorum:') };
    const [{ fixes }] = fixesFor(makeSite(files), files, 'nav-missing-file').filter((f) => f.finding.data?.target === 'patterns/quorum.md');
    assert.match(creation(fixes)!.creates![0].text, /^category: "" {2}# TODO: category$/m);
  });

  test('URL-style links create the page their URL is served from', () => {
    assert.deepEqual(createdBy('broken-link', 'docs/patterns/a.md', '../gossip/')!.creates!.map((c) => [c.path, c.text.split('\n')[1]]), [
      [`${ROOT}/docs/patterns/gossip.md`, 'title: "Gossip Protocol Pattern"'],
    ]);
    assert.deepEqual(createdBy('broken-link', 'docs/patterns/a.md', '/patterns/fencing/')!.creates!.map((c) => [c.path, c.text.split('\n')[1]]), [
      [`${ROOT}/docs/patterns/fencing.md`, 'title: "Fencing Token Pattern"'],
    ]);
    // `guides/streams/` is a folder of pages: its index page, which is not a pattern location.
    assert.deepEqual(createdBy('broken-link', 'docs/patterns/a.md', '../../guides/streams/')!.creates, [{ path: `${ROOT}/docs/guides/streams/index.md`, text: '# Streams\n\nTODO: write this page.\n' }]);

    // After creating each, its link resolves.
    let files = FILES;
    const targets = ['../gossip/', '/patterns/fencing/', '../../guides/streams/'];
    for (const t of targets) files = applyFix(files, createdBy('broken-link', 'docs/patterns/a.md', t)!);
    const broken = rawFindings(makeSite(files), 'broken-link').map((f) => f.data?.target);
    for (const t of targets) assert.ok(!broken.includes(t), `${t} still broken: ${broken.join(', ')}`);
  });

  test('without use_directory_urls, `x.html` is served from x.md', () => {
    const files = { ...FILES, 'mkdocs.yml': 'site_name: T\nuse_directory_urls: false\n', 'docs/patterns/a.md': '# A\n\n[Saga](/patterns/saga.html)\n' };
    const [{ fixes }] = fixesFor(makeSite(files), files, 'broken-link', 'docs/patterns/a.md');
    assert.deepEqual(
      creation(fixes)!.creates!.map((c) => c.path),
      [`${ROOT}/docs/patterns/saga.md`],
    );
  });

  test('never offered for images, assets, raw-HTML .md links, links outside docs_dir, links to existing pages written as URLs from the wrong folder, or mangled URLs; external links are not findings', () => {
    const found = fixesFor(site, FILES, 'broken-link', 'docs/patterns/a.md');
    const none = ['img/missing.png', 'data/sample.csv', '/files/data.csv', 'saga.md', '../../outside.md', 'retry/', '/refs/https://example.org/p/'];
    for (const t of none) {
      const f = found.find((x) => x.finding.data?.target === t);
      assert.ok(f, `${t} is a broken-link finding`);
      assert.equal(creation(f.fixes), undefined, t);
    }
    assert.ok(!rawFindings(site, 'broken-link').some((f) => String(f.data?.target).startsWith('https:')));
  });

  test('a file that exists but is not a page of the site (README.md beside index.md) is never overwritten', () => {
    const files = { ...FILES, 'docs/reference/index.md': '# Reference\n', 'docs/reference/README.md': '# Old readme\n', 'docs/index.md': '# Home\n\n[Readme](reference/README.md)\n' };
    const s = makeSite(files);
    const [{ fixes }] = fixesFor(s, files, 'broken-link', 'docs/index.md');
    assert.equal(creation(fixes), undefined);
  });

  test('a template without frontmatter or placeholders: its H1 becomes the title, type and status are added', () => {
    const files = { ...FILES, 'templates/pattern-template.md': '# Pattern Name\r\n\r\n## Problem\r\n\r\nDescribe it.\r\n' };
    const [{ fixes }] = fixesFor(makeSite(files), files, 'nav-missing-file').filter((f) => f.finding.data?.target === 'patterns/quorum.md');
    assert.equal(creation(fixes)!.creates![0].text, '---\r\ntype: pattern\r\nstatus: stub\r\n---\r\n# Quorum\r\n\r\n## Problem\r\n\r\nDescribe it.\r\n');
  });

  test('without a template, a pattern stub with the required sections', () => {
    const files = { ...FILES };
    delete files['templates/pattern-template.md'];
    const [{ fixes }] = fixesFor(makeSite(files), files, 'nav-missing-file').filter((f) => f.finding.data?.target === 'patterns/quorum.md');
    const c = creation(fixes)!;
    assert.equal(c.title, 'Create docs/patterns/quorum.md as a pattern stub');
    const sections = ['Level 1', 'Level 2', 'Level 3', 'Level 4', 'Level 5', 'Related Patterns'].map((s) => `## ${s}\n\nTODO: write the ${s} section.\n`).join('\n');
    assert.equal(c.creates![0].text, `---\ntitle: Quorum\ntype: pattern\ncategory: resilience\nstatus: stub\n---\n\n# Quorum\n\n${sections}`);
    const fixed = makeSite(applyFix(files, c));
    assert.ok(fixed.pages.get('patterns/quorum.md')!.isPattern);
    assert.deepEqual(findings(fixed, 'frontmatter-yaml'), []);
    assert.deepEqual(findings(fixed, 'stub').filter((f) => f.includes('quorum')), ["docs/patterns/quorum.md:5:9 stub: 'Quorum' is a stub (status: stub)"]);
  });
});
