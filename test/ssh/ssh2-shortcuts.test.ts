// What ssh2-shortcuts.ts changes, pinned on the ssh2 version in use: keys are signed in the
// first request (no query and PK_OK), for every key type, and a wrong key still fails cleanly.
import { afterAll, describe, expect, it } from 'vitest';
import { Ssh2Shell } from '../../src/ssh/ssh2-shell.js';
import { expectNoOpenTcpHandles } from '../helpers/open-handles.js';
import { writeTestKey, type TestKeyType } from '../helpers/ssh-keys.js';
import { useTrustedFakeHost } from '../helpers/trusted-fake-host.js';

const shell = new Ssh2Shell({ env: {} });

afterAll(async () => {
  await expectNoOpenTcpHandles();
});

describe('ssh2 shortcuts', () => {
  it.each<[TestKeyType, 'openssh' | 'pem']>([
    ['ed25519', 'openssh'],
    ['ecdsa', 'openssh'],
    ['rsa', 'openssh'],
    ['rsa', 'pem'],
  ])('authenticates a %s key (%s) with one signed request', async (keyType, format) => {
    const { host, fakeHost } = await useTrustedFakeHost({ keyType, keyOptions: { format }, onExec: (exec) => exec.respond({ stdout: 'ok' }) });
    const outcome = await shell.exec(host, 'true', { maxOutputBytes: 1024 });
    expect(outcome).toMatchObject({ ok: true, result: { stdout: 'ok' } });
    // One publickey request, carrying the signature: ssh2 alone would query first (two).
    expect(fakeHost.authMethods).toEqual(['publickey']);
  });

  it('offers the next key when the server refuses a signed one, and reports every refusal', async () => {
    const { host, fakeHost, dir, clientKey } = await useTrustedFakeHost({ onExec: (exec) => exec.respond({ stdout: 'ok' }) });
    const stranger = await writeTestKey(dir.file('id_stranger'), 'ed25519');
    const outcome = await shell.exec({ ...host, identityFiles: [stranger.file, clientKey.file] }, 'true', { maxOutputBytes: 1024 });
    expect(outcome).toMatchObject({ ok: true });
    expect(fakeHost.authMethods).toEqual(['publickey', 'publickey']);
    const refused = await shell.exec({ ...host, identityFiles: [stranger.file] }, 'true', { maxOutputBytes: 1024 });
    expect(refused).toMatchObject({ ok: false, reason: 'auth-failed', detail: `server rejected keys: ${stranger.file}` });
  });
});
