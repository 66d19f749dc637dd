// Every file the tools under test need for one benchmark fleet: keys, known_hosts (strict host
// key checking stays on for every tool), an OpenSSH client config, the sockaudit inventory, the
// pssh host list, the Ansible inventory, the ssh2-floor plan and the probe script.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildProbe } from '../../src/probes/probe-script.js';

export interface BenchHost {
  name: string;
  address: string;
  port: number;
}

/** Input of ssh2-floor.ts. */
export interface FloorPlan {
  user: string;
  identityFile: string;
  hostKeyBase64: string;
  scriptFile: string;
  command: string;
  successMarker: string;
  concurrency: number;
  timeoutMs: number;
  hosts: { address: string; port: number }[];
}

export interface FleetFiles {
  dir: string;
  user: string;
  hosts: BenchHost[];
  identityFile: string;
  hostKeyFile: string;
  knownHostsFile: string;
  sshConfigFile: string;
  inventoryFile: string;
  psshHostsFile: string;
  ansibleInventoryFile: string;
  probeScriptFile: string;
  /** Marker every complete probe answer contains (the last section's end line, any nonce). */
  successPattern: RegExp;
  floorPlan(concurrency: number, file: string): string;
}

/** `count` hosts spread over `addresses` (127.0.1.1, 127.0.1.2, …) on one port. */
export function benchHosts(count: number, addresses: readonly string[], port: number): BenchHost[] {
  return Array.from({ length: count }, (_, i) => ({ name: `h${String(i + 1).padStart(5, '0')}`, address: addresses[i % addresses.length] ?? '127.0.0.1', port }));
}

export function loopbackAddresses(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`);
}

/** Keys are made once per bench run and shared by every fleet of that run. */
export function makeKeys(dir: string): { identityFile: string; hostKeyFile: string } {
  const identityFile = join(dir, 'id_ed25519');
  const hostKeyFile = join(dir, 'ssh_host_ed25519_key');
  for (const file of [identityFile, hostKeyFile]) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'sockaudit-bench', '-f', file]);
  return { identityFile, hostKeyFile };
}

export function writeFleetFiles(dir: string, tag: string, user: string, hosts: BenchHost[], keys: { identityFile: string; hostKeyFile: string }): FleetFiles {
  const file = (name: string): string => join(dir, `${tag}-${name}`);
  const hostKey = readFileSync(`${keys.hostKeyFile}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const addressPorts = [...new Set(hosts.map((h) => `[${h.address}]:${h.port}`))];
  const knownHostsFile = file('known_hosts');
  writeFileSync(knownHostsFile, addressPorts.map((name) => `${name} ${hostKey}\n`).join(''));
  const sshConfigFile = file('ssh_config');
  // One Host block per name (no wildcards), so every OpenSSH-based tool resolves names alike.
  const common = [
    `  User ${user}`,
    `  IdentityFile ${keys.identityFile}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${knownHostsFile}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
    '  BatchMode yes',
    '  ControlMaster no',
    '  ControlPath none',
    '  ConnectTimeout 10',
    '  LogLevel ERROR',
  ].join('\n');
  writeFileSync(sshConfigFile, hosts.map((h) => `Host ${h.name}\n  HostName ${h.address}\n  Port ${h.port}\n${common}\n`).join(''));
  const inventoryFile = file('inventory.yaml');
  writeFileSync(
    inventoryFile,
    [
      'defaults:',
      `  user: ${user}`,
      `  identity_file: ${keys.identityFile}`,
      `  known_hosts_file: ${knownHostsFile}`,
      '  use_agent: false',
      '  connect_timeout: 10s',
      '  command_timeout: 60s',
      'hosts:',
      ...hosts.map((h) => `  - { name: ${h.name}, address: ${h.address}, port: ${h.port} }`),
      '',
    ].join('\n'),
  );
  const psshHostsFile = file('pssh-hosts');
  writeFileSync(psshHostsFile, hosts.map((h) => `${h.name}\n`).join(''));
  const ansibleInventoryFile = file('ansible-inventory.ini');
  writeFileSync(ansibleInventoryFile, `[bench]\n${hosts.map((h) => `${h.name}\n`).join('')}`);
  const probeScriptFile = file('probe.sh');
  writeFileSync(probeScriptFile, buildProbe().script);
  return {
    dir,
    user,
    hosts,
    identityFile: keys.identityFile,
    hostKeyFile: keys.hostKeyFile,
    knownHostsFile,
    sshConfigFile,
    inventoryFile,
    psshHostsFile,
    ansibleInventoryFile,
    probeScriptFile,
    successPattern: /^@@sockaudit:[A-Za-z0-9_-]+:end show-services rc=\d+$/m,
    floorPlan(concurrency, planFile) {
      const plan: FloorPlan = {
        user,
        identityFile: keys.identityFile,
        hostKeyBase64: hostKey.split(' ')[1] ?? '',
        scriptFile: probeScriptFile,
        command: 'sh -s',
        successMarker: ':end show-services rc=',
        concurrency,
        timeoutMs: 70_000,
        hosts: hosts.map((h) => ({ address: h.address, port: h.port })),
      };
      writeFileSync(planFile, JSON.stringify(plan));
      return planFile;
    },
  };
}
