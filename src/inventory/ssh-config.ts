// The user's OpenSSH client config (~/.ssh/config, or -F FILE) as one more layer under the
// inventory: for each host, what `ssh` would use for the keys that matter to an audit. Parsed
// and matched (Host and Match patterns, first value wins) by the maintained `ssh-config`
// package; this file only maps its answers onto our settings.
import path from 'node:path';
import SSHConfig from 'ssh-config';
import { ConfigError } from '../model/config-error.js';
import type { Settings } from './inventory-schema.js';
import { parseProxyJump, type JumpSpec } from './proxy-jump.js';

export interface SshConfigHost {
  /** `HostName`, with `%h` replaced. */
  hostName?: string;
  settings: Settings;
  /** `ProxyJump`'s hops; empty for `none`. */
  proxyJump?: JumpSpec[];
  /** `StrictHostKeyChecking`, lower-cased. */
  strictHostKeyChecking?: string;
}

/** What the config says for a host, looked up by the name one would type to `ssh`. */
export type SshConfigLookup = (host: string) => SshConfigHost;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

interface Tokens {
  host: string;
  homeDir: string;
  user?: string;
}

/** OpenSSH's `~`, `%d`, `%h`, `%r`, `%%` in file names; others are left as written. */
function expandFile(value: string, tokens: Tokens, configDir: string): string {
  let out = value.replace(/%([%dhr])/g, (_, t: string) => (t === '%' ? '%' : t === 'd' ? tokens.homeDir : t === 'h' ? tokens.host : (tokens.user ?? `%${t}`)));
  if (out === '~' || out.startsWith('~/')) out = path.join(tokens.homeDir, out.slice(1));
  // Relative paths in ssh_config are relative to ~/.ssh for IdentityFile; use the config's folder.
  return path.isAbsolute(out) ? out : path.resolve(configDir, out);
}

export function sshConfigLookup(text: string, file: string, homeDir: string): SshConfigLookup {
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(text);
  } catch (error) {
    throw new ConfigError({ file, message: `cannot parse the OpenSSH client config: ${error instanceof Error ? error.message : String(error)}` });
  }
  const configDir = path.dirname(file);
  return (host) => {
    // Match exec would run commands from the config: an audit tool does not do that.
    const found = config.compute(host, { ignoreCase: true, matchExec: false });
    const settings: Settings = {};
    const user = single(found.user);
    if (user !== undefined) settings.user = user;
    const port = single(found.port);
    if (port !== undefined) {
      const n = Number(port);
      if (!/^\d+$/.test(port) || n < 1 || n > 65535) throw new ConfigError({ file, path: `Host ${host} Port`, message: `expected an integer 1–65535, got ${JSON.stringify(port)}` });
      settings.port = n;
    }
    const tokens: Tokens = { host: single(found.hostname) ?? host, homeDir, user };
    const identities = list(found.identityfile).filter((f) => f.toLowerCase() !== 'none');
    if (identities.length > 0) settings.identityFiles = identities.map((f) => expandFile(f, tokens, configDir));
    if (single(found.identitiesonly)?.toLowerCase() === 'yes') settings.useAgent = false;
    const knownHosts = list(found.userknownhostsfile).flatMap((v) => v.split(/\s+/)).filter((f) => f !== '' && f.toLowerCase() !== 'none');
    if (knownHosts.length > 0) settings.knownHostsFiles = knownHosts.map((f) => expandFile(f, tokens, configDir));
    const timeout = single(found.connecttimeout);
    if (timeout !== undefined && /^\d+$/.test(timeout) && Number(timeout) > 0) settings.connectTimeoutMs = Number(timeout) * 1000;
    const result: SshConfigHost = { settings };
    const hostName = single(found.hostname);
    if (hostName !== undefined) result.hostName = hostName.replace(/%h/g, host);
    const jump = single(found.proxyjump);
    if (jump !== undefined) {
      const parsed = parseProxyJump(jump);
      if (!parsed.ok) throw new ConfigError({ file, path: `Host ${host} ProxyJump`, message: `expected [user@]host[:port][,…] or none, got ${parsed.message}` });
      result.proxyJump = parsed.hops;
    }
    const strict = single(found.stricthostkeychecking);
    if (strict !== undefined) result.strictHostKeyChecking = strict.toLowerCase();
    return result;
  };
}
