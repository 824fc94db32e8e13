// One build script for every bundle: the CLI, the language server and the VS Code client.
import { build } from 'esbuild';
import fs from 'node:fs';

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

await Promise.all([
  // dist/cli.cjs and dist/server.cjs are small loaders running the bundles with V8's code cache (server/src/boot/).
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli-bundle.cjs', plugins: [serverBesideCli] }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server-bundle.cjs' }),
  build({ ...common, entryPoints: ['server/src/boot/cli.ts'], outfile: 'dist/cli.cjs', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['server/src/boot/server.ts'], outfile: 'dist/server.cjs', banner: { js: '#!/usr/bin/env node' } }),
  // The VS Code extension (package.json `main`); `vscode` is provided by the extension host.
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.cjs', external: ['vscode'] }),
  // The Mermaid preview webview script, mermaid bundled in (no CDN): a browser IIFE loaded by client/webview/html.ts.
  build({ bundle: true, platform: 'browser', format: 'iife', target: 'chrome114', entryPoints: ['client/webview/preview.ts'], outfile: 'dist/preview.js', logLevel: 'warning', minify: true, legalComments: 'eof' }),
  build({ ...common, format: 'esm', entryPoints: ['server/src/mermaid/worker.ts'], outfile: 'dist/mermaid-worker.mjs', plugins: [mermaidPatchPlugin()] }),
]);
