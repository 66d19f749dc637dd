// A compact Markdown summary for a CI step summary ($GITHUB_STEP_SUMMARY) or a pull-request
// comment: the verdict, the per-unit pivot, hosts with problems, the problems, the unknown
// hosts by reason. Bounded: each table shows at most `maxRows` rows, then "…and N more".
import { findingFailsGate } from '../model/exit-code.js';
import type { Finding, FleetReport, Severity, WaiverStatus } from '../model/types.js';
import { buildFleetView, severityCounts, type FleetView } from './fleet-view.js';
import { formatListen } from './format-units.js';
import { gateParts, gateVerdict, waiverScope } from './gate-text.js';
import { sudoJournalNotes } from './journal-notes.js';
import { mdCode, mdCodeList, mdTable, mdText } from './markdown-text.js';

export interface MarkdownOptions {
  /** Rows per table before "…and N more" (default 20). */
  maxRows?: number;
}

const severityMark: Record<Severity, string> = { critical: '🔴 critical', warning: '🟠 warning', notice: '🔵 notice' };

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function bounded(rows: readonly (readonly string[])[], max: number): { rows: (readonly string[])[]; more: string } {
  const more = rows.length > max ? `\n\n_…and ${rows.length - max} more: see the full report (\`sockaudit report RUN.json --format html\`)._` : '';
  return { rows: rows.slice(0, max), more };
}

function verdict(view: FleetView): string {
  const unknown = view.report.summary.hostsUnknown;
  const notAudited = unknown === 0 ? '' : ` · ⚠️ ${plural(unknown, 'host')} not audited`;
  if (view.problems.length > 0) {
    const mark = view.bySeverity.critical + view.bySeverity.warning > 0 ? '❌' : 'ℹ️';
    return `${mark} ${plural(view.problems.length, 'socket problem')} (${severityCounts(view.bySeverity)}) on ${view.hostsWithProblems} of ${plural(view.hostsAudited, 'audited host')}${notAudited}`;
  }
  if (unknown > 0) return `⚠️ No socket problems on ${plural(view.hostsAudited, 'audited host')}, but ${plural(unknown, 'host')} could not be audited`;
  return `✅ No socket problems on ${plural(view.hostsAudited, 'audited host')}`;
}

function totals(view: FleetView): string {
  const s = view.report.summary;
  return mdTable(
    ['Hosts', 'Audited', 'Not audited', 'Sockets checked', 'Socket problems', 'Hosts with problems'],
    ['r', 'r', 'r', 'r', 'r', 'r'],
    [[s.hostsTotal, s.hostsAudited, s.hostsUnknown, s.socketsAudited, view.problems.length, view.hostsWithProblems].map(String)],
  );
}

function units(view: FleetView, max: number): string {
  if (view.units.length === 0) return '';
  const { rows, more } = bounded(
    view.units.map((u) => [
      mdCode(u.unit),
      `${u.hosts.length} of ${view.hostsAudited}`,
      u.byCause.map((c) => `${mdText(c.label)} ×${c.count}`).join(', '),
      u.bySystemdVersion.map((v) => `${v.version ?? '?'}: ${v.failed}/${v.present}`).join(' · '),
      mdCodeList(u.hosts),
    ]),
    max,
  );
  return `### Problems by unit\n\n${mdTable(['Unit', 'Problem on', 'By cause', 'By systemd version (problem/has unit)', 'Hosts'], ['l', 'r', 'l', 'l', 'l'], rows)}${more}`;
}

function hosts(view: FleetView, max: number): string {
  const withProblems = view.hosts.filter((h) => h.problems.length > 0);
  if (withProblems.length === 0) return '';
  const { rows, more } = bounded(
    withProblems.map((h) => [mdCode(h.host.name), String(h.host.systemdVersion ?? '?'), String(h.problems.length), mdCodeList([...new Set(h.problems.map((p) => p.finding.unit))])]),
    max,
  );
  return `### Hosts with problems\n\n${mdTable(['Host', 'systemd', 'Problems', 'Units'], ['l', 'r', 'r', 'l'], rows)}${more}`;
}

const verdictMark = { pass: '✅', fail: '❌', incomplete: '⚠️' } as const;

/** `**Gate** ❌ FAIL: 2 findings fail the gate · 38 waived · …` */
function gateLine(report: FleetReport): string {
  const verdict = gateVerdict(report);
  const [head, ...rest] = gateParts(report);
  if (verdict === null || head === undefined) return '';
  return `**${verdictMark[verdict]} ${mdText(head)}** · ${rest.map((part) => mdText(part)).join(' · ')}`;
}

/** The gate's word on one finding: fails, waived (until when), passes; new or persisting. */
function gateCell(finding: Finding, report: FleetReport): string {
  const gate = report.gate;
  const marks = finding.gate;
  if (gate === undefined || marks === undefined) return '';
  const state = marks.waived ? `✅ waived until ${marks.waiver?.expires ?? '?'}` : findingFailsGate(finding, gate.thresholds) ? '❌ fails' : 'passes';
  const expired = marks.waiver?.expired === true ? ` (waiver expired on ${marks.waiver.expires})` : '';
  return `${state}${expired}${marks.baseline === null ? '' : ` · ${marks.baseline}`}`;
}

function waivers(report: FleetReport, max: number): string {
  const list = report.gate?.waivers ?? [];
  if (list.length === 0) return '';
  const state = (w: WaiverStatus): string =>
    w.state === 'expired' ? `❌ expired on ${w.expires}` : w.matched === 0 ? `stale (until ${w.expires})` : w.state === 'expiring' ? `⚠️ expires in ${w.daysLeft} d` : `until ${w.expires}`;
  const { rows, more } = bounded(
    list.map((w) => [mdCode(w.where), mdCode(waiverScope(w)), state(w), String(w.matched), w.owner === null ? '' : mdCode(w.owner), mdCode(w.reason, 160)]),
    max,
  );
  return `### Waivers\n\n${mdTable(['Waiver', 'Waives', 'State', 'Findings', 'Owner', 'Reason'], ['l', 'l', 'l', 'r', 'l', 'l'], rows)}${more}`;
}

function problems(view: FleetView, max: number): string {
  if (view.problems.length === 0) return '';
  const gated = view.report.gate !== undefined;
  const { rows, more } = bounded(
    view.problems.map((p) => [
      ...(gated ? [gateCell(p.finding, view.report)] : []),
      severityMark[p.finding.severity],
      mdCode(p.host.name),
      mdCode(p.finding.unit),
      `${mdText(p.explanation.cause.title)}${p.finding.result === null || p.finding.result === 'success' ? '' : ` (${mdCode(`Result=${p.finding.result}`)})`}`,
      mdCode(formatListen(p.finding.listen).split('\n').join(', ')),
      p.explanation.nextSteps[0] === undefined ? '' : mdCode(p.explanation.nextSteps[0].command, 160),
    ]),
    max,
  );
  const head = [...(gated ? ['Gate'] : []), 'Severity', 'Host', 'Unit', 'Cause', 'Listen', 'First next step'];
  return `### Socket problems\n\n${mdTable(head, head.map(() => 'l'), rows)}${more}`;
}

function unknown(view: FleetView, max: number): string {
  if (view.unknown.length === 0) return '';
  const { rows, more } = bounded(
    view.unknown.map((g) => [`${mdCode(g.reason)} ${g.title}`, String(g.hosts.length), mdCodeList(g.hosts.map((h) => h.name)), mdCode(g.hosts[0]?.detail ?? '', 100)]),
    max,
  );
  return `### Hosts not audited — unknown is not healthy\n\n${mdTable(['Reason', 'Hosts', 'Which', 'Detail (first host)'], ['l', 'r', 'l', 'l'], rows)}${more}`;
}

/** Hosts whose journal sudo -n would not read, with sudo's words and the fix. */
function sudoNotes(report: FleetReport, max: number): string {
  const notes = sudoJournalNotes(report.hosts);
  if (notes.length === 0) return '';
  const { rows, more } = bounded(
    notes.map((n) => [mdCodeList(n.hosts.map((h) => h.name)), `${mdText(n.note)}: ${mdCode(n.detail, 160)}`, mdCode(n.fix.command, 300)]),
    max,
  );
  return `### Journal not read through sudo -n — sockets audited, no journal evidence\n\n${mdTable(['Hosts', 'Why', 'Fix (on the host)'], ['l', 'l', 'l'], rows)}${more}`;
}

export function renderMarkdown(report: FleetReport, options: MarkdownOptions = {}): string {
  const max = options.maxRows ?? 20;
  const view = buildFleetView(report);
  // Run metadata comes from a file too: only the characters a version or timestamp needs.
  const token = (text: string): string => text.replace(/[^\w.:+-]/g, '');
  const footer = `<sub>sockaudit ${token(report.tool.version)} · started ${token(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s</sub>`;
  const sections = [`## sockaudit: ${verdict(view)}`, gateLine(report), totals(view), units(view, max), hosts(view, max), problems(view, max), sudoNotes(report, max), waivers(report, max), unknown(view, max), footer];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}
