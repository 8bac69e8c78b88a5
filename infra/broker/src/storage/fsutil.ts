/** Small synchronous file helpers. Sync I/O keeps ordering trivial: a write is
 * in the OS page cache before the response that acknowledges it is sent. */
import fs from 'node:fs';
import path from 'node:path';

/** Replace `file` atomically: write a temp file, fsync it, rename over the target. */
export function writeFileAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

/** Make a rename/create durable; best effort (some filesystems refuse). */
export function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // ignore: durability of the directory entry is a nicety here
  }
}

/**
 * Takes `<dir>/.lock` so two brokers never write the same data directory.
 * A lock left by a dead process (crash, SIGKILL) is taken over.
 * Returns the release function.
 */
export function acquireDirLock(dir: string): () => void {
  const lockFile = path.join(dir, '.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new Error(`data directory ${dir} is in use by process ${owner} (${lockFile})`);
      }
      fs.rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`could not lock ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
