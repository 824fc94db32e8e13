/**
 * The "Pattern Catalog" tree in the Explorer: patterns grouped by nav section
 * (or category) with status icons and problem counts, then one group per
 * concept kind (Laws, Pillars) with how many patterns cite each concept.
 * Clicking a pattern or concept opens its page.
 */
import * as vscode from 'vscode';
import type { CatalogConcept, CatalogPattern, CatalogResult } from '../../common/protocol.ts';
import {
  citedDescription,
  conceptIcon,
  conceptLabel,
  groupConcepts,
  groupPatterns,
  groupTooltip,
  navLine,
  patternContext,
  patternDescription,
  statusIcon,
  type ConceptGroup,
  type GroupBy,
  type PatternGroup,
} from './model.ts';

type Node =
  | { type: 'patternGroup'; group: PatternGroup }
  | { type: 'pattern'; pattern: CatalogPattern }
  | { type: 'conceptGroup'; group: ConceptGroup }
  | { type: 'concept'; concept: CatalogConcept }
  | { type: 'citing'; path: string; pattern?: CatalogPattern };

export class CatalogTree implements vscode.TreeDataProvider<Node> {
  private catalog: CatalogResult | undefined;
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly resolve: (path: string, uri?: string) => vscode.Uri | undefined,
    private readonly groupBy: () => GroupBy,
  ) {}

  set(catalog: CatalogResult | undefined): void {
    this.catalog = catalog;
    this.changed.fire(undefined);
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    const c = this.catalog;
    if (!c) return [];
    if (!node) {
      return [
        ...groupPatterns(c.patterns, this.groupBy()).map((group) => ({ type: 'patternGroup' as const, group })),
        ...groupConcepts(c.concepts).map((group) => ({ type: 'conceptGroup' as const, group })),
      ];
    }
    switch (node.type) {
      case 'patternGroup':
        return node.group.patterns.map((pattern) => ({ type: 'pattern' as const, pattern }));
      case 'conceptGroup':
        return node.group.concepts.map((concept) => ({ type: 'concept' as const, concept }));
      case 'concept': {
        const byPath = new Map(c.patterns.map((p) => [p.path, p]));
        return node.concept.citedBy.map((path) => ({ type: 'citing' as const, path, pattern: byPath.get(path) }));
      }
      default:
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.type) {
      case 'patternGroup': {
        const g = node.group;
        const item = new vscode.TreeItem(g.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group:${g.key}`;
        item.description = `${g.patterns.length}${g.problems ? ` · ${g.problems} problem${g.problems === 1 ? '' : 's'}` : ''}`;
        item.tooltip = groupTooltip(g, this.catalog?.autoNav);
        item.iconPath = new vscode.ThemeIcon('folder-library');
        item.contextValue = 'patternGroup';
        return item;
      }
      case 'pattern':
        return this.patternItem(node.pattern, `pattern:${node.pattern.path}`);
      case 'conceptGroup': {
        const g = node.group;
        const item = new vscode.TreeItem(g.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `concepts:${g.kind}`;
        item.description = String(g.concepts.length);
        item.iconPath = new vscode.ThemeIcon(conceptIcon(g.kind));
        item.contextValue = 'conceptGroup';
        return item;
      }
      case 'concept': {
        const k = node.concept;
        const item = new vscode.TreeItem(
          k.title,
          k.citedBy.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
        );
        item.id = `concept:${k.kind}:${k.number}:${k.path}`;
        item.description = citedDescription(k);
        item.tooltip = new vscode.MarkdownString(
          `**${escapeMd(k.title)}**\n\n${conceptLabel(k)} ${k.number} · \`${escapeMd(k.path)}\`\n\n${citedDescription(k)} pattern${k.citedBy.length === 1 ? '' : 's'}`,
        );
        item.iconPath = new vscode.ThemeIcon(conceptIcon(k.kind));
        item.contextValue = 'concept';
        this.attachOpen(item, k.path, k.uri);
        return item;
      }
      case 'citing': {
        if (node.pattern) return this.patternItem(node.pattern, undefined);
        const item = new vscode.TreeItem(node.path);
        this.attachOpen(item, node.path);
        return item;
      }
    }
  }

  private patternItem(p: CatalogPattern, id: string | undefined): vscode.TreeItem {
    const item = new vscode.TreeItem(p.title, vscode.TreeItemCollapsibleState.None);
    if (id) item.id = id;
    item.description = patternDescription(p);
    const icon = statusIcon(p.status);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    const lines = [`**${escapeMd(p.title)}**`, '', `\`${escapeMd(p.path)}\``, '', `status: ${escapeMd(p.status)}`];
    if (p.category) lines.push(`category: ${escapeMd(p.category)}`);
    lines.push(escapeMd(navLine(p, this.catalog?.autoNav)));
    lines.push(`${p.problems} problem${p.problems === 1 ? '' : 's'}`);
    item.tooltip = new vscode.MarkdownString(lines.join('  \n'));
    item.contextValue = patternContext(p);
    this.attachOpen(item, p.path, p.uri);
    return item;
  }

  private attachOpen(item: vscode.TreeItem, path: string, uri?: string): void {
    const target = this.resolve(path, uri);
    if (!target) return;
    item.resourceUri = target;
    item.command = { command: 'vscode.open', title: 'Open Page', arguments: [target] };
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]<>|]/g, (ch) => `\\${ch}`);
}
