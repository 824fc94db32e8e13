// The MkDocs oracle itself must be right before anything is compared with it:
// build a tiny site with known problems and check the oracle reports exactly those.
import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  buildOracleConfig,
  distinctLinks,
  extractNavBlock,
  mkdocsVersion,
  parseMkdocsLog,
  runMkdocsOracle,
} from './oracle/mkdocs-oracle.ts';

const MKDOCS_YML = `site_name: Tiny oracle site
theme:
  name: material
  palette: !!python/name:does.not.exist
extra:
  key: !ENV [NOT_SET_ANYWHERE, '']
nav:
  - Home: index.md
  # a comment inside the nav block
  - Guide:
    - guide/a.md
    - Ghost: ghost.md

plugins:
  - search
`;

const FILES: Record<string, string> = {
  'index.md': '# Home\n\nSee [A](guide/a.md) and [missing](missing.md).\n\n```\n[in code](nowhere.md)\n```\n',
  'guide/a.md': '# A\n\nBack [home](../index.md#top), [up and out](../../outside.md), [dir link](../guide/).\n',
  'orphan.md': '# Orphan\n\nNot in nav, links [A](guide/a.md).\n',
};

describe('extractNavBlock / buildOracleConfig', () => {
  test('takes the top-level nav verbatim, stops at the next key', () => {
    const nav = extractNavBlock(MKDOCS_YML);
    assert.equal(
      nav,
      'nav:\n  - Home: index.md\n  # a comment inside the nav block\n  - Guide:\n    - guide/a.md\n    - Ghost: ghost.md\n',
    );
  });

  test('a sequence at column 0 belongs to nav; no nav gives undefined', () => {
    assert.equal(extractNavBlock('site_name: x\nnav:\n- a.md\n- B: b.md\nstrict: true\n'), 'nav:\n- a.md\n- B: b.md\n');
    assert.equal(extractNavBlock('site_name: x\nnavigation_depth: 2\n'), undefined);
  });

  test('trimmed config: no custom tags, fixed extensions, validation only for mkdocs >= 1.5', () => {
    const c14 = buildOracleConfig(MKDOCS_YML, '1.4.2');
    assert.match(c14, /^site_name: Tiny oracle site\ndocs_dir: docs\nuse_directory_urls: true\ntheme:\n  name: mkdocs\n/);
    assert.match(c14, /  - pymdownx\.tabbed\n/);
    assert.doesNotMatch(c14, /!!python|!ENV|material|plugins|validation/);
    assert.ok(c14.endsWith(extractNavBlock(MKDOCS_YML)!));
    const c16 = buildOracleConfig(MKDOCS_YML, '1.6.1');
    assert.match(c16, /validation:\n  nav:\n    omitted_files: info\n/);
    assert.match(c16, /    unrecognized_links: info\n    anchors: info\n/);
    assert.doesNotMatch(buildOracleConfig(MKDOCS_YML, '1.5.3'), /anchors/);
  });
});

describe('parseMkdocsLog (no mkdocs needed)', () => {
  test('1.4 formats, multi-line INFO record, ANSI codes', () => {
    const log = [
      'INFO     -  Cleaning site directory',
      'INFO     -  The following pages exist in the docs directory, but are not included in the "nav" configuration:',
      '  - orphan.md',
      '  - sub/other.md',
      '\x1b[33mWARNING  - \x1b[0m A relative path to \'ghost.md\' is included in the \'nav\' configuration, which is not found in the documentation files',
      "WARNING  -  Documentation file 'index.md' contains a link to 'missing.md' which is not found in the documentation files.",
      "WARNING  -  Documentation file 'index.md' contains a link to 'missing.md' which is not found in the documentation files.",
      'WARNING  -  Something else',
      'INFO     -  Documentation built in 0.05 seconds',
    ].join('\n');
    const r = parseMkdocsLog(log);
    assert.deepEqual(r.notInNav, ['orphan.md', 'sub/other.md']);
    assert.deepEqual(r.navMissing, ['ghost.md']);
    assert.deepEqual(r.brokenLinks, [
      { file: 'index.md', target: 'missing.md' },
      { file: 'index.md', target: 'missing.md' },
    ]);
    assert.deepEqual(distinctLinks(r.brokenLinks), [{ file: 'index.md', target: 'missing.md' }]);
    assert.deepEqual(r.otherWarnings, ['WARNING: Something else']);
  });

  test('1.5/1.6 formats', () => {
    const log = [
      "WARNING  -  Doc file 'index.md' contains a link 'missing.md', but the target is not found among documentation files.",
      "WARNING  -  Doc file 'a/b.md' contains a link '../x.md', but the target 'x.md' is not found among documentation files.",
      "INFO     -  Doc file 'index.md' contains an unrecognized relative link 'guide/', it was left as is. Did you mean 'guide/index.md'?",
      "INFO     -  Doc file 'index.md' contains a link 'a.md#nope', but the doc 'a.md' does not contain an anchor '#nope'.",
      "WARNING  -  A reference to 'ghost.md' is included in the 'nav' configuration, which is not found in the documentation files.",
    ].join('\n');
    const r = parseMkdocsLog(log);
    assert.deepEqual(r.brokenLinks, [
      { file: 'index.md', target: 'missing.md' },
      { file: 'a/b.md', target: 'x.md' },
    ]);
    assert.deepEqual(r.unrecognized, [{ file: 'index.md', target: 'guide/' }]);
    assert.deepEqual(r.brokenAnchors, [{ file: 'index.md', target: 'a.md#nope' }]);
    assert.deepEqual(r.navMissing, ['ghost.md']);
  });
});

describe('runMkdocsOracle on a tiny site', async () => {
  const version = await mkdocsVersion();
  const skip = typeof version === 'string' ? false : `mkdocs unavailable: ${version.skipped}`;
  let site = '';

  before(async () => {
    site = await mkdtemp(join(tmpdir(), 'pa-oracle-test-'));
    await writeFile(join(site, 'mkdocs.yml'), MKDOCS_YML);
    for (const [rel, text] of Object.entries(FILES)) {
      const p = join(site, 'docs', rel);
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, text);
    }
  });
  after(async () => {
    if (site) await rm(site, { recursive: true, force: true });
  });

  test('reports exactly the planted problems', { skip, timeout: 120_000 }, async (t) => {
    const r = await runMkdocsOracle(site);
    if ('skipped' in r) {
      // e.g. mkdocs present but pymdownx missing
      t.skip(r.skipped);
      return;
    }
    assert.equal(r.mkdocsVersion, version);
    assert.ok(r.seconds > 0);
    assert.deepEqual(
      distinctLinks(r.brokenLinks).sort((a, b) => a.target.localeCompare(b.target)),
      [
        { file: 'index.md', target: 'missing.md' },
        // MkDocs reports the normalised docs-relative path (posixpath.normpath):
        // 'guide/../../outside.md' keeps its leading '../'
        { file: 'guide/a.md', target: '../outside.md' },
      ].sort((a, b) => a.target.localeCompare(b.target)),
      r.raw,
    );
    assert.deepEqual(r.notInNav, ['orphan.md'], r.raw);
    assert.deepEqual(r.navMissing, ['ghost.md'], r.raw);
    assert.deepEqual(r.otherWarnings, [], r.raw);
    if (/^1\.4\./.test(r.mkdocsVersion)) {
      // 1.4 silently ignores directory links and anchors
      assert.deepEqual(r.unrecognized, []);
      assert.deepEqual(r.brokenAnchors, []);
    } else {
      assert.deepEqual(r.unrecognized, [{ file: 'guide/a.md', target: '../guide/' }], r.raw);
    }
  });
});
