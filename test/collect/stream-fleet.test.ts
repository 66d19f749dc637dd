// streamFleet: each host's outcome is handed over once and then let go, so a large streamed run
// (JSONL) holds no snapshot past its line. Retention is checked with WeakRefs and a forced
// full garbage collection, against collectFleet (which keeps them all) as the control.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { collectFleet, streamFleet, type CollectedOutcome } from '../../src/collect/collect-fleet.js';
import { demoFleet } from '../../src/demo/demo-fleet-spec.js';
import { renderProbeOutput } from '../../src/demo/render-probe-output.js';
import type { HostTarget } from '../../src/model/types.js';
import { buildProbe } from '../../src/probes/probe-script.js';
import type { ExecOutcome, RemoteShell } from '../../src/ssh/remote-shell.js';
import { makeTarget } from '../helpers/model-factories.js';

const probe = buildProbe('streamtestnonce1');
const web1 = demoFleet.find((h) => h.name === 'web-1');
if (web1 === undefined) throw new Error('demo fleet lost web-1');
const output = renderProbeOutput(web1, probe.nonce, new Date('2026-11-28T10:00:00Z'));

/** Every host answers web-1's probe output; `refused` hosts are unknown. */
const shell: RemoteShell = {
  exec: async (host: HostTarget): Promise<ExecOutcome> => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (host.name.startsWith('refused')) return { ok: false, reason: 'refused', detail: 'refused', durationMs: 1 };
    return { ok: true, result: { stdout: output, stderr: '', exitCode: 0, signal: null, durationMs: 1 } };
  },
};

const hosts = [...Array.from({ length: 40 }, (_, i) => makeTarget({ name: `h${i}` })), makeTarget({ name: 'refused-1' })];
const options = { shell, probe, concurrency: 8, maxOutputBytes: 1 << 20 };

/** A full collection, with WeakRefs cleared for everything unreachable. */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // WeakRef targets stay alive until the end of the job that created or read them.
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
}

describe('streamFleet', () => {
  it('hands over every host exactly once, with its inventory index', async () => {
    const seen: string[] = [];
    await streamFleet(hosts, options, (index, outcome) => seen.push(`${index}:${outcome.host.name}:${outcome.status}`));
    expect(seen.sort()).toEqual(hosts.map((h, i) => `${i}:${h.name}:${h.name.startsWith('refused') ? 'unknown' : 'audited'}`).sort());
  });

  it('keeps no snapshot once its outcome has been handed over, while the run goes on (collectFleet does keep them)', async () => {
    /** Alive snapshots of finished hosts, counted after a full collection when the last host starts. */
    const aliveAtLastHost = async (run: (shell: RemoteShell, record: (outcome: CollectedOutcome) => void) => Promise<unknown>): Promise<{ finished: number; alive: number }> => {
      const refs: WeakRef<object>[] = [];
      let alive = -1;
      const probing: RemoteShell = {
        exec: async (host, command, execOptions) => {
          if (host.name === 'last') {
            await collectGarbage();
            alive = refs.filter((ref) => ref.deref() !== undefined).length;
          }
          return shell.exec(host, command, execOptions);
        },
      };
      await run(probing, (outcome) => void (outcome.status === 'audited' && refs.push(new WeakRef(outcome.snapshot))));
      return { finished: refs.length - 1, alive };
    };
    const fleet = [...hosts, makeTarget({ name: 'last' })];
    const streamed = await aliveAtLastHost((probing, record) => streamFleet(fleet, { ...options, shell: probing, concurrency: 1, keepSnapshots: false, onHostDone: record }, () => undefined));
    expect(streamed).toEqual({ finished: 40, alive: 0 });
    // The control: the same check sees the snapshots a collector keeps.
    const kept = await aliveAtLastHost((probing, record) => collectFleet(fleet, { ...options, shell: probing, concurrency: 1, onHostDone: record }));
    expect(kept).toEqual({ finished: 40, alive: 40 });
  });

  it('reports hosts never started as not contacted when the run is interrupted', async () => {
    const controller = new AbortController();
    const seen: CollectedOutcome[] = [];
    await streamFleet(hosts, { ...options, concurrency: 1, signal: controller.signal }, (_index, outcome) => {
      seen.push(outcome);
      if (seen.length === 3) controller.abort();
    });
    expect(seen).toHaveLength(41);
    // 3 handed over before the abort, at most 1 more under way at concurrency 1: the rest were
    // never contacted, and say so.
    const never = seen.filter((o) => o.attempts === 0);
    expect(never.length).toBeGreaterThanOrEqual(37);
    expect(never.every((o) => o.status === 'unknown' && o.reason === 'deadline')).toBe(true);
  });
});
