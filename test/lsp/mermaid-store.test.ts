/**
 * Stored Mermaid verdicts (and the parse cache) in the BUILT server: a first start validates every
 * diagram of a temp copy of examples/compendium in the worker and stores the
 * verdicts under the cache folder (PATTERN_ATLAS_CACHE_DIR, a temp folder);
 * the next start publishes the Mermaid findings with the rules' ones, before
 * any validation, and validates only diagrams whose text changed. Verdicts of
 * another validator (a rebuilt worker bundle) are not used. Push client;
 * waits are on messages only.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import type * as P from 'vscode-languageserver-protocol/node.js';
import { mermaidCacheFile } from '../../server/src/cli/cache.ts';
import { copySite, startClient, type Client } from './client.ts';

const BULKHEAD = 'docs/patterns/bulkhead.md';
const MERMAID_MS = 90_000;
const mermaidOf = (ds: readonly P.Diagnostic[] | undefined) => (ds ?? []).filter((d) => d.code === 'mermaid-syntax');

/** The server's closing Mermaid line of its startup: "... (N pages from stored verdicts, M diagrams validated)". */
async function startupMermaid(c: Client): Promise<{ fromStore: number; validated: number }> {
  const line = await c.waitFor('the startup Mermaid log line', () => c.logs.find((l) => /Mermaid: diagrams of \d+ pages checked/.test(l)), MERMAID_MS);
  const m = /\((\d+) pages from stored verdicts, (\d+) diagrams validated\)/.exec(line);
  assert.ok(m, line);
  return { fromStore: Number(m[1]), validated: Number(m[2]) };
}

describe('Mermaid verdicts and parsed pages stored across server starts', () => {
  let root: string;
  let cacheDir: string;
  let env: Record<string, string>;
  const clients: Client[] = [];
  const start = async () => {
    const c = await startClient(root, { pull: false, env });
    clients.push(c);
    return c;
  };

  before(() => {
    root = copySite();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-atlas-cache-'));
    env = { PATTERN_ATLAS_NO_CACHE: '0', PATTERN_ATLAS_CACHE_DIR: cacheDir };
  });
  after(async () => {
    for (const c of clients) await c.stop().catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  test('a second start publishes the stored findings with the rules\' ones and validates nothing', async () => {
    const first = await start();
    const uri = first.uri(BULKHEAD);
    const one = await startupMermaid(first);
    assert.equal(one.fromStore, 0);
    assert.ok(one.validated >= 10, `validated ${one.validated} diagrams`);
    assert.equal(mermaidOf(first.pushed.get(uri)).length, 1);
    await first.stop();
    const file = withEnv(() => mermaidCacheFile(root));
    assert.ok(fs.existsSync(file), `verdicts stored in ${file}`);

    // The first start had no parse cache; it stored one after its diagnostics went out.
    assert.match(first.logs.find((l) => /indexed \d+ pages/.test(l)) ?? '', /, 0 of \d+ pages from the parse cache\)/);
    const second = await start();
    // The page's first publish already carries its Mermaid finding, beside the rules' findings.
    const firstPush = await second.waitFor('the first publish of bulkhead.md', () => second.pushed.get(uri), MERMAID_MS);
    assert.equal(mermaidOf(firstPush).length, 1, JSON.stringify(firstPush.map((d) => d.code)));
    assert.ok(firstPush.some((d) => d.code === 'empty-section'));
    assert.deepEqual(mermaidOf(firstPush)[0].range, { start: { line: 147, character: 10 }, end: { line: 147, character: 11 } });
    const two = await startupMermaid(second);
    const indexed = second.logs.find((l) => /indexed \d+ pages/.test(l)) ?? '';
    const [, hits, all] = /, (\d+) of (\d+) pages from the parse cache\)/.exec(indexed) ?? [];
    assert.ok(Number(all) > 10 && hits === all, indexed);
    assert.equal(two.validated, 0);
    assert.ok(two.fromStore >= 5, `${two.fromStore} pages from stored verdicts`);
    assert.ok(second.logs.some((l) => /Mermaid: stored verdicts for every diagram of \d+ pages/.test(l)));
    await second.stop();

    // A diagram edited outside the editor is validated again; the others still come from the store.
    const abs = path.join(root, BULKHEAD);
    fs.writeFileSync(abs, fs.readFileSync(abs, 'utf8').replace('A[call(x)] --> B', 'A["call(x)"] --> B'));
    const third = await start();
    const three = await startupMermaid(third);
    assert.equal(three.validated, 1);
    assert.equal(three.fromStore, two.fromStore - 1);
    assert.equal(mermaidOf(third.pushed.get(uri)).length, 0);
    await third.stop();

    // Verdicts of another validator are not read.
    const stored = v8.deserialize(fs.readFileSync(file)) as { validator: string };
    fs.writeFileSync(file, v8.serialize({ ...stored, validator: 'another build' }));
    const fourth = await start();
    const four = await startupMermaid(fourth);
    assert.equal(four.fromStore, 0);
    assert.ok(four.validated >= 10);
    await fourth.stop();

    // A damaged file (every verdict malformed) is not used, and the start goes on as without one.
    const good = v8.deserialize(fs.readFileSync(file)) as { validator: string; verdicts: Map<string, unknown> };
    assert.ok(good.verdicts.size >= 10);
    fs.writeFileSync(file, v8.serialize({ ...good, verdicts: new Map([...good.verdicts.keys()].map((k) => [k, [{ severity: 'error' }]])) }));
    const fifth = await start();
    const five = await startupMermaid(fifth);
    assert.equal(five.fromStore, 0);
    assert.equal(five.validated, four.validated);
    assert.ok(fifth.pushed.get(uri)?.some((d) => d.code === 'empty-section'));
  });

  function withEnv<T>(f: () => T): T {
    const was = process.env.PATTERN_ATLAS_CACHE_DIR;
    process.env.PATTERN_ATLAS_CACHE_DIR = cacheDir;
    try {
      return f();
    } finally {
      if (was === undefined) delete process.env.PATTERN_ATLAS_CACHE_DIR;
      else process.env.PATTERN_ATLAS_CACHE_DIR = was;
    }
  }
});
