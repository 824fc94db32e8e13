// `pattern-atlas fix` end to end (the built CLI when present, else the source through tsx).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

const CLI = resolve(import.meta.dirname, '../../dist/cli.cjs');
const SRC = resolve(import.meta.dirname, '../../server/src/cli/main.ts');
const run = (args: string[]) =>
  existsSync(CLI)
    ? spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' })
    : spawnSync(process.execPath, ['--import', 'tsx', SRC, ...args], { encoding: 'utf8' });

const MKDOCS = "# cfg\nsite_name: 'Fix CLI'\nextra:\n  k: !ENV [KEY, '']\nnav:\n  - Home: index.md\n  - Patterns:\n    - Retry: patterns/retry.md\n\n    - Ghost: patterns/ghost.md\n";
const FILES: Record<string, string> = {
  'mkdocs.yml': MKDOCS,
  'docs/index.md': '# Home\n\nSee [retry](patterns/retyr.md).\n',
  'docs/patterns/retry.md': '---\ntitle: Retry\ntype: pattern\n---\n\n# Retry\n\nText.\n',
  'docs/patterns/timeout.md': '---\ntitle: Timeout Pattern\ntype: pattern\nstatus: partial\n---\n\n# Timeout Pattern\n\nText.\n',
};

describe('pattern-atlas fix', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pa-fix-cli-'));
    for (const [p, t] of Object.entries(FILES)) {
      await mkdir(dirname(join(dir, p)), { recursive: true });
      await writeFile(join(dir, p), t);
    }
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('--dry-run prints a unified diff and writes nothing', async () => {
    const r = run(['fix', dir, '--dry-run', '--rule', 'not-in-nav', '--rule', 'broken-link', '--no-cache']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        '--- a/docs/index.md',
        '+++ b/docs/index.md',
        '@@ -1,3 +1,3 @@',
        ' # Home',
        ' ',
        '-See [retry](patterns/retyr.md).',
        '+See [retry](patterns/retry.md).',
        '--- a/mkdocs.yml',
        '+++ b/mkdocs.yml',
        '@@ -8,3 +8,4 @@',
        '     - Retry: patterns/retry.md',
        ' ',
        '     - Ghost: patterns/ghost.md',
        '+    - Timeout: patterns/timeout.md',
        '',
      ].join('\n'),
    );
    assert.match(r.stderr, /2 fix\(es\) would change 2 file\(s\)/);
    assert.equal(await readFile(join(dir, 'mkdocs.yml'), 'utf8'), MKDOCS);
  });

  test('writes the fixes, prints a summary; a second run has nothing to do', async () => {
    const r = run(['fix', dir, '--rule', 'not-in-nav', '--rule', 'nav-missing-file', '--no-cache']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /not-in-nav: Add 'Timeout' to nav under Patterns/);
    assert.match(r.stdout, /2 fix\(es\) applied, 1 file\(s\) changed/);
    assert.equal(
      await readFile(join(dir, 'mkdocs.yml'), 'utf8'),
      "# cfg\nsite_name: 'Fix CLI'\nextra:\n  k: !ENV [KEY, '']\nnav:\n  - Home: index.md\n  - Patterns:\n    - Retry: patterns/retry.md\n\n    - Timeout: patterns/timeout.md\n",
    );
    const again = run(['fix', dir, '--rule', 'not-in-nav', '--rule', 'nav-missing-file', '--no-cache']);
    assert.match(again.stdout, /0 fix\(es\) applied, 0 file\(s\) changed/);
  });

  test('an unknown rule is bad usage', () => {
    const r = run(['fix', dir, '--rule', 'no-such-rule']);
    assert.equal(r.status, 2);
  });
});

describe('pattern-atlas fix --create-pages', () => {
  const YML = 'site_name: Create\nnav:\n  - Home: index.md\n  - Patterns:\n    - Retry: patterns/retry.md\n    - Gossip: patterns/gossip.md\n    - Quorum: patterns/quorum.md\n';
  const SITE: Record<string, string> = {
    'mkdocs.yml': YML,
    'templates/pattern-template.md': '---\ntitle: "{{ Pattern Name }}"\ntype: pattern\nstatus: draft\n---\n\n# {{ Pattern Name }}\n\n## Problem\n\n{{ what goes wrong }}\n',
    'docs/index.md': '# Home\n\nSee [Gossip Protocol](patterns/gossip.md).\n',
    'docs/patterns/retry.md': '---\ntitle: Retry\ntype: pattern\nstatus: complete\n---\n\n# Retry\n\n## Problem\n\nText.\n',
  };
  const GOSSIP = '---\ntitle: "Gossip Protocol"\ntype: pattern\nstatus: stub\n---\n\n# Gossip Protocol\n\n## Problem\n\nTODO: what goes wrong\n';
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pa-fix-create-'));
    for (const [p, t] of Object.entries(SITE)) {
      await mkdir(dirname(join(dir, p)), { recursive: true });
      await writeFile(join(dir, p), t);
    }
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const args = ['--rule', 'broken-link', '--rule', 'nav-missing-file', '--no-cache'];

  test('--dry-run prints the new page as a diff from /dev/null and creates nothing', async () => {
    const r = run(['fix', dir, '--dry-run', '--create-pages', ...args]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        '--- /dev/null',
        '+++ b/docs/patterns/gossip.md',
        '@@ -0,0 +1,11 @@',
        ...GOSSIP.replace(/\n$/, '').split('\n').map((l) => '+' + l),
        '--- a/mkdocs.yml',
        '+++ b/mkdocs.yml',
        '@@ -4,4 +4,3 @@',
        '   - Patterns:',
        '     - Retry: patterns/retry.md',
        '     - Gossip: patterns/gossip.md',
        '-    - Quorum: patterns/quorum.md',
        '',
      ].join('\n'),
    );
    assert.match(r.stderr, /2 fix\(es\) would change 2 file\(s\)/);
    assert.ok(!existsSync(join(dir, 'docs/patterns/gossip.md')));
    // Without the flag, the nav entry is removed and no page is created.
    const plain = run(['fix', dir, '--dry-run', ...args]);
    assert.ok(!plain.stdout.includes('/dev/null'), plain.stdout);
    assert.match(plain.stdout, /^- {4}- Gossip: patterns\/gossip\.md$/m);
  });

  test('writes the new page, keeps the nav entry that names it; a second run has nothing to do', async () => {
    const r = run(['fix', dir, '--create-pages', ...args]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^docs\/index\.md: broken-link: Create docs\/patterns\/gossip\.md from the pattern template$/m);
    assert.match(r.stdout, /2 fix\(es\) applied, 2 file\(s\) changed \(1 created\)/);
    assert.equal(await readFile(join(dir, 'docs/patterns/gossip.md'), 'utf8'), GOSSIP);
    assert.equal(await readFile(join(dir, 'mkdocs.yml'), 'utf8'), YML.replace('    - Quorum: patterns/quorum.md\n', ''));
    const again = run(['fix', dir, '--create-pages', ...args]);
    assert.match(again.stdout, /0 fix\(es\) applied, 0 file\(s\) changed\n$/);
  });
});
