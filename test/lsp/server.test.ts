/**
 * Protocol tests: the BUILT server (`dist/server.cjs --stdio`) spoken to over
 * stdio by a real JSON-RPC client, on a temp copy of examples/compendium.
 * Each scenario reads like the situation it checks; waits are on messages.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as P from 'vscode-languageserver-protocol/node.js';
import { applyEdits, cursor, startOnCopy, type Client } from './client.ts';

const RETRY = 'docs/patterns/retry-backoff.md';

function lineOf(text: string, line: number): string {
  return text.split('\n')[line];
}

async function complete(c: Client, rel: string, textWithCursor: string): Promise<{ items: P.CompletionItem[]; text: string; position: P.Position }> {
  const { text, position } = cursor(textWithCursor);
  await c.change(rel, text);
  const r = await c.conn.sendRequest(P.CompletionRequest.type, { textDocument: { uri: c.uri(rel) }, position });
  const items = Array.isArray(r) ? r : (r?.items ?? []);
  return { items, text, position };
}

function pick(items: P.CompletionItem[], label: string): P.CompletionItem {
  const item = items.find((i) => i.label === label);
  assert.ok(item, `completion '${label}' among ${items.map((i) => i.label).join(', ')}`);
  return item;
}

function accept(text: string, item: P.CompletionItem): string {
  const edit = item.textEdit as P.TextEdit;
  assert.ok(edit && 'range' in edit, 'item has a textEdit');
  return applyEdits(text, [edit]);
}

function hoverText(h: P.Hover | null): string {
  assert.ok(h, 'a hover');
  const c = h.contents as P.MarkupContent;
  assert.equal(c.kind, 'markdown');
  return c.value;
}

describe('pattern-atlas server over stdio (pull diagnostics)', () => {
  let c: Client;
  let root: string;
  let original: string;

  before(async () => {
    c = await startOnCopy();
    root = c.root;
    original = await c.open(RETRY);
    // Indexing is over when its progress ends.
    await c.waitFor('indexing progress to end', () => c.progress.some((p) => p.kind === 'end'));
  });
  after(async () => {
    await c?.stop();
  });

  test('initialize announces the features, reports progress and registers file watchers', () => {
    const caps = c.initializeResult.capabilities;
    assert.ok(caps.completionProvider);
    assert.equal(caps.hoverProvider, true);
    assert.equal(caps.definitionProvider, true);
    assert.equal(caps.referencesProvider, true);
    assert.deepEqual(caps.diagnosticProvider, { identifier: 'pattern-atlas', interFileDependencies: true, workspaceDiagnostics: true });
    assert.deepEqual(
      c.progress.map((p) => p.kind).filter((k, i, a) => k !== a[i - 1]),
      ['begin', 'report', 'end'],
    );
    const watch = c.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.ok(watch);
    const globs = (watch.registerOptions as P.DidChangeWatchedFilesRegistrationOptions).watchers.map((w) => w.globPattern);
    assert.ok(globs.includes('**/*.md') && globs.includes('**/mkdocs.yml') && globs.includes('**/.pattern-atlas.yml'));
    assert.ok(c.configurationRequests.some((i) => i.section === 'patternAtlas'), 'settings are pulled');
  });

  test('Law completion in the Related Laws & Pillars section inserts a whole link in the page style', async () => {
    const lines = original.split('\n');
    lines.splice(157, 0, '- Law$0');
    const { items, text, position } = await complete(c, RETRY, lines.join('\n'));
    const law4 = pick(items, 'Law 4: Economic Reality');
    assert.ok(items.some((i) => i.label === 'Pillar 3: Distribution of Truth'), 'Pillars are offered too');
    const doc = law4.documentation as P.MarkupContent;
    assert.match(doc.value, /Principle/);
    const after = accept(text, law4);
    assert.equal(lineOf(after, position.line), '- [Law 4: Economic Reality](../laws/law4-economic-reality.md)');
    // Filtering by number and by words: the client matches these against filterText.
    const law2 = pick(items, 'Law 2: Asynchronous Reality');
    assert.ok(law2.filterText!.includes('l2') && law2.filterText!.includes('async'), law2.filterText);
  });

  test('Law completion while typing link text replaces the bracket and what follows it', async () => {
    const lines = original.split('\n');
    lines.splice(157, 0, '- see [asy$0]');
    const { items, text, position } = await complete(c, RETRY, lines.join('\n'));
    const law2 = pick(items, 'Law 2: Asynchronous Reality');
    assert.ok(law2.filterText!.startsWith('['), 'filterText starts like the replaced text');
    assert.equal(lineOf(accept(text, law2), position.line), '- see [Law 2: Asynchronous Reality](../laws/law2-asynchronous-reality.md)');
  });

  test('page completion inside ]( lists patterns first, with status and category', async () => {
    const lines = original.split('\n');
    lines.splice(148, 0, '- [Bulkheads](bu$0');
    const { items, text, position } = await complete(c, RETRY, lines.join('\n'));
    const sorted = [...items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1));
    const firstPage = sorted.findIndex((i) => i.kind === P.CompletionItemKind.File && !i.sortText!.startsWith('0'));
    assert.ok(sorted.slice(0, firstPage).every((i) => i.sortText!.startsWith('0')), 'patterns come first');
    const bulkhead = pick(items, 'Bulkhead Pattern');
    assert.equal(bulkhead.detail, 'complete · resilience');
    assert.ok(!items.some((i) => i.label === 'Retry with Backoff Pattern'), 'not the page itself');
    pick(items, 'Glossary');
    assert.equal(lineOf(accept(text, bulkhead), position.line), '- [Bulkheads](bulkhead.md');
  });

  test('anchor completion after # offers the target page headings as the site slugs them', async () => {
    const lines = original.split('\n');
    lines.splice(148, 0, '- [Bulkheads](bulkhead.md#lev$0)');
    const { items, text, position } = await complete(c, RETRY, lines.join('\n'));
    assert.deepEqual(
      items.map((i) => i.label).filter((l) => l.startsWith('level')),
      ['level-1-intuition', 'level-2-foundation', 'level-3-deep-dive', 'level-4-expert', 'level-5-mastery'],
    );
    assert.ok(items.some((i) => i.label === 'failure-modes'), 'explicit {#id} kept');
    assert.equal(lineOf(accept(text, pick(items, 'level-4-expert')), position.line), '- [Bulkheads](bulkhead.md#level-4-expert)');
  });

  test('completion inside a reference definition', async () => {
    const { items, text, position } = await complete(c, RETRY, original + '\n[cb]: circ$0\n');
    const cb = pick(items, 'Circuit Breaker Pattern');
    assert.equal(lineOf(accept(text, cb), position.line), '[cb]: circuit-breaker.md');
  });

  test('frontmatter completion: missing keys, then enum values', async () => {
    const keys = await complete(c, RETRY, original.replace('status: complete\n', 'st$0\n'));
    const status = pick(keys.items, 'status');
    assert.equal(lineOf(accept(keys.text, status), keys.position.line), 'status: ');
    assert.ok(!keys.items.some((i) => i.label === 'title'), 'present keys are not offered');
    const values = await complete(c, RETRY, original.replace('difficulty: beginner', 'difficulty: $0'));
    assert.deepEqual(values.items.map((i) => i.label).sort(), ['advanced', 'beginner', 'expert', 'intermediate']);
    assert.equal(lineOf(accept(values.text, pick(values.items, 'advanced')), values.position.line), 'difficulty: advanced');
    await c.change(RETRY, original);
  });

  test('hover on a link shows the target: title, description, status, when to use', async () => {
    await c.change(RETRY, original);
    const h = await c.conn.sendRequest(P.HoverRequest.type, { textDocument: { uri: c.uri(RETRY) }, position: { line: 144, character: 5 } });
    const text = hoverText(h);
    assert.match(text, /\*\*Bulkhead Pattern\*\*/);
    assert.match(text, /Partition resources so that one failing path cannot exhaust them all/);
    assert.match(text, /Status: complete · Category: resilience/);
    assert.match(text, /\*\*When to use:\*\* A service calls several dependencies/);
    assert.match(text, /\*\*When not to use:\*\* A tiny service/);
    assert.deepEqual(h!.range, { start: { line: 144, character: 2 }, end: { line: 144, character: 25 } });
  });

  test('hover on a Law link says how many patterns cite it', async () => {
    const h = await c.conn.sendRequest(P.HoverRequest.type, { textDocument: { uri: c.uri(RETRY) }, position: { line: 151, character: 10 } });
    const text = hoverText(h);
    assert.match(text, /\*\*Law 2: Asynchronous Reality\*\*/);
    assert.match(text, /\d+ patterns? cites? Law 2: Asynchronous Reality/);
  });

  test('hover on a broken link says why and names the nearest valid target', async () => {
    const h = await c.conn.sendRequest(P.HoverRequest.type, { textDocument: { uri: c.uri(RETRY) }, position: { line: 142, character: 25 } });
    const text = hoverText(h);
    assert.match(text, /Broken link/);
    assert.match(text, /'circuit-braker\.md' not found/);
    assert.match(text, /Nearest valid target: `patterns\/circuit-breaker\.md` \(Circuit Breaker Pattern\)/);
  });

  test('definition: a link goes to its page, an anchor link to its heading', async () => {
    const d = (await c.conn.sendRequest(P.DefinitionRequest.type, { textDocument: { uri: c.uri(RETRY) }, position: { line: 144, character: 15 } })) as P.Location[];
    assert.deepEqual(d, [{ uri: c.uri('docs/patterns/bulkhead.md'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }]);
    const es = 'docs/patterns/event-sourcing.md';
    await c.open(es);
    const a = (await c.conn.sendRequest(P.DefinitionRequest.type, { textDocument: { uri: c.uri(es) }, position: { line: 84, character: 50 } })) as P.Location[];
    assert.equal(a.length, 1);
    assert.equal(a[0].uri, c.uri('docs/patterns/cqrs.md'));
    assert.equal(a[0].range.start.line, 56, 'the "## Level 3: Deep Dive" line');
  });

  test('references: who links to this page (from anywhere in it) and to a heading', async () => {
    const bulkhead = 'docs/patterns/bulkhead.md';
    await c.open(bulkhead);
    const refs = await c.conn.sendRequest(P.ReferencesRequest.type, {
      textDocument: { uri: c.uri(bulkhead) },
      position: { line: 25, character: 3 },
      context: { includeDeclaration: false },
    });
    const files = [...new Set(refs!.map((r) => path.relative(root, new URL(r.uri).pathname)))].sort();
    assert.ok(files.includes(RETRY), files.join(', '));
    assert.ok(files.includes('docs/patterns/circuit-breaker.md'));
    const fromRetry = refs!.filter((r) => r.uri === c.uri(RETRY));
    assert.deepEqual(fromRetry.map((r) => r.range.start), [{ line: 144, character: 2 }]);

    const cqrs = 'docs/patterns/cqrs.md';
    await c.open(cqrs);
    const heading = await c.conn.sendRequest(P.ReferencesRequest.type, {
      textDocument: { uri: c.uri(cqrs) },
      position: { line: 56, character: 6 },
      context: { includeDeclaration: false },
    });
    assert.deepEqual(
      heading!.map((r) => [path.relative(root, new URL(r.uri).pathname), r.range.start.line]),
      [['docs/patterns/event-sourcing.md', 84]],
    );
    // From a link: the same as from the page it points at.
    const viaLink = await c.conn.sendRequest(P.ReferencesRequest.type, {
      textDocument: { uri: c.uri(RETRY) },
      position: { line: 144, character: 15 },
      context: { includeDeclaration: false },
    });
    assert.deepEqual(viaLink, refs);
  });

  test('pull diagnostics for a page: codes, severities, source and data; unchanged when asked again', async () => {
    await c.change(RETRY, original);
    const r = (await c.pull(RETRY)) as P.FullDocumentDiagnosticReport;
    assert.equal(r.kind, 'full');
    const summary = r.items.map((d) => `${d.range.start.line + 1} ${d.code} ${d.severity}`).sort();
    assert.deepEqual(summary, ['14 missing-diagram 3', '14 missing-section 2', '143 broken-link 2', '73 broken-link 2']);
    for (const d of r.items) assert.equal(d.source, 'pattern-atlas');
    const broken = r.items.find((d) => d.code === 'broken-link')!;
    assert.deepEqual((broken.data as { suggestions: string[] }).suggestions, ['patterns/circuit-breaker.md']);
    const again = await c.pull(RETRY, r.resultId);
    assert.equal(again.kind, 'unchanged');
  });

  test('typing prose asks the client to re-pull no other page', async () => {
    const before = c.refreshes;
    await c.change(RETRY, original.replace('When a phone call drops', 'When a phone call drops suddenly'));
    // Any refresh is sent while the change is applied, so before this answer.
    await c.pull(RETRY);
    assert.equal(c.refreshes, before);
    await c.change(RETRY, original);
  });

  test('workspace diagnostics cover unopened pages and mkdocs.yml', async () => {
    const r = await c.conn.sendRequest(P.WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    const byFile = new Map(r.items.map((i) => [path.relative(root, new URL(i.uri).pathname), i as P.WorkspaceFullDocumentDiagnosticReport]));
    const pillar3 = byFile.get('docs/pillars/pillar3-truth.md');
    assert.ok(pillar3, 'an unopened page is reported');
    assert.deepEqual(pillar3.items.map((d) => `${d.range.start.line + 1} ${d.code}`), ['36 broken-link']);
    assert.deepEqual(byFile.get('mkdocs.yml')!.items.map((d) => `${d.range.start.line + 1} ${d.code}`), ['117 nav-missing-file']);
    assert.deepEqual(byFile.get('docs/patterns/circuit-breaker.md')!.items, [], 'clean pages are reported, empty');
    // Asked again with the ids it returned: nothing changed.
    const again = await c.conn.sendRequest(P.WorkspaceDiagnosticRequest.type, {
      previousResultIds: r.items.map((i) => ({ uri: i.uri, value: (i as P.WorkspaceFullDocumentDiagnosticReport).resultId! })),
    });
    assert.ok(again.items.every((i) => i.kind === 'unchanged'));
  });

  test('deleting a linked page on disk (didChangeWatchedFiles) makes the links to it broken', async () => {
    const refreshes = c.refreshes;
    fs.rmSync(path.join(root, 'docs/patterns/leader-election.md'));
    await c.conn.sendNotification(P.DidChangeWatchedFilesNotification.type, {
      changes: [{ uri: c.uri('docs/patterns/leader-election.md'), type: P.FileChangeType.Deleted }],
    });
    await c.waitFor('a diagnostics refresh', () => c.refreshes > refreshes);
    const r = (await c.pull(RETRY)) as P.FullDocumentDiagnosticReport;
    const broken = r.items.filter((d) => d.code === 'broken-link').map((d) => d.range.start.line + 1);
    assert.deepEqual(broken.sort((a, b) => a - b), [73, 143, 147]);
    const ws = await c.conn.sendRequest(P.WorkspaceDiagnosticRequest.type, { previousResultIds: [] });
    const pillar3 = ws.items.find((i) => i.uri.endsWith('pillars/pillar3-truth.md')) as P.WorkspaceFullDocumentDiagnosticReport;
    assert.deepEqual(pillar3.items.map((d) => d.range.start.line + 1).sort((a, b) => a - b), [32, 36], 'an unopened page got the new broken link');
    const gone = ws.items.find((i) => i.uri.endsWith('leader-election.md')) as P.WorkspaceFullDocumentDiagnosticReport;
    assert.deepEqual(gone && [gone.kind, gone.items], ['full', []], 'the deleted page is cleared once');
  });

  test('malformed YAML and binary content do not crash the server', async () => {
    const rel = 'docs/reference/scratch.md';
    fs.writeFileSync(path.join(root, rel), '# Scratch\n');
    await c.conn.sendNotification(P.DidChangeWatchedFilesNotification.type, { changes: [{ uri: c.uri(rel), type: P.FileChangeType.Created }] });
    await c.open(rel, '---\ntitle: [unclosed\n  - : :\n---\n# Scratch\n[x](');
    const yaml = (await c.pull(rel)) as P.FullDocumentDiagnosticReport;
    assert.ok(yaml.items.some((d) => d.code === 'frontmatter-yaml'), JSON.stringify(yaml.items));
    await c.change(rel, '\u0000\u0001PNG\u0000binary\uFFFD\uD800');
    const bin = (await c.pull(rel)) as P.FullDocumentDiagnosticReport;
    assert.deepEqual(bin.items.map((d) => d.code), ['file-unreadable']);
    // Requests at impossible places and on unknown documents answer, without error.
    const uri = c.uri(rel);
    assert.equal(await c.conn.sendRequest(P.HoverRequest.type, { textDocument: { uri }, position: { line: 9999, character: 9999 } }), null);
    await c.conn.sendRequest(P.CompletionRequest.type, { textDocument: { uri }, position: { line: 0, character: 99 } });
    assert.equal(await c.conn.sendRequest(P.HoverRequest.type, { textDocument: { uri: 'untitled:Untitled-1' }, position: { line: 0, character: 0 } }), null);
    await c.conn.sendRequest(P.DefinitionRequest.type, { textDocument: { uri: c.uri('nowhere/x.md') }, position: { line: 0, character: 0 } });
    await c.conn.sendNotification(P.DidChangeWatchedFilesNotification.type, { changes: [{ uri: 'file:///definitely/not/here.md', type: P.FileChangeType.Changed }] });
    await c.conn.sendRequest(P.ReferencesRequest.type, { textDocument: { uri }, position: { line: -1, character: -1 }, context: { includeDeclaration: true } }).catch(() => undefined);
    // Still alive and correct.
    const h = await c.conn.sendRequest(P.HoverRequest.type, { textDocument: { uri: c.uri(RETRY) }, position: { line: 144, character: 5 } });
    assert.match(hoverText(h), /Bulkhead Pattern/);
  });
});

describe('pattern-atlas server over stdio (push diagnostics)', () => {
  let c: Client;
  let root: string;

  before(async () => {
    c = await startOnCopy({ pull: false });
    root = c.root;
  });
  after(async () => {
    await c?.stop();
  });

  test('without pull support, every page of the site is pushed, opened or not', async () => {
    assert.equal(c.initializeResult.capabilities.diagnosticProvider, undefined);
    const pillar3 = await c.waitFor('diagnostics of an unopened page', () => c.pushed.get(c.uri('docs/pillars/pillar3-truth.md')));
    assert.deepEqual(pillar3.map((d) => `${d.range.start.line + 1} ${d.code}`), ['36 broken-link']);
    const mkdocs = await c.waitFor('diagnostics of mkdocs.yml', () => c.pushed.get(c.uri('mkdocs.yml')));
    assert.deepEqual(mkdocs.map((d) => d.code), ['nav-missing-file']);
    assert.ok(c.pushed.get(c.uri(RETRY))!.some((d) => d.code === 'missing-section'));
  });

  test('renaming a heading breaks the anchor link on another page, and renaming it back clears it', async () => {
    const cqrs = 'docs/patterns/cqrs.md';
    const es = c.uri('docs/patterns/event-sourcing.md');
    await c.waitFor('event-sourcing diagnostics', () => c.pushed.get(es));
    assert.ok(!c.pushed.get(es)!.some((d) => d.code === 'broken-anchor'));
    const text = await c.open(cqrs);
    await c.change(cqrs, text.replace('## Level 3: Deep Dive', '## Level 3: Deeper Dive'));
    const broken = await c.waitFor('a broken-anchor on event-sourcing.md', () => c.pushed.get(es)!.find((d) => d.code === 'broken-anchor'));
    assert.equal(broken.range.start.line, 84);
    assert.match(broken.message, /No heading with id '#level-3-deep-dive' in patterns\/cqrs\.md\. Did you mean #level-3-deeper-dive\?/);
    await c.change(cqrs, text);
    await c.waitFor('the broken-anchor to clear', () => !c.pushed.get(es)!.some((d) => d.code === 'broken-anchor'));
  });

  test('a new page created on disk fixes the links and the nav entry that wanted it', async () => {
    const gossip = 'docs/patterns/gossip.md';
    fs.writeFileSync(path.join(root, gossip), '---\ntitle: Gossip Dissemination\ntype: pattern\nstatus: stub\n---\n\n# Gossip Dissemination\n');
    await c.conn.sendNotification(P.DidChangeWatchedFilesNotification.type, { changes: [{ uri: c.uri(gossip), type: P.FileChangeType.Created }] });
    await c.waitFor('pillar3 broken link to clear', () => c.pushed.get(c.uri('docs/pillars/pillar3-truth.md'))?.length === 0);
    await c.waitFor('nav-missing-file to clear', () => c.pushed.get(c.uri('mkdocs.yml'))?.length === 0);
  });

  test('a changed mkdocs.yml reloads the site', async () => {
    const mk = path.join(root, 'mkdocs.yml');
    fs.writeFileSync(mk, fs.readFileSync(mk, 'utf8').replace('          - Gossip: patterns/gossip.md\n', '          - Gossip: patterns/gossip.md\n          - Quorum: patterns/quorum.md\n'));
    await c.conn.sendNotification(P.DidChangeWatchedFilesNotification.type, { changes: [{ uri: c.uri('mkdocs.yml'), type: P.FileChangeType.Changed }] });
    const d = await c.waitFor('nav-missing-file for the new entry', () => c.pushed.get(c.uri('mkdocs.yml'))?.find((x) => x.code === 'nav-missing-file'));
    assert.match(d.message, /patterns\/quorum\.md/);
  });
});

describe('pattern-atlas server: the site itself changes', () => {
  test('deleting mkdocs.yml withdraws what depended on it; restoring it brings it back', async () => {
    const c = await startOnCopy({ pull: false });
    const root = c.root;
    try {
      const mkUri = c.uri('mkdocs.yml');
      const heartbeat = c.uri('docs/patterns/heartbeat.md');
      await c.waitFor('nav findings', () => c.pushed.get(mkUri)?.length && c.pushed.get(heartbeat)?.some((d) => d.code === 'not-in-nav'));
      const mk = path.join(root, 'mkdocs.yml');
      const text = fs.readFileSync(mk, 'utf8');
      fs.rmSync(mk);
      await c.conn.sendNotification(P.DidChangeWatchedFilesNotification.type, { changes: [{ uri: mkUri, type: P.FileChangeType.Deleted }] });
      // .pattern-atlas.yml still marks the site: it is loaded again without a nav.
      await c.waitFor('mkdocs.yml findings withdrawn', () => c.pushed.get(mkUri)?.length === 0);
      await c.waitFor('not-in-nav withdrawn', () => !c.pushed.get(heartbeat)!.some((d) => d.code === 'not-in-nav'));
      fs.writeFileSync(mk, text);
      await c.conn.sendNotification(P.DidChangeWatchedFilesNotification.type, { changes: [{ uri: mkUri, type: P.FileChangeType.Created }] });
      await c.waitFor('nav findings back', () => c.pushed.get(mkUri)?.length && c.pushed.get(heartbeat)?.some((d) => d.code === 'not-in-nav'));
    } finally {
      await c.stop();
    }
  });
});

describe('pattern-atlas server settings (workspace/configuration)', () => {
  test('patternAtlas.rules is pulled per resource, merged over .pattern-atlas.yml, and reloaded on change', async () => {
    const settings: Record<string, unknown> = { rules: { 'missing-diagram': 'off', 'broken-link': 'error', 'not-a-rule': 'error' } };
    const c = await startOnCopy({ settings });
    try {
      await c.open(RETRY);
      const r = (await c.pull(RETRY)) as P.FullDocumentDiagnosticReport;
      assert.ok(!r.items.some((d) => d.code === 'missing-diagram'), 'turned off by the setting');
      assert.ok(r.items.filter((d) => d.code === 'broken-link').every((d) => d.severity === P.DiagnosticSeverity.Error), 'raised over mkdocs.yml validation: warn');
      assert.ok(
        c.configurationRequests.some((i) => i.section === 'patternAtlas' && i.scopeUri === c.uri('').replace(/\/$/, '')),
        JSON.stringify(c.configurationRequests),
      );
      // The user changes the setting: the server pulls it again and re-checks.
      settings.rules = {};
      const refreshes = c.refreshes;
      const pulls = c.configurationRequests.length;
      await c.conn.sendNotification(P.DidChangeConfigurationNotification.type, { settings: null });
      await c.waitFor('a new configuration pull', () => c.configurationRequests.length > pulls);
      await c.waitFor('a diagnostics refresh', () => c.refreshes > refreshes);
      const again = (await c.pull(RETRY)) as P.FullDocumentDiagnosticReport;
      assert.ok(again.items.some((d) => d.code === 'missing-diagram'), JSON.stringify(again.items.map((d) => d.code)));
      assert.ok(again.items.filter((d) => d.code === 'broken-link').every((d) => d.severity === P.DiagnosticSeverity.Warning));
    } finally {
      await c.stop();
    }
  });
});
