/**
 * The gateway's part of the trace (issue 6): one SERVER span per GraphQL request, named after
 * the operation once it is known. @apollo/gateway's own spans (plan, execute, fetch) open inside
 * it, and each subgraph request carries it on as `traceparent` (SubgraphSource).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { activeSpan } from '@onecheck/telemetry';

export const operationSpanName: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, operationName }) {
        const span = activeSpan();
        if (!span || !operation) return;
        span.updateName(`${operation.operation}${operationName ? ` ${operationName}` : ''}`);
        span.setAttributes({
          'graphql.operation.type': operation.operation,
          ...(operationName ? { 'graphql.operation.name': operationName } : {}),
        });
      },
    };
  },
};
