// What every host of the lab fleet must report, and which findings and exit code the whole
// audit must end with — computed from hosts.conf and the scenario truths alone. Nothing here
// imports sockaudit's assessment or parsers: if both were wrong the same way, the test would
// not notice.
import type { FleetHostDef } from '../fleet-config.js';
import { failures } from '../lab/scenarios/failures/expected.js';
import { healthy } from '../lab/scenarios/healthy/expected.js';
import { odd } from '../lab/scenarios/odd/expected.js';
import { plain } from '../lab/scenarios/plain/expected.js';
import { imageSockets, suiteSystemd } from './image.js';
import type { ScenarioTruth, ServiceTruth, SocketTruth } from './types.js';

export const scenarios: Record<string, ScenarioTruth> = { failures, healthy, odd, plain };

/**
 * Whether the login may read other units' journal. The probe does not read the journal yet,
 * so today both must be audited alike; the journal feature should assert evidence lines for
 * `full` and a journal-permission note (not an unknown host) for `no-access`.
 */
export type JournalAccess = 'full' | 'no-access';

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
  kind: 'socket-failed';
  result: string;
}

export interface FleetExpectation {
  hosts: HostExpectation[];
  findings: ExpectedFinding[];
  exitCode: 0 | 1 | 3;
  summary: { hostsTotal: number; hostsAudited: number; hostsUnknown: number; findings: number; unknownByReason: Record<string, number> };
}

function socketsFor(version: number, scenario: ScenarioTruth): SocketTruth[] {
  const image = imageSockets.map(({ byVersion, ...base }) => ({ ...base, ...byVersion?.[version] }));
  return [...image, ...scenario.sockets];
}

function unknown(def: FleetHostDef, address: string, user: string, reason: string, why: string): UnknownExpectation {
  return { name: def.name, address, user, status: 'unknown', reason, why };
}

/** The expectation for one host, from its hosts.conf line (and the line of the machine a login uses). */
export function expectHost(def: FleetHostDef, all: FleetHostDef[], net: string): HostExpectation {
  const address = `${net}.${def.addr}`;
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
    sockets: socketsFor(version, scenario),
    services: scenario.services,
    absent: scenario.absent,
    // The lab image adds `auditor` without adm/systemd-journal: it sees only its own journal.
    journal: user === 'root' ? 'full' : 'no-access',
    sameMachineAs: def.kind === 'login' ? machine.name : null,
  };
}

/** The expectation for the hosts `defs` (a login's machine is looked up in `all`). */
export function expectFleet(defs: FleetHostDef[], net: string, all: FleetHostDef[] = defs): FleetExpectation {
  const hosts = defs.map((d) => expectHost(d, all, net));
  const findings: ExpectedFinding[] = [];
  for (const h of hosts) {
    if (h.status !== 'audited') continue;
    for (const s of h.sockets) {
      if (s.active === 'failed') findings.push({ host: h.name, unit: s.unit, kind: 'socket-failed', result: s.result });
    }
  }
  const unknownByReason: Record<string, number> = {};
  for (const h of hosts) if (h.status === 'unknown') unknownByReason[h.reason] = (unknownByReason[h.reason] ?? 0) + 1;
  const hostsUnknown = hosts.filter((h) => h.status === 'unknown').length;
  return {
    hosts,
    findings,
    // The README's exit-code contract with the default gate (--fail-on warning, --max-unknown 0).
    exitCode: findings.length > 0 ? 1 : hostsUnknown > 0 ? 3 : 0,
    summary: { hostsTotal: hosts.length, hostsAudited: hosts.length - hostsUnknown, hostsUnknown, findings: findings.length, unknownByReason },
  };
}
