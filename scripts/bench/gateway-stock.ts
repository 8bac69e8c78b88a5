/**
 * The stock baseline: @apollo/gateway in a plain ApolloServer (standalone server), over the same
 * supergraph with its URLs pointed at this run's subgraphs (the department subgraph at one
 * instance), and only the credential hook added. Everything else is Apollo's default.
 * Argument: GatewayArgs (JSON).
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GATEWAY_HEADER } from '@onecheck/auth';
import { SUPERGRAPH_PATH } from '../../gateway/src/supergraph';
import { credentialHook, pointSupergraph, type GatewayArgs } from './gateway-common';

const args = JSON.parse(process.argv[2]!) as GatewayArgs;
const credential = credentialHook(args.gatewaySecret);

class WithCredential extends RemoteGraphQLDataSource {
  override async willSendRequest({ request }: Parameters<RemoteGraphQLDataSource['willSendRequest'] & {}>[0]) {
    request.http?.headers.set(GATEWAY_HEADER, await credential());
  }
}

const server = new ApolloServer({
  gateway: new ApolloGateway({
    supergraphSdl: pointSupergraph(readFileSync(SUPERGRAPH_PATH, 'utf8'), args),
    buildService: ({ url }) => new WithCredential({ url }),
  }),
});
await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: args.port } });
process.stdout.write('@bench ready\n');
process.stdin.resume();
process.stdin.on('end', () => void server.stop().finally(() => process.exit(0)));
