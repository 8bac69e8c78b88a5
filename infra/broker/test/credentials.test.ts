/**
 * npm start's Kafka passwords (data/keys/kafka): one per principal of the access file, made once
 * and kept across starts, readable by the owner only; the broker's users file holds no password;
 * deleting one password file rotates that principal alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCESS_FILE, ensureKafkaPasswords, loadAccessFile, passwordFile } from '../src/index';
import { tempDir } from './helpers';

const access = loadAccessFile(ACCESS_FILE);

describe('ensureKafkaPasswords', () => {
  it('makes one password per principal once, owner-only, and keeps them on the next start', () => {
    const dir = path.join(tempDir(), 'keys', 'kafka');
    const first = ensureKafkaPasswords(dir, access);
    expect(Object.keys(first.passwords).sort()).toEqual(Object.keys(access.principals).sort());
    expect(new Set(Object.values(first.passwords)).size).toBe(Object.keys(access.principals).length);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const p of Object.keys(access.principals)) {
      expect(fs.statSync(passwordFile(dir, p)).mode & 0o777).toBe(0o600);
      expect(first.passwords[p]).toMatch(/^[0-9a-f]{48}$/);
    }
    const users = fs.readFileSync(first.usersFile, 'utf8');
    for (const pw of Object.values(first.passwords)) expect(users).not.toContain(pw);
    expect(fs.statSync(first.usersFile).mode & 0o777).toBe(0o600);

    const again = ensureKafkaPasswords(dir, access);
    expect(again.passwords).toEqual(first.passwords);

    fs.rmSync(passwordFile(dir, 'outside-consumer'));
    const rotated = ensureKafkaPasswords(dir, access);
    expect(rotated.passwords['outside-consumer']).not.toBe(first.passwords['outside-consumer']);
    expect({ ...rotated.passwords, 'outside-consumer': '' }).toEqual({ ...first.passwords, 'outside-consumer': '' });
  });
});
