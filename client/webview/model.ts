/**
 * Pure helpers of the preview host (client/src/preview.ts), kept free of
 * `vscode` and the DOM so they can be unit-tested; also the types of the
 * messages the webview script (client/webview/preview.ts) sends.
 */
import type { MermaidBlockInfo } from '../../common/protocol.ts';

export type PreviewThemeKind = 'light' | 'dark' | 'high-contrast';

/** A block as the server sends it (`patternAtlas/mermaidBlocks`). */
export type HostBlock = MermaidBlockInfo;

/** `vscode.ColorThemeKind` (Light 1, Dark 2, HighContrast 3, HighContrastLight 4) to the preview's theme. */
export function themeOf(kind: number): PreviewThemeKind {
  if (kind === 1 || kind === 4) return 'light';
  if (kind === 3) return 'high-contrast';
  return 'dark';
}

/** The block whose fence (opening to closing line, inclusive) holds `line`. */
export function blockAtLine(blocks: readonly HostBlock[], line: number): HostBlock | undefined {
  return blocks.find((b) => line >= b.range.start.line && line <= b.range.end.line);
}

/** The block whose fence opens on `fenceLine`, else the one containing it. */
export function blockForFence(blocks: readonly HostBlock[], fenceLine: number): HostBlock | undefined {
  return blocks.find((b) => b.range.start.line === fenceLine || b.line === fenceLine) ?? blockAtLine(blocks, fenceLine);
}

/** What the webview gets: no ranges, nothing but index, line and code. */
export function toWebviewBlocks(blocks: readonly HostBlock[]): { index: number; line: number; code: string }[] {
  return blocks.map((b) => ({ index: b.index, line: b.line, code: b.code }));
}

/** `docs/patterns/saga.md`, diagram index 2, png -> `saga.diagram-3.png` (in the page's folder). */
export function exportFileName(pagePath: string, index: number, format: 'svg' | 'png'): string {
  const base = pagePath.replace(/\\/g, '/').split('/').pop() ?? 'page.md';
  const stem = base.replace(/\.(md|markdown)$/i, '') || 'page';
  return `${stem}.diagram-${index + 1}.${format}`;
}

/** Every message the webview script posts to the host. */
export type FromPreview =
  | { type: 'ready' }
  | { type: 'select'; index: number; line: number }
  | { type: 'export'; format: 'svg' | 'png'; index: number; line: number; data: string }
  | { type: 'rendered'; rendered: number[]; failed: number[] };

type WithoutLine<T> = T extends unknown ? Omit<T, 'line'> : never;
/** What the host acts on: `ready`, `select` and `export`, without `line` (the host looks the block up by index). */
export type PreviewRequest = WithoutLine<Exclude<FromPreview, { type: 'rendered' }>>;

/** A message from the webview, validated (the webview is not trusted beyond this shape). */
export function parsePreviewMessage(m: unknown): PreviewRequest | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const o = m as Record<string, unknown>;
  if (o.type === 'ready') return { type: 'ready' };
  if (o.type === 'select' && Number.isInteger(o.index)) return { type: 'select', index: o.index as number };
  if (o.type === 'export' && (o.format === 'svg' || o.format === 'png') && Number.isInteger(o.index) && typeof o.data === 'string') {
    if (o.format === 'svg' && !/^(<\?xml[^>]*>\s*)?<svg[\s>]/.test(o.data)) return undefined;
    if (o.format === 'png' && !/^[A-Za-z0-9+/]+={0,2}$/.test(o.data)) return undefined;
    return { type: 'export', format: o.format, index: o.index as number, data: o.data };
  }
  return undefined;
}

/** Call `fn` `ms` after the last call. */
export function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number): ((...a: A) => void) & { cancel(): void } {
  let t: ReturnType<typeof setTimeout> | undefined;
  const d = (...a: A) => {
    if (t) clearTimeout(t);
    t = setTimeout(() => {
      t = undefined;
      fn(...a);
    }, ms);
  };
  d.cancel = () => {
    if (t) clearTimeout(t);
    t = undefined;
  };
  return d;
}
