/**
 * `npm start`'s topology (scripts/topology.ts) for a benchmark: every part its own process under a
 * supervisor whose children's lines go to stderr, in a data folder of its own, on free ports, with
 * fresh secrets. `stop()` ends the processes and removes the folder.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchEnv } from '../env';
import { createSupervisor } from '../supervisor';
import { freeTopologyPorts, startTopology, type RunningTopology } from '../topology';

export interface BenchTopology {
  topology: RunningTopology;
  /** The demo issuer's secret, for the bench's tokens. */
  issuerSecret: Uint8Array;
  stop(): Promise<void>;
}

export async function startBenchTopology(opts: {
  /** The embedded PostgreSQL server, or an outside server's URL with the prefix of the schemas to use. */
  database: 'embedded' | { url: string; schemaPrefix: string };
  departments: string[];
  /** Added to every child's environment. */
  env?: Record<string, string>;
}): Promise<BenchTopology> {
  const dataDir = mkdtempSync(join(tmpdir(), 'onecheck-bench-'));
  // As root the embedded server runs as user postgres, which must be able to enter the folder.
  chmodSync(dataDir, 0o755);
  // The children's lines (errors only, at this log level) go where the bench's own log goes.
  const toStderr = (line: string) => void process.stderr.write(`${line}\n`);
  const supervisor = createSupervisor({ output: { out: toStderr, err: toStderr } });
  const issuerSecret = randomBytes(24).toString('base64url');
  const stop = async () => {
    await supervisor.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const ports = await freeTopologyPorts(opts.departments.length);
    const topology = await startTopology({
      dataDir,
      database: opts.database === 'embedded' ? { embedded: { port: ports.postgres } } : opts.database,
      ports,
      departments: opts.departments,
      issuerSecret,
      gatewaySecret: randomBytes(24).toString('base64url'),
      logLevel: 'error',
      baseEnv: { ...benchEnv().baseEnv, ...opts.env },
      supervisor,
    });
    return { topology, issuerSecret: new TextEncoder().encode(issuerSecret), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
