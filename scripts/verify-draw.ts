/**
 * `npm run verify-draw -- <drawId>` (or the plan's id): re-derives a draw through the gateway with
 * an auditor's token (docs/draw.md) and exits 1, naming what differs, when anything does. The token comes from
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
  console.log(result.ok ? `draw of plan ${planId} verified` : `draw of plan ${planId} does NOT verify`);
  process.exit(result.ok ? 0 : 1);
} catch (e) {
  console.error(`verify-draw: ${(e as Error).message}`);
  process.exit(1);
}
