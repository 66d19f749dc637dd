// Applies the precedence chain: built-in defaults < defaults: < group vars (in membership order)
// < the host's own keys. Built-ins mirror what `ssh` itself would do on this machine.
import path from 'node:path';
import type { HostTarget, JumpHost, SshEndpoint } from '../model/types.js';
import type { Settings } from './inventory-schema.js';
import type { JumpSpec } from './proxy-jump.js';
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

type Builtins = Required<Pick<Settings, 'port' | 'useAgent' | 'knownHostsFiles' | 'connectTimeoutMs' | 'commandTimeoutMs'>>;

function builtins(environment: Environment): Builtins {
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

/** A mistake found only once hosts are resolved (no user, a ProxyJump loop). */
export interface ResolveProblem {
  message: string;
  hint?: string;
}

/** StrictHostKeyChecking values under which ssh records a new host key by itself. */
function acceptsNewKeys(strict: string | undefined): boolean {
  return strict === 'accept-new' || strict === 'no' || strict === 'off';
}

/** Hosts in file order, or the problems that stop them from being reached at all. */
export function resolveHosts(
  inventory: ValidatedInventory,
  environment: Environment,
  /** Where this kind of inventory sets the user, for the message when none is found. */
  userHint: string,
): { hosts: HostTarget[]; problems: ResolveProblem[] } {
  const base = builtins(environment);
  const varsByGroup = new Map(inventory.groups.map((group) => [group.name, group.vars]));
  const defaultKeys = lazy(() =>
    defaultKeyNames.map((name) => path.join(environment.homeDir, '.ssh', name)).filter((file) => environment.fileExists(file)),
  );
  const loginName = lazy(environment.userName);
  const missingUser: string[] = [];
  const problems: ResolveProblem[] = [];

  /** The endpoint fields from merged layers; `who` names the server in the no-user message. */
  const endpoint = (s: Settings, address: string, strict: string | undefined, who: string): SshEndpoint => {
    const user = s.user ?? loginName();
    if (user === undefined) missingUser.push(who);
    const target: SshEndpoint = {
      address,
      port: s.port ?? base.port,
      user: user ?? '',
      // Copies, so that a caller changing one host cannot change another that shares a layer.
      identityFiles: [...(s.identityFiles ?? defaultKeys())],
      useAgent: s.useAgent ?? base.useAgent,
      knownHostsFiles: [...(s.knownHostsFiles ?? base.knownHostsFiles)],
      connectTimeoutMs: s.connectTimeoutMs ?? base.connectTimeoutMs,
    };
    if (s.passphraseEnv !== undefined) target.passphraseEnv = s.passphraseEnv;
    if (acceptsNewKeys(strict)) target.acceptNewHostKey = true;
    return target;
  };

  const resolved = inventory.hosts.map((host) => {
    const groups = membership(host, inventory.groups);
    const groupLayers = groups.map((name) => varsByGroup.get(name) ?? {});
    // ssh_config sits under every inventory layer: what the inventory writes wins.
    const fromConfig = environment.sshConfig?.(host.address ?? host.name);
    const s = merge([fromConfig?.settings ?? {}, inventory.defaults, ...groupLayers, host.settings]);
    const reach = endpoint(s, host.address ?? fromConfig?.hostName ?? host.name, fromConfig?.strictHostKeyChecking, host.name);
    const target: HostTarget = {
      name: host.name,
      ...reach,
      commandTimeoutMs: s.commandTimeoutMs ?? base.commandTimeoutMs,
      groups,
      labels: host.labels,
    };
    if (s.journalSudo === true) target.journalSudo = true;
    // `reach` is kept apart: it is how another host's ProxyJump reaches this one as a hop.
    return { target, reach, proxyJump: s.proxyJump ?? fromConfig?.proxyJump ?? [] };
  });

  const byName = new Map(resolved.map((r) => [r.target.name, r]));
  /**
   * The hops to reach a server whose own ProxyJump is `specs`: each hop's own hops first (ssh
   * does the same: a jump host is connected to with its own configuration). A hop that is an
   * inventory host is reached as the inventory says; any other as ssh_config says, over the
   * inventory's `defaults:`.
   */
  const chain = (specs: readonly JumpSpec[], trail: readonly string[]): JumpHost[] | undefined => {
    const hops: JumpHost[] = [];
    for (const spec of specs) {
      if (trail.includes(spec.host) || trail.length > 8) {
        problems.push({ message: `ProxyJump loop: ${[...trail, spec.host].join(' → ')}`, hint: 'a jump host must not be reached through itself' });
        return undefined;
      }
      const inInventory = byName.get(spec.host);
      let hop: SshEndpoint;
      let before: JumpHost[] | undefined;
      if (inInventory !== undefined) {
        hop = { ...inInventory.reach };
        before = chain(inInventory.proxyJump, [...trail, spec.host]);
      } else {
        const fromConfig = environment.sshConfig?.(spec.host);
        // `ops@gw` names the user itself: only without one is the login name needed.
        const layers = merge([inventory.defaults, fromConfig?.settings ?? {}, spec.user === undefined ? {} : { user: spec.user }]);
        hop = endpoint(layers, fromConfig?.hostName ?? spec.host, fromConfig?.strictHostKeyChecking, `jump host ${spec.host}`);
        before = chain(fromConfig?.proxyJump ?? [], [...trail, spec.host]);
      }
      if (before === undefined) return undefined;
      if (spec.user !== undefined) hop.user = spec.user;
      if (spec.port !== undefined) hop.port = spec.port;
      hops.push(...before, { label: spec.written, ...hop });
    }
    return hops;
  };

  const chains = new Map<string, JumpHost[] | undefined>();
  const hosts = resolved.map(({ target, proxyJump }) => {
    if (proxyJump.length === 0) return target;
    // Hosts behind the same jump hosts share one resolution (ssh_config lookups cost); each gets
    // its own copies, so that changing one host's hops cannot change another's.
    const key = JSON.stringify(proxyJump);
    if (!chains.has(key)) chains.set(key, chain(proxyJump, [target.name]));
    const jumps = chains.get(key);
    if (jumps === undefined || jumps.length === 0) return target;
    return { ...target, jumps: jumps.map((hop) => ({ ...hop, identityFiles: [...hop.identityFiles], knownHostsFiles: [...hop.knownHostsFiles] })) };
  });
  if (missingUser.length > 0) {
    problems.unshift({ message: `no user is set for ${[...new Set(missingUser)].join(', ')} and the local user name is unknown`, hint: userHint });
  }
  return { hosts, problems };
}
