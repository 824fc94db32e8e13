// One build script for every bundle: the CLI, the language server and the VS Code client.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

// `vsce package` runs this (vscode:prepublish). The end-to-end test packages the bundles `npm test`
// already built, so that no test rewrites dist/ under another one that is running.
if (process.env.PATTERN_ATLAS_PACKAGE_PREBUILT === '1' && fs.existsSync('dist/server.cjs') && fs.existsSync('dist/client.cjs')) {
  console.log('esbuild.mjs: PATTERN_ATLAS_PACKAGE_PREBUILT=1, packaging the existing dist/');
  process.exit(0);
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  minify: process.argv.includes('--minify'),
};

/** Import a TypeScript module of this repo from this plain-JS script (esbuild compiles it in memory). */
async function importTs(file) {
  const r = await build({ entryPoints: [file], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'warning' });
  return import('data:text/javascript;base64,' + Buffer.from(r.outputFiles[0].text).toString('base64'));
}
// Mermaid validation runs in a worker thread (server/src/mermaid/pool.ts) loading dist/mermaid-worker.mjs.
// ESM, not CJS: mermaid's own modules must keep strict mode; the plugin applies server/src/mermaid/patch.ts.
const { mermaidPatchPlugin } = await importTs('server/src/mermaid/patch.ts');

// `pattern-atlas lsp` imports the server's entry: in the CLI bundle that is the server bundle beside it, loaded
// only by that command (the language-server stack is a third of the CLI bundle otherwise, read by every `check`).
const serverBesideCli = {
  name: 'server-beside-cli',
  setup(b) {
    // A module of its own whose body requires the server bundle (a CommonJS require: the bundle runs under
    // vm.Script, see server/src/boot/code-cache.ts, which has no dynamic import()).
    b.onResolve({ filter: /^\.\.\/lsp\/main\.ts$/ }, () => ({ path: 'server-bundle', namespace: 'server-beside-cli' }));
    b.onLoad({ filter: /.*/, namespace: 'server-beside-cli' }, () => ({ contents: "require('./server-bundle.cjs');", loader: 'js', resolveDir: '.' }));
    b.onResolve({ filter: /^\.\/server-bundle\.cjs$/ }, () => ({ path: './server-bundle.cjs', external: true }));
  },
};

/**
 * Write a build's files with every non-ASCII character of the JavaScript as a `\\uXXXX` escape. esbuild
 * escapes strings but keeps such characters in regular expressions and comments (`[←→]`), and one of them
 * makes the whole bundle a two-byte string: reading the 1.4 MB server bundle took 16-20 ms instead of 11-12 ms
 * (a fresh `node` timing `fs.readFileSync(bundle, 'utf8')`, old bundle against new), at every start of a check
 * or of the server, and V8 then scans twice the bytes. In a regular expression, a string or
 * a comment the escape means the same character. Source map columns after such a character on its line
 * are off by 5 per character (a few lines of regular expressions).
 */
async function buildAscii(options) {
  const r = await build({ ...options, write: false });
  for (const f of r.outputFiles) {
    let text = f.text;
    if (/\.[cm]js$/.test(f.path) && /[^\x00-\x7f]/.test(text)) {
      const bad = /\\[^\x00-\x7f]/.exec(text);
      if (bad) throw new Error(`esbuild.mjs: ${f.path}: a backslash before a non-ASCII character at offset ${bad.index}; write it as a \\u escape in the source`);
      text = text.replace(/[^\x00-\x7f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    }
    fs.mkdirSync(path.dirname(f.path), { recursive: true });
    fs.writeFileSync(f.path, text);
  }
}

await Promise.all([
  // dist/cli.cjs and dist/server.cjs are small loaders running the bundles with V8's code cache (server/src/boot/).
  buildAscii({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli-bundle.cjs', plugins: [serverBesideCli] }),
  buildAscii({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server-bundle.cjs' }),
  build({ ...common, entryPoints: ['server/src/boot/cli.ts'], outfile: 'dist/cli.cjs', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['server/src/boot/server.ts'], outfile: 'dist/server.cjs', banner: { js: '#!/usr/bin/env node' } }),
  // The VS Code extension (package.json `main`); `vscode` is provided by the extension host.
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.cjs', external: ['vscode'] }),
  // The Mermaid preview webview script, mermaid bundled in (no CDN): a browser IIFE loaded by client/webview/html.ts.
  build({ bundle: true, platform: 'browser', format: 'iife', target: 'chrome114', entryPoints: ['client/webview/preview.ts'], outfile: 'dist/preview.js', logLevel: 'warning', minify: true, legalComments: 'eof' }),
  buildAscii({ ...common, format: 'esm', entryPoints: ['server/src/mermaid/worker.ts'], outfile: 'dist/mermaid-worker.mjs', plugins: [mermaidPatchPlugin()] }),
]);
