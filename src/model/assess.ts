// HostOutcome[] → FleetReport: turn what the collector saw into findings and aggregates.
import { findingKinds } from './finding-kinds.js';
import type {
  Finding,
  FleetReport,
  FleetSummary,
  HostOutcome,
  HostReport,
  ServiceState,
  SocketState,
  TriggeredSummary,
  UnitAggregate,
} from './types.js';

export interface ReportMeta {
  toolVersion: string;
  startedAt: Date;
  finishedAt: Date;
}

/** The report view of one outcome: the host's identity without credentials, plus its state. */
export function toHostReport(outcome: HostOutcome): HostReport {
  const { host } = outcome;
  const identity = {
    name: host.name,
    address: host.address,
    port: host.port,
    user: host.user,
    groups: host.groups,
    labels: host.labels,
    durationMs: Math.round(outcome.durationMs),
  };
  if (outcome.status === 'unknown') {
    return {
      ...identity,
      status: 'unknown',
      reason: outcome.reason,
      detail: outcome.detail,
      sockets: [],
      services: [],
      warnings: [],
    };
  }
  const { snapshot } = outcome;
  return {
    ...identity,
    status: 'audited',
    systemdVersion: snapshot.systemdVersion,
    systemdVersionText: snapshot.systemdVersionText,
    systemState: snapshot.systemState,
    sockets: snapshot.sockets,
    services: Object.values(snapshot.services).sort((a, b) => a.unit.localeCompare(b.unit)),
    warnings: snapshot.warnings,
  };
}

function summarizeTriggered(unit: string, services: ReadonlyMap<string, ServiceState>): TriggeredSummary {
  const service = services.get(unit);
  return {
    unit,
    load: service?.load ?? null,
    active: service?.active ?? null,
    sub: service?.sub ?? null,
    result: service?.result ?? null,
  };
}

/** The findings of one audited host. Unknown hosts have none: they are counted apart. */
export function assessHost(host: HostReport): Finding[] {
  if (host.status !== 'audited') return [];
  const services = new Map(host.services.map((service) => [service.unit, service]));
  const failed = (socket: SocketState): boolean => socket.active === 'failed';
  return host.sockets.filter(failed).map((socket) => ({
    host: host.name,
    unit: socket.unit,
    kind: 'socket-failed',
    severity: findingKinds['socket-failed'].severity,
    result: socket.result,
    listen: socket.listen,
    triggers: socket.triggers.map((unit) => summarizeTriggered(unit, services)),
  }));
}

function aggregateByUnit(findings: readonly Finding[]): UnitAggregate[] {
  const byUnit = new Map<string, UnitAggregate>();
  for (const finding of findings) {
    let aggregate = byUnit.get(finding.unit);
    if (aggregate === undefined) {
      aggregate = { unit: finding.unit, hosts: [], results: {} };
      byUnit.set(finding.unit, aggregate);
    }
    if (!aggregate.hosts.includes(finding.host)) aggregate.hosts.push(finding.host);
    const result = finding.result ?? 'unknown';
    aggregate.results[result] = (aggregate.results[result] ?? 0) + 1;
  }
  // Widest blast radius first: the unit failing on most hosts is the one to look at.
  return [...byUnit.values()].sort((a, b) => b.hosts.length - a.hosts.length || a.unit.localeCompare(b.unit));
}

function summarize(hosts: readonly HostReport[], findings: readonly Finding[]): FleetSummary {
  const summary: FleetSummary = {
    hostsTotal: hosts.length,
    hostsAudited: 0,
    hostsUnknown: 0,
    socketsAudited: 0,
    findings: findings.length,
    unknownByReason: {},
  };
  for (const host of hosts) {
    if (host.status === 'audited') {
      summary.hostsAudited += 1;
      summary.socketsAudited += host.sockets.length;
    } else {
      summary.hostsUnknown += 1;
      const reason = host.reason ?? 'parse-error';
      summary.unknownByReason[reason] = (summary.unknownByReason[reason] ?? 0) + 1;
    }
  }
  return summary;
}

export function assessFleet(outcomes: readonly HostOutcome[], meta: ReportMeta): FleetReport {
  const hosts = outcomes.map(toHostReport);
  const findings = hosts.flatMap(assessHost);
  return {
    schemaVersion: 1,
    tool: { name: 'sockaudit', version: meta.toolVersion },
    startedAt: meta.startedAt.toISOString(),
    finishedAt: meta.finishedAt.toISOString(),
    durationMs: meta.finishedAt.getTime() - meta.startedAt.getTime(),
    hosts,
    findings,
    byUnit: aggregateByUnit(findings),
    summary: summarize(hosts, findings),
  };
}
