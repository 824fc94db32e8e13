/**
 * Mermaid preview commands. The preview itself is built separately; until it
 * lands these commands exist (so keybindings, menus and the palette work) and
 * say so. Replace `registerPreview` with the real implementation.
 */
import * as vscode from 'vscode';

export const PREVIEW_COMMAND = 'patternAtlas.openPreview';
export const PREVIEW_TO_SIDE_COMMAND = 'patternAtlas.openPreviewToSide';

export function registerPreview(context: vscode.ExtensionContext): void {
  // Not awaited: the command must not wait until the user closes the message.
  const notYet = () => {
    void vscode.window.showInformationMessage('Pattern Atlas: the Mermaid preview is not available yet.');
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(PREVIEW_COMMAND, notYet),
    vscode.commands.registerCommand(PREVIEW_TO_SIDE_COMMAND, notYet),
  );
}
