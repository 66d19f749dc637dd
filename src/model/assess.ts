// HostOutcome[] → FleetReport: turn what the collector saw into findings and aggregates.
import { diagnose } from './diagnose.js';
import { FleetTally } from './fleet-tally.js';
import { socketProblems, type Problem } from './find-problems.js';
import { sudoersStep, sudoRequiredNote } from './journal-sudo.js';
import { nextSteps } from './next-steps.js';
import type {
  Finding,
  FindingEvidence,
  FleetReport,
  HostOutcome,
  HostReport,
  JournalExcerpt,
  ServiceState,
  TriggeredSummary,
} from './types.js';

export interface ReportMeta {
  toolVersion: string;
  startedAt: Date;
  finishedAt: Date;
}

/** The report view of one outcome: the host's identity without credentials, plus its state. */
export function toHostReport(outcome: HostOutcome): HostReport {
  const { host } = outcome;
  const identity = {
    name: host.name,
    address: host.address,
    port: host.port,
    user: host.user,
    groups: host.groups,
    labels: host.labels,
    // Where the connection went through, never how it logged in (keys stay out of reports).
    ...(host.jumps === undefined || host.jumps.length === 0
      ? {}
      : { via: host.jumps.map((hop) => ({ label: hop.label, address: hop.address, port: hop.port, user: hop.user })) }),
    durationMs: Math.round(outcome.durationMs),
  };
  if (outcome.status === 'unknown') {
    return {
      ...identity,
      status: 'unknown',
      reason: outcome.reason,
      detail: outcome.detail,
      sockets: [],
      services: [],
      warnings: [],
    };
  }
  const { snapshot } = outcome;
  return {
    ...identity,
    status: 'audited',
    systemdVersion: snapshot.systemdVersion,
    systemdVersionText: snapshot.systemdVersionText,
    systemState: snapshot.systemState,
    sockets: snapshot.sockets,
    services: Object.values(snapshot.services).sort((a, b) => a.unit.localeCompare(b.unit)),
    warnings: snapshot.warnings,
    journalAccess: snapshot.journalAccess,
    journalAccessDetail: snapshot.journalAccessDetail,
    capabilities: snapshot.capabilities,
  };
}

function summarizeTriggered(unit: string, services: ReadonlyMap<string, ServiceState>): TriggeredSummary {
  const service = services.get(unit);
  return {
    unit,
    load: service?.load ?? null,
    active: service?.active ?? null,
    sub: service?.sub ?? null,
    result: service?.result ?? null,
  };
}

const accessNotes: Record<string, string> = {
  partial:
    "the probe's user reads only its own journal (journalctl: \"not seeing messages from other users and the system\"): system units' lines are hidden; audit as root or add the user to the systemd-journal or adm group",
  none: "the probe's user may not read the journal (journalctl: insufficient permissions); audit as root or add the user to the systemd-journal or adm group",
  'no-journal': 'this host keeps no journal (journalctl: "No journal files were found")',
  unavailable: 'journalctl could not be run on this host',
  'not-collected': 'this output comes from a probe that does not read the journal',
};

function evidenceFor(host: HostReport, problem: Problem, journal: readonly JournalExcerpt[]): FindingEvidence {
  const access = host.journalAccess ?? 'not-collected';
  const excerpt = journal.find((e) => e.socket === problem.socket.unit);
  const base = { journalAccess: access, since: excerpt?.since ?? null, units: excerpt?.units ?? [], entries: excerpt?.entries ?? [] };
  const detail = host.journalAccessDetail === null || host.journalAccessDetail === undefined ? '' : ` (${host.journalAccessDetail})`;
  // sudo's own words say what stands in the way; the sudoers step below says how to lift it.
  if (access === 'sudo-required') return { ...base, note: `${sudoRequiredNote(host.journalAccessDetail)}${detail === '' ? '' : `: ${host.journalAccessDetail}`}` };
  const accessNote = accessNotes[access];
  if (accessNote !== undefined) return { ...base, note: `${accessNote}${access === 'unavailable' ? detail : ''}` };
  if (excerpt === undefined) return { ...base, note: 'no journal excerpt was collected for this socket' };
  if (excerpt.error !== null) return { ...base, note: `journalctl failed: ${excerpt.error}` };
  if (excerpt.entries.length === 0) return { ...base, note: 'the journal has no lines for these units in this window' };
  return { ...base, note: excerpt.truncated ? `cut to the newest lines by the probe's caps (${excerpt.skippedLines} line(s) dropped)` : null };
}

/** The findings of one audited host. Unknown hosts have none: they are counted apart. */
export function assessHost(host: HostReport, journal: readonly JournalExcerpt[] = []): Finding[] {
  if (host.status !== 'audited') return [];
  const services = new Map(host.services.map((service) => [service.unit, service]));
  const findings: Finding[] = [];
  for (const socket of host.sockets) {
    for (const problem of socketProblems(socket, services)) {
      const evidence = evidenceFor(host, problem, journal);
      const cause = diagnose({ kind: problem.kind, socket, services: problem.services, entries: evidence.entries });
      const since = evidence.since ?? (socket.stateChangedAt === null ? null : new Date(Date.parse(socket.stateChangedAt) - 5 * 60_000).toISOString());
      findings.push({
        host: host.name,
        unit: socket.unit,
        kind: problem.kind,
        severity: problem.severity,
        result: socket.result,
        listen: socket.listen,
        triggers: socket.triggers.map((unit) => summarizeTriggered(unit, services)),
        cause,
        evidence,
        nextSteps: [
          ...nextSteps({ cause: cause.id, socket, services: problem.services, since, systemdVersion: host.systemdVersion ?? 0 }),
          // Without the journal the cause stays a guess: making it readable is a step of its own.
          ...(host.journalAccess === 'sudo-required' ? [sudoersStep(host.user, host.journalAccessDetail)] : []),
        ],
      });
    }
  }
  return findings;
}

/** The aggregates of a report's hosts and findings, folded in list order. */
function tallyOf(hosts: readonly HostReport[], findings: readonly Finding[]): FleetTally {
  const tally = new FleetTally();
  hosts.forEach((host, index) => tally.addHost(index, host));
  findings.forEach((finding, position) => tally.addFinding(finding, position));
  return tally;
}

/**
 * The report with another list of findings (the policy adds its requirements' findings and
 * marks every finding): the counts and aggregates that derive from findings follow.
 */
export function withFindings(report: FleetReport, findings: Finding[]): FleetReport {
  const tally = tallyOf(report.hosts, findings);
  const summary = tally.summary();
  const notReported = report.hostsNotReported ?? 0;
  if (notReported > 0) {
    summary.hostsTotal += notReported;
    summary.hostsUnknown += notReported;
  }
  return { ...report, findings, causes: tally.causes(), byUnit: tally.byUnit(), summary };
}

export function assessFleet(outcomes: readonly HostOutcome[], meta: ReportMeta): FleetReport {
  const hosts = outcomes.map(toHostReport);
  const findings = outcomes.flatMap((outcome, i) => {
    const host = hosts[i];
    if (host === undefined) return [];
    return assessHost(host, outcome.status === 'audited' ? outcome.snapshot.journal : []);
  });
  const tally = tallyOf(hosts, findings);
  return { ...reportHead(meta), hosts, findings, causes: tally.causes(), byUnit: tally.byUnit(), summary: tally.summary() };
}

/** The fields a report opens with, in the order every report (and JSONL summary line) has them. */
export function reportHead(meta: ReportMeta): Pick<FleetReport, 'schemaVersion' | 'tool' | 'startedAt' | 'finishedAt' | 'durationMs'> {
  return {
    schemaVersion: 1,
    tool: { name: 'sockaudit', version: meta.toolVersion },
    startedAt: meta.startedAt.toISOString(),
    finishedAt: meta.finishedAt.toISOString(),
    durationMs: meta.finishedAt.getTime() - meta.startedAt.getTime(),
  };
}
