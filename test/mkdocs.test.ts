import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  findMkdocsConfig,
  parseMkdocsConfig,
  resolveSlugify,
  resolveEnvTag,
  isTagged,
  TaggedValue,
} from '../server/src/site/mkdocs.ts';

const CORPUS = '/work/shared/corpus/dstudio-2025-07/mkdocs.yml';

const FULL = `# A site
site_name: Fixture Atlas   # trailing comment
docs_dir: content
use_directory_urls: false

theme:
  name: material

markdown_extensions:
  - attr_list
  - toc:
      permalink: true
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds:
          case: lower
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.snippets:
      base_path: !relative $config_dir

extra:
  analytics:
    property: !ENV [GOOGLE_ANALYTICS_KEY, '']
  token: !ENV TOKEN

nav:
  - Home: index.md
  # a comment between items
  - about.md
  - Patterns:
    - Overview: patterns/index.md
    - Resilience:
      - Circuit Breaker: patterns/circuit-breaker.md
      - Retry: patterns/retry.md
    - Browse All: patterns/index.md#all
  - GitHub: https://github.com/example/repo
  - Last: last.md
`;

test('fixture: scalars, custom tags, extensions, toc', () => {
  const cfg = parseMkdocsConfig(FULL);
  assert.deepEqual(cfg.problems, []);
  assert.equal(cfg.siteName, 'Fixture Atlas');
  assert.equal(cfg.docsDir, 'content');
  assert.equal(cfg.useDirectoryUrls, false);
  assert.equal(cfg.attrList, true);

  assert.deepEqual(
    cfg.markdownExtensions.map((e) => e.name),
    ['toc', 'tables', 'fenced_code', 'attr_list', 'pymdownx.emoji', 'pymdownx.snippets'],
  );
  const toc = cfg.markdownExtensions[0];
  assert.equal((toc.options as Record<string, unknown>).permalink, true);
  assert.equal(toc.range?.start.line, 10);

  assert.equal(cfg.toc.slugify, 'pymdownx');
  assert.deepEqual(cfg.toc.slugifyOptions, { case: 'lower' });
  assert.equal(cfg.toc.permalink, true);
  assert.equal(resolveSlugify(cfg)('Café Ω & more'), 'café-ω--more');

  const emoji = cfg.markdownExtensions.find((e) => e.name === 'pymdownx.emoji')!.options as Record<string, unknown>;
  assert.ok(isTagged(emoji.emoji_index, '!!python/name:material.extensions.emoji.twemoji'));
  assert.ok(isTagged(emoji.emoji_generator, '!!python/name:material.extensions.emoji.to_svg'));

  const snippets = cfg.markdownExtensions.find((e) => e.name === 'pymdownx.snippets')!.options as Record<string, unknown>;
  assert.ok(snippets.base_path instanceof TaggedValue);
  assert.deepEqual({ ...(snippets.base_path as TaggedValue) }, { tag: '!relative', value: '$config_dir' });

  const extra = cfg.data!.extra as Record<string, Record<string, unknown>>;
  const prop = extra.analytics.property;
  assert.ok(isTagged(prop, '!ENV'));
  assert.deepEqual((prop as TaggedValue).value, ['GOOGLE_ANALYTICS_KEY', '']);
  assert.equal(resolveEnvTag(prop), '');
  assert.equal(resolveEnvTag(prop, { GOOGLE_ANALYTICS_KEY: 'G-123' }), 'G-123');
  assert.deepEqual({ ...(extra.token as unknown as TaggedValue) }, { tag: '!ENV', value: 'TOKEN' });
  assert.equal(resolveEnvTag(extra.token), null);
});

test('fixture: nav flattening, sections, ranges', () => {
  const cfg = parseMkdocsConfig(FULL);
  const nav = cfg.nav!;
  assert.deepEqual(
    nav.map((e) => [e.title, e.path, e.url, e.section]),
    [
      ['Home', 'index.md', undefined, []],
      [undefined, 'about.md', undefined, []],
      ['Overview', 'patterns/index.md', undefined, ['Patterns']],
      ['Circuit Breaker', 'patterns/circuit-breaker.md', undefined, ['Patterns', 'Resilience']],
      ['Retry', 'patterns/retry.md', undefined, ['Patterns', 'Resilience']],
      ['Browse All', 'patterns/index.md#all', undefined, ['Patterns']],
      ['GitHub', undefined, 'https://github.com/example/repo', []],
      ['Last', 'last.md', undefined, []],
    ],
  );
  assert.deepEqual(
    cfg.navSections!.map((s) => [s.title, s.section, s.range.start.line]),
    [
      ['Patterns', [], 30],
      ['Resilience', ['Patterns'], 32],
    ],
  );
  const lines = FULL.split('\n');
  // "      - Circuit Breaker: patterns/circuit-breaker.md" is line 33 (0-based).
  const cb = nav[3];
  assert.equal(lines[33], '      - Circuit Breaker: patterns/circuit-breaker.md');
  assert.deepEqual(cb.range, { start: { line: 33, character: 25 }, end: { line: 33, character: 52 } });
  assert.deepEqual(cb.titleRange, { start: { line: 33, character: 8 }, end: { line: 33, character: 23 } });
  assert.deepEqual(cb.lineRange, { start: { line: 33, character: 0 }, end: { line: 33, character: lines[33].length } });
  // A bare string item: the scalar itself.
  assert.equal(lines[29], "  - about.md");
  assert.deepEqual(nav[1].range, { start: { line: 29, character: 4 }, end: { line: 29, character: 12 } });
  assert.equal(cfg.navRange!.start.line, 26);
  assert.deepEqual(cfg.navRange!.end, { line: 37, character: lines[37].length });
});

test('defaults: validation and absent keys', () => {
  const cfg = parseMkdocsConfig('site_name: x\n');
  assert.deepEqual(cfg.problems, []);
  assert.equal(cfg.docsDir, 'docs');
  assert.equal(cfg.useDirectoryUrls, true);
  assert.equal(cfg.nav, undefined);
  assert.equal(cfg.navRange, undefined);
  assert.deepEqual(cfg.validation, {
    omittedFiles: 'info',
    notFound: 'warn',
    absoluteLinks: 'info',
    unrecognizedLinks: 'info',
    anchors: 'info',
    navNotFound: 'warn',
    navAbsoluteLinks: 'info',
  });
  assert.equal(cfg.toc.slugify, 'default');
  assert.equal(cfg.attrList, false);
  assert.deepEqual(cfg.markdownExtensions.map((e) => e.name), ['toc', 'tables', 'fenced_code']);
  assert.equal(resolveSlugify(cfg)('🎯 Level 1: Intuition'), 'level-1-intuition');
});

test('validation: nested keys, shorthand propagation, bad levels', () => {
  const text = [
    'site_name: x',
    'validation:',
    '  omitted_files: warn',
    '  absolute_links: relative_to_docs',
    '  nav:',
    '    not_found: ignore',
    '  links:',
    '    anchors: loud',
    '    unrecognized_links: warn',
    '',
  ].join('\n');
  const cfg = parseMkdocsConfig(text);
  assert.equal(cfg.validation.omittedFiles, 'warn');
  assert.equal(cfg.validation.navNotFound, 'ignore');
  assert.equal(cfg.validation.absoluteLinks, 'relative_to_docs');
  assert.equal(cfg.validation.navAbsoluteLinks, 'relative_to_docs');
  assert.equal(cfg.validation.unrecognizedLinks, 'warn');
  assert.equal(cfg.validation.anchors, 'info'); // invalid -> default kept
  assert.equal(cfg.problems.length, 1);
  assert.equal(cfg.problems[0].severity, 'error');
  assert.match(cfg.problems[0].message, /anchors.*loud/);
  assert.deepEqual(cfg.problems[0].range, { start: { line: 7, character: 13 }, end: { line: 7, character: 17 } });
});

test('YAML 1.1 like PyYAML: yes/no are booleans, y/n are strings', () => {
  assert.equal(parseMkdocsConfig('site_name: x\nuse_directory_urls: no\n').useDirectoryUrls, false);
  const cfg = parseMkdocsConfig('site_name: y\nuse_directory_urls: n\n');
  assert.equal(cfg.siteName, 'y');
  assert.equal(cfg.useDirectoryUrls, true);
  assert.equal(cfg.problems.length, 1);
  assert.match(cfg.problems[0].message, /use_directory_urls/);
  assert.equal(cfg.problems[0].range.start.line, 1);
});

test('malformed YAML: a problem on the right line, defaults returned', () => {
  const text = ['site_name: x', 'docs_dir: elsewhere', 'nav:', '  - Home: index.md', '  - Bad: a: b', '  - Last: last.md', ''].join('\n');
  const cfg = parseMkdocsConfig(text);
  assert.ok(cfg.problems.length >= 1);
  assert.equal(cfg.problems[0].severity, 'error');
  assert.equal(cfg.problems[0].range.start.line, 4);
  assert.equal(cfg.docsDir, 'docs');
  assert.equal(cfg.nav, undefined);
  assert.equal(cfg.validation.omittedFiles, 'info');

  const tabs = parseMkdocsConfig('site_name: x\nnav:\n\t- a.md\n');
  assert.equal(tabs.problems[0].range.start.line, 2);

  const quote = parseMkdocsConfig('site_name: "x\nnav: []\n');
  assert.ok(quote.problems.some((p) => p.severity === 'error'));
});

test('bad shapes become problems, never exceptions', () => {
  const nav = parseMkdocsConfig(
    ['site_name: x', 'nav:', '  - 12', '  - Two: a.md', '    Keys: b.md', '  - - nested', '  - Fine: ok.md', ''].join('\n'),
  );
  const lines = nav.problems.map((p) => p.range.start.line);
  assert.deepEqual(lines, [2, 3, 5]);
  assert.ok(nav.nav!.some((e) => e.path === 'ok.md'));

  assert.equal(parseMkdocsConfig('- a\n- b\n').problems[0].severity, 'error');
  assert.equal(parseMkdocsConfig('').problems.length, 1);
  assert.equal(parseMkdocsConfig('nav:\n  - a.md\n').problems[0].message, "Required configuration 'site_name' not provided.");
  assert.equal(parseMkdocsConfig('site_name: x\nnav: index.md\n').problems[0].range.start.line, 1);
  assert.equal(parseMkdocsConfig('site_name: x\nnav:\n').nav, undefined);
  const unknown = parseMkdocsConfig('site_name: x\nsite_nmae: y\n');
  assert.deepEqual(
    unknown.problems.map((p) => [p.severity, p.range.start.line]),
    [['warning', 1]],
  );
  for (const junk of [undefined, null, 42, '\u0000\u0001', ':\n:\n- [', '&a [*a]', 'a: *nope\n']) {
    const cfg = parseMkdocsConfig(junk as unknown as string);
    assert.equal(cfg.docsDir.length > 0, true);
  }
});

test('toc slugify variants', () => {
  const base = (s: string) => `site_name: x\nmarkdown_extensions:\n  - toc:\n      slugify: ${s}\n`;
  const uslug = parseMkdocsConfig(base('!!python/name:pymdownx.slugs.uslugify'));
  assert.equal(uslug.toc.slugify, 'pymdownx');
  assert.equal(resolveSlugify(uslug)('Ωmega Point'), 'ωmega-point');

  const uni = parseMkdocsConfig(base('!!python/name:markdown.extensions.toc.slugify_unicode'));
  assert.equal(uni.toc.slugify, 'unicode');
  assert.equal(resolveSlugify(uni)('Café Ω'), 'café-ω');

  const custom = parseMkdocsConfig(base('!!python/name:my.module.slug'));
  assert.equal(custom.toc.slugify, 'custom');
  assert.equal(custom.toc.slugifyRef, 'my.module.slug');
  assert.equal(custom.problems.length, 1);
  assert.equal(custom.problems[0].severity, 'warning');

  const sep = parseMkdocsConfig('site_name: x\nmarkdown_extensions:\n  - markdown.extensions.toc:\n      separator: "_"\n  - extra\n');
  assert.equal(sep.toc.separator, '_');
  assert.equal(sep.attrList, true);
  assert.equal(resolveSlugify(sep)('Hello World'), 'hello_world');

  const dictForm = parseMkdocsConfig('site_name: x\nmarkdown_extensions:\n  attr_list: {}\n  toc:\n    permalink: "#"\n');
  assert.equal(dictForm.attrList, true);
  assert.equal(dictForm.toc.permalink, '#');
});

test('findMkdocsConfig walks up, prefers mkdocs.yml', () => {
  const root = path.resolve('/repo');
  const files = new Set([path.join(root, 'mkdocs.yml'), path.join(root, 'sub', 'mkdocs.yaml')]);
  const fs = { exists: (p: string) => files.has(p) };
  assert.equal(findMkdocsConfig(path.join(root, 'docs', 'patterns'), fs), path.join(root, 'mkdocs.yml'));
  assert.equal(findMkdocsConfig(path.join(root, 'sub', 'deep'), fs), path.join(root, 'sub', 'mkdocs.yaml'));
  assert.equal(findMkdocsConfig('/elsewhere/x', fs), undefined);
  assert.equal(
    findMkdocsConfig('/repo', {
      exists: () => {
        throw new Error('io');
      },
    }),
    undefined,
  );
});

test('corpus mkdocs.yml', { skip: !existsSync(CORPUS) }, () => {
  const text = readFileSync(CORPUS, 'utf8');
  const cfg = parseMkdocsConfig(text);
  assert.deepEqual(cfg.problems, []);
  assert.equal(cfg.docsDir, 'docs');
  assert.equal(cfg.useDirectoryUrls, true);
  assert.equal(cfg.validation.omittedFiles, 'info');
  assert.equal(cfg.validation.notFound, 'ignore');
  assert.equal(cfg.toc.slugify, 'default');
  assert.equal(cfg.attrList, true);

  const cb = cfg.nav!.find((e) => e.path === 'patterns/circuit-breaker.md');
  assert.ok(cb);
  assert.deepEqual(cb.section, ['Patterns', 'Resilience Patterns']);
  assert.equal(cb.title, 'Circuit Breaker');
  // `grep -n circuit-breaker.md mkdocs.yml` -> 396 (1-based)
  const line = text.split('\n').findIndex((l) => l.includes('patterns/circuit-breaker.md'));
  assert.equal(line, 395);
  assert.equal(cb.range.start.line, 395);
  assert.equal(cb.range.start.character, text.split('\n')[395].indexOf('patterns/'));

  // Custom tags elsewhere in the file stay tagged values.
  const extra = cfg.data!.extra as Record<string, Record<string, unknown>>;
  assert.ok(isTagged(extra.analytics.property, '!ENV'));
  const tabbed = cfg.markdownExtensions.find((e) => e.name === 'pymdownx.tabbed')!.options as Record<string, unknown>;
  assert.ok(isTagged(tabbed.slugify, '!!python/object/apply:pymdownx.slugs.slugify'));
});
