// The one programmatic entry point: options in, FleetReport out. No process.*, no printing;
// the CLI and the demo both call this.
import { collectFleet, streamFleet, type CollectedOutcome, type CollectOptions } from './collect/collect-fleet.js';
import type { RetryPolicy } from './collect/retry-policy.js';
import { assessFleet, type ReportMeta } from './model/assess.js';
import type { FleetReport, HostTarget } from './model/types.js';
import { buildProbe, type Probe } from './probes/probe-script.js';
import type { RemoteShell } from './ssh/remote-shell.js';
import { toolVersion } from './version.js';

export interface AuditOptions {
  hosts: readonly HostTarget[];
  shell: RemoteShell;
  concurrency: number;
  maxOutputBytes: number;
  /** Sessions at once towards one address:port; `defaultMaxPerAddress` when absent. */
  maxPerAddress?: number;
  /** Retries of transient connection failures; `defaultRetryPolicy` when absent. */
  retry?: RetryPolicy;
  /** The whole run's deadline in ms: hosts not finished by then are unknown `deadline`. */
  deadlineMs?: number;
  /** A fixed probe (tests, --dry-run); by default a fresh one with a new nonce. */
  probe?: Probe;
  /** Aborting it (Ctrl-C, SIGTERM) ends the run early; the report still lists every host. */
  signal?: AbortSignal;
  /** Each host's outcome as soon as it is known, with the attempts it took. */
  onHostDone?: (outcome: CollectedOutcome) => void;
  now?: () => Date;
}

export { defaultMaxPerAddress } from './collect/collect-fleet.js';
export { defaultRetryPolicy } from './collect/retry-policy.js';
export const defaultConcurrency = 64;
export const defaultMaxOutputBytes = 4 * 1024 * 1024;

export async function runAudit(options: AuditOptions): Promise<FleetReport> {
  const now = options.now ?? ((): Date => new Date());
  const startedAt = now();
  const outcomes = await collectFleet(options.hosts, collectOptions(options));
  const report = assessFleet(outcomes, { toolVersion, startedAt, finishedAt: now() });
  // Both lists are in inventory order, one entry per host.
  report.hosts.forEach((host, index) => {
    const attempts = outcomes[index]?.attempts;
    if (attempts !== undefined) host.attempts = attempts;
  });
  return report;
}

/**
 * The audit of a streamed run (JSONL): each host's outcome goes to `options.onHostDone` as it
 * finishes and is not kept — the caller writes it out and folds it into the fleet's aggregates
 * (model/fleet-tally.ts, policy/gate-tally.ts). Returns what the report's head needs.
 */
export async function streamAudit(options: AuditOptions): Promise<ReportMeta> {
  const now = options.now ?? ((): Date => new Date());
  const startedAt = now();
  await streamFleet(options.hosts, { ...collectOptions(options), keepSnapshots: false }, () => undefined);
  return { toolVersion, startedAt, finishedAt: now() };
}

function collectOptions(options: AuditOptions): CollectOptions {
  return {
    shell: options.shell,
    probe: options.probe ?? buildProbe(),
    concurrency: options.concurrency,
    maxPerAddress: options.maxPerAddress,
    maxOutputBytes: options.maxOutputBytes,
    retry: options.retry,
    deadlineMs: options.deadlineMs,
    signal: options.signal,
    onHostDone: options.onHostDone,
  };
}
