/**
 * A loaded site keeps no view into its pages' text (the `own` copies in
 * server/src/parse/common.ts): after every page is parsed and the texts are
 * dropped, the heap holds the documents, not the pages. Measured in a child
 * process with --expose-gc on pages built so that every kind of kept string
 * (heading, id, link target and text, first paragraph, frontmatter value,
 * anchors, fence, suppression) is long enough to be a view if it were cut
 * from the page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '..');

const CHILD = `
const { MemoryWorkspace } = await import(${JSON.stringify(path.join(REPO, 'server/src/site/workspace.ts'))});
const { loadSite } = await import(${JSON.stringify(path.join(REPO, 'server/src/site/site.ts'))});
const { extractFast } = await import(${JSON.stringify(path.join(REPO, 'server/src/parse/fast.ts'))});
const filler = ('Plain prose that nobody keeps, long enough to make the page weigh something. ').repeat(600);
function page(i) {
  return [
    '---', 'title: A title long enough to be a view ' + i, 'status: complete', 'tags: [a-tag-that-is-long-' + i + ', other]', 'search:', '  note: a nested value long enough to be a view ' + i, '---',
    '# The heading of page number ' + i + ' {#an-explicit-heading-id-' + i + '}',
    '',
    'A first paragraph on one line with [a link to somewhere](../some/long/target/page-' + i + '.md#section-anchor) in it.',
    '',
    '<!-- pattern-atlas-disable frontmatter-missing-field -->',
    '<a id="an-html-anchor-long-enough-' + i + '"></a>',
    '',
    filler,
    '',
    '## Another heading long enough ' + i,
    '',
    '\`\`\`mermaid-with-a-long-language-name',
    'graph TD; A-->B',
    '\`\`\`',
  ].join('\\n');
}
globalThis.gc();
const before = process.memoryUsage().heapUsed;
const files = {};
let chars = 0;
for (let i = 0; i < 300; i++) { const t = page(i); chars += t.length; files['/site/docs/p' + i + '.md'] = t; }
files['/site/mkdocs.yml'] = 'site_name: x\\n';
let ws = new MemoryWorkspace(files);
const site = loadSite(ws, '/site', { parse: extractFast }).site;
ws = null;
for (const k of Object.keys(files)) delete files[k];
globalThis.gc();
const kept = process.memoryUsage().heapUsed - before;
process.stdout.write(JSON.stringify({ pages: site.pages.size, chars, kept }));
`;

test('a loaded site does not keep its pages\' text alive', () => {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', CHILD], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { pages, chars, kept } = JSON.parse(r.stdout) as { pages: number; chars: number; kept: number };
  assert.equal(pages, 300);
  // The texts are about 14 MB (one byte per character); what the pages keep is a few hundred bytes each, plus
  // the parser's compiled code (about 3 MB in all). Holding views into the texts kept more than twice the texts.
  assert.ok(kept < chars * 0.5, `the site keeps ${(kept / 1e6).toFixed(1)} MB for ${(chars / 1e6).toFixed(1)} MB of page text`);
});
