// `sockaudit diff` output: what changed between two saved runs, as a terminal table, JSON or
// Markdown (a pull-request comment, a CI step summary). Host strings are treated like in the
// reports: control characters shown, Markdown values in code spans.
import Table from 'cli-table3';
import { findingKinds } from '../model/finding-kinds.js';
import type { DiffFinding, HostChange, HostState, RunDiff } from '../model/run-diff.js';
import { mdCode, mdTable, mdText } from './markdown-text.js';
import { terminalSafe } from './text-safety.js';

export type DiffFormat = 'table' | 'json' | 'markdown';

const changeText: Record<HostChange['change'], string> = {
  'became-unknown': 'became unknown',
  'came-back': 'came back',
  'reason-changed': 'unknown for another reason',
  added: 'new in this run',
  removed: 'not in this run',
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function stateText(state: HostState | null): string {
  if (state === null) return '-';
  return state.status === 'audited' ? 'audited' : `unknown (${state.reason ?? '?'})`;
}

function causeText(finding: DiffFinding): string {
  const before = finding.before === undefined ? '' : ` (was ${finding.before.causeTitle}, ${finding.before.severity})`;
  return `${finding.causeTitle}${before}`;
}

/** `2 new findings, 1 host became unknown` — or `nothing new`. */
export function diffHeadline(diff: RunDiff): string {
  const s = diff.summary;
  const news = [s.newFindings > 0 ? plural(s.newFindings, 'new finding') : '', s.becameUnknown > 0 ? `${plural(s.becameUnknown, 'host')} became unknown` : ''].filter((p) => p !== '');
  return news.length === 0 ? 'nothing new' : news.join(', ');
}

function summaryLine(diff: RunDiff): string {
  const s = diff.summary;
  return [
    `${s.newFindings} new, ${s.resolved} resolved, ${s.persisting} persisting, ${s.unverified} not verified`,
    `hosts: ${s.becameUnknown} became unknown, ${s.cameBack} came back, ${s.reasonChanged} unknown for another reason, ${s.added} added, ${s.removed} removed`,
  ].join(' · ');
}

function findingTable(title: string, findings: readonly DiffFinding[]): string {
  if (findings.length === 0) return '';
  const table = new Table({ head: ['Host', 'Unit', 'Problem', 'Severity', 'Cause'], style: { head: [], border: [] }, wordWrap: true, wrapOnWordBoundary: true });
  for (const f of findings) table.push([terminalSafe(f.host), terminalSafe(f.unit), findingKinds[f.kind].title, f.severity, terminalSafe(causeText(f))]);
  return `${title}: ${findings.length}\n${table.toString()}\n`;
}

function hostTable(changes: readonly HostChange[]): string {
  if (changes.length === 0) return '';
  const table = new Table({ head: ['Host', 'Change', 'Before', 'Now', 'Detail'], style: { head: [], border: [] }, colWidths: [null, null, null, null, 60], wordWrap: true, wrapOnWordBoundary: true });
  for (const c of changes) table.push([terminalSafe(c.host), changeText[c.change], stateText(c.before), stateText(c.after), terminalSafe(c.after?.detail ?? '')]);
  return `Hosts: ${changes.length}\n${table.toString()}\n`;
}

function renderDiffTable(diff: RunDiff): string {
  const head = `sockaudit diff: ${terminalSafe(diff.old.file)} (${terminalSafe(diff.old.startedAt)}) → ${terminalSafe(diff.new.file)} (${terminalSafe(diff.new.startedAt)}): ${diffHeadline(diff)}\n`;
  const sections = [
    findingTable('New findings', diff.findings.new),
    hostTable(diff.hosts),
    findingTable('Resolved', diff.findings.resolved),
    findingTable('Not verified (their host was not audited in the new run)', diff.findings.unverified),
    findingTable('Persisting', diff.findings.persisting),
  ].filter((s) => s !== '');
  return `${[head, ...sections].join('\n')}\n${summaryLine(diff)}\n`;
}

function mdFindings(title: string, findings: readonly DiffFinding[], max: number): string {
  if (findings.length === 0) return '';
  const rows = findings.slice(0, max).map((f) => [mdCode(f.host), mdCode(f.unit), findingKinds[f.kind].title, f.severity, mdText(causeText(f))]);
  const more = findings.length > max ? `\n\n_…and ${findings.length - max} more: \`sockaudit diff OLD NEW -f json\`._` : '';
  return `### ${title} (${findings.length})\n\n${mdTable(['Host', 'Unit', 'Problem', 'Severity', 'Cause'], ['l', 'l', 'l', 'l', 'l'], rows)}${more}`;
}

function renderDiffMarkdown(diff: RunDiff, max = 50): string {
  const news = diff.summary.newFindings + diff.summary.becameUnknown > 0;
  const hostRows = diff.hosts.slice(0, max).map((c) => [mdCode(c.host), changeText[c.change], stateText(c.before), stateText(c.after), mdCode(c.after?.detail ?? '', 100)]);
  const hosts = diff.hosts.length === 0 ? '' : `### Hosts (${diff.hosts.length})\n\n${mdTable(['Host', 'Change', 'Before', 'Now', 'Detail'], ['l', 'l', 'l', 'l', 'l'], hostRows)}`;
  const sections = [
    `## sockaudit diff: ${news ? '❌' : '✅'} ${diffHeadline(diff)}`,
    `${mdCode(diff.old.file)} (${mdText(diff.old.startedAt)}) → ${mdCode(diff.new.file)} (${mdText(diff.new.startedAt)}) · ${mdText(summaryLine(diff))}`,
    mdFindings('New findings', diff.findings.new, max),
    hosts,
    mdFindings('Resolved', diff.findings.resolved, max),
    mdFindings('Not verified: host not audited in the new run', diff.findings.unverified, max),
    mdFindings('Persisting', diff.findings.persisting, max),
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

export function renderDiff(diff: RunDiff, format: DiffFormat): string {
  switch (format) {
    case 'table':
      return renderDiffTable(diff);
    case 'json':
      return `${JSON.stringify(diff, null, 2)}\n`;
    case 'markdown':
      return renderDiffMarkdown(diff);
  }
}
