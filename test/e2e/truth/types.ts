// What a lab host must report, written down from the scenario definitions (unit files, drive
// scripts, hosts.conf) — never from sockaudit's own code. Only sockaudit's report *types* are
// shared, so that the comparison speaks the report's field names.

/** A unit name, or a pattern for names that carry something volatile (Accept=yes instances). */
export type UnitPattern = string | RegExp;

export interface ListenTruth {
  type: string;
  address: string;
}

export type Severity = 'critical' | 'warning' | 'notice';

/** One finding sockaudit must report about a socket (README: finding kinds, causes). */
export interface FindingTruth {
  kind: string;
  /** Decides the gate: the exit code is 1 when a finding is at or above --fail-on (warning). */
  severity: Severity;
  /** The cause id when the login may read the journal. */
  cause: string;
  /** The cause id when it may not (journal `none`), where the journal is what tells; default `cause`. */
  causeWithoutJournal?: string;
  /** A line the finding's journal evidence must contain when the login may read the journal. */
  journal?: RegExp;
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
  /**
   * Everything sockaudit must report about this socket; [] for a socket that must not be
   * reported. A socket whose `active` is `failed` has exactly one `socket-failed` finding and
   * only failed ones have it (checked by expect-fleet.ts).
   */
  findings: FindingTruth[];
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

/** A distribution socket: present on some systemd versions only, fields overridden per version. */
export type VersionedSocketTruth = SocketTruth & {
  /** Only on these systemd versions (default: all). */
  versions?: number[];
  byVersion?: Record<number, Partial<SocketTruth>>;
};
