// `sockaudit merge`: the JSON reports of the slices of one fleet (`--shard K/N`) back into one
// report. Hosts come back in inventory order; findings are taken as the slices assessed them and
// every aggregate is recomputed by the model (withFindings), so a merge of all slices equals the
// unsharded run. What cannot be merged cleanly is returned as problems, never silently dropped.
import { withFindings } from '../model/assess.js';
import { ConfigError } from '../model/config-error.js';
import type { Finding, FleetReport, HostReport, ShardInfo } from '../model/types.js';

export interface MergePart {
  file: string;
  report: FleetReport;
  shard: ShardInfo | undefined;
}

export interface MergeResult {
  report: FleetReport;
  /** What a human should know: duplicates, missing slices, mixed tool versions. */
  problems: string[];
  /** Hosts of the fleet that no part reports (known only for sharded parts). */
  missingHosts: number;
  /** Hosts the whole fleet has: the slices' `fleetHosts`, else the merged host count. */
  fleetHosts: number;
}

interface Kept {
  host: HostReport;
  part: MergePart;
  /** Sort key: inventory position for shards, else the part's order then the host's. */
  order: number;
}

function checkShardsAgree(parts: readonly MergePart[]): ShardInfo[] {
  const sharded = parts.filter((p) => p.shard !== undefined);
  if (sharded.length === 0) return [];
  const unsharded = parts.find((p) => p.shard === undefined);
  if (unsharded !== undefined) {
    throw new ConfigError({ file: unsharded.file, message: 'not a slice (no shard field) while other reports are: cannot tell which hosts it should hold', hint: 'merge only the reports of one `--shard K/N` set' });
  }
  const first = sharded[0];
  for (const part of sharded) {
    if (part.shard?.count !== first?.shard?.count || part.shard?.fleetHosts !== first?.shard?.fleetHosts) {
      throw new ConfigError({
        file: part.file,
        path: 'shard',
        message: `slice ${part.shard?.index}/${part.shard?.count} of ${part.shard?.fleetHosts} hosts does not belong with ${first?.file} (slice ${first?.shard?.index}/${first?.shard?.count} of ${first?.shard?.fleetHosts} hosts)`,
        hint: 'all slices must come from the same inventory, selection and N',
      });
    }
  }
  return sharded.map((p) => p.shard).filter((s): s is ShardInfo => s !== undefined);
}

export function mergeReports(parts: readonly MergePart[]): MergeResult {
  const first = parts[0];
  if (first === undefined) throw new ConfigError({ message: 'no report to merge' });
  const shards = checkShardsAgree(parts);
  const problems: string[] = [];

  const kept = new Map<string, Kept>();
  parts.forEach((part, partIndex) => {
    part.report.hosts.forEach((host, hostIndex) => {
      const order = part.shard?.positions[hostIndex] ?? partIndex * 1e9 + hostIndex;
      const previous = kept.get(host.name);
      if (previous === undefined) {
        kept.set(host.name, { host, part, order });
        return;
      }
      // A slice that was run again: the later run is the one that says how the host is now.
      const later = part.report.finishedAt > previous.part.report.finishedAt;
      const winner = later ? part : previous.part;
      problems.push(`host "${host.name}" is in both ${previous.part.file} and ${part.file}; kept the later run (${winner.file})`);
      if (later) kept.set(host.name, { host, part, order });
    });
  });

  const ordered = [...kept.values()].sort((a, b) => a.order - b.order);
  const findings: Finding[] = ordered.flatMap((k) => k.part.report.findings.filter((f) => f.host === k.host.name));

  let fleetHosts = ordered.length;
  let missingHosts = 0;
  const firstShard = shards[0];
  if (firstShard !== undefined) {
    fleetHosts = firstShard.fleetHosts;
    missingHosts = Math.max(0, fleetHosts - ordered.length);
    const present = new Set(shards.map((s) => s.index));
    const missing = Array.from({ length: firstShard.count }, (_, i) => i + 1).filter((k) => !present.has(k));
    if (missing.length > 0) problems.push(`missing slice(s) ${missing.map((k) => `${k}/${firstShard.count}`).join(', ')}: ${missingHosts} of ${fleetHosts} hosts not reported`);
    else if (missingHosts > 0) problems.push(`${missingHosts} of ${fleetHosts} hosts not reported by any slice`);
  }

  const versions = [...new Set(parts.map((p) => p.report.tool.version))];
  if (versions.length > 1) problems.push(`the reports come from different sockaudit versions (${versions.join(', ')})`);

  const startedAt = parts.map((p) => p.report.startedAt).reduce((a, b) => (b < a ? b : a));
  const finishedAt = parts.map((p) => p.report.finishedAt).reduce((a, b) => (b > a ? b : a));
  const base: FleetReport = {
    schemaVersion: 1,
    tool: first.report.tool,
    startedAt,
    finishedAt,
    durationMs: Date.parse(finishedAt) - Date.parse(startedAt),
    hosts: ordered.map((k) => k.host),
    findings: [],
    causes: {},
    byUnit: [],
    summary: first.report.summary,
    ...(missingHosts > 0 ? { hostsNotReported: missingHosts } : {}),
  };
  return { report: withFindings(base, findings), problems, missingHosts, fleetHosts };
}
