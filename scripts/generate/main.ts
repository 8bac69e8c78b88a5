/**
 * `npx tsx scripts/generate/main.ts [businesses] [schemaPrefix]`: loads that many generated
 * businesses (default 100,000) into every service's schemas `${schemaPrefix}_*` (default `scale`)
 * on the PostgreSQL server of SCALE_DATABASE_URL (see env.ts). Then
 * `startSystem({ databaseUrl, schemaPrefix })` serves them. Bulk SQL, not Kafka: see load.ts.
 */
import { systemClock } from '@onecheck/clock';
import { createLogger } from '@onecheck/kit';
import { DEMO_DEPARTMENTS } from '../demo/departments';
import { scaleEnv } from './env';
import { loadBusinesses } from './load';

const [count = '100000', schemaPrefix = 'scale'] = process.argv.slice(2);
const businesses = Number(count.replace(/_/g, ''));
if (!Number.isInteger(businesses) || businesses < 1) throw new Error(`not a number of businesses: ${count}`);
const logger = createLogger('generate', 'info');
const { databaseUrl } = scaleEnv();
const result = await loadBusinesses({
  databaseUrl,
  schemaPrefix,
  businesses,
  departments: DEMO_DEPARTMENTS,
  clock: systemClock,
  logger,
});
logger.info(
  { rows: result.rows },
  `loaded ${businesses} businesses into ${schemaPrefix}_* in ${result.seconds.toFixed(1)} s`,
);
