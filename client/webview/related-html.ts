/**
 * The "Show Related Patterns" page (pure: no `vscode`, no DOM): the current
 * page's neighbourhood drawn as an SVG graph with a simple radial layout,
 * computed here: the center in the middle, the Laws/Pillars it cites on top,
 * the pages it links to on the right, the pages linking to it on the left.
 *
 * Every title and path is text-escaped into the markup; the only script is a
 * small inline nonce'd one that turns a click (or Enter/Space) on a node into
 * `postMessage({type: 'open', uri})` to the host. It never inserts markup.
 */
import type { RelatedEdge, RelatedNode } from '../../common/protocol.ts';
import { escapeHtml } from './html.ts';

export interface RelatedGraph {
  center: RelatedNode;
  nodes: RelatedNode[];
  edges: RelatedEdge[];
}

/** The CSP of the related page: nothing but the nonce'd inline script and inline styles. */
export function relatedCsp(nonce: string): string {
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'`;
}

export type Side = 'center' | 'top' | 'right' | 'left';

export interface PlacedNode {
  node: RelatedNode;
  side: Side;
  x: number;
  y: number;
  /** Edges between this node and the center. */
  out: boolean;
  in: boolean;
  cites: boolean;
}

const RADIUS = 240;
/** Minimum distance between neighbours on one arc: labels sit beside nodes on the sides, above them on top. */
const SPACING: Record<'top' | 'right' | 'left', number> = { top: 190, right: 34, left: 34 };

/** Arcs (degrees, SVG y-down: -90 is up) for each side. */
const ARCS: Record<Exclude<Side, 'center'>, [number, number]> = {
  top: [-130, -50],
  right: [-35, 65],
  left: [115, 215],
};

/** Positions of the center and every neighbour (deterministic; the center is at 0,0). */
export function layoutRelated(g: RelatedGraph): PlacedNode[] {
  const info = new Map<string, { out: boolean; in: boolean; cites: boolean }>();
  for (const n of g.nodes) info.set(n.path, { out: false, in: false, cites: false });
  for (const e of g.edges) {
    const other = e.from === g.center.path ? e.to : e.from;
    const i = info.get(other);
    if (!i) continue;
    if (e.kind === 'cites') i.cites = true;
    else if (e.kind === 'links-to') i.out = true;
    else i.in = true;
  }
  const sides: Record<Exclude<Side, 'center'>, RelatedNode[]> = { top: [], right: [], left: [] };
  for (const n of g.nodes) {
    const i = info.get(n.path)!;
    const concept = n.kind === 'law' || n.kind === 'pillar';
    sides[i.cites || (concept && !i.in) ? 'top' : i.out || !i.in ? 'right' : 'left'].push(n);
  }
  const out: PlacedNode[] = [{ node: g.center, side: 'center', x: 0, y: 0, out: false, in: false, cites: false }];
  for (const side of ['top', 'right', 'left'] as const) {
    const list = sides[side];
    const [a0, a1] = ARCS[side];
    // Grow the radius so neighbours on one arc stay SPACING apart.
    const span = ((a1 - a0) * Math.PI) / 180;
    const r = Math.max(RADIUS, list.length > 1 ? (SPACING[side] * (list.length - 1)) / span : 0);
    list.forEach((node, k) => {
      const t = list.length === 1 ? (a0 + a1) / 2 : a0 + ((a1 - a0) * k) / (list.length - 1);
      const rad = (t * Math.PI) / 180;
      const i = info.get(node.path)!;
      out.push({ node, side, x: Math.round(r * Math.cos(rad)), y: Math.round(r * Math.sin(rad)), ...i });
    });
  }
  return out;
}

const MAX_LABEL = 30;

function label(title: string): string {
  const t = title.trim() || '(untitled)';
  return t.length > MAX_LABEL ? t.slice(0, MAX_LABEL - 1) + '…' : t;
}

export const RELATED_CSS = `
:root { color-scheme: light dark; }
body { margin: 0; padding: 0; background: var(--vscode-editor-background, #1e1e1e); color: var(--vscode-editor-foreground, #d4d4d4);
  font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px); }
header { padding: 8px 12px; border-bottom: 1px solid var(--vscode-editorWidget-border, #454545); display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
header h1 { font-size: 14px; margin: 0; font-weight: 600; }
.legend { display: flex; gap: 12px; opacity: .85; font-size: 12px; }
.legend span::before { content: ''; display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; vertical-align: -1px; background: var(--c); }
.empty { padding: 12px; opacity: .75; }
svg { display: block; width: 100%; height: calc(100vh - 44px); }
.edge { stroke: var(--vscode-editorWidget-border, #888); stroke-width: 1.5; fill: none; opacity: .8; }
.edge.cites { stroke-dasharray: 5 4; }
.node { cursor: pointer; outline: none; }
.node circle { stroke: var(--vscode-editor-background, #1e1e1e); stroke-width: 2; }
.node text { fill: var(--vscode-editor-foreground, #d4d4d4); font-size: 12px; paint-order: stroke; stroke: var(--vscode-editor-background, #1e1e1e); stroke-width: 3px; }
.node:hover circle, .node:focus circle { stroke: var(--vscode-focusBorder, #3794ff); stroke-width: 3; }
.node:hover text, .node:focus text { text-decoration: underline; }
.node.center text { font-weight: 600; font-size: 13px; }
.kind-pattern { --c: #3794ff; } .kind-law { --c: #e5a72a; } .kind-pillar { --c: #4ec994; } .kind-page { --c: #9d9d9d; }
.node circle { fill: var(--c); }
.node.status-stub circle { fill-opacity: .45; }
`;

/** The whole page for one graph. `nonce`: fresh per load, [A-Za-z0-9+/=_-]. */
export function renderRelatedHtml(data: RelatedGraph, nonce: string): string {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(nonce)) throw new Error('renderRelatedHtml: invalid nonce');
  const placed = layoutRelated(data);
  const pad = 40;
  const xs = placed.map((p) => p.x);
  const ys = placed.map((p) => p.y);
  // Labels run right of a node on the right, left of it on the left: leave room for them.
  const minX = Math.min(...xs) - 230 - pad;
  const maxX = Math.max(...xs) + 230 + pad;
  const minY = Math.min(...ys) - pad;
  const maxY = Math.max(...ys) + pad;

  const edges = placed
    .filter((p) => p.side !== 'center')
    .map((p) => {
      const cls = ['edge', p.cites ? 'cites' : '', p.out ? 'links-to' : '', p.in ? 'linked-from' : ''].filter(Boolean).join(' ');
      const end = p.out || p.cites ? ' marker-end="url(#arrow)"' : '';
      const start = p.in ? ' marker-start="url(#arrow-back)"' : '';
      return `<line class="${cls}" x1="0" y1="0" x2="${p.x}" y2="${p.y}"${end}${start}></line>`;
    })
    .join('\n');

  const nodes = placed
    .map((p) => {
      const n = p.node;
      const r = p.side === 'center' ? 16 : 10;
      const anchor = p.side === 'left' ? 'end' : p.side === 'right' ? 'start' : 'middle';
      const tx = p.side === 'left' ? -(r + 6) : p.side === 'right' ? r + 6 : 0;
      const ty = p.side === 'top' ? -(r + 6) : p.side === 'center' ? r + 18 : 4;
      const status = n.status ? ` status-${escapeHtml(String(n.status).replace(/[^A-Za-z0-9-]/g, ''))}` : '';
      const tip = `${n.title}${n.status ? ` (${n.status})` : ''}\n${n.path}`;
      return (
        `<g class="node kind-${escapeHtml(n.kind)}${status}${p.side === 'center' ? ' center' : ''}" data-uri="${escapeHtml(n.uri)}" data-path="${escapeHtml(n.path)}" ` +
        `data-side="${p.side}" tabindex="0" role="link" aria-label="${escapeHtml(n.title)}" transform="translate(${p.x} ${p.y})">` +
        `<title>${escapeHtml(tip)}</title><circle r="${r}"></circle>` +
        `<text x="${tx}" y="${ty}" text-anchor="${anchor}">${escapeHtml(label(n.title))}</text></g>`
      );
    })
    .join('\n');

  const empty = data.nodes.length ? '' : '<p class="empty">This page links to no other page, cites no Law or Pillar, and no page links to it.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${relatedCsp(nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Related: ${escapeHtml(data.center.title)}</title>
<style>${RELATED_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(data.center.title)}</h1>
<div class="legend"><span class="kind-pattern">Pattern</span><span class="kind-law">Law</span><span class="kind-pillar">Pillar</span><span class="kind-page">Page</span>
<span class="hint">top: cites · right: links to · left: linked from</span></div>
</header>${empty}
<svg id="graph" viewBox="${minX} ${minY} ${maxX - minX} ${maxY - minY}" preserveAspectRatio="xMidYMid meet" role="group" aria-label="Related pages">
<defs>
<marker id="arrow" viewBox="0 0 10 10" refX="24" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#888"></path></marker>
<marker id="arrow-back" viewBox="0 0 10 10" refX="-20" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M10,0 L0,5 L10,10 z" fill="#888"></path></marker>
</defs>
${edges}
${nodes}
</svg>
<script nonce="${escapeHtml(nonce)}">
(function () {
  var api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  function nodeOf(t) { return t && t.closest ? t.closest('.node[data-uri]') : null; }
  function open(el) {
    var uri = el.getAttribute('data-uri');
    if (uri && api) api.postMessage({ type: 'open', uri: uri });
  }
  document.addEventListener('click', function (e) { var el = nodeOf(e.target); if (el) open(el); });
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    var el = nodeOf(e.target);
    if (el) { e.preventDefault(); open(el); }
  });
})();
</script>
</body>
</html>
`;
}

/** The URI a webview message asks to open, when it is `{type: 'open', uri}` for a node of `graph` (anything else: undefined). */
export function openTarget(raw: unknown, graph: RelatedGraph | undefined): string | undefined {
  if (!graph || typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as { type?: unknown; uri?: unknown };
  if (m.type !== 'open' || typeof m.uri !== 'string') return undefined;
  return m.uri === graph.center.uri || graph.nodes.some((n) => n.uri === m.uri) ? m.uri : undefined;
}
