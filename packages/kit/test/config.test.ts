/**
 * The settings every service shares (config.ts): yes-or-no settings read as booleans, with their
 * defaults, and anything else refused by name.
 */
import { describe, expect, it } from 'vitest';
import { baseConfig, ConfigError, loadConfig } from '../src/config';

const load = (env: Record<string, string>) => loadConfig(baseConfig, { PORT: '0', ...env });

describe('yes-or-no settings', () => {
  it('prepare statements unless DATABASE_PREPARED_STATEMENTS says 0 or false (a pooler in transaction mode)', () => {
    expect(load({}).DATABASE_PREPARED_STATEMENTS).toBe(true);
    expect(load({ DATABASE_PREPARED_STATEMENTS: '0' }).DATABASE_PREPARED_STATEMENTS).toBe(false);
    expect(load({ DATABASE_PREPARED_STATEMENTS: 'false' }).DATABASE_PREPARED_STATEMENTS).toBe(false);
    expect(load({ DATABASE_PREPARED_STATEMENTS: 'true' }).DATABASE_PREPARED_STATEMENTS).toBe(true);
  });

  it('keep TLS to Kafka off unless KAFKA_SSL says 1 or true', () => {
    expect(load({}).KAFKA_SSL).toBe(false);
    expect(load({ KAFKA_SSL: '1' }).KAFKA_SSL).toBe(true);
    expect(load({ KAFKA_SSL: 'false' }).KAFKA_SSL).toBe(false);
  });

  it('refuse any other value, naming the setting', () => {
    expect(() => load({ DATABASE_PREPARED_STATEMENTS: 'off' })).toThrow(ConfigError);
    expect(() => load({ DATABASE_PREPARED_STATEMENTS: 'off' })).toThrow(/DATABASE_PREPARED_STATEMENTS/);
    expect(() => load({ KAFKA_SSL: 'yes' })).toThrow(/KAFKA_SSL/);
  });
});
