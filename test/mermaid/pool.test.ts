/**
 * The validation pool: cache, sharing, order, cancellation, and surviving a
 * worker that crashes or hangs (with a stand-in worker), plus the real worker
 * keeping the caller's event loop free.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { MermaidPool, contentKey } from '../../server/src/mermaid/pool.ts';
import type { MermaidError } from '../../server/src/mermaid/validate.ts';


const FAKE = fileURLToPath(new URL('./fixtures/fake-worker.ts', import.meta.url));

function blocks(...codes: string[]): Array<{ key: string; code: string }> {
  return codes.map((code, i) => ({ key: `k${i}`, code }));
}

describe('MermaidPool with a stand-in worker', () => {
  test('results by key, cache hits, one parse per distinct content', async () => {
    const pool = new MermaidPool({ workerFile: FAKE });
    try {
      const r = await pool.validateBlocks(blocks('ok 1', 'bad 2', 'ok 1'));
      assert.deepEqual([...r.keys()].sort(), ['k0', 'k1', 'k2']);
      assert.deepEqual(r.get('k0'), []);
      assert.equal(r.get('k1')?.[0].message, 'bad: bad 2');
      assert.deepEqual(r.get('k2'), []);
      assert.equal(pool.stats().validated, 2);
      const again = await pool.validateBlocks(blocks('ok 1', 'bad 2'));
      assert.equal(again.get('k1')?.[0].message, 'bad: bad 2');
      assert.equal(pool.stats().validated, 2, 'second request is served from the cache');
      assert.equal(pool.stats().cacheHits, 2);
      assert.deepEqual(pool.cached('bad 2'), again.get('k1'));
      assert.equal(contentKey('x'), contentKey('x'));
    } finally {
      await pool.dispose();
    }
  });

  test('a worker crash (exit) costs only the block it was on; the worker is restarted', async () => {
    const pool = new MermaidPool({ workerFile: FAKE, batchSize: 8 });
    try {
      const r = await pool.validateBlocks(blocks('a', 'CRASH', 'b bad', 'c'));
      assert.deepEqual(r.get('k0'), []);
      const crash = r.get('k1')!;
      assert.equal(crash.length, 1);
      assert.equal(crash[0].kind, 'internal');
      assert.match(crash[0].message, /^The Mermaid validator crashed on this diagram \(worker exited with code 3\); it was restarted$/);
      assert.equal(r.get('k2')?.[0].message, 'bad: b bad');
      assert.deepEqual(r.get('k3'), []);
      const s = pool.stats();
      assert.equal(s.crashes, 1);
      assert.equal(s.starts, 2);
      // The crashing diagram is not retried (its result is cached).
      const again = await pool.validateBlocks(blocks('CRASH'));
      assert.equal(again.get('k0')?.[0].kind, 'internal');
      assert.equal(pool.stats().crashes, 1);
    } finally {
      await pool.dispose();
    }
  });

  test('stored verdicts: seeded ones are answered without a worker; a crash is never handed out for storing', async () => {
    const pool = new MermaidPool({ workerFile: FAKE });
    try {
      const stored: MermaidError[] = [{ severity: 'error', kind: 'parse', message: 'stored', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }];
      assert.equal(pool.seed([[contentKey('seeded'), stored], [contentKey('seeded'), []]]), 1);
      // What a damaged file may hold is not taken.
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
      const damaged = [{}, { severity: 'error', kind: 'parse', message: 'm' }, { severity: 'fatal', kind: 'parse', message: 'm', range }, { ...stored[0], fix: { title: 't', newText: 1, range } }, 'x'];
      assert.equal(pool.seed([...damaged.map((e, i) => [contentKey(`damaged ${i}`), [e]] as [string, MermaidError[]]), [contentKey('not a list'), {} as MermaidError[]]]), 0);
      assert.equal(pool.cached('damaged 0'), undefined);
      const r = await pool.validateBlocks(blocks('seeded'));
      assert.equal(r.get('k0'), stored);
      assert.equal(pool.stats().validated, 0);
      assert.equal(pool.stats().starts, 0, 'no worker started for a seeded verdict');
      await pool.validateBlocks(blocks('ok 1', 'CRASH'));
      // A seed never replaces what the pool knows.
      assert.equal(pool.seed([[contentKey('ok 1'), stored]]), 0);
      assert.deepEqual(pool.cached('ok 1'), []);
      const kept = pool.verdicts();
      assert.deepEqual([...kept.keys()].sort(), [contentKey('seeded'), contentKey('ok 1')].sort());
      assert.equal(pool.cached('CRASH')?.[0].kind, 'internal');
    } finally {
      await pool.dispose();
    }
  });

  test('an uncaught exception in the worker is a crash too', async () => {
    const pool = new MermaidPool({ workerFile: FAKE });
    try {
      const r = await pool.validateBlocks(blocks('THROW', 'fine'));
      assert.match(r.get('k0')![0].message, /crashed on this diagram \(boom\)/);
      assert.deepEqual(r.get('k1'), []);
    } finally {
      await pool.dispose();
    }
  });

  test('a diagram that hangs times out; the rest are validated', async () => {
    const pool = new MermaidPool({ workerFile: FAKE, timeoutMs: 400 });
    try {
      const r = await pool.validateBlocks(blocks('x', 'HANG', 'y bad'));
      assert.deepEqual(r.get('k0'), []);
      assert.equal(r.get('k1')?.[0].kind, 'internal');
      assert.equal(r.get('k1')![0].message, 'Mermaid validation of this diagram took longer than 400 ms and was abandoned');
      assert.equal(r.get('k2')?.[0].message, 'bad: y bad');
      assert.equal(pool.stats().timeouts, 1);
    } finally {
      await pool.dispose();
    }
  });

  test('a batch slower than the timeout is not a hang while its diagrams finish one by one', async () => {
    // Results come once per batch; the worker's progress counter re-arms the timer after each diagram.
    const pool = new MermaidPool({ workerFile: FAKE, timeoutMs: 300, batchSize: 4 });
    try {
      const r = await pool.validateBlocks(blocks('SLOW 1', 'SLOW 2', 'SLOW 3 bad', 'SLOW 4'));
      assert.deepEqual([r.get('k0'), r.get('k1'), r.get('k3')], [[], [], []]);
      assert.equal(r.get('k2')?.[0].message, 'bad: SLOW 3 bad');
      assert.equal(pool.stats().timeouts, 0);
      assert.equal(pool.stats().starts, 1);
    } finally {
      await pool.dispose();
    }
  });

  test('abort withdraws the queued blocks of a request', async () => {
    const pool = new MermaidPool({ workerFile: FAKE, batchSize: 2 });
    try {
      await pool.validate('warm');
      const ac = new AbortController();
      const p = pool.validateBlocks(
        Array.from({ length: 12 }, (_, i) => ({ key: i, code: `SLOW ${i}` })),
        { signal: ac.signal },
      );
      setTimeout(() => ac.abort(), 50);
      await assert.rejects(p, (e: Error) => e.name === 'AbortError');
      const s = pool.stats();
      assert.equal(s.queued, 0, 'queued blocks dropped');
      assert.ok(s.running <= 2, 'only the batch in the worker goes on');
      // A later request for the same blocks is answered normally.
      const r = await pool.validateBlocks([{ key: 'a', code: 'SLOW 11' }]);
      assert.deepEqual(r.get('a'), []);
    } finally {
      await pool.dispose();
    }
  });

  test('a higher-priority request overtakes queued work', async () => {
    const pool = new MermaidPool({ workerFile: FAKE, batchSize: 1 });
    try {
      await pool.validate('warm');
      const done: string[] = [];
      const background = pool
        .validateBlocks(Array.from({ length: 6 }, (_, i) => ({ key: i, code: `SLOW bg ${i}` })))
        .then(() => done.push('background'));
      const urgent = pool.validateBlocks([{ key: 0, code: 'SLOW editor' }], { priority: 10 }).then(() => done.push('urgent'));
      await Promise.all([background, urgent]);
      assert.deepEqual(done, ['urgent', 'background']);
    } finally {
      await pool.dispose();
    }
  });
});

describe('MermaidPool with the real worker', () => {
  test("validation runs off the caller's event loop", async () => {
    const pool = new MermaidPool();
    try {
      await pool.validate('graph TD\n  A --> B');
      const codes = Array.from({ length: 40 }, (_, i) => `graph TD\n  A${i}[Step ${i}] --> B${i}{Choice}\n  B${i} -->|yes| C${i}[f(x)]\n  B${i} --> D${i}`);
      const elu0 = performance.eventLoopUtilization();
      const t0 = performance.now();
      const r = await pool.validateBlocks(codes.map((code, key) => ({ key, code })));
      const elu = performance.eventLoopUtilization(elu0);
      assert.equal(r.size, 40);
      for (const errors of r.values()) assert.equal(errors[0]?.kind, 'parse');
      assert.ok(elu.utilization < 0.5, `main-thread event loop utilization ${elu.utilization.toFixed(2)} over ${Math.round(performance.now() - t0)} ms`);
    } finally {
      await pool.dispose();
    }
  });
});
