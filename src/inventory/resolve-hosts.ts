// Applies the precedence chain: built-in defaults < defaults: < group vars (in membership order)
// < the host's own keys. Built-ins mirror what `ssh` itself would do on this machine.
import path from 'node:path';
import type { HostTarget } from '../model/types.js';
import type { Settings } from './inventory-schema.js';
import type { SshConfigLookup } from './ssh-config.js';
import type { GroupEntry, HostEntry, ValidatedInventory } from './validate-inventory.js';

export interface Environment {
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /** The local login name, or undefined when the OS cannot tell (e.g. no passwd entry). */
  userName: () => string | undefined;
  fileExists: (file: string) => boolean;
  /** The user's OpenSSH client config, a layer under the inventory; absent with `-F none`. */
  sshConfig?: SshConfigLookup;
}

const defaultKeyNames = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

// Looked up only when some host needs it: a fully configured inventory must not depend on
// what the local machine has in ~/.ssh or in its passwd database.
function lazy<T>(compute: () => T): () => T {
  let cache: { value: T } | undefined;
  return () => (cache ??= { value: compute() }).value;
}

function builtins(environment: Environment): Required<Omit<Settings, 'passphraseEnv' | 'user' | 'identityFiles'>> {
  return {
    port: 22,
    useAgent: (environment.env.SSH_AUTH_SOCK ?? '') !== '',
    knownHostsFiles: [path.join(environment.homeDir, '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'],
    connectTimeoutMs: 10_000,
    commandTimeoutMs: 60_000,
  };
}

function merge(layers: Settings[]): Settings {
  const merged: Settings = {};
  for (const layer of layers) Object.assign(merged, layer);
  return merged;
}

/**
 * A host's groups: its own list first, then the groups whose `hosts:` name it, in the order the
 * groups are declared. The same order decides which group's vars win.
 */
export function membership(host: HostEntry, groups: readonly GroupEntry[]): string[] {
  const names = [...new Set(host.groups)];
  for (const group of groups) {
    if (group.members.includes(host.name) && !names.includes(group.name)) names.push(group.name);
  }
  return names;
}

/** Hosts in file order; `missingUser` names the hosts for which no user could be found at all. */
export function resolveHosts(inventory: ValidatedInventory, environment: Environment): { hosts: HostTarget[]; missingUser: string[] } {
  const base = builtins(environment);
  const varsByGroup = new Map(inventory.groups.map((group) => [group.name, group.vars]));
  const defaultKeys = lazy(() =>
    defaultKeyNames.map((name) => path.join(environment.homeDir, '.ssh', name)).filter((file) => environment.fileExists(file)),
  );
  const loginName = lazy(environment.userName);
  const missingUser: string[] = [];

  const hosts = inventory.hosts.map((host): HostTarget => {
    const groups = membership(host, inventory.groups);
    const groupLayers = groups.map((name) => varsByGroup.get(name) ?? {});
    // ssh_config sits under every inventory layer: what the inventory writes wins.
    const fromConfig = environment.sshConfig?.(host.address ?? host.name);
    const s = merge([fromConfig?.settings ?? {}, inventory.defaults, ...groupLayers, host.settings]);
    const user = s.user ?? loginName();
    if (user === undefined) missingUser.push(host.name);
    const target: HostTarget = {
      name: host.name,
      address: host.address ?? fromConfig?.hostName ?? host.name,
      port: s.port ?? base.port,
      user: user ?? '',
      // Copies, so that a caller changing one host cannot change another that shares a layer.
      identityFiles: [...(s.identityFiles ?? defaultKeys())],
      useAgent: s.useAgent ?? base.useAgent,
      knownHostsFiles: [...(s.knownHostsFiles ?? base.knownHostsFiles)],
      connectTimeoutMs: s.connectTimeoutMs ?? base.connectTimeoutMs,
      commandTimeoutMs: s.commandTimeoutMs ?? base.commandTimeoutMs,
      groups,
      labels: host.labels,
    };
    if (s.passphraseEnv !== undefined) target.passphraseEnv = s.passphraseEnv;
    return target;
  });
  return { hosts, missingUser };
}
