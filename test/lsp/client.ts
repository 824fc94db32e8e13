/**
 * A protocol-level LSP client for tests: spawns the BUILT server
 * (`dist/server.cjs --stdio`) and speaks to it through
 * `vscode-languageserver-protocol/node`, the same JSON-RPC stack editors use.
 *
 * Waiting is always on messages (a diagnostics notification, a progress
 * report, a log line), with a deadline only as a failure guard.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as P from 'vscode-languageserver-protocol/node.js';
import { ensureBuilt } from '../helpers/build.ts';

/** Builds the bundles when one is missing or older than its sources (what `npm run build` makes). */
export { ensureBuilt };

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER = path.join(REPO, 'dist/server.cjs');
export const COMPENDIUM = path.join(REPO, 'examples/compendium');

/** A fresh copy of a site folder under the temp dir (tests edit and delete files in it). */
export function copySite(src = COMPENDIUM): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-atlas-lsp-')));
  fs.cpSync(src, dir, { recursive: true });
  return dir;
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

export interface ClientOptions {
  /** Announce pull diagnostics (default true). */
  pull?: boolean;
  /** Settings answered to `workspace/configuration` for section `patternAtlas`. */
  settings?: Record<string, unknown>;
  /** Extra env for the server. */
  env?: Record<string, string>;
  /** `workspace.workspaceEdit` capabilities to announce (none by default). */
  workspaceEdit?: P.WorkspaceEditClientCapabilities;
  /** The server command after `node` (default `dist/server.cjs --stdio`; `pattern-atlas lsp` is `[dist/cli.cjs, 'lsp']`). */
  command?: string[];
}

export interface Client {
  conn: P.ProtocolConnection;
  root: string;
  /** Latest pushed diagnostics per URI. */
  pushed: Map<string, P.Diagnostic[]>;
  /** `performance.now()` when the last publishDiagnostics arrived (0 before the first). */
  lastPublishAt: number;
  /** `performance.now()` right before the server process was spawned (after the build check). */
  spawnedAt: number;
  logs: string[];
  progress: Array<{ kind: string; message?: string; percentage?: number }>;
  registrations: P.Registration[];
  configurationRequests: P.ConfigurationItem[];
  refreshes: number;
  initializeResult: P.InitializeResult;
  /** Resolve when `pred` holds, re-checked after every message from the server. */
  waitFor<T>(what: string, pred: () => T | undefined | false, ms?: number): Promise<T>;
  uri(rel: string): string;
  open(rel: string, text?: string): Promise<string>;
  change(rel: string, text: string): Promise<void>;
  pull(rel: string, previousResultId?: string): Promise<P.DocumentDiagnosticReport>;
  stop(): Promise<void>;
}

export async function startClient(root: string, opts: ClientOptions = {}): Promise<Client> {
  await ensureBuilt();
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, opts.command ?? [SERVER, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PATTERN_ATLAS_NO_CACHE: '1', ...(opts.env ?? {}) },
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const conn = P.createProtocolConnection(new P.StreamMessageReader(child.stdout!), new P.StreamMessageWriter(child.stdin!));
  const waiters = new Set<() => void>();
  const poke = () => {
    for (const w of [...waiters]) w();
  };
  const client = {
    conn,
    root,
    pushed: new Map<string, P.Diagnostic[]>(),
    lastPublishAt: 0,
    spawnedAt,
    logs: [] as string[],
    progress: [] as Array<{ kind: string; message?: string; percentage?: number }>,
    registrations: [] as P.Registration[],
    configurationRequests: [] as P.ConfigurationItem[],
    refreshes: 0,
    versions: new Map<string, number>(),
  };
  conn.onNotification(P.PublishDiagnosticsNotification.type, (p) => {
    client.pushed.set(p.uri, p.diagnostics);
    client.lastPublishAt = performance.now();
    poke();
  });
  conn.onNotification(P.LogMessageNotification.type, (p) => {
    client.logs.push(p.message);
    poke();
  });
  conn.onRequest(P.WorkDoneProgressCreateRequest.type, (p) => {
    conn.onProgress(P.WorkDoneProgress.type, p.token, (v) => {
      client.progress.push({ kind: v.kind, message: v.message, percentage: 'percentage' in v ? v.percentage : undefined });
      poke();
    });
    return null;
  });
  conn.onRequest(P.RegistrationRequest.type, (p) => {
    client.registrations.push(...p.registrations);
    poke();
    return null;
  });
  conn.onRequest(P.ConfigurationRequest.type, (p) => {
    client.configurationRequests.push(...p.items);
    return p.items.map((i) => (i.section === 'patternAtlas' ? (opts.settings ?? {}) : null));
  });
  conn.onRequest(P.DiagnosticRefreshRequest.type, () => {
    client.refreshes++;
    poke();
    return null;
  });
  conn.listen();

  const pull = opts.pull ?? true;
  // A server that dies before answering fails the test instead of leaving it waiting forever.
  const died = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(`the server exited (${code ?? signal}) before answering initialize\nstderr:\n${stderr}`))));
  died.catch(() => {});
  const initializeResult = await Promise.race([died, conn.sendRequest(P.InitializeRequest.type, {
    processId: process.pid,
    rootUri: uriOf(root),
    workspaceFolders: [{ uri: uriOf(root), name: 'site' }],
    capabilities: {
      window: { workDoneProgress: true },
      workspace: {
        configuration: true,
        didChangeWatchedFiles: { dynamicRegistration: true },
        ...(pull ? { diagnostics: { refreshSupport: true } } : {}),
        ...(opts.workspaceEdit ? { workspaceEdit: opts.workspaceEdit } : {}),
      },
      textDocument: {
        completion: { completionItem: { snippetSupport: false } },
        hover: { contentFormat: ['markdown'] },
        publishDiagnostics: { versionSupport: true },
        ...(pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
      },
    },
  })]);
  await conn.sendNotification(P.InitializedNotification.type, {});

  const waitFor = <T>(what: string, pred: () => T | undefined | false, ms = 20000): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        let v: T | undefined | false;
        try {
          v = pred();
        } catch (e) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(e);
          return;
        }
        if (v) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}\nserver log:\n${client.logs.join('\n')}\nstderr:\n${stderr}`));
      }, ms);
      timer.unref();
      waiters.add(check);
      check();
    });

  const uri = (rel: string) => uriOf(path.join(root, rel));
  return Object.assign(client, {
    initializeResult,
    waitFor,
    uri,
    async open(rel, text) {
      const t = text ?? fs.readFileSync(path.join(root, rel), 'utf8');
      client.versions.set(rel, 1);
      await conn.sendNotification(P.DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(rel), languageId: 'markdown', version: 1, text: t } });
      return t;
    },
    async change(rel, text) {
      const v = (client.versions.get(rel) ?? 1) + 1;
      client.versions.set(rel, v);
      await conn.sendNotification(P.DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(rel), version: v }, contentChanges: [{ text }] });
    },
    pull(rel, previousResultId) {
      return conn.sendRequest(P.DocumentDiagnosticRequest.type, { textDocument: { uri: uri(rel) }, ...(previousResultId ? { previousResultId } : {}) });
    },
    async stop() {
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      kill.unref();
      try {
        await conn.sendRequest(P.ShutdownRequest.type);
        await conn.sendNotification(P.ExitNotification.type);
      } catch {
        child.kill('SIGKILL');
      }
      await exited;
      clearTimeout(kill);
      conn.dispose();
    },
  } satisfies Omit<Client, keyof typeof client | 'initializeResult'> & { initializeResult: P.InitializeResult });
}

/**
 * Start a client on a fresh copy of `src` (see `copySite`); the client's `root`
 * is the copy, and its `stop()` also deletes the copy (as it does if the start fails).
 */
export async function startOnCopy(opts: ClientOptions = {}, src = COMPENDIUM): Promise<Client> {
  const root = copySite(src);
  const remove = () => fs.rmSync(root, { recursive: true, force: true });
  let c: Client;
  try {
    c = await startClient(root, opts);
  } catch (e) {
    remove();
    throw e;
  }
  const stop = c.stop;
  c.stop = async () => {
    try {
      await stop();
    } finally {
      remove();
    }
  };
  return c;
}

/** Apply LSP text edits to a text (edits are non-overlapping). */
export function applyEdits(text: string, edits: P.TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: P.Position) => {
    let o = 0;
    for (let i = 0; i < p.line; i++) o += lines[i].length + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/** Position of the `$0` marker in `text`, and the text without it. */
export function cursor(text: string): { text: string; position: P.Position } {
  const i = text.indexOf('$0');
  if (i < 0) throw new Error('no $0 cursor in text');
  const before = text.slice(0, i);
  const line = before.split('\n').length - 1;
  return { text: before + text.slice(i + 2), position: { line, character: i - (before.lastIndexOf('\n') + 1) } };
}
