// The gate step between the assessment and the renderers: a policy's requirements add
// findings, its waivers and a baseline mark findings, and the report gets a `gate` summary
// (thresholds, waivers with their state, requirements, baseline). getExitCode then reads
// those marks, and every renderer — and `sockaudit report` on a saved run — shows the same
// verdict. Pure: the day comes in, nothing is read or printed.
import { withFindings } from '../model/assess.js';
import type { Finding, FindingGate, FleetReport, GatePolicy, GateSummary, HostReport } from '../model/types.js';
import { findingKey, type Baseline } from './baseline.js';
import type { HostIdentity } from './patterns.js';
import type { Policy } from './policy-types.js';
import { requirementFindings, requirementStatuses } from './required-sockets.js';
import { waiverFor, waiverStatuses } from './waivers.js';

export interface GateInput {
  thresholds: GatePolicy;
  /**
   * The policy to apply. It replaces whatever policy a saved report was gated with (its
   * requirements' findings and waiver marks); null keeps the report's own (none for a fresh run).
   */
  policy: Policy | null;
  /** Likewise: a baseline to compare with, or null to keep the report's baseline marks. */
  baseline: Baseline | null;
  /** The audit's day, YYYY-MM-DD (UTC): waivers expire against it. */
  today: string;
  warnBeforeDays: number;
}

const requiredKinds: ReadonlySet<string> = new Set(['required-socket-missing', 'required-socket-inactive', 'required-listen-missing']);

export function isRequirementFinding(finding: Finding): boolean {
  return requiredKinds.has(finding.kind);
}

function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = findingKey(finding);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * One host's findings through the gate: what the live JSONL stream writes per host, and what
 * applyGate does for every host, so both read the same.
 */
export function gateHostFindings(host: HostReport, findings: readonly Finding[], input: GateInput): Finding[] {
  const { policy, baseline } = input;
  let own = [...findings];
  if (policy !== null) {
    own = own.filter((finding) => !isRequirementFinding(finding));
    // Two requirements on one host and unit may fail the same way: one finding per kind.
    own.push(...dedupe(policy.required.flatMap((req) => requirementFindings(host, req))));
  }
  return own.map((finding) => {
    const kept = finding.gate;
    const waiver = policy === null ? (kept?.waiver ?? null) : waiverFor(policy.waivers, finding, host, input.today);
    const mark = baseline === null ? (kept?.baseline ?? null) : baseline.keys.has(findingKey(finding)) ? 'persisting' : 'new';
    const gate: FindingGate = { waived: waiver !== null && !waiver.expired, waiver, baseline: mark };
    return { ...finding, gate };
  });
}

export function applyGate(report: FleetReport, input: GateInput): FleetReport {
  const byHost = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const list = byHost.get(finding.host);
    if (list === undefined) byHost.set(finding.host, [finding]);
    else list.push(finding);
  }
  // Inventory order, each host's findings together, as the assessment orders them.
  const findings = report.hosts.flatMap((host) => gateHostFindings(host, byHost.get(host.name) ?? [], input));
  const gated = withFindings(report, findings);
  const hosts = new Map<string, HostIdentity>(report.hosts.map((host) => [host.name, host]));
  const hostOf = (name: string): HostIdentity => hosts.get(name) ?? { name, groups: [] };
  const kept = report.gate;
  const { policy, baseline } = input;
  const present = new Set(findings.map(findingKey));
  const gate: GateSummary = {
    thresholds: input.thresholds,
    policyFile: policy?.file ?? kept?.policyFile ?? null,
    today: policy === null && kept !== undefined ? kept.today : input.today,
    warnBeforeDays: policy === null && kept !== undefined ? kept.warnBeforeDays : input.warnBeforeDays,
    waivers: policy === null ? (kept?.waivers ?? []) : waiverStatuses(policy.waivers, findings, hostOf, input.today, input.warnBeforeDays),
    required: policy === null ? (kept?.required ?? []) : requirementStatuses(policy.required, report.hosts),
    baseline:
      baseline === null
        ? (kept?.baseline ?? null)
        : {
            file: baseline.file,
            startedAt: baseline.startedAt,
            findings: baseline.keys.size,
            notSeen: [...baseline.keys].filter((key) => !present.has(key)).length,
          },
  };
  return { ...gated, gate };
}
