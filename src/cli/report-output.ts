// Where reports go: the main one (stdout or -o FILE) and every --report FORMAT:FILE. Checked
// before anything is contacted (a report that cannot be written must not cost an audit),
// written atomically (a CI job never reads half a file), and JSONL targets stream a line per
// host while the audit runs.
import { createWriteStream, type WriteStream } from 'node:fs';
import { access, constants, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { assessHost, toHostReport } from '../model/assess.js';
import { ConfigError } from '../model/config-error.js';
import type { Finding, FleetReport, HostOutcome, HostReport } from '../model/types.js';
import { renderJsonlHostLine, renderJsonlSummaryLine } from '../report/render-jsonl.js';
import { renderReportLazily } from '../report/render-lazily.js';
import type { ReportFormat } from '../report/report-formats.js';
import type { CliIo } from './cli-io.js';
import { useColor, type ReportTarget } from './flags.js';

export const stdoutTarget = '-';

/** The main target first, then the --report ones; at most one of them may be stdout. */
export function planTargets(format: ReportFormat, output: string | undefined, extra: readonly ReportTarget[]): ReportTarget[] {
  const targets = [{ format, file: output === undefined || output === '' ? stdoutTarget : output }, ...extra];
  if (targets.filter((t) => t.file === stdoutTarget).length > 1) {
    throw new ConfigError({ path: '--report', message: 'only one report can go to stdout (-)', hint: 'give the others a file name' });
  }
  return targets;
}

/** Creates the target folders and checks they are writable, before any host is contacted. */
export async function prepareTargets(targets: readonly ReportTarget[]): Promise<void> {
  for (const target of targets) {
    if (target.file === stdoutTarget) continue;
    const dir = dirname(target.file);
    try {
      await mkdir(dir, { recursive: true });
      await access(dir, constants.W_OK);
    } catch (error) {
      throw new ConfigError({ path: target.file, message: `cannot write the ${target.format} report here: ${(error as Error).message}` });
    }
  }
}

/** Whole or not at all: a reader never sees half a file. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

export async function writeTargets(report: FleetReport, targets: readonly ReportTarget[], io: CliIo, colorFlag: boolean): Promise<void> {
  for (const target of targets) {
    if (target.file === stdoutTarget) {
      const isTty = io.stdout.isTTY === true;
      const table = { color: useColor(colorFlag, io.env, isTty), width: isTty ? io.stdout.columns : undefined };
      io.stdout.write(await renderReportLazily(report, target.format, { table }));
    } else {
      await writeAtomically(target.file, await renderReportLazily(report, target.format));
    }
  }
}

interface Stream {
  target: ReportTarget;
  write(text: string): void;
  close(): Promise<void>;
}

function fileStream(target: ReportTarget): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const stream: WriteStream = createWriteStream(target.file);
    stream.once('error', reject);
    stream.once('open', () => {
      stream.off('error', reject);
      resolve({
        target,
        write: (text) => void stream.write(text),
        close: () => new Promise<void>((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done()))),
      });
    });
  });
}

export type GateFindings = (host: HostReport, findings: Finding[]) => Finding[];

/**
 * JSONL targets of a live audit: each host's line is written the moment the host is done
 * (completion order; `index` gives its inventory place), the summary line at the end.
 */
export class JsonlStreams {
  private constructor(
    private readonly streams: Stream[],
    private readonly indexOf: ReadonlyMap<string, number>,
    private readonly gate: GateFindings,
  ) {}

  /** `gate` puts a host's findings through the run's gate (src/policy), as the whole report will be. */
  static async open(targets: readonly ReportTarget[], hostNames: readonly string[], io: CliIo, gate: GateFindings = (_host, findings) => findings): Promise<JsonlStreams> {
    const streams: Stream[] = [];
    for (const target of targets.filter((t) => t.format === 'jsonl')) {
      streams.push(target.file === stdoutTarget ? { target, write: (text) => void io.stdout.write(text), close: () => Promise.resolve() } : await fileStream(target));
    }
    return new JsonlStreams(streams, new Map(hostNames.map((name, index) => [name, index])), gate);
  }

  /** The targets these streams cover: the final write leaves them out. */
  get targets(): ReportTarget[] {
    return this.streams.map((s) => s.target);
  }

  get toStdout(): boolean {
    return this.streams.some((s) => s.target.file === stdoutTarget);
  }

  /** `attempts` as the collector counts them (runAudit copies them into the report the same way). */
  onHostDone(outcome: HostOutcome & { attempts?: number }): void {
    if (this.streams.length === 0) return;
    const host = toHostReport(outcome);
    if (outcome.attempts !== undefined) host.attempts = outcome.attempts;
    // The same findings assessFleet will compute for this host, journal evidence included.
    const findings = this.gate(host, assessHost(host, outcome.status === 'audited' ? outcome.snapshot.journal : []));
    const line = renderJsonlHostLine(this.indexOf.get(host.name) ?? -1, host, findings);
    for (const stream of this.streams) stream.write(line);
  }

  async finish(report: FleetReport): Promise<void> {
    const line = renderJsonlSummaryLine(report);
    for (const stream of this.streams) {
      stream.write(line);
      await stream.close();
    }
  }
}
