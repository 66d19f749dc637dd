// `sockaudit report RUN.json`: render a saved report (JSON or JSONL) in any format without
// touching a host, and exit with the same gate as the audit that wrote it (its saved
// thresholds, waivers and baseline marks), so a CI job can re-gate a saved run with other
// --fail-on / --max-unknown values, another --policy or a --baseline.
import { ConfigError } from '../model/config-error.js';
import { getExitCode } from '../model/exit-code.js';
import { applyGate } from '../policy/apply-gate.js';
import { readFleetReport } from '../report/read-fleet-report.js';
import type { CliIo } from './cli-io.js';
import { parseFormat, parseReportTarget } from './flags.js';
import { prepareGate, writeGateNotes, type GateFlags } from './gate-options.js';
import { planTargets, prepareTargets, writeTargets } from './report-output.js';
import { readSavedText } from './saved-report.js';

export interface ReportFlags extends GateFlags {
  format: string;
  output?: string;
  report: string[];
  maxUnknown: string;
  failOn: string;
  color: boolean;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function readInput(file: string, io: CliIo): Promise<string> {
  if (file === '-') {
    if (io.stdin === undefined) throw new ConfigError({ file: 'stdin', message: 'no standard input to read the report from' });
    return readAll(io.stdin);
  }
  return readSavedText(file, { what: 'the report', hint: 'write one with `sockaudit audit -f json -o RUN.json` (or --report json:RUN.json)' });
}

export async function reportCommand(file: string, flags: ReportFlags, io: CliIo): Promise<number> {
  const targets = planTargets(parseFormat(flags.format), flags.output === '-' ? undefined : flags.output, flags.report.map(parseReportTarget));
  const saved = readFleetReport(await readInput(file, io), file === '-' ? 'stdin' : file);
  const input = await prepareGate(flags, io, saved.gate);
  const explicit = flags.explicit ?? { maxUnknown: true, failOn: true };
  // A saved run renders as it was written unless this command changes its gate; one without a
  // gate stays without, and is gated by the flags alone.
  const regate = input.policy !== null || input.baseline !== null || (saved.gate !== undefined && (explicit.maxUnknown || explicit.failOn));
  const report = regate ? applyGate(saved, input) : saved;
  await prepareTargets(targets);
  await writeTargets(report, targets, io, flags.color);
  if (input.policy !== null) writeGateNotes(report, io);
  return getExitCode(report, input.thresholds);
}
