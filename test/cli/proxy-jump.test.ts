// ProxyJump on the built CLI against the in-process fleet: hosts behind a jump host named in
// the inventory or in an ssh_config, through both transports, with the same report.
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetReport } from '../../src/model/types.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { startFakeFleet, type FakeFleet } from './fake-fleet.js';
import { comparable, hasSsh } from './transport-compare.js';

let fleet: FakeFleet;

beforeAll(async () => {
  fleet = await startFakeFleet(['web-1', 'web-3', 'app-2'], { jumpHosts: ['web-1'] });
});

afterAll(async () => {
  await fleet?.close();
});

function portOf(name: string): number {
  return fleet.hosts.get(name)?.port ?? 0;
}

async function audit(args: string[]): Promise<{ code: number | null; report: FleetReport; stderr: string }> {
  const out = fleet.dir.file(`t-${Math.random().toString(36).slice(2)}.json`);
  const run = await runBuiltCli(['audit', '-f', 'json', '-o', out, ...args]);
  return { code: run.code, stderr: run.stderr, report: JSON.parse(await readFile(out, 'utf8')) as FleetReport };
}

const defaults = (): string =>
  `defaults:\n  user: audit\n  identity_file: ${fleet.dir.file('id')}\n  known_hosts_file: ${fleet.dir.file('known_hosts')}\n  use_agent: false\n  connect_timeout: 2s\n  command_timeout: 5s\n`;

describe.runIf(hasSsh())('ProxyJump (built CLI)', () => {
  it('reaches hosts through an inventory host, the same through both transports', async () => {
    const inventory = fleet.dir.file('jump-inventory.yaml');
    await writeFile(
      inventory,
      defaults() +
        [
          'hosts:',
          `  - { name: web-1, address: 127.0.0.1, port: ${portOf('web-1')} }`,
          `  - { name: web-3, address: 127.0.0.1, port: ${portOf('web-3')}, proxy_jump: web-1 }`,
          `  - { name: app-2, address: 127.0.0.1, port: ${portOf('app-2')}, proxy_jump: web-1 }`,
          `  - { name: lost, address: 127.0.0.1, port: ${fleet.refusedPort}, proxy_jump: web-1 }`,
        ].join('\n') +
        '\n',
    );
    const jump = fleet.hosts.get('web-1');
    const before = { connections: jump?.connectionCount ?? 0, forwards: jump?.forwardRequests.length ?? 0 };
    const ssh2 = await audit(['-i', inventory, '-F', 'none']);
    expect(ssh2.report.hosts.map((h) => [h.name, h.status, h.reason])).toEqual([
      ['web-1', 'audited', undefined],
      ['web-3', 'audited', undefined],
      ['app-2', 'audited', undefined],
      ['lost', 'unknown', 'unreachable'],
    ]);
    expect(ssh2.report.hosts[3]?.detail).toMatch(/^jump host web-1: /);
    // One connection audits web-1, one more carries the three hosts behind it.
    expect((jump?.connectionCount ?? 0) - before.connections).toBe(2);
    expect((jump?.forwardRequests.length ?? 0) - before.forwards).toBe(3);

    const openssh = await audit(['-i', inventory, '-F', 'none', '--transport', 'openssh']);
    expect(comparable(openssh.report)).toEqual(comparable(ssh2.report));
  });

  it('takes ProxyJump from an ssh_config, and proxy_jump: none overrides it', async () => {
    const config = fleet.dir.file('ssh_config');
    await writeFile(config, `Host app-2 web-3\n  HostName 127.0.0.1\n  ProxyJump audit@127.0.0.1:${portOf('web-1')}\n`);
    const inventory = fleet.dir.file('config-jump-inventory.yaml');
    await writeFile(
      inventory,
      defaults() + `hosts:\n  - { name: app-2, port: ${portOf('app-2')} }\n  - { name: web-3, port: ${portOf('web-3')}, proxy_jump: none }\n`,
    );
    const jump = fleet.hosts.get('web-1');
    const forwards = jump?.forwardRequests.length ?? 0;
    for (const transport of ['ssh2', 'openssh']) {
      const run = await audit(['-i', inventory, '-F', config, '--transport', transport]);
      expect(run.report.hosts.map((h) => h.status)).toEqual(['audited', 'audited']);
    }
    // Only app-2 went through the jump host, once per transport.
    expect((jump?.forwardRequests.length ?? 0) - forwards).toBe(2);
  });
});
