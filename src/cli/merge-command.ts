// `sockaudit merge part-*.json`: the reports of `audit --shard K/N` runs into one report, in any
// format, gated like an audit. Duplicates and missing slices are said on stderr; hosts no slice
// reported count as unknown for the gate, so a lost slice can never pass as a clean fleet.
import { getExitCode } from '../model/exit-code.js';
import { applyGate } from '../policy/apply-gate.js';
import { readShardInfo } from '../merge/shard-info-shape.js';
import { mergeReports, type MergePart } from '../merge/merge-reports.js';
import type { CliIo } from './cli-io.js';
import { parseFormat, parseReportTarget } from './flags.js';
import { prepareGate, writeGateNotes } from './gate-options.js';
import type { ReportFlags } from './report-command.js';
import { planTargets, prepareTargets, writeTargets } from './report-output.js';
import { readSavedReport } from './saved-report.js';

export type MergeFlags = ReportFlags;

async function readPart(file: string): Promise<MergePart> {
  const report = await readSavedReport(file, { what: 'the report', hint: 'write each slice with `sockaudit audit --shard K/N -f json -o part-K.json`' });
  return { file, report, shard: readShardInfo(report.shard, report.hosts.length, file) };
}

export async function mergeCommand(files: readonly string[], flags: MergeFlags, io: CliIo): Promise<number> {
  const targets = planTargets(parseFormat(flags.format), flags.output === '-' ? undefined : flags.output, flags.report.map(parseReportTarget));
  const parts = await Promise.all(files.map(readPart));
  // The slices' gate carries over (thresholds, waiver and baseline marks, as the first slice
  // recorded them); --policy or --baseline re-gate the merged fleet as one.
  const saved = parts.find((p) => p.report.gate !== undefined)?.report.gate;
  const input = await prepareGate(flags, io, saved);
  const merged = mergeReports(parts);
  for (const problem of merged.problems) io.stderr.write(`sockaudit merge: ${problem}\n`);
  const report = saved !== undefined || input.policy !== null || input.baseline !== null ? applyGate({ ...merged.report, ...(saved === undefined ? {} : { gate: saved }) }, input) : merged.report;
  await prepareTargets(targets);
  await writeTargets(report, targets, io, flags.color);
  if (input.policy !== null) writeGateNotes(report, io);
  // Hosts of missing slices are in the summary as unknown (hostsNotReported): one verdict for
  // the exit code, the rendered gate and any later `sockaudit report` of this file.
  return getExitCode(report, input.thresholds);
}
