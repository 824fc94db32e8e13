// The `missing-concept-links` fix across edits: the catalog's learned link
// style survives an edit that cannot change it (the same object), follows an
// edit that does, and always equals the style learned from scratch on a site
// built from the edited files.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { conceptStyle } from '../../server/src/fixes/concept-links.ts';
import { parseMarkdown } from '../../server/src/parse/remark.ts';
import type { Site } from '../../server/src/site/site.ts';
import { makeSite } from '../helpers/site.ts';
import { applyFix, fixesFor } from './helpers.ts';

const LEASE = 'docs/patterns/lease.md';
const FM = '---\ntitle: Lease\ntype: pattern\nstatus: complete\n---\n\n# Lease\n\n';
const LEASE_BODY = 'A lease bounds the damage of Law 1; who holds it is a question of Pillar 3.\n';

const page = (title: string, body: string) => `---\ntitle: ${title}\ntype: pattern\nstatus: complete\n---\n\n# ${title}\n\n${body}`;

const FILES: Record<string, string> = {
  'mkdocs.yml': 'site_name: T\n',
  'docs/laws/law1-failure.md': '# Law 1: Correlated Failure\n\nOne fault, many victims.\n',
  'docs/laws/law2-async.md': '# Law 2: Asynchronous Reality\n\nNo global clock.\n',
  'docs/pillars/pillar3-truth.md': '# Pillar 3: Distribution of Truth\n\nWho decides what is true.\n',
  // Two relative `.md` links: the majority style, until retry.md outvotes them.
  'docs/patterns/heartbeat.md': page(
    'Heartbeat',
    'Silence is the signal.\n\n## Related Laws & Pillars\n\n- [Law 1: Correlated Failure](../laws/law1-failure.md)\n- [Pillar 3: Distribution of Truth](../pillars/pillar3-truth.md)\n',
  ),
  'docs/patterns/retry.md': page('Retry', 'Try again, later.\n\n## Related Laws & Pillars\n\n- [Law 2: Asynchronous Reality](/laws/law2-async/)\n'),
  [LEASE]: FM + LEASE_BODY,
};

/** The snapshot after `site` had `rel` (site-root relative) replaced by `text`, as the editor makes it. */
function edit(state: { site: Site; files: Record<string, string> }, rel: string, text: string) {
  return { site: state.site.withPage(rel.slice('docs/'.length), text, parseMarkdown), files: { ...state.files, [rel]: text } };
}

/** lease.md after the preferred fix of its Law finding. */
function fixedLease(site: Site, files: Record<string, string>): string {
  const found = fixesFor(site, files, 'missing-concept-links', LEASE).find((f) => f.finding.data?.kind === 'law');
  const fix = found?.fixes.find((f) => f.isPreferred);
  assert.ok(fix, 'no preferred fix for the Law finding of lease.md');
  return applyFix(files, fix)[LEASE];
}

/** A site's learned style as comparable data, its concepts by kind, number and name. */
function plain(site: Site) {
  const st = conceptStyle(site);
  const c = (i: number) => `${site.concepts[i].title} (${site.concepts[i].kind})`;
  return {
    style: st.style,
    text: st.text.map((t, i) => [c(i), t]),
    names: st.names.map((n) => [n.re.source, n.re.flags, c(n.concept)]),
  };
}

const related = (...links: string[]) => '\n## Related Laws & Pillars\n\n' + links.map((l) => `- ${l}\n`).join('');

describe('missing-concept-links fix after edits', () => {
  test("editing prose, or links that are not to concepts, keeps the learned style object and the fix's output", () => {
    const start = { site: makeSite(FILES), files: FILES };
    const learned = conceptStyle(start.site);
    const expected =
      FM + LEASE_BODY + related('[Law 1: Correlated Failure](../laws/law1-failure.md)', '[Pillar 3: Distribution of Truth](../pillars/pillar3-truth.md)');
    assert.equal(fixedLease(start.site, start.files), expected);

    // Prose on a page with concept links, prose on the page being fixed, and a link to a pattern.
    let s = edit(start, 'docs/patterns/heartbeat.md', FILES['docs/patterns/heartbeat.md'].replace('Silence is the signal.', 'Silence, for long enough, is the signal.'));
    s = edit(s, LEASE, FM + 'Leases expire.\n\n' + LEASE_BODY);
    s = edit(s, 'docs/patterns/retry.md', FILES['docs/patterns/retry.md'] + '- [Heartbeat](heartbeat.md)\n');
    assert.notEqual(s.site, start.site);
    assert.equal(conceptStyle(s.site), learned, 'the style was learned again');
    const after = fixedLease(s.site, s.files);
    assert.equal(after, FM + 'Leases expire.\n\n' + LEASE_BODY + related('[Law 1: Correlated Failure](../laws/law1-failure.md)', '[Pillar 3: Distribution of Truth](../pillars/pillar3-truth.md)'));
    assert.equal(after, fixedLease(makeSite(s.files), s.files));
  });

  test('an edit that flips the majority gives the fix the new style and link text, as a site built from scratch has them', () => {
    const start = { site: makeSite(FILES), files: FILES };
    const learned = conceptStyle(start.site);
    // retry.md now writes three site-absolute URLs against heartbeat's two relative paths, and
    // spells Law 1 with its emoji twice against heartbeat's once.
    const flipped = edit(
      start,
      'docs/patterns/retry.md',
      FILES['docs/patterns/retry.md'] + '- [Law 1: Correlated Failure ⚡](/laws/law1-failure/)\n\nAgain: [Law 1: Correlated Failure ⚡](/laws/law1-failure/).\n',
    );
    const now = conceptStyle(flipped.site);
    assert.notEqual(now, learned);
    const fresh = makeSite(flipped.files);
    assert.deepEqual(plain(flipped.site), plain(fresh));
    const expected = FM + LEASE_BODY + related('[Law 1: Correlated Failure ⚡](/laws/law1-failure/)', '[Pillar 3: Distribution of Truth](/pillars/pillar3-truth/)');
    assert.equal(fixedLease(flipped.site, flipped.files), expected);
    assert.equal(fixedLease(fresh, flipped.files), expected);

    // The edited page flips it back: two relative links each way, and ties go to relative paths.
    const back = edit(flipped, 'docs/patterns/retry.md', FILES['docs/patterns/retry.md'] + '- [Law 1: Correlated Failure](../laws/law1-failure.md)\n');
    assert.deepEqual(plain(back.site), plain(makeSite(back.files)));
    assert.equal(
      fixedLease(back.site, back.files),
      FM + LEASE_BODY + related('[Law 1: Correlated Failure](../laws/law1-failure.md)', '[Pillar 3: Distribution of Truth](../pillars/pillar3-truth.md)'),
    );
  });

  test('after every edit of a sequence (and on a snapshot branched from an older one) the style equals the one learned from scratch', () => {
    const start = { site: makeSite(FILES), files: FILES };
    const retry = FILES['docs/patterns/retry.md'];
    const law1 = '[Law 1: Correlated Failure](../laws/law1-failure.md)';
    const law1Emoji = '[Law 1: Correlated Failure ⚡](../laws/law1-failure.md)';
    const html = '<a href="/laws/law1-failure/">Law 1: Correlated Failure ⚡</a>\n';
    const steps: Array<[string, string, string, boolean, string]> = [
      // [what, file, new text, whether the style can stay the same object, the Law 1 link the fix then writes]
      ['prose', 'docs/patterns/retry.md', retry.replace('Try again, later.', 'Try again, a little later.'), true, law1],
      ['a name only links spell (a tie of styles)', 'docs/patterns/retry.md', retry + '- [Law 1: Fault Lines](/laws/law1-failure/)\n', false, law1],
      ['raw-HTML links (texts, no votes)', 'docs/patterns/retry.md', retry + html + html, false, law1Emoji],
      ['a link to a page under no concept', LEASE, FM + LEASE_BODY + '\nSee [retry](retry.md).\n', true, law1Emoji],
      ['concept links reordered', 'docs/patterns/heartbeat.md', FILES['docs/patterns/heartbeat.md'].replace(/(- \[Law 1.*\n)(- \[Pillar 3.*\n)/, '$2$1'), false, law1Emoji],
      ['a Law renamed', 'docs/laws/law2-async.md', '# Law 2: Asynchronous Truth\n\nNo global clock.\n', false, law1Emoji],
      ['a link elsewhere on the renamed site', 'docs/patterns/retry.md', retry + '\nAlso [Asynchronous Truth](/laws/law2-async/).\n', false, law1],
    ];
    let s = start;
    for (const [what, file, text, same, link] of steps) {
      const before = conceptStyle(s.site);
      s = edit(s, file, text);
      const now = conceptStyle(s.site);
      assert.deepEqual(plain(s.site), plain(makeSite(s.files)), what);
      if (same) assert.equal(now, before, `${what}: the style was learned again`);
      const fixed = fixedLease(s.site, s.files);
      assert.equal(fixed, s.files[LEASE] + related(link, '[Pillar 3: Distribution of Truth](../pillars/pillar3-truth.md)'), what);
    }
    // An edit of the first snapshot, asked after the last: its own pages, not the last ones learned.
    const branch = edit(start, LEASE, FM + 'Leases expire.\n\n' + LEASE_BODY);
    assert.deepEqual(plain(branch.site), plain(makeSite(branch.files)));
    assert.deepEqual(plain(branch.site), plain(start.site));
  });
});
