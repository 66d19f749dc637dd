// JSON Lines for log pipelines and very large fleets: one self-contained line per host as it
// finishes, then one summary line. The CLI writes host lines while the audit runs; this file
// only says what a line is, so a streamed file and a re-rendered one read the same.
import type { Finding, FleetReport, HostReport } from '../model/types.js';

/** One audited or unknown host with its findings. `index` is its place in the inventory. */
export interface JsonlHostLine {
  type: 'host';
  schemaVersion: 1;
  index: number;
  host: HostReport;
  findings: Finding[];
}

/** The last line: the whole run's metadata and aggregates (the report minus hosts/findings). */
export interface JsonlSummaryLine extends Omit<FleetReport, 'hosts' | 'findings'> {
  type: 'summary';
}

export function renderJsonlHostLine(index: number, host: HostReport, findings: readonly Finding[]): string {
  const line: JsonlHostLine = { type: 'host', schemaVersion: 1, index, host, findings: [...findings] };
  return `${JSON.stringify(line)}\n`;
}

export function renderJsonlSummaryLine(report: FleetReport): string {
  const { hosts: _hosts, findings: _findings, ...rest } = report;
  const line: JsonlSummaryLine = { type: 'summary', ...rest };
  return `${JSON.stringify(line)}\n`;
}

/** The whole report as JSONL, hosts in inventory order (a live stream has completion order). */
export function renderJsonl(report: FleetReport): string {
  const lines = report.hosts.map((host, index) =>
    renderJsonlHostLine(
      index,
      host,
      report.findings.filter((f) => f.host === host.name),
    ),
  );
  return [...lines, renderJsonlSummaryLine(report)].join('');
}
