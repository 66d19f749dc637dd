// The exit-code contract, in one pure function (README "Exit codes"):
//   0  audit complete, nothing at or above the gate's threshold
//   1  the gate failed: findings at or above the threshold
//   2  usage, inventory or internal error (decided by the CLI before a report exists)
//   3  audit incomplete: more hosts unknown than tolerated, and no findings
import { severityAtLeast } from './finding-kinds.js';
import type { FleetReport, Severity } from './types.js';

export const ExitCode = { clean: 0, findings: 1, usage: 2, incomplete: 3 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** How many unknown hosts the gate tolerates: a count, or a share of the selected hosts. */
export type UnknownTolerance = { count: number } | { percent: number };

export interface GatePolicy {
  /** Findings below this severity do not fail the gate. */
  failOn: Severity;
  maxUnknown: UnknownTolerance;
}

export const defaultGatePolicy: GatePolicy = { failOn: 'warning', maxUnknown: { count: 0 } };

export function unknownWithinTolerance(unknown: number, total: number, tolerance: UnknownTolerance): boolean {
  if ('count' in tolerance) return unknown <= tolerance.count;
  return total === 0 ? unknown === 0 : (unknown / total) * 100 <= tolerance.percent;
}

export function getExitCode(report: Pick<FleetReport, 'findings' | 'summary'>, policy: GatePolicy = defaultGatePolicy): ExitCodeValue {
  // Findings win over incompleteness: a CI job must see "failed" even if some hosts were
  // unreachable; the unknown hosts are still listed in every report.
  if (report.findings.some((finding) => severityAtLeast(finding.severity, policy.failOn))) return ExitCode.findings;
  const { hostsUnknown, hostsTotal } = report.summary;
  if (!unknownWithinTolerance(hostsUnknown, hostsTotal, policy.maxUnknown)) return ExitCode.incomplete;
  return ExitCode.clean;
}
