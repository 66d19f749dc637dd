// A few in-process SSH hosts answering the probe like named demo hosts, with an inventory
// file that points at them: what the report CLI tests audit.
import { probeScriptNonce, probeScriptUsesSudo } from '../../src/probes/probe-script.js';
import { writeFile } from 'node:fs/promises';
import { demoFleet } from '../../src/demo/demo-fleet-spec.js';
import { startFakeHost, type FakeHost } from '../../src/demo/fake-host.js';
import { renderProbeOutput } from '../../src/demo/render-probe-output.js';
import { generateEd25519KeyPair } from '../../src/demo/ssh-key-pair.js';
import { closedPort } from '../helpers/tcp.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

export interface FakeFleet {
  dir: TempDir;
  hosts: Map<string, FakeHost>;
  /** Connections the fleet has accepted so far (to prove that nothing was contacted). */
  connections(): number;
  /** An inventory with the named hosts, plus `refused` hosts on a closed port, plus `extra` host lines as given. */
  inventory(names: readonly string[], refused?: readonly string[], extra?: string): Promise<string>;
  /** A closed port: a host there is refused. */
  refusedPort: number;
  close(): Promise<void>;
}

/** `jumpHosts`: hosts that also forward connections, as an sshd that serves as a ProxyJump host. */
export async function startFakeFleet(names: readonly string[], options: { jumpHosts?: readonly string[] } = {}): Promise<FakeFleet> {
  const dir = await makeTempDir();
  const client = generateEd25519KeyPair();
  await writeFile(dir.file('id'), client.privateKey, { mode: 0o600 });
  const hosts = new Map<string, FakeHost>();
  for (const name of names) {
    const spec = demoFleet.find((h) => h.name === name);
    if (spec === undefined) throw new Error(`no demo host ${name}`);
    hosts.set(
      name,
      await startFakeHost({
        authorizedKeys: [client.publicKey],
        allowForwarding: options.jumpHosts?.includes(name) ?? false,
        onExec: async (exec) => {
          const script = await exec.stdin;
          const nonce = probeScriptNonce(script) ?? 'none';
          await exec.respond({ stdout: renderProbeOutput(spec, nonce, new Date(), { journalSudo: probeScriptUsesSudo(script) }) });
        },
      }),
    );
  }
  await writeFile(dir.file('known_hosts'), [...hosts.values()].map((h) => h.knownHostsLine()).join('\n') + '\n');
  const refusedPort = await closedPort();
  let files = 0;
  return {
    dir,
    hosts,
    connections: () => [...hosts.values()].reduce((sum, h) => sum + h.connectionCount, 0),
    refusedPort,
    inventory: async (selected, refused = [], extra = '') => {
      const lines = [
        ...selected.map((name) => `  - { name: ${name}, address: 127.0.0.1, port: ${hosts.get(name)?.port ?? 0} }`),
        ...refused.map((name) => `  - { name: ${name}, address: 127.0.0.1, port: ${refusedPort} }`),
      ];
      const file = dir.file(`inventory-${(files += 1)}.yaml`);
      await writeFile(
        file,
        `defaults:\n  user: audit\n  identity_file: ${dir.file('id')}\n  known_hosts_file: ${dir.file('known_hosts')}\n  use_agent: false\n  connect_timeout: 2s\n  command_timeout: 5s\nhosts:\n${lines.join('\n')}\n${extra}`,
      );
      return file;
    },
    close: async () => {
      await Promise.all([...hosts.values()].map((h) => h.close()));
      await dir.remove();
    },
  };
}
