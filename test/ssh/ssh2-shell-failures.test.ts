// Ssh2Shell against hosts that fail: every path must end in the right reason, promptly, with
// the connection closed on both sides.
import { expectFailure } from '../helpers/exec-outcome.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { Ssh2Shell } from '../../src/ssh/ssh2-shell.js';
import { makeHostTarget } from '../helpers/host-target.js';
import { closedPort, startSilentServer } from '../helpers/tcp.js';
import { useTrustedFakeHost } from '../helpers/trusted-fake-host.js';
import { expectNoOpenTcpHandles } from '../helpers/open-handles.js';

const shell = new Ssh2Shell({ env: {} });
const limits = { maxOutputBytes: 1024 * 1024 };

afterAll(async () => {
  await expectNoOpenTcpHandles();
});


async function timed<T>(work: Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work;
  return [value, performance.now() - started];
}

/** Resolves when `predicate` holds, polling; fails the test after `ms`. */
async function eventually(predicate: () => boolean, ms = 2_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('Ssh2Shell: network failures', () => {
  it('reports refused when nothing listens on the port', async () => {
    const host = makeHostTarget({ port: await closedPort(), identityFiles: [], useAgent: true });
    const outcome = await new Ssh2Shell({ env: { SSH_AUTH_SOCK: '/nonexistent' } }).exec(host, 'x', limits);
    expect(expectFailure(outcome, 'refused')).toContain(`127.0.0.1:${host.port} refused`);
  });

  it('reports dns for a name that does not resolve', async () => {
    const host = makeHostTarget({ address: 'nonexistent.invalid', useAgent: true });
    const outcome = await new Ssh2Shell({ env: { SSH_AUTH_SOCK: '/nonexistent' } }).exec(host, 'x', limits);
    expect(expectFailure(outcome, 'dns')).toMatch(/^cannot resolve nonexistent\.invalid \((ENOTFOUND|EAI_AGAIN)\)$/);
  });

  it('reports connect-timeout when the server accepts TCP but never speaks SSH, and hangs up', async () => {
    const silent = await startSilentServer();
    onTestFinished(() => silent.close());
    const host = makeHostTarget({ port: silent.port, connectTimeoutMs: 300, useAgent: true });
    const [outcome, elapsed] = await timed(new Ssh2Shell({ env: { SSH_AUTH_SOCK: '/nonexistent' } }).exec(host, 'x', limits));
    expect(expectFailure(outcome, 'connect-timeout')).toBe(
      `no SSH session with 127.0.0.1:${silent.port} within 300 ms (timed out during the SSH handshake)`,
    );
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(1_500);
    expect(silent.accepted).toBe(1);
    await eventually(() => silent.openConnections === 0);
  });
});

describe('Ssh2Shell: commands that misbehave', () => {
  it('reports command-timeout for a command that hangs, sends KILL and closes', async () => {
    let signal: string | undefined;
    const { host, fakeHost } = await useTrustedFakeHost({
      target: { commandTimeoutMs: 300 },
      onExec: async (exec) => {
        void exec.signalled.then((name) => (signal = name));
        await exec.write('partial output\n');
        await exec.gone;
      },
    });
    const [outcome, elapsed] = await timed(shell.exec(host, 'sleep infinity', limits));
    expect(expectFailure(outcome, 'command-timeout')).toBe(
      'command still running after 300 ms; sent a KILL request and closed the connection',
    );
    expect(elapsed).toBeLessThan(1_500);
    await fakeHost.whenIdle();
    expect(signal).toBe('KILL');
  });

  it('reports command-timeout for a command that stays silent forever', async () => {
    const { host } = await useTrustedFakeHost({
      target: { commandTimeoutMs: 200 },
      onExec: () => new Promise<void>(() => undefined),
    });
    expect(expectFailure(await shell.exec(host, 'x', limits), 'command-timeout')).toMatch(/^command still running after 200 ms; /);
  });

  it('times the command from exec, not from connect', async () => {
    const { host } = await useTrustedFakeHost({
      target: { commandTimeoutMs: 250, connectTimeoutMs: 250 },
      onExec: async (exec) => {
        await sleep(150);
        await exec.respond({ stdout: 'done' });
      },
    });
    expect(await shell.exec(host, 'x', limits)).toMatchObject({ ok: true, result: { stdout: 'done' } });
  });

  it('reports ssh-error when the host drops the connection mid-output', async () => {
    const { host, fakeHost } = await useTrustedFakeHost({
      onExec: async (exec) => {
        await exec.write('socket-a.socket loaded active\n');
        await sleep(20);
        exec.disconnect();
      },
    });
    expect(expectFailure(await shell.exec(host, 'x', limits), 'ssh-error')).toBe(
      'connection closed before the command finished',
    );
    await fakeHost.whenIdle();
  });

  it('reports ssh-error when the channel closes without an exit status', async () => {
    const { host } = await useTrustedFakeHost({
      onExec: async (exec) => {
        await exec.write('half');
        exec.close();
      },
    });
    expect(expectFailure(await shell.exec(host, 'x', limits), 'ssh-error')).toBe(
      'the command channel closed without an exit status',
    );
  });

  it('stops a flood at the output limit, promptly, and the flooding host sees it go', async () => {
    let floodEnded = false;
    let written = 0;
    const chunk = Buffer.alloc(16 * 1024, 'y');
    const { host, fakeHost } = await useTrustedFakeHost({
      onExec: async (exec) => {
        while (await exec.write(chunk)) written += chunk.length;
        floodEnded = true;
      },
    });
    const [outcome, elapsed] = await timed(shell.exec(host, 'yes', { maxOutputBytes: 64 * 1024 }));
    expect(expectFailure(outcome, 'output-limit')).toBe(
      'output exceeded the limit of 65536 bytes (stdout + stderr); stopped reading and closed the connection',
    );
    expect(elapsed).toBeLessThan(2_000);
    await eventually(() => floodEnded);
    await fakeHost.whenIdle();
    expect(written).toBeGreaterThanOrEqual(64 * 1024);
  });

  it('counts stderr towards the output limit', async () => {
    const { host } = await useTrustedFakeHost({
      onExec: (exec) => exec.respond({ stdout: 'x'.repeat(600), stderr: 'e'.repeat(600) }),
    });
    expectFailure(await shell.exec(host, 'x', { maxOutputBytes: 1_000 }), 'output-limit');
  });
});

describe('Ssh2Shell: abort signal', () => {
  it('ends a running command at once with deadline', async () => {
    const { host, fakeHost } = await useTrustedFakeHost({ onExec: (exec) => exec.gone });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('run deadline reached')), 150);
    const [outcome, elapsed] = await timed(shell.exec(host, 'x', { ...limits, signal: controller.signal }));
    expect(expectFailure(outcome, 'deadline')).toMatch(/^aborted after \d+ ms while the command ran: run deadline reached$/);
    expect(elapsed).toBeLessThan(1_000);
    await fakeHost.whenIdle();
  });

  it('ends a connection attempt with deadline', async () => {
    const silent = await startSilentServer();
    onTestFinished(() => silent.close());
    const host = makeHostTarget({ port: silent.port, connectTimeoutMs: 10_000, useAgent: true });
    const signal = AbortSignal.timeout(150);
    const [outcome, elapsed] = await timed(
      new Ssh2Shell({ env: { SSH_AUTH_SOCK: '/nonexistent' } }).exec(host, 'x', { ...limits, signal }),
    );
    expect(expectFailure(outcome, 'deadline')).toMatch(/during the SSH handshake/);
    expect(elapsed).toBeLessThan(1_000);
    await eventually(() => silent.openConnections === 0);
  });

  it('does not connect at all when the signal is already aborted', async () => {
    const { host, fakeHost } = await useTrustedFakeHost({ onExec: (exec) => exec.respond({}) });
    const outcome = await shell.exec(host, 'x', { ...limits, signal: AbortSignal.abort() });
    expect(expectFailure(outcome, 'deadline')).toBe('aborted before connecting');
    expect(fakeHost.connectionCount).toBe(0);
  });
});
