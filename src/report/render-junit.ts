// JUnit XML, so CI systems (GitLab, Jenkins, GitHub test reporters) list the audit like tests:
// a testsuite per host, a testcase per audited socket, a <failure> per socket with problems
// (kind and cause in the message; cause, evidence and next steps in the body), and an <error>
// for a host not audited.
import type { Finding, FleetReport, HostReport } from '../model/types.js';
import { buildFleetView, type HostView, type ProblemView } from './fleet-view.js';
import { formatJournalEntry } from './finding-explanation.js';
import { formatListen, formatTriggered, unknownReasonTitles } from './format-units.js';
import { xmlAttr, xmlText } from './xml-text.js';

/** `2026-11-28T10:00:00`: the Ant JUnit schema's timestamp has no zone and no fraction (UTC here). */
function junitTimestamp(iso: string): string {
  return iso.replace(/(\.\d+)?Z$/, '');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${xmlAttr(String(value))}"`)
    .join('');
}

function failureMessage(problems: readonly ProblemView[]): string {
  return problems.map((p) => `${p.explanation.kindTitle}: ${p.explanation.cause.title}`).join('; ');
}

function failureBody(problem: ProblemView): string {
  const { host, finding, socket, explanation } = problem;
  const { cause, evidence } = explanation;
  const lines = [
    `${explanation.kindTitle} (${finding.severity}, ${finding.kind})`,
    `Cause: ${cause.title} (${cause.id})`,
    `  ${cause.detail}`,
    ...(cause.explanation === null ? [] : [`  ${cause.explanation}`]),
    `Host: ${host.name} (${host.address}:${host.port})${host.systemdVersionText === undefined ? '' : `, ${host.systemdVersionText}`}`,
    `Unit: ${finding.unit}${socket?.description ? ` - ${socket.description}` : ''}`,
    `Result: ${finding.result ?? 'unknown'}`,
    `Listen: ${formatListen(finding.listen).split('\n').join(', ')}`,
    `Triggers: ${formatTriggered(finding.triggers).split('\n').join(', ')}`,
    `Evidence (journal access: ${evidence.journalAccess}):`,
    ...evidence.entries.map((e) => `  ${formatJournalEntry(e)}`),
    ...(evidence.note === null ? [] : [`  (${evidence.note})`]),
  ];
  if (explanation.nextSteps.length > 0) lines.push('Next steps:', ...explanation.nextSteps.map((step) => `  # ${step.label}\n  ${step.command}`));
  else lines.push(`What to do: ${explanation.hint}`);
  lines.push(...gateLines(finding));
  return lines.join('\n');
}

/** The waiver (reason, owner, expiry) and baseline mark of a finding, when a gate was applied. */
function gateLines(finding: Finding): string[] {
  const gate = finding.gate;
  if (gate === undefined) return [];
  const lines: string[] = [];
  const { waiver } = gate;
  if (waiver !== null) {
    const state = waiver.expired ? `EXPIRED on ${waiver.expires}: no longer waived` : `waived until ${waiver.expires}`;
    lines.push(`Waiver: ${state} (${waiver.where}${waiver.owner === null ? '' : `, owner ${waiver.owner}`}): ${waiver.reason}`);
  }
  if (gate.baseline !== null) lines.push(`Baseline: ${gate.baseline === 'new' ? 'new since the baseline run' : 'already in the baseline run'}`);
  return lines;
}

/** `waived until 2026-12-31 by policy.yaml:12: reason` — the <skipped> message of a waived socket. */
function skippedMessage(problems: readonly ProblemView[]): string {
  return problems
    .map(({ finding }) => {
      const waiver = finding.gate?.waiver;
      return waiver === null || waiver === undefined ? finding.kind : `${finding.kind} waived until ${waiver.expires} by ${waiver.where}: ${waiver.reason}`;
    })
    .join('; ');
}

interface Case {
  xml: string;
  failed: boolean;
  skipped: boolean;
}

function socketCases(view: HostView): Case[] {
  const { host } = view;
  const units = [...host.sockets.map((s) => s.unit)];
  // A finding about a unit the snapshot does not list still gets its own testcase.
  for (const problem of view.problems) if (!units.includes(problem.finding.unit)) units.push(problem.finding.unit);
  return units.map((unit) => {
    const problems = view.problems.filter((p) => p.finding.unit === unit);
    const head = `    <testcase${attrs({ classname: host.name, name: unit, time: '0' })}`;
    if (problems.length === 0) return { xml: `${head}/>`, failed: false, skipped: false };
    // A socket whose every finding is waived is known and accepted: skipped, not failed, so a
    // CI test view matches the gate. Its findings stay in the skipped element's text.
    if (problems.every((p) => p.finding.gate?.waived === true)) {
      const body = problems.map(failureBody).join('\n\n');
      return { xml: `${head}>\n      <skipped${attrs({ message: skippedMessage(problems) })}>${xmlText(body)}</skipped>\n    </testcase>`, failed: false, skipped: true };
    }
    // One <failure> per testcase (the strict JUnit schema allows no more); several findings
    // about one socket share it.
    const type = [...new Set(problems.map((p) => p.finding.kind))].join(' ');
    const body = problems.map(failureBody).join('\n\n');
    return { xml: `${head}>\n      <failure${attrs({ type, message: failureMessage(problems) })}>${xmlText(body)}</failure>\n    </testcase>`, failed: true, skipped: false };
  });
}

function unknownCase(host: HostReport): string {
  const reason = host.reason ?? 'parse-error';
  const message = `not audited: ${unknownReasonTitles[reason]}`;
  const body = `${message} (${reason})\n${host.detail ?? ''}\nUnknown is not healthy: this host's sockets were not checked.`;
  return `    <testcase${attrs({ classname: host.name, name: 'audit', time: seconds(host.durationMs) })}>\n      <error${attrs({ type: reason, message })}>${xmlText(body)}</error>\n    </testcase>`;
}

function properties(host: HostReport): string {
  const props: [string, string][] = [
    ['address', `${host.address}:${host.port}`],
    ['user', host.user],
    ['groups', host.groups.join(' ')],
    ...Object.entries(host.labels).map(([k, v]): [string, string] => [`label.${k}`, v]),
  ];
  if (host.systemdVersionText !== undefined) props.push(['systemd', host.systemdVersionText]);
  if (host.systemState !== undefined && host.systemState !== null) props.push(['system-state', host.systemState]);
  return `    <properties>\n${props.map(([name, value]) => `      <property${attrs({ name, value })}/>`).join('\n')}\n    </properties>`;
}

function suite(view: HostView, timestamp: string): { xml: string; tests: number; failures: number; errors: number; skipped: number } {
  const { host } = view;
  const unknown = host.status === 'unknown';
  const cases = unknown ? [{ xml: unknownCase(host), failed: false, skipped: false }] : socketCases(view);
  const failures = cases.filter((c) => c.failed).length;
  const skipped = cases.filter((c) => c.skipped).length;
  const errors = unknown ? 1 : 0;
  const head = `  <testsuite${attrs({ name: host.name, tests: cases.length, failures, errors, skipped, time: seconds(host.durationMs), timestamp, hostname: host.address })}>`;
  return { xml: [head, properties(host), ...cases.map((c) => c.xml), '  </testsuite>'].join('\n'), tests: cases.length, failures, errors, skipped };
}

export function renderJunit(report: FleetReport): string {
  const view = buildFleetView(report);
  const timestamp = junitTimestamp(report.startedAt);
  const suites = view.hosts.map((host) => suite(host, timestamp));
  const sum = (key: 'tests' | 'failures' | 'errors' | 'skipped'): number => suites.reduce((n, s) => n + s[key], 0);
  const head = `<testsuites${attrs({ name: 'sockaudit', tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), skipped: sum('skipped'), time: seconds(report.durationMs), timestamp })}>`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', head, ...suites.map((s) => s.xml), '</testsuites>', ''].join('\n');
}
