// Fan-out: run the probe on every host with bounded concurrency. Each host has its own
// deadline, so one hung host costs only its own time; nothing a host does can reject the
// whole run.
import pLimit from 'p-limit';
import type { HostOutcome, HostTarget } from '../model/types.js';
import type { Probe } from '../probes/probe-script.js';
import { parseProbeOutput } from '../probes/parse-probe.js';
import type { RemoteShell } from '../ssh/remote-shell.js';

export interface CollectOptions {
  shell: RemoteShell;
  probe: Probe;
  concurrency: number;
  /** Cap on a host's stdout + stderr bytes; beyond it the host is `output-limit`. */
  maxOutputBytes: number;
  /** Aborting it (Ctrl-C) ends every host still running as `deadline`. */
  signal?: AbortSignal;
  /** Called once per host as soon as its outcome is known, in completion order. */
  onHostDone?: (outcome: HostOutcome) => void;
}

/**
 * Slack added to connect + command timeouts for the host's overall deadline: the transport
 * enforces the two timeouts itself; the deadline is the backstop if it somehow does not.
 */
const deadlineSlackMs = 2_000;

export function hostDeadlineMs(host: HostTarget): number {
  return host.connectTimeoutMs + host.commandTimeoutMs + deadlineSlackMs;
}

export async function auditHost(host: HostTarget, options: Omit<CollectOptions, 'concurrency' | 'onHostDone'>): Promise<HostOutcome> {
  const started = performance.now();
  if (options.signal?.aborted === true) {
    // Interrupted before this host's turn came: it is not contacted at all.
    return { status: 'unknown', host, reason: 'deadline', detail: 'run interrupted before this host was contacted', durationMs: 0 };
  }
  const deadline = AbortSignal.timeout(hostDeadlineMs(host));
  const signal = options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline]);
  const elapsed = (): number => performance.now() - started;
  let execOutcome;
  try {
    execOutcome = await options.shell.exec(host, options.probe.command, {
      signal,
      maxOutputBytes: options.maxOutputBytes,
      stdin: options.probe.script,
    });
  } catch (error) {
    // A transport must return failures as data; if one throws anyway, that host is unknown,
    // the run goes on.
    return { status: 'unknown', host, reason: 'ssh-error', detail: `internal transport error: ${String(error)}`, durationMs: elapsed() };
  }
  if (!execOutcome.ok) {
    return { status: 'unknown', host, reason: execOutcome.reason, detail: execOutcome.detail, durationMs: elapsed() };
  }
  const { result } = execOutcome;
  const parsed = parseProbeOutput(result.stdout, options.probe.nonce, { exitCode: result.exitCode, stderr: result.stderr });
  if (!parsed.ok) {
    return { status: 'unknown', host, reason: parsed.reason, detail: parsed.detail, durationMs: elapsed() };
  }
  return { status: 'audited', host, snapshot: parsed.snapshot, durationMs: elapsed() };
}

/** Outcomes in the order of `hosts`, whatever order they finished in. */
export async function collectFleet(hosts: readonly HostTarget[], options: CollectOptions): Promise<HostOutcome[]> {
  const limit = pLimit(Math.max(1, options.concurrency));
  return Promise.all(
    hosts.map((host) =>
      limit(async () => {
        const outcome = await auditHost(host, options);
        options.onHostDone?.(outcome);
        return outcome;
      }),
    ),
  );
}
