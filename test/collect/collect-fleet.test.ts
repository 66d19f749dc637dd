import { describe, expect, it } from 'vitest';
import { collectFleet } from '../../src/collect/collect-fleet.js';
import type { HostTarget } from '../../src/model/types.js';
import { buildProbe } from '../../src/probes/probe-script.js';
import type { ExecOptions, ExecOutcome, RemoteShell } from '../../src/ssh/remote-shell.js';
import { renderProbeOutput } from '../../src/demo/render-probe-output.js';
import { demoFleet } from '../../src/demo/demo-fleet-spec.js';
import { makeTarget } from '../helpers/model-factories.js';

const probe = buildProbe('collecttestnonce');
const now = new Date('2026-11-28T10:00:00Z');
const web1 = demoFleet.find((h) => h.name === 'web-1');
if (web1 === undefined) throw new Error('demo fleet lost web-1');
const healthyOutput = renderProbeOutput(web1, probe.nonce, now);

/** A scripted transport: each host name maps to what its exec does. */
class ScriptedShell implements RemoteShell {
  running = 0;
  maxRunning = 0;
  readonly calls: { host: string; stdin: string | undefined }[] = [];

  constructor(private readonly behaviour: (host: HostTarget, options: ExecOptions) => Promise<ExecOutcome>) {}

  async exec(host: HostTarget, _command: string, options: ExecOptions): Promise<ExecOutcome> {
    this.calls.push({ host: host.name, stdin: options.stdin });
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      return await this.behaviour(host, options);
    } finally {
      this.running -= 1;
    }
  }
}

const ok = (stdout: string): ExecOutcome => ({ ok: true, result: { stdout, stderr: '', exitCode: 0, signal: null, durationMs: 1 } });
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('collectFleet', () => {
  it('returns one outcome per host in inventory order, whatever order they finish in', async () => {
    const hosts = ['a', 'b', 'c', 'd'].map((name) => makeTarget({ name }));
    const shell = new ScriptedShell(async (host) => {
      await delay(host.name === 'a' ? 40 : 5);
      return ok(healthyOutput);
    });
    const finished: string[] = [];
    const outcomes = await collectFleet(hosts, { shell, probe, concurrency: 4, maxOutputBytes: 1 << 20, onHostDone: (o) => finished.push(o.host.name) });
    expect(outcomes.map((o) => [o.host.name, o.status])).toEqual([
      ['a', 'audited'],
      ['b', 'audited'],
      ['c', 'audited'],
      ['d', 'audited'],
    ]);
    expect(finished.at(-1)).toBe('a');
    expect(shell.calls[0]?.stdin).toBe(probe.script);
  });

  it('never runs more hosts at once than the concurrency allows', async () => {
    const hosts = Array.from({ length: 12 }, (_, i) => makeTarget({ name: `h${i}` }));
    const shell = new ScriptedShell(async () => {
      await delay(5);
      return ok(healthyOutput);
    });
    await collectFleet(hosts, { shell, probe, concurrency: 3, maxOutputBytes: 1 << 20 });
    expect(shell.maxRunning).toBe(3);
    expect(shell.calls).toHaveLength(12);
  });

  it('turns transport failures, unparseable output and a throwing transport into unknown hosts', async () => {
    const hosts = ['refused', 'garbage', 'throws', 'fine'].map((name) => makeTarget({ name }));
    const shell = new ScriptedShell(async (host) => {
      await delay(1);
      switch (host.name) {
        case 'refused':
          return { ok: false, reason: 'refused', detail: 'connect ECONNREFUSED', durationMs: 1 };
        case 'garbage':
          return ok('');
        case 'throws':
          throw new Error('bug in a transport');
        default:
          return ok(healthyOutput);
      }
    });
    const outcomes = await collectFleet(hosts, { shell, probe, concurrency: 2, maxOutputBytes: 1 << 20 });
    expect(outcomes.map((o) => (o.status === 'unknown' ? o.reason : o.status))).toEqual(['refused', 'parse-error', 'ssh-error', 'audited']);
  });

  it('gives each host a deadline, so a transport that ignores its timeouts cannot hang the run', async () => {
    const hosts = [makeTarget({ name: 'stuck', connectTimeoutMs: 10, commandTimeoutMs: 10 }), makeTarget({ name: 'fine' })];
    const shell = new ScriptedShell(
      (host, options) =>
        new Promise((resolve) => {
          if (host.name === 'fine') {
            resolve(ok(healthyOutput));
            return;
          }
          // Ignores its own timeouts; only the abort signal ends it.
          options.signal?.addEventListener('abort', () => resolve({ ok: false, reason: 'deadline', detail: 'aborted', durationMs: 0 }));
        }),
    );
    const outcomes = await collectFleet(hosts, { shell, probe, concurrency: 2, maxOutputBytes: 1 << 20 });
    expect(outcomes.map((o) => (o.status === 'unknown' ? o.reason : o.status))).toEqual(['deadline', 'audited']);
  });

  it('ends the running hosts and skips the queued ones when the run is interrupted', async () => {
    const controller = new AbortController();
    const hosts = ['a', 'b', 'queued'].map((name) => makeTarget({ name }));
    const shell = new ScriptedShell(
      (_host, options) =>
        new Promise((resolve) => {
          options.signal?.addEventListener('abort', () => resolve({ ok: false, reason: 'deadline', detail: 'interrupted', durationMs: 0 }));
          if (shell.calls.length === 2) controller.abort();
        }),
    );
    const outcomes = await collectFleet(hosts, { shell, probe, concurrency: 2, maxOutputBytes: 1 << 20, signal: controller.signal });
    expect(outcomes.map((o) => (o.status === 'unknown' ? `${o.host.name} ${o.reason}` : o.status))).toEqual(['a deadline', 'b deadline', 'queued deadline']);
    expect(shell.calls.map((c) => c.host)).toEqual(['a', 'b']);
  });
});
