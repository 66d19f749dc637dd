// Retries, the per-address cap and the run deadline, against a scripted transport.
import { describe, expect, it } from 'vitest';
import { collectFleet, type CollectedOutcome } from '../../src/collect/collect-fleet.js';
import { backoffDelayMs, type RetryPolicy } from '../../src/collect/retry-policy.js';
import { demoFleet } from '../../src/demo/demo-fleet-spec.js';
import { renderProbeOutput } from '../../src/demo/render-probe-output.js';
import type { HostTarget } from '../../src/model/types.js';
import { buildProbe } from '../../src/probes/probe-script.js';
import type { ExecOptions, ExecOutcome, RemoteShell } from '../../src/ssh/remote-shell.js';
import { makeTarget } from '../helpers/model-factories.js';

const probe = buildProbe('retrytestnonce');
const web1 = demoFleet.find((h) => h.name === 'web-1');
if (web1 === undefined) throw new Error('demo fleet lost web-1');
const healthy = renderProbeOutput(web1, probe.nonce, new Date('2026-11-28T10:00:00Z'));
const ok: ExecOutcome = { ok: true, result: { stdout: healthy, stderr: '', exitCode: 0, signal: null, durationMs: 1 } };
const dropped: ExecOutcome = { ok: false, reason: 'ssh-error', detail: '127.0.0.1:22 closed the connection during the SSH handshake', durationMs: 1, transient: true };
const fastRetry: RetryPolicy = { retries: 2, baseDelayMs: 5, maxDelayMs: 20, random: () => 0.5 };
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class ScriptedShell implements RemoteShell {
  readonly calls: string[] = [];
  private readonly runningByAddress = new Map<string, number>();
  readonly maxByAddress = new Map<string, number>();
  running = 0;
  maxRunning = 0;
  constructor(private readonly behaviour: (host: HostTarget, attempt: number, options: ExecOptions) => Promise<ExecOutcome>) {}
  async exec(host: HostTarget, _command: string, options: ExecOptions): Promise<ExecOutcome> {
    this.calls.push(host.name);
    const attempt = this.calls.filter((name) => name === host.name).length;
    const now = (this.runningByAddress.get(host.address) ?? 0) + 1;
    this.runningByAddress.set(host.address, now);
    this.maxByAddress.set(host.address, Math.max(this.maxByAddress.get(host.address) ?? 0, now));
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      return await this.behaviour(host, attempt, options);
    } finally {
      this.running -= 1;
      this.runningByAddress.set(host.address, (this.runningByAddress.get(host.address) ?? 1) - 1);
    }
  }
}

const summary = (outcomes: CollectedOutcome[]): string[] =>
  outcomes.map((o) => `${o.host.name} ${o.status === 'unknown' ? o.reason : o.status} ${o.attempts}`);

/** Resolves with `deadline` when the attempt's signal aborts; never otherwise. */
function hang(options: ExecOptions): Promise<ExecOutcome> {
  return new Promise((resolve) => {
    options.signal?.addEventListener('abort', () => {
      const reason: unknown = options.signal?.reason;
      resolve({ ok: false, reason: 'deadline', detail: `aborted: ${reason instanceof Error ? reason.message : ''}`, durationMs: 0 });
    });
  });
}

describe('backoffDelayMs', () => {
  it('doubles per retry up to the cap, half of each step random', () => {
    const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 500 };
    expect(backoffDelayMs(1, { ...policy, random: () => 0 })).toBe(50);
    expect(backoffDelayMs(1, { ...policy, random: () => 0.999999 })).toBe(100);
    expect(backoffDelayMs(2, { ...policy, random: () => 0 })).toBe(100);
    expect(backoffDelayMs(3, { ...policy, random: () => 0.5 })).toBe(300);
    expect(backoffDelayMs(9, { ...policy, random: () => 0 })).toBe(250);
  });
});

describe('collectFleet: retries', () => {
  it('retries transient failures and reports the attempts; auth and host-key failures are tried once', async () => {
    const hosts = ['flaky', 'always-dropped', 'auth', 'hostkey', 'fine'].map((name) => makeTarget({ name, address: `10.0.0.${name.length}` }));
    const shell = new ScriptedShell(async (host, attempt) => {
      await delay(1);
      switch (host.name) {
        case 'flaky':
          return attempt === 1 ? dropped : ok;
        case 'always-dropped':
          return dropped;
        case 'auth':
          return { ok: false, reason: 'auth-failed', detail: 'server rejected keys: id', durationMs: 1 };
        case 'hostkey':
          return { ok: false, reason: 'host-key-mismatch', detail: 'changed', durationMs: 1 };
        default:
          return ok;
      }
    });
    const outcomes = await collectFleet(hosts, { shell, probe, concurrency: 5, maxOutputBytes: 1 << 20, retry: fastRetry });
    expect(summary(outcomes)).toEqual(['flaky audited 2', 'always-dropped ssh-error 3', 'auth auth-failed 1', 'hostkey host-key-mismatch 1', 'fine audited 1']);
    expect(shell.calls.filter((name) => name === 'always-dropped')).toHaveLength(3);
  });

  it('does not retry when retries is 0', async () => {
    const shell = new ScriptedShell(() => Promise.resolve(dropped));
    const outcomes = await collectFleet([makeTarget({ name: 'a' })], { shell, probe, concurrency: 1, maxOutputBytes: 1 << 20, retry: { ...fastRetry, retries: 0 } });
    expect(summary(outcomes)).toEqual(['a ssh-error 1']);
  });
});

describe('collectFleet: per-address cap', () => {
  it('keeps sessions towards one address under the cap while other hosts use the free slots', async () => {
    const behindLb = Array.from({ length: 12 }, (_, i) => makeTarget({ name: `lb-${i}`, address: 'lb.example' }));
    const others = Array.from({ length: 6 }, (_, i) => makeTarget({ name: `solo-${i}`, address: `10.0.1.${i}` }));
    const shell = new ScriptedShell(async () => {
      await delay(10);
      return ok;
    });
    const outcomes = await collectFleet([...behindLb, ...others], { shell, probe, concurrency: 8, maxPerAddress: 3, maxOutputBytes: 1 << 20 });
    expect(outcomes.every((o) => o.status === 'audited')).toBe(true);
    expect(shell.maxByAddress.get('lb.example')).toBe(3);
    expect(shell.maxRunning).toBe(8);
    // The hosts after the twelve did not wait for them: 3 + 5 took the first 8 slots.
    expect(shell.calls.slice(0, 8).filter((name) => name.startsWith('solo'))).toHaveLength(5);
  });
});

describe('collectFleet: run deadline', () => {
  it('ends running hosts and never contacts queued ones once the deadline passes; every host has an outcome', async () => {
    const hosts = ['done', 'hung-1', 'hung-2', 'queued-1', 'queued-2'].map((name) => makeTarget({ name, address: name, commandTimeoutMs: 60_000 }));
    const shell = new ScriptedShell((host, _attempt, options) => (host.name === 'done' ? Promise.resolve(ok) : hang(options)));
    const outcomes = await collectFleet(hosts, { shell, probe, concurrency: 3, maxOutputBytes: 1 << 20, deadlineMs: 150 });
    // Three slots: queued-1 took the one 'done' freed and hung too; queued-2 never got one.
    expect(summary(outcomes)).toEqual(['done audited 1', 'hung-1 deadline 1', 'hung-2 deadline 1', 'queued-1 deadline 1', 'queued-2 deadline 0']);
    const details = outcomes.map((o) => (o.status === 'unknown' ? o.detail : ''));
    expect(details[1]).toBe('aborted: run deadline of 150 ms passed');
    expect(details[4]).toBe('run deadline of 150 ms passed before this host was contacted');
    expect(shell.calls).toEqual(['done', 'hung-1', 'hung-2', 'queued-1']);
  });

  it('reports hosts that never got a slot as not contacted, with the reason', async () => {
    const hosts = ['hung', 'waiting'].map((name) => makeTarget({ name, address: name }));
    const shell = new ScriptedShell((_host, _attempt, options) => hang(options));
    const outcomes = await collectFleet(hosts, { shell, probe, concurrency: 1, maxOutputBytes: 1 << 20, deadlineMs: 50 });
    expect(summary(outcomes)).toEqual(['hung deadline 1', 'waiting deadline 0']);
    expect(outcomes[1]).toMatchObject({ detail: 'run deadline of 50 ms passed before this host was contacted', durationMs: 0 });
    expect(shell.calls).toEqual(['hung']);
  });

  it('stops waiting for a retry when the run is interrupted', async () => {
    const controller = new AbortController();
    const shell = new ScriptedShell(() => {
      setTimeout(() => controller.abort(new Error('run interrupted by SIGINT')), 5);
      return Promise.resolve(dropped);
    });
    const outcomes = await collectFleet([makeTarget({ name: 'a' })], {
      shell,
      probe,
      concurrency: 1,
      maxOutputBytes: 1 << 20,
      retry: { retries: 3, baseDelayMs: 10_000, maxDelayMs: 10_000 },
      signal: controller.signal,
    });
    expect(summary(outcomes)).toEqual(['a deadline 1']);
    expect(outcomes[0]).toMatchObject({ detail: expect.stringMatching(/^run interrupted by SIGINT before attempt 2; attempt 1: .*closed the connection/) });
  });
});
