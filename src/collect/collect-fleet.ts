// Fan-out: run the probe on every host, at most `concurrency` at once and at most
// `maxPerAddress` at once towards one address:port, retrying transient connection failures.
// Each attempt has its own backstop deadline, so one hung host costs only its own time;
// nothing a host does can reject the whole run. A global deadline or an interruption stops
// new connections, ends the running ones (as `deadline`), and every host still gets an outcome.
import type { HostTarget } from '../model/types.js';
import type { Probe } from '../probes/probe-script.js';
import type { RemoteShell } from '../ssh/remote-shell.js';
import { auditHost, notContacted, type CollectedOutcome } from './audit-host.js';
import { HostScheduler } from './host-scheduler.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry-policy.js';
import { RunStop } from './run-stop.js';
import { SharedStrings } from './shared-strings.js';

export type { CollectedOutcome } from './audit-host.js';

export interface CollectOptions {
  shell: RemoteShell;
  probe: Probe;
  concurrency: number;
  /**
   * Sessions at once towards one address:port. A stock sshd drops connections beyond
   * MaxStartups (10 unauthenticated by default); many inventory hosts behind one address
   * (load balancer, NAT, a bastion's own sshd) would otherwise trip it.
   */
  maxPerAddress?: number;
  /** Cap on a host's stdout + stderr bytes; beyond it the host is `output-limit`. */
  maxOutputBytes: number;
  /** Retries of transient connection failures; `defaultRetryPolicy` when absent. */
  retry?: RetryPolicy;
  /** Milliseconds for the whole run; hosts not finished by then end as `deadline`. */
  deadlineMs?: number;
  /** Aborting it (Ctrl-C, SIGTERM) ends every host still running as `deadline`. */
  signal?: AbortSignal;
  /** Called once per host as soon as its outcome is known, in completion order. */
  onHostDone?: (outcome: CollectedOutcome) => void;
  /**
   * False when no outcome outlives its `onHostDone` (a streamed run): snapshots are then not
   * copied into shared strings (see shared-strings.ts for why a kept one is).
   */
  keepSnapshots?: boolean;
}

/** Below MaxStartups' default start of 10, leaving room for the other clients of that sshd. */
export const defaultMaxPerAddress = 8;

/** The target a per-address cap counts against: one sshd. */
export function addressKey(host: HostTarget): string {
  return `${host.address.toLowerCase()}|${host.port}`;
}

/** Outcomes in the order of `hosts`, whatever order they finished in. */
export async function collectFleet(hosts: readonly HostTarget[], options: CollectOptions): Promise<CollectedOutcome[]> {
  const outcomes = new Array<CollectedOutcome | undefined>(hosts.length);
  await streamFleet(hosts, options, (index, outcome) => {
    outcomes[index] = outcome;
  });
  return outcomes.map((outcome, index) => outcome ?? missing(hostAt(hosts, index)));
}

/**
 * Hands each host's outcome to `onOutcome` (with its inventory index) as soon as it is known,
 * in completion order, and keeps none of them: what the caller does not keep is garbage once
 * `onOutcome` returns. This is what bounds a large run's memory (issue 7: 10,000 hosts); the
 * caller folds what it needs (the JSONL stream writes a line and adds to the fleet tally).
 * Every host gets exactly one outcome, also when the run is interrupted.
 */
export async function streamFleet(hosts: readonly HostTarget[], options: CollectOptions, onOutcome: (index: number, outcome: CollectedOutcome) => void): Promise<void> {
  const stop = new RunStop(options.signal, options.deadlineMs);
  const scheduler = new HostScheduler(hosts, addressKey, {
    concurrency: options.concurrency,
    perAddress: options.maxPerAddress ?? defaultMaxPerAddress,
  });
  // One byte per host instead of the outcomes themselves: which hosts are recorded.
  const seen = new Uint8Array(hosts.length);
  const hostOptions = {
    shell: options.shell,
    probe: options.probe,
    maxOutputBytes: options.maxOutputBytes,
    retry: options.retry ?? defaultRetryPolicy,
    signal: stop.signal,
    // Snapshots that outlive the host (collectFleet keeps them all) share their strings; a
    // streamed one is dropped at once, so copying it would only cost CPU and a growing table.
    strings: options.keepSnapshots === false ? null : new SharedStrings(),
  };
  let recorded = 0;
  const record = (index: number, outcome: CollectedOutcome): void => {
    if (seen[index] === 1) return;
    seen[index] = 1;
    recorded += 1;
    onOutcome(index, outcome);
    options.onHostDone?.(outcome);
  };
  try {
    await new Promise<void>((resolve) => {
      let closed = false;
      const pump = (): void => {
        if (stop.stopped && !closed) {
          // Nothing new starts; hosts still queued are reported at once, not contacted.
          closed = true;
          scheduler.close();
          for (const index of scheduler.remaining()) record(index, notContacted(hostAt(hosts, index), stop.signal));
        }
        for (const index of scheduler.take()) {
          void auditHost(hostAt(hosts, index), hostOptions).then((outcome) => {
            record(index, outcome);
            scheduler.done(index);
            pump();
          });
        }
        if (scheduler.active === 0 && recorded === hosts.length) resolve();
      };
      stop.signal.addEventListener('abort', pump, { once: true });
      pump();
    });
  } finally {
    stop.dispose();
  }
}

/** Cannot happen (every index is recorded before the run resolves); never silently healthy. */
function missing(host: HostTarget): CollectedOutcome {
  return { status: 'unknown', host, reason: 'deadline', detail: 'no outcome was recorded for this host', durationMs: 0, attempts: 0 };
}

function hostAt(hosts: readonly HostTarget[], index: number): HostTarget {
  const host = hosts[index];
  if (host === undefined) throw new Error(`collect: no host ${index}`);
  return host;
}
