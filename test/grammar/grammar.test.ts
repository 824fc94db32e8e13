/**
 * TextMate grammar tests for the Markdown injections in syntaxes/ (Mermaid
 * fences, Law/Pillar references), run with vscode-tmgrammar-test.
 *
 * The injections need a host grammar for `text.html.markdown`. No Markdown
 * grammar is vendored: the tests use `host/markdown-host.tmLanguage.json`, a
 * small stand-in written here that gives the scopes the injections care about,
 * and also VS Code's own Markdown grammar when it is on the machine (the
 * code-server installed by test/extension/install-code-server.sh ships it),
 * read in place, never copied.
 *
 * - snap/*.md: snapshot tests (vscode-tmgrammar-snap) against the stand-in host.
 *   Update after a deliberate grammar change with
 *   `UPDATE_SNAPSHOTS=1 node --import tsx --test test/grammar/grammar.test.ts`,
 *   then read the .snap diff.
 * - unit/*.test.md: assertion tests (vscode-tmgrammar-test) that mention only
 *   scopes of the injections, so they hold for both hosts.
 *
 * The grammar list comes from package.json `contributes.grammars`, so what is
 * tested is what the extension contributes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const bin = (name: string) => path.join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', `${name}.js`);

interface GrammarEntry {
  scopeName: string;
  path: string;
  injectTo?: string[];
  language?: string;
}

const contributed: GrammarEntry[] = pkg.contributes?.grammars ?? [];

/** VS Code's Markdown grammar, if some installed VS Code build carries one. */
function vscodeMarkdownGrammar(): string | undefined {
  const candidates = [
    process.env.PATTERN_ATLAS_MARKDOWN_GRAMMAR,
    path.join(
      process.env.PATTERN_ATLAS_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'pattern-atlas-e2e'),
      'code-server/node_modules/code-server/lib/vscode/extensions/markdown-basics/syntaxes/markdown.tmLanguage.json',
    ),
  ];
  return candidates.find((p): p is string => !!p && fs.existsSync(p));
}

/** A vscode-tmgrammar-test config (package.json shape) in a temp dir: the host plus our injections. */
function writeConfig(hostGrammar: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-grammar-'));
  const rel = (p: string) => path.relative(dir, path.resolve(root, p));
  const config = {
    contributes: {
      languages: [{ id: 'markdown', extensions: ['.md'] }],
      grammars: [
        { language: 'markdown', scopeName: 'text.html.markdown', path: rel(hostGrammar) },
        ...contributed.map((g) => ({ ...g, path: rel(g.path) })),
      ],
    },
  };
  const file = path.join(dir, 'package.json');
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

function run(tool: 'unit' | 'snapshot', config: string, pattern: string, extra: string[] = []) {
  const r = spawnSync(process.execPath, [bin(tool), '--config', config, ...extra, pattern], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}`.trim() };
}

const HOST = path.join(here, 'host', 'markdown-host.tmLanguage.json');

test('package.json contributes both injection grammars, and they parse', () => {
  const scopes = contributed.map((g) => g.scopeName).sort();
  assert.deepEqual(scopes, ['markdown.concept-reference.pattern-atlas', 'markdown.mermaid.pattern-atlas']);
  for (const g of contributed) {
    assert.deepEqual(g.injectTo, ['text.html.markdown'], g.scopeName);
    const grammar = JSON.parse(fs.readFileSync(path.join(root, g.path), 'utf8'));
    assert.equal(grammar.scopeName, g.scopeName);
    assert.match(grammar.injectionSelector, /^L:text\.html\.markdown/);
  }
});

test('snapshot tests (stand-in Markdown host)', () => {
  const update = process.env.UPDATE_SNAPSHOTS === '1' ? ['--updateSnapshot'] : [];
  const r = run('snapshot', writeConfig(HOST), 'test/grammar/snap/*.md', update);
  assert.equal(r.status, 0, r.out);
});

test('assertion tests (stand-in Markdown host)', () => {
  const r = run('unit', writeConfig(HOST), 'test/grammar/unit/*.test.md');
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /✓|passed|OK/i);
});

test("assertion tests (VS Code's own Markdown grammar)", (t) => {
  const grammar = vscodeMarkdownGrammar();
  if (!grammar) {
    t.skip("VS Code's markdown.tmLanguage.json not found (run test/extension/install-code-server.sh, or set PATTERN_ATLAS_MARKDOWN_GRAMMAR)");
    return;
  }
  const r = run('unit', writeConfig(grammar), 'test/grammar/unit/*.test.md');
  assert.equal(r.status, 0, r.out);
});
