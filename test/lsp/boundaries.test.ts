/**
 * Only the edges know the protocol: `vscode-languageserver*` is imported
 * only under server/src/lsp/, and `vscode` only under client/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './client.ts';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.(ts|mts|cts|js|mjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

test('vscode-languageserver is imported only by server/src/lsp/', () => {
  const offenders = sources(path.join(REPO, 'server/src'))
    .filter((f) => !f.startsWith(path.join(REPO, 'server/src/lsp') + path.sep))
    .flatMap((f) => imports(f).filter((i) => i.startsWith('vscode-languageserver') || i === 'vscode-uri').map((i) => `${path.relative(REPO, f)}: ${i}`));
  assert.deepEqual(offenders, []);
});

test('the vscode API is imported by no server code', () => {
  const offenders = sources(path.join(REPO, 'server/src')).flatMap((f) => imports(f).filter((i) => i === 'vscode').map((i) => `${path.relative(REPO, f)}: ${i}`));
  assert.deepEqual(offenders, []);
});
