// Which connection failures the transport marks as transient (the collector retries those):
// a server that hangs up or resets before or during the key exchange, as sshd does beyond
// MaxStartups. Refusals, auth and host-key failures and timeouts are not transient.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { Ssh2Shell } from '../../src/ssh/ssh2-shell.js';
import { makeHostTarget } from '../helpers/host-target.js';
import { expectNoOpenTcpHandles } from '../helpers/open-handles.js';
import { writeTestKey } from '../helpers/ssh-keys.js';
import { closedPort } from '../helpers/tcp.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { useTrustedFakeHost } from '../helpers/trusted-fake-host.js';

const limits = { maxOutputBytes: 1024 };

afterAll(async () => {
  await expectNoOpenTcpHandles();
});

/** A TCP server that does `onConnection` to every client; closed after the test. */
async function tcpServer(onConnection: (socket: Socket) => void): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(async () => {
    sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function hostFor(port: number): Promise<ReturnType<typeof makeHostTarget>> {
  const dir = await makeTempDir();
  onTestFinished(() => dir.remove());
  const key = await writeTestKey(dir.file('id'), 'ed25519');
  return makeHostTarget({ port, identityFiles: [key.file], connectTimeoutMs: 2_000 });
}

describe('transient connection failures', () => {
  it('marks a server that closes at once (a MaxStartups drop) as transient', async () => {
    const port = await tcpServer((socket) => socket.end());
    const outcome = await new Ssh2Shell({ env: {} }).exec(await hostFor(port), 'x', limits);
    expect(outcome).toMatchObject({ ok: false, reason: 'ssh-error', transient: true });
  });

  it('marks a reset during the handshake as transient', async () => {
    const port = await tcpServer((socket) => {
      socket.write('SSH-2.0-OpenSSH_9.2\r\n');
      socket.once('data', () => socket.resetAndDestroy());
    });
    const outcome = await new Ssh2Shell({ env: {} }).exec(await hostFor(port), 'x', limits);
    expect(outcome).toMatchObject({ ok: false, reason: 'ssh-error', transient: true });
    expect(outcome.ok ? '' : outcome.detail).toMatch(/reset|closed the connection|lost before handshake/i);
  });

  it('does not mark refusals, rejected keys or unknown host keys as transient', async () => {
    const refused = await new Ssh2Shell({ env: {} }).exec(await hostFor(await closedPort()), 'x', limits);
    expect(refused).toMatchObject({ ok: false, reason: 'refused' });
    expect(refused).not.toHaveProperty('transient');

    const { host, dir } = await useTrustedFakeHost({ onExec: (exec) => exec.respond({}) });
    const stranger = await writeTestKey(dir.file('id_stranger'), 'ed25519');
    const rejected = await new Ssh2Shell({ env: {} }).exec({ ...host, identityFiles: [stranger.file] }, 'x', limits);
    expect(rejected).toMatchObject({ ok: false, reason: 'auth-failed' });
    expect(rejected).not.toHaveProperty('transient');

    const unknown = await new Ssh2Shell({ env: {} }).exec({ ...host, knownHostsFiles: [] }, 'x', limits);
    expect(unknown).toMatchObject({ ok: false, reason: 'host-key-unknown' });
    expect(unknown).not.toHaveProperty('transient');
  });
});
