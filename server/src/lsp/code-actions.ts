/**
 * Quick fixes (`textDocument/codeAction`): one provider per diagnostic code,
 * each turning a diagnostic the client sends back (with the `data` the server
 * gave it) into code actions. Only fixes that travel in the diagnostic's
 * `data` (Mermaid's "Quote the label") live here; the catalog's fixes are in
 * server/src/fixes (`FIX_PROVIDERS`, turned into actions by fixes/lsp.ts).
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver';
import { MERMAID_RULE } from '../mermaid/blocks.ts';

export interface QuickFixContext {
  /** The document's URI (edits are made to it). */
  uri: string;
}

export type QuickFixProvider = (diagnostic: Diagnostic, ctx: QuickFixContext) => CodeAction[];

interface FixData {
  title: string;
  range: Range;
  newText: string;
}

function isFix(x: unknown): x is FixData {
  const f = x as FixData | undefined;
  return !!f && typeof f.title === 'string' && typeof f.newText === 'string' && !!f.range?.start && !!f.range?.end;
}

/** A finding whose `data.fix` is a ready edit ({title, range, newText}): one preferred quick fix. */
export const dataFix: QuickFixProvider = (d, { uri }) => {
  const fix = (d.data as { fix?: unknown } | undefined)?.fix;
  if (!isFix(fix)) return [];
  return [
    {
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [uri]: [{ range: fix.range, newText: fix.newText }] } },
    },
  ];
};

/** Diagnostic code -> its quick fixes. */
export const QUICK_FIXES: Record<string, QuickFixProvider> = {
  [MERMAID_RULE]: dataFix,
};

/** The quick fixes for the diagnostics of a `textDocument/codeAction` request (only those of our own source). */
export function quickFixes(diagnostics: readonly Diagnostic[], ctx: QuickFixContext, source: string, only?: readonly string[]): CodeAction[] {
  if (only && !only.some((k) => k === '' || k === CodeActionKind.QuickFix)) return [];
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== undefined && d.source !== source) continue;
    const provider = typeof d.code === 'string' ? QUICK_FIXES[d.code] : undefined;
    if (provider) out.push(...provider(d, ctx));
  }
  return out;
}
