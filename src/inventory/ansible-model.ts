// What the Ansible inventory readers (INI, YAML) produce and ansible-hosts.ts turns into hosts:
// groups with their hosts, children and vars, and per-host vars, each value with the line it
// was written on so that a wrong `ansible_port` is reported where it is.
import type { ConfigIssue } from '../model/config-error.js';

export interface AnsibleVar {
  /** The value as text; null for a list or a map (never a connection setting). */
  value: string | null;
  line?: number;
  /** Where it is, for messages: `all.children.web.vars.ansible_user`, `[web:vars] ansible_user`. */
  path: string;
}

export type AnsibleVars = Map<string, AnsibleVar>;

export interface AnsibleGroup {
  name: string;
  /** Hosts listed in the group itself, in the order written. */
  hosts: string[];
  children: string[];
  vars: AnsibleVars;
}

export interface AnsibleInventoryData {
  file: string;
  groups: Map<string, AnsibleGroup>;
  /** Every host once, in order of first appearance (Ansible's default `inventory` order). */
  hostOrder: string[];
  hostVars: Map<string, AnsibleVars>;
  issues: ConfigIssue[];
}

export function emptyInventory(file: string): AnsibleInventoryData {
  const data: AnsibleInventoryData = { file, groups: new Map(), hostOrder: [], hostVars: new Map(), issues: [] };
  group(data, 'all');
  return data;
}

export function group(data: AnsibleInventoryData, name: string): AnsibleGroup {
  let found = data.groups.get(name);
  if (found === undefined) {
    found = { name, hosts: [], children: [], vars: new Map() };
    data.groups.set(name, found);
  }
  return found;
}

export function addHost(data: AnsibleInventoryData, groupName: string, host: string, vars: AnsibleVars): void {
  const target = group(data, groupName);
  if (!target.hosts.includes(host)) target.hosts.push(host);
  let own = data.hostVars.get(host);
  if (own === undefined) {
    own = new Map();
    data.hostVars.set(host, own);
    data.hostOrder.push(host);
  }
  // A host listed in several groups: its vars from every line apply, the later line winning.
  for (const [key, value] of vars) own.set(key, value);
}

export function addChild(data: AnsibleInventoryData, parent: string, child: string): void {
  const target = group(data, parent);
  group(data, child);
  if (!target.children.includes(child)) target.children.push(child);
}

// A group var's mistake surfaces once per host that inherits it (vars are merged per host):
// it is one mistake, reported once.
const reported = new WeakMap<AnsibleInventoryData, Set<string>>();

export function issue(data: AnsibleInventoryData, line: number | undefined, path: string, message: string, hint?: string): void {
  const key = JSON.stringify([line, path, message]);
  const seen = reported.get(data) ?? new Set<string>();
  reported.set(data, seen);
  if (seen.has(key)) return;
  seen.add(key);
  const entry: ConfigIssue = { file: data.file, message };
  if (line !== undefined) entry.line = line;
  if (path !== '') entry.path = path;
  if (hint !== undefined) entry.hint = hint;
  data.issues.push(entry);
}

/**
 * Ansible's host patterns: `web[01:03]` (zero-padded when the start is), `db-[a:c]`, a stride
 * `[1:9:2]`, several ranges in one name. Returns the names, or an error message.
 */
export function expandHostPattern(pattern: string): string[] | { error: string } {
  const match = /\[([^\]]*)\]/.exec(pattern);
  if (match === null) return [pattern];
  const [whole, body = ''] = match;
  const before = pattern.slice(0, match.index);
  const after = pattern.slice(match.index + whole.length);
  const parts = body.split(':');
  if (parts.length < 2 || parts.length > 3) return { error: `range "${whole}" should be [start:end] or [start:end:step]` };
  const [start = '', end = '', stepText = '1'] = parts;
  const step = Number(stepText);
  if (!Number.isInteger(step) || step < 1) return { error: `range "${whole}": the step must be a positive integer` };
  let items: string[];
  if (/^\d+$/.test(start) && /^\d+$/.test(end)) {
    const from = Number(start);
    const to = Number(end);
    if (to < from) return { error: `range "${whole}" ends before it starts` };
    if ((to - from) / step > 100_000) return { error: `range "${whole}" is too large` };
    const width = start.length > 1 && start.startsWith('0') ? start.length : 0;
    items = [];
    for (let i = from; i <= to; i += step) items.push(String(i).padStart(width, '0'));
  } else if (/^[a-z]$/i.test(start) && /^[a-z]$/i.test(end)) {
    const from = start.charCodeAt(0);
    const to = end.charCodeAt(0);
    if (to < from) return { error: `range "${whole}" ends before it starts` };
    items = [];
    for (let c = from; c <= to; c += step) items.push(String.fromCharCode(c));
  } else {
    return { error: `range "${whole}" should be numbers ([01:10]) or single letters ([a:f])` };
  }
  const rest = expandHostPattern(after);
  if (!Array.isArray(rest)) return rest;
  return items.flatMap((item) => rest.map((tail) => `${before}${item}${tail}`));
}
