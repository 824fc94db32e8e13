/**
 * "Create page from template" over the protocol, on a temp copy of
 * examples/compendium: offered as `documentChanges` (CreateFile, then the
 * text at 0:0) only to a client that announced the `create` resource
 * operation; applying it the way a client does clears the findings.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as P from 'vscode-languageserver-protocol/node.js';
import { applyEdits, copySite, startClient, type Client } from './client.ts';

const GOSSIP = 'docs/patterns/gossip.md';
const PILLAR = 'docs/pillars/pillar3-truth.md';

async function actionsFor(c: Client, rel: string, code: string): Promise<P.CodeAction[]> {
  const uri = c.uri(rel);
  const d = await c.waitFor(`a ${code} diagnostic on ${rel}`, () => c.pushed.get(uri)?.find((x) => x.code === code));
  return (await c.conn.sendRequest(P.CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: [P.CodeActionKind.QuickFix] } })) as P.CodeAction[];
}

/** Apply `documentChanges` as a client does: create (unless it exists), then the text edits; report the files to the server. */
async function applyDocumentChanges(c: Client, edit: P.WorkspaceEdit): Promise<void> {
  const touched: P.FileEvent[] = [];
  for (const ch of edit.documentChanges ?? []) {
    if ('kind' in ch) {
      assert.equal(ch.kind, 'create');
      const file = fileURLToPath(ch.uri);
      if (fs.existsSync(file)) assert.ok((ch as P.CreateFile).options?.ignoreIfExists);
      else fs.writeFileSync(file, '');
      touched.push({ uri: ch.uri, type: P.FileChangeType.Created });
    } else {
      const file = fileURLToPath(ch.textDocument.uri);
      fs.writeFileSync(file, applyEdits(fs.readFileSync(file, 'utf8'), ch.edits as P.TextEdit[]));
    }
  }
  await c.conn.sendNotification(P.DidChangeWatchedFilesNotification.type, { changes: touched });
}

describe('create page code actions over stdio', () => {
  let root: string;
  let plain: Client;
  let creating: Client;

  before(async () => {
    root = copySite();
    plain = await startClient(root, { pull: false });
    creating = await startClient(root, { pull: false, workspaceEdit: { documentChanges: true, resourceOperations: [P.ResourceOperationKind.Create] } });
  });
  after(async () => {
    await Promise.allSettled([plain?.stop(), creating?.stop()]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('a client without the create resource operation gets no creation actions, only the others', async () => {
    const nav = await actionsFor(plain, 'mkdocs.yml', 'nav-missing-file');
    assert.deepEqual(
      nav.map((a) => a.title),
      ["Remove nav entry 'Gossip'"],
    );
    assert.ok(nav[0].edit?.changes, 'ordinary fixes stay `changes`');
    assert.deepEqual(await actionsFor(plain, PILLAR, 'broken-link'), []);
  });

  test('documentChanges: resourceOperations without documentChanges is not enough', async () => {
    const c = await startClient(root, { pull: false, workspaceEdit: { documentChanges: false, resourceOperations: [P.ResourceOperationKind.Create] } });
    try {
      const nav = await actionsFor(c, 'mkdocs.yml', 'nav-missing-file');
      assert.deepEqual(
        nav.map((a) => a.title),
        ["Remove nav entry 'Gossip'"],
      );
    } finally {
      await c.stop();
    }
  });

  test('a client with it gets CreateFile + the page text; applying it clears the nav entry and the link', async () => {
    const nav = await actionsFor(creating, 'mkdocs.yml', 'nav-missing-file');
    assert.deepEqual(
      nav.map((a) => [a.title, a.isPreferred]),
      [
        ["Remove nav entry 'Gossip'", true],
        ['Create docs/patterns/gossip.md from the pattern template', false],
      ],
    );
    assert.ok(nav[0].edit?.changes && !nav[0].edit.documentChanges, 'the removal stays `changes`');

    const link = await actionsFor(creating, PILLAR, 'broken-link');
    assert.deepEqual(
      link.map((a) => a.title),
      ['Create docs/patterns/gossip.md from the pattern template'],
    );
    const edit = link[0].edit!;
    assert.equal(edit.changes, undefined);
    const uri = creating.uri(GOSSIP);
    const [create, insert] = edit.documentChanges as [P.CreateFile, P.TextDocumentEdit];
    assert.deepEqual(create, { kind: 'create', uri, options: { ignoreIfExists: true } });
    assert.deepEqual(insert.textDocument, { uri, version: null });
    assert.equal(insert.edits.length, 1);
    const e = insert.edits[0] as P.TextEdit;
    assert.deepEqual(e.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    // Titled from the link text; the nav section's category; a stub (the whole text is checked in test/fixes/create-page.test.ts).
    const head = e.newText.split('\n').slice(0, 12).join('\n');
    assert.match(head, /^---\ntitle: "Gossip Dissemination Pattern"\n/);
    assert.match(head, /^category: coordination$/m);
    assert.match(head, /^status: stub$/m);
    assert.equal(edit.documentChanges!.length, 2);
    // Never part of "Fix all": creating a page is not preferred.
    const all = await creating.conn.sendRequest(P.CodeActionRequest.type, {
      textDocument: { uri: creating.uri(PILLAR) },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.deepEqual(all, []);

    await applyDocumentChanges(creating, edit);
    assert.equal(fs.readFileSync(path.join(root, GOSSIP), 'utf8'), e.newText);
    await creating.waitFor('the broken link to clear', () => creating.pushed.get(creating.uri(PILLAR))?.length === 0);
    await creating.waitFor('nav-missing-file to clear', () => !creating.pushed.get(creating.uri('mkdocs.yml'))?.some((d) => d.code === 'nav-missing-file'));
    const own = await creating.waitFor('the new page checked', () => creating.pushed.get(uri));
    assert.deepEqual(
      own.filter((d) => d.code === 'frontmatter-yaml' || d.code === 'stub').map((d) => d.code),
      ['stub'],
    );
  });
});
