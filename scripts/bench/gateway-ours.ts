/**
 * OneCheck's gateway as the benchmark runs it: gateway/src/index.ts's startGateway, exactly as
 * gateway/src/main.ts calls it in production mode (token check, limits, department routing,
 * telemetry, localised errors), with its settings from argv instead of the environment.
 * Argument: GatewayArgs (JSON); `departments` lists the instances it routes between.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createInterface } from 'node:readline';
import { userTokenVerifier } from '@onecheck/auth';
import { systemClock } from '@onecheck/clock';
import { createLogger } from '@onecheck/kit';
import { startGateway } from '../../gateway/src/index';
import { loadSupergraph } from '../../gateway/src/supergraph';
import { BENCH_RATE_LIMIT, encode, type GatewayArgs } from './gateway-common';

const args = JSON.parse(process.argv[2]!) as GatewayArgs & { profile?: string };
const gateway = await startGateway({
  host: '127.0.0.1',
  port: args.port,
  supergraphSdl: loadSupergraph(),
  urls: args.urls,
  departments: new Map(Object.entries(args.departments)),
  verifyUserToken: userTokenVerifier({ demoSecret: encode(args.issuerSecret), clock: systemClock }),
  gatewaySecret: encode(args.gatewaySecret),
  production: true,
  logger: createLogger('gateway', 'error'),
  clock: systemClock,
  rateLimit: BENCH_RATE_LIMIT,
});
process.stdout.write('@bench ready\n');

// The parent may ask for a CPU profile of a window of load: V8's sampling profiler (what
// `node --cpu-prof` runs for the whole life of a process) from `profile-start` to `profile-stop`,
// so start-up and module loading stay out of it. The profile goes to `args.profile`.
const session = new Session();
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'profile-start') {
    session.connect();
    session.post('Profiler.enable', () => session.post('Profiler.start'));
  } else if (line === 'profile-stop' && args.profile) {
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(args.profile!, JSON.stringify(result.profile));
      process.stdout.write(`@bench ${err ? err.message : 'profiled'}\n`);
    });
  }
});
process.stdin.on('end', () => void gateway.stop().finally(() => process.exit(0)));
