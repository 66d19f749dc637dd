// Ansible's YAML inventory format: top-level groups (usually `all:`), each with `hosts:` (a map
// of host → vars), `vars:` and `children:` (a map of groups, recursively). Read from the YAML
// AST like our own inventory, so every mistake names its line and YAML path.
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { didYouMean } from './did-you-mean.js';
import { addChild, addHost, emptyInventory, expandHostPattern, group, issue, type AnsibleInventoryData, type AnsibleVars } from './ansible-model.js';
import { childPath, describe, isEmpty, mapEntries, scalarText, type ValueNode } from './yaml-nodes.js';

const groupKeys = ['hosts', 'vars', 'children'];

interface Walk {
  data: AnsibleInventoryData;
  doc: Document;
  lines: LineCounter;
}

function lineOf(walk: Walk, node: ValueNode | null): number | undefined {
  const offset = node?.range?.[0];
  return offset === undefined ? undefined : Math.max(1, walk.lines.linePos(offset).line);
}

function readVars(walk: Walk, node: ValueNode | null, path: string): AnsibleVars {
  const vars: AnsibleVars = new Map();
  if (isEmpty(node)) return vars;
  if (!isMap(node)) {
    issue(walk.data, lineOf(walk, node), path, `expected a map of variables, got ${describe(node)}`);
    return vars;
  }
  for (const entry of mapEntries(node, walk.doc)) {
    const value = entry.value;
    const text = value === null ? null : isScalar(value) ? (value.value === null ? null : scalarText(value)) : null;
    vars.set(entry.key, { value: text, line: lineOf(walk, value ?? entry.keyNode), path: childPath(path, entry.key) });
  }
  return vars;
}

function readGroup(walk: Walk, name: string, node: ValueNode | null, path: string): void {
  group(walk.data, name);
  if (isEmpty(node)) return;
  if (!isMap(node)) {
    issue(walk.data, lineOf(walk, node), path, `expected a group (a map with hosts:, vars:, children:), got ${describe(node)}`);
    return;
  }
  for (const entry of mapEntries(node, walk.doc)) {
    const here = childPath(path, entry.key);
    if (entry.key === 'vars') {
      for (const [key, value] of readVars(walk, entry.value, here)) group(walk.data, name).vars.set(key, value);
    } else if (entry.key === 'hosts') {
      readHosts(walk, name, entry.value, here);
    } else if (entry.key === 'children') {
      if (isEmpty(entry.value)) continue;
      if (!isMap(entry.value)) {
        issue(walk.data, lineOf(walk, entry.value), here, `expected a map of child groups, got ${describe(entry.value)}`, 'children:\n      web:\n        hosts: …');
        continue;
      }
      for (const child of mapEntries(entry.value, walk.doc)) {
        addChild(walk.data, name, child.key);
        readGroup(walk, child.key, child.value, childPath(here, child.key));
      }
    } else {
      const guess = didYouMean(entry.key, groupKeys);
      issue(walk.data, lineOf(walk, entry.keyNode), here, `unknown key "${entry.key}" in group "${name}"`, guess === undefined ? `a group has ${groupKeys.join(', ')}` : `did you mean "${guess}"?`);
    }
  }
}

function readHosts(walk: Walk, groupName: string, node: ValueNode | null, path: string): void {
  if (isEmpty(node)) return;
  if (!isMap(node)) {
    const hint = 'hosts: is a map in Ansible YAML:\n      hosts:\n        web-1:\n        web-2: { ansible_host: 10.0.0.2 }';
    issue(walk.data, lineOf(walk, node), path, `expected a map of host names, got ${describe(node)}`, hint);
    return;
  }
  for (const entry of mapEntries(node, walk.doc)) {
    const here = childPath(path, entry.key);
    const names = expandHostPattern(entry.key);
    if (!Array.isArray(names)) {
      issue(walk.data, lineOf(walk, entry.keyNode), here, names.error);
      continue;
    }
    const vars = readVars(walk, entry.value, here);
    for (const name of names) addHost(walk.data, groupName, name, vars);
  }
}

export function parseAnsibleYaml(text: string, file: string): AnsibleInventoryData {
  const data = emptyInventory(file);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true });
  const walk: Walk = { data, doc, lines };
  if (doc.errors.length > 0) {
    for (const error of doc.errors) issue(data, Math.max(1, lines.linePos(error.pos[0]).line), '', `YAML syntax error: ${error.message}`);
    return data;
  }
  const root = doc.contents as ValueNode | null;
  if (isEmpty(root)) return data;
  if (!isMap(root)) {
    issue(data, lineOf(walk, root), '', `expected a map of groups (all:, …), got ${describe(root)}`);
    return data;
  }
  // Top-level groups other than `all` are children of `all`, as in Ansible.
  for (const entry of mapEntries(root, doc)) {
    if (entry.key !== 'all') addChild(data, 'all', entry.key);
    readGroup(walk, entry.key, entry.value, childPath('', entry.key));
  }
  return data;
}
