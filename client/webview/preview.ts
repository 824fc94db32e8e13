/**
 * The Mermaid preview page script (runs in the VS Code webview, or any
 * browser page for the tests). Bundled with mermaid into `dist/preview.js`
 * (an IIFE, see esbuild.mjs).
 *
 * Messages in (from the host, `window` `message` events):
 *   {type:'update', blocks:[{index,line,code}], theme:'light'|'dark'|'high-contrast', uri?}
 *   {type:'reveal', index}
 *   {type:'export', format:'svg'|'png'}       (export the selected diagram)
 * Messages out (`acquireVsCodeApi().postMessage`):
 *   {type:'ready'}, {type:'select', index, line}, {type:'export', format, index, line, data}, {type:'rendered', ...}
 *
 * Security: mermaid runs with `securityLevel: 'strict'` (a diagram's
 * `%%{init}%%` cannot change it), `bindFunctions` is never called, links in
 * diagrams are never followed, and the only markup inserted is the SVG that
 * mermaid returns after DOMPurify; error messages go in through textContent.
 */
import mermaid from 'mermaid';
import type { FromPreview, PreviewThemeKind } from './model.ts';

export interface PreviewBlock {
  index: number;
  /** 0-based page line of the opening fence. */
  line: number;
  code: string;
}

export type ToWebview =
  | { type: 'update'; blocks: PreviewBlock[]; theme?: PreviewThemeKind; uri?: string }
  | { type: 'reveal'; index: number }
  | { type: 'export'; format: 'svg' | 'png' }
  | { type: 'theme'; theme: PreviewThemeKind }
  | { type: 'status'; text: string };

interface VsCodeApi {
  postMessage(m: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}

declare global {
  interface Window {
    acquireVsCodeApi?: () => VsCodeApi;
    /** Test hook: what the page posted, how many renders ran, a promise for the current work. */
    __patternAtlasPreview?: { posted: unknown[]; renders: number; idle: () => Promise<void>; version: string };
  }
}

interface PersistedState {
  uri?: string;
  zoom?: number;
  selected?: number;
}

const api: VsCodeApi = (() => {
  if (typeof window.acquireVsCodeApi === 'function') return window.acquireVsCodeApi();
  // Outside VS Code (tests, a plain browser): keep what would have been posted.
  let state: unknown;
  return {
    postMessage: (m: unknown) => hook.posted.push(m),
    getState: () => state,
    setState: (s: unknown) => {
      state = s;
    },
  };
})();

const hook = (window.__patternAtlasPreview = {
  posted: [] as unknown[],
  renders: 0,
  idle: () => work,
  version: '',
});

// ---- state ----------------------------------------------------------------------------------

interface Entry {
  index: number;
  line: number;
  code: string;
  /** Hash of the code and theme the current SVG (or error) is for. */
  key: string;
  /** The last SVG that rendered without error. */
  svg?: string;
  el: HTMLElement;
  view: HTMLElement;
  error: HTMLElement;
  title: HTMLElement;
  renders: number;
}

const entries = new Map<number, Entry>();
let theme: PreviewThemeKind = document.body.classList.contains('vscode-light') ? 'light' : document.body.classList.contains('vscode-high-contrast') ? 'high-contrast' : 'dark';
let themeKey = '';
let selected: number | undefined;
let zoom = 1;
let uri: string | undefined;
let pending: { blocks: PreviewBlock[] } | undefined;
let work: Promise<void> = Promise.resolve();
let renderSeq = 0;

const restored = (api.getState() ?? {}) as PersistedState;
if (typeof restored.zoom === 'number' && restored.zoom > 0) zoom = restored.zoom;
if (typeof restored.selected === 'number') selected = restored.selected;
uri = typeof restored.uri === 'string' ? restored.uri : undefined;

function persist(): void {
  const s: PersistedState = { uri, zoom, selected };
  api.setState(s);
}

const root = document.getElementById('diagrams') ?? document.body.appendChild(document.createElement('main'));
const statusEl = document.getElementById('status');

function setStatus(text: string): void {
  if (statusEl) statusEl.textContent = text;
}

// ---- theme ----------------------------------------------------------------------------------

const FALLBACK: Record<PreviewThemeKind, Record<string, string>> = {
  dark: { bg: '#1e1e1e', fg: '#d4d4d4', widget: '#252526', border: '#454545', accent: '#3794ff', line: '#c5c5c5', note: '#3c3c2c' },
  light: { bg: '#ffffff', fg: '#1f1f1f', widget: '#f3f3f3', border: '#c8c8c8', accent: '#005fb8', line: '#444444', note: '#fff5c4' },
  'high-contrast': { bg: '#000000', fg: '#ffffff', widget: '#0c0c0c', border: '#6fc3df', accent: '#f38518', line: '#ffffff', note: '#1a1a00' },
};

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  // Only plain colors: mermaid's color library throws on anything else (var(), named keywords it does not know).
  return /^#[0-9a-f]{3,8}$/i.test(v) || /^rgba?\([\d\s.,%]+\)$/i.test(v) ? v : fallback;
}

/** Mermaid `base` theme variables from VS Code's `--vscode-*` CSS variables (fallbacks per theme kind). */
export function themeVariables(kind: PreviewThemeKind): Record<string, string | boolean> {
  const f = FALLBACK[kind];
  const bg = cssVar('--vscode-editor-background', f.bg);
  const fg = cssVar('--vscode-editor-foreground', f.fg);
  const widget = cssVar('--vscode-editorWidget-background', f.widget);
  const border = cssVar('--vscode-editorWidget-border', f.border);
  const accent = cssVar('--vscode-charts-blue', f.accent);
  const line = cssVar('--vscode-editorLineNumber-activeForeground', f.line);
  const note = cssVar('--vscode-editorHoverWidget-background', f.note);
  const font = getComputedStyle(document.body).getPropertyValue('--vscode-font-family').trim() || 'system-ui, -apple-system, "Segoe UI", sans-serif';
  return {
    darkMode: kind !== 'light',
    background: bg,
    fontFamily: font,
    primaryColor: widget,
    primaryTextColor: fg,
    primaryBorderColor: accent,
    secondaryColor: kind === 'light' ? '#e8f0fb' : '#2d3a4a',
    secondaryTextColor: fg,
    secondaryBorderColor: border,
    tertiaryColor: bg,
    tertiaryTextColor: fg,
    tertiaryBorderColor: border,
    lineColor: line,
    textColor: fg,
    mainBkg: widget,
    nodeBorder: accent,
    clusterBkg: bg,
    clusterBorder: border,
    titleColor: fg,
    edgeLabelBackground: bg,
    noteBkgColor: note,
    noteTextColor: fg,
    noteBorderColor: border,
    actorBkg: widget,
    actorBorder: accent,
    actorTextColor: fg,
    actorLineColor: line,
    signalColor: fg,
    signalTextColor: fg,
    labelTextColor: fg,
    loopTextColor: fg,
    sequenceNumberColor: bg,
  };
}

function applyTheme(kind: PreviewThemeKind): void {
  theme = kind;
  document.body.dataset.theme = kind;
  const vars = themeVariables(kind);
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme: 'base',
    themeVariables: vars,
    darkMode: kind !== 'light',
    fontFamily: String(vars.fontFamily),
    maxTextSize: 50_000,
    suppressErrorRendering: true,
  });
  themeKey = JSON.stringify(vars);
}

// ---- rendering ------------------------------------------------------------------------------

/** FNV-1a, 32 bit, hex. */
export function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function createEntry(b: PreviewBlock): Entry {
  const el = document.createElement('section');
  el.className = 'diagram';
  el.dataset.index = String(b.index);
  el.tabIndex = 0;
  const title = document.createElement('div');
  title.className = 'diagram-title';
  const error = document.createElement('div');
  error.className = 'diagram-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const view = document.createElement('div');
  view.className = 'diagram-view';
  el.append(title, error, view);
  const e: Entry = { index: b.index, line: b.line, code: b.code, key: '', el, view, error, title, renders: 0 };
  wireDiagram(e);
  return e;
}

function lineLabel(line: number): string {
  return `Line ${line + 1}`;
}

function setTitle(e: Entry): void {
  e.title.textContent = `Diagram ${e.index + 1} · ${lineLabel(e.line)}`;
  e.el.dataset.line = String(e.line);
}

/**
 * The page line (0-based) of a render error: the offending line when mermaid
 * names it and the block's lines map one to one onto what mermaid parsed (no
 * front matter, `%%` directives or comments, leading blank lines: mermaid
 * strips those first); else the opening fence line.
 */
export function errorPageLine(e: { line: number; code: string }, err: unknown): number {
  const lines = e.code.split('\n');
  const mappable = lines.length > 0 && lines[0]!.trim() !== '' && !lines[0]!.trim().startsWith('---') && !lines.some((l) => /^\s*%%/.test(l));
  if (!mappable) return e.line;
  const loc = (err as { hash?: { loc?: { last_line?: unknown } } } | undefined)?.hash?.loc?.last_line;
  const m = /\bon line (\d+)/.exec(errorText(err));
  const n = typeof loc === 'number' && loc > 0 ? loc : m ? Number(m[1]) : undefined;
  if (!n || n > lines.length) return e.line;
  // Content line n (1-based) is page line fence + n.
  return e.line + n;
}

function errorText(err: unknown): string {
  const m = err instanceof Error ? err.message : typeof err === 'string' ? err : String((err as { message?: unknown })?.message ?? err);
  return m.length > 2000 ? `${m.slice(0, 2000)}…` : m;
}

function applyZoom(e: Entry): void {
  const svg = e.view.querySelector('svg');
  if (!svg) return;
  const vb = svg.viewBox?.baseVal;
  const natural = vb && vb.width ? vb.width : svg.getBoundingClientRect().width / (Number(e.view.dataset.zoom) || 1);
  e.view.dataset.zoom = String(zoom);
  svg.style.maxWidth = 'none';
  svg.style.width = `${Math.max(16, natural * zoom)}px`;
  svg.style.height = 'auto';
  svg.removeAttribute('height');
}

function cleanup(id: string): void {
  for (const x of [id, `d${id}`, `i${id}`]) {
    const el = document.getElementById(x);
    if (el && !root.contains(el)) el.remove();
  }
}

async function renderEntry(e: Entry, key: string): Promise<boolean> {
  const id = `pa-mermaid-${e.index}-${++renderSeq}`;
  e.renders++;
  hook.renders++;
  e.el.dataset.renders = String(e.renders);
  try {
    const { svg } = await mermaid.render(id, e.code);
    // mermaid's output has been through DOMPurify; never call bindFunctions (click callbacks stay inert).
    e.view.innerHTML = svg;
    e.svg = svg;
    e.key = key;
    e.error.hidden = true;
    e.error.textContent = '';
    e.el.classList.remove('has-error');
    applyZoom(e);
    return true;
  } catch (err) {
    e.key = key;
    const line = errorPageLine(e, err);
    e.error.textContent = `${lineLabel(line)}: ${errorText(err)}`;
    e.error.dataset.line = String(line + 1);
    e.error.hidden = false;
    e.el.classList.add('has-error');
    // The last good SVG (if any) stays in e.view.
    if (!e.svg) e.view.textContent = '';
    return false;
  } finally {
    // mermaid leaves its temporary containers behind on failure (the SVG itself, now in e.view, has id `id`).
    cleanup(id);
  }
}

async function sync(blocks: PreviewBlock[]): Promise<void> {
  const seen = new Set<number>();
  const rendered: number[] = [];
  const failed: number[] = [];
  const ordered: Entry[] = [];
  for (const b of blocks) {
    if (!Number.isInteger(b.index) || typeof b.code !== 'string') continue;
    seen.add(b.index);
    let e = entries.get(b.index);
    if (!e) {
      e = createEntry(b);
      entries.set(b.index, e);
    }
    e.line = Number.isInteger(b.line) ? b.line : 0;
    e.code = b.code;
    setTitle(e);
    ordered.push(e);
  }
  for (const [i, e] of entries) {
    if (!seen.has(i)) {
      e.el.remove();
      entries.delete(i);
    }
  }
  // Keep DOM order = block order (only move what is out of place).
  let prev: Element | null = null;
  for (const e of ordered) {
    const want: Element | null = prev ? prev.nextElementSibling : root.firstElementChild;
    if (want !== e.el) {
      if (prev) prev.after(e.el);
      else root.prepend(e.el);
    }
    prev = e.el;
  }
  root.querySelector(':scope > .empty')?.remove();
  if (ordered.length === 0) {
    const p = document.createElement('p');
    p.className = 'empty';
    p.textContent = 'No Mermaid diagrams in this page.';
    root.append(p);
  }
  for (const e of ordered) {
    const key = `${hash(e.code)}:${e.code.length}:${hash(themeKey)}`;
    if (e.key === key) continue;
    if (pending) return; // a newer update arrived: render that instead
    (await renderEntry(e, key) ? rendered : failed).push(e.index);
  }
  if (selected !== undefined) markSelected(selected, false);
  const errors = ordered.filter((e) => !e.error.hidden).length;
  setStatus(errors ? `${ordered.length} diagrams, ${errors} with errors` : `${ordered.length} diagrams`);
  api.postMessage({ type: 'rendered', rendered, failed } satisfies FromPreview);
}

function schedule(blocks: PreviewBlock[]): void {
  pending = { blocks };
  work = work.then(async () => {
    const p = pending;
    pending = undefined;
    if (p) await sync(p.blocks);
  }).catch((err) => setStatus(`Preview error: ${errorText(err)}`));
}

function rerenderAll(): void {
  const blocks = [...entries.values()].sort((a, b) => a.index - b.index).map((e) => ({ index: e.index, line: e.line, code: e.code }));
  schedule(blocks);
}

// ---- selection, reveal -----------------------------------------------------------------------

function markSelected(index: number, scroll: boolean): void {
  selected = index;
  for (const e of entries.values()) e.el.classList.toggle('selected', e.index === index);
  const e = entries.get(index);
  if (e && scroll) {
    e.el.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    e.el.classList.remove('flash');
    void e.el.offsetWidth; // restart the animation
    e.el.classList.add('flash');
  }
  persist();
}

// ---- zoom and pan ---------------------------------------------------------------------------

const zoomLabel = document.getElementById('zoom-level');

function setZoom(z: number): void {
  zoom = Math.min(8, Math.max(0.1, Math.round(z * 100) / 100));
  if (zoomLabel) zoomLabel.textContent = `${Math.round(zoom * 100)}%`;
  for (const e of entries.values()) applyZoom(e);
  persist();
}

function wireDiagram(e: Entry): void {
  let drag: { x: number; y: number; left: number; top: number; moved: boolean } | undefined;
  e.view.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, left: e.view.scrollLeft, top: e.view.scrollTop, moved: false };
  });
  e.view.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x;
    const dy = ev.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!drag.moved) e.view.setPointerCapture?.(ev.pointerId);
    drag.moved = true;
    e.view.classList.add('panning');
    e.view.scrollLeft = drag.left - dx;
    e.view.scrollTop = drag.top - dy;
  });
  const end = () => {
    e.view.classList.remove('panning');
    const moved = drag?.moved;
    drag = undefined;
    return moved;
  };
  e.view.addEventListener('pointercancel', end);
  e.view.addEventListener('pointerup', () => {
    if (end()) e.el.dataset.panned = '1';
  });
  e.el.addEventListener('click', (ev) => {
    // Links inside diagrams (`click A "https://…"`, sanitized or not) never navigate the webview.
    const a = (ev.target as Element | null)?.closest?.('a');
    if (a) ev.preventDefault();
    if (e.el.dataset.panned) {
      delete e.el.dataset.panned;
      return;
    }
    markSelected(e.index, false);
    api.postMessage({ type: 'select', index: e.index, line: e.line } satisfies FromPreview);
  });
  e.el.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      markSelected(e.index, false);
      api.postMessage({ type: 'select', index: e.index, line: e.line } satisfies FromPreview);
    }
  });
}

window.addEventListener(
  'wheel',
  (ev) => {
    if (!ev.ctrlKey && !ev.metaKey) return;
    ev.preventDefault();
    setZoom(zoom * (ev.deltaY < 0 ? 1.1 : 1 / 1.1));
  },
  { passive: false },
);

// ---- export ---------------------------------------------------------------------------------

function exportTarget(): Entry | undefined {
  if (selected !== undefined && entries.get(selected)?.svg) return entries.get(selected);
  return [...entries.values()].sort((a, b) => a.index - b.index).find((e) => e.svg);
}

function svgSize(svgText: string): { w: number; h: number } {
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const svg = doc.documentElement;
  const vb = (svg.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  const w = vb.length === 4 && vb[2]! > 0 ? vb[2]! : parseFloat(svg.getAttribute('width') ?? '') || 800;
  const h = vb.length === 4 && vb[3]! > 0 ? vb[3]! : parseFloat(svg.getAttribute('height') ?? '') || 600;
  return { w, h };
}

function rasterize(svgText: string, scale: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const { w, h } = svgSize(svgText);
    const img = new Image();
    img.onload = () => {
      try {
        const canvas = document.createElement('canvas');
        canvas.width = Math.ceil(w * scale);
        canvas.height = Math.ceil(h * scale);
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2d canvas');
        ctx.fillStyle = String(themeVariables(theme).background);
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        resolve(canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, ''));
      } catch (err) {
        reject(err);
      }
    };
    img.onerror = () => reject(new Error('the SVG could not be loaded as an image'));
    // A standalone SVG document needs explicit width/height.
    const sized = svgText.replace(/<svg\b([^>]*)>/, (m, attrs: string) => {
      let a = attrs.replace(/\s(width|height)="[^"]*"/g, '').replace(/\sstyle="[^"]*"/, '');
      a += ` width="${w}" height="${h}"`;
      return `<svg${a}>`;
    });
    img.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(sized)))}`;
  });
}

/** PNG of an entry; if HTML labels taint the canvas, render once more with SVG text labels. */
async function toPng(e: Entry): Promise<string> {
  try {
    return await rasterize(e.svg!, 2);
  } catch {
    const id = `pa-export-${++renderSeq}`;
    try {
      const vars = themeVariables(theme);
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'base', themeVariables: vars, darkMode: theme !== 'light', htmlLabels: false, flowchart: { htmlLabels: false }, suppressErrorRendering: true });
      const { svg } = await mermaid.render(id, e.code);
      return await rasterize(svg, 2);
    } finally {
      cleanup(id);
      applyTheme(theme);
    }
  }
}

async function doExport(format: 'svg' | 'png'): Promise<void> {
  const e = exportTarget();
  if (!e?.svg) {
    setStatus('Nothing to export: no diagram rendered.');
    return;
  }
  const data = format === 'svg' ? `<?xml version="1.0" encoding="UTF-8"?>\n${e.svg}` : await toPng(e);
  api.postMessage({ type: 'export', format, index: e.index, line: e.line, data } satisfies FromPreview);
  setStatus(`Exported diagram ${e.index + 1} as ${format.toUpperCase()}`);
}

function queueExport(format: 'svg' | 'png'): void {
  work = work.then(() => doExport(format)).catch((err) => setStatus(`Export failed: ${errorText(err)}`));
}

// ---- wiring ---------------------------------------------------------------------------------

document.getElementById('toolbar')?.addEventListener('click', (ev) => {
  const action = (ev.target as Element | null)?.closest?.('button')?.dataset.action;
  if (action === 'zoom-in') setZoom(zoom * 1.25);
  else if (action === 'zoom-out') setZoom(zoom / 1.25);
  else if (action === 'zoom-reset') {
    setZoom(1);
    for (const e of entries.values()) e.view.scrollTo(0, 0);
  } else if (action === 'export-svg') queueExport('svg');
  else if (action === 'export-png') queueExport('png');
});

function isTheme(t: unknown): t is PreviewThemeKind {
  return t === 'light' || t === 'dark' || t === 'high-contrast';
}

window.addEventListener('message', (ev: MessageEvent) => {
  const m = ev.data as ToWebview | undefined;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'update': {
      if (!Array.isArray(m.blocks)) return;
      if (typeof m.uri === 'string' && m.uri !== uri) {
        uri = m.uri;
        persist();
      }
      if (isTheme(m.theme) && m.theme !== theme) applyTheme(m.theme);
      schedule(m.blocks);
      break;
    }
    case 'theme':
      if (isTheme(m.theme)) {
        applyTheme(m.theme);
        rerenderAll();
      }
      break;
    case 'reveal':
      if (Number.isInteger(m.index)) work = work.then(() => markSelected(m.index, true));
      break;
    case 'export':
      if (m.format === 'svg' || m.format === 'png') queueExport(m.format);
      break;
    case 'status':
      if (typeof m.text === 'string') setStatus(m.text);
      break;
  }
});

// VS Code changes the body class (and CSS variables) when the color theme changes.
new MutationObserver(() => {
  const kind: PreviewThemeKind = document.body.classList.contains('vscode-high-contrast')
    ? 'high-contrast'
    : document.body.classList.contains('vscode-light')
      ? 'light'
      : document.body.classList.contains('vscode-dark')
        ? 'dark'
        : theme;
  const before = themeKey;
  applyTheme(kind);
  if (themeKey !== before) rerenderAll();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

applyTheme(theme);
setZoom(zoom);
hook.version = (mermaid as unknown as { version?: string }).version ?? '11';
api.postMessage({ type: 'ready' } satisfies FromPreview);
