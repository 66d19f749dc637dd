// Walks the whole policy document and keeps going after a mistake, so one run shows every
// problem in the file, each with its line and YAML path — the inventory's machinery and
// message style (src/inventory/), applied to waivers:, required: and thresholds:.
import { isMap, isScalar, isSeq } from 'yaml';
import { reportUnknownKey } from '../inventory/inventory-schema.js';
import { readString, type ReadContext } from '../inventory/read-values.js';
import { childPath, deref, describe, isEmpty, mapEntries, type MapEntry, type ValueNode } from '../inventory/yaml-nodes.js';
import { causeIds, findingKindIds, type GateThreshold } from '../model/types.js';
import type { GroupReference, Policy, PolicyThresholds, Requirement, Waiver } from './policy-types.js';
import {
  readCalendarDay,
  readChoice,
  readDayCount,
  readHostPattern,
  readOneOrList,
  readUnitPattern,
  readUnknownTolerance,
  severities,
} from './policy-values.js';

const topLevelKeys = ['warn_before_days', 'thresholds', 'waivers', 'required'] as const;
const thresholdKeys = ['max_unknown', 'fail_on', 'fail_on_kinds', 'fail_on_causes'] as const;
const waiverKeys = ['hosts', 'units', 'kind', 'cause', 'reason', 'expires', 'owner'] as const;
const requirementKeys = ['hosts', 'unit', 'listen', 'state', 'severity'] as const;
const thresholdChoices: readonly GateThreshold[] = [...severities, 'never'];

interface Walk {
  ctx: ReadContext;
  groups: GroupReference[];
}

/** `policy.yaml:12` for a node, or the file alone when the node has no position. */
function whereOf(walk: Walk, node: ValueNode | null): string {
  const line = walk.ctx.issues.lineOf(node)?.line;
  return line === undefined ? walk.ctx.issues.file : `${walk.ctx.issues.file}:${line}`;
}

/** The entries of a map that must be one, with unknown keys reported. */
function entriesOf(walk: Walk, node: ValueNode | null, path: string, allowed: readonly string[], what: string): Map<string, MapEntry> | undefined {
  if (!isMap(node)) {
    walk.ctx.issues.add(node, path, `expected ${what}, got ${describe(node)}`);
    return undefined;
  }
  const entries = new Map<string, MapEntry>();
  for (const entry of mapEntries(node, walk.ctx.doc)) {
    if (allowed.includes(entry.key)) entries.set(entry.key, entry);
    else reportUnknownKey(walk.ctx, entry.keyNode, childPath(path, entry.key), entry.key, allowed);
  }
  return entries;
}

function missing(walk: Walk, node: ValueNode | null, path: string, key: string, hint: string): undefined {
  walk.ctx.issues.add(node, path, `missing required key "${key}"`, hint);
  return undefined;
}

function readHosts(walk: Walk, entry: MapEntry, path: string): string[] | undefined {
  const here = childPath(path, 'hosts');
  const hosts = readOneOrList(walk.ctx, entry.value, here, 'a host-name glob or "@group"', (node, p) => {
    const pattern = readHostPattern(walk.ctx, node, p);
    if (pattern?.startsWith('@') === true) walk.groups.push({ group: pattern.slice(1), file: walk.ctx.issues.file, line: walk.ctx.issues.lineOf(node)?.line, path: p });
    return pattern;
  });
  return hosts;
}

function readWaiver(walk: Walk, node: ValueNode | null, index: number): Waiver | undefined {
  const path = childPath('waivers', index);
  const entries = entriesOf(walk, node, path, waiverKeys, 'a waiver (a map with hosts:, units:, reason: and expires:)');
  if (entries === undefined) return undefined;
  const { ctx } = walk;
  const get = (key: string): MapEntry | undefined => entries.get(key);
  const hostsEntry = get('hosts');
  const unitsEntry = get('units');
  const reasonEntry = get('reason');
  const expiresEntry = get('expires');
  const hosts = hostsEntry === undefined ? missing(walk, node, path, 'hosts', 'which hosts it waives: a glob, "@group", or "*" for every host') : readHosts(walk, hostsEntry, path);
  const units = unitsEntry === undefined
    ? missing(walk, node, path, 'units', 'which socket units it waives: a name or a glob such as "shop-*.socket"')
    : readOneOrList(ctx, unitsEntry.value, childPath(path, 'units'), 'a unit name or glob', (n, p) => readUnitPattern(ctx, n, p, true));
  const kindEntry = get('kind');
  const kinds = kindEntry === undefined ? [] : readOneOrList(ctx, kindEntry.value, childPath(path, 'kind'), 'a finding kind', (n, p) => readChoice(ctx, n, p, 'finding kind', findingKindIds));
  const causeEntry = get('cause');
  const causes = causeEntry === undefined ? [] : readOneOrList(ctx, causeEntry.value, childPath(path, 'cause'), 'a cause', (n, p) => readChoice(ctx, n, p, 'cause', causeIds));
  const reason = reasonEntry === undefined ? missing(walk, node, path, 'reason', 'say why the finding is accepted (a ticket, a plan): the report shows it next to the finding') : readString(ctx, reasonEntry.value, childPath(path, 'reason'));
  const expires = expiresEntry === undefined ? missing(walk, node, path, 'expires', 'every waiver ends: give the day it expires, e.g. expires: 2026-12-31') : readCalendarDay(ctx, expiresEntry.value, childPath(path, 'expires'));
  const ownerEntry = get('owner');
  const owner = ownerEntry === undefined || isEmpty(ownerEntry.value) ? null : readString(ctx, ownerEntry.value, childPath(path, 'owner'));
  if (hosts === undefined || units === undefined || kinds === undefined || causes === undefined || reason === undefined || expires === undefined || owner === undefined) return undefined;
  return { index, where: whereOf(walk, node), path, hosts, units, kinds, causes, reason, owner, expires };
}

function readRequirement(walk: Walk, node: ValueNode | null, index: number): Requirement | undefined {
  const path = childPath('required', index);
  const entries = entriesOf(walk, node, path, requirementKeys, 'a requirement (a map with hosts: and unit:)');
  if (entries === undefined) return undefined;
  const { ctx } = walk;
  const hostsEntry = entries.get('hosts');
  const unitEntry = entries.get('unit');
  const hosts = hostsEntry === undefined ? missing(walk, node, path, 'hosts', 'which hosts must have the socket: a glob, "@group", or "*"') : readHosts(walk, hostsEntry, path);
  const unit = unitEntry === undefined ? missing(walk, node, path, 'unit', 'the socket unit that must be there, e.g. unit: nginx.socket') : readUnitPattern(ctx, unitEntry.value, childPath(path, 'unit'), false);
  const listenEntry = entries.get('listen');
  const listen = listenEntry === undefined ? [] : readOneOrList(ctx, listenEntry.value, childPath(path, 'listen'), 'an address as systemd prints it ("0.0.0.0:80", "[::]:443", /run/x.sock) or a port', (n, p) => readListen(walk, n, p));
  const stateEntry = entries.get('state');
  const state = stateEntry === undefined ? 'active' : readChoice(ctx, stateEntry.value, childPath(path, 'state'), 'state', ['active', 'loaded'] as const);
  const severityEntry = entries.get('severity');
  const severity = severityEntry === undefined ? 'critical' : readChoice(ctx, severityEntry.value, childPath(path, 'severity'), 'severity', severities);
  if (hosts === undefined || unit === undefined || listen === undefined || state === undefined || severity === undefined) return undefined;
  return { index, where: whereOf(walk, node), path, hosts, unit, listen, state, severity };
}

/** A listen address as systemd prints it, or a bare port (a number is fine there). */
function readListen(walk: Walk, node: ValueNode | null, path: string): string | undefined {
  if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value) && node.value > 0 && node.value < 65536) return String(node.value);
  const text = readString(walk.ctx, node, path);
  if (text === undefined) return undefined;
  if (/\s/.test(text)) {
    walk.ctx.issues.add(node, path, `expected one listen address, got ${JSON.stringify(text)}`, 'write several addresses as a list: ["0.0.0.0:80", "[::]:80"]');
    return undefined;
  }
  return text;
}

function readList<T>(walk: Walk, entry: MapEntry, read: (node: ValueNode | null, index: number) => T | undefined): T[] {
  const { value } = entry;
  if (isEmpty(value)) return [];
  if (!isSeq(value)) {
    walk.ctx.issues.add(value, entry.key, `expected a list, got ${describe(value)}`, 'write each entry as a list item:  - hosts: ...');
    return [];
  }
  // Aliases in the list (`- *common-waiver`) resolve like map values do.
  return value.items.flatMap((item, index) => {
    const read1 = read(deref(item, walk.ctx.doc), index);
    return read1 === undefined ? [] : [read1];
  });
}

function readThresholdMap<T extends string>(walk: Walk, entry: MapEntry, path: string, what: string, ids: readonly T[]): Partial<Record<T, GateThreshold>> | undefined {
  const { ctx } = walk;
  if (isEmpty(entry.value)) return {};
  if (!isMap(entry.value)) {
    ctx.issues.add(entry.value, path, `expected a map of ${what}s to a threshold (${thresholdChoices.join(', ')}), got ${describe(entry.value)}`);
    return undefined;
  }
  const result: Partial<Record<T, GateThreshold>> = {};
  for (const item of mapEntries(entry.value, ctx.doc)) {
    const id = readChoice(ctx, item.keyNode, childPath(path, item.key), what, ids);
    const threshold = readChoice(ctx, item.value, childPath(path, item.key), 'threshold', thresholdChoices);
    if (id !== undefined && threshold !== undefined) result[id] = threshold;
  }
  return result;
}

function readThresholds(walk: Walk, entry: MapEntry): PolicyThresholds {
  const thresholds: PolicyThresholds = {};
  if (isEmpty(entry.value)) return thresholds;
  const entries = entriesOf(walk, entry.value, 'thresholds', thresholdKeys, 'a map with max_unknown:, fail_on:, fail_on_kinds: or fail_on_causes:');
  if (entries === undefined) return thresholds;
  const { ctx } = walk;
  const maxUnknown = entries.get('max_unknown');
  if (maxUnknown !== undefined) {
    const value = readUnknownTolerance(ctx, maxUnknown.value, 'thresholds.max_unknown');
    if (value !== undefined) thresholds.maxUnknown = value;
  }
  const failOn = entries.get('fail_on');
  if (failOn !== undefined) {
    const value = readChoice(ctx, failOn.value, 'thresholds.fail_on', 'severity', severities);
    if (value !== undefined) thresholds.failOn = value;
  }
  const kinds = entries.get('fail_on_kinds');
  if (kinds !== undefined) {
    const value = readThresholdMap(walk, kinds, 'thresholds.fail_on_kinds', 'finding kind', findingKindIds);
    if (value !== undefined) thresholds.failOnKinds = value;
  }
  const causes = entries.get('fail_on_causes');
  if (causes !== undefined) {
    const value = readThresholdMap(walk, causes, 'thresholds.fail_on_causes', 'cause', causeIds);
    if (value !== undefined) thresholds.failOnCauses = value;
  }
  return thresholds;
}

export function validatePolicy(ctx: ReadContext): Policy {
  const walk: Walk = { ctx, groups: [] };
  const policy: Policy = { file: ctx.issues.file, thresholds: {}, waivers: [], required: [], groupReferences: walk.groups };
  const root = deref(ctx.doc.contents, ctx.doc);
  if (isEmpty(root)) {
    ctx.issues.add(null, '', 'the policy file is empty', 'see policy.example.yaml: waivers:, required: and thresholds:');
    return policy;
  }
  if (!isMap(root)) {
    ctx.issues.add(root, '', `expected a map with waivers:, required: and thresholds:, got ${describe(root)}`);
    return policy;
  }
  for (const entry of mapEntries(root, ctx.doc)) {
    switch (entry.key) {
      case 'warn_before_days': {
        const days = readDayCount(ctx, entry.value, 'warn_before_days');
        if (days !== undefined) policy.warnBeforeDays = days;
        break;
      }
      case 'thresholds':
        policy.thresholds = readThresholds(walk, entry);
        break;
      case 'waivers':
        policy.waivers = readList(walk, entry, (node, index) => readWaiver(walk, node, index));
        break;
      case 'required':
        policy.required = readList(walk, entry, (node, index) => readRequirement(walk, node, index));
        break;
      default:
        // `x-…` keys hold YAML anchors for entries to share (`<<: *freeze`), as in Compose files.
        if (!entry.key.startsWith('x-')) reportUnknownKey(ctx, entry.keyNode, childPath('', entry.key), entry.key, topLevelKeys);
    }
  }
  return policy;
}
