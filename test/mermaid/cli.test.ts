/**
 * `pattern-atlas check` validates Mermaid diagrams: the BUILT CLI
 * (`dist/cli.cjs`, with `dist/mermaid-worker.mjs` beside it) on a temp copy of
 * examples/compendium, whose docs/patterns/bulkhead.md has one invalid block
 * (`A[call(x)]`). Each run has its own cache folder.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JsonDiagnostic, JsonOutput } from '../../server/src/cli/format.ts';
import { ensureBuilt } from '../helpers/build.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(REPO, 'dist/cli.cjs');
const BULKHEAD = 'docs/patterns/bulkhead.md';

interface Run {
  code: number | null;
  out: JsonOutput;
  stderr: string;
  ms: number;
}

function check(site: string, cacheDir: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, 'check', '.', '--format', 'json', ...args], {
      cwd: site,
      env: { ...process.env, PATTERN_ATLAS_CACHE_DIR: cacheDir, PATTERN_ATLAS_DEBUG_MERMAID: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, out: JSON.parse(stdout) as JsonOutput, stderr, ms: performance.now() - t0 });
      } catch (e) {
        reject(new Error(`bad output (${String(e)}):\n${stdout}\n${stderr}`));
      }
    });
  });
}

const mermaidOf = (r: Run): JsonDiagnostic[] => r.out.diagnostics.filter((d) => d.code === 'mermaid-syntax');

describe('pattern-atlas check: Mermaid diagnostics', () => {
  let site: string;
  let cacheDir: string;
  let cold: Run;

  before(async () => {
    await ensureBuilt();
    site = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-atlas-mermaid-cli-')));
    fs.cpSync(path.join(REPO, 'examples/compendium'), site, { recursive: true });
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-atlas-mermaid-cache-'));
    cold = await check(site, cacheDir);
  });
  after(() => {
    fs.rmSync(site, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  test('the invalid block of bulkhead.md is reported on the offending token, with its quick fix', () => {
    assert.equal(cold.code, 1, cold.stderr);
    assert.deepEqual(mermaidOf(cold), [
      {
        file: BULKHEAD,
        line: 148,
        column: 11,
        endLine: 148,
        endColumn: 12,
        severity: 'error',
        code: 'mermaid-syntax',
        message: 'Parentheses inside a [ ] label must be quoted: use ["..."]',
        data: {
          fix: {
            title: 'Quote the label: ["…"]',
            range: { start: { line: 147, character: 5 }, end: { line: 147, character: 14 } },
            newText: '["call(x)"]',
          },
        },
      },
    ]);
    const line = fs.readFileSync(path.join(site, BULKHEAD), 'utf8').split('\n')[147];
    assert.equal(line, '    A[call(x)] --> B');
    assert.match(cold.stderr, /mermaid: 10 blocks in 8 pages, 0 from the cache, 10 validated/);
  });

  test('a second run reports the same, from the verdict cache (no validation)', async () => {
    // Unchanged site: the whole result comes from the result memo (or, when the CLI bundle was rebuilt in
    // between, which the memo's key includes, from the verdict cache): nothing is validated.
    const memo = await check(site, cacheDir);
    assert.equal(memo.code, 1);
    assert.deepEqual(memo.out, cold.out);
    if (/mermaid:/.test(memo.stderr)) assert.match(memo.stderr, /, 0 validated/);
    // An edit elsewhere misses the memo; the diagrams come from the verdict cache.
    fs.appendFileSync(path.join(site, 'docs/index.md'), '\nOne more line of prose.\n');
    const warm = await check(site, cacheDir);
    assert.equal(warm.code, 1);
    assert.deepEqual(warm.out.diagnostics, cold.out.diagnostics);
    assert.match(warm.stderr, /mermaid: 10 blocks in 8 pages, 10 from the cache, 0 validated/);
  });

  test('--no-mermaid drops the finding and nothing else', async () => {
    const off = await check(site, cacheDir, '--no-mermaid');
    assert.deepEqual(mermaidOf(off), []);
    assert.deepEqual(off.out.diagnostics, cold.out.diagnostics.filter((d) => d.code !== 'mermaid-syntax'));
    assert.doesNotMatch(off.stderr, /mermaid:/);
  });

  test('--no-cache validates again and reports the same', async () => {
    const fresh = await check(site, cacheDir, '--no-cache');
    assert.deepEqual(fresh.out, cold.out);
    assert.match(fresh.stderr, /0 from the cache, 10 validated/);
  });

  test('the severity comes from .pattern-atlas.yml, and a disable-next-line comment before the fence silences the block', async () => {
    const cfg = path.join(site, '.pattern-atlas.yml');
    const page = path.join(site, BULKHEAD);
    const cfgText = fs.readFileSync(cfg, 'utf8');
    const pageText = fs.readFileSync(page, 'utf8');
    try {
      fs.writeFileSync(cfg, cfgText + '\nrules:\n  mermaid-syntax: warning\n');
      const warned = await check(site, cacheDir);
      assert.deepEqual(mermaidOf(warned).map((d) => [d.line, d.column, d.severity]), [[148, 11, 'warning']]);

      const lines = pageText.split('\n');
      assert.equal(lines[145], '```mermaid');
      lines.splice(145, 0, '<!-- pattern-atlas-disable-next-line mermaid-syntax -->');
      fs.writeFileSync(page, lines.join('\n'));
      const silenced = await check(site, cacheDir);
      assert.deepEqual(mermaidOf(silenced), []);
    } finally {
      fs.writeFileSync(cfg, cfgText);
      fs.writeFileSync(page, pageText);
    }
  });
});
