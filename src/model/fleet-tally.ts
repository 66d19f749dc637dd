// The fleet-wide aggregates of a report (summary counts, findings per unit, causes used), folded
// one host at a time. A streamed run (JSONL, issue 7: 10,000 hosts in bounded memory) adds each
// host as it finishes and then drops it; assessFleet and withFindings fold the same way over a
// whole report, so both paths give the same aggregates by construction.
//
// Hosts finish in any order, but a report's aggregates read in inventory order (the first host
// and finding to mention a key puts it first in its object; a unit's hosts are in inventory
// order). So every key remembers the smallest position that mentioned it, and the result is
// ordered by those positions — the same order a fold in inventory order would give.
import { causes } from './causes.js';
import type { CauseId, CauseInfo, Finding, FleetSummary, HostReport, UnitAggregate } from './types.js';

/** A count and the smallest position that added to it. */
interface Counted {
  count: number;
  first: number;
}

class OrderedCounts {
  private readonly counts = new Map<string, Counted>();

  add(key: string, position: number): void {
    const counted = this.counts.get(key);
    if (counted === undefined) this.counts.set(key, { count: 1, first: position });
    else {
      counted.count += 1;
      if (position < counted.first) counted.first = position;
    }
  }

  toRecord(): Record<string, number> {
    const record: Record<string, number> = {};
    for (const [key, { count }] of [...this.counts].sort((a, b) => a[1].first - b[1].first)) record[key] = count;
    return record;
  }
}

interface UnitTally {
  unit: string;
  first: number;
  /** Host name → the position of its first finding on this unit. */
  hosts: Map<string, number>;
  results: OrderedCounts;
  causes: OrderedCounts;
}

/**
 * Room for this many findings per host between two hosts' positions (a host has one finding per
 * problem of each of its sockets and requirement: far fewer).
 */
const findingsPerHost = 1 << 20;

/** The position of a host's `findingIndex`-th finding when hosts are added one at a time. */
export function findingPosition(hostIndex: number, findingIndex: number): number {
  return hostIndex * findingsPerHost + Math.min(findingIndex, findingsPerHost - 1);
}

export class FleetTally {
  private hostsTotal = 0;
  private hostsAudited = 0;
  private hostsUnknown = 0;
  private socketsAudited = 0;
  private findings = 0;
  private readonly bySeverity = { critical: 0, warning: 0, notice: 0 };
  private readonly unknownReasons = new OrderedCounts();
  private readonly units = new Map<string, UnitTally>();
  private readonly causeFirst = new Map<CauseId, number>();

  /** One host of the report; `index` is its place in the report's (inventory) order. */
  addHost(index: number, host: HostReport): void {
    this.hostsTotal += 1;
    if (host.status === 'audited') {
      this.hostsAudited += 1;
      this.socketsAudited += host.sockets.length;
    } else {
      this.hostsUnknown += 1;
      this.unknownReasons.add(host.reason ?? 'parse-error', index);
    }
  }

  /** One finding at `position` in the report's list of findings (see findingPosition). */
  addFinding(finding: Finding, position: number): void {
    this.findings += 1;
    this.bySeverity[finding.severity] += 1;
    const causeFirst = this.causeFirst.get(finding.cause.id);
    if (causeFirst === undefined || position < causeFirst) this.causeFirst.set(finding.cause.id, position);
    let unit = this.units.get(finding.unit);
    if (unit === undefined) {
      unit = { unit: finding.unit, first: position, hosts: new Map(), results: new OrderedCounts(), causes: new OrderedCounts() };
      this.units.set(finding.unit, unit);
    } else if (position < unit.first) {
      unit.first = position;
    }
    const hostFirst = unit.hosts.get(finding.host);
    if (hostFirst === undefined || position < hostFirst) unit.hosts.set(finding.host, position);
    unit.results.add(finding.result ?? 'unknown', position);
    unit.causes.add(finding.cause.id, position);
  }

  /** A host and its findings at once: the streamed run's step. */
  add(index: number, host: HostReport, findings: readonly Finding[]): void {
    this.addHost(index, host);
    findings.forEach((finding, i) => this.addFinding(finding, findingPosition(index, i)));
  }

  /** True once any finding has been added. */
  get hasFindings(): boolean {
    return this.findings > 0;
  }

  summary(): FleetSummary {
    return {
      hostsTotal: this.hostsTotal,
      hostsAudited: this.hostsAudited,
      hostsUnknown: this.hostsUnknown,
      socketsAudited: this.socketsAudited,
      findings: this.findings,
      findingsBySeverity: { ...this.bySeverity },
      unknownByReason: this.unknownReasons.toRecord(),
    };
  }

  /** Widest blast radius first: the unit failing on most hosts is the one to look at. */
  byUnit(): UnitAggregate[] {
    return [...this.units.values()]
      .sort((a, b) => b.hosts.size - a.hosts.size || a.unit.localeCompare(b.unit) || a.first - b.first)
      .map((unit) => ({
        unit: unit.unit,
        hosts: [...unit.hosts].sort((a, b) => a[1] - b[1]).map(([name]) => name),
        results: unit.results.toRecord(),
        causes: unit.causes.toRecord(),
      }));
  }

  /** The catalogue entries of the causes that occur, in order of first occurrence. */
  causes(): Partial<Record<CauseId, CauseInfo>> {
    const used: Partial<Record<CauseId, CauseInfo>> = {};
    for (const [id] of [...this.causeFirst].sort((a, b) => a[1] - b[1])) used[id] = causes[id];
    return used;
  }
}
