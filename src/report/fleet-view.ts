// The fleet seen from three sides, shared by every human format: per unit (failed on N of M
// hosts, by cause, by systemd version), per host, and the unknown hosts grouped by reason.
// Computed from the report's hosts and findings only, so a saved JSON renders the same.
import { severityAtLeast } from '../model/finding-kinds.js';
import type { Finding, FleetReport, HostReport, Severity, SocketState, UnknownReason } from '../model/types.js';
import { causeKey, explainFinding, type FindingExplanation } from './finding-explanation.js';
import { unknownReasonTitles } from './format-units.js';

/** One host × socket problem: the finding with its host and socket state at hand. */
export interface ProblemView {
  host: HostReport;
  finding: Finding;
  /** The socket's full state from the host's snapshot; undefined if the report lacks it. */
  socket: SocketState | undefined;
  explanation: FindingExplanation;
}

export interface CountedLabel {
  id: string;
  label: string;
  count: number;
}

export interface VersionShare {
  /** Major systemd version, or null for hosts whose version is not in the report. */
  version: number | null;
  failed: number;
  /** Audited hosts of that version that have the unit at all. */
  present: number;
}

export interface UnitView {
  unit: string;
  severity: Severity;
  /** Hosts where the unit has a problem, in inventory order. */
  hosts: string[];
  /** Audited hosts that have this unit (failed or not). */
  hostsWithUnit: number;
  byCause: CountedLabel[];
  bySystemdVersion: VersionShare[];
  problems: ProblemView[];
}

export interface HostView {
  host: HostReport;
  /** `address` or `address:port` when the port is not 22. */
  endpoint: string;
  problems: ProblemView[];
  worstSeverity: Severity | null;
}

export interface UnknownGroup {
  reason: UnknownReason;
  title: string;
  hosts: HostReport[];
}

export interface FleetView {
  report: FleetReport;
  /** Every finding with its context, most severe first. */
  problems: ProblemView[];
  bySeverity: Record<Severity, number>;
  units: UnitView[];
  hosts: HostView[];
  unknown: UnknownGroup[];
  hostsAudited: number;
  hostsWithProblems: number;
}

/** critical 0, warning 1, notice 2: sorts the worst first. */
export const severityRank: Record<Severity, number> = { critical: 0, warning: 1, notice: 2 };

/** `10.0.2.5`, `10.0.2.5:2222`, or `db-1.internal via bastion-1` for a host behind jump hosts. */
export function hostEndpoint(host: Pick<HostReport, 'address' | 'port' | 'via'>): string {
  const endpoint = host.port === 22 ? host.address : `${host.address}:${host.port}`;
  return host.via === undefined || host.via.length === 0 ? endpoint : `${endpoint} via ${host.via.map((hop) => hop.label).join(' → ')}`;
}

/** `5 critical, 3 warning, 1 notice` (zero counts left out). */
export function severityCounts(bySeverity: Record<Severity, number>): string {
  return (['critical', 'warning', 'notice'] as const)
    .filter((s) => bySeverity[s] > 0)
    .map((s) => `${bySeverity[s]} ${s}`)
    .join(', ');
}

export function worstSeverity(severities: readonly Severity[]): Severity | null {
  return severities.reduce<Severity | null>((worst, s) => (worst === null || severityAtLeast(s, worst) ? s : worst), null);
}

function countBy<T>(items: readonly T[], key: (item: T) => { id: string; label: string }): CountedLabel[] {
  const counts = new Map<string, CountedLabel>();
  for (const item of items) {
    const { id, label } = key(item);
    const entry = counts.get(id) ?? { id, label, count: 0 };
    entry.count += 1;
    counts.set(id, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
}

function versionShares(unit: string, failedHosts: ReadonlySet<string>, audited: readonly HostReport[]): VersionShare[] {
  const shares = new Map<number | null, VersionShare>();
  for (const host of audited) {
    if (!host.sockets.some((s) => s.unit === unit) && !failedHosts.has(host.name)) continue;
    const version = host.systemdVersion ?? null;
    const share = shares.get(version) ?? { version, failed: 0, present: 0 };
    share.present += 1;
    if (failedHosts.has(host.name)) share.failed += 1;
    shares.set(version, share);
  }
  return [...shares.values()].sort((a, b) => (a.version ?? -1) - (b.version ?? -1));
}

function unitViews(problems: readonly ProblemView[], audited: readonly HostReport[]): UnitView[] {
  const byUnit = new Map<string, ProblemView[]>();
  for (const problem of problems) byUnit.set(problem.finding.unit, [...(byUnit.get(problem.finding.unit) ?? []), problem]);
  const views = [...byUnit.entries()].map(([unit, list]): UnitView => {
    const hosts = [...new Set(list.map((p) => p.host.name))];
    const failedHosts = new Set(hosts);
    return {
      unit,
      severity: worstSeverity(list.map((p) => p.finding.severity)) ?? 'notice',
      hosts,
      hostsWithUnit: audited.filter((h) => failedHosts.has(h.name) || h.sockets.some((s) => s.unit === unit)).length,
      byCause: countBy(list, (p) => causeKey(p.explanation)),
      bySystemdVersion: versionShares(unit, failedHosts, audited),
      problems: list,
    };
  });
  // Most severe first, then the widest blast radius: the unit failing on most hosts.
  return views.sort((a, b) => severityRank[a.severity] - severityRank[b.severity] || b.hosts.length - a.hosts.length || a.unit.localeCompare(b.unit));
}

export function buildFleetView(report: FleetReport): FleetView {
  const hostsByName = new Map(report.hosts.map((h) => [h.name, h]));
  const problems: ProblemView[] = [];
  for (const finding of report.findings) {
    const host = hostsByName.get(finding.host);
    if (host === undefined) continue; // validated away for saved reports; defensive for callers
    problems.push({ host, finding, socket: host.sockets.find((s) => s.unit === finding.unit), explanation: explainFinding(finding, report, host) });
  }
  const audited = report.hosts.filter((h) => h.status === 'audited');
  const hosts = report.hosts.map((host): HostView => {
    const own = problems.filter((p) => p.host === host);
    return { host, endpoint: hostEndpoint(host), problems: own, worstSeverity: worstSeverity(own.map((p) => p.finding.severity)) };
  });
  const unknown = new Map<UnknownReason, HostReport[]>();
  for (const host of report.hosts) {
    if (host.status !== 'unknown') continue;
    const reason = host.reason ?? 'parse-error';
    unknown.set(reason, [...(unknown.get(reason) ?? []), host]);
  }
  const units = unitViews(problems, audited);
  const count = (severity: Severity): number => problems.filter((p) => p.finding.severity === severity).length;
  return {
    report,
    // Most severe first, then in the order of the per-unit view, then inventory order.
    problems: units.flatMap((u) => u.problems).sort((a, b) => severityRank[a.finding.severity] - severityRank[b.finding.severity]),
    units,
    bySeverity: { critical: count('critical'), warning: count('warning'), notice: count('notice') },
    hosts,
    unknown: [...unknown.entries()]
      .map(([reason, list]) => ({ reason, title: unknownReasonTitles[reason], hosts: list }))
      .sort((a, b) => b.hosts.length - a.hosts.length || a.reason.localeCompare(b.reason)),
    hostsAudited: audited.length,
    hostsWithProblems: hosts.filter((h) => h.problems.length > 0).length,
  };
}
