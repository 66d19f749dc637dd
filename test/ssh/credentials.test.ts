import { writeFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCredentials, type KeyParser } from '../../src/ssh/credentials.js';
import { makeHostTarget } from '../helpers/host-target.js';
import { writeTestKey, type TestKey } from '../helpers/ssh-keys.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

const parseKey: KeyParser = ssh2.utils.parseKey;

let dir: TempDir;
let plain: TestKey;
let encrypted: TestKey;
let encryptedPem: TestKey;
beforeAll(async () => {
  dir = await makeTempDir();
  plain = await writeTestKey(dir.file('id_plain'), 'ed25519');
  encrypted = await writeTestKey(dir.file('id_encrypted'), 'ecdsa', { passphrase: 'correct horse' });
  encryptedPem = await writeTestKey(dir.file('id_rsa_pem'), 'rsa', { format: 'pem', passphrase: 'correct horse' });
  await writeFile(dir.file('id_plain.pub'), `${plain.publicKey}\n`);
  await writeFile(dir.file('garbage'), 'not a key\n');
});
afterAll(async () => {
  await dir.remove();
});

describe('loadCredentials', () => {
  it('offers the agent first, then the identity files in order', async () => {
    const host = makeHostTarget({ useAgent: true, identityFiles: [plain.file, encrypted.file], passphraseEnv: 'KEY_PASS' });
    const credentials = await loadCredentials(host, { SSH_AUTH_SOCK: '/run/agent.sock', KEY_PASS: 'correct horse' }, parseKey);
    expect(credentials.problems).toEqual([]);
    expect(credentials.candidates.map((candidate) => candidate.label)).toEqual([
      'ssh-agent (/run/agent.sock)',
      plain.file,
      encrypted.file,
    ]);
  });

  it('decrypts OpenSSH and PEM keys with the passphrase variable, and still loads unencrypted ones', async () => {
    const host = makeHostTarget({ identityFiles: [encryptedPem.file, plain.file], passphraseEnv: 'KEY_PASS' });
    const credentials = await loadCredentials(host, { KEY_PASS: 'correct horse' }, parseKey);
    expect(credentials.problems).toEqual([]);
    expect(credentials.candidates.map((candidate) => candidate.kind === 'key' && candidate.key.type)).toEqual([
      'ssh-rsa',
      'ssh-ed25519',
    ]);
  });

  it.each([
    [
      'the variable is unset',
      { passphraseEnv: 'KEY_PASS' },
      {},
      /identity file .*id_encrypted is encrypted and environment variable KEY_PASS is not set/,
    ],
    ['no variable is configured', {}, { KEY_PASS: 'x' }, /id_encrypted is encrypted and no passphrase variable is configured/],
    ['the passphrase is wrong', { passphraseEnv: 'KEY_PASS' }, { KEY_PASS: 'wrong' }, /cannot decrypt identity file .*id_encrypted with the passphrase from KEY_PASS/],
  ])('names the encrypted key file when %s', async (_case, target, env, expected) => {
    const host = makeHostTarget({ identityFiles: [encrypted.file], ...target });
    const credentials = await loadCredentials(host, env, parseKey);
    expect(credentials.candidates).toEqual([]);
    expect(credentials.problems).toHaveLength(1);
    expect(credentials.problems[0]).toMatch(expected);
  });

  it('reports a wrong PEM passphrase by file name', async () => {
    const host = makeHostTarget({ identityFiles: [encryptedPem.file], passphraseEnv: 'KEY_PASS' });
    const credentials = await loadCredentials(host, { KEY_PASS: 'wrong' }, parseKey);
    expect(credentials.problems[0]).toContain(encryptedPem.file);
  });

  it('explains missing, public-only and unparseable key files, keeping the usable ones', async () => {
    const host = makeHostTarget({
      identityFiles: [dir.file('missing'), dir.file('id_plain.pub'), dir.file('garbage'), plain.file],
    });
    const credentials = await loadCredentials(host, {}, parseKey);
    expect(credentials.candidates.map((candidate) => candidate.label)).toEqual([plain.file]);
    expect(credentials.problems).toEqual([
      `cannot read identity file ${dir.file('missing')}: no such file`,
      `identity file ${dir.file('id_plain.pub')} holds no private key (a .pub file?)`,
      expect.stringContaining(`cannot use identity file ${dir.file('garbage')}`),
    ]);
  });

  it('says when ssh-agent is wanted but SSH_AUTH_SOCK is not set', async () => {
    const credentials = await loadCredentials(makeHostTarget({ useAgent: true }), {}, parseKey);
    expect(credentials).toEqual({ candidates: [], problems: ['ssh-agent is enabled but SSH_AUTH_SOCK is not set'] });
  });
});

describe('loadCredentials: asking for a passphrase', () => {
  it('asks when no variable unlocks an encrypted key, and never for a plain one', async () => {
    const asked: string[] = [];
    const ask = (file: string): Promise<string | undefined> => {
      asked.push(file);
      return Promise.resolve('correct horse');
    };
    const host = makeHostTarget({ identityFiles: [plain.file, encrypted.file] });
    const credentials = await loadCredentials(host, {}, parseKey, ask);
    expect(credentials.problems).toEqual([]);
    expect(credentials.candidates.map((c) => c.label)).toEqual([plain.file, encrypted.file]);
    expect(asked).toEqual([encrypted.file]);
  });

  it('prefers the variable, and says so when the typed passphrase is wrong or none is typed', async () => {
    const never = (): Promise<string | undefined> => Promise.reject(new Error('must not ask'));
    const fromEnv = await loadCredentials(makeHostTarget({ identityFiles: [encrypted.file], passphraseEnv: 'KEY_PASS' }), { KEY_PASS: 'correct horse' }, parseKey, never);
    expect(fromEnv.problems).toEqual([]);
    const wrong = await loadCredentials(makeHostTarget({ identityFiles: [encrypted.file] }), {}, parseKey, () => Promise.resolve('nope'));
    expect(wrong.problems).toEqual([`cannot decrypt identity file ${encrypted.file} with the passphrase typed at the prompt`]);
    const none = await loadCredentials(makeHostTarget({ identityFiles: [encrypted.file] }), {}, parseKey, () => Promise.resolve(undefined));
    expect(none.problems[0]).toMatch(/id_encrypted is encrypted and no passphrase variable is configured/);
  });
});
