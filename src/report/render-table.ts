// The terminal report: problems grouped by unit with their cause and the first command to run
// next, then the hosts that could not be audited and why, then one summary line.
import Table from 'cli-table3';
import { fleetCapabilityGaps } from '../model/capability-gaps.js';
import type { FleetReport, HostReport } from '../model/types.js';
import { unknownReasonTitles } from './format-units.js';
import { hostEndpoint } from './fleet-view.js';
import { terminalSafe } from './text-safety.js';
import { gateNotes, gateParts, gateVerdict } from './gate-text.js';
import { sudoJournalNotes } from './journal-notes.js';
import { renderFindings } from './render-findings.js';

export interface TableOptions {
  color: boolean;
  /** Terminal width to fit long details into; 120 when unknown (CI logs, files). */
  width?: number;
}

const defaultWidth = 120;

const ansi = {
  bold: (s: string): string => `\u001b[1m${s}\u001b[22m`,
  red: (s: string): string => `\u001b[31m${s}\u001b[39m`,
  yellow: (s: string): string => `\u001b[33m${s}\u001b[39m`,
  green: (s: string): string => `\u001b[32m${s}\u001b[39m`,
  dim: (s: string): string => `\u001b[2m${s}\u001b[22m`,
};
type Paint = typeof ansi;
const plain: Paint = { bold: (s) => s, red: (s) => s, yellow: (s) => s, green: (s) => s, dim: (s) => s };


function longest(values: readonly string[]): number {
  return Math.max(0, ...values.map((value) => value.length));
}

function renderUnknown(hosts: readonly HostReport[], paint: Paint, width: number): string {
  const unknown = hosts.filter((h) => h.status === 'unknown');
  if (unknown.length === 0) return '';
  const rows = unknown.map((host) => {
    const reason = host.reason ?? 'parse-error';
    return {
      name: terminalSafe(host.name),
      address: terminalSafe(hostEndpoint(host)),
      reason,
      detail: terminalSafe(host.detail === undefined || host.detail === '' ? unknownReasonTitles[reason] : host.detail),
    };
  });
  // Details (an SSH error, a fingerprint) can be long: the Detail column takes what the
  // others leave of the width and wraps inside it. 13 = the borders and cell padding.
  const fixed = [['Host', ...rows.map((r) => r.name)], ['Address', ...rows.map((r) => r.address)], ['Reason', ...rows.map((r) => r.reason)]]
    .map((column) => longest(column) + 2)
    .reduce((sum, w) => sum + w, 0);
  const detailWidth = Math.max(30, Math.min(width - fixed - 5, longest(rows.map((r) => r.detail)) + 2));
  const table = new Table({
    head: ['Host', 'Address', 'Reason', 'Detail'].map((h) => paint.bold(h)),
    style: { head: [], border: [] },
    colWidths: [null, null, null, detailWidth],
    wordWrap: true,
    wrapOnWordBoundary: true,
  });
  for (const row of rows) table.push([row.name, row.address, paint.yellow(row.reason), row.detail]);
  const title = paint.bold(`Hosts not audited: ${unknown.length} (unknown is not healthy)`);
  return `${title}\n${table.toString()}\n`;
}

/** What older systemd versions could not tell, so that a missing finding is not read as "fine". */
function renderGaps(hosts: readonly HostReport[], paint: Paint): string {
  const gaps = fleetCapabilityGaps(hosts);
  if (gaps.length === 0) return '';
  const lines = gaps.map(({ gap, hosts: names }) => {
    const shown = names.slice(0, 5).map(terminalSafe).join(', ');
    return `  ${gap}: ${shown}${names.length > 5 ? ` and ${names.length - 5} more` : ''}`;
  });
  return `${paint.dim('Not available from these hosts\' systemd:')}\n${lines.join('\n')}\n`;
}

/** Hosts whose journal sudo -n would not read: what sudo said, and the sudoers line that fixes it. */
function renderSudoNotes(hosts: readonly HostReport[], paint: Paint): string {
  const notes = sudoJournalNotes(hosts);
  if (notes.length === 0) return '';
  const count = notes.reduce((sum, n) => sum + n.hosts.length, 0);
  const lines = notes.flatMap(({ hosts: group, summary, detail, fix }) => {
    const names = group.slice(0, 5).map((h) => terminalSafe(h.name)).join(', ');
    const more = group.length > 5 ? ` and ${group.length - 5} more` : '';
    return [`  ${names}${more}: ${summary}${detail === '' ? '' : ` — ${terminalSafe(detail)}`}`, `    ${paint.dim('fix:')} ${terminalSafe(fix.command)}`];
  });
  const title = `Journal not read through sudo -n on ${count} audited host${count === 1 ? '' : 's'} (sockets audited; findings there have no journal lines):`;
  return `${paint.yellow(title)}\n${lines.join('\n')}\n`;
}

export function renderSummaryLine(report: FleetReport, paint: Paint = plain): string {
  const s = report.summary;
  const problems = report.findings.filter((f) => f.severity !== 'notice');
  const problemHosts = new Set(problems.map((f) => f.host)).size;
  const notices = s.findings - problems.length;
  const parts = [
    `${s.hostsTotal} host${s.hostsTotal === 1 ? '' : 's'}: ${s.hostsAudited} audited, ${s.hostsUnknown} unknown`,
    `${s.socketsAudited} sockets checked`,
    problems.length === 0
      ? paint.green('no problems')
      : paint.red(`${problems.length} problem${problems.length === 1 ? '' : 's'} on ${problemHosts} host${problemHosts === 1 ? '' : 's'}`),
    ...(notices > 0 ? [`${notices} notice${notices === 1 ? '' : 's'}`] : []),
    `${(report.durationMs / 1000).toFixed(1)} s`,
  ];
  return parts.join(' · ');
}

/** The policy's waivers and requirements worth a word: expiring, expired, stale, idle. */
function renderGateNotes(report: FleetReport, paint: Paint): string {
  if (report.gate === undefined) return '';
  const notes = gateNotes(report.gate);
  if (notes.length === 0) return '';
  const lines = notes.map((note) => `  ${note.level === 'warning' ? paint.yellow('!') : '-'} ${terminalSafe(note.text)}`);
  return `${paint.bold('Policy:')}\n${lines.join('\n')}\n`;
}

/** `Gate FAIL: 1 finding fails the gate · fails on warning and above · 38 waived · …` */
export function renderGateLine(report: FleetReport, paint: Paint = plain): string {
  const [head = '', ...rest] = gateParts(report).map(terminalSafe);
  if (head === '') return '';
  const verdict = gateVerdict(report);
  const painted = verdict === 'pass' ? paint.green(head) : verdict === 'fail' ? paint.red(head) : paint.yellow(head);
  return [paint.bold(painted), ...rest].join(' · ');
}

export function renderTable(report: FleetReport, options: TableOptions): string {
  const paint = options.color ? ansi : plain;
  const width = options.width ?? defaultWidth;
  const sections = [
    renderFindings(report, paint, width, terminalSafe),
    renderGaps(report.hosts, paint),
    renderSudoNotes(report.hosts, paint),
    renderUnknown(report.hosts, paint, width),
    renderGateNotes(report, paint),
  ].filter((s) => s !== '');
  if (report.summary.hostsAudited > 0 && !report.findings.some((f) => f.severity !== 'notice')) {
    sections.unshift(paint.green(`No problems on ${report.summary.hostsAudited} audited hosts.`) + '\n');
  }
  const gate = renderGateLine(report, paint);
  return `${sections.join('\n')}\n${gate === '' ? '' : `${gate}\n`}${renderSummaryLine(report, paint)}\n`;
}
