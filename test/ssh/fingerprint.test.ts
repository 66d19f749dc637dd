import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { describeKey, keyTypeOfBlob, openSshPublicKey, sha256Fingerprint } from '../../src/ssh/fingerprint.js';
import { generateTestKey } from '../helpers/ssh-keys.js';
import { makeTempDir } from '../helpers/temp-dir.js';

function blob(publicKey: string): Buffer {
  return Buffer.from(publicKey.split(' ')[1] ?? '', 'base64');
}

describe('key blobs', () => {
  it.each([
    ['ed25519', 'ssh-ed25519'],
    ['ecdsa', 'ecdsa-sha2-nistp256'],
    ['rsa', 'ssh-rsa'],
  ] as const)('reads the type of an %s key from its blob', (type, expected) => {
    const key = generateTestKey(type).publicKey;
    expect(keyTypeOfBlob(blob(key))).toBe(expected);
    expect(openSshPublicKey(blob(key))).toBe(key);
  });

  it('returns null for blobs too short to hold a type', () => {
    expect(keyTypeOfBlob(Buffer.alloc(0))).toBeNull();
    expect(keyTypeOfBlob(Buffer.from([0, 0, 0, 11, 0x73]))).toBeNull();
  });

  it('formats SHA256 fingerprints like OpenSSH: unpadded base64', () => {
    const fingerprint = sha256Fingerprint(blob(generateTestKey('ed25519').publicKey));
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('agrees with ssh-keygen -l when it is installed', async (context) => {
    const key = generateTestKey('ecdsa').publicKey;
    const dir = await makeTempDir();
    try {
      await writeFile(dir.file('key.pub'), `${key}\n`);
      let output: string;
      try {
        output = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', dir.file('key.pub')], { encoding: 'utf8' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return context.skip();
        throw error;
      }
      expect(output.split(' ')[1]).toBe(sha256Fingerprint(blob(key)));
      expect(describeKey(blob(key))).toBe(`ecdsa-sha2-nistp256 ${sha256Fingerprint(blob(key))}`);
    } finally {
      await dir.remove();
    }
  });
});
