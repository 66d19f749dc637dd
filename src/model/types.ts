// The shared socket-state model. Every stage of the pipeline speaks these types; this folder
// imports nothing else of ours so that parsers, collectors and renderers can all depend on it.

/** How one inventory host is reached. Produced by inventory/, consumed by ssh/ and collect/. */
export interface HostTarget {
  /** Unique name from the inventory; the key of the host in every report. */
  name: string;
  /** DNS name or IP literal to connect to. */
  address: string;
  port: number;
  user: string;
  /** Private key files to offer, in order (already `~`-expanded). */
  identityFiles: string[];
  /** Name of an environment variable holding the passphrase of encrypted keys. */
  passphraseEnv?: string;
  /** Use ssh-agent from SSH_AUTH_SOCK as well as key files. */
  useAgent: boolean;
  /** OpenSSH known_hosts files consulted to verify the host key, in order. */
  knownHostsFiles: string[];
  /** Milliseconds allowed for TCP connect + SSH handshake + authentication. */
  connectTimeoutMs: number;
  /** Milliseconds allowed for the probe command once authenticated. */
  commandTimeoutMs: number;
  groups: string[];
  labels: Record<string, string>;
}

/** Why a host could not be audited. Closed set: renderers and the exit code rely on it. */
export const unknownReasons = [
  'dns',
  'refused',
  'unreachable',
  'connect-timeout',
  'auth-failed',
  'host-key-unknown',
  'host-key-mismatch',
  'ssh-error',
  'command-timeout',
  'deadline',
  'no-systemd',
  'bus-unavailable',
  'output-limit',
  'parse-error',
] as const;
export type UnknownReason = (typeof unknownReasons)[number];

/** One `Listen…=` entry of a socket unit. */
export interface ListenEntry {
  /** Stream, Datagram, SequentialPacket, FIFO, Special, Netlink, MessageQueue, USBFunction. */
  type: string;
  /** Address as systemd prints it (`0.0.0.0:80`, `[::]:22`, `/run/x.sock`, `@abstract`). */
  address: string;
}

/**
 * A property a given systemd does not print (NRefused before 239, StateChangeTimestamp
 * before 229) is `null`, never 0 or "": "not known" must not read as "fine".
 */
export interface UnitCommon {
  unit: string;
  description: string | null;
  load: string;
  active: string;
  sub: string;
  result: string | null;
  /** `LoadError=` message, e.g. `Unit x.service not found.`; null when none or not printed. */
  loadError: string | null;
  fragmentPath: string | null;
  unitFileState: string | null;
  /** Last state change, ISO 8601 UTC; null when unset or not printed. */
  stateChangedAt: string | null;
}

export interface ServiceState extends UnitCommon {
  /** Exit status of the main process (`ExecMainStatus=`); null when not printed. */
  execMainStatus: number | null;
  /** `ExecMainCode=` (1 exited, 2 killed, 3 dumped …); null when not printed. */
  execMainCode: number | null;
  /** Automatic restarts since the unit was started (systemd 235+); null before. */
  nRestarts: number | null;
}

export interface SocketState extends UnitCommon {
  listen: ListenEntry[];
  /** Units this socket activates (`Triggers=`): the service, or Accept=yes instances. */
  triggers: string[];
  accept: boolean | null;
  nAccepted: number | null;
  nConnections: number | null;
  /** Refused activations, systemd 239+; null on older hosts. */
  nRefused: number | null;
}

/** Everything the probe learned about one host that answered. */
export interface HostSnapshot {
  /** Major systemd version, e.g. 252. */
  systemdVersion: number;
  /** Full first line of `systemctl --version`, e.g. `systemd 252 (252.39-1~deb12u2)`. */
  systemdVersionText: string;
  /** `systemctl is-system-running` at probe time (running, degraded, …) or null. */
  systemState: string | null;
  sockets: SocketState[];
  /** Units named in the sockets' `Triggers=`, keyed by unit name. */
  services: Record<string, ServiceState>;
  /** Non-fatal oddities met while parsing (unknown lines, missing sections). */
  warnings: string[];
}

export type HostOutcome =
  | {
      status: 'audited';
      host: HostTarget;
      snapshot: HostSnapshot;
      durationMs: number;
    }
  | {
      status: 'unknown';
      host: HostTarget;
      reason: UnknownReason;
      /** Human-readable detail: the error text, the stderr excerpt, which limit. */
      detail: string;
      durationMs: number;
    };

export type FindingKind = 'socket-failed';

export type Severity = 'critical' | 'warning' | 'notice';

export interface Finding {
  host: string;
  unit: string;
  kind: FindingKind;
  severity: Severity;
  /** The socket's Result, e.g. `service-start-limit-hit`. */
  result: string | null;
  listen: ListenEntry[];
  /** The triggered units and their states, as `name: active/sub (result)`. */
  triggers: TriggeredSummary[];
}

export interface TriggeredSummary {
  unit: string;
  load: string | null;
  active: string | null;
  sub: string | null;
  result: string | null;
}

export interface UnitAggregate {
  unit: string;
  /** Hosts where this unit produced a finding. */
  hosts: string[];
  /** How often each socket Result occurred among those hosts. */
  results: Record<string, number>;
}

export interface FleetSummary {
  hostsTotal: number;
  hostsAudited: number;
  hostsUnknown: number;
  socketsAudited: number;
  findings: number;
  unknownByReason: Partial<Record<UnknownReason, number>>;
}

/** One inventory host as it appears in a report: the JSON shape, free of credentials. */
export interface HostReport {
  name: string;
  address: string;
  port: number;
  user: string;
  groups: string[];
  labels: Record<string, string>;
  status: 'audited' | 'unknown';
  reason?: UnknownReason;
  detail?: string;
  systemdVersion?: number;
  systemdVersionText?: string;
  systemState?: string | null;
  durationMs: number;
  /**
   * SSH connection attempts this host took: 1 normally, more after transient failures
   * (reset or closed during the handshake) were retried, 0 when it was never contacted.
   */
  attempts?: number;
  sockets: SocketState[];
  services: ServiceState[];
  warnings: string[];
}

/**
 * The whole result of one audit. It is plain JSON data on purpose: `-f json` writes it as is,
 * and every other format can be re-rendered from a saved copy without touching a host.
 */
export interface FleetReport {
  schemaVersion: 1;
  tool: { name: 'sockaudit'; version: string };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Every selected inventory host exactly once, in inventory order. */
  hosts: HostReport[];
  findings: Finding[];
  byUnit: UnitAggregate[];
  summary: FleetSummary;
}
