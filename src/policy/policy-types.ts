// A policy file as sockaudit uses it once validated (src/policy/load-policy.ts reads it):
// waivers that accept known findings until a date, sockets that must exist on some hosts,
// and the gate's thresholds. Plain data; every entry remembers where it was written, so the
// report and the warnings can point at the line to edit.
import type { CauseId, FindingKind, GateThreshold, Severity, UnknownTolerance } from '../model/types.js';

/** Where something is written in the policy file. */
export interface PolicyPlace {
  /** `policy.yaml:12` (the file as given, and the line). */
  where: string;
  /** YAML path, e.g. `waivers[3]`. */
  path: string;
}

export interface Waiver extends PolicyPlace {
  index: number;
  /** Host-name globs and `@group`s; a host matching any of them. */
  hosts: string[];
  /** Unit-name globs; a unit matching any of them. */
  units: string[];
  /** Empty: any kind. */
  kinds: FindingKind[];
  /** Empty: any cause. */
  causes: CauseId[];
  reason: string;
  owner: string | null;
  /** The day it expires, YYYY-MM-DD (UTC): it waives until the day before. */
  expires: string;
}

export interface Requirement extends PolicyPlace {
  index: number;
  hosts: string[];
  /** One socket unit name, no glob: a requirement names what must be there. */
  unit: string;
  /** Addresses as systemd prints them (`0.0.0.0:80`, `[::]:443`, `/run/x.sock`), or a port. */
  listen: string[];
  /** `active`: ActiveState=active; `loaded`: the unit exists and loads, in any state. */
  state: 'active' | 'loaded';
  severity: Severity;
}

export interface PolicyThresholds {
  maxUnknown?: UnknownTolerance;
  failOn?: Severity;
  failOnKinds?: Partial<Record<FindingKind, GateThreshold>>;
  failOnCauses?: Partial<Record<CauseId, GateThreshold>>;
}

/** A `@group` used by a pattern, to be checked against the inventory's groups. */
export interface GroupReference {
  group: string;
  file: string;
  line: number | undefined;
  path: string;
}

export interface Policy {
  /** The file as given on the command line. */
  file: string;
  /** Waivers expiring within this many days are warned about; undefined: the default (7). */
  warnBeforeDays?: number;
  thresholds: PolicyThresholds;
  waivers: Waiver[];
  required: Requirement[];
  groupReferences: GroupReference[];
}

export const defaultWarnBeforeDays = 7;
