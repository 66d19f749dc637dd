// The findings part of the terminal table: per unit, every host with the problem, its cause and
// — on a line of its own under each row — the first command to run next. Notices (masked
// units, units nothing wants) are summed up in one line so that they do not bury the failures.
import Table from 'cli-table3';
import { findingKinds } from '../model/finding-kinds.js';
import { sudoRequiredNote } from '../model/journal-sudo.js';
import type { Finding, FleetReport } from '../model/types.js';
import { formatListen } from './format-units.js';
import { findingMarks } from './gate-text.js';
import { terminalSafe } from './text-safety.js';

export interface Paint {
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  dim(s: string): string;
}

export type SafeText = (text: string) => string;

/** `failed: resources`, `service missing`, … — the problem in a few words. */
function problemText(finding: Finding): string {
  switch (finding.kind) {
    case 'socket-failed':
      // Result= is the host's own word: it may carry anything.
      return `failed: ${terminalSafe(finding.result ?? '?')}`;
    case 'socket-not-loaded':
      return `not loaded: ${finding.cause.id === 'missing-socket-unit' ? 'not-found' : 'bad setting'}`;
    default:
      return findingKinds[finding.kind].title.replace(/^Socket unit |^Triggered /, '').toLowerCase();
  }
}

/** Where the evidence is, or why there is none (journal access is never silently "no lines"). */
function evidenceNote(finding: Finding, accessDetail: string | null): string {
  const { evidence } = finding;
  if (evidence.entries.length > 0) return `${evidence.entries.length} journal line(s) in -f json`;
  if (evidence.journalAccess === 'partial' || evidence.journalAccess === 'none') return `no journal evidence: journal access ${evidence.journalAccess}`;
  // The fix (a sudoers line) is in the "Journal not read" notes under the table.
  if (evidence.journalAccess === 'sudo-required') return sudoRequiredNote(accessDetail);
  return evidence.note === null ? '' : `no journal evidence: ${terminalSafe(evidence.note.split(' (')[0] ?? '')}`;
}

/** `waived by policy.yaml:12 (owner ops): known port clash, JIRA-12` — whose acceptance, and why. */
function waiverNote(finding: Finding, room: number, safe: SafeText): string {
  const waiver = finding.gate?.waiver;
  if (waiver === undefined || waiver === null) return '';
  const text = safe(`${waiver.expired ? 'was waived' : 'waived'} by ${waiver.where}${waiver.owner === null ? '' : ` (owner ${waiver.owner})`}: ${waiver.reason}`);
  return text.length > room ? `${text.slice(0, room - 1)}…` : text;
}

function causeCell(finding: Finding, width: number, paint: Paint, safe: SafeText, accessDetail: string | null): string {
  const detail = safe(finding.cause.detail);
  const room = Math.max(20, width * 4 - 6);
  const short = detail.length > room ? `${detail.slice(0, room - 1)}…` : detail;
  const note = evidenceNote(finding, accessDetail);
  const waiver = waiverNote(finding, Math.max(20, width * 2 - 2), safe);
  return [paint.bold(terminalSafe(finding.cause.title)), short, note === '' ? '' : paint.dim(note), waiver === '' ? '' : paint.dim(waiver)].filter((l) => l !== '').join('\n');
}

/** The gate's marks under the problem: waived, waiver expired, new, persisting. */
function marksText(finding: Finding, paint: Paint): string {
  return findingMarks(finding)
    .map((mark) => (mark.startsWith('waiver expired') ? paint.red(mark) : mark === 'new' ? paint.bold(mark) : paint.dim(mark)))
    .join('\n');
}

/** Wraps at spaces, and breaks words longer than `width` (paths and instance names have none). */
function wrapWords(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '';
    }
    line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return hardWrap(lines.join('\n'), width);
}

/** Breaks lines longer than `width` (paths, unit instance names have no spaces to wrap at). */
function hardWrap(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const out: string[] = [];
      for (let rest = line; rest.length > 0; rest = rest.slice(width)) out.push(rest.slice(0, width));
      return out.length === 0 ? [''] : out;
    })
    .join('\n');
}

function longest(values: readonly string[]): number {
  return Math.max(0, ...values.map((v) => v.length));
}

/** Severity, coloured. */
function severityText(finding: Finding, paint: Paint): string {
  return finding.severity === 'critical' ? paint.red(finding.severity) : finding.severity === 'warning' ? paint.yellow(finding.severity) : finding.severity;
}

export function renderFindings(report: FleetReport, paint: Paint, width: number, safe: SafeText): string {
  const shown = report.findings.filter((f) => f.severity !== 'notice');
  const notices = report.findings.filter((f) => f.severity === 'notice');
  const parts: string[] = [];
  if (shown.length > 0) {
    const audited = report.summary.hostsAudited;
    const accessDetails = new Map(report.hosts.map((h) => [h.name, h.journalAccessDetail ?? null]));
    const units = report.byUnit.map((a) => a.unit).filter((u) => shown.some((f) => f.unit === u));
    // The unit column also holds each unit's listen addresses: wide enough for both.
    const listens = units.flatMap((u) => formatListen(shown.find((f) => f.unit === u)?.listen ?? []).split('\n'));
    const unitWidth = Math.min(32, Math.max(12, longest([...units, ...listens].map(safe))) + 2);
    const hostWidth = Math.min(18, Math.max(6, longest(shown.map((f) => safe(f.host)))) + 2);
    const problemWidth = Math.min(33, Math.max(9, longest([...shown.map(problemText), ...shown.flatMap(findingMarks)])) + 2);
    // 7 = the borders between and around the four columns.
    const causeWidth = Math.max(24, width - unitWidth - hostWidth - problemWidth - 7);
    const table = new Table({
      head: ['Unit', 'Host', 'Problem', 'Cause'].map((h) => paint.bold(h)),
      style: { head: [], border: [] },
      colWidths: [unitWidth, hostWidth, problemWidth, causeWidth],
      wordWrap: true,
      wrapOnWordBoundary: true,
    });
    for (const unit of units) {
      const findings = shown.filter((f) => f.unit === unit);
      const hosts = new Set(findings.map((f) => f.host)).size;
      findings.forEach((finding, index) => {
        const row: Table.Cell[] = [
          safe(finding.host),
          [severityText(finding, paint), problemText(finding), marksText(finding, paint)].filter((l) => l !== '').join('\n'),
          causeCell(finding, causeWidth - 2, paint, safe, accessDetails.get(finding.host) ?? null),
        ];
        if (index === 0) {
          const listen = formatListen(findings[0]?.listen ?? []);
          const share = paint.dim(`${hosts} of ${audited} host${audited === 1 ? '' : 's'}`);
          const name = hardWrap(`${safe(unit)}\n${safe(listen)}`, unitWidth - 2).split('\n');
          const [first, ...rest] = name;
          row.unshift({ content: [paint.red(first ?? ''), ...rest, share].join('\n'), rowSpan: findings.length * 2 });
        }
        table.push(row);
        const step = finding.nextSteps[0];
        const next = step === undefined ? 'no next step' : wrapWords(`next: ${safe(step.command)}`, hostWidth + problemWidth + causeWidth - 2);
        table.push([{ content: next.replace(/^next:/, paint.dim('next:')), colSpan: 3 }]);
      });
    }
    const hosts = new Set(shown.map((f) => f.host)).size;
    const { critical, warning } = report.summary.findingsBySeverity;
    const counts = [critical > 0 ? `${critical} critical` : '', warning > 0 ? `${warning} warning` : ''].filter((c) => c !== '').join(', ');
    parts.push(`${paint.bold(`Problems: ${shown.length} on ${hosts} host${hosts === 1 ? '' : 's'}`)} (${counts})\n${table.toString()}\n`);
  }
  if (notices.length > 0) parts.push(renderNotices(notices, paint, safe));
  return parts.join('\n');
}

/** `Notices (do not fail the default gate): syslog.socket service missing on 3 hosts; …` */
function renderNotices(notices: readonly Finding[], paint: Paint, safe: SafeText): string {
  const groups = new Map<string, Set<string>>();
  for (const f of notices) {
    const key = `${safe(f.unit)} ${problemText(f)}`;
    const hosts = groups.get(key) ?? new Set<string>();
    hosts.add(f.host);
    groups.set(key, hosts);
  }
  const items = [...groups].map(([key, hosts]) => `${key} on ${hosts.size === 1 ? safe([...hosts][0] ?? '') : `${hosts.size} hosts`}`);
  return `${paint.dim(`Notices: ${notices.length} (masked or unused units; details with -f json):`)} ${items.join('; ')}\n`;
}
