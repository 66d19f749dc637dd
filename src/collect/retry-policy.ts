// How often and how soon a host is tried again after a transient connection failure (reset or
// closed during the handshake, typically an sshd beyond MaxStartups shedding load).
import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryPolicy {
  /** Attempts after the first; 0 never retries. */
  retries: number;
  /** Delay before the first retry; doubled for each further one. */
  baseDelayMs: number;
  /** Cap on one delay. */
  maxDelayMs: number;
  /** Source of jitter, [0, 1); Math.random by default, fixed in tests. */
  random?: () => number;
}

export const defaultRetryPolicy: RetryPolicy = { retries: 2, baseDelayMs: 200, maxDelayMs: 2_000 };

/**
 * The pause before retry number `retry` (1-based): exponential, half of it random. Hosts
 * that were cut together (one burst beyond MaxStartups) must not come back together, and a
 * pause of at least half the step keeps a retry from hitting the same burst.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const random = policy.random ?? Math.random;
  return Math.round(step / 2 + (step / 2) * random());
}

/** Resolves after `ms`, or early (false) when `signal` aborts. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
