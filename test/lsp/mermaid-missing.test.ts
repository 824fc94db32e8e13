/**
 * The BUILT server without its Mermaid worker bundle beside it (an incomplete
 * install): one log line says Mermaid is not validated, and every other
 * diagnostic is published as usual. Push client; waits are on messages only.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, ensureBuilt, startOnCopy, type Client } from './client.ts';

describe('server without the Mermaid worker bundle', () => {
  let c: Client | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-server-noworker-'));
  after(async () => {
    await c?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('says so once and publishes the other diagnostics', async () => {
    await ensureBuilt();
    for (const f of ['server.cjs', 'server-bundle.cjs']) fs.copyFileSync(path.join(REPO, 'dist', f), path.join(dir, f));
    c = await startOnCopy({ pull: false, command: [path.join(dir, 'server.cjs'), '--stdio'] });
    const client = c;
    const uri = client.uri('docs/patterns/bulkhead.md');
    const ds = await client.waitFor('diagnostics of bulkhead.md', () => client.pushed.get(uri), 60_000);
    assert.ok(ds.some((d) => d.code === 'empty-section'));
    const line = await client.waitFor('the log line', () => client.logs.find((l) => /Mermaid validator/.test(l)), 60_000);
    assert.match(line, /starting the Mermaid validator \(mermaid-syntax is off\) failed: .*mermaid-worker\.mjs is missing beside the server bundle/);
    // Opening a page with a diagram asks for no validation, and says nothing more.
    await client.open('docs/patterns/bulkhead.md');
    await client.pull('docs/patterns/bulkhead.md').catch(() => undefined);
    assert.equal(client.logs.filter((l) => /Mermaid/.test(l)).length, 1, client.logs.join('\n'));
    assert.ok(!(client.pushed.get(uri) ?? []).some((d) => d.code === 'mermaid-syntax'));
  });
});
