import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNonce, previewCsp, renderPreviewHtml } from '../../client/webview/html.ts';
import { blockAtLine, blockForFence, exportFileName, parsePreviewMessage, themeOf, toWebviewBlocks, type HostBlock } from '../../client/webview/model.ts';

const B = (index: number, start: number, end: number): HostBlock => ({
  index,
  line: start,
  code: `graph TD\n  A${index} --> B`,
  range: { start: { line: start, character: 0 }, end: { line: end, character: 3 } },
});
const BLOCKS = [B(0, 4, 8), B(1, 12, 20)];

test('renderPreviewHtml: CSP with nonce, one nonce\'d script, nothing else', () => {
  const html = renderPreviewHtml({ nonce: 'abc123', cspSource: 'https://x.vscode-cdn.net', scriptUri: 'https://x.vscode-cdn.net/dist/preview.js' });
  assert.ok(html.includes(`content="${previewCsp('abc123', 'https://x.vscode-cdn.net')}"`));
  assert.equal(
    previewCsp('N', 'S'),
    "default-src 'none'; script-src S 'nonce-N'; style-src S 'unsafe-inline'; img-src S data:; font-src S data:",
  );
  assert.equal(html.match(/<script\b/g)?.length, 1);
  assert.match(html, /<script nonce="abc123" src="https:\/\/x\.vscode-cdn\.net\/dist\/preview\.js"><\/script>/);
  assert.throws(() => renderPreviewHtml({ nonce: '"><script>', cspSource: 'x', scriptUri: 'y' }));
  const hostile = renderPreviewHtml({ nonce: 'n', cspSource: 'x', scriptUri: '"><script>alert(1)</script>' });
  assert.equal(hostile.match(/<script\b/g)?.length, 1);
  assert.match(makeNonce((n) => new Uint8Array(n).fill(7)), /^[A-Za-z0-9]{32}$/);
});

test('themeOf maps ColorThemeKind', () => {
  assert.deepEqual([1, 2, 3, 4].map(themeOf), ['light', 'dark', 'high-contrast', 'light']);
});

test('blockAtLine / blockForFence', () => {
  assert.equal(blockAtLine(BLOCKS, 3), undefined);
  assert.equal(blockAtLine(BLOCKS, 4)?.index, 0);
  assert.equal(blockAtLine(BLOCKS, 8)?.index, 0);
  assert.equal(blockAtLine(BLOCKS, 15)?.index, 1);
  assert.equal(blockAtLine(BLOCKS, 21), undefined);
  assert.equal(blockForFence(BLOCKS, 12)?.index, 1);
  assert.equal(blockForFence(BLOCKS, 13)?.index, 1);
  assert.deepEqual(toWebviewBlocks(BLOCKS)[1], { index: 1, line: 12, code: 'graph TD\n  A1 --> B' });
});

test('exportFileName', () => {
  assert.equal(exportFileName('/site/docs/patterns/saga.md', 2, 'png'), 'saga.diagram-3.png');
  assert.equal(exportFileName('C:\\site\\x.markdown', 0, 'svg'), 'x.diagram-1.svg');
});

test('parsePreviewMessage accepts only well-formed messages', () => {
  assert.deepEqual(parsePreviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parsePreviewMessage({ type: 'select', index: 2, extra: 1 }), { type: 'select', index: 2 });
  assert.equal(parsePreviewMessage({ type: 'select', index: '2' }), undefined);
  assert.equal(parsePreviewMessage({ type: 'export', format: 'svg', index: 0, data: '<html>' }), undefined);
  assert.equal(parsePreviewMessage({ type: 'export', format: 'png', index: 0, data: 'not base64!' }), undefined);
  assert.equal(parsePreviewMessage({ type: 'export', format: 'exe', index: 0, data: 'AAAA' }), undefined);
  assert.equal(parsePreviewMessage({ type: 'export', format: 'png', index: 0, data: 'iVBORw0KGgo=' })?.type, 'export');
  assert.equal(parsePreviewMessage({ type: 'export', format: 'svg', index: 0, data: '<?xml version="1.0"?>\n<svg id="x">' })?.type, 'export');
  assert.equal(parsePreviewMessage(null), undefined);
});

test('the webview script typechecks with the DOM lib (client/webview/tsconfig.json; the root config has no DOM)', () => {
  const root = new URL('../..', import.meta.url).pathname;
  const tsc = `${root}node_modules/typescript/bin/tsc`;
  // Throws (with tsc's output) on any type error.
  execFileSync(process.execPath, [tsc, '--noEmit', '-p', 'client/webview'], { cwd: root, stdio: 'pipe' });
});
