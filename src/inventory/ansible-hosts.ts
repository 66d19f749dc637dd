// Ansible inventory data → our validated inventory, applying Ansible's variable precedence:
// `all` < parent groups < child groups (by depth, then ansible_group_priority, then name) < the
// host's own vars. The connection vars become our settings; every other var is ignored, since
// Ansible inventories carry many vars that mean nothing to an SSH audit.
import { ConfigError } from '../model/config-error.js';
import type { AnsibleInventoryData, AnsibleVar, AnsibleVars } from './ansible-model.js';
import { issue } from './ansible-model.js';
import { expandPath } from './expand.js';
import type { Settings } from './inventory-schema.js';
import { parseProxyJump } from './proxy-jump.js';
import { namePattern } from './read-values.js';
import type { HostEntry, ValidatedInventory } from './validate-inventory.js';

/** Aliases first-to-last; the first one set wins, as in Ansible's connection plugins. */
const addressVars = ['ansible_host', 'ansible_ssh_host'];
const portVars = ['ansible_port', 'ansible_ssh_port'];
const userVars = ['ansible_user', 'ansible_ssh_user'];
const keyVars = ['ansible_ssh_private_key_file', 'ansible_private_key_file'];
const argsVars = ['ansible_ssh_common_args', 'ansible_ssh_extra_args'];
const implicitGroups = new Set(['all', 'ungrouped']);

interface Paths {
  homeDir: string;
  baseDir: string;
}

function depths(data: AnsibleInventoryData): Map<string, number> {
  const parents = new Map<string, string[]>();
  for (const g of data.groups.values()) for (const child of g.children) parents.set(child, [...(parents.get(child) ?? []), g.name]);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const walk = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (name === 'all') return 0;
    if (visiting.has(name)) {
      issue(data, undefined, '', `group "${name}" is its own ancestor (a children: loop)`);
      return 0;
    }
    visiting.add(name);
    const d = 1 + Math.max(0, ...(parents.get(name) ?? []).map(walk));
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  for (const name of data.groups.keys()) walk(name);
  return depth;
}

/** Every group of each host: the ones listing it, and their ancestors. */
function hostGroups(data: AnsibleInventoryData): Map<string, Set<string>> {
  const parents = new Map<string, string[]>();
  for (const g of data.groups.values()) for (const child of g.children) parents.set(child, [...(parents.get(child) ?? []), g.name]);
  const result = new Map<string, Set<string>>();
  for (const g of data.groups.values()) {
    for (const host of g.hosts) {
      const set = result.get(host) ?? new Set<string>();
      const stack = [g.name];
      while (stack.length > 0) {
        const name = stack.pop() ?? '';
        if (set.has(name)) continue;
        set.add(name);
        stack.push(...(parents.get(name) ?? []));
      }
      result.set(host, set);
    }
  }
  return result;
}

function first(vars: AnsibleVars, names: readonly string[]): AnsibleVar | undefined {
  for (const name of names) {
    const found = vars.get(name);
    if (found !== undefined && found.value !== null) return found;
  }
  return undefined;
}

function text(data: AnsibleInventoryData, v: AnsibleVar | undefined): string | undefined {
  if (v?.value === null || v === undefined) return undefined;
  if (v.value.includes('{{')) {
    issue(data, v.line, v.path, `templated value ${JSON.stringify(v.value)}: sockaudit does not evaluate Jinja`, 'write the value itself, or set it in a sockaudit inventory');
    return undefined;
  }
  if (v.value.trim() === '') {
    issue(data, v.line, v.path, 'expected a value, got an empty string');
    return undefined;
  }
  return v.value.trim();
}

/** The words of a shell command line, with '…' and "…" quoting and backslash escapes. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word = (word ?? '') + line.charAt(++i);
      else word = (word ?? '') + c;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line.charAt(++i);
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * The jump host of the usual `ProxyCommand="ssh -W %h:%p [-q] [-p PORT] [-l USER] [user@]bastion"`,
 * as a ProxyJump value; undefined for any other command (sockaudit runs no ProxyCommand).
 */
function proxyCommandJump(command: string): string | undefined {
  const words = shellWords(command);
  if (words[0] !== 'ssh' && !words[0]?.endsWith('/ssh')) return undefined;
  let port: string | undefined;
  let user: string | undefined;
  let host: string | undefined;
  let forwards = false;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w === '-W' && words[i + 1] === '%h:%p') {
      forwards = true;
      i++;
    } else if (w === '-p') port = words[++i];
    else if (w === '-l') user = words[++i];
    else if (/^-[qTAaxNn46]+$/.test(w)) continue;
    else if (w.startsWith('-')) return undefined;
    else if (host === undefined) host = w;
    else return undefined;
  }
  if (!forwards || host === undefined) return undefined;
  const withUser = user !== undefined && !host.includes('@') ? `${user}@${host}` : host;
  return port === undefined ? withUser : `${withUser}:${port}`;
}

/**
 * What sockaudit honours in ansible_ssh_common_args/extra_args: `-o UserKnownHostsFile=…`,
 * `-o ConnectTimeout=…`, and a jump host as `-J`, `-o ProxyJump=…` or the classic
 * `-o ProxyCommand="ssh -W %h:%p bastion"`.
 */
function sshArgs(data: AnsibleInventoryData, v: AnsibleVar, value: string, into: Settings, paths: Paths): void {
  const words = shellWords(value);
  const jump = (spec: string): void => {
    const parsed = parseProxyJump(spec);
    if (parsed.ok) into.proxyJump = parsed.hops;
    else issue(data, v.line, v.path, `expected a jump host [user@]host[:port], got ${parsed.message}`);
  };
  words.forEach((word, i) => {
    if (word === '-J' || (word.startsWith('-J') && word.length > 2)) {
      const spec = word === '-J' ? words[i + 1] : word.slice(2);
      if (spec !== undefined) jump(spec);
      return;
    }
    const option = word === '-o' ? words[i + 1] : word.startsWith('-o') ? word.slice(2) : undefined;
    const m = /^(\w+)[=\s]\s*(.+)$/s.exec(option ?? '');
    const key = m?.[1]?.toLowerCase();
    const arg = m?.[2];
    if (arg === undefined) return;
    if (key === 'userknownhostsfile') {
      const files = arg.split(/\s+/).map((f) => expandPath(f, paths.homeDir, paths.baseDir)).flatMap((e) => (e.ok ? [e.value] : []));
      if (files.length > 0) into.knownHostsFiles = files;
    } else if (key === 'connecttimeout' && /^\d+$/.test(arg)) {
      into.connectTimeoutMs = Number(arg) * 1000;
    } else if (key === 'proxyjump') {
      jump(arg);
    } else if (key === 'proxycommand') {
      const spec = proxyCommandJump(arg);
      if (spec !== undefined) jump(spec);
      else if (arg.trim().toLowerCase() !== 'none') {
        issue(data, v.line, v.path, `ProxyCommand ${JSON.stringify(arg)} is not an "ssh -W %h:%p HOST" jump`, 'write -o ProxyJump=HOST (or -J HOST); sockaudit does not run proxy commands');
      }
    }
  });
}

function settingsOf(data: AnsibleInventoryData, vars: AnsibleVars, paths: Paths): { address?: string; settings: Settings } {
  const settings: Settings = {};
  const address = text(data, first(vars, addressVars));
  const user = text(data, first(vars, userVars));
  if (user !== undefined) settings.user = user;
  const portVar = first(vars, portVars);
  const port = text(data, portVar);
  if (port !== undefined) {
    const n = Number(port);
    if (/^\d+$/.test(port) && n >= 1 && n <= 65535) settings.port = n;
    else issue(data, portVar?.line, portVar?.path ?? '', `expected an integer 1–65535, got ${JSON.stringify(port)}`);
  }
  const keyVar = first(vars, keyVars);
  const key = text(data, keyVar);
  if (key !== undefined) {
    const expanded = expandPath(key, paths.homeDir, paths.baseDir);
    if (expanded.ok) settings.identityFiles = [expanded.value];
    else issue(data, keyVar?.line, keyVar?.path ?? '', expanded.message, expanded.hint);
  }
  for (const name of argsVars) {
    const v = vars.get(name);
    const args = text(data, v);
    if (args !== undefined && v !== undefined) sshArgs(data, v, args, settings, paths);
  }
  // Become is Ansible's sudo; for an audit it means the journal is read through `sudo -n`.
  const become = text(data, first(vars, ['ansible_become']));
  if (become !== undefined && /^(true|yes|on|1)$/i.test(become)) settings.journalSudo = true;
  return address === undefined ? { settings } : { address, settings };
}

/** The inventory in our terms, or a ConfigError with every mistake (file, line, path). */
export function ansibleToValidated(data: AnsibleInventoryData, paths: Paths): ValidatedInventory {
  const depth = depths(data);
  const membership = hostGroups(data);
  const declared = [...data.groups.keys()];
  const priority = (name: string): number => Number(data.groups.get(name)?.vars.get('ansible_group_priority')?.value ?? 1) || 1;
  const precedence = (a: string, b: string): number => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || priority(a) - priority(b) || a.localeCompare(b);

  const hosts: HostEntry[] = [];
  for (const name of data.hostOrder) {
    // `host:2222` is Ansible's way to give a port with the name.
    const withPort = /^([^:]+):(\d+)$/.exec(name);
    const plain = withPort?.[1] ?? name;
    if (!namePattern.test(plain)) {
      issue(data, undefined, name, `host name "${name}" is not made of letters, digits, ".", "_" and "-"`, 'sockaudit uses the inventory name as the key of the host in every report');
      continue;
    }
    const groups = [...(membership.get(name) ?? new Set<string>()), 'all'];
    const vars: AnsibleVars = new Map();
    for (const g of [...new Set(groups)].sort(precedence)) for (const [k, v] of data.groups.get(g)?.vars ?? []) vars.set(k, v);
    for (const [k, v] of data.hostVars.get(name) ?? []) vars.set(k, v);
    const { address, settings } = settingsOf(data, vars, paths);
    if (withPort !== null && settings.port === undefined) settings.port = Number(withPort[2]);
    // Most specific group first (web before prod), the same whichever format declared them.
    const own = declared.filter((g) => !implicitGroups.has(g) && groups.includes(g)).sort((a, b) => (depth.get(b) ?? 0) - (depth.get(a) ?? 0));
    const entry: HostEntry = { name: plain, groups: own, labels: {}, settings };
    if (address !== undefined) entry.address = address;
    if (hosts.some((h) => h.name === plain)) issue(data, undefined, name, `host "${plain}" is listed twice (with and without a port)`);
    else hosts.push(entry);
  }
  if (hosts.length === 0 && data.issues.length === 0) issue(data, undefined, '', 'the Ansible inventory lists no hosts');
  if (data.issues.length > 0) throw new ConfigError([...data.issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  return { defaults: {}, hosts, groups: [] };
}
