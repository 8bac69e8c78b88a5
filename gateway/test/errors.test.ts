/**
 * What leaves the gateway in an error (gateway/src/errors.ts): the cases no subgraph makes on
 * purpose, so they cannot be provoked end to end once every input is checked.
 */
import { describe, expect, it } from 'vitest';
import { gatewayFormatError } from '../src/errors';

const sqlFault = {
  message: 'invalid byte sequence for encoding "UTF8": 0x00 — insert into enterprises (uscc, name) values ($1, $2)',
  path: ['registerEnterprise'],
  extensions: {
    code: 'INTERNAL_SERVER_ERROR',
    serviceName: 'market',
    stacktrace: ['error: insert into enterprises …', '    at Client.query (pg/lib/client.js:1:1)'],
  },
};

describe.each([false, true])('production %s', (production) => {
  const format = gatewayFormatError(production);

  it('answers an internal error with its code only: no SQL text, stack or service name', () => {
    expect(format(sqlFault)).toEqual({
      message: 'internal error',
      path: ['registerEnterprise'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', messageKey: 'error.internal' },
    });
    // A subgraph's error without a code of its own is treated the same.
    expect(format({ message: 'select 1 failed', extensions: { serviceName: 'credit' } }).message).toBe(
      'internal error',
    );
  });

  it('never names the service an error came from', () => {
    const e = format({ message: 'x', extensions: { code: 'BAD_USER_INPUT', field: 'uscc', serviceName: 'market' } });
    expect(e.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'uscc' });
  });

  it('reads the token limit as the other limits do', () => {
    const e = format({
      message: 'Syntax Error: Document contains more that 1000 tokens. Parsing aborted.',
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
    expect(e.extensions).toMatchObject({ code: 'OPERATION_LIMIT', limit: 'tokens' });
    expect('maximum' in ((e.extensions?.params as object) ?? {})).toBe(!production);
  });
});

it('strips suggestions and inside details in production only', () => {
  const error = {
    message: 'Cannot query field "nam" on type "Enterprise". Did you mean "name"?',
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', response: { url: 'http://127.0.0.1:4001/graphql' } },
  };
  expect(gatewayFormatError(true)(error)).toEqual({
    message: 'Cannot query field "nam" on type "Enterprise".',
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
  });
  expect(gatewayFormatError(false)(error).message).toMatch(/Did you mean/);
});

it('strips suggestions from a refusal’s detail too, which the message is rendered from', () => {
  const error = {
    message: '查询无效：Cannot query field "nam" on type "Enterprise". Did you mean "name"?',
    extensions: {
      code: 'GRAPHQL_VALIDATION_FAILED',
      messageKey: 'graphql.invalid',
      params: { detail: 'Cannot query field "nam" on type "Enterprise". Did you mean "name"?' },
    },
  };
  expect(gatewayFormatError(true)(error).extensions?.params).toEqual({
    detail: 'Cannot query field "nam" on type "Enterprise".',
  });
  expect(JSON.stringify(gatewayFormatError(false)(error))).toMatch(/Did you mean/);
});
