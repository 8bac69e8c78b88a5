/**
 * The Hive Gateway baseline: @graphql-hive/gateway-runtime (the runtime the `@graphql-hive/gateway`
 * CLI serves), on Node's http server, over the same supergraph pointed at this run's subgraphs
 * (the department subgraph at one instance), with only the credential hook added as an `onFetch`
 * plugin. Everything else is Hive's default. Argument: GatewayArgs (JSON).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { GATEWAY_HEADER } from '@onecheck/auth';
import { SUPERGRAPH_PATH } from '../../gateway/src/supergraph';
import { credentialHook, pointSupergraph, type GatewayArgs } from './gateway-common';

const args = JSON.parse(process.argv[2]!) as GatewayArgs;
const credential = credentialHook(args.gatewaySecret);

const runtime = createGatewayRuntime({
  supergraph: pointSupergraph(readFileSync(SUPERGRAPH_PATH, 'utf8'), args),
  plugins: () => [
    {
      async onFetch({ options, setOptions }) {
        const headers = {
          ...(options.headers as Record<string, string> | undefined),
          [GATEWAY_HEADER]: await credential(),
        };
        setOptions({ ...options, headers });
      },
    },
  ],
});
const server = createServer(runtime);
await new Promise<void>((resolve) => server.listen(args.port, '127.0.0.1', resolve));
process.stdout.write('@bench ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  server.close();
  void Promise.resolve(runtime.dispose()).finally(() => process.exit(0));
});
