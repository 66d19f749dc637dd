// What a lab host must report, written down from the scenario definitions (unit files, drive
// scripts, hosts.conf) — never from sockaudit's own code. Only sockaudit's report *types* are
// shared, so that the comparison speaks the report's field names.

/** A unit name, or a pattern for names that carry something volatile (Accept=yes instances). */
export type UnitPattern = string | RegExp;

export interface ListenTruth {
  type: string;
  address: string;
}

export interface SocketTruth {
  unit: string;
  /** How the scenario gets it into this state, in a few words (shown when it does not). */
  how: string;
  load: string;
  active: string;
  sub: string;
  result: string;
  /** In `systemctl show` order, which is the unit file's order. */
  listen: ListenTruth[];
  /** Exactly these units, each pattern matching exactly one entry. */
  triggers: UnitPattern[];
  accept?: boolean;
  counters?: { nAccepted: number; nConnections: number; nRefused: number };
}

/** A unit in some socket's Triggers=, as the report's `services` must show it. */
export interface ServiceTruth {
  unit: UnitPattern;
  /** How many units match `unit` (for patterns); 1 by default. */
  count?: number;
  load: string;
  active: string;
  sub: string;
  result: string;
}

export interface ScenarioTruth {
  name: string;
  /** `systemctl is-system-running` once the scenario has been driven. */
  systemState: 'running' | 'degraded';
  sockets: SocketTruth[];
  services: ServiceTruth[];
  /** Names that must not appear among the sockets (aliases, templates). */
  absent: string[];
}

/** Overrides of a socket's truth on one systemd version (distribution units change). */
export type VersionedSocketTruth = SocketTruth & { byVersion?: Record<number, Partial<SocketTruth>> };
