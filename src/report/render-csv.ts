// CSV for spreadsheets and tickets: one row per host × socket problem (finding), plus one row
// per host that could not be audited, in inventory order. RFC 4180 (CRLF, quotes doubled) via
// csv-stringify; cells a spreadsheet would run as a formula are neutralised with a leading '.
import { stringify } from 'csv-stringify/sync';
import { findingFailsGate } from '../model/exit-code.js';
import type { FleetReport, GateSummary } from '../model/types.js';
import { buildFleetView, type ProblemView } from './fleet-view.js';
import { formatJournalEntry } from './finding-explanation.js';
import { formatListen, formatTriggered } from './format-units.js';
import { showControls } from './text-safety.js';

/** The column order is part of the interface (README "CSV columns"): only ever append. */
export const csvColumns = [
  'host',
  'address',
  'port',
  'groups',
  'status',
  'severity',
  'kind',
  'unit',
  'description',
  'load',
  'active',
  'sub',
  'result',
  'cause',
  'cause_title',
  'cause_detail',
  'listen',
  'triggers',
  'state_changed_at',
  'systemd_version',
  'journal_access',
  'evidence',
  'next_steps',
  'reason',
  'detail',
  'gate',
  'baseline',
  'waiver',
  'waiver_reason',
  'waiver_owner',
  'waiver_expires',
  'waiver_expired',
] as const;
export type CsvColumn = (typeof csvColumns)[number];
type Row = Partial<Record<CsvColumn, string | number>>;

/** Several values in one cell: `; ` reads well in a spreadsheet and survives `cut`/`grep`. */
function list(formatted: string): string {
  return formatted === '-' ? '' : formatted.split('\n').join('; ');
}

function problemRow(problem: ProblemView, gate: GateSummary | undefined): Row {
  const { host, finding, socket, explanation } = problem;
  const evidence = explanation.evidence.entries.map(formatJournalEntry);
  if (evidence.length === 0 && explanation.evidence.note !== null) evidence.push(`(${explanation.evidence.note})`);
  return {
    host: host.name,
    address: host.address,
    port: host.port,
    groups: host.groups.join(' '),
    status: 'problem',
    severity: finding.severity,
    kind: finding.kind,
    unit: finding.unit,
    description: socket?.description ?? '',
    load: socket?.load ?? '',
    active: socket?.active ?? '',
    sub: socket?.sub ?? '',
    result: finding.result ?? '',
    cause: explanation.cause.id,
    cause_title: explanation.cause.title,
    cause_detail: explanation.cause.detail,
    listen: list(formatListen(finding.listen)),
    triggers: list(formatTriggered(finding.triggers)),
    state_changed_at: socket?.stateChangedAt ?? '',
    systemd_version: host.systemdVersion ?? '',
    journal_access: explanation.evidence.journalAccess,
    // Multi-line cells (quoted): one journal line, or one command, per line.
    evidence: evidence.join('\n'),
    next_steps: explanation.nextSteps.map((step) => step.command).join('\n'),
    ...gateCells(finding, gate),
  };
}

/** How the gate took the finding: `fails`, `waived` or `passes` (below its threshold, or in the baseline). */
function gateCells(finding: ProblemView['finding'], gate: GateSummary | undefined): Row {
  if (gate === undefined || finding.gate === undefined) return {};
  const { waived, waiver, baseline } = finding.gate;
  return {
    gate: waived ? 'waived' : findingFailsGate(finding, gate.thresholds) ? 'fails' : 'passes',
    baseline: baseline ?? '',
    waiver: waiver?.where ?? '',
    waiver_reason: waiver?.reason ?? '',
    waiver_owner: waiver?.owner ?? '',
    waiver_expires: waiver?.expires ?? '',
    waiver_expired: waiver === null ? '' : waiver.expired ? 'yes' : 'no',
  };
}

export function renderCsv(report: FleetReport): string {
  const view = buildFleetView(report);
  const rows: Row[] = [];
  for (const { host, problems } of view.hosts) {
    if (host.status === 'unknown') {
      rows.push({ host: host.name, address: host.address, port: host.port, groups: host.groups.join(' '), status: 'unknown', reason: host.reason ?? 'parse-error', detail: host.detail ?? '' });
    } else {
      rows.push(...problems.map((problem) => problemRow(problem, report.gate)));
    }
  }
  const records = rows.map((row) => csvColumns.map((column) => {
    const value = row[column] ?? '';
    // Numbers stay numbers (a negative one is not a formula); text gets control characters shown.
    return typeof value === 'number' ? value : showControls(value);
  }));
  return stringify(records, {
    header: true,
    columns: [...csvColumns],
    record_delimiter: 'windows',
    // Setting record_delimiter turns off quoting of lone \n and \r unless asked for (RFC 4180
    // wants every field with a line break quoted).
    quote_record_delimiter: true,
    escape_formulas: true,
  });
}
