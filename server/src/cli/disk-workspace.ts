/** The Workspace on disk, for the CLI. Unreadable or vanished files read as absent. */
import fs from 'node:fs';
import path from 'node:path';
import type { Workspace } from '../site/workspace.ts';

const SKIP_DIRS = new Set(['node_modules', '.git', '__pycache__']);

export class DiskWorkspace implements Workspace {
  listFiles(dir: string): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(d, { withFileTypes: true });
      } catch {
        return; // vanished or unreadable folder
      }
      for (const e of entries) {
        if (e.name.startsWith('.') && e.name !== '.pattern-atlas.yml') continue;
        const p = d + '/' + e.name;
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name)) walk(p);
        } else if (e.isFile() || e.isSymbolicLink()) out.push(p);
      }
    };
    walk(dir.replace(/\/+$/, ''));
    return out.sort();
  }
  readFile(p: string): string | undefined {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  }
  exists(p: string): boolean {
    return fs.existsSync(p);
  }
}

export function absDir(p: string): string {
  return path.resolve(p).split(path.sep).join('/');
}
