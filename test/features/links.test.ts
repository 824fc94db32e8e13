import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDocumentLinks } from '../../server/src/features/links.ts';
import { dedent } from '../helpers/site.ts';
import { fixture, fmtRange, type Fixture } from './fixture.ts';

/** The links' ranges are exactly the `^^^` marks of the page, in order; their targets read `target | tooltip`. */
function check(f: Fixture, file: string, path: string, expected: string[]): void {
  const links = getDocumentLinks(f.site, path);
  assert.deepEqual(
    links.map((l) => fmtRange(l.range)),
    f.marks.filter((m) => m.file === file).map((m) => fmtRange(m.range)),
  );
  assert.deepEqual(
    links.map((l) => `${l.target}${l.tooltip ? ' | ' + l.tooltip : ''}`),
    expected,
  );
}

const SITE = {
  'docs/part1-axioms/law2-asynchrony/index.md': dedent(`
    # Law 2: Asynchronous Reality

    ## The Law

    Text.
  `),
  'docs/img/breaker.png': 'PNG',
  'docs/patterns/retry.md': '# Retry\n',
};

test('document links: pages (with heading lines), assets, externals; broken ones omitted', () => {
  const f = fixture({
    ...SITE,
    'docs/patterns/circuit-breaker.md': dedent(`
      # Circuit Breaker

      See [Law 2](../part1-axioms/law2-asynchrony/index.md#the-law) and [retry](retry.md).
                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^              ^^^^^^^^
      URL style: [retry](../retry/) and [the law](/part1-axioms/law2-asynchrony/#the-law).
                         ^^^^^^^^^                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
      ![diagram](../img/breaker.png) [gone](nope.md) [site](https://martinfowler.com) <https://x.org>
                 ^^^^^^^^^^^^^^^^^^                         ^^^^^^^^^^^^^^^^^^^^^^^^   ^^^^^^^^^^^^^
      Here: [top](#circuit-breaker), [missing anchor](retry.md#nope), [by ref][r].
                  ^^^^^^^^^^^^^^^^                    ^^^^^^^^^^^^^            ^
      ## Notes

      [r]: ../../part1-axioms/law2-asynchrony/
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
    `),
  });
  const LAW = '/site/docs/part1-axioms/law2-asynchrony/index.md';
  check(f, 'docs/patterns/circuit-breaker.md', 'patterns/circuit-breaker.md', [
    `${LAW}#L3 | Law 2: Asynchronous Reality › The Law (part1-axioms/law2-asynchrony/index.md)`,
    `/site/docs/patterns/retry.md | Retry (patterns/retry.md)`,
    `/site/docs/patterns/retry.md | Retry (patterns/retry.md)`,
    `${LAW}#L3 | Law 2: Asynchronous Reality › The Law (part1-axioms/law2-asynchrony/index.md)`,
    `/site/docs/img/breaker.png | img/breaker.png`,
    `https://martinfowler.com`,
    `https://x.org`,
    `/site/docs/patterns/circuit-breaker.md#L1 | Circuit Breaker › Circuit Breaker (patterns/circuit-breaker.md)`,
    `/site/docs/patterns/retry.md | Retry (patterns/retry.md)`,
    `${LAW} | Law 2: Asynchronous Reality (part1-axioms/law2-asynchrony/index.md)`,
    `${LAW} | Law 2: Asynchronous Reality (part1-axioms/law2-asynchrony/index.md)`,
  ]);
});

test('document links carry the file and 0-based heading line as data', () => {
  const f = fixture({ ...SITE, 'docs/a.md': '[x](part1-axioms/law2-asynchrony/index.md#the-law) [w](www.example.com)\n' });
  const [law, www] = getDocumentLinks(f.site, 'a.md');
  assert.equal(law.file, '/site/docs/part1-axioms/law2-asynchrony/index.md');
  assert.equal(law.line, 2);
  assert.equal(law.external, undefined);
  // A bare relative "www.example.com" link is a (broken) relative URL, not an external one.
  assert.equal(www, undefined);
});

test('document links: GFM www. literals open over http', () => {
  const f = fixture({ 'docs/a.md': 'Visit www.example.com today.\n' });
  assert.deepEqual(
    getDocumentLinks(f.site, 'a.md').map((l) => [l.target, l.external]),
    [['http://www.example.com', true]],
  );
});
