// What every host of the lab fleet must report, and which findings and exit code the whole
// audit must end with — computed from hosts.conf and the scenario truths alone. Nothing here
// imports sockaudit's assessment or parsers: if both were wrong the same way, the test would
// not notice.
import type { FleetHostDef, LabFleetInfo } from '../fleet-config.js';
import { failures } from '../lab/scenarios/failures/expected.js';
import { healthy } from '../lab/scenarios/healthy/expected.js';
import { odd } from '../lab/scenarios/odd/expected.js';
import { plain } from '../lab/scenarios/plain/expected.js';
import { imageSockets, suiteSystemd } from './image.js';
import type { ScenarioTruth, ServiceTruth, Severity, SocketTruth } from './types.js';

export const scenarios: Record<string, ScenarioTruth> = { failures, healthy, odd, plain };

/**
 * What the login may read of the journal: root reads everything; the lab's `auditor` (no
 * adm/systemd-journal group) cannot read the system's journal — the report says `none` until
 * journald has a journal file of its own (its first login writes one), `partial` after. Either
 * way its findings carry no journal lines, and causes only the journal can tell stay unknown.
 */
export type JournalAccess = 'full' | 'no-access';

/** The report's `journalAccess` values that mean each. */
export const journalAccessReported: Record<JournalAccess, string[]> = { full: ['full'], 'no-access': ['none', 'partial'] };

interface Common {
  name: string;
  address: string;
  user: string;
  /** Why this host reports what it reports, from its definition. */
  why: string;
}

export interface AuditedExpectation extends Common {
  status: 'audited';
  suite: string;
  systemdVersion: number;
  scenario: string;
  systemState: string;
  /** The image's sockets (for this systemd version) and the scenario's. */
  sockets: SocketTruth[];
  services: ServiceTruth[];
  absent: string[];
  journal: JournalAccess;
  /** The inventory host of the same machine logged in as root, when this is another login. */
  sameMachineAs: string | null;
}

export interface UnknownExpectation extends Common {
  status: 'unknown';
  reason: string;
}

export type HostExpectation = AuditedExpectation | UnknownExpectation;

export interface ExpectedFinding {
  host: string;
  unit: string;
  kind: string;
  severity: Severity;
  /** The socket's Result, which every finding repeats. */
  result: string;
  cause: string;
  /** A line the journal evidence must contain (only where the login reads the journal). */
  journal: RegExp | null;
  /** The evidence's journalAccess. */
  journalAccess: JournalAccess;
}

export interface FleetExpectation {
  hosts: HostExpectation[];
  findings: ExpectedFinding[];
  exitCode: 0 | 1 | 3;
  summary: { hostsTotal: number; hostsAudited: number; hostsUnknown: number; findings: number; unknownByReason: Record<string, number> };
}

function socketsFor(version: number, scenario: ScenarioTruth): SocketTruth[] {
  const image = imageSockets
    .filter((s) => s.versions === undefined || s.versions.includes(version))
    .map(({ byVersion, versions: _versions, ...base }) => ({ ...base, ...byVersion?.[version] }));
  return [...image, ...scenario.sockets];
}

/** The truth's own rule, checked once: failed ⇔ exactly one socket-failed finding. */
function checkTruth(where: string, s: SocketTruth): void {
  const failed = s.findings.filter((f) => f.kind === 'socket-failed').length;
  if ((s.active === 'failed' ? 1 : 0) !== failed) {
    throw new Error(`${where}: ${s.unit} is ${s.active} but declares ${failed} socket-failed finding(s); a socket is reported as failed exactly when it is`);
  }
}

function unknown(def: FleetHostDef, address: string, user: string, reason: string, why: string): UnknownExpectation {
  return { name: def.name, address, user, status: 'unknown', reason, why };
}

/** The expectation for one host, from its hosts.conf line (and the line of the machine a login uses). */
export function expectHost(def: FleetHostDef, all: FleetHostDef[], nets: LabNets): HostExpectation {
  // A host behind a jump host has its address on the inner network, and is audited through it.
  const address = `${def.options.behind === undefined ? nets.net : nets.innerNet}.${def.addr}`;
  const user = def.options.user ?? 'root';
  switch (def.kind) {
    case 'none':
      return unknown(def, address, user, 'unreachable', 'nothing has this address on the lab /24: ARP goes unanswered (EHOSTUNREACH)');
    case 'netns':
      return unknown(def, address, user, 'refused', 'the address exists, nothing listens on port 22');
    default:
      break;
  }
  // The SSH transport fails before anything runs, in the order SSH checks: host key, then our key.
  if (def.options.hostkey === 'absent') return unknown(def, address, user, 'host-key-unknown', "the fleet's known_hosts has no line for this host");
  if (def.options.hostkey === 'changed') return unknown(def, address, user, 'host-key-mismatch', "the fleet's known_hosts holds the key from before a reinstall");
  if (def.options.authkey === 'other' && user === 'root') return unknown(def, address, user, 'auth-failed', "root's authorized_keys lacks the fleet's key");
  if (def.kind === 'sshd') return unknown(def, address, user, 'no-systemd', 'a real sshd on a machine whose PID 1 is not systemd');

  let machine = def;
  if (def.kind === 'login') {
    const found = all.find((h) => h.kind === 'nspawn' && h.addr === def.addr);
    if (found === undefined) throw new Error(`${def.where}: login ${def.name} has no nspawn host at .${def.addr}`);
    machine = found;
  }
  const suite = machine.suite ?? '';
  const version = suiteSystemd[suite];
  const scenario = scenarios[machine.scenario ?? ''];
  if (version === undefined) throw new Error(`${machine.where}: no systemd version known for suite "${suite}"`);
  if (scenario === undefined) throw new Error(`${machine.where}: no ground truth for scenario "${machine.scenario}" (add lab/scenarios/<name>/expected.ts)`);
  const sockets = socketsFor(version, scenario);
  for (const s of sockets) checkTruth(`scenario ${scenario.name} on systemd ${version}`, s);
  return {
    name: def.name,
    address,
    user,
    status: 'audited',
    why: def.kind === 'login' ? `${user} logs into ${machine.name} (${scenario.name} on ${suite})` : `${scenario.name} on ${suite}`,
    suite,
    systemdVersion: version,
    scenario: scenario.name,
    systemState: scenario.systemState,
    sockets,
    services: scenario.services,
    absent: scenario.absent,
    journal: user === 'root' ? 'full' : 'no-access',
    sameMachineAs: def.kind === 'login' ? machine.name : null,
  };
}

const severityRank: Record<Severity, number> = { notice: 0, warning: 1, critical: 2 };

/** The README's exit-code contract: 1 when a finding is at or above the gate, else 3 when a host is unknown. */
export function expectedExitCode(findings: ExpectedFinding[], hostsUnknown: number, failOn: Severity = 'warning'): 0 | 1 | 3 {
  if (findings.some((f) => severityRank[f.severity] >= severityRank[failOn])) return 1;
  return hostsUnknown > 0 ? 3 : 0;
}

/** The expectation for the hosts `defs` (a login's machine is looked up in `all`). */
/** The lab's two networks: the one this machine is on, and the inner one behind the jump host. */
export type LabNets = Pick<LabFleetInfo, 'net' | 'innerNet'>;

export function expectFleet(defs: FleetHostDef[], nets: LabNets, all: FleetHostDef[] = defs, failOn: Severity = 'warning'): FleetExpectation {
  const hosts = defs.map((d) => expectHost(d, all, nets));
  const findings: ExpectedFinding[] = [];
  for (const h of hosts) {
    if (h.status !== 'audited') continue;
    for (const s of h.sockets) {
      for (const f of s.findings) {
        findings.push({
          host: h.name,
          unit: s.unit,
          kind: f.kind,
          severity: f.severity,
          result: s.result,
          cause: h.journal === 'full' ? f.cause : (f.causeWithoutJournal ?? f.cause),
          journal: h.journal === 'full' ? (f.journal ?? null) : null,
          journalAccess: h.journal,
        });
      }
    }
  }
  const unknownByReason: Record<string, number> = {};
  for (const h of hosts) if (h.status === 'unknown') unknownByReason[h.reason] = (unknownByReason[h.reason] ?? 0) + 1;
  const hostsUnknown = hosts.filter((h) => h.status === 'unknown').length;
  return {
    hosts,
    findings,
    exitCode: expectedExitCode(findings, hostsUnknown, failOn),
    summary: { hostsTotal: hosts.length, hostsAudited: hosts.length - hostsUnknown, hostsUnknown, findings: findings.length, unknownByReason },
  };
}
