// Client key pairs written to disk the way users keep them: OpenSSH format from ssh2's key
// generator, or classic PEM (PKCS#1 / SEC1) from node:crypto, optionally encrypted.
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { openSshPublicKey } from '../../src/ssh/fingerprint.js';

const { utils } = ssh2;
// OpenSSH-format private keys parse to an array (a file may hold several); the typings omit it.
const parseKey: (data: string, passphrase?: string) => ParsedKey | ParsedKey[] | Error = utils.parseKey;

export type TestKeyType = 'ed25519' | 'ecdsa' | 'rsa';

export interface TestKeyOptions {
  /** Encrypt the private key with this passphrase. */
  passphrase?: string;
  /** `openssh` (default, any type) or `pem` (rsa and ecdsa only, as older ssh-keygen wrote them). */
  format?: 'openssh' | 'pem';
}

export interface TestKey {
  /** Path of the private key file (mode 0600). */
  file: string;
  /** The private key text, as written. */
  privateKey: string;
  /** `type base64`, for authorized_keys and known_hosts. */
  publicKey: string;
}

/**
 * Generate a key pair in memory. bcrypt rounds are kept low: tests need the format, not the
 * cost. ssh2 1.17's generator writes about one ed25519 key in 256 with a 31-byte public key
 * (a leading zero byte dropped) that its own parser rejects, so unparseable keys are redrawn.
 */
export function generateTestKey(type: TestKeyType, options: TestKeyOptions = {}): Omit<TestKey, 'file'> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const privateKey = options.format === 'pem' ? generatePem(type, options.passphrase) : generateOpenSsh(type, options.passphrase);
    const parsed = parseKey(privateKey, options.passphrase);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key !== undefined && !(key instanceof Error)) return { privateKey, publicKey: openSshPublicKey(key.getPublicSSH()) };
  }
  throw new Error(`could not generate a parseable ${type} key`);
}

export async function writeTestKey(file: string, type: TestKeyType, options: TestKeyOptions = {}): Promise<TestKey> {
  const key = generateTestKey(type, options);
  await writeFile(file, key.privateKey, { mode: 0o600 });
  return { file, ...key };
}

function generateOpenSsh(type: TestKeyType, passphrase: string | undefined): string {
  const encryption: ssh2.utils.KeyPairOptions =
    passphrase === undefined ? {} : { passphrase, cipher: 'aes256-ctr', rounds: 2 };
  switch (type) {
    case 'ed25519':
      return utils.generateKeyPairSync('ed25519', encryption).private;
    case 'ecdsa':
      return utils.generateKeyPairSync('ecdsa', { bits: 256, ...encryption }).private;
    case 'rsa':
      return utils.generateKeyPairSync('rsa', { bits: 2048, ...encryption }).private;
  }
}

function generatePem(type: TestKeyType, passphrase: string | undefined): string {
  const cipher = passphrase === undefined ? {} : { cipher: 'aes-128-cbc', passphrase };
  switch (type) {
    case 'rsa':
      return generateKeyPairSync('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs1', format: 'pem', ...cipher },
      }).privateKey;
    case 'ecdsa':
      return generateKeyPairSync('ec', {
        namedCurve: 'prime256v1',
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'sec1', format: 'pem', ...cipher },
      }).privateKey;
    case 'ed25519':
      throw new Error('ed25519 keys have no classic PEM form; use format openssh');
  }
}
