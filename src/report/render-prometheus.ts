// Prometheus text exposition format 0.0.4, for node_exporter's textfile collector or a
// Pushgateway. Names follow the conventions (sockaudit_ prefix, base units, no timestamps on
// samples, which the textfile collector refuses). Label values are bounded sets (host, unit,
// state, reason, kind, severity, cause, result, the policy's waivers): free text such as
// descriptions, cause details, journal lines or commands never becomes a label, so one odd
// host cannot explode the series.
import { causeIds, findingKindIds, unknownReasons, type FleetReport, type Severity } from '../model/types.js';
import { getExitCode } from '../model/exit-code.js';
import { buildFleetView } from './fleet-view.js';
import { gateCounts } from './gate-text.js';
import { showControls } from './text-safety.js';

/** ActiveState values, as node_exporter's systemd collector exports them (a state set). */
export const socketStates = ['active', 'activating', 'deactivating', 'inactive', 'failed'] as const;

const severities: readonly Severity[] = ['critical', 'warning', 'notice'];

type Labels = Record<string, string>;

interface Sample {
  labels: Labels;
  value: number;
}

interface Family {
  name: string;
  help: string;
  type: 'gauge';
  samples: Sample[];
}

/** Label value escaping per the exposition format: backslash, double quote, line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(showControls(v))}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/**
 * A repeated series makes Prometheus reject the whole scrape, and a lying host can list a
 * unit twice: samples with the same labels are merged (summed counts, or the max of a 0/1).
 */
function family(name: string, help: string, samples: readonly Sample[], merge: 'sum' | 'max' = 'sum'): Family {
  const merged = new Map<string, Sample>();
  for (const sample of samples) {
    const key = labelText(sample.labels);
    const seen = merged.get(key);
    if (seen === undefined) merged.set(key, { ...sample });
    else seen.value = merge === 'sum' ? seen.value + sample.value : Math.max(seen.value, sample.value);
  }
  return { name: `sockaudit_${name}`, help, type: 'gauge', samples: [...merged.values()] };
}

/** The gate, when one was applied: its exit code, findings by how the gate took them, each waiver. */
function gateFamilies(report: FleetReport): Family[] {
  const gate = report.gate;
  if (gate === undefined) return [];
  const counts = gateCounts(report, gate);
  return [
    family('gate_exit_code', 'Exit code of the gate: 0 passed, 1 failed, 3 incomplete (too many unknown hosts).', [{ labels: {}, value: getExitCode(report, gate.thresholds) }]),
    family('gate_findings', 'Findings by how the gate took them: failing, waived, with an expired waiver, new and persisting against the baseline.', [
      { labels: { mark: 'failing' }, value: counts.failing },
      { labels: { mark: 'waived' }, value: counts.waived },
      { labels: { mark: 'waiver-expired' }, value: counts.expiredWaiver },
      { labels: { mark: 'new' }, value: counts.new },
      { labels: { mark: 'persisting' }, value: counts.persisting },
    ]),
    family(
      'waiver_days_left',
      'Days until each waiver of the policy expires (0 or less: expired), labelled by where it is written.',
      gate.waivers.map((w) => ({ labels: { waiver: w.where }, value: w.daysLeft })),
      'max',
    ),
    family(
      'waiver_findings',
      'Findings each waiver of the policy matches (0: a stale waiver).',
      gate.waivers.map((w) => ({ labels: { waiver: w.where }, value: w.matched })),
      'max',
    ),
  ];
}

export function renderPrometheus(report: FleetReport): string {
  const view = buildFleetView(report);
  const s = report.summary;
  const audited = view.hosts.filter((h) => h.host.status === 'audited');
  const families: Family[] = [
    family('audit_timestamp_seconds', 'When the audit finished, as a Unix timestamp.', [{ labels: {}, value: Date.parse(report.finishedAt) / 1000 }]),
    family('audit_duration_seconds', 'How long the whole audit took.', [{ labels: {}, value: report.durationMs / 1000 }]),
    family('hosts', 'Hosts selected for the audit, by status (audited or unknown).', [
      { labels: { status: 'audited' }, value: s.hostsAudited },
      { labels: { status: 'unknown' }, value: s.hostsUnknown },
    ]),
    family(
      'hosts_unknown',
      'Hosts that could not be audited, by reason (every reason listed, 0 when none).',
      unknownReasons.map((reason) => ({ labels: { reason }, value: s.unknownByReason[reason] ?? 0 })),
    ),
    family(
      'host_audit_success',
      'Whether the host was audited (1) or not (0, with the reason). Unknown is not healthy.',
      view.hosts.map(({ host }): Sample => {
        if (host.status === 'audited') return { labels: { host: host.name }, value: 1 };
        return { labels: { host: host.name, reason: host.reason ?? 'parse-error' }, value: 0 };
      }),
    ),
    family(
      'host_systemd_version',
      'Major systemd version of each audited host.',
      audited.map(({ host }) => ({ labels: { host: host.name }, value: host.systemdVersion ?? 0 })),
    ),
    family(
      'host_sockets',
      'Socket units audited on each host.',
      audited.map(({ host }) => ({ labels: { host: host.name }, value: host.sockets.length })),
    ),
    family(
      'host_problems',
      'Socket problems (findings) on each audited host.',
      audited.map(({ host, problems }) => ({ labels: { host: host.name }, value: problems.length })),
    ),
    family(
      'host_journal_access',
      'Whether the probe could read the journal of each audited host (1 for its access state): without it, findings have no evidence.',
      audited.flatMap(({ host }) => (host.journalAccess === undefined ? [] : [{ labels: { host: host.name, access: host.journalAccess }, value: 1 }])),
    ),
    family(
      'socket_state',
      'ActiveState of each socket unit as a state set: 1 for the current state, 0 for the others.',
      audited.flatMap(({ host }) =>
        host.sockets.flatMap((socket) => {
          const states: readonly string[] = (socketStates as readonly string[]).includes(socket.active) ? socketStates : [...socketStates, socket.active];
          return states.map((state) => ({ labels: { host: host.name, unit: socket.unit, state }, value: state === socket.active ? 1 : 0 }));
        }),
      ),
      'max',
    ),
    family(
      'finding',
      'One series per finding (1): its kind, severity, cause (closed catalogue) and the socket Result.',
      view.problems.map(({ finding }) => ({
        labels: { host: finding.host, unit: finding.unit, kind: finding.kind, severity: finding.severity, cause: finding.cause.id, result: finding.result ?? '' },
        value: 1,
      })),
    ),
    family(
      'findings',
      'Findings in the fleet by kind and severity (every pair listed, 0 when none).',
      [
        ...findingKindIds.flatMap((kind) => severities.map((severity) => ({ labels: { kind, severity }, value: 0 }))),
        ...view.problems.map(({ finding }) => ({ labels: { kind: finding.kind, severity: finding.severity }, value: 1 })),
      ],
    ),
    family(
      'findings_by_cause',
      'Findings in the fleet by root cause (every cause of the catalogue listed, 0 when none).',
      [...causeIds.map((cause) => ({ labels: { cause }, value: 0 })), ...view.problems.map(({ finding }) => ({ labels: { cause: finding.cause.id }, value: 1 }))],
    ),
    family(
      'unit_problem_hosts',
      'Audited hosts on which each socket unit has a problem (any finding).',
      view.units.map((unit) => ({ labels: { unit: unit.unit }, value: unit.hosts.length })),
    ),
    family('sockets_audited', 'Socket units audited across the fleet.', [{ labels: {}, value: s.socketsAudited }]),
    ...gateFamilies(report),
  ];
  const text = families.flatMap((f) => [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...f.samples.map((x) => `${f.name}${labelText(x.labels)} ${formatValue(x.value)}`)]);
  return `${text.join('\n')}\n`;
}
