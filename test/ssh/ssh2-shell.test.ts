// Ssh2Shell against the in-process fake host: commands that work, and authentication.
import { expectFailure } from '../helpers/exec-outcome.js';
import { writeFile } from 'node:fs/promises';
import { getEventListeners } from 'node:events';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { Ssh2Shell } from '../../src/ssh/ssh2-shell.js';
import { sshAgentAvailable, startSshAgent } from '../helpers/ssh-agent.js';
import { writeTestKey, type TestKeyOptions, type TestKeyType } from '../helpers/ssh-keys.js';
import { useTrustedFakeHost } from '../helpers/trusted-fake-host.js';
import { expectNoOpenTcpHandles } from '../helpers/open-handles.js';

const shell = new Ssh2Shell({ env: {} });
const limits = { maxOutputBytes: 1024 * 1024 };

afterAll(async () => {
  await expectNoOpenTcpHandles();
});


describe('Ssh2Shell: running a command', () => {
  it('returns stdout, stderr and the exit code, and feeds stdin', async () => {
    const seen: string[] = [];
    const { host, fakeHost } = await useTrustedFakeHost({
      onExec: async (exec) => {
        seen.push(`${exec.username}:${exec.command}`);
        const input = await exec.stdin;
        await exec.respond({ stdout: input.toUpperCase(), stderr: 'warning: none\n', exitCode: 0 });
      },
    });
    const outcome = await shell.exec(host, 'sh -s', { ...limits, stdin: 'echo hello\n' });
    expect(outcome).toMatchObject({
      ok: true,
      result: { stdout: 'ECHO HELLO\n', stderr: 'warning: none\n', exitCode: 0, signal: null },
    });
    expect(seen).toEqual(['audit:sh -s']);
    // The connection is closed on the server's side too.
    await fakeHost.whenIdle();
    expect(fakeHost.connectionCount).toBe(1);
  });

  it('treats a non-zero exit as data', async () => {
    const { host } = await useTrustedFakeHost({
      onExec: (exec) => exec.respond({ stdout: 'failed.socket\n', exitCode: 3 }),
    });
    const outcome = await shell.exec(host, 'systemctl is-failed x.socket', limits);
    expect(outcome).toMatchObject({ ok: true, result: { stdout: 'failed.socket\n', exitCode: 3 } });
  });

  it('closes stdin when none is given, so a command reading it ends', async () => {
    const { host } = await useTrustedFakeHost({
      onExec: async (exec) => exec.respond({ stdout: `stdin=[${await exec.stdin}]` }),
    });
    const outcome = await shell.exec(host, 'cat', limits);
    expect(outcome).toMatchObject({ ok: true, result: { stdout: 'stdin=[]' } });
  });

  it('decodes UTF-8 only after collecting, so characters split across packets survive', async () => {
    const text = Buffer.from('état: ✓ ünïcode €\n', 'utf8');
    const { host } = await useTrustedFakeHost({
      onExec: async (exec) => {
        // Split inside the three-byte ✓ and the two-byte é.
        for (const piece of [text.subarray(0, 1), text.subarray(1, 10), text.subarray(10)]) await exec.write(piece);
        await exec.writeStderr(text.subarray(0, 1));
        await exec.writeStderr(text.subarray(1, 2));
        exec.exit(0);
      },
    });
    const outcome = await shell.exec(host, 'x', limits);
    expect(outcome).toMatchObject({ ok: true, result: { stdout: text.toString('utf8'), stderr: 'é' } });
  });

  it('reports a command killed by a signal as exit code null with the signal name', async () => {
    const { host } = await useTrustedFakeHost({ onExec: (exec) => exec.exitBySignal('TERM') });
    const outcome = await shell.exec(host, 'x', limits);
    expect(outcome).toMatchObject({ ok: true, result: { exitCode: null, signal: 'TERM' } });
  });

  it('accepts exactly maxOutputBytes of output', async () => {
    const { host } = await useTrustedFakeHost({
      onExec: (exec) => exec.respond({ stdout: 'x'.repeat(60), stderr: 'y'.repeat(40) }),
    });
    const outcome = await shell.exec(host, 'x', { maxOutputBytes: 100 });
    expect(outcome.ok).toBe(true);
  });

  it('runs many commands in parallel, one connection each, and leaves no abort listener behind', async () => {
    const { host, fakeHost } = await useTrustedFakeHost({
      onExec: (exec) => exec.respond({ stdout: exec.command }),
    });
    const controller = new AbortController();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, index) => shell.exec(host, `echo ${index}`, { ...limits, signal: controller.signal })),
    );
    expect(outcomes.map((outcome) => outcome.ok && outcome.result.stdout)).toEqual(
      Array.from({ length: 20 }, (_, index) => `echo ${index}`),
    );
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await fakeHost.whenIdle();
    expect(fakeHost.connectionCount).toBe(20);
  });
});

describe('Ssh2Shell: client keys', () => {
  const keyKinds: [string, TestKeyType, TestKeyOptions][] = [
    ['ed25519 (OpenSSH format)', 'ed25519', {}],
    ['ecdsa (OpenSSH format)', 'ecdsa', {}],
    ['rsa (OpenSSH format)', 'rsa', {}],
    ['rsa (PEM)', 'rsa', { format: 'pem' }],
    ['ecdsa (PEM)', 'ecdsa', { format: 'pem' }],
    ['encrypted ed25519 (OpenSSH format)', 'ed25519', { passphrase: 's3cret' }],
    ['encrypted rsa (PEM)', 'rsa', { format: 'pem', passphrase: 's3cret' }],
  ];

  it.each(keyKinds)('logs in with an %s key', async (_name, keyType, keyOptions) => {
    const { host } = await useTrustedFakeHost({
      keyType,
      keyOptions,
      target: { passphraseEnv: 'SOCKAUDIT_KEY_PASS' },
      onExec: (exec) => exec.respond({ stdout: 'in' }),
    });
    const outcome = await new Ssh2Shell({ env: { SOCKAUDIT_KEY_PASS: 's3cret' } }).exec(host, 'x', limits);
    expect(outcome).toMatchObject({ ok: true, result: { stdout: 'in' } });
  });

  it('offers public keys only: no none, password or keyboard-interactive attempts', async () => {
    const setup = await useTrustedFakeHost({ onExec: (exec) => exec.respond({}) });
    const stranger = await writeTestKey(setup.dir.file('id_stranger'), 'ed25519');
    await shell.exec({ ...setup.host, identityFiles: [stranger.file] }, 'x', limits);
    await shell.exec(setup.host, 'x', limits);
    expect(setup.fakeHost.authMethods.length).toBeGreaterThanOrEqual(2);
    expect(new Set(setup.fakeHost.authMethods)).toEqual(new Set(['publickey']));
  });

  it('tries the identity files in order until the server accepts one', async () => {
    const setup = await useTrustedFakeHost({ onExec: (exec) => exec.respond({ stdout: 'in' }) });
    const stranger = await writeTestKey(setup.dir.file('id_stranger'), 'ecdsa');
    const host = { ...setup.host, identityFiles: [setup.dir.file('missing'), stranger.file, setup.clientKey.file] };
    expect(await shell.exec(host, 'x', limits)).toMatchObject({ ok: true });
  });

  it('fails with auth-failed, naming the rejected keys, when the server accepts none', async () => {
    const setup = await useTrustedFakeHost({ onExec: (exec) => exec.respond({}) });
    const stranger = await writeTestKey(setup.dir.file('id_stranger'), 'rsa');
    const host = { ...setup.host, identityFiles: [stranger.file, setup.dir.file('missing')] };
    const detail = expectFailure(await shell.exec(host, 'x', limits), 'auth-failed');
    expect(detail).toBe(
      `server rejected keys: ${stranger.file}; also: cannot read identity file ${setup.dir.file('missing')}: no such file`,
    );
  });

  it('names an encrypted key without passphrase and does not connect when nothing is usable', async () => {
    const setup = await useTrustedFakeHost({ keyOptions: { passphrase: 'x' }, onExec: (exec) => exec.respond({}) });
    const detail = expectFailure(await shell.exec({ ...setup.host, passphraseEnv: 'NOT_SET' }, 'x', limits), 'auth-failed');
    expect(detail).toBe(
      `no usable SSH credential: identity file ${setup.clientKey.file} is encrypted and environment variable NOT_SET is not set`,
    );
    expect(setup.fakeHost.connectionCount).toBe(0);
  });

  it('gives a hint when no credential is configured at all', async () => {
    const setup = await useTrustedFakeHost({ onExec: (exec) => exec.respond({}) });
    const detail = expectFailure(await shell.exec({ ...setup.host, identityFiles: [] }, 'x', limits), 'auth-failed');
    expect(detail).toMatch(/configure an identity file .* or enable ssh-agent/);
  });

  it('reports an unreachable agent together with the rejected keys', async () => {
    const setup = await useTrustedFakeHost({ onExec: (exec) => exec.respond({}) });
    const stranger = await writeTestKey(setup.dir.file('id_stranger'), 'ed25519');
    const host = { ...setup.host, useAgent: true, identityFiles: [stranger.file] };
    const agentPath = setup.dir.file('no-agent.sock');
    const outcome = await new Ssh2Shell({ env: { SSH_AUTH_SOCK: agentPath } }).exec(host, 'x', limits);
    const detail = expectFailure(outcome, 'auth-failed');
    expect(detail).toBe(
      `server rejected keys: ${stranger.file}; also: ssh-agent (${agentPath}): Failed to connect to agent`,
    );
  });

  it('reports an unreachable agent as the reason when it was the only credential', async () => {
    const setup = await useTrustedFakeHost({ onExec: (exec) => exec.respond({}) });
    const host = { ...setup.host, useAgent: true, identityFiles: [] };
    const agentPath = setup.dir.file('no-agent.sock');
    const outcome = await new Ssh2Shell({ env: { SSH_AUTH_SOCK: agentPath } }).exec(host, 'x', limits);
    expect(expectFailure(outcome, 'auth-failed')).toBe(
      `no key could be offered to the server: ssh-agent (${agentPath}): Failed to connect to agent`,
    );
  });

  it.skipIf(!sshAgentAvailable())('logs in with a key held by ssh-agent', async () => {
    const setup = await useTrustedFakeHost({ onExec: (exec) => exec.respond({ stdout: 'via agent' }) });
    const agent = await startSshAgent(setup.dir.file('agent.sock'));
    onTestFinished(() => agent.stop());
    agent.add(setup.clientKey.file);
    const host = { ...setup.host, useAgent: true, identityFiles: [] };
    const outcome = await new Ssh2Shell({ env: { SSH_AUTH_SOCK: agent.socketPath } }).exec(host, 'x', limits);
    expect(outcome).toMatchObject({ ok: true, result: { stdout: 'via agent' } });
  });

  it('uses process.env by default for the passphrase', async () => {
    const setup = await useTrustedFakeHost({
      keyOptions: { passphrase: 'from-process-env' },
      target: { passphraseEnv: 'SOCKAUDIT_TEST_PASSPHRASE' },
      onExec: (exec) => exec.respond({ stdout: 'ok' }),
    });
    process.env.SOCKAUDIT_TEST_PASSPHRASE = 'from-process-env';
    onTestFinished(() => {
      delete process.env.SOCKAUDIT_TEST_PASSPHRASE;
    });
    expect(await new Ssh2Shell().exec(setup.host, 'x', limits)).toMatchObject({ ok: true });
  });

  it('reports a key file that became unreadable between runs by name', async () => {
    const setup = await useTrustedFakeHost({ onExec: (exec) => exec.respond({}) });
    await writeFile(setup.clientKey.file, 'garbage');
    const detail = expectFailure(await shell.exec(setup.host, 'x', limits), 'auth-failed');
    expect(detail).toContain(`cannot use identity file ${setup.clientKey.file}`);
  });
});

describe('Ssh2Shell: one run reads shared files once', () => {
  it('reuses a decrypted key for every host that names the same file', async () => {
    const runShell = new Ssh2Shell({ env: { KEY_PASS: 'correct horse' } });
    const { host, clientKey } = await useTrustedFakeHost({
      keyOptions: { passphrase: 'correct horse' },
      target: { passphraseEnv: 'KEY_PASS' },
      onExec: (exec) => exec.respond({ stdout: 'ok' }),
    });
    expect(await runShell.exec(host, 'true', limits)).toMatchObject({ ok: true });
    // The file is gone, yet the next host of the same run still authenticates with it...
    await writeFile(clientKey.file, 'not a key any more');
    expect(await runShell.exec({ ...host, name: 'second' }, 'true', limits)).toMatchObject({ ok: true });
    // ...while a new run reads the file again and says what is wrong with it.
    const detail = expectFailure(await new Ssh2Shell({ env: { KEY_PASS: 'correct horse' } }).exec(host, 'true', limits), 'auth-failed');
    expect(detail).toContain(clientKey.file);
  });
});

describe('Ssh2Shell: passphrase prompt', () => {
  it('asks for an encrypted key once per run, whichever hosts use it', async () => {
    const { host } = await useTrustedFakeHost({ keyOptions: { passphrase: 'pw' }, onExec: (exec) => exec.respond({ stdout: 'ok' }) });
    const asked: string[] = [];
    const prompting = new Ssh2Shell({
      env: {},
      askPassphrase: (file) => {
        asked.push(file);
        return Promise.resolve('pw');
      },
    });
    // The second host lists another (missing) key too: its credentials are loaded separately.
    const outcomes = await Promise.all([
      prompting.exec(host, 'a', limits),
      prompting.exec(host, 'b', limits),
      prompting.exec({ ...host, identityFiles: [...host.identityFiles, `${host.identityFiles[0]}.missing`] }, 'c', limits),
    ]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true]);
    expect(asked).toEqual([host.identityFiles[0]]);
  });
});
