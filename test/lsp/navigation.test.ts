/**
 * Protocol tests of the navigation features the server wires from
 * `features/`: document and workspace symbols, document links, folding, code
 * lenses, and renames (a heading, a page through `willRenameFiles`), with the
 * returned edits applied and the resulting lines compared.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as P from 'vscode-languageserver-protocol/node.js';
import { applyEdits, startOnCopy, type Client } from './client.ts';

const RETRY = 'docs/patterns/retry-backoff.md';

describe('navigation features over stdio', () => {
  let c: Client;
  let root: string;
  const rel = (uri: string) => path.relative(root, new URL(uri).pathname);
  const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

  /** Apply a workspace edit's text edits to the files on disk (as an editor would) and return the new texts. */
  function applyWorkspaceEdit(e: P.WorkspaceEdit): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [uri, edits] of Object.entries(e.changes ?? {})) out[rel(uri)] = applyEdits(read(rel(uri)), edits);
    for (const dc of e.documentChanges ?? []) {
      if ('textDocument' in dc) out[rel(dc.textDocument.uri)] = applyEdits(read(rel(dc.textDocument.uri)), dc.edits as P.TextEdit[]);
    }
    return out;
  }

  before(async () => {
    c = await startOnCopy();
    root = c.root;
    await c.open(RETRY);
  });
  after(async () => {
    await c?.stop();
  });

  test('document symbols: the Level 1-5 outline under the title', async () => {
    const syms = (await c.conn.sendRequest(P.DocumentSymbolRequest.type, { textDocument: { uri: c.uri(RETRY) } })) as P.DocumentSymbol[];
    const title = syms.find((s) => s.name === 'Retry with Backoff Pattern');
    assert.ok(title, syms.map((s) => s.name).join(', '));
    assert.deepEqual(
      title.children!.map((s) => s.name).filter((n) => n.startsWith('Level')),
      ['Level 1: Intuition', 'Level 2: Foundation', 'Level 3: Deep Dive', 'Level 5: Mastery'],
    );
  });

  test('workspace symbols find patterns and Laws by title', async () => {
    const syms = (await c.conn.sendRequest(P.WorkspaceSymbolRequest.type, { query: 'circ' })) as P.SymbolInformation[];
    const cb = syms.find((s) => s.name === 'Circuit Breaker Pattern');
    assert.ok(cb, syms.map((s) => s.name).join(', '));
    assert.equal(rel(cb.location.uri), 'docs/patterns/circuit-breaker.md');
    const laws = (await c.conn.sendRequest(P.WorkspaceSymbolRequest.type, { query: 'async' })) as P.SymbolInformation[];
    assert.ok(laws.some((s) => s.name === 'Law 2: Asynchronous Reality'));
  });

  test('document links open the target file', async () => {
    const links = (await c.conn.sendRequest(P.DocumentLinkRequest.type, { textDocument: { uri: c.uri(RETRY) } }))!;
    const bulkhead = links.find((l) => l.range.start.line === 144);
    assert.ok(bulkhead);
    assert.equal(bulkhead.target, c.uri('docs/patterns/bulkhead.md'));
    assert.ok(!links.some((l) => l.range.start.line === 142), 'no link for a broken target');
  });

  test('folding ranges include the frontmatter and the sections', async () => {
    const ranges = (await c.conn.sendRequest(P.FoldingRangeRequest.type, { textDocument: { uri: c.uri(RETRY) } }))!;
    assert.ok(ranges.some((r) => r.startLine === 0 && r.endLine === 11), JSON.stringify(ranges.slice(0, 3)));
    assert.ok(ranges.some((r) => r.startLine === 149), 'the Related Laws & Pillars section folds');
  });

  test('code lens on a Law page counts the patterns citing it', async () => {
    const law2 = 'docs/laws/law2-asynchronous-reality.md';
    await c.open(law2);
    const lenses = (await c.conn.sendRequest(P.CodeLensRequest.type, { textDocument: { uri: c.uri(law2) } }))!;
    const cite = lenses.find((l) => /^\d+ patterns? cites? this$/.test(l.command!.title));
    assert.ok(cite, JSON.stringify(lenses.map((l) => l.command?.title)));
    // The same count the hover on a link to this Law shows.
    const h = (await c.conn.sendRequest(P.HoverRequest.type, { textDocument: { uri: c.uri(RETRY) }, position: { line: 151, character: 10 } }))!;
    const n = cite.command!.title.split(' ')[0];
    assert.match((h.contents as P.MarkupContent).value, new RegExp(`\\b${n} patterns? cites? Law 2`));
  });

  test('renaming a heading updates the anchors pointing at it on other pages', async () => {
    const cqrs = 'docs/patterns/cqrs.md';
    await c.open(cqrs);
    const prep = (await c.conn.sendRequest(P.PrepareRenameRequest.type, { textDocument: { uri: c.uri(cqrs) }, position: { line: 56, character: 8 } })) as { range: P.Range; placeholder: string };
    assert.equal(prep.placeholder, 'Level 3: Deep Dive');
    const edit = (await c.conn.sendRequest(P.RenameRequest.type, { textDocument: { uri: c.uri(cqrs) }, position: { line: 56, character: 8 }, newName: 'Level 3: Deeper Dive' }))!;
    const files = applyWorkspaceEdit(edit);
    assert.equal(files[cqrs].split('\n')[56], '## Level 3: Deeper Dive');
    assert.equal(files['docs/patterns/event-sourcing.md'].split('\n')[84], '    and see [how CQRS separates the read side](cqrs.md#level-3-deeper-dive) for');
  });

  test('prepareRename on something that cannot be renamed answers with a reason', async () => {
    await assert.rejects(
      c.conn.sendRequest(P.PrepareRenameRequest.type, { textDocument: { uri: c.uri(RETRY) }, position: { line: 142, character: 25 } }),
      /does not reach a file/,
    );
  });

  test('willRenameFiles: moving a page updates every link to it and its nav entry', async () => {
    const edit = (await c.conn.sendRequest(P.WillRenameFilesRequest.type, {
      files: [{ oldUri: c.uri('docs/patterns/bulkhead.md'), newUri: c.uri('docs/patterns/bulkheads.md') }],
    }))!;
    const files = applyWorkspaceEdit(edit);
    assert.equal(files[RETRY].split('\n')[144], '- [Bulkhead](bulkheads.md): keeps retries against one dependency from using up');
    assert.match(files['mkdocs.yml'], /- Bulkhead: patterns\/bulkheads\.md/);
  });
});
