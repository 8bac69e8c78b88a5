/**
 * docs/events.md promises that an outside system can subscribe with any Kafka client from the
 * documentation alone: its kafkajs and kcat examples are run here, as written, against a system.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateUscc, seededRandom } from '@onecheck/codes';
import { cloudEvent, createBus, outboxMessage, TOPICS } from '@onecheck/events';
import { createLogger } from '@onecheck/kit';
import type { RunningSystem } from '../scripts/system';
import { inheritedEnv } from './env';
import { gql, roles, startTestSystem, until } from './helpers';

const root = join(import.meta.dirname, '..');
const doc = readFileSync(join(root, 'docs/events.md'), 'utf8');
const block = (lang: string) => doc.split(`\`\`\`${lang}\n`)[1]!.split('```')[0]!;
const hasKcat = (() => {
  try {
    execFileSync('kcat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let sys: RunningSystem;
let uscc: string;

/** The system the events examples run against (only theirs: the security.md check needs none). */
async function startSystem() {
  sys = await startTestSystem({ departments: ['HEALTH'] });
  const [office, approver] = await Promise.all([sys.token(roles.office), sys.token(roles.approver)]);
  uscc = generateUscc(seededRandom(21), { region: '620422' });
  await gql(
    sys.gatewayUrl,
    'mutation ($input: RegisterEnterpriseInput!) { registerEnterprise(input: $input) { uscc } }',
    {
      input: {
        uscc,
        name: '会宁县文档示例宾馆',
        legalRepresentative: '周九',
        industry: '61',
        region: '620422',
        address: '会宁县',
      },
    },
    office,
  );
  await until('the grant', async () => {
    const r = await gql(
      sys.gatewayUrl,
      'mutation ($input: GrantLicenceInput!) { grantLicence(input: $input) { id } }',
      {
        input: {
          uscc,
          licenceNumber: 'DOC-1',
          approvalItem: '公共场所卫生许可',
          supervisingDepartment: 'HEALTH',
          scope: '住宿',
          validFrom: '2026-11-02',
          validUntil: '2031-11-01',
        },
      },
      approver,
    );
    return !r.errors;
  });
  await sys.approval.relay!.drain();
}

/** The demo outside consumer's Kafka password (the docs read it from data/keys/kafka). */
const outsidePassword = () => sys.kafka.credentials('outside-consumer')!.password;
const asDocumented = (text: string) =>
  text
    .replaceAll('127.0.0.1:9092', sys.kafkaBrokers[0]!)
    .replaceAll('http://127.0.0.1:4000', new URL(sys.gatewayUrl).origin)
    .replaceAll('$KAFKA_PASSWORD', outsidePassword());

describe('docs/events.md', () => {
  beforeAll(startSystem);
  afterAll(() => sys?.stop());

  it('its kafkajs example receives the licence events, verified, and refuses a forged one', async () => {
    mkdirSync(join(root, 'tmp'), { recursive: true });
    const file = join(root, 'tmp', `subscribe-${process.pid}.mjs`);
    writeFileSync(file, asDocumented(block('js')));
    const child = spawn(process.execPath, [file], {
      cwd: root,
      env: inheritedEnv({ KAFKAJS_NO_PARTITIONER_WARNING: '1', KAFKA_PASSWORD: outsidePassword() }),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    try {
      await until(
        'the example to print the grant',
        async () => out.includes(`onecheck.licence.granted.v2 ${uscc}`),
        30_000,
        100,
      );
      // A revocation published with approval's own Kafka credentials but without its key.
      const forged = cloudEvent({
        source: 'onecheck/approval',
        type: 'onecheck.licence.revoked.v2',
        subject: uscc,
        clock: sys.clock,
        data: {
          licenceId: randomUUID(),
          licenceNumber: 'DOC-1',
          uscc,
          businessName: '会宁县文档示例宾馆',
          address: '会宁县',
          approvalItem: '公共场所卫生许可',
          supervisingDepartment: 'HEALTH',
          scope: '住宿',
          validFrom: '2026-11-02',
          validUntil: '2031-11-01',
          grantedOn: '2026-11-02',
          recordedAt: sys.clock.now().toISOString(),
          status: 'REVOKED',
          reason: '伪造',
          act: {
            kind: 'REVOKE',
            decidedBy: 'HEALTH',
            documentNumber: '会卫罚〔2026〕1号',
            legalBasis: '伪造',
            decidedOn: '2026-11-20',
          },
        },
      });
      const bus = createBus({
        brokers: sys.kafkaBrokers,
        clientId: 'forger',
        logger: createLogger('forger', 'silent'),
        sasl: sys.kafka.credentials('approval'),
      });
      try {
        const producer = await bus.producer();
        await producer.send([{ topic: TOPICS.licence, messages: [outboxMessage({ key: uscc, event: forged })] }]);
      } finally {
        await bus.disconnect();
      }
      await until('the example to refuse it', async () => err.includes('refused:'), 30_000, 100);
      expect(out).not.toContain('onecheck.licence.revoked.v2');
    } finally {
      child.kill('SIGKILL');
      rmSync(file, { force: true });
    }
  });

  it.skipIf(!hasKcat)('its kcat examples list the topics and print the licence events', async () => {
    // Asynchronously: the broker runs in this process and must keep answering while kcat asks.
    const kcat = async (args: string[]) =>
      (await promisify(execFile)('kcat', args, { encoding: 'utf8', timeout: 20_000 })).stdout;
    const commands = block('sh')
      .split('\n')
      .filter((l) => l.startsWith('kcat ') && !l.includes(' -G '));
    expect(commands.length).toBe(3);
    const [list, consume, keys] = commands.map((c) => asDocumented(c));
    // Shell words: single-quoted ones as one argument, \n inside them as kcat reads it.
    const args = (line: string) =>
      line
        .match(/'[^']*'|\S+/g)!
        .slice(1)
        .map((a) => a.replace(/^'|'$/g, ''));
    expect(await kcat(args(list!))).toContain('onecheck.approval.licence');
    expect(await kcat(args(consume!))).toContain(`"subject":"${uscc}"`);
    expect(JSON.parse(await kcat(args(keys!)))).toEqual(sys.events.jwks);
  });
});

describe('docs/security.md', () => {
  const security = readFileSync(join(root, 'docs/security.md'), 'utf8');
  const spans = [...security.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  const text = (file: string) => readFileSync(join(root, file), 'utf8');

  it('cites only files, tests and npm scripts that exist', () => {
    // Repository paths (not data/…, not placeholders): every one exists, test files above all.
    const paths = spans.filter((s) =>
      /^(packages|services|gateway|infra|scripts|test|config|docs)\/[^\s<>*]+$/.test(s),
    );
    expect(paths.filter((p) => p.endsWith('.test.ts')).length).toBeGreaterThan(20);
    const problems = paths.filter((p) => !existsSync(join(root, p))).map((p) => `no file ${p}`);

    // A test is cited as `file.test.ts` "name"; "name" …, within one table cell, list item or paragraph.
    for (const segment of security.split(/\||\n\s*\n|\n\s*- /)) {
      let file: string | undefined;
      for (const m of segment.replace(/\s*\n\s*/g, ' ').matchAll(/`([^`]+\.test\.ts)`|"([^"]+)"/g)) {
        if (m[1]) file = m[1];
        else if (file && existsSync(join(root, file)) && !text(file).includes(m[2]!))
          problems.push(`no test ${file} "${m[2]}"`);
      }
    }

    // `npm run [--silent] [-w <workspace>] <script> …`: the script exists in that package.json.
    const rootPackage = JSON.parse(text('package.json')) as { workspaces: string[]; scripts: Record<string, string> };
    const workspaces = new Map<string, Record<string, string>>();
    for (const pattern of rootPackage.workspaces) {
      const dirs = pattern.endsWith('/*')
        ? readdirSync(join(root, pattern.slice(0, -2))).map((d) => `${pattern.slice(0, -2)}/${d}`)
        : [pattern];
      for (const dir of dirs.filter((d) => existsSync(join(root, d, 'package.json')))) {
        const pkg = JSON.parse(text(`${dir}/package.json`)) as { name: string; scripts?: Record<string, string> };
        workspaces.set(pkg.name, pkg.scripts ?? {});
      }
    }
    const scripts = spans.filter((s) => s.startsWith('npm run ')).map((s) => s.split(/\s+/).slice(2));
    for (let words of scripts) {
      let workspace: string | undefined;
      while (words[0]?.startsWith('-')) {
        if (words[0] === '-w' || words[0] === '--workspace') [workspace, words] = [words[1], words.slice(2)];
        else words = words.slice(1);
      }
      const known = workspace ? workspaces.get(workspace) : rootPackage.scripts;
      if (!words[0] || !known?.[words[0]]) problems.push(`no script ${workspace ?? 'root'}: ${words.join(' ')}`);
    }
    expect(scripts.length).toBeGreaterThan(3);
    expect(problems).toEqual([]);
  });
});
