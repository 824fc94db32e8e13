import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { makeSite } from '../helpers/site.ts';
import { applyFix, fixesFor } from './helpers.ts';

const FILES: Record<string, string> = {
  'mkdocs.yml': 'site_name: T\n',
  'docs/index.md': '# Home\n',
  'docs/part1-axioms/law2-asynchrony/index.md': '# Law 2: Asynchronous Reality\n\n## Why it matters\n\nText.\n',
  'docs/patterns/retry.md': '# Retry\n\n## Backoff Strategies\n\nText.\n',
  'docs/patterns/cdc.md': '# CDC\n',
  'docs/patterns/a.md': [
    '# A',
    '',
    'See [law 2](../part1-axioms/law2-asynchrony.md#why-it-matters) and [retry](../patterns/retri/).',
    'Also [backoff](retry.md#backof-strategies) and [self](#intro).',
    'And [cdn](cdn.md) and <a href="retyr.md#backoff-strategies">raw</a>.',
    '',
    '## Intro',
    '',
  ].join('\n'),
};

describe('broken-link and broken-anchor fixes', () => {
  test('a source-style link is changed to the suggested page, relative, keeping #anchor', () => {
    const site = makeSite(FILES);
    const found = fixesFor(site, FILES, 'broken-link', 'docs/patterns/a.md');
    const law = found.find((f) => f.finding.data?.target === '../part1-axioms/law2-asynchrony.md#why-it-matters')!;
    assert.equal(law.fixes[0].title, 'Change to ../part1-axioms/law2-asynchrony/index.md#why-it-matters');
    const after = applyFix(FILES, law.fixes[0])['docs/patterns/a.md'];
    assert.equal(after, FILES['docs/patterns/a.md'].replace('law2-asynchrony.md#', 'law2-asynchrony/index.md#'));
  });

  test('a URL-style link stays URL-style', () => {
    const site = makeSite(FILES);
    const found = fixesFor(site, FILES, 'broken-link', 'docs/patterns/a.md');
    const r = found.find((f) => f.finding.data?.target === '../patterns/retri/')!;
    assert.equal(r.fixes[0].title, 'Change to ../retry/');
    assert.equal(applyFix(FILES, r.fixes[0])['docs/patterns/a.md'], FILES['docs/patterns/a.md'].replace('(../patterns/retri/)', '(../retry/)'));
  });

  test('a broken anchor is changed to the nearest heading id, only the anchor is edited', () => {
    const site = makeSite(FILES);
    const found = fixesFor(site, FILES, 'broken-anchor', 'docs/patterns/a.md');
    const b = found.find((f) => f.finding.data?.anchor === 'backof-strategies')!;
    assert.equal(b.fixes[0].title, 'Change to #backoff-strategies');
    assert.equal(applyFix(FILES, b.fixes[0])['docs/patterns/a.md'], FILES['docs/patterns/a.md'].replace('#backof-strategies', '#backoff-strategies'));
    const self = found.find((f) => f.finding.data?.anchor === 'intro');
    assert.equal(self, undefined); // '#intro' exists
  });

  test('only a close, single suggestion is preferred (applied by fix-all); raw HTML gets a URL', () => {
    const site = makeSite(FILES);
    const found = fixesFor(site, FILES, 'broken-link', 'docs/patterns/a.md');
    const cdn = found.find((f) => f.finding.data?.target === 'cdn.md')!;
    assert.equal(cdn.fixes[0].title, 'Change to cdc.md');
    assert.equal(cdn.fixes[0].isPreferred, undefined);
    const raw = found.find((f) => f.finding.data?.target === 'retyr.md#backoff-strategies')!;
    assert.equal(raw.fixes[0].title, 'Change to ../retry/#backoff-strategies');
    assert.equal(raw.fixes[0].isPreferred, true);
    assert.equal(applyFix(FILES, raw.fixes[0])['docs/patterns/a.md'], FILES['docs/patterns/a.md'].replace('href="retyr.md#', 'href="../retry/#'));
  });
});
