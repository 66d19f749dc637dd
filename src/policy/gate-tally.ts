// The gate of a streamed run, folded one host at a time: what applyGate computes over a whole
// report (waivers' matches, requirements' checked/unmet hosts, baseline keys not seen, and the
// exit code's one question — does any finding fail the gate?), from each host's gated findings
// as the host finishes, so that no host has to be kept until the end (issue 7: 10,000 hosts in
// bounded memory). The summary's shape is applyGate's own; only the counts come from the fold.
import { findingFailsGate, getExitCode, type ExitCodeValue } from '../model/exit-code.js';
import type { Finding, FleetReport, FleetSummary, GateSummary, HostReport } from '../model/types.js';
import { applyGate, type GateInput } from './apply-gate.js';
import { findingKey } from './baseline.js';
import { requirementStatuses } from './required-sockets.js';
import { waiverStatuses } from './waivers.js';

export class GateTally {
  private readonly waiverMatches: number[];
  private readonly requirementChecked: number[];
  private readonly requirementUnmet: number[];
  /** Baseline keys seen in this run (a subset of the baseline: small). */
  private readonly baselineSeen = new Set<string>();
  /** One finding that fails the gate, if any: all the exit code needs of the findings. */
  private failing: Finding | undefined;

  constructor(private readonly input: GateInput) {
    this.waiverMatches = (input.policy?.waivers ?? []).map(() => 0);
    this.requirementChecked = (input.policy?.required ?? []).map(() => 0);
    this.requirementUnmet = (input.policy?.required ?? []).map(() => 0);
  }

  /** One host and its findings as gateHostFindings returned them. */
  add(host: HostReport, findings: readonly Finding[]): void {
    const { policy, baseline } = this.input;
    if (policy !== null) {
      const waivers = waiverStatuses(policy.waivers, findings, () => host, this.input.today, this.input.warnBeforeDays);
      waivers.forEach((status, i) => (this.waiverMatches[i] = (this.waiverMatches[i] ?? 0) + status.matched));
      requirementStatuses(policy.required, [host]).forEach((status, i) => {
        this.requirementChecked[i] = (this.requirementChecked[i] ?? 0) + status.checked;
        this.requirementUnmet[i] = (this.requirementUnmet[i] ?? 0) + status.unmet;
      });
    }
    for (const finding of findings) {
      if (baseline !== null) {
        const key = findingKey(finding);
        if (baseline.keys.has(key)) this.baselineSeen.add(key);
      }
      if (this.failing === undefined && findingFailsGate(finding, this.input.thresholds)) this.failing = finding;
    }
  }

  /** The run's gate summary, as applyGate would give it for the whole report. */
  gate(report: Omit<FleetReport, 'hosts' | 'findings' | 'gate'>): GateSummary {
    // applyGate on the report without its hosts gives every field that does not count hosts
    // or findings (thresholds, policy file, day, waivers' states, requirements); the counts
    // are then the folded ones.
    const shape = applyGate({ ...report, hosts: [], findings: [] }, this.input).gate;
    if (shape === undefined) throw new Error('applyGate returned no gate summary');
    const { policy, baseline } = this.input;
    return {
      ...shape,
      waivers: policy === null ? shape.waivers : shape.waivers.map((status, i) => ({ ...status, matched: this.waiverMatches[i] ?? 0 })),
      required:
        policy === null ? shape.required : shape.required.map((status, i) => ({ ...status, checked: this.requirementChecked[i] ?? 0, unmet: this.requirementUnmet[i] ?? 0 })),
      baseline: baseline === null || shape.baseline === null ? shape.baseline : { ...shape.baseline, notSeen: baseline.keys.size - this.baselineSeen.size },
    };
  }

  /** getExitCode of the whole report: findings only matter through whether one fails the gate. */
  exitCode(summary: FleetSummary): ExitCodeValue {
    return getExitCode({ findings: this.failing === undefined ? [] : [this.failing], summary }, this.input.thresholds);
  }
}
