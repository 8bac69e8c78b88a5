/**
 * `npm run verify-draw -- <drawId>` (or the plan's id): re-derives a draw through the gateway with
 * an auditor's token (docs/draw.md) and exits 1, naming what differs, when anything does (3 when nothing
 * differs but the token could not see all: the office sees inspectors' certificate numbers masked). The token comes from
 * ONECHECK_TOKEN, or is minted as the demo 纪检 auditor from npm start's data folder.
 */
import { issueDemoToken, loadSecret } from '@onecheck/auth';
import { planOfDraw, verifyDraw } from './draw/verify';
import { verifyDrawEnv } from './env';

const id = process.argv.slice(2).find((a) => a !== '--');
if (!id) {
  console.error('usage: npm run verify-draw -- <drawId or planId>   (ONECHECK_TOKEN, GATEWAY_URL optional)');
  process.exit(2);
}
const env = verifyDrawEnv();
const token =
  env.token ??
  (await issueDemoToken(
    loadSecret('issuer', { env: env.issuerSecretEnv, dataDir: env.dataDir }),
    { sub: 'demo-auditor', role: 'auditor' },
    env.clock,
    3600,
  ));
try {
  const planId = await planOfDraw(env.gatewayUrl, token, id);
  const result = await verifyDraw(env.gatewayUrl, token, planId);
  for (const line of result.lines) console.log(line);
  if (!result.ok) console.log(`draw of plan ${planId} does NOT verify`);
  else if (result.unchecked.length)
    console.log(
      `draw of plan ${planId} verified as far as this token sees: not the inspector draws of ${result.unchecked.join(', ')}`,
    );
  else console.log(`draw of plan ${planId} verified`);
  // 0 verified; 1 something differs (or the check failed); 3 nothing differs, but not all could be checked.
  process.exit(!result.ok ? 1 : result.unchecked.length ? 3 : 0);
} catch (e) {
  console.error(`verify-draw: ${(e as Error).message}`);
  process.exit(1);
}
