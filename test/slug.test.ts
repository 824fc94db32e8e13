import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  slugifyToc,
  slugifyTocUnicode,
  slugifyPymdown,
  pymdownLegacySlugify,
  uniqueSlugger,
  stripInlineHtml,
  uslugify,
  uslugifyEncoded,
} from '../server/src/site/slug.ts';

test('toc default: the examples', () => {
  assert.equal(slugifyToc('Blast radius — containment'), 'blast-radius-containment');
  assert.equal(slugifyToc('🎯 Level 1: Intuition'), 'level-1-intuition');
});

test('toc default: punctuation, whitespace, underscores, hyphen runs', () => {
  assert.equal(slugifyToc('Hello, World!'), 'hello-world');
  assert.equal(slugifyToc('C++ vs. C#'), 'c-vs-c');
  assert.equal(slugifyToc("What's the CAP theorem?"), 'whats-the-cap-theorem');
  assert.equal(slugifyToc('snake_case_name'), 'snake_case_name');
  assert.equal(slugifyToc('  Foo  --  Bar '), 'foo-bar');
  assert.equal(slugifyToc('Tab\there'), 'tab-here');
  assert.equal(slugifyToc('(Optional) Step 2/3'), 'optional-step-23');
  // Leading hyphen survives: strip() only removes whitespace.
  assert.equal(slugifyToc('- dash first'), '-dash-first');
});

test('toc default: NFKD then ASCII only', () => {
  assert.equal(slugifyToc('Café & Crème'), 'cafe-creme');
  assert.equal(slugifyToc('Straße'), 'strae');
  assert.equal(slugifyToc('½ cup'), '12-cup');
  assert.equal(slugifyToc('ﬁle'), 'file');
  assert.equal(slugifyToc('日本語'), '');
  assert.equal(slugifyToc('Testing unicode-slugs_headers ±♠Ωℑ'), 'testing-unicode-slugs_headers-i');
});

test('toc default: separator option', () => {
  assert.equal(slugifyToc('Hello big - World', '_'), 'hello_big_-_world');
  assert.equal(slugifyToc('a__b c', '_'), 'a_b_c');
});

test('toc: inline HTML tags are removed before slugifying', () => {
  assert.equal(slugifyToc('Use <code>retry()</code> wisely'), 'use-retry-wisely');
  assert.equal(slugifyToc('Title <span class="badge">New</span>'), 'title-new');
  assert.equal(slugifyToc('A <!-- note --> B'), 'a-b');
  // Not a tag for Python-Markdown: `<` not followed by a letter.
  assert.equal(slugifyToc('a < b > c'), 'a-b-c');
  assert.equal(stripInlineHtml('x <br/> y'), 'x  y');
});

test('toc slugify_unicode keeps Unicode', () => {
  assert.equal(slugifyTocUnicode('Café & Crème'), 'café-crème');
  assert.equal(slugifyTocUnicode('日本語 見出し'), '日本語-見出し');
});

test('pymdownx slugify: case lower keeps Unicode, drops punctuation', () => {
  const s = slugifyPymdown({ case: 'lower' });
  // The pymdown-extensions test-suite expectation.
  assert.equal(s('Testing unicode-slugs_headers ±♠Ωℑ'), 'testing-unicode-slugs_headers-ωℑ');
  assert.equal(s('Café & Crème'), 'café--crème');
  assert.equal(s('Hello, World!'), 'hello-world');
  assert.equal(s('日本語 見出し'), '日本語-見出し');
  // Each space becomes one separator; no collapsing.
  assert.equal(s('Blast radius — containment'), 'blast-radius--containment');
  // Stripped before punctuation removal: an emoji prefix leaves a leading '-'.
  assert.equal(s('🎯 Level 1: Intuition'), '-level-1-intuition');
  // RE_TAGS
  assert.equal(s('Use <b>bold</b> text'), 'use-bold-text');
  assert.equal(s('Tab\there'), 'tabhere');
});

test('pymdownx slugify: other options', () => {
  assert.equal(slugifyPymdown({})('Keep Case Ω'), 'Keep-Case-Ω');
  assert.equal(slugifyPymdown({ case: 'none' })('Keep Case'), 'Keep-Case');
  assert.equal(slugifyPymdown({ case: 'lower-ascii' })('GFM Ωmega'), 'gfm-Ωmega');
  assert.equal(slugifyPymdown({ case: 'fold' })('Straße'), 'strasse');
  assert.equal(slugifyPymdown({ case: 'lower' })('Straße'), 'straße');
  assert.equal(slugifyPymdown({ case: 'lower', normalize: 'NFD' })('Café'), 'cafe');
  assert.equal(
    slugifyPymdown({ case: 'lower', percent_encode: true })('Testing unicode-slugs_headers ±♠Ωℑ with encoding'),
    'testing-unicode-slugs_headers-%CF%89%E2%84%91-with-encoding',
  );
  assert.equal(slugifyPymdown({ case: 'lower', sep: '_' })('A b'), 'a_b');
  assert.equal(slugifyPymdown({ normalize: 'bogus' })('x y'), 'x-y');
});

test('pymdownx legacy names', () => {
  assert.equal(pymdownLegacySlugify('uslugify')!('Testing unicode-slugs_headers ±♠Ωℑ'), 'testing-unicode-slugs_headers-ωℑ');
  assert.equal(pymdownLegacySlugify('uslugify_cased')!('Testing cased unicode-slugs_headers ±♠Ωℑ'), 'Testing-cased-unicode-slugs_headers-Ωℑ');
  assert.equal(
    pymdownLegacySlugify('uslugify_cased_encoded')!('Testing cased unicode-slugs_headers ±♠Ωℑ with encoding'),
    'Testing-cased-unicode-slugs_headers-%CE%A9%E2%84%91-with-encoding',
  );
  assert.equal(pymdownLegacySlugify('gfm')!('Testing GFM unicode-slugs_headers ±♠Ωℑ'), 'testing-gfm-unicode-slugs_headers-Ωℑ');
  assert.equal(pymdownLegacySlugify('nope'), undefined);
  assert.equal(uslugify('A Ω'), 'a-ω');
  assert.equal(uslugifyEncoded('A Ω'), 'a-%CF%89');
});

test('uniqueSlugger: duplicates get _1, _2 ...', () => {
  const u = uniqueSlugger(slugifyToc);
  assert.equal(u('Overview'), 'overview');
  assert.equal(u('Overview'), 'overview_1');
  assert.equal(u('Overview!'), 'overview_2');
  assert.equal(u('Other'), 'other');
  // Python-Markdown's unique(): an id ending in _<n> is incremented.
  assert.equal(u('overview_1'), 'overview_3');
  // Empty slugs are numbered too.
  assert.equal(u('🎯'), '_1');
  assert.equal(u('🎯'), '_2');
  assert.ok(u.used.has('overview_2'));
});

test('uniqueSlugger: pre-seeded and reserved ids', () => {
  const u = uniqueSlugger(slugifyToc, ['intro']);
  u.reserve('setup');
  assert.equal(u('Intro'), 'intro_1');
  assert.equal(u('Setup'), 'setup_1');
  const bad = uniqueSlugger(() => {
    throw new Error('boom');
  });
  assert.equal(bad('x'), '_1');
});

test('never throws on bad input', () => {
  assert.equal(slugifyToc(undefined as unknown as string), '');
  assert.equal(slugifyPymdown(null as unknown as {})(42 as unknown as string), '');
  assert.equal(slugifyToc(''), '');
});
