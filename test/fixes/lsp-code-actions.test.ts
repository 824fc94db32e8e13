// Code actions from the fixes, through the built language server.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as P from 'vscode-languageserver-protocol/node.js';
import { applyEdits, startClient, type Client } from '../lsp/client.ts';

const FILES: Record<string, string> = {
  'mkdocs.yml': "site_name: LSP fixes\n# nav below\nnav:\n  - Home: index.md\n  - Patterns:\n    - Retry: patterns/retry.md\n",
  'docs/index.md': '# Home\n',
  'docs/patterns/retry.md': '---\ntitle: Retry\ntype: pattern\nstatus: partial\n---\n\n# Retry\n\nText.\n',
  'docs/patterns/timeout.md': '---\ntitle: Timeout Pattern\ntype: pattern\nstatus: partial\n---\n\n# Timeout Pattern\n\nSee [retry](retyr.md).\n',
};

describe('LSP code actions for fixes', () => {
  let root: string;
  let c: Client;
  before(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pa-fix-lsp-')));
    for (const [p, t] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      fs.writeFileSync(path.join(root, p), t);
    }
    c = await startClient(root);
  });
  after(async () => {
    await c?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('quick fixes for not-in-nav and broken-link, and source.fixAll.patternAtlas', async () => {
    const rel = 'docs/patterns/timeout.md';
    const text = await c.open(rel);
    const uri = c.uri(rel);
    const report = (await c.pull(rel)) as P.FullDocumentDiagnosticReport;
    const diags = report.items;
    const nav = diags.find((d) => d.code === 'not-in-nav');
    const link = diags.find((d) => d.code === 'broken-link');
    assert.ok(nav && link, JSON.stringify(diags.map((d) => d.code)));

    const navActions = (await c.conn.sendRequest(P.CodeActionRequest.type, {
      textDocument: { uri },
      range: nav.range,
      context: { diagnostics: [nav], only: [P.CodeActionKind.QuickFix] },
    })) as P.CodeAction[];
    assert.equal(navActions[0].title, "Add 'Timeout' to nav under Patterns");
    assert.equal(navActions[0].isPreferred, true);
    const ymlUri = c.uri('mkdocs.yml');
    assert.equal(applyEdits(FILES['mkdocs.yml'], navActions[0].edit!.changes![ymlUri]), FILES['mkdocs.yml'] + '    - Timeout: patterns/timeout.md\n');

    const linkActions = (await c.conn.sendRequest(P.CodeActionRequest.type, {
      textDocument: { uri },
      range: link.range,
      context: { diagnostics: [link] },
    })) as P.CodeAction[];
    const change = linkActions.find((a) => a.kind === P.CodeActionKind.QuickFix)!;
    assert.equal(change.title, 'Change to retry.md');
    assert.equal(applyEdits(text, change.edit!.changes![uri]), text.replace('retyr.md', 'retry.md'));

    const all = (await c.conn.sendRequest(P.CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as P.CodeAction[];
    assert.equal(all.length, 1);
    assert.equal(all[0].kind, 'source.fixAll.patternAtlas');
    // Every fixable finding of the page: the link, the missing description, the missing sections (in order).
    const sections = ['Level 1', 'Level 2', 'Level 3', 'Level 4', 'Level 5', 'Related Patterns'].map((s) => `\n## ${s}\n\nTODO: write the ${s} section.\n`).join('');
    assert.equal(applyEdits(text, all[0].edit!.changes![uri]), text.replace('retyr.md', 'retry.md').replace('status: partial\n', 'status: partial\ndescription:\n') + sections);
    assert.ok(all[0].edit!.changes![ymlUri], 'fix all also adds the page to the nav');
  });
});
