// The exit-code contract, in one pure function (README "Exit codes"):
//   0  audit complete, nothing fails the gate
//   1  the gate failed: a finding at or above its threshold, not waived, not in the baseline
//   2  usage, inventory or internal error (decided by the CLI before a report exists)
//   3  audit incomplete: more hosts unknown than tolerated, and no finding fails the gate
// The marks it reads (waived, baseline) are put on the findings by src/policy/ beforehand, so
// this function stays pure and every renderer can show the same verdict.
import { severityAtLeast } from './finding-kinds.js';
import type { RunDiff } from './run-diff.js';
import type { Finding, FleetReport, GatePolicy, UnknownTolerance } from './types.js';

export type { GatePolicy, GateThreshold, UnknownTolerance } from './types.js';

export const ExitCode = { clean: 0, findings: 1, usage: 2, incomplete: 3 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const defaultGatePolicy: GatePolicy = { failOn: 'warning', maxUnknown: { count: 0 } };

export function unknownWithinTolerance(unknown: number, total: number, tolerance: UnknownTolerance): boolean {
  if ('count' in tolerance) return unknown <= tolerance.count;
  return total === 0 ? unknown === 0 : (unknown / total) * 100 <= tolerance.percent;
}

/**
 * Does this finding fail the gate? Not when an unexpired waiver accepts it, nor when it was
 * already in the baseline — unless its waiver has expired: an expiry is a decision to look at
 * the finding again, and a baseline must not quietly extend it. Otherwise its severity decides,
 * against the threshold of its cause, else of its kind, else `failOn`.
 */
export function findingFailsGate(finding: Finding, policy: GatePolicy): boolean {
  const gate = finding.gate;
  if (gate?.waived === true) return false;
  if (gate?.baseline === 'persisting' && gate.waiver?.expired !== true) return false;
  const threshold = policy.failOnCauses?.[finding.cause.id] ?? policy.failOnKinds?.[finding.kind] ?? policy.failOn;
  return threshold !== 'never' && severityAtLeast(finding.severity, threshold);
}

export function getExitCode(report: Pick<FleetReport, 'findings' | 'summary'>, policy: GatePolicy = defaultGatePolicy): ExitCodeValue {
  // Findings win over incompleteness: a CI job must see "failed" even if some hosts were
  // unreachable; the unknown hosts are still listed in every report.
  if (report.findings.some((finding) => findingFailsGate(finding, policy))) return ExitCode.findings;
  const { hostsUnknown, hostsTotal } = report.summary;
  if (!unknownWithinTolerance(hostsUnknown, hostsTotal, policy.maxUnknown)) return ExitCode.incomplete;
  return ExitCode.clean;
}

/**
 * `sockaudit diff OLD NEW`: 1 when anything is new — a finding the old run did not have, or a
 * host that could be audited before (or was not in it) and is unknown now; else 0.
 */
export function getDiffExitCode(diff: Pick<RunDiff, 'summary'>): ExitCodeValue {
  return diff.summary.newFindings > 0 || diff.summary.becameUnknown > 0 ? ExitCode.findings : ExitCode.clean;
}
