import { describe, expect, it } from 'vitest';
import { HostKeyCheck, preferredHostKeyAlgorithms } from '../../src/ssh/host-key-check.js';
import { sha256Fingerprint } from '../../src/ssh/fingerprint.js';
import { parseKnownHosts } from '../../src/ssh/known-hosts.js';
import { makeHostTarget } from '../helpers/host-target.js';
import { generateTestKey } from '../helpers/ssh-keys.js';

const ed1 = generateTestKey('ed25519').publicKey;
const ed2 = generateTestKey('ed25519').publicKey;
const rsa = generateTestKey('rsa').publicKey;

function blob(publicKey: string): Buffer {
  return Buffer.from(publicKey.split(' ')[1] ?? '', 'base64');
}

describe('preferredHostKeyAlgorithms', () => {
  it('leaves ssh2 defaults alone when nothing is known', () => {
    expect(preferredHostKeyAlgorithms([])).toBeUndefined();
    expect(preferredHostKeyAlgorithms(['sk-ssh-ed25519@openssh.com'])).toBeUndefined();
  });

  it('puts the known types first, mapping ssh-rsa to its three signature algorithms', () => {
    expect(preferredHostKeyAlgorithms(['ssh-rsa'])).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
      'ssh-ed25519',
      'ecdsa-sha2-nistp256',
      'ecdsa-sha2-nistp384',
      'ecdsa-sha2-nistp521',
    ]);
    expect(preferredHostKeyAlgorithms(['ecdsa-sha2-nistp384', 'ssh-ed25519'])?.slice(0, 3)).toEqual([
      'ecdsa-sha2-nistp384',
      'ssh-ed25519',
      'ecdsa-sha2-nistp256',
    ]);
  });

  it('offers ssh-dss only for a host known by a DSA key', () => {
    expect(preferredHostKeyAlgorithms(['ssh-ed25519'])).not.toContain('ssh-dss');
    expect(preferredHostKeyAlgorithms(['ssh-dss'])?.[0]).toBe('ssh-dss');
  });
});

describe('HostKeyCheck', () => {
  const host = makeHostTarget({ address: 'web1.example.com', port: 2222, knownHostsFiles: ['/k/user', '/k/global'] });
  const entries = parseKnownHosts(`[web1.example.com]:2222 ${rsa}\n`, '/k/user');

  it('accepts the known key and prefers its algorithms', () => {
    const check = new HostKeyCheck(host, entries, false);
    expect(check.name).toBe('[web1.example.com]:2222');
    expect(check.preferredAlgorithms?.[0]).toBe('rsa-sha2-512');
    expect(check.verify(blob(rsa))).toEqual({ accept: true, record: false });
  });

  it('refuses an unknown host with the key type, fingerprint and both remedies', () => {
    const decision = new HostKeyCheck(host, [], false).verify(blob(ed1));
    expect(decision).toMatchObject({ accept: false, reason: 'host-key-unknown' });
    if (decision.accept) return;
    expect(decision.detail).toContain(`ssh-ed25519 ${sha256Fingerprint(blob(ed1))}`);
    expect(decision.detail).toContain('ssh-keyscan -p 2222 web1.example.com >> /k/user');
    expect(decision.detail).toContain('--accept-new-host-keys');
  });

  it('accepts an unknown host under accept-new, asking for the key to be recorded', () => {
    expect(new HostKeyCheck(host, [], true).verify(blob(ed1))).toEqual({ accept: true, record: true });
  });

  it('cannot accept-new without a known_hosts file to record into', () => {
    const noFiles = makeHostTarget({ knownHostsFiles: [] });
    expect(new HostKeyCheck(noFiles, [], true).verify(blob(ed1))).toMatchObject({ accept: false, reason: 'host-key-unknown' });
  });

  it('refuses a changed key even under accept-new, naming both fingerprints', () => {
    const decision = new HostKeyCheck(host, entries, true).verify(blob(ed2));
    expect(decision).toMatchObject({ accept: false, reason: 'host-key-mismatch' });
    if (decision.accept) return;
    expect(decision.detail).toContain(sha256Fingerprint(blob(ed2)));
    expect(decision.detail).toContain(`${sha256Fingerprint(blob(rsa))} (/k/user:1)`);
    expect(decision.detail).toContain("ssh-keygen -R '[web1.example.com]:2222'");
  });

  it('refuses a revoked key with a detail that says so', () => {
    const revoked = parseKnownHosts(`@revoked * ${ed1}\n[web1.example.com]:2222 ${ed1}\n`, '/k/user');
    const decision = new HostKeyCheck(host, revoked, true).verify(blob(ed1));
    expect(decision).toMatchObject({ accept: false, reason: 'host-key-mismatch' });
    if (decision.accept) return;
    expect(decision.detail).toMatch(/@revoked in \/k\/user:1/);
  });
});
