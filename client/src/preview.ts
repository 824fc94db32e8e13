/**
 * The Mermaid preview panel: a webview rendering every ```mermaid block of the
 * active Markdown page with the bundled mermaid (dist/preview.js, built from
 * client/webview/preview.ts), updated as you type.
 *
 * The blocks come from the language server (`patternAtlas/mermaidBlocks`), so
 * there is one Markdown parser. The panel follows the active Markdown editor
 * and the color theme, reveals the diagram under the cursor, reveals the
 * source of a clicked diagram, exports diagrams next to the page, and is
 * restored after a reload (`registerWebviewPanelSerializer`).
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { MermaidBlocksRequestMethod, type MermaidBlocksParams, type MermaidBlocksResult } from '../../common/protocol.ts';
import { makeNonce, renderPreviewHtml } from '../webview/html.ts';
import {
  blockAtLine,
  blockForFence,
  debounce,
  exportFileName,
  parsePreviewMessage,
  themeOf,
  toWebviewBlocks,
  type HostBlock,
} from '../webview/model.ts';

export const PREVIEW_COMMAND = 'patternAtlas.openPreview';
export const PREVIEW_TO_SIDE_COMMAND = 'patternAtlas.openPreviewToSide';
export const PREVIEW_DIAGRAM_COMMAND = 'patternAtlas.previewDiagram';
export const PREVIEW_VIEW_TYPE = 'patternAtlas.mermaidPreview';

const DEBOUNCE_MS = 250;

interface PersistedState {
  uri?: string;
}

class MermaidPreview implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private uri: vscode.Uri | undefined;
  private blocks: HostBlock[] = [];
  private revealed: number | undefined;
  private seq = 0;
  private pendingReveal: number | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly scheduleUpdate = debounce(() => void this.update(), DEBOUNCE_MS);

  constructor(
    private readonly context: vscode.ExtensionContext,
    /** The language client while it is running (a getter: the client changes on restart). */
    private readonly client: () => LanguageClient | undefined,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.panel && this.uri && e.document.uri.toString() === this.uri.toString()) this.scheduleUpdate();
      }),
      vscode.window.onDidChangeActiveTextEditor((ed) => {
        if (this.panel && ed && isMarkdown(ed.document) && ed.document.uri.toString() !== this.uri?.toString()) this.follow(ed.document.uri);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onCursor(e.textEditor)),
      vscode.window.onDidChangeActiveColorTheme(() => this.post({ type: 'theme', theme: themeOf(vscode.window.activeColorTheme.kind) })),
    );
  }

  private get roots(): vscode.Uri[] {
    return [vscode.Uri.joinPath(this.context.extensionUri, 'dist')];
  }

  /** Open (or reveal) the panel for `uri`. */
  show(uri: vscode.Uri, column: vscode.ViewColumn, reveal?: number): void {
    this.pendingReveal = reveal;
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, 'Mermaid Preview', { viewColumn: column, preserveFocus: true }, {
        enableScripts: true,
        enableFindWidget: true,
        retainContextWhenHidden: false,
        localResourceRoots: this.roots,
      });
      this.attach(panel, uri);
    } else {
      this.panel.reveal(column, true);
      if (uri.toString() !== this.uri?.toString()) this.follow(uri);
      else if (reveal !== undefined) this.revealFence(reveal);
    }
  }

  /** Restore a panel VS Code kept across a reload. */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const s = (state ?? {}) as PersistedState;
    let uri: vscode.Uri | undefined;
    try {
      uri = typeof s.uri === 'string' ? vscode.Uri.parse(s.uri, true) : undefined;
    } catch {
      uri = undefined;
    }
    uri ??= vscode.window.activeTextEditor && isMarkdown(vscode.window.activeTextEditor.document) ? vscode.window.activeTextEditor.document.uri : undefined;
    if (this.panel && this.panel !== panel) this.panel.dispose();
    panel.webview.options = { enableScripts: true, localResourceRoots: this.roots };
    this.attach(panel, uri);
  }

  private attach(panel: vscode.WebviewPanel, uri: vscode.Uri | undefined): void {
    this.panel = panel;
    this.uri = uri;
    this.blocks = [];
    this.revealed = undefined;
    this.setTitle();
    const webview = panel.webview;
    webview.html = renderPreviewHtml({
      nonce: makeNonce(),
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'preview.js')).toString(),
      theme: themeOf(vscode.window.activeColorTheme.kind),
    });
    const subs: vscode.Disposable[] = [
      webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) this.scheduleUpdate();
      }),
    ];
    panel.onDidDispose(() => {
      for (const d of subs) d.dispose();
      if (this.panel === panel) {
        this.panel = undefined;
        this.scheduleUpdate.cancel();
      }
    });
  }

  private setTitle(): void {
    if (!this.panel) return;
    const name = this.uri ? this.uri.path.split('/').pop() : undefined;
    this.panel.title = name ? `Mermaid: ${name}` : 'Mermaid Preview';
  }

  private follow(uri: vscode.Uri): void {
    this.uri = uri;
    this.blocks = [];
    this.revealed = undefined;
    this.setTitle();
    this.scheduleUpdate.cancel();
    void this.update();
  }

  private post(m: unknown): void {
    void this.panel?.webview.postMessage(m);
  }

  /** Ask the server for the page's blocks and send them to the webview. */
  async update(): Promise<void> {
    const panel = this.panel;
    const uri = this.uri;
    if (!panel || !uri) return;
    const seq = ++this.seq;
    const client = this.client();
    if (!client) {
      this.post({ type: 'status', text: 'The Pattern Atlas language server is not running.' });
      return;
    }
    let result: MermaidBlocksResult | undefined;
    try {
      const params: MermaidBlocksParams = { uri: uri.toString() };
      result = await client.sendRequest<MermaidBlocksResult>(MermaidBlocksRequestMethod, params);
    } catch (e) {
      if (seq === this.seq) this.post({ type: 'status', text: `${MermaidBlocksRequestMethod} failed: ${String((e as Error)?.message ?? e)}` });
      return;
    }
    if (seq !== this.seq || panel !== this.panel || uri !== this.uri) return;
    this.blocks = result?.blocks ?? [];
    this.post({ type: 'update', blocks: toWebviewBlocks(this.blocks), theme: themeOf(vscode.window.activeColorTheme.kind), uri: uri.toString() });
    if (this.pendingReveal !== undefined) {
      const line = this.pendingReveal;
      this.pendingReveal = undefined;
      this.revealFence(line);
    }
  }

  private revealFence(fenceLine: number): void {
    const b = blockForFence(this.blocks, fenceLine);
    if (b) {
      this.revealed = b.index;
      this.post({ type: 'reveal', index: b.index });
    }
  }

  private onCursor(editor: vscode.TextEditor): void {
    if (!this.panel || !this.uri || editor.document.uri.toString() !== this.uri.toString()) return;
    const b = blockAtLine(this.blocks, editor.selection.active.line);
    if (!b || b.index === this.revealed) {
      if (!b) this.revealed = undefined;
      return;
    }
    this.revealed = b.index;
    this.post({ type: 'reveal', index: b.index });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parsePreviewMessage(raw);
    if (!m) return;
    if (m.type === 'ready') {
      await this.update();
      return;
    }
    const uri = this.uri;
    if (!uri) return;
    const b = this.blocks.find((x) => x.index === m.index);
    if (m.type === 'select') {
      if (!b) return;
      // The first content line of the block, in an editor beside the preview (or the one showing the page).
      const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
      const doc = await vscode.workspace.openTextDocument(uri);
      const line = Math.min(b.range.start.line + 1, doc.lineCount - 1);
      const pos = new vscode.Position(line, doc.lineAt(line).firstNonWhitespaceCharacterIndex);
      const editor = await vscode.window.showTextDocument(doc, {
        viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One,
        selection: new vscode.Range(pos, pos),
        preserveFocus: false,
      });
      editor.revealRange(new vscode.Range(b.range.start.line, 0, b.range.end.line, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      this.revealed = b.index;
      return;
    }
    await this.exportDiagram(uri, m.index, m.format, m.data);
  }

  private async exportDiagram(page: vscode.Uri, index: number, format: 'svg' | 'png', data: string): Promise<void> {
    const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data, 'base64');
    const target = vscode.Uri.joinPath(page, '..', exportFileName(page.path, index, format));
    const SAVE = `Save ${target.path.split('/').pop()} next to the page`;
    const SAVE_AS = 'Save as…';
    const COPY = 'Copy SVG to the clipboard';
    const choices = format === 'svg' ? [SAVE, SAVE_AS, COPY] : [SAVE, SAVE_AS];
    const pick = await vscode.window.showQuickPick(choices, { title: `Export diagram ${index + 1} as ${format.toUpperCase()}` });
    if (!pick) return;
    if (pick === COPY) {
      await vscode.env.clipboard.writeText(data);
      void vscode.window.showInformationMessage(`Pattern Atlas: diagram ${index + 1} copied as SVG.`);
      return;
    }
    let dest: vscode.Uri | undefined = target;
    if (pick === SAVE_AS) {
      dest = await vscode.window.showSaveDialog({ defaultUri: target, filters: format === 'svg' ? { SVG: ['svg'] } : { PNG: ['png'] } });
    } else if (await exists(target)) {
      const ok = await vscode.window.showWarningMessage(`${target.path.split('/').pop()} exists. Overwrite it?`, { modal: true }, 'Overwrite');
      if (ok !== 'Overwrite') return;
    }
    if (!dest) return;
    await vscode.workspace.fs.writeFile(dest, bytes);
    const open = await vscode.window.showInformationMessage(`Pattern Atlas: saved ${vscode.workspace.asRelativePath(dest)}`, 'Open');
    if (open) await vscode.commands.executeCommand('vscode.open', dest, { viewColumn: vscode.ViewColumn.Beside });
  }

  dispose(): void {
    this.scheduleUpdate.cancel();
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function isMarkdown(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'markdown';
}

/** A command argument (Uri, path string, nothing) to a Markdown page URI. */
function pageUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg) return /^[a-z][\w+.-]*:/i.test(arg) && !/^[a-z]:[\\/]/i.test(arg) ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  const ed = vscode.window.activeTextEditor;
  return ed && isMarkdown(ed.document) ? ed.document.uri : undefined;
}

/**
 * Register the preview commands and the serializer. `client` returns the
 * current language client while it is running (else undefined).
 */
export function registerPreview(context: vscode.ExtensionContext, client: () => LanguageClient | undefined = () => undefined): void {
  const preview = new MermaidPreview(context, client);
  const noPage = () => void vscode.window.showInformationMessage('Pattern Atlas: open a Markdown page to preview its Mermaid diagrams.');
  const open = (arg: unknown, column: vscode.ViewColumn, reveal?: number) => {
    const uri = pageUri(arg);
    if (!uri) return noPage();
    preview.show(uri, column, reveal);
  };
  context.subscriptions.push(
    preview,
    vscode.commands.registerCommand(PREVIEW_COMMAND, (arg?: unknown) => open(arg, vscode.ViewColumn.Active)),
    vscode.commands.registerCommand(PREVIEW_TO_SIDE_COMMAND, (arg?: unknown) => open(arg, vscode.ViewColumn.Beside)),
    // CodeLens "Preview diagram": [file, fenceLine] (absolute path, 0-based line of the opening fence).
    vscode.commands.registerCommand(PREVIEW_DIAGRAM_COMMAND, (file?: unknown, fenceLine?: unknown) =>
      open(file, vscode.ViewColumn.Beside, typeof fenceLine === 'number' ? fenceLine : undefined),
    ),
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        preview.restore(panel, state);
      },
    }),
  );
}
