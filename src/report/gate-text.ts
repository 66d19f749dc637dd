// The gate in words, shared by every renderer and by the CLI's stderr notes: the verdict (from
// the one exit-code function), the counts behind it, each finding's marks (waived, waiver
// expired, new, persisting) and what to say about the policy's waivers and requirements.
import { ExitCode, findingFailsGate, getExitCode, unknownWithinTolerance } from '../model/exit-code.js';
import type { Finding, FleetReport, GateSummary, UnknownTolerance, WaiverStatus } from '../model/types.js';

export interface GateCounts {
  /** Findings that fail the gate. */
  failing: number;
  waived: number;
  /** Findings whose waiver has expired. */
  expiredWaiver: number;
  new: number;
  persisting: number;
}

export type GateVerdict = 'pass' | 'fail' | 'incomplete';

export function gateCounts(report: Pick<FleetReport, 'findings'>, gate: GateSummary): GateCounts {
  const { findings } = report;
  return {
    failing: findings.filter((f) => findingFailsGate(f, gate.thresholds)).length,
    waived: findings.filter((f) => f.gate?.waived === true).length,
    expiredWaiver: findings.filter((f) => f.gate?.waiver?.expired === true).length,
    new: findings.filter((f) => f.gate?.baseline === 'new').length,
    persisting: findings.filter((f) => f.gate?.baseline === 'persisting').length,
  };
}

/** The gate's verdict, by the same function that decides the exit code; null without a gate. */
export function gateVerdict(report: FleetReport): GateVerdict | null {
  if (report.gate === undefined) return null;
  const code = getExitCode(report, report.gate.thresholds);
  return code === ExitCode.findings ? 'fail' : code === ExitCode.incomplete ? 'incomplete' : 'pass';
}

export function toleranceText(tolerance: UnknownTolerance): string {
  return 'count' in tolerance ? String(tolerance.count) : `${tolerance.percent}%`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Short marks of one finding, for a table cell: `waived until 2026-12-31`, `new`, … */
export function findingMarks(finding: Finding): string[] {
  const gate = finding.gate;
  if (gate === undefined) return [];
  const marks: string[] = [];
  if (gate.waiver !== null) marks.push(gate.waiver.expired ? `waiver expired on ${gate.waiver.expires}` : `waived until ${gate.waiver.expires}`);
  if (gate.baseline !== null) marks.push(gate.baseline);
  return marks;
}

/** `shop-api.socket on @web [socket-failed]` — what a waiver is about, in a few words. */
export function waiverScope(waiver: Pick<WaiverStatus, 'units' | 'hosts' | 'kinds' | 'causes'>): string {
  const only = [...waiver.kinds, ...waiver.causes];
  return `${waiver.units.join(', ')} on ${waiver.hosts.join(', ')}${only.length === 0 ? '' : ` [${only.join(', ')}]`}`;
}

/** The parts of the gate summary, each a short phrase; the verdict first. */
export function gateParts(report: FleetReport): string[] {
  const gate = report.gate;
  const verdict = gateVerdict(report);
  if (gate === undefined || verdict === null) return [];
  const counts = gateCounts(report, gate);
  const t = gate.thresholds;
  const overrides = Object.keys(t.failOnKinds ?? {}).length + Object.keys(t.failOnCauses ?? {}).length;
  const rule = `fails on ${t.failOn} and above${overrides > 0 ? ` (${plural(overrides, 'override')})` : ''}`;
  const head =
    verdict === 'fail'
      ? `FAIL: ${plural(counts.failing, 'finding')} ${counts.failing === 1 ? 'fails' : 'fail'} the gate`
      : verdict === 'incomplete'
        ? `INCOMPLETE: ${plural(report.summary.hostsUnknown, 'host')} unknown, ${toleranceText(t.maxUnknown)} tolerated`
        : 'PASS';
  const parts = [`Gate ${head}`, rule];
  if (verdict !== 'incomplete' && report.summary.hostsUnknown > 0) {
    const within = unknownWithinTolerance(report.summary.hostsUnknown, report.summary.hostsTotal, t.maxUnknown);
    parts.push(`${report.summary.hostsUnknown} unknown (${toleranceText(t.maxUnknown)} tolerated${within ? '' : ', exceeded'})`);
  }
  if (gate.policyFile !== null) parts.push(`${counts.waived} waived`);
  if (counts.expiredWaiver > 0) parts.push(`${plural(counts.expiredWaiver, 'finding')} with an expired waiver`);
  const expiring = gate.waivers.filter((w) => w.state === 'expiring').length;
  if (expiring > 0) parts.push(`${plural(expiring, 'waiver')} expiring within ${gate.warnBeforeDays} days`);
  const stale = gate.waivers.filter((w) => w.matched === 0).length;
  if (stale > 0) parts.push(`${plural(stale, 'stale waiver')}`);
  const unmet = gate.required.reduce((n, r) => n + r.unmet, 0);
  if (gate.required.length > 0) parts.push(`${plural(gate.required.length, 'requirement')}: ${unmet} unmet`);
  if (gate.baseline !== null) parts.push(`baseline ${gate.baseline.file}: ${counts.new} new, ${counts.persisting} persisting, ${gate.baseline.notSeen} gone`);
  return parts;
}

export interface GateNote {
  level: 'warning' | 'notice';
  text: string;
}

/** What to tell about the policy: expiring and expired waivers, stale waivers, idle requirements. */
export function gateNotes(gate: GateSummary): GateNote[] {
  const notes: GateNote[] = [];
  for (const w of gate.waivers) {
    const who = `waiver ${w.where} (${waiverScope(w)}${w.owner === null ? '' : `, owner ${w.owner}`})`;
    if (w.state === 'expired') {
      notes.push(
        w.matched > 0
          ? { level: 'warning', text: `${who} expired on ${w.expires}: ${w.matched === 1 ? 'its finding is' : `its ${w.matched} findings are`} waived no more` }
          : { level: 'notice', text: `${who} expired on ${w.expires} and matches nothing: remove it` },
      );
    } else if (w.matched === 0) {
      notes.push({ level: 'notice', text: `${who} matched no finding of this run (stale): remove it, or check its patterns` });
    } else if (w.state === 'expiring') {
      notes.push({ level: 'warning', text: `${who} expires on ${w.expires}, in ${plural(w.daysLeft, 'day')}: fix ${w.matched === 1 ? 'its finding' : `its ${w.matched} findings`} or extend it` });
    }
  }
  for (const r of gate.required) {
    if (r.checked === 0) notes.push({ level: 'notice', text: `requirement ${r.where} (${r.unit} on ${r.hosts.join(', ')}) applied to no audited host` });
  }
  return notes;
}
