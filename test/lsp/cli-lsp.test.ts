/**
 * `pattern-atlas lsp` (dist/cli.cjs lsp) is the same server as
 * `pattern-atlas-server --stdio`: the CLI bundle loads the server bundle
 * beside it for that command only (esbuild.mjs), so it is tested on its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import * as P from 'vscode-languageserver-protocol/node.js';
import { REPO, startOnCopy } from './client.ts';

test('pattern-atlas lsp indexes the site, pushes its diagnostics and answers hover', async () => {
  const c = await startOnCopy({ pull: false, command: [path.join(REPO, 'dist/cli.cjs'), 'lsp'] });
  try {
    assert.ok(c.initializeResult.capabilities.hoverProvider, 'hover is announced');
    const log = await c.waitFor('indexed log', () => c.logs.find((l) => /indexed \d+ pages/.test(l)));
    assert.match(log, /indexed \d+ pages of .* \d+ findings/);
    // The example's gossip nav entry points to a missing file: reported on mkdocs.yml.
    const mkdocs = await c.waitFor('mkdocs.yml diagnostics', () => c.pushed.get(c.uri('mkdocs.yml')));
    assert.ok(mkdocs.some((d) => d.code === 'nav-missing-file'), JSON.stringify(mkdocs));
    const rel = 'docs/patterns/retry-backoff.md';
    const text = await c.open(rel);
    const at = text.indexOf('](');
    assert.ok(at > 0, 'the page has a link');
    const lines = text.slice(0, at + 3).split('\n');
    const hover = await c.conn.sendRequest(P.HoverRequest.type, { textDocument: { uri: c.uri(rel) }, position: { line: lines.length - 1, character: lines[lines.length - 1].length - 1 } });
    assert.ok(hover, 'a hover on a link target');
  } finally {
    await c.stop();
  }
});
