// ProxyJump over ssh2: hosts reachable only through jump hosts, one shared connection per jump
// host, host keys verified at every hop, and failures of a hop named as such.
import { writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { startFakeHost, type FakeHost, type ForwardRoute } from '../../src/demo/fake-host.js';
import { generateEd25519KeyPair } from '../../src/demo/ssh-key-pair.js';
import type { HostTarget, JumpHost } from '../../src/model/types.js';
import { Ssh2Shell } from '../../src/ssh/ssh2-shell.js';
import { expectFailure } from '../helpers/exec-outcome.js';
import { makeHostTarget } from '../helpers/host-target.js';
import { expectNoOpenTcpHandles } from '../helpers/open-handles.js';
import { writeTestKey, type TestKey } from '../helpers/ssh-keys.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

const limits = { maxOutputBytes: 1024 * 1024 };

afterAll(async () => {
  await expectNoOpenTcpHandles();
});

/** Hosts named `*.internal` resolve only inside the lab: the client must go through a jump host. */
interface Lab {
  dir: TempDir;
  key: TestKey;
  knownHosts: string;
  hosts: Map<string, FakeHost>;
  /** The jump hosts' view of the network: internal name → the fake host's port on loopback. */
  route: ForwardRoute;
  start(name: string, options?: { jump?: boolean; trusted?: boolean; hostKey?: string }): Promise<FakeHost>;
  target(name: string, jumps: JumpHost[], overrides?: Partial<HostTarget>): HostTarget;
  hop(name: string, overrides?: Partial<JumpHost>): JumpHost;
}

async function useLab(): Promise<Lab> {
  const dir = await makeTempDir();
  const key = await writeTestKey(dir.file('id_client'), 'ed25519');
  const knownHosts = dir.file('known_hosts');
  await writeFile(knownHosts, '');
  const hosts = new Map<string, FakeHost>();
  const lines: string[] = [];
  const portOf = (name: string): number => hosts.get(name)?.port ?? 1;
  const lab: Lab = {
    dir,
    key,
    knownHosts,
    hosts,
    route: (address, port) => {
      const name = address.replace(/\.internal$/, '');
      return hosts.has(name) && port === portOf(name) ? { host: '127.0.0.1', port } : undefined;
    },
    async start(name, options = {}) {
      const fake = await startFakeHost({
        authorizedKeys: [key.publicKey],
        ...(options.hostKey === undefined ? {} : { hostKey: options.hostKey }),
        onExec: (exec) => exec.respond({ stdout: `${name} ran ${exec.command}\n` }),
        ...(options.jump === true ? { allowForwarding: (address: string, port: number) => lab.route(address, port) } : {}),
      });
      hosts.set(name, fake);
      // Targets are known under their internal name, as OpenSSH records a host behind ProxyJump.
      const knownAs = name.startsWith('jump') ? '127.0.0.1' : `${name}.internal`;
      if (options.trusted ?? true) lines.push(fake.knownHostsLine(knownAs));
      await writeFile(knownHosts, `${lines.join('\n')}\n`);
      return fake;
    },
    target: (name, jumps, overrides = {}) =>
      makeHostTarget({ name, address: `${name}.internal`, port: portOf(name), identityFiles: [key.file], knownHostsFiles: [knownHosts], jumps, ...overrides }),
    hop: (name, overrides = {}) => ({
      label: name,
      address: '127.0.0.1',
      port: portOf(name),
      user: 'ops',
      identityFiles: [key.file],
      useAgent: false,
      knownHostsFiles: [knownHosts],
      connectTimeoutMs: 5_000,
      ...overrides,
    }),
  };
  onTestFinished(async () => {
    await Promise.all([...hosts.values()].map((host) => host.close()));
    await dir.remove();
  });
  return lab;
}

function useShell(options: ConstructorParameters<typeof Ssh2Shell>[0] = {}): Ssh2Shell {
  const shell = new Ssh2Shell({ env: {}, ...options });
  onTestFinished(() => shell.close());
  return shell;
}

describe('Ssh2Shell through jump hosts', () => {
  it('reaches hosts only the jump host can reach, over one shared connection to it', async () => {
    const lab = await useLab();
    const jump = await lab.start('jump', { jump: true });
    const apps = ['app-1', 'app-2', 'app-3', 'app-4', 'app-5'];
    for (const app of apps) await lab.start(app);
    const shell = useShell();

    // Directly, the internal names do not resolve.
    expectFailure(await shell.exec(lab.target('app-1', []), 'true', limits), 'dns');

    const outcomes = await Promise.all(apps.map((app) => shell.exec(lab.target(app, [lab.hop('jump')]), 'probe', limits)));
    expect(outcomes.map((o) => (o.ok ? o.result.stdout : o.detail))).toEqual(apps.map((app) => `${app} ran probe\n`));
    expect(jump.connectionCount).toBe(1);
    expect(jump.forwardRequests).toEqual(apps.map((app) => `${app}.internal:${lab.hosts.get(app)?.port}`));

    // A later host reuses the lingering connection.
    expect(await shell.exec(lab.target('app-1', [lab.hop('jump')]), 'again', limits)).toMatchObject({ ok: true });
    expect(jump.connectionCount).toBe(1);

    await shell.close();
    await jump.whenIdle();
  });

  it('follows a chain of hops, each verified and logged in to once', async () => {
    const lab = await useLab();
    const outer = await lab.start('jump-outer', { jump: true });
    const inner = await lab.start('jump-inner', { jump: true });
    await lab.start('db-1');
    await lab.start('db-2');
    const shell = useShell();
    // The inner jump host is reachable only from the outer one.
    const hops = [lab.hop('jump-outer'), lab.hop('jump-inner', { address: 'jump-inner.internal' })];
    await writeFile(lab.knownHosts, `${outer.knownHostsLine()}\n${inner.knownHostsLine('jump-inner.internal')}\n${lab.hosts.get('db-1')?.knownHostsLine('db-1.internal')}\n${lab.hosts.get('db-2')?.knownHostsLine('db-2.internal')}\n`);

    const outcomes = await Promise.all(['db-1', 'db-2'].map((name) => shell.exec(lab.target(name, hops), 'probe', limits)));
    expect(outcomes).toMatchObject([{ ok: true, result: { stdout: 'db-1 ran probe\n' } }, { ok: true, result: { stdout: 'db-2 ran probe\n' } }]);
    expect([outer.connectionCount, inner.connectionCount]).toEqual([1, 1]);
    expect(outer.forwardRequests).toEqual([`jump-inner.internal:${inner.port}`]);
    expect(inner.forwardRequests).toHaveLength(2);
  });

  it('refuses a jump host whose key is not known, once for every host behind it', async () => {
    const lab = await useLab();
    const jump = await lab.start('jump', { jump: true, trusted: false });
    await lab.start('app-1');
    await lab.start('app-2');
    const shell = useShell();
    const outcomes = await Promise.all(['app-1', 'app-2'].map((name) => shell.exec(lab.target(name, [lab.hop('jump')]), 'probe', limits)));
    for (const outcome of outcomes) {
      expect(expectFailure(outcome, 'host-key-unknown')).toMatch(/^jump host jump: host \[127\.0\.0\.1\]:\d+ is not in /);
    }
    expect(jump.forwardRequests).toEqual([]);
    // The refusal is remembered: the second host did not connect again.
    expect(jump.connectionCount).toBe(1);
  });

  it('verifies the host key of the host behind the jump host too', async () => {
    const lab = await useLab();
    await lab.start('jump', { jump: true });
    await lab.start('app-1', { hostKey: generateEd25519KeyPair().privateKey });
    const app1 = lab.hosts.get('app-1');
    // known_hosts holds another key for app-1.internal: a reinstalled host, or a spoofed one.
    await writeFile(lab.knownHosts, `${lab.hosts.get('jump')?.knownHostsLine()}\n[app-1.internal]:${app1?.port} ${generateEd25519KeyPair().publicKey}\n`);
    const shell = useShell();
    const detail = expectFailure(await shell.exec(lab.target('app-1', [lab.hop('jump')]), 'probe', limits), 'host-key-mismatch');
    expect(detail).toContain(`host key for [app-1.internal]:${app1?.port} has changed`);
  });

  it('names the jump host when it cannot reach the host, or may not forward', async () => {
    const lab = await useLab();
    await lab.start('jump', { jump: true });
    await lab.start('jump-noforward');
    const shell = useShell();
    const noRoute = expectFailure(await shell.exec(lab.target('gone', [lab.hop('jump')], { port: 2222 }), 'probe', limits), 'unreachable');
    expect(noRoute).toBe('jump host jump: the jump host could not connect to gone.internal:2222 (Channel open failure, connect failed)');
    const prohibited = expectFailure(await shell.exec(lab.target('gone', [lab.hop('jump-noforward')]), 'probe', limits), 'ssh-error');
    expect(prohibited).toMatch(/^jump host jump-noforward: not allowed to forward to gone\.internal:1 .*AllowTcpForwarding yes/);
  });

  it('reports a failed login to the jump host with its reason', async () => {
    const lab = await useLab();
    await lab.start('jump', { jump: true });
    await lab.start('app-1');
    const shell = useShell();
    const other = await writeTestKey(lab.dir.file('id_other'), 'ed25519');
    const outcome = await shell.exec(lab.target('app-1', [lab.hop('jump', { identityFiles: [other.file] })]), 'probe', limits);
    expect(expectFailure(outcome, 'auth-failed')).toMatch(/^jump host jump: /);
  });

  it('ends a jump host login that finishes after close(), and opens nothing new', async () => {
    const lab = await useLab();
    const jump = await lab.start('jump', { jump: true });
    await lab.start('app-1');
    // Lingering far longer than the test may run: only close() can end the link.
    const shell = new Ssh2Shell({ env: {}, jumpLingerMs: 600_000 });
    const pending = shell.exec(lab.target('app-1', [lab.hop('jump')]), 'probe', limits);
    // The login to the jump host is under way when the run ends.
    await vi.waitFor(() => expect(jump.connectionCount).toBe(1), { interval: 1 });
    await shell.close();
    expect((await pending).ok).toBe(false);
    await jump.whenIdle();
    expect(expectFailure(await shell.exec(lab.target('app-1', [lab.hop('jump')]), 'probe', limits), 'deadline')).toContain('the run has ended');
    expect(jump.connectionCount).toBe(1);
  });

  it('closes an unused jump connection after lingering, without being told', async () => {
    const lab = await useLab();
    const jump = await lab.start('jump', { jump: true });
    await lab.start('app-1');
    const shell = new Ssh2Shell({ env: {}, jumpLingerMs: 20 });
    expect(await shell.exec(lab.target('app-1', [lab.hop('jump')]), 'probe', limits)).toMatchObject({ ok: true });
    await jump.whenIdle();
    expect(jump.openConnections).toBe(0);
  });
});
