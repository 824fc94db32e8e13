/**
 * Mermaid diagnostics in the BUILT server (`dist/server.cjs`, validating in
 * `dist/mermaid-worker.mjs`): docs/patterns/bulkhead.md of a temp copy of
 * examples/compendium has one invalid block (`A[call(x)]`). The diagnostic
 * arrives after indexing (validation is off-thread), carries a quick fix, and
 * goes away when the fix is applied. Waits are on messages only.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as P from 'vscode-languageserver-protocol/node.js';
import { applyEdits, startOnCopy, type Client } from './client.ts';

const BULKHEAD = 'docs/patterns/bulkhead.md';
/** Loading mermaid in the worker takes seconds on a busy machine. */
const MERMAID_MS = 90_000;

const mermaidOf = (ds: readonly P.Diagnostic[] | undefined) => (ds ?? []).filter((d) => d.code === 'mermaid-syntax');

/** Pull a page's diagnostics until `pred` holds, pulling again after each `workspace/diagnostic/refresh`. */
async function pullUntil(c: Client, rel: string, what: string, pred: (items: P.Diagnostic[]) => boolean): Promise<P.Diagnostic[]> {
  for (;;) {
    const seen = c.refreshes;
    const r = await c.pull(rel);
    const items = r.kind === 'full' ? r.items : [];
    if (pred(items)) return items;
    await c.waitFor(`a diagnostics refresh (${what})`, () => c.refreshes > seen, MERMAID_MS);
  }
}

function assertBulkheadError(d: P.Diagnostic | undefined): P.Diagnostic {
  assert.ok(d, 'a mermaid-syntax diagnostic');
  assert.deepEqual(d.range, { start: { line: 147, character: 10 }, end: { line: 147, character: 11 } });
  assert.equal(d.severity, P.DiagnosticSeverity.Error);
  assert.equal(d.source, 'pattern-atlas');
  assert.equal(d.message, 'Parentheses inside a [ ] label must be quoted: use ["..."]');
  return d;
}

describe('Mermaid diagnostics and quick fix (push diagnostics)', () => {
  let c: Client;

  before(async () => {
    c = await startOnCopy({ pull: false });
  });
  after(async () => {
    await c?.stop();
  });

  test('the invalid block is reported, its quick fix quotes the label, and the diagnostic goes once applied', async () => {
    assert.deepEqual(c.initializeResult.capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.patternAtlas'] });
    const text = await c.open(BULKHEAD);
    const uri = c.uri(BULKHEAD);
    const [d] = await c.waitFor('the mermaid-syntax diagnostic of bulkhead.md', () => {
      const m = mermaidOf(c.pushed.get(uri));
      return m.length ? m : undefined;
    }, MERMAID_MS);
    assertBulkheadError(d);
    assert.equal(mermaidOf(c.pushed.get(uri)).length, 1);
    // The other rules' findings of the page are still there, merged.
    assert.ok(c.pushed.get(uri)!.some((x) => x.code === 'empty-section'));

    const actions = (await c.conn.sendRequest(P.CodeActionRequest.type, {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d], only: [P.CodeActionKind.QuickFix] },
    })) as P.CodeAction[];
    assert.equal(actions.length, 1);
    const [fix] = actions;
    assert.match(fix.title, /^Quote the label/);
    assert.equal(fix.kind, P.CodeActionKind.QuickFix);
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics, [d]);
    const edits = fix.edit?.changes?.[uri];
    assert.ok(edits && edits.length === 1, 'one edit of this page');
    const fixed = applyEdits(text, edits);
    assert.equal(fixed.split('\n')[147], '    A["call(x)"] --> B');

    // Only diagnostics with a quick fix get one; other kinds asked for get none.
    const none = await c.conn.sendRequest(P.CodeActionRequest.type, {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d], only: [P.CodeActionKind.Refactor] },
    });
    assert.deepEqual(none, []);

    await c.change(BULKHEAD, fixed);
    await c.waitFor('the mermaid-syntax diagnostic to go', () => c.pushed.get(uri) && mermaidOf(c.pushed.get(uri)).length === 0, MERMAID_MS);
    assert.ok(c.pushed.get(uri)!.some((x) => x.code === 'empty-section'), 'the other findings stay');

    // A new invalid label (never seen) is validated off-thread and reported on its token.
    await c.change(BULKHEAD, fixed.replace('    B --> C{slot free?}', '    B --> E[wait(1)]'));
    const [again] = await c.waitFor('a diagnostic for the new invalid block', () => {
      const m = mermaidOf(c.pushed.get(uri));
      return m.length ? m : undefined;
    }, MERMAID_MS);
    assert.deepEqual(again.range.start, { line: 148, character: 16 });
  });
});

describe('Mermaid diagnostics (pull diagnostics)', () => {
  let c: Client;
  let root: string;

  before(async () => {
    c = await startOnCopy();
    root = c.root;
    await c.open(BULKHEAD);
    await c.waitFor('indexing progress to end', () => c.progress.some((p) => p.kind === 'end'));
  });
  after(async () => {
    await c?.stop();
  });

  test('the diagnostic comes with a refresh, and goes when the block is fixed', async () => {
    const items = await pullUntil(c, BULKHEAD, 'mermaid-syntax', (ds) => mermaidOf(ds).length > 0);
    assertBulkheadError(mermaidOf(items)[0]);
    const text = fs.readFileSync(`${root}/${BULKHEAD}`, 'utf8');
    await c.change(BULKHEAD, text.replace('A[call(x)]', 'A["call(x)"]'));
    const after = await pullUntil(c, BULKHEAD, 'no mermaid-syntax', (ds) => mermaidOf(ds).length === 0);
    assert.ok(after.some((x) => x.code === 'empty-section'));
  });
});
