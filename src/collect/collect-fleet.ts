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
}

/** Below MaxStartups' default start of 10, leaving room for the other clients of that sshd. */
export const defaultMaxPerAddress = 8;

/** The target a per-address cap counts against: one sshd. */
export function addressKey(host: HostTarget): string {
  return `${host.address.toLowerCase()}|${host.port}`;
}

/** Outcomes in the order of `hosts`, whatever order they finished in. */
export async function collectFleet(hosts: readonly HostTarget[], options: CollectOptions): Promise<CollectedOutcome[]> {
  const stop = new RunStop(options.signal, options.deadlineMs);
  const scheduler = new HostScheduler(hosts, addressKey, {
    concurrency: options.concurrency,
    perAddress: options.maxPerAddress ?? defaultMaxPerAddress,
  });
  const outcomes = new Array<CollectedOutcome | undefined>(hosts.length);
  const hostOptions = {
    shell: options.shell,
    probe: options.probe,
    maxOutputBytes: options.maxOutputBytes,
    retry: options.retry ?? defaultRetryPolicy,
    signal: stop.signal,
    strings: new SharedStrings(),
  };
  try {
    await new Promise<void>((resolve) => {
      let recorded = 0;
      let closed = false;
      const record = (index: number, outcome: CollectedOutcome): void => {
        outcomes[index] = outcome;
        recorded += 1;
        options.onHostDone?.(outcome);
      };
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
  return outcomes.map((outcome, index) => outcome ?? notContacted(hostAt(hosts, index), stop.signal));
}

function hostAt(hosts: readonly HostTarget[], index: number): HostTarget {
  const host = hosts[index];
  if (host === undefined) throw new Error(`collect: no host ${index}`);
  return host;
}
