/**
 * The server's Workspace: the text of documents open in the editor wins over
 * the file on disk (unsaved edits count). Which files exist is the disk's
 * answer: a buffer whose file was deleted is not part of the site.
 */
import type { Workspace } from '../site/workspace.ts';

export interface OpenDocuments {
  /** Text of an open document by absolute path, or undefined when it is not open. */
  text(path: string): string | undefined;
}

export class OverlayWorkspace implements Workspace {
  constructor(
    private readonly base: Workspace,
    private readonly open: OpenDocuments,
  ) {}

  listFiles(dir: string): string[] {
    return this.base.listFiles(dir);
  }

  readFile(path: string): string | undefined {
    const open = this.open.text(path);
    if (open !== undefined) return this.base.exists(path) ? open : undefined;
    return this.base.readFile(path);
  }

  exists(path: string): boolean {
    return this.base.exists(path);
  }
}
