// One host: connect and run the probe, retry transient connection failures with backoff,
// parse what came back, and keep only the parsed snapshot.
import type { HostOutcome, HostSnapshot, HostTarget } from '../model/types.js';
import { parseProbeOutput } from '../probes/parse-probe.js';
import { probeScriptFor, type Probe } from '../probes/probe-script.js';
import type { ExecOutcome, RemoteShell } from '../ssh/remote-shell.js';
import { backoffDelayMs, pause, type RetryPolicy } from './retry-policy.js';
import { SharedStrings } from './shared-strings.js';

/** A host's outcome and how many connection attempts it took (0: never contacted). */
export type CollectedOutcome = HostOutcome & { attempts: number };

export interface AuditHostOptions {
  shell: RemoteShell;
  probe: Probe;
  maxOutputBytes: number;
  retry: RetryPolicy;
  /** The run's stop signal (interruption or global deadline); its reason says which. */
  signal: AbortSignal;
  /**
   * One per run: snapshots share equal strings (see shared-strings.ts); a fresh one when absent;
   * null when the snapshot is dropped right after the host is reported (no copy is made).
   */
  strings?: SharedStrings | null;
}

/**
 * Slack added to connect + command timeouts for an attempt's backstop deadline: the transport
 * enforces the two timeouts itself; the backstop ends an attempt if it somehow does not.
 */
const attemptSlackMs = 2_000;

export function attemptDeadlineMs(host: HostTarget): number {
  return host.connectTimeoutMs + host.commandTimeoutMs + attemptSlackMs;
}

export async function auditHost(host: HostTarget, options: AuditHostOptions): Promise<CollectedOutcome> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const exec = await attemptExec(host, options);
    if (!exec.ok && exec.transient === true && attempts <= options.retry.retries) {
      const waited = await pause(backoffDelayMs(attempts, options.retry), options.signal);
      if (waited) continue;
      const why = stopMessage(options.signal);
      return { status: 'unknown', host, reason: 'deadline', detail: `${why} before attempt ${attempts + 1}; attempt ${attempts}: ${exec.detail}`, durationMs: elapsed(), attempts };
    }
    return { ...toOutcome(host, exec, options.probe, options.strings === undefined ? new SharedStrings() : options.strings), durationMs: elapsed(), attempts };
  }
}

/** A host the run never reached, because it was interrupted or its deadline passed. */
export function notContacted(host: HostTarget, signal: AbortSignal): CollectedOutcome {
  return { status: 'unknown', host, reason: 'deadline', detail: `${stopMessage(signal)} before this host was contacted`, durationMs: 0, attempts: 0 };
}

async function attemptExec(host: HostTarget, options: AuditHostOptions): Promise<ExecOutcome> {
  const ms = attemptDeadlineMs(host);
  const controller = new AbortController();
  const onStop = (): void => controller.abort(options.signal.reason);
  if (options.signal.aborted) onStop();
  else options.signal.addEventListener('abort', onStop, { once: true });
  const backstop = setTimeout(() => controller.abort(new Error(`host deadline of ${ms} ms passed`)), ms);
  try {
    return await options.shell.exec(host, options.probe.command, {
      signal: controller.signal,
      maxOutputBytes: options.maxOutputBytes,
      // journal_sudo hosts get the copy whose journalctl calls go through sudo -n.
      stdin: probeScriptFor(options.probe, host),
    });
  } catch (error) {
    // A transport must return failures as data; if one throws anyway, that host is unknown,
    // the run goes on.
    return { ok: false, reason: 'ssh-error', detail: `internal transport error: ${String(error)}`, durationMs: 0 };
  } finally {
    clearTimeout(backstop);
    options.signal.removeEventListener('abort', onStop);
  }
}

type OutcomeBody = Omit<Extract<HostOutcome, { status: 'unknown' }>, 'durationMs'> | Omit<Extract<HostOutcome, { status: 'audited' }>, 'durationMs'>;

function toOutcome(host: HostTarget, exec: ExecOutcome, probe: Probe, strings: SharedStrings | null): OutcomeBody {
  if (!exec.ok) return { status: 'unknown', host, reason: exec.reason, detail: exec.detail };
  const { result } = exec;
  const parsed = parseProbeOutput(result.stdout, probe.nonce, { exitCode: result.exitCode, stderr: result.stderr });
  // The detail may quote the output (a slice of it would pin all of it): a flat copy.
  if (strings === null) {
    // Not kept past the host's report: the parse as it is (its slices go with the output).
    return parsed.ok ? { status: 'audited', host, snapshot: parsed.snapshot } : { status: 'unknown', host, reason: parsed.reason, detail: parsed.detail };
  }
  if (!parsed.ok) return { status: 'unknown', host, reason: parsed.reason, detail: strings.string(parsed.detail) };
  // Only the parsed snapshot is kept, as a copy that shares no memory with the raw output and
  // shares its strings with the other hosts' snapshots (shared-strings.ts says why).
  return { status: 'audited', host, snapshot: strings.copy<HostSnapshot>(parsed.snapshot) };
}

function stopMessage(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return reason.message;
  return 'run interrupted';
}
