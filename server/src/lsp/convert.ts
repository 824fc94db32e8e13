/**
 * Domain values to LSP objects: the one place findings, completions and
 * locations become protocol types.
 */
import {
  CompletionItemKind,
  DiagnosticSeverity,
  FoldingRangeKind,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  type CodeLens as LspCodeLens,
  type CompletionItem,
  type Diagnostic,
  type DocumentLink as LspDocumentLink,
  type DocumentSymbol as LspDocumentSymbol,
  type FoldingRange as LspFoldingRange,
  type SymbolInformation,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit as LspWorkspaceEdit,
} from 'vscode-languageserver';
import type { CodeLens } from '../features/codelens.ts';
import type { FoldingRange } from '../features/folding.ts';
import type { DocumentLink } from '../features/links.ts';
import type { WorkspaceEdit } from '../features/rename.ts';
import type { DocumentSymbol, WorkspaceSymbol } from '../features/symbols.ts';
import { URI } from 'vscode-uri';
import type { Completion, CompletionKind } from '../features/completion.ts';
import type { Finding } from '../rules/rule.ts';
import type { Severity } from '../site/config.ts';

export const SOURCE = 'pattern-atlas';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding): Diagnostic {
  return {
    range: f.range,
    severity: SEVERITY[f.severity] ?? DiagnosticSeverity.Warning,
    code: f.code,
    source: SOURCE,
    message: f.message,
    ...(f.data ? { data: f.data } : {}),
  };
}

const KIND: Record<CompletionKind, CompletionItemKind> = {
  concept: CompletionItemKind.Reference,
  pattern: CompletionItemKind.File,
  page: CompletionItemKind.File,
  anchor: CompletionItemKind.Reference,
  key: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
};

export function toCompletionItem(c: Completion): CompletionItem {
  return {
    label: c.label,
    kind: KIND[c.kind],
    ...(c.detail ? { detail: c.detail } : {}),
    ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation } } : {}),
    ...(c.filterText ? { filterText: c.filterText } : {}),
    ...(c.sortText ? { sortText: c.sortText } : {}),
    insertTextFormat: InsertTextFormat.PlainText,
    textEdit: { range: c.edit.range, newText: c.edit.newText },
  };
}

/** Absolute `/`-separated path of a `file:` URI, or undefined for other schemes. */
export function uriToPath(uri: string): string | undefined {
  try {
    const u = URI.parse(uri);
    if (u.scheme !== 'file') return undefined;
    return u.fsPath.split('\\').join('/');
  } catch {
    return undefined;
  }
}

export function pathToUri(path: string): string {
  return URI.file(path).toString();
}

// ---------------------------------------------------------------- navigation features


const SYMBOL_KIND: Record<DocumentSymbol['kind'], SymbolKind> = {
  heading: SymbolKind.String,
  frontmatter: SymbolKind.Module,
  diagram: SymbolKind.Object,
};

export function toDocumentSymbol(s: DocumentSymbol): LspDocumentSymbol {
  return {
    name: s.name || ' ',
    kind: SYMBOL_KIND[s.kind] ?? SymbolKind.String,
    ...(s.detail ? { detail: s.detail } : {}),
    range: s.range,
    selectionRange: s.selectionRange,
    children: s.children.map(toDocumentSymbol),
  };
}

const WORKSPACE_SYMBOL_KIND: Record<WorkspaceSymbol['kind'], SymbolKind> = {
  pattern: SymbolKind.Class,
  concept: SymbolKind.Interface,
  page: SymbolKind.File,
};

export function toSymbolInformation(s: WorkspaceSymbol, uriFor: (file: string) => string): SymbolInformation {
  return {
    name: s.name,
    kind: WORKSPACE_SYMBOL_KIND[s.kind] ?? SymbolKind.File,
    location: { uri: uriFor(s.file), range: s.range },
    ...(s.container ? { containerName: s.container } : {}),
  };
}

export function toDocumentLink(l: DocumentLink, uriFor: (file: string) => string): LspDocumentLink {
  const target = l.external || !l.file ? l.target : uriFor(l.file) + (l.line !== undefined ? `#L${l.line + 1}` : '');
  return { range: l.range, target, ...(l.tooltip ? { tooltip: l.tooltip } : {}) };
}

export function toFoldingRange(f: FoldingRange): LspFoldingRange {
  return { startLine: f.startLine, endLine: f.endLine, ...(f.kind === 'comment' ? { kind: FoldingRangeKind.Comment } : f.kind === 'frontmatter' ? { kind: FoldingRangeKind.Imports } : {}) };
}

export function toCodeLens(c: CodeLens): LspCodeLens {
  return { range: c.range, command: { title: c.title, command: c.command, arguments: c.args }, ...(c.data ? { data: c.data } : {}) };
}

/**
 * A workspace edit keyed by absolute path. With file moves, `documentChanges`
 * carries the text edits first, then the renames (the edits refer to the
 * files before the move).
 */
export function toWorkspaceEdit(e: WorkspaceEdit, uriFor: (file: string) => string): LspWorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const [file, edits] of Object.entries(e.changes)) changes[uriFor(file)] = edits.map((x) => ({ range: x.range, newText: x.newText }));
  if (!e.renames?.length) return { changes };
  return {
    documentChanges: [
      ...Object.entries(changes).map(([uri, edits]) => ({ textDocument: { uri, version: null }, edits })),
      ...e.renames.map((r) => ({ kind: 'rename' as const, oldUri: uriFor(r.oldPath), newUri: uriFor(r.newPath) })),
    ],
  };
}
