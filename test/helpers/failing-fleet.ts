// A fleet of in-process SSH hosts whose failures a test chooses — and changes between audits:
// each host answers the probe from its current list of failed sockets, as a Debian 12 host
// with those sockets failed on a port conflict would (journal included). For the gate's
// end-to-end tests: "40 failures, 38 known", then a 39th, then a waiver expiring.
import { probeScriptNonce } from '../../src/probes/probe-script.js';
import { writeFile } from 'node:fs/promises';
import type { DemoHost, DemoSocket } from '../../src/demo/demo-fleet-spec.js';
import { startFakeHost, type FakeHost } from '../../src/demo/fake-host.js';
import { renderProbeOutput } from '../../src/demo/render-probe-output.js';
import { generateEd25519KeyPair } from '../../src/demo/ssh-key-pair.js';
import { closedPort } from './tcp.js';
import { makeTempDir, type TempDir } from './temp-dir.js';

export interface FleetHostSpec {
  name: string;
  groups: string[];
  /** Socket units the host has (`api.socket`, …), each listening on its own port. */
  sockets: string[];
  /** Those of them that start out failed. */
  failing: string[];
}

export interface FailingFleet {
  dir: TempDir;
  /** Sets which of a host's sockets are failed from the next audit on. */
  setFailing(host: string, units: readonly string[]): void;
  /** Failed sockets right now, as `host unit`. */
  failing(): string[];
  /** Connections the fleet has accepted so far (to prove that nothing was contacted). */
  connections(): number;
  /** An inventory of every host (with its groups), plus `refused` hosts on a closed port. */
  inventory(refused?: readonly string[]): Promise<string>;
  close(): Promise<void>;
}

function socketFor(unit: string, index: number, failed: boolean): DemoSocket {
  const port = 8000 + index;
  const service = unit.replace(/\.socket$/, '.service');
  const base: DemoSocket = {
    unit,
    description: `${unit} listener`,
    listen: [{ type: 'Stream', address: `0.0.0.0:${port}` }],
    active: 'active',
    sub: 'listening',
    result: 'success',
    changedMinutesAgo: 4320,
    service: { unit: service, description: service, active: 'inactive', sub: 'dead', result: 'success' },
  };
  if (!failed) return base;
  return {
    ...base,
    active: 'failed',
    sub: 'failed',
    result: 'resources',
    changedMinutesAgo: 30,
    journal: [
      { at: 0, unit, priority: 3, errno: 98, message: `${unit}: Failed to create listening socket (0.0.0.0:${port}): Address already in use` },
      { at: 0, unit, priority: 4, unitResult: 'resources', messageId: 'd9b373ed55a64feb8242e02dbe79a49c', message: `${unit}: Failed with result 'resources'.` },
    ],
  };
}

export async function startFailingFleet(specs: readonly FleetHostSpec[]): Promise<FailingFleet> {
  const dir = await makeTempDir();
  const client = generateEd25519KeyPair();
  await writeFile(dir.file('id'), client.privateKey, { mode: 0o600 });
  const failing = new Map(specs.map((spec) => [spec.name, new Set(spec.failing)]));
  const hosts = new Map<string, FakeHost>();
  for (const spec of specs) {
    const current = (): DemoHost => ({
      name: spec.name,
      groups: spec.groups,
      kind: 'systemd',
      sockets: spec.sockets.map((unit, i) => socketFor(unit, i, failing.get(spec.name)?.has(unit) === true)),
    });
    hosts.set(
      spec.name,
      await startFakeHost({
        authorizedKeys: [client.publicKey],
        onExec: async (exec) => {
          const nonce = probeScriptNonce(await exec.stdin) ?? 'none';
          await exec.respond({ stdout: renderProbeOutput(current(), nonce, new Date()) });
        },
      }),
    );
  }
  await writeFile(dir.file('known_hosts'), [...hosts.values()].map((h) => h.knownHostsLine()).join('\n') + '\n');
  const refusedPort = await closedPort();
  let files = 0;
  return {
    dir,
    setFailing: (host, units) => {
      if (!failing.has(host)) throw new Error(`no host ${host} in the fleet`);
      failing.set(host, new Set(units));
    },
    failing: () => specs.flatMap((spec) => [...(failing.get(spec.name) ?? [])].sort().map((unit) => `${spec.name} ${unit}`)),
    connections: () => [...hosts.values()].reduce((sum, h) => sum + h.connectionCount, 0),
    inventory: async (refused = []) => {
      const lines = [
        ...specs.map((spec) => `  - { name: ${spec.name}, address: 127.0.0.1, port: ${hosts.get(spec.name)?.port ?? 0}, groups: [${spec.groups.join(', ')}] }`),
        ...refused.map((name) => `  - { name: ${name}, address: 127.0.0.1, port: ${refusedPort}, groups: [edge] }`),
      ];
      const file = dir.file(`inventory-${(files += 1)}.yaml`);
      await writeFile(
        file,
        `defaults:\n  user: audit\n  identity_file: ${dir.file('id')}\n  known_hosts_file: ${dir.file('known_hosts')}\n  use_agent: false\n  connect_timeout: 5s\n  command_timeout: 10s\nhosts:\n${lines.join('\n')}\n`,
      );
      return file;
    },
    close: async () => {
      await Promise.all([...hosts.values()].map((h) => h.close()));
      await dir.remove();
    },
  };
}
