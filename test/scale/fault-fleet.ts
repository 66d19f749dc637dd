// An in-process fleet for fault injection at scale: one fake SSH server answers every host
// (each host logs in as its own user name, which picks its behaviour), and per-host TCP fronts
// in front of it drop or reset connections the way an overloaded sshd does.
import { probeScriptNonce } from '../../src/probes/probe-script.js';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { startFakeHost, type FakeExec, type FakeHost } from '../../src/demo/fake-host.js';
import { generateEd25519KeyPair } from '../../src/demo/ssh-key-pair.js';
import type { HostTarget } from '../../src/model/types.js';
import { knownHostsName } from '../../src/ssh/known-hosts.js';
import { makeHostTarget } from '../helpers/host-target.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

/** What a host does. `drop-first`/`reset-first` fail their first N connections, then answer. */
export type Behaviour = 'ok' | 'slow' | 'hang' | 'drop-first' | 'reset-first' | 'reset-always';

const fixture = readFileSync(new URL('../fixtures/probe/systemd-252/healthy.txt', import.meta.url), 'utf8');

/** The captured systemd 252 output, with the nonce of the probe the client actually sent. */
export async function replayFixture(exec: FakeExec, delayMs = 0): Promise<void> {
  const nonce = probeScriptNonce(await exec.stdin);
  if (nonce === undefined) return exec.respond({ stderr: 'no probe on stdin\n', exitCode: 2 });
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  await exec.respond({ stdout: fixture.replaceAll('FIXTURENONCE', nonce) });
}

export interface FaultFleet {
  hosts: HostTarget[];
  behaviours: Map<string, Behaviour>;
  server: FakeHost;
  /** Hosts of behaviour `hang` whose command has started and is still hanging. */
  readonly hangingExecs: number;
  dir: TempDir;
  close(): Promise<void>;
}

/** A front that fails the first `failures` connections (close or RST), then relays to `port`. */
async function startFront(port: number, mode: 'drop' | 'reset', failures: number): Promise<{ port: number; server: Server; sockets: Set<Socket> }> {
  let seen = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    seen += 1;
    sockets.add(client);
    client.on('error', () => undefined);
    client.once('close', () => sockets.delete(client));
    if (seen <= failures) {
      // sshd beyond MaxStartups closes a new connection at once; a middlebox may reset it.
      if (mode === 'drop') client.end();
      else client.resetAndDestroy();
      return;
    }
    const upstream = createConnection({ port, host: '127.0.0.1' });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    upstream.once('close', () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, server, sockets };
}

export async function startFaultFleet(plan: readonly [Behaviour, number][], target: Partial<HostTarget> = {}): Promise<FaultFleet> {
  const dir = await makeTempDir();
  const client = generateEd25519KeyPair();
  await writeFile(dir.file('id'), client.privateKey, { mode: 0o600 });
  const behaviours = new Map<string, Behaviour>();
  let hangingExecs = 0;
  const server = await startFakeHost({
    authorizedKeys: [client.publicKey],
    onExec: async (exec) => {
      const behaviour = behaviours.get(exec.username) ?? 'ok';
      if (behaviour === 'hang') {
        hangingExecs += 1;
        await exec.gone;
        hangingExecs -= 1;
        return;
      }
      return replayFixture(exec, behaviour === 'slow' ? 300 : 0);
    },
  });
  const fronts: Awaited<ReturnType<typeof startFront>>[] = [];
  const hosts: HostTarget[] = [];
  const knownHosts: string[] = [`${knownHostsName('127.0.0.1', server.port)} ${server.hostPublicKey}`];
  for (const [behaviour, count] of plan) {
    for (let i = 0; i < count; i += 1) {
      const name = `${behaviour}-${i}`;
      behaviours.set(name, behaviour);
      let port = server.port;
      if (behaviour === 'drop-first' || behaviour === 'reset-first' || behaviour === 'reset-always') {
        const front = await startFront(server.port, behaviour === 'drop-first' ? 'drop' : 'reset', behaviour === 'reset-always' ? Infinity : 1);
        fronts.push(front);
        port = front.port;
        knownHosts.push(`${knownHostsName('127.0.0.1', port)} ${server.hostPublicKey}`);
      }
      hosts.push(
        makeHostTarget({
          name,
          user: name,
          port,
          identityFiles: [dir.file('id')],
          knownHostsFiles: [dir.file('known_hosts')],
          connectTimeoutMs: 5_000,
          commandTimeoutMs: 5_000,
          ...target,
        }),
      );
    }
  }
  await writeFile(dir.file('known_hosts'), `${knownHosts.join('\n')}\n`);
  return {
    hosts,
    behaviours,
    server,
    get hangingExecs() {
      return hangingExecs;
    },
    dir,
    close: async () => {
      for (const front of fronts) {
        front.sockets.forEach((socket) => socket.destroy());
        await new Promise<void>((resolve) => front.server.close(() => resolve()));
      }
      await server.close();
      await dir.remove();
    },
  };
}
