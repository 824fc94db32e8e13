/**
 * "Show Catalog Report": the engine's report (Markdown from `patternAtlas/report`)
 * rendered to HTML in a webview with a strict CSP and a per-render nonce.
 * Raw HTML in the Markdown is not rendered. Links to pages open them in the
 * editor; http(s) links open outside.
 */
import * as vscode from 'vscode';
import MarkdownIt from 'markdown-it';
import { makeNonce } from '../webview/html.ts';
import { classifyReportLink, reportHtml } from './model.ts';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

export class ReportPanel {
  private panel: vscode.WebviewPanel | undefined;

  constructor(
    private readonly fetchMarkdown: () => Promise<string>,
    private readonly resolve: (path: string) => vscode.Uri | undefined,
    private readonly log: (msg: string) => void,
  ) {}

  get visible(): boolean {
    return !!this.panel?.visible;
  }

  async show(): Promise<void> {
    if (this.panel) {
      this.panel.reveal(undefined, false);
    } else {
      this.panel = vscode.window.createWebviewPanel(
        'patternAtlas.report',
        'Catalog Report',
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
        { enableScripts: true, enableFindWidget: true, localResourceRoots: [], retainContextWhenHidden: false },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m));
      this.panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) void this.render();
      });
    }
    await this.render();
  }

  /** Re-render if open (called when diagnostics change). */
  async refresh(): Promise<void> {
    if (this.panel?.visible) await this.render();
  }

  private async render(): Promise<void> {
    const panel = this.panel;
    if (!panel) return;
    let body: string;
    try {
      body = md.render(await this.fetchMarkdown());
    } catch (e) {
      body = md.render(`# Catalog report\n\nThe language server could not produce the report:\n\n    ${String((e as Error)?.message ?? e)}`);
    }
    if (this.panel !== panel) return;
    panel.webview.html = reportHtml({ body, nonce: makeNonce(), cspSource: panel.webview.cspSource, title: 'Catalog Report' });
  }

  private async onMessage(m: unknown): Promise<void> {
    if (!m || typeof m !== 'object' || (m as { type?: unknown }).type !== 'open') return;
    const href = (m as { href?: unknown }).href;
    if (typeof href !== 'string') return;
    const link = classifyReportLink(href);
    if (!link) return;
    if (link.kind === 'external') {
      await vscode.env.openExternal(vscode.Uri.parse(link.url));
      return;
    }
    const uri = this.resolve(link.path);
    if (!uri) {
      this.log(`report: no file for link ${href}`);
      return;
    }
    await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: vscode.ViewColumn.Beside });
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
