/**
 * Prints a demo token for the running system: `npm run --silent token -- --role staff --department FIRE`.
 * Signed with the demo issuer's key in the data folder, the same one `npm start` verifies with.
 */
import { parseArgs } from 'node:util';
import { identitySchema, issueDemoToken, loadSecret, MAX_TOKEN_LIFETIME_SECONDS, ROLES } from '@onecheck/auth';
import { departments, isDepartment } from '@onecheck/kit';
import { tokenEnv } from './env';

function fail(message: string): never {
  console.error(`token: ${message}
usage: npm run --silent token -- --role <${ROLES.filter((r) => r !== 'public').join('|')}> [--department CODE] [--sub ID] [--name NAME] [--ttl 12h (at most)]
departments: ${departments()
    .map((d) => d.code)
    .join(', ')}`);
  process.exit(2);
}

let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      role: { type: 'string' },
      department: { type: 'string' },
      name: { type: 'string' },
      // An inspector's token names their Inspector id (赋码检查: only the code's team records and sees it).
      sub: { type: 'string' },
      ttl: { type: 'string' },
    },
  }));
} catch (e) {
  fail((e as Error).message);
}
const { role, department, name, ttl, sub } = values;
if (!role || role === 'public') fail('--role is required');
if (department && !isDepartment(department)) fail(`unknown department ${department}`);
const identity = identitySchema.safeParse({
  sub: sub ?? `demo-${role}${department ? `-${department.toLowerCase()}` : ''}`,
  role,
  department,
  name,
});
if (!identity.success) fail(identity.error.issues.map((i) => `${i.path.join('.') || 'role'}: ${i.message}`).join('; '));
const { dataDir, issuerSecretEnv, clock } = tokenEnv();
const secret = loadSecret('issuer', { env: issuerSecretEnv, dataDir });
// A token for a system run with ONECHECK_CLOCK must be valid at that system's time (tokenEnv's clock).
const ttlSeconds = /^(\d+)([smhd])$/.exec(ttl ?? '12h');
if (!ttlSeconds) fail('--ttl must look like 30m, 12h or 1d');
const unit = { s: 1, m: 60, h: 3600, d: 86400 }[ttlSeconds![2] as 's' | 'm' | 'h' | 'd'];
const seconds = Number(ttlSeconds![1]) * unit;
// The gateway refuses a token that lives longer (packages/auth tokens.ts).
if (seconds < 1 || seconds > MAX_TOKEN_LIFETIME_SECONDS)
  fail(`--ttl must be between 1s and ${MAX_TOKEN_LIFETIME_SECONDS / 3600}h`);
console.log(await issueDemoToken(secret, identity.data, clock, seconds));
