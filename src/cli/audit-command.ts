// `sockaudit audit`: flags → inventory → audit → reports → exit code.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadInventory } from '../inventory/load-inventory.js';
import { durationExpectation, parseDuration } from '../inventory/duration.js';
import { selectHosts } from '../inventory/select-hosts.js';
import { ConfigError } from '../model/config-error.js';
import { defaultGatePolicy, getExitCode, type GatePolicy } from '../model/exit-code.js';
import type { FleetReport, HostTarget } from '../model/types.js';
import { buildProbe } from '../probes/probe-script.js';
import { renderJson } from '../report/render-json.js';
import { renderTable, type TableOptions } from '../report/render-table.js';
import { defaultConcurrency, defaultMaxOutputBytes, defaultMaxPerAddress, defaultRetryPolicy, runAudit } from '../run-audit.js';
import type { RemoteShell } from '../ssh/remote-shell.js';
import { Ssh2Shell } from '../ssh/ssh2-shell.js';
import {
  parseByteSize,
  parseFormat,
  parseMaxUnknown,
  parsePositiveInt,
  parseReportTarget,
  parseSeverity,
  useColor,
  type ReportFormat,
  type ReportTarget,
} from './flags.js';
import { createProgress } from './progress.js';

/** Raw commander values of `audit`; validated here, not by commander. */
export interface AuditFlags {
  inventory: string;
  limit: string[];
  format: string;
  output?: string;
  report: string[];
  concurrency: string;
  connectTimeout?: string;
  commandTimeout?: string;
  maxOutput: string;
  maxPerAddress: string;
  retries: string;
  deadline?: string;
  acceptNewHostKeys: boolean;
  maxUnknown: string;
  failOn: string;
  dryRun: boolean;
  color: boolean;
  progress: boolean;
}

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C: hosts still running end as `deadline`, the report is still written. */
  signal?: AbortSignal;
  /** The transport; the ssh2 one unless a caller (tests) provides another. */
  shell?: RemoteShell;
}

function durationFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) throw new ConfigError({ path: flag, message: `expected ${durationExpectation}, got "${value}"` });
  return ms;
}

function applyTimeouts(hosts: HostTarget[], connectMs: number | undefined, commandMs: number | undefined): HostTarget[] {
  // Flags win over the inventory: they are what the operator typed for this run.
  return hosts.map((host) => ({
    ...host,
    connectTimeoutMs: connectMs ?? host.connectTimeoutMs,
    commandTimeoutMs: commandMs ?? host.commandTimeoutMs,
  }));
}

export function renderReport(report: FleetReport, format: ReportFormat, table: TableOptions = { color: false }): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'table':
      return renderTable(report, table);
  }
}

async function writeReportFile(target: ReportTarget, text: string): Promise<void> {
  await mkdir(dirname(target.file), { recursive: true });
  await writeFile(target.file, text);
}

function describeTarget(host: HostTarget): string {
  return `${host.name}\t${host.user}@${host.address}:${host.port}`;
}

export async function auditCommand(flags: AuditFlags, io: CliIo): Promise<number> {
  // Validate every flag before reading the inventory, and the inventory before contacting
  // anything: a usage mistake must cost no connection.
  const format = parseFormat(flags.format);
  const reports = flags.report.map(parseReportTarget);
  const concurrency = parsePositiveInt(flags.concurrency, '--concurrency', 10_000);
  const maxOutputBytes = parseByteSize(flags.maxOutput, '--max-output');
  const maxPerAddress = parsePositiveInt(flags.maxPerAddress, '--max-per-address', 10_000);
  const retries = flags.retries === '0' ? 0 : parsePositiveInt(flags.retries, '--retries', 10);
  const deadlineMs = durationFlag(flags.deadline, '--deadline');
  const connectMs = durationFlag(flags.connectTimeout, '--connect-timeout');
  const commandMs = durationFlag(flags.commandTimeout, '--command-timeout');
  const policy: GatePolicy = {
    ...defaultGatePolicy,
    maxUnknown: parseMaxUnknown(flags.maxUnknown),
    failOn: parseSeverity(flags.failOn),
  };

  const inventory = await loadInventory(flags.inventory, { env: io.env });
  const hosts = applyTimeouts(selectHosts(inventory, flags.limit), connectMs, commandMs);
  const probe = buildProbe();

  if (flags.dryRun) {
    io.stdout.write(`# ${hosts.length} host(s) would be audited:\n${hosts.map((h) => `# ${describeTarget(h)}`).join('\n')}\n`);
    io.stdout.write(`# each host runs \`${probe.command}\` with this script on stdin:\n${probe.script}`);
    return 0;
  }

  const progress = createProgress(io.stderr, hosts.length, flags.progress);
  const report = await runAudit({
    hosts,
    shell: io.shell ?? new Ssh2Shell({ acceptNewHostKeys: flags.acceptNewHostKeys, env: io.env }),
    concurrency,
    maxOutputBytes,
    maxPerAddress,
    retry: { ...defaultRetryPolicy, retries },
    deadlineMs,
    probe,
    signal: io.signal,
    onHostDone: (outcome) => progress.onHostDone(outcome),
  });
  progress.finish();

  for (const target of reports) {
    await writeReportFile(target, renderReport(report, target.format));
  }
  if (flags.output !== undefined && flags.output !== '-') {
    await writeReportFile({ format, file: flags.output }, renderReport(report, format));
  } else {
    const isTty = io.stdout.isTTY === true;
    io.stdout.write(renderReport(report, format, { color: useColor(flags.color, io.env, isTty), width: isTty ? io.stdout.columns : undefined }));
  }
  return getExitCode(report, policy);
}

export const auditDefaults = {
  concurrency: String(defaultConcurrency),
  maxOutput: `${defaultMaxOutputBytes / 1024 / 1024}MiB`,
  maxPerAddress: String(defaultMaxPerAddress),
  retries: String(defaultRetryPolicy.retries),
};
