// A baseline is an earlier run's report: the gate then fails only on findings that are new
// relative to it. A finding is "the same" when host, unit and kind are: its cause or its
// journal lines may change from run to run without it being a new problem.
import type { Finding, FleetReport } from '../model/types.js';

export interface Baseline {
  /** The file as given on the command line. */
  file: string;
  startedAt: string;
  /** Keys of the baseline's findings (see findingKey). */
  keys: ReadonlySet<string>;
}

/** The identity of a finding across runs. */
export function findingKey(finding: Pick<Finding, 'host' | 'unit' | 'kind'>): string {
  return JSON.stringify([finding.host, finding.unit, finding.kind]);
}

export function baselineFrom(report: Pick<FleetReport, 'findings' | 'startedAt'>, file: string): Baseline {
  return { file, startedAt: report.startedAt, keys: new Set(report.findings.map(findingKey)) };
}
