/**
 * The folder every cache lives in: `PATTERN_ATLAS_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/pattern-atlas`, else `~/.cache/pattern-atlas`. No imports
 * beyond Node's, so that the start-up loaders (server/src/boot/) can use it.
 */
import os from 'node:os';

export function cacheDir(): string {
  const env = process.env;
  return env.PATTERN_ATLAS_CACHE_DIR || (env.XDG_CACHE_HOME ? env.XDG_CACHE_HOME + '/pattern-atlas' : os.homedir() + '/.cache/pattern-atlas');
}
