// The one programmatic entry point: options in, FleetReport out. No process.*, no printing;
// the CLI and the demo both call this.
import { collectFleet } from './collect/collect-fleet.js';
import { assessFleet } from './model/assess.js';
import type { FleetReport, HostOutcome, HostTarget } from './model/types.js';
import { buildProbe, type Probe } from './probes/probe-script.js';
import type { RemoteShell } from './ssh/remote-shell.js';
import { toolVersion } from './version.js';

export interface AuditOptions {
  hosts: readonly HostTarget[];
  shell: RemoteShell;
  concurrency: number;
  maxOutputBytes: number;
  /** A fixed probe (tests, --dry-run); by default a fresh one with a new nonce. */
  probe?: Probe;
  signal?: AbortSignal;
  onHostDone?: (outcome: HostOutcome) => void;
  now?: () => Date;
}

export const defaultConcurrency = 64;
export const defaultMaxOutputBytes = 4 * 1024 * 1024;

export async function runAudit(options: AuditOptions): Promise<FleetReport> {
  const now = options.now ?? ((): Date => new Date());
  const startedAt = now();
  const outcomes = await collectFleet(options.hosts, {
    shell: options.shell,
    probe: options.probe ?? buildProbe(),
    concurrency: options.concurrency,
    maxOutputBytes: options.maxOutputBytes,
    signal: options.signal,
    onHostDone: options.onHostDone,
  });
  return assessFleet(outcomes, { toolVersion, startedAt, finishedAt: now() });
}
