/**
 * No Docker engine runs here, so the deployment file is checked against the code instead: every
 * service it builds has an entry point that exists, every variable it sets is one the code reads,
 * and every department it runs is configured.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { departments } from '@onecheck/kit';

const root = join(import.meta.dirname, '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      build?: { context: string; dockerfile: string };
      command?: string[];
      environment?: Record<string, string>;
      image?: string;
    }
  >;
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'test') return [];
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}
const code = ['services', 'gateway', 'packages', 'infra']
  .flatMap((d) => sources(join(root, d)))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
const built = Object.entries(compose.services).filter(([, s]) => s.build);

describe('docker-compose.yml', () => {
  it('runs Postgres, Kafka in KRaft mode, every subgraph, several departments and the gateway', () => {
    const names = Object.keys(compose.services);
    expect(names).toEqual(expect.arrayContaining(['postgres', 'kafka', 'market', 'approval', 'credit', 'gateway']));
    // KRaft: infra/kafka/compose-kafka.sh writes Kafka's properties (test/compose-kafka.test.ts).
    expect(readFileSync(join(root, 'infra/kafka/compose-kafka.sh'), 'utf8')).toContain(
      'process.roles=broker,controller',
    );
    expect(built.filter(([, s]) => s.environment?.DEPARTMENT).length).toBeGreaterThanOrEqual(3);
  });

  it('builds every service from a Dockerfile in the repository and starts an entry point that exists', () => {
    for (const [name, service] of built) {
      expect(existsSync(join(root, service.build!.context, service.build!.dockerfile)), name).toBe(true);
      expect(service.command?.length, name).toBeGreaterThan(0);
      expect(existsSync(join(root, service.command![0]!)), `${name}: ${service.command![0]}`).toBe(true);
    }
  });

  it('builds on the Node the README recommends (the current LTS), not one past its end of life', () => {
    const image = /^FROM node:(\d+)-/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))?.[1];
    const recommended = /the current LTS, Node (\d+), is recommended/.exec(
      readFileSync(join(root, 'README.md'), 'utf8'),
    )?.[1];
    expect(image).toBeDefined();
    expect(image).toBe(recommended);
  });

  it('sets only variables the code reads', () => {
    for (const [name, service] of built) {
      for (const variable of Object.keys(service.environment ?? {})) {
        expect(code.includes(variable), `${name}: ${variable} is read nowhere`).toBe(true);
      }
    }
  });

  it('runs only configured departments, and the gateway routes to each of them', () => {
    const configured = new Set(departments().map((d) => d.code));
    const routed = compose.services.gateway!.environment!.DEPARTMENT_URLS!.split(',').map((p) => p.split('=')[0]);
    for (const [, service] of built) {
      const department = service.environment?.DEPARTMENT;
      if (!department) continue;
      expect(configured.has(department)).toBe(true);
      expect(routed).toContain(department);
    }
    for (const pair of compose.services.gateway!.environment!.DEPARTMENT_URLS!.split(',')) {
      const host = new URL(pair.split('=')[1]!).hostname;
      expect(Object.keys(compose.services)).toContain(host);
    }
  });
});
