/**
 * The language server: one connection, one current `Site` snapshot kept up to
 * date by `LiveSite`, and thin handlers calling `features/`.
 *
 * - Startup indexing (with `$/progress`) happens after `initialized`; requests
 *   that arrive earlier wait for it.
 * - Document changes are queued and applied together (`flush`) on the next
 *   turn of the event loop, or at once when a request needs the snapshot.
 * - Diagnostics are pulled (`textDocument/diagnostic`, `workspace/diagnostic`)
 *   when the client can, else pushed for every page of the site.
 * - Every handler is guarded: bad input is logged, never fatal.
 *
 * Logs go to `connection.console` (the client's output channel), never stdout.
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  FileChangeType,
  LSPErrorCodes,
  MarkupKind,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
  type WorkDoneProgressServerReporter,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import fs from 'node:fs';
import { cachedParser, mermaidValidatorIdentity, readVerdicts, writeVerdicts, type CachedParser } from '../cli/cache.ts';
import { DiskWorkspace } from '../cli/disk-workspace.ts';
import { getCodeLenses } from '../features/codelens.ts';
import { getCompletions } from '../features/completion.ts';
import { findDefinition } from '../features/definition.ts';
import { getHover } from '../features/hover.ts';
import { LiveSite, type UpdateResult } from '../features/live-site.ts';
import { getFoldingRanges } from '../features/folding.ts';
import { getDocumentLinks } from '../features/links.ts';
import { findReferences } from '../features/references.ts';
import { isRenameError, prepareRename, rename, renameFiles } from '../features/rename.ts';
import { getDocumentSymbols, getWorkspaceSymbols } from '../features/symbols.ts';
import { extractFast } from '../parse/fast.ts';
import { RULE_CODES } from '../rules/codes.ts';
import { CONFIG_FILE, type RuleSetting } from '../site/config.ts';
import { findMkdocsConfig } from '../site/mkdocs.ts';
import { isMarkdownPath } from '../site/resolve.ts';
import { loadSite, loadSiteSteps, type ParseFn, type Site } from '../site/site.ts';
import { normalizePath } from '../site/workspace.ts';
import {
  pathToUri,
  toCodeLens,
  toCompletionItem,
  toDiagnostic,
  toDocumentLink,
  toDocumentSymbol,
  toFoldingRange,
  toSymbolInformation,
  toWorkspaceEdit,
  uriToPath,
  SOURCE,
} from './convert.ts';
import { OverlayWorkspace } from './overlay-workspace.ts';
import { quickFixes } from './code-actions.ts';
import { FIX_ALL_KIND, fixCodeActions, type CodeActionLike, type DiagnosticLike } from '../fixes/lsp.ts';
import { cachedPageMermaid, checkPageMermaid, mermaidSeverity } from '../mermaid/findings.ts';
import { getMermaidPool, type MermaidPool } from '../mermaid/pool.ts';
import type { Finding } from '../rules/rule.ts';
import { sortFindings } from '../rules/index.ts';
import {
  CatalogRequestMethod,
  MermaidBlocksRequestMethod,
  RelatedRequestMethod,
  ReportRequestMethod,
  type CatalogResult,
  type RelatedParams,
  type RelatedResult,
  type MermaidBlocksParams,
  type MermaidBlocksResult,
  type ReportResult,
} from '../../../common/protocol.ts';
import { getCatalog } from '../features/catalog.ts';
import { getRelated, type RelatedNodeData } from '../features/related.ts';
import { buildReport, renderReportMarkdown } from '../features/report.ts';
import { mermaidBlocks } from '../mermaid/blocks.ts';

const VERSION = '0.1.0';

/** The parser for pages: one variable, so the full and the fast extractor can be swapped. */
const parse: ParseFn = extractFast;

const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);

export interface Settings {
  rules: Record<string, RuleSetting>;
}

/** Keep only known rule codes with valid severities. */
export function sanitizeSettings(raw: unknown): Settings {
  const rules: Record<string, RuleSetting> = {};
  const r = (raw as { rules?: unknown } | null | undefined)?.rules;
  if (r && typeof r === 'object') {
    for (const [code, sev] of Object.entries(r as Record<string, unknown>)) {
      if ((RULE_CODES as readonly string[]).includes(code) && typeof sev === 'string' && SEVERITIES.has(sev)) rules[code] = sev as RuleSetting;
    }
  }
  return { rules };
}

type Pending = 'text' | 'delete';

interface ClientCaps {
  pull: boolean;
  refresh: boolean;
  watchDynamic: boolean;
  configuration: boolean;
  configDynamic: boolean;
  progress: boolean;
  prepareRename: boolean;
  /** Workspace edits may create files (`documentChanges` with `CreateFile`). */
  createFiles: boolean;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

export class AtlasServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly disk = new DiskWorkspace();
  private readonly ws: OverlayWorkspace;
  private caps: ClientCaps = { pull: false, refresh: false, watchDynamic: false, configuration: false, configDynamic: false, progress: false, prepareRename: false, createFiles: false };
  private folders: string[] = [];
  private live?: LiveSite;
  private loadError?: string;
  private ready: Promise<void> = Promise.resolve();
  private indexing = false;
  /** Absolute path -> what happened to it, applied at the next flush. */
  private pending = new Map<string, Pending>();
  private reloadPending = false;
  private flushScheduled = false;
  /** Site-root relative file -> id of its current findings (pull diagnostics). */
  private resultIds = new Map<string, number>();
  private resultCounter = 1;
  /** Absolute paths no longer reported whose last report was not empty: sent once more, empty (workspace pull). */
  private gone = new Set<string>();
  /** Absolute path -> the URI the client uses for it (open documents). */
  private uris = new Map<string, string>();
  /** Open documents whose first content equals the disk (nothing to update). */
  private openedUnchanged = new Set<string>();
  private settingsCache = new Map<string, Promise<Settings>>();
  private pushedSettings: unknown;
  private settings: Settings = { rules: {} };
  /** Site-root relative file -> its mermaid-syntax findings (validated off-thread, merged into the file's diagnostics). */
  private mermaid = new Map<string, Finding[]>();
  /** Site-root relative file -> the validation in flight for it (aborted when the page changes again). */
  private mermaidJobs = new Map<string, AbortController>();
  /** Undefined until indexing is over; null when the validator cannot run. */
  private mermaidPool?: MermaidPool | null;
  /** Identity of the Mermaid worker bundle, the key of stored verdicts (see `cli/cache.ts`). */
  private validator?: string;
  /** The pool's `validated` count when its verdicts were last stored. */
  private savedAfter = 0;
  private shuttingDown = false;
  private refreshTimer?: NodeJS.Timeout;

  constructor(private readonly connection: Connection) {
    this.ws = new OverlayWorkspace(this.disk, {
      text: (p) => {
        const uri = this.uris.get(p);
        return uri ? this.documents.get(uri)?.getText() : undefined;
      },
    });
  }

  // ------------------------------------------------------------------ wiring

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => this.guardVoid('initialized', () => this.initialized()));
    c.onShutdown(async () => {
      this.shuttingDown = true;
      this.saveVerdicts();
      for (const ctl of this.mermaidJobs.values()) ctl.abort();
      this.mermaidJobs.clear();
      if (this.mermaidPool) await this.mermaidPool.dispose().catch((e) => this.error('mermaid pool', e));
      this.mermaidPool = null;
    });

    this.documents.onDidOpen((e) =>
      this.guardVoid('didOpen', () => {
        const path = uriToPath(e.document.uri);
        if (!path) return;
        this.uris.set(path, e.document.uri);
        if (this.disk.readFile(path) === e.document.getText()) {
          this.openedUnchanged.add(e.document.uri);
          // Its diagrams go before the rest of the startup scan.
          const rel = this.live?.site.docsPath(path);
          if (rel !== undefined && this.live?.site.pages.has(rel)) this.mermaidPage(rel, 10);
        }
      }),
    );
    this.documents.onDidChangeContent((e) =>
      this.guardVoid('didChange', () => {
        if (this.openedUnchanged.delete(e.document.uri)) return;
        const path = uriToPath(e.document.uri);
        if (path) this.enqueue(path, 'text');
      }),
    );
    this.documents.onDidClose((e) =>
      this.guardVoid('didClose', () => {
        const path = uriToPath(e.document.uri);
        if (!path) return;
        this.uris.delete(path);
        this.openedUnchanged.delete(e.document.uri);
        // The buffer is gone: the site goes back to what the disk says.
        if (this.disk.readFile(path) !== e.document.getText()) this.enqueue(path, 'text');
      }),
    );

    c.onDidChangeWatchedFiles((p) =>
      this.guardVoid('didChangeWatchedFiles', () => {
        for (const ch of p.changes) {
          const path = uriToPath(ch.uri);
          if (!path) continue;
          if (ch.type === FileChangeType.Deleted) this.enqueue(path, 'delete');
          else if (ch.type === FileChangeType.Created || !this.uris.has(path)) this.enqueue(path, 'text');
        }
      }),
    );
    c.onDidChangeConfiguration((p) =>
      this.guardVoid('didChangeConfiguration', async () => {
        this.settingsCache.clear();
        this.pushedSettings = (p.settings as { patternAtlas?: unknown } | undefined)?.patternAtlas;
        const next = await this.pullSettings();
        if (JSON.stringify(next) !== JSON.stringify(this.settings)) {
          this.settings = next;
          this.reloadPending = true;
          this.scheduleFlush();
        }
      }),
    );

    c.onCompletion((p) =>
      this.guard('completion', null, async () => {
        const ctx = await this.context(p.textDocument.uri);
        if (!ctx) return null;
        const list = getCompletions(ctx.site, ctx.rel, p.position, ctx.text());
        return { isIncomplete: list.isIncomplete, items: list.items.map(toCompletionItem) };
      }),
    );
    c.onHover((p) =>
      this.guard('hover', null, async () => {
        const ctx = await this.context(p.textDocument.uri);
        if (!ctx) return null;
        const h = getHover(ctx.site, ctx.rel, p.position, this.live);
        return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: h.range } : null;
      }),
    );
    c.onDefinition((p) =>
      this.guard('definition', null, async () => {
        const ctx = await this.context(p.textDocument.uri);
        if (!ctx) return null;
        return findDefinition(ctx.site, ctx.rel, p.position).map((l) => ({ uri: this.uriFor(ctx.site.absPath(l.path)), range: l.range }));
      }),
    );
    c.onReferences((p) =>
      this.guard('references', null, async () => {
        const ctx = await this.context(p.textDocument.uri);
        if (!ctx) return null;
        return findReferences(ctx.site, ctx.rel, p.position, !!p.context?.includeDeclaration, this.live).map((l) => ({
          uri: this.uriFor(ctx.site.absPath(l.path)),
          range: l.range,
        }));
      }),
    );

    c.onDocumentSymbol((p) =>
      this.guard('documentSymbol', null, async () => {
        const ctx = await this.context(p.textDocument.uri);
        return ctx ? getDocumentSymbols(ctx.site, ctx.rel, ctx.text()).map(toDocumentSymbol) : null;
      }),
    );
    c.onWorkspaceSymbol((p) =>
      this.guard('workspaceSymbol', null, async () => {
        await this.sync();
        return this.live ? getWorkspaceSymbols(this.live.site, p.query).map((s) => toSymbolInformation(s, (f) => this.uriFor(f))) : null;
      }),
    );
    c.onDocumentLinks((p) =>
      this.guard('documentLinks', null, async () => {
        const ctx = await this.context(p.textDocument.uri);
        return ctx ? getDocumentLinks(ctx.site, ctx.rel).map((l) => toDocumentLink(l, (f) => this.uriFor(f))) : null;
      }),
    );
    c.onFoldingRanges((p) =>
      this.guard('foldingRanges', null, async () => {
        const ctx = await this.context(p.textDocument.uri);
        return ctx ? getFoldingRanges(ctx.site, ctx.rel, ctx.text()).map(toFoldingRange) : null;
      }),
    );
    c.onCodeLens((p) =>
      this.guard('codeLens', null, async () => {
        const ctx = await this.context(p.textDocument.uri);
        return ctx ? getCodeLenses(ctx.site, ctx.rel, this.live).map(toCodeLens) : null;
      }),
    );
    // The catalog view, the status bar and the report webview of the VS Code extension.
    c.onRequest(CatalogRequestMethod, () =>
      this.guard<CatalogResult>('catalog', { patterns: [], concepts: [], counts: { complete: 0, partial: 0, stub: 0, total: 0 } }, async () => {
        await this.ready;
        const live = this.live;
        if (!live) return { patterns: [], concepts: [], counts: { complete: 0, partial: 0, stub: 0, total: 0 } };
        const cat = getCatalog(live.site, live.allFindings());
        return {
          root: this.uriFor(live.site.root),
          site: cat.site,
          autoNav: cat.autoNav,
          patterns: cat.patterns.map(({ abs, ...p }) => ({ ...p, uri: this.uriFor(abs) })),
          concepts: cat.concepts.map(({ abs, ...c }) => ({ ...c, uri: this.uriFor(abs) })),
          counts: cat.counts,
        };
      }),
    );
    // "Show Related Patterns": the page's links out and in (the LiveSite backlink index) and its Laws/Pillars.
    c.onRequest(RelatedRequestMethod, (p: RelatedParams) =>
      this.guard<RelatedResult>('related', null, async () => {
        const ctx = await this.context(p.uri);
        const live = this.live;
        if (!ctx || !live) return null;
        const r = getRelated(ctx.site, ctx.rel, (path) => live.linkedFrom(path));
        if (!r) return null;
        const node = ({ abs, ...n }: RelatedNodeData) => ({ ...n, uri: this.uriFor(abs) });
        return { center: node(r.center), nodes: r.nodes.map(node), edges: r.edges };
      }),
    );
    c.onRequest(ReportRequestMethod, () =>
      this.guard<ReportResult>('report', { markdown: '' }, async () => {
        await this.ready;
        const live = this.live;
        return { markdown: live ? renderReportMarkdown(buildReport(live.site, live.allFindings())) : 'No MkDocs site found in this workspace.' };
      }),
    );
    // Mermaid preview: the page's ```mermaid blocks through the one Markdown parser (any page, in a site or not).
    c.onRequest(MermaidBlocksRequestMethod, (p: MermaidBlocksParams) =>
      this.guard<MermaidBlocksResult>('mermaidBlocks', { blocks: [] }, async () => {
        const path = uriToPath(p.uri);
        const text = this.documents.get(p.uri)?.getText() ?? (path ? this.ws.readFile(path) : undefined);
        if (text === undefined) return { blocks: [] };
        return { blocks: mermaidBlocks(parse(text), text).map((b) => ({ index: b.index, line: b.fence.range.start.line, code: b.code, range: b.fence.range })) };
      }),
    );
    c.onCodeAction((p) =>
      this.guard('codeAction', null, async () => [
        ...quickFixes(p.context.diagnostics, { uri: p.textDocument.uri }, SOURCE, p.context.only),
        ...(await this.fixActions(p.textDocument.uri, p.context.diagnostics, p.context.only)),
      ]),
    );
    c.onPrepareRename(async (p) => {
      const ctx = await this.guard('prepareRename', undefined, () => this.context(p.textDocument.uri));
      if (!ctx) return null;
      const t = this.guardSync('prepareRename', undefined, () => prepareRename(ctx.site, ctx.rel, p.position, ctx.text()));
      if (!t) return null;
      if (isRenameError(t)) throw new ResponseError(LSPErrorCodes.RequestFailed, t.error);
      return { range: t.range, placeholder: t.placeholder };
    });
    c.onRenameRequest(async (p) => {
      const ctx = await this.guard('rename', undefined, () => this.context(p.textDocument.uri));
      if (!ctx) return null;
      const e = this.guardSync('rename', undefined, () => rename(ctx.site, ctx.rel, p.position, p.newName, ctx.text(), this.live));
      if (!e) return null;
      if (isRenameError(e)) throw new ResponseError(LSPErrorCodes.RequestFailed, e.error);
      return toWorkspaceEdit(e, (f) => this.uriFor(f));
    });
    c.workspace.onWillRenameFiles((p) =>
      this.guard('willRenameFiles', null, async () => {
        await this.sync();
        const live = this.live;
        if (!live) return null;
        const moves = p.files
          .map((f) => ({ oldPath: live.site.docsPath(uriToPath(f.oldUri) ?? ''), newPath: live.site.docsPath(uriToPath(f.newUri) ?? '') }))
          .filter((m): m is { oldPath: string; newPath: string } => m.oldPath !== undefined && m.newPath !== undefined);
        if (!moves.length) return null;
        const e = renameFiles(live.site, moves);
        return Object.keys(e.changes).length ? toWorkspaceEdit(e, (f) => this.uriFor(f)) : null;
      }),
    );

    c.languages.diagnostics.on((p) =>
      this.guard<DocumentDiagnosticReport>('diagnostic', { kind: DocumentDiagnosticReportKind.Full, items: [] }, async () => {
        await this.sync();
        const path = uriToPath(p.textDocument.uri);
        const file = path && this.live ? this.fileOf(path) : undefined;
        if (!file) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
        const resultId = this.resultIdOf(file);
        if (p.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
        return { kind: DocumentDiagnosticReportKind.Full, resultId, items: this.findingsOf(file).map(toDiagnostic) };
      }),
    );
    c.languages.diagnostics.onWorkspace((p) =>
      this.guard('workspaceDiagnostic', { items: [] as WorkspaceDocumentDiagnosticReport[] }, async () => {
        await this.sync();
        const items: WorkspaceDocumentDiagnosticReport[] = [];
        const live = this.live;
        const previous = new Map(p.previousResultIds.map((r) => [r.uri, r.value]));
        for (const abs of this.gone) items.push({ kind: DocumentDiagnosticReportKind.Full, uri: this.uriFor(abs), version: null, items: [] });
        this.gone.clear();
        if (!live) return { items };
        for (const file of live.reportedFiles()) {
          const abs = live.site.root + '/' + file;
          const uri = this.uriFor(abs);
          const resultId = this.resultIdOf(file);
          const version = this.documents.get(uri)?.version ?? null;
          if (previous.get(uri) === resultId) items.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri, version, resultId });
          else items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version, resultId, items: this.findingsOf(file).map(toDiagnostic) });
        }
        return { items };
      }),
    );

    this.documents.listen(c);
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    try {
      const caps = params.capabilities ?? {};
      this.caps = {
        pull: !!caps.textDocument?.diagnostic,
        refresh: !!caps.workspace?.diagnostics?.refreshSupport,
        watchDynamic: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
        configuration: !!caps.workspace?.configuration,
        configDynamic: !!caps.workspace?.didChangeConfiguration?.dynamicRegistration,
        progress: !!caps.window?.workDoneProgress,
        prepareRename: !!caps.textDocument?.rename?.prepareSupport,
        createFiles: !!caps.workspace?.workspaceEdit?.documentChanges && !!caps.workspace.workspaceEdit.resourceOperations?.includes('create'),
      };
      const folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
      if (!folders.length && params.rootUri) {
        const p = uriToPath(params.rootUri);
        if (p) folders.push(p);
      }
      if (!folders.length && params.rootPath) folders.push(normalizePath(params.rootPath));
      this.folders = folders;
      this.pushedSettings = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    } catch (e) {
      this.error('initialize', e);
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['[', '(', '#', '/', ':'], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        documentLinkProvider: { resolveProvider: false },
        foldingRangeProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        renameProvider: this.caps.prepareRename ? { prepareProvider: true } : true,
        ...(this.caps.pull ? { diagnosticProvider: { identifier: 'pattern-atlas', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
        workspace: {
          workspaceFolders: { supported: true },
          fileOperations: { willRename: { filters: [{ scheme: 'file', pattern: { glob: '**/*' } }] } },
        },
      },
      serverInfo: { name: 'pattern-atlas', version: VERSION },
    };
  }

  private async initialized(): Promise<void> {
    // Set before the first await: requests that follow `initialized` wait for indexing.
    this.ready = this.index();
    if (this.caps.watchDynamic) {
      await this.connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.md' }, { globPattern: '**/mkdocs.yml' }, { globPattern: '**/mkdocs.yaml' }, { globPattern: `**/${CONFIG_FILE}` }],
        })
        .catch((e) => this.error('register watchers', e));
    }
    if (this.caps.configDynamic) {
      await this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'patternAtlas' }).catch((e) => this.error('register configuration', e));
    }
    await this.ready;
  }

  // ------------------------------------------------------------------ indexing

  /** Where to look for the site: a folder with mkdocs.yml at or above it, else the shallowest one below. */
  private siteStart(): string | undefined {
    for (const f of this.folders) if (findMkdocsConfig(f, this.disk) || this.disk.exists(f + '/' + CONFIG_FILE)) return f;
    for (const f of this.folders) {
      const below = findBelow(f, 3);
      if (below) return below;
    }
    return undefined;
  }

  private async index(): Promise<void> {
    this.indexing = true;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let progress: WorkDoneProgressServerReporter | undefined;
    let saveCache: (() => void) | undefined;
    let fromCache = '';
    try {
      this.settings = await this.pullSettings();
      if (this.caps.progress) {
        progress = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
        progress?.begin('Pattern Atlas', 0, 'Reading pages', false);
      }
      const start = this.siteStart();
      if (!start) {
        this.loadError = `no mkdocs.yml found in ${this.folders.join(', ') || '(no workspace folder)'}`;
        this.connection.console.info(`Pattern Atlas: ${this.loadError}; waiting for one to appear`);
        return;
      }
      const loaded = await this.load(start, async (done, total) => {
        progress?.report(Math.round((done / Math.max(total, 1)) * 50), `Reading pages ${done}/${total}`);
        await yieldNow();
      });
      saveCache = loaded.saveCache;
      if (this.cacheOn) fromCache = `, ${loaded.cached.hits} of ${loaded.cached.hits + loaded.cached.misses} pages from the parse cache`;
      if (!loaded.site) {
        this.loadError = loaded.error;
        this.connection.console.warn(`Pattern Atlas: ${loaded.error}`);
        return;
      }
      const t1 = performance.now();
      this.live = await LiveSite.build(loaded.site, parse, (rel) => this.ws.readFile(loaded.site!.absPath(rel)), async (done, total) => {
        progress?.report(50 + Math.round((done / Math.max(total, 1)) * 50), `Checking pages ${done}/${total}`);
        await yieldNow();
      });
      this.loadError = undefined;
      const files = this.live.reportedFiles();
      for (const f of files) this.resultIds.set(f, this.resultCounter);
      this.resultCounter++;
      const findings = this.live.allFindings().length;
      this.connection.console.info(
        `Pattern Atlas: indexed ${this.live.site.pages.size} pages of ${this.live.site.root} in ${Math.round(t1 - t0)} ms, checked in ${Math.round(performance.now() - t1)} ms` +
          ` (${Math.round(cpuMs(cpu0))} ms CPU, ${Math.round(process.memoryUsage().rss / 1048576)} MB resident${fromCache}): ${findings} findings`,
      );
    } catch (e) {
      this.error('indexing', e);
    } finally {
      progress?.done();
      this.indexing = false;
    }
    // Changes that arrived while indexing.
    this.flushNow();
    // Verdicts stored by an earlier run go out with the rules' findings.
    const stored = this.guardSync('reading the stored Mermaid verdicts', new Set<string>(), () => this.mermaidFromStore());
    // Mermaid validation last, once the other rules' diagnostics are written: its worker's start and its reading
    // of every page would otherwise hold back the messages (hundreds of KB on a large catalog) still queued for the client.
    // The parse cache only serves the next start: stored after that, while Mermaid's worker starts.
    void this.publishAll()
      .catch((e) => this.error('publishing diagnostics', e))
      .then(() => {
        this.startMermaid(stored);
        if (saveCache) setImmediate(() => this.guardVoid('storing the parse cache', saveCache!));
      });
  }

  /** Whether the parse cache and the Mermaid verdicts are read and written (off with PATTERN_ATLAS_NO_CACHE=1). */
  private get cacheOn(): boolean {
    return process.env.PATTERN_ATLAS_NO_CACHE !== '1';
  }

  /** The parse cache of the site around `start`. */
  private parserFor(start: string): CachedParser {
    const mkdocsPath = findMkdocsConfig(start, this.disk);
    const root = mkdocsPath ? mkdocsPath.slice(0, mkdocsPath.lastIndexOf('/')) : start;
    return cachedParser(root, this.cacheOn, parse);
  }

  /**
   * Load the site through the parse cache, reporting progress every 25 pages
   * (the event loop runs in between, so the notifications go out). Each page's
   * text is dropped once it is parsed. `saveCache` stores the parse cache:
   * the caller does it once the diagnostics are out (serializing every
   * document takes ~0.1 s on a 460-page site).
   */
  private async load(
    start: string,
    progress: (done: number, total: number) => Promise<void>,
  ): Promise<{ site?: Site; error?: string; saveCache: () => void; cached: CachedParser['stats'] }> {
    const parser = this.parserFor(start);
    const steps = loadSiteSteps(this.ws, start, { parse: parser.parse, rules: this.settings.rules });
    for (;;) {
      const step = steps.next();
      if (step.done) return { ...step.value, saveCache: () => parser.save(), cached: parser.stats };
      const { done, total } = step.value;
      if (done % 25 === 0 || done === total) await progress(done, total);
    }
  }

  private loadSync(start: string): { site?: Site; error?: string } {
    const parser = this.parserFor(start);
    const r = loadSite(this.ws, start, { parse: parser.parse, rules: this.settings.rules });
    parser.save();
    return r;
  }

  /** mkdocs.yml, the config or the template changed: load again and diff every finding. */
  private reloadNow(): void {
    this.reloadPending = false;
    this.pending.clear();
    const start = this.siteStart();
    const old = this.live;
    const loaded = start ? this.loadSync(start) : { error: 'no mkdocs.yml found' };
    if (!loaded.site) {
      this.loadError = loaded.error;
      this.connection.console.warn(`Pattern Atlas: ${loaded.error}`);
      this.live = undefined;
      if (old) this.clearAll(old);
      return;
    }
    if (old && old.site.root === loaded.site.root) {
      this.afterUpdate(old.replaceSite(loaded.site));
      // The severity or the page set may have changed: every page again (unchanged blocks come from the cache).
      void this.mermaidAll();
      return;
    }
    if (old) this.clearAll(old);
    this.live = LiveSite.fromSite(loaded.site, parse, (rel) => this.ws.readFile(loaded.site!.absPath(rel)));
    this.loadError = undefined;
    this.afterUpdate({ changed: new Set(this.live.reportedFiles()), rechecked: [] });
    void this.mermaidAll();
  }

  /** The old site is gone (its mkdocs.yml deleted, or another root): withdraw every diagnostic it reported. */
  private clearAll(old: LiveSite): void {
    for (const ctl of this.mermaidJobs.values()) ctl.abort();
    this.mermaidJobs.clear();
    const mermaid = this.mermaid;
    this.mermaid = new Map();
    for (const f of old.reportedFiles()) {
      if (!old.findingsOf(f).length && !mermaid.get(f)?.length) continue;
      const abs = old.site.root + '/' + f;
      this.gone.add(abs);
      if (!this.caps.pull) this.connection.sendDiagnostics({ uri: this.uriFor(abs), diagnostics: [] });
    }
    if (this.caps.pull && this.caps.refresh) this.connection.languages.diagnostics.refresh();
  }

  // ------------------------------------------------------------------ updates

  private enqueue(path: string, what: Pending): void {
    this.pending.delete(path); // keep arrival order
    this.pending.set(path, what);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.guardVoid('flush', () => this.flushNow());
    });
  }

  /** Wait for indexing and apply every queued change, so a request sees the current text. */
  private async sync(): Promise<void> {
    await this.ready;
    this.flushNow();
  }

  private flushNow(): void {
    if (this.indexing) return;
    if (!this.live) {
      // No site yet: a new mkdocs.yml (or config) may make one.
      const wanted = this.reloadPending || [...this.pending.keys()].some((p) => /\/(mkdocs\.ya?ml|\.pattern-atlas\.yml)$/.test(p));
      this.pending.clear();
      if (wanted) this.reloadNow();
      return;
    }
    const live = this.live;
    const site = live.site;
    const structural = (p: string) => p === site.mkdocsPath || p === site.root + '/' + CONFIG_FILE || (p.startsWith(site.root + '/') && /\/mkdocs\.ya?ml$/.test(p) && !site.mkdocsPath);
    if (this.reloadPending || [...this.pending.keys()].some((p) => structural(p) || this.isTemplate(site, p))) {
      this.reloadNow();
      return;
    }
    const batch = [...this.pending];
    this.pending.clear();
    for (const [path, what] of batch) {
      try {
        this.apply(live, path, what);
      } catch (e) {
        this.error(`update of ${path}`, e);
      }
    }
  }

  private apply(live: LiveSite, path: string, what: Pending): void {
    const site = live.site;
    const rel = site.docsPath(path);
    if (rel === undefined) return;
    if (what === 'delete') {
      this.afterUpdate(live.fileDeleted(rel));
      this.dropMermaid(live);
      return;
    }
    if (!isMarkdownPath(rel)) {
      if (this.disk.exists(path) && !fs.statSync(path).isDirectory()) this.afterUpdate(live.fileWritten(rel));
      return;
    }
    const text = this.ws.readFile(path);
    // Gone by the time we look: a delete whose event has not arrived yet.
    if (text === undefined) {
      this.afterUpdate(live.fileDeleted(rel));
      this.dropMermaid(live);
      return;
    }
    this.afterUpdate(live.fileWritten(rel, text), site.siteRel(rel));
    this.dropMermaid(live);
    this.mermaidPage(rel, 10, text);
  }

  private isTemplate(site: Site, path: string): boolean {
    if (!path.startsWith(site.root + '/') || !isMarkdownPath(path)) return false;
    if (site.config.template) return path === normalizePath(site.root + '/' + site.config.template);
    return /pattern[-_ ]?template\.md$/i.test(path);
  }

  /** Publish (push) or ask the client to pull again (pull) what an update changed. */
  private afterUpdate(result: UpdateResult, edited?: string): void {
    const root = this.live?.site.root;
    if (!result.changed.size) return;
    const id = this.resultCounter++;
    for (const f of result.changed) {
      this.resultIds.set(f, id);
      if (root !== undefined) this.gone.delete(root + '/' + f);
    }
    // A deleted page: a workspace pull must clear what it reported for it once.
    const reported = this.live ? new Set(this.live.reportedFiles()) : new Set<string>();
    for (const f of result.changed) if (!reported.has(f) && root !== undefined) this.gone.add(root + '/' + f);
    if (this.caps.pull) {
      if (this.caps.refresh && [...result.changed].some((f) => f !== edited)) {
        this.connection.languages.diagnostics.refresh();
      }
      return;
    }
    for (const f of result.changed) this.publish(f);
  }

  /** Publish every file's diagnostics (or ask a pull client to pull); resolves once the messages are written. */
  private async publishAll(): Promise<void> {
    if (this.caps.pull) {
      if (this.caps.refresh) this.connection.languages.diagnostics.refresh();
      return;
    }
    const live = this.live;
    if (!live) return;
    const sent: Array<Promise<void>> = [];
    for (const f of live.reportedFiles()) if (this.findingsOf(f).length) sent.push(this.publish(f));
    await Promise.all(sent);
  }

  private publish(file: string): Promise<void> {
    const live = this.live;
    if (!live) return Promise.resolve();
    const uri = this.uriFor(live.site.root + '/' + file);
    return this.connection.sendDiagnostics({ uri, diagnostics: this.findingsOf(file).map(toDiagnostic), version: this.documents.get(uri)?.version });
  }

  // ------------------------------------------------------------------ mermaid

  /** A file's findings: the rules' and its Mermaid diagrams'. */
  private findingsOf(file: string): Finding[] {
    const own = this.live?.findingsOf(file) ?? [];
    const mermaid = this.mermaid.get(file);
    return mermaid?.length ? sortFindings([...own, ...mermaid]) : own;
  }

  /** The validation pool (its worker starts with the first diagram it has no verdict for); null when Mermaid cannot be validated (logged once). */
  private pool(): MermaidPool | null {
    if (this.mermaidPool !== undefined) return this.mermaidPool;
    try {
      this.validator ??= mermaidValidatorIdentity();
      if (!this.validator) throw new Error('mermaid-worker.mjs is missing beside the server bundle (npm run build)');
      this.mermaidPool = getMermaidPool();
    } catch (e) {
      this.error('starting the Mermaid validator (mermaid-syntax is off)', e);
      this.mermaidPool = null;
    }
    return this.mermaidPool;
  }

  /**
   * Mermaid verdicts stored by an earlier run of this validator on this site
   * (the server's, or `pattern-atlas check`'s: one file under the cache
   * folder): every page all of whose diagrams have one gets its findings now,
   * before the first publish. Returns those pages.
   */
  private mermaidFromStore(): Set<string> {
    const done = new Set<string>();
    const live = this.live;
    if (!live || !this.cacheOn || mermaidSeverity(live.site) === 'off') return done;
    const pool = this.pool();
    if (!pool) return done;
    const t0 = performance.now();
    const site = live.site;
    this.validator ??= mermaidValidatorIdentity();
    const stored = readVerdicts(site.root, this.validator);
    if (!stored?.size) return done;
    pool.seed(stored);
    let blocks = 0;
    for (const [rel, page] of site.pages) {
      if (!page.doc.fences.some((f) => f.lang === 'mermaid')) continue;
      const text = this.ws.readFile(site.absPath(rel));
      if (text === undefined) continue;
      const now = cachedPageMermaid(site, page, text, pool);
      if (!now.complete) continue;
      done.add(rel);
      blocks += page.doc.fences.filter((f) => f.lang === 'mermaid').length;
      const file = site.siteRel(rel);
      if (now.findings.length) {
        this.mermaid.set(file, now.findings);
        this.resultIds.set(file, this.resultCounter++);
      }
    }
    this.connection.console.info(`Pattern Atlas: Mermaid: stored verdicts for every diagram of ${done.size} pages (${blocks} diagrams) read in ${Math.round(performance.now() - t0)} ms`);
    return done;
  }

  /** After indexing: validate every page's diagrams (open pages first, pages `done` from stored verdicts skipped), at low priority. */
  private startMermaid(done: Set<string>): void {
    if (!this.live || this.pool() === null) return;
    const t0 = performance.now();
    void this.mermaidAll(done).then((r) => {
      if (!r || this.shuttingDown) return; // the site changed, or validation was stopped: nothing to report
      const validated = this.mermaidPool?.stats().validated ?? 0;
      this.connection.console.info(
        `Pattern Atlas: Mermaid: diagrams of ${r.pages + done.size} pages checked ${Math.round(performance.now() - t0)} ms after the rules' diagnostics (${done.size} pages from stored verdicts, ${validated} diagrams validated)`,
      );
      this.saveVerdicts();
    });
  }

  /** Store the pool's verdicts for the next start when it validated anything since the last time. */
  private saveVerdicts(): void {
    const live = this.live;
    const pool = this.mermaidPool;
    if (!live || !pool || !this.cacheOn) return;
    const validated = pool.stats().validated;
    if (validated === this.savedAfter) return;
    this.validator ??= mermaidValidatorIdentity();
    writeVerdicts(live.site.root, this.validator, pool.verdicts()); // an unwritable cache folder only means no store
    this.savedAfter = validated;
  }

  /**
   * Validate every page's diagrams (open pages first), at low priority, but
   * those of `skip`; resolves when each page has its verdicts (or was taken
   * over by a later validation), with the number of pages, or undefined when
   * the site changed meanwhile.
   */
  private async mermaidAll(skip?: ReadonlySet<string>): Promise<{ pages: number } | undefined> {
    const live = this.live;
    if (!live || this.mermaidPool === undefined) return undefined; // not started yet: startMermaid does it
    const open = new Set<string>();
    for (const abs of this.uris.keys()) {
      const rel = live.site.docsPath(abs);
      if (rel !== undefined && live.site.pages.has(rel)) open.add(rel);
    }
    const pending: Array<Promise<void>> = [];
    for (const rel of open) pending.push(this.mermaidPage(rel, 10));
    let n = 0;
    for (const rel of [...live.site.pages.keys()]) {
      if (this.live !== live) return undefined;
      if (open.has(rel) || skip?.has(rel)) continue;
      pending.push(this.mermaidPage(rel, 0));
      // Reading pages is main-thread work: let requests in between.
      if (++n % 50 === 0) await yieldNow();
    }
    // Findings of pages that are gone.
    this.dropMermaid(live);
    await Promise.all(pending);
    return this.live === live ? { pages: pending.length } : undefined;
  }

  /**
   * Validate one page's blocks: what the pool has cached is shown at once,
   * the rest is validated off-thread (a previous validation of this page is
   * aborted) and merged when it comes back. Resolves when that is done (or
   * aborted).
   */
  private mermaidPage(rel: string, priority: number, text?: string): Promise<void> {
    const live = this.live;
    const pool = this.mermaidPool;
    if (!live || !pool) return Promise.resolve();
    const site = live.site;
    const page = site.pages.get(rel);
    const file = site.siteRel(rel);
    this.mermaidJobs.get(file)?.abort();
    this.mermaidJobs.delete(file);
    if (!page || mermaidSeverity(site) === 'off' || !page.doc.fences.some((f) => f.lang === 'mermaid')) {
      this.setMermaid(file, []);
      return Promise.resolve();
    }
    const t = text ?? this.ws.readFile(site.absPath(rel));
    if (t === undefined) {
      this.setMermaid(file, []);
      return Promise.resolve();
    }
    const now = cachedPageMermaid(site, page, t, pool);
    this.setMermaid(file, now.findings);
    if (now.complete) return Promise.resolve();
    const ctl = new AbortController();
    this.mermaidJobs.set(file, ctl);
    return checkPageMermaid(site, page, t, { pool, signal: ctl.signal, priority }).then(
      (findings) => {
        if (ctl.signal.aborted || this.live !== live) return;
        this.mermaidJobs.delete(file);
        this.setMermaid(file, findings);
      },
      (e) => {
        if (!ctl.signal.aborted) this.error(`Mermaid validation of ${file}`, e);
      },
    );
  }

  /** Forget the Mermaid findings of files that are no longer pages. */
  private dropMermaid(live: LiveSite): void {
    for (const file of [...this.mermaid.keys(), ...this.mermaidJobs.keys()]) {
      const rel = live.site.docsPath(live.site.root + '/' + file);
      if (rel !== undefined && live.site.pages.has(rel)) continue;
      this.mermaidJobs.get(file)?.abort();
      this.mermaidJobs.delete(file);
      if (this.mermaid.delete(file)) {
        this.resultIds.set(file, this.resultCounter++);
        this.gone.add(live.site.root + '/' + file);
        if (!this.caps.pull) this.connection.sendDiagnostics({ uri: this.uriFor(live.site.root + '/' + file), diagnostics: [] });
        else this.scheduleRefresh();
      }
    }
  }

  /** Replace a file's Mermaid findings; when they changed, publish (push) or ask the client to pull again. */
  private setMermaid(file: string, findings: Finding[]): void {
    const old = this.mermaid.get(file) ?? [];
    if (old.length === 0 && findings.length === 0) return;
    if (JSON.stringify(old) === JSON.stringify(findings)) return;
    if (findings.length) this.mermaid.set(file, findings);
    else this.mermaid.delete(file);
    this.resultIds.set(file, this.resultCounter++);
    if (this.caps.pull) this.scheduleRefresh();
    else this.publish(file);
  }

  /** One `workspace/diagnostic/refresh` for a burst of results (a startup scan answers page after page). */
  private scheduleRefresh(): void {
    if (!this.caps.pull || !this.caps.refresh || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.connection.languages.diagnostics.refresh();
    }, 50);
    this.refreshTimer.unref();
  }

  // ------------------------------------------------------------------ helpers

  private resultIdOf(file: string): string {
    return String(this.resultIds.get(file) ?? 0);
  }

  /** Quick fixes and "Fix all" from server/src/fixes (not-in-nav, broken-link, missing-section, ...). */
  private async fixActions<D extends DiagnosticLike>(uri: string, diagnostics: D[], only?: string[]): Promise<CodeActionLike<D>[]> {
    await this.sync();
    const live = this.live;
    const path = uriToPath(uri);
    const file = path ? this.fileOf(path) : undefined;
    if (!live || !path || !file) return [];
    const texts = (abs: string) => this.documents.get(this.uriFor(abs))?.getText() ?? this.ws.readFile(abs);
    return fixCodeActions(diagnostics, only, { site: live.site, path, findings: live.findingsOf(file), texts, uriFor: (p) => this.uriFor(p), source: SOURCE, createFiles: this.caps.createFiles });
  }

  /** Site-root relative path of an absolute path inside the site. */
  private fileOf(path: string): string | undefined {
    const root = this.live?.site.root;
    if (!root || !path.startsWith(root + '/')) return undefined;
    return path.slice(root.length + 1);
  }

  private uriFor(path: string): string {
    return this.uris.get(path) ?? pathToUri(path);
  }

  /** The snapshot, the page and its text for a request on `uri`, once every queued change is applied. */
  private async context(uri: string): Promise<{ site: Site; rel: string; text: () => string } | undefined> {
    await this.sync();
    const live = this.live;
    const path = uriToPath(uri);
    if (!live || !path) return undefined;
    const rel = live.site.docsPath(path);
    if (rel === undefined || !live.site.pages.has(rel)) return undefined;
    return { site: live.site, rel, text: () => this.documents.get(uri)?.getText() ?? this.ws.readFile(path) ?? '' };
  }

  private async pullSettings(): Promise<Settings> {
    if (!this.caps.configuration) return sanitizeSettings(this.pushedSettings);
    const scope = this.folders[0] ? pathToUri(this.folders[0]) : undefined;
    const key = scope ?? '';
    let s = this.settingsCache.get(key);
    if (!s) {
      s = this.connection.workspace
        .getConfiguration({ scopeUri: scope, section: 'patternAtlas' })
        .then(sanitizeSettings, (e) => {
          this.error('workspace/configuration', e);
          return sanitizeSettings(undefined);
        });
      this.settingsCache.set(key, s);
    }
    return s;
  }

  private async guard<R>(name: string, fallback: R, fn: () => Promise<R>): Promise<R> {
    try {
      return await fn();
    } catch (e) {
      this.error(name, e);
      return fallback;
    }
  }

  private guardSync<R>(name: string, fallback: R, fn: () => R): R {
    try {
      return fn();
    } catch (e) {
      this.error(name, e);
      return fallback;
    }
  }

  private guardVoid(name: string, fn: () => void | Promise<void>): void {
    try {
      const r = fn();
      if (r) r.catch((e) => this.error(name, e));
    } catch (e) {
      this.error(name, e);
    }
  }

  private error(where: string, e: unknown): void {
    try {
      this.connection.console.error(`Pattern Atlas: ${where} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } catch {
      /* the connection is gone */
    }
  }
}

/** The shallowest folder below `dir` (up to `depth` levels) holding a mkdocs.yml. */
function findBelow(dir: string, depth: number): string | undefined {
  let level = [dir];
  for (let d = 0; d < depth && level.length; d++) {
    const next: string[] = [];
    for (const folder of level.sort()) {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(folder, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules') continue;
        const sub = folder + '/' + e.name;
        if (fs.existsSync(sub + '/mkdocs.yml') || fs.existsSync(sub + '/mkdocs.yaml')) return sub;
        next.push(sub);
      }
    }
    level = next;
  }
  return undefined;
}

/** Start the server on stdio (the default), or on the transport named on the command line (`--node-ipc`, `--socket=N`, `--pipe=X`). */
export function startServer(): void {
  const argv = process.argv;
  if (!argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
    argv.push('--stdio');
  }
  const connection = createConnection(ProposedFeatures.all);
  process.on('uncaughtException', (e) => connection.console.error(`Pattern Atlas: uncaught ${e?.stack ?? e}`));
  process.on('unhandledRejection', (e) => connection.console.error(`Pattern Atlas: unhandled rejection ${(e as Error)?.stack ?? e}`));
  new AtlasServer(connection).listen();
}
