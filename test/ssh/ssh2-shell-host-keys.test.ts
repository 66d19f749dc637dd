// Ssh2Shell host key verification against fake hosts: known, unknown, changed, revoked,
// accept-new, and servers with several host keys.
import { expectFailure } from '../helpers/exec-outcome.js';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Fingerprint } from '../../src/ssh/fingerprint.js';
import { Ssh2Shell } from '../../src/ssh/ssh2-shell.js';
import { hashedHostName, writeKnownHosts } from '../helpers/known-hosts-lines.js';
import { generateTestKey } from '../helpers/ssh-keys.js';
import { useTrustedFakeHost } from '../helpers/trusted-fake-host.js';
import { expectNoOpenTcpHandles } from '../helpers/open-handles.js';

const shell = new Ssh2Shell({ env: {} });
const acceptNewShell = new Ssh2Shell({ env: {}, acceptNewHostKeys: true });
const limits = { maxOutputBytes: 1024 * 1024 };

afterAll(async () => {
  await expectNoOpenTcpHandles();
});


function blobOf(publicKey: string): Buffer {
  return Buffer.from(publicKey.split(' ')[1] ?? '', 'base64');
}

describe('Ssh2Shell: host keys', () => {
  it('refuses a host missing from known_hosts, with its fingerprint and the remedies', async () => {
    const { host, fakeHost } = await useTrustedFakeHost({ trusted: false, onExec: (exec) => exec.respond({}) });
    const detail = expectFailure(await shell.exec(host, 'x', limits), 'host-key-unknown');
    expect(detail).toContain(`ssh-ed25519 ${sha256Fingerprint(blobOf(fakeHost.hostPublicKey))}`);
    expect(detail).toContain(`ssh-keyscan -p ${fakeHost.port} 127.0.0.1`);
    expect(detail).toContain('--accept-new-host-keys');
    await fakeHost.whenIdle();
  });

  it('refuses a host whose key changed, even with accept-new, and leaves known_hosts alone', async () => {
    const { host, fakeHost, knownHostsFile } = await useTrustedFakeHost({ trusted: false, onExec: (exec) => exec.respond({}) });
    const oldKey = generateTestKey('ed25519').publicKey;
    await writeKnownHosts(knownHostsFile, [`[127.0.0.1]:${fakeHost.port} ${oldKey}`]);
    for (const candidate of [shell, acceptNewShell]) {
      const detail = expectFailure(await candidate.exec(host, 'x', limits), 'host-key-mismatch');
      expect(detail).toContain(sha256Fingerprint(blobOf(fakeHost.hostPublicKey)));
      expect(detail).toContain(sha256Fingerprint(blobOf(oldKey)));
    }
    expect(await readFile(knownHostsFile, 'utf8')).toBe(`[127.0.0.1]:${fakeHost.port} ${oldKey}\n`);
  });

  it('refuses a revoked host key', async () => {
    const { host, fakeHost, knownHostsFile } = await useTrustedFakeHost({ onExec: (exec) => exec.respond({}) });
    await writeKnownHosts(knownHostsFile, [`@revoked * ${fakeHost.hostPublicKey}`, fakeHost.knownHostsLine()]);
    expect(expectFailure(await acceptNewShell.exec(host, 'x', limits), 'host-key-mismatch')).toMatch(/@revoked/);
  });

  it('matches a hashed known_hosts entry', async () => {
    const { host, fakeHost, knownHostsFile } = await useTrustedFakeHost({ onExec: (exec) => exec.respond({ stdout: 'ok' }) });
    await writeKnownHosts(knownHostsFile, [`${hashedHostName(`[127.0.0.1]:${fakeHost.port}`)} ${fakeHost.hostPublicKey}`]);
    expect(await shell.exec(host, 'x', limits)).toMatchObject({ ok: true });
  });

  it('finds the host in a later known_hosts file', async () => {
    const setup = await useTrustedFakeHost({ onExec: (exec) => exec.respond({}) });
    const host = { ...setup.host, knownHostsFiles: [setup.dir.file('missing'), setup.knownHostsFile] };
    expect(await shell.exec(host, 'x', limits)).toMatchObject({ ok: true });
  });

  it('reports an unreadable known_hosts file instead of treating the host as new', async () => {
    const setup = await useTrustedFakeHost({ onExec: (exec) => exec.respond({}) });
    const host = { ...setup.host, knownHostsFiles: [setup.dir.path, setup.knownHostsFile] };
    const detail = expectFailure(await acceptNewShell.exec(host, 'x', limits), 'host-key-unknown');
    expect(detail).toContain(`cannot read ${setup.dir.path}`);
    expect(setup.fakeHost.connectionCount).toBe(0);
  });

  it('with accept-new, records a new host in the first file (creating it) and trusts it from then on', async () => {
    const setup = await useTrustedFakeHost({ trusted: false, onExec: (exec) => exec.respond({ stdout: 'hi' }) });
    const firstFile = setup.dir.file('fresh', 'dir', 'known_hosts');
    const host = { ...setup.host, knownHostsFiles: [firstFile, setup.knownHostsFile] };
    expect(await acceptNewShell.exec(host, 'x', limits)).toMatchObject({ ok: true, result: { stdout: 'hi' } });
    expect(await readFile(firstFile, 'utf8')).toBe(`${setup.fakeHost.knownHostsLine()}\n`);
    // A strict run now trusts the recorded key, and the line is not added twice.
    expect(await shell.exec(host, 'x', limits)).toMatchObject({ ok: true });
    expect(await acceptNewShell.exec(host, 'x', limits)).toMatchObject({ ok: true });
    expect(await readFile(firstFile, 'utf8')).toBe(`${setup.fakeHost.knownHostsLine()}\n`);
  });

  it('with accept-new, records many new hosts at once as whole lines', async () => {
    const setups = await Promise.all(
      Array.from({ length: 6 }, () => useTrustedFakeHost({ trusted: false, onExec: (exec) => exec.respond({}) })),
    );
    const shared = setups[0]?.dir.file('shared_known_hosts') ?? '';
    const outcomes = await Promise.all(
      setups.map((setup) => acceptNewShell.exec({ ...setup.host, knownHostsFiles: [shared] }, 'x', limits)),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    const lines = (await readFile(shared, 'utf8')).trimEnd().split('\n').sort();
    expect(lines).toEqual(setups.map((setup) => setup.fakeHost.knownHostsLine()).sort());
  });

  it('with accept-new, records a proven host key even when authentication then fails, as OpenSSH does', async () => {
    const setup = await useTrustedFakeHost({ trusted: false, onExec: (exec) => exec.respond({}) });
    const stranger = generateTestKey('ed25519');
    await writeFile(setup.clientKey.file, stranger.privateKey);
    expectFailure(await acceptNewShell.exec(setup.host, 'x', limits), 'auth-failed');
    // Like OpenSSH's accept-new: the key is learned during the handshake, before user auth.
    expect(await readFile(setup.knownHostsFile, 'utf8')).toBe(`${setup.fakeHost.knownHostsLine()}\n`);
  });

  describe('a server with several host keys', () => {
    const ed25519 = generateTestKey('ed25519');
    const ecdsa = generateTestKey('ecdsa');
    const rsa = generateTestKey('rsa');
    const hostKey = [ed25519.privateKey, ecdsa.privateKey, rsa.privateKey];

    it.each([
      ['ecdsa', ecdsa.publicKey],
      ['rsa (negotiated as rsa-sha2-*)', rsa.publicKey],
      ['ed25519', ed25519.publicKey],
    ])('presents the %s key when that is the one we know', async (_name, knownKey) => {
      const { host, fakeHost, knownHostsFile } = await useTrustedFakeHost({ hostKey, onExec: (exec) => exec.respond({ stdout: 'ok' }) });
      expect(fakeHost.hostPublicKeys).toEqual([ed25519.publicKey, ecdsa.publicKey, rsa.publicKey]);
      await writeKnownHosts(knownHostsFile, [`[127.0.0.1]:${fakeHost.port} ${knownKey}`]);
      expect(await shell.exec(host, 'x', limits)).toMatchObject({ ok: true, result: { stdout: 'ok' } });
    });

    it('reports a mismatch, not a handshake error, when the known key type is gone', async () => {
      const { host, fakeHost, knownHostsFile } = await useTrustedFakeHost({
        hostKey: [ecdsa.privateKey],
        onExec: (exec) => exec.respond({}),
      });
      await writeKnownHosts(knownHostsFile, [`[127.0.0.1]:${fakeHost.port} ${ed25519.publicKey}`]);
      const detail = expectFailure(await shell.exec(host, 'x', limits), 'host-key-mismatch');
      expect(detail).toContain(`offered ecdsa-sha2-nistp256 ${sha256Fingerprint(blobOf(ecdsa.publicKey))}`);
    });
  });
});
