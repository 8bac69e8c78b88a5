/**
 * A service run on its own (docker-compose, `tsx services/x/src/main.ts`) checks its settings
 * first and stops with a readable message, before it touches a database or a port.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureSigningKeys, signingKeyFile } from '@onecheck/events';
import { childEnv } from './env';
import { freePort } from './helpers';

const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules/.bin/tsx');

/** Runs one entry point to its end; the cases run side by side, each a process of its own. */
function run(entry: string, env: Record<string, string>) {
  return new Promise<{ status: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(tsx, [join(root, entry)], { env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

// Each case is a process of its own (about two seconds of loading); they run side by side.
describe.concurrent('configuration that is wrong', () => {
  it('stops a service with exit code 1, naming each bad setting', async ({ expect }) => {
    const r = await run('services/market/src/main.ts', {
      PORT: 'eighty',
      DATABASE_URL: 'not a url',
      DATABASE_PREPARED_STATEMENTS: 'sometimes',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('invalid configuration');
    expect(r.stderr).toMatch(/PORT/);
    expect(r.stderr).toMatch(/DATABASE_URL/);
    expect(r.stderr).toMatch(/DATABASE_PREPARED_STATEMENTS/);
  });

  it('stops npm start at once on an empty or zero PORT, naming it, instead of waiting on a port no one listens on', async ({
    expect,
  }) => {
    const runs = await Promise.all(
      ['', '0'].map((PORT) => run('scripts/start.ts', { PORT, DATA_DIR: join(tmpdir(), 'onecheck-no-start') })),
    );
    for (const r of runs) {
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('[onecheck] invalid configuration');
      expect(r.stderr).toMatch(/PORT/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    }
  });

  it('stops a department instance that names no configured department', async ({ expect }) => {
    const r = await run('services/department/src/main.ts', { PORT: '0', DEPARTMENT: 'NOWHERE' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/DEPARTMENT: not in config\/departments.json/);
  });

  it('stops a service on Kafka in production without its signing key and the trusted keys', async ({ expect }) => {
    const common = { PORT: '0', NODE_ENV: 'production', GATEWAY_SECRET: 'x'.repeat(32), KAFKA_BROKERS: '127.0.0.1:1' };
    // Another principal's key is refused too: market must not sign as approval.
    const keys = mkdtempSync(join(tmpdir(), 'onecheck-keys-'));
    try {
      ensureSigningKeys(keys, ['approval']);
      const [none, wrong] = await Promise.all([
        run('services/market/src/main.ts', common),
        run('services/market/src/main.ts', {
          ...common,
          EVENT_SIGNING_KEY_FILE: signingKeyFile(keys, 'approval'),
          EVENT_JWKS_FILE: join(keys, 'jwks.json'),
        }),
      ]);
      expect(none.status).toBe(1);
      expect(none.stderr).toMatch(/EVENT_SIGNING_KEY_FILE and EVENT_JWKS_FILE: required in production/);
      expect(wrong.status).toBe(1);
      expect(wrong.stderr).toMatch(/EVENT_SIGNING_KEY_FILE: the key approval:\S+ is not market's/);
    } finally {
      rmSync(keys, { recursive: true, force: true });
    }
  });

  it('stops a service given a Kafka user without a readable password', async ({ expect }) => {
    const common = { PORT: '0', KAFKA_BROKERS: '127.0.0.1:1', KAFKA_USERNAME: 'market' };
    const [none, missing, mechanism] = await Promise.all([
      run('services/market/src/main.ts', common),
      run('services/market/src/main.ts', { ...common, KAFKA_PASSWORD_FILE: '/nonexistent/market.password' }),
      run('services/market/src/main.ts', { ...common, KAFKA_PASSWORD: 'x', KAFKA_SASL_MECHANISM: 'plain' }),
    ]);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/KAFKA_PASSWORD: required with KAFKA_USERNAME/);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/KAFKA_PASSWORD_FILE: cannot read \/nonexistent\/market.password/);
    expect(mechanism.status).toBe(1);
    expect(mechanism.stderr).toMatch(/KAFKA_SASL_MECHANISM/);
  });

  it('stops the gateway without the subgraphs it needs', async ({ expect }) => {
    const r = await run('gateway/src/main.ts', { MARKET_URL: 'http://127.0.0.1:1/graphql' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/APPROVAL_URL/);
    expect(r.stderr).toMatch(/DEPARTMENT_URLS/);
  });
});

describe('a service on its own', () => {
  it('migrates its database, answers /healthz and /readyz, and stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'onecheck-main-'));
    const port = await freePort();
    const child = spawn(tsx, [join(root, 'services/credit/src/main.ts')], {
      env: childEnv({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
      stdio: 'ignore',
    });
    try {
      const deadline = performance.now() + 60_000;
      let ready: Response | undefined;
      while (performance.now() < deadline) {
        ready = await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined);
        if (ready?.ok) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(ready?.status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({
        status: 'ok',
        service: 'credit',
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
