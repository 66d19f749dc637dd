// Fresh ed25519 key pairs for the demo fleet (client key and host keys).
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { openSshPublicKey } from '../ssh/fingerprint.js';

// ssh2 is CommonJS; Node's ESM loader only exposes its module.exports as the default export.
const { utils } = ssh2;
// OpenSSH-format private keys parse to an array (a file may hold several); the typings omit it.
const parseKey: (data: string | Buffer) => ParsedKey | ParsedKey[] | Error = utils.parseKey;

export interface KeyPair {
  /** OpenSSH private key text. */
  privateKey: string;
  /** `ssh-ed25519 AAAA…`, for authorized_keys and known_hosts. */
  publicKey: string;
}

/**
 * ssh2 1.17's generator drops a leading zero byte of the public key, so about one key in
 * 256 cannot be parsed back (31-byte public key); such a key is drawn again.
 */
export function generateEd25519KeyPair(): KeyPair {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const privateKey = utils.generateKeyPairSync('ed25519').private;
    const parsed = parseKey(privateKey);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key !== undefined && !(key instanceof Error)) return { privateKey, publicKey: openSshPublicKey(key.getPublicSSH()) };
  }
  throw new Error('could not generate an ed25519 key pair');
}
