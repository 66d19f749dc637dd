// `sockaudit audit`: flags → inventory → audit → reports → exit code.
import { openInventory } from '../inventory/open-inventory.js';
import { durationExpectation, parseDuration } from '../inventory/duration.js';
import { selectHosts } from '../inventory/select-hosts.js';
import { ConfigError } from '../model/config-error.js';
import { parseShard, selectShard } from '../shard/shard.js';
import { getExitCode } from '../model/exit-code.js';
import { applyGate, gateHostFindings } from '../policy/apply-gate.js';
import { GateTally } from '../policy/gate-tally.js';
import { checkPolicyGroups } from '../policy/load-policy.js';
import type { Policy } from '../policy/policy-types.js';
import { reportHead } from '../model/assess.js';
import { FleetTally } from '../model/fleet-tally.js';
import type { Finding, FleetReport, HostReport, HostTarget } from '../model/types.js';
import { buildProbe } from '../probes/probe-script.js';
import { defaultConcurrency, defaultMaxOutputBytes, defaultMaxPerAddress, defaultRetryPolicy, runAudit, streamAudit, type AuditOptions } from '../run-audit.js';
import type { RemoteShell } from '../ssh/remote-shell.js';
import { Ssh2Shell } from '../ssh/ssh2-shell.js';
import type { CliIo } from './cli-io.js';
import { parseByteSize, parseFormat, parsePositiveInt, parseReportTarget } from './flags.js';
import { prepareGate, writeGateNotes, type GateFlags } from './gate-options.js';
import { createProgress } from './progress.js';
import { JsonlStreams, planTargets, prepareTargets, writeTargets } from './report-output.js';

/** Raw commander values of `audit`; validated here, not by commander. */
export interface AuditFlags extends GateFlags {
  inventory?: string;
  local?: boolean;
  sshConfig?: string;
  transport?: string;
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
  shard?: string;
  acceptNewHostKeys: boolean;
  maxUnknown: string;
  failOn: string;
  dryRun: boolean;
  color: boolean;
  progress: boolean;
}

export type { CliIo };

function durationFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) throw new ConfigError({ path: flag, message: `expected ${durationExpectation}, got "${value}"` });
  return ms;
}

function applyTimeouts(hosts: HostTarget[], connectMs: number | undefined, commandMs: number | undefined): HostTarget[] {
  // Flags win over the inventory: they are what the operator typed for this run.
  // --connect-timeout is for every login of the run, the jump hosts' included.
  return hosts.map((host) => ({
    ...host,
    connectTimeoutMs: connectMs ?? host.connectTimeoutMs,
    commandTimeoutMs: commandMs ?? host.commandTimeoutMs,
    ...(host.jumps === undefined || connectMs === undefined ? {} : { jumps: host.jumps.map((hop) => ({ ...hop, connectTimeoutMs: connectMs })) }),
  }));
}

function describeTarget(host: HostTarget): string {
  const via = host.jumps === undefined ? '' : ` via ${host.jumps.map((j) => `${j.user}@${j.address}:${j.port}`).join(' → ')}`;
  return `${host.name}\t${host.user}@${host.address}:${host.port}${via}${host.journalSudo === true ? '\t(journal through sudo -n)' : ''}`;
}

/** The inventory's hosts after --limit, or this machine alone with --local. */
async function selectTargets(flags: AuditFlags, io: CliIo, connectMs: number | undefined, commandMs: number | undefined, policy: Policy | null): Promise<HostTarget[]> {
  if (flags.local === true) {
    if (flags.inventory !== undefined) throw new ConfigError({ path: '--local', message: 'audits this machine only: it takes no --inventory' });
    const { localHost } = await import('../ssh/local-shell.js');
    return [localHost(commandMs ?? defaultLocalCommandTimeoutMs)];
  }
  if (flags.inventory === undefined) {
    throw new ConfigError({ message: "required option '-i, --inventory <file>' not specified", hint: 'or --local to audit this machine' });
  }
  const inventory = await openInventory(flags.inventory, { env: io.env, sshConfigFile: flags.sshConfig });
  // A policy's @group is a group of this inventory, or a mistake to report before any connection.
  if (policy !== null) checkPolicyGroups(policy, inventory.groups);
  return applyTimeouts(selectHosts(inventory, flags.limit), connectMs, commandMs);
}

const transports = ['ssh2', 'openssh'] as const;

function parseTransport(value: string | undefined): (typeof transports)[number] {
  const found = transports.find((t) => t === (value ?? 'ssh2'));
  if (found === undefined) throw new ConfigError({ path: '--transport', message: `expected ${transports.join(' or ')}, got "${value}"` });
  return found;
}

/** The local and OpenSSH transports are imported only when chosen: most audits use ssh2. */
async function transport(flags: AuditFlags, io: CliIo): Promise<RemoteShell> {
  if (flags.local === true) {
    const { LocalShell } = await import('../ssh/local-shell.js');
    return new LocalShell(io.env);
  }
  if (parseTransport(flags.transport) === 'openssh') {
    const { OpenSshShell } = await import('../ssh/openssh-shell.js');
    return new OpenSshShell({ acceptNewHostKeys: flags.acceptNewHostKeys, env: io.env, ...(flags.sshConfig === undefined ? {} : { sshConfigFile: flags.sshConfig }) });
  }
  return new Ssh2Shell({ acceptNewHostKeys: flags.acceptNewHostKeys, env: io.env, ...(io.askPassphrase === undefined ? {} : { askPassphrase: io.askPassphrase }) });
}

const defaultLocalCommandTimeoutMs = 60_000;

export async function auditCommand(flags: AuditFlags, io: CliIo): Promise<number> {
  // Validate every flag before reading the inventory, and the inventory before contacting
  // anything: a usage mistake must cost no connection.
  const targets = planTargets(parseFormat(flags.format), flags.output === '-' ? undefined : flags.output, flags.report.map(parseReportTarget));
  const concurrency = parsePositiveInt(flags.concurrency, '--concurrency', 10_000);
  const maxOutputBytes = parseByteSize(flags.maxOutput, '--max-output');
  const maxPerAddress = parsePositiveInt(flags.maxPerAddress, '--max-per-address', 10_000);
  const retries = flags.retries === '0' ? 0 : parsePositiveInt(flags.retries, '--retries', 10);
  const deadlineMs = durationFlag(flags.deadline, '--deadline');
  const connectMs = durationFlag(flags.connectTimeout, '--connect-timeout');
  const commandMs = durationFlag(flags.commandTimeout, '--command-timeout');
  const gateInput = await prepareGate(flags, io);
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  parseTransport(flags.transport);

  const selected = await selectTargets(flags, io, connectMs, commandMs, gateInput.policy);
  const slice = shard === undefined ? undefined : selectShard(selected, shard);
  const hosts = slice?.items ?? selected;
  const probe = buildProbe();

  if (flags.dryRun) {
    io.stdout.write(`# ${hosts.length} host(s) would be audited:\n${hosts.map((h) => `# ${describeTarget(h)}`).join('\n')}\n`);
    io.stdout.write(`# each host runs \`${probe.command}\` with this script on stdin:\n${probe.script}`);
    if (hosts.some((h) => h.journalSudo === true)) io.stdout.write('# hosts marked "journal through sudo -n" get it with JS=1 instead of JS=0\n');
    return 0;
  }

  await prepareTargets(targets);
  // Every report streams (JSONL): no host needs to be kept, the summary line is folded.
  const streamed = targets.every((t) => t.format === 'jsonl');
  const indexOf = new Map(hosts.map((h, index) => [h.name, index]));
  const fleet = new FleetTally();
  const gateTally = new GateTally(gateInput);
  const gateAndFold = (host: HostReport, findings: Finding[]): Finding[] => {
    const gated = gateHostFindings(host, findings, gateInput);
    if (streamed) {
      fleet.add(indexOf.get(host.name) ?? -1, host, gated);
      gateTally.add(host, gated);
    }
    return gated;
  };
  const streams = await JsonlStreams.open(targets, hosts.map((h) => h.name), io, gateAndFold);
  const progress = createProgress(io.stderr, hosts.length, flags.progress);
  // A JSONL line on a terminal that also shows the bar: erase the bar, print, redraw.
  const shareTerminal = streams.toStdout && io.stdout.isTTY === true;
  const shell = io.shell ?? (await transport(flags, io));
  const auditOptions: AuditOptions = {
    hosts,
    shell,
    concurrency,
    maxOutputBytes,
    maxPerAddress,
    retry: { ...defaultRetryPolicy, retries },
    deadlineMs,
    probe,
    signal: io.signal,
    onHostDone: (outcome) => {
      if (shareTerminal) progress.clear();
      streams.onHostDone(outcome);
      progress.onHostDone(outcome);
    },
  };
  const shardInfo = shard === undefined || slice === undefined ? undefined : { ...shard, fleetHosts: selected.length, positions: slice.positions };
  // The transport's kept connections (jump hosts, ControlMaster directory) end with the audit,
  // also when it fails.
  const audit = async <T>(run: (options: AuditOptions) => Promise<T>): Promise<T> => {
    try {
      return await run(auditOptions);
    } finally {
      await shell.close?.();
    }
  };
  if (streamed) {
    const meta = await audit(streamAudit);
    progress.finish();
    // The head and aggregates of the report, in the order a whole report has them; the host
    // lines are already written, so hosts and findings stay empty here.
    const head = { ...reportHead(meta), hosts: [], findings: [], causes: fleet.causes(), byUnit: fleet.byUnit(), summary: fleet.summary(), ...(shardInfo === undefined ? {} : { shard: shardInfo }) };
    const report: FleetReport = { ...head, gate: gateTally.gate(head) };
    await streams.finish(report);
    writeGateNotes(report, io);
    return gateTally.exitCode(report.summary);
  }
  const assessed = await audit(runAudit);
  if (shardInfo !== undefined) assessed.shard = shardInfo;
  const report = applyGate(assessed, gateInput);
  progress.finish();
  await streams.finish(report);
  const written = new Set(streams.targets);
  await writeTargets(report, targets.filter((t) => !written.has(t)), io, flags.color);
  writeGateNotes(report, io);
  return getExitCode(report, gateInput.thresholds);
}

export const auditDefaults = {
  concurrency: String(defaultConcurrency),
  maxOutput: `${defaultMaxOutputBytes / 1024 / 1024}MiB`,
  maxPerAddress: String(defaultMaxPerAddress),
  retries: String(defaultRetryPolicy.retries),
};
