/**
 * Pattern Atlas for VS Code: starts the language server (dist/server.cjs)
 * through vscode-languageclient for Markdown pages and mkdocs.yml of MkDocs
 * sites, and adds what needs an editor UI: the catalog tree, the status-bar
 * summary, the catalog report webview and a few commands.
 *
 * The only code in the project that imports `vscode`; the server knows
 * nothing of it. Custom requests are typed in common/protocol.ts.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node.js';
import {
  CatalogRequestMethod,
  ReportRequestMethod,
  SETTINGS_SECTION,
  UNTRUSTED_FLAG,
  type CatalogResult,
  type PatternAtlasSettings,
  type ReportResult,
  type SiteParams,
} from '../../common/protocol.ts';
import { CatalogTree } from './catalogView.ts';
import { statusText, statusTooltip, type GroupBy } from './model.ts';
import { addPageToNav } from './nav.ts';
import { registerPreview } from './preview.ts';
import { registerRelated } from './related.ts';
import { ReportPanel } from './reportPanel.ts';

const SITE_GLOB = '**/{mkdocs.yml,mkdocs.yaml,.pattern-atlas.yml}';
const EXCLUDE_GLOB = '**/{node_modules,.git,site}/**';
const METHOD_NOT_FOUND = -32601;

/** What `activate` returns: used by the extension-host tests (test/extension/suite). */
export interface PatternAtlasApi {
  /** Resolves once the language client is running (rejects if it failed to start). */
  whenReady(): Promise<void>;
  /** Asks the server for the catalog now and updates the status bar and tree. */
  refreshCatalog(): Promise<CatalogResult | undefined>;
  catalog(): CatalogResult | undefined;
  statusBarText(): string;
  /** Arguments the server was started with (`--untrusted` in untrusted workspaces). */
  serverArgs(): string[];
  siteRoots(): vscode.Uri[];
}

class Atlas implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private ready: Promise<void> = Promise.reject(new Error('Pattern Atlas: server not started'));
  private args: string[] = [];
  private sites: vscode.Uri[] = [];
  private current: CatalogResult | undefined;
  private catalogSeq = 0;
  private refreshTimer: NodeJS.Timeout | undefined;
  private catalogUnsupportedLogged = false;
  private readonly status: vscode.StatusBarItem;
  private readonly tree: CatalogTree;
  private readonly view: vscode.TreeView<unknown>;
  private readonly report: ReportPanel;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
  ) {
    this.ready.catch(() => undefined);
    this.status = vscode.window.createStatusBarItem('patternAtlas.status', vscode.StatusBarAlignment.Left, 100);
    this.status.name = 'Pattern Atlas';
    this.status.command = 'patternAtlas.showCatalogReport';
    this.tree = new CatalogTree(
      (path, uri) => this.resolve(path, uri),
      () => vscode.workspace.getConfiguration(SETTINGS_SECTION).get<GroupBy>('catalog.groupBy', 'navSection'),
    );
    this.view = vscode.window.createTreeView('patternAtlas.catalog', { treeDataProvider: this.tree as vscode.TreeDataProvider<unknown>, showCollapseAll: true });
    this.report = new ReportPanel(
      () => this.requestReport(),
      (path) => this.resolve(path),
      (m) => this.log(m),
    );
    this.disposables.push(this.status, this.view, this.report);
  }

  log(msg: string): void {
    this.output.appendLine(`[client ${new Date().toLocaleTimeString()}] ${msg}`);
  }

  // ---- sites -----------------------------------------------------------------------------

  async findSites(): Promise<vscode.Uri[]> {
    const files = await vscode.workspace.findFiles(SITE_GLOB, EXCLUDE_GLOB, 50);
    const roots = new Map<string, vscode.Uri>();
    for (const f of files) {
      const root = vscode.Uri.joinPath(f, '..');
      roots.set(root.toString(), root);
    }
    this.sites = [...roots.values()].sort((a, b) => a.path.length - b.path.length || a.path.localeCompare(b.path));
    await vscode.commands.executeCommand('setContext', 'patternAtlas.active', this.sites.length > 0);
    return this.sites;
  }

  siteRoots(): vscode.Uri[] {
    return this.sites;
  }

  /** The site containing `uri` (deepest root), else the first site. */
  private siteFor(uri?: vscode.Uri): vscode.Uri | undefined {
    if (uri) {
      const inside = this.sites.filter((r) => uri.path === r.path || uri.path.startsWith(r.path.endsWith('/') ? r.path : `${r.path}/`));
      if (inside.length) return inside.sort((a, b) => b.path.length - a.path.length)[0];
    }
    return this.sites[0];
  }

  /** A catalog/report path (site-root relative) or URI to a document URI. */
  resolve(path: string, uri?: string): vscode.Uri | undefined {
    if (uri) {
      try {
        return vscode.Uri.parse(uri, true);
      } catch {
        /* fall through to the path */
      }
    }
    const root = this.current?.root ? vscode.Uri.parse(this.current.root) : this.siteFor(vscode.window.activeTextEditor?.document.uri);
    if (!root) return undefined;
    const clean = path.replace(/^\/+/, '');
    const direct = vscode.Uri.joinPath(root, clean);
    // Report links may be docs_dir relative (`patterns/x.md`) rather than site-root relative.
    if (!fs.existsSync(direct.fsPath) && fs.existsSync(vscode.Uri.joinPath(root, 'docs', clean).fsPath)) {
      return vscode.Uri.joinPath(root, 'docs', clean);
    }
    return direct;
  }

  private siteParams(): SiteParams {
    const active = vscode.window.activeTextEditor?.document.uri;
    const site = this.siteFor(active?.scheme === 'file' ? active : undefined);
    return site ? { uri: site.toString() } : {};
  }

  // ---- the language client ------------------------------------------------------------------

  async start(): Promise<void> {
    if (this.client) return;
    const settings = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    if (!settings.get<boolean>('enable', true)) {
      this.log('patternAtlas.enable is false: the language server is not started.');
      this.setStatus('$(circle-slash) Patterns: off', 'Pattern Atlas is disabled (patternAtlas.enable)');
      this.view.message = 'Pattern Atlas is disabled (setting patternAtlas.enable).';
      return;
    }
    const serverModule = this.context.asAbsolutePath('dist/server.cjs');
    if (!fs.existsSync(serverModule)) {
      this.log(`language server not found at ${serverModule}`);
      this.setStatus('$(error) Patterns: no server', `Pattern Atlas: ${serverModule} is missing`);
      this.view.message = 'The Pattern Atlas language server is missing from this installation.';
      this.ready = Promise.reject(new Error(`missing ${serverModule}`));
      this.ready.catch(() => undefined);
      return;
    }
    const untrusted = !vscode.workspace.isTrusted;
    this.args = untrusted ? [UNTRUSTED_FLAG] : [];
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.stdio, args: this.args },
      debug: {
        module: serverModule,
        transport: TransportKind.stdio,
        args: this.args,
        options: { execArgv: ['--nolazy', '--inspect=6009'] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'markdown' },
        { scheme: 'file', language: 'yaml', pattern: '**/mkdocs.{yml,yaml}' },
        { scheme: 'file', pattern: '**/.pattern-atlas.yml' },
      ],
      synchronize: {
        configurationSection: SETTINGS_SECTION,
        fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.md,mkdocs.yml,mkdocs.yaml,.pattern-atlas.yml}'),
      },
      initializationOptions: { settings: this.settings(), untrusted },
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      diagnosticCollectionName: 'pattern-atlas',
      markdown: { isTrusted: false, supportHtml: false },
    };
    // The id makes vscode-languageclient honor the `patternAtlas.trace.server` setting.
    const client = new LanguageClient('patternAtlas', 'Pattern Atlas', serverOptions, clientOptions);
    this.client = client;
    this.setStatus('$(sync~spin) Patterns: starting', 'Pattern Atlas language server is starting');
    this.view.message = 'Waiting for the Pattern Atlas language server…';
    this.log(`starting ${serverModule}${untrusted ? ` ${UNTRUSTED_FLAG} (untrusted workspace: nothing executes)` : ''}`);
    client.onDidChangeState((e) => {
      if (e.newState === State.Stopped && this.client === client) {
        this.setStatus('$(debug-disconnect) Patterns: stopped', 'The Pattern Atlas language server stopped. Click to restart.', 'patternAtlas.restartServer');
      }
    });
    this.ready = client.start().then(
      () => {
        this.log('language server ready');
        this.scheduleRefresh(0);
      },
      (e: unknown) => {
        this.log(`language server failed to start: ${String((e as Error)?.message ?? e)}`);
        this.setStatus('$(error) Patterns: server failed', 'The Pattern Atlas language server failed to start; see the output channel.', 'patternAtlas.showOutput');
        this.view.message = 'The Pattern Atlas language server failed to start (see Output › Pattern Atlas).';
        throw e;
      },
    );
    // Not awaited: activation must not hang on a server that never answers `initialize`.
    this.ready.catch(() => undefined);
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.current = undefined;
    if (!client) return;
    try {
      if (client.state !== State.Stopped) await client.stop(5000);
    } catch (e) {
      this.log(`stopping the server: ${String((e as Error)?.message ?? e)}`);
    }
    await client.dispose().catch(() => undefined);
  }

  async restart(): Promise<void> {
    this.log('restarting the language server');
    await this.stop();
    this.catalogUnsupportedLogged = false;
    await this.start();
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  /** The language client while it is running, else undefined (for the preview and related panels). */
  get runningClient(): LanguageClient | undefined {
    const client = this.client;
    return client?.state === State.Running ? client : undefined;
  }

  serverArgs(): string[] {
    return [...this.args];
  }

  private settings(): PatternAtlasSettings {
    const s = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    return {
      enable: s.get<boolean>('enable', true),
      rules: s.get<PatternAtlasSettings['rules']>('rules', {}),
      trace: { server: s.get<'off' | 'messages' | 'verbose'>('trace.server', 'off') },
    };
  }

  // ---- catalog, status bar, tree -----------------------------------------------------------------

  private setStatus(text: string, tooltip: string, command = 'patternAtlas.showCatalogReport'): void {
    this.status.text = text;
    this.status.tooltip = tooltip;
    this.status.command = command;
    this.status.show();
  }

  statusBarText(): string {
    return this.status.text;
  }

  catalog(): CatalogResult | undefined {
    return this.current;
  }

  scheduleRefresh(delay = 400): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refreshCatalog();
      void this.report.refresh();
    }, delay);
  }

  async refreshCatalog(): Promise<CatalogResult | undefined> {
    const client = this.runningClient;
    if (!client) return undefined;
    const seq = ++this.catalogSeq;
    try {
      const result = await client.sendRequest<CatalogResult>(CatalogRequestMethod, this.siteParams());
      if (seq !== this.catalogSeq || client !== this.client) return result;
      this.current = result ?? undefined;
      if (!result) {
        this.setStatus('$(book) Patterns: no site', 'The language server found no MkDocs site here');
        this.view.message = 'No pattern catalog found in this workspace.';
        this.tree.set(undefined);
        return undefined;
      }
      this.setStatus(`$(book) ${statusText(result.counts)}`, statusTooltip(result));
      this.view.message = result.patterns.length || result.concepts.length ? undefined : 'This site has no pattern pages yet.';
      this.tree.set(result);
      return result;
    } catch (e) {
      if (seq !== this.catalogSeq || client !== this.client) return undefined;
      const err = e as { code?: number; message?: string };
      if (err.code === METHOD_NOT_FOUND) {
        if (!this.catalogUnsupportedLogged) this.log(`the server does not answer ${CatalogRequestMethod} yet`);
        this.catalogUnsupportedLogged = true;
        this.setStatus('$(book) Patterns', `The language server does not provide ${CatalogRequestMethod}`);
        this.view.message = 'This version of the language server does not list the catalog.';
      } else if (client.state === State.Running) {
        this.log(`${CatalogRequestMethod} failed: ${err.message ?? String(e)}`);
        this.setStatus('$(warning) Patterns: ?', `${CatalogRequestMethod} failed: ${err.message ?? String(e)}`);
      }
      return undefined;
    }
  }

  private async requestReport(): Promise<string> {
    await this.ready;
    const client = this.client;
    if (!client) throw new Error('the language server is not running');
    const result = await client.sendRequest<ReportResult>(ReportRequestMethod, this.siteParams());
    return result?.markdown ?? '# Catalog report\n\nThe server returned no report.';
  }

  async showReport(): Promise<void> {
    if (!this.client) {
      void vscode.window.showWarningMessage('Pattern Atlas: the language server is not running.');
      return;
    }
    await this.report.show();
  }

  refreshTree(): void {
    this.tree.refresh();
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }
}

/** A command argument (Uri, tree node with a pattern, nothing) to a page URI. */
function uriFromArg(atlas: Atlas, arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const p = (arg as { pattern?: { path: string; uri?: string } } | undefined)?.pattern;
  if (p) return atlas.resolve(p.path, p.uri);
  return undefined;
}

let atlas: Atlas | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<PatternAtlasApi> {
  const output = vscode.window.createOutputChannel('Pattern Atlas');
  context.subscriptions.push(output);
  const a = new Atlas(context, output);
  atlas = a;
  context.subscriptions.push(a);

  registerPreview(context, () => a.runningClient); // the current language client (it changes on restart)
  registerRelated(context, () => a.runningClient);
  context.subscriptions.push(
    vscode.commands.registerCommand('patternAtlas.showCatalogReport', () => a.showReport()),
    vscode.commands.registerCommand('patternAtlas.addPageToNav', (arg?: unknown) => addPageToNav(uriFromArg(a, arg))),
    vscode.commands.registerCommand('patternAtlas.restartServer', async () => {
      await a.findSites();
      await a.restart();
    }),
    vscode.commands.registerCommand('patternAtlas.refreshCatalog', () => a.refreshCatalog()),
    vscode.commands.registerCommand('patternAtlas.showOutput', () => output.show(true)),
    vscode.languages.onDidChangeDiagnostics(() => a.scheduleRefresh()),
    vscode.workspace.onDidSaveTextDocument((d) => {
      if (d.languageId === 'markdown' || /(^|\/)(mkdocs\.ya?ml|\.pattern-atlas\.yml)$/.test(d.uri.path)) a.scheduleRefresh();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => a.scheduleRefresh()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      a.log('workspace trusted: restarting the server without restrictions');
      void a.restart();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('patternAtlas.enable')) {
        const on = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>('enable', true);
        void (on ? a.start() : a.stop().then(() => a.start()));
      } else if (e.affectsConfiguration('patternAtlas.catalog.groupBy')) {
        a.refreshTree();
      }
    }),
  );

  const sites = await a.findSites();
  if (sites.length > 0) {
    a.log(`sites: ${sites.map((s) => vscode.workspace.asRelativePath(s, true) || s.fsPath).join(', ')}`);
    await a.start();
  } else {
    // Activated by a Markdown file outside any MkDocs site: stay idle until one appears.
    a.log('no mkdocs.yml or .pattern-atlas.yml in this workspace: the language server is not started');
    const watcher = vscode.workspace.createFileSystemWatcher('**/{mkdocs.yml,mkdocs.yaml,.pattern-atlas.yml}', false, true, true);
    context.subscriptions.push(
      watcher,
      watcher.onDidCreate(async () => {
        if ((await a.findSites()).length) await a.start();
      }),
    );
  }

  return {
    whenReady: () => a.whenReady(),
    refreshCatalog: () => a.refreshCatalog(),
    catalog: () => a.catalog(),
    statusBarText: () => a.statusBarText(),
    serverArgs: () => a.serverArgs(),
    siteRoots: () => a.siteRoots(),
  };
}

export async function deactivate(): Promise<void> {
  const a = atlas;
  atlas = undefined;
  if (a) await a.stop();
}
