/**
 * "Add Page to Nav": runs the language server's quick fix for the page's
 * `not-in-nav` diagnostic (found through the ordinary code-action API, so the
 * server owns the mkdocs.yml edit), or explains why there is nothing to do.
 */
import * as vscode from 'vscode';
import { codeOf } from './model.ts';

export const NOT_IN_NAV = 'not-in-nav';

function isCodeAction(a: vscode.CodeAction | vscode.Command): a is vscode.CodeAction {
  return typeof (a as vscode.Command).command !== 'string';
}

/** The server's "add to nav" action for `uri`, if it offers one. */
export async function findAddToNavAction(uri: vscode.Uri): Promise<vscode.CodeAction | undefined> {
  const diags = vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d.code) === NOT_IN_NAV);
  const ranges = diags.length ? diags.map((d) => d.range) : [new vscode.Range(0, 0, 0, 0)];
  for (const range of ranges) {
    const actions =
      (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider',
        uri,
        range,
        undefined,
        20,
      )) ?? [];
    const found = actions
      .filter(isCodeAction)
      .find((a) => a.diagnostics?.some((d) => codeOf(d.code) === NOT_IN_NAV) || /\bnav\b/i.test(a.title));
    if (found) return found;
  }
  return undefined;
}

export async function applyCodeAction(action: vscode.CodeAction): Promise<boolean> {
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) return false;
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  return true;
}

export async function addPageToNav(target?: vscode.Uri): Promise<void> {
  const uri = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
  if (!uri || !uri.path.endsWith('.md')) {
    void vscode.window.showInformationMessage('Pattern Atlas: open a Markdown page to add it to the nav.');
    return;
  }
  const name = uri.path.split('/').pop();
  const action = await findAddToNavAction(uri);
  if (!action) {
    const listed = !vscode.languages.getDiagnostics(uri).some((d) => codeOf(d.code) === NOT_IN_NAV);
    void vscode.window.showInformationMessage(
      listed
        ? `Pattern Atlas: ${name} has no not-in-nav problem; it is already in the nav (or the server has not checked it yet).`
        : `Pattern Atlas: the language server offers no "add to nav" fix for ${name} yet.`,
    );
    return;
  }
  if (!(await applyCodeAction(action))) {
    void vscode.window.showWarningMessage(`Pattern Atlas: could not apply "${action.title}".`);
  }
}
