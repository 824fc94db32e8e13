/**
 * "Pattern Atlas: Show Related Patterns": a webview drawing the current
 * page's neighbourhood (pages it links to, pages linking to it, its Laws and
 * Pillars) from the server's `patternAtlas/related`, as an SVG graph
 * (client/webview/related-html.ts). Clicking a node opens that page; the
 * graph then follows the active Markdown editor.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { RelatedRequestMethod, type RelatedParams, type RelatedResult } from '../../common/protocol.ts';
import { escapeHtml, makeNonce } from '../webview/html.ts';
import { openTarget, relatedCsp, renderRelatedHtml, type RelatedGraph } from '../webview/related-html.ts';

export const RELATED_COMMAND = 'patternAtlas.showRelated';
export const RELATED_VIEW_TYPE = 'patternAtlas.related';

function messagePage(text: string, nonce: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${relatedCsp(nonce)}">` +
    `<title>Related Patterns</title></head><body style="font-family: var(--vscode-font-family, sans-serif); padding: 12px; opacity: .8">${escapeHtml(text)}</body></html>`;
}

class RelatedPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private uri: vscode.Uri | undefined;
  private graph: RelatedGraph | undefined;
  private seq = 0;
  private readonly disposables: vscode.Disposable[] = [];

  /** `client`: the language client while it is running (a getter: the client changes on restart). */
  constructor(private readonly client: () => LanguageClient | undefined) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((ed) => {
        if (this.panel && ed && ed.document.languageId === 'markdown' && ed.document.uri.toString() !== this.uri?.toString()) void this.show(ed.document.uri);
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (this.panel && this.uri && d.languageId === 'markdown') void this.update();
      }),
    );
  }

  async show(uri: vscode.Uri): Promise<void> {
    this.uri = uri;
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(RELATED_VIEW_TYPE, 'Related Patterns', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
        enableScripts: true,
        localResourceRoots: [],
        retainContextWhenHidden: false,
      });
      this.panel = panel;
      const sub = panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m));
      panel.onDidDispose(() => {
        sub.dispose();
        if (this.panel === panel) {
          this.panel = undefined;
          this.graph = undefined;
        }
      });
    } else {
      this.panel.reveal(undefined, true);
    }
    await this.update();
  }

  private async update(): Promise<void> {
    const panel = this.panel;
    const uri = this.uri;
    if (!panel || !uri) return;
    const seq = ++this.seq;
    const nonce = makeNonce();
    const client = this.client();
    if (!client) {
      panel.webview.html = messagePage('The Pattern Atlas language server is not running.', nonce);
      return;
    }
    let result: RelatedResult;
    try {
      const params: RelatedParams = { uri: uri.toString() };
      result = await client.sendRequest<RelatedResult>(RelatedRequestMethod, params);
    } catch (e) {
      if (seq === this.seq && panel === this.panel) panel.webview.html = messagePage(`${RelatedRequestMethod} failed: ${String((e as Error)?.message ?? e)}`, nonce);
      return;
    }
    if (seq !== this.seq || panel !== this.panel) return;
    this.graph = result ?? undefined;
    panel.title = result ? `Related: ${result.center.title}` : 'Related Patterns';
    panel.webview.html = result ? renderRelatedHtml(result, nonce) : messagePage(`${uri.path.split('/').pop()} is not a page of a MkDocs site.`, nonce);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const target = openTarget(raw, this.graph);
    if (!target) return;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(target, true));
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** Register `patternAtlas.showRelated` (argument: a page Uri; default: the active Markdown editor). */
export function registerRelated(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): void {
  const panel = new RelatedPanel(client);
  context.subscriptions.push(
    panel,
    vscode.commands.registerCommand(RELATED_COMMAND, (arg?: unknown) => {
      const ed = vscode.window.activeTextEditor;
      const uri = arg instanceof vscode.Uri ? arg : ed && ed.document.languageId === 'markdown' ? ed.document.uri : undefined;
      if (!uri) return void vscode.window.showInformationMessage('Pattern Atlas: open a Markdown page to show its related patterns.');
      return panel.show(uri);
    }),
  );
}
