/**
 * The Mermaid preview page (pure: no `vscode`, no DOM). The only script is the
 * bundled, nonce'd `preview.js`; nothing from the document is in this HTML:
 * diagrams arrive later as messages and only mermaid's sanitized SVG is ever
 * inserted as markup.
 *
 * Also the one `escapeHtml` and `makeNonce` of every webview page the host
 * writes (preview, related graph, report). Runs in the extension host only;
 * the webview bundle (client/webview/preview.ts) imports nothing from here.
 */
import type { PreviewThemeKind } from './model.ts';

export interface PreviewHtmlOptions {
  /** A fresh random nonce per page load ([A-Za-z0-9]). */
  nonce: string;
  /** `webview.cspSource` (the origin webview resources are served from). */
  cspSource: string;
  /** URI of the bundled webview script (`dist/preview.js`). */
  scriptUri: string;
  /** Initial theme kind (the script follows VS Code's body class and `update` messages after that). */
  theme?: PreviewThemeKind;
}

/** Text and attribute escaping (both contexts: `&`, `<`, `>`, `"`, `'`). */
export function escapeHtml(s: string): string {
  return String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** The CSP of the preview page. */
export function previewCsp(nonce: string, cspSource: string): string {
  return (
    `default-src 'none'; script-src ${cspSource} 'nonce-${nonce}'; style-src ${cspSource} 'unsafe-inline'; ` +
    `img-src ${cspSource} data:; font-src ${cspSource} data:`
  );
}

/** A random nonce for one page load (32 of [A-Za-z0-9]); `random` defaults to Web Crypto, global in Node and browsers. */
export function makeNonce(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...random(32)].map((b) => abc[b % abc.length]).join('');
}

/** Static page styles (inline: allowed by `style-src 'unsafe-inline'`; nothing from the document). */
export const PREVIEW_CSS = `
:root { color-scheme: light dark; }
body { margin: 0; padding: 0 0 24px; background: var(--vscode-editor-background, var(--pa-bg)); color: var(--vscode-editor-foreground, var(--pa-fg));
  font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px); }
body, body[data-theme="dark"] { --pa-bg: #1e1e1e; --pa-fg: #d4d4d4; --pa-border: #454545; --pa-accent: #3794ff; --pa-error: #f48771; --pa-widget: #252526; }
body[data-theme="light"] { --pa-bg: #ffffff; --pa-fg: #1f1f1f; --pa-border: #d0d0d0; --pa-accent: #005fb8; --pa-error: #c72e0f; --pa-widget: #f3f3f3; }
body[data-theme="high-contrast"] { --pa-bg: #000000; --pa-fg: #ffffff; --pa-border: #6fc3df; --pa-accent: #f38518; --pa-error: #f48771; --pa-widget: #000000; }
#toolbar { position: sticky; top: 0; z-index: 2; display: flex; align-items: center; gap: 4px; padding: 6px 12px;
  background: var(--vscode-editorWidget-background, var(--pa-widget)); border-bottom: 1px solid var(--vscode-editorWidget-border, var(--pa-border)); }
#toolbar button { min-width: 28px; padding: 2px 8px; border: 1px solid var(--vscode-button-border, var(--pa-border)); border-radius: 2px; cursor: pointer;
  background: var(--vscode-button-secondaryBackground, transparent); color: var(--vscode-button-secondaryForeground, inherit); font: inherit; }
#toolbar button:hover { background: var(--vscode-button-secondaryHoverBackground, rgba(128,128,128,.2)); }
#toolbar .sep { width: 12px; }
#zoom-level { min-width: 42px; text-align: center; opacity: .8; }
#status { margin-left: auto; opacity: .75; }
#diagrams { padding: 8px 12px; }
.empty { opacity: .7; }
.diagram { margin: 12px 0; padding: 8px; border: 1px solid var(--vscode-editorWidget-border, var(--pa-border)); border-radius: 4px; outline: none; }
.diagram.selected { border-color: var(--vscode-focusBorder, var(--pa-accent)); box-shadow: 0 0 0 1px var(--vscode-focusBorder, var(--pa-accent)); }
.diagram.flash { animation: pa-flash 1.2s ease-out; }
@keyframes pa-flash { from { background: var(--vscode-editor-findMatchHighlightBackground, rgba(55,148,255,.25)); } to { background: transparent; } }
.diagram-title { font-size: 11px; opacity: .65; margin-bottom: 4px; }
.diagram-error { color: var(--vscode-errorForeground, var(--pa-error)); white-space: pre-wrap; font-family: var(--vscode-editor-font-family, monospace);
  font-size: 12px; padding: 6px 8px; margin-bottom: 6px; border-left: 3px solid var(--vscode-errorForeground, var(--pa-error));
  background: var(--vscode-inputValidation-errorBackground, rgba(244,135,113,.08)); }
.diagram.has-error .diagram-view { opacity: .55; }
.diagram-view { overflow: auto; cursor: grab; max-height: 80vh; }
.diagram-view.panning { cursor: grabbing; user-select: none; }
.diagram-view svg { display: block; margin: 0 auto; }
`;

export function renderPreviewHtml(o: PreviewHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(o.nonce)) throw new Error('renderPreviewHtml: invalid nonce');
  // The nonce is checked above; the policy's own quotes (') are safe in a double-quoted attribute.
  const csp = previewCsp(o.nonce, escapeHtml(o.cspSource));
  const theme = o.theme === 'light' || o.theme === 'high-contrast' ? o.theme : 'dark';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mermaid Preview</title>
<style>${PREVIEW_CSS}</style>
</head>
<body data-theme="${theme}">
<div id="toolbar" role="toolbar" aria-label="Diagram tools">
  <button type="button" data-action="zoom-out" title="Zoom out (Ctrl+wheel)">−</button>
  <span id="zoom-level">100%</span>
  <button type="button" data-action="zoom-in" title="Zoom in (Ctrl+wheel)">+</button>
  <button type="button" data-action="zoom-reset" title="Reset zoom and pan">1:1</button>
  <span class="sep"></span>
  <button type="button" data-action="export-svg" title="Export the selected diagram as SVG">SVG</button>
  <button type="button" data-action="export-png" title="Export the selected diagram as PNG">PNG</button>
  <span id="status" aria-live="polite"></span>
</div>
<main id="diagrams"><p class="empty">No Mermaid diagrams in this page.</p></main>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}
