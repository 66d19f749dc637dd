// The shared socket-state model. Every stage of the pipeline speaks these types; this folder
// imports nothing else of ours so that parsers, collectors and renderers can all depend on it.

/**
 * One SSH server to log in to: an audited host, or a jump host on the way to one. The fields
 * are what `ssh` would take from its config for that server.
 */
export interface SshEndpoint {
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
  /**
   * Record the key of a server missing from known_hosts and connect (OpenSSH's
   * StrictHostKeyChecking=accept-new, asked for in the user's ssh_config); a changed key is
   * still refused.
   */
  acceptNewHostKey?: boolean;
  /** Milliseconds allowed for TCP connect + SSH handshake + authentication. */
  connectTimeoutMs: number;
}

/** A ProxyJump hop: an SSH server the connection is forwarded through. */
export interface JumpHost extends SshEndpoint {
  /** The hop as the user wrote it (`ops@bastion:2222`, or an inventory host's name), for messages. */
  label: string;
}

/** How one inventory host is reached. Produced by inventory/, consumed by ssh/ and collect/. */
export interface HostTarget extends SshEndpoint {
  /** Unique name from the inventory; the key of the host in every report. */
  name: string;
  /**
   * ProxyJump hops, the first one connected to directly, each next one (and finally the host)
   * reached through a forwarded channel of the one before. Absent or empty: connect directly.
   */
  jumps?: JumpHost[];
  /** Read the journal through `sudo -n` (the rest of the probe needs no privilege). */
  journalSudo?: boolean;
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

/**
 * The first `ExecStart=` of a service as `systemctl show` prints it:
 * `{ path=/usr/sbin/x ; argv[]=/usr/sbin/x -f --flag ; … }`. systemctl joins argv with plain
 * spaces, so an argument that contained a space cannot be told apart: `argv` is display text.
 */
export interface ExecCommand {
  path: string;
  argv: string;
}

export interface ServiceState extends UnitCommon {
  /** Exit status of the main process (`ExecMainStatus=`); null when not printed. */
  execMainStatus: number | null;
  /** `ExecMainCode=` (1 exited, 2 killed, 3 dumped …); null when not printed. */
  execMainCode: number | null;
  /** Automatic restarts since the unit was started (systemd 235+); null before. */
  nRestarts: number | null;
  /** First `ExecStart=`; null when the unit has none or the probe did not ask for it. */
  execStart: ExecCommand | null;
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
  /** `MaxConnections=`; null when not printed. */
  maxConnections: number | null;
  /** Units that want or require this socket (`WantedBy=` + `RequiredBy=`); null when not printed. */
  wantedBy: string[] | null;
  /**
   * Accept=yes only: the template its per-connection services come from (`foo@.service`) and
   * whether the host has it. `found` is null when the probe could not check.
   */
  template: { unit: string; found: boolean | null } | null;
}

/**
 * Can the probe's user read the journal? Decided from journalctl's own words (exit status,
 * stderr), never from empty output: "no lines" and "not allowed to see lines" must differ.
 * - `full`: root, or a user in systemd-journal/adm (no hint printed);
 * - `partial`: journalctl's hint "You are currently not seeing messages from other users and the
 *   system": only the user's own journal is readable, so system units' lines are missing;
 * - `none`: "No journal files were opened due to insufficient permissions" (and 219's
 *   "Unprivileged users cannot access messages");
 * - `no-journal`: "No journal files were found" (Storage=none, or nothing written yet);
 * - `unavailable`: journalctl missing, killed by the per-command timeout, or failing otherwise
 *   (also: the host reads the journal through sudo, and sudo is not installed or cannot elevate);
 * - `sudo-required`: the host reads the journal through `sudo -n` (inventory `journal_sudo`),
 *   and sudo refused without asking: it wants a password or a terminal, or its policy does not
 *   let the user run journalctl. The detail holds sudo's own words. Checked even when no socket
 *   needs evidence, so a sudoers that would refuse shows before a socket fails;
 * - `not-needed`: no socket needed evidence, so the journal was not read;
 * - `not-collected`: the output came from a probe that does not read the journal.
 */
export const journalAccessStates = ['full', 'partial', 'none', 'no-journal', 'unavailable', 'sudo-required', 'not-needed', 'not-collected'] as const;
export type JournalAccess = (typeof journalAccessStates)[number];

/** One journal record, reduced to what explains a failure. */
export interface JournalEntry {
  /** `__REALTIME_TIMESTAMP` as ISO 8601 UTC (µs truncated to ms); null when missing or malformed. */
  time: string | null;
  /** The unit the line is about: `UNIT=` (PID 1's lines), else `_SYSTEMD_UNIT`, … ; '' if none. */
  unit: string;
  /** syslog priority 0 (emerg) … 7 (debug); null when missing. */
  priority: number | null;
  message: string;
  messageId?: string;
  /** `UNIT_RESULT=` of "Failed with result" lines (systemd 240+). */
  unitResult?: string;
  errno?: number;
  pid?: number;
  /** `SYSLOG_IDENTIFIER` (`systemd` for PID 1, the daemon's name for its own output). */
  identifier?: string;
}

/** The bounded journal excerpt the probe collected for one problem socket. */
export interface JournalExcerpt {
  socket: string;
  /** Units passed with `-u`: the socket and the units it triggers. */
  units: string[];
  /** `--since` used, ISO 8601 UTC; null when the socket had no timestamp (newest lines only). */
  since: string | null;
  /** Newest last, at most the probe's `-n`. */
  entries: JournalEntry[];
  /** Lines cut by the byte cap, or lines that were not journal JSON. */
  skippedLines: number;
  truncated: boolean;
  /** journalctl's exit status and first stderr line when it failed; null when it succeeded. */
  error: string | null;
}

/**
 * What this host's systemd can tell at all. A value it cannot give is null in the model and
 * listed here, so "not supported" never reads as "zero" or "fine".
 */
export interface Capabilities {
  /** `NRefused=` (systemd 239+). */
  nRefused: boolean;
  /** `StateChangeTimestamp=` (229+); before, the latest of the other state timestamps is used. */
  stateChangeTimestamp: boolean;
  /** `NRestarts=` (235+). */
  nRestarts: boolean;
  /** `UNIT_RESULT=` on "Failed with result" journal lines (240+); before, the text is read. */
  journalUnitResult: boolean;
  /** The probe checked that Accept=yes sockets have their template service. */
  templateCheck: boolean;
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
  journalAccess: JournalAccess;
  /** journalctl's own words behind `journalAccess` (the hint, the error), or null. */
  journalAccessDetail: string | null;
  /** One excerpt per problem socket, in the probe's order. */
  journal: JournalExcerpt[];
  capabilities: Capabilities;
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

export const findingKindIds = [
  'socket-failed',
  'socket-not-loaded',
  'socket-masked',
  'service-missing',
  'template-missing',
  'service-restart-loop',
  'service-failed',
  'connections-refused',
  // Only a policy file's `required:` entries produce these (src/policy/required-sockets.ts).
  'required-socket-missing',
  'required-socket-inactive',
  'required-listen-missing',
] as const;
export type FindingKind = (typeof findingKindIds)[number];

export type Severity = 'critical' | 'warning' | 'notice';

/** The closed catalogue of root causes (src/model/causes.ts has titles and explanations). */
export const causeIds = [
  'port-in-use',
  'address-not-available',
  'permission-denied',
  'service-crash-loop',
  'service-exit-failure',
  'trigger-limit-hit',
  'missing-service-unit',
  'missing-template',
  'missing-socket-unit',
  'invalid-unit-setting',
  'unit-masked',
  'exec-pre-post-failed',
  'timeout',
  'killed-by-signal',
  'socket-start-limit',
  'connection-limit',
  'unknown',
  'policy-requirement',
] as const;
export type CauseId = (typeof causeIds)[number];

/** Which signal a cause was read from, strongest first. */
export type CauseBasis =
  | 'load-state'
  | 'result'
  | 'service-result'
  | 'journal-errno'
  | 'journal-message-id'
  | 'journal-text'
  | 'counters'
  | 'policy'
  | 'none';

export interface FindingCause {
  id: CauseId;
  title: string;
  severity: Severity;
  /** This finding's facts in one line: `lab-crash.service exited with status 3 …`. */
  detail: string;
  basis: CauseBasis;
}

/** The journal lines behind a finding, or why there are none. */
export interface FindingEvidence {
  journalAccess: JournalAccess;
  /** Why entries may be missing, in words (no access, not collected, journal empty). */
  note: string | null;
  since: string | null;
  units: string[];
  /** Newest last. */
  entries: JournalEntry[];
}

/** A command to run on the host, printed for a human, never executed by sockaudit. */
export interface NextStep {
  label: string;
  command: string;
}

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
  cause: FindingCause;
  evidence: FindingEvidence;
  /** Most useful first. */
  nextSteps: NextStep[];
  /** How the gate sees this finding (waiver, baseline); absent when no gate was applied. */
  gate?: FindingGate;
}

/** The waiver of a policy file that matched a finding, as the report shows it. */
export interface WaiverRef {
  /** Position in the policy's `waivers:` list, from 0. */
  index: number;
  /** Where it is written: `policy.yaml:12`. */
  where: string;
  reason: string;
  owner: string | null;
  /** The day it expires, YYYY-MM-DD (UTC): it waives until the day before. */
  expires: string;
  /** The audit's day is on or after `expires`: it waives no more. */
  expired: boolean;
}

/**
 * A finding's marks for the gate. A waived finding stays in every report; it only stops
 * failing the gate. `baseline` is null when the run was not compared with a baseline.
 */
export interface FindingGate {
  /** An unexpired waiver accepts this finding (`waiver` says which). */
  waived: boolean;
  /** The matching waiver: the unexpired one, else an expired one (then `waived` is false). */
  waiver: WaiverRef | null;
  /** `new`: not in the baseline (same host, unit and kind); `persisting`: in it. */
  baseline: 'new' | 'persisting' | null;
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
  /** How often each cause occurred among those findings. */
  causes: Partial<Record<CauseId, number>>;
}

export interface FleetSummary {
  hostsTotal: number;
  hostsAudited: number;
  hostsUnknown: number;
  socketsAudited: number;
  findings: number;
  findingsBySeverity: Record<Severity, number>;
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
  /**
   * The jump hosts the host was reached through, first hop first (ProxyJump); absent for a
   * direct connection. `label` is the hop as the inventory or ssh_config wrote it.
   */
  via?: Array<{ label: string; address: string; port: number; user: string }>;
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
  journalAccess?: JournalAccess;
  journalAccessDetail?: string | null;
  capabilities?: Capabilities;
}

/** How many unknown hosts the gate tolerates: a count, or a share of the selected hosts. */
export type UnknownTolerance = { count: number } | { percent: number };

/** A per-kind or per-cause gate threshold: the lowest severity that fails, or `never`. */
export type GateThreshold = Severity | 'never';

/** What fails the gate (README "Exit codes"); computed into an exit code by exit-code.ts. */
export interface GatePolicy {
  /** Findings below this severity do not fail the gate. */
  failOn: Severity;
  maxUnknown: UnknownTolerance;
  /** Per finding kind, instead of `failOn`. */
  failOnKinds?: Partial<Record<FindingKind, GateThreshold>>;
  /** Per cause, instead of `failOnKinds` and `failOn` (a cause is narrower than a kind). */
  failOnCauses?: Partial<Record<CauseId, GateThreshold>>;
}

/** One waiver of the policy file and what it did in this run. */
export interface WaiverStatus extends Omit<WaiverRef, 'expired'> {
  hosts: string[];
  units: string[];
  /** Empty: any kind. */
  kinds: FindingKind[];
  /** Empty: any cause. */
  causes: CauseId[];
  /** `expiring`: still waives, but expires within the warning window; `expired`: waives no more. */
  state: 'active' | 'expiring' | 'expired';
  /** Days from the audit's day to `expires`; 0 or less once expired. */
  daysLeft: number;
  /** Findings of this run its patterns match; 0 is a stale waiver. */
  matched: number;
}

/** One `required:` entry of the policy file and what it found in this run. */
export interface RequirementStatus {
  index: number;
  where: string;
  hosts: string[];
  unit: string;
  listen: string[];
  state: 'active' | 'loaded';
  severity: Severity;
  /** Audited hosts it applied to. */
  checked: number;
  /** Of those, hosts where it is not met. */
  unmet: number;
}

/** The gate that was applied to a report: thresholds, policy, baseline. */
export interface GateSummary {
  thresholds: GatePolicy;
  /** The policy file as given on the command line; null without one. */
  policyFile: string | null;
  /** The day waivers were checked against, YYYY-MM-DD (UTC). */
  today: string;
  /** Waivers expiring within this many days are warned about. */
  warnBeforeDays: number;
  waivers: WaiverStatus[];
  required: RequirementStatus[];
  baseline: {
    file: string;
    /** When the baseline run started. */
    startedAt: string;
    findings: number;
    /** Baseline findings (host, unit, kind) this run does not have. */
    notSeen: number;
  } | null;
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
  /** Set when the run audited one slice of the selection (`--shard K/N`); absent otherwise. */
  shard?: ShardInfo;
  /** Every selected inventory host exactly once, in inventory order. */
  hosts: HostReport[];
  /**
   * Hosts of the fleet no report covered (a merge with a slice missing): their names are not
   * known, so they are not in `hosts`, but the summary counts them as unknown, so that a lost
   * slice can never pass as a clean fleet, also when the merged report is re-rendered or re-gated.
   */
  hostsNotReported?: number;
  findings: Finding[];
  /** The catalogue entries of the causes that occur in `findings`, keyed by id. */
  causes: Partial<Record<CauseId, CauseInfo>>;
  byUnit: UnitAggregate[];
  summary: FleetSummary;
  /** The gate applied to this run (thresholds, waivers, requirements, baseline). */
  gate?: GateSummary;
}

export interface CauseInfo {
  title: string;
  severity: Severity;
  explanation: string;
}

/** The slice a `--shard K/N` run audited: enough for `sockaudit merge` to spot missing slices. */
export interface ShardInfo {
  /** K, from 1. */
  index: number;
  /** N. */
  count: number;
  /** Hosts selected before slicing: the hosts of all N slices together. */
  fleetHosts: number;
  /** Each of `hosts`' position among those selected hosts, from 0 (restores inventory order). */
  positions: number[];
}
