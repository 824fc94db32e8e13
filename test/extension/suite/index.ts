/**
 * Extension-host tests: run inside the real VS Code extension host of
 * code-server (the `extensionTestsPath` of the workbench URL), against the
 * extension installed from the .vsix. code-server.test.ts bundles this file
 * to CommonJS with esbuild (`vscode` external) and reads the verdict.
 *
 * In code-server the extension host exits 0 even when run() throws, so the
 * verdict is a JSON file (path in env E2E_RESULT, written after every check
 * so a hang still leaves the checks that finished). E2E_WS is the workspace;
 * E2E_MODE=untrusted runs the Restricted Mode checks only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface Check {
  ok: boolean;
  ms: number;
  detail?: unknown;
  error?: string;
}

interface Api {
  whenReady(): Promise<void>;
  refreshCatalog(): Promise<{ counts: { total: number; complete: number; stub: number }; patterns: Array<{ path: string; navSection?: string; problems: number }>; concepts: Array<{ kind: string; citedBy: string[] }> } | undefined>;
  statusBarText(): string;
  serverArgs(): string[];
}

const EXTENSION_ID = 'pattern-atlas.pattern-atlas';
const STEP_MS = Number(process.env.E2E_STEP_MS || 30000);

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = STEP_MS): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const codeOf = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);
const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
const hoverText = (hs: vscode.Hover[]) =>
  hs.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c)))).join('\n');

export async function run(): Promise<void> {
  const out = process.env.E2E_RESULT;
  const ws = process.env.E2E_WS;
  if (!out || !ws) throw new Error('E2E_RESULT and E2E_WS must be set');
  const checks: Record<string, Check> = {};
  const started = Date.now();
  const write = (done: boolean) =>
    fs.writeFileSync(out, JSON.stringify({ done, ok: done && Object.values(checks).every((c) => c.ok), ms: Date.now() - started, vscode: vscode.version, checks }, null, 2));
  const check = async (name: string, fn: () => Promise<unknown>) => {
    const t0 = Date.now();
    try {
      checks[name] = { ok: true, ms: 0, detail: await fn() };
    } catch (e) {
      checks[name] = { ok: false, ms: 0, error: String((e as Error)?.stack ?? e).split('\n').slice(0, 4).join('\n') };
    }
    checks[name].ms = Date.now() - t0;
    write(false);
  };
  const page = (rel: string) => vscode.Uri.file(path.join(ws, rel));
  const open = async (rel: string) => {
    const doc = await vscode.workspace.openTextDocument(page(rel));
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  };
  const mkdocsText = async () => (await vscode.workspace.openTextDocument(page('mkdocs.yml'))).getText();
  /** A nav entry (not a comment) for `rel` in mkdocs.yml, as the editor has it (saved or not). */
  const navLists = async (rel: string) => {
    const entry = new RegExp(`^\\s*-\\s*(?:[^#\\n]*:\\s*)?["']?${rel.replace(/[.]/g, '\\.')}["']?\\s*$`, 'm');
    return entry.test(await mkdocsText());
  };

  let api: Api | undefined;
  await check('extension activates from the installed .vsix and the server starts', async () => {
    const ext = await waitFor('the extension to be installed', () => vscode.extensions.getExtension<Api>(EXTENSION_ID));
    api = await ext.activate();
    await api.whenReady();
    return { version: ext.packageJSON.version, path: ext.extensionPath };
  });

  if (process.env.E2E_MODE === 'untrusted') {
    // Restricted Mode: the extension declares limited support; the server gets --untrusted and still helps.
    await check('the workspace is not trusted and the server runs with --untrusted', async () => {
      if (vscode.workspace.isTrusted) throw new Error('the workspace is trusted');
      const args = api!.serverArgs();
      if (!args.includes('--untrusted')) throw new Error(`server args: ${JSON.stringify(args)}`);
      return args;
    });
    await check('read-only help still works untrusted: diagnostics in cqrs.md', async () => {
      const doc = await open('docs/patterns/cqrs.md');
      return waitFor('a broken-link diagnostic', () => vscode.languages.getDiagnostics(doc.uri).filter((x) => codeOf(x) === 'broken-link').length || undefined);
    });
    write(true);
    return;
  }

  await check('all commands are registered', async () => {
    const all = new Set(await vscode.commands.getCommands(true));
    const want = ['showCatalogReport', 'addPageToNav', 'restartServer', 'openPreview', 'openPreviewToSide', 'refreshCatalog', 'showOutput'].map((c) => `patternAtlas.${c}`);
    const missing = want.filter((c) => !all.has(c));
    if (missing.length) throw new Error(`missing commands: ${missing.join(', ')}`);
    return want.length;
  });

  await check('a trusted workspace starts the server without --untrusted', async () => {
    if (!vscode.workspace.isTrusted) throw new Error('workspace is not trusted');
    const args = api!.serverArgs();
    if (args.includes('--untrusted')) throw new Error(`server args: ${args.join(' ')}`);
    return args;
  });

  await check('patternAtlas/catalog fills the status bar and the tree', async () => {
    const catalog = await waitFor('a non-empty catalog', async () => {
      const c = await api!.refreshCatalog();
      return c && c.counts.total > 0 ? c : undefined;
    });
    const text = api!.statusBarText();
    if (!/Patterns: \d+ complete · \d+ stubs?$/.test(text)) throw new Error(`status bar: ${text}`);
    if (!catalog.patterns.some((p) => p.navSection)) throw new Error('no pattern has a nav section');
    if (!catalog.concepts.some((c) => c.kind === 'law' && c.citedBy.length > 0)) throw new Error('no Law is cited');
    return { status: text, counts: catalog.counts };
  });

  await check('diagnostics: broken-link in cqrs.md', async () => {
    const doc = await open('docs/patterns/cqrs.md');
    const diags = await waitFor('a broken-link diagnostic', () => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => codeOf(x) === 'broken-link');
      return d.length ? d : undefined;
    });
    return diags.map((d) => `${d.range.start.line + 1}: ${d.message}`);
  });

  await check('Law completion in a pattern page', async () => {
    const doc = await open('docs/patterns/retry-backoff.md');
    const editor = vscode.window.activeTextEditor!;
    const line = doc.lineCount;
    await editor.edit((e) => e.insert(new vscode.Position(line - 1, doc.lineAt(line - 1).text.length), '\n\nSee [Law'));
    const pos = new vscode.Position(line + 1, 'See [Law'.length);
    try {
      const labels = await waitFor('Law completions', async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
        const l = list.items.map(labelOf).filter((x) => /^Law \d+/.test(x));
        return l.length ? l : undefined;
      });
      if (!labels.some((l) => l.startsWith('Law 2'))) throw new Error(`no Law 2 among ${labels.join(', ')}`);
      return labels;
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  await check('hover and definition on a Law link', async () => {
    const doc = await open('docs/patterns/retry-backoff.md');
    const lineNo = doc.getText().split('\n').findIndex((l) => l.includes('(../laws/law2-asynchronous-reality.md)'));
    if (lineNo < 0) throw new Error('no Law 2 link in retry-backoff.md');
    const pos = new vscode.Position(lineNo, doc.lineAt(lineNo).text.indexOf('law2-asynchronous') + 3);
    const text = await waitFor('a hover', async () => {
      const t = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
      return /Asynchronous/.test(t) ? t : undefined;
    });
    const defs = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', doc.uri, pos);
    const targets = defs.map((d) => ('targetUri' in d ? d.targetUri : d.uri).path);
    if (!targets.some((t) => t.endsWith('/laws/law2-asynchronous-reality.md'))) throw new Error(`definition: ${targets.join(', ')}`);
    return { hover: text.slice(0, 200), definition: targets };
  });

  await check('quick fix for not-in-nav (heartbeat.md) is offered and applied', async () => {
    if (await navLists('patterns/heartbeat.md')) throw new Error('mkdocs.yml already lists heartbeat.md');
    const doc = await open('docs/patterns/heartbeat.md');
    const diag = await waitFor('a not-in-nav diagnostic', () => vscode.languages.getDiagnostics(doc.uri).find((x) => codeOf(x) === 'not-in-nav'));
    let seen: string[] = [];
    const fix = await waitFor('a nav quick fix', async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range, undefined, 20);
      seen = actions.map((a) => a.title);
      return actions.find((a) => a.diagnostics?.some((d) => codeOf(d) === 'not-in-nav') || /\bnav\b/i.test(a.title));
    }).catch((e: Error) => {
      throw new Error(`${e.message}; offered: ${seen.join(' | ') || '(none)'}`);
    });
    if (fix.edit && !(await vscode.workspace.applyEdit(fix.edit))) throw new Error('applyEdit failed');
    if (fix.command) await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    await waitFor('mkdocs.yml to list heartbeat.md', () => navLists('patterns/heartbeat.md'));
    await waitFor('the not-in-nav diagnostic to go away', () => !vscode.languages.getDiagnostics(doc.uri).some((x) => codeOf(x) === 'not-in-nav'));
    return fix.title;
  });

  await check('"Add Page to Nav" command adds lease.md', async () => {
    const doc = await open('docs/patterns/lease.md');
    await waitFor('a not-in-nav diagnostic', () => vscode.languages.getDiagnostics(doc.uri).some((x) => codeOf(x) === 'not-in-nav'));
    if (await navLists('patterns/lease.md')) throw new Error('mkdocs.yml already lists lease.md');
    await vscode.commands.executeCommand('patternAtlas.addPageToNav', doc.uri);
    await waitFor('mkdocs.yml to list lease.md', () => navLists('patterns/lease.md'));
    await waitFor('the not-in-nav diagnostic to go away', () => !vscode.languages.getDiagnostics(doc.uri).some((x) => codeOf(x) === 'not-in-nav'));
    return true;
  });

  await check('Show Catalog Report opens a webview', async () => {
    await vscode.commands.executeCommand('patternAtlas.showCatalogReport');
    const tab = await waitFor('the Catalog Report tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Catalog Report'),
    );
    return tab.label;
  });

  await check('Restart Server brings the server back', async () => {
    await vscode.commands.executeCommand('patternAtlas.restartServer');
    await api!.whenReady();
    const doc = await open('docs/patterns/cqrs.md');
    await waitFor('diagnostics after the restart', () => vscode.languages.getDiagnostics(doc.uri).some((x) => codeOf(x) === 'broken-link'));
    return api!.statusBarText();
  });

  await check('Mermaid preview commands run', async () => {
    await vscode.commands.executeCommand('patternAtlas.openPreview');
    await vscode.commands.executeCommand('patternAtlas.openPreviewToSide');
    return true;
  });

  write(true);
}
