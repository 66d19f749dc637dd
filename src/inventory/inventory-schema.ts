// Which keys may appear where. The connection settings are one set shared by `defaults:`, group
// `vars:` and hosts, which is what makes the precedence rules simple to state and to apply.
import { isMap } from 'yaml';
import { didYouMean } from './did-you-mean.js';
import type { JumpSpec } from './proxy-jump.js';
import { readBoolean, readDuration, readEnvName, readPathList, readPort, readProxyJump, readString, type ReadContext } from './read-values.js';
import { childPath, describe, isEmpty, mapEntries, type ValueNode } from './yaml-nodes.js';

/** Connection settings as one layer of the precedence chain; a key is absent when not written. */
export interface Settings {
  user?: string;
  port?: number;
  identityFiles?: string[];
  passphraseEnv?: string;
  useAgent?: boolean;
  knownHostsFiles?: string[];
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** ProxyJump hops as written; an empty list means "connect directly" (ssh's `none`). */
  proxyJump?: JumpSpec[];
  /** Read the journal through `sudo -n`. */
  journalSudo?: boolean;
}

type SettingReader = (ctx: ReadContext, node: ValueNode | null, path: string, into: Settings) => void;

function set<K extends keyof Settings>(into: Settings, key: K, value: Settings[K] | undefined): void {
  if (value !== undefined) into[key] = value;
}

const settingReaders = {
  user: (ctx, node, path, into) => set(into, 'user', readString(ctx, node, path)),
  port: (ctx, node, path, into) => set(into, 'port', readPort(ctx, node, path)),
  identity_file: (ctx, node, path, into) => set(into, 'identityFiles', readPathList(ctx, node, path)),
  passphrase_env: (ctx, node, path, into) => set(into, 'passphraseEnv', readEnvName(ctx, node, path)),
  use_agent: (ctx, node, path, into) => set(into, 'useAgent', readBoolean(ctx, node, path)),
  known_hosts_file: (ctx, node, path, into) => set(into, 'knownHostsFiles', readPathList(ctx, node, path)),
  connect_timeout: (ctx, node, path, into) => set(into, 'connectTimeoutMs', readDuration(ctx, node, path)),
  command_timeout: (ctx, node, path, into) => set(into, 'commandTimeoutMs', readDuration(ctx, node, path)),
  proxy_jump: (ctx, node, path, into) => set(into, 'proxyJump', readProxyJump(ctx, node, path)),
  journal_sudo: (ctx, node, path, into) => set(into, 'journalSudo', readBoolean(ctx, node, path)),
} satisfies Record<string, SettingReader>;

export type SettingKey = keyof typeof settingReaders;
export const settingKeys = Object.keys(settingReaders) as SettingKey[];
export const hostOnlyKeys = ['name', 'address', 'groups', 'labels'] as const;
export const hostKeys: readonly string[] = [...hostOnlyKeys, ...settingKeys];
export const groupKeys = ['vars', 'hosts'] as const;
export const topLevelKeys = ['defaults', 'hosts', 'groups'] as const;

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(settingReaders, key);
}

/** Reads one connection setting into `into`; records an issue when its value is wrong. */
export function readSetting(ctx: ReadContext, key: SettingKey, node: ValueNode | null, path: string, into: Settings): void {
  settingReaders[key](ctx, node, path, into);
}

const whereKeysBelong: Record<string, string> = {
  name: 'only a host (under hosts:) has a name',
  address: 'address is set per host, under hosts:',
  groups: 'a host lists its groups; groups are declared at the top level',
  labels: 'labels are set per host, under hosts:',
  vars: 'vars belong to a group under groups:',
  defaults: 'defaults: is a top-level key',
  hosts: 'hosts: is a top-level key, or a list of member names in a group',
};

/** `unknown key "prot"` with the likeliest intended key, or the list of keys allowed here. */
export function reportUnknownKey(ctx: ReadContext, keyNode: ValueNode | null, path: string, key: string, allowed: readonly string[]): void {
  const guess = didYouMean(key, allowed);
  const hint =
    guess !== undefined
      ? `did you mean "${guess}"?`
      : (whereKeysBelong[key] ?? `allowed here: ${allowed.join(', ')}`);
  ctx.issues.add(keyNode, path, `unknown key "${key}"`, hint);
}

/** A `defaults:` or group `vars:` map: connection settings only. */
export function readSettingsMap(ctx: ReadContext, node: ValueNode | null, path: string): Settings {
  const settings: Settings = {};
  if (isEmpty(node)) return settings;
  if (!isMap(node)) {
    ctx.issues.add(node, path, `expected a map of connection settings (${settingKeys.join(', ')}), got ${describe(node)}`);
    return settings;
  }
  for (const entry of mapEntries(node, ctx.doc)) {
    const here = childPath(path, entry.key);
    if (isSettingKey(entry.key)) readSetting(ctx, entry.key, entry.value, here, settings);
    else reportUnknownKey(ctx, entry.keyNode, here, entry.key, settingKeys);
  }
  return settings;
}
