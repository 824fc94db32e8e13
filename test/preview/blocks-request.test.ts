/**
 * `patternAtlas/mermaidBlocks` on the BUILT server: the blocks of an open
 * (edited, unsaved) page, including one indented in an admonition, with the
 * fence line and range the preview uses.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MermaidBlocksRequestMethod, type MermaidBlocksResult } from '../../common/protocol.ts';
import { startOnCopy, type Client } from '../lsp/client.ts';

const PAGE = 'docs/patterns/preview-probe.md';
const TEXT = [
  '# Probe', // 0
  '', // 1
  '```mermaid', // 2
  'graph TD', // 3
  '  A --> B', // 4
  '```', // 5
  '', // 6
  '!!! note "Inside"', // 7
  '', // 8
  '    ```mermaid', // 9
  '    sequenceDiagram', // 10
  '      A->>B: hi', // 11
  '    ```', // 12
  '', // 13
  '```python', // 14
  'print(1)', // 15
  '```', // 16
  '',
].join('\n');

let c: Client;
before(async () => {
  c = await startOnCopy();
});
after(async () => {
  await c?.stop();
});

test('mermaidBlocks returns the blocks of the open document, in page coordinates', async () => {
  await c.open(PAGE, TEXT);
  const r = await c.conn.sendRequest<MermaidBlocksResult>(MermaidBlocksRequestMethod, { uri: c.uri(PAGE) });
  assert.equal(r.blocks.length, 2);
  assert.deepEqual(
    r.blocks.map((b) => ({ index: b.index, line: b.line, code: b.code.trimEnd(), start: b.range.start.line, end: b.range.end.line })),
    [
      { index: 0, line: 2, code: 'graph TD\n  A --> B', start: 2, end: 5 },
      { index: 1, line: 9, code: 'sequenceDiagram\n  A->>B: hi', start: 9, end: 12 },
    ],
  );
  // After an edit, the new text (not the file on disk) is what counts.
  await c.change(PAGE, TEXT.replace('  A --> B', '  A --> B\n  B --> C'));
  const r2 = await c.conn.sendRequest<MermaidBlocksResult>(MermaidBlocksRequestMethod, { uri: c.uri(PAGE) });
  assert.equal(r2.blocks[0]!.code.trimEnd(), 'graph TD\n  A --> B\n  B --> C');
  assert.equal(r2.blocks[1]!.line, 10);
});

test('mermaidBlocks of an unknown file is empty, not an error', async () => {
  const r = await c.conn.sendRequest<MermaidBlocksResult>(MermaidBlocksRequestMethod, { uri: c.uri('docs/nope.md') });
  assert.deepEqual(r, { blocks: [] });
});
