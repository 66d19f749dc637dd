// `sockaudit diff OLD NEW`: compare two saved runs (JSON or JSONL) without contacting a host;
// exit 1 when anything is new (a finding, or a host newly unknown), 0 otherwise, 2 on bad input.
import { ConfigError } from '../model/config-error.js';
import { getDiffExitCode } from '../model/exit-code.js';
import type { FleetReport } from '../model/types.js';
import { diffReports } from '../policy/run-diff.js';
import type { DiffFormat } from '../report/render-diff.js';
import type { CliIo } from './cli-io.js';
import { diffFormats } from './diff-formats.js';
import { writeAtomically } from './report-output.js';
import { readSavedReport } from './saved-report.js';

export interface DiffFlags {
  format: string;
  output?: string;
}

function parseDiffFormat(value: string): DiffFormat {
  const found = diffFormats.find((f) => f === value);
  if (found === undefined) throw new ConfigError({ path: '--format', message: `expected one of ${diffFormats.join(', ')}, got "${value}"` });
  return found;
}

function readRun(file: string, role: string): Promise<FleetReport> {
  return readSavedReport(file, { what: `the ${role} run`, hint: 'both runs are reports saved by `sockaudit audit -f json -o RUN.json`' });
}

export async function diffCommand(oldFile: string, newFile: string, flags: DiffFlags, io: CliIo): Promise<number> {
  const format = parseDiffFormat(flags.format);
  const [before, after] = await Promise.all([readRun(oldFile, 'old'), readRun(newFile, 'new')]);
  const diff = diffReports(before, after, { old: oldFile, new: newFile });
  // Loaded when used: the table renderer is not needed to start every other command.
  const { renderDiff } = await import('../report/render-diff.js');
  const text = renderDiff(diff, format);
  if (flags.output === undefined || flags.output === '-') {
    io.stdout.write(text);
  } else {
    // Whole or not at all, like the reports: a CI job never reads half a diff.
    try {
      await writeAtomically(flags.output, text);
    } catch (error) {
      throw new ConfigError({ path: flags.output, message: `cannot write the diff here: ${(error as Error).message}` });
    }
  }
  return getDiffExitCode(diff);
}
