// Walks the whole document and keeps going after a mistake, so that one run shows the user
// every problem in the file rather than one per attempt.
import { isMap, isScalar, isSeq } from 'yaml';
import { didYouMean } from './did-you-mean.js';
import { hostKeys, groupKeys, isSettingKey, readSetting, readSettingsMap, reportUnknownKey, topLevelKeys, type Settings } from './inventory-schema.js';
import { namePattern, readAddress, readLabels, readName, readNameList, type ReadContext } from './read-values.js';
import { childPath, deref, describe, isEmpty, mapEntries, type MapEntry, type ValueNode } from './yaml-nodes.js';

export interface HostEntry {
  name: string;
  address?: string;
  groups: string[];
  labels: Record<string, string>;
  settings: Settings;
}

export interface GroupEntry {
  name: string;
  vars: Settings;
  /** Hosts added by the group's own `hosts:` list, in the order written. */
  members: string[];
}

export interface ValidatedInventory {
  defaults: Settings;
  hosts: HostEntry[];
  groups: GroupEntry[];
}

const noHosts = 'the inventory lists no hosts';
const noHostsHint = 'add a list such as\n    hosts:\n      - name: web-1\n        address: 10.0.0.11';

export function validateInventory(ctx: ReadContext): ValidatedInventory {
  const result: ValidatedInventory = { defaults: {}, hosts: [], groups: [] };
  const root = deref(ctx.doc.contents, ctx.doc);
  if (isEmpty(root)) {
    ctx.issues.add(null, '', noHosts, noHostsHint);
    return result;
  }
  if (!isMap(root)) {
    ctx.issues.add(root, '', `expected a map with defaults:, hosts: and groups:, got ${describe(root)}`);
    return result;
  }
  const entries = mapEntries(root, ctx.doc);
  for (const entry of entries) {
    if (!(topLevelKeys as readonly string[]).includes(entry.key)) {
      reportUnknownKey(ctx, entry.keyNode, childPath('', entry.key), entry.key, topLevelKeys);
    }
  }
  const find = (key: string): MapEntry | undefined => entries.find((entry) => entry.key === key);

  const defaults = find('defaults');
  if (defaults !== undefined) result.defaults = readSettingsMap(ctx, defaults.value, 'defaults');

  const hosts = find('hosts');
  const declared = readHosts(ctx, hosts, root);
  result.hosts = declared.hosts;

  const groups = find('groups');
  if (groups !== undefined) result.groups = readGroups(ctx, groups.value, declared.names);
  return result;
}

interface DeclaredHosts {
  hosts: HostEntry[];
  /** Every name written, even on a host with other mistakes, so group members still resolve. */
  names: Set<string>;
}

function readHosts(ctx: ReadContext, entry: MapEntry | undefined, root: ValueNode): DeclaredHosts {
  const declared: DeclaredHosts = { hosts: [], names: new Set() };
  if (entry === undefined) {
    ctx.issues.add(root, '', noHosts, noHostsHint);
    return declared;
  }
  const list = entry.value;
  if (isEmpty(list) || (isSeq(list) && list.items.length === 0)) {
    ctx.issues.add(entry.keyNode, 'hosts', noHosts, noHostsHint);
    return declared;
  }
  if (!isSeq(list)) {
    ctx.issues.add(list, 'hosts', `expected a list of hosts, got ${describe(list)}`, 'write each host as a list item:  - name: web-1');
    return declared;
  }
  const firstSeen = new Map<string, { line: number | undefined; path: string }>();
  list.items.forEach((item, index) => {
    const path = childPath('hosts', index);
    const node = deref(item, ctx.doc);
    const host = readHost(ctx, node, path);
    if (host === undefined) return;
    const previous = firstSeen.get(host.entry.name);
    if (previous !== undefined) {
      const where = previous.line === undefined ? previous.path : `${ctx.issues.file}:${previous.line} (${previous.path})`;
      ctx.issues.add(host.nameNode, childPath(path, 'name'), `duplicate host name "${host.entry.name}", first defined at ${where}`, 'host names are the keys of the report and must be unique');
      return;
    }
    firstSeen.set(host.entry.name, { line: ctx.issues.lineOf(host.nameNode)?.line, path });
    declared.names.add(host.entry.name);
    declared.hosts.push(host.entry);
  });
  return declared;
}

function readHost(ctx: ReadContext, node: ValueNode | null, path: string): { entry: HostEntry; nameNode: ValueNode | null } | undefined {
  if (!isMap(node)) {
    const hint = isScalar(node) && typeof node.value === 'string' ? `write it as a map:  - name: ${node.value}` : undefined;
    ctx.issues.add(node, path, `expected a host (a map with at least name:), got ${describe(node)}`, hint);
    return undefined;
  }
  const entry: HostEntry = { name: '', groups: [], labels: {}, settings: {} };
  let nameNode: ValueNode | null = null;
  let named = false;
  for (const { key, keyNode, value } of mapEntries(node, ctx.doc)) {
    const here = childPath(path, key);
    if (key === 'name') {
      nameNode = value;
      const name = readName(ctx, value, here, 'host');
      if (name !== undefined) entry.name = name;
      named = true;
    } else if (key === 'address') {
      const address = readAddress(ctx, value, here);
      if (address !== undefined) entry.address = address;
    } else if (key === 'groups') {
      entry.groups = readNameList(ctx, value, here, 'group') ?? [];
    } else if (key === 'labels') {
      entry.labels = readLabels(ctx, value, here) ?? {};
    } else if (isSettingKey(key)) {
      readSetting(ctx, key, value, here, entry.settings);
    } else {
      reportUnknownKey(ctx, keyNode, here, key, hostKeys);
    }
  }
  if (!named) {
    ctx.issues.add(node, path, 'missing required key "name"', 'every host needs a unique name: it is the host\'s key in every report');
    return undefined;
  }
  return entry.name === '' ? undefined : { entry, nameNode };
}

function readGroups(ctx: ReadContext, node: ValueNode | null, hostNames: Set<string>): GroupEntry[] {
  if (isEmpty(node)) return [];
  if (!isMap(node)) {
    ctx.issues.add(node, 'groups', `expected a map of group names to {vars, hosts}, got ${describe(node)}`);
    return [];
  }
  const groups: GroupEntry[] = [];
  for (const { key, keyNode, value } of mapEntries(node, ctx.doc)) {
    const path = childPath('groups', key);
    if (!namePattern.test(key)) {
      ctx.issues.add(keyNode, path, `expected a group name made of letters, digits, ".", "_" and "-", got ${JSON.stringify(key)}`);
      continue;
    }
    const group: GroupEntry = { name: key, vars: {}, members: [] };
    groups.push(group);
    if (isEmpty(value)) continue;
    if (!isMap(value)) {
      ctx.issues.add(value, path, `expected a map with vars: and/or hosts:, got ${describe(value)}`);
      continue;
    }
    for (const entry of mapEntries(value, ctx.doc)) {
      const here = childPath(path, entry.key);
      if (entry.key === 'vars') group.vars = readSettingsMap(ctx, entry.value, here);
      else if (entry.key === 'hosts') group.members = readMembers(ctx, entry.value, here, hostNames);
      else reportUnknownKey(ctx, entry.keyNode, here, entry.key, groupKeys);
    }
  }
  return groups;
}

function readMembers(ctx: ReadContext, node: ValueNode | null, path: string, hostNames: Set<string>): string[] {
  const items = isSeq(node) ? node.items.map((item) => deref(item, ctx.doc)) : isScalar(node) && !isEmpty(node) ? [node] : [];
  if (!isEmpty(node) && !isSeq(node) && !isScalar(node)) {
    ctx.issues.add(node, path, `expected a list of host names, got ${describe(node)}`);
    return [];
  }
  const members: string[] = [];
  items.forEach((item, index) => {
    const here = isSeq(node) ? childPath(path, index) : path;
    const name = readName(ctx, item, here, 'host');
    if (name === undefined) return;
    if (!hostNames.has(name)) {
      const guess = didYouMean(name, [...hostNames]);
      const hint = guess === undefined ? 'a group can only add hosts that are listed under hosts:' : `did you mean "${guess}"?`;
      ctx.issues.add(item, here, `no host named "${name}" under hosts:`, hint);
      return;
    }
    if (!members.includes(name)) members.push(name);
  });
  return members;
}
